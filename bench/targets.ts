// The targets the benchmark checks (docs/benchmark.md, Targets), computed from the results.
import type { BenchResults, RunResult, StateSize, StepName, StepResult, TargetResult } from "./types";
import { STEP_LABELS } from "./types";

/** Seconds with one decimal. */
export const s1 = (ms: number) => (ms / 1000).toFixed(1);
export const step = (r: RunResult | undefined, name: StepName): StepResult | undefined => r?.steps.find((x) => x.step === name);
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
export function stateSizes(results: BenchResults): StateSize[] {
  return [...results.runs.flatMap((r) => (r.state ? [r.state] : [])), ...(results.rosterState ?? [])];
}
