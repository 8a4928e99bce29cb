// One person, one JustCall agent: a resource that is renamed without an alias, replaced
// (`--replace`, `--target-replace`) or moved into a component is a new URN to the engine, which
// deletes the old one at the end of the run. The run ledger (provider/run-ledger.ts) sees that
// another resource of the run holds the same agent, membership or number, and that delete leaves
// JustCall alone. Plain `pulumi` in a repository that installs the package from its tarball, in a
// JavaScript and a TypeScript program; every write is read from the emulator's request log.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { agentByEmail, freshEmulator } from "../support/justcall";
import { cliOutput, UserRepo, writeRequests } from "../support/user-repo";

const KIM = { email: "kim.lee@acme.example", firstname: "Kim", lastname: "Lee" };
const NUMBER = "+14155550104";

/**
 * Kim, her Support membership and her number, named as `layout.txt` says: `plain` (kim, ...),
 * `renamed` (kim-lee, ...), or `component` (the three inside a component resource).
 */
const JS_PROGRAM = `const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const { Agent, TeamMembership, NumberAssignment } = require("pulumi-justcall");

const layout = fs.readFileSync("layout.txt", "utf8").trim();
const name = layout === "renamed" ? "kim-lee" : "kim";
const kim = new Agent(name, ${JSON.stringify(KIM)});
new TeamMembership(name + "-in-support", { teamName: "Support", agentId: kim.id });
new NumberAssignment(name + "-number", { number: "${NUMBER}", agentId: kim.id });
`;

