// Killed mid-run: SIGKILL the `pulumi up` CLI and its provider process while 100 agents are being
// created, then recover the way docs/reliability.md tells a user to (pulumi cancel, pulumi
// refresh --clear-pending-creates, pulumi up): the account holds exactly the roster, every agent
// was invited once, and the state's ids are JustCall's.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningEmulator } from "../../emulator";
import { rosterProgram } from "../support/justcall";
import { checkAccount, config, emulator, errorOf, managedResources, Project, requestCount, roster, row } from "./harness";

const until = async (what: string, ok: () => Promise<boolean>, limitMs = 120_000) => {
  const end = Date.now() + limitMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/**
 * Step 2 of the documented recovery: when the kill cut the checkpoint short (`failed to load
 * checkpoint`), put the previous one (`<stack>.json.bak`) back. Returns whether it had to.
 */
function restoreCutCheckpoint(project: Project): boolean {
  try {
    project.exportStack();
    return false;
  } catch (err) {
    if (!/failed to load checkpoint|unexpected end of JSON input/.test(String((err as any)?.stderr ?? err))) throw err;
  }
  const stacks = path.join(project.backendDir, ".pulumi", "stacks");
  const backups = (fs.readdirSync(stacks, { recursive: true }) as string[]).filter((f) => f.endsWith(".json.bak"));
  expect(backups, "one previous checkpoint to restore").to.have.length(1);
  const backup = path.join(stacks, backups[0]);
  fs.copyFileSync(backup, backup.replace(/\.bak$/, ""));
  return true;
}

describe("reliability: killed mid-run", function () {
  let emu: RunningEmulator | undefined;
  let project: Project | undefined;

  afterEach(async () => {
    await project?.cleanup({ destroy: false }); // the emulator is thrown away
    await emu?.close();
    project = undefined;
    emu = undefined;
  });

  it("recovers from kill -9 of pulumi up and its provider with no duplicate and nothing lost", async () => {
    const r = row(
      "Killed mid-run",
      "SIGKILL of the `pulumi up` CLI and the provider process after 25 of 100 invitations (creates slowed by a 300 ms latency fault)",
    );
    // Slow creates, so that several are in flight when the processes die.
    emu = await emulator({ faults: [{ route: "POST /v1/agents", kind: "latency", latencyMs: 300 }] });
    project = await Project.create("rel-killed");
    const specs = roster(100);
    const stack = await project.stack(rosterProgram(specs), config(emu));
    const target = emu;

    const upError = errorOf(stack.up({ onOutput: project.collect() }));
    await until("25 invitations", async () => (await target.admin.outbox()).length >= 25);
    const killed = project.killAll();
    expect(killed.map((k) => k.command).join("\n")).to.match(/pulumi up /).and.to.match(/dynamic-provider/);
    expect(await upError).to.match(/SIGKILL/);
    expect(project.processes(), "no process of the killed run is left").to.deep.equal([]);

    // Creates that were in flight land after the kill (the server finishes them): wait until the
    // emulator is quiet, so the recovery below starts from a settled account.
    let last = -1;
    await until("the emulator to settle", async () => {
      const n = await requestCount(target);
      const settled = n === last;
      last = n;
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 700));
      return settled;
    });
    const invitedBeforeRecovery = (await emu.admin.outbox()).length;
    // The kill may land while the file backend writes its checkpoint (docs/reliability.md, step 2).
    const restoredCheckpoint = restoreCutCheckpoint(project);
    const before = JSON.parse(project.exportStack()).deployment;
    const pending = (before.pending_operations ?? []).length;
    const recorded = managedResources(before).length;
    expect(pending, "the killed run left pending operations").to.be.greaterThan(0);

    // 1. The dead CLI's lock stays behind on the file backend.
    expect(await errorOf(stack.up({ onOutput: project.collect() }))).to.match(/locked/);
    await stack.cancel();
    // 2. Drop the pending creates from state (create adopts the agents they made, by email).
    await stack.refresh({ clearPendingCreates: true, onOutput: project.collect() });
    const refreshed = JSON.parse(project.exportStack()).deployment;
    expect(refreshed.pending_operations ?? []).to.deep.equal([]);
    // 3. Up again.
    const up = await stack.up({ onOutput: project.collect() });
    expect(up.summary.result).to.equal("succeeded");

    const deployment = (await stack.exportStack()).deployment;
    expect(managedResources(deployment)).to.have.length(200);
    expect(deployment.pending_operations ?? []).to.deep.equal([]);
    const check = await checkAccount(emu, specs, { deployment });
    r.duplicates = check.duplicates;
    r.requests = await requestCount(emu);
    expect(check.problems).to.deep.equal([]);
    expect((await emu.admin.outbox()).length, "one invitation per agent").to.equal(100);
    const adopted = Object.entries(up.outputs).filter(([k, v]) => k.endsWith("CreateAction") && v.value === "adopt").length;
    r.result =
      `killed with ${invitedBeforeRecovery} agents invited, ${recorded} resources recorded and ${pending} pending operations` +
      `${restoredCheckpoint ? " (checkpoint cut short by the kill: restored from .bak)" : ""}; ` +
      `cancel, refresh --clear-pending-creates, up: 100 agents, 100 invitations, ${adopted} adopted by email (created by the killed run, not in its state), state ids = JustCall's`;
  });
});
