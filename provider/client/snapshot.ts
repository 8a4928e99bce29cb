/**
 * A list read once and served from memory to many readers. Concurrent first readers share one
 * in-flight load; a load started before an invalidation never repopulates the snapshot.
 *
 * Two ages: the TTL counts from when the list arrived, so a list that takes longer than the TTL
 * to read (10,000 agents are 100 pages, a minute at 100 requests a minute) still serves the reads
 * after it, instead of every reader after it starting the read again. A caller that bounds how
 * stale the list may be (the delete guard) passes maxAgeMs, counted from when the read started.
 */
export class Snapshot<T> {
  private value?: T;
  private loading?: Promise<T>;
  /** When the current value's read started, and when it arrived. */
  private startedAt = 0;
  private arrivedAt = 0;
  private generation = 0;
  /** Confirmed writes to lay over the answer of the load in flight (see patchAll). */
  private pending: ((v: T) => T)[] = [];

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
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
    const p = this.load().then(
      (answer) => {
        const v = this.generation === generation ? this.pending.reduce((acc, fn) => fn(acc), answer) : answer;
        if (this.generation === generation) {
          this.value = v;
          this.startedAt = startedAt;
          this.arrivedAt = Date.now();
          this.loading = undefined;
          this.pending = [];
        }
        return v;
      },
      (e: unknown) => {
        if (this.generation === generation) this.loading = undefined;
        throw e;
      },
    );
    this.loading = p;
    return p;
  }

  /** Replaces the snapshot with a list just read in full. */
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
  }

  /**
   * Applies a write the server confirmed. A load in flight may predate the write, so it is
   * dropped instead.
   */
  patch(fn: (v: T) => T): void {
    if (this.loading) return this.invalidate();
    if (this.value !== undefined) this.value = fn(this.value);
  }

  /**
   * Applies a confirmed write whose result is the same whether or not a load in flight saw it
   * (such as "the deleted agent holds nothing"): to the snapshot and to that load's answer, so
   * the load is kept instead of dropped.
   */
  patchAll(fn: (v: T) => T): void {
    if (this.loading) this.pending.push(fn);
    if (this.value !== undefined) this.value = fn(this.value);
  }
}