const TS_PROGRAM = `import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { Agent, NumberAssignment, TeamMembership } from "pulumi-justcall";

class SupportDesk extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("acme:roster:SupportDesk", name, {}, opts);
    declareKim("kim", { parent: this });
  }
}

function declareKim(name: string, opts: pulumi.CustomResourceOptions = {}): void {
  const kim = new Agent(name, ${JSON.stringify(KIM)}, opts);
  new TeamMembership(name + "-in-support", { teamName: "Support", agentId: kim.id }, opts);
  new NumberAssignment(name + "-number", { number: "${NUMBER}", agentId: kim.id }, opts);
}

const layout = fs.readFileSync("layout.txt", "utf8").trim();
if (layout === "component") new SupportDesk("desk");
else declareKim(layout === "renamed" ? "kim-lee" : "kim");
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node" },
  files: ["index.ts"],
});

describe("a renamed, replaced or moved resource leaves its person in JustCall (plain pulumi)", function () {
  let repo: UserRepo;
  let emu: RunningEmulator | undefined;
  let seq = 0;

  before(async function () {
    repo = await UserRepo.create("same-person", {
      files: {
        "js/Pulumi.yaml": "name: same-person-js\nruntime: nodejs\n",
        "js/index.js": JS_PROGRAM,
        "js/layout.txt": "plain\n",
        "ts/Pulumi.yaml": "name: same-person-ts\nruntime: nodejs\n",
        "ts/index.ts": TS_PROGRAM,
        "ts/tsconfig.json": TSCONFIG,
        "ts/layout.txt": "plain\n",
      },
      devDependencies: { typescript: "^5.9.3", "@types/node": "^22.20.7" },
    });
  });

  after(() => repo?.cleanup());

  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  /** A fresh emulator and a first up in `folder`: Kim invited, in Support, holding the number. */
  async function kimInvited(folder: string): Promise<{ project: UserRepo; emu: RunningEmulator; kimId: number }> {
    emu = await freshEmulator();
    const project = repo.project(folder);
    project.writeFile("layout.txt", "plain\n");
    await project.initStack(emu, `${folder}-${seq++}`);
    await project.ok(["up", "--yes"]);
    const kim = (await agentByEmail(emu, KIM.email))!;
    expect(kim, "Kim was invited").to.not.equal(undefined);
    await emu.admin.clearRequests();
    return { project, emu, kimId: kim.id };
  }

  /** Kim is still the same JustCall agent, in Support, holding the number; the stack holds one of each. */
  async function kimIntact(project: UserRepo, emu: RunningEmulator, kimId: number): Promise<void> {
    expect((await agentByEmail(emu, KIM.email))?.id, "the same JustCall agent").to.equal(kimId);
    const account = (await emu.admin.state()).accounts[0];
    expect(account.teams.find((t) => t.name === "Support")!.agents).to.include(kimId);
    expect(account.numbers.find((n) => n.number === NUMBER)!.assigned_to).to.equal(kimId);
    const types = (await project.exportState()).deployment.resources.map((r: any) => r.type.split(":").pop());
    for (const type of ["Agent", "TeamMembership", "NumberAssignment"])
      expect(
        types.filter((t: string) => t === type),
        type,
      ).to.have.length(1);
    await project.ok(["refresh", "--expect-no-changes", "--yes"]);
  }

  it("JavaScript: a rename without alias, --replace and --target-replace write nothing to JustCall", async () => {
    const { project, emu, kimId } = await kimInvited("js");

    project.writeFile("layout.txt", "renamed\n");
    // The engine's own preview still lists the old names as deletes; summarize says nobody leaves.
    const preview = await project.ok(["preview", "--json", "--show-sames"]);
    const summary = await summarizeText(project, preview.stdout);
    expect(summary).to.not.match(/deleted from JustCall/i);
    expect(summary).to.match(/Kim Lee[^\n]*stays in JustCall/);
    await project.ok(["up", "--yes"]);
    expect(await writeRequests(emu), "a rename writes nothing").to.deep.equal([]);
    await kimIntact(project, emu, kimId);

    const urn = (await project.exportState()).deployment.resources.find((r: any) => r.type.endsWith(":Agent")).urn;
    await emu.admin.clearRequests();
    await project.ok(["up", "--yes", "--replace", urn]);
    expect(await writeRequests(emu), "--replace writes nothing").to.deep.equal([]);
    await kimIntact(project, emu, kimId);

    await emu.admin.clearRequests();
    await project.ok(["up", "--yes", "--target-replace", urn]);
    expect(await writeRequests(emu), "--target-replace writes nothing").to.deep.equal([]);
    await kimIntact(project, emu, kimId);
  });

  it("TypeScript: a rename without alias, then a move into a component, write nothing to JustCall", async () => {
    const { project, emu, kimId } = await kimInvited("ts");

    project.writeFile("layout.txt", "renamed\n");
    const renamed = await project.ok(["up", "--yes"]);
    expect(cliOutput(renamed)).to.match(/kim-lee/);
    expect(await writeRequests(emu), "a rename writes nothing").to.deep.equal([]);
    await kimIntact(project, emu, kimId);

    project.writeFile("layout.txt", "component\n");
    await project.ok(["up", "--yes"]);
    expect(await writeRequests(emu), "a move into a component writes nothing").to.deep.equal([]);
    const agent = (await project.exportState()).deployment.resources.find((r: any) => r.type.endsWith(":Agent"));
    expect(agent.parent, "the Agent is now the component's child").to.match(/acme:roster:SupportDesk::desk$/);
    await kimIntact(project, emu, kimId);
  });

  it("a resource really removed from the program is still deleted: the ledger only spares the same person", async () => {
    const { project, emu, kimId } = await kimInvited("js");
    project.writeFile("index.js", 'require("@pulumi/pulumi");\n');
    await project.ok(["up", "--yes"]);
    const writes = await writeRequests(emu);
    expect(writes).to.include(`DELETE /v1/agents/${kimId}`);
    expect(writes.filter((w) => w.startsWith("DELETE /v1/teams/"))).to.have.length(1);
    expect(await agentByEmail(emu, KIM.email)).to.equal(undefined);
    project.writeFile("index.js", JS_PROGRAM);
  });
});

/** The installed `justcall-roster summarize` on a preview's JSON (standard input, as the workflow pipes it). */
async function summarizeText(project: UserRepo, json: string): Promise<string> {
  const bin = path.join(project.dir, "..", "node_modules", ".bin", "justcall-roster");
  return new Promise((resolve, reject) => {
    const child = execFile(bin, ["summarize"], { cwd: project.dir }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin!.end(json);
  });
}
