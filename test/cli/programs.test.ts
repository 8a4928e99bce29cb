// Programs as users write them, each run by the plain `pulumi` CLI with the official Node.js
// language host and TypeScript type-checking on: this repository's root stack, a JavaScript
// program, a TypeScript program set up the way `pulumi new typescript` does, one with no
// tsconfig.json at all; and an upgrade of the package under an existing stack.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { agentByEmail, freshEmulator } from "../support/justcall";
import { repackedTarball, UserRepo, writeRequests } from "../support/user-repo";

/** What `pulumi new typescript` writes. */
const PULUMI_NEW_TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      strict: true,
      outDir: "bin",
      target: "es2020",
      module: "commonjs",
      moduleResolution: "node",
      sourceMap: true,
      experimentalDecorators: true,
      pretty: true,
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
  },
  null,
  4,
);

const TS_PROGRAM = `import { rosterStack } from "pulumi-justcall/roster";\n\nexport = async () => rosterStack();\n`;
const JS_PROGRAM = `const { rosterStack } = require("pulumi-justcall/roster");\n\nmodule.exports = async () => rosterStack();\n`;
const pulumiYaml = (name: string, key = "justcall:rosterFile") => `name: ${name}\nruntime: nodejs\nconfig:\n  ${key}: roster.yaml\n`;

/** A program that declares its resources itself, line by line (the state records these lines). */
const OWN_RESOURCES_PROGRAM = `import { Agent, TeamMembership } from "pulumi-justcall";

const mina = new Agent("mina", { email: "mina.ito@acme.example", firstname: "Mina", lastname: "Ito" });
new TeamMembership("mina-in-sales", { agentId: mina.agentId, teamName: "Sales" });
`;

/** A program that decides from the account: Mina joins every team, and Jane's id comes from a look-up. */
const LOOKUPS_PROGRAM = `import { Agent, getAgentByEmail, getNumbers, getTeams, TeamMembership } from "pulumi-justcall";

export = async () => {
  const teams = await getTeams();
  const mina = new Agent("mina", { email: "mina.ito@acme.example", firstname: "Mina", lastname: "Ito" });
  for (const team of teams) new TeamMembership(\`mina-in-\${team.name}\`, { agentId: mina.id, teamId: team.id });
  const jane = await getAgentByEmail("JANE.DOE@acme.example");
  const free = (await getNumbers()).filter((n) => n.assignedTo === null).map((n) => n.number);
  return { teams: teams.map((t) => t.name), janeId: jane?.id, free };
};
`;

/** Jane is in the emulator's seed (adopted); Mina is new (invited). */
const ROSTER = `agents:
  - email: jane.doe@acme.example
    firstname: Jane
    lastname: Doe
    role: admin
    timezone: America/Los_Angeles
    teams: [Support]
  - email: mina.ito@acme.example
    firstname: Mina
    lastname: Ito
    timezone: Asia/Tokyo
    teams: [Sales]
    numbers: ["+14155550104"]
`;

