// npm run bench:review [-- --sizes 10000] [--rate 100/60s]
//
// `justcall-roster review` of a large account at JustCall's real rate (100 requests a minute):
// the compiled CLI in a child process, as a scheduled job runs it, with a roster (95% of the
// agents) and an HR export (1% terminated). Records the API calls by route and status, the 429s,
// the wall time against the rate-limit floor, and the CLI's peak memory (VmHWM). Writes
// bench/results/<UTC timestamp>-review-N<sizes>.{json,md}. See docs/benchmark.md.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import type { Seed } from "../emulator/seed";
import { parseRateLimit } from "../provider/settings";
import { rosterYaml } from "../roster/export";
import { log } from "./cli";
import { loadavg, provenanceLine, runBySize, type SizeRunResults, sizesAndRate } from "./results-file";
import type { StepResult } from "./types";

const CREDENTIALS = { apiKey: "review_bench_key", apiSecret: "review_bench_secret" };
const TEAMS = ["Support", "Sales", "Billing", "Onboarding", "Escalations"];
const CLI = path.join(__dirname, "..", "roster", "cli.js");

const email = (i: number) => `agent${i}@bench.example`;
const number = (k: number) => `+1415${String(5_000_000 + k).padStart(7, "0")}`;

/** N agents (one in 50 an admin), one team each, one in ten holding a number, and N/100 numbers held by no one. */
function reviewSeed(n: number): Seed {
  const held = Math.floor(n / 10);
  return {
    accounts: [
      {
        name: "Review bench",
        ...CREDENTIALS,
        teams: TEAMS.map((name) => ({ name })),
        agents: Array.from({ length: n }, (_, i) => ({
          firstname: "Agent",
          lastname: `Number${i}`,
          email: email(i),
          role: i % 50 === 0 ? ("admin" as const) : ("agent" as const),
          teams: [TEAMS[i % TEAMS.length]],
        })),
        numbers: Array.from({ length: held + Math.floor(n / 100) }, (_, k) => ({
          number: number(k),
          country: "US",
          type: "local",
          ...(k < held ? { assignedTo: email(k * 10) } : {}),
        })),
      },
    ],
  };
}

/** The counts every benchmark step records (types.ts), and the review's own. */
interface ReviewRun extends Pick<StepResult, "calls" | "byRoute" | "byStatus" | "rateLimited" | "wallMs" | "floorMs"> {
  n: number;
  /** The windows the calls need, all but the last waited out (the governor sends a window's budget at once). */
  windowFloorMs: number;
  wallOverWindowFloor: number;
  peakMiB: number | null;
  exitCode: number | null;
  counts: Record<string, number | null>;
  progressLines: number;
  loadavg: string;
}

