import { expect } from "chai";
import { basic, call, emulatorFixture, GLOBEX_AUTH } from "./helpers";

describe("emulator: authentication and account isolation", () => {
  const fixture = emulatorFixture();

  it("accepts Basic base64(api_key:api_secret) for the demo account", async () => {
    const emu = await fixture.use();
    expect(emu.credentials).to.deep.equal({ apiKey: "demo_api_key", apiSecret: "demo_api_secret" });
    const res = await call(emu, "GET", "/v1/agents", { auth: basic(emu.credentials.apiKey, emu.credentials.apiSecret) });
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal("success");
  });

  const refusals: Array<[string, string | null, RegExp]> = [
    ["no header", null, /^Missing Authorization header/],
    ["a Bearer token", "Bearer demo_api_key", /^Malformed Authorization header/],
    ["Basic without a colon", `Basic ${Buffer.from("demo_api_key").toString("base64")}`, /^Malformed/],
    ["an empty secret", basic("demo_api_key", ""), /^Malformed/],
    ["a wrong secret", basic("demo_api_key", "nope"), /^Invalid API key or secret$/],
    ["an unknown key", basic("who", "demo_api_secret"), /^Invalid API key or secret$/],
    ["raw key:secret (the v2.1 form) on v1", "demo_api_key:demo_api_secret", /^Malformed/],
  ];
  for (const [name, auth, message] of refusals) {
    it(`answers 401 with the error envelope for ${name}`, async () => {
      const emu = await fixture.use();
      const res = await call(emu, "GET", "/v1/agents", { auth });
      expect(res.status).to.equal(401);
      expect(res.body.status).to.equal("error");
      expect(res.body.message).to.match(message);
      expect(Object.keys(res.body)).to.deep.equal(["status", "message"]);
    });
  }

  it("requires auth on unknown /v1 routes too (401 before 404)", async () => {
    const emu = await fixture.use();
    expect((await call(emu, "GET", "/v1/nope", { auth: null })).status).to.equal(401);
    expect((await call(emu, "GET", "/v1/nope")).status).to.equal(404);
  });

  it("answers 404 for another account's agent, team and number ids", async () => {
    const emu = await fixture.use();
    const state = await emu.admin.state();
    const globex = state.accounts.find((a) => a.apiKey === "globex_api_key")!;
    const [agent, team, number] = [globex.agents[0].id, globex.teams[0].id, globex.numbers[0].id];
    expect((await call(emu, "GET", `/v1/agents/${agent}`, { auth: GLOBEX_AUTH })).status).to.equal(200);
    for (const [method, path, body] of [
      ["GET", `/v1/agents/${agent}`],
      ["POST", `/v1/agents/${agent}`, { firstname: "X" }],
      ["DELETE", `/v1/agents/${agent}`],
      ["GET", `/v1/teams/${team}`],
      ["POST", `/v1/teams/${team}/agents`, { agent_id: 101 }],
      ["GET", `/v1/phone-numbers/${number}`],
      ["POST", `/v1/phone-numbers/${number}`, { assigned_to: null }],
    ] as Array<[string, string, unknown?]>) {
      const res = await call(emu, method, path, { body });
      expect(res.status, `${method} ${path}`).to.equal(404);
      expect(res.body.status).to.equal("error");
    }
    // Another account's agent is "not found" when added to one's own team, and lists never leak.
    const add = await call(emu, "POST", "/v1/teams/10/agents", { body: { agent_id: agent } });
    expect(add.status).to.equal(400);
    expect(add.body.message).to.equal(`agent_id: agent ${agent} not found`);
    const list = await call(emu, "GET", "/v1/agents?per_page=100");
    expect(list.body.data.map((a: { email: string }) => a.email)).to.not.include("hank.scorpio@globex.example");
    const after = await emu.admin.state();
    expect(after.accounts[1]).to.deep.equal(globex);
  });

  it("ids are unique across accounts", async () => {
    const emu = await fixture.use();
    const a = await call(emu, "POST", "/v1/agents", { body: { firstname: "A", lastname: "A", email: "a@acme.example" } });
    const g = await call(emu, "POST", "/v1/agents", {
      body: { firstname: "G", lastname: "G", email: "g@globex.example" },
      auth: GLOBEX_AUTH,
    });
    expect(a.body.data.agent_id).to.not.equal(g.body.data.agent_id);
    const ids = (await emu.admin.state()).accounts.flatMap((x) => x.agents.map((y) => y.id));
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it("answers 403 for a request from an IP outside the key allowlist", async () => {
    const emu = await fixture.use({
      seed: {
        accounts: [
          { name: "Locked", apiKey: "locked", apiSecret: "s1", allowedIps: ["10.1.2.3"] },
          { name: "Loopback", apiKey: "open", apiSecret: "s2", allowedIps: ["127.0.0.1", "::1"] },
        ],
      },
    });
    const denied = await call(emu, "GET", "/v1/agents", { auth: basic("locked", "s1") });
    expect(denied.status).to.equal(403);
    expect(denied.body).to.deep.equal({ status: "error", message: "Requests from IP 127.0.0.1 are not allowed for this API key" });
    // Wrong credentials are still a 401, whatever the IP.
    expect((await call(emu, "GET", "/v1/agents", { auth: basic("locked", "bad") })).status).to.equal(401);
    expect((await call(emu, "GET", "/v1/agents", { auth: basic("open", "s2") })).status).to.equal(200);
  });
});

describe("emulator: authentication is decided on the decoded path", () => {
  const fixture = emulatorFixture();

  for (const path of ["/%76%31/agents", "/%76%31/agents/101", "/v1%2Fagents", "/%76%32%2E%31/users"]) {
    it(`asks for credentials on ${path}, which the router routes like the plain path`, async () => {
      const emu = await fixture.use();
      const res = await call(emu, "GET", path, { auth: null });
      expect(res.status, JSON.stringify(res.body)).to.equal(401);
      expect(res.body.message).to.match(/^Missing Authorization header/);
    });
  }

  it("warns when bound beyond loopback, and not on loopback", async () => {
    const { startEmulator } = await import("../../emulator");
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => {
      if (w.code === "JUSTCALL_EMULATOR_EXPOSED") warnings.push(w.message);
    };
    process.on("warning", onWarning);
    try {
      const local = await startEmulator({ host: "127.0.0.1" });
      await local.close();
      const exposed = await startEmulator({ host: "0.0.0.0" });
      await exposed.close();
      // process warnings are emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/listens on http:\/\/0\.0\.0\.0:\d+, beyond loopback/);
  });
});
