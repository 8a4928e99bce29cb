// The three resources on the real Pulumi engine against the emulator over loopback HTTP, in
// Pulumi's own integration order. Each test has its own emulator and its own stack.
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { Agent } from "../../provider";
import { DELETE_CHECK_MAX_AGE_MS } from "../../provider/client/client-reads";
import { repoRoot, TestProject } from "../../harness/engine";
import { type AgentSpec, agentByEmail, allCalls, freshEmulator, providerConfig, rosterProgram, writeCalls } from "../support/justcall";
import { UserRepo } from "../support/user-repo";

const alice: AgentSpec = {
  name: "alice",
  email: "alice@acme.example",
  firstname: "Alice",
  lastname: "Martin",
  role: "agent",
  timezone: "Europe/Paris",
  teams: ["Support"],
  numbers: ["+14155550102"],
};
const bob: AgentSpec = {
  name: "bob",
  email: "bob@acme.example",
  firstname: "Bob",
  lastname: "Okafor",
  role: "supervisor",
  phone: "+14155550999",
  teams: ["Sales", "Billing"],
};
// Already in the seeded account (an accepted agent holding +14155550100): adopted, not invited.
const jane: AgentSpec = {
  name: "jane",
  email: "jane.doe@acme.example",
  firstname: "Jane",
  lastname: "Doe",
  role: "admin",
  teams: ["Support"],
  numbers: ["+14155550100"],
};