/** The kernel's peak resident set of `pid` so far, in KiB (Linux). */
function vmHwmKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function reviewAt(n: number, rate: { limit: number; windowMs: number }, rateText: string): Promise<ReviewRun> {
  const emu = await startEmulator({ rateLimit: rate, seed: reviewSeed(n) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-review-"));
  try {
    const managed = Array.from({ length: n }, (_, i) => i).filter((i) => i % 20 !== 0);
    fs.writeFileSync(
      path.join(dir, "roster.yaml"),
      rosterYaml({
        authoritative: true,
        onRemove: "delete",
        agents: managed.map((i) => ({ email: email(i), firstname: "Agent", lastname: `Number${i}` })),
      }),
    );
    fs.writeFileSync(
      path.join(dir, "hr.csv"),
      ["email,status", ...Array.from({ length: n }, (_, i) => `${email(i)},${i % 100 === 7 ? "terminated" : "active"}`), ""].join("\n"),
    );
    const args = [
      "review",
      "--roster",
      "roster.yaml",
      "--hr",
      "hr.csv",
      "--markdown",
      "review.md",
      "--csv",
      "review.csv",
      "--json",
      "review.json",
    ];
    const env = {
      PATH: process.env.PATH ?? "",
      JUSTCALL_API_KEY: CREDENTIALS.apiKey,
      JUSTCALL_API_SECRET: CREDENTIALS.apiSecret,
      JUSTCALL_BASE_URL: emu.url,
      JUSTCALL_RATE_LIMIT: rateText,
    };
    log(`N=${n} review at ${rateText}`);
    const t0 = performance.now();
    let peakKiB: number | undefined;
    let progressLines = 0;
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
      const timer = setInterval(() => {
        peakKiB = Math.max(peakKiB ?? 0, vmHwmKiB(child.pid!) ?? 0);
      }, 50);
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        for (const line of d.split("\n").filter(Boolean)) {
          if (/ pages? read /.test(line)) progressLines++;
          else log(`  ${line}`);
        }
      });
      child.on("error", reject);
      child.on("close", (code) => {
        clearInterval(timer);
        resolve(code);
      });
    });
    const wallMs = Math.round(performance.now() - t0);
    const { counters } = await emu.admin.requests();
    const byRoute = Object.fromEntries(
      Object.entries(counters.byRoute).map(([route, byStatus]) => [route, Object.values(byStatus).reduce((a, b) => a + b, 0)]),
    );
    const rateLimited = counters.byStatus["429"] ?? 0;
    const calls = counters.total - rateLimited;
    const windowFloorMs = (Math.ceil(calls / rate.limit) - 1) * rate.windowMs;
    const counts = exitCode === 0 ? JSON.parse(fs.readFileSync(path.join(dir, "review.json"), "utf8")).counts : {};
    const run: ReviewRun = {
      n,
      calls,
      byRoute,
      byStatus: counters.byStatus,
      rateLimited,
      wallMs,
      floorMs: Math.round((calls * rate.windowMs) / rate.limit),
      windowFloorMs,
      wallOverWindowFloor: windowFloorMs > 0 ? Math.round((wallMs / windowFloorMs) * 100) / 100 : 0,
      peakMiB: peakKiB ? Math.round(peakKiB / 1024) : null,
      exitCode,
      counts,
      progressLines,
      loadavg: loadavg(),
    };
    log(
      `  ${(wallMs / 1000).toFixed(1)} s for ${calls} calls (${rateLimited} x 429); window floor ${(windowFloorMs / 1000).toFixed(1)} s; ` +
        `peak ${run.peakMiB} MiB; exit ${exitCode}`,
    );
    return run;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  }
}

function renderMarkdown(r: SizeRunResults<ReviewRun> & { rate: string }): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return [
    `# justcall-roster review at the real rate (${r.rate})`,
    "",
    provenanceLine(r),
    "The compiled CLI in a child process, against the emulator enforcing the rate, with a roster of 95% of the agents and an HR export (1% terminated); Markdown, CSV and JSON written.",
    "Floor: calls × window ÷ limit. Window floor: the windows the calls need, all but the last waited out (the governor sends a window's budget at once). Peak: the CLI's VmHWM.",
    "",
    "| N | Calls | 429s | Floor s | Window floor s | Wall s | × window floor | Peak MiB | Progress lines | Exit | Load |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...r.runs.map(
      (x) =>
        `| ${x.n.toLocaleString("en")} | ${x.calls} | ${x.rateLimited} | ${s(x.floorMs)} | ${s(x.windowFloorMs)} | ${s(x.wallMs)} | ${x.wallOverWindowFloor} | ${x.peakMiB} | ${x.progressLines} | ${x.exitCode} | ${x.loadavg.split(" ").slice(0, 3).join(" ")} |`,
    ),
    "",
    "Calls by route, and what the review found:",
    "",
    ...r.runs.flatMap((x) => [
      `- N = ${x.n.toLocaleString("en")}: ${Object.entries(x.byRoute)
        .map(([route, calls]) => `${route} ${calls}`)
        .join(", ")}; statuses ${JSON.stringify(x.byStatus)}`,
      `  - ${Object.entries(x.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    ]),
    "",
  ].join("\n");
}

const argv = process.argv.slice(2);
const { sizes, rate: given } = sizesAndRate(argv, [10000]);
const rateText = given ?? "100/60s";
const rate = parseRateLimit(rateText);
log(`review at the real rate: sizes ${sizes.join(", ")}; load ${loadavg()}`);
runBySize({
  script: "bench:review",
  label: "review",
  sizes,
  argv,
  extra: { rate: rateText },
  measure: async (n) => [await reviewAt(n, rate, rateText)],
  render: renderMarkdown,
});
