import { withDocumentLocks, withWriteLock } from './write-lock';

/** A piece of work that records when it ran and finishes when released. */
function held(log: string[], name: string) {
  let release = () => undefined as void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    work: async () => {
      log.push(`${name} start`);
      await done;
      log.push(`${name} end`);
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('withWriteLock and withDocumentLocks', () => {
  it('runs holders of one lock in turn, in the order they asked, and holders of others alongside', async () => {
    const log: string[] = [];
    const a = held(log, 'a');
    const b = held(log, 'b');
    const c = held(log, 'c');
    const results = [withWriteLock('x', a.work), withWriteLock('x', b.work), withWriteLock('y', c.work)];
    await tick();
    expect(log).toEqual(['a start', 'c start']);
    a.release();
    await tick();
    expect(log).toEqual(['a start', 'c start', 'a end', 'b start']);
    b.release();
    c.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
  });

  it('a writer of several documents waits for each, and later writers of any of them wait for it', async () => {
    const log: string[] = [];
    const one = held(log, 'one');
    const two = held(log, 'two');
    const both = held(log, 'both');
    const after = held(log, 'after');
    const results = [
      withDocumentLocks('c', ['1'], one.work),
      withDocumentLocks('c', ['2'], two.work),
      withDocumentLocks('c', ['2', '1'], both.work),
      withDocumentLocks('c', ['1'], after.work),
    ];
    await tick();
    expect(log).toEqual(['one start', 'two start']);
    one.release();
    await tick();
    expect(log).not.toContain('both start');
    two.release();
    await tick();
    expect(log.slice(-1)).toEqual(['both start']);
    both.release();
    await tick();
    expect(log.slice(-1)).toEqual(['after start']);
    after.release();
    await Promise.all(results);
  });

  it('a failed holder passes the lock on, and its caller gets the error', async () => {
    const failing = withWriteLock('z', async () => {
      throw new Error('boom');
    });
    const next = withWriteLock('z', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });
});
