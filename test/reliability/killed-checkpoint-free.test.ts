// Killed checkpoint-free runs (PULUMI_SKIP_CHECKPOINTS=true: the engine saves the state only at
// the end): kill -9 of the plain `pulumi` CLI and its program at points read from the emulator's
// request log, then the recovery of docs/reliability.md (pulumi cancel, pulumi refresh
// --clear-pending-creates, pulumi up or destroy). Safe because every write is idempotent by
// natural key: create adopts by email, a membership already there is adopted, an assignment is
// a set, deleting an agent already gone is done. Each case asserts the exact account, one
// invitation per person, no number on an agent when it is deleted, that the removal budget
// still holds on the run after the kill, and that the provider process exits by itself.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator } from "../../emulator";
import { repoRoot } from "../../harness/engine";
import type { AgentSpec } from "../support/justcall";
import { killCliAndProgram, noProcessLeft, settle } from "../support/killed-run";
import { cliOutput, until, type UserRepo, writeRequests } from "../support/user-repo";
import { checkAccount, row } from "./harness";
import { reliabilityFixture } from "./fixture";

const run = promisify(execFile);
const SKIP = { PULUMI_SKIP_CHECKPOINTS: "true" };
const PROGRAM = `module.exports = async () => require(${JSON.stringify(path.join(repoRoot, "dist", "roster"))}).rosterStack();`;
const TEAMS = ["Support", "Sales", "Billing"];
/** Free numbers of the demo account, held by the first four people. */
const NUMBERS = ["+14155550103", "+14155550104", "+14155550105", "+442071838750"];

/** Person `i` (1-based): a team by turns, and one of NUMBERS for the first four. */
function person(i: number, teams = [TEAMS[i % TEAMS.length]], numbers = i <= NUMBERS.length ? [NUMBERS[i - 1]] : []): AgentSpec {
  const k = String(i).padStart(2, "0");
  return { name: `kcf${k}`, email: `kcf-${k}@acme.example`, firstname: `Agent${k}`, lastname: "Killed", teams, numbers };
}

const people = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, j) => person(from + j));

/** roster.yaml declaring `specs`; `removalBudget: 0`, so that every deletion needs an allowance. */
function rosterYaml(specs: AgentSpec[]): string {
  const lines = ["removalBudget: 0", "agents:"];
  for (const s of specs) {
    lines.push(`  - email: ${s.email}`, `    firstname: ${s.firstname}`, `    lastname: ${s.lastname}`);
    if (s.teams?.length) lines.push(`    teams: [${s.teams.join(", ")}]`);
    if (s.numbers?.length) lines.push(`    numbers: [${s.numbers.map((n) => `"${n}"`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

/** Agent DELETEs and number assignments the emulator applied, in order (seq), with their ids. */
interface AppliedWrite {
  seq: number;
  kind: "delete" | "assign";
  id: number;
}
async function appliedWrites(emu: RunningEmulator): Promise<AppliedWrite[]> {
  const { requests } = await emu.admin.requests();
  return requests
    .filter((r) => r.status >= 200 && r.status < 300)
    .flatMap((r): AppliedWrite[] => {
      const del = /^\/v1\/agents\/(\d+)$/.exec(r.path);
      if (r.method === "DELETE" && del) return [{ seq: r.seq, kind: "delete", id: Number(del[1]) }];
      const assign = /^\/v1\/phone-numbers\/(\d+)$/.exec(r.path);
      if (r.method === "POST" && assign) return [{ seq: r.seq, kind: "assign", id: Number(assign[1]) }];
      return [];
    });
}

/**
 * Only agents of `mayDelete` were deleted, and none holding a number: for each agent `held` says
 * held number ids, an assignment of each of them (to someone else, or to nobody) was applied
 * before its delete.
 */
async function checkDeletes(emu: RunningEmulator, held: Map<number, number[]>, mayDelete: number[]): Promise<void> {
  const writes = await appliedWrites(emu);
  const deleted = writes.filter((w) => w.kind === "delete");
  expect(
    deleted.map((w) => w.id).filter((id) => !mayDelete.includes(id)),
    "no one else deleted",
  ).to.deep.equal([]);
  for (const [agentId, numberIds] of held) {
    const del = deleted.find((w) => w.id === agentId);
    if (!del) continue;
    for (const n of numberIds) {
      const moved = writes.find((w) => w.kind === "assign" && w.id === n && w.seq < del.seq);
      expect(moved, `number ${n} was moved off agent ${agentId} before its delete`).to.not.equal(undefined);
    }
  }
}

/** Agent id → ids of the numbers it holds now. */
async function numbersHeld(emu: RunningEmulator): Promise<Map<number, number[]>> {
  const account = (await emu.admin.state()).accounts[0];
  const held = new Map<number, number[]>();
  for (const n of account.numbers) if (n.assigned_to) held.set(n.assigned_to, [...(held.get(n.assigned_to) ?? []), n.id]);
  return held;
}

async function agentIds(emu: RunningEmulator, specs: AgentSpec[]): Promise<number[]> {
  const emails = new Set(specs.map((s) => s.email));
  return (await emu.admin.state()).accounts[0].agents.filter((a) => emails.has(a.email)).map((a) => a.id);
}

/** The installed `justcall-roster summarize` on a preview's JSON: the Markdown of the pull request's comment. */
async function summarize(repo: UserRepo, json: string): Promise<string> {
  const file = path.join(repo.dir, "preview.json");
  fs.writeFileSync(file, json);
  const { stdout } = await run(process.execPath, [path.join(repoRoot, "dist", "roster", "cli.js"), "summarize", file], { cwd: repo.dir });
  return stdout;
}

/** The emails listed under one `#### Title (n)` heading of summarize's Markdown. */
function emailsUnder(markdown: string, title: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`#### ${title}`));
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("#### ") || line.startsWith("**In all:**")) break;
    const m = /\(([^)\s]+@[^)\s]+)\)/.exec(line);
    if (line.startsWith("- ") && m) out.push(m[1]);
  }
  return out.sort();
}

