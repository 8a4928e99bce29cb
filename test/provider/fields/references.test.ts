// TeamMembership and NumberAssignment: their field tables decide the input check, the required
// inputs, which changes replace, and the docs' tables.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { replacedFields } from "../../../provider/diff";
import { type FieldTable, inputFields, inputSchema, missingInputs, outputFields } from "../../../provider/fields/field";
import { NUMBER_ASSIGNMENT_FIELDS } from "../../../provider/fields/number-assignment";
import { TEAM_MEMBERSHIP_FIELDS } from "../../../provider/fields/team-membership";

const ROOT = path.join(__dirname, "../../../..");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const cases: [string, FieldTable, string][] = [
  ["TeamMembership", TEAM_MEMBERSHIP_FIELDS, "docs/resources/team-membership.md"],
  ["NumberAssignment", NUMBER_ASSIGNMENT_FIELDS, "docs/resources/number-assignment.md"],
];

describe("provider/fields: TeamMembership and NumberAssignment", () => {
  for (const [type, table, doc] of cases) {
    it(`${type}: the docs list every input and output of the table`, () => {
      const page = fs.readFileSync(path.join(ROOT, doc), "utf8");
      for (const f of [...inputFields(table), ...outputFields(table)]) expect(page, f).to.include(`| \`${f}\` | `);
      expect(Object.keys(inputSchema(table).shape)).to.have.members(inputFields(table));
    });
  }

  it("required inputs: agentId always, and exactly one of each group", () => {
    expect(missingInputs(TEAM_MEMBERSHIP_FIELDS, { teamName: "Support" })).to.deep.equal([
      { property: "agentId", reason: "agentId is required" },
    ]);
    expect(missingInputs(TEAM_MEMBERSHIP_FIELDS, { agentId: 1, teamName: "Support", teamId: 3 }, { team: "one team" })).to.deep.equal([
      { property: "teamName", reason: "one team" },
    ]);
    expect(missingInputs(NUMBER_ASSIGNMENT_FIELDS, { agentId: 1 })).to.deep.equal([
      { property: "number", reason: "give exactly one of number, numberId" },
    ]);
    expect(missingInputs(NUMBER_ASSIGNMENT_FIELDS, { agentId: 1, numberId: 4 })).to.deep.equal([]);
  });

  it("replacements: a field marked replaces that changes or is unknown; a NumberAssignment's agent reassigns in place", () => {
    expect(replacedFields(TEAM_MEMBERSHIP_FIELDS, { teamName: "Sales", agentId: 1 }, (f) => f !== "teamName")).to.deep.equal(["teamName"]);
    expect(replacedFields(TEAM_MEMBERSHIP_FIELDS, { teamId: 3, agentId: UNKNOWN }, () => true)).to.deep.equal(["agentId"]);
    expect(replacedFields(NUMBER_ASSIGNMENT_FIELDS, { number: "+14155550100", agentId: 2 }, () => false)).to.deep.equal(["number"]);
  });
});
