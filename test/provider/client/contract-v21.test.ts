import { expect } from "chai";
import {
  AuthError,
  ConfigurationError,
  contractFor,
  contractV1,
  contractV21,
  errorFromResponse,
  JustCallError,
  nameMatches,
  NotFoundError,
  PLAN_LIMITS,
  ServerError,
  splitName,
  startingBudgets,
  UnsupportedOperationError,
  unsupportedOperation,
  ValidationError,
} from "../../../provider/client";
import type { WriteOperation } from "../../../provider/client";
import { formatPath } from "../../../provider/client/request";
import { parseBaseUrl } from "../../../provider/client/transport";

const userWire = {
  id: 101,
  name: "Mary Ann Lee",
  email: "mary@example.com",
  role: "agent",
  extension: 201,
  groups: [{ id: 10, name: "Support" }],
  owned_numbers: ["+14155550100", { justcall_number: "+14155550101", friendly_number: "(415) 555-0101" }],
  shared_numbers: [],
  created_at: "2026-01-01 10:00:00",
  last_login_timestamp: null,
  timezone: "America/New_York",
  working_hours_type: "Always Open",
  available: "No",
  unavailability_reason: "Lunch",
  on_call: "No",
  some_future_field: { nested: true },
};

const envelope = (data: unknown[], more: { total?: number; page?: number; next?: string | null } = {}) => ({
  status: "success",
  count: data.length,
  total_count: more.total ?? data.length,
  current_page: more.page ?? 0,
  per_page: 100,
  next_page_link: more.next ?? null,
  prev_page_link: null,
  data,
});

const E = contractV21.endpoints;

describe("client/contract-v21: shapes", () => {
  it("maps a user to the domain Agent: name split at the first space, full name kept, Yes/No availability", () => {
    const r = E.getAgent(101).parse({ status: "success", data: userWire });
    expect(r).to.deep.equal({
      ok: true,
      value: {
        id: 101,
        firstname: "Mary",
        lastname: "Ann Lee",
        email: "mary@example.com",
        timezone: "America/New_York",
        role: "agent",
        status: "Offline",
        // The reference's "2026-01-01 10:00:00" (UTC), normalized to ISO 8601; no phone: v2.1 has none.
        createdAt: "2026-01-01T10:00:00.000Z",
        numbers: ["+14155550100", "+14155550101"],
        name: "Mary Ann Lee",
        available: false,
        unavailabilityReason: "Lunch",
      },
    });
    const yes = E.getAgent(1).parse({ status: "success", data: [{ ...userWire, available: "Yes", unavailability_reason: null }] });
    expect(yes.ok && yes.value).to.include({ available: true, unavailabilityReason: null, status: "Online" });
    const busy = E.getAgent(1).parse({ status: "success", data: { ...userWire, available: "Yes", on_call: "Yes" } });
    expect(busy.ok && busy.value.status).to.equal("Busy");
  });

  it("splits names at the first whitespace", () => {
    expect(splitName("Jane Doe")).to.deep.equal({ firstname: "Jane", lastname: "Doe" });
    expect(splitName("Cher")).to.deep.equal({ firstname: "Cher", lastname: "" });
    expect(splitName("  Jean  Luc Picard ")).to.deep.equal({ firstname: "Jean", lastname: "Luc Picard" });
    expect(splitName("")).to.deep.equal({ firstname: "", lastname: "" });
  });

  it("matches whole names, wherever they split", () => {
    expect(nameMatches("Mary Ann Lee", "Mary Ann", "Lee")).to.equal(true);
    expect(nameMatches("Mary Ann Lee", "Mary", "Ann Lee")).to.equal(true);
    expect(nameMatches(" Mary  Ann Lee", "Mary Ann ", "Lee")).to.equal(true);
    expect(nameMatches("Cher", "Cher", "")).to.equal(true);
    expect(nameMatches("Mary Ann Lee", "Mary", "Lee")).to.equal(false);
    expect(nameMatches("mary lee", "Mary", "Lee")).to.equal(false);
  });

  it("reports the field path of a shape violation, and rejects availability other than Yes/No", () => {
    const r = E.listAgents().parse(envelope([userWire, { ...userWire, id: 2, email: 7 }]));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(formatPath(r.issues[0].path)).to.equal("data[1].email");
    const bad = E.getAgent(1).parse({ status: "success", data: { ...userWire, available: "Maybe" } });
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(formatPath(bad.issues[0].path)).to.match(/^data/);
  });

  it("maps user groups to teams, members (objects) to agent ids", () => {
    const g = E.listTeams().parse(
      envelope([
        {
          id: 10,
          group_name: "Support",
          group_extension: "300",
          total_members: 2,
          updated_on: "2026-01-02",
          members: [
            { id: 101, name: "Mary Ann Lee", email: "mary@example.com", role: "agent", timezone: "UTC", extension: 201 },
            { id: 202, name: "Sam", email: "sam@example.com", role: "admin", timezone: null, extension: null },
          ],
        },
        { id: 11, group_name: "Empty", total_members: 0, members: [] },
      ]),
    );
    expect(g).to.deep.equal({
      ok: true,
      value: {
        items: [
          { id: 10, name: "Support", agentIds: [101, 202] },
          { id: 11, name: "Empty", agentIds: [] },
        ],
        total: 2,
        more: false,
      },
    });
  });

  it("maps phone numbers: justcall_number, number_owner.id → assignedTo, unowned → null", () => {
    const n = E.listNumbers().parse(
      envelope(
        [
          {
            id: 5,
            justcall_number: "+14155550100",
            friendly_number: "(415) 555-0100",
            justcall_line_name: "Main",
            number_type: "local",
            number_owner: { id: 101, email: "mary@example.com", name: "Mary Ann Lee" },
            shared_with: { team_members: [], user_groups: [] },
            capabilities: { sms: true, voice: true },
          },
          { id: 6, justcall_number: "+14155550106", number_type: "toll-free", number_owner: null },
          { id: 7, justcall_number: "+14155550107" },
        ],
        { total: 40, next: "https://api.justcall.io/v2.1/phone-numbers?page=1&per_page=3" },
      ),
    );
    expect(n).to.deep.equal({
      ok: true,
      value: {
        items: [
          { id: 5, number: "+14155550100", country: null, type: "local", assignedTo: 101 },
          { id: 6, number: "+14155550106", country: null, type: "toll-free", assignedTo: null },
          { id: 7, number: "+14155550107", country: null, type: null, assignedTo: null },
        ],
        total: 40,
        more: true,
      },
    });
    expect(E.listNumbers({ assignedTo: 101 }).query).to.deep.equal({ number_owner_id: 101 });
  });
});

