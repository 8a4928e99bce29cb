// An Agent's state and how it maps to JustCall's agent: which fields the program manages, which
// differ from JustCall's, and the outputs stored from what JustCall reported. Pure (no API call,
// no Pulumi engine), so the resource (agent.ts) reads as schema, check, diff and CRUD, and this
// is tested on its own (test/provider/agent.test.ts).
import type { Agent as ApiAgent, AgentInput } from "./client";
import { nameMatches } from "./client";
import { AGENT_FIELDS, type AgentField } from "./fields/agent";
import { type Field, type FieldKind, type FieldsOf, fieldsOfKind, type HeldValue, switchDefaults } from "./fields/field";
import { isUnknown, type StoredProvider } from "./runtime";
import { sameEmail } from "./validation";

// ---- fields: derived from the table (fields/agent.ts) -------------------------------------

type Table = typeof AGENT_FIELDS;
type FieldOf<K extends FieldKind> = FieldsOf<Table, K>;
/** What JustCall or the state holds for a field (wider than a program's value where the table says so). */
type Held<F extends AgentField> = HeldValue<Table, F>;
type ReportedOutput = { [F in FieldOf<"output">]: Table[F] extends { reported: true } ? F : never }[FieldOf<"output">];

/** Fields JustCall stores that the program declares; the rest of the outputs are JustCall's. */
export const REQUIRED_FIELDS = fieldsOfKind(AGENT_FIELDS, "required") as FieldOf<"required">[];
export const OPTIONAL_FIELDS = fieldsOfKind(AGENT_FIELDS, "managed") as FieldOf<"managed">[];
/** Set through the availability call (v2.1), not the agent update. */
export const AVAILABILITY_FIELDS = fieldsOfKind(AGENT_FIELDS, "availability") as FieldOf<"availability">[];
/** Provider-side behaviour, never sent to JustCall. */
export const SWITCH_FIELDS = fieldsOfKind(AGENT_FIELDS, "switch") as FieldOf<"switch">[];
export type ApiField = FieldOf<"required" | "managed">;
export type ManagedField = ApiField | FieldOf<"availability">;
export type SwitchField = FieldOf<"switch">;
/** The fields an agent update sends: the required and managed ones. */
export const API_FIELDS: readonly ApiField[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS];

/** What the next create will do, shown by `pulumi preview` as the `createAction` input. */
export type CreateAction = Held<"createAction">;

/**
 * What the state holds. A field JustCall has not reported, or reported empty, is left out rather
 * than stored as null (the outputs read as undefined), and so is a switch at its default: state is
 * written in full at every step of a run, so every byte per resource counts (docs/benchmark.md).
 */
export type AgentOutputs = { [F in FieldOf<"required">]: Held<F> } & { [F in ManagedField | ReportedOutput]?: Held<F> } & {
  [F in Exclude<FieldOf<"output">, ReportedOutput>]: Held<F>;
} & {
  /** Stored only where it differs from the default. */
  [F in SwitchField]?: boolean;
} & {
  /** Which optional fields the program manages (so refresh can rebuild the inputs); left out for the default set. */
  managedFields?: ManagedField[];
};

/**
 * An Agent's properties as the engine passes them: the program's inputs before check (not yet
 * validated, any value may be unknown at preview), the inputs check returns, or the outputs in
 * the state (written by this version or an older one). Check validates; later steps rely on it.
 */
export type AgentProps = StoredProvider & { [F in FieldOf<"required">]?: Held<F> } & {
  [F in Exclude<AgentField, FieldOf<"required"> | "createAction">]?: Held<F> | null;
} & {
  createAction?: string;
  /**
   * Added by check to an adopting Agent: each field its create will write, as "JustCall's value →
   * the program's" (shown by the preview and summarize; kept in the inputs as the record of what
   * the adoption changed). Never compared by diff.
   */
  adoptionWrites?: Record<string, string>;
  managedFields?: ManagedField[];
};

/** An Agent's inputs once check has passed them: the three required fields are there. */
export type CheckedAgent = AgentProps & { email: string; firstname: string; lastname: string };

/** The inputs as check passed them; a resource without its required fields never gets past check. */
export function checked(inputs: AgentProps): CheckedAgent {
  const { email, firstname, lastname } = inputs;
  if (email === undefined || firstname === undefined || lastname === undefined) {
    throw new Error(`Agent ${email ?? ""}: email, firstname and lastname are required`);
  }
  return { ...inputs, email, firstname, lastname };
}

// ---- what differs ----------------------------------------------------------------------------

export function managedFields(news: AgentProps): ManagedField[] {
  return [
    ...REQUIRED_FIELDS,
    ...OPTIONAL_FIELDS.filter((f) => news[f] !== undefined),
    ...AVAILABILITY_FIELDS.filter((f) => news[f] !== undefined),
  ];
}

/** What read assumes when the state names no managed fields: the program's usual set, and what 0.1.0 managed. */
export const DEFAULT_MANAGED: readonly ManagedField[] = [
  ...REQUIRED_FIELDS,
  ...OPTIONAL_FIELDS.filter((f) => (AGENT_FIELDS[f] as Field).managedWhenUnrecorded === true),
];

/** managedFields as the state stores them: left out when they are the default set. */
export function storedManagedFields(fields: ManagedField[]): Pick<AgentOutputs, "managedFields"> {
  const isDefault = fields.length === DEFAULT_MANAGED.length && DEFAULT_MANAGED.every((f) => fields.includes(f));
  return isDefault ? {} : { managedFields: fields };
}

