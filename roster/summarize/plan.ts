// The summary of a plan: the engine's diagnostics, then the preview's steps (preview.ts) or the
// refresh's results (refresh.ts), sorted.
import { type EnginePlan, nameOfUrn, TYPE, typeOfUrn } from "./engine-json";
import { errorText, People, type Person, stackOf } from "./people";
import { summarizePreview } from "./preview";
import { summarizeRefresh } from "./refresh";
import type { FieldChange, RosterSummary } from "./summary";

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
