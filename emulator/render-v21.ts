/**
 * The JSON shapes of JustCall's published v2.1 API (users, user groups, phone numbers), rendered
 * from the same API-neutral state the v1 routes use. Where the published reference names a field
 * without fixing its form, the choice is listed under "v2.1 assumptions" in docs/emulator.md.
 */
import type { Account, Agent, Capabilities, PhoneNumber, Team } from "./state";
import type { Store } from "./store";

export interface V21GroupRef {
  id: number;
  name: string;
}

export interface V21NumberRef {
  id: number;
  justcall_number: string;
}

export interface V21User {
  id: number;
  /** One field: firstname + " " + lastname. */
  name: string;
  email: string;
  role: string;
  extension: number;
  groups: V21GroupRef[];
  owned_numbers: V21NumberRef[];
  shared_numbers: V21NumberRef[];
  created_at: string;
  last_login_timestamp: string | null;
  timezone: string | null;
  working_hours_type: string;
  available: "Yes" | "No";
  unavailability_reason: string | null;
  on_call: "Yes" | "No";
}

export interface V21Member {
  id: number;
  name: string;
  email: string;
  role: string;
  timezone: string | null;
  extension: number;
}

export interface V21UserGroup {
  id: number;
  group_name: string;
  group_extension: number;
  total_members: number;
  updated_on: string;
  members: V21Member[];
}

export interface V21Person {
  id: number;
  email: string;
  name: string;
}

export interface V21PhoneNumber {
  id: number;
  justcall_number: string;
  friendly_number: string;
  justcall_line_name: string | null;
  number_type: string;
  number_owner: V21Person | null;
  shared_with: { team_members: V21Person[]; user_groups: V21GroupRef[] };
  capabilities: Capabilities;
}

/** Every user has the dashboard's default working hours: the emulator models no schedules. */
export const WORKING_HOURS_TYPE = "Always Open";

export const fullName = (a: Agent) => `${a.firstname} ${a.lastname}`;
const yesNo = (b: boolean): "Yes" | "No" => (b ? "Yes" : "No");

