/**
 * A list read once and served from memory to many readers. Concurrent first readers share one
 * in-flight load; a load started before an invalidation never repopulates the cache.
 *
 * Two ages: the TTL counts from when the list arrived, so a list that takes longer than the TTL
 * to read (10,000 agents are 100 pages, a minute at 100 requests a minute) still serves the reads
 * after it, instead of every reader after it starting the read again. A caller that bounds how
 * stale the list may be (the delete guard) passes maxAgeMs, counted from when the read started.
 *
 * A reader after one item of a list (find) has it as soon as the page holding it arrives, not
 * when the last page does: a refresh of 10,000 agents would otherwise hold every agent's read
 * (and the engine's work on it) until the 100th page, after the floor instead of under it.
 */
export class ListCache<T> {
  private value?: T;
  private loading?: Promise<T>;
  /** When the current value's read started, and when it arrived. */
  private startedAt = 0;
  private arrivedAt = 0;
  private generation = 0;
  /** Confirmed writes to lay over the answer of the load in flight (see patchAll). */
  private pending: ((v: T) => T)[] = [];
  /** Readers of the load in flight waiting for one item of it (see find). */
  private seekers: Seeker[] = [];
  /** The items the load in flight has received so far (arrays only; see find). */
  private received?: T;

  /** `load` may report what it has received so far through `progress` (a list, page by page). */
  constructor(
    private readonly ttlMs: number,
    private readonly load: (progress: (sofar: T) => void) => Promise<T>,
  ) {}

  /**
   * The list: served while it arrived less than the TTL ago, or, with `maxAgeMs`, while its read
   * started less than `maxAgeMs` before this call. A read in flight is joined whatever its age.
   */
  get(maxAgeMs?: number): Promise<T> {
    if (this.loading) return this.loading;
    const fresh = maxAgeMs === undefined ? Date.now() - this.arrivedAt < this.ttlMs : Date.now() - this.startedAt < maxAgeMs;
    if (this.value !== undefined && fresh) return Promise.resolve(this.value);
    const generation = ++this.generation;
    const startedAt = Date.now();
    this.pending = [];
    this.seekers = [];
    this.received = undefined;
    const p = this.load((sofar) => {
      if (this.generation !== generation) return;
      this.received = sofar;
      this.seek();
    }).then(
      (answer) => {
        const v = this.generation === generation ? this.pending.reduce((acc, fn) => fn(acc), answer) : answer;
        if (this.generation === generation) {
          this.value = v;
          this.startedAt = startedAt;
          this.arrivedAt = Date.now();
          this.loading = undefined;
          this.pending = [];
          this.seekers = [];
          this.received = undefined;
        }
        return v;
      },
      (e: unknown) => {
        if (this.generation === generation) {
          this.loading = undefined;
          this.seekers = [];
          this.received = undefined;
        }
        throw e;
      },
    );
    this.loading = p;
    return p;
  }

  /**
   * The first item of the list that matches, as `get(maxAgeMs).find(match)` would give it, but from a
   * load in flight as soon as the item has arrived. Only while no confirmed write waits to be laid
   * over that load (patchAll): the item could be one the write changes.
   */
  find<I>(this: ListCache<I[]>, match: (item: I) => boolean, maxAgeMs?: number): Promise<I | undefined> {
    const all = this.get(maxAgeMs);
    if (!this.loading) return all.then((list) => list.find(match));
    return new Promise<I | undefined>((resolve, reject) => {
      const seeker: Seeker = { match: match as (item: unknown) => boolean, scanned: 0, resolve: resolve as (item: unknown) => void };
      this.seekers.push(seeker);
      this.seek();
      all.then((list) => resolve(list.find(match)), reject);
    });
  }

  /** Hands each waiting reader its item if it arrived since it last looked. */
  private seek(): void {
    const items = this.received;
    if (this.seekers.length === 0 || !Array.isArray(items) || this.pending.length > 0) return;
    this.seekers = this.seekers.filter((s) => {
      for (; s.scanned < items.length; s.scanned++) {
        if (s.match(items[s.scanned])) {
          s.resolve(items[s.scanned]);
          return false;
        }
      }
      return true;
    });
  }

  /** Replaces the cached list with one just read in full. */
  set(v: T, startedAt: number): void {
    if (this.loading) return;
    this.generation++;
    this.value = v;
    this.startedAt = startedAt;
    this.arrivedAt = Date.now();
  }

  /** The current value, if any, without loading (may be stale). */
  peek(): T | undefined {
    return this.value;
  }

  invalidate(): void {
    this.generation++;
    this.value = undefined;
    this.loading = undefined;
    this.pending = [];
    this.seekers = [];
    this.received = undefined;
  }

  /**
   * Applies a write the server confirmed. A load in flight may predate the write, so it is
   * dropped instead.
   */
  patch(fn: (v: T) => T): void {
    if (this.loading) {
      this.invalidate();
      return;
    }
    if (this.value !== undefined) this.value = fn(this.value);
  }

  /**
   * Applies a confirmed write whose result is the same whether or not a load in flight saw it
   * (such as "the deleted agent holds nothing"): to the cached list and to that load's answer, so
   * the load is kept instead of dropped.
   */
  patchAll(fn: (v: T) => T): void {
    if (this.loading) this.pending.push(fn);
    if (this.value !== undefined) this.value = fn(this.value);
  }
}

/** A reader waiting for one item of a list being read; `scanned` items it has already looked at. */
interface Seeker {
  match: (item: unknown) => boolean;
  scanned: number;
  resolve: (item: unknown) => void;
}
