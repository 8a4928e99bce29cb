// Shared pieces of the reliability suite: a Pulumi project whose processes can be found and
// killed, a roster generator, a checker that compares the emulator's account with the roster and
// with the stack's state, and the results table (docs/reliability-table.md) that the suite writes.
//
// Cases in which no run fails use Automation API inline programs (see docs/development.md,
// "Tests"): the `pulumi` CLI is a child process, the program runs in this test process, and the
// CLI starts the dynamic-provider process. Cases in which a run fails or is killed use the plain
// CLI (test/support/user-repo.ts), so that the program runs in a process of its own. Every
// process of a project carries its own PULUMI_HOME, which is how the harnesses find them (and
// only them).
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator, type EmulatorOptions } from "../../emulator";
import { repoRoot } from "../../harness/engine";
import type { AgentSpec } from "../support/justcall";

// ---- projects -------------------------------------------------------------------------------

/** The shared real-engine harness; its processes() and killAll() find a project's own processes. */
export { TestProject as Project } from "../../harness/engine";

// ---- emulator and config --------------------------------------------------------------------

export async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ rateLimit: { limit: 1000, windowMs: 1000 }, ...options });
}

export function config(emu: RunningEmulator, opts: { rateLimit?: string; extra?: ConfigMap } = {}): ConfigMap {
  return {
    "justcall:apiKey": { value: emu.credentials.apiKey },
    "justcall:apiSecret": { value: emu.credentials.apiSecret, secret: true },
    "justcall:baseUrl": { value: emu.url },
    "justcall:rateLimit": { value: opts.rateLimit ?? "1000/1s" },
    ...(opts.extra ?? {}),
  };
}

// ---- rosters --------------------------------------------------------------------------------

const TEAMS = ["Support", "Sales", "Billing"];

/** n agents `rel-001@acme.example`…, each in one team (round robin). */
export function roster(n: number, prefix = "rel"): AgentSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const k = String(i + 1).padStart(3, "0");
    return {
      name: `${prefix}${k}`,
      email: `${prefix}-${k}@acme.example`,
      firstname: `Agent${k}`,
      lastname: prefix === "rel" ? "Reliability" : prefix,
      teams: [TEAMS[i % TEAMS.length]],
    };
  });
}

/** Numbers of the demo account nobody holds at startup. */
export const FREE_NUMBERS = ["+14155550102", "+14155550103", "+14155550104", "+14155550105", "+442071838750", "+18005550199"];

// ---- checks ---------------------------------------------------------------------------------

export interface AccountCheck {
  /** Everything that differs from the roster or the state, one sentence each. */
  problems: string[];
  /** Extra agents with the same email + extra invitations + numbers held by the wrong agent. */
  duplicates: number;
}

/**
 * Compares the demo account with the roster (agents, memberships, numbers), counts duplicates
 * and, given the stack's exported deployment, checks that every id in state is JustCall's.
 * `invitations` is how many invitations each roster email may have received (default 1).
 */