describe("client/contract-v21: requests", () => {
  it("pages from 0, 100 at a time", () => {
    expect(contractV21.pagination).to.deep.equal({ firstPage: 0, perPage: 100, pageParam: "page", perPageParam: "per_page" });
    expect(E.listAgents()).to.include({ route: "GET /v2.1/users", path: "/v2.1/users" });
    expect(E.listTeams().path).to.equal("/v2.1/user_groups");
    expect(E.getAgent(42)).to.include({ method: "GET", path: "/v2.1/users/42", route: "GET /v2.1/users/{id}", mode: "idempotent" });
  });

  it("sends the raw key:secret and Accept: application/json", () => {
    expect(contractV21.authorization("k", "s")).to.equal("k:s");
    expect(contractV21.headers).to.deep.equal({ accept: "application/json" });
  });

  it("takes the host as base URL and refuses one naming another API version", () => {
    expect(parseBaseUrl("https://api.justcall.io", contractV21.stripBasePath)).to.deep.equal({
      origin: "https://api.justcall.io",
      prefix: "",
    });
    expect(parseBaseUrl("https://api.justcall.io/v2.1/", contractV21.stripBasePath)).to.deep.equal({
      origin: "https://api.justcall.io",
      prefix: "",
    });
    expect(parseBaseUrl("https://proxy.example/justcall", contractV21.stripBasePath).prefix).to.equal("/justcall");
    expect(() => parseBaseUrl("https://api.justcall.io/v1", contractV21.stripBasePath)).to.throw(
      ConfigurationError,
      /v2\.1; give the host only/,
    );
  });

  it("writes availability with PUT /v2.1/users/availability; the reason only with unavailable", () => {
    const off = E.setAvailability(101, false, "Training");
    expect(off).to.include({ method: "PUT", path: "/v2.1/users/availability", route: "PUT /v2.1/users/availability", mode: "idempotent" });
    expect(off.body).to.deep.equal({ agent_id: 101, is_available: false, unavailability_reason: "Training" });
    expect(E.setAvailability(101, true, "ignored").body).to.deep.equal({ agent_id: 101, is_available: true });
    expect(E.setAvailability(101, false).body).to.deep.equal({ agent_id: 101, is_available: false });
    expect(off.parse({ status: "success", message: "Availability updated" })).to.deep.equal({ ok: true, value: undefined });
    const withUser = off.parse({ status: "success", data: { ...userWire, available: "No" } });
    expect(withUser.ok && withUser.value?.available).to.equal(false);
  });

  it("has no endpoint for what the published API cannot do", () => {
    for (const op of ["createAgent", "updateAgent", "deleteAgent", "addTeamMember", "removeTeamMember", "assignNumber"]) {
      expect(op in contractV21.endpoints, op).to.equal(false);
    }
    expect("setAvailability" in contractV1.endpoints).to.equal(false);
  });
});

