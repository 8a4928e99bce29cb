// The roster stack on the real engine against a fresh emulator: validation before anything is
// registered, adoption of seeded agents, a number moved in place, and the authoritative audit.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningEmulator } from "../../emulator";
import { rosterStack } from "../../roster";
import { repoRoot, TestProject } from "../../harness/engine";
import { freshEmulator, providerConfig, writeCalls } from "../support/justcall";
import { gitopsExample, UserRepo } from "../support/user-repo";

describe("roster stack on the real engine", function () {
  let emu: RunningEmulator | undefined;
  let project: TestProject | undefined;
  let repo: UserRepo | undefined;

  afterEach(async () => {
    repo?.cleanup();
    repo = undefined;
    if (project) await project.cleanup();
    if (emu) await emu.close();
    project = undefined;
    emu = undefined;
  });

  async function setup(name: string, rosterText: string) {
    emu = await freshEmulator();
    project = await TestProject.create(name);
    const file = path.join(project.dir, "roster.yaml");
    fs.writeFileSync(file, rosterText);
    const stack = await project.stack(() => rosterStack({ baseDir: project!.dir }), providerConfig(emu));
    return { emu, project, stack, file, log: project.collect() };
  }

  it("rejects a roster with errors before registering anything, naming each entry and line", async () => {
    const bad = [
      "agents:",
      "  - email: jane.doe@acme.example",
      "    firstname: Jane",
      "    lastname: Doe",
      "    teams: [Support, Marketing]",
      "  - email: JANE.DOE@acme.example",
      "    firstname: J",
      "    lastname: D",
      "    numbers: ['+14155550199']",
    ].join("\n");
    // The plain CLI, as users run it: a failed inline up could leave the next inline run in this
    // test process registering nothing (docs/development.md).
    emu = await freshEmulator();
    repo = await gitopsExample("roster-invalid", bad);
    await repo.initStack(emu);
    const output = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(output).to.include('roster.yaml:5: agent #1 (jane.doe@acme.example): teams[1]: no team named "Marketing"');
    expect(output).to.include("roster.yaml:6: agent #2 (JANE.DOE@acme.example): email:");
    expect(output).to.include("roster.yaml:9: agent #2 (JANE.DOE@acme.example): numbers[0]: +14155550199 is not one of the account's numbers");
    expect(await writeCalls(emu)).to.deep.equal([]);
    const state = (await repo.exportState()).deployment;
    expect((state.resources ?? []).filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic"))).to.deep.equal([]);
  });

  it("adopts the seeded agents, invites the new one, moves a number in place, and audits unmanaged agents", async () => {
    const demo = fs.readFileSync(path.join(repoRoot, "roster.yaml"), "utf8");
    const { emu, stack, file, log } = await setup("roster-lifecycle", demo);

    const up = await stack.up({ onOutput: log });
    // 4 agents, 5 memberships, 3 numbers, the audit, the guard, the stack
    expect(up.summary.resourceChanges).to.deep.equal({ create: 15 });
    expect((await emu.admin.outbox()).map((i) => i.email)).to.deep.equal(["alex.kim@acme.example"]);
    expect(up.outputs.unmanagedAgents.value).to.deep.equal([]);
    const nothing = await stack.preview({ onOutput: log });
    expect(nothing.changeSummary).to.deep.equal({ same: 15 });

    // Move Alex's number to Sam: one in-place update, one API write.
    fs.writeFileSync(file, demo.replace('    numbers: ["+14155550102"]\n', "").replace("    teams: [Support, Sales]\n", '    teams: [Support, Sales]\n    numbers: ["+14155550102"]\n'));
    await emu.admin.clearRequests();
    const move = await stack.up({ onOutput: log });
    expect(move.summary.resourceChanges).to.deep.equal({ same: 14, update: 1 });
    const writes = await writeCalls(emu);
    expect(writes).to.have.length(1);
    const state = (await emu.admin.state()).accounts[0];
    const sam = state.agents.find((a) => a.email === "sam.lee@acme.example")!;
    expect(state.numbers.find((n) => n.number === "+14155550102")!.assigned_to).to.equal(sam.id);

    // Someone is added in the dashboard: refresh and preview show it, and a drift check fails.
    await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Dash", lastname: "Board", email: "dash.board@acme.example" });
    const refresh = await stack.refresh({ onOutput: log });
    expect(refresh.summary.resourceChanges).to.deep.include({ update: 1 });
    const audit = (await stack.exportStack()).deployment.resources.find((r: any) => r.type.endsWith(":RosterAudit"));
    expect(audit.outputs.unmanaged).to.deep.equal(["dash.board@acme.example"]);
    const preview = await stack.preview({ onOutput: log, diff: true });
    expect(preview.changeSummary.update).to.equal(1);
    expect(preview.stdout).to.include("dash.board@acme.example");
    let drift: Error | undefined;
    try {
      await stack.preview({ onOutput: log, refresh: true, expectNoChanges: true });
    } catch (err) {
      drift = err as Error;
    }
    expect(drift, "a drift check must fail while an unmanaged agent exists").to.not.equal(undefined);
    const after = await stack.up({ onOutput: log });
    expect(after.outputs.unmanagedAgents.value).to.deep.equal(["dash.board@acme.example"]);
    expect((await emu.admin.state()).accounts[0].agents.map((a) => a.email)).to.include("dash.board@acme.example");
  });
});
