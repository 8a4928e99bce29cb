// npm run bench [-- --sizes 100,1000] [--approaches snapshot,per-resource] [--no-overhead]
// npm run bench -- --overhead-only --sizes 100,1000,5000   (the engine alone, rate limit off)
//
// Runs the roster lifecycle on the real Pulumi engine against the emulator with its rate limit
// scaled in time (100 requests per 6 s), and writes bench/results/. See docs/benchmark.md.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { TestProject } from "../harness/engine";
import { renderChart } from "./chart";
import { DEFAULT_SIZES, log, parseArgs, type Options } from "./cli";
import { renderMarkdown } from "./report";
import { evaluateTargets } from "./targets";
import { combine, git, loadavg, render, versions } from "./results-file";
import { config, engineEnv, engineOptions, measure, RATE, RATE_CONFIG, stateSize, summary, UNLIMITED_CONFIG } from "./steps";
import {
  type Approach,
  type BenchResults,
  type OverheadResult,
  type OverheadStep,
  type RunResult,
  type StateSize,
  type StepName,
  STEPS,
} from "./types";
import { benchProgram, benchRoster, benchRosterData, benchSeed, isDrifted, numberCount, resourceCount } from "./workload";
import { rosterStack } from "../roster";

async function lifecycle(n: number, approach: Approach, o: Options): Promise<RunResult> {
  const emu = await startEmulator({ rateLimit: RATE, seed: benchSeed(n) });
  const checkpoints = n < o.skipCheckpointsFrom;
  const project = await TestProject.create(`bench-${n}-${approach}`, { env: engineEnv(checkpoints) });
  const resources = resourceCount(n);
  const run: RunResult = { n, approach, resources, numbersInAccount: numberCount(n), checkpoints, steps: [], checks: [] };
  const check = (what: string, ok: boolean, detail: string) => run.checks.push({ what, ok, detail });
  const unthrottled = new Set(approach === "per-resource" && n >= o.unthrottleFrom ? o.unthrottledSteps : []);
  try {
    let stack: Stack = await project.stack(benchProgram(benchRoster(n)), config(emu, approach, RATE_CONFIG));
    const step = async (name: StepName, op: () => Promise<Record<string, number>>) => {
      const throttled = !unthrottled.has(name);
      if (!throttled) {
        await emu.admin.setRateLimit(false);
        await stack.setConfig("justcall:rateLimit", { value: UNLIMITED_CONFIG });
      }
      log(`N=${n} ${approach}: ${name}${throttled ? "" : " (rate limit off)"}`);
      const result = await measure(emu, name, throttled, op);
      if (!throttled) {
        await emu.admin.setRateLimit(RATE);
        await stack.setConfig("justcall:rateLimit", { value: RATE_CONFIG });
        result.note =
          "run with the rate limit off (emulator and provider) to keep the whole benchmark under 30 minutes: calls are exact, the wall time is not at the rate";
      }
      log(
        `  ${result.calls} calls, ${result.rateLimited} x 429, ${(result.wallMs / 1000).toFixed(1)} s (floor ${(result.floorMs / 1000).toFixed(1)} s), ` +
          `provider ${result.memory.providerMiB} MiB, pulumi ${result.memory.pulumiMiB} MiB; ${JSON.stringify(result.changes)}`,
      );
      run.steps.push(result);
      return result;
    };

    if (o.steps.has("preview")) {
      const preview = await step("preview", async () => summary((await stack.preview(engineOptions(o))).changeSummary));
      check("preview plans every create", preview.changes.create === resources + 1, JSON.stringify(preview.changes));
    }

    const up = await step("up", async () => summary((await stack.up(engineOptions(o))).summary.resourceChanges));
    check("up creates every resource", up.changes.create === resources + 1, JSON.stringify(up.changes));
    if (approach === "snapshot") run.state = await stateSize(stack, n, "bench", resources);
    const account = async () => (await emu.admin.state()).accounts[0];
    {
      const a = await account();
      const members = a.teams.reduce((sum, t) => sum + t.agents.length, 0);
      const held = a.numbers.filter((x) => x.assigned_to !== null).length;
      check(
        "account matches the roster after up",
        a.agents.length === n && members === n && held === Math.ceil(n / 10),
        `${a.agents.length} agents, ${members} memberships, ${held} numbers held`,
      );
    }

    if (o.steps.has("emptyUp")) {
      const empty = await step("emptyUp", async () => summary((await stack.up(engineOptions(o))).summary.resourceChanges));
      check(
        "empty up changes nothing",
        Object.keys(empty.changes).every((k) => k === "same"),
        JSON.stringify(empty.changes),
      );
    }

    if (o.steps.has("refresh")) {
      const refresh = await step("refresh", async () => summary((await stack.refresh(engineOptions(o))).summary.resourceChanges));
      check("refresh without drift finds none", !refresh.changes.update && !refresh.changes.delete, JSON.stringify(refresh.changes));
    }

    if (o.steps.has("driftRefresh")) {
      const ids = new Map((await account()).agents.map((x) => [x.email, x.id]));
      const drifted = benchRoster(n).filter((a) => isDrifted(a.index));
      for (const a of drifted) await emu.admin.editAgent(ids.get(a.email)!, { lastname: `Dashboard${a.index}` });
      const drift = await step("driftRefresh", async () => summary((await stack.refresh(engineOptions(o))).summary.resourceChanges));
      check(
        "refresh sees every drifted agent",
        drift.changes.update === drifted.length,
        `${drifted.length} edited out of band; ${JSON.stringify(drift.changes)}`,
      );
    }

    if (o.steps.has("changeUp")) {
      stack = await project.stack(benchProgram(benchRoster(n, "changed")), config(emu, approach, RATE_CONFIG));
      const change = await step("changeUp", async () => summary((await stack.up(engineOptions(o))).summary.resourceChanges));
      check(
        "up updates 10% of agents (drifted ones included)",
        change.changes.update === Math.ceil(n / 10),
        JSON.stringify(change.changes),
      );
      const updates = change.byRoute["POST /v1/agents/{id}"] ?? 0;
      check("one update call per changed agent", updates === Math.ceil(n / 10), `${updates} agent update calls`);
    }

    if (o.steps.has("destroy")) {
      const destroy = await step("destroy", async () => summary((await stack.destroy(engineOptions(o))).summary.resourceChanges));
      check("destroy deletes every resource", destroy.changes.delete === resources + 1, JSON.stringify(destroy.changes));
      const a = await account();
      check("account is empty after destroy", a.agents.length === 0, `${a.agents.length} agents left`);
    }
  } finally {
    await project.cleanup();
    await emu.close();
  }
  if (unthrottled.size > 0) {
    run.note =
      `Steps ${[...unthrottled].join(", ")} ran with the rate limit off: at 100 requests per 6 s they would take ` +
      "their floor or more, which does not fit the 30-minute budget beside the other runs. Their call counts are exact.";
  }
  return run;
}

