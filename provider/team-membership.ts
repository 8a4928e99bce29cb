// TeamMembership: one agent in one JustCall team. Teams themselves cannot be created through the
// API, so a team is named (resolved through the team list) or given by id.
import type * as pulumi from "@pulumi/pulumi";
import { unsupportedOperation } from "./client";
import { configuredApi, isUnknown, operation, previewRead, type ResourceImplementation, type StoredProvider } from "./runtime";
import { checkFailures } from "./validation";
import { diffResult, replacedFields } from "./diff";
import { inputSchema, missingInputs, type StoredOutputs, withOutputs } from "./fields/field";
import { TEAM_MEMBERSHIP_FIELDS } from "./fields/team-membership";
import { TeamMembershipOutputProperties, type TeamMembershipArgs } from "./resource-types";
import { declareMembership, membershipDeleteDecision } from "./run-ledger";
import type { Team } from "./client";

// ---- schema ---------------------------------------------------------------------------------

export type { TeamMembershipArgs };

/** What the state holds: the table's outputs (the team as JustCall names it, the agent's id as a number). */
export type TeamMembershipOutputs = StoredProvider & StoredOutputs<typeof TEAM_MEMBERSHIP_FIELDS>;

/** The inputs as the engine passes them (any value may be unknown at preview), and as check returns them. */
interface MembershipInputs extends StoredProvider {
  teamName?: string;
  teamId?: number;
  /** An Agent's id (a numeric string) or agentId; check turns the former into the number. */
  agentId?: number | string;
  /** Added by check: the team's id, resolved from its name once. */
  resolvedTeamId?: number;
}

const membershipInputsSchema = inputSchema(TEAM_MEMBERSHIP_FIELDS);

// ---- id -------------------------------------------------------------------------------------

/** The membership's Pulumi id: `teamId:agentId`. */
export function formatMembershipId(teamId: number, agentId: number): string {
  return `${teamId}:${agentId}`;
}

export function parseMembershipId(id: string): { teamId: number; agentId: number } {
  const match = /^([1-9]\d{0,15}):([1-9]\d{0,15})$/.exec(id);
  if (!match) throw new Error(`"${id}" is not a team membership id; expected teamId:agentId, like 10:202`);
  return { teamId: Number(match[1]), agentId: Number(match[2]) };
}

/** An Agent's `id` is a string: held as the number JustCall uses, so previews show ids alike. */
export function agentIdInput<T>(value: T): T | number {
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
}

// ---- check ----------------------------------------------------------------------------------

function sameTeamReference(
  olds: MembershipInputs | undefined,
  news: MembershipInputs,
): olds is MembershipInputs & { resolvedTeamId: number } {
  return olds?.resolvedTeamId !== undefined && olds.teamName === news.teamName && olds.teamId === news.teamId;
}

async function check(olds: MembershipInputs | undefined, news: MembershipInputs): Promise<pulumi.dynamic.CheckResult<MembershipInputs>> {
  const known = Object.fromEntries(Object.entries(news).filter(([k, v]) => !isUnknown(v) && !k.startsWith("__")));
  const parsed = membershipInputsSchema.partial().safeParse(known);
  const failures = parsed.success ? [] : checkFailures(parsed.error);
  failures.push(...missingInputs(TEAM_MEMBERSHIP_FIELDS, news, { team: "give the team either by teamName or by teamId (exactly one)" }));
  if (failures.length > 0) return { inputs: news, failures };
  news = { ...news, agentId: agentIdInput(news.agentId) };
  if (isUnknown(news.teamName) || isUnknown(news.teamId)) return { inputs: news };

  // Resolve the team when it is new to this resource; later previews reuse the answer, so an
  // empty update makes no API call.
  if (sameTeamReference(olds, news)) {
    declareMembership(olds.resolvedTeamId, news.agentId);
    return { inputs: { ...news, resolvedTeamId: olds.resolvedTeamId } };
  }
  const lookup = await previewRead("TeamMembership: team look-up", (client) => client.teams());
  const teamProperty = news.teamName !== undefined ? "teamName" : "teamId";
  if (lookup.outcome === "failed") return { inputs: news, failures: [{ property: teamProperty, reason: lookup.message }] };
  // Without the API (no credentials in a PR preview) the team is resolved at create instead.
  if (lookup.outcome === "skipped") return { inputs: news };
  const teams = lookup.value;
  const team = findTeam(teams, news);
  if (!team) {
    return { inputs: news, failures: [{ property: news.teamName !== undefined ? "teamName" : "teamId", reason: noTeam(news, teams) }] };
  }
  // The published API (v2.1) has no membership writes: a membership the account lacks is a
  // dashboard step, said at preview when the agent is already known.
  const api = await configuredApi();
  const agentId = news.agentId;
  if (typeof agentId === "number" && !team.agentIds.includes(agentId) && !api.canWrite("addTeamMember")) {
    const lookup = await previewRead("TeamMembership: agent look-up", async (client) => (await client.readAgent(agentId))?.email);
    // Only to name the agent in the dashboard step; without it, the step names the agent by id.
    const email = lookup.outcome === "read" ? lookup.value : undefined;
    const step = unsupportedOperation(api.contract, "addTeamMember", { teamId: team.id, teamName: team.name, agentId, email });
    return { inputs: news, failures: [{ property: news.teamName !== undefined ? "teamName" : "teamId", reason: step.message }] };
  }
  declareMembership(team.id, news.agentId);
  return { inputs: { ...news, resolvedTeamId: team.id } };
}

