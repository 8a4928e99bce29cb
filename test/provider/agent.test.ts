// Unit tests of the provider's pure logic: settings, field rules, diff decisions, id helpers.
import { expect } from "chai";
import { parseRateLimit, requireCredentials, resolveSettings } from "../../provider/settings";
import { isIanaTimeZone, E164 } from "../../provider/validation";
import { agentProvider } from "../../provider/agent";
import { availabilityChange, changedFields } from "../../provider/agent-state";
import { formatMembershipId, parseMembershipId, teamMembershipProvider } from "../../provider/team-membership";
import { numberAssignmentProvider } from "../../provider/number-assignment";
import { configureProcess } from "../../provider/runtime";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// The engine configures the provider before any check; here: an empty stack config (v1, no
// credentials), so that a check that would consult the API learns at once that it cannot.
before(() => configureProcess({ get: () => undefined }));

describe("provider settings", () => {
  it("reads stack config first, then the environment, with defaults", () => {
    const config: Record<string, string> = { "justcall:apiKey": "from-config" };
    const s = resolveSettings((k) => config[k], { JUSTCALL_API_KEY: "from-env", JUSTCALL_API_SECRET: "env-secret" });
    expect(s.apiKey).to.equal("from-config");
    expect(s.apiSecret).to.equal("env-secret");
    expect(s.baseUrl).to.equal("https://api.justcall.io");
    expect(s.operationTimeoutMs).to.equal(600_000);
    expect(s.snapshot).to.equal(true);
  });

  it("parses rate limits in the forms people write", () => {
    expect(parseRateLimit("100/60s")).to.deep.equal({ limit: 100, windowMs: 60_000 });
    expect(parseRateLimit("90/1m")).to.deep.equal({ limit: 90, windowMs: 60_000 });
    expect(parseRateLimit("5400/1h")).to.deep.equal({ limit: 5400, windowMs: 3_600_000 });
    expect(parseRateLimit("20/2s")).to.deep.equal({ limit: 20, windowMs: 2000 });
    expect(() => parseRateLimit("fast")).to.throw(/requests\/window/);
  });

  it("says which credential is missing and how to set it, without any value", () => {
    const s = resolveSettings(() => undefined, {});
    expect(() => requireCredentials(s)).to.throw(/justcall:apiKey.*justcall:apiSecret.*pulumi config set --secret/s);
  });

  it("selects the API version and plan, and refuses unknown ones", () => {
    const config: Record<string, string> = { "justcall:apiVersion": "v2.1", "justcall:plan": "pro", "justcall:hourlyRateLimit": "3600/1h" };
    const s = resolveSettings((k) => config[k], {});
    expect(s).to.include({ apiVersion: "v2.1", plan: "pro" });
    expect(s.hourlyRateLimit).to.deep.equal({ limit: 3600, windowMs: 3_600_000 });
    expect(resolveSettings(() => undefined, {}).apiVersion).to.equal("v1");
    expect(() => resolveSettings((k) => (k === "justcall:apiVersion" ? "v2" : undefined), {})).to.throw(/v1 .* or v2\.1/);
    expect(() => resolveSettings((k) => (k === "justcall:plan" ? "gold" : undefined), {})).to.throw(/team, pro or business/);
  });

  it("rejects a bad timeout or snapshot switch with the key name", () => {
    expect(() => resolveSettings((k) => (k === "justcall:operationTimeout" ? "soon" : undefined), {})).to.throw(/operationTimeout/);
    expect(() => resolveSettings((k) => (k === "justcall:snapshot" ? "maybe" : undefined), {})).to.throw(/snapshot/);
  });
});

