// The engine's plan, normalized: what `pulumi preview --json` (the digest) or the engine's event
// stream printed, read into one shape.

/** One resource's state as the engine prints it (digest or event). */
export interface ResourceState {
  urn: string;
  type: string;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  retainOnDelete: boolean;
  /** URNs of the resources each input came from (digest only; the event stream has none). */
  propertyDependencies: Record<string, string[]>;
  dependencies: string[];
}

/** A step of the plan: what `up` will do to one resource. */
export interface PlanStep {
  op: string;
  urn: string;
  old?: ResourceState;
  new?: ResourceState;
}

/** What a refresh found for one resource: `after` null when it is gone, undefined when the JSON does not say. */
export interface RefreshResult {
  urn: string;
  before: ResourceState;
  after?: ResourceState | null;
}

export interface EngineDiagnostic {
  severity: string;
  message: string;
  urn?: string;
}

export interface EnginePlan {
  steps: PlanStep[];
  refreshed: RefreshResult[];
  diagnostics: EngineDiagnostic[];
  changeSummary: Record<string, number>;
  /** The engine said the run failed (event stream), or printed an error. */
  failed: boolean;
}

/** The value Pulumi prints for an output not known until `up`. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const TYPE = {
  agent: "pulumi-nodejs:dynamic/justcall:Agent",
  membership: "pulumi-nodejs:dynamic/justcall:TeamMembership",
  number: "pulumi-nodejs:dynamic/justcall:NumberAssignment",
  audit: "pulumi-nodejs:dynamic/justcall:RosterAudit",
  guard: "pulumi-nodejs:dynamic/justcall:RosterGuard",
  stack: "pulumi:pulumi:Stack",
};

export class SummarizeInputError extends Error {}

export function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts[2].split("$").pop()! : "";
}

/** The resource's name: the last part of its URN (for an Agent, its lower-case email). */
export function nameOfUrn(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1];
}

function state(raw: unknown): ResourceState | undefined {
  const s = record(raw);
  if (typeof s.urn !== "string") return undefined;
  return {
    urn: s.urn,
    type: typeof s.type === "string" ? s.type : typeOfUrn(s.urn),
    id: typeof s.id === "string" && s.id !== "" ? s.id : undefined,
    inputs: record(s.inputs),
    outputs: record(s.outputs),
    retainOnDelete: s.retainOnDelete === true,
    propertyDependencies: record(s.propertyDependencies) as Record<string, string[]>,
    dependencies: Array.isArray(s.dependencies) ? (s.dependencies as string[]) : [],
  };
}

function diagnostic(raw: unknown): EngineDiagnostic | undefined {
  const d = record(raw);
  if (typeof d.message !== "string" || typeof d.severity !== "string") return undefined;
  return { severity: d.severity, message: d.message, urn: typeof d.urn === "string" && d.urn !== "" ? d.urn : undefined };
}

function fromDigest(doc: Record<string, unknown>): EnginePlan {
  const plan: EnginePlan = { steps: [], refreshed: [], diagnostics: [], changeSummary: {}, failed: false };
  for (const raw of Array.isArray(doc.steps) ? doc.steps : []) {
    const s = record(raw);
    if (typeof s.op !== "string" || typeof s.urn !== "string") continue;
    const old = state(s.oldState);
    // The digest keeps a refresh step's state from before the refresh; what JustCall returned is
    // in the plan's steps that follow (preview --refresh), or nowhere (refresh --preview-only).
    if (s.op === "refresh") {
      if (old) plan.refreshed.push({ urn: s.urn, before: old });
    } else {
      plan.steps.push({ op: s.op, urn: s.urn, old, new: state(s.newState) });
    }
  }
  for (const raw of Array.isArray(doc.diagnostics) ? doc.diagnostics : []) {
    const d = diagnostic(raw);
    if (d) plan.diagnostics.push(d);
  }
  plan.changeSummary = record(doc.changeSummary) as Record<string, number>;
  plan.failed = plan.diagnostics.some((d) => d.severity === "error");
  return plan;
}

function fromEvents(lines: string[]): EnginePlan {
  const plan: EnginePlan = { steps: [], refreshed: [], diagnostics: [], changeSummary: {}, failed: false };
  // As the engine's own digest does: an outputs event whose resource was last announced as a
  // refresh is that refresh's result; any other is a step of the plan.
  const lastAnnounced = new Map<string, string>();
  for (const line of lines) {
    let event: Record<string, unknown>;
    try {
      event = record(JSON.parse(line));
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      throw new SummarizeInputError("the input is neither one JSON document nor one JSON event per line");
    }
    if (event.resourcePreEvent) {
      const m = record(record(event.resourcePreEvent).metadata);
      if (typeof m.urn === "string" && typeof m.op === "string") lastAnnounced.set(m.urn, m.op);
    } else if (event.resOutputsEvent) {
      const m = record(record(event.resOutputsEvent).metadata);
      if (typeof m.urn !== "string" || typeof m.op !== "string") continue;
      const old = state(m.old);
      const now = state(m.new);
      if (lastAnnounced.get(m.urn) === "refresh" || m.op === "refresh") {
        if (old) plan.refreshed.push({ urn: m.urn, before: old, after: m.op === "delete" || !now ? null : now });
      } else {
        plan.steps.push({ op: m.op, urn: m.urn, old, new: now });
      }
    } else if (event.diagnosticEvent) {
      const d = diagnostic(event.diagnosticEvent);
      if (d && d.severity !== "debug") plan.diagnostics.push(d);
    } else if (event.summaryEvent) {
      const s = record(event.summaryEvent);
      plan.changeSummary = record(s.resourceChanges) as Record<string, number>;
      if (s.result === "failed") plan.failed = true;
    }
  }
  if (plan.diagnostics.some((d) => d.severity === "error")) plan.failed = true;
  return plan;
}

/** Reads what `pulumi preview --json` (or the event stream, or a refresh preview) printed. */
export function parseEngineJson(text: string): EnginePlan {
  const trimmed = text.trim();
  if (trimmed === "") throw new SummarizeInputError("the input is empty: did `pulumi preview --json` print anything?");
  // One document: the digest (indented, so it spans many lines).
  try {
    const doc = JSON.parse(trimmed);
    if (doc && typeof doc === "object" && Array.isArray(doc.steps)) return fromDigest(doc);
    if (doc && typeof doc === "object" && ("preludeEvent" in doc || "summaryEvent" in doc)) return fromEvents([trimmed]);
    throw new SummarizeInputError("the input is JSON, but not the output of `pulumi preview --json` (no steps)");
  } catch (err) {
    if (err instanceof SummarizeInputError) throw err;
  }
  return fromEvents(trimmed.split("\n").filter((l) => l.trim() !== ""));
}
