// The provider process outliving its engine. The Pulumi CLI starts the dynamic provider host as
// a child in its own process group, so a `kill -9` of the CLI (a cancelled CI job, an OOM kill)
// does not reach it: the host then waits for RPCs forever, holding its memory (issue 27 saw ten
// such processes alive an hour later). The engine is the parent, or, with the plugin script
// Pulumi ships (`node ... $@` inside an `if`, not exec'd), the shell's parent. When it dies,
// nothing can record what this process would still do: it exits. Writes check the same thing
// just before they are sent, so that none goes out between the engine's death and the watcher's
// next look.
import * as fs from "node:fs";
import { processGlobal } from "./client/process-global";

/** How often the watcher looks: the process is gone within about this long after its engine. */
const WATCH_INTERVAL_MS = 500;

/** Shells a plugin script runs in: their parent is the engine. */
const SHELLS = new Set(["sh", "dash", "bash", "ash", "zsh"]);

/** What the first loadProvider found. Both undefined outside a provider process. */
interface Watch {
  /** This process's parent then: a change means it died (the orphan goes to init or a subreaper). */
  parentPid?: number;
  /** The engine's pid, when the parent is a shell wrapping this process (Linux only). */
  enginePid?: number;
}

/** What is true now, for engineGone. */
export interface Now {
  parentPid: number;
  /** Whether the recorded engine pid still runs (true when none was recorded). */
  engineRunning: boolean;
}

function watch(): Watch {
  return processGlobal<Watch>("engine-watch", () => ({}));
}

/** Whether the engine that started this process is gone. Outside a provider process, never. */
export function engineGone(recorded: Watch, now: Now): boolean {
  if (recorded.parentPid === undefined) return false;
  return now.parentPid !== recorded.parentPid || !now.engineRunning;
}

/** `pid`'s command name and parent, from /proc; undefined when it has gone (or no /proc). */
function procStat(pid: number): { comm: string; ppid: number; zombie: boolean } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    const close = stat.lastIndexOf(")");
    const [state, ppid] = stat.slice(close + 2).split(" ");
    return { comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(ppid), zombie: state === "Z" };
  } catch {
    return undefined;
  }
}

function now(recorded: Watch): Now {
  if (recorded.enginePid === undefined) return { parentPid: process.ppid, engineRunning: true };
  const engine = procStat(recorded.enginePid);
  // A killed engine stays a zombie until its own parent reaps it: dead all the same.
  return { parentPid: process.ppid, engineRunning: engine !== undefined && !engine.zombie };
}

/** True when this provider process's engine has died (read fresh, not at the watcher's last look). */
export function engineIsGone(): boolean {
  const recorded = watch();
  return engineGone(recorded, now(recorded));
}

/**
 * Called by loadProvider, in the provider process: the first call records the engine and starts
 * the watcher. Unref'd, so it never keeps a process alive that would otherwise end.
 */
export function watchEngine(exit: (code: number) => void = (code) => process.exit(code)): void {
  const state = watch();
  if (state.parentPid !== undefined) return;
  state.parentPid = process.ppid;
  const parent = procStat(process.ppid);
  if (parent && SHELLS.has(parent.comm)) state.enginePid = parent.ppid;
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
