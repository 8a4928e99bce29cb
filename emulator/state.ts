/**
 * The account state behind every API surface. It is deliberately API-neutral (separate
 * firstname/lastname, teams holding member ids, numbers holding an owner id) so that the v1
 * routes of the guide and the published v2.1 API both render it in their own shapes. Fields
 * only v2.1 shows (extensions, availability, last login, number sharing, the plan) live here
 * too, so a change through either API is visible through the other.
 *
 * Ids are unique per kind across all accounts, so an id from another account is simply "not in
 * this account" and answers 404, as the guide says for GET /v1/agents/{agent_id}.
 */
import { conflict } from './errors';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** `Pending` until the invitation is accepted; the others are availability states. */
export const AGENT_STATUSES = ['Pending', 'Offline', 'Online', 'Busy'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** JustCall's plans as far as the API cares: they set the v2.1 rate limits. */
export const PLANS = ['team', 'pro', 'business'] as const;
export type Plan = (typeof PLANS)[number];
export const DEFAULT_PLAN: Plan = 'team';

export interface Agent {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  phone: string | null;
  timezone: string | null;
  /** One of ROLES, or (set through the admin API, as in the dashboard) another role's name, e.g. "Account Owner". */
  role: string;
  status: AgentStatus;
  createdAt: string;
  /** Unique among the account's agents; handed out from 1001. */
  extension: number;
  /** Whether the agent takes calls; independent of `status` (which says whether they are connected). */
  available: boolean;
  /** Only meaningful while unavailable; cleared when the agent becomes available. */
  unavailabilityReason: string | null;
  lastLoginAt: string | null;
}

/** The fields of an agent's profile, the part the v1 API and admin edits write. */
export type AgentFields = Pick<Agent, 'firstname' | 'lastname' | 'email' | 'phone' | 'timezone' | 'role' | 'status'>;

export interface Team {
  id: number;
  name: string;
  /** In the order the agents joined. */
  memberIds: number[];
  /** Unique among the account's teams; handed out from 2001. */
  extension: number;
  /** Last change of name or membership. */
  updatedAt: string;
}

export interface Capabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
}

export interface PhoneNumber {
  id: number;
  number: string;
  country: string;
  type: string;
  ownerId: number | null;
  /** The line's display name in the dashboard; null when none was given. */
  lineName: string | null;
  capabilities: Capabilities;
  /** Agents and teams the number is shared with, besides its owner. */
  sharedAgentIds: number[];
  sharedTeamIds: number[];
}

export type NumberFields = Pick<PhoneNumber, 'number' | 'country' | 'type' | 'ownerId'> &
  Partial<Pick<PhoneNumber, 'lineName' | 'capabilities' | 'sharedAgentIds' | 'sharedTeamIds'>>;

/** What a number can do when the seed does not say: US/CA numbers do MMS, toll-free ones do not. */
export function defaultCapabilities(number: string, type: string): Capabilities {
  return { voice: true, sms: true, mms: number.startsWith('+1') && type !== 'toll_free' };
}

export const FIRST_AGENT_EXTENSION = 1001;
export const FIRST_TEAM_EXTENSION = 2001;

export interface Account {
  name: string;
  apiKey: string;
  apiSecret: string;
  /** null: any IP may use the key. */
  allowedIps: string[] | null;
  plan: Plan;
  agents: Map<number, Agent>;
  teams: Map<number, Team>;
  numbers: Map<number, PhoneNumber>;
}

export interface Invitation {
  id: number;
  agentId: number;
  email: string;
  /** The API key of the account that sent it. */
  account: string;
  sentAt: string;
}

export interface NextIds {
  agent: number;
  team: number;
  number: number;
  invitation: number;
}

/** First ids handed out, shaped like the guide's examples (agent 101, team 10, number 5). */
export const FIRST_IDS: NextIds = { agent: 101, team: 10, number: 5, invitation: 1 };

/** The JSON form used by the data file. It holds secrets: it is the emulator's own disk. */
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

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

export class Store {
  readonly accounts = new Map<string, Account>();
  outbox: Invitation[] = [];
  nextIds: NextIds = { ...FIRST_IDS };
  /** Called after every mutation; persistence hooks in here. */
  onChange: () => void = () => {};

  account(apiKey: string): Account | undefined {
    return this.accounts.get(apiKey);
  }

  addAccount(account: Omit<Account, 'agents' | 'teams' | 'numbers' | 'plan'> & { plan?: Plan }): Account {
    if (this.accounts.has(account.apiKey)) {
      throw conflict(`apiKey: an account with api key ${account.apiKey} already exists`);
    }
    const created: Account = { ...account, plan: account.plan ?? DEFAULT_PLAN, agents: new Map(), teams: new Map(), numbers: new Map() };
    this.accounts.set(account.apiKey, created);
    this.onChange();
    return created;
  }

