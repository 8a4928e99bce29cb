// The roster file's shape: what one `roster.yaml` may say, as zod schemas and the types they give.
// Field rules are the resources' own (provider/validation.ts), so a roster that passes here also
// passes the resources' checks.
import { z } from "zod";
import { E164, IANA_TIME_ZONE, ON_REMOVE, OnRemove, ROLES } from "../provider/validation";

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
const onRemoveSchema = z.enum(ON_REMOVE, { message: "onRemove must be delete (remove the agent from JustCall) or keep (leave it in JustCall, stop managing it)" });

export const rosterAgentSchema = z
  .object({
    email: z
      .string({ message: "email is required" })
      .trim()
      .pipe(z.email({ message: "email must be an email address, like jane@example.com" })),
    firstname: name("firstname"),
    lastname: name("lastname"),
    role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` }).optional(),
    timezone: IANA_TIME_ZONE.optional(),
    /** The agent's personal phone. Left out: not managed. */
    phone: e164("phone").optional(),
    /** Team names, as JustCall shows them (matched without regard to case). */
    teams: z.array(name("a team name"), { message: "teams must be a list of team names" }).optional(),
    /** The account's numbers this agent holds. */
    numbers: z.array(e164("a number"), { message: "numbers must be a list of E.164 numbers" }).optional(),
    /** Unassign the agent's numbers when the agent is removed (default: the removal fails and names them). */
    releaseNumbersOnDelete: z.boolean({ message: "releaseNumbersOnDelete must be true or false" }).optional(),
    /** When this agent leaves the roster or the stack: delete it from JustCall, or keep it there. Default: the roster's onRemove. */
    onRemove: onRemoveSchema.optional(),
  })
  .strict();

export const rosterSchema = z
  .object({
    /** true: agents in the account but not in this file are reported as drift (never deleted). */
    authoritative: z.boolean({ message: "authoritative must be true or false" }).default(false),
    /** The default for agents without their own onRemove. Default delete (see docs/deletion.md). */
    onRemove: onRemoveSchema.default("delete"),
    /** Most agents one run may delete from JustCall. Default: the larger of 3 and 10% of the agents the stack manages. */
    removalBudget: z
      .number({ message: "removalBudget must be a whole number of agents, like 5" })
      .int("removalBudget must be a whole number of agents, like 5")
      .min(0, "removalBudget must be 0 or more")
      .optional(),
    agents: z.array(z.unknown(), { message: "agents must be a list of agents" }),
  })
  .strict();

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
