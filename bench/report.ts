// The markdown table and the targets of issues 8 and 17, computed from the results.
import {
  type BenchResults,
  type OverheadResult,
  type OverheadStep,
  type OverheadStepName,
  OVERHEAD_STEPS,
  type RunResult,
  type StateSize,
  type StepName,
  type StepResult,
  STEPS,
  STEP_LABELS,
  type TargetResult,
} from "./types";
import { numberCount, resourceCount } from "./workload";

const s1 = (ms: number) => (ms / 1000).toFixed(1);
const step = (r: RunResult | undefined, name: StepName): StepResult | undefined => r?.steps.find((x) => x.step === name);
const route = (s: StepResult | undefined, r: string) => s?.byRoute[r] ?? 0;

/** Calls the provider's check needs at preview for a new roster: one snapshot list of agents, teams and numbers. */
export function validationCalls(r: RunResult): number {
  // The bench account starts with no agents: one (empty) agent page; teams fit one page.
  return 1 + 1 + Math.ceil(r.numbersInAccount / 100);
}

export function evaluateTargets(results: BenchResults): TargetResult[] {
  const out: TargetResult[] = [];
  const sizes = [...new Set(results.runs.map((r) => r.n))];
  for (const n of sizes) {
    const snap = results.runs.find((r) => r.n === n && r.approach === "snapshot");
    const per = results.runs.find((r) => r.n === n && r.approach === "per-resource");
    if (!snap) continue;
    const agentPages = Math.ceil(n / 100);
    const numberPages = Math.ceil(snap.numbersInAccount / 100);
    for (const name of ["refresh", "driftRefresh"] as const) {
      const s = step(snap, name);
      const p = step(per, name);
      if (!s) continue;
      const lists = route(s, "GET /v1/agents");
      const others = s.calls - lists - route(s, "GET /v1/teams") - route(s, "GET /v1/phone-numbers");
      const allowed = agentPages + 1 + numberPages;
      const ratio = p && s.calls > 0 ? p.calls / s.calls : undefined;
      out.push({
        target: `${STEP_LABELS[name]}: at most ceil(N/100) agent-list calls plus team and number list pages`,
        n,
        met: lists <= agentPages && s.calls <= allowed && others === 0,
        measured:
          `${lists} agent-list calls (ceil(N/100) = ${agentPages}), ${route(s, "GET /v1/teams")} team and ${route(s, "GET /v1/phone-numbers")} number list calls, ` +
          `${others} other; ${s.calls} in all (allowed ${allowed})` +
          (ratio ? `; per-resource reads: ${p!.calls} calls, ${ratio.toFixed(0)}x more` : ""),
      });
    }
    const empty = step(snap, "emptyUp");
    if (empty) out.push({ target: "empty up: zero calls", n, met: empty.calls === 0, measured: `${empty.calls} calls` });
    const preview = step(snap, "preview");
    if (preview) {
      const need = validationCalls(snap);
      out.push({
        target: `preview: no calls beyond live validation (${need}: one agent list page for new agents' invite/adopt, one team list, ${numberPages} number list page(s))`,
        n,
        met: preview.calls <= need,
        measured: `${preview.calls} calls: ${Object.entries(preview.byRoute)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`,
      });
    }
    for (const name of ["up", "destroy"] as const) {
      const s = step(snap, name);
      if (!s?.throttled) continue;
      out.push({
        target: `${STEP_LABELS[name]}: wall time within 1.1 x floor, zero 429s`,
        n,
        met: s.rateLimited === 0 && s.wallOverFloor !== null && s.wallOverFloor <= 1.1,
        measured: `${s1(s.wallMs)} s for a floor of ${s1(s.floorMs)} s (${s.wallOverFloor}x), ${s.rateLimited} x 429`,
      });
    }
    const destroy = step(snap, "destroy");
    if (destroy?.changes.delete) {
      const perResource = destroy.calls / destroy.changes.delete;
      out.push({
        target: "destroy: at most 1.05 calls per deleted resource, zero 429s",
        n,
        met: perResource <= 1.05 && destroy.rateLimited === 0,
        measured: `${destroy.calls} calls for ${destroy.changes.delete} resources (${perResource.toFixed(2)} per resource), ${destroy.rateLimited} x 429`,
      });
    }
    for (const size of stateSizes(results).filter((x) => x.n === n)) {
      out.push({
        target: `state: at most 1,500 bytes per resource (${size.program === "roster" ? "roster stack" : "bench program"})`,
        n,
        met: size.bytesPerResource <= 1500,
        measured: `${size.bytesPerResource.toLocaleString("en-US")} bytes per resource (${size.bytes.toLocaleString("en-US")} for ${size.resources})`,
      });
    }
    const peak = (r: RunResult | undefined) => Math.max(0, ...(r?.steps ?? []).map((x) => x.memory.providerMiB ?? 0));
    if (n >= 1000) {
      const worst = Math.max(peak(snap), peak(per));
      out.push({
        target: "provider process peak memory under 300 MB",
        n,
        met: worst * 1.048576 < 300,
        measured: `snapshot ${peak(snap)} MiB, per-resource ${per ? `${peak(per)} MiB` : "not run"} (peak over all steps; 300 MB = 286 MiB)`,
      });
    }
  }
  return out;
}

