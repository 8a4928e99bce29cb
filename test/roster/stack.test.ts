// The roster stack on the plain pulumi CLI against a fresh emulator: validation before anything
// is registered, adoption of seeded agents, a number moved in place, and the authoritative audit.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { freshEmulator, writeCalls } from "../support/justcall";
import { gitopsExample, UserRepo } from "../support/user-repo";

describe("roster stack on the plain pulumi CLI", function () {
  let emu: RunningEmulator | undefined;
  let repo: UserRepo | undefined;

  afterEach(async () => {
    repo?.cleanup();
    repo = undefined;
    if (emu) await emu.close();
    emu = undefined;
  });

  it("rejects a roster with errors before registering anything, naming each entry and line; an empty one in one line", async () => {
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
    expect(output).to.include(
      "roster.yaml:9: agent #2 (JANE.DOE@acme.example): numbers[0]: +14155550199 is not one of the account's numbers",
    );
    expect(await writeCalls(emu)).to.deep.equal([]);
    const state = (await repo.exportState()).deployment;
    expect((state.resources ?? []).filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic"))).to.deep.equal([]);

    // An empty roster (comments only): one line that says what is missing, no stack trace.
    repo.writeFile("roster.yaml", "# The agents go here.\n");
    const empty = await repo.fails(["preview"]);
    expect(empty).to.include(
      "roster.yaml: the roster is empty: it needs an agents list, like " +
        "agents: [{email: jane@acme.example, firstname: Jane, lastname: Doe}] (nothing was changed)\n",
    );
    expect(empty).to.not.include("TypeError");
    expect(empty).to.not.include("unhandled exception");
    expect(empty).to.not.match(/\n\s+at /);
  });

  // The plain CLI on a checkout of the repository's root stack (roster.yaml is the demo roster).
  it("adopts the seeded agents, invites the new one, moves a number in place, and audits unmanaged agents", async () => {
    emu = await freshEmulator();
    repo = UserRepo.rootStackCheckout("roster-lifecycle");
    await repo.initStack(emu, "lifecycle");
    const demo = fs.readFileSync(path.join(repo.dir, "roster.yaml"), "utf8");
    const outputs = async () => JSON.parse((await repo!.ok(["stack", "output", "--json"])).stdout);

    await repo.ok(["up", "--yes"]);
    // 4 agents, 5 memberships, 3 numbers, the audit, the guard, the stack
    expect(await repo.lastChanges()).to.deep.equal({ create: 15 });
    expect((await emu.admin.outbox()).map((i) => i.email)).to.deep.equal(["alex.kim@acme.example"]);
    expect((await outputs()).unmanagedAgents).to.deep.equal([]);
    await repo.ok(["preview", "--expect-no-changes"]);

    // Move Alex's number to Sam: one in-place update, one API write.
    repo.writeFile(
      "roster.yaml",
      demo
        .replace('    numbers: ["+14155550102"]\n', "")
        .replace("    teams: [Support, Sales]\n", '    teams: [Support, Sales]\n    numbers: ["+14155550102"]\n'),
    );
    await emu.admin.clearRequests();
    await repo.ok(["up", "--yes"]);
    expect(await repo.lastChanges()).to.deep.equal({ same: 14, update: 1 });
    expect(await writeCalls(emu)).to.have.length(1);
    const state = (await emu.admin.state()).accounts[0];
    const sam = state.agents.find((a) => a.email === "sam.lee@acme.example")!;
    expect(state.numbers.find((n) => n.number === "+14155550102")!.assigned_to).to.equal(sam.id);

    // Someone is added in the dashboard: refresh and preview show it, and a drift check fails.
    await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Dash", lastname: "Board", email: "dash.board@acme.example" });
    await repo.ok(["refresh", "--yes"]);
    expect(await repo.lastChanges()).to.deep.include({ update: 1 });
    const audit = (await repo.exportState()).deployment.resources.find((r: any) => r.type.endsWith(":RosterAudit"));
    expect(audit.outputs.unmanaged).to.deep.equal(["dash.board@acme.example"]);
    const preview = await repo.ok(["preview", "--diff"]);
    expect(preview.stdout).to.match(/1 to update/);
    expect(preview.stdout).to.include("dash.board@acme.example");
    const drift = await repo.fails(["preview", "--refresh", "--expect-no-changes"]);
    expect(drift, "a drift check must fail while an unmanaged agent exists").to.include("dash.board@acme.example");
    await repo.ok(["up", "--yes"]);
    expect((await outputs()).unmanagedAgents).to.deep.equal(["dash.board@acme.example"]);
    expect((await emu.admin.state()).accounts[0].agents.map((a) => a.email)).to.include("dash.board@acme.example");
  });
});
