// The Agent's field table is the one declaration of its fields: every place that lists them is
// derived from it, or checked against it here, so a field added or renamed in one place and not
// another fails this test (or the build, for the generated files).
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { docTables, resourceTypesSource, staleFiles } from "../../../codegen/fields";
import { agentInputsSchema } from "../../../provider/agent";
import {
  API_FIELDS,
  apiInput,
  AVAILABILITY_FIELDS,
  OPTIONAL_FIELDS,
  REQUIRED_FIELDS,
  SWITCH_DEFAULTS,
} from "../../../provider/agent-state";
import { contractV1 } from "../../../provider/client/contract-v1";
import { contractV21 } from "../../../provider/client/contract-v21";
import { AGENT_FIELDS } from "../../../provider/fields/agent";
import { type Field, fieldsOfKind, inputFields, outputFields } from "../../../provider/fields/field";
import { rosterJsonSchema } from "../../../roster/json-schema";
import { ROSTER_AGENT_FIELDS, rosterAgentSchema } from "../../../roster/schema";
import { AGENT_SWITCH_DEFAULTS, AGENT_SWITCHES, AGENT_VALUE_FIELDS } from "../../../roster/summarize/people";

const ROOT = path.join(__dirname, "../../../..");
const table: Record<string, Field> = AGENT_FIELDS;

/** A valid value for each field a program or JustCall may give. */
const SAMPLE: Record<string, unknown> = {
  email: "jane@example.com",
  firstname: "Jane",
  lastname: "Doe",
  role: "supervisor",
  timezone: "Europe/London",
  phone: "+14155550100",
  available: false,
  unavailabilityReason: "lunch",
};

describe("provider/fields/agent: one declaration of the Agent's fields", () => {
  it("the generated types and docs tables match the table (npm run generate writes them)", () => {
    expect(staleFiles()).to.deep.equal([]);
  });

  it("the input check, the state lists and summarize list exactly the table's fields", () => {
    expect(Object.keys(agentInputsSchema.shape)).to.have.members(inputFields(AGENT_FIELDS));
    expect([...REQUIRED_FIELDS, ...OPTIONAL_FIELDS, ...AVAILABILITY_FIELDS]).to.have.members(
      fieldsOfKind(AGENT_FIELDS, "required", "managed", "availability"),
    );
    expect(AGENT_VALUE_FIELDS).to.have.members(fieldsOfKind(AGENT_FIELDS, "required", "managed", "availability"));
    expect(AGENT_SWITCHES).to.have.members(fieldsOfKind(AGENT_FIELDS, "switch"));
    expect(AGENT_SWITCH_DEFAULTS).to.deep.equal(SWITCH_DEFAULTS);
  });

  it("the roster schema and its JSON Schema carry every roster field, with the table's description", () => {
    const json = rosterJsonSchema() as { properties: { agents: { items: { properties: Record<string, { description?: string }> } } } };
    const properties = json.properties.agents.items.properties;
    for (const f of ROSTER_AGENT_FIELDS) {
      expect(Object.keys(rosterAgentSchema.shape), f).to.include(f);
      expect(properties[f]?.description, f).to.equal(table[f].description);
    }
    expect(ROSTER_AGENT_FIELDS).to.include.members(fieldsOfKind(AGENT_FIELDS, "required", "managed"));
  });

  it("docs/resources/agent.md has a row for every input and every output", () => {
    const page = fs.readFileSync(path.join(ROOT, "docs/resources/agent.md"), "utf8");
    for (const f of inputFields(AGENT_FIELDS)) expect(page, f).to.include(`| \`${f}\` | `);
    for (const f of outputFields(AGENT_FIELDS)) expect(docTables(AGENT_FIELDS).outputs, f).to.include(`| \`${f}\` | `);
  });

  it("a field added to the table reaches the generated types and docs (the build then fails until they are generated)", () => {
    const department: Field = {
      kind: "managed",
      rule: AGENT_FIELDS.timezone.rule,
      description: "The department.",
      roster: true,
      output: true,
    };
    const withDepartment = { ...AGENT_FIELDS, department };
    expect(docTables(withDepartment).inputs).to.include("| `department` | optional; left out: not managed | The department. |");
    const types = resourceTypesSource([{ type: "Agent", table: withDepartment }]);
    expect(types).to.include("  /** The department. */\n  department?: pulumi.Input<string>;");
    expect(types).to.include("  declare readonly department: pulumi.Output<string | undefined>;");
  });

  it("each API version's contract reads every field the table gives a wire name, and v1's create sends each API field", () => {
    for (const [version, contract] of [
      ["v1", contractV1],
      ["v21", contractV21],
    ] as const) {
      const wire: Record<string, unknown> = { id: 7 };
      for (const [f, value] of Object.entries(SAMPLE)) {
        const name = table[f].wire?.[version];
        if (name === null || name === undefined) continue;
        // v2.1 has one name field (firstname and lastname split at its first space).
        wire[name] = name === "name" ? `${SAMPLE.firstname} ${SAMPLE.lastname}` : value;
      }
      if (version === "v21") wire.available = "No";
      const parsed = contract.endpoints.getAgent(7).parse(version === "v1" ? { status: "success", data: wire } : { data: [wire] });
      expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
      const agent = (parsed as unknown as { value: Record<string, unknown> }).value;
      for (const f of Object.keys(SAMPLE)) {
        if (table[f].wire?.[version] == null) continue;
        expect(agent[f], `${version} ${f}`).to.deep.equal(SAMPLE[f]);
      }
    }
    const body = contractV1.endpoints.createAgent(apiInput(SAMPLE as never)).body as Record<string, unknown>;
    for (const f of API_FIELDS) expect(body[table[f].wire?.v1 ?? ""], f).to.deep.equal(SAMPLE[f]);
  });
});
