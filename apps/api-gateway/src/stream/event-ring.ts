/** One contribution event as the stream sends it. */
export interface StreamEvent {
  /** The envelope id (uuid v7): the SSE id, equal on every replica. */
  id: string;
  operationCode: string;
  /** The envelope as JSON, sent as the SSE data line. */
  data: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The creation time a uuid v7 carries (its first 48 bits, in ms); undefined for anything else. */
export function uuidTime(id: string): number | undefined {
  const value = id.toLowerCase();
  if (!UUID.test(value) || value[14] !== '7') return undefined;
  return parseInt(value.slice(0, 8) + value.slice(9, 13), 16);
}

/**
 * How a client that saw `lastEventId` resumes:
 * - `position`: this gateway sent that event live, so what it missed is exactly what arrived
 *   here after it;
 * - `time`: the event came before this gateway started (another replica, a restart): what it
 *   missed is what was created after it, less RESUME_MARGIN_MS, because events reach Kafka
 *   through outbox relays a little out of creation order. At least once: a client may see an
 *   event twice across a restart (it has the id to tell), never lose one;
 * - `none`: no id, or not one of ours: the live stream only.
 */
export type ResumeMode = { kind: 'position'; seq: number } | { kind: 'time'; since: number; lastEventId: string } | { kind: 'none' };

export const RESUME_MARGIN_MS = 5_000;

/**
 * The most recent events, in the order this gateway received them, each once (a redelivered
 * event is recognised by its id), with whether it came live or was replayed at start-up.
 */
export class EventRing {
  private readonly events: Array<StreamEvent & { seq: number; live: boolean }> = [];
  private readonly entries = new Map<string, { seq: number; live: boolean }>();
  private seq = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.events.length;
  }

  /** False when the event is already held (a duplicate). */
  add(event: StreamEvent, live = true): boolean {
    if (this.entries.has(event.id)) return false;
    const entry = { ...event, seq: ++this.seq, live };
    this.events.push(entry);
    this.entries.set(event.id, { seq: entry.seq, live });
    while (this.events.length > this.capacity) {
      const dropped = this.events.shift();
      if (dropped) this.entries.delete(dropped.id);
    }
    return true;
  }

  resumeMode(lastEventId: string | undefined): ResumeMode {
    if (!lastEventId) return { kind: 'none' };
    const entry = this.entries.get(lastEventId);
    if (entry?.live) return { kind: 'position', seq: entry.seq };
    const time = uuidTime(lastEventId);
    return time === undefined ? { kind: 'none' } : { kind: 'time', since: time - RESUME_MARGIN_MS, lastEventId: lastEventId.toLowerCase() };
  }

  /** Whether `event` is one a client resuming with `mode` has not seen. */
  static missed(mode: ResumeMode, event: StreamEvent, seq?: number): boolean {
    if (mode.kind === 'none') return false;
    if (mode.kind === 'position') return seq !== undefined && seq > mode.seq;
    return event.id !== mode.lastEventId && (uuidTime(event.id) ?? 0) >= mode.since;
  }

  /** What a client that saw `lastEventId` missed, of what the ring holds. */
  after(lastEventId: string | undefined): StreamEvent[] {
    const mode = this.resumeMode(lastEventId);
    return this.events.filter((e) => EventRing.missed(mode, e, e.seq)).map(({ id, operationCode, data }) => ({ id, operationCode, data }));
  }
}
