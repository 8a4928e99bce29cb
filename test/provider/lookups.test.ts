// Look-ups for programs, outside the engine: without credentials they fail with the fix, and with
// an emulator's credentials in the environment they read its lists.
import { expect } from "chai";
import { getAgentByEmail, getNumbers, getTeams } from "../../provider/lookups";
import { freshEmulator } from "../support/justcall";

describe("provider/lookups: getTeams, getNumbers, getAgentByEmail", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ["JUSTCALL_API_KEY", "JUSTCALL_API_SECRET", "JUSTCALL_BASE_URL"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it("without credentials: an error that names the look-up and how to give credentials", async () => {
    delete process.env.JUSTCALL_API_KEY;
    delete process.env.JUSTCALL_API_SECRET;
    const err = await getTeams().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/^getTeams: no JustCall credentials\. Set justcall:apiKey and justcall:apiSecret/);
  });

  it("reads the account's teams, numbers and an agent by email (case aside)", async () => {
    const emu = await freshEmulator();
    try {
      Object.assign(process.env, {
        JUSTCALL_API_KEY: emu.credentials.apiKey,
        JUSTCALL_API_SECRET: emu.credentials.apiSecret,
        JUSTCALL_BASE_URL: emu.url,
      });
      const state = (await emu.admin.state()).accounts[0];
      expect((await getTeams()).map((t) => t.name)).to.have.members(state.teams.map((t) => t.name));
      expect((await getNumbers()).map((n) => n.number)).to.have.members(state.numbers.map((n) => n.number));
      const jane = state.agents.find((a) => a.email === "jane.doe@acme.example")!;
      expect((await getAgentByEmail("JANE.DOE@acme.example"))?.id).to.equal(jane.id);
      expect(await getAgentByEmail("nobody@acme.example")).to.equal(undefined);
    } finally {
      await emu.close();
    }
  });
});