/** Every state size measured: the bench program's (from its snapshot run) and the roster stack's. */
function stateSizes(results: BenchResults): StateSize[] {
  return [...results.runs.flatMap((r) => (r.state ? [r.state] : [])), ...(results.rosterState ?? [])];
}

function cell(s: StepResult | undefined, f: (s: StepResult) => string): string {
  return s ? f(s) : "–";
}

const wall = (s: StepResult) => (s.throttled ? s1(s.wallMs) : `(${s1(s.wallMs)} unthrottled)`);
const ratio = (s: StepResult) => (s.wallOverFloor === null ? "–" : s.wallOverFloor.toFixed(2));
const mem = (s: StepResult) => `${s.memory.providerMiB ?? "–"} / ${s.memory.pulumiMiB ?? "–"}`;

function sizeTable(results: BenchResults, n: number): string[] {
  const snap = results.runs.find((r) => r.n === n && r.approach === "snapshot");
  const per = results.runs.find((r) => r.n === n && r.approach === "per-resource");
  const lines = [
    `### N = ${n.toLocaleString("en-US")} agents (${(snap ?? per)!.resources.toLocaleString("en-US")} resources)${(snap ?? per)!.checkpoints ? "" : ", engine with PULUMI_SKIP_CHECKPOINTS=true"}`,
    "",
    "| Step | Calls snapshot | Calls per-resource | Ratio | 429s (s / p-r) | Wall s snapshot | Floor s | Wall/floor | Wall s per-resource | Floor s | Wall/floor | Peak MiB provider / pulumi (snapshot) | (per-resource) |",
    "| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: |",
  ];
  for (const name of STEPS) {
    const s = step(snap, name);
    const p = step(per, name);
    const r = s && p ? (s.calls === 0 ? (p.calls === 0 ? "1" : "∞") : (p.calls / s.calls).toFixed(1)) : "–";
    lines.push(
      `| ${STEP_LABELS[name]} | ${cell(s, (x) => String(x.calls))} | ${cell(p, (x) => String(x.calls))} | ${r} | ` +
        `${cell(s, (x) => String(x.rateLimited))} / ${cell(p, (x) => String(x.rateLimited))} | ` +
        `${cell(s, wall)} | ${cell(s, (x) => s1(x.floorMs))} | ${cell(s, ratio)} | ` +
        `${cell(p, wall)} | ${cell(p, (x) => s1(x.floorMs))} | ${cell(p, ratio)} | ${cell(s, mem)} | ${cell(p, mem)} |`,
    );
  }
  return lines;
}

function routeTable(r: RunResult): string[] {
  const routes = [...new Set(r.steps.flatMap((s) => Object.keys(s.byRoute)))].sort();
  const lines = [
    `#### N = ${r.n}, ${r.approach}`,
    "",
    `| Route | ${r.steps.map((s) => STEP_LABELS[s.step]).join(" | ")} |`,
    `| --- | ${r.steps.map(() => "---:").join(" | ")} |`,
  ];
  for (const rt of routes) lines.push(`| \`${rt}\` | ${r.steps.map((s) => s.byRoute[rt] ?? 0).join(" | ")} |`);
  lines.push(
    `| engine changes | ${r.steps
      .map((s) =>
        Object.entries(s.changes)
          .map(([k, v]) => `${k} ${v}`)
          .join(", "),
      )
      .join(" | ")} |`,
  );
  lines.push(`| load average after | ${r.steps.map((s) => s.loadavg.split(" ").slice(0, 3).join(" ")).join(" | ")} |`);
  lines.push(`| program (bench process) RSS MiB | ${r.steps.map((s) => s.memory.programMiB).join(" | ")} |`);
  if (r.note) lines.push("", r.note);
  return lines;
}

