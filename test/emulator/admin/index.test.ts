import { expect } from "chai";
import { AdminError, defaultSeed, type Seed } from "../../../emulator";
import { call, emulatorFixture, newAgent } from "../helpers";

const rejects = async (p: Promise<unknown>, status: number, message?: RegExp) => {
  await p.then(
    () => expect.fail(`expected admin error ${status}`),
    (err) => {
      expect(err).to.be.instanceOf(AdminError);
      expect(err.status).to.equal(status);
      if (message) expect(err.message).to.match(message);
    },
  );
};

describe("emulator: admin API", () => {
  const fixture = emulatorFixture();

  it("shows the state view without secrets", async () => {
    const emu = await fixture.use();
    const state = await emu.admin.state();
    expect(state.accounts.map((a) => a.name)).to.deep.equal(["Acme Support", "Globex"]);
    const acme = state.accounts[0];
    expect(acme.apiKey).to.equal("demo_api_key");
    expect(acme.agents[0]).to.deep.equal({
      id: 101,
      firstname: "Jane",
      lastname: "Doe",
      email: "jane.doe@acme.example",
      phone: "+14155550123",
      timezone: "America/Los_Angeles",
      role: "admin",
      status: "Offline",
      created_at: "2025-01-06T09:00:00.000Z",
    });
    expect(acme.teams.map((t) => t.name)).to.deep.equal(["Support", "Sales", "Billing"]);
    expect(acme.numbers).to.have.length(8);
    expect(state.outbox).to.deep.equal([]);
    expect(JSON.stringify(state)).to.not.contain("secret");
  });

  it("logs API requests (not admin ones) with counters, and clears the log", async () => {
    const emu = await fixture.use();
    await call(emu, "GET", "/v1/agents?page=1&per_page=5");
    await call(emu, "GET", "/v1/agents/101");
    await call(emu, "GET", "/v1/agents/999");
    await call(emu, "GET", "/v1/agents", { auth: null });
    await emu.admin.state();
    const log = await emu.admin.requests();
    expect(log.requests.map((r) => [r.seq, r.method, r.path, r.route, r.status, r.account, r.fault])).to.deep.equal([
      [1, "GET", "/v1/agents?page=1&per_page=5", "GET /v1/agents", 200, "demo_api_key", null],
      [2, "GET", "/v1/agents/101", "GET /v1/agents/{id}", 200, "demo_api_key", null],
      [3, "GET", "/v1/agents/999", "GET /v1/agents/{id}", 404, "demo_api_key", null],
      [4, "GET", "/v1/agents", "GET /v1/agents", 401, null, null],
    ]);
    for (const r of log.requests) {
      expect(new Date(r.startedAt).toISOString()).to.equal(r.startedAt);
      expect(r.durationMs).to.be.a("number").and.at.least(0);
    }
    expect(log.counters).to.deep.equal({
      total: 4,
      byRoute: { "GET /v1/agents": { "200": 1, "401": 1 }, "GET /v1/agents/{id}": { "200": 1, "404": 1 } },
      byStatus: { "200": 2, "401": 1, "404": 1 },
    });
    await emu.admin.clearRequests();
    expect(await emu.admin.requests()).to.deep.equal({ requests: [], counters: { total: 0, byRoute: {}, byStatus: {} } });
  });

  it("edits an agent out of band, status included", async () => {
    const emu = await fixture.use();
    const edited = await emu.admin.editAgent(102, { lastname: "Leigh", status: "Busy", phone: "+14155550999" });
    expect(edited).to.include({ id: 102, lastname: "Leigh", status: "Busy", phone: "+14155550999" });
    expect((await call(emu, "GET", "/v1/agents/102")).body.data).to.include({ lastname: "Leigh", status: "Busy" });
    await rejects(emu.admin.editAgent(102, { status: "Away" as never }), 400, /status: must be one of/);
    await rejects(emu.admin.editAgent(102, { email: "jane.doe@acme.example" }), 409);
    await rejects(emu.admin.editAgent(102, {}), 400);
    await rejects(emu.admin.editAgent(9999, { firstname: "X" }), 404);
  });

  it("deletes an agent out of band with the same effects as the API", async () => {
    const emu = await fixture.use();
    await emu.admin.deleteAgent(101);
    expect((await call(emu, "GET", "/v1/agents/101")).status).to.equal(404);
    expect((await call(emu, "GET", "/v1/phone-numbers/5")).body.data.assigned_to).to.equal(null);
    expect((await call(emu, "GET", "/v1/teams/10")).body.data.agents).to.deep.equal([102]);
    await rejects(emu.admin.deleteAgent(101), 404);
  });

  it("adds an agent out of band without an invitation", async () => {
    const emu = await fixture.use();
    const added = await emu.admin.addAgent("demo_api_key", { firstname: "Out", lastname: "Band", email: "oob@acme.example" });
    expect(added).to.include({ firstname: "Out", status: "Offline", role: "agent", phone: null });
    expect(await emu.admin.outbox()).to.deep.equal([]);
    const api = await call(emu, "GET", `/v1/agents/${added.id}`);
    expect(api.body.data.email).to.equal("oob@acme.example");
    const pending = await emu.admin.addAgent("globex_api_key", {
      firstname: "P",
      lastname: "Q",
      email: "pq@globex.example",
      status: "Pending",
    });
    expect(pending.status).to.equal("Pending");
    await rejects(emu.admin.addAgent("demo_api_key", { firstname: "X", lastname: "Y", email: "OOB@acme.example" }), 409);
    await rejects(emu.admin.addAgent("nobody", { firstname: "X", lastname: "Y", email: "x@y.example" }), 404);
    await rejects(emu.admin.addAgent("demo_api_key", { firstname: "X", lastname: "Y" } as never), 400, /email: is required/);
  });

  it("moves numbers out of band, within the account only", async () => {
    const emu = await fixture.use();
    expect(await emu.admin.moveNumber(5, 102)).to.deep.equal({
      id: 5,
      number: "+14155550100",
      country: "US",
      type: "local",
      assigned_to: 102,
    });
    expect((await call(emu, "GET", "/v1/agents/102")).body.data.numbers.map((n: { id: number }) => n.id)).to.deep.equal([5]);
    expect((await emu.admin.moveNumber(5, null)).assigned_to).to.equal(null);
    await rejects(emu.admin.moveNumber(5, 104), 400, /agent 104 not found in account demo_api_key/);
    await rejects(emu.admin.moveNumber(999, 101), 404);
  });

  it("adds and removes team members out of band", async () => {
    const emu = await fixture.use();
    expect(await emu.admin.addTeamMember(12, 101)).to.deep.equal({ id: 12, name: "Billing", agents: [103, 101] });
    await rejects(emu.admin.addTeamMember(12, 101), 409);
    await rejects(emu.admin.addTeamMember(12, 104), 400);
    expect(await emu.admin.removeTeamMember(12, 103)).to.deep.equal({ id: 12, name: "Billing", agents: [101] });
    await rejects(emu.admin.removeTeamMember(12, 103), 404);
    expect((await call(emu, "GET", "/v1/teams/12")).body.data.agents).to.deep.equal([101]);
  });

  it("adds teams and numbers to an account", async () => {
    const emu = await fixture.use();
    const team = await emu.admin.addTeam("demo_api_key", "Escalations");
    expect(team).to.include({ name: "Escalations" });
    expect(team.agents).to.deep.equal([]);
    expect((await call(emu, "GET", `/v1/teams/${team.id}`)).body.data.name).to.equal("Escalations");
    await rejects(emu.admin.addTeam("demo_api_key", "support"), 409);

    const number = await emu.admin.addNumber("demo_api_key", { number: "+14155550777", country: "US", type: "mobile" });
    expect(number).to.include({ number: "+14155550777", assigned_to: null });
    expect((await call(emu, "GET", `/v1/phone-numbers/${number.id}`)).body.data.type).to.equal("mobile");
    await rejects(emu.admin.addNumber("globex_api_key", { number: "+14155550777", country: "US", type: "local" }), 409);
    await rejects(emu.admin.addNumber("demo_api_key", { number: "555", country: "US", type: "local" }), 400, /number:/);
  });

  it("loads a seed, and reset returns to the startup seed clearing outbox, log and faults", async () => {
    const emu = await fixture.use();
    const seed: Seed = {
      accounts: [
        {
          name: "Tiny",
          apiKey: "demo_api_key",
          apiSecret: "demo_api_secret",
          agents: [{ firstname: "T", lastname: "I", email: "t@tiny.example" }],
        },
      ],
    };
    await emu.admin.loadSeed(seed);
    expect((await call(emu, "GET", "/v1/agents")).body.total).to.equal(1);
    await rejects(emu.admin.loadSeed({ accounts: [] } as never), 400, /seed:/);

    await call(emu, "POST", "/v1/agents", { body: newAgent("o@tiny.example") });
    await emu.admin.setFaults([{ route: "*", kind: "status", status: 500 }]);
    await emu.admin.setRateLimit({ limit: 1, windowMs: 60_000 });
    await emu.admin.reset();
    const state = await emu.admin.state();
    expect(state.accounts.map((a) => a.name)).to.deep.equal(["Acme Support", "Globex"]);
    expect(state.outbox).to.deep.equal([]);
    expect((await emu.admin.requests()).counters.total).to.equal(0);
    const res = await call(emu, "GET", "/v1/agents");
    expect(res.status).to.equal(200);
    expect(res.headers.get("x-ratelimit-limit")).to.equal("100");

    await emu.admin.reset(seed);
    expect((await emu.admin.state()).accounts.map((a) => a.name)).to.deep.equal(["Tiny"]);
    await emu.admin.reset();
    expect((await emu.admin.state()).accounts).to.have.length(defaultSeed.accounts.length);
  });

  it("refuses bad admin input with the envelope", async () => {
    const emu = await fixture.use();
    const res = await fetch(`${emu.url}/__admin/agents/101`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { status: string }).status).to.equal("error");
    const missing = await fetch(`${emu.url}/__admin/nope`);
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.deep.equal({ status: "error", message: "Route GET /__admin/nope not found" });
  });
});
