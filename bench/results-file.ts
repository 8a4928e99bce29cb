// The results files: the versions and commit measured, and writing a results JSON's markdown and
// SVG again (--render) or several runs as one (--combine).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pulumiBinDir, repoRoot } from "../harness/engine";
import { renderChart } from "./chart";
import { log } from "./cli";
import { renderMarkdown } from "./report";
import { evaluateTargets } from "./targets";
import type { BenchResults } from "./types";

export const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").trim();

export function versions(): Record<string, string> {
  const pkg = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")).version as string;
  const own = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version as string;
  return {
    node: process.version,
    pulumiCli: execFileSync(path.join(pulumiBinDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim(),
    "pulumi-justcall": own,
    "@pulumi/pulumi": pkg("@pulumi/pulumi"),
    bottleneck: pkg("bottleneck"),
    undici: pkg("undici"),
    fastify: pkg("fastify"),
    typescript: pkg("typescript"),
  };
}

/** The commit measured. BENCH_GIT_COMMIT names it when the benchmark runs from an export (`git archive`) without .git. */
export function git(): { commit: string; dirty: boolean } {
  if (process.env.BENCH_GIT_COMMIT) return { commit: process.env.BENCH_GIT_COMMIT, dirty: false };
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const dirty =
      execFileSync("git", ["status", "--porcelain", "--", "provider", "emulator", "bench", ":!bench/results"], {
        cwd: repoRoot,
        encoding: "utf8",
      }).trim() !== "";
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}

/** Writes `<base>.md` and `<base>.svg` beside a results JSON. */
export function render(jsonFile: string): void {
  const results = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as BenchResults;
  results.targets = evaluateTargets(results);
  const base = jsonFile.replace(/\.json$/, "");
  fs.writeFileSync(`${base}.svg`, renderChart(results));
  fs.writeFileSync(`${base}.md`, renderMarkdown(results, `${path.basename(base)}.svg`));
  log(`rendered ${base}.{md,svg}`);
}

/**
 * One results file from several runs: their lifecycle and overhead runs side by side, the first
 * run's machine and versions, and a note naming the files and their commits.
 */
export function combine(files: string[], into: string): void {
  const all = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as BenchResults);
  const [first, last] = [all[0], all[all.length - 1]];
  const commits = [...new Set(all.map((r) => r.git.commit.slice(0, 12)))];
  const combined: BenchResults = {
    ...first,
    finishedAt: last.finishedAt,
    durationS: all.reduce((sum, r) => sum + r.durationS, 0),
    command: all.map((r) => r.command).join("; "),
    load: { start: first.load.start, end: last.load.end },
    runs: all.flatMap((r) => r.runs),
    overhead: all.flatMap((r) => r.overhead).sort((a, b) => a.n - b.n || Number(b.checkpoints) - Number(a.checkpoints)),
    rosterState: all.flatMap((r) => r.rosterState ?? []),
    notes: [
      ...new Set(all.flatMap((r) => r.notes)),
      `Combined (--combine) from ${files.map((f) => path.basename(f)).join(", ")}; commit${commits.length > 1 ? "s" : ""} ${commits.join(", ")}. ` +
        "Each run's load average is in its own rows.",
    ],
  };
  fs.writeFileSync(into, `${JSON.stringify(combined, null, 2)}\n`);
  render(into);
}

/** A real-rate run's `--sizes a,b` (default `fallback`) and `--rate`, e.g. 100/60s (undefined when not given). */
export function sizesAndRate(argv: string[], fallback: number[]): { sizes: number[]; rate?: string } {
  const sizesAt = argv.indexOf("--sizes");
  const sizes = sizesAt >= 0 ? argv[sizesAt + 1].split(",").map((s) => Number(s.replace(/_/g, ""))) : fallback;
  if (sizes.some((n) => !Number.isInteger(n) || n < 20)) throw new Error("--sizes: whole numbers of at least 20");
  const rateAt = argv.indexOf("--rate");
  return { sizes, ...(rateAt >= 0 ? { rate: argv[rateAt + 1] } : {}) };
}

/** bench/results/<UTC timestamp>-<label>: where a run writes its .json and .md. */
export function resultsBase(startedAt: string, label: string): string {
  return path.join(repoRoot, "bench", "results", `${startedAt.replace(/:/g, "").replace(/\..*$/, "")}-${label}`);
}

/** The run's results so far, written after each size, so that a long run keeps what it measured. */
export function writeRunFiles(base: string, results: unknown, markdown: string): void {
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, markdown);
}

/** What every size-by-size results file records about its run, beside its rows. */
export interface SizeRunResults<Row> {
  startedAt: string;
  command: string;
  git: { commit: string; dirty: boolean };
  versions: Record<string, string>;
  runs: Row[];
}

/** The line under a results file's title: the command, when, the commit measured and the versions. */
export function provenanceLine(r: SizeRunResults<unknown>): string {
  const versions = Object.entries(r.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return `\`${r.command}\` at ${r.startedAt}, commit ${r.git.commit}${r.git.dirty ? " (dirty)" : ""}; ${versions}.`;
}

/**
 * The main of a benchmark measured size by size (bench:adoption, bench:refresh, bench:review):
 * `measure` gives each size's rows, and the JSON and markdown are written again after every
 * size, so that a run stopped part way keeps what it measured. Exits 1 on any error.
 */
export function runBySize<Row, Extra extends object = object>(spec: {
  /** The npm script, e.g. bench:adoption; the results file is named `<label>-N<sizes>`. */
  script: string;
  label: string;
  sizes: number[];
  argv: string[];
  /** Fields of the results file beside the common ones (e.g. the rate). */
  extra?: Extra;
  measure: (n: number) => Promise<Row[]>;
  render: (results: SizeRunResults<Row> & Extra) => string;
}): void {
  const run = async () => {
    const startedAt = new Date().toISOString();
    const file = resultsBase(startedAt, `${spec.label}-N${spec.sizes.join("-")}`);
    const runs: Row[] = [];
    for (const n of spec.sizes) {
      runs.push(...(await spec.measure(n)));
      const command = `npm run ${spec.script} -- ${spec.argv.join(" ")}`.trim();
      const results = { ...(spec.extra as Extra), startedAt, command, git: git(), versions: versions(), runs };
      writeRunFiles(file, results, spec.render(results));
    }
    log(`wrote ${path.relative(process.cwd(), file)}.{json,md}`);
  };
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