describe("programs as users write them, on the plain pulumi CLI", function () {
  let repo: UserRepo;
  let emu: RunningEmulator | undefined;

  before(async function () {
    repo = await UserRepo.create("programs", {
      files: {
        // The key before 0.2.0: still read, with a deprecation warning.
        "js/Pulumi.yaml": pulumiYaml("roster-js", "roster:file"),
        "js/index.js": JS_PROGRAM,
        "js/roster.yaml": ROSTER,
        "ts-new/Pulumi.yaml": pulumiYaml("roster-ts-new"),
        "ts-new/index.ts": TS_PROGRAM,
        "ts-new/tsconfig.json": PULUMI_NEW_TSCONFIG,
        "ts-new/roster.yaml": ROSTER,
        "ts-none/Pulumi.yaml": pulumiYaml("roster-ts-none"),
        "ts-none/index.ts": TS_PROGRAM,
        "ts-none/roster.yaml": ROSTER,
        "ts-own/Pulumi.yaml": "name: own-resources\nruntime: nodejs\n",
        "ts-own/index.ts": OWN_RESOURCES_PROGRAM,
        "ts-own/tsconfig.json": PULUMI_NEW_TSCONFIG,
        "ts-lookups/Pulumi.yaml": "name: lookups\nruntime: nodejs\n",
        "ts-lookups/index.ts": LOOKUPS_PROGRAM,
        "ts-lookups/tsconfig.json": PULUMI_NEW_TSCONFIG,
      },
      // What `pulumi new typescript` puts in package.json.
      devDependencies: { typescript: "^5.9.3", "@types/node": "^20.19.43" },
    });
  });

  after(() => repo?.cleanup());

  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  for (const [folder, what] of [
    ["js", "a JavaScript program"],
    ["ts-new", "a TypeScript program with the tsconfig.json of `pulumi new typescript`"],
    ["ts-none", "a TypeScript program with no tsconfig.json"],
  ] as const) {
    it(`runs ${what}: preview, up, then no changes`, async () => {
      emu = await freshEmulator();
      const project = repo.project(folder);
      await project.initStack(emu, folder);
      const preview = await project.ok(["preview"]);
      expect(preview.stderr + preview.stdout).to.not.match(/TS\d{4}|error/i);
      const deprecated = /roster:file is deprecated: name the roster with justcall:rosterFile instead/;
      if (folder === "js") expect(preview.stdout + preview.stderr).to.match(deprecated);
      else expect(preview.stdout + preview.stderr).to.not.match(/roster:file/);
      expect(await writeRequests(emu)).to.deep.equal([]);
      await project.ok(["up", "--yes"]);
      expect((await emu.admin.outbox()).map((i) => i.email)).to.deep.equal(["mina.ito@acme.example"]);
      const mina = (await agentByEmail(emu, "mina.ito@acme.example"))!;
      const number = (await emu.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550104")!;
      expect(number.assigned_to).to.equal(mina.id);
      await project.ok(["preview", "--expect-no-changes"]);
    });
  }

  it("look-ups in a program (getTeams, getAgentByEmail, getNumbers): list reads only, decisions from the account", async () => {
    emu = await freshEmulator();
    const project = repo.project("ts-lookups");
    await project.initStack(emu, "lookups");
    await project.ok(["preview"]);
    expect(await writeRequests(emu)).to.deep.equal([]);
    await project.ok(["up", "--yes"]);
    const account = (await emu.admin.state()).accounts[0];
    const mina = (await agentByEmail(emu, "mina.ito@acme.example"))!;
    const jane = (await agentByEmail(emu, "jane.doe@acme.example"))!;
    expect(account.teams.filter((t) => t.agents.includes(mina.id)).map((t) => t.name)).to.have.members(account.teams.map((t) => t.name));
    const outputs = JSON.parse((await project.ok(["stack", "output", "--json"])).stdout);
    expect(outputs.janeId).to.equal(jane.id);
    expect(outputs.teams).to.have.members(account.teams.map((t) => t.name));
    expect(outputs.free).to.have.members(account.numbers.filter((n) => n.assigned_to === null).map((n) => n.number));
    await project.ok(["preview", "--expect-no-changes"]);
  });

  it("records where the user declared each resource: their own line, never the package's or Pulumi's", async () => {
    emu = await freshEmulator();
    const own = repo.project("ts-own");
    await own.initStack(emu, "own");
    await own.ok(["up", "--yes"]);
    const resources = (await own.exportState()).deployment.resources.filter((r: any) => r.type.includes("justcall:"));
    const declared = Object.fromEntries(
      resources.map((r: any) => [r.type.split(":").pop(), [r.sourcePosition, ...(r.stackTrace ?? []).map((f: any) => f.sourcePosition)]]),
    );
    // Lines 3 and 4 of index.ts (TypeScript lines: the language host maps them).
    expect(declared.Agent[0]).to.match(/^project:\/\/\/index\.ts#3,/);
    expect(declared.TeamMembership[0]).to.match(/^project:\/\/\/index\.ts#4,/);
    for (const frames of Object.values(declared) as string[][]) {
      expect(
        frames.filter((f) => /node_modules/.test(f)),
        "no frame of the package, of Pulumi's SDK or of Node",
      ).to.deep.equal([]);
    }

    // A roster stack's resources come from the roster file, not from a line of code: none recorded.
    await emu.close();
    emu = await freshEmulator();
    const roster = repo.project("js");
    await roster.initStack(emu, "js-positions");
    await roster.ok(["up", "--yes"]);
    const rosterResources = (await roster.exportState()).deployment.resources.filter((r: any) => r.type.includes("justcall:"));
    expect(rosterResources.length).to.be.greaterThan(0);
    expect(rosterResources.filter((r: any) => r.sourcePosition || r.stackTrace).map((r: any) => r.urn)).to.deep.equal([]);
  });

  it("upgrades the package under an existing stack: no changes, and the new version reads and deletes", async () => {
    emu = await freshEmulator();
    const project = repo.project("js");
    await project.initStack(emu, "upgrade");
    await project.ok(["up", "--yes"]);

    await repo.install(repackedTarball("0.2.1-next.0"));
    const installed = JSON.parse(fs.readFileSync(path.join(repo.dir, "node_modules", "pulumi-justcall", "package.json"), "utf8"));
    expect(installed.version).to.equal("0.2.1-next.0");

    await emu.admin.clearRequests();
    await project.ok(["preview", "--expect-no-changes"]);
    await project.ok(["refresh", "--expect-no-changes", "--yes"]);
    expect(await writeRequests(emu)).to.deep.equal([]);

    // State as releases before the smaller state wrote it (nulls for what JustCall did not report,
    // both switches and the managed fields always stored): read with no changes either.
    const state = await project.exportState();
    for (const r of state.deployment.resources.filter((x: any) => x.type.endsWith(":Agent"))) {
      Object.assign(r.inputs, { adoptExisting: true, releaseNumbersOnDelete: false, ...r.inputs });
      r.outputs = {
        phone: null,
        status: null,
        createdAt: null,
        numbers: null,
        available: null,
        unavailabilityReason: null,
        adoptExisting: true,
        releaseNumbersOnDelete: false,
        managedFields: ["email", "firstname", "lastname", "role"],
        ...r.outputs,
      };
    }
    project.writeFile("old-state.json", JSON.stringify(state));
    await project.ok(["stack", "import", "--file", "old-state.json"]);
    await project.ok(["preview", "--expect-no-changes"]);
    await project.ok(["refresh", "--expect-no-changes", "--yes"]);
    await project.ok(["preview", "--expect-no-changes"]);
    expect(await writeRequests(emu)).to.deep.equal([]);

    // Mina leaves: the new version unassigns her number, then deletes her.
    project.writeFile("roster.yaml", ROSTER.replace(/ {2}- email: mina\.ito[\s\S]*$/, ""));
    const mina = (await agentByEmail(emu, "mina.ito@acme.example"))!;
    await project.ok(["up", "--yes"]);
    expect(await agentByEmail(emu, "mina.ito@acme.example")).to.equal(undefined);
    const writes = await writeRequests(emu);
    expect(writes.indexOf(`DELETE /v1/agents/${mina.id}`)).to.be.greaterThan(
      writes.findIndex((w) => w.startsWith("POST /v1/phone-numbers/")),
    );
    await project.ok(["preview", "--expect-no-changes"]);
  });
});

describe("the repository's root stack (Pulumi.yaml at the root), on the plain pulumi CLI", function () {
  let repo: UserRepo | undefined;
  let emu: RunningEmulator | undefined;

  after(async () => {
    repo?.cleanup();
    await emu?.close();
  });

  it("previews without writing, adopts the demo account's three agents and invites Alex, then shows no changes", async () => {
    emu = await freshEmulator();
    repo = UserRepo.rootStackCheckout("root-stack");
    await repo.initStack(emu, "root");
    await repo.ok(["preview"]);
    expect(await writeRequests(emu)).to.deep.equal([]);
    await repo.ok(["up", "--yes"]);
    expect((await emu.admin.outbox()).map((i) => i.email)).to.deep.equal(["alex.kim@acme.example"]);
    const state = await repo.exportState();
    const agents = state.deployment.resources.filter((r: any) => r.type.endsWith(":Agent"));
    expect(agents.map((a: any) => a.outputs.createAction).sort()).to.deep.equal(["adopt", "adopt", "adopt", "invite"]);
    await repo.ok(["preview", "--expect-no-changes"]);
    await repo.ok(["refresh", "--expect-no-changes", "--yes"]);
  });
});
