// The roster guard's decisions as plain functions: the default budget, what counts as a removal,
// and the allowance variable. (Its behaviour on the engine: test/cli/deletion-guard.test.ts.)
import { expect } from "chai";
import { defaultRemovalBudget, nameList, plannedRemovals, removalAllowance } from "../../provider/rosterGuard";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("roster guard decisions", () => {
  it("budgets the larger of 3 agents and 10% of the agents the stack managed", () => {
    expect([0, 2, 20, 29, 30, 45, 500].map(defaultRemovalBudget)).to.deep.equal([3, 3, 3, 3, 3, 4, 50]);
  });

  it("counts agents that leave, deleted or kept as the last run recorded, never agents that stay", () => {
    const olds = {
      agents: { "a@x.example": "delete", "b@x.example": "keep", "c@x.example": "delete" },
      agentIds: { "a@x.example": "1", "b@x.example": "2", "c@x.example": "3" },
    };
    // Roster-level keep in this run does not change what the last run recorded for b and c.
    const news = { agents: { "a@x.example": "keep" }, agentIds: { "a@x.example": "1" } };
    expect(plannedRemovals(olds, news)).to.deep.equal({ "b@x.example": "keep", "c@x.example": "delete" });
    expect(plannedRemovals({}, news), "a new guard has no record").to.deep.equal({});
  });

  it("keeps an entry whose JustCall agent another entry now manages (an email changed in JustCall, then in the roster)", () => {
    const olds = { agents: { "old@x.example": "delete" }, agentIds: { "old@x.example": "7" } };
    expect(plannedRemovals(olds, { agents: { "new@x.example": "delete" }, agentIds: { "new@x.example": "7" } })).to.deep.equal({
      "old@x.example": "keep",
    });
    // At preview the new entry's id is not known yet: counted as a deletion.
    expect(plannedRemovals(olds, { agents: { "new@x.example": "delete" }, agentIds: { "new@x.example": UNKNOWN } })).to.deep.equal({
      "old@x.example": "delete",
    });
  });

  it("reads JUSTCALL_ALLOW_REMOVALS as a count and explains anything else", () => {
    expect(removalAllowance({})).to.equal(undefined);
    expect(removalAllowance({ JUSTCALL_ALLOW_REMOVALS: "18" })).to.equal(18);
    const wrong = removalAllowance({ JUSTCALL_ALLOW_REMOVALS: "yes" });
    expect(wrong).to.be.instanceOf(Error);
    expect((wrong as Error).message).to.include("like JUSTCALL_ALLOW_REMOVALS=5");
  });

  it("names up to 30 agents, then says how many more", () => {
    const emails = Array.from({ length: 32 }, (_, i) => `a${i}@x.example`);
    expect(nameList(emails)).to.match(/, a29@x\.example and 2 more$/);
  });
});