  /** Sorted by id ascending, the order every list endpoint uses. */
  agents(account: Account): Agent[] {
    return [...account.agents.values()].sort(byId);
  }

  teams(account: Account): Team[] {
    return [...account.teams.values()].sort(byId);
  }

  numbers(account: Account): PhoneNumber[] {
    return [...account.numbers.values()].sort(byId);
  }

  numbersOf(account: Account, agentId: number): PhoneNumber[] {
    return this.numbers(account).filter((n) => n.ownerId === agentId);
  }

  /** Finds an agent in any account: the admin API addresses agents by id alone. */
  locateAgent(id: number): { account: Account; agent: Agent } | undefined {
    for (const account of this.accounts.values()) {
      const agent = account.agents.get(id);
      if (agent) return { account, agent };
    }
    return undefined;
  }

  locateTeam(id: number): { account: Account; team: Team } | undefined {
    for (const account of this.accounts.values()) {
      const team = account.teams.get(id);
      if (team) return { account, team };
    }
    return undefined;
  }

  locateNumber(id: number): { account: Account; number: PhoneNumber } | undefined {
    for (const account of this.accounts.values()) {
      const number = account.numbers.get(id);
      if (number) return { account, number };
    }
    return undefined;
  }

  /** Email is unique per account, compared case-insensitively (guide: "Must be unique within the account"). */
  private assertEmailFree(account: Account, email: string, exceptId?: number): void {
    const wanted = email.toLowerCase();
    for (const agent of account.agents.values()) {
      if (agent.id !== exceptId && agent.email.toLowerCase() === wanted) {
        throw conflict(`email: an agent with email ${email} already exists`);
      }
    }
  }

  teamsOf(account: Account, agentId: number): Team[] {
    return this.teams(account).filter((t) => t.memberIds.includes(agentId));
  }

  private static nextExtension(taken: Iterable<{ extension: number }>, first: number): number {
    let max = first - 1;
    for (const x of taken) max = Math.max(max, x.extension);
    return max + 1;
  }

  private assertExtensionFree(taken: Iterable<{ id: number; extension: number }>, extension: number, kind: string): void {
    for (const x of taken) {
      if (x.extension === extension) throw conflict(`extension: ${kind} ${x.id} already has extension ${extension}`);
    }
  }

  createAgent(
    account: Account,
    fields: AgentFields,
    options: {
      invite: boolean;
      id?: number;
      createdAt?: string;
      extension?: number;
      available?: boolean;
      unavailabilityReason?: string | null;
      lastLoginAt?: string | null;
    },
  ): Agent {
    this.assertEmailFree(account, fields.email);
    const id = options.id ?? this.nextIds.agent;
    if (this.locateAgent(id)) throw conflict(`id: agent ${id} already exists`);
    if (options.extension !== undefined) this.assertExtensionFree(account.agents.values(), options.extension, 'agent');
    this.nextIds.agent = Math.max(this.nextIds.agent, id + 1);
    const available = options.available ?? true;
    const agent: Agent = {
      id,
      ...fields,
      createdAt: options.createdAt ?? new Date().toISOString(),
      extension: options.extension ?? Store.nextExtension(account.agents.values(), FIRST_AGENT_EXTENSION),
      available,
      unavailabilityReason: available ? null : (options.unavailabilityReason ?? null),
      lastLoginAt: options.lastLoginAt ?? null,
    };
    account.agents.set(id, agent);
    if (options.invite) {
      this.outbox.push({
        id: this.nextIds.invitation++,
        agentId: id,
        email: agent.email,
        account: account.apiKey,
        sentAt: new Date().toISOString(),
      });
    }
    this.onChange();
    return agent;
  }

  updateAgent(account: Account, agent: Agent, fields: Partial<AgentFields>): Agent {
    if (fields.email !== undefined) this.assertEmailFree(account, fields.email, agent.id);
    Object.assign(agent, fields);
    this.onChange();
    return agent;
  }

  /** The v2.1 availability write: becoming available clears the reason. */
  setAvailability(agent: Agent, available: boolean, reason: string | null): Agent {
    agent.available = available;
    agent.unavailabilityReason = available ? null : reason;
    this.onChange();
    return agent;
  }

  recordLogin(agent: Agent, at = new Date().toISOString()): Agent {
    agent.lastLoginAt = at;
    this.onChange();
    return agent;
  }

