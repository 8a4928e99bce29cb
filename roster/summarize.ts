// `justcall-roster summarize`: the engine's own plan (`pulumi preview --json`, or a refresh
// preview) in plain language for the people who approve a roster change. Nothing here recomputes
// the plan from the roster: every line comes from a step the engine will (or would) take.
//
// Three inputs, all read the same way:
// - the preview digest, `pulumi preview --json [--show-sames] [--refresh]`: one JSON document;
// - the engine's event stream, any of those with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true: one
//   JSON event per line. `pulumi refresh --preview-only --json` needs it: its digest lists every
//   resource as "refresh" without the values JustCall returned (the engine keeps a refresh's result
//   out of the digest unless the provider reports a detailed diff, which dynamic providers cannot).

// ---- the engine's plan, normalized ------------------------------------------------------------

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
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const TYPE = {
  agent: "pulumi-nodejs:dynamic/justcall:Agent",
  membership: "pulumi-nodejs:dynamic/justcall:TeamMembership",
  number: "pulumi-nodejs:dynamic/justcall:NumberAssignment",
  audit: "pulumi-nodejs:dynamic/justcall:RosterAudit",
  guard: "pulumi-nodejs:dynamic/justcall:RosterGuard",
  stack: "pulumi:pulumi:Stack",
};

