import { expect } from "chai";
import {
  AuthError,
  ConflictError,
  DuplicateEmailError,
  duplicateByMeaning,
  type ErrorKind,
  errorFromResponse,
  errorKind,
  JustCallError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  ValidationError,
} from "../../../provider/client/errors";
import { contractV1 } from "../../../provider/client/contract-v1";
import { contractV21 } from "../../../provider/client/contract-v21";

const err = (message: string) => ({ status: "error", message });

describe("client/errors: errorFromResponse", () => {
  const table: Array<[number, string, unknown, Function, RegExp]> = [
    [400, "POST /v1/agents", err("email: must be a valid email address"), ValidationError, /field "email"/],
    [422, "POST /v1/agents/{id}", err("timezone: unknown"), ValidationError, /timezone/],
    [401, "GET /v1/agents", err("Invalid API key or secret"), AuthError, /justcall:apiKey and justcall:apiSecret/],
    [403, "GET /v1/agents", err("Requests from IP 10.0.0.1 are not allowed"), AuthError, /IP allowlist/],
    [404, "GET /v1/agents/{id}", err("Agent 7 not found"), NotFoundError, /pulumi refresh/],
    [409, "POST /v1/agents", err("email: already taken"), DuplicateEmailError, /already exists/],
    [409, "POST /v1/agents/{id}", err("email: already taken"), DuplicateEmailError, /already exists/],
    [409, "POST /v1/teams/{team_id}/agents", err("agent_id: already a member"), ConflictError, /conflicts/],
    [429, "GET /v1/agents", err("Rate limit exceeded"), RateLimitedError, /rate limit/],
    [500, "GET /v1/agents", err("Internal server error"), ServerError, /try again later/],
    [503, "GET /v1/teams", undefined, ServerError, /HTTP 503/],
    [418, "GET /v1/teams", err("teapot"), JustCallError, /Not retried/],
  ];
  for (const [status, route, body, cls, text] of table) {
    it(`${status} on ${route} → ${cls.name}`, () => {
      const e = errorFromResponse({ status, method: route.split(" ")[0], path: "/v1/x", route, body, attempts: 2 });
      expect(e).to.be.instanceOf(cls);
      expect(e).to.be.instanceOf(JustCallError);
      expect(e.name).to.equal(cls.name);
      expect(e.status).to.equal(status);
      expect(e.attempts).to.equal(2);
      expect(e.message).to.match(text);
    });
  }

  it("names the field of a validation error and keeps JustCall's message", () => {
    const e = errorFromResponse({ status: 400, method: "POST", path: "/v1/agents", route: "POST /v1/agents", body: err("email: invalid") });
    expect((e as ValidationError).field).to.equal("email");
    expect(e.apiMessage).to.equal("email: invalid");
  });

  it("DuplicateEmailError is a ConflictError, and not a NotFoundError", () => {
    const e = errorFromResponse({ status: 409, method: "POST", path: "/v1/agents", route: "POST /v1/agents", body: undefined });
    expect(e).to.be.instanceOf(ConflictError);
    expect(e).not.to.be.instanceOf(NotFoundError);
    expect(new Error("x")).not.to.be.instanceOf(JustCallError);
  });

  it("instanceof holds across copies of the module (brand, not identity)", () => {
    const path = require.resolve("../../../provider/client/errors");
    const saved = require.cache[path];
    delete require.cache[path];
    const copy = require(path) as typeof import("../../../provider/client/errors");
    require.cache[path] = saved;
    expect(copy.NotFoundError).not.to.equal(NotFoundError);
    const e = new copy.NotFoundError("gone", { status: 404 });
    expect(e).to.be.instanceOf(NotFoundError);
    expect(e).to.be.instanceOf(JustCallError);
    expect(e).not.to.be.instanceOf(AuthError);
  });

  it("serializes to JSON without losing the facts", () => {
    const e = errorFromResponse({
      status: 404,
      method: "GET",
      path: "/v1/agents/9",
      route: "GET /v1/agents/{id}",
      body: err("Agent 9 not found"),
    });
    const j = JSON.parse(JSON.stringify(e));
    expect(j).to.include({ name: "NotFoundError", status: 404, method: "GET", path: "/v1/agents/9", apiMessage: "Agent 9 not found" });
  });
});

