// Export writes only what validates: from each emulator shape of each API, the exported roster
// passes the roster validation (with the account's teams and numbers, as the stack checks them),
// and what a roster cannot express (a role outside ours) is left out and said on stderr.
import { expect } from "chai";
import { type RunningEmulator, type ShapeMode, startEmulator } from "../../emulator";
import { type ApiVersion, createClient } from "../../provider/client";
import { exportRoster, rosterYaml, validateRosterText } from "../../roster";
import { main } from "../../roster/cli";

const cases: Array<[ApiVersion, ShapeMode]> = [
  ["v1", "guide"],
  ["v1", "full"],
  ["v2.1", "guide"],
  ["v2.1", "full"],
];

describe("roster export from each response shape", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  for (const [apiVersion, shapes] of cases) {
    it(`${apiVersion}, ${shapes} shapes: the roster validates; a role outside ours is left out and reported`, async () => {
      emu = await startEmulator({ rateLimit: false, v21RateLimit: false, shapes });
      // An owner and a custom role, set in the dashboard; a number shared and one unassigned.
      await emu.admin.editAgent(103, { role: "Account Owner" });
      await emu.admin.addAgent(emu.credentials.apiKey, {
        firstname: "Lee",
        lastname: "Chan",
        email: "lee@acme.example",
        role: "Sales Lead",
        timezone: "Asia/Kolkata",
      });
      const client = createClient({ baseUrl: emu.url, ...emu.credentials, apiVersion, snapshot: false });
      const notes: string[] = [];
      try {
        const roster = await exportRoster(client, { onNote: (n) => notes.push(n) });
        const account = { teams: (await client.teams()).map((t) => t.name), numbers: (await client.numbers()).map((n) => n.number) };
        const result = validateRosterText(rosterYaml(roster), { catalog: account });
        expect(result.issues).to.deep.equal([]);
        expect(result.ok).to.equal(true);

        const byEmail = (email: string) => roster.agents.find((a) => a.email === email)!;
        expect(roster.agents).to.have.length(4);
        // Normalised at the contract edge: "Admin" → admin, "14155550100" → +14155550100.
        expect(byEmail("jane.doe@acme.example")).to.include({ role: "admin" });
        expect(byEmail("jane.doe@acme.example").numbers).to.deep.equal(["+14155550100"]);
        expect(byEmail("priya.patel@acme.example")).to.not.have.property("role");
        expect(byEmail("lee@acme.example")).to.not.have.property("role");
        expect(notes).to.have.length(2);
        expect(notes[0]).to.match(
          /^lee@acme\.example: role "Sales Lead" left out \(not managed\): it must be one of agent, supervisor, admin/,
        );
        expect(notes[1]).to.match(/^priya\.patel@acme\.example: role "Account Owner" left out \(not managed\)/);
      } finally {
        await client.close();
      }
    });
  }

  it("the CLI says what it left out on stderr, and writes a roster that validates", async () => {
    emu = await startEmulator({ rateLimit: false, v21RateLimit: false, shapes: "guide" });
    await emu.admin.editAgent(101, { role: "Account Owner" });
    const out: string[] = [];
    const err: string[] = [];
    const env = { JUSTCALL_API_KEY: emu.credentials.apiKey, JUSTCALL_API_SECRET: emu.credentials.apiSecret, JUSTCALL_BASE_URL: emu.url };
    const code = await main(["export", "--out", "-", "--api-version", "v2.1"], env, {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    });
    expect(code, err.join("")).to.equal(0);
    expect(err.join("")).to.include(
      'justcall-roster: note: jane.doe@acme.example: role "Account Owner" left out (not managed): it must be one of agent, supervisor, admin',
    );
    const result = validateRosterText(out.join(""));
    expect(result.ok, JSON.stringify(result.issues)).to.equal(true);
  });
});
