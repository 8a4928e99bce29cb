import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSeed, startEmulator } from "../../emulator";
import { basic, call, emulatorFixture } from "./helpers";

describe("emulator: seeds", () => {
  const fixture = emulatorFixture();

  it("the default seed is the demo account plus Globex", async () => {
    const emu = await fixture.use();
    expect(defaultSeed.accounts.map((a) => a.apiKey)).to.deep.equal(["demo_api_key", "globex_api_key"]);
    expect(emu.accounts).to.deep.equal([
      { name: "Acme Support", apiKey: "demo_api_key", apiSecret: "demo_api_secret" },
      { name: "Globex", apiKey: "globex_api_key", apiSecret: "globex_api_secret" },
    ]);
    const acme = (await emu.admin.state()).accounts[0];
    const byEmail = Object.fromEntries(acme.agents.map((a) => [a.email, a]));
    expect(byEmail["jane.doe@acme.example"]).to.include({ role: "admin", status: "Offline" });
    expect(byEmail["sam.lee@acme.example"]).to.include({ role: "agent" });
    expect(byEmail["priya.patel@acme.example"]).to.include({ role: "supervisor" });
    expect(acme.numbers.filter((n) => n.assigned_to !== null).map((n) => n.number)).to.deep.equal(["+14155550100", "+14155550101"]);
  });

  it("reads JSON and YAML seed files with explicit ids, team names and number holders", async () => {
    const dir = mkdtempSync(join(tmpdir(), "justcall-seed-"));
    try {
      const yamlFile = join(dir, "seed.yml");
      writeFileSync(
        yamlFile,
        `accounts:
  - name: Initech
    apiKey: initech_key
    apiSecret: initech_secret
    teams: [{ name: Printers, id: 70 }]
    agents:
      - { firstname: Peter, lastname: Gibbons, email: peter@initech.example, teams: [Printers], status: Pending }
    numbers:
      - { number: "+15125550100", country: US, type: local, assignedTo: PETER@initech.example, id: 40 }
`,
      );
      const emu = await fixture.use({ seed: yamlFile });
      expect(emu.credentials).to.deep.equal({ apiKey: "initech_key", apiSecret: "initech_secret" });
      const auth = basic("initech_key", "initech_secret");
      const peter = (await call(emu, "GET", "/v1/agents", { auth })).body.data[0];
      expect(peter).to.include({ status: "Pending", email: "peter@initech.example" });
      expect(peter.numbers).to.deep.equal([{ id: 40, number: "+15125550100", country: "US", type: "local" }]);
      expect((await call(emu, "GET", "/v1/teams/70", { auth })).body.data.agents).to.deep.equal([peter.id]);

      const jsonFile = join(dir, "seed.json");
      writeFileSync(jsonFile, JSON.stringify({ accounts: [{ name: "J", apiKey: "j", apiSecret: "k" }] }));
      const j = await fixture.use({ seed: jsonFile });
      expect((await call(j, "GET", "/v1/agents", { auth: basic("j", "k") })).body.total).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const broken: Array<[string, unknown, RegExp]> = [
    ["no accounts", { accounts: [] }, /^seed: accounts/],
    ["an unknown key", { accounts: [{ name: "A", apiKey: "a", apiSecret: "b", extra: 1 }] }, /^seed: accounts\[0\]/],
    [
      "a bad agent email",
      { accounts: [{ name: "A", apiKey: "a", apiSecret: "b", agents: [{ firstname: "x", lastname: "y", email: "nope" }] }] },
      /accounts\[0\]\.agents\[0\]: email: must be a valid email address/,
    ],
    [
      "an unknown team name",
      {
        accounts: [
          { name: "A", apiKey: "a", apiSecret: "b", agents: [{ firstname: "x", lastname: "y", email: "x@y.example", teams: ["Ghost"] }] },
        ],
      },
      /no team named Ghost/,
    ],
    [
      "an unknown number holder",
      {
        accounts: [
          {
            name: "A",
            apiKey: "a",
            apiSecret: "b",
            numbers: [{ number: "+15125550100", country: "US", type: "local", assignedTo: "ghost@y.example" }],
          },
        ],
      },
      /no agent with email ghost@y.example/,
    ],
    [
      "duplicate emails",
      {
        accounts: [
          {
            name: "A",
            apiKey: "a",
            apiSecret: "b",
            agents: [
              { firstname: "x", lastname: "y", email: "x@y.example" },
              { firstname: "x", lastname: "y", email: "X@y.example" },
            ],
          },
        ],
      },
      /already exists/,
    ],
    [
      "duplicate api keys",
      {
        accounts: [
          { name: "A", apiKey: "a", apiSecret: "b" },
          { name: "B", apiKey: "a", apiSecret: "c" },
        ],
      },
      /accounts\[1\]/,
    ],
  ];
  for (const [name, seed, message] of broken) {
    it(`refuses a seed with ${name}`, async () => {
      await startEmulator({ seed: seed as never }).then(
        (emu) => emu.close().then(() => expect.fail("started")),
        (err: Error) => expect(err.message).to.match(message),
      );
    });
  }
});
