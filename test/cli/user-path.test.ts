// The user's own path: plain `pulumi preview / up / refresh` in a GitOps repository that installs
// pulumi-justcall from its `npm pack` tarball, through Pulumi's official Node.js language host,
// against the emulator over loopback HTTP. Each test has a fresh emulator and its own stack; the
// repository (one `npm install`) is shared by the tests of a block.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../harness/engine";
import { agentByEmail } from "../support/justcall";
import { gitopsSuite, type UserRepo, writeRequests } from "../support/user-repo";

const gitops = path.join(repoRoot, "examples", "gitops");
const read = (file: string) => fs.readFileSync(file, "utf8");

/** The GitOps example's roster, with Jane's email in another case than JustCall holds it. */
const ROSTER = read(path.join(gitops, "roster.yaml")).replace("email: jane.doe@acme.example", "email: Jane.Doe@Acme.example");

/** Change counts from `pulumi preview/up --json`-less output: the "Resources:" summary lines. */
function summary(stdout: string): string {
  const at = stdout.lastIndexOf("Resources:");
  return at < 0 ? "" : stdout.slice(at).split("\n\n")[0];
}

describe("the user's own path: plain pulumi in a GitOps repository", function () {
  // The GitOps example exactly as it is in examples/gitops, with its own tsconfig.json.
  const suite = gitopsSuite("gitops", ROSTER, "dev");
  const freshStack = suite.freshStack;
  let repo: UserRepo;
  before(() => {
    repo = suite.repo();
  });

  it("previews without writing, adopts and invites on up, then previews and refreshes with no changes", async () => {
    const emu = await freshStack();

    const preview = await repo.ok(["preview", "--diff"]);
    expect(await writeRequests(emu), "a preview writes nothing").to.deep.equal([]);
    expect(preview.stdout).to.match(/createAction\s*:\s*"adopt"/);
    expect(preview.stdout).to.match(/createAction\s*:\s*"invite"/);

    await emu.admin.clearRequests();
    await repo.ok(["up", "--yes"]);
    const invited = (await emu.admin.outbox()).map((i) => i.email);
    expect(invited, "only the agent JustCall lacked is invited").to.deep.equal(["noah.reed@acme.example"]);
    const creates = (await writeRequests(emu)).filter((r) => r === "POST /v1/agents");
    expect(creates).to.have.length(1);
    const state = await repo.exportState();
    const agents = state.deployment.resources.filter((r: any) => r.type.endsWith(":Agent"));
    expect(agents.map((a: any) => a.outputs.createAction).sort()).to.deep.equal(["adopt", "adopt", "adopt", "invite"]);

    await emu.admin.clearRequests();
    await repo.ok(["preview", "--expect-no-changes"]);
    await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
    await repo.ok(["preview", "--expect-no-changes"]);
    expect(await writeRequests(emu), "no-change runs write nothing").to.deep.equal([]);
  });

  it("fails a drift check after an out-of-band edit, and the next up puts the roster back", async () => {
    const emu = await freshStack();
    await repo.ok(["up", "--yes"]);
    const sam = (await agentByEmail(emu, "sam.lee@acme.example"))!;
    await emu.admin.editAgent(sam.id, { lastname: "Leigh", timezone: "Asia/Tokyo" });

    const drift = await repo.pulumi(["refresh", "--expect-no-changes", "--yes"]);
    expect(drift.code, `the drift check fails:\n${drift.stdout}`).to.not.equal(0);
    expect(drift.stdout + drift.stderr).to.match(/sam\.lee@acme\.example/);

    await emu.admin.clearRequests();
    const up = await repo.ok(["up", "--yes"]);
    expect(summary(up.stdout)).to.match(/1 updated/);
    expect(await writeRequests(emu)).to.deep.equal([`POST /v1/agents/${sam.id}`]);
    const corrected = (await agentByEmail(emu, "sam.lee@acme.example"))!;
    expect([corrected.lastname, corrected.timezone]).to.deep.equal(["Lee", "America/New_York"]);
    await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
    await repo.ok(["preview", "--expect-no-changes"]);
  });

  it("offboards: the leaver's number moves to a colleague before the leaver is deleted", async () => {
    const emu = await freshStack();
    await repo.ok(["up", "--yes"]);
    const noah = (await agentByEmail(emu, "noah.reed@acme.example"))!;
    const sam = (await agentByEmail(emu, "sam.lee@acme.example"))!;

    // Noah leaves; his number goes to Sam, in the same commit.
    const without = ROSTER.replace(/ {2}- email: noah\.reed@acme\.example[\s\S]*$/, "").replace(
      "    teams: [Support, Sales]\n",
      '    teams: [Support, Sales]\n    numbers: ["+14155550103"]\n',
    );
    repo.writeFile("roster.yaml", without);
    await emu.admin.clearRequests();
    const up = await repo.ok(["up", "--yes"]);
    // Deleted: Noah and his Sales membership (his number moved instead of being released).
    expect(summary(up.stdout)).to.match(/2 deleted/);

    const writes = await writeRequests(emu);
    const move = writes.findIndex((w) => /^POST \/v1\/phone-numbers\/\d+$/.test(w));
    const del = writes.indexOf(`DELETE /v1/agents/${noah.id}`);
    expect(move, `the number is moved: ${writes.join(", ")}`).to.be.greaterThan(-1);
    expect(del, `the leaver is deleted: ${writes.join(", ")}`).to.be.greaterThan(move);
    const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550103")!;
    expect(number.assigned_to).to.equal(sam.id);
    expect(await agentByEmail(emu, "noah.reed@acme.example")).to.equal(undefined);
    await repo.ok(["preview", "--expect-no-changes"]);
  });

  it("previews with no changes from another checkout path, where refresh, update and delete work", async () => {
    const emu = await freshStack();
    await repo.ok(["up", "--yes"]);
    const moved = await repo.moveTo();
    expect(moved.dir).to.not.equal(repo.dir);

    await emu.admin.clearRequests();
    await moved.ok(["preview", "--expect-no-changes"]);
    await moved.ok(["refresh", "--expect-no-changes", "--yes"]);
    expect(await writeRequests(emu)).to.deep.equal([]);

    // An edit and a removal, applied from the new checkout.
    const edited = ROSTER.replace("timezone: Europe/London", "timezone: Europe/Dublin").replace(
      / {2}- email: noah\.reed@acme\.example[\s\S]*$/,
      "",
    );
    moved.writeFile("roster.yaml", edited);
    await moved.ok(["up", "--yes"]);
    expect((await agentByEmail(emu, "priya.patel@acme.example"))!.timezone).to.equal("Europe/Dublin");
    expect(await agentByEmail(emu, "noah.reed@acme.example")).to.equal(undefined);
    await moved.ok(["preview", "--expect-no-changes"]);

    const state = JSON.stringify(await moved.exportState());
    for (const dir of [repo.dir, moved.dir]) expect(state, "no checkout path in state").to.not.include(dir);
  });
});
