import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, NetworkError, RateLimitedError, SchemaError, ServerError } from "../../../provider/client";
import { caught, statuses, withEmulator } from "./helpers";

const JANE = "jane.doe@acme.example";

describe("client against the emulator: rate limits", () => {
  it("a burst of 300 concurrent calls stays under a 50/s limit: zero 429", () =>
    withEmulator(
      { rateLimit: { limit: 50, windowMs: 1000 } },
      { rateLimit: { limit: 50, windowMs: 1000 }, snapshot: false },
      async (emu, client) => {
        const ids = (await emu.admin.state()).accounts[0].agents.map((a: { id: number }) => a.id);
        const t0 = Date.now();
        const results = await Promise.all(Array.from({ length: 300 }, (_, i) => client.readAgent(ids[i % ids.length])));
        const wall = Date.now() - t0;
        expect(results.every((a) => a !== undefined)).to.equal(true);
        expect(await statuses(emu)).to.deep.equal({ "200": 300 });
        expect(client.metrics().rateLimited).to.equal(0);
        console.log(`      300 calls at 50/s: ${wall} ms (floor 300/50 = 6000 ms; last window needs ${5 * 1000} ms)`);
      },
    ));

  it("learns the real limit from the headers when the starting budget is wrong", () =>
    withEmulator({ rateLimit: { limit: 10, windowMs: 1000 } }, { snapshot: false }, async (emu, client) => {
      await Promise.all(Array.from({ length: 35 }, () => client.numbersAssignedTo(1)));
      expect(await statuses(emu)).to.deep.equal({ "200": 35 });
    }));

  it("shares a window another client already spent: zero 429", () =>
    withEmulator({ rateLimit: { limit: 30, windowMs: 1000 } }, { snapshot: false }, async (emu, client) => {
      const other = createClient({ baseUrl: emu.url, ...emu.credentials, snapshot: false, rateLimit: { limit: 30, windowMs: 1000 } });
      try {
        await Promise.all(Array.from({ length: 25 }, () => other.teams()));
      } finally {
        await other.close();
      }
      await Promise.all(Array.from({ length: 40 }, () => client.teams()));
      expect(await statuses(emu)).to.deep.equal({ "200": 65 });
    }));

  it("rides out a 429 storm with Retry-After; no request dropped, 429s not counted as attempts", () =>
    withEmulator(
      { faults: [{ route: "GET /v1/agents/{id}", kind: "rate-limit", retryAfter: 1, count: 4 }] },
      { snapshot: false, retry: { maxAttempts: 2 } },
      async (emu, client) => {
        const results = await Promise.all([1, 2, 3].map(() => client.findAgentByEmail(JANE).then((a) => client.readAgent(a!.id))));
        expect(results.every((a) => a?.email === JANE)).to.equal(true);
        const m = client.metrics();
        expect(m.rateLimited).to.equal(4);
        expect(m.retries).to.equal(0);
        expect(m.requests["GET /v1/agents/{id}"]).to.deep.equal({ "200": 3, "429": 4 });
        expect((await statuses(emu))["429"]).to.equal(4);
      },
    ));

  it("gives up with RateLimitedError when Retry-After exceeds maxElapsedMs", () =>
    withEmulator(
      { faults: [{ route: "*", kind: "rate-limit", retryAfter: 30 }] },
      { retry: { maxElapsedMs: 2_000 } },
      async (_emu, client) => {
        const e = await caught(client.teams());
        expect(e).to.be.instanceOf(RateLimitedError);
        expect((e as RateLimitedError).status).to.equal(429);
      },
    ));
});

