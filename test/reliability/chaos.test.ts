// Out-of-band chaos between runs: someone changes the account in the JustCall dashboard (the
// emulator's admin API). Refresh reports each change to what the stack manages; up converges.
import { expect } from "chai";
import { type AgentSpec, rosterProgram } from "../support/justcall";
import { checkAccount, config, FREE_NUMBERS, requestCount, roster, row } from "./harness";
import { reliabilityFixture } from "./fixture";

describe("reliability: out-of-band chaos", function () {
  const rel = reliabilityFixture();

  it("reports deleted agents, moved numbers, removed members and edits on refresh, and converges on up", async () => {
    const r = row(
      "Out-of-band chaos",
      "between runs, in the admin API: an agent deleted, a number moved to another managed agent, a number moved to " +
        "an unmanaged agent, a number unassigned, a member removed, a member added, a name edited",
    );
    const emu = await rel.emulator();
    const project = await rel.project("rel-chaos");
    const [a, b, c, d, e, f] = roster(6, "chaos");
    const specs: AgentSpec[] = [
      { ...a, numbers: [FREE_NUMBERS[0]] },
      { ...b, numbers: [FREE_NUMBERS[1]] },
      { ...c, numbers: [FREE_NUMBERS[2]] },
      { ...d, numbers: [FREE_NUMBERS[3]] },
      e,
      f,
    ];
    const stack = await project.stack(rosterProgram(specs), config(emu));
    await stack.up({ onOutput: project.collect() });

    const state = await emu.admin.state();
    const account = state.accounts[0];
    const id = (s: AgentSpec) => account.agents.find((x) => x.email === s.email)!.id;
    const numberId = (n: string) => account.numbers.find((x) => x.number === n)!.id;
    const teamId = (name: string) => account.teams.find((t) => t.name === name)!.id;
    const sam = account.agents.find((x) => x.email === "sam.lee@acme.example")!.id;

    await emu.admin.deleteAgent(id(a)); // also unassigns its number and leaves its team
    await emu.admin.moveNumber(numberId(FREE_NUMBERS[1]), id(c)); // b's number to c (managed)
    await emu.admin.moveNumber(numberId(FREE_NUMBERS[2]), sam); // c's number to an agent the stack does not manage
    await emu.admin.moveNumber(numberId(FREE_NUMBERS[3]), null); // d's number unassigned
    await emu.admin.removeTeamMember(teamId(e.teams![0]), id(e)); // e leaves its team
    await emu.admin.addTeamMember(teamId("Support"), id(f)); // f joins a team the roster does not give it
    await emu.admin.editAgent(id(f), { lastname: "Edited-In-Dashboard" });
    await emu.admin.clearRequests();

    const output: string[] = [];
    const refresh = await stack.refresh({ onOutput: (s) => output.push(s) });
    project.logs.push(...output);
    // Dropped: agent a and its membership and number assignment (gone with it), d's assignment,
    // e's membership. Updated: the two moved numbers and f's name.
    expect(refresh.summary.resourceChanges).to.deep.include({ delete: 5, update: 3 });
    const text = output.join("");
    for (const name of [
      a.name,
      `${a.name}-in-${a.teams![0]}`,
      `${e.name}-in-${e.teams![0]}`,
      `number-${FREE_NUMBERS[0]}`,
      `number-${FREE_NUMBERS[1]}`,
      `number-${FREE_NUMBERS[2]}`,
      `number-${FREE_NUMBERS[3]}`,
      f.name,
    ]) {
      expect(text, `refresh names ${name}`).to.include(name);
    }
    const preview = await stack.preview({ diff: true, onOutput: project.collect() });
    expect(preview.changeSummary).to.deep.include({ create: 5, update: 3 });

    const up = await stack.up({ onOutput: project.collect() });
    expect(up.summary.resourceChanges).to.deep.include({ create: 5, update: 3 });
    // a was deleted in the dashboard, so up invited it again (a new agent): two invitations for a.
    const invitations = (email: string) => (email === a.email ? 2 : 1);
    let check = await checkAccount(emu, specs, { deployment: (await stack.exportStack()).deployment, invitations });
    // f's extra membership is outside the stack: this provider manages declared memberships only.
    expect(check.problems).to.deep.equal([`${f.email}: teams Billing,Support, roster Billing`]);
    await stack.refresh({ expectNoChanges: true, onOutput: project.collect() });

    // Declaring the membership that was added in the dashboard adopts it (no 409 failure).
    const declared = specs.map((s) => (s === f ? { ...f, teams: [...f.teams!, "Support"] } : s));
    const next = await project.stack(rosterProgram(declared), config(emu));
    const adopt = await next.up({ onOutput: project.collect() });
    expect(adopt.summary.resourceChanges).to.deep.include({ create: 1 });
    check = await checkAccount(emu, declared, { deployment: (await next.exportStack()).deployment, invitations });
    r.duplicates = check.duplicates;
    r.requests = await requestCount(emu);
    expect(check.problems).to.deep.equal([]);
    r.result =
      "refresh reported 5 drops (deleted agent with its membership and number, unassigned number, removed member) and 3 updates " +
      "(2 moved numbers, the edit); up re-created and moved them back; a member added out of band is outside the stack until declared, then adopted";
  });
});
