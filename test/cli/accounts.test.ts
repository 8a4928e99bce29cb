// Several JustCall accounts in one program (docs/accounts.md), on the plain pulumi CLI: two
// emulators, one justcall.Provider each (the second with the Globex account's credentials, so a
// key sent to the wrong emulator would be refused), one rosterStack per provider, one stack reused
// across the cases in order.
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS, GLOBEX_CREDENTIALS } from "../../emulator";
import { freshEmulator } from "../support/justcall";
import { cliOutput, UserRepo, writeRequests } from "../support/user-repo";

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const justcall = require("pulumi-justcall");
const { rosterStack } = require("pulumi-justcall/roster");

const config = new pulumi.Config();

module.exports = async () => {
  if (config.getBoolean("evil")) {
    new justcall.Provider("evil", { apiKey: "k", apiSecret: "s", baseUrl: "https://collector.evil.example" });
  }
  const acme = new justcall.Provider("acme", {
    apiKey: config.require("acmeApiKey"),
    apiSecret: config.requireSecret("acmeApiSecret"),
    baseUrl: config.require("acmeUrl"),
    rateLimit: "1000/1s",
  });
  const globex = new justcall.Provider("globex", {
    apiKey: config.require("globexApiKey"),
    apiSecret: config.requireSecret("globexApiSecret"),
    baseUrl: config.require("globexUrl"),
    rateLimit: "1000/1s",
  });
  const globexTeams = await justcall.getTeams({ provider: globex });
  return {
    acme: await rosterStack({ provider: acme, file: "acme.yaml" }),
    globex: await rosterStack({ provider: globex, file: "globex.yaml" }),
    globexTeams: globexTeams.map((t) => t.name),
  };
};
`;

interface Person {
  email: string;
  teams?: string[];
}

/** A roster with a removal budget of 1, so that two removals in one account exceed it. */
function roster(people: Person[]): string {
  const lines = ["removalBudget: 1", "agents:"];
  for (const p of people) {
    const [first, last] = p.email.split("@")[0].split(".");
    lines.push(`  - email: ${p.email}`, `    firstname: ${cap(first)}`, `    lastname: ${cap(last ?? "X")}`);
    if (p.teams) lines.push(`    teams: [${p.teams.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

// The same person in both accounts: two agents, never one resource.
const SHARED = { email: "ops.lead@shared.example" };
const ACME = [{ email: "ann.a@acme.example", teams: ["Sales"] }, { email: "bob.b@acme.example" }, { email: "cy.c@acme.example" }, SHARED];
const GLOBEX = [{ email: "gil.g@globex.example", teams: ["Operations"] }, { email: "gus.g@globex.example" }, SHARED];

/** Emails of one account of an emulator, lower case. */
async function emails(emu: RunningEmulator, account: string): Promise<string[]> {
  const state = await emu.admin.state();
  return state.accounts.find((a) => a.name === account)!.agents.map((a) => a.email.toLowerCase());
}

/** The resource names (last URN part) of the steps a `preview --json` proposes, other than same. */
function changedNames(previewJson: string): string[] {
  const steps: { op: string; urn: string }[] = JSON.parse(previewJson).steps ?? [];
  return steps.filter((s) => s.op !== "same").map((s) => s.urn.slice(s.urn.lastIndexOf("::") + 2));
}

describe("several JustCall accounts in one program, on the plain pulumi CLI", function () {
  let repo: UserRepo;
  let acmeEmu: RunningEmulator;
  let globexEmu: RunningEmulator;
  const stack = "accounts";

  before(async function () {
    [acmeEmu, globexEmu] = await Promise.all([freshEmulator(), freshEmulator()]);
    repo = await UserRepo.create("accounts", {
      files: {
        "Pulumi.yaml": "name: accounts\nruntime: nodejs\nmain: index.js\n",
        "index.js": PROGRAM,
        "acme.yaml": roster(ACME),
        "globex.yaml": roster(GLOBEX),
      },
    });
    await repo.ok(["stack", "init", stack]);
    // Keys in plain text on purpose: the provider still stores them encrypted.
    await repo.ok([
      "config",
      "set-all",
      "--plaintext",
      `acmeApiKey=${DEMO_CREDENTIALS.apiKey}`,
      "--secret",
      `acmeApiSecret=${DEMO_CREDENTIALS.apiSecret}`,
      "--plaintext",
      `acmeUrl=${acmeEmu.url}`,
      "--plaintext",
      `globexApiKey=${GLOBEX_CREDENTIALS.apiKey}`,
      "--secret",
      `globexApiSecret=${GLOBEX_CREDENTIALS.apiSecret}`,
      "--plaintext",
      `globexUrl=${globexEmu.url}`,
    ]);
  });

  after(async () => {
    repo?.cleanup();
    await Promise.all([acmeEmu?.close(), globexEmu?.close()]);
  });

  it("up creates each roster in its own account only, under names prefixed by the account", async () => {
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await emails(acmeEmu, "Acme Support")).to.include.members(ACME.map((p) => p.email));
    expect(await emails(globexEmu, "Globex")).to.include.members(GLOBEX.map((p) => p.email));
    // Nothing of one roster in the other emulator, nor in the other account of the same emulator.
    expect(await emails(acmeEmu, "Globex")).to.deep.equal(["hank.scorpio@globex.example"]);
    for (const p of GLOBEX.filter((g) => g !== SHARED)) expect(await emails(acmeEmu, "Acme Support")).not.to.include(p.email);
    for (const p of ACME.filter((a) => a !== SHARED)) expect(await emails(globexEmu, "Globex")).not.to.include(p.email);
    expect(await emails(globexEmu, "Acme Support")).not.to.include(SHARED.email);

    const state = await repo.exportState();
    const names = state.deployment.resources.map((r: { urn: string }) => r.urn.slice(r.urn.lastIndexOf("::") + 2));
    expect(names).to.include.members([
      "acme/ops.lead@shared.example",
      "globex/ops.lead@shared.example",
      "acme/ann.a@acme.example-in-sales",
      "globex/gil.g@globex.example-in-operations",
      "acme/roster-guard",
      "globex/roster-guard",
    ]);
    const stackOutputs = state.deployment.resources.find((r: { type: string }) => r.type === "pulumi:pulumi:Stack").outputs;
    expect(stackOutputs.globexTeams).to.deep.equal(["Operations"]);

    // Each agent is served by its account's provider.
    const providerOf = (name: string) =>
      state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`)).provider as string;
    expect(providerOf("acme/ops.lead@shared.example")).to.match(/::pulumi:providers:pulumi-nodejs::acme::/);
    expect(providerOf("globex/ops.lead@shared.example")).to.match(/::pulumi:providers:pulumi-nodejs::globex::/);

    // A second run proposes nothing.
    await repo.ok(["preview", "--expect-no-changes"]);
  });

  it("the state holds neither account's key nor secret in plain text", async () => {
    const text = (await repo.ok(["stack", "export"])).stdout;
    for (const credential of [
      DEMO_CREDENTIALS.apiKey,
      DEMO_CREDENTIALS.apiSecret,
      GLOBEX_CREDENTIALS.apiKey,
      GLOBEX_CREDENTIALS.apiSecret,
    ]) {
      expect(text, credential).not.to.include(credential);
    }
    const providers = JSON.parse(text).deployment.resources.filter((r: { type: string }) => r.type === "pulumi:providers:pulumi-nodejs");
    expect(providers.map((p: { urn: string }) => p.urn.split("::").pop())).to.have.members(["acme", "globex"]);
    for (const p of providers) expect(p.inputs["justcall:apiSecret"]).to.have.property("ciphertext");
  });

  it("a change to one account's roster previews and touches only that account", async () => {
    repo.writeFile("globex.yaml", roster([...GLOBEX, { email: "gwen.g@globex.example" }]));
    const preview = await repo.ok(["preview", "--json"]);
    const changed = changedNames(preview.stdout);
    expect(changed).to.include("globex/gwen.g@globex.example");
    expect(changed.filter((n) => !n.startsWith("globex/"))).to.deep.equal([]);

    await Promise.all([acmeEmu.admin.clearRequests(), globexEmu.admin.clearRequests()]);
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await writeRequests(acmeEmu)).to.deep.equal([]);
    expect(await writeRequests(globexEmu)).to.deep.equal(["POST /v1/agents"]);
  });

  it("counts the removal budget per account", async () => {
    // One removal in each account: within each budget of 1 (two, counted together, would not be).
    repo.writeFile("acme.yaml", roster(ACME.filter((p) => p.email !== "bob.b@acme.example")));
    repo.writeFile(
      "globex.yaml",
      roster([...GLOBEX.filter((p) => p.email !== "gus.g@globex.example"), { email: "gwen.g@globex.example" }]),
    );
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect(await emails(acmeEmu, "Acme Support")).not.to.include("bob.b@acme.example");
    expect(await emails(globexEmu, "Globex")).not.to.include("gus.g@globex.example");

    // Two removals in one account: its guard refuses, naming it; nothing is deleted anywhere.
    repo.writeFile("acme.yaml", roster([SHARED]));
    const refused = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(refused).to.include("acme/roster-guard");
    expect(await emails(acmeEmu, "Acme Support")).to.include.members(["ann.a@acme.example", "cy.c@acme.example"]);
    const allowed = await repo.pulumi(["up", "--yes", "--skip-preview"], { JUSTCALL_ALLOW_REMOVALS: "2" });
    expect(allowed.code, cliOutput(allowed)).to.equal(0);
    expect(await emails(acmeEmu, "Acme Support")).not.to.include("ann.a@acme.example");
    expect(await emails(acmeEmu, "Acme Support")).not.to.include("cy.c@acme.example");
  });

  it("refresh finds no drift in either account", async () => {
    await repo.ok(["refresh", "--yes", "--expect-no-changes"]);
  });

  it("refuses an explicit provider whose base URL is neither JustCall nor loopback, naming it", async () => {
    await repo.ok(["config", "set", "evil", "true"]);
    try {
      const out = await repo.fails(["preview"]);
      expect(out).to.include('justcall.Provider("evil").baseUrl "https://collector.evil.example" is neither');
      expect(out).to.include("JUSTCALL_TRUSTED_HOSTS");
    } finally {
      await repo.ok(["config", "rm", "evil"]);
    }
  });

  it("destroy removes each account's agents from its own emulator", async () => {
    await repo.ok(["destroy", "--yes", "--skip-preview"], { JUSTCALL_ALLOW_DESTROY: stack });
    expect(await emails(acmeEmu, "Acme Support")).not.to.include(SHARED.email);
    expect(await emails(globexEmu, "Globex")).not.to.include(SHARED.email);
    expect(await emails(globexEmu, "Globex")).not.to.include("gil.g@globex.example");
    expect(await emails(globexEmu, "Globex")).to.include("hank.scorpio@globex.example");
  });
});
