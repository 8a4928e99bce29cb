import { expect } from "chai";
import { contractV1 } from "../../../provider/client/contract-v1";
import { formatPath } from "../../../provider/client/request";
import { isLoopback, parseBaseUrl } from "../../../provider/client/transport";
import { ConfigurationError } from "../../../provider/client/errors";

const agentWire = {
  firstname: "Jane",
  lastname: "Doe",
  email: "jane@example.com",
  phone: null,
  timezone: "America/New_York",
  role: "agent",
  status: "Pending",
  created_at: "2026-01-01T00:00:00Z",
  numbers: [{ id: 5, number: "+14155550100", country: "US", type: "local" }],
  some_future_field: { nested: true },
};

describe("client/contract-v1", () => {
  it("normalizes agent_id to id and tolerates unknown fields", () => {
    const r = contractV1.endpoints.createAgent({ firstname: "Jane", lastname: "Doe", email: "jane@example.com" }).parse({
      status: "success",
      data: { agent_id: 202, ...agentWire },
    });
    expect(r).to.deep.equal({
      ok: true,
      value: {
        id: 202,
        firstname: "Jane",
        lastname: "Doe",
        email: "jane@example.com",
        phone: null,
        timezone: "America/New_York",
        role: "agent",
        status: "Pending",
        createdAt: "2026-01-01T00:00:00.000Z",
        numbers: ["+14155550100"],
      },
    });
  });

  it("reports the field path of a shape violation", () => {
    const r = contractV1.endpoints.listAgents().parse({
      status: "success",
      data: [
        { id: 1, ...agentWire },
        { id: 2, ...agentWire, email: 7 },
      ],
      total: 2,
    });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(formatPath(r.issues[0].path)).to.equal("data[1].email");
  });

  it("requires id or agent_id", () => {
    const r = contractV1.endpoints.getAgent(1).parse({ status: "success", data: agentWire });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(formatPath(r.issues[0].path)).to.equal("data.id");
  });

  it("parses teams and numbers into domain shapes", () => {
    const t = contractV1.endpoints
      .listTeams()
      .parse({ status: "success", data: [{ id: 10, name: "Support", agents: [101, 202] }], total: 1, page: 1, per_page: 100 });
    expect(t).to.deep.equal({ ok: true, value: { items: [{ id: 10, name: "Support", agentIds: [101, 202] }], total: 1 } });
    const n = contractV1.endpoints
      .assignNumber(5, null)
      .parse({ status: "success", data: { id: 5, number: "+14155550100", type: "local", assigned_to: null } });
    expect(n).to.deep.equal({ ok: true, value: { id: 5, number: "+14155550100", country: null, type: "local", assignedTo: null } });
  });

  it("builds request specs with encoded paths and only the given fields", () => {
    const u = contractV1.endpoints.updateAgent(12, { firstname: "Jo", timezone: undefined });
    expect(u).to.include({ method: "POST", path: "/v1/agents/12", route: "POST /v1/agents/{id}", mode: "idempotent" });
    expect(u.body).to.deep.equal({ firstname: "Jo" });
    expect(contractV1.endpoints.createAgent({ firstname: "a", lastname: "b", email: "c" }).mode).to.equal("reconcile");
    expect(contractV1.endpoints.listNumbers({ assignedTo: 7 }).query).to.deep.equal({ assigned_to: 7 });
    expect(contractV1.endpoints.removeTeamMember(3, 4).path).to.equal("/v1/teams/3/agents/4");
  });

  it("reads the rate-limit headers and Retry-After", () => {
    expect(contractV1.rateLimit({ "x-ratelimit-limit": "100", "x-ratelimit-remaining": "7", "x-ratelimit-reset": "42" })).to.deep.equal([
      { limit: 100, remaining: 7, resetMs: 42_000 },
    ]);
    expect(contractV1.rateLimit({})).to.deep.equal([]);
    expect(contractV1.retryAfterMs({ "retry-after": "3" })).to.equal(3_000);
    expect(contractV1.retryAfterMs({})).to.equal(undefined);
  });

  it("builds Basic auth from key and secret", () => {
    expect(contractV1.authorization("k", "s")).to.equal(`Basic ${Buffer.from("k:s").toString("base64")}`);
  });

  it("strips a /v1 suffix from the base URL", () => {
    expect(parseBaseUrl("https://api.justcall.io/v1/", contractV1.stripBasePath)).to.deep.equal({
      origin: "https://api.justcall.io",
      prefix: "",
    });
    expect(parseBaseUrl("http://127.0.0.1:8080", contractV1.stripBasePath)).to.deep.equal({ origin: "http://127.0.0.1:8080", prefix: "" });
  });
});

describe("client/transport: base URL policy", () => {
  it("knows loopback addresses", () => {
    for (const h of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"]) expect(isLoopback(h), h).to.equal(true);
    for (const h of ["example.com", "10.0.0.1", "128.0.0.1", "localhost.evil.com"]) expect(isLoopback(h), h).to.equal(false);
  });
  it("refuses plain http to a remote host, and says why", () => {
    expect(() => parseBaseUrl("http://api.justcall.io/v1", contractV1.stripBasePath)).to.throw(
      ConfigurationError,
      /must use https:\/\/.*loopback/,
    );
    expect(() => parseBaseUrl("http://[::1]:9/", contractV1.stripBasePath)).not.to.throw();
  });
  it("refuses credentials in the URL without echoing them", () => {
    try {
      parseBaseUrl("https://key:topsecret@api.justcall.io", contractV1.stripBasePath);
      expect.fail("should throw");
    } catch (e) {
      expect(String((e as Error).message)).not.to.contain("topsecret");
    }
  });
});
