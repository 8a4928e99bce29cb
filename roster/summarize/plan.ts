// The summary of a plan: who is invited, adopted, removed, moved, edited, and what drifted.
import { type EnginePlan, nameOfUrn, type PlanStep, record, type RefreshResult, type ResourceState, TYPE, typeOfUrn } from "./engine-json";
import { isPrivilegedRoleChange } from "./people";
import {
  AGENT_DEFAULT_MANAGED,
  AGENT_FIELDS,
  AGENT_SETTING_DEFAULTS,
  AGENT_SETTINGS,
  errorText,
  label,
  numberOf,
  People,
  samePerson,
  sameValue,
  shown,
  stackOf,
  teamOf,
  type Person,
} from "./people";

export type { Person } from "./people";

export interface NewAgent {
  person: Person;
  teams: string[];
  numbers: string[];
  /** The preview could not ask JustCall whether the email exists (no credentials or network). */
  uncertain?: boolean;
  /** The stack managed this agent before, and JustCall no longer has it. */
  deletedInJustCall?: boolean;
  /** An adoption: each field it writes, JustCall's value → the roster's. */
  writes?: FieldChange[];
}

/** A role change that grants or takes away control of the account (needs JUSTCALL_ALLOW_ROLE_CHANGES). */
export interface RoleChange {
  person: Person;
  from: string;
  to: string;
  /** On adoption (the stack did not manage the agent before) or on update. */
  on: "adoption" | "update";
}

export interface Removal {
  person: Person;
  /**
   * delete: gone from JustCall for good; keep: stays in JustCall, no longer managed; stays:
   * another roster entry now manages the same JustCall agent (its email changed in JustCall).
   */
  action: "delete" | "keep" | "stays";
}