export async function checkAccount(
  emu: RunningEmulator,
  specs: AgentSpec[],
  opts: { deployment?: any; invitations?: (email: string) => number; seededEmails?: string[] } = {},
): Promise<AccountCheck> {
  const state = await emu.admin.state();
  const account = state.accounts[0];
  const problems: string[] = [];
  let duplicates = 0;
  const seeded = new Set(
    (opts.seededEmails ?? ["jane.doe@acme.example", "sam.lee@acme.example", "priya.patel@acme.example"]).map((e) => e.toLowerCase()),
  );

  const byEmail = new Map<string, typeof account.agents>();
  for (const a of account.agents) {
    const key = a.email.toLowerCase();
    byEmail.set(key, [...(byEmail.get(key) ?? []), a]);
  }
  for (const [email, list] of byEmail) {
    if (list.length > 1) {
      duplicates += list.length - 1;
      problems.push(`${list.length} agents with email ${email}`);
    }
  }
  const wanted = new Map(specs.map((s) => [s.email.toLowerCase(), s]));
  for (const email of byEmail.keys()) {
    if (!wanted.has(email) && !seeded.has(email)) problems.push(`agent ${email} is not in the roster`);
  }
  const invitations = new Map<string, number>();
  for (const inv of state.outbox) invitations.set(inv.email.toLowerCase(), (invitations.get(inv.email.toLowerCase()) ?? 0) + 1);
  for (const [email, count] of invitations) {
    const allowed = seeded.has(email) ? 0 : (opts.invitations?.(email) ?? 1);
    if (count > allowed) {
      duplicates += count - allowed;
      problems.push(`${count} invitations to ${email} (expected at most ${allowed})`);
    }
  }

  for (const spec of specs) {
    const agent = byEmail.get(spec.email.toLowerCase())?.[0];
    if (!agent) {
      problems.push(`agent ${spec.email} is missing`);
      continue;
    }
    for (const field of ["firstname", "lastname"] as const) {
      if (agent[field] !== spec[field])
        problems.push(`${spec.email}: ${field} is ${JSON.stringify(agent[field])}, roster says ${JSON.stringify(spec[field])}`);
    }
    if ((spec.role ?? "agent") !== agent.role) problems.push(`${spec.email}: role ${agent.role}, roster ${spec.role ?? "agent"}`);
    const memberOf = account.teams
      .filter((t) => t.agents.includes(agent.id))
      .map((t) => t.name)
      .sort();
    const seededTeams = spec.email === "jane.doe@acme.example" ? ["Support"] : [];
    const expected = [...new Set([...(spec.teams ?? []), ...seededTeams])].sort();
    if (JSON.stringify(memberOf) !== JSON.stringify(expected))
      problems.push(`${spec.email}: teams ${memberOf.join(",") || "none"}, roster ${expected.join(",") || "none"}`);
    for (const n of spec.numbers ?? []) {
      const number = account.numbers.find((x) => x.number === n);
      if (number?.assigned_to !== agent.id) {
        duplicates++;
        problems.push(`${n} is held by ${number?.assigned_to ?? "nobody"}, roster says ${spec.email} (${agent.id})`);
      }
    }
  }

  if (opts.deployment) problems.push(...checkStateIds(opts.deployment, account));
  return { problems, duplicates };
}

/** Every Agent, TeamMembership and NumberAssignment id in state names what JustCall holds. */
export function checkStateIds(
  deployment: any,
  account: Awaited<ReturnType<RunningEmulator["admin"]["state"]>>["accounts"][number],
): string[] {
  const problems: string[] = [];
  for (const r of deployment.resources ?? []) {
    const name = String(r.urn).split("::").pop();
    if (r.type.endsWith(":Agent")) {
      const agent = account.agents.find((a) => a.id === Number(r.id));
      if (!agent) problems.push(`state: Agent ${name} has id ${r.id}, which JustCall does not hold`);
      else if (agent.email.toLowerCase() !== String(r.outputs.email).toLowerCase())
        problems.push(`state: Agent ${name} id ${r.id} is ${agent.email} in JustCall`);
    } else if (r.type.endsWith(":TeamMembership")) {
      const [teamId, agentId] = String(r.id).split(":").map(Number);
      if (!account.teams.find((t) => t.id === teamId)?.agents.includes(agentId))
        problems.push(`state: TeamMembership ${name} (${r.id}) is not in JustCall`);
    } else if (r.type.endsWith(":NumberAssignment")) {
      const number = account.numbers.find((n) => n.id === Number(r.id));
      if (number?.assigned_to !== r.outputs.agentId)
        problems.push(`state: NumberAssignment ${name} says agent ${r.outputs.agentId}, JustCall says ${number?.assigned_to}`);
    }
  }
  return problems;
}

