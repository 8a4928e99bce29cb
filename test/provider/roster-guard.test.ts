// The roster guard's decisions as plain functions: the default budget, what counts as a removal,
// and the allowance variable. (Its behaviour on the engine: test/cli/deletion-guard.test.ts.)
import { expect } from "chai";
import { defaultRemovalBudget, nameList, plannedRemovals, removalAllowance } from "../../provider/roster-guard";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("roster guard decisions", () => {
  it("budgets the larger of 3 agents and 10% of the agents the stack managed", () => {
    expect([0, 2, 20, 29, 30, 45, 500].map(defaultRemovalBudget)).to.deep.equal([3, 3, 3, 3, 3, 4, 50]);
  });

  it("without a state read, counts agents that leave as the last run recorded them, never agents that stay", () => {
    const olds = {
      agents: { "a@x.example": "delete", "b@x.example": "keep", "c@x.example": "delete" },
      agentIds: { "a@x.example": "1", "b@x.example": "2", "c@x.example": "3" },
    };
    // Roster-level keep in this run does not change what the last run recorded for b and c.
    const news = { agents: { "a@x.example": "keep" }, agentIds: { "a@x.example": "1" } };
    expect(plannedRemovals(olds, news).removals).to.deep.equal({ "b@x.example": "keep", "c@x.example": "delete" });
    expect(plannedRemovals(olds, news).ids).to.deep.equal({ "b@x.example": 2, "c@x.example": 3 });
    expect(plannedRemovals(olds, news).managed).to.equal(3);
    expect(plannedRemovals({}, news).removals, "a new guard has no record").to.deep.equal({});
  });

  it("with the stack's state, counts every Agent there that the roster no longer declares, recorded by the guard or not", () => {
    // A failed first run created d and e: the guard never recorded them, the state has them.
    const olds = { agents: { "a@x.example": "delete", "b@x.example": "keep" }, agentIds: { "a@x.example": "1", "b@x.example": "2" } };
    const news = {
      agents: { "a@x.example": "delete" },
      agentIds: { "a@x.example": "1" },
      inState: { read: true as const, agents: 5, notDeclared: { "b@x.example": 2, "d@x.example": 4, "e@x.example": 5 } },
    };
    const planned = plannedRemovals(olds, news);
    expect(planned.removals).to.deep.equal({ "b@x.example": "keep", "d@x.example": "delete", "e@x.example": "delete" });
    expect(planned.managed, "the budget's base is the state's count").to.equal(5);
    // An Agent in the record but no longer in the state (deleted by an earlier run) is not counted.
    const gone = { ...news, inState: { read: true as const, agents: 1, notDeclared: {} } };
    expect(plannedRemovals({ agents: { "a@x.example": "delete", "z@x.example": "delete" } }, gone).removals).to.deep.equal({});
  });

  it("an agent another Agent of the run holds stays (an email changed in JustCall, then in the roster; a rename)", () => {
    const olds = { agents: { "old@x.example": "delete" }, agentIds: { "old@x.example": "7" } };
    const inState = { read: true as const, agents: 1, notDeclared: { "old@x.example": 7 } };
    expect(
      plannedRemovals(olds, { agents: { "new@x.example": "delete" }, agentIds: { "new@x.example": "7" }, inState }).removals,
    ).to.deep.equal({
      "old@x.example": "stays",
    });
    // At preview the new entry's id is not known yet: counted as a deletion.
    expect(
      plannedRemovals(olds, { agents: { "new@x.example": "delete" }, agentIds: { "new@x.example": UNKNOWN }, inState }).removals,
    ).to.deep.equal({
      "old@x.example": "delete",
    });
    // The run ledger knows it at up: another Agent resource adopted agent 7.
    expect(plannedRemovals(olds, { agents: {}, agentIds: {}, inState }, new Set([7])).removals).to.deep.equal({ "old@x.example": "stays" });
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