/** The switches' defaults: adopt an existing agent, refuse to delete one holding numbers. */
export const SWITCH_DEFAULTS = switchDefaults(AGENT_FIELDS) as Record<SwitchField, boolean>;

/** The switches as the state stores them: only where they differ from the default. */
export function storedSwitches(inputs: AgentProps): Pick<AgentOutputs, SwitchField> {
  return Object.fromEntries(
    SWITCH_FIELDS.filter((f) => typeof inputs[f] === "boolean" && inputs[f] !== SWITCH_DEFAULTS[f]).map((f) => [f, inputs[f]]),
  );
}

export function sameValue(field: ManagedField, a: unknown, b: unknown): boolean {
  if (field === "email" && typeof a === "string" && typeof b === "string") return sameEmail(a, b);
  return (a ?? null) === (b ?? null);
}

/** The JustCall fields to send so that JustCall matches the program (compared with the last known outputs). */
export function changedFields(olds: AgentProps | ApiAgent, news: AgentProps): Partial<AgentInput> {
  const changes: Record<string, unknown> = {};
  for (const field of managedFields(news)) {
    if ((AVAILABILITY_FIELDS as readonly string[]).includes(field)) continue;
    if (isUnknown(news[field])) changes[field] = news[field];
    else if (!sameValue(field, olds[field], news[field])) changes[field] = news[field];
  }
  return changes as Partial<AgentInput>;
}

/** What adopting `existing` writes: each managed field JustCall holds differently, "JustCall's → the program's". */
export function adoptionWrites(existing: ApiAgent, inputs: AgentProps): Record<string, string> {
  const shown = (v: unknown) => (v === undefined || v === null || v === "" ? "(none)" : String(v));
  const held = existing as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(changedFields(existing, inputs)).map(([field, to]) => [field, `${shown(held[field])} → ${shown(to)}`]),
  );
}

export function changedApiFields(olds: AgentProps, news: AgentProps): ApiField[] {
  return Object.keys(changedFields(olds, news)) as ApiField[];
}

/** The availability to set so that JustCall matches the program, or undefined when it does. */
export function availabilityChange(olds: AgentProps | ApiAgent, news: AgentProps): { available: boolean; reason?: string } | undefined {
  const available = news.available;
  if (available === undefined || available === null || isUnknown(available)) return undefined;
  const reason = news.unavailabilityReason ?? undefined;
  const reasonWanted = available === false && reason !== undefined;
  const same = olds.available === available && (!reasonWanted || olds.unavailabilityReason === reason);
  if (same) return undefined;
  return reasonWanted ? { available, reason } : { available };
}

// ---- outputs --------------------------------------------------------------------------------

/** The fields JustCall reports that the outputs carry when it has said them (the required ones aside). */
const REPORTED_FIELDS = (Object.keys(AGENT_FIELDS) as AgentField[]).filter((f) => {
  const field: Field = AGENT_FIELDS[f];
  return field.reported === true && field.kind !== "required";
}) as (keyof ApiAgent & AgentField)[];

/**
 * Outputs from what JustCall reported. A field the answer left out (undefined: the guide's
 * answers print a different subset per endpoint) keeps its `previous` value, else it is left out
 * of the outputs (so is one JustCall reported as null): nothing is invented, and a field JustCall
 * does not report shows no drift.
 */
export function agentOutputs(agent: ApiAgent, inputs: AgentProps, adopted: boolean, previous: AgentProps = {}): AgentOutputs {
  // v2.1 has one name field, split at its first space; where the program's split of the same
  // name differs ("Mary Ann" / "Lee"), keep the program's, so the name shows no false drift.
  const { firstname, lastname } = inputs;
  const sameName =
    agent.name !== undefined && firstname !== undefined && lastname !== undefined && nameMatches(agent.name, firstname, lastname);
  const outputs: AgentOutputs = {
    agentId: agent.id,
    // An email that differs only in case is the same login: keep the program's spelling, so that
    // neither refresh nor a later preview ever shows a case-only change.
    email: inputs.email !== undefined && sameEmail(agent.email, inputs.email) ? inputs.email : agent.email,
    firstname: sameName && firstname !== undefined ? firstname : agent.firstname,
    lastname: sameName && lastname !== undefined ? lastname : agent.lastname,
    adopted,
    ...storedSwitches(inputs),
    ...storedManagedFields(managedFields(inputs)),
    createAction: adopted ? "adopt" : "invite",
  };
  for (const field of REPORTED_FIELDS) {
    const value = agent[field] !== undefined ? agent[field] : previous[field];
    if (value != null) Object.assign(outputs, { [field]: value });
  }
  return outputs;
}

/** The managed fields of `fields`: those an agent read must report (the required ones always are). */
export function reportedFields(fields: readonly string[]): (keyof ApiAgent)[] {
  return OPTIONAL_FIELDS.filter((f) => fields.includes(f));
}

export function apiInput(inputs: CheckedAgent): AgentInput {
  // A new agent is invited as "agent" unless the program says otherwise (the guide: role is optional).
  const input: Record<string, unknown> = { role: "agent" };
  for (const f of API_FIELDS) if (inputs[f] != null) input[f] = inputs[f];
  return input as unknown as AgentInput;
}