/**
 * The engine alone: the same up, a refresh with no drift, and the destroy, with no rate limit
 * anywhere (snapshot reads), and the state size after the up. Per resource: wall time, and the
 * CPU time of the provider process and of the `pulumi` CLI (bench/memory.ts).
 */
async function overhead(n: number, o: Options, checkpoints: boolean): Promise<OverheadResult> {
  const emu = await startEmulator({ rateLimit: false, seed: benchSeed(n) });
  const project = await TestProject.create(`bench-${n}-overhead`, { env: engineEnv(checkpoints) });
  const resources = resourceCount(n);
  const perResource = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : Math.round((ms / resources) * 10) / 10);
  const label = `N=${n} engine overhead${checkpoints ? "" : " (PULUMI_SKIP_CHECKPOINTS)"}`;
  const run = async (name: "up" | "refresh" | "destroy", op: () => Promise<Record<string, number>>): Promise<OverheadStep> => {
    log(`${label}: ${name} with the rate limit off`);
    const r = await measure(emu, name, false, op);
    const result: OverheadStep = {
      wallMs: r.wallMs,
      calls: r.calls,
      msPerResource: perResource(r.wallMs)!,
      providerCpuMsPerResource: perResource(r.cpu?.providerMs),
      pulumiCpuMsPerResource: perResource(r.cpu?.pulumiMs),
      memory: r.memory,
      cpu: r.cpu,
      loadavg: r.loadavg,
    };
    log(
      `  ${(r.wallMs / 1000).toFixed(1)} s = ${result.msPerResource} ms/resource; CPU ms/resource provider ${result.providerCpuMsPerResource}, ` +
        `pulumi ${result.pulumiCpuMsPerResource}; ${r.calls} calls; peak MiB provider ${r.memory.providerMiB}, pulumi ${r.memory.pulumiMiB}; load ${r.loadavg}`,
    );
    return result;
  };
  try {
    const stack = await project.stack(benchProgram(benchRoster(n)), config(emu, "snapshot", UNLIMITED_CONFIG));
    const up = await run("up", async () => summary((await stack.up(engineOptions(o))).summary.resourceChanges));
    const state = await stateSize(stack, n, "bench", resources);
    log(`  state after up: ${state.bytesPerResource} bytes per resource`);
    const refresh = await run("refresh", async () => summary((await stack.refresh(engineOptions(o))).summary.resourceChanges));
    const destroy = await run("destroy", async () => summary((await stack.destroy(engineOptions(o))).summary.resourceChanges));
    return { n, resources, checkpoints, up, refresh, destroy, state };
  } finally {
    await project.cleanup();
    await emu.close();
  }
}

/**
 * The same roster as a roster stack (the roster program with its guard, `deletedWith` and
 * `retainOnDelete`, resources named by email), created with the rate limit off: its state size.
 */