describe("field rules", () => {
  it("knows IANA time zones and refuses made-up ones", () => {
    expect(isIanaTimeZone("America/New_York")).to.equal(true);
    expect(isIanaTimeZone("Europe/London")).to.equal(true);
    expect(isIanaTimeZone("UTC")).to.equal(true);
    expect(isIanaTimeZone("Mars/Olympus_Mons")).to.equal(false);
    expect(isIanaTimeZone("EST5EDT; rm -rf /")).to.equal(false);
  });

  it("accepts E.164 numbers only", () => {
    expect(E164.test("+14155550100")).to.equal(true);
    expect(E164.test("4155550100")).to.equal(false);
    expect(E164.test("+0155550100")).to.equal(false);
    expect(E164.test("+1 415 555 0100")).to.equal(false);
  });
});

describe("Agent check and diff", () => {
  const good = { email: "jane@example.com", firstname: "Jane", lastname: "Doe", role: "agent", createAction: "invite" };

  it("reports each bad field by property, before any API call", async () => {
    const result = await agentProvider.check(good, {
      email: "not-an-email",
      firstname: "",
      lastname: "Doe",
      role: "owner",
      phone: "555-0100",
      timezone: "Mars/Base",
    });
    const properties = (result.failures ?? []).map((f) => f.property).sort();
    expect(properties).to.deep.equal(["email", "firstname", "phone", "role", "timezone"]);
    const reasons = (result.failures ?? []).map((f) => f.reason).join("\n");
    expect(reasons).to.match(/role must be one of agent, supervisor, admin/);
    expect(reasons).to.match(/phone must be an E\.164 number/);
  });

  it("reports missing names", async () => {
    const result = await agentProvider.check(good, { email: "jane@example.com" });
    expect((result.failures ?? []).map((f) => f.property)).to.include.members(["firstname", "lastname"]);
  });

  it("keeps the planned create action of an existing resource, and writes no defaults into state (no API call)", async () => {
    const result = await agentProvider.check(good, { email: "jane@example.com", firstname: "Jane", lastname: "Doe" });
    expect(result.failures ?? []).to.deep.equal([]);
    expect(result.inputs).to.include({ createAction: "invite" });
    // adoptExisting (true) and releaseNumbersOnDelete (false) apply where they are read: state stays small.
    expect(result.inputs).to.not.have.any.keys("adoptExisting", "releaseNumbersOnDelete");
    // A role left out is not managed (docs/client.md, "Roles outside ours"): no default is filled in.
    expect(result.inputs).to.not.have.property("role");
  });

  it("lets unknown values through at preview", async () => {
    const result = await agentProvider.check(good, { email: UNKNOWN, firstname: "Jane", lastname: "Doe" });
    expect(result.failures ?? []).to.deep.equal([]);
  });

  it("sends only the fields that differ, email compared case-insensitively", () => {
    const olds = { ...good, phone: "+14155550100", timezone: "UTC" };
    expect(changedFields(olds, { ...good, email: "JANE@example.com" })).to.deep.equal({});
    expect(changedFields(olds, { ...good, firstname: "Janet" })).to.deep.equal({ firstname: "Janet" });
    // An optional field left out of the program is not managed: no change.
    expect(changedFields(olds, good)).to.deep.equal({});
    expect(changedFields(olds, { ...good, timezone: "Europe/London" })).to.deep.equal({ timezone: "Europe/London" });
  });

  it("never replaces an agent, and treats a new provider build alone as a change", async () => {
    const olds = { ...good, __provider: "old build" };
    expect(await agentProvider.diff("101", olds, { ...good, email: "new@example.com", __provider: "old build" })).to.include({
      changes: true,
    });
    expect((await agentProvider.diff("101", olds, { ...good, email: "new@example.com" })).replaces).to.deep.equal([]);
    expect(await agentProvider.diff("101", olds, { ...good, __provider: "old build" })).to.include({ changes: false });
    expect(await agentProvider.diff("101", olds, { ...good, __provider: "new build" })).to.include({ changes: true });
  });

  it("asks for an availability change only when the program manages it and it differs", () => {
    expect(availabilityChange({ available: true }, {})).to.equal(undefined);
    expect(availabilityChange({ available: true }, { available: true })).to.equal(undefined);
    expect(availabilityChange({ available: true }, { available: false, unavailabilityReason: "Leave" })).to.deep.equal({
      available: false,
      reason: "Leave",
    });
    expect(
      availabilityChange({ available: false, unavailabilityReason: "Leave" }, { available: false, unavailabilityReason: "Training" }),
    ).to.deep.equal({ available: false, reason: "Training" });
    expect(availabilityChange({ available: false, unavailabilityReason: "Leave" }, { available: true })).to.deep.equal({ available: true });
  });

  it("refuses availability in v1 mode, where the guide makes it read-only", async () => {
    const result = await agentProvider.check(good, { ...good, available: false });
    expect((result.failures ?? []).map((f) => f.property)).to.deep.equal(["available"]);
  });

  it("ignores output-only drift (status, numbers) so refresh stays quiet", async () => {
    const olds = { ...good, status: "Online", numbers: ["+14155550100"] };
    expect(await agentProvider.diff("101", olds, good)).to.include({ changes: false });
  });
});

