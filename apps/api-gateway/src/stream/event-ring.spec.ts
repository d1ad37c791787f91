import { EventRing, StreamEvent } from './event-ring';

const ids = ['0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002', '0190a000-0000-7000-8000-000000000003', '0190a000-0000-7000-8000-000000000004'];
const event = (id: string): StreamEvent => ({ id, operationCode: 'KAZ', data: `{"id":"${id}"}` });

describe('EventRing', () => {
  it('resumes after a known id, in arrival order, each event once', () => {
    const ring = new EventRing(10);
    expect(ring.add(event(ids[0]))).toBe(true);
    expect(ring.add(event(ids[2]))).toBe(true);
    expect(ring.add(event(ids[1]))).toBe(true); // arrived late (another partition)
    expect(ring.add(event(ids[2]))).toBe(false); // redelivered
    expect(ring.after(ids[2]).map((e) => e.id)).toEqual([ids[1]]);
    expect(ring.after(ids[0]).map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(ring.after(undefined)).toEqual([]);
  });

  it('for an id it no longer holds, sends what sorts after it (uuid v7 ids sort by time)', () => {
    const ring = new EventRing(2);
    ids.forEach((id) => ring.add(event(id)));
    expect(ring.size).toBe(2);
    expect(ring.after(ids[0]).map((e) => e.id)).toEqual([ids[2], ids[3]]);
    expect(ring.after('not-an-id')).toEqual([]);
  });
});
