// npm run bench:refresh [-- --sizes 1000,10000]
//
// A refresh with no drift at JustCall's real rate (100 requests a minute, not the benchmark's
// scaled 100 per 6 s), on the default file backend with checkpoints: does the engine's work on
// each resource hide under the list reads, or come after them? The account is created first with
// the rate limit off and checkpoints skipped (that up is set-up, not measured). Writes
// bench/results/<UTC timestamp>-refresh-N<sizes>.{json,md}. See docs/benchmark.md.
import { startEmulator } from "../emulator";
import { parseRateLimit } from "../provider/settings";
import { TestProject } from "../harness/engine";
import { log } from "./cli";
import { loadavg, provenanceLine, runBySize, type SizeRunResults, sizesAndRate } from "./results-file";
import { config, measure, summary, UNLIMITED_CONFIG } from "./steps";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { StepResult } from "./types";
import { benchProgram, benchRoster, benchSeed, resourceCount } from "./workload";

/** The guide's limit; `--rate 10/6s` tries another (the same shape with fewer seats: a window's budget below the list's pages). */
let REAL_RATE = { limit: 100, windowMs: 60_000 };
let REAL_RATE_CONFIG = "100/60s";

interface RefreshAtRate {
  n: number;
  /** The first refresh starts in a fresh rate-limit window; the second right after it. */
  label: "fresh window" | "window partly spent";
  resources: number;
  refresh: StepResult;
  /** Windows of 100 requests the calls need: the governor sends a window's budget at once. */
  windows: number;
  /** The least time the windows allow from a fresh window: every window but the last waited out in full. */
  windowFloorMs: number | null;
  /** The engine's own changes: a refresh with no drift changes nothing. */
  drift: boolean;
  /** From the refresh's start: the first request (the CLI, program and provider started), and the last answer. */
  firstCallAfterMs: number;
  lastAnswerAfterMs: number;
  /** After the last answer: the engine's work that did not hide under the list reads. */
  tailMs: number;
  /** Per route, when its first request went out and its last answer came (ms from the refresh's start). */
  routes: Record<string, { calls: number; firstMs: number; lastMs: number }>;
  /** Per resource type, when the engine reported its first and last resource refreshed (ms from the start). */
  types: Record<string, { resources: number; firstMs: number; lastMs: number }>;
}

async function refreshAtRate(n: number): Promise<RefreshAtRate[]> {
  const emu = await startEmulator({ rateLimit: false, seed: benchSeed(n) });
  const project = await TestProject.create(`bench-${n}-refresh`, { env: { PULUMI_SKIP_CHECKPOINTS: "true" } });
  try {
    const stack = await project.stack(benchProgram(benchRoster(n)), config(emu, "snapshot", UNLIMITED_CONFIG));
    log(`N=${n} refresh at the real rate: set-up up, rate limit off, checkpoints skipped`);
    await stack.up();
    // The refresh as users run it: checkpoints on, the provider told the real rate, the emulator enforcing it.
    delete stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS;
    await stack.setConfig("justcall:rateLimit", { value: REAL_RATE_CONFIG });
    await emu.admin.setRateLimit(REAL_RATE);
    const once = async (label: RefreshAtRate["label"]): Promise<RefreshAtRate> => {
      log(`N=${n} refresh at ${REAL_RATE_CONFIG}, ${label}`);
      const types: RefreshAtRate["types"] = {};
      const started = Date.now();
      const onEvent = (e: EngineEvent) => {
        const type = e.resOutputsEvent?.metadata.type;
        if (!type) return;
        const at = Date.now() - started;
        const t = (types[type] ??= { resources: 0, firstMs: at, lastMs: at });
        t.resources++;
        t.lastMs = at;
      };
      const refresh = await measure(
        emu,
        "refresh",
        true,
        async () => summary((await stack.refresh({ onEvent })).summary.resourceChanges),
        REAL_RATE,
      );
      const requests = (await emu.admin.requests()).requests;
      const routes: RefreshAtRate["routes"] = {};
      for (const e of requests) {
        const sent = Date.parse(e.startedAt) - started;
        const r = (routes[e.route] ??= { calls: 0, firstMs: sent, lastMs: 0 });
        r.calls++;
        r.firstMs = Math.min(r.firstMs, sent);
        r.lastMs = Math.max(r.lastMs, sent + e.durationMs);
      }
      const firstCallAfterMs = Math.min(...requests.map((e) => Date.parse(e.startedAt))) - started;
      const lastAnswerAfterMs = Math.max(...requests.map((e) => Date.parse(e.startedAt) + e.durationMs)) - started;
      const windows = Math.ceil(refresh.calls / REAL_RATE.limit);
      const result: RefreshAtRate = {
        n,
        label,
        resources: resourceCount(n),
        refresh,
        windows,
        windowFloorMs: label === "fresh window" ? (windows - 1) * REAL_RATE.windowMs : null,
        drift: Object.entries(refresh.changes).some(([op, count]) => op !== "same" && count > 0),
        firstCallAfterMs,
        lastAnswerAfterMs,
        tailMs: refresh.wallMs - lastAnswerAfterMs,
        routes,
        types,
      };
      log(
        `  ${(refresh.wallMs / 1000).toFixed(1)} s for ${refresh.calls} calls (${refresh.rateLimited} x 429): ` +
          `${refresh.wallOverFloor}x the floor of ${(refresh.floorMs / 1000).toFixed(1)} s; ${windows} window(s); ` +
          `first call at ${(firstCallAfterMs / 1000).toFixed(1)} s, last answer at ${(lastAnswerAfterMs / 1000).toFixed(1)} s; load ${refresh.loadavg}`,
      );
      return result;
    };
    // The second starts in the window the first left partly spent, as a refresh does right after
    // a preview or another refresh with the same key: its agent list spans two windows.
    const results = [await once("fresh window"), await once("window partly spent")];
    // Set-up only: the emulator is thrown away, so the stack is removed without a destroy.
    await emu.admin.setRateLimit(false);
    return results;
  } finally {
    await project.cleanup({ destroy: false });
    await emu.close();
  }
}