describe("client/errors: the error table, row by row", () => {
  const v1 = contractV1;
  const taken = err("The email has already been taken.");
  // [status, route, body, contract, kind, class]
  const rows: Array<[number, string, unknown, typeof v1 | typeof contractV21, ErrorKind, Function]> = [
    [400, "GET /v1/agents", undefined, v1, "validation", ValidationError],
    [422, "GET /v1/agents", undefined, v1, "validation", ValidationError],
    [401, "GET /v1/agents", undefined, v1, "auth", AuthError],
    [403, "GET /v1/agents", undefined, v1, "auth", AuthError],
    [404, "GET /v1/agents/{id}", undefined, v1, "not-found", NotFoundError],
    [409, "POST /v1/teams/{team_id}/agents", undefined, v1, "conflict", ConflictError],
    [429, "GET /v1/agents", undefined, v1, "rate-limited", RateLimitedError],
    [500, "GET /v1/agents", undefined, v1, "server", ServerError],
    [502, "GET /v1/agents", undefined, v1, "server", ServerError],
    [599, "GET /v1/agents", undefined, v1, "server", ServerError],
    [418, "GET /v1/agents", undefined, v1, "client", JustCallError],
    [405, "GET /v1/agents", undefined, v1, "client", JustCallError],
    // The duplicate-email rule: on the routes the contract names, a 409, or a 4xx saying so.
    [409, "POST /v1/agents", undefined, v1, "duplicate-email", DuplicateEmailError],
    [409, "POST /v1/agents/{id}", err("conflict"), v1, "duplicate-email", DuplicateEmailError],
    [400, "POST /v1/agents", taken, v1, "duplicate-email", DuplicateEmailError],
    [422, "POST /v1/agents/{id}", err("E-mail exists"), v1, "duplicate-email", DuplicateEmailError],
    [418, "POST /v1/agents", taken, v1, "duplicate-email", DuplicateEmailError],
    [400, "POST /v1/agents", err("firstname: required"), v1, "validation", ValidationError],
    [500, "POST /v1/agents", taken, v1, "server", ServerError],
    [400, "GET /v1/agents", taken, v1, "validation", ValidationError],
    [409, "GET /v1/agents", taken, v1, "conflict", ConflictError],
    // v2.1 names no such route.
    [409, "POST /v1/agents", taken, contractV21, "conflict", ConflictError],
    [400, "PUT /v2.1/users/availability", taken, contractV21, "validation", ValidationError],
  ];
  for (const [status, route, body, contract, kind, cls] of rows) {
    it(`${contract.version} ${status} on ${route}${body ? " with a message" : ""} → ${kind} → ${cls.name}`, () => {
      expect(errorKind(status, route, body, contract)).to.equal(kind);
      const e = errorFromResponse({ status, method: route.split(" ")[0], path: "/x", route, body }, contract);
      expect(e.name).to.equal(cls.name);
      expect(e.status).to.equal(status);
    });
  }
});

describe("client/errors: duplicateByMeaning (a 4xx, then a fresh look-up finds the email)", () => {
  const agent = { id: 42, firstname: "Ann", lastname: "Lee", email: "ann@example.com" };
  const refused = (status: number) =>
    new JustCallError("refused", { status, method: "POST", path: "/v1/agents", route: "POST /v1/agents" });
  let lookups = 0;
  const finds = (found: typeof agent | undefined) => async () => {
    lookups++;
    return found;
  };
  beforeEach(() => {
    lookups = 0;
  });

  it("a 4xx whose look-up finds the email → DuplicateEmailError naming the agent", async () => {
    const e = await duplicateByMeaning(refused(400), agent.email, finds(agent));
    expect(e).to.be.instanceOf(DuplicateEmailError);
    expect((e as DuplicateEmailError).message).to.match(/HTTP 400.*email ann@example\.com exists \(id 42\)/);
    expect(e).to.include({ status: 400, route: "POST /v1/agents" });
  });
  it("a 4xx whose look-up finds nothing stays as it was", async () => {
    const original = refused(422);
    expect(await duplicateByMeaning(original, agent.email, finds(undefined))).to.equal(original);
    expect(lookups).to.equal(1);
  });
  for (const status of [401, 403, 404, 429, 500, 503]) {
    it(`${status} says nothing of the email: no look-up`, async () => {
      const original = refused(status);
      expect(await duplicateByMeaning(original, agent.email, finds(agent))).to.equal(original);
      expect(lookups).to.equal(0);
    });
  }
  it("a DuplicateEmailError, or an error that is not JustCall's, passes through without a look-up", async () => {
    const dup = new DuplicateEmailError("dup", { status: 409 });
    const other = new Error("boom");
    expect(await duplicateByMeaning(dup, agent.email, finds(agent))).to.equal(dup);
    expect(await duplicateByMeaning(other, agent.email, finds(agent))).to.equal(other);
    expect(lookups).to.equal(0);
  });
  it("a look-up failing with a JustCallError leaves the create's error; any other failure is thrown", async () => {
    const original = refused(400);
    const failing = (x: Error) => async () => {
      throw x;
    };
    expect(await duplicateByMeaning(original, agent.email, failing(new NotFoundError("x")))).to.equal(original);
    let thrown: unknown;
    try {
      await duplicateByMeaning(original, agent.email, failing(new TypeError("bug")));
    } catch (x) {
      thrown = x;
    }
    expect(thrown).to.be.instanceOf(TypeError);
  });
});
