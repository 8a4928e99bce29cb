// Unit tests of the Agent resource's pure logic (provider/agent.ts, provider/agent-state.ts):
// field checks, diff decisions and the availability change, with no API call.
import { expect } from "chai";
import { agentProvider } from "../../provider/agent";
import { availabilityChange, changedFields } from "../../provider/agent-state";
import { withEmptyStackConfig } from "./empty-stack-config";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

withEmptyStackConfig();

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
