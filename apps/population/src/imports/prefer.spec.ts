import { prefersAsync } from './population-import.controller';

describe('Prefer: respond-async', () => {
  it('is read among other preferences, in any case, and nothing else asks for it', () => {
    expect(
      ['respond-async', 'Respond-Async', 'wait=10, respond-async', 'respond-async; wait=5', 'return=minimal,respond-async'].map(
        prefersAsync,
      ),
    ).toEqual([true, true, true, true, true]);
    expect([undefined, '', 'wait=10', 'respond-asynchronously', 'return=representation'].map(prefersAsync)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
