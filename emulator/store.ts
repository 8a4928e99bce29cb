/**
 * The store: every account, the invitation outbox and the next ids, and every change to them.
 * Each change calls onChange, so persistence sees it. The routes check their input; the store
 * checks what only the whole state can tell (a duplicate email, id, extension, team name or
 * number) and refuses it with a 409.
 */
import { conflict } from "./errors";
import {
  type Account,
  type Agent,
  type AgentFields,
  byId,
  defaultCapabilities,
  DEFAULT_PLAN,
  FIRST_AGENT_EXTENSION,
  FIRST_IDS,
  FIRST_TEAM_EXTENSION,
  type Invitation,
  type NextIds,
  type NumberFields,
  type PhoneNumber,
  type Plan,
  type Team,
} from "./state";

export class Store {
  readonly accounts = new Map<string, Account>();
  outbox: Invitation[] = [];
  nextIds: NextIds = { ...FIRST_IDS };
  /** Called after every mutation; persistence hooks in here. */
  onChange: () => void = () => {};

  account(apiKey: string): Account | undefined {
    return this.accounts.get(apiKey);
  }

  addAccount(account: Omit<Account, "agents" | "teams" | "numbers" | "plan"> & { plan?: Plan }): Account {
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
    if (options.extension !== undefined) this.assertExtensionFree(account.agents.values(), options.extension, "agent");
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
    if (extension !== undefined) this.assertExtensionFree(account.teams.values(), extension, "team");
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
}
