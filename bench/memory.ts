// Peak memory of the processes one engine run starts, read from /proc (Linux only).
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

function parentPids(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(name, "stat");
    if (!stat) continue;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  return children;
}

export function classify(cmdline: string[]): ProcessKind | undefined {
  const argv0 = cmdline[0] ?? "";
  if (argv0 === "pulumi" || argv0.endsWith("/pulumi")) return "pulumi";
  // The plugin script first runs `node -e "...require.resolve('@pulumi/pulumi/cmd/dynamic-provider')"`:
  // that short-lived process names the host too, but as code, not as the script to run.
  if (!cmdline.includes("-e") && cmdline.slice(1).some((a) => /cmd\/dynamic-provider(\/index\.js)?$/.test(a))) return "provider";
  return undefined;
}

export class MemorySampler {
  private timer?: NodeJS.Timeout;
  private readonly peaks = new Map<number, { kind: ProcessKind; kib: number }>();
  private programKiB = 0;

  constructor(private readonly intervalMs = 200) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): MemoryPeaks {
    clearInterval(this.timer);
    this.sample();
    const max = (kind: ProcessKind) => {
      const values = [...this.peaks.values()].filter((p) => p.kind === kind).map((p) => p.kib);
      return values.length === 0 ? null : mib(Math.max(...values));
    };
    const count = (kind: ProcessKind) => [...this.peaks.values()].filter((p) => p.kind === kind).length;
    return {
      pulumiMiB: max("pulumi"),
      providerMiB: max("provider"),
      programMiB: mib(this.programKiB),
      seen: { pulumi: count("pulumi"), provider: count("provider") },
    };
  }

  private sample(): void {
    const self = readProc("self", "status");
    if (self) this.programKiB = Math.max(this.programKiB, statusKiB(self, "VmRSS") ?? 0);
    const children = parentPids();
    const queue = [...(children.get(process.pid) ?? [])];
    while (queue.length > 0) {
      const pid = queue.pop()!;
      queue.push(...(children.get(pid) ?? []));
      let known = this.peaks.get(pid);
      if (!known) {
        const cmdline = readProc(pid, "cmdline");
        const kind = cmdline ? classify(cmdline.split("\0").filter(Boolean)) : undefined;
        if (!kind) continue;
        known = { kind, kib: 0 };
        this.peaks.set(pid, known);
      }
      const status = readProc(pid, "status");
      const hwm = status ? (statusKiB(status, "VmHWM") ?? statusKiB(status, "VmRSS")) : undefined;
      if (hwm !== undefined) known.kib = Math.max(known.kib, hwm);
    }
  }
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
