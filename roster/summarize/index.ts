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

export { nameOfUrn, parseEngineJson, SummarizeInputError } from "./engine-json";
export type { EngineDiagnostic, EnginePlan, PlanStep, RefreshResult, ResourceState } from "./engine-json";
export { summarizePlan } from "./plan";
export type { FieldChange, NewAgent, NumberMove, Person, PersonChanges, Removal, RosterSummary, TeamChange } from "./summary";
export { renderMarkdown, renderText, summarizeEngineJson } from "./render";
export type { SummaryFormat } from "./render";
export { SUMMARIZE_USAGE, summarizeCommand } from "./command";
export type { SummarizeIo } from "./command";