describe("client against the emulator: transient failures", () => {
  it("retries GETs through 503s, connection resets and a proxy's HTML 502", () =>
    withEmulator(
      {
        faults: [
          { route: "GET /v1/teams", kind: "status", status: 503, count: 2 },
          { route: "GET /v1/phone-numbers", kind: "reset", count: 2 },
          { route: "GET /v1/agents", kind: "html", count: 1 },
        ],
      },
      {},
      async (_emu, client) => {
        expect(await client.teams()).to.have.length(3);
        expect(await client.numbers()).to.have.length(8);
        expect(await client.listAgents()).to.have.length(3);
        const m = client.metrics();
        expect(m.retries).to.equal(5);
        expect(m.requests["GET /v1/teams"]).to.deep.equal({ "503": 2, "200": 1 });
        expect(m.requests["GET /v1/phone-numbers"]).to.deep.equal({ network: 2, "200": 1 });
      },
    ));

  it("times out a slow GET per attempt and retries it", () =>
    withEmulator(
      { faults: [{ route: "GET /v1/teams", kind: "latency", latencyMs: 2000, count: 1 }] },
      { requestTimeoutMs: 300 },
      async (_emu, client) => {
        expect(await client.teams()).to.have.length(3);
        expect(client.metrics().requests["GET /v1/teams"]).to.deep.equal({ network: 1, "200": 1 });
      },
    ));

  it("stops after maxAttempts with ServerError carrying the attempt count", () =>
    withEmulator(
      { faults: [{ route: "GET /v1/teams", kind: "status", status: 503 }] },
      { retry: { maxAttempts: 3 } },
      async (_emu, client) => {
        const e = await caught(client.teams());
        expect(e).to.be.instanceOf(ServerError);
        expect((e as ServerError).attempts).to.equal(3);
        expect(e.message).to.match(/after 3 attempt/);
      },
    ));

  it("retries an update and a number assignment through resets (idempotent)", () =>
    withEmulator(
      {
        faults: [
          { route: "POST /v1/agents/{id}", kind: "commit-then-drop", count: 1 },
          { route: "POST /v1/phone-numbers/{id}", kind: "commit-then-drop", count: 1 },
        ],
      },
      {},
      async (_emu, client) => {
        const jane = (await client.findAgentByEmail(JANE))!;
        expect((await client.updateAgent(jane.id, { timezone: "Europe/Paris" })).timezone).to.equal("Europe/Paris");
        const n = (await client.numbers()).find((x) => x.assignedTo === null)!;
        expect((await client.assignNumber(n.id, jane.id)).assignedTo).to.equal(jane.id);
      },
    ));

  it("reports a refused connection as NetworkError", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const client = createClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: "k",
      apiSecret: "s-never-shown",
      retry: { maxAttempts: 2 },
    });
    try {
      const e = await caught(client.teams());
      expect(e).to.be.instanceOf(NetworkError);
      expect((e as NetworkError).code).to.equal("ECONNREFUSED");
      expect((e as NetworkError).attempts).to.equal(2);
    } finally {
      await client.close();
    }
  });
});

