import { readSeed, seedRequests } from './seed-requests';

describe('seed requests', () => {
  const seed = readSeed();
  const requests = seedRequests(seed);

  it('writes the profile first, then every figure of the page through the public paths', () => {
    expect(requests[0]).toMatchObject({ method: 'PUT', path: '/operations/KAZ-RO', body: { name: { en: 'Kazakhstan Regional Office' } } });
    const paths = requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'PUT /operations/KAZ-RO/population/2018/STA',
        'PUT /operations/KAZ-RO/population/2016/total',
        'PUT /operations/KAZ-RO/budget/2014/pillars/1',
        'PUT /operations/KAZ-RO/key-figures/2019/plan',
      ]),
    );
    expect(requests.filter((r) => r.path.includes('/narratives/'))).toHaveLength(seed.narratives.length);
    expect(requests.find((r) => r.path === '/operations/KAZ-RO/population/2018/STA')?.body).toEqual({
      value: 87632,
      source: { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' },
    });
    expect(requests.find((r) => r.path === '/operations/KAZ-RO/population/2016/total')?.body).toEqual({
      value: 95795,
      source: { name: 'UNHCR Global Focus 2019', asOf: '2016-12-31' },
    });
  });

  it('posts contributions oldest first, each under an Idempotency-Key of its own that a second load repeats', () => {
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts.map((p) => (p.body as { date: string }).date)).toEqual(seed.contributions.map((c) => c.date).reverse());
    const keys = posts.map((p) => p.headers?.['idempotency-key']);
    expect(new Set(keys).size).toBe(posts.length);
    expect(
      seedRequests(seed)
        .filter((r) => r.method === 'POST')
        .map((p) => p.headers?.['idempotency-key']),
    ).toEqual(keys);
    for (const post of posts) expect(post.body).toMatchObject({ operationCode: 'KAZ-RO', status: 'paid' });
  });
});
