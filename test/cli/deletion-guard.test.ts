// Deletions that cannot be undone, on the user's own path (plain `pulumi` in a repository that
// installs pulumi-justcall from its tarball): the removal budget at preview and with
// --skip-preview, the guarded destroy, and agents kept in JustCall when they leave the roster.
// Every count of writes comes from the emulator's request log.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator, Seed } from "../../emulator";
import { defaultSeed } from "../../emulator";
import { agentByEmail, freshEmulator } from "../support/justcall";
import { killCliAndProgram, noProcessLeft, settle } from "../support/killed-run";
import { cliOutput, until, UserRepo, writeRequests } from "../support/user-repo";

const run = promisify(execFile);

// A JavaScript program: `typescript: false` spares each of this file's ~50 CLI runs loading the
// TypeScript compiler, which the language host otherwise registers for every Node.js program.
const PROJECT =
  "name: deletion-guard\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nconfig:\n  justcall:rosterFile: roster.yaml\n";
const PROGRAM = `const { rosterStack } = require("pulumi-justcall/roster");\n\nmodule.exports = async () => rosterStack();\n`;

const email = (i: number) => `agent${String(i).padStart(2, "0")}@acme.example`;
const ALL = Array.from({ length: 20 }, (_, i) => i + 1);
/** The first five are in Support, the sixth holds +14155550103: a destroy has memberships and a number to touch. */
const teamsOf = (i: number) => (i <= 5 ? ["Support"] : []);
const numbersOf = (i: number) => (i === 6 ? ["+14155550103"] : []);

/** The demo account with the 20 agents already in JustCall (the first up adopts them: no invitation). */
function seedWith20(): Seed {
  const acme = defaultSeed.accounts[0];
  return {
    accounts: [
      {
        ...acme,
        agents: [
          ...(acme.agents ?? []),
          ...ALL.map((i) => ({ firstname: "Agent", lastname: `No${i}`, email: email(i), teams: teamsOf(i) })),
        ],
        numbers: (acme.numbers ?? []).map((n) => (n.number === "+14155550103" ? { ...n, assignedTo: email(6) } : n)),
      },
    ],
  };
}

/** roster.yaml for the agents `which`; `onRemove` per agent, and top-level lines (e.g. `onRemove: keep`). */
function rosterYaml(which: number[], options: { top?: string[]; keep?: number[] } = {}): string {
  const lines = [...(options.top ?? []), "agents:"];
  for (const i of which) {
    lines.push(`  - email: ${email(i)}`, "    firstname: Agent", `    lastname: No${i}`);
    if (teamsOf(i).length > 0) lines.push(`    teams: [${teamsOf(i).join(", ")}]`);
    if (numbersOf(i).length > 0)
      lines.push(
        `    numbers: [${numbersOf(i)
          .map((n) => `"${n}"`)
          .join(", ")}]`,
      );
    if (options.keep?.includes(i)) lines.push("    onRemove: keep");
  }
  return `${lines.join("\n")}\n`;
}

/** docs/reliability.md, step 2: a checkpoint the kill cut short goes back to the previous one (with its .attrs). */
async function restoreCutCheckpoint(repo: UserRepo): Promise<void> {
  if ((await repo.pulumi(["stack", "export"])).code === 0) return;
  const stacks = path.join(repo.backendDir, ".pulumi", "stacks");
  for (const backup of (fs.readdirSync(stacks, { recursive: true }) as string[]).filter((f) => f.endsWith(".json.bak"))) {
    const file = path.join(stacks, backup);
    fs.copyFileSync(file, file.replace(/\.bak$/, ""));
    if (fs.existsSync(`${file}.attrs`)) fs.copyFileSync(`${file}.attrs`, `${file.replace(/\.bak$/, "")}.attrs`);
    else fs.rmSync(`${file.replace(/\.bak$/, "")}.attrs`, { force: true });
  }
}

/** The installed `justcall-roster summarize` on a preview's JSON. */
async function summarize(repo: UserRepo, json: string): Promise<string> {
  const file = path.join(repo.dir, "preview.json");
  fs.writeFileSync(file, json);
  const { stdout } = await run(path.join(repo.dir, "node_modules", ".bin", "justcall-roster"), ["summarize", file], { cwd: repo.dir });
  return stdout;
}

async function emailsInJustCall(emu: RunningEmulator): Promise<string[]> {
  return (await emu.admin.state()).accounts[0].agents
    .map((a) => a.email)
    .filter((e) => e.startsWith("agent"))
    .sort();
}

