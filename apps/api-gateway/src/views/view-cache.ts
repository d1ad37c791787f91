import { PreparedAnswer } from '../cached-answers/prepared-answer';

/** One cached answer of the aggregator: a view for a (code, year, lang), the list of operations, or a data API list. */
export class CachedView extends PreparedAnswer {
  constructor(
    etag: string,
    body: Buffer | undefined,
    contentType: string,
    cacheControl: string,
    /** The view's version (meta.version); undefined for the operations list and the data API's answers. */
    readonly version?: number,
    headers?: Record<string, string>,
  ) {
    super(etag, body, contentType, cacheControl, headers);
  }
}

interface Entry {
  code: string;
  value: CachedView;
  storedAt: number;
  /** `placements` when it was stored or last moved to the end. */
  placedAt: number;
}

export const LIST_CODE = '*';
/** The data API's answers (lists across operations): any operation's change may change them. */
export const DATA_CODE = '*data';

/**
 * Views by (code, year, lang), bounded (least recently used leaves first) and dropped when
 * the aggregator says an operation changed. Concurrent misses for one key share one fetch.
 * A fetch that was in flight when its operation changed is not stored, and neither is a view
 * older than the newest version an event announced, so a late answer never re-caches the
 * past. Disabled (every read goes through) while the events that invalidate are not flowing.
 */
export class ViewCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, { code: string; promise: Promise<CachedView | undefined> }>();
  private readonly generations = new Map<string, number>();
  private readonly announced = new Map<string, number>();
  private epoch = 0;
  private enabled = false;
  /** Entries placed last so far (stored or moved): how far back in the LRU order an entry stands. */
  private placements = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  static key(code: string, year: string, lang: string): string {
    return `${code}|${year}|${lang}`;
  }

  get size(): number {
    return this.entries.size;
  }

  isEnabled(): boolean {
    return this.enabled && this.maxEntries > 0;
  }

  /** Enabling or disabling always empties it: while disabled, changes may have been missed. */
  setEnabled(enabled: boolean): void {
    if (enabled !== this.enabled) this.clear();
    this.enabled = enabled;
  }

  /**
   * The cached answer for `key`, or `load()`'s, stored when `load` says it may be (a 200) and
   * nothing invalidated the operation meanwhile. Undefined values pass through uncached.
   */
  async get(key: string, code: string, load: () => Promise<{ value: CachedView; cacheable: boolean }>): Promise<CachedView> {
    if (!this.isEnabled()) return (await load()).value;
    const hit = this.lookup(key);
    if (hit) return hit;
    this.misses++;
    const shared = this.inflight.get(key);
    if (shared) {
      const value = await shared.promise;
      if (value) return value;
    }
    const since = this.mark(code);
    let result: { value: CachedView; cacheable: boolean } | undefined;
    const promise = load().then((r) => {
      result = r;
      return r.cacheable ? r.value : undefined;
    });
    this.inflight.set(key, { code, promise });
    try {
      await promise;
    } finally {
      if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
    }
    const { value, cacheable } = result as { value: CachedView; cacheable: boolean };
    if (cacheable) this.storeIfCurrent(key, code, value, since);
    return value;
  }

  /**
   * Runs `load` and stores what it returns, if anything, when nothing invalidated the operation
   * meanwhile; counted as a miss. Unlike get(), concurrent callers do not wait for each other:
   * `load` answers its own client (a CSV export streamed through), and what it keeps is only
   * the answer's validator.
   */
  async keep(key: string, code: string, load: () => Promise<CachedView | undefined>): Promise<void> {
    if (!this.isEnabled()) {
      await load();
      return;
    }
    this.misses++;
    const since = this.mark(code);
    const value = await load();
    if (value) this.storeIfCurrent(key, code, value, since);
  }

  /**
   * The fresh cached answer for `key`, if there is one that can answer a request with this
   * If-None-Match (a validator alone answers only a 304: PreparedAnswer.answers); nothing is
   * loaded. Only keys the gateway built from validated parts (or queries the aggregator
   * accepted) are ever stored, so any other string simply misses.
   */
  lookup(key: string, ifNoneMatch?: string | string[]): CachedView | undefined {
    if (!this.isEnabled()) return undefined;
    const entry = this.entries.get(key);
    if (!entry || !entry.value.answers(ifNoneMatch)) return undefined;
    if (this.ttlMs !== 0 && this.now() - entry.storedAt >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last, but moved only once it is in the older half: a hot entry read
    // thousands of times a second would otherwise cost a Map delete and insert per read. One
    // not moved has at most half the entries placed after it, so it is still far from eviction.
    if (this.placements - entry.placedAt >= this.maxEntries / 2) {
      this.entries.delete(key);
      entry.placedAt = ++this.placements;
      this.entries.set(key, entry);
    }
    this.hits++;
    return entry.value;
  }

  /** operation-view.updated: drops the operation's views, the list (whose years changed) and the data API's answers. */
  invalidate(code: string, version?: number): void {
    for (const c of [code, LIST_CODE, DATA_CODE]) {
      this.generations.set(c, (this.generations.get(c) ?? 0) + 1);
      for (const [key, entry] of this.entries) if (entry.code === c) this.entries.delete(key);
      for (const [key, flight] of this.inflight) if (flight.code === c) this.inflight.delete(key);
    }
    if (version !== undefined && version > (this.announced.get(code) ?? 0)) this.announced.set(code, version);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.inflight.clear();
  }

  /** Where the cache stands for `code` before a load: storeIfCurrent compares with it after. */
  private mark(code: string): { epoch: number; generation: number } {
    return { epoch: this.epoch, generation: this.generations.get(code) ?? 0 };
  }

  /** Stores a loaded answer unless it was invalidated while loading, or is older than a version an event announced. */
  private storeIfCurrent(key: string, code: string, value: CachedView, since: { epoch: number; generation: number }): void {
    const unchanged = since.epoch === this.epoch && since.generation === (this.generations.get(code) ?? 0);
    const current = value.version === undefined || value.version >= (this.announced.get(code) ?? 0);
    if (unchanged && current && this.isEnabled()) this.store(key, code, value);
  }

  private store(key: string, code: string, value: CachedView): void {
    this.entries.delete(key);
    this.entries.set(key, { code, value, storedAt: this.now(), placedAt: ++this.placements });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
