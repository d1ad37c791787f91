/** One contribution event as the stream sends it. */
export interface StreamEvent {
  /** The envelope id (uuid v7): the SSE id, equal on every replica. */
  id: string;
  operationCode: string;
  /** The envelope as JSON, sent as the SSE data line. */
  data: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The most recent events, in the order this gateway received them, each once (a redelivered
 * event is recognised by its id). `after(id)` is what a client that saw `id` missed: what came
 * after it here, or, for an id this gateway no longer (or never) held, every event whose id
 * sorts after it; uuid v7 ids sort by time, so that also works across replicas and restarts.
 */
export class EventRing {
  private readonly events: Array<StreamEvent & { seq: number }> = [];
  private readonly seqOf = new Map<string, number>();
  private seq = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.events.length;
  }

  /** False when the event is already held (a duplicate). */
  add(event: StreamEvent): boolean {
    if (this.seqOf.has(event.id)) return false;
    const entry = { ...event, seq: ++this.seq };
    this.events.push(entry);
    this.seqOf.set(event.id, entry.seq);
    while (this.events.length > this.capacity) {
      const dropped = this.events.shift();
      if (dropped) this.seqOf.delete(dropped.id);
    }
    return true;
  }

  has(id: string): boolean {
    return this.seqOf.has(id);
  }

  after(lastEventId: string | undefined): StreamEvent[] {
    if (!lastEventId) return [];
    const seq = this.seqOf.get(lastEventId);
    if (seq !== undefined) return this.events.filter((e) => e.seq > seq).map(strip);
    const id = lastEventId.toLowerCase();
    if (!UUID.test(id)) return [];
    return this.events.filter((e) => e.id > id).map(strip);
  }
}

function strip({ id, operationCode, data }: StreamEvent & { seq: number }): StreamEvent {
  return { id, operationCode, data };
}
