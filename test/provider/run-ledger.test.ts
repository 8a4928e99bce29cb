// The run ledger's decisions as plain functions: what a delete does, given what the run declared
// and what the roster guard decided. (On the engine: test/cli/same-person.test.ts and
// test/cli/deletion-guard.test.ts.)
import { expect } from "chai";
import {
  agentDeleteDecision,
  declareAgentEmail,
  declareAgentId,
  declareMembership,
  declareNumber,
  isPrivilegedRoleChange,
  membershipDeleteDecision,
  numberDeleteDecision,
  recordGuardDecision,
  roleChangeDecision,
  startLedgerForTests,
} from "../../provider/run-ledger";
import { isPrivilegedRoleChange as summaryRule } from "../../roster/summarize/people";
import { stateId, strictId } from "../../provider/validation";

describe("run ledger: one place decides what a delete does", () => {
  beforeEach(() => startLedgerForTests());
  after(() => startLedgerForTests(false));

  it("without a guard, deletes what the engine deletes, unless another resource of the run holds the same agent", () => {
    expect(agentDeleteDecision(5, "kim@x.example").action).to.equal("delete");
    declareAgentId("5");
    expect(agentDeleteDecision(5, "kim@x.example").action).to.equal("leave");
    // By email too: a replacement declared Kim (case aside) before its create.
    expect(agentDeleteDecision(6, "Sam@X.example").action).to.equal("delete");
    expect(declareAgentEmail("sam@x.example")).to.equal(undefined);
    expect(agentDeleteDecision(6, "Sam@X.example").action).to.equal("leave");
  });

  it("refuses a second Agent with the same email (case aside), naming the first", () => {
    expect(declareAgentEmail("jane@x.example")).to.equal(undefined);
    expect(declareAgentEmail("JANE@x.example")).to.equal("jane@x.example");
  });

  it("with the guard's decision at up: deletes only approved ids, leaves kept ones, refuses the rest with the way out", () => {
    recordGuardDecision({ run: "up", stack: "prod", approved: new Map([[1, "a@x.example"]]), kept: new Set([2]) });
    expect(agentDeleteDecision(1, "a@x.example").action).to.equal("delete");
    expect(agentDeleteDecision(2, "b@x.example").action).to.equal("leave");
    const refused = agentDeleteDecision(3, "c@x.example");
    expect(refused.action).to.equal("refuse");
    expect(refused.action === "refuse" && refused.reason).to.include(
      "roster guard of stack prod did not approve deleting agent 3 (c@x.example)",
    );
    // A kept agent's memberships and numbers stay with it; others' go.
    expect(membershipDeleteDecision(10, 2).action).to.equal("leave");
    expect(membershipDeleteDecision(10, 3).action).to.equal("delete");
    expect(numberDeleteDecision(100, 2).action).to.equal("leave");
    expect(numberDeleteDecision(100, 3).action).to.equal("delete");
  });

  it("with an allowed destroy, deletes every agent but the kept ones", () => {
    recordGuardDecision({ run: "destroy", stack: "prod", kept: new Set([2]) });
    expect(agentDeleteDecision(1, "a@x.example").action).to.equal("delete");
    expect(agentDeleteDecision(2, "b@x.example").action).to.equal("leave");
  });

  it("leaves a membership or number another resource of the run holds (renamed, or replaced in place)", () => {
    declareMembership(10, "3");
    declareNumber("100");
    expect(membershipDeleteDecision(10, 3).action).to.equal("leave");
    expect(membershipDeleteDecision(11, 3).action).to.equal("delete");
    expect(numberDeleteDecision(100, 3).action).to.equal("leave");
    expect(numberDeleteDecision(101, 3).action).to.equal("delete");
  });

  it("records nothing outside the provider host unless a test asks (a tool calling check must not spare anyone)", () => {
    startLedgerForTests(false);
    declareAgentId(9);
    expect(agentDeleteDecision(9, undefined).action).to.equal("delete");
  });

  it('reads ids from state as strict positive integers: "1e3" is not agent 1000', () => {
    expect(["1", "42", 42].map(strictId)).to.deep.equal([1, 42, 42]);
    for (const bad of ["1e3", "0x10", " 7", "7 ", "-1", "0", "01", "1.0", "", "99999999999999999", 1.5, -3, 0, NaN, null, undefined]) {
      expect(strictId(bad), JSON.stringify(bad)).to.equal(undefined);
    }
    expect(() => stateId("1e3", "Agent kim@x.example: delete")).to.throw(
      /Agent kim@x\.example: delete: the id "1e3" in the stack's state is not a JustCall id/,
    );
  });
});

describe("run ledger: privileged role changes", () => {
  beforeEach(() => startLedgerForTests());
  after(() => startLedgerForTests(false));

  const ROLES_SEEN = ["agent", "supervisor", "admin", "Admin", "Account Owner", "billing-custom"];

  it("privileged: from or to admin, from a role outside ours, or from a role not reported; agent ↔ supervisor is not", () => {
    expect(isPrivilegedRoleChange("agent", "supervisor")).to.equal(false);
    expect(isPrivilegedRoleChange("supervisor", "agent")).to.equal(false);
    expect(isPrivilegedRoleChange("Admin", "admin"), "the same role, case aside").to.equal(false);
    for (const [from, to] of [
      ["admin", "supervisor"],
      ["agent", "admin"],
      ["Account Owner", "agent"],
      ["billing-custom", "supervisor"],
    ]) {
      expect(isPrivilegedRoleChange(from, to), `${from} → ${to}`).to.equal(true);
    }
    expect(isPrivilegedRoleChange(undefined, "agent"), "not reported: could be the Account Owner").to.equal(true);
  });

  it("summarize applies the same rule (it keeps its own copy so as not to load the provider)", () => {
    for (const from of ROLES_SEEN)
      for (const to of ROLES_SEEN) {
        expect(summaryRule(from, to), `${from} → ${to}`).to.equal(isPrivilegedRoleChange(from, to));
      }
  });

  it("refuses each privileged change beyond JUSTCALL_ALLOW_ROLE_CHANGES, counted across the run", () => {
    expect(roleChangeDecision("a@x.example", "agent", "supervisor", {}).action).to.equal("allow");
    const refused = roleChangeDecision("jane@x.example", "admin", "supervisor", {});
    expect(refused.action === "refuse" && refused.reason).to.include(
      "changing the role of jane@x.example from admin to supervisor is a privileged change",
    );
    startLedgerForTests();
    const env = { JUSTCALL_ALLOW_ROLE_CHANGES: "1" };
    expect(roleChangeDecision("jane@x.example", "admin", "supervisor", env).action).to.equal("allow");
    expect(roleChangeDecision("sam@x.example", "agent", "admin", env).action, "a second one is beyond 1").to.equal("refuse");
    const bad = roleChangeDecision("jane@x.example", "admin", "agent", { JUSTCALL_ALLOW_ROLE_CHANGES: "all" });
    expect(bad.action === "refuse" && bad.reason).to.include("JUSTCALL_ALLOW_ROLE_CHANGES=all is not a number");
  });
});
