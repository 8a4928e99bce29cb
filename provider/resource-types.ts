// Generated from the field tables in provider/fields/ by `npm run generate` (codegen/fields.ts).
// Do not edit: `npm run build` fails when this file no longer matches the tables.
import type * as pulumi from "@pulumi/pulumi";
import { JustCallResource } from "./runtime";

/** The inputs of an Agent. */
export interface AgentArgs {
  /** The agent's email: the login, compared without case. */
  email: pulumi.Input<string>;
  /** First name, 1 to 255 characters. */
  firstname: pulumi.Input<string>;
  /** Last name, 1 to 255 characters. */
  lastname: pulumi.Input<string>;
  /** agent, supervisor or admin. Left out: not managed (a new agent is invited as agent; an existing one keeps its role, including the Account Owner or a custom role). A privileged change needs JUSTCALL_ALLOW_ROLE_CHANGES. */
  role?: pulumi.Input<"agent" | "supervisor" | "admin">;
  /** An IANA time zone, like America/New_York. Left out: not managed. */
  timezone?: pulumi.Input<string>;
  /** The agent's personal phone, E.164. Left out: not managed. v1 only (the published API has no phone). */
  phone?: pulumi.Input<string>;
  /** Whether the agent takes calls. Writable with justcall:apiVersion v2.1 only. Left out: not managed. */
  available?: pulumi.Input<boolean>;
  /** Why the agent is unavailable (with available: false). v2.1 only. */
  unavailabilityReason?: pulumi.Input<string>;
  /** When the email already exists in the account, take that agent over (no invitation) instead of failing. */
  adoptExisting?: pulumi.Input<boolean>;
  /** Unassign the agent's numbers when it is deleted. Default: the delete fails and names them. */
  releaseNumbersOnDelete?: pulumi.Input<boolean>;
}

/** The outputs an Agent carries (set by the engine from the provider's answer). */
export abstract class AgentOutputProperties extends JustCallResource {
  /** The agent's email: the login, compared without case. */
  declare readonly email: pulumi.Output<string>;
  /** First name, 1 to 255 characters. */
  declare readonly firstname: pulumi.Output<string>;
  /** Last name, 1 to 255 characters. */
  declare readonly lastname: pulumi.Output<string>;
  /** agent, supervisor or admin. Left out: not managed (a new agent is invited as agent; an existing one keeps its role, including the Account Owner or a custom role). A privileged change needs JUSTCALL_ALLOW_ROLE_CHANGES. */
  declare readonly role: pulumi.Output<string | undefined>;
  /** An IANA time zone, like America/New_York. Left out: not managed. */
  declare readonly timezone: pulumi.Output<string | undefined>;
  /** The agent's personal phone, E.164. Left out: not managed. v1 only (the published API has no phone). */
  declare readonly phone: pulumi.Output<string | undefined>;
  /** Whether the agent takes calls. Writable with justcall:apiVersion v2.1 only. Left out: not managed. */
  declare readonly available: pulumi.Output<boolean | undefined>;
  /** Why the agent is unavailable (with available: false). v2.1 only. */
  declare readonly unavailabilityReason: pulumi.Output<string | undefined>;
  /** The agent's JustCall id, also the Pulumi id. */
  declare readonly agentId: pulumi.Output<number>;
  /** Pending until the invitation is accepted, then Offline, Online or Busy, as JustCall reports it. */
  declare readonly status: pulumi.Output<string | undefined>;
  /** When JustCall created the agent (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** The numbers the agent holds, E.164. */
  declare readonly numbers: pulumi.Output<string[] | undefined>;
  /** True when create took over an existing agent. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** What create does (shown by the preview) or did: invite, or adopt an existing agent. */
  declare readonly createAction: pulumi.Output<"invite" | "adopt" | "unknown">;
}

/** The inputs of a TeamMembership. */
export interface TeamMembershipArgs {
  /** The team's name as JustCall shows it (any case), resolved to its id at preview. Give this or teamId. */
  teamName?: pulumi.Input<string>;
  /** The team's JustCall id. Give this or teamName. */
  teamId?: pulumi.Input<number>;
  /** The agent: an Agent's id (known while the agent is being updated, so prefer it) or its agentId. */
  agentId: pulumi.Input<number | string>;
}

/** The outputs a TeamMembership carries (set by the engine from the provider's answer). */
export abstract class TeamMembershipOutputProperties extends JustCallResource {
  /** The team's name as JustCall shows it (any case), resolved to its id at preview. Give this or teamId. */
  declare readonly teamName: pulumi.Output<string>;
  /** The team's JustCall id. Give this or teamName. */
  declare readonly teamId: pulumi.Output<number>;
  /** The agent: an Agent's id (known while the agent is being updated, so prefer it) or its agentId. */
  declare readonly agentId: pulumi.Output<number>;
}

/** The inputs of a NumberAssignment. */
export interface NumberAssignmentArgs {
  /** The number, E.164, resolved to its JustCall id at preview. Give this or numberId. */
  number?: pulumi.Input<string>;
  /** The number's JustCall id. Give this or number. */
  numberId?: pulumi.Input<number>;
  /** The agent who holds it: an Agent's id (prefer it) or agentId. A change reassigns in place. */
  agentId: pulumi.Input<number | string>;
  /** When another agent holds the number at create, take it from them. Default: the create fails and names the holder. */
  takeOver?: pulumi.Input<boolean>;
}

/** The outputs a NumberAssignment carries (set by the engine from the provider's answer). */
export abstract class NumberAssignmentOutputProperties extends JustCallResource {
  /** The number, E.164, resolved to its JustCall id at preview. Give this or numberId. */
  declare readonly number: pulumi.Output<string>;
  /** The number's JustCall id. Give this or number. */
  declare readonly numberId: pulumi.Output<number>;
  /** The agent who holds it: an Agent's id (prefer it) or agentId. A change reassigns in place. */
  declare readonly agentId: pulumi.Output<number>;
  /** The number's country, as JustCall reports it. */
  declare readonly country: pulumi.Output<unknown>;
  /** The number's type (local, toll-free, ...), as JustCall reports it. */
  declare readonly type: pulumi.Output<unknown>;
}
