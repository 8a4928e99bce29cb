// The Agent's fields, declared once. Everything else that lists them derives from this table:
// the input checks and state helpers (agent-state.ts), the class's types (generated.ts), the
// roster's schema, export, summarize, the JustCall wire mappings and docs/resources/agent.md.
import { z } from "zod";
import { E164, IANA_TIME_ZONE, ROLES } from "../validation";
import type { Field, FieldTable } from "./field";

const personName = z.string({ message: "must be text" }).trim().min(1, "must not be empty").max(255, "must be at most 255 characters"); // the API's limit

export const AGENT_FIELDS = {
  email: {
    kind: "required",
    rule: z
      .string({ message: "must be text" })
      .trim()
      .pipe(z.email({ message: "must be an email address, like jane@example.com" })),
    description: "The agent's email: the login, compared without case.",
    wire: { v1: "email", v21: "email" },
    reported: true,
    output: true,
    roster: true,
  },
  firstname: {
    kind: "required",
    rule: personName,
    description: "First name, 1 to 255 characters.",
    wire: { v1: "firstname", v21: "name" },
    reported: true,
    output: true,
    roster: true,
  },
  lastname: {
    kind: "required",
    rule: personName,
    description: "Last name, 1 to 255 characters.",
    wire: { v1: "lastname", v21: "name" },
    reported: true,
    output: true,
    roster: true,
  },
  role: {
    kind: "managed",
    rule: z.enum(ROLES, { message: `must be one of ${ROLES.join(", ")}` }),
    held: z.string(),
    description:
      "agent, supervisor or admin. Left out: not managed (a new agent is invited as agent; an existing one keeps its role, " +
      "including the Account Owner or a custom role). A privileged change needs JUSTCALL_ALLOW_ROLE_CHANGES.",
    wire: { v1: "role", v21: "role" },
    reported: true,
    managedWhenUnrecorded: true,
    output: true,
    roster: true,
  },
  timezone: {
    kind: "managed",
    rule: IANA_TIME_ZONE,
    description: "An IANA time zone, like America/New_York. Left out: not managed.",
    wire: { v1: "timezone", v21: "timezone" },
    reported: true,
    output: true,
    roster: true,
  },
  phone: {
    kind: "managed",
    rule: z
      .string({ message: 'must be an E.164 number in quotes, like "+14155550100"' })
      .regex(E164, "must be an E.164 number, like +14155550100"),
    description: "The agent's personal phone, E.164. Left out: not managed. v1 only (the published API has no phone).",
    wire: { v1: "phone", v21: null },
    reported: true,
    output: true,
    roster: true,
  },
  available: {
    kind: "availability",
    rule: z.boolean({ message: "must be true or false" }),
    description: "Whether the agent takes calls. Writable with justcall:apiVersion v2.1 only. Left out: not managed.",
    wire: { v1: null, v21: "available" },
    reported: true,
    output: true,
  },
  unavailabilityReason: {
    kind: "availability",
    rule: z.string({ message: "must be text" }).max(255, "must be at most 255 characters"),
    description: "Why the agent is unavailable (with available: false). v2.1 only.",
    wire: { v1: null, v21: "unavailability_reason" },
    reported: true,
    output: true,
  },
  adoptExisting: {
    kind: "switch",
    rule: z.boolean({ message: "must be true or false" }),
    default: true,
    description: "When the email already exists in the account, take that agent over (no invitation) instead of failing.",
  },
  releaseNumbersOnDelete: {
    kind: "switch",
    rule: z.boolean({ message: "must be true or false" }),
    default: false,
    description: "Unassign the agent's numbers when it is deleted. Default: the delete fails and names them.",
    roster: true,
  },
  agentId: { kind: "output", rule: z.number(), description: "The agent's JustCall id, also the Pulumi id." },
  status: {
    kind: "output",
    rule: z.string(),
    description: "Pending until the invitation is accepted, then Offline, Online or Busy, as JustCall reports it.",
    reported: true,
  },
  createdAt: { kind: "output", rule: z.string(), description: "When JustCall created the agent (ISO 8601).", reported: true },
  numbers: { kind: "output", rule: z.array(z.string()), description: "The numbers the agent holds, E.164.", reported: true },
  adopted: { kind: "output", rule: z.boolean(), description: "True when create took over an existing agent." },
  createAction: {
    kind: "output",
    rule: z.enum(["invite", "adopt", "unknown"]),
    description: "What create does (shown by the preview) or did: invite, or adopt an existing agent.",
  },
} as const satisfies FieldTable;

export type AgentField = keyof typeof AGENT_FIELDS;

/**
 * The managed fields a version's wire carries as plain text, as [field, wire name]: those the
 * contract reads and sends as they are (it parses `parsedByContract` itself, like roles and phones).
 */
export function plainManagedWireFields(version: "v1" | "v21", parsedByContract: AgentField[]): [AgentField, string][] {
  return (Object.keys(AGENT_FIELDS) as AgentField[]).flatMap((f): [AgentField, string][] => {
    const field: Field = AGENT_FIELDS[f];
    const wire = field.wire?.[version];
    return field.kind === "managed" && wire && !parsedByContract.includes(f) ? [[f, wire]] : [];
  });
}

/** The wire name of an Agent's API field in a version (the field's own name where the table gives none). */
export function wireName(version: "v1" | "v21", field: string): string {
  const wire = (AGENT_FIELDS as Record<string, Field>)[field]?.wire?.[version];
  return wire ?? field;
}