/** The run `args` (checkpoint-free), killed with its program once `ready` holds; the account settled after. */
async function killedRun(
  repo: UserRepo,
  emu: RunningEmulator,
  args: string[],
  env: Record<string, string>,
  what: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  const before = JSON.stringify((await repo.exportState()).deployment.resources ?? []);
  const running = repo.pulumi(args, { ...SKIP, ...env });
  await until(what, ready);
  const { providers } = killCliAndProgram(repo.pulumiHome);
  expect(providers, "a provider process was running at the kill").to.not.deep.equal([]);
  const killed = await running;
  expect(killed.signal, cliOutput(killed)).to.equal("SIGKILL");
  await noProcessLeft(repo.pulumiHome);
  await settle(emu);
  // Checkpoint-free: the killed run saved nothing, so the state is the one it started from.
  const after = (await repo.exportState()).deployment;
  expect(after.pending_operations ?? [], "no pending operation recorded").to.deep.equal([]);
  expect(JSON.stringify(after.resources ?? []), "the state is the one the killed run started from").to.equal(before);
  await repo.ok(["cancel", "--yes"]);
}

/**
 * `command` (up or destroy), one step at a time and with agent deletes slowed, killed once the
 * first agent delete was applied: the kill lands between two deletes. The request log starts
 * empty, so that the case's checks see every write of the killed run and the recovery.
 */
async function killedAtFirstDelete(repo: UserRepo, emu: RunningEmulator, command: string[], env: Record<string, string>): Promise<void> {
  await emu.admin.clearRequests();
  await emu.admin.setFaults([{ route: "DELETE /v1/agents/{id}", kind: "latency", latencyMs: 300 }]);
  const args = [...command, "--yes", "--skip-preview", "--parallel", "1"];
  await killedRun(repo, emu, args, env, "the first agent delete", async () => (await appliedWrites(emu)).some((w) => w.kind === "delete"));
  await emu.admin.clearFaults();
}