/** NANP numbers as "(415) 555-0100"; others keep their E.164 form. */
export function friendlyNumber(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

const person = (a: Agent): V21Person => ({ id: a.id, email: a.email, name: fullName(a) });
const numberRef = (n: PhoneNumber): V21NumberRef => ({ id: n.id, justcall_number: n.number });

/** The account's agents with these ids, in the ids' order; ids of agents since deleted are skipped. */
function agentsWithIds(account: Account, ids: number[]): Agent[] {
  return ids.map((id) => account.agents.get(id)).filter((a): a is Agent => a !== undefined);
}

function teamsWithIds(account: Account, ids: number[]): Team[] {
  return ids.map((id) => account.teams.get(id)).filter((t): t is Team => t !== undefined);
}

/** `role` as the shapes in effect print it. */
const groupMember = (a: Agent, role: string): V21Member => ({
  id: a.id,
  name: fullName(a),
  email: a.email,
  role,
  timezone: a.timezone,
  extension: a.extension,
});

const ownerOf = (account: Account, n: PhoneNumber): Agent | undefined => (n.ownerId === null ? undefined : account.agents.get(n.ownerId));

export function v21User(store: Store, account: Account, agent: Agent): V21User {
  const numbers = store.numbers(account);
  return {
    id: agent.id,
    name: fullName(agent),
    email: agent.email,
    role: agent.role,
    extension: agent.extension,
    groups: store.teamsOf(account, agent.id).map((t) => ({ id: t.id, name: t.name })),
    owned_numbers: numbers.filter((n) => n.ownerId === agent.id).map(numberRef),
    shared_numbers: numbers.filter((n) => n.sharedAgentIds.includes(agent.id)).map(numberRef),
    created_at: agent.createdAt,
    last_login_timestamp: agent.lastLoginAt,
    timezone: agent.timezone,
    working_hours_type: WORKING_HOURS_TYPE,
    available: yesNo(agent.available),
    unavailability_reason: agent.available ? null : agent.unavailabilityReason,
    // "On a call" is the Busy status that the admin API (the dashboard) sets.
    on_call: yesNo(agent.status === "Busy"),
  };
}

export function v21UserGroup(account: Account, team: Team): V21UserGroup {
  const members = agentsWithIds(account, team.memberIds).map((a) => groupMember(a, a.role));
  return {
    id: team.id,
    group_name: team.name,
    group_extension: team.extension,
    total_members: members.length,
    updated_on: team.updatedAt,
    members,
  };
}

export function v21PhoneNumber(account: Account, n: PhoneNumber): V21PhoneNumber {
  const owner = ownerOf(account, n);
  return {
    id: n.id,
    justcall_number: n.number,
    friendly_number: friendlyNumber(n.number),
    justcall_line_name: n.lineName,
    number_type: n.type,
    number_owner: owner ? person(owner) : null,
    shared_with: {
      team_members: agentsWithIds(account, n.sharedAgentIds).map(person),
      user_groups: teamsWithIds(account, n.sharedTeamIds).map((t) => ({ id: t.id, name: t.name })),
    },
    capabilities: { ...n.capabilities },
  };
}

// ---- the published reference's example values (`--shapes guide` for v2.1) ----

/** The reference prints roles capitalised ("Admin"; a fixture shows "Agent"); other role names as the dashboard has them. */
export function referenceRole(role: string): string {
  return ({ agent: "Agent", supervisor: "Supervisor", admin: "Admin" } as Record<string, string>)[role] ?? role;
}

/** The reference prints dates as "2025-01-01 10:00:00" (UTC, not ISO 8601). */
export function referenceDate(iso: string): string;
export function referenceDate(iso: string | null): string | null;
export function referenceDate(iso: string | null): string | null {
  return iso === null ? null : new Date(iso).toISOString().slice(0, 19).replace("T", " ");
}

/** The reference prints numbers as "12707705XXX": digits, no plus. */
export const referenceNumber = (e164: string) => e164.replace(/^\+/, "");

export function referenceUser(store: Store, account: Account, agent: Agent) {
  const numbers = store.numbers(account);
  return {
    id: agent.id,
    name: fullName(agent),
    email: agent.email,
    role: referenceRole(agent.role),
    extension: agent.extension,
    groups: store.teamsOf(account, agent.id).map((t) => ({ group_id: t.id, group_name: t.name })),
    owned_numbers: numbers.filter((n) => n.ownerId === agent.id).map((n) => referenceNumber(n.number)),
    shared_numbers: numbers.filter((n) => n.sharedAgentIds.includes(agent.id)).map((n) => referenceNumber(n.number)),
    created_at: referenceDate(agent.createdAt),
    last_login_timestamp: referenceDate(agent.lastLoginAt),
    timezone: agent.timezone,
    working_hours_type: WORKING_HOURS_TYPE,
    available: yesNo(agent.available),
    unavailability_reason: agent.available ? null : agent.unavailabilityReason,
    on_call: yesNo(agent.status === "Busy"),
  };
}

export function referenceUserGroup(account: Account, team: Team) {
  const members = agentsWithIds(account, team.memberIds).map((a) => groupMember(a, referenceRole(a.role)));
  return {
    id: team.id,
    group_name: team.name,
    group_extension: String(team.extension),
    updated_on: referenceDate(team.updatedAt),
    total_members: members.length,
    members,
  };
}

/** The reference: "Local", "mobile", "toll_free": only local is printed capitalised. */
const referenceNumberType = (type: string) => (type === "local" ? "Local" : type);

export function referencePhoneNumber(account: Account, n: PhoneNumber) {
  const owner = ownerOf(account, n);
  return {
    id: n.id,
    justcall_number: referenceNumber(n.number),
    friendly_number: friendlyNumber(n.number),
    justcall_line_name: n.lineName,
    current_status: "Available",
    number_type: referenceNumberType(n.type),
    number_owner: owner ? person(owner) : null,
    shared_with: {
      team_members: agentsWithIds(account, n.sharedAgentIds).map(person),
      user_groups: teamsWithIds(account, n.sharedTeamIds).map((t) => ({ group_id: t.id, group_name: t.name })),
    },
    capabilities: { call: yesNo(n.capabilities.voice), sms: yesNo(n.capabilities.sms), mms: yesNo(n.capabilities.mms) },
  };
}