function renderMarkdown(r: SizeRunResults<RefreshAtRate>): string {
  const ms = (x: number | null | undefined) => (x === null || x === undefined ? "" : (x / 1000).toFixed(1));
  const rows = r.runs.map((x) => {
    const s = x.refresh;
    const perResource = (v?: number | null) => (v === undefined || v === null ? "" : (v / x.resources).toFixed(2));
    return (
      `| ${x.n.toLocaleString("en")} | ${x.label} | ${x.resources.toLocaleString("en")} | ${s.calls} | ${s.rateLimited} | ${ms(s.floorMs)} | ${ms(x.windowFloorMs)} | ` +
      `${ms(x.firstCallAfterMs)} | ${ms(x.lastAnswerAfterMs)} | ${ms(s.wallMs)} | ${ms(x.tailMs)} | ${s.wallOverFloor} | ${perResource(s.cpu?.providerMs)} / ${perResource(s.cpu?.pulumiMs)} | ` +
      `${s.memory.providerMiB} / ${s.memory.pulumiMiB} | ${x.drift ? "yes" : "none"} | ${s.loadavg.split(" ").slice(0, 3).join(" ")} |`
    );
  });
  return [
    `# Refresh at the real rate (${REAL_RATE_CONFIG})`,
    "",
    provenanceLine(r),
    `A refresh with no drift of the bench program (2.1 N resources), file backend with checkpoints, emulator and provider at ${REAL_RATE_CONFIG}.`,
    `Floor: calls × ${REAL_RATE.windowMs / REAL_RATE.limit} ms (the benchmark's floor). Window floor: the windows the calls need, all but the last waited out (the governor sends a window's budget at once).`,
    "First call and last answer: from the refresh's start, by the emulator's request log. Tail: wall time after the last answer, the engine's work that did not hide under the reads.",
    "",
    "| N | Refresh | Resources | Calls | 429s | Floor s | Window floor s | First call s | Last answer s | Wall s | Tail s | × floor | CPU ms/resource provider / CLI | Peak MiB provider / CLI | Drift | Load |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: | :---: | --- |",
    ...rows,
    "",
    "Timeline (seconds from the refresh's start): each route's first request and last answer, and when the engine reported each type's first and last resource refreshed.",
    "",
    ...r.runs.flatMap((x) => [
      `- N = ${x.n.toLocaleString("en")}, ${x.label}:`,
      ...Object.entries(x.routes).map(([route, t]) => `  - ${route}: ${t.calls} calls, ${ms(t.firstMs)} to ${ms(t.lastMs)}`),
      ...Object.entries(x.types).map(
        ([type, t]) => `  - ${type}: ${t.resources.toLocaleString("en")} refreshed, ${ms(t.firstMs)} to ${ms(t.lastMs)}`,
      ),
    ]),
    "",
  ].join("\n");
}

const argv = process.argv.slice(2);
const { sizes, rate } = sizesAndRate(argv, [1000, 10000]);
if (rate !== undefined) {
  REAL_RATE_CONFIG = rate;
  REAL_RATE = parseRateLimit(REAL_RATE_CONFIG);
}
log(`refresh at the real rate: sizes ${sizes.join(", ")}; load ${loadavg()}`);
runBySize({ script: "bench:refresh", label: "refresh", sizes, argv, measure: refreshAtRate, render: renderMarkdown });
