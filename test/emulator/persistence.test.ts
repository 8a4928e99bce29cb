import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { call, emulatorFixture, newAgent } from "./helpers";

describe("emulator: persistence", () => {
  const fixture = emulatorFixture();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "justcall-emulator-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("with a data file, state survives a restart", async () => {
    const dataFile = join(dir, "nested", "state.json");
    const first = await startEmulator({ dataFile, shapes: "full" });
    let id: number;
    try {
      id = (await call(first, "POST", "/v1/agents", { body: newAgent("kept@example.com") })).body.data.agent_id;
      await call(first, "POST", "/v1/teams/11/agents", { body: { agent_id: id } });
      await call(first, "POST", "/v1/phone-numbers/8", { body: { assigned_to: id } });
      await call(first, "DELETE", "/v1/agents/103");
    } finally {
      await first.close();
    }
    expect(existsSync(dataFile)).to.equal(true);
    expect(readdirSync(join(dir, "nested"))).to.deep.equal(["state.json"]);

    const second = await fixture.use({ dataFile, seed: { accounts: [{ name: "Ignored", apiKey: "k", apiSecret: "s" }] } });
    expect(second.credentials.apiKey).to.equal("demo_api_key");
    const agent = await call(second, "GET", `/v1/agents/${id}`);
    expect(agent.body.data).to.include({ email: "kept@example.com", status: "Pending" });
    expect(agent.body.data.numbers.map((n: { id: number }) => n.id)).to.deep.equal([8]);
    expect((await call(second, "GET", "/v1/teams/11")).body.data.agents).to.deep.equal([102, id]);
    expect((await call(second, "GET", "/v1/agents/103")).status).to.equal(404);
    expect(await second.admin.outbox()).to.have.length(1);
    // Ids keep counting from where they were: no reuse after a restart.
    const next = (await call(second, "POST", "/v1/agents", { body: newAgent("next@example.com") })).body.data.agent_id;
    expect(next).to.be.greaterThan(id);
  });

  it("writes a fresh file on first start and reflects admin changes", async () => {
    const dataFile = join(dir, "state.json");
    const emu = await startEmulator({ dataFile, shapes: "full" });
    try {
      await emu.admin.editAgent(101, { firstname: "Janet" });
    } finally {
      await emu.close();
    }
    const saved = JSON.parse(readFileSync(dataFile, "utf8"));
    expect(saved.version).to.equal(1);
    expect(saved.accounts[0].agents[0].firstname).to.equal("Janet");
  });

  it("without a data file, state is memory only", async () => {
    const a = await fixture.use();
    await call(a, "POST", "/v1/agents", { body: newAgent("gone@example.com") });
    await a.close();
    const b = await fixture.use();
    expect((await call(b, "GET", "/v1/agents")).body.total).to.equal(3);
  });

  it("refuses a data file that is not its own", async () => {
    const dataFile = join(dir, "other.json");
    writeFileSync(dataFile, JSON.stringify({ hello: "world" }));
    await startEmulator({ dataFile, shapes: "full" }).then(
      (emu) => emu.close().then(() => expect.fail("started on a foreign file")),
      (err: Error) => expect(err.message).to.match(/not a justcall-emulator data file/),
    );
  });
});