export async function requestCount(emu: RunningEmulator): Promise<number> {
  return (await emu.admin.requests()).counters.total;
}

export async function statusCount(emu: RunningEmulator, status: number): Promise<number> {
  return (await emu.admin.requests()).counters.byStatus[String(status)] ?? 0;
}

/** Resources of the three provider types in an exported deployment. */
export function managedResources(deployment: any): any[] {
  return (deployment.resources ?? []).filter((r: any) => /:(Agent|TeamMembership|NumberAssignment)$/.test(r.type));
}

// ---- the results table ----------------------------------------------------------------------

export interface Row {
  case: string;
  injected: string;
  result: string;
  requests: number | string;
  duplicates: number | string;
}

const TABLE = path.join(repoRoot, "docs", "reliability-table.md");
const rows = new Map<string, Row>();

/** Starts a row; the suite's afterEach marks it passed or failed. */
export function row(caseName: string, injected: string): Row {
  const r: Row = { case: caseName, injected, result: "", requests: "", duplicates: "" };
  rows.set(caseName, r);
  current = r;
  return r;
}
let current: Row | undefined;

const cell = (v: unknown) => String(v).replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * Registers, in the calling describe block, the hooks that mark each row passed or failed and
 * write this file's rows into the table when its tests are done. Per file, not per process:
 * mocha's parallel workers each run many files and share the table, so each write re-reads
 * the table under a lock and changes only its own rows.
 */
export function resultsTable(): void {
  afterEach(function () {
    if (!current) return;
    const test = this.currentTest;
    if (test?.state === "failed") current.result = `FAILED: ${cell(test.err?.message ?? "").slice(0, 300)}`;
    else if (test?.state === "passed") current.result = `passed: ${current.result}`;
    current = undefined;
  });
  after(function () {
    if (rows.size === 0) return;
    withTableLock(() => writeTable([...rows.values()]));
    rows.clear();
  });
}

/** Rows of the committed table, so that running one file updates its rows and keeps the others. */
function previousRows(): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(TABLE)) return out;
  for (const line of fs.readFileSync(TABLE, "utf8").split("\n")) {
    const m = /^\| ([^|]+?) \|/.exec(line);
    if (m && !line.startsWith("| Case |") && !line.startsWith("| ---")) out.set(m[1], line);
  }
  return out;
}

function writeTable(changed: Row[]): void {
  const lines = previousRows();
  for (const r of changed) {
    lines.set(r.case, `| ${cell(r.case)} | ${cell(r.injected)} | ${cell(r.result)} | ${cell(r.requests)} | ${cell(r.duplicates)} |`);
  }
  const ordered = [...lines.entries()].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true })).map(([, l]) => l);
  const text = [
    "# Reliability and security: results",
    "",
    "Generated by the reliability suite (`test/reliability/`, real `pulumi` CLI against the emulator);",
    "do not edit by hand. Rerun with:",
    "",
    "```sh",
    "npx tsc -p tsconfig.json && npx mocha --no-config --timeout 900000 'dist/test/reliability/**/*.test.js'",
    "```",
    "",
    "Requests: every API request the emulator logged during the case (the admin API excluded).",
    "Duplicates: extra agents with one email, extra invitations, and numbers held by the wrong agent.",
    "See [reliability.md](reliability.md) for what each case shows and how to recover from a killed run.",
    "",
    "| Case | Injected | Result | Requests | Duplicates found |",
    "| --- | --- | --- | --- | --- |",
    ...ordered,
    "",
  ].join("\n");
  fs.writeFileSync(TABLE, text);
}

/** Runs `write` holding TABLE.lock (a directory: made atomically); a lock older than 30 s is a killed run's. */
function withTableLock(write: () => void): void {
  const lock = `${TABLE}.lock`;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err: any) {
      if (err?.code !== "EEXIST") throw err;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 30_000) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 50);
    }
  }
  try {
    write();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
