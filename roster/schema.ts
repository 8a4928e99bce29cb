// The roster file's shape: what one `roster.yaml` may say, as zod schemas and the types they give.
// An entry's Agent fields come from the Agent's field table (provider/fields/agent.ts), so a roster
// that passes here also passes the resources' checks.
import { z } from "zod";
import { AGENT_FIELDS, type AgentField } from "../provider/fields/agent";
import type { Field, FieldKind } from "../provider/fields/field";
import { E164, ON_REMOVE, type OnRemove } from "../provider/validation";

const name = (what: string) =>
  z
    .string({ message: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(255, `${what} must be at most 255 characters`); // the API's limit, as for an Agent's names

const e164 = (what: string) =>
  z.string({ message: `${what} must be an E.164 number in quotes, like "+14155550100"` }).regex(E164, {
    message: `${what} must be an E.164 number, like +14155550100`,
  });

/** What happens in JustCall to an agent that leaves the roster (or the stack). */
const onRemoveSchema = z.enum(ON_REMOVE, {
  message: "onRemove must be delete (remove the agent from JustCall) or keep (leave it in JustCall, stop managing it)",
});

/**
 * The Agent's fields a roster entry has (the field table marks them), with the table's rules and
 * descriptions: their messages say what is wrong without the field's name, which validate.ts adds.
 */
export const ROSTER_AGENT_FIELDS = (Object.keys(AGENT_FIELDS) as AgentField[]).filter((f) => {
  const field: Field = AGENT_FIELDS[f];
  return field.roster === true;
});

function fromTable(kinds: FieldKind[]): Record<string, z.ZodType> {
  return Object.fromEntries(
    ROSTER_AGENT_FIELDS.filter((f) => kinds.includes(AGENT_FIELDS[f].kind)).map((f) => {
      const field: Field = AGENT_FIELDS[f];
      const rule = field.kind === "required" ? field.rule : field.rule.optional();
      return [f, rule.describe(field.description)];
    }),
  );
}

// Descriptions are part of the schema, so that the JSON Schema (json-schema.ts) shows them in editors.
export const rosterAgentSchema = z
  .object({
    ...fromTable(["required", "managed"]),
    teams: z
      .array(name("a team name"), { message: "teams must be a list of team names" })
      .optional()
      .describe("Team names, as JustCall shows them (matched without regard to case). Teams are created in the JustCall dashboard."),
    numbers: z
      .array(e164("a number"), { message: "numbers must be a list of E.164 numbers" })
      .optional()
      .describe("The account's numbers this agent holds, E.164 in quotes. Numbers are bought in the JustCall dashboard."),
    ...fromTable(["switch"]),
    onRemove: onRemoveSchema
      .optional()
      .describe(
        "When this agent leaves the roster or the stack: delete it from JustCall, or keep it there. Default: the roster's onRemove.",
      ),
  })
  .strict();

export const rosterSchema = z
  .object({
    authoritative: z
      .boolean({ message: "authoritative must be true or false" })
      .default(false)
      .describe("true: agents in the account but not in this file are reported as drift (never deleted)."),
    onRemove: onRemoveSchema
      .default("delete")
      .describe(
        "The default for agents without their own onRemove: delete (remove from JustCall) or keep (stop managing). See docs/deletion.md.",
      ),
    removalBudget: z
      .number({ message: "removalBudget must be a whole number of agents, like 5" })
      .int("removalBudget must be a whole number of agents, like 5")
      .min(0, "removalBudget must be 0 or more")
      .optional()
      .describe("Most agents one run may delete from JustCall. Default: the larger of 3 and 10% of the agents the stack manages."),
    agents: z.array(z.unknown(), { message: "agents must be a list of agents" }),
  })
  .strict();

/**
 * The whole file in one schema, for the JSON Schema. Validation (validate.ts) checks the agents
 * one by one instead, so that it reports every entry's problems at once.
 */
export const rosterFileSchema = rosterSchema
  .extend({ agents: z.array(rosterAgentSchema).describe("The agents, one entry each.") })
  .describe("A pulumi-justcall roster: the JustCall agents, their teams and their numbers.");

/** One roster entry: the Agent's roster fields (as the table types them), its teams, numbers and onRemove. */
export type RosterAgent = { [F in "email" | "firstname" | "lastname"]: string } & {
  [F in Exclude<(typeof ROSTER_AGENT_FIELDS)[number], "email" | "firstname" | "lastname">]?: z.output<(typeof AGENT_FIELDS)[F]["rule"]>;
} & { teams?: string[]; numbers?: string[]; onRemove?: OnRemove };

export interface Roster {
  authoritative: boolean;
  /** The default for agents without their own onRemove. */
  onRemove: OnRemove;
  /** Most agents one run may delete; undefined: the default budget. */
  removalBudget?: number;
  agents: RosterAgent[];
}

/** What the account offers that a roster may refer to (teams and numbers are not created by the API). */
export interface AccountCatalog {
  teams: string[];
  numbers: string[];
}