describe("client/contract-v21: rate-limit headers", () => {
  // Fractional seconds, taken as given.
  const headers = {
    "x-rate-limit-limit": "1800",
    "x-rate-limit-remaining": "1700",
    "x-rate-limit-reset": "1199.5",
    "x-rate-limit-burst-limit": "30",
    "x-rate-limit-burst-remaining": "0",
    "x-rate-limit-burst-reset": "11.5",
  };

  it("reads the hour and the minute (burst) windows", () => {
    expect(contractV21.rateLimit(headers)).to.deep.equal([
      { window: "hour", limit: 1800, remaining: 1700, resetMs: 1_199_500 },
      { window: "minute", limit: 30, remaining: 0, resetMs: 11_500 },
    ]);
    expect(contractV21.rateLimit({})).to.deep.equal([]);
    expect(contractV21.rateLimit({ "x-ratelimit-limit": "100" })).to.deep.equal([]);
    // Whole seconds may be rounded down: the window may last up to one second more.
    expect(contractV21.rateLimit({ "x-rate-limit-burst-reset": "12" })[0].resetMs).to.equal(13_000);
  });

  it("reads a reset given as a Unix time", () => {
    const at = Math.floor(Date.now() / 1000) + 30;
    const [w] = contractV21.rateLimit({ "x-rate-limit-burst-reset": String(at) });
    expect(w.window).to.equal("minute");
    expect(w.resetMs).to.be.within(29_000, 31_000);
  });

  it("waits Retry-After when given, else until the exhausted window resets", () => {
    expect(contractV21.retryAfterMs({ ...headers, "retry-after": "3" })).to.equal(3_000);
    expect(contractV21.retryAfterMs(headers)).to.equal(11_500);
    expect(contractV21.retryAfterMs({ ...headers, "x-rate-limit-remaining": "0" })).to.equal(1_199_500);
    expect(contractV21.retryAfterMs({ ...headers, "x-rate-limit-burst-remaining": "4" })).to.equal(11_500);
    expect(contractV21.retryAfterMs({})).to.equal(undefined);
  });
});

describe("client/contract-v21: errors", () => {
  const err = (message: string) => ({ status: "error", message });
  const table: Array<[number, unknown, Function, RegExp]> = [
    [400, err("agent_id is required"), ValidationError, /field "agent_id"/],
    [401, err("Invalid credentials"), AuthError, /justcall:apiKey and justcall:apiSecret/],
    [403, err("Forbidden"), AuthError, /IP allowlist/],
    [404, err("User not found"), NotFoundError, /pulumi refresh/],
    [500, err("Something went wrong"), ServerError, /try again later/],
  ];
  for (const [status, body, cls, text] of table) {
    it(`${status} → ${cls.name}`, () => {
      const e = errorFromResponse({ status, method: "GET", path: "/v2.1/users/1", route: "GET /v2.1/users/{id}", body }, contractV21);
      expect(e).to.be.instanceOf(cls);
      expect(e.message).to.match(text);
      expect(e.apiMessage).to.equal((body as { message: string }).message);
    });
  }
  it("reads an error inside a 2xx envelope", () => {
    expect(contractV21.envelopeError(err("nope"))).to.equal("nope");
    expect(contractV21.envelopeError({ status: "success", data: [] })).to.equal(undefined);
  });
});

