/**
 * Optional persistence to a JSON data file. Writes are debounced (a burst of changes is one
 * write), asynchronous (no sync disk I/O on the request path) and atomic: a temp file in the
 * same directory, then rename, so a crash never leaves a half-written file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PersistedState, Store } from './state';

const DEBOUNCE_MS = 20;

export function loadDataFile(file: string): Store | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as PersistedState;
  if (data?.version !== 1 || !Array.isArray(data.accounts)) {
    throw new Error(`${file}: not a justcall-emulator data file (version 1)`);
  }
  return Store.fromData(data);
}

export class Persister {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => PersistedState,
    /** A failed background write must not crash the server; it is reported and retried on the next change. */
    private readonly onError: (err: unknown) => void = (err) => console.error('justcall-emulator: cannot write data file:', err),
  ) {}

  schedule(): void {
    this.dirty = true;
    if (!this.timer && !this.writing) this.timer = setTimeout(() => this.run().catch(this.onError), DEBOUNCE_MS);
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.writing) return;
    while (this.dirty) {
      this.dirty = false;
      this.writing = this.write(JSON.stringify(this.snapshot(), null, 2));
      try {
        await this.writing;
      } finally {
        this.writing = undefined;
      }
    }
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, this.file);
  }

  /** Writes any pending change now; called on close. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.writing) await this.writing.catch(() => {});
    await this.run();
  }
}
