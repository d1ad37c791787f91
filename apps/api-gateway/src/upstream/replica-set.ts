import { Dispatcher, Pool } from 'undici';

/** One instance of a service: its base URL and its keep-alive connections. */
export interface Replica {
  origin: string;
  pool: Pool;
  /** Until when it is skipped (epoch ms); 0 while it is taken to be up. */
  downUntil: number;
}

/** How a failed exchange with a replica ended, as far as resending it elsewhere is concerned. */
export type Failure = 'not-sent' | 'maybe-sent';

/**
 * Errors that prove the request never reached the service: the connection was refused or never
 * made. Anything else (a reset, a timeout waiting for the answer) may have come after the
 * service read the request, and perhaps acted on it.
 */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function failureOf(error: unknown): Failure {
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
  return NOT_SENT.has(code) ? 'not-sent' : 'maybe-sent';
}

/**
 * The replicas of one service, taken in turn (round robin). One that failed is skipped for
 * `skipMs` and then tried again; when every replica is being skipped, the one that has been
 * skipped longest is tried anyway, so a service that is back is found without waiting.
 */
export class ReplicaSet {
  readonly replicas: Replica[];
  private next = 0;

  constructor(
    origins: readonly string[],
    pool: (origin: string) => Pool,
    private readonly skipMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (origins.length === 0) throw new Error('a service needs at least one URL');
    this.replicas = origins.map((origin) => ({ origin, pool: pool(origin), downUntil: 0 }));
  }

  /** The replica to send to, other than those in `tried`; undefined when every one was tried. */
  pick(tried: ReadonlySet<Replica> = new Set()): Replica | undefined {
    const now = this.now();
    const candidates: Replica[] = [];
    for (let i = 0; i < this.replicas.length; i++) candidates.push(this.replicas[(this.next + i) % this.replicas.length] as Replica);
    const untried = candidates.filter((r) => !tried.has(r));
    const chosen = untried.find((r) => r.downUntil <= now) ?? untried.sort((a, b) => a.downUntil - b.downUntil)[0];
    if (chosen) this.next = (this.replicas.indexOf(chosen) + 1) % this.replicas.length;
    return chosen;
  }

  markDown(replica: Replica): void {
    replica.downUntil = this.now() + this.skipMs;
  }

  markUp(replica: Replica): void {
    replica.downUntil = 0;
  }

  get origins(): string {
    return this.replicas.map((r) => r.origin).join(',');
  }

  close(): Promise<unknown> {
    return Promise.all(this.replicas.map((r) => r.pool.close().catch(() => undefined)));
  }
}

/**
 * Whether a request may be sent to another replica after `failure`: always when it never left
 * (its body, if any, is still whole in memory); otherwise only a read, which changes nothing.
 * A write that may have arrived is not sent twice: PUT and DELETE would be harmless, POST
 * not (only its Idempotency-Key makes it so, and that is the client's to choose).
 */
export function mayResend(method: Dispatcher.HttpMethod, failure: Failure): boolean {
  return failure === 'not-sent' || method === 'GET' || method === 'HEAD';
}
