// The NumberAssignment's fields, declared once (see field.ts): its input check, its diff's
// replacements, the generated types and docs/resources/number-assignment.md derive from it.
import { z } from "zod";
import { E164 } from "../validation";
import type { FieldTable } from "./field";
import { agentReference } from "./team-membership";

// Alike in form with TEAM_MEMBERSHIP_FIELDS on purpose (a reference by value or by id, and the agent): one table per resource.
export const NUMBER_ASSIGNMENT_FIELDS = {
  number: {
    kind: "reference",
    rule: z.string({ message: "must be text" }).regex(E164, "must be an E.164 number, like +14155550100"),
    description: "The number, E.164, resolved to its JustCall id at preview. Give this or numberId.",
    replaces: true,
    required: { oneOf: "number" },
    output: true,
  },
  numberId: {
    kind: "reference",
    rule: z.number({ message: "must be a number" }).int().positive(),
    description: "The number's JustCall id. Give this or number.",
    replaces: true,
    required: { oneOf: "number" },
    output: true,
  },
  agentId: {
    kind: "reference",
    rule: agentReference,
    held: z.number(),
    description: "The agent who holds it: an Agent's id (prefer it) or agentId. A change reassigns in place.",
    required: true,
    output: true,
  },
  takeOver: {
    kind: "switch",
    rule: z.boolean({ message: "must be true or false" }),
    default: false,
    description: "When another agent holds the number at create, take it from them. Default: the create fails and names the holder.",
  },
  country: { kind: "output", rule: z.string().nullable(), description: "The number's country, as JustCall reports it." },
  type: { kind: "output", rule: z.string().nullable(), description: "The number's type (local, toll-free, ...), as JustCall reports it." },
} as const satisfies FieldTable;
