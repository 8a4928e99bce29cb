/**
 * Optional persistence to a JSON data file. Writes are debounced (a burst of changes is one
 * write), asynchronous (no sync disk I/O on the request path) and atomic: a temp file in the
 * same directory, then rename, so a crash never leaves a half-written file.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type PersistedState, storeFromData } from "./data-file";
import type { Store } from "./store";

const DEBOUNCE_MS = 20;

export function loadDataFile(file: string): Store | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, "utf8")) as PersistedState;
  if (data?.version !== 1 || !Array.isArray(data.accounts)) {
    throw new Error(`${file}: not a justcall-emulator data file (version 1)`);
  }
  return storeFromData(data);
}

export class Persister {
  private timer: NodeJS.Timeout | undefined;
  /** Every write runs after the previous one: one chain, so two writes never race on the temp file. */
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => PersistedState,
    /** A failed background write must not crash the server; it is reported and retried on the next change. */
    private readonly onError: (err: unknown) => void = (err) => console.error("justcall-emulator: cannot write data file:", err),
  ) {}

  schedule(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.enqueue().catch(this.onError);
    }, DEBOUNCE_MS);
  }

  /** Queues a write of the state as it is when the write starts (skipped if nothing changed). */
  private enqueue(): Promise<void> {
    this.chain = this.chain
      // A failed write was already reported (onError, or flush's caller); the next one still runs.
      .catch(() => {})
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        try {
          await this.write(JSON.stringify(this.snapshot(), null, 2));
        } catch (err) {
          this.dirty = true;
          throw err;
        }
      });
    return this.chain;
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, this.file);
  }

  /** Writes any pending change now and waits for every queued write; called on close. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.enqueue();
  }
}
