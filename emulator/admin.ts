/**
 * The admin API under /__admin: no auth, no rate limit, not logged. Tests use it to inspect the
 * emulator and to change state behind the client's back (drift). Its shapes are the emulator's
 * own (camelCase input, snapshot output), independent of any JustCall API version.
 */
import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from './core';
import { ApiError, invalid, notFound } from './errors';
import { validateFaultRules } from './faults';
import { V21RateLimitConfig, V21RateLimitMode } from './rate-limit-v21';
import { resolveShapes, Shapes } from './shapes';
import { v1Number, v1Team } from './render-v1';
import { Account, Agent, Capabilities, Invitation, PhoneNumber, Plan, PLANS, Team } from './state';
import { AGENT_WRITABLE, agentFields, bodyId, E164, newAgentFields, pathId, rejectFields, requireObject } from './validate';

export interface AdminAgent {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  phone: string | null;
  timezone: string | null;
  role: string;
  status: string;
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

export interface StateSnapshot {
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
  return { id: a.id, extension: a.extension, available: a.available, unavailability_reason: a.unavailabilityReason, last_login_at: a.lastLoginAt };
}

export function adminTeamExtra(t: Team): AdminTeamExtra {
  return { id: t.id, extension: t.extension, updated_at: t.updatedAt };
}

export function adminNumberExtra(n: PhoneNumber): AdminNumberExtra {
  return { id: n.id, line_name: n.lineName, capabilities: { ...n.capabilities }, shared_agents: [...n.sharedAgentIds], shared_teams: [...n.sharedTeamIds] };
}

function windowConfig(field: string, value: unknown): { limit: number; windowMs: number } {
  const w = requireObject(value, field);
  rejectFields(w, ['limit', 'windowMs'], []);
  return { limit: bodyId(`${field}.limit`, w.limit), windowMs: bodyId(`${field}.windowMs`, w.windowMs) };
}

function plan(value: unknown): Plan {
  if (typeof value !== 'string' || !(PLANS as readonly string[]).includes(value)) throw invalid('plan', `must be one of ${PLANS.join(', ')}`);
  return value as Plan;
}

const ADMIN_AGENT_FIELDS = [...AGENT_WRITABLE, 'status'];
const ADMIN_READ_ONLY = ['id', 'agent_id', 'created_at', 'numbers'];
const OK = { ok: true } as const;

export function registerAdminRoutes(app: FastifyInstance, core: EmulatorCore): void {
  const p = (params: unknown) => params as Record<string, string>;
  const body = (raw: unknown) => requireObject(raw ?? {});

  const agentById = (raw: string) => {
    const id = pathId(raw);
    const found = id === undefined ? undefined : core.store.locateAgent(id);
    if (!found) throw notFound(`Agent ${raw} not found`);
    return found;
  };
  const teamById = (raw: string) => {
    const id = pathId(raw);
    const found = id === undefined ? undefined : core.store.locateTeam(id);
    if (!found) throw notFound(`Team ${raw} not found`);
    return found;
  };
  const accountByKey = (apiKey: string): Account => {
    const account = core.store.account(apiKey);
    if (!account) throw notFound(`Account with api key ${apiKey} not found`);
    return account;
  };
  /** Out-of-band changes still respect account boundaries: an agent only joins its own account's teams or numbers. */
  const agentInAccount = (account: Account, field: string, value: unknown): number => {
    const agentId = bodyId(field, value);
    if (!account.agents.has(agentId)) throw invalid(field, `agent ${agentId} not found in account ${account.apiKey}`);
    return agentId;
  };

  app.post('/__admin/reset', async (request) => {
    core.reset(body(request.body).seed);
    return OK;
  });

  app.post('/__admin/seed', async (request) => {
    const b = body(request.body);
    if (b.seed === undefined) throw invalid('seed', 'is required');
    core.loadSeed(b.seed);
    return OK;
  });

  app.get('/__admin/state', async (): Promise<StateSnapshot> => {
    const { store } = core;
    return {
      accounts: [...store.accounts.values()].map((a) => ({
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
      })),
      outbox: store.outbox.map((i) => ({ ...i })),
    };
  });

  app.get('/__admin/requests', async () => core.log.snapshot());
  app.delete('/__admin/requests', async () => {
    core.log.clear();
    return OK;
  });

  app.get('/__admin/outbox', async () => ({ invitations: core.store.outbox.map((i) => ({ ...i })) }));

  app.post('/__admin/agents/:id/accept', async (request) => {
    const { account, agent } = agentById(p(request.params).id);
    if (agent.status !== 'Pending') {
      throw new ApiError(409, `agent ${agent.id} has no pending invitation (status ${agent.status})`);
    }
    core.store.updateAgent(account, agent, { status: 'Offline' });
    // Accepting an invitation is the agent's first login.
    core.store.recordLogin(agent);
    return adminAgent(agent);
  });

  app.patch('/__admin/agents/:id', async (request) => {
    const { account, agent } = agentById(p(request.params).id);
    const b = requireObject(request.body);
    rejectFields(b, ADMIN_AGENT_FIELDS, ADMIN_READ_ONLY);
    const fields = agentFields(b, { required: false, withStatus: true, customRole: true });
    if (Object.keys(fields).length === 0) throw invalid('body', `must contain at least one of ${ADMIN_AGENT_FIELDS.join(', ')}`);
    core.store.updateAgent(account, agent, fields);
    return adminAgent(agent);
  });

  app.delete('/__admin/agents/:id', async (request) => {
    const { account, agent } = agentById(p(request.params).id);
    core.store.deleteAgent(account, agent);
    return OK;
  });

  /** An agent added in the dashboard: no invitation in the outbox, Offline unless told otherwise. */
  app.post('/__admin/accounts/:apiKey/agents', async (request) => {
    const account = accountByKey(p(request.params).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ADMIN_AGENT_FIELDS, ADMIN_READ_ONLY);
    const fields = newAgentFields(b, { status: 'Offline', withStatus: true, customRole: true });
    const agent = core.store.createAgent(account, fields, { invite: false });
    return adminAgent(agent);
  });

  app.post('/__admin/accounts/:apiKey/teams', async (request) => {
    const account = accountByKey(p(request.params).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ['name'], []);
    if (typeof b.name !== 'string' || b.name.trim() === '') throw invalid('name', 'must be a non-empty string');
    return v1Team(core.store.addTeam(account, b.name));
  });

  app.post('/__admin/accounts/:apiKey/numbers', async (request) => {
    const account = accountByKey(p(request.params).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ['number', 'country', 'type'], []);
    if (typeof b.number !== 'string' || !E164.test(b.number)) throw invalid('number', 'must be an E.164 phone number');
    if (typeof b.country !== 'string' || !/^[A-Z]{2}$/.test(b.country)) throw invalid('country', 'must be a two-letter country code such as US');
    if (typeof b.type !== 'string' || b.type.trim() === '') throw invalid('type', 'must be a non-empty string such as local or toll_free');
    return v1Number(core.store.addNumber(account, { number: b.number, country: b.country, type: b.type, ownerId: null }));
  });

  app.post('/__admin/numbers/:id/assign', async (request) => {
    const raw = p(request.params).id;
    const id = pathId(raw);
    const found = id === undefined ? undefined : core.store.locateNumber(id);
    if (!found) throw notFound(`Phone number ${raw} not found`);
    const b = requireObject(request.body);
    rejectFields(b, ['agentId'], []);
    if (!('agentId' in b)) throw invalid('agentId', 'is required (an agent id, or null to unassign)');
    const agentId = b.agentId === null ? null : agentInAccount(found.account, 'agentId', b.agentId);
    return v1Number(core.store.assignNumber(found.number, agentId));
  });

  app.post('/__admin/teams/:id/members', async (request) => {
    const { account, team } = teamById(p(request.params).id);
    const b = requireObject(request.body);
    rejectFields(b, ['agentId'], []);
    const agentId = agentInAccount(account, 'agentId', b.agentId);
    if (!core.store.addMember(team, agentId)) throw new ApiError(409, `agentId: agent ${agentId} is already a member of team ${team.id}`);
    return v1Team(team);
  });

  app.delete('/__admin/teams/:id/members/:agentId', async (request) => {
    const { team } = teamById(p(request.params).id);
    const raw = p(request.params).agentId;
    const agentId = pathId(raw);
    if (agentId === undefined || !core.store.removeMember(team, agentId)) {
      throw notFound(`Agent ${raw} is not a member of team ${team.id}`);
    }
    return v1Team(team);
  });

  /** The agent toggles availability in the app (the dashboard side of PUT /v2.1/users/availability). */
  app.put('/__admin/agents/:id/availability', async (request) => {
    const { agent } = agentById(p(request.params).id);
    const b = requireObject(request.body);
    rejectFields(b, ['available', 'reason'], []);
    if (typeof b.available !== 'boolean') throw invalid('available', 'must be a boolean');
    if (b.reason !== undefined && b.reason !== null && typeof b.reason !== 'string') throw invalid('reason', 'must be a string or null');
    core.store.setAvailability(agent, b.available, typeof b.reason === 'string' ? b.reason : null);
    return adminAgentExtra(agent);
  });

  /** The agent logs in: sets last_login_timestamp, to `at` (ISO 8601) or now. */
  app.post('/__admin/agents/:id/login', async (request) => {
    const { agent } = agentById(p(request.params).id);
    const b = body(request.body);
    rejectFields(b, ['at'], []);
    if (b.at !== undefined && (typeof b.at !== 'string' || Number.isNaN(Date.parse(b.at)))) throw invalid('at', 'must be an ISO 8601 date-time');
    core.store.recordLogin(agent, b.at === undefined ? undefined : new Date(b.at as string).toISOString());
    return adminAgentExtra(agent);
  });

  app.put('/__admin/accounts/:apiKey/plan', async (request) => {
    const account = accountByKey(p(request.params).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ['plan'], []);
    core.store.setPlan(account, plan(b.plan));
    return { apiKey: account.apiKey, plan: account.plan };
  });

  /** Replaces whom a number is shared with (v2.1 `shared_with`); agents and teams of its own account only. */
  app.put('/__admin/numbers/:id/sharing', async (request) => {
    const raw = p(request.params).id;
    const id = pathId(raw);
    const found = id === undefined ? undefined : core.store.locateNumber(id);
    if (!found) throw notFound(`Phone number ${raw} not found`);
    const b = requireObject(request.body);
    rejectFields(b, ['agentIds', 'teamIds'], []);
    const ids = (field: string, value: unknown): unknown[] => {
      if (value === undefined) return [];
      if (!Array.isArray(value)) throw invalid(field, 'must be an array of ids');
      return value;
    };
    const agentIds = ids('agentIds', b.agentIds).map((v) => agentInAccount(found.account, 'agentIds', v));
    const teamIds = ids('teamIds', b.teamIds).map((v) => {
      const teamId = bodyId('teamIds', v);
      if (!found.account.teams.has(teamId)) throw invalid('teamIds', `team ${teamId} not found in account ${found.account.apiKey}`);
      return teamId;
    });
    return adminNumberExtra(core.store.shareNumber(found.number, agentIds, teamIds));
  });

  /** `{hour, burst}`: the same windows for every key; `{byPlan: true}`: by plan; `{enabled: false}`: off. */
  app.put('/__admin/v2.1/rate-limit', async (request) => {
    const b = requireObject(request.body);
    let mode: V21RateLimitMode;
    if (b.enabled === false) {
      rejectFields(b, ['enabled'], []);
      mode = null;
    } else if (b.byPlan === true) {
      rejectFields(b, ['byPlan'], []);
      mode = 'plan';
    } else {
      rejectFields(b, ['hour', 'burst'], []);
      mode = { hour: windowConfig('hour', b.hour), burst: windowConfig('burst', b.burst) } satisfies V21RateLimitConfig;
    }
    core.v21Limiter.configure(mode);
    return OK;
  });

  /** The response shapes: `{shapes: "guide" | "full" | {v1?, "v2.1"?}}`; answers the shapes now in effect. */
  app.get('/__admin/shapes', async (): Promise<Shapes> => ({ ...core.shapes }));
  app.put('/__admin/shapes', async (request): Promise<Shapes> => {
    const b = requireObject(request.body);
    rejectFields(b, ['shapes'], []);
    try {
      core.shapes = resolveShapes(b.shapes as never, core.shapes);
    } catch (err) {
      throw new ApiError(400, (err as Error).message);
    }
    return { ...core.shapes };
  });

  app.put('/__admin/faults', async (request) => {
    const b = requireObject(request.body);
    rejectFields(b, ['rules'], []);
    core.faults.set(validateFaultRules(b.rules));
    return OK;
  });

  /** Long poll: answers `{held}` once at least `atLeast` (default 1) requests are held by a 'hold' fault, or after 30 s. */
  app.get('/__admin/faults/held', async (request) => {
    const raw = (request.query as Record<string, unknown>).atLeast;
    const atLeast = raw === undefined ? 1 : Number(raw);
    if (!Number.isInteger(atLeast) || atLeast < 0) throw invalid('atLeast', 'must be a non-negative integer');
    return { held: await core.faults.waitForHeld(atLeast, 30_000) };
  });

  app.post('/__admin/faults/release', async () => ({ released: core.faults.release() }));

  app.delete('/__admin/faults', async () => {
    core.faults.clear();
    return OK;
  });

  app.put('/__admin/rate-limit', async (request) => {
    const b = requireObject(request.body);
    if (b.enabled === false) {
      rejectFields(b, ['enabled'], []);
      core.limiter.configure(null);
      return OK;
    }
    rejectFields(b, ['limit', 'windowMs', 'enabled'], []);
    if (b.enabled !== undefined && b.enabled !== true) throw invalid('enabled', 'must be a boolean');
    core.limiter.configure({ limit: bodyId('limit', b.limit), windowMs: bodyId('windowMs', b.windowMs) });
    return OK;
  });
}