export function renderMarkdown(results: BenchResults, chartFile: string): string {
  const sizes = [...new Set(results.runs.map((r) => r.n))].sort((a, b) => a - b);
  const m = results.machine;
  const v = results.versions;
  const lines = [
    "# pulumi-justcall benchmark results",
    "",
    `Generated by \`${results.command}\` (bench/run.ts), ${results.startedAt.replace("T", " ").slice(0, 19)} UTC, ${results.durationS} s in all.`,
    "",
    `- Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, Linux ${m.kernel}`,
    `- Versions: Node ${v.node}, Pulumi CLI ${v.pulumiCli}, @pulumi/pulumi ${v["@pulumi/pulumi"]}, pulumi-justcall ${v["pulumi-justcall"]}, bottleneck ${v.bottleneck}, undici ${v.undici}, fastify ${v.fastify}`,
    `- Commit: ${results.git.commit.slice(0, 12)}${results.git.dirty ? " (with uncommitted changes in provider/, emulator/ or bench/)" : ""}`,
    `- Rate limit: ${results.rateLimit.limit} requests per ${results.rateLimit.windowMs / 1000} s on the emulator (the guide's 100 per minute, ten times faster), the provider told the same (\`justcall:rateLimit: ${results.rateLimit.providerConfig}\`). Floor = calls ÷ rate = calls × ${results.rateLimit.windowMs / results.rateLimit.limit} ms.`,
    `- Engine parallelism: ${results.parallel}`,
    `- Load average (1, 5, 15 min) at start: ${results.load.start}; at end: ${results.load.end}. Other engineers' tests share this machine, so wall times may be inflated.`,
    "",
    `![API calls and wall time per step against N](${chartFile})`,
    "",
    "Calls: API requests that used rate budget, from the emulator's request counters cleared before each step (429 answers are counted apart).",
    "Peak memory: VmHWM of the provider process (`dynamic-provider`) and of the `pulumi` CLI during the step, in MiB (see bench/memory.ts).",
    "Snapshot: `justcall:snapshot=true` (paginated lists shared by all reads, the default). Per-resource: `justcall:snapshot=false` (one GET or list per resource, as other providers do).",
    "",
    "## Results",
    "",
  ];
  for (const n of sizes) lines.push(...sizeTable(results, n), "");

  if (results.overhead.length > 0) lines.push(...overheadTable(results.overhead), ...projectionTable(results.overhead));

  const measuredStates = stateSizes(results);
  if (measuredStates.length > 0) {
    lines.push(
      "## State size",
      "",
      "`pulumi stack export` after the up that creates every resource, as compact JSON (the CLI prints it indented), divided by the resources the program declares. " +
        "Bench program: the program above (resources named `a<i>`). Roster stack: the same roster through the roster program (resources named by email, the roster guard).",
      "",
      "| N | Program | Resources | Bytes | Bytes per resource |",
      "| ---: | --- | ---: | ---: | ---: |",
    );
    for (const x of measuredStates) {
      lines.push(
        `| ${x.n} | ${x.program === "roster" ? "roster stack" : "bench program"} | ${x.resources} | ${x.bytes.toLocaleString("en-US")} | ${x.bytesPerResource.toLocaleString("en-US")} |`,
      );
    }
    lines.push("");
  }

  if (results.targets && results.targets.length > 0) {
    lines.push("## Targets (issues 8 and 17)", "", "| N | Target | Met | Measured |", "| ---: | --- | :---: | --- |");
    for (const t of results.targets) lines.push(`| ${t.n} | ${t.target} | ${t.met ? "yes" : "**no**"} | ${t.measured} |`);
    lines.push("");
  }

  lines.push("## Calls by route", "");
  for (const r of results.runs) lines.push(...routeTable(r), "");

  lines.push("## Checks", "", "| N | Approach | Check | OK | Detail |", "| ---: | --- | --- | :---: | --- |");
  for (const r of results.runs)
    for (const c of r.checks) lines.push(`| ${r.n} | ${r.approach} | ${c.what} | ${c.ok ? "yes" : "**no**"} | ${c.detail} |`);
  lines.push("");
  if (results.notes.length > 0) lines.push("## Notes", "", ...results.notes.map((n) => `- ${n}`), "");
  return lines.join("\n");
}

