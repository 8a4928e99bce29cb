// Deletions that cannot be undone, on the user's own path (plain `pulumi` in a repository that
// installs pulumi-justcall from its tarball): the removal budget at preview and with
// --skip-preview, the guarded destroy, and agents kept in JustCall when they leave the roster.
// Every count of writes comes from the emulator's request log.
import { expect } from "chai";
import type { RunningEmulator, Seed } from "../../emulator";
import { defaultSeed } from "../../emulator";
import { agentByEmail, freshEmulator } from "../support/justcall";
import { UserRepo, writeRequests } from "../support/user-repo";

const PROJECT = "name: deletion-guard\nruntime: nodejs\nconfig:\n  roster:file: roster.yaml\n";
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
    if (numbersOf(i).length > 0) lines.push(`    numbers: [${numbersOf(i).map((n) => `"${n}"`).join(", ")}]`);
    if (options.keep?.includes(i)) lines.push("    onRemove: keep");
  }
  return `${lines.join("\n")}\n`;
}

async function emailsInJustCall(emu: RunningEmulator): Promise<string[]> {
  return (await emu.admin.state()).accounts[0].agents.map((a) => a.email).filter((e) => e.startsWith("agent")).sort();
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
    await repo.ok(["up", "--yes"]);
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
    expect(agentDeletes(await writeRequests(emu)).map((w) => Number(w.split("/").pop())).sort()).to.deep.equal(three.sort());

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
    repo.writeFile("roster.yaml", rosterYaml(ALL.filter((i) => ![5, 6, 20].includes(i)), { keep: [5, 6] }));

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
    repo.writeFile("roster.yaml", rosterYaml(ALL.slice(0, 19)) + "  - email: agent21@acme.example\n    firstname: Agent\n    lastname: No20\n");

    await repo.ok(["up", "--yes"]);
    expect(agentDeletes(await writeRequests(emu)), "the renamed agent is not deleted").to.deep.equal([]);
    expect((await agentByEmail(emu, "agent21@acme.example"))?.id).to.equal(twenty);
    const inState = await agentsInState(repo);
    expect(inState).to.include("agent21@acme.example");
    expect(inState).to.not.include(email(20));
    await repo.ok(["preview", "--expect-no-changes"]);
  });

  it("with onRemove: keep for the whole roster, pulumi destroy needs no allowance and writes nothing", async () => {
    const { emu } = await adoptedStack(rosterYaml(ALL, { top: ["onRemove: keep"] }));
    await repo.ok(["destroy", "--yes"]);
    expect(await writeRequests(emu)).to.deep.equal([]);
    expect((await repo.exportState()).deployment.resources ?? []).to.deep.equal([]);
    expect(await emailsInJustCall(emu)).to.have.length(20);
  });
});