function findTeam(teams: Team[], ref: { teamName?: string; teamId?: number; resolvedTeamId?: number }): Team | undefined {
  const id = ref.resolvedTeamId ?? ref.teamId;
  if (id !== undefined) return teams.find((t) => t.id === id);
  const name = String(ref.teamName).trim().toLowerCase();
  return teams.find((t) => t.name.toLowerCase() === name);
}

function noTeam(ref: { teamName?: string; teamId?: number }, teams: Team[]): string {
  const which = ref.teamName !== undefined ? `named "${ref.teamName}"` : `with id ${ref.teamId}`;
  const known = teams.map((t) => `${t.name} (${t.id})`).join(", ") || "none";
  return `no team ${which} in the JustCall account (teams: ${known}); teams are created in the JustCall dashboard, not through the API`;
}

// ---- diff -----------------------------------------------------------------------------------

async function diff(_id: string, olds: TeamMembershipOutputs, news: MembershipInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = replacedFields(TEAM_MEMBERSHIP_FIELDS, news as Record<string, unknown>, (field) => {
    if (field === "agentId") return Number(news.agentId) === olds.agentId;
    const team = news.resolvedTeamId ?? news.teamId;
    if (isUnknown(team)) return false;
    return team !== undefined ? team === olds.teamId : String(news.teamName).toLowerCase() === String(olds.teamName).toLowerCase();
  });
  if (replaces.length === 0) declareMembership(olds.teamId, olds.agentId);
  // Delete first: a replacement that lands on the same team and agent must not remove what it just added.
  return diffResult(olds, news, { changed: [], replaces, deleteBeforeReplace: true });
}

// ---- create, read, update, delete ------------------------------------------------------------

async function create(inputs: MembershipInputs): Promise<pulumi.dynamic.CreateResult<TeamMembershipOutputs>> {
  const agentId = Number(inputs.agentId);
  return operation(`TeamMembership ${inputs.teamName ?? inputs.teamId} / agent ${agentId}: create`, async (client) => {
    const teams = await client.teams();
    const team = findTeam(teams, inputs);
    if (!team) throw new Error(noTeam(inputs, teams));
    // Already a member (added in the dashboard, or by an interrupted run): adopted with no
    // write; a member added since the team list was read answers 409, also adopted by the client.
    if (!team.agentIds.includes(agentId)) await client.addTeamMember(team.id, agentId);
    declareMembership(team.id, agentId);
    const outs: TeamMembershipOutputs = { teamId: team.id, teamName: team.name, agentId };
    return { id: formatMembershipId(team.id, agentId), outs };
  });
}

async function read(
  id: string,
  props?: TeamMembershipOutputs,
): Promise<{ id: string; props: TeamMembershipOutputs | Record<string, never> }> {
  const { teamId, agentId } = parseMembershipId(id);
  return operation(`TeamMembership ${props?.teamName ?? teamId} / agent ${agentId}: read`, async (client) => {
    const team = (await client.teams()).find((t) => t.id === teamId);
    // Removed from the team (or the team is gone): refresh drops it, the next up adds it again.
    if (!team?.agentIds.includes(agentId)) return { id: "", props: {} };
    // A membership has no fields that drift: the inputs stay as the program gave them.
    return { id, props: { ...props, teamId, teamName: team.name, agentId } };
  });
}

async function update(
  _id: string,
  olds: TeamMembershipOutputs,
  _news: MembershipInputs,
): Promise<pulumi.dynamic.UpdateResult<TeamMembershipOutputs>> {
  // Identity changes replace (see diff); what is left is a new provider build: no API call.
  return { outs: { ...olds } };
}

async function remove(id: string, props: TeamMembershipOutputs): Promise<void> {
  const { teamId, agentId } = parseMembershipId(id);
  // Decided in one place (run-ledger.ts): held by another membership of this run, or its agent kept.
  if (membershipDeleteDecision(teamId, agentId).action !== "delete") return;
  await operation(`TeamMembership ${props.teamName ?? teamId} / agent ${agentId}: delete`, async (client) => {
    await client.removeTeamMember(teamId, agentId);
  });
}

type Implementation = ResourceImplementation<MembershipInputs, TeamMembershipOutputs>;
export const teamMembershipProvider: Implementation = { check, diff, create, read, update, delete: remove };

// ---- the resource -----------------------------------------------------------------------------

/** An agent's membership in a team. Id `teamId:agentId`; a change of team or agent replaces it. */
export class TeamMembership extends TeamMembershipOutputProperties {
  constructor(name: string, args: TeamMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super("TeamMembership", name, withOutputs(TEAM_MEMBERSHIP_FIELDS, args), opts);
  }
}
