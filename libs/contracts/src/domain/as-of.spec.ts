import { parseAsOf } from './as-of';

describe('parseAsOf', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('takes an RFC 3339 date-time with any offset, as the instant it names', () => {
    expect(parseAsOf('2019-07-01T00:00:00Z', now)).toEqual({ ok: true, instant: new Date('2019-07-01T00:00:00Z') });
    expect(parseAsOf('2019-07-01T02:00:00.5+02:00', now)).toEqual({ ok: true, instant: new Date('2019-07-01T00:00:00.500Z') });
    expect(parseAsOf('2019-07-01t00:00:00z', now)).toEqual({ ok: true, instant: new Date('2019-07-01T00:00:00Z') });
  });

  const malformed = ['2019-07-01', '2019-07-01T00:00:00', '2019-02-30T00:00:00Z', '2019-07-01T24:00:00Z', 'yesterday', '', '1562025600000'];
  it.each(malformed)('refuses %p as malformed', (raw) => {
    expect(parseAsOf(raw, now)).toEqual({ ok: false, message: expect.stringContaining('RFC 3339') });
  });

  it('refuses an instant after now', () => {
    expect(parseAsOf('2026-01-01T00:00:00.001Z', now)).toEqual({ ok: false, message: 'must not be in the future' });
    expect(parseAsOf('2026-01-01T00:00:00Z', now).ok).toBe(true);
  });
});
