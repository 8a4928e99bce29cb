/**
 * The data file's JSON form (version 1), and the store written to it and read back from it.
 * It holds secrets: it is the emulator's own disk.
 */
import {
  type Agent,
  byId,
  defaultCapabilities,
  DEFAULT_PLAN,
  FIRST_AGENT_EXTENSION,
  FIRST_TEAM_EXTENSION,
  type Invitation,
  type NextIds,
  type PhoneNumber,
  type Plan,
  type Team,
} from "./state";
import { Store } from "./store";

export interface PersistedState {
  version: 1;
  nextIds: NextIds;
  accounts: Array<{
    name: string;
    apiKey: string;
    apiSecret: string;
    allowedIps: string[] | null;
    /** Absent in files written before v2.1 support: read as DEFAULT_PLAN. */
    plan?: Plan;
    agents: Agent[];
    teams: Team[];
    numbers: PhoneNumber[];
  }>;
  outbox: Invitation[];
}

export function storeToData(store: Store): PersistedState {
  return {
    version: 1,
    nextIds: { ...store.nextIds },
    accounts: [...store.accounts.values()].map((a) => ({
      name: a.name,
      apiKey: a.apiKey,
      apiSecret: a.apiSecret,
      allowedIps: a.allowedIps,
      plan: a.plan,
      agents: store.agents(a).map((x) => ({ ...x })),
      teams: store.teams(a).map((t) => ({ ...t, memberIds: [...t.memberIds] })),
      numbers: store.numbers(a).map((n) => ({
        ...n,
        capabilities: { ...n.capabilities },
        sharedAgentIds: [...n.sharedAgentIds],
        sharedTeamIds: [...n.sharedTeamIds],
      })),
    })),
    outbox: store.outbox.map((i) => ({ ...i })),
  };
}

/** Files written before v2.1 support lack its fields; they get the same defaults a seed would. */
export function storeFromData(data: PersistedState): Store {
  const store = new Store();
  store.nextIds = { ...data.nextIds };
  for (const a of data.accounts) {
    const agents = new Map<number, Agent>();
    let agentExt = FIRST_AGENT_EXTENSION;
    for (const x of [...a.agents].sort(byId)) {
      agents.set(x.id, {
        ...x,
        extension: x.extension ?? agentExt,
        available: x.available ?? true,
        unavailabilityReason: x.unavailabilityReason ?? null,
        lastLoginAt: x.lastLoginAt ?? null,
      });
      agentExt = Math.max(agentExt, (x.extension ?? agentExt) + 1);
    }
    const teams = new Map<number, Team>();
    let teamExt = FIRST_TEAM_EXTENSION;
    for (const t of [...a.teams].sort(byId)) {
      teams.set(t.id, {
        ...t,
        memberIds: [...t.memberIds],
        extension: t.extension ?? teamExt,
        updatedAt: t.updatedAt ?? new Date().toISOString(),
      });
      teamExt = Math.max(teamExt, (t.extension ?? teamExt) + 1);
    }
    store.accounts.set(a.apiKey, {
      name: a.name,
      apiKey: a.apiKey,
      apiSecret: a.apiSecret,
      allowedIps: a.allowedIps,
      plan: a.plan ?? DEFAULT_PLAN,
      agents,
      teams,
      numbers: new Map(
        a.numbers.map((n) => [
          n.id,
          {
            ...n,
            lineName: n.lineName ?? null,
            capabilities: n.capabilities ? { ...n.capabilities } : defaultCapabilities(n.number, n.type),
            sharedAgentIds: [...(n.sharedAgentIds ?? [])],
            sharedTeamIds: [...(n.sharedTeamIds ?? [])],
          },
        ]),
      ),
    });
  }
  store.outbox = data.outbox.map((i) => ({ ...i }));
  return store;
}
