/**
 * The v1 JSON shapes of the guide ("User object / data model", "List Teams", "List Phone
 * Numbers"), rendered from the API-neutral state.
 */
import { Account, Agent, PhoneNumber, Store, Team } from './state';

export interface V1NumberBrief {
  id: number;
  number: string;
  country: string;
  type: string;
}

export interface V1Agent {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  phone: string | null;
  timezone: string | null;
  role: string;
  status: string;
  created_at: string;
  numbers: V1NumberBrief[];
}

/** The same agent keyed `agent_id`: the guide says some payloads carry it instead of `id`. */
export type V1AgentWithAgentId = Omit<V1Agent, 'id'> & { agent_id: number };

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
