import { expect } from "chai";
import {
  AuthError,
  ConflictError,
  DuplicateEmailError,
  errorFromResponse,
  JustCallError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  ValidationError,
} from "../../../provider/client/errors";

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