/** One person whose resource changes name, parent or is replaced: the old resource leaves the stack, the person stays. */
export interface Rename {
  person: Person;
  /** The old and the new resource's name (the same for a replace). */
  from: string;
  to: string;
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
  renames: Rename[];
  /** Privileged role changes, promotions to admin first. */
  roleChanges: RoleChange[];
  teamChanges: TeamChange[];
  numberMoves: NumberMove[];
  fieldEdits: PersonChanges[];
  /** preview: JustCall's value → the roster's, put back by up. refresh: the stack's → JustCall's. */
  drift: PersonChanges[];
  /** Agents in JustCall that the roster lacks (authoritative rosters). */
  unmanaged: string[];
  warnings: string[];
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
    renames: [],
    roleChanges: [],
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
  if (plan.failed && summary.failures.length === 0)
    summary.failures.push("the engine reported a failure without a message: see the raw output");
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
  byPerson(s.renames);
  byPerson(s.roleChanges);
  s.roleChanges.sort((a, b) => Number(b.to === "admin") - Number(a.to === "admin"));
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
  // A person whose Agent leaves under one URN and is declared under another (a rename, a move
  // into a component) or the same (a replace) stays in JustCall: the provider's delete sees that
  // another resource of the run holds the agent (provider/run-ledger.ts). Paired by email.
  const isCreate = (op: string) => op === "create" || op === "create-replacement";
  const isDelete = (op: string) => op === "delete" || op === "delete-replaced";
  const agentEmail = (x?: ResourceState) => {
    const email = x?.outputs.email ?? x?.inputs.email;
    return typeof email === "string" ? email.toLowerCase() : undefined;
  };
  const agentSteps = plan.steps.filter((st) => typeOfUrn(st.urn) === TYPE.agent);
  const declaredAgain = new Map(agentSteps.filter((st) => isCreate(st.op)).map((st) => [agentEmail(st.new), st]));
  const sameAgent = new Set<PlanStep>();
  for (const step of agentSteps.filter((st) => isDelete(st.op))) {
    const email = agentEmail(step.old);
    const again = email !== undefined ? declaredAgain.get(email) : undefined;
    if (!again) continue;
    sameAgent.add(step).add(again);
    people.alias(nameOfUrn(step.urn), nameOfUrn(again.urn));
    summary.renames.push({ person: people.byAgentUrn(again.urn), from: nameOfUrn(step.urn), to: nameOfUrn(again.urn) });
  }
  // Agents first: a membership or number of a new or leaving agent is told with that agent.
  for (const step of agentSteps) {
    if (sameAgent.has(step)) continue;
    const person = people.byAgentUrn(step.urn);
    if (step.op === "create" || step.op === "create-replacement") {
      const action = step.new?.inputs.createAction;
      const entry: NewAgent = { person, teams: [], numbers: [] };
      if (refreshed.has(step.urn)) entry.deletedInJustCall = true;
      const writes = Object.entries(record(step.new?.inputs.adoptionWrites)).map(([field, text]) => {
        const [from, to] = String(text).split(" → ");
        return { field, from: from ?? "", to: to ?? "" };
      });
      if (action === "adopt" && writes.length > 0) entry.writes = writes;
      for (const w of writes) {
        if (w.field === "role" && isPrivilegedRoleChange(w.from, w.to))
          summary.roleChanges.push({ person, from: w.from, to: w.to, on: "adoption" });
      }
      if (action === "adopt") summary.adoptions.push(entry);
      else {
        if (action !== "invite") entry.uncertain = true;
        summary.invitations.push(entry);
      }
      createdAgents.set(person.email, entry);
    } else if (step.op === "delete" || step.op === "delete-replaced") {
      const policy = removalPolicy[person.email] ?? removalPolicy[step.old?.inputs.email as string];
      const keep = policy === "keep" || step.old?.retainOnDelete === true;
      summary.removals.push({ person, action: policy === "stays" ? "stays" : keep ? "keep" : "delete" });
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
  // A membership or number that leaves under one name and comes back under another, for the same
  // person, changes nothing in JustCall (the provider leaves it: provider/run-ledger.ts).
  for (const t of summary.teamChanges) {
    const both = t.joins.filter((team) => t.leaves.includes(team));
    t.joins = t.joins.filter((team) => !both.includes(team));
    t.leaves = t.leaves.filter((team) => !both.includes(team));
  }
  summary.teamChanges = summary.teamChanges.filter((t) => t.joins.length + t.leaves.length > 0);
  const key = (p?: Person) => p?.email ?? "";
  summary.numberMoves = summary.numberMoves.filter(
    (m) =>
      !(
        m.to === undefined &&
        summary.numberMoves.some((o) => o !== m && o.number === m.number && o.from === undefined && key(o.to) === key(m.from))
      ) &&
      !(
        m.from === undefined &&
        summary.numberMoves.some((o) => o !== m && o.number === m.number && o.to === undefined && key(o.from) === key(m.to))
      ),
  );
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
    // A setting left out is at its default (the state stores none at its default).
    const from = old.inputs[field] ?? AGENT_SETTING_DEFAULTS[field];
    const to = wanted[field] ?? AGENT_SETTING_DEFAULTS[field];
    if (!sameValue(field, from, to)) edits.push({ field, from: shown(from), to: shown(to) });
  }
  if (edits.length > 0) summary.fieldEdits.push({ person, changes: edits });
  for (const c of [...edits, ...(summary.drift.find((d) => d.person.email === person.email)?.changes ?? [])]) {
    if (c.field === "role" && isPrivilegedRoleChange(c.from, c.to))
      summary.roleChanges.push({ person, from: c.from, to: c.to, on: "update" });
  }
}

function numberStep(
  step: PlanStep,
  refresh: RefreshResult | undefined,
  people: People,
  created: Map<string, NewAgent>,
  summary: RosterSummary,
): void {
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
  const detailed = results.filter(
    (r) => r.after !== undefined && (r.after === null || JSON.stringify(r.after.outputs) !== JSON.stringify(r.before.outputs)),
  ).length;
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
      const managed = Array.isArray(r.before.outputs.managedFields) ? (r.before.outputs.managedFields as string[]) : AGENT_DEFAULT_MANAGED;
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
