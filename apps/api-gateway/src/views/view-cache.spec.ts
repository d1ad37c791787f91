import { CachedView, DATA_CODE, ViewCache } from './view-cache';

const view = (version: number, year = 2018): CachedView =>
  new CachedView(`"${version}-${year}-en"`, Buffer.from(`{"v":${version}}`), 'application/json', 'public, no-cache', version);

describe('ViewCache', () => {
  let now = 0;
  let cache: ViewCache;
  beforeEach(() => {
    now = 0;
    cache = new ViewCache(3, 1_000, () => now);
    cache.setEnabled(true);
  });

  const loader =
    (value: CachedView, calls: { n: number }, cacheable = true) =>
    async () => {
      calls.n++;
      return { value, cacheable };
    };

  it('serves a second read from memory, and reads again after the operation changed', async () => {
    const calls = { n: 0 };
    const key = ViewCache.key('KAZ', '2018', 'en');
    expect(await cache.get(key, 'KAZ', loader(view(1), calls))).toEqual(view(1));
    expect(await cache.get(key, 'KAZ', loader(view(1), calls))).toEqual(view(1));
    expect(calls.n).toBe(1);
    cache.invalidate('KAZ', 2);
    expect(await cache.get(key, 'KAZ', loader(view(2), calls))).toEqual(view(2));
    expect(calls.n).toBe(2);
  });

  it('drops only the changed operation, and the list', async () => {
    const calls = { n: 0 };
    await cache.get(ViewCache.key('KAZ', '', ''), 'KAZ', loader(view(1), calls));
    await cache.get(ViewCache.key('AFG', '', ''), 'AFG', loader(view(1), calls));
    await cache.get(ViewCache.key('*', '', ''), '*', loader(view(1), calls));
    cache.invalidate('KAZ');
    expect(cache.size).toBe(1);
    await cache.get(ViewCache.key('AFG', '', ''), 'AFG', loader(view(1), calls));
    expect(calls.n).toBe(3);
  });

  it("drops the data API's answers on any operation's change", async () => {
    const calls = { n: 0 };
    await cache.get('data|/api/v1/population', DATA_CODE, loader(view(1), calls));
    await cache.get(ViewCache.key('AFG', '', ''), 'AFG', loader(view(1), calls));
    cache.invalidate('KAZ');
    expect(cache.lookup('data|/api/v1/population')).toBeUndefined();
    expect(cache.lookup(ViewCache.key('AFG', '', ''))).toEqual(view(1));
  });

  it("keeps a streamed answer's validator, which answers only a matching If-None-Match; not when it changed while streaming", async () => {
    const validator = new CachedView('"9-population-x"', undefined, '', 'public, no-cache');
    await cache.keep('data|csv|/api/v1/population?format=csv', DATA_CODE, async () => validator);
    expect(cache.misses).toBe(1);
    expect(cache.lookup('data|csv|/api/v1/population?format=csv')).toBeUndefined();
    expect(cache.lookup('data|csv|/api/v1/population?format=csv', '"8-population-x"')).toBeUndefined();
    expect(cache.lookup('data|csv|/api/v1/population?format=csv', '"9-population-x"')).toBe(validator);
    expect(cache.hits).toBe(1);
    // Two exports at once each stream their own; one that changed meanwhile keeps nothing.
    let release: (v: CachedView) => void = () => undefined;
    const slow = cache.keep('data|csv|/api/v1/budget?format=csv', DATA_CODE, () => new Promise((r) => (release = r)));
    let second = false;
    await cache.keep('data|csv|/api/v1/budget?format=csv', DATA_CODE, async () => {
      second = true;
      return undefined;
    });
    expect(second).toBe(true);
    cache.invalidate('KAZ');
    release(validator);
    await slow;
    expect(cache.size).toBe(0);
  });

  it('never stores what was in flight when the operation changed, nor a view older than announced', async () => {
    const key = ViewCache.key('KAZ', '2018', 'en');
    let release: (v: { value: CachedView; cacheable: boolean }) => void = () => undefined;
    const slow = cache.get(key, 'KAZ', () => new Promise((r) => (release = r)));
    cache.invalidate('KAZ', 5);
    release({ value: view(4), cacheable: true });
    expect(await slow).toEqual(view(4)); // answered, but not kept
    expect(cache.size).toBe(0);
    const calls = { n: 0 };
    await cache.get(key, 'KAZ', loader(view(4), calls)); // an aggregator replica lagging behind
    expect(cache.size).toBe(0);
    await cache.get(key, 'KAZ', loader(view(5), calls));
    expect(cache.size).toBe(1);
  });

  it('shares one fetch between concurrent misses', async () => {
    const calls = { n: 0 };
    const key = ViewCache.key('KAZ', '', '');
    const results = await Promise.all([1, 2, 3].map(() => cache.get(key, 'KAZ', loader(view(1), calls))));
    expect(results).toEqual([view(1), view(1), view(1)]);
    expect(calls.n).toBe(1);
  });

  it('keeps errors out, bounds its size, and expires entries', async () => {
    const calls = { n: 0 };
    await cache.get('a', 'A', loader(view(1), calls, false));
    expect(cache.size).toBe(0);
    for (const code of ['A', 'B', 'C', 'D']) await cache.get(code, code, loader(view(1), calls));
    expect(cache.size).toBe(3);
    now = 2_000;
    await cache.get('D', 'D', loader(view(1), calls));
    expect(calls.n).toBe(6);
  });

  it('lets the least recently used leave first, and a read keeps an entry', async () => {
    const calls = { n: 0 };
    for (const code of ['A', 'B', 'C']) await cache.get(code, code, loader(view(1), calls));
    expect(cache.lookup('A')).toEqual(view(1));
    await cache.get('D', 'D', loader(view(1), calls));
    expect(['A', 'B', 'C', 'D'].map((key) => cache.lookup(key) !== undefined)).toEqual([true, false, true, true]);
    // Read over and over, an entry stays while others come and go.
    for (const code of ['E', 'F', 'G', 'H']) {
      expect(cache.lookup('A')).toBeDefined();
      await cache.get(code, code, loader(view(1), calls));
    }
    expect(cache.lookup('A')).toEqual(view(1));
  });

  it('while disabled (its invalidations not flowing) every read goes through, and nothing is kept', async () => {
    const calls = { n: 0 };
    await cache.get('K', 'KAZ', loader(view(1), calls));
    cache.setEnabled(false);
    expect(cache.size).toBe(0);
    await cache.get('K', 'KAZ', loader(view(1), calls));
    await cache.get('K', 'KAZ', loader(view(1), calls));
    expect(calls.n).toBe(3);
  });
});
