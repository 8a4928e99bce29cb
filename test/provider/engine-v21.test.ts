// The provider in `justcall:apiVersion` v2.1 mode (JustCall's published, read-mostly API) on the
// real engine against the emulator's /v2.1 routes: reads, refresh and drift work fully;
// availability is writable; what the API cannot do fails at preview (or at up) with the
// dashboard step, and converges once the step is done.
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { type AgentSpec, agentByEmail, freshEmulator } from "../support/justcall";
import { UserRepo } from "../support/user-repo";

// The seeded account as it is: adopting it needs no write.
const jane: AgentSpec = {
  name: "jane",
  email: "jane.doe@acme.example",
  firstname: "Jane",
  lastname: "Doe",
  role: "admin",
  teams: ["Support"],
  numbers: ["+14155550100"],
};
const sam: AgentSpec = {
  name: "sam",
  email: "sam.lee@acme.example",
  firstname: "Sam",
  lastname: "Lee",
  role: "agent",
  teams: ["Support", "Sales"],
};

/** The emulator's v2.1 rate limits, and the provider told the same. */
const v21Limits = { hour: { limit: 5000, windowMs: 3_600_000 }, burst: { limit: 500, windowMs: 1000 } };
const v21Config = { "justcall:apiVersion": "v2.1", "justcall:rateLimit": "500/1s", "justcall:hourlyRateLimit": "5000/1h" };

// On the plain CLI, as a user runs it: most cases here fail a run and then run again, and an
// inline program's leftovers from a failed run once made the next inline up in the same test
// process register nothing (it then deleted Jane's membership and number). Each run of the plain
// CLI has its program in a process of its own.
describe("provider in v2.1 mode on the real engine", function () {
  let emu: RunningEmulator | undefined;
  let cli: UserRepo | undefined;

  afterEach(async () => {
    cli?.cleanup();
    cli = undefined;
    if (emu) await emu.close();
    emu = undefined;
  });

  /** A plain-CLI project declaring `agents`, its stack in v2.1 mode against a fresh emulator. */
  async function setup(name: string, agents: AgentSpec[]) {
    emu = await freshEmulator({ v21RateLimit: v21Limits });
    cli = UserRepo.agentsProject(name, agents);
    await cli.initStack(emu, "test", v21Config);
    return { emu, repo: cli };
  }

  it("adopts the account with no write, refreshes quietly, and shows drift", async () => {
    const { emu, repo } = await setup("v21-adopt", [jane, sam]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await repo.lastChanges()).to.deep.equal({ create: 7 }); // stack, 2 agents, 3 memberships, 1 number
    const { requests } = await emu.admin.requests();
    expect(
      requests.filter((r) => r.method !== "GET"),
      "adoption makes no write",
    ).to.deep.equal([]);
    expect(requests.every((r) => r.path.startsWith("/v2.1/"))).to.equal(true);

    await repo.ok(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await repo.lastChanges()).to.deep.equal({ same: 7 });

    // Drift: someone moves Jane's number in the dashboard; refresh reports it.
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550100")!;
    const samId = (await agentByEmail(emu, sam.email))!.id;
    await emu.admin.moveNumber(number.id, samId);
    await repo.ok(["refresh", "--yes", "--skip-preview"]);
    expect(await repo.lastChanges()).to.deep.include({ update: 1 });
    // up cannot move it back through the published API: the error is the dashboard step.
    const message = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(message).to.match(/Phone Numbers/);
    expect(message).to.include("+14155550100");
  });

  it("sets availability, the one write of the published API", async () => {
    const { emu, repo } = await setup("v21-availability", [jane]);
    await repo.ok(["up", "--yes", "--skip-preview"]);

    await emu.admin.clearRequests();
    repo.setAgents([{ ...jane, available: false, unavailabilityReason: "On leave" }]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await repo.lastChanges()).to.deep.include({ update: 1 });
    const writes = (await emu.admin.requests()).requests.filter((r) => r.method !== "GET").map((r) => r.route);
    expect(writes).to.deep.equal(["PUT /v2.1/users/availability"]);
    const janeId = (await agentByEmail(emu, jane.email))!.id;
    const extra = (await emu.admin.state()).accounts[0].agentExtras.find((a) => a.id === janeId);
    expect(extra).to.include({ available: false, unavailability_reason: "On leave" });
    await repo.ok(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
  });

  it("fails at preview with the dashboard step for each change the API cannot make", async () => {
    const { repo } = await setup("v21-impossible", [jane, sam]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    const previewOf = (agents: AgentSpec[]) => {
      repo.setAgents(agents);
      return repo.fails(["preview"]);
    };

    // Inviting a new person.
    const newcomer: AgentSpec = { name: "newcomer", email: "new.person@acme.example", firstname: "New", lastname: "Person", role: "agent" };
    const invite = await previewOf([jane, sam, newcomer]);
    expect(invite).to.include("add new.person@acme.example in JustCall: Settings > Team, then run pulumi up again");

    // Renaming.
    const rename = await previewOf([{ ...jane, lastname: "Smith" }, sam]);
    expect(rename).to.match(/lastname/);
    expect(rename).to.match(/Settings > Team/);

    // A new team membership for an existing agent.
    const join = await previewOf([{ ...jane, teams: ["Support", "Billing"] }, sam]);
    expect(join).to.match(/Settings > Teams > Billing/);

    // A number for an agent who does not hold it.
    const assign = await previewOf([jane, { ...sam, numbers: ["+14155550103"] }]);
    expect(assign).to.include("+14155550103");
    expect(assign).to.match(/Phone Numbers/);

    // A personal phone is not part of the published API.
    const phone = await previewOf([{ ...jane, phone: "+14155550999" }, sam]);
    expect(phone).to.match(/phone is not part of JustCall's published API/);
  });

  it("converges once the dashboard step is done: an invitation, then a removal", async () => {
    const { emu: target, repo } = await setup("v21-converge", [jane]);
    await repo.ok(["up", "--yes", "--skip-preview"]);

    // The roster asks for a new person: preview names the step; the person is added in the
    // dashboard (the admin API here); refresh, then up, adopts them.
    const newcomer: AgentSpec = { name: "newcomer", email: "new.person@acme.example", firstname: "New", lastname: "Person", role: "agent" };
    repo.setAgents([jane, newcomer]);
    expect(await repo.fails(["preview"])).to.include("Settings > Team");
    await target.admin.addAgent(target.credentials.apiKey, {
      firstname: "New",
      lastname: "Person",
      email: "new.person@acme.example",
      role: "agent",
    });
    await repo.ok(["refresh", "--yes", "--skip-preview"]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    const adopted = (await repo.exportState()).deployment.resources.find((r: any) => r.urn.endsWith("::newcomer"));
    expect(adopted?.outputs?.createAction).to.equal("adopt");
    expect(await target.admin.outbox(), "nobody was invited by the provider").to.deep.equal([]);

    // The roster drops the person: up names the step; once removed in the dashboard,
    // refresh and up converge.
    repo.setAgents([jane]);
    const removal = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(removal).to.include("remove the user new.person@acme.example in JustCall: Settings > Team");
    await target.admin.deleteAgent((await agentByEmail(target, newcomer.email))!.id);
    await repo.ok(["refresh", "--yes", "--skip-preview"]);
    const converged = await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(converged.stdout).to.not.match(/deleted/);
    await repo.ok(["preview", "--expect-no-changes"]);
    expect(
      (await repo.exportState()).deployment.resources.filter((r: any) => /:(Agent|TeamMembership|NumberAssignment)$/.test(r.type)),
    ).to.have.length(3);
  });
});
