// Tolerant readers on the real engine, with the emulator answering exactly as the guide (v1) and the
// published reference (v2.1) print their examples (`shapes: "guide"`): partial update answers,
// a duplicate email answered with a 400, and export → up → refresh in v2.1.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { rosterStack, validateRosterText } from "../../roster";
import { main } from "../../roster/cli";
import { TestProject } from "../../harness/engine";
import { type AgentSpec, agentByEmail, freshEmulator, providerConfig, rosterProgram, writeCalls } from "../support/justcall";
import { UserRepo } from "../support/user-repo";

const alice: AgentSpec = {
  name: "alice",
  email: "alice@acme.example",
  firstname: "Alice",
  lastname: "Martin",
  role: "agent",
  timezone: "Europe/Paris",
};
const dana: AgentSpec = {
  name: "dana",
  email: "dana@acme.example",
  firstname: "Dana",
  lastname: "Scully",
  role: "supervisor",
  timezone: "America/New_York",
};

describe("provider on the real engine against the guide's shapes", function () {
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

  it("an out-of-band edit, then up: the partial update answer is merged, and the next refresh is quiet", async () => {
    emu = await freshEmulator({ shapes: "guide" });
    project = await TestProject.create("guide-oob-edit");
    const log = project.collect();
    const stack = await project.stack(rosterProgram([alice]), providerConfig(emu));
    const created = await stack.up({ onOutput: log });
    expect(created.summary.resourceChanges).to.deep.equal({ create: 2 });
    const id = (await agentByEmail(emu, alice.email))!.id;

    // Someone edits the agent in the dashboard; up (with refresh) puts the program's values back.
    // (A promotion to admin would need JUSTCALL_ALLOW_ROLE_CHANGES to be put back: deletion-guard.test.ts.)
    await emu.admin.editAgent(id, { firstname: "Alicia", timezone: "Asia/Tokyo", role: "supervisor" });
    await emu.admin.clearRequests();
    const up = await stack.up({ refresh: true, onOutput: log });
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(await writeCalls(emu)).to.deep.equal([`POST /v1/agents/${id}`]);
    expect(await agentByEmail(emu, alice.email)).to.include({ firstname: "Alice", timezone: "Europe/Paris", role: "agent" });
    // The answer was the guide's: the id and the changed fields only, yet the outputs are whole.
    expect(up.outputs.aliceId.value).to.equal(id);
    const outputs = (await stack.exportStack()).deployment.resources.find((r: { type: string }) =>
      r.type.endsWith("justcall:Agent"),
    ).outputs;
    expect(outputs).to.include({ firstname: "Alice", lastname: "Martin", email: alice.email, role: "agent", timezone: "Europe/Paris" });

    const refresh = await stack.refresh({ expectNoChanges: true, onOutput: log });
    expect(refresh.summary.result).to.equal("succeeded");
  });

  // On the plain CLI: its second up fails, and an inline program's leftovers from a failed run
  // can make a later inline run in the same test process register nothing.
  it("a duplicate email answered with a 400 adopts the agent, with no second invitation; with adoption off it fails clearly", async () => {
    // The create is held at the emulator while the same person is added in the dashboard: the
    // create then meets the guide's duplicate-email error, a 400.
    emu = await freshEmulator({ shapes: "guide", faults: [{ route: "POST /v1/agents", kind: "hold", count: 1 }] });
    cli = UserRepo.agentsProject("guide-duplicate", [dana]);
    const repo = cli;
    await repo.initStack(emu, "test");
    const up = repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await emu.admin.waitForHeld(1), "the create reached the emulator").to.equal(1);
    const added = await emu.admin.addAgent(emu.credentials.apiKey, {
      firstname: "Dana",
      lastname: "Scully",
      email: dana.email,
      role: "supervisor",
      timezone: "America/New_York",
    });
    await emu.admin.releaseHeld();
    await up;

    expect(await repo.lastChanges()).to.deep.equal({ create: 2 });
    expect(JSON.parse((await repo.ok(["stack", "output", "danaId", "--json"])).stdout)).to.equal(added.id);
    const { requests } = await emu.admin.requests();
    const creates = requests.filter((r) => r.route === "POST /v1/agents").map((r) => r.status);
    expect(creates, "one create, answered 400, never repeated").to.deep.equal([400]);
    expect(await emu.admin.outbox(), "no invitation: the dashboard added Dana, and the create failed").to.deep.equal([]);
    expect((await emu.admin.state()).accounts[0].agents.filter((a) => a.email === dana.email)).to.have.length(1);
    await repo.ok(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);

    // The same race with adoptExisting: false fails with a DuplicateEmailError that says what to do.
    await emu.admin.setFaults([{ route: "POST /v1/agents", kind: "hold", count: 1 }]);
    const eve: AgentSpec = { name: "eve", email: "eve@acme.example", firstname: "Eve", lastname: "Moneypenny", adoptExisting: false };
    repo.setAgents([dana, eve]);
    const failing = repo.fails(["up", "--yes", "--skip-preview"]);
    expect(await emu.admin.waitForHeld(1)).to.equal(1);
    await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Eve", lastname: "Moneypenny", email: eve.email });
    await emu.admin.releaseHeld();
    const message = await failing;
    expect(message).to.include("an agent with email eve@acme.example already exists").and.to.include("set adoptExisting: true");
    expect(await emu.admin.outbox(), "still no invitation").to.deep.equal([]);
  });

  it("v2.1: export, then up makes zero write requests, then refresh is quiet (an Account Owner included)", async () => {
    emu = await freshEmulator({ shapes: "guide", v21RateLimit: false });
    await emu.admin.editAgent(103, { role: "Account Owner" });
    project = await TestProject.create("guide-v21-export");
    const log = project.collect();
    const file = path.join(project.dir, "roster.yaml");
    const err: string[] = [];
    const env = { JUSTCALL_API_KEY: emu.credentials.apiKey, JUSTCALL_API_SECRET: emu.credentials.apiSecret, JUSTCALL_BASE_URL: emu.url };
    const code = await main(["export", "--out", file, "--api-version", "v2.1"], env, {
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
    });
    expect(code, err.join("")).to.equal(0);
    expect(err.join("")).to.include(
      'priya.patel@acme.example: role "Account Owner" left out (not managed): it must be one of agent, supervisor, admin',
    );
    const text = fs.readFileSync(file, "utf8");
    expect(validateRosterText(text).ok).to.equal(true);
    expect(text).to.include('"+14155550100"').and.not.to.include("Account Owner");

    await emu.admin.clearRequests();
    const config = providerConfig(emu, {
      "justcall:apiVersion": { value: "v2.1" },
      "justcall:rateLimit": { value: "500/1s" },
      "justcall:hourlyRateLimit": { value: "5000/1h" },
    });
    const stack = await project.stack(() => rosterStack({ file }), config);
    const up = await stack.up({ onOutput: log });
    expect(up.summary.resourceChanges!.create).to.be.greaterThan(3);
    const { requests } = await emu.admin.requests();
    expect(requests.length).to.be.greaterThan(0);
    expect(
      requests.filter((r) => r.method !== "GET"),
      "export → up makes zero writes",
    ).to.deep.equal([]);
    expect(up.outputs.unmanagedAgents.value).to.deep.equal([]);

    const refresh = await stack.refresh({ expectNoChanges: true, onOutput: log });
    expect(refresh.summary.result).to.equal("succeeded");
    const priya = (await stack.exportStack()).deployment.resources.find(
      (r: { outputs?: { email?: string } }) => r.outputs?.email === "priya.patel@acme.example",
    );
    expect(priya.outputs.role, "a role outside ours reads as JustCall names it").to.equal("Account Owner");
  });
});
