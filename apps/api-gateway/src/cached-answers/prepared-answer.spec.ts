import { matchesIfNoneMatch } from './prepared-answer';

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