describe("client: unsupported operations name the dashboard step", () => {
  const cases: Array<[WriteOperation, Parameters<typeof unsupportedOperation>[2], string]> = [
    [
      "createAgent",
      { email: "jane@example.com" },
      "JustCall API v2.1 cannot create (invite) users; add jane@example.com in JustCall: Settings > Team, then run pulumi up again.",
    ],
    [
      "deleteAgent",
      { agentId: 7, email: "jane@example.com" },
      "JustCall API v2.1 cannot delete users; remove the user jane@example.com in JustCall: Settings > Team, then run pulumi up again.",
    ],
    [
      "updateAgent",
      { agentId: 7, email: "jane@example.com", fields: ["firstname", "lastname"] },
      "JustCall API v2.1 cannot change a user's firstname, lastname; change firstname, lastname of jane@example.com " +
        "in the user's profile in JustCall: Settings > Team > jane@example.com, then run pulumi up again.",
    ],
    [
      "addTeamMember",
      { teamId: 10, teamName: "Support", agentId: 7, email: "jane@example.com" },
      "JustCall API v2.1 cannot add members to a team; add jane@example.com to the team in JustCall: Settings > " +
        "Teams > Support > add member, then run pulumi up again.",
    ],
    [
      "removeTeamMember",
      { teamId: 10, agentId: 7 },
      "JustCall API v2.1 cannot remove members from a team; remove user 7 from the team in JustCall: Settings > " +
        "Teams > team 10 > remove member, then run pulumi up again.",
    ],
    [
      "assignNumber",
      { numberId: 5, number: "+14155550100", assignTo: 7, assignToEmail: "jane@example.com" },
      "JustCall API v2.1 cannot assign phone numbers; assign it in JustCall: Phone Numbers > +14155550100 > assign " +
        "to user jane@example.com, then run pulumi up again.",
    ],
    [
      "assignNumber",
      { numberId: 5, number: "+14155550100", assignTo: null },
      "JustCall API v2.1 cannot release a phone number; release it in JustCall: Phone Numbers > +14155550100 > unassign the user, then run pulumi up again.",
    ],
  ];
  for (const [op, ctx, text] of cases) {
    it(`${op}${ctx?.assignTo === null ? " (release)" : ""}`, () => {
      const e = unsupportedOperation(contractV21, op, ctx);
      expect(e).to.be.instanceOf(UnsupportedOperationError).and.instanceOf(JustCallError);
      expect(e.name).to.equal("UnsupportedOperationError");
      expect(e.message).to.equal(text);
      expect(e).to.include({ operation: op, apiVersion: "v2.1" });
      expect(text).to.contain(e.dashboardStep);
      expect(JSON.parse(JSON.stringify(e))).to.include({ operation: op, dashboardStep: e.dashboardStep });
    });
  }
  it("v1 has no availability write", () => {
    const e = unsupportedOperation(contractV1, "setAvailability", { agentId: 3, email: "sam@example.com" });
    expect(e.message).to.match(
      /^JustCall API v1 cannot set a user's availability; .*sam@example\.com.*API v1 has no availability write\.$/,
    );
  });
});

describe("client: choosing the API version and the starting budgets", () => {
  const base = { baseUrl: "https://api.justcall.io", apiKey: "k", apiSecret: "s" };

  it("picks the contract from apiVersion, v1 by default", () => {
    expect(contractFor(undefined)).to.equal(contractV1);
    expect(contractFor("v1")).to.equal(contractV1);
    expect(contractFor("v2.1")).to.equal(contractV21);
    expect(() => contractFor("v2" as never)).to.throw(ConfigurationError, /"v2" is not supported/);
  });

  it("v1 keeps its one window", () => {
    expect(startingBudgets(base, contractV1)).to.deep.equal([{ limit: 100, windowMs: 60_000 }]);
    expect(startingBudgets({ ...base, rateLimit: { limit: 5, windowMs: 1000 } }, contractV1)).to.deep.equal([{ limit: 5, windowMs: 1000 }]);
  });

  it("v2.1 starts from the plan's hour and minute, Team by default", () => {
    expect(startingBudgets(base, contractV21)).to.deep.equal([
      { window: "hour", limit: 1800, windowMs: 3_600_000 },
      { window: "minute", limit: 30, windowMs: 60_000 },
    ]);
    for (const plan of ["team", "pro", "business"] as const) {
      expect(startingBudgets({ ...base, plan }, contractV21).map((b) => b.limit)).to.deep.equal([
        PLAN_LIMITS[plan].hour,
        PLAN_LIMITS[plan].minute,
      ]);
    }
    expect(PLAN_LIMITS).to.deep.equal({
      team: { hour: 1800, minute: 30 },
      pro: { hour: 3600, minute: 60 },
      business: { hour: 5400, minute: 90 },
    });
  });

  it("v2.1 takes explicit budgets per window, and a single rateLimit for the nearest window", () => {
    expect(startingBudgets({ ...base, plan: "pro", rateLimits: { minute: { limit: 5, windowMs: 1000 } } }, contractV21)).to.deep.equal([
      { window: "hour", limit: 3600, windowMs: 3_600_000 },
      { window: "minute", limit: 5, windowMs: 1000 },
    ]);
    expect(startingBudgets({ ...base, rateLimit: { limit: 1000, windowMs: 3_000_000 } }, contractV21)[0]).to.deep.equal({
      window: "hour",
      limit: 1000,
      windowMs: 3_000_000,
    });
    expect(startingBudgets({ ...base, rateLimit: { limit: 20, windowMs: 60_000 } }, contractV21)[1]).to.deep.equal({
      window: "minute",
      limit: 20,
      windowMs: 60_000,
    });
    expect(() => startingBudgets({ ...base, plan: "enterprise" as never }, contractV21)).to.throw(ConfigurationError, /plan "enterprise"/);
    expect(() => startingBudgets({ ...base, rateLimits: { hour: { limit: 0 } } }, contractV21)).to.throw(ConfigurationError);
  });
});
