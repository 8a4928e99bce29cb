// A refresh preview's results, read into the summary: what changed in JustCall outside the stack.
import { type EnginePlan, nameOfUrn, type RefreshResult, TYPE, typeOfUrn } from "./engine-json";
import { AGENT_DEFAULT_MANAGED, AGENT_VALUE_FIELDS, numberOf, type People, samePerson, sameValue, shown, teamOf } from "./people";
import { driftFor, type RosterSummary, teamChangeFor } from "./summary";

export function summarizeRefresh(plan: EnginePlan, people: People, summary: RosterSummary): void {
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
      for (const field of AGENT_VALUE_FIELDS) {
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