/** Steps 4 and 5 of the recovery, after killedRun's `pulumi cancel`. */
async function refresh(repo: UserRepo): Promise<void> {
  await repo.ok(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"], SKIP);
}

const invitedEmails = async (emu: RunningEmulator) => (await emu.admin.outbox()).map((m) => m.email).sort();

describe("reliability: killed checkpoint-free runs", function () {
  const rel = reliabilityFixture();

  it("creates with invitations, killed twice: the next preview adopts whom the killed runs invited; one invitation each", async () => {
    const r = row(
      "Killed checkpoint-free: creates",
      "PULUMI_SKIP_CHECKPOINTS=true; kill -9 of the CLI and program after 2 of 14 invitations (--parallel 4), then after 2 more (--parallel 2); creates slowed by 300 ms",
    );
    const emu = await rel.emulator({ faults: [{ route: "POST /v1/agents", kind: "latency", latencyMs: 300 }] });
    const specs = people(1, 14);
    const repo = await rel.cli("kcf-creates", emu, PROGRAM, { "justcall:rosterFile": "roster.yaml" });
    repo.writeFile("roster.yaml", rosterYaml(specs));

    // Each kill lands with up to `parallel` creates in flight, which still invite (the server
    // finishes them), so that some people are left for each next run.
    const seen: string[] = [];
    for (const parallel of ["4", "2"]) {
      const target = Math.min((await emu.admin.outbox()).length + 2, specs.length);
      const args = ["up", "--yes", "--skip-preview", "--parallel", parallel];
      await killedRun(repo, emu, args, {}, `${target} invitations`, async () => (await emu.admin.outbox()).length >= target);
      await refresh(repo);
      // Item 2 of issue 27: the rerun's preview says adopt for everyone the killed runs invited.
      const invited = await invitedEmails(emu);
      const preview = await repo.ok(["preview", "--json", "--show-sames"], SKIP);
      const markdown = await summarize(repo, preview.stdout);
      expect(emailsUnder(markdown, "Adoptions"), markdown).to.deep.equal(invited);
      const rest = specs.map((s) => s.email).filter((e) => !invited.includes(e));
      expect(emailsUnder(markdown, "Invitations"), markdown).to.deep.equal(rest.sort());
      seen.push(`${invited.length} invited at the kill`);
    }

    await repo.ok(["up", "--yes", "--skip-preview"], SKIP);
    const deployment = (await repo.exportState()).deployment;
    const check = await checkAccount(emu, specs, { deployment });
    expect(check.problems).to.deep.equal([]);
    expect(await invitedEmails(emu), "one invitation per person").to.deep.equal(specs.map((s) => s.email).sort());
    await repo.ok(["preview", "--expect-no-changes"], SKIP);
    r.duplicates = check.duplicates;
    r.requests = (await emu.admin.requests()).counters.total;
    r.result = `${seen.join(", then ")}; each rerun's preview and summarize: adopt for those, invite for the rest; after the recovery 14 agents, 14 invitations, state ids = JustCall's`;
  });

  it("an offboarding killed at its first delete: exact account, no number on a deleted agent, the budget holds on the rerun", async () => {
    const r = row(
      "Killed checkpoint-free: offboarding",
      "PULUMI_SKIP_CHECKPOINTS=true; 3 leavers holding numbers (moved), a team change, 3 new people; kill -9 after the first agent delete (--parallel 1)",
    );
    const emu = await rel.emulator();
    const repo = await rel.cli("kcf-offboard", emu, PROGRAM, { "justcall:rosterFile": "roster.yaml" });
    repo.writeFile("roster.yaml", rosterYaml(people(1, 12)));
    await repo.ok(["up", "--yes", "--skip-preview"], SKIP);
    const held = await numbersHeld(emu);

    // Leavers 1-3 hold NUMBERS[0..2]: they move to 10-12; 4 changes team; 13-15 join.
    const stay = people(4, 12).map((p) => {
      if (p.name === "kcf04") return { ...p, teams: ["Billing"] };
      const k = Number(p.name.slice(3));
      return k >= 10 ? { ...p, numbers: [NUMBERS[k - 10]] } : p;
    });
    const next = [...stay, ...people(13, 15)];
    repo.writeFile("roster.yaml", rosterYaml(next));
    const leavers = await agentIds(emu, people(1, 3));
    await killedAtFirstDelete(repo, emu, ["up"], { JUSTCALL_ALLOW_REMOVALS: "3" });
    const stillThere = await agentIds(emu, people(1, 3));
    const deletedAtKill = leavers.length - stillThere.length;
    await refresh(repo);

    // The budget holds on the run after the kill: without the allowance it refuses, with zero
    // writes, naming only the leavers still in JustCall.
    const writesBefore = (await writeRequests(emu)).length;
    const refused = await repo.fails(["preview"], SKIP);
    const leaverEmails = people(1, 3).map((p) => p.email);
    const remaining = (await emu.admin.state()).accounts[0].agents
      .map((a) => a.email)
      .filter((e) => leaverEmails.includes(e))
      .sort();
    expect(remaining, "the kill left leavers to delete").to.not.deep.equal([]);
    const refusal = /would delete (\d+) agents? from JustCall.*?\): (.+?)\. Nothing was deleted/.exec(refused);
    expect(refusal?.[2].split(", ").sort(), "the refusal names the leavers still in JustCall").to.deep.equal(remaining);
    expect(Number(refusal?.[1])).to.equal(remaining.length);
    expect((await writeRequests(emu)).length, "a refused preview writes nothing").to.equal(writesBefore);
    await repo.ok(["up", "--yes", "--skip-preview"], { ...SKIP, JUSTCALL_ALLOW_REMOVALS: "3" });

    const deployment = (await repo.exportState()).deployment;
    const check = await checkAccount(emu, next, { deployment });
    expect(check.problems).to.deep.equal([]);
    expect(await agentIds(emu, people(1, 3)), "every leaver deleted").to.deep.equal([]);
    await checkDeletes(emu, held, leavers);
    expect(await invitedEmails(emu), "one invitation per person").to.deep.equal(
      [...people(1, 12), ...people(13, 15)].map((s) => s.email).sort(),
    );
    await repo.ok(["preview", "--expect-no-changes"], SKIP);
    r.duplicates = check.duplicates;
    r.requests = (await emu.admin.requests()).counters.total;
    r.result =
      `${deletedAtKill} of 3 leavers deleted at the kill; the rerun without allowance refused ${3 - deletedAtKill} with zero writes; ` +
      "allowed, it finished: exact account, each leaver deleted after its number moved, one invitation per person";
  });

  it("an allowed destroy killed after its first agent delete: the rerun needs the allowance again and empties the stack", async () => {
    const r = row(
      "Killed checkpoint-free: destroy",
      "PULUMI_SKIP_CHECKPOINTS=true; JUSTCALL_ALLOW_DESTROY destroy of 8 agents (4 holding numbers), kill -9 after the first agent delete (--parallel 1)",
    );
    const emu = await rel.emulator();
    const specs = people(1, 8);
    const repo = await rel.cli("kcf-destroy", emu, PROGRAM, { "justcall:rosterFile": "roster.yaml" });
    repo.writeFile("roster.yaml", rosterYaml(specs));
    await repo.ok(["up", "--yes", "--skip-preview"], SKIP);
    const held = await numbersHeld(emu);
    const ids = await agentIds(emu, specs);
    const allow = { JUSTCALL_ALLOW_DESTROY: "test" };
    await killedAtFirstDelete(repo, emu, ["destroy"], allow);
    const deletedAtKill = ids.length - (await agentIds(emu, specs)).length;
    await refresh(repo);

    const writesBefore = (await writeRequests(emu)).length;
    const refused = await repo.fails(["destroy", "--yes", "--skip-preview"], SKIP);
    expect(refused).to.match(/JUSTCALL_ALLOW_DESTROY/);
    expect((await writeRequests(emu)).length, "a refused destroy writes nothing").to.equal(writesBefore);
    await repo.ok(["destroy", "--yes", "--skip-preview"], { ...SKIP, ...allow });

    const account = (await emu.admin.state()).accounts[0];
    expect(account.agents.filter((a) => a.email.startsWith("kcf-"))).to.deep.equal([]);
    await checkDeletes(emu, held, ids);
    expect(account.numbers.filter((n) => NUMBERS.includes(n.number) && n.assigned_to !== null)).to.deep.equal([]);
    expect((await repo.exportState()).deployment.resources ?? []).to.deep.equal([]);
    r.duplicates = 0;
    r.requests = (await emu.admin.requests()).counters.total;
    r.result = `${deletedAtKill} of 8 agents deleted at the kill; the rerun without the allowance refused with zero writes; allowed, it deleted the other ${8 - deletedAtKill}, every number released first`;
  });
});
