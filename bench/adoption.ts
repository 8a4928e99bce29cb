// npm run bench:adoption [-- --sizes 1000,5000,10000] [--checkpoints-up-to 1000]
//
// Adoption, the first thing a large customer does (issue 27): an account that already has N
// agents (each in a team, one in ten holding a number), `justcall-roster export` of it, then the
// first `pulumi up` of that roster, which should write nothing, and a preview after it, which
// should change nothing. File backend; the engine skips checkpoints at every size, and also runs
// with checkpoints up to --checkpoints-up-to (beyond it a run with checkpoints takes hours).
// Emulator and provider at the benchmark's scaled rate (100 per 6 s). Writes
// bench/results/<UTC timestamp>-adoption-N<sizes>.{json,md}. See docs/benchmark.md.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Seed, startEmulator } from "../emulator";
import { TestProject } from "../harness/engine";
import { main as rosterCli } from "../roster/cli";
import { rosterStack } from "../roster/program";
import { log } from "./cli";
import { loadavg, provenanceLine, runBySize, type SizeRunResults, sizesAndRate } from "./results-file";
import { config, engineEnv, measure, RATE, RATE_CONFIG, summary } from "./steps";
import type { StepResult } from "./types";
import { benchRoster, benchSeed } from "./workload";

interface Adoption {
  n: number;
  checkpoints: boolean;
  /** Resources in the state after the up (the stack and the roster guard included). */
  resources: number;
  up: StepResult;
  /** Requests of the up other than GET: an adoption should make none. */
  writes: number;
  preview: StepResult;
}

/** benchSeed's account with the bench roster's N agents already in it, their teams and numbers. */
function accountWithAgents(n: number): Seed {
  const seed = benchSeed(n);
  const account = seed.accounts[0];
  const roster = benchRoster(n);
  const holder = new Map(roster.filter((a) => a.number).map((a) => [a.number!, a.email]));
  return {
    accounts: [
      {
        ...account,
        agents: roster.map((a) => ({ firstname: a.firstname, lastname: a.lastname, email: a.email, role: "agent", teams: [a.team] })),
        numbers: (account.numbers ?? []).map((x) => ({ ...x, assignedTo: holder.get(x.number) ?? null })),
      },
    ],
  };
}

async function adopt(n: number, checkpoints: boolean): Promise<Adoption> {
  const emu = await startEmulator({ rateLimit: RATE, seed: accountWithAgents(n) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-adopt-${n}-`));
  const file = path.join(dir, "roster.yaml");
  const project = await TestProject.create(`bench-${n}-adopt`, { env: engineEnv(checkpoints) });
  try {
    log(`N=${n} adoption${checkpoints ? "" : " (PULUMI_SKIP_CHECKPOINTS)"}: export`);
    const err: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s), isTTY: false } };
    const env = {
      JUSTCALL_API_KEY: emu.credentials.apiKey,
      JUSTCALL_API_SECRET: emu.credentials.apiSecret,
      JUSTCALL_BASE_URL: emu.url,
      JUSTCALL_RATE_LIMIT: RATE_CONFIG,
    };
    if ((await rosterCli(["export", "--out", file], env, io)) !== 0) throw new Error(`export failed: ${err.join("")}`);
    const stack = await project.stack(async () => rosterStack({ file }), config(emu, "snapshot", RATE_CONFIG));

    log(`N=${n} adoption: up`);
    const up = await measure(emu, "up", true, async () => summary((await stack.up()).summary.resourceChanges));
    const writes = Object.entries(up.byRoute)
      .filter(([route]) => !route.startsWith("GET "))
      .reduce((sum, [, calls]) => sum + calls, 0);
    log(`N=${n} adoption: preview`);
    const preview = await measure(emu, "preview", true, async () => summary((await stack.preview()).changeSummary));
    const resources = ((await stack.exportStack()).deployment.resources ?? []).length;
    log(
      `  up ${(up.wallMs / 1000).toFixed(1)} s (${up.calls} calls, ${writes} writes, ${up.rateLimited} x 429, floor ${(up.floorMs / 1000).toFixed(1)} s); ` +
        `preview ${(preview.wallMs / 1000).toFixed(1)} s; peak MiB provider ${up.memory.providerMiB}, CLI ${up.memory.pulumiMiB}; load ${up.loadavg}`,
    );
    return { n, checkpoints, resources, up, writes, preview };
  } finally {
    // Set-up only: the emulator is thrown away, so the stack is removed without a destroy.
    await project.cleanup({ destroy: false });
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function renderMarkdown(r: SizeRunResults<Adoption>): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const changed = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([op, k]) => op !== "same" && k > 0)
      .map(([op, k]) => `${op} ${k}`)
      .join(", ") || "none";
  const rows = r.runs.map(
    (x) =>
      `| ${x.n.toLocaleString("en")} | ${x.checkpoints ? "on" : "skipped"} | ${x.resources.toLocaleString("en")} | ${s(x.up.wallMs)} | ${x.up.calls} | ${x.writes} | ` +
      `${x.up.rateLimited} | ${s(x.up.floorMs)} | ${x.up.wallOverFloor ?? ""} | ${x.up.memory.providerMiB} / ${x.up.memory.pulumiMiB} | ${s(x.preview.wallMs)} | ` +
      `${changed(x.preview.changes)} | ${x.up.loadavg.split(" ").slice(0, 3).join(" ")} |`,
  );
  return [
    "# Adoption: export, then the first up and a preview",
    "",
    provenanceLine(r),
    `An account with N agents (each in a team, one in ten holding a number) exported with \`justcall-roster export\`; the first \`pulumi up\` of that roster (rosterStack, Automation API, file backend), then \`pulumi preview\`. Emulator and provider at ${RATE_CONFIG}; floor: calls × ${RATE.windowMs / RATE.limit} ms.`,
    "Writes: the up's requests other than GET (an adoption makes none). Peak MiB: the up's provider process and pulumi CLI.",
    "",
    "| N | Checkpoints | Resources | Up wall s | Up calls | Writes | 429s | Floor s | × floor | Peak MiB provider / CLI | Preview wall s | Preview changes | Load |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

const argv = process.argv.slice(2);
const { sizes } = sizesAndRate(argv, [1000, 5000, 10000]);
const upToAt = argv.indexOf("--checkpoints-up-to");
const checkpointsUpTo = upToAt >= 0 ? Number(argv[upToAt + 1]) : 1000;
log(`adoption: sizes ${sizes.join(", ")}, with checkpoints up to ${checkpointsUpTo}; load ${loadavg()}`);
runBySize({
  script: "bench:adoption",
  label: "adoption",
  sizes,
  argv,
  measure: async (n) => {
    const rows: Adoption[] = [];
    for (const checkpoints of n <= checkpointsUpTo ? [false, true] : [false]) rows.push(await adopt(n, checkpoints));
    return rows;
  },
  render: renderMarkdown,
});
