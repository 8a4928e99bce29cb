// Peak memory and CPU time of the processes one engine run starts, read from /proc (Linux only).
//
// Method: every `intervalMs`, read /proc/<pid>/stat for every process to get parent pids, walk
// the tree down from this process, and classify each descendant by its command line: the
// `pulumi` CLI (argv[0] ends in /pulumi or is "pulumi"), and the dynamic-provider host (a node
// process whose command line names @pulumi/pulumi's cmd/dynamic-provider; the plugin script
// `exec`s it, so it keeps the script's pid). For each one, /proc/<pid>/status VmHWM is the
// kernel's own peak resident set size of that process so far, so polling misses nothing but
// what happens after the last poll before the process exits. The peak of a kind is the largest
// VmHWM of any of its processes during the step. This process (the inline program and its
// language host) is sampled by VmRSS, since its VmHWM covers the whole benchmark.
//
// CPU time: /proc/<pid>/stat utime + stime (in clock ticks) of each classified process, the last
// value seen. Every step starts its own CLI and provider, so the last value is the step's own;
// what a process spends after the last poll before it exits (under one interval) is missed.
// This process's CPU time comes from process.cpuUsage(): it holds the inline program, its
// language host and the emulator.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

export type ProcessKind = "pulumi" | "provider";

export interface MemoryPeaks {
  /** Peak resident set size in MiB, or null when no such process was seen. */
  pulumiMiB: number | null;
  providerMiB: number | null;
  /** Largest VmRSS of the benchmark process itself (program + language host) during the step. */
  programMiB: number;
  /** Distinct processes seen, by kind. */
  seen: Record<ProcessKind, number>;
}

/** CPU time (user + system) during the step, in ms, summed over the processes of each kind. */
export interface CpuTimes {
  pulumiMs: number | null;
  providerMs: number | null;
  /** The benchmark process: inline program, language host and emulator. */
  benchProcessMs: number;
}

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_S = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100; // Linux's USER_HZ everywhere in practice
  }
})();

function readProc(pid: number | string, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined; // the process exited between the listing and the read
  }
}

function statusKiB(status: string, field: "VmHWM" | "VmRSS"): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return m ? Number(m[1]) : undefined;
}

/** Every process's children, and its CPU ticks (utime + stime), from one pass over /proc/<pid>/stat. */
function processTable(): { children: Map<number, number[]>; cpuTicks: Map<number, number> } {
  const children = new Map<number, number[]>();
  const cpuTicks = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(name, "stat");
    if (!stat) continue;
    // "pid (comm) state ppid ... utime stime ...": comm may hold spaces and parentheses, so split
    // after the last ")"; then state is field 3 of proc(5), ppid 4, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
    cpuTicks.set(Number(name), Number(fields[11]) + Number(fields[12]));
  }
  return { children, cpuTicks };
}

export function classify(cmdline: string[]): ProcessKind | undefined {
  const argv0 = cmdline[0] ?? "";
  if (argv0 === "pulumi" || argv0.endsWith("/pulumi")) return "pulumi";
  // The plugin script first runs `node -e "...require.resolve('@pulumi/pulumi/cmd/dynamic-provider')"`:
  // that short-lived process names the host too, but as code, not as the script to run.
  if (!cmdline.includes("-e") && cmdline.slice(1).some((a) => /cmd\/dynamic-provider(\/index\.js)?$/.test(a))) return "provider";
  return undefined;
}

export class ProcessSampler {
  private timer?: NodeJS.Timeout;
  private readonly seen = new Map<number, { kind: ProcessKind; kib: number; cpuTicks: number }>();
  private programKiB = 0;
  private benchCpuStart = process.cpuUsage();

  constructor(private readonly intervalMs = 200) {}

  start(): void {
    this.benchCpuStart = process.cpuUsage();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): { memory: MemoryPeaks; cpu: CpuTimes } {
    clearInterval(this.timer);
    this.sample();
    const benchCpu = process.cpuUsage(this.benchCpuStart);
    const ofKind = (kind: ProcessKind) => [...this.seen.values()].filter((p) => p.kind === kind);
    const maxMiB = (kind: ProcessKind) => (ofKind(kind).length === 0 ? null : mib(Math.max(...ofKind(kind).map((p) => p.kib))));
    const cpuMs = (kind: ProcessKind) =>
      ofKind(kind).length === 0 ? null : Math.round((ofKind(kind).reduce((sum, p) => sum + p.cpuTicks, 0) * 1000) / CLOCK_TICKS_PER_S);
    return {
      memory: {
        pulumiMiB: maxMiB("pulumi"),
        providerMiB: maxMiB("provider"),
        programMiB: mib(this.programKiB),
        seen: { pulumi: ofKind("pulumi").length, provider: ofKind("provider").length },
      },
      cpu: {
        pulumiMs: cpuMs("pulumi"),
        providerMs: cpuMs("provider"),
        benchProcessMs: Math.round((benchCpu.user + benchCpu.system) / 1000),
      },
    };
  }

  private sample(): void {
    const self = readProc("self", "status");
    if (self) this.programKiB = Math.max(this.programKiB, statusKiB(self, "VmRSS") ?? 0);
    const { children, cpuTicks } = processTable();
    const queue = [...(children.get(process.pid) ?? [])];
    while (queue.length > 0) {
      const pid = queue.pop()!;
      queue.push(...(children.get(pid) ?? []));
      let known = this.seen.get(pid);
      if (!known) {
        const cmdline = readProc(pid, "cmdline");
        const kind = cmdline ? classify(cmdline.split("\0").filter(Boolean)) : undefined;
        if (!kind) continue;
        known = { kind, kib: 0, cpuTicks: 0 };
        this.seen.set(pid, known);
      }
      known.cpuTicks = Math.max(known.cpuTicks, cpuTicks.get(pid) ?? 0);
      const status = readProc(pid, "status");
      const hwm = status ? (statusKiB(status, "VmHWM") ?? statusKiB(status, "VmRSS")) : undefined;
      if (hwm !== undefined) known.kib = Math.max(known.kib, hwm);
    }
  }
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