const f1 = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(1));

/**
 * The overhead runs, one row per step: wall time, and CPU time of the provider and of the CLI,
 * per resource. CPU can exceed wall (several threads) or fall short of it (waiting on the other).
 */
function overheadTable(overhead: OverheadResult[]): string[] {
  const lines = [
    "## Engine overhead (rate limit off)",
    "",
    "Up, refresh (no drift) and destroy with the emulator's rate limit off and the provider told a limit it never reaches: what the engine and provider cost without waiting. " +
      "Per resource = divided by the resources the program declares (2.1 N). Wall: the step's wall time. Provider CPU and CLI CPU: user + system CPU time of the dynamic-provider " +
      "process and of the `pulumi` CLI during the step (/proc/<pid>/stat, bench/memory.ts). State: `pulumi stack export` after the up, compact JSON. Peak: VmHWM.",
    "",
    "| N | Resources | Checkpoints | Step | Calls | Wall s | Wall ms/resource | Provider CPU ms/resource | CLI CPU ms/resource | State bytes/resource | Peak MiB provider / pulumi | Load (1 min) after |",
    "| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |",
  ];
  for (const o of overhead) {
    for (const name of OVERHEAD_STEPS) {
      const x: OverheadStep | undefined = o[name];
      if (!x) continue;
      const state = name === "up" && o.state ? o.state.bytesPerResource.toLocaleString("en-US") : "";
      lines.push(
        `| ${o.n} | ${o.resources} | ${o.checkpoints ? "every step (default)" : "skipped (PULUMI_SKIP_CHECKPOINTS)"} | ${name} | ${x.calls} | ${s1(x.wallMs)} | ${x.msPerResource} | ` +
          `${f1(x.providerCpuMsPerResource)} | ${f1(x.pulumiCpuMsPerResource)} | ${state} | ${x.memory.providerMiB ?? "–"} / ${x.memory.pulumiMiB ?? "–"} | ${x.loadavg?.split(" ")[0] ?? "–"} |`,
      );
    }
  }
  lines.push("");
  return lines;
}

/** JustCall's documented limit: 100 requests a minute per API key, 600 ms per request. */
const REAL_MS_PER_REQUEST = 600;
export const PROJECTED_SEATS = [1000, 5000, 10000];

export interface Projection {
  seats: number;
  step: OverheadStepName;
  checkpoints: boolean;
  calls: number;
  floorS: number;
  /** Engine and provider time without waiting, from the per-resource cost fitted against N. */
  overheadS: number;
  msPerResource: number;
  /**
   * The same fit of the `pulumi` CLI's CPU ms per resource: not slowed by other work on the
   * machine, as wall time is; the checkpoint writes are CLI CPU. Null for old results without CPU.
   */
  cliCpuMsPerResource: number | null;
  /** The projection with the CLI's CPU time as the overhead. */
  overFloorByCliCpu: number | null;
  /**
   * Up and destroy: max(floor, overhead), the engine works on finished resources while the
   * provider waits on the rate limiter for the next. Refresh: floor + overhead, every read
   * waits for the list pages (the floor) before the engine can go on.
   */
  projectedS: number;
  overFloor: number;
}

/**
 * Wall time at the real limit (100 requests a minute) for `PROJECTED_SEATS`, from the overhead
 * runs. Per-resource cost is taken as linear in N through the two largest N measured (flat when
 * it does not rise: a total linear in N; rising: quadratic), so the largest N decides. Calls:
 * up and destroy as measured per resource at the largest N; refresh one list page per 100
 * agents, one team list, one page per 100 numbers.
 */