describe("provider on the real engine", function () {
  let emu: RunningEmulator | undefined;
  let project: TestProject | undefined;
  let cli: UserRepo | undefined;

  afterEach(async () => {
    cli?.cleanup(); // the emulator is thrown away
    cli = undefined;
    if (project) await project.cleanup();
    if (emu) await emu.close();
    project = undefined;
    emu = undefined;
  });

  async function setup(name: string, agents: AgentSpec[]) {
    emu = await freshEmulator();
    project = await TestProject.create(name);
    const stack = await project.stack(rosterProgram(agents), providerConfig(emu));
    return { emu, project, stack, log: project.collect() };
  }

  it("previews without writing, creates on up, and then changes nothing and calls nothing", async () => {
    const { emu, project, stack, log } = await setup("lifecycle", [alice, bob, jane]);

    const preview = await stack.preview({ onOutput: log, diff: true });
    expect(await writeCalls(emu), "preview must not write").to.deep.equal([]);
    expect(preview.changeSummary.create).to.equal(1 + 3 + 4 + 2); // stack, agents, memberships, numbers
    // The preview says which creates invite and which adopt.
    expect(preview.stdout).to.match(/createAction\s*:\s*"invite"/);
    expect(preview.stdout).to.match(/createAction\s*:\s*"adopt"/);

    const up = await stack.up({ onOutput: log });
    expect(up.summary.resourceChanges).to.deep.equal({ create: 10 });
    const state = await emu.admin.state();
    const account = state.accounts[0];
    const byEmail = (e: string) => account.agents.find((a) => a.email === e)!;
    expect(byEmail("alice@acme.example")).to.include({ firstname: "Alice", timezone: "Europe/Paris", status: "Pending" });
    expect(byEmail("bob@acme.example")).to.include({ role: "supervisor", phone: "+14155550999" });
    const team = (name: string) => account.teams.find((t) => t.name === name)!;
    expect(team("Support").agents).to.include.members([byEmail("alice@acme.example").id, byEmail("jane.doe@acme.example").id]);
    expect(team("Sales").agents).to.include(byEmail("bob@acme.example").id);
    expect(team("Billing").agents).to.include(byEmail("bob@acme.example").id);
    const number = (n: string) => account.numbers.find((x) => x.number === n)!;
    expect(number("+14155550102").assigned_to).to.equal(byEmail("alice@acme.example").id);
    expect(number("+14155550100").assigned_to).to.equal(byEmail("jane.doe@acme.example").id);
    expect(up.outputs.aliceId.value).to.equal(byEmail("alice@acme.example").id);

    // Two invitations (alice, bob); jane was adopted.
    expect((await emu.admin.outbox()).map((i) => i.email).sort()).to.deep.equal(["alice@acme.example", "bob@acme.example"]);

    await emu.admin.clearRequests();
    const again = await stack.up({ onOutput: log });
    expect(again.summary.resourceChanges).to.deep.equal({ same: 10 });
    expect(await allCalls(emu), "an empty update makes no API call").to.deep.equal([]);

    const refresh = await stack.refresh({ expectNoChanges: true, onOutput: log });
    expect(refresh.summary.result).to.equal("succeeded");
    // Refresh of 3 agents, 4 memberships and 2 numbers: one list of each, not one GET per resource.
    // The guide's list prints no time zone or phone, so the two agents whose program sets one
    // (alice's timezone, bob's phone) are also read by id (docs/client.md, "Nothing invented").
    const routes = (await allCalls(emu)).map((c) => c.replace(/ \d+$/, ""));
    expect(routes.filter((r) => r === "GET /v1/agents")).to.have.length(1);
    expect(routes.filter((r) => r === "GET /v1/agents/{id}")).to.have.length(2);

    // No API secret anywhere: state export, backend files, engine output.
    const exported = project.exportStack();
    expect(exported).to.include("justcall:apiSecret"); // the stack config is there, encrypted
    const secret = emu.credentials.apiSecret;
    expect(exported).to.not.include(secret);
    expect(project.backendText()).to.not.include(secret);
    expect(project.logs.join("\n")).to.not.include(secret);
  });

  it("applies a field change with exactly one update call; refresh shows an out-of-band edit and up corrects it", async () => {
    const { emu, stack, log } = await setup("edits", [alice]);
    await stack.up({ onOutput: log });
    const id = (await agentByEmail(emu, alice.email))!.id;

    await emu.admin.clearRequests();
    const edited = await project!.stack(rosterProgram([{ ...alice, firstname: "Alicia" }]), providerConfig(emu));
    const up = await edited.up({ onOutput: log });
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(await writeCalls(emu)).to.deep.equal([`POST /v1/agents/${id}`]);
    expect(await agentByEmail(emu, alice.email)).to.include({ firstname: "Alicia" });

    // Someone edits the agent in the dashboard.
    await emu.admin.editAgent(id, { lastname: "Changed-In-Dashboard", timezone: "Asia/Tokyo" });
    const refresh = await edited.refresh({ onOutput: log });
    expect(refresh.summary.resourceChanges).to.deep.include({ update: 1 });
    const preview = await edited.preview({ onOutput: log, diff: true });
    expect(preview.changeSummary.update).to.equal(1);
    expect(preview.stdout).to.include("Changed-In-Dashboard");
    await edited.up({ onOutput: log });
    expect(await agentByEmail(emu, alice.email)).to.include({ lastname: "Martin", timezone: "Europe/Paris" });
    await edited.refresh({ expectNoChanges: true, onOutput: log });
  });

  it("drops an agent deleted out of band on refresh, and re-creates it on up", async () => {
    const { emu, stack, log } = await setup("oob-delete", [alice]);
    await stack.up({ onOutput: log });
    const first = (await agentByEmail(emu, alice.email))!;
    await emu.admin.deleteAgent(first.id);

    const refresh = await stack.refresh({ onOutput: log });
    expect(refresh.summary.resourceChanges).to.deep.include({ delete: 3 }); // agent, membership, number
    const up = await stack.up({ onOutput: log });
    expect(up.summary.resourceChanges).to.deep.include({ create: 3 });
    const second = (await agentByEmail(emu, alice.email))!;
    expect(second.id).to.not.equal(first.id);
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550102")!;
    expect(number.assigned_to).to.equal(second.id);
  });

  it("releases a removed agent's number and membership before the DELETE", async () => {
    const { emu, stack, log } = await setup("removal", [alice, bob]);
    await stack.up({ onOutput: log });
    const aliceId = (await agentByEmail(emu, alice.email))!.id;
    const numberId = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550102")!.id;
    const supportId = (await emu.admin.state()).accounts[0].teams.find((t) => t.name === "Support")!.id;

    await emu.admin.clearRequests();
    const withoutAlice = await project!.stack(rosterProgram([bob]), providerConfig(emu));
    const up = await withoutAlice.up({ onOutput: log });
    expect(up.summary.resourceChanges).to.deep.include({ delete: 3 });

    const writes = await writeCalls(emu);
    const unassign = writes.indexOf(`POST /v1/phone-numbers/${numberId}`);
    const leave = writes.indexOf(`DELETE /v1/teams/${supportId}/agents/${aliceId}`);
    const del = writes.indexOf(`DELETE /v1/agents/${aliceId}`);
    expect(unassign, writes.join("\n")).to.be.greaterThan(-1);
    expect(leave, writes.join("\n")).to.be.greaterThan(-1);
    expect(del).to.be.greaterThan(unassign);
    expect(del).to.be.greaterThan(leave);
    expect(await agentByEmail(emu, alice.email)).to.equal(undefined);
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.id === numberId)!;
    expect(number.assigned_to, "unassigned, not released").to.equal(null);
  });

  // On the plain CLI: its second up fails, and an inline program's leftovers from a failed run
  // can make a later inline run in the same test process register nothing.
  it("refuses to delete an agent who still holds a number the stack does not manage, naming it", async () => {
    emu = await freshEmulator();
    cli = UserRepo.agentsProject("delete-guard", [{ ...alice, numbers: [] }]);
    const repo = cli;
    await repo.initStack(emu, "test");
    await repo.ok(["up", "--yes", "--skip-preview"]);
    const id = (await agentByEmail(emu, alice.email))!.id;
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550103")!;
    await emu.admin.moveNumber(number.id, id); // assigned in the dashboard

    repo.setAgents([]);
    const message = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(message).to.include("+14155550103");
    expect(message).to.match(/releaseNumbersOnDelete/);
    expect(await agentByEmail(emu, alice.email), "the agent must still exist").to.not.equal(undefined);

    // Opting in releases the number and deletes the agent.
    repo.setAgents([{ ...alice, numbers: [], releaseNumbersOnDelete: true }]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    repo.setAgents([]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await agentByEmail(emu, alice.email)).to.equal(undefined);
    const after = (await emu.admin.state()).accounts[0].numbers.find((n) => n.id === number.id)!;
    expect(after.assigned_to).to.equal(null);
  });

  it("clears concurrent deletes with one shared number read, and a number assigned after that read still stops a later delete", async () => {
    const person = (name: string) => ({ email: `${name}@acme.example`, firstname: name, lastname: "Leaver" });
    // The early agents depend on `late`, so the engine deletes them first, together, and `late` after.
    const program = async () => {
      const late = new Agent("late", person("late"));
      for (const name of ["early1", "early2", "early3"]) new Agent(name, person(name), { dependsOn: [late] });
    };
    emu = await freshEmulator();
    project = await TestProject.create("delete-shared-read");
    const log = project.collect();
    await (await project.stack(program, providerConfig(emu))).up({ onOutput: log });
    const lateId = (await agentByEmail(emu, "late@acme.example"))!.id;
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550103")!;

    // The first early DELETE waits at the emulator: the shared read has cleared the early agents.
    await emu.admin.clearRequests();
    await emu.admin.setFaults([{ route: "DELETE /v1/agents/{id}", kind: "hold", count: 1 }]);
    const empty = await project.stack(async () => {}, providerConfig(emu));
    const run = empty.up({ onOutput: log }).then(
      () => "",
      (err) => String(err),
    );
    expect(await emu.admin.waitForHeld(1)).to.equal(1);
    await emu.admin.moveNumber(number.id, lateId); // assigned in the dashboard, after the shared read
    // Past the freshness window of that read (counted from the emulator's receipt of it, which is
    // after the provider started it), `late`'s delete must read again instead of reusing it.
    const read = (await emu.admin.requests()).requests.find((r) => r.route === "GET /v1/phone-numbers")!;
    const staleAt = Date.parse(read.startedAt) + DELETE_CHECK_MAX_AGE_MS;
    while (Date.now() <= staleAt) await new Promise((r) => setTimeout(r, staleAt + 1 - Date.now()));
    await emu.admin.releaseHeld();
    const message = await run;

    expect(message).to.include("Agent late@acme.example: delete");
    expect(message).to.include("+14155550103");
    expect(await agentByEmail(emu, "late@acme.example"), "late must still exist").to.not.equal(undefined);
    const after = (await emu.admin.state()).accounts[0].numbers.find((n) => n.id === number.id)!;
    expect(after.assigned_to, "the number stays with late").to.equal(lateId);
    for (const name of ["early1", "early2", "early3"]) expect(await agentByEmail(emu, `${name}@acme.example`)).to.equal(undefined);
    const reads = (await emu.admin.requests()).requests.filter((r) => r.route === "GET /v1/phone-numbers").map((r) => r.path);
    expect(reads, "one list read for the three early deletes, one for late; no per-agent read").to.have.length(2);
    for (const path of reads) expect(path).to.not.include("assigned_to");
  });

  it("stores a provider that holds no path and no version, so another checkout or release changes nothing", async () => {
    const { emu, project, stack, log } = await setup("portable-provider", [alice, jane]);
    await stack.up({ onOutput: log });
    const state = (await stack.exportStack()).deployment;
    const providers = new Set<string>(state.resources.filter((r: any) => r.inputs?.__provider).map((r: any) => r.inputs.__provider));
    expect(providers.size, "one serialized provider per resource type").to.equal(3);
    for (const text of providers) {
      expect(text).to.not.include(repoRoot);
      expect(text).to.not.include(project.dir);
      expect(text).to.not.match(/\d+\.\d+\.\d+/);
    }
    await emu.admin.clearRequests();
    const second = await stack.up({ onOutput: log });
    expect(second.summary.resourceChanges?.update ?? 0).to.equal(0);
    expect(await allCalls(emu)).to.deep.equal([]);
  });
});
