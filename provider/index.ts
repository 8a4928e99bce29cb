// pulumi-justcall: JustCall agents, team memberships and number assignments as Pulumi resources.
export { Agent, AgentArgs, AgentOutputs, CreateAction, Role } from "./agent";
export { TeamMembership, TeamMembershipArgs, formatMembershipId, parseMembershipId } from "./team-membership";
export { NumberAssignment, NumberAssignmentArgs } from "./number-assignment";
export { RosterGuard, RosterGuardArgs, OnRemove, ALLOW_REMOVALS_ENV, ALLOW_DESTROY_ENV, defaultRemovalBudget } from "./roster-guard";
export { SETTING_SOURCES, DEFAULT_BASE_URL } from "./settings";
export { getAgentByEmail, getNumbers, getTeams, LookupOptions } from "./lookups";
export { Provider, ProviderArgs } from "./account";
export type { Agent as JustCallAgent, PhoneNumber, Team } from "./client";
/** Called by the provider text Pulumi stores in each resource's state (see provider/runtime.ts); not for programs. */
export { loadProvider } from "./runtime";
