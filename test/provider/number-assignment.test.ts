// Unit tests of the NumberAssignment resource's pure logic: its check and diff.
import { expect } from "chai";
import { numberAssignmentProvider } from "../../provider/number-assignment";
import { withEmptyStackConfig } from "./empty-stack-config";

withEmptyStackConfig();

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