describe("client against the emulator: never a duplicate", () => {
  it("a create that times out while the server is slow: one agent, one invitation", () =>
    withEmulator(
      { faults: [{ route: "POST /v1/agents", kind: "latency", latencyMs: 1500, count: 1 }] },
      { requestTimeoutMs: 400 },
      async (emu, client) => {
        const a = await client.createAgent({ firstname: "Tim", lastname: "Out", email: "tim@acme.example" });
        expect(a.email).to.equal("tim@acme.example");
        await new Promise((r) => setTimeout(r, 1500)); // let the slow first attempt finish on the server
        expect(
          (await emu.admin.state()).accounts[0].agents.filter((x: { email: string }) => x.email === "tim@acme.example"),
        ).to.have.length(1);
        expect((await emu.admin.outbox()).filter((i) => i.email === "tim@acme.example")).to.have.length(1);
        expect(client.metrics().requests["POST /v1/agents"].network).to.equal(1);
      },
    ));

  it("commit-then-drop on create: exactly one agent and one invitation", () =>
    withEmulator({ faults: [{ route: "POST /v1/agents", kind: "commit-then-drop", count: 1 }] }, {}, async (emu, client) => {
      const a = await client.createAgent({ firstname: "Kay", lastname: "Ode", email: "kay@acme.example" });
      expect(a.email).to.equal("kay@acme.example");
      const agents = (await emu.admin.state()).accounts[0].agents.filter((x: { email: string }) => x.email === "kay@acme.example");
      expect(agents).to.have.length(1);
      expect(agents[0].id).to.equal(a.id);
      expect((await emu.admin.outbox()).filter((i) => i.email === "kay@acme.example")).to.have.length(1);
      const creates = (await emu.admin.requests()).requests.filter((r) => r.route === "POST /v1/agents");
      expect(creates).to.have.length(1);
    }));

  it("503 and reset before the handler: create is retried after a lookup, once", () =>
    withEmulator(
      {
        faults: [
          { route: "POST /v1/agents", kind: "status", status: 503, count: 1 },
          { route: "POST /v1/agents", kind: "reset", count: 1 },
        ],
      },
      {},
      async (emu, client) => {
        const a = await client.createAgent({ firstname: "Lin", lastname: "Wu", email: "lin@acme.example" });
        expect(a.email).to.equal("lin@acme.example");
        expect((await emu.admin.outbox()).filter((i) => i.email === "lin@acme.example")).to.have.length(1);
        const log = (await emu.admin.requests()).requests.map((r) => `${r.route} ${r.status}`);
        expect(log.filter((l) => l.startsWith("POST /v1/agents "))).to.deep.equal([
          "POST /v1/agents 503",
          "POST /v1/agents 0",
          "POST /v1/agents 200",
        ]);
        expect(log.filter((l) => l.startsWith("GET /v1/agents "))).to.have.length(2);
      },
    ));

  it("a team add dropped after commit resolves as added, without a 409 error", () =>
    withEmulator(
      { faults: [{ route: "POST /v1/teams/{team_id}/agents", kind: "commit-then-drop", count: 1 }] },
      {},
      async (_emu, client) => {
        const team = (await client.teams()).find((t) => t.name === "Sales")!;
        const jane = (await client.findAgentByEmail(JANE))!;
        expect(await client.addTeamMember(team.id, jane.id)).to.equal("added");
        client.invalidateListCache();
        expect((await client.teams()).find((t) => t.id === team.id)!.agentIds).to.include(jane.id);
        expect(client.metrics().requests["POST /v1/teams/{team_id}/agents"]).to.deep.equal({ network: 1 });
      },
    ));
});

describe("client: validated responses", () => {
  it("retries a truncated JSON body on a GET, then fails with SchemaError naming the endpoint", () =>
    withEmulator(
      { faults: [{ route: "GET /v1/teams", kind: "malformed", count: 1 }] },
      { retry: { maxAttempts: 2 } },
      async (emu, client) => {
        expect(await client.teams()).to.have.length(3);
        await emu.admin.setFaults([{ route: "GET /v1/phone-numbers", kind: "malformed" }]);
        const e = await caught(client.numbers());
        expect(e).to.be.instanceOf(SchemaError);
        expect(e.message).to.contain("GET /v1/phone-numbers");
        expect((e as SchemaError).fieldPath).to.equal("(body)");
      },
    ));

  it("a well-formed body of the wrong shape raises SchemaError with the field path and zod issues, once", async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          status: "success",
          data: [{ id: 1, firstname: "A", lastname: "B", email: null, role: "agent", status: "Offline" }],
          total: 1,
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = createClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: "k", apiSecret: "s" });
    try {
      const e = await caught(client.listAgents());
      expect(e).to.be.instanceOf(SchemaError);
      const s = e as SchemaError;
      expect(s.fieldPath).to.equal("data[0].email");
      expect(s.route).to.equal("GET /v1/agents");
      expect(s.message).to.contain("GET /v1/agents").and.to.contain("data[0].email");
      expect(s.issues[0].path).to.deep.equal(["data", 0, "email"]);
      expect(s.status).to.equal(200);
      expect(hits).to.equal(1);
    } finally {
      await client.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
