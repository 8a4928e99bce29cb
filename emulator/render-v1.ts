/**
 * The v1 JSON shapes of the guide ("User object / data model", "List Teams", "List Phone
 * Numbers"), rendered from the API-neutral state.
 */
import type { Account, Agent, AgentFields, PhoneNumber, Team } from "./state";
import type { Store } from "./store";

export interface V1NumberBrief {
  id: number;
  number: string;
  country: string;
  type: string;
}

/** The profile fields keep their names in v1; only the id, creation date and numbers are added. */
export interface V1Agent extends AgentFields {
  id: number;
  created_at: string;
  numbers: V1NumberBrief[];
}

/** The same agent keyed `agent_id`: the guide says some payloads carry it instead of `id`. */
export type V1AgentWithAgentId = Omit<V1Agent, "id"> & { agent_id: number };

export function numbersByOwner(store: Store, account: Account): Map<number, V1NumberBrief[]> {
  const map = new Map<number, V1NumberBrief[]>();
  for (const n of store.numbers(account)) {
    if (n.ownerId === null) continue;
    let list = map.get(n.ownerId);
    if (!list) map.set(n.ownerId, (list = []));
    list.push({ id: n.id, number: n.number, country: n.country, type: n.type });
  }
  return map;
}

export function v1Agent(agent: Agent, owned: Map<number, V1NumberBrief[]>): V1Agent {
  return {
    id: agent.id,
    firstname: agent.firstname,
    lastname: agent.lastname,
    email: agent.email,
    phone: agent.phone,
    timezone: agent.timezone,
    role: agent.role,
    status: agent.status,
    created_at: agent.createdAt,
    numbers: owned.get(agent.id) ?? [],
  };
}

export function withAgentId(agent: V1Agent): V1AgentWithAgentId {
  const { id, ...rest } = agent;
  return { agent_id: id, ...rest };
}

export function v1Team(team: Team): { id: number; name: string; agents: number[] } {
  return { id: team.id, name: team.name, agents: [...team.memberIds] };
}

export interface V1PhoneNumber {
  id: number;
  number: string;
  country: string;
  type: string;
  assigned_to: number | null;
}

export function v1Number(n: PhoneNumber): V1PhoneNumber {
  return { id: n.id, number: n.number, country: n.country, type: n.type, assigned_to: n.ownerId };
}

// ---- the guide's shapes (`--shapes guide`): each endpoint prints exactly its example's fields ----

/** Guide, List Agents: {"id","firstname","lastname","email","role"}. */
export function guideListedAgent(a: Agent) {
  return { id: a.id, firstname: a.firstname, lastname: a.lastname, email: a.email, role: a.role };
}

/** Guide, Get Agent: {"id","firstname","lastname","email","timezone"} (no role). */
export function guideFetchedAgent(a: Agent) {
  return { id: a.id, firstname: a.firstname, lastname: a.lastname, email: a.email, timezone: a.timezone };
}

/**
 * Guide, Create Agent: the id, names and email. Keyed `agent_id`: the guide's create scenario says
 * "Capture the returned agent_id", and "agent_id may appear interchangeably with 'id' depending
 * on endpoint" (its printed example shows `id`; the client's contract test covers that form).
 */
export function guideCreatedAgent(a: Agent) {
  return { agent_id: a.id, firstname: a.firstname, lastname: a.lastname, email: a.email };
}

/** Guide, Update Agent: the id and the changed fields only, e.g. {"id":202,"firstname":"Jonathan","timezone":"Europe/London"}. */
export function guideUpdatedAgent(a: Agent, changed: readonly string[]) {
  const out: Record<string, unknown> = { id: a.id };
  for (const key of changed) out[key] = a[key as keyof Agent];
  return out;
}

/** Guide, List Phone Numbers: {"id","number","assigned_to","type"} (no country). */
export function guideNumber(n: PhoneNumber) {
  return { id: n.id, number: n.number, assigned_to: n.ownerId, type: n.type };
}
