// The provider in `justcall:apiVersion` v2.1 mode (JustCall's published, read-mostly API) on the
// real engine against the emulator's /v2.1 routes: reads, refresh and drift work fully;
// availability is writable; what the API cannot do fails at preview (or at up) with the
// dashboard step, and converges once the step is done.
import { expect } from "chai";
import { RunningEmulator } from "../../emulator";
import { TestProject } from "../support/engine";
import { AgentSpec, agentByEmail, freshEmulator, providerConfig, rosterProgram } from "../support/justcall";
import { CliResult, UserRepo } from "../support/user-repo";

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
const sam: AgentSpec = { name: "sam", email: "sam.lee@acme.example", firstname: "Sam", lastname: "Lee", role: "agent", teams: ["Support", "Sales"] };

async function failureOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    return String(err);
  }
  throw new Error("expected the operation to fail");
}

describe("provider in v2.1 mode on the real engine", function () {
  let emu: RunningEmulator | undefined;
  let project: TestProject | undefined;
  let cli: UserRepo | undefined;

  afterEach(async () => {
    cli?.cleanup();
    cli = undefined;
    if (project) await project.cleanup();
    if (emu) await emu.close();
    project = undefined;
    emu = undefined;
  });

  async function setup(name: string) {
    emu = await freshEmulator({ v21RateLimit: { hour: { limit: 5000, windowMs: 3_600_000 }, burst: { limit: 500, windowMs: 1000 } } });
    project = await TestProject.create(name);
    const config = (agents: AgentSpec[]) =>
      project!.stack(
        rosterProgram(agents),
        providerConfig(emu!, {
          "justcall:apiVersion": { value: "v2.1" },
          "justcall:rateLimit": { value: "500/1s" },
          "justcall:hourlyRateLimit": { value: "5000/1h" },
        }),
      );
    return { emu, project, config, log: project.collect() };
  }

  it("adopts the account with no write, refreshes quietly, and shows drift", async () => {
    const { emu, config, log } = await setup("v21-adopt");
    const stack = await config([jane, sam]);
    const up = await stack.up({ onOutput: log });
    expect(up.summary.resourceChanges).to.deep.equal({ create: 7 }); // stack, 2 agents, 3 memberships, 1 number
    const { requests } = await emu.admin.requests();
    expect(requests.filter((r) => r.method !== "GET"), "adoption makes no write").to.deep.equal([]);
    expect(requests.every((r) => r.path.startsWith("/v2.1/"))).to.equal(true);

    await stack.refresh({ expectNoChanges: true, onOutput: log });
    const again = await stack.up({ onOutput: log });
    expect(again.summary.resourceChanges).to.deep.equal({ same: 7 });

    // Drift: someone moves Jane's number in the dashboard; refresh reports it.
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550100")!;
    const samId = (await agentByEmail(emu, sam.email))!.id;
    await emu.admin.moveNumber(number.id, samId);
    const refresh = await stack.refresh({ onOutput: log });
    expect(refresh.summary.resourceChanges).to.deep.include({ update: 1 });
    // up cannot move it back through the published API: the error is the dashboard step.
    const message = await failureOf(() => stack.up({ onOutput: log }));
    expect(message).to.match(/Phone Numbers/);
    expect(message).to.include("+14155550100");
  });

  it("sets availability, the one write of the published API", async () => {
    const { emu, config, log } = await setup("v21-availability");
    const stack = await config([jane]);
    await stack.up({ onOutput: log });

    await emu.admin.clearRequests();
    const away = await config([{ ...jane, available: false, unavailabilityReason: "On leave" }]);
    const up = await away.up({ onOutput: log });
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    const writes = (await emu.admin.requests()).requests.filter((r) => r.method !== "GET").map((r) => r.route);
    expect(writes).to.deep.equal(["PUT /v2.1/users/availability"]);
    const janeId = (await agentByEmail(emu, jane.email))!.id;
    const extra = (await emu.admin.state()).accounts[0].agentExtras.find((a) => a.id === janeId);
    expect(extra).to.include({ available: false, unavailability_reason: "On leave" });
    await away.refresh({ expectNoChanges: true, onOutput: log });
  });

  it("fails at preview with the dashboard step for each change the API cannot make", async () => {
    const { config, log } = await setup("v21-impossible");
    await (await config([jane, sam])).up({ onOutput: log });

    // Inviting a new person.
    const newcomer: AgentSpec = { name: "newcomer", email: "new.person@acme.example", firstname: "New", lastname: "Person", role: "agent" };
    const invite = await failureOf(async () => (await config([jane, sam, newcomer])).preview({ onOutput: log }));
    expect(invite).to.include("add new.person@acme.example in JustCall: Settings > Team, then run pulumi up again");

    // Renaming.
    const rename = await failureOf(async () => (await config([{ ...jane, lastname: "Smith" }, sam])).preview({ onOutput: log }));
    expect(rename).to.match(/lastname/);
    expect(rename).to.match(/Settings > Team/);

    // A new team membership for an existing agent.
    const join = await failureOf(async () => (await config([{ ...jane, teams: ["Support", "Billing"] }, sam])).preview({ onOutput: log }));
    expect(join).to.match(/Settings > Teams > Billing/);

    // A number for an agent who does not hold it.
    const assign = await failureOf(async () => (await config([jane, { ...sam, numbers: ["+14155550103"] }])).preview({ onOutput: log }));
    expect(assign).to.include("+14155550103");
    expect(assign).to.match(/Phone Numbers/);

    // A personal phone is not part of the published API.
    const phone = await failureOf(async () => (await config([{ ...jane, phone: "+14155550999" }, sam])).preview({ onOutput: log }));
    expect(phone).to.match(/phone is not part of JustCall's published API/);
  });

  // On the plain CLI: this case fails a run and then runs again, and an inline program's leftovers
  // from a failed run once made the next inline up register nothing (it then deleted Jane's
  // membership and number). Each run of the plain CLI has its program in a process of its own.
  it("converges once the dashboard step is done: an invitation, then a removal", async () => {
    emu = await freshEmulator({ v21RateLimit: { hour: { limit: 5000, windowMs: 3_600_000 }, burst: { limit: 500, windowMs: 1000 } } });
    const target = emu;
    cli = UserRepo.agentsProject("v21-converge", [jane]);
    const repo = cli;
    await repo.initStack(target, "test", { "justcall:apiVersion": "v2.1", "justcall:rateLimit": "500/1s", "justcall:hourlyRateLimit": "5000/1h" });
    await repo.ok(["up", "--yes", "--skip-preview"]);
    const output = (r: CliResult) => `${r.stdout}\n${r.stderr}`;

    // The roster asks for a new person: preview names the step; the person is added in the
    // dashboard (the admin API here); refresh, then up, adopts them.
    const newcomer: AgentSpec = { name: "newcomer", email: "new.person@acme.example", firstname: "New", lastname: "Person", role: "agent" };
    repo.setAgents([jane, newcomer]);
    const preview = await repo.pulumi(["preview"]);
    expect(preview.code).to.not.equal(0);
    expect(output(preview)).to.include("Settings > Team");
    await target.admin.addAgent(target.credentials.apiKey, { firstname: "New", lastname: "Person", email: "new.person@acme.example", role: "agent" });
    await repo.ok(["refresh", "--yes", "--skip-preview"]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    const adopted = (await repo.exportState()).deployment.resources.find((r: any) => r.urn.endsWith("::newcomer"));
    expect(adopted?.outputs?.createAction).to.equal("adopt");
    expect(await target.admin.outbox(), "nobody was invited by the provider").to.deep.equal([]);

    // The roster drops the person: up names the step; once removed in the dashboard,
    // refresh and up converge.
    repo.setAgents([jane]);
    const removal = await repo.pulumi(["up", "--yes", "--skip-preview"]);
    expect(removal.code).to.not.equal(0);
    expect(output(removal)).to.include("remove the user new.person@acme.example in JustCall: Settings > Team");
    await target.admin.deleteAgent((await agentByEmail(target, newcomer.email))!.id);
    await repo.ok(["refresh", "--yes", "--skip-preview"]);
    const converged = await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(converged.stdout).to.not.match(/deleted/);
    await repo.ok(["preview", "--expect-no-changes"]);
    expect((await repo.exportState()).deployment.resources.filter((r: any) => /:(Agent|TeamMembership|NumberAssignment)$/.test(r.type))).to.have.length(3);
  });
});
