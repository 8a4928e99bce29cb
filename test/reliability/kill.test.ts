// Killed mid-run: SIGKILL the `pulumi up` CLI and its program while 100 agents are being
// created; the provider process, which the kill does not reach, exits by itself. Then recover
// the way docs/reliability.md tells a user to (pulumi cancel, pulumi refresh
// --clear-pending-creates, pulumi up): the account holds exactly the roster, every agent was
// invited once, and the state's ids are JustCall's.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { killCliAndProgram, noProcessLeft, settle } from "../support/killed-run";
import { until, type UserRepo } from "../support/user-repo";
import { checkAccount, managedResources, requestCount, roster, row } from "./harness";
import { reliabilityFixture } from "./fixture";

/**
 * Step 2 of the documented recovery: when the kill cut the checkpoint short (`failed to load
 * checkpoint`), put the previous one (`<stack>.json.bak`) back. Returns whether it had to.
 */
async function restoreCutCheckpoint(repo: UserRepo): Promise<boolean> {
  const exported = await repo.pulumi(["stack", "export"]);
  if (exported.code === 0) return false;
  if (!/failed to load checkpoint|unexpected end of JSON input/.test(exported.stderr)) throw new Error(exported.stderr);
  const stacks = path.join(repo.backendDir, ".pulumi", "stacks");
  const backups = (fs.readdirSync(stacks, { recursive: true }) as string[]).filter((f) => f.endsWith(".json.bak"));
  expect(backups, "one previous checkpoint to restore").to.have.length(1);
  const backup = path.join(stacks, backups[0]);
  fs.copyFileSync(backup, backup.replace(/\.bak$/, ""));
  // The backend's metadata file beside the checkpoint (`<stack>.json.attrs`) can be the one left
  // empty, which fails the load the same way: it goes back with the checkpoint it describes.
  const attrs = `${backup.replace(/\.bak$/, "")}.attrs`;
  if (fs.existsSync(`${backup}.attrs`)) fs.copyFileSync(`${backup}.attrs`, attrs);
  else fs.rmSync(attrs, { force: true });
  const again = await repo.pulumi(["stack", "export"]);
  if (again.code !== 0) {
    const files = (fs.readdirSync(stacks, { recursive: true }) as string[]).map(
      (f) => `${f}: ${fs.statSync(path.join(stacks, f)).size} bytes`,
    );
    throw new Error(`the restored checkpoint does not load either (${again.stderr.trim()}); the backend holds ${files.join(", ")}`);
  }
  return true;
}

// The plain CLI, so that the program runs in its own process and dies with the run, as a user's
// does. An inline program would live on in this test process, and its RPCs failing after the
// kill can stop the next inline run's program half-way (the SDK then stops all RPCs of the
// process): seen once as a recovery \`up\` that "succeeded" with an empty program.
describe("reliability: killed mid-run", function () {
  const rel = reliabilityFixture();

  it("recovers from kill -9 of pulumi up, its provider exiting by itself, with no duplicate and nothing lost", async () => {
    const r = row(
      "Killed mid-run",
      "SIGKILL of the `pulumi up` CLI and its program (the provider exits by itself) after 25 of 100 invitations (creates slowed by a 300 ms latency fault)",
    );
    // Slow creates, so that several are in flight when the processes die.
    const emu = await rel.emulator({ faults: [{ route: "POST /v1/agents", kind: "latency", latencyMs: 300 }] });
    const specs = roster(100);
    const repo = rel.repo("rel-killed", specs);
    await repo.initStack(emu);
    const target = emu;
    const cli = repo;

    const killedUp = cli.pulumi(["up", "--yes", "--skip-preview"]);
    await until("25 invitations", async () => (await target.admin.outbox()).length >= 25);
    const { killed, providers } = killCliAndProgram(cli.pulumiHome);
    expect(killed.join("\n")).to.match(/pulumi up /);
    expect(providers, "a provider process was running at the kill").to.not.deep.equal([]);
    expect((await killedUp).signal).to.equal("SIGKILL");
    await noProcessLeft(cli.pulumiHome);

    // Creates that were in flight land after the kill (the server finishes them): wait until the
    // emulator is quiet, so the recovery below starts from a settled account.
    await settle(target);
    const invitedBeforeRecovery = (await emu.admin.outbox()).length;
    // The kill may land while the file backend writes its checkpoint (docs/reliability.md, step 2).
    const restoredCheckpoint = await restoreCutCheckpoint(cli);
    const before = (await cli.exportState()).deployment;
    const pending = (before.pending_operations ?? []).length;
    const recorded = managedResources(before).length;
    expect(pending, "the killed run left pending operations").to.be.greaterThan(0);

    // 3. The dead CLI's lock stays behind on the file backend.
    const locked = await cli.pulumi(["up", "--yes", "--skip-preview"]);
    expect(locked.code).to.not.equal(0);
    expect(locked.stdout + locked.stderr).to.match(/locked/);
    await cli.ok(["cancel", "--yes"]);
    // 4. Drop the pending creates from state (create adopts the agents they made, by email).
    await cli.ok(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
    expect((await cli.exportState()).deployment.pending_operations ?? []).to.deep.equal([]);
    // 5. Up again.
    await cli.ok(["up", "--yes", "--skip-preview"]);

    const deployment = (await cli.exportState()).deployment;
    expect(managedResources(deployment)).to.have.length(200);
    expect(deployment.pending_operations ?? []).to.deep.equal([]);
    const check = await checkAccount(emu, specs, { deployment });
    r.duplicates = check.duplicates;
    r.requests = await requestCount(emu);
    expect(check.problems).to.deep.equal([]);
    expect((await emu.admin.outbox()).length, "one invitation per agent").to.equal(100);
    const adopted = deployment.resources.filter((x: any) => x.type.endsWith(":Agent") && x.outputs?.createAction === "adopt").length;
    r.result =
      `killed with ${invitedBeforeRecovery} agents invited, ${recorded} resources recorded and ${pending} pending operations` +
      `${restoredCheckpoint ? " (checkpoint cut short by the kill: restored from .bak)" : ""}; ` +
      `cancel, refresh --clear-pending-creates, up: 100 agents, 100 invitations, ${adopted} adopted by email ` +
      `(created by the killed run, not in its state), state ids = JustCall's`;
  });
});
