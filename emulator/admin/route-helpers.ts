/**
 * What the admin route groups share: reading a request's path params and optional body, finding
 * the agent, team, number or account a path names (404 otherwise), and the `{ok: true}` answer.
 * The admin API addresses agents, teams and numbers by id alone, across accounts.
 */
import type { FastifyRequest } from "fastify";
import type { EmulatorCore } from "../core";
import { invalid, notFound } from "../errors";
import type { Account, Agent, PhoneNumber, Team } from "../state";
import { bodyId, pathId, requireObject } from "../validate";

export const OK = { ok: true } as const;

export const pathParams = (request: FastifyRequest) => request.params as Record<string, string>;

/** For routes whose body is optional: no body reads as `{}`. */
export const optionalBody = (request: FastifyRequest) => requireObject(request.body ?? {});

export function agentById(core: EmulatorCore, raw: string): { account: Account; agent: Agent } {
  const id = pathId(raw);
  const found = id === undefined ? undefined : core.store.locateAgent(id);
  if (!found) throw notFound(`Agent ${raw} not found`);
  return found;
}

export function teamById(core: EmulatorCore, raw: string): { account: Account; team: Team } {
  const id = pathId(raw);
  const found = id === undefined ? undefined : core.store.locateTeam(id);
  if (!found) throw notFound(`Team ${raw} not found`);
  return found;
}

export function numberById(core: EmulatorCore, raw: string): { account: Account; number: PhoneNumber } {
  const id = pathId(raw);
  const found = id === undefined ? undefined : core.store.locateNumber(id);
  if (!found) throw notFound(`Phone number ${raw} not found`);
  return found;
}

export function accountByKey(core: EmulatorCore, apiKey: string): Account {
  const account = core.store.account(apiKey);
  if (!account) throw notFound(`Account with api key ${apiKey} not found`);
  return account;
}

/** Out-of-band changes still respect account boundaries: an agent only joins its own account's teams or numbers. */
export function agentInAccount(account: Account, field: string, value: unknown): number {
  const agentId = bodyId(field, value);
  if (!account.agents.has(agentId)) throw invalid(field, `agent ${agentId} not found in account ${account.apiKey}`);
  return agentId;
}
