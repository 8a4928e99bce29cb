// The TeamMembership's fields, declared once (see field.ts): its input check, its diff's
// replacements, the generated types and docs/resources/team-membership.md derive from it.
import { z } from "zod";
import type { FieldTable } from "./field";

/** An Agent's `id` (a numeric string) or its `agentId`. */
export const agentReference = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, "must be a JustCall agent id")], {
  message: "must be a JustCall agent id",
});

// Alike in form with NUMBER_ASSIGNMENT_FIELDS on purpose (a reference by name or by id, and the agent): one table per resource.
export const TEAM_MEMBERSHIP_FIELDS = {
  teamName: {
    kind: "reference",
    rule: z.string({ message: "must be text" }).trim().min(1, "must not be empty"),
    description: "The team's name as JustCall shows it (any case), resolved to its id at preview. Give this or teamId.",
    replaces: true,
    required: { oneOf: "team" },
    output: true,
  },
  teamId: {
    kind: "reference",
    rule: z.number({ message: "must be a number" }).int().positive(),
    description: "The team's JustCall id. Give this or teamName.",
    replaces: true,
    required: { oneOf: "team" },
    output: true,
  },
  agentId: {
    kind: "reference",
    rule: agentReference,
    held: z.number(),
    description: "The agent: an Agent's id (known while the agent is being updated, so prefer it) or its agentId.",
    replaces: true,
    required: true,
    output: true,
  },
} as const satisfies FieldTable;