describe("TeamMembership ids and diff", () => {
  it("formats and parses teamId:agentId", () => {
    expect(formatMembershipId(10, 202)).to.equal("10:202");
    expect(parseMembershipId("10:202")).to.deep.equal({ teamId: 10, agentId: 202 });
    expect(() => parseMembershipId("10-202")).to.throw(/teamId:agentId/);
    expect(() => parseMembershipId("10:")).to.throw();
  });

  it("requires exactly one way to name the team", async () => {
    const both = await teamMembershipProvider.check({}, { teamName: "Support", teamId: 10, agentId: 5 });
    expect((both.failures ?? [])[0]?.reason).to.match(/exactly one/);
    const none = await teamMembershipProvider.check({}, { agentId: 5 });
    expect((none.failures ?? [])[0]?.reason).to.match(/exactly one/);
  });

  it("replaces on a change of team or agent", async () => {
    const olds = { teamId: 10, teamName: "Support", agentId: 5, resolvedTeamId: 10 };
    expect((await teamMembershipProvider.diff("10:5", olds, { teamName: "Support", resolvedTeamId: 10, agentId: 5 })).changes).to.equal(
      false,
    );
    expect((await teamMembershipProvider.diff("10:5", olds, { teamName: "Sales", resolvedTeamId: 11, agentId: 5 })).replaces).to.deep.equal(
      ["teamName"],
    );
    expect(
      (await teamMembershipProvider.diff("10:5", olds, { teamName: "Support", resolvedTeamId: 10, agentId: 6 })).replaces,
    ).to.deep.equal(["agentId"]);
  });
});

describe("NumberAssignment diff", () => {
  const olds = { numberId: 5, number: "+14155550100", agentId: 7, takeOver: false, resolvedNumberId: 5 };

  it("reassigns in place when only the agent changes", async () => {
    const d = await numberAssignmentProvider.diff("5", olds, { number: "+14155550100", resolvedNumberId: 5, agentId: 8, takeOver: false });
    expect(d.changes).to.equal(true);
    expect(d.replaces).to.deep.equal([]);
  });

  it("replaces when the number changes", async () => {
    const d = await numberAssignmentProvider.diff("5", olds, { number: "+14155550101", resolvedNumberId: 6, agentId: 7, takeOver: false });
    expect(d.replaces).to.deep.equal(["number"]);
  });

  it("rejects a number that is not E.164, and a missing number", async () => {
    const bad = await numberAssignmentProvider.check({}, { number: "555-0100", agentId: 7 });
    expect((bad.failures ?? []).map((f) => f.property)).to.include("number");
    const none = await numberAssignmentProvider.check({}, { agentId: 7 });
    expect((none.failures ?? [])[0]?.reason).to.match(/exactly one/);
  });
});
