// Unit tests of the TeamMembership resource's pure logic: its id, check and diff.
import { expect } from "chai";
import { formatMembershipId, parseMembershipId, teamMembershipProvider } from "../../provider/team-membership";
import { withEmptyStackConfig } from "./empty-stack-config";

withEmptyStackConfig();

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
