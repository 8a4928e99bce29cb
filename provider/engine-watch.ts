// The provider process outliving its engine. The Pulumi CLI starts the dynamic provider host as
// a child in its own process group, so a `kill -9` of the CLI (a cancelled CI job, an OOM kill)
// does not reach it: the host then waits for RPCs forever, holding its memory (issue 27 saw ten
// such processes alive an hour later). It was started by the engine (the plugin script execs
// node), so its parent is the engine: when the parent changes, the engine is gone, nothing can
// record what the process would still do, and it exits. Writes check the same thing just before
// they are sent, so that none goes out between the engine's death and the watcher's next look.
import { processGlobal } from "./client/process-global";

/** How often the watcher looks: the process is gone within about this long after its engine. */
const WATCH_INTERVAL_MS = 500;

interface Watch {
  /** The parent at the first loadProvider: the engine. Undefined outside a provider process. */
  enginePid?: number;
}

function watch(): Watch {
  return processGlobal<Watch>("engine-watch", () => ({}));
}

/**
 * Whether the engine that started this process is gone, given its pid and the current parent.
 * A dead parent's children are handed to init (pid 1) or to the nearest subreaper: either way
 * the parent pid changes. Outside a provider process (no engine recorded) it never is.
 */
export function engineGone(enginePid: number | undefined, parentPid: number): boolean {
  return enginePid !== undefined && parentPid !== enginePid;
}

/** True when this provider process's engine has died (read fresh, not at the watcher's last look). */
export function engineIsGone(): boolean {
  return engineGone(watch().enginePid, process.ppid);
}

/**
 * Called by loadProvider, in the provider process: the first call records the engine and starts
 * the watcher. Unref'd, so it never keeps a process alive that would otherwise end.
 */
export function watchEngine(exit: (code: number) => void = (code) => process.exit(code)): void {
  const state = watch();
  if (state.enginePid !== undefined) return;
  state.enginePid = process.ppid;
  const timer = setInterval(() => {
    // Nothing to report to: the engine's end of stderr died with it.
    if (engineIsGone()) exit(1);
  }, WATCH_INTERVAL_MS);
  timer.unref();
}

/** Thrown instead of sending a write once the engine is gone. */
export class EngineGoneError extends Error {
  constructor(method: string, path: string) {
    super(`JustCall ${method} ${path} not sent: the Pulumi engine that started this provider is gone.`);
    this.name = "EngineGoneError";
  }
}

/** Before each write: refuses it when the engine is gone (nothing would record its result). */
export function refuseWriteWithoutEngine(method: string, path: string): void {
  if (method !== "GET" && engineIsGone()) throw new EngineGoneError(method, path);
}