  /** Permanent. Numbers the agent held become unassigned and it leaves every team (the loss the guide warns about). */
  deleteAgent(account: Account, agent: Agent): void {
    account.agents.delete(agent.id);
    const now = new Date().toISOString();
    for (const team of account.teams.values()) {
      if (!team.memberIds.includes(agent.id)) continue;
      team.memberIds = team.memberIds.filter((id) => id !== agent.id);
      team.updatedAt = now;
    }
    for (const number of account.numbers.values()) {
      if (number.ownerId === agent.id) number.ownerId = null;
      number.sharedAgentIds = number.sharedAgentIds.filter((id) => id !== agent.id);
    }
    this.onChange();
  }

  addTeam(account: Account, name: string, id?: number, extension?: number): Team {
    for (const team of account.teams.values()) {
      if (team.name.toLowerCase() === name.toLowerCase()) {
        throw conflict(`name: a team named ${name} already exists`);
      }
    }
    const teamId = id ?? this.nextIds.team;
    if (this.locateTeam(teamId)) throw conflict(`id: team ${teamId} already exists`);
    if (extension !== undefined) this.assertExtensionFree(account.teams.values(), extension, 'team');
    this.nextIds.team = Math.max(this.nextIds.team, teamId + 1);
    const team: Team = {
      id: teamId,
      name,
      memberIds: [],
      extension: extension ?? Store.nextExtension(account.teams.values(), FIRST_TEAM_EXTENSION),
      updatedAt: new Date().toISOString(),
    };
    account.teams.set(teamId, team);
    this.onChange();
    return team;
  }

  /** Returns false when the agent already was a member. */
  addMember(team: Team, agentId: number): boolean {
    if (team.memberIds.includes(agentId)) return false;
    team.memberIds.push(agentId);
    team.updatedAt = new Date().toISOString();
    this.onChange();
    return true;
  }

  /** Returns false when the agent was not a member. */
  removeMember(team: Team, agentId: number): boolean {
    const before = team.memberIds.length;
    team.memberIds = team.memberIds.filter((id) => id !== agentId);
    if (team.memberIds.length === before) return false;
    team.updatedAt = new Date().toISOString();
    this.onChange();
    return true;
  }

  addNumber(account: Account, fields: NumberFields, id?: number): PhoneNumber {
    for (const other of this.accounts.values()) {
      for (const existing of other.numbers.values()) {
        if (existing.number === fields.number) {
          throw conflict(`number: ${fields.number} already exists`);
        }
      }
    }
    const numberId = id ?? this.nextIds.number;
    if (this.locateNumber(numberId)) throw conflict(`id: number ${numberId} already exists`);
    this.nextIds.number = Math.max(this.nextIds.number, numberId + 1);
    const number: PhoneNumber = {
      id: numberId,
      ...fields,
      lineName: fields.lineName ?? null,
      capabilities: fields.capabilities ?? defaultCapabilities(fields.number, fields.type),
      sharedAgentIds: [...(fields.sharedAgentIds ?? [])],
      sharedTeamIds: [...(fields.sharedTeamIds ?? [])],
    };
    account.numbers.set(numberId, number);
    this.onChange();
    return number;
  }

  assignNumber(number: PhoneNumber, ownerId: number | null): PhoneNumber {
    number.ownerId = ownerId;
    this.onChange();
    return number;
  }

  /** Replaces whom the number is shared with (the ids are already checked to be in its account). */
  shareNumber(number: PhoneNumber, agentIds: number[], teamIds: number[]): PhoneNumber {
    number.sharedAgentIds = [...new Set(agentIds)];
    number.sharedTeamIds = [...new Set(teamIds)];
    this.onChange();
    return number;
  }

  setPlan(account: Account, plan: Plan): Account {
    account.plan = plan;
    this.onChange();
    return account;
  }

  toData(): PersistedState {
    return {
      version: 1,
      nextIds: { ...this.nextIds },
      accounts: [...this.accounts.values()].map((a) => ({
        name: a.name,
        apiKey: a.apiKey,
        apiSecret: a.apiSecret,
        allowedIps: a.allowedIps,
        plan: a.plan,
        agents: this.agents(a).map((x) => ({ ...x })),
        teams: this.teams(a).map((t) => ({ ...t, memberIds: [...t.memberIds] })),
        numbers: this.numbers(a).map((n) => ({
          ...n,
          capabilities: { ...n.capabilities },
          sharedAgentIds: [...n.sharedAgentIds],
          sharedTeamIds: [...n.sharedTeamIds],
        })),
      })),
      outbox: this.outbox.map((i) => ({ ...i })),
    };
  }

  /** Files written before v2.1 support lack its fields; they get the same defaults a seed would. */
  static fromData(data: PersistedState): Store {
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
        teams.set(t.id, { ...t, memberIds: [...t.memberIds], extension: t.extension ?? teamExt, updatedAt: t.updatedAt ?? new Date().toISOString() });
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
}
