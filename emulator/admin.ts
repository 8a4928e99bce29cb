/**
 * The admin API under /__admin: no auth, no rate limit, not logged. Tests use it to inspect the
 * emulator and to change state behind the client's back (drift). Its shapes are the emulator's
 * own (camelCase input, snapshot output), independent of any JustCall API version.
 */
import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from './core';
import { ApiError, invalid, notFound } from './errors';
import { validateFaultRules } from './faults';
import { v1Number, v1Team } from './render-v1';
import { Account, Agent, Invitation } from './state';
import { AGENT_WRITABLE, agentFields, bodyId, E164, pathId, rejectFields, requireObject } from './validate';

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

export interface AdminAccount {
  name: string;
  apiKey: string;
  allowedIps: string[] | null;
  agents: AdminAgent[];
  teams: AdminTeam[];
  numbers: AdminNumber[];
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
        agents: store.agents(a).map(adminAgent),
        teams: store.teams(a).map(v1Team),
        numbers: store.numbers(a).map(v1Number),
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
    return adminAgent(agent);
  });

  app.patch('/__admin/agents/:id', async (request) => {
    const { account, agent } = agentById(p(request.params).id);
    const b = requireObject(request.body);
    rejectFields(b, ADMIN_AGENT_FIELDS, ADMIN_READ_ONLY);
    const fields = agentFields(b, { required: false, withStatus: true });
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
    const f = agentFields(b, { required: true, withStatus: true });
    const agent = core.store.createAgent(
      account,
      {
        firstname: f.firstname!,
        lastname: f.lastname!,
        email: f.email!,
        phone: f.phone ?? null,
        timezone: f.timezone ?? null,
        role: f.role ?? 'agent',
        status: f.status ?? 'Offline',
      },
      { invite: false },
    );
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

  app.put('/__admin/faults', async (request) => {
    const b = requireObject(request.body);
    rejectFields(b, ['rules'], []);
    core.faults.set(validateFaultRules(b.rules));
    return OK;
  });

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
