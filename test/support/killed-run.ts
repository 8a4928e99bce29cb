// Killing a run as a user's machine does: SIGKILL of the `pulumi` CLI and its program (language
// host, node program), not of the provider process, which the CLI started in its own process
// group. The provider must then notice its engine is gone and exit by itself (engine-watch.ts).
import * as fs from "node:fs";
import type { RunningEmulator } from "../../emulator";
import { killProcessesWithPulumiHome, processesWithPulumiHome, TestProject } from "../../harness/engine";
import { until } from "./user-repo";

const isProvider = (pid: number): boolean => TestProject.commandLine(pid).includes("dynamic-provider");

/**
 * SIGKILLs every process with this PULUMI_HOME but the dynamic provider hosts. Returns the
 * command lines killed, and the pids of the providers running at the kill.
 */
export function killCliAndProgram(pulumiHome: string): { killed: string[]; providers: number[] } {
  const providers = processesWithPulumiHome(pulumiHome).filter(isProvider);
  const killed = killProcessesWithPulumiHome(pulumiHome, 10_000, isProvider).map((p) => p.command);
  return { killed, providers };
}

/**
 * Waits (up to `limitMs`) until no process of this PULUMI_HOME runs any more; fails naming those
 * left. A wait, not a timing claim: the provider's watcher looks every half second.
 */
export async function noProcessLeft(pulumiHome: string, limitMs = 15_000): Promise<void> {
  try {
    await until("every process of the killed run to exit", async () => processesWithPulumiHome(pulumiHome).length === 0, limitMs);
  } catch {
    const left = processesWithPulumiHome(pulumiHome).map((pid) => `${pid}: ${TestProject.commandLine(pid)}`);
    throw new Error(`processes of the killed run still running ${limitMs / 1000}s after the kill:\n${left.join("\n")}`);
  }
}

/** Whether `pid` is still running (not a zombie waiting to be reaped). */
export function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

/**
 * Requests in flight at a kill still land (the server finishes them): waits until the emulator's
 * request count stops moving, so what follows starts from a settled account.
 */
export async function settle(emu: RunningEmulator): Promise<void> {
  let last = -1;
  await until("the emulator to settle", async () => {
    const n = (await emu.admin.requests()).counters.total;
    const quiet = n === last;
    last = n;
    if (!quiet) await new Promise((resolve) => setTimeout(resolve, 700));
    return quiet;
  });
}
