/**
 * The account state behind every API surface. It is deliberately API-neutral (separate
 * firstname/lastname, teams holding member ids, numbers holding an owner id) so that the v1
 * routes of the guide and a later v2.1 read API can both render it in their own shapes.
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

export interface Agent {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  phone: string | null;
  timezone: string | null;
  role: Role;
  status: AgentStatus;
  createdAt: string;
}

export interface Team {
  id: number;
  name: string;
  /** In the order the agents joined. */
  memberIds: number[];
}

export interface PhoneNumber {
  id: number;
  number: string;
  country: string;
  type: string;
  ownerId: number | null;
}

export interface Account {
  name: string;
  apiKey: string;
  apiSecret: string;
  /** null: any IP may use the key. */
  allowedIps: string[] | null;
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

export type AgentFields = Omit<Agent, 'id' | 'createdAt'>;

/** The JSON form used by the data file. It holds secrets: it is the emulator's own disk. */
export interface PersistedState {
  version: 1;
  nextIds: NextIds;
  accounts: Array<{
    name: string;
    apiKey: string;
    apiSecret: string;
    allowedIps: string[] | null;
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

  addAccount(account: Omit<Account, 'agents' | 'teams' | 'numbers'>): Account {
    if (this.accounts.has(account.apiKey)) {
      throw conflict(`apiKey: an account with api key ${account.apiKey} already exists`);
    }
    const created: Account = { ...account, agents: new Map(), teams: new Map(), numbers: new Map() };
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

  createAgent(
    account: Account,
    fields: AgentFields,
    options: { invite: boolean; id?: number; createdAt?: string },
  ): Agent {
    this.assertEmailFree(account, fields.email);
    const id = options.id ?? this.nextIds.agent;
    if (this.locateAgent(id)) throw conflict(`id: agent ${id} already exists`);
    this.nextIds.agent = Math.max(this.nextIds.agent, id + 1);
    const agent: Agent = { id, ...fields, createdAt: options.createdAt ?? new Date().toISOString() };
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

  /** Permanent. Numbers the agent held become unassigned and it leaves every team (the loss the guide warns about). */
  deleteAgent(account: Account, agent: Agent): void {
    account.agents.delete(agent.id);
    for (const team of account.teams.values()) {
      team.memberIds = team.memberIds.filter((id) => id !== agent.id);
    }
    for (const number of account.numbers.values()) {
      if (number.ownerId === agent.id) number.ownerId = null;
    }
    this.onChange();
  }

  addTeam(account: Account, name: string, id?: number): Team {
    for (const team of account.teams.values()) {
      if (team.name.toLowerCase() === name.toLowerCase()) {
        throw conflict(`name: a team named ${name} already exists`);
      }
    }
    const teamId = id ?? this.nextIds.team;
    if (this.locateTeam(teamId)) throw conflict(`id: team ${teamId} already exists`);
    this.nextIds.team = Math.max(this.nextIds.team, teamId + 1);
    const team: Team = { id: teamId, name, memberIds: [] };
    account.teams.set(teamId, team);
    this.onChange();
    return team;
  }

  /** Returns false when the agent already was a member. */
  addMember(team: Team, agentId: number): boolean {
    if (team.memberIds.includes(agentId)) return false;
    team.memberIds.push(agentId);
    this.onChange();
    return true;
  }

  /** Returns false when the agent was not a member. */
  removeMember(team: Team, agentId: number): boolean {
    const before = team.memberIds.length;
    team.memberIds = team.memberIds.filter((id) => id !== agentId);
    if (team.memberIds.length === before) return false;
    this.onChange();
    return true;
  }

  addNumber(account: Account, fields: Omit<PhoneNumber, 'id'>, id?: number): PhoneNumber {
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
    const number: PhoneNumber = { id: numberId, ...fields };
    account.numbers.set(numberId, number);
    this.onChange();
    return number;
  }

  assignNumber(number: PhoneNumber, ownerId: number | null): PhoneNumber {
    number.ownerId = ownerId;
    this.onChange();
    return number;
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
        agents: this.agents(a).map((x) => ({ ...x })),
        teams: this.teams(a).map((t) => ({ ...t, memberIds: [...t.memberIds] })),
        numbers: this.numbers(a).map((n) => ({ ...n })),
      })),
      outbox: this.outbox.map((i) => ({ ...i })),
    };
  }

  static fromData(data: PersistedState): Store {
    const store = new Store();
    store.nextIds = { ...data.nextIds };
    for (const a of data.accounts) {
      store.accounts.set(a.apiKey, {
        name: a.name,
        apiKey: a.apiKey,
        apiSecret: a.apiSecret,
        allowedIps: a.allowedIps,
        agents: new Map(a.agents.map((x) => [x.id, { ...x }])),
        teams: new Map(a.teams.map((t) => [t.id, { ...t, memberIds: [...t.memberIds] }])),
        numbers: new Map(a.numbers.map((n) => [n.id, { ...n }])),
      });
    }
    store.outbox = data.outbox.map((i) => ({ ...i }));
    return store;
  }
}
