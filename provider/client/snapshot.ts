/**
 * A list read once and served from memory to many readers. Concurrent first readers share one
 * in-flight load; a load started before an invalidation never repopulates the snapshot.
 */
export class Snapshot<T> {
  private value?: T;
  private loading?: Promise<T>;
  private loadedAt = 0;
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    if (this.loading) return this.loading;
    if (this.value !== undefined && Date.now() - this.loadedAt < this.ttlMs) return Promise.resolve(this.value);
    const generation = ++this.generation;
    const startedAt = Date.now();
    const p = this.load().then(
      (v) => {
        if (this.generation === generation) {
          this.value = v;
          this.loadedAt = startedAt;
          this.loading = undefined;
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
  }

  /**
   * Applies a write the server confirmed. A load in flight may predate the write, so it is
   * dropped instead.
   */
  patch(fn: (v: T) => T): void {
    if (this.loading) return this.invalidate();
    if (this.value !== undefined) this.value = fn(this.value);
  }
}
