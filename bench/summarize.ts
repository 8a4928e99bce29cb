// `npm run bench:summarize`: how long `justcall-roster summarize` takes on a 1,000-agent preview
// (target: under a second). The preview is synthesized from a real one: the plain CLI's
// `pulumi preview --json --show-sames` of the GitOps example against the emulator (five agents,
// every kind of change: test/fixtures/summarize/preview-all-kinds.json), each agent's steps
// (agent, memberships, numbers) copied with new emails, ids and numbers until there are N agents.
// The copies keep each step's full state, serialized provider included, so the JSON is as large
// as a real preview of that many agents.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { nameOfUrn, parseEngineJson, renderMarkdown, summarizePlan } from "../roster/summarize";

const repoRoot = path.resolve(__dirname, "..", "..");
const SAMPLE = path.join(repoRoot, "test", "fixtures", "summarize", "preview-all-kinds.json");
const RESULTS = path.join(repoRoot, "bench", "results", "summarize.md");
const TARGET_MS = 1000;

/** What this reads of `pulumi preview --json`; everything else in the sample is copied as it is. */
interface Digest {
  steps: DigestStep[];
}
interface DigestStep {
  urn: string;
  oldState?: DigestState;
  newState?: DigestState;
}
interface DigestState {
  outputs?: { agentId?: number | string };
  propertyDependencies?: { agentId?: string[] };
  dependencies?: string[];
}

/** The email a step belongs to: an Agent's name, or the agent part of a membership's or number's dependencies. */
function ownerOf(step: DigestStep): string | undefined {
  const urn = step.urn;
  if (urn.includes(":Agent::")) return nameOfUrn(urn);
  const s = step.newState ?? step.oldState;
  const from = s?.propertyDependencies?.agentId?.[0] ?? (s?.dependencies ?? []).find((u) => u.includes(":Agent::"));
  return from ? nameOfUrn(from) : undefined;
}

/** A preview of `agents` agents: the sample's agents' steps, copied with fresh identities. */
export function synthesizePreview(sample: Digest, agents: number): string {
  const owners = [...new Set(sample.steps.map(ownerOf).filter(Boolean))] as string[];
  const shared = sample.steps.filter((s) => !ownerOf(s));
  const steps: DigestStep[] = [...shared];
  const ids = new Map<string, string>();
  for (const s of sample.steps) {
    const id = s.oldState?.outputs?.agentId;
    if (id !== undefined) ids.set(String(id), nameOfUrn(s.urn));
  }
  for (let copy = 0; steps.length - shared.length < Infinity; copy++) {
    for (const owner of owners) {
      if (copy * owners.length + owners.indexOf(owner) >= agents) return JSON.stringify({ ...sample, steps }, null, 4);
      const [local, domain] = owner.split("@");
      let text = JSON.stringify(sample.steps.filter((s) => ownerOf(s) === owner));
      text = text.split(owner).join(`${local}.${copy}@${domain}`);
      // Agent ids and numbers unique per copy (ids of the sample are 101-106, numbers +141555501xx).
      text = text.replace(/("agentId":\s*"?|"id":\s*")(10\d)\b/g, (_m, pre, id) => `${pre}${Number(id) * 10000 + copy}`);
      text = text.replace(/\+1415555(\d{4})/g, (_m, tail) => `+1${String(copy).padStart(5, "0")}${tail}`);
      steps.push(...JSON.parse(text));
    }
  }
  throw new Error("unreachable");
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function main(): void {
  const agents = Number(process.argv[2] ?? 1000);
  const sample = JSON.parse(fs.readFileSync(SAMPLE, "utf8")) as Digest;
  const json = synthesizePreview(sample, agents);
  const runs: { parse: number; summarize: number; render: number; total: number }[] = [];
  let summary;
  for (let i = 0; i < 7; i++) {
    const parsed = time(() => parseEngineJson(json));
    const summarized = time(() => summarizePlan(parsed.value));
    const rendered = time(() => renderMarkdown(summarized.value));
    summary = summarized.value;
    runs.push({ parse: parsed.ms, summarize: summarized.ms, render: rendered.ms, total: parsed.ms + summarized.ms + rendered.ms });
  }
  // The command end to end, as the workflow runs it: Node's start-up, reading the file, writing Markdown.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "summarize-bench-")), "preview.json");
  fs.writeFileSync(file, json);
  const command = time(() =>
    execFileSync(process.execPath, [path.join(repoRoot, "dist", "roster", "cli.js"), "summarize", file], { maxBuffer: 64 << 20 }),
  );
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const sorted = [...runs].sort((a, b) => a.total - b.total);
  const median = sorted[Math.floor(sorted.length / 2)];
  const first = runs[0];
  const s = summary!;
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const report = [
    "# Benchmark: justcall-roster summarize",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on Node ${process.version}, ${process.platform}, by \`npm run bench:summarize\`.`,
    "",
    `Input: a synthesized \`pulumi preview --json --show-sames\` of ${agents} agents, ${sample.steps.length > 0 ? json.length.toLocaleString("en-US") : 0} bytes, ` +
      `${JSON.parse(json).steps.length.toLocaleString("en-US")} steps: the real preview of test/fixtures/summarize/preview-all-kinds.json (5 agents, every kind of change) ` +
      "with each agent's steps copied under new emails, ids and numbers (full states, serialized provider included).",
    "",
    `Summary: ${s.invitations.length} invitations, ${s.removals.length} removals, ${s.teamChanges.length} team changes, ` +
      `${s.numberMoves.length} number moves, ${s.fieldEdits.length} field edits; ${s.adoptions.length} adoptions.`,
    "",
    "| run | parse JSON | summarize | render Markdown | total |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| first (cold) | ${fmt(first.parse)} | ${fmt(first.summarize)} | ${fmt(first.render)} | ${fmt(first.total)} |`,
    `| median of ${runs.length} | ${fmt(median.parse)} | ${fmt(median.summarize)} | ${fmt(median.render)} | ${fmt(median.total)} |`,
    "",
    `The command end to end (\`justcall-roster summarize preview.json\`: Node's start-up, reading the file, the Markdown on standard output): ${fmt(command.ms)}.`,
    "",
    `Target: under ${TARGET_MS} ms. ${first.total < TARGET_MS ? "Met" : "Missed"} by the first run (${fmt(first.total)}), ` +
      `${median.total < TARGET_MS ? "met" : "missed"} by the median (${fmt(median.total)}).`,
    "",
  ].join("\n");
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, report);
  process.stdout.write(report);
  if (first.total >= TARGET_MS) process.exitCode = 1;
}

if (require.main === module) main();
