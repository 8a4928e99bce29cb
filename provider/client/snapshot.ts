/**
 * A list read once and served from memory to many readers. Concurrent first readers share one
 * in-flight load; a load started before an invalidation never repopulates the snapshot.
 */
export class Snapshot<T> {
  private value?: T;
  private loading?: Promise<T>;
  private loadedAt = 0;
  private generation = 0;
  /** Confirmed writes to lay over the answer of the load in flight (see patchAll). */
  private pending: ((v: T) => T)[] = [];

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
  ) {}

  /**
   * The list, read at most `maxAgeMs` (default: the snapshot's TTL) before this call, counted from
   * when its read started; a read in flight is joined whatever its age.
   */
  get(maxAgeMs = this.ttlMs): Promise<T> {
    if (this.loading) return this.loading;
    if (this.value !== undefined && Date.now() - this.loadedAt < maxAgeMs) return Promise.resolve(this.value);
    const generation = ++this.generation;
    const startedAt = Date.now();
    this.pending = [];
    const p = this.load().then(
      (answer) => {
        const v = this.generation === generation ? this.pending.reduce((acc, fn) => fn(acc), answer) : answer;
        if (this.generation === generation) {
          this.value = v;
          this.loadedAt = startedAt;
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
    this.loadedAt = startedAt;
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
