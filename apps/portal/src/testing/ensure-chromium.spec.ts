import { findChromium } from './ensure-chromium';

describe('finding a Chromium', () => {
  const saved = process.env['CHROMIUM_PATH'];
  afterEach(() => {
    if (saved === undefined) delete process.env['CHROMIUM_PATH'];
    else process.env['CHROMIUM_PATH'] = saved;
  });

  it('takes CHROMIUM_PATH when it names an executable', () => {
    process.env['CHROMIUM_PATH'] = process.execPath;
    expect(findChromium()).toBe(process.execPath);
  });

  it('ignores a CHROMIUM_PATH that is not there, and looks in /usr/bin', () => {
    process.env['CHROMIUM_PATH'] = '/nowhere/chromium';
    expect([null, '/usr/bin/chromium', '/usr/bin/chromium-browser']).toContain(findChromium());
  });
});
