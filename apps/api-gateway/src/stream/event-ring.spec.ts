import { EventRing, RESUME_MARGIN_MS, StreamEvent, uuidTime } from './event-ring';

/** A uuid v7 made at `ms`, with `n` to tell apart ids of one millisecond. */
const idAt = (ms: number, n = 0) => {
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-${n.toString(16).padStart(12, '0')}`;
};
const event = (id: string): StreamEvent => ({ id, operationCode: 'KAZ', data: `{"id":"${id}"}` });
const T = 1_800_000_000_000;

describe('EventRing', () => {
  it('reads the time of a uuid v7', () => {
    expect(uuidTime(idAt(T))).toBe(T);
    expect(uuidTime('not-an-id')).toBeUndefined();
    expect(uuidTime('0190a000-0000-4000-8000-000000000001')).toBeUndefined(); // v4
  });

  it('resumes after an event it sent live by position: exactly what came after, each once', () => {
    const ring = new EventRing(10);
    const [a, b, c] = [idAt(T), idAt(T + 2_000), idAt(T + 1_000)];
    expect(ring.add(event(a))).toBe(true);
    expect(ring.add(event(b))).toBe(true);
    expect(ring.add(event(c))).toBe(true); // created earlier, relayed later
    expect(ring.add(event(b))).toBe(false); // redelivered
    expect(ring.after(b).map((e) => e.id)).toEqual([c]);
    expect(ring.after(a).map((e) => e.id)).toEqual([b, c]);
    expect(ring.after(undefined)).toEqual([]);
    expect(ring.after('not-an-id')).toEqual([]);
  });

  it('resumes after an event it did not send live by creation time, with a margin: at least once', () => {
    const ring = new EventRing(10);
    const old = idAt(T - RESUME_MARGIN_MS - 1);
    const [seen, sameTime, later] = [idAt(T, 1), idAt(T - 1_000), idAt(T + 1_000)];
    for (const id of [old, sameTime, seen, later]) ring.add(event(id), false); // replayed at start-up
    expect(ring.after(seen).map((e) => e.id)).toEqual([sameTime, later]);
    // An id this gateway never held (another replica's, or dropped from the ring) works the same way.
    expect(ring.after(idAt(T, 9)).map((e) => e.id)).toEqual([sameTime, seen, later]);
  });

  it('keeps the newest events only', () => {
    const ring = new EventRing(2);
    [0, 1, 2, 3].forEach((n) => ring.add(event(idAt(T + n * 10_000))));
    expect(ring.size).toBe(2);
    expect(ring.after(idAt(T)).map((e) => e.id)).toEqual([idAt(T + 20_000), idAt(T + 30_000)]);
  });
});
