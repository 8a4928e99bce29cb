// rosterStack({ secretContacts: true }) on the plain pulumi CLI: the state (`pulumi stack export`,
// and the backend's files) holds no agent's email or personal phone in plain text, through up, a
// removal, a refresh that finds an agent the roster lacks, and an empty preview.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { freshEmulator } from "../support/justcall";
import { UserRepo } from "../support/user-repo";

const PROGRAM = `const { rosterStack } = require("pulumi-justcall/roster");

module.exports = async () => rosterStack({ secretContacts: true });
`;

const MINA_PHONE = "+14155550177";
const JANE_SEED_PHONE = "+14155550123";
const OUTSIDER = "out.sider@acme.example";

function roster(withMina: boolean): string {
  const lines = [
    "authoritative: true",
    "agents:",
    "  - { email: jane.doe@acme.example, firstname: Jane, lastname: Doe, teams: [Support] }",
    "  - { email: sam.lee@acme.example, firstname: Sam, lastname: Lee }",
    "  - { email: priya.patel@acme.example, firstname: Priya, lastname: Patel }",
  ];
  if (withMina) {
    lines.push(
      `  - { email: Mina.Ito@acme.example, firstname: Mina, lastname: Ito, phone: "${MINA_PHONE}", teams: [Sales], numbers: ["+14155550104"] }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Every file of the backend (state, backups, history), as text. */
function backendText(repo: UserRepo): string {
  return fs
    .readdirSync(repo.backendDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

const PLAIN = [
  "jane.doe@acme.example",
  "sam.lee@acme.example",
  "priya.patel@acme.example",
  "mina.ito@acme.example",
  OUTSIDER,
  MINA_PHONE,
  JANE_SEED_PHONE,
];

async function expectNoPlainContacts(repo: UserRepo): Promise<void> {
  const exported = (await repo.ok(["stack", "export"])).stdout.toLowerCase();
  const files = backendText(repo).toLowerCase();
  for (const text of PLAIN) {
    expect(exported, `stack export holds ${text}`).not.to.include(text.toLowerCase());
    expect(files, `the backend holds ${text}`).not.to.include(text.toLowerCase());
  }
}

describe("rosterStack({ secretContacts: true }), on the plain pulumi CLI", function () {
  let repo: UserRepo;
  let emu: RunningEmulator;

  before(async function () {
    emu = await freshEmulator();
    repo = await UserRepo.create("secret-contacts", {
      files: {
        "Pulumi.yaml": "name: secret-contacts\nruntime: nodejs\nmain: index.js\n",
        "index.js": PROGRAM,
        "roster.yaml": roster(true),
      },
    });
    await repo.initStack(emu, "secret");
  });

  after(async () => {
    repo?.cleanup();
    await emu?.close();
  });

  it("keeps emails and phones out of the state in plain text, and still converges", async () => {
    await repo.ok(["up", "--yes", "--skip-preview"]);
    const state = await emu.admin.state();
    const mina = state.accounts[0].agents.find((a) => a.email.toLowerCase() === "mina.ito@acme.example");
    expect(mina?.phone).to.equal(MINA_PHONE);
    await expectNoPlainContacts(repo);
    const names: string[] = (await repo.exportState()).deployment.resources.map((r: { urn: string }) => r.urn.split("::").pop());
    expect(names.filter((n) => n.startsWith("agent-"))).to.have.length.greaterThan(3);
    await repo.ok(["preview", "--expect-no-changes"]);

    // Someone added in the dashboard: the audit's refresh records them, encrypted.
    await emu.admin.addAgent(DEMO_CREDENTIALS.apiKey, { email: OUTSIDER, firstname: "Out", lastname: "Sider" });
    await repo.ok(["refresh", "--yes"]);
    const outputs = (await repo.exportState()).deployment.resources.find((r: { type: string }) => r.type.endsWith(":RosterAudit")).outputs;
    expect(outputs.unmanagedCount).to.equal(1);
    await expectNoPlainContacts(repo);

    // A removal: the guard's record of it is encrypted too.
    repo.writeFile("roster.yaml", roster(false));
    await repo.ok(["up", "--yes", "--skip-preview"]);
    expect((await emu.admin.state()).accounts[0].agents.map((a) => a.email.toLowerCase())).not.to.include("mina.ito@acme.example");
    await expectNoPlainContacts(repo);
  });
});
