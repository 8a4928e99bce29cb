// npm run bench:refresh [-- --sizes 1000,10000]
//
// A refresh with no drift at JustCall's real rate (100 requests a minute, not the benchmark's
// scaled 100 per 6 s), on the default file backend with checkpoints: does the engine's work on
// each resource hide under the list reads, or come after them? The account is created first with
// the rate limit off and checkpoints skipped (that up is set-up, not measured). Writes
// bench/results/<UTC timestamp>-refresh-N<sizes>.{json,md}. See docs/benchmark.md.
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { TestProject } from "../harness/engine";
import { log } from "./cli";
import { git, loadavg, versions } from "./results-file";
import { config, measure, summary, UNLIMITED_CONFIG } from "./steps";
import type { StepResult } from "./types";
import { benchProgram, benchRoster, benchSeed, resourceCount } from "./workload";

const REAL_RATE = { limit: 100, windowMs: 60_000 };
const REAL_RATE_CONFIG = "100/60s";

interface RefreshAtRate {
  n: number;
  resources: number;
  refresh: StepResult;
  /** Windows of 100 requests the calls need: the governor sends a window's budget at once. */
  windows: number;
  /** The least time the windows allow: every window but the last waited out in full. */
  windowFloorMs: number;
  /** The engine's own changes: a refresh with no drift changes nothing. */
  drift: boolean;
  /** From the refresh's start: the first request (the CLI, program and provider started), and the last answer. */
  firstCallAfterMs: number;
  lastAnswerAfterMs: number;
  /** After the last answer: the engine's work that did not hide under the list reads. */
  tailMs: number;
}

async function refreshAtRate(n: number): Promise<RefreshAtRate> {
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
    log(`N=${n} refresh at ${REAL_RATE_CONFIG}`);
    const started = Date.now();
    const refresh = await measure(emu, "refresh", true, async () => summary((await stack.refresh()).summary.resourceChanges), REAL_RATE);
    const requests = (await emu.admin.requests()).requests;
    const firstCallAfterMs = Math.min(...requests.map((e) => Date.parse(e.startedAt))) - started;
    const lastAnswerAfterMs = Math.max(...requests.map((e) => Date.parse(e.startedAt) + e.durationMs)) - started;
    const windows = Math.ceil(refresh.calls / REAL_RATE.limit);
    const result: RefreshAtRate = {
      n,
      resources: resourceCount(n),
      refresh,
      windows,
      windowFloorMs: (windows - 1) * REAL_RATE.windowMs,
      drift: Object.entries(refresh.changes).some(([op, count]) => op !== "same" && count > 0),
      firstCallAfterMs,
      lastAnswerAfterMs,
      tailMs: refresh.wallMs - lastAnswerAfterMs,
    };
    log(
      `  ${(refresh.wallMs / 1000).toFixed(1)} s for ${refresh.calls} calls (${refresh.rateLimited} x 429): ` +
        `${refresh.wallOverFloor}x the floor of ${(refresh.floorMs / 1000).toFixed(1)} s; ${windows} window(s); ` +
        `first call at ${(firstCallAfterMs / 1000).toFixed(1)} s, last answer at ${(lastAnswerAfterMs / 1000).toFixed(1)} s; load ${refresh.loadavg}`,
    );
    // Set-up only: the emulator is thrown away, so the stack is removed without a destroy.
    await emu.admin.setRateLimit(false);
    return result;
  } finally {
    await project.cleanup({ destroy: false });
    await emu.close();
  }
}

function renderMarkdown(r: { startedAt: string; command: string; git: { commit: string; dirty: boolean }; versions: Record<string, string>; runs: RefreshAtRate[] }): string {
  const ms = (x: number | null | undefined) => (x === null || x === undefined ? "" : (x / 1000).toFixed(1));
  const rows = r.runs.map((x) => {
    const s = x.refresh;
    const perResource = (v?: number | null) => (v === undefined || v === null ? "" : (v / x.resources).toFixed(2));
    return (
      `| ${x.n.toLocaleString("en")} | ${x.resources.toLocaleString("en")} | ${s.calls} | ${s.rateLimited} | ${ms(s.floorMs)} | ${ms(x.windowFloorMs)} | ` +
      `${ms(x.firstCallAfterMs)} | ${ms(x.lastAnswerAfterMs)} | ${ms(s.wallMs)} | ${ms(x.tailMs)} | ${s.wallOverFloor} | ${perResource(s.cpu?.providerMs)} / ${perResource(s.cpu?.pulumiMs)} | ` +
      `${s.memory.providerMiB} / ${s.memory.pulumiMiB} | ${x.drift ? "yes" : "none"} | ${s.loadavg.split(" ").slice(0, 3).join(" ")} |`
    );
  });
  return [
    `# Refresh at the real rate (${REAL_RATE_CONFIG})`,
    "",
    `\`${r.command}\` at ${r.startedAt}, commit ${r.git.commit}${r.git.dirty ? " (dirty)" : ""}; ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "A refresh with no drift of the bench program (2.1 N resources), file backend with checkpoints, emulator and provider at 100 requests a minute.",
    "Floor: calls × 600 ms (the benchmark's floor). Window floor: the windows the calls need, all but the last waited out (the governor sends a window's budget at once).",
    "First call and last answer: from the refresh's start, by the emulator's request log. Tail: wall time after the last answer, the engine's work that did not hide under the reads.",
    "",
    "| N | Resources | Calls | 429s | Floor s | Window floor s | First call s | Last answer s | Wall s | Tail s | × floor | CPU ms/resource provider / CLI | Peak MiB provider / CLI | Drift | Load |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: | :---: | --- |",
    ...rows,
    "",
    "Calls by route:",
    "",
    ...r.runs.map((x) => `- N = ${x.n}: ${Object.entries(x.refresh.byRoute).map(([route, c]) => `${route} ${c}`).join(", ")}`),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizesAt = argv.indexOf("--sizes");
  const sizes = sizesAt >= 0 ? argv[sizesAt + 1].split(",").map((s) => Number(s.replace(/_/g, ""))) : [1000, 10000];
  if (sizes.some((n) => !Number.isInteger(n) || n < 20)) throw new Error("--sizes: whole numbers of at least 20");
  const startedAt = new Date().toISOString();
  log(`refresh at the real rate: sizes ${sizes.join(", ")}; load ${loadavg()}`);
  const runs: RefreshAtRate[] = [];
  const file = path.join(__dirname, "..", "..", "bench", "results", `${startedAt.replace(/:/g, "").replace(/\..*$/, "")}-refresh-N${sizes.join("-")}`);
  for (const n of sizes) {
    runs.push(await refreshAtRate(n));
    const results = { startedAt, command: `npm run bench:refresh -- --sizes ${sizes.join(",")}`, git: git(), versions: versions(), runs };
    fs.writeFileSync(`${file}.json`, JSON.stringify(results, null, 2) + "\n");
    fs.writeFileSync(`${file}.md`, renderMarkdown(results));
  }
  log(`wrote ${path.relative(process.cwd(), file)}.{json,md}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