async function rosterState(n: number, o: Options): Promise<StateSize> {
  const emu = await startEmulator({ rateLimit: false, seed: benchSeed(n) });
  const project = await TestProject.create(`bench-${n}-roster-state`);
  try {
    const stack = await project.stack(() => rosterStack({ roster: benchRosterData(n) }), config(emu, "snapshot", UNLIMITED_CONFIG));
    log(`N=${n} roster stack: up with the rate limit off, for its state size`);
    const up = await stack.up(engineOptions(o));
    const declared = Object.entries(up.summary.resourceChanges ?? {}).reduce((sum, [, v]) => sum + (v ?? 0), 0) - 1;
    const size = await stateSize(stack, n, "roster", declared);
    log(`  ${size.bytesPerResource} bytes of state per resource (${declared} resources)`);
    return size;
  } finally {
    await project.cleanup();
    await emu.close();
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.render) return render(o.render);
  if (o.combine) return combine(o.combine, o.into!);
  const started = new Date();
  const results: BenchResults = {
    startedAt: started.toISOString(),
    finishedAt: "",
    durationS: 0,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    rateLimit: { ...RATE, providerConfig: RATE_CONFIG },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      kernel: os.release(),
      platform: `${os.platform()} ${os.arch()}`,
    },
    versions: versions(),
    git: git(),
    load: { start: loadavg(), end: "" },
    // The CLI's default is 4 x the CPUs it sees (pulumi/pulumi#15016; `pulumi up --help` shows it).
    parallel:
      o.parallel === undefined
        ? `engine default (--parallel not set: 4 × ${os.cpus().length} cores = ${4 * os.cpus().length})`
        : `--parallel ${o.parallel}`,
    runs: [],
    overhead: [],
    notes: [],
  };
  log(
    `sizes ${o.sizes.join(", ")}; ${o.overheadOnly ? "overhead only" : `approaches ${o.approaches.join(", ")}`}; load ${results.load.start}`,
  );

  const full =
    o.sizes.join(",") === DEFAULT_SIZES.join(",") &&
    o.approaches.length === 2 &&
    o.overhead &&
    !o.overheadOnly &&
    o.steps.size === STEPS.length;
  const stamp = started.toISOString().replace(/:/g, "").replace(/\..*$/, "");
  const base = full ? "latest" : "quick";
  const dated = `${stamp}${o.overheadOnly ? "-overhead" : ""}-N${o.sizes.join("-")}`;
  // Written after every size too, so that a long run stopped part way keeps what it measured.
  const save = (done: boolean) => {
    const now = new Date();
    results.finishedAt = done ? now.toISOString() : "";
    results.durationS = Math.round((now.getTime() - started.getTime()) / 1000);
    results.load.end = loadavg();
    results.targets = evaluateTargets(results);
    fs.mkdirSync(o.out, { recursive: true });
    const svg = renderChart(results);
    for (const name of [base, dated]) {
      fs.writeFileSync(path.join(o.out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
      fs.writeFileSync(path.join(o.out, `${name}.svg`), svg);
      fs.writeFileSync(path.join(o.out, `${name}.md`), renderMarkdown(results, `${name}.svg`));
    }
  };

  for (const n of o.sizes) {
    if (o.overheadOnly) {
      // The default file backend, checkpoints on; then without them, to tell their cost apart.
      results.overhead.push(await overhead(n, o, true));
      save(false);
      results.overhead.push(await overhead(n, o, false));
      save(false);
      continue;
    }
    for (const approach of o.approaches) results.runs.push(await lifecycle(n, approach, o));
    if (o.rosterState) (results.rosterState ??= []).push(await rosterState(n, o));
    if (o.overhead) {
      const checkpoints = n < o.skipCheckpointsFrom;
      results.overhead.push(await overhead(n, o, checkpoints));
      if (checkpoints) results.overhead.push(await overhead(n, o, false));
    }
    save(false);
  }
  if (!o.overheadOnly && o.sizes.some((n) => n >= o.skipCheckpointsFrom)) {
    results.notes.push(
      `From N = ${o.skipCheckpointsFrom} on, the engine ran with PULUMI_SKIP_CHECKPOINTS=true. With the default file backend the engine ` +
        "rewrites the whole state (see the state size table) " +
        "after every step, so an up costs O(N^2) bytes of state writes; the overhead table shows its cost at the smaller N. " +
        "API calls do not depend on it.",
    );
  }
  if (
    !o.overheadOnly &&
    o.approaches.includes("per-resource") &&
    o.unthrottledSteps.length > 0 &&
    o.sizes.some((n) => n >= o.unthrottleFrom)
  ) {
    results.notes.push(
      `Per-resource reads at N >= ${o.unthrottleFrom}: the steps ${o.unthrottledSteps.join(", ")} ran with the rate limit off, to keep the run ` +
        "under 30 minutes; their call counts are exact and their floor is given, their wall time is not at the rate.",
    );
  }
  if (o.steps.size < STEPS.length && !o.overheadOnly) {
    results.notes.push(
      `Only the steps ${[...o.steps].join(", ")} ran (--steps); the roster stack's state size ${o.rosterState ? "was" : "was not"} measured.`,
    );
  }
  save(true);
  log(`done in ${results.durationS} s; wrote ${path.join(o.out, base)}.{json,md,svg} and ${dated}.*`);
  const failed = results.runs.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `N=${r.n} ${r.approach}: ${c.what}: ${c.detail}`));
  for (const f of failed) log(`CHECK FAILED ${f}`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
