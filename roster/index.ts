// pulumi-justcall/roster: the roster stack as a library, for a GitOps repository's own program.
export { rosterStack, declareRoster, resourceNames, resourceNamesFor, ROSTER_FILE_CONFIG, DEFAULT_ROSTER_FILE } from "./program";
export type { RosterStackOptions, RosterStackOutputs } from "./program";
export { RosterAudit } from "./audit";
export type { RosterAuditArgs } from "./audit";
export { rosterSchema, rosterAgentSchema } from "./schema";
export type { Roster, RosterAgent, AccountCatalog } from "./schema";
export {
  parseRosterText,
  validateRosterData,
  validateRosterText,
  loadRoster,
  formatIssue,
  formatGithubAnnotation,
  formatIssues,
  RosterValidationError,
} from "./validate";
export type { RosterIssue, ValidationResult } from "./validate";
export { exportRoster, rosterYaml } from "./export";
export { rosterJsonSchema } from "./json-schema";