export class SummarizeInputError extends Error {}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function typeOfUrn(urn: string): string {
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
    } catch {
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

// ---- the summary --------------------------------------------------------------------------------

export interface Person {
  email: string;
  /** "First Last", when any step or state tells it. */
  name?: string;
}

export interface NewAgent {
  person: Person;
  teams: string[];
  numbers: string[];
  /** The preview could not ask JustCall whether the email exists (no credentials or network). */
  uncertain?: boolean;
  /** The stack managed this agent before, and JustCall no longer has it. */
  deletedInJustCall?: boolean;
}

export interface Removal {
  person: Person;
  /** delete: gone from JustCall for good; keep: stays in JustCall, no longer managed. */
  action: "delete" | "keep";
}

export interface TeamChange {
  person: Person;
  joins: string[];
  leaves: string[];
}

export interface NumberMove {
  number: string;
  /** Undefined: nobody (unassigned). */
  from?: Person;
  to?: Person;
}

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export interface PersonChanges {
  person: Person;
  changes: FieldChange[];
}

export interface RosterSummary {
  /** preview: what `up` will do; refresh: what changed in JustCall outside the stack. */
  kind: "preview" | "refresh";
  stack?: string;
  failures: string[];
  /** Things the input could not tell (said at the top, next to failures). */
  notices: string[];
  invitations: NewAgent[];
  adoptions: NewAgent[];
  removals: Removal[];
  teamChanges: TeamChange[];
  numberMoves: NumberMove[];
  fieldEdits: PersonChanges[];
  /** preview: JustCall's value → the roster's, put back by up. refresh: the stack's → JustCall's. */
  drift: PersonChanges[];
  /** Agents in JustCall that the roster lacks (authoritative rosters). */
  unmanaged: string[];
  warnings: string[];
}

const AGENT_FIELDS = ["firstname", "lastname", "email", "role", "timezone", "phone", "available", "unavailabilityReason"];
const AGENT_SETTINGS = ["adoptExisting", "releaseNumbersOnDelete"];

function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

function sameValue(field: string, a: unknown, b: unknown): boolean {
  if (field === "email" && typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function shown(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(none)";
  if (isUnknown(v)) return "(known after up)";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function errorText(message: string): string {
  // The program's exception: its message without the stack trace, the dump of the error's fields
  // or the absolute path of the checkout.
  const lines = message.replace(/^(error|warning): /, "").split("\n");
  const kept: string[] = [];
  for (const line of lines) {
    if (/^\s+at /.test(line) || /^\s*\{\s*$/.test(line) || /^\S.* \{$/.test(line)) break;
    if (/^Running program '.*' failed with an unhandled exception:$/.test(line)) continue;
    kept.push(line.trimEnd());
  }
  return kept
    .join("\n")
    .replace(/^[A-Za-z]*Error: /, "")
    .trim();
}

/** Everything the plan says about agents, and how to find them by URN and by JustCall id. */
class People {
  private byEmail = new Map<string, Person>();
  private emailById = new Map<string, string>();

  learn(s: ResourceState | null | undefined): void {
    if (!s || s.type !== TYPE.agent) return;
    const email = nameOfUrn(s.urn);
    const values = { ...s.outputs, ...s.inputs };
    const first = typeof values.firstname === "string" && !isUnknown(values.firstname) ? values.firstname : undefined;
    const last = typeof values.lastname === "string" && !isUnknown(values.lastname) ? values.lastname : undefined;
    if (first || last) this.byEmail.set(email, { email, name: [first, last].filter(Boolean).join(" ") });
    const id = s.outputs.agentId ?? s.id;
    if (id !== undefined && !isUnknown(id)) this.emailById.set(String(id), email);
  }

  byAgentUrn(urn: string): Person {
    const email = nameOfUrn(urn);
    return this.byEmail.get(email) ?? { email };
  }

  /** The agent a membership or number assignment belongs to: by JustCall id, else by the URN its id came from. */
  holder(s: ResourceState | null | undefined): Person | undefined {
    if (!s) return undefined;
    const id = s.inputs.agentId ?? s.outputs.agentId;
    if (id !== undefined && id !== null && !isUnknown(id)) {
      const email = this.emailById.get(String(id));
      if (email) return this.byAgentUrn(email);
    }
    const from = s.propertyDependencies.agentId?.[0] ?? s.dependencies.find((u) => typeOfUrn(u) === TYPE.agent);
    if (from) return this.byAgentUrn(from);
    if (id !== undefined && id !== null && !isUnknown(id)) return { email: `agent #${id} (not in this stack)` };
    return undefined;
  }
}

function teamOf(s: ResourceState): string {
  const team = s.inputs.teamName ?? s.outputs.teamName;
  return typeof team === "string" ? team : nameOfUrn(s.urn).replace(/^.*-in-/, "");
}

function numberOf(s: ResourceState): string {
  const n = s.inputs.number ?? s.outputs.number;
  return typeof n === "string" ? n : nameOfUrn(s.urn).replace(/^number-/, "");
}

function stackOf(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}

function samePerson(a?: Person, b?: Person): boolean {
  return (a?.email ?? "") === (b?.email ?? "");
}

/** The plain-language summary of an engine plan (preview) or of a refresh preview. */
export function summarizePlan(plan: EnginePlan): RosterSummary {
  const people = new People();
  // The stack's own record names people; in a preview, the roster's (new) values win.
  for (const r of plan.refreshed) {
    people.learn(r.after);
    people.learn(r.before);
  }
  for (const s of plan.steps) {
    people.learn(s.old);
    people.learn(s.new);
  }
  const anyUrn = plan.steps[0]?.urn ?? plan.refreshed[0]?.urn;
  // A preview always has a step for the stack itself; a refresh preview only refreshes it.
  const isRefresh = plan.refreshed.length > 0 && !plan.steps.some((s) => typeOfUrn(s.urn) === TYPE.stack);
  const summary: RosterSummary = {
    kind: isRefresh ? "refresh" : "preview",
    stack: anyUrn ? stackOf(anyUrn) : undefined,
    failures: [],
    notices: [],
    invitations: [],
    adoptions: [],
    removals: [],
    teamChanges: [],
    numberMoves: [],
    fieldEdits: [],
    drift: [],
    unmanaged: [],
    warnings: [],
  };
  for (const d of plan.diagnostics) {
    const text = errorText(d.message);
    if (text === "") continue;
    const where = d.urn && typeOfUrn(d.urn) !== TYPE.stack ? `${nameOfUrn(d.urn)}: ` : "";
    const list = d.severity === "error" ? summary.failures : d.severity === "warning" ? summary.warnings : undefined;
    if (list && !list.includes(where + text)) list.push(where + text);
  }
  if (plan.failed && summary.failures.length === 0) summary.failures.push("the engine reported a failure without a message: see the raw output");
  if (isRefresh) summarizeRefresh(plan, people, summary);
  else summarizePreview(plan, people, summary);
  // The roster's own warning about agents outside it says what that section already lists.
  if (summary.unmanaged.length > 0) summary.warnings = summary.warnings.filter((w) => !summary.unmanaged.every((e) => w.includes(e)));
  return sorted(summary);
}

/** The engine runs steps in parallel, so their order varies: the summary is sorted, by name then email. */
function sorted(s: RosterSummary): RosterSummary {
  const key = (p?: Person) => `${p?.name ?? "\uffff"}\u0000${p?.email ?? ""}`.toLowerCase();
  const byPerson = <T extends { person: Person }>(list: T[]) => list.sort((a, b) => key(a.person).localeCompare(key(b.person)));
  // Within one person: the agent's fields (in their usual order), then teams, then numbers.
  const rank = (c: FieldChange) => (c.field.startsWith("team ") ? 1 : c.field.startsWith("number ") ? 2 : 0);
  for (const a of [...s.invitations, ...s.adoptions]) {
    a.teams.sort();
    a.numbers.sort();
  }
  for (const t of s.teamChanges) {
    t.joins.sort();
    t.leaves.sort();
  }
  const within = (c: FieldChange) => (rank(c) === 0 ? "" : c.field);
  for (const p of [...s.fieldEdits, ...s.drift]) p.changes.sort((a, b) => rank(a) - rank(b) || within(a).localeCompare(within(b)));
  byPerson(s.invitations);
  byPerson(s.adoptions);
  byPerson(s.removals);
  byPerson(s.teamChanges);
  byPerson(s.fieldEdits);
  byPerson(s.drift);
  s.numberMoves.sort((a, b) => a.number.localeCompare(b.number));
  s.unmanaged.sort();
  return s;
}

function driftFor(list: PersonChanges[], person: Person, change: FieldChange): void {
  let entry = list.find((p) => p.person.email === person.email);
  if (!entry) list.push((entry = { person, changes: [] }));
  entry.changes.push(change);
}

function teamChangeFor(list: TeamChange[], person: Person): TeamChange {
  let entry = list.find((t) => t.person.email === person.email);
  if (!entry) list.push((entry = { person, joins: [], leaves: [] }));
  return entry;
}

function summarizePreview(plan: EnginePlan, people: People, summary: RosterSummary): void {
  const refreshed = new Map(plan.refreshed.map((r) => [r.urn, r]));
  const createdAgents = new Map<string, NewAgent>();
  const removedAgents = new Set<string>();
  let removalPolicy: Record<string, unknown> = {};

  for (const step of plan.steps) {
    if (step.new && typeOfUrn(step.urn) === TYPE.guard) removalPolicy = record(step.new.inputs.removals);
  }
  // Agents first: a membership or number of a new or leaving agent is told with that agent.
  for (const step of plan.steps) {
    if (typeOfUrn(step.urn) !== TYPE.agent) continue;
    const person = people.byAgentUrn(step.urn);
    if (step.op === "create" || step.op === "create-replacement") {
      const action = step.new?.inputs.createAction;
      const entry: NewAgent = { person, teams: [], numbers: [] };
      if (refreshed.has(step.urn)) entry.deletedInJustCall = true;
      if (action === "adopt") summary.adoptions.push(entry);
      else {
        if (action !== "invite") entry.uncertain = true;
        summary.invitations.push(entry);
      }
      createdAgents.set(person.email, entry);
    } else if (step.op === "delete" || step.op === "delete-replaced") {
      const policy = removalPolicy[person.email] ?? removalPolicy[step.old?.inputs.email as string];
      const keep = policy === "keep" || step.old?.retainOnDelete === true;
      summary.removals.push({ person, action: keep ? "keep" : "delete" });
      removedAgents.add(person.email);
    } else if (step.op === "update" && step.old && step.new) {
      agentEdits(step, refreshed.get(step.urn), person, summary);
    }
  }

  for (const step of plan.steps) {
    const type = typeOfUrn(step.urn);
    if (type === TYPE.membership) {
      const s = step.new ?? step.old;
      if (!s) continue;
      const person = people.holder(s) ?? people.byAgentUrn(nameOfUrn(step.urn).replace(/-in-[^@]*$/, ""));
      const team = teamOf(s);
      const joining = step.op === "create" || step.op === "create-replacement";
      const leaving = step.op === "delete" || step.op === "delete-replaced";
      if (joining && createdAgents.has(person.email)) createdAgents.get(person.email)!.teams.push(team);
      else if (leaving && removedAgents.has(person.email)) continue;
      else if (joining && refreshed.has(step.urn)) {
        driftFor(summary.drift, person, { field: `team ${team}`, from: "removed in JustCall", to: "member again" });
      } else if (joining) teamChangeFor(summary.teamChanges, person).joins.push(team);
      else if (leaving) teamChangeFor(summary.teamChanges, person).leaves.push(team);
    } else if (type === TYPE.number) {
      numberStep(step, refreshed.get(step.urn), people, createdAgents, summary);
    } else if (type === TYPE.audit && step.new && (step.op === "update" || step.op === "create" || step.op === "same")) {
      const unmanaged = step.new.inputs.unmanaged;
      if (Array.isArray(unmanaged)) summary.unmanaged = unmanaged.filter((e): e is string => typeof e === "string");
    }
  }
  summary.teamChanges = summary.teamChanges.filter((t) => t.joins.length + t.leaves.length > 0);
}

function agentEdits(step: PlanStep, refresh: RefreshResult | undefined, person: Person, summary: RosterSummary): void {
  const old = step.old!;
  const wanted = step.new!.inputs;
  // What the stack last applied (before any refresh of this run), and what JustCall has.
  const applied = (refresh?.before ?? old).inputs;
  const justcall = old.outputs;
  const edits: FieldChange[] = [];
  for (const field of AGENT_FIELDS) {
    if (wanted[field] === undefined) continue;
    const current = field in justcall ? justcall[field] : old.inputs[field];
    if (sameValue(field, current, wanted[field]) && sameValue(field, applied[field], wanted[field])) continue;
    const drifted = !sameValue(field, current, applied[field]) || !sameValue(field, old.inputs[field], applied[field]);
    if (drifted && sameValue(field, applied[field], wanted[field])) {
      // Changed in JustCall outside the roster; up puts the roster's value back.
      const seen = sameValue(field, current, applied[field]) ? old.inputs[field] : current;
      driftFor(summary.drift, person, { field, from: shown(seen), to: shown(wanted[field]) });
    } else if (!sameValue(field, applied[field], wanted[field])) {
      edits.push({ field, from: shown(applied[field] ?? current), to: shown(wanted[field]) });
    }
  }
  for (const field of AGENT_SETTINGS) {
    if (wanted[field] !== undefined && old.inputs[field] !== undefined && !sameValue(field, old.inputs[field], wanted[field])) {
      edits.push({ field, from: shown(old.inputs[field]), to: shown(wanted[field]) });
    }
  }
  if (edits.length > 0) summary.fieldEdits.push({ person, changes: edits });
}

function numberStep(step: PlanStep, refresh: RefreshResult | undefined, people: People, created: Map<string, NewAgent>, summary: RosterSummary): void {
  const s = step.new ?? step.old;
  if (!s) return;
  const number = numberOf(s);
  // Without dependencies (event stream), a new agent's id is unknown until up.
  const holder = (x?: ResourceState) => people.holder(x) ?? (x ? { email: "(a new agent)" } : undefined);
  if (step.op === "create" || step.op === "create-replacement") {
    const to = holder(step.new);
    if (to && created.has(to.email)) {
      // Told with the new agent.
      created.get(to.email)!.numbers.push(number);
      return;
    }
    if (refresh) {
      driftFor(summary.drift, to!, { field: `number ${number}`, from: "unassigned in JustCall", to: "assigned again" });
    } else {
      summary.numberMoves.push({ number, to });
    }
  } else if (step.op === "delete" || step.op === "delete-replaced") {
    // Retained: the number stays with its agent.
    if (!step.old?.retainOnDelete) summary.numberMoves.push({ number, from: people.holder(step.old) });
  } else if (step.op === "update") {
    const from = holder(step.old);
    const to = holder(step.new);
    if (samePerson(from, to)) return;
    const before = refresh ? people.holder(refresh.before) : undefined;
    if (refresh && before && samePerson(before, to)) {
      // Reassigned in JustCall; up gives it back to the roster's agent.
      driftFor(summary.drift, to!, { field: `number ${number}`, from: `with ${label(from)} in JustCall`, to: `back to ${label(to)}` });
    } else {
      summary.numberMoves.push({ number, from, to });
    }
  }
}

function summarizeRefresh(plan: EnginePlan, people: People, summary: RosterSummary): void {
  // The refresh digest keeps a result only when it is a deletion (or an update with a detailed
  // diff, which dynamic providers never give): as a step in place of the refresh.
  const results: RefreshResult[] = [
    ...plan.refreshed,
    ...plan.steps.filter((s) => s.old).map((s) => ({ urn: s.urn, before: s.old!, after: s.op === "delete" ? null : (s.new ?? null) })),
  ];
  const detailed = results.filter((r) => r.after !== undefined && (r.after === null || JSON.stringify(r.after.outputs) !== JSON.stringify(r.before.outputs))).length;
  const changed = (plan.changeSummary.update ?? 0) + (plan.changeSummary.delete ?? 0);
  if (changed > detailed) {
    summary.notices.push(
      `The refresh found ${changed} change(s) in JustCall, and \`pulumi refresh --preview-only --json\` details only ${detailed} of them. ` +
        "Run it with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true set to see every change here.",
    );
  }
  for (const r of results) {
    const type = typeOfUrn(r.urn);
    if (r.after === undefined) continue;
    if (type === TYPE.agent) {
      const person = people.byAgentUrn(r.urn);
      if (r.after === null) {
        summary.removals.push({ person, action: "delete" });
        continue;
      }
      const managed = Array.isArray(r.before.outputs.managedFields) ? (r.before.outputs.managedFields as string[]) : AGENT_FIELDS;
      for (const field of AGENT_FIELDS) {
        if (!managed.includes(field)) continue;
        const was = r.before.outputs[field] ?? r.before.inputs[field];
        const now = r.after.outputs[field] ?? r.after.inputs[field];
        if (!sameValue(field, was, now)) driftFor(summary.fieldEdits, person, { field, from: shown(was), to: shown(now) });
      }
    } else if (type === TYPE.membership && r.after === null) {
      const person = people.holder(r.before) ?? { email: nameOfUrn(r.urn) };
      teamChangeFor(summary.teamChanges, person).leaves.push(teamOf(r.before));
    } else if (type === TYPE.number) {
      const from = people.holder(r.before);
      const to = r.after === null ? undefined : people.holder(r.after);
      if (!samePerson(from, to)) summary.numberMoves.push({ number: numberOf(r.before), from, to });
    } else if (type === TYPE.audit && r.after) {
      const unmanaged = r.after.outputs.unmanaged ?? r.after.inputs.unmanaged;
      if (Array.isArray(unmanaged)) summary.unmanaged = unmanaged.filter((e): e is string => typeof e === "string");
    }
  }
}

// ---- rendering ----------------------------------------------------------------------------------

export type SummaryFormat = "markdown" | "text";

function label(p?: Person): string {
  if (!p) return "nobody";
  return p.name ? `${p.name} (${p.email})` : p.email;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Markdown special characters in names and messages, escaped so that a name cannot format the comment. */
function md(s: string): string {
  // Brackets escaped, so no link can form: parentheses, # and ! mid-line stay as they are.
  return s.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

function mdPerson(p?: Person): string {
  if (!p) return "nobody";
  return p.name ? `**${md(p.name)}** (${md(p.email)})` : md(p.email);
}

interface Section {
  title: string;
  /** One line under the title: what the section means for the people in it. */
  note?: string;
  items: string[];
}

function counts(s: RosterSummary): string {
  if (s.kind === "refresh") {
    return [
      plural(s.removals.length, "agent deleted in JustCall", "agents deleted in JustCall"),
      plural(s.teamChanges.length, "team change"),
      plural(s.numberMoves.length, "number moved", "numbers moved"),
      plural(s.fieldEdits.length, "agent edited", "agents edited"),
      plural(s.unmanaged.length, "agent not in the roster", "agents not in the roster"),
    ].join(", ");
  }
  const deleted = s.removals.filter((r) => r.action === "delete").length;
  return [
    plural(s.invitations.length, "invitation"),
    plural(s.adoptions.length, "adoption"),
    `${plural(s.removals.length, "removal")} (${deleted} deleted, ${s.removals.length - deleted} kept)`,
    plural(s.teamChanges.length, "team change"),
    plural(s.numberMoves.length, "number move"),
    plural(s.fieldEdits.length, "field edit"),
    plural(s.drift.length, "drift correction"),
  ].join(", ");
}

function sections(s: RosterSummary, person: (p?: Person) => string, code: (t: string) => string, esc: (t: string) => string): Section[] {
  const newAgent = (a: NewAgent) => {
    const extras = [a.teams.length ? `teams ${a.teams.map(esc).join(", ")}` : "", a.numbers.length ? `numbers ${a.numbers.map(code).join(", ")}` : ""]
      .filter(Boolean)
      .join(", ");
    let line = extras ? `${person(a.person)}: ${extras}` : person(a.person);
    if (a.uncertain) line += " (the preview could not check JustCall: an invitation, unless the email is already there)";
    if (a.deletedInJustCall) line += " (deleted in JustCall since the last up: invited again)";
    return line;
  };
  const changes = (p: PersonChanges, arrow = "→") =>
    `${person(p.person)}: ${p.changes.map((c) => `${esc(c.field)} ${code(c.from)} ${arrow} ${code(c.to)}`).join("; ")}`;
  const teams = (t: TeamChange) =>
    `${person(t.person)}: ${[t.joins.length ? `joins ${t.joins.map(esc).join(", ")}` : "", t.leaves.length ? `leaves ${t.leaves.map(esc).join(", ")}` : ""]
      .filter(Boolean)
      .join("; ")}`;
  const move = (m: NumberMove) => `${code(m.number)}: ${m.from ? person(m.from) : "nobody"} → ${m.to ? person(m.to) : "nobody (unassigned)"}`;

  if (s.kind === "refresh") {
    return [
      { title: "Deleted in JustCall", note: "`pulumi up` invites them again (an email), unless they leave the roster.", items: s.removals.map((r) => person(r.person)) },
      { title: "Team changes in JustCall", note: "`pulumi up` puts them back in the roster's teams.", items: s.teamChanges.map(teams) },
      { title: "Numbers moved in JustCall", note: "`pulumi up` gives them back to the roster's agents.", items: s.numberMoves.map(move) },
      { title: "Fields edited in JustCall", note: "Stack's value → JustCall's. `pulumi up` puts the roster's values back; or change roster.yaml to keep JustCall's.", items: s.fieldEdits.map((p) => changes(p)) },
      { title: "In JustCall, not in the roster", note: "Added outside the roster: add them to roster.yaml, or remove them in JustCall.", items: s.unmanaged.map(esc) },
    ];
  }
  return [
    { title: "Invitations", note: "JustCall emails each of them an invitation.", items: s.invitations.map(newAgent) },
    { title: "Adoptions", note: "Already in JustCall: managed by the roster from now on, no email.", items: s.adoptions.map(newAgent) },
    {
      title: "Removals",
      items: s.removals.map((r) =>
        r.action === "delete"
          ? `${person(r.person)}: deleted from JustCall (cannot be undone: their call history goes too)`
          : `${person(r.person)}: kept in JustCall, no longer managed by the roster`,
      ),
    },
    { title: "Team changes", items: s.teamChanges.map(teams) },
    { title: "Number moves", items: s.numberMoves.map(move) },
    { title: "Field edits", items: s.fieldEdits.map((p) => changes(p)) },
    { title: "Drift corrected", note: "Changed in JustCall outside the roster; `pulumi up` puts the roster's value back (JustCall's → roster's).", items: s.drift.map((p) => changes(p)) },
    { title: "In JustCall, not in the roster", note: "Left alone: add them to roster.yaml, or remove them in JustCall.", items: s.unmanaged.map(esc) },
  ];
}

function heading(s: RosterSummary): string {
  const stack = s.stack ? ` (stack ${s.stack})` : "";
  return s.kind === "refresh" ? `JustCall roster: drift check${stack}` : `JustCall roster: what this change does${stack}`;
}

function nothing(s: RosterSummary): string {
  return s.kind === "refresh" ? "JustCall matches the stack: nothing was changed outside the roster." : "No change: `pulumi up` leaves JustCall as it is.";
}

export function renderMarkdown(s: RosterSummary): string {
  const out: string[] = [`### ${md(heading(s))}`, ""];
  if (s.failures.length > 0) {
    out.push(`#### ${s.kind === "refresh" ? "The refresh failed" : "The preview failed: `pulumi up` would change nothing until this is fixed"}`, "");
    for (const f of s.failures) out.push(`- ${md(f).replace(/\n\s*/g, "<br>")}`);
    out.push("");
  }
  for (const n of s.notices) out.push(`> ${md(n).replace(/\\`/g, "`")}`, "");
  const list = sections(s, mdPerson, (t) => `\`${t.replace(/`/g, "'")}\``, md).filter((x) => x.items.length > 0);
  if (list.length === 0 && s.failures.length === 0 && s.notices.length === 0) out.push(nothing(s), "");
  for (const section of list) {
    out.push(`#### ${section.title} (${section.items.length})`, "");
    if (section.note) out.push(`_${section.note}_`, "");
    for (const item of section.items) out.push(`- ${item}`);
    out.push("");
  }
  if (s.warnings.length > 0) {
    out.push("#### Warnings from the engine", "");
    for (const w of s.warnings) out.push(`- ${md(w).replace(/\n\s*/g, "<br>")}`);
    out.push("");
  }
  out.push(`**In all:** ${counts(s)}.`, "");
  return out.join("\n");
}

export function renderText(s: RosterSummary): string {
  const out: string[] = [heading(s), ""];
  if (s.failures.length > 0) {
    out.push(s.kind === "refresh" ? "THE REFRESH FAILED" : "THE PREVIEW FAILED: `pulumi up` would change nothing until this is fixed");
    for (const f of s.failures) out.push(`  ! ${f.replace(/\n/g, "\n    ")}`);
    out.push("");
  }
  for (const n of s.notices) out.push(n, "");
  const list = sections(s, label, (t) => t, (t) => t).filter((x) => x.items.length > 0);
  if (list.length === 0 && s.failures.length === 0 && s.notices.length === 0) out.push(nothing(s), "");
  for (const section of list) {
    out.push(`${section.title} (${section.items.length})${section.note ? `: ${section.note.replace(/`/g, "")}` : ""}`);
    for (const item of section.items) out.push(`  - ${item}`);
    out.push("");
  }
  if (s.warnings.length > 0) {
    out.push("Warnings from the engine");
    for (const w of s.warnings) out.push(`  - ${w.replace(/\n/g, "\n    ")}`);
    out.push("");
  }
  out.push(`In all: ${counts(s)}.`, "");
  return out.join("\n");
}

/** JSON text in, the rendered summary out. */
export function summarizeEngineJson(text: string, format: SummaryFormat = "markdown"): string {
  const summary = summarizePlan(parseEngineJson(text));
  return format === "text" ? renderText(summary) : renderMarkdown(summary);
}

// ---- the command ---------------------------------------------------------------------------------

export const SUMMARIZE_USAGE = `Usage: justcall-roster summarize [file|-] [--format markdown|text]

Reads what \`pulumi preview --json\` printed (from the file, or standard input) and says in plain
language what \`pulumi up\` will do to the JustCall roster: who is invited, adopted, removed
(deleted or kept), who changes team, which number goes from whom to whom, which fields change,
and what changed in JustCall outside the roster. A failed preview is shown first.

Add --show-sames to the preview so that everyone is named by name (not only by email).
Drift: \`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi refresh --preview-only --json\`.

Options:
  --format <f>   markdown (default, for a pull-request comment) or text (for a terminal)
  -h, --help     This text
`;

export interface SummarizeIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Standard input, read whole when the file is "-" or missing. */
  readStdin?: () => Promise<string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** `justcall-roster summarize`: returns the exit code (0 summarized, 1 unreadable input, 2 usage). */
export async function summarizeCommand(argv: string[], io: SummarizeIo): Promise<number> {
  const { parseArgs } = await import("node:util");
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: "string", default: "markdown" }, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${SUMMARIZE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(SUMMARIZE_USAGE);
    return 0;
  }
  const format = values.format;
  if ((format !== "markdown" && format !== "text") || positionals.length > 1) {
    io.stderr.write(format !== "markdown" && format !== "text" ? `justcall-roster summarize: --format must be markdown or text, not ${format}\n` : SUMMARIZE_USAGE);
    return 2;
  }
  const file = positionals[0] ?? "-";
  let text: string;
  try {
    const fs = await import("node:fs");
    text = file === "-" ? await (io.readStdin ?? (() => readAll(process.stdin)))() : fs.readFileSync(file, "utf8");
  } catch (err: any) {
    io.stderr.write(`justcall-roster summarize: cannot read ${file === "-" ? "standard input" : file}: ${err?.code ?? err?.message ?? err}\n`);
    return 1;
  }
  try {
    io.stdout.write(summarizeEngineJson(text, format));
    return 0;
  } catch (err) {
    if (!(err instanceof SummarizeInputError)) throw err;
    io.stderr.write(`justcall-roster summarize: ${file === "-" ? "standard input" : file}: ${err.message}\n`);
    return 1;
  }
}