async function agentsInState(repo: UserRepo): Promise<string[]> {
  const state = await repo.exportState();
  return (state.deployment.resources ?? [])
    .filter((r: any) => r.type.endsWith(":Agent"))
    .map((r: any) => r.outputs.email)
    .sort();
}

/** JustCall ids of agents, by number, as the emulator holds them. */
async function idsOf(emu: RunningEmulator, which: number[]): Promise<number[]> {
  return Promise.all(which.map(async (i) => (await agentByEmail(emu, email(i)))!.id));
}

/** An agent's URN in a roster stack of this project: roster resources are named by email. */
const agentUrn = (stack: string, i: number) => `urn:pulumi:${stack}::deletion-guard::pulumi-nodejs:dynamic/justcall:Agent::${email(i)}`;
const numberOfEmail = (e: string) => Number(/^agent(\d+)@/.exec(e)![1]);

/** The guard's record in the state (what the last successful run managed), or undefined when the state has no guard. */
async function guardRecord(repo: UserRepo): Promise<string[] | undefined> {
  const guard = ((await repo.exportState()).deployment.resources ?? []).find((r: any) => r.type.endsWith(":RosterGuard"));
  return guard ? Object.keys(guard.outputs.agents ?? {}) : undefined;
}

const agentDeletes = (writes: string[]) => writes.filter((w) => /^DELETE \/v1\/agents\/\d+$/.test(w));
const output = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

