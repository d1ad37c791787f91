import type { Pool } from 'undici';
import { failureOf, mayResend, ReplicaSet } from './replica-set';

const fakePool = () => ({ close: async () => undefined }) as unknown as Pool;

describe('ReplicaSet', () => {
  it('takes the replicas in turn', () => {
    const set = new ReplicaSet(['http://a', 'http://b', 'http://c'], fakePool, 1_000);
    expect(Array.from({ length: 6 }, () => set.pick()?.origin)).toEqual([
      'http://a',
      'http://b',
      'http://c',
      'http://a',
      'http://b',
      'http://c',
    ]);
  });

  it('skips one that failed for a while, then tries it again', () => {
    let now = 0;
    const set = new ReplicaSet(['http://a', 'http://b'], fakePool, 1_000, () => now);
    set.markDown(set.replicas[0]!);
    expect(Array.from({ length: 3 }, () => set.pick()?.origin)).toEqual(['http://b', 'http://b', 'http://b']);
    now = 1_000;
    expect(Array.from({ length: 2 }, () => set.pick()?.origin).sort()).toEqual(['http://a', 'http://b']);
  });

  it('when every replica is skipped, tries the one skipped longest rather than none', () => {
    let now = 0;
    const set = new ReplicaSet(['http://a', 'http://b'], fakePool, 1_000, () => now);
    set.markDown(set.replicas[1]!);
    now = 10;
    set.markDown(set.replicas[0]!);
    expect(set.pick()?.origin).toBe('http://b');
  });

  it('gives each replica once to one request, then none', () => {
    const set = new ReplicaSet(['http://a', 'http://b'], fakePool, 1_000);
    const tried = new Set([set.pick()!]);
    const second = set.pick(tried)!;
    tried.add(second);
    expect([...tried].map((r) => r.origin).sort()).toEqual(['http://a', 'http://b']);
    expect(set.pick(tried)).toBeUndefined();
  });
});

describe('resending', () => {
  it('tells a request that never left from one that may have arrived', () => {
    expect(failureOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('not-sent');
    expect(failureOf(Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' }))).toBe('not-sent');
    expect(failureOf(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('maybe-sent');
    expect(failureOf(Object.assign(new Error('headers timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe('maybe-sent');
  });

  it('resends a write only when it never left; a read always', () => {
    for (const method of ['PUT', 'POST', 'DELETE'] as const) {
      expect(mayResend(method, 'not-sent')).toBe(true);
      expect(mayResend(method, 'maybe-sent')).toBe(false);
    }
    expect(mayResend('GET', 'maybe-sent')).toBe(true);
  });
});
