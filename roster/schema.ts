// The roster file's shape: what one `roster.yaml` may say, as zod schemas and the types they give.
// Field rules are the resources' own (provider/validation.ts), so a roster that passes here also
// passes the resources' checks.
import { z } from "zod";
import { E164, IANA_TIME_ZONE, ON_REMOVE, type OnRemove, ROLES } from "../provider/validation";

const name = (what: string) =>
  z
    .string({ message: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(255, `${what} must be at most 255 characters`); // the API's limit, as in provider/agent.ts

const e164 = (what: string) =>
  z.string({ message: `${what} must be an E.164 number in quotes, like "+14155550100"` }).regex(E164, {
    message: `${what} must be an E.164 number, like +14155550100`,
  });

/** What happens in JustCall to an agent that leaves the roster (or the stack). */
const onRemoveSchema = z.enum(ON_REMOVE, {
  message: "onRemove must be delete (remove the agent from JustCall) or keep (leave it in JustCall, stop managing it)",
});

// Descriptions are part of the schema, so that the JSON Schema (json-schema.ts) shows them in editors.
export const rosterAgentSchema = z
  .object({
    email: z
      .string({ message: "email is required" })
      .trim()
      .pipe(z.email({ message: "email must be an email address, like jane@example.com" }))
      .describe("The agent's email: how the roster names the agent (compared without case)."),
    firstname: name("firstname").describe("First name, 1 to 255 characters."),
    lastname: name("lastname").describe("Last name, 1 to 255 characters."),
    role: z
      .enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` })
      .optional()
      .describe(`One of ${ROLES.join(", ")}. Left out: not managed.`),
    timezone: IANA_TIME_ZONE.optional().describe("An IANA time zone, like America/New_York. Left out: not managed."),
    phone: e164("phone").optional().describe('The agent\'s personal phone, E.164 in quotes, like "+14155550100". Left out: not managed.'),
    teams: z
      .array(name("a team name"), { message: "teams must be a list of team names" })
      .optional()
      .describe("Team names, as JustCall shows them (matched without regard to case). Teams are created in the JustCall dashboard."),
    numbers: z
      .array(e164("a number"), { message: "numbers must be a list of E.164 numbers" })
      .optional()
      .describe("The account's numbers this agent holds, E.164 in quotes. Numbers are bought in the JustCall dashboard."),
    releaseNumbersOnDelete: z
      .boolean({ message: "releaseNumbersOnDelete must be true or false" })
      .optional()
      .describe("Unassign the agent's numbers when the agent is removed (default: the removal fails and names them)."),
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

export type RosterAgent = z.output<typeof rosterAgentSchema>;

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