export function projections(overhead: OverheadResult[]): Projection[] {
  const out: Projection[] = [];
  for (const checkpoints of [true, false]) {
    for (const step of OVERHEAD_STEPS) {
      const points = overhead
        .filter((o) => o.checkpoints === checkpoints && o[step])
        .sort((a, b) => a.n - b.n)
        .map((o) => ({ n: o.n, resources: o.resources, x: o[step]! }));
      if (points.length < 2) continue;
      const [p1, p2] = points.slice(-2);
      // Linear in N through the two largest N; never falling (a falling cost is start-up spread thinner).
      const linearFit = (y1: number, y2: number) => (seats: number) => y2 + Math.max(0, (y2 - y1) / (p2.n - p1.n)) * (seats - p2.n);
      const wallFit = linearFit(p1.x.msPerResource, p2.x.msPerResource);
      const cpu1 = p1.x.pulumiCpuMsPerResource;
      const cpu2 = p2.x.pulumiCpuMsPerResource;
      const cpuFit = cpu1 !== null && cpu1 !== undefined && cpu2 !== null && cpu2 !== undefined ? linearFit(cpu1, cpu2) : undefined;
      for (const seats of PROJECTED_SEATS) {
        const msPerResource = wallFit(seats);
        const resources = resourceCount(seats);
        const calls =
          step === "refresh"
            ? Math.ceil(seats / 100) + 1 + Math.ceil(numberCount(seats) / 100)
            : Math.round((p2.x.calls / p2.resources) * resources);
        const floorS = (calls * REAL_MS_PER_REQUEST) / 1000;
        const overheadS = (msPerResource * resources) / 1000;
        const project = (overhead: number) => (step === "refresh" ? floorS + overhead : Math.max(floorS, overhead));
        const projectedS = project(overheadS);
        const cliCpuMsPerResource = cpuFit ? cpuFit(seats) : null;
        const overFloorByCliCpu = cliCpuMsPerResource === null ? null : project((cliCpuMsPerResource * resources) / 1000) / floorS;
        out.push({
          seats,
          step,
          checkpoints,
          calls,
          floorS,
          overheadS,
          msPerResource,
          cliCpuMsPerResource,
          projectedS,
          overFloor: projectedS / floorS,
          overFloorByCliCpu,
        });
      }
    }
  }
  return out;
}

/** A ratio to the floor, bold past the 1.1 target. */
const ratioCell = (x: number) => (x <= 1.1 ? x.toFixed(2) : `**${x.toFixed(2)}**`);

const duration = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`);

function projectionTable(overhead: OverheadResult[]): string[] {
  const rows = projections(overhead);
  if (rows.length === 0) return [];
  const lines = [
    "## Projection at the real limit (100 requests a minute)",
    "",
    "Floor = calls × 600 ms. Engine overhead = the wall ms per resource of the overhead runs, taken as linear in N through the two largest N measured, × 2.1 N resources. " +
      "The last two columns do the same with the `pulumi` CLI's CPU ms per resource, which other work on the machine does not inflate (the CLI can use more than one core, so it can also exceed wall). " +
      "Projected: up and destroy max(floor, overhead), the engine works on finished resources while the provider waits on the rate limiter for the next; " +
      "refresh floor + overhead, every read waits for the list pages first (docs/benchmark.md, Engine overhead and large accounts, says why). " +
      "The refresh rows are a model only: `npm run bench:refresh` measures a refresh at the real rate, and finds them pessimistic (docs/benchmark.md, Refresh at the real rate).",
    "",
    "| Seats | Checkpoints | Step | Calls | Floor | Overhead ms/resource | Engine overhead | Projected | × floor | CLI CPU ms/resource | × floor by CLI CPU |",
    "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.seats.toLocaleString("en-US")} | ${r.checkpoints ? "every step" : "skipped"} | ${r.step} | ${r.calls.toLocaleString("en-US")} | ${duration(r.floorS)} | ` +
        `${r.msPerResource.toFixed(1)} | ${duration(r.overheadS)} | ${duration(r.projectedS)} | ${ratioCell(r.overFloor)} | ` +
        `${r.cliCpuMsPerResource === null ? "–" : r.cliCpuMsPerResource.toFixed(1)} | ${r.overFloorByCliCpu === null ? "–" : ratioCell(r.overFloorByCliCpu)} |`,
    );
  }
  lines.push("");
  return lines;
}
