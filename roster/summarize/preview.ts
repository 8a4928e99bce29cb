// A preview's steps, read into the summary: agents first (new, leaving, renamed, edited), then
// their memberships and numbers.
import { type EnginePlan, nameOfUrn, type PlanStep, record, type RefreshResult, type ResourceState, TYPE, typeOfUrn } from "./engine-json";
import {
  AGENT_VALUE_FIELDS,
  AGENT_SWITCH_DEFAULTS,
  AGENT_SWITCHES,
  isPrivilegedRoleChange,
  label,
  numberOf,
  type People,
  type Person,
  samePerson,
  sameValue,
  shown,
  teamOf,
} from "./people";
import { driftFor, type FieldChange, type NewAgent, type RosterSummary, teamChangeFor } from "./summary";

export function summarizePreview(plan: EnginePlan, people: People, summary: RosterSummary): void {
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
  for (const field of AGENT_VALUE_FIELDS) {
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
  for (const field of AGENT_SWITCHES) {
    // A setting left out is at its default (the state stores none at its default).
    const from = old.inputs[field] ?? AGENT_SWITCH_DEFAULTS[field];
    const to = wanted[field] ?? AGENT_SWITCH_DEFAULTS[field];
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
