import type { OperationView } from './api';
import { readNewerView } from './live-view';

const at = (version: number) => ({ meta: { version, updatedAt: '2019-07-20T10:00:00.000Z' } }) as OperationView;

describe('reading the view again after a contribution event', () => {
  it('reads until the version passes the one shown: the event can come before the read model applied it', async () => {
    const answers = [at(4), at(4), at(5)];
    const read = jest.fn(async () => answers.shift()!);
    const view = await readNewerView(read, 4, new AbortController().signal, [0, 1, 1, 1]);
    expect(view?.meta.version).toBe(5);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('a failed read is one more try, not the end', async () => {
    const read = jest.fn().mockRejectedValueOnce(new Error('503')).mockResolvedValue(at(2));
    expect((await readNewerView(read, 1, new AbortController().signal, [0, 1]))?.meta.version).toBe(2);
  });

  it('gives up after its delays, and at once when the page navigates away', async () => {
    const read = jest.fn(async () => at(1));
    expect(await readNewerView(read, 1, new AbortController().signal, [0, 1, 1])).toBeNull();
    expect(read).toHaveBeenCalledTimes(3);

    const navigated = new AbortController();
    const slow = jest.fn(async () => {
      navigated.abort();
      return at(1);
    });
    expect(await readNewerView(slow, 1, navigated.signal, [0, 60_000])).toBeNull();
    expect(slow).toHaveBeenCalledTimes(1);
  });
});
