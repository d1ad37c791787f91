import Fastify from 'fastify';
import { matchesIfNoneMatch, PreparedAnswer } from './prepared-answer';

describe('PreparedAnswer', () => {
  it('sends its bytes with the headers that describe them, and a 304 with its validator only', async () => {
    const csvPage = new PreparedAnswer('"5-population-a"', Buffer.from('type,value\r\n'), 'text/csv; charset=utf-8', 'public, no-cache', {
      'next-cursor': 'abc',
      link: '<?cursor=abc>; rel="next"',
    });
    const app = Fastify();
    app.get('/', (request, reply) => void csvPage.send(reply, request.headers['if-none-match']));
    const ok = await app.inject('/');
    expect(ok.body).toBe('type,value\r\n');
    expect(ok.headers).toMatchObject({
      etag: '"5-population-a"',
      'content-type': 'text/csv; charset=utf-8',
      'next-cursor': 'abc',
      'content-length': '12',
    });
    const notModified = await app.inject({ url: '/', headers: { 'if-none-match': '"5-population-a"' } });
    expect(notModified.statusCode).toBe(304);
    expect(Object.keys(notModified.headers)).not.toContain('next-cursor');
  });

  it('answers anything with its bytes, and with its validator alone only a matching If-None-Match', () => {
    const held = new PreparedAnswer('"1"', Buffer.from('x'), 'text/csv', 'public, no-cache');
    const validator = new PreparedAnswer('"1"', undefined, '', 'public, no-cache');
    expect([held.answers(undefined), held.answers('"2"'), held.answers('"1"')]).toEqual([true, true, true]);
    expect([validator.answers(undefined), validator.answers('"2"'), validator.answers('W/"1"')]).toEqual([false, false, true]);
  });
});

describe('If-None-Match', () => {
  it.each([
    ['"3-2018-en"', true],
    ['W/"3-2018-en"', true],
    ['"1-2018-en", "3-2018-en"', true],
    ['*', true],
    ['"3-2018-fr"', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => {
    expect(matchesIfNoneMatch(header, '"3-2018-en"')).toBe(expected);
  });
});
