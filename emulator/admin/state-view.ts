/**
 * The state view: what the admin API shows of the state (GET /__admin/state, AdminClient.state()),
 * in the emulator's own shapes, independent of any JustCall API version. The v2.1-only fields of
 * agents, teams and numbers are kept in separate "extras" lists, so the v1-era shapes stayed as
 * they were when v2.1 came.
 */
import { v1Number, v1Team } from "../render-v1";
import type { Account, Agent, AgentFields, Capabilities, Invitation, PhoneNumber, Plan, Team } from "../state";
import type { Store } from "../store";

/** The agent's profile under its v1 names, with its id and creation date; no numbers. */
export interface AdminAgent extends AgentFields {
  id: number;
  created_at: string;
}

export interface AdminTeam {
  id: number;
  name: string;
  agents: number[];
}

export interface AdminNumber {
  id: number;
  number: string;
  country: string;
  type: string;
  assigned_to: number | null;
}

/** What the v2.1 API shows of an agent beyond the v1 fields (kept apart so AdminAgent stays as it was). */
export interface AdminAgentExtra {
  id: number;
  extension: number;
  available: boolean;
  unavailability_reason: string | null;
  last_login_at: string | null;
}

export interface AdminTeamExtra {
  id: number;
  extension: number;
  updated_at: string;
}

export interface AdminNumberExtra {
  id: number;
  line_name: string | null;
  capabilities: Capabilities;
  shared_agents: number[];
  shared_teams: number[];
}

export interface AdminAccount {
  name: string;
  apiKey: string;
  allowedIps: string[] | null;
  plan: Plan;
  agents: AdminAgent[];
  teams: AdminTeam[];
  numbers: AdminNumber[];
  agentExtras: AdminAgentExtra[];
  teamExtras: AdminTeamExtra[];
  numberExtras: AdminNumberExtra[];
}

export interface StateView {
  accounts: AdminAccount[];
  outbox: Invitation[];
}

export function adminAgent(a: Agent): AdminAgent {
  return {
    id: a.id,
    firstname: a.firstname,
    lastname: a.lastname,
    email: a.email,
    phone: a.phone,
    timezone: a.timezone,
    role: a.role,
    status: a.status,
    created_at: a.createdAt,
  };
}

export function adminAgentExtra(a: Agent): AdminAgentExtra {
  return {
    id: a.id,
    extension: a.extension,
    available: a.available,
    unavailability_reason: a.unavailabilityReason,
    last_login_at: a.lastLoginAt,
  };
}

export function adminTeamExtra(t: Team): AdminTeamExtra {
  return { id: t.id, extension: t.extension, updated_at: t.updatedAt };
}

export function adminNumberExtra(n: PhoneNumber): AdminNumberExtra {
  return {
    id: n.id,
    line_name: n.lineName,
    capabilities: { ...n.capabilities },
    shared_agents: [...n.sharedAgentIds],
    shared_teams: [...n.sharedTeamIds],
  };
}

/** Teams and numbers are shown in their v1 shapes. Never includes secrets. */
function adminAccount(store: Store, a: Account): AdminAccount {
  return {
    name: a.name,
    apiKey: a.apiKey,
    allowedIps: a.allowedIps,
    plan: a.plan,
    agents: store.agents(a).map(adminAgent),
    teams: store.teams(a).map(v1Team),
    numbers: store.numbers(a).map(v1Number),
    agentExtras: store.agents(a).map(adminAgentExtra),
    teamExtras: store.teams(a).map(adminTeamExtra),
    numberExtras: store.numbers(a).map(adminNumberExtra),
  };
}

export function stateView(store: Store): StateView {
  return {
    accounts: [...store.accounts.values()].map((a) => adminAccount(store, a)),
    outbox: store.outbox.map((i) => ({ ...i })),
  };
}