describe("deletion guard on the user's own path (plain pulumi)", function () {
  let repo: UserRepo;
  let emu: RunningEmulator | undefined;
  let seq = 0;

  before(async function () {
    repo = await UserRepo.create("deletion-guard", { files: { "Pulumi.yaml": PROJECT, "index.js": PROGRAM } });
  });

  after(() => repo?.cleanup());

  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  /** A fresh emulator with the 20 agents, a new stack, and a first up that adopts them all. */
  async function adoptedStack(roster = rosterYaml(ALL)): Promise<{ emu: RunningEmulator; stack: string }> {
    emu = await freshEmulator({ seed: seedWith20() });
    const stack = `guard-${seq++}`;
    repo.writeFile("roster.yaml", roster);
    await repo.initStack(emu, stack);
    // Setup only: this up's preview is not what any case tests (each case runs its own), so skip it.
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await agentsInState(repo)).to.have.length(20);
    await emu.admin.clearRequests();
    return { emu, stack };
  }

  it("fails at preview when a roster drops from 20 agents to 2, with zero writes; an allowed run removes exactly those 18", async () => {
    const { emu } = await adoptedStack();
    const leaving = ALL.slice(2);
    repo.writeFile("roster.yaml", rosterYaml([1, 2]));

    const preview = await repo.pulumi(["preview"]);
    expect(preview.code, output(preview)).to.not.equal(0);
    const said = output(preview);
    expect(said).to.include("would delete 18 agents from JustCall");
    expect(said).to.include("removal budget of 3");
    for (const i of leaving) expect(said, `names ${email(i)}`).to.include(email(i));
    expect(said).to.include("JUSTCALL_ALLOW_REMOVALS=18");

    // Plain `pulumi up` previews first, so it stops there too.
    const up = await repo.pulumi(["up", "--yes"]);
    expect(up.code, output(up)).to.not.equal(0);
    expect(await writeRequests(emu), "a refused run writes nothing").to.deep.equal([]);
    expect(await emailsInJustCall(emu)).to.have.length(20);

    // A smaller allowance is not enough.
    const short = await repo.pulumi(["up", "--yes"], { JUSTCALL_ALLOW_REMOVALS: "17" });
    expect(short.code, output(short)).to.not.equal(0);
    expect(await writeRequests(emu)).to.deep.equal([]);

    const expected = await idsOf(emu, leaving);
    await repo.ok(["up", "--yes"], { JUSTCALL_ALLOW_REMOVALS: "18" });
    const deleted = agentDeletes(await writeRequests(emu)).map((w) => Number(w.split("/").pop()));
    expect(deleted.sort((a, b) => a - b)).to.deep.equal(expected.sort((a, b) => a - b));
    expect(await emailsInJustCall(emu)).to.deep.equal([email(1), email(2)]);
    expect(await agentsInState(repo)).to.deep.equal([email(1), email(2)]);

    // The allowance was for that run only, and the run after a removal shows no change.
    await emu.admin.clearRequests();
    await repo.ok(["preview", "--expect-no-changes"]);
    expect(await writeRequests(emu)).to.deep.equal([]);
  });

  it("with --skip-preview deletes within the budget, and none at all beyond it", async () => {
    const { emu } = await adoptedStack();

    // 3 of 20: within the default budget (the larger of 3 and 10%).
    repo.writeFile("roster.yaml", rosterYaml(ALL.slice(0, 17)));
    const three = await idsOf(emu, [18, 19, 20]);
    await repo.ok(["up", "--skip-preview", "--yes"]);
    expect(
      agentDeletes(await writeRequests(emu))
        .map((w) => Number(w.split("/").pop()))
        .sort(),
    ).to.deep.equal(three.sort());

    // 15 of 17: beyond it. The guard's check fails before the engine deletes anything.
    await emu.admin.clearRequests();
    repo.writeFile("roster.yaml", rosterYaml([1, 2]));
    const up = await repo.pulumi(["up", "--skip-preview", "--yes"]);
    expect(up.code, output(up)).to.not.equal(0);
    expect(output(up)).to.include("would delete 15 agents from JustCall");
    expect(await writeRequests(emu), "no deletion beyond the budget, and none below it").to.deep.equal([]);
    expect(await emailsInJustCall(emu)).to.have.length(17);
    expect(await agentsInState(repo)).to.have.length(17);
  });

  it("refuses pulumi destroy with zero writes (also with --continue-on-error); an allowed destroy empties the stack", async () => {
    const { emu, stack } = await adoptedStack();

    const refused = await repo.pulumi(["destroy", "--yes"]);
    expect(refused.code, output(refused)).to.not.equal(0);
    const said = output(refused);
    expect(said).to.include("would delete 20 agents from JustCall");
    expect(said).to.include(email(20));
    expect(said).to.include(`JUSTCALL_ALLOW_DESTROY=${stack}`);

    const onward = await repo.pulumi(["destroy", "--yes", "--continue-on-error"]);
    expect(onward.code, output(onward)).to.not.equal(0);
    const otherStack = await repo.pulumi(["destroy", "--yes"], { JUSTCALL_ALLOW_DESTROY: "prod" });
    expect(otherStack.code, output(otherStack)).to.not.equal(0);
    expect(output(otherStack)).to.include("names another stack");

    expect(await writeRequests(emu), "a refused destroy writes nothing: agents, memberships, numbers").to.deep.equal([]);
    expect(await agentsInState(repo)).to.have.length(20);
    expect(await emailsInJustCall(emu)).to.have.length(20);

    await repo.ok(["destroy", "--yes"], { JUSTCALL_ALLOW_DESTROY: stack });
    expect((await repo.exportState()).deployment.resources ?? []).to.deep.equal([]);
    expect(agentDeletes(await writeRequests(emu))).to.have.length(20);
    expect(await emailsInJustCall(emu)).to.deep.equal([]);
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550103")!;
    expect(number.assigned_to, "the number is released, not lost").to.equal(null);
  });

  it("keeps an agent in JustCall (with its team and number) and out of state when it leaves the roster; the preview says so", async () => {
    // Agent 6 (a number) and agent 5 (a team) are kept; agent 20 is deleted.
    const { emu } = await adoptedStack(rosterYaml(ALL, { keep: [5, 6] }));
    const [five, six, twenty] = await idsOf(emu, [5, 6, 20]);
    repo.writeFile(
      "roster.yaml",
      rosterYaml(
        ALL.filter((i) => ![5, 6, 20].includes(i)),
        { keep: [5, 6] },
      ),
    );

    const preview = await repo.ok(["preview", "--diff"]);
    // The guard's `removals` says what happens to each leaving agent; the engine marks kept agents [retain].
    const removals = /removals\s*:\s*\{([^}]*)\}/.exec(preview.stdout)?.[1] ?? "";
    expect(removals.replace(/[+\s]+/g, " ").trim()).to.equal(`${email(5)}: "keep" ${email(6)}: "keep" ${email(20)}: "delete"`);
    expect(preview.stdout.match(/Agent: \(delete\[retain\]\)/g)).to.have.length(2);
    expect(await writeRequests(emu)).to.deep.equal([]);

    await repo.ok(["up", "--yes"]);
    expect(await writeRequests(emu), "only agent 20 is deleted").to.deep.equal([`DELETE /v1/agents/${twenty}`]);
    const account = (await emu.admin.state()).accounts[0];
    expect(account.agents.map((a) => a.id)).to.include.members([five, six]);
    expect(account.teams.find((t) => t.name === "Support")!.agents, "the kept agent's team").to.include(five);
    expect(account.numbers.find((n) => n.number === "+14155550103")!.assigned_to, "the kept agent's number").to.equal(six);
    const inState = await agentsInState(repo);
    expect(inState).to.have.length(17);
    expect(inState).to.not.include.members([email(5), email(6), email(20)]);
    await repo.ok(["preview", "--expect-no-changes"]);
  });

  it("an email changed in JustCall, then in the roster, adopts the same agent and deletes no one", async () => {
    const { emu } = await adoptedStack();
    const [twenty] = await idsOf(emu, [20]);
    await emu.admin.editAgent(twenty, { email: "agent21@acme.example" });
    await emu.admin.clearRequests();
    repo.writeFile(
      "roster.yaml",
      `${rosterYaml(ALL.slice(0, 19))}  - email: agent21@acme.example\n    firstname: Agent\n    lastname: No20\n`,
    );

    await repo.ok(["up", "--yes"]);
    expect(agentDeletes(await writeRequests(emu)), "the renamed agent is not deleted").to.deep.equal([]);
    expect((await agentByEmail(emu, "agent21@acme.example"))?.id).to.equal(twenty);
    const inState = await agentsInState(repo);
    expect(inState).to.include("agent21@acme.example");
    expect(inState).to.not.include(email(20));
    await repo.ok(["preview", "--expect-no-changes"]);
  });

  it("pulumi up --replace and --target-replace of an Agent write nothing: the replacement adopts, the old delete leaves the person", async () => {
    const { emu, stack } = await adoptedStack();
    const urn = agentUrn(stack, 6); // in the roster with a number
    const [six] = await idsOf(emu, [6]);
    for (const flag of ["--replace", "--target-replace"]) {
      const up = await repo.ok(["up", "--yes", flag, urn]);
      expect(cliOutput(up), flag).to.match(/replaced/);
      expect(await writeRequests(emu), `${flag} writes nothing`).to.deep.equal([]);
      expect((await agentByEmail(emu, email(6)))?.id).to.equal(six);
      await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
      await emu.admin.clearRequests();
    }
    expect(await agentsInState(repo)).to.have.length(20);
    await repo.ok(["preview", "--expect-no-changes"]);
  });

  it("counts what a failed first run left in the state: cutting the roster after it cannot delete beyond the budget", async () => {
    emu = await freshEmulator(); // the demo account: none of agent01.. yet, so each is invited
    const stack = `guard-${seq++}`;
    // The 13th invitation is refused by JustCall (a time zone JustCall spells differently): the run fails.
    const refused = "  - email: agent13@acme.example\n    firstname: Agent\n    lastname: No13\n    timezone: europe/london\n";
    repo.writeFile("roster.yaml", rosterYaml(ALL.slice(0, 12)) + refused);
    await repo.initStack(emu, stack);
    const failed = await repo.pulumi(["up", "--yes", "--parallel", "32"]);
    expect(failed.code, cliOutput(failed)).to.not.equal(0);
    const created = await agentsInState(repo);
    expect(created.length, "the agents invited before the failure are in the state").to.be.at.least(6);
    expect(await guardRecord(repo), "the guard never recorded them").to.equal(undefined);

    // The roster is cut to one of them: the other created ones would be deleted.
    await emu.admin.clearRequests();
    const stays = numberOfEmail(created[0]);
    const leaving = created.length - 1;
    repo.writeFile("roster.yaml", rosterYaml([stays]));
    const preview = await repo.pulumi(["preview"]);
    expect(preview.code, cliOutput(preview)).to.not.equal(0);
    expect(cliOutput(preview)).to.include(`would delete ${leaving} agents from JustCall`);
    const skip = await repo.pulumi(["up", "--yes", "--skip-preview"]);
    expect(skip.code, cliOutput(skip)).to.not.equal(0);
    expect(agentDeletes(await writeRequests(emu)), "no deletion without an allowance").to.deep.equal([]);

    const expected = await Promise.all(created.slice(1).map(async (e) => (await agentByEmail(emu!, e))!.id));
    await repo.ok(["up", "--yes"], { JUSTCALL_ALLOW_REMOVALS: String(leaving) });
    const deleted = agentDeletes(await writeRequests(emu)).map((w) => Number(w.split("/").pop()));
    expect(deleted.sort((a, b) => a - b)).to.deep.equal(expected.sort((a, b) => a - b));
    expect(await agentsInState(repo)).to.deep.equal([created[0]]);
    await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
  });

  it("counts agents a targeted run created, which the guard did not record", async () => {
    const { emu, stack } = await adoptedStack();
    const NEW = [21, 22, 23, 24, 25];
    repo.writeFile("roster.yaml", rosterYaml([...ALL, ...NEW]));
    await repo.ok(["up", "--yes", ...NEW.flatMap((i) => ["--target", agentUrn(stack, i)])]);
    expect(await agentsInState(repo)).to.have.length(25);
    expect(await guardRecord(repo), "the guard was not targeted: it still records 20").to.have.length(20);

    // Two of the 20 and the five new ones leave: 7 deletions, where the guard's record sees 2.
    await emu.admin.clearRequests();
    repo.writeFile("roster.yaml", rosterYaml(ALL.slice(0, 18)));
    const preview = await repo.pulumi(["preview"]);
    expect(preview.code, cliOutput(preview)).to.not.equal(0);
    const said = cliOutput(preview);
    expect(said).to.include("would delete 7 agents from JustCall");
    for (const i of [19, 20, ...NEW]) expect(said).to.include(email(i));
    const up = await repo.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, cliOutput(up)).to.not.equal(0);
    expect(agentDeletes(await writeRequests(emu))).to.deep.equal([]);
    expect(await agentsInState(repo)).to.have.length(25);
    await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
  });

  it("counts what an allowed destroy left when it failed half way (the guard already deleted)", async () => {
    const { emu, stack } = await adoptedStack();
    // JustCall refuses one agent DELETE: the destroy stops with most agents still in the state.
    await emu.admin.setFaults([{ route: "DELETE /v1/agents/{id}", kind: "status", status: 403, count: 1 }]);
    const destroy = await repo.pulumi(["destroy", "--yes", "--parallel", "2"], { JUSTCALL_ALLOW_DESTROY: stack });
    expect(destroy.code, cliOutput(destroy)).to.not.equal(0);
    await emu.admin.clearFaults();
    const left = await agentsInState(repo);
    expect(left.length, "most agents are left").to.be.at.least(10);
    expect(await guardRecord(repo), "the guard went first").to.equal(undefined);

    await emu.admin.clearRequests();
    const staying = left.slice(0, 2).map(numberOfEmail);
    repo.writeFile("roster.yaml", rosterYaml(staying));
    const preview = await repo.pulumi(["preview"]);
    expect(preview.code, cliOutput(preview)).to.not.equal(0);
    expect(cliOutput(preview)).to.include(`would delete ${left.length - 2} agents from JustCall`);
    expect(await writeRequests(emu)).to.deep.equal([]);

    // Allowed: exactly the agents the state holds and the roster dropped are deleted.
    await repo.ok(["up", "--yes"], { JUSTCALL_ALLOW_REMOVALS: String(left.length - 2) });
    expect(agentDeletes(await writeRequests(emu))).to.have.length(left.length - 2);
    expect(await agentsInState(repo)).to.deep.equal(left.slice(0, 2));
    await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
  });

  for (const skipCheckpoints of [false, true]) {
    it(`a killed up${skipCheckpoints ? " with PULUMI_SKIP_CHECKPOINTS" : ""}, then a roster cut to one: no deletion the preview did not show`, async () => {
      // Slow invitations, so that the kill lands with some of them recorded and some in flight.
      emu = await freshEmulator({ faults: [{ route: "POST /v1/agents", kind: "latency", latencyMs: 300 }] });
      const stack = `guard-${seq++}`;
      repo.writeFile("roster.yaml", rosterYaml(ALL));
      await repo.initStack(emu, stack);
      const target = emu;
      const up = repo.pulumi(["up", "--yes", "--skip-preview"], skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {});
      await until("10 invitations", async () => (await target.admin.outbox()).length >= 10);
      const { providers } = killCliAndProgram(repo.pulumiHome);
      expect(providers, "a provider process was running at the kill").to.not.deep.equal([]);
      expect((await up).signal).to.equal("SIGKILL");
      await noProcessLeft(repo.pulumiHome); // the provider exits by itself (engine-watch.ts)
      await settle(target);
      await restoreCutCheckpoint(repo);
      await repo.ok(["cancel", "--yes"]);
      await repo.ok(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
      await emu.admin.clearFaults();
      await emu.admin.clearRequests();

      const inState = await agentsInState(repo);
      repo.writeFile("roster.yaml", rosterYaml([1]));
      const leaving = inState.filter((e) => e !== email(1));
      if (skipCheckpoints) {
        // Nothing was recorded: the agents the killed run invited are not the stack's, and nothing can delete them.
        expect(inState).to.deep.equal([]);
        await repo.ok(["up", "--yes"]);
      } else {
        expect(leaving.length, "the kill left agents recorded in the state").to.be.greaterThan(3);
        const preview = await repo.pulumi(["preview"]);
        expect(preview.code, cliOutput(preview)).to.not.equal(0);
        expect(cliOutput(preview)).to.include(`would delete ${leaving.length} agents from JustCall`);
        const skip = await repo.pulumi(["up", "--yes", "--skip-preview"]);
        expect(skip.code, cliOutput(skip)).to.not.equal(0);
      }
      expect(agentDeletes(await writeRequests(emu)), "no agent deleted without the preview showing it").to.deep.equal([]);
      expect(await emailsInJustCall(emu), "everyone the killed run invited is still in JustCall").to.include.members(inState);
    });
  }

  it("an adoption that demotes an admin fails at preview with zero writes; allowed, it writes exactly what summarize showed", async () => {
    emu = await freshEmulator(); // Jane Doe is the demo account's admin, in America/Los_Angeles
    const stack = `guard-${seq++}`;
    repo.writeFile(
      "roster.yaml",
      "agents:\n  - email: jane.doe@acme.example\n    firstname: Jane\n    lastname: Doe\n    role: supervisor\n    timezone: Europe/London\n",
    );
    await repo.initStack(emu, stack);
    const jane = (await agentByEmail(emu, "jane.doe@acme.example"))!;

    for (const args of [["preview"], ["up", "--yes", "--skip-preview"]]) {
      const refused = await repo.pulumi(args);
      expect(refused.code, cliOutput(refused)).to.not.equal(0);
      expect(cliOutput(refused)).to.include("changing the role of jane.doe@acme.example from admin to supervisor is a privileged change");
      expect(cliOutput(refused)).to.include("JUSTCALL_ALLOW_ROLE_CHANGES=1");
    }
    expect(await writeRequests(emu), "a refused run writes nothing").to.deep.equal([]);

    const allowed = { JUSTCALL_ALLOW_ROLE_CHANGES: "1" };
    const diff = await repo.ok(["preview", "--diff"], allowed);
    expect(diff.stdout).to.match(
      /adoptionWrites\s*:\s*\{[^}]*role\s*:\s*"admin → supervisor"[^}]*timezone\s*:\s*"America\/Los_Angeles → Europe\/London"/s,
    );
    const json = await repo.ok(["preview", "--json", "--show-sames"], allowed);
    const summary = await summarize(repo, json.stdout);
    expect(summary).to.match(/#### Privileged role changes[\s\S]*Jane Doe[^\n]*role `admin` → `supervisor` \(on adoption\)/);
    expect(summary).to.match(
      /#### Adoptions[\s\S]*Jane Doe[^\n]*writes role `admin` → `supervisor`, timezone `America\/Los_Angeles` → `Europe\/London`/,
    );
    expect(summary.indexOf("#### Privileged role changes")).to.be.lessThan(summary.indexOf("#### Adoptions"));

    await repo.ok(["up", "--yes"], allowed);
    const writes = await writeRequests(emu);
    expect(writes, "one write: the adoption's update").to.deep.equal([`POST /v1/agents/${jane.id}`]);
    const now = (await agentByEmail(emu, "jane.doe@acme.example"))!;
    expect([now.role, now.timezone]).to.deep.equal(["supervisor", "Europe/London"]);
    await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
    await repo.ok(["preview", "--expect-no-changes"]);

    // Back to admin: a promotion, privileged too.
    repo.writeFile(
      "roster.yaml",
      "agents:\n  - email: jane.doe@acme.example\n    firstname: Jane\n    lastname: Doe\n    role: admin\n    timezone: Europe/London\n",
    );
    const promote = await repo.pulumi(["preview"]);
    expect(cliOutput(promote)).to.include("from supervisor to admin is a privileged change");
  });

  it("with onRemove: keep for the whole roster, pulumi destroy needs no allowance and writes nothing", async () => {
    const { emu } = await adoptedStack(rosterYaml(ALL, { top: ["onRemove: keep"] }));
    await repo.ok(["destroy", "--yes"]);
    expect(await writeRequests(emu)).to.deep.equal([]);
    expect((await repo.exportState()).deployment.resources ?? []).to.deep.equal([]);
    expect(await emailsInJustCall(emu)).to.have.length(20);
  });
});
