/**
 * JustCall's published v2.1 API for users, user groups and phone numbers: reads with 0-based
 * pages and link envelopes, and the one write, PUT /v2.1/users/availability. Authentication
 * (the raw `key:secret` header), the two-window rate limit and faults happen earlier, in hooks
 * (app.ts). The state is the one the v1 routes use, so both APIs see every change.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EmulatorCore } from "./core";
import { invalid, notFound } from "./errors";
import {
  referencePhoneNumber,
  referenceRole,
  referenceUser,
  referenceUserGroup,
  v21PhoneNumber,
  v21User,
  v21UserGroup,
} from "./render-v21";
import { type Account, type PhoneNumber, ROLES } from "./state";
import { bodyId, pathId, rejectFields, requireObject } from "./validate";

const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = { users: 50, groups: 50, numbers: 30 } as const;
const MAX_REASON = 255;

type Query = Record<string, string | string[] | undefined>;

function stringParam(query: Query, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string") throw invalid(name, "must be given once");
  return raw;
}

function intParam(query: Query, name: string): number | undefined {
  const raw = stringParam(query, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw invalid(name, "must be an integer");
  return Number(raw);
}

function idParam(query: Query, name: string): number | undefined {
  const id = intParam(query, name);
  if (id !== undefined && id < 1) throw invalid(name, "must be a positive integer");
  return id;
}

export interface V21Page<T> {
  status: "success";
  count: number;
  total_count: number;
  current_page: number;
  per_page: number;
  next_page_link: string | null;
  prev_page_link: string | null;
  data: T[];
}

/**
 * Published: "page" starts at 0, "per_page" at most 100. The links are full URLs of the same
 * request with only `page` changed (and `per_page` made explicit); null at either end.
 */
function paginate<T, R>(request: FastifyRequest, items: T[], defaultPerPage: number, render: (item: T) => R): V21Page<R> {
  const query = request.query as Query;
  const page = intParam(query, "page") ?? 0;
  const perPage = intParam(query, "per_page") ?? defaultPerPage;
  if (perPage < 1 || perPage > MAX_PER_PAGE) throw invalid("per_page", `must be between 1 and ${MAX_PER_PAGE}`);
  const start = page * perPage;
  const data = items.slice(start, start + perPage).map(render);
  const link = (p: number) => {
    const url = new URL(request.url, `${request.protocol}://${request.host}`);
    url.searchParams.set("page", String(p));
    url.searchParams.set("per_page", String(perPage));
    return url.toString();
  };
  return {
    status: "success",
    count: data.length,
    total_count: items.length,
    current_page: page,
    per_page: perPage,
    next_page_link: start + perPage < items.length ? link(page + 1) : null,
    prev_page_link: page > 0 ? link(Math.min(page - 1, Math.max(0, Math.ceil(items.length / perPage) - 1))) : null,
    data,
  };
}

/** `available` filter: the published values are "Yes"/"No"; true/false are accepted too. */
function availableParam(query: Query): boolean | undefined {
  const raw = stringParam(query, "available");
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if (v === "yes" || v === "true") return true;
  if (v === "no" || v === "false") return false;
  throw invalid("available", "must be Yes or No");
}

/** The phone-number list's filters: a query parameter each, and what a number must have to match it. */
const NUMBER_FILTERS: Array<[param: string, matches: (n: PhoneNumber, id: number) => boolean]> = [
  ["number_owner_id", (n, id) => n.ownerId === id],
  ["shared_agent_id", (n, id) => n.sharedAgentIds.includes(id)],
  ["shared_group_id", (n, id) => n.sharedTeamIds.includes(id)],
];

/** Every parameter is checked (in the order above) before any is applied; the ones given must all match. */
function numbersMatching(query: Query, numbers: PhoneNumber[]): PhoneNumber[] {
  const given = NUMBER_FILTERS.map(([param, matches]) => ({ id: idParam(query, param), matches }));
  return numbers.filter((n) => given.every(({ id, matches }) => id === undefined || matches(n, id)));
}

export function registerV21Routes(app: FastifyInstance, core: EmulatorCore): void {
  const accountOf = (request: FastifyRequest): Account => request.emu!.account!;
  const params = (request: FastifyRequest) => request.params as Record<string, string>;

  /** `--shapes guide`: the reference's example values, and a single get answers the bare object. */
  const guide = () => core.shapes["v2.1"] === "guide";
  const user = (account: Account, agent: Parameters<typeof v21User>[2]) =>
    guide() ? referenceUser(core.store, account, agent) : v21User(core.store, account, agent);
  const group = (account: Account, team: Parameters<typeof v21UserGroup>[1]) =>
    guide() ? referenceUserGroup(account, team) : v21UserGroup(account, team);
  const phoneNumber = (account: Account, n: Parameters<typeof v21PhoneNumber>[1]) =>
    guide() ? referencePhoneNumber(account, n) : v21PhoneNumber(account, n);
  const single = <T>(data: T) => (guide() ? data : { status: "success", data });

  /** Unknown ids and ids of another account alike: 404. */
  const find = <T>(map: Map<number, T>, raw: string, what: string): T => {
    const id = pathId(raw);
    const found = id === undefined ? undefined : map.get(id);
    if (found === undefined) throw notFound(`${what} ${raw} not found`);
    return found;
  };

  app.get("/v2.1/users", async (request) => {
    const account = accountOf(request);
    const query = request.query as Query;
    const email = stringParam(query, "email");
    const groupId = idParam(query, "group_id");
    const role = stringParam(query, "role");
    // Guide shapes take the role as the reference prints it ("Admin"), without regard to case.
    if (role !== undefined && !guide() && !(ROLES as readonly string[]).includes(role))
      throw invalid("role", `must be one of ${ROLES.join(", ")}`);
    const available = availableParam(query);
    const group = groupId === undefined ? undefined : account.teams.get(groupId);
    let agents = core.store.agents(account);
    if (email !== undefined) agents = agents.filter((a) => a.email.toLowerCase() === email.toLowerCase());
    if (groupId !== undefined) agents = group ? agents.filter((a) => group.memberIds.includes(a.id)) : [];
    if (role !== undefined) {
      agents = agents.filter((a) => a.role === role || (guide() && referenceRole(a.role).toLowerCase() === role.toLowerCase()));
    }
    if (available !== undefined) agents = agents.filter((a) => a.available === available);
    return paginate(request, agents, DEFAULT_PER_PAGE.users, (a) => user(account, a));
  });

  app.get("/v2.1/users/:id", async (request) => {
    const account = accountOf(request);
    return single(user(account, find(account.agents, params(request).id, "User")));
  });

  /** The published API's only write for users. Becoming available clears the reason. */
  app.put("/v2.1/users/availability", async (request) => {
    const account = accountOf(request);
    const body = requireObject(request.body);
    rejectFields(body, ["agent_id", "is_available", "unavailability_reason"], []);
    const agentId = bodyId("agent_id", body.agent_id);
    if (body.is_available === undefined) throw invalid("is_available", "is required");
    if (typeof body.is_available !== "boolean") throw invalid("is_available", "must be a boolean (true or false)");
    const reason = body.unavailability_reason;
    if (reason !== undefined && reason !== null) {
      if (typeof reason !== "string") throw invalid("unavailability_reason", "must be a string");
      if (reason.length > MAX_REASON) throw invalid("unavailability_reason", `must be at most ${MAX_REASON} characters`);
    }
    const agent = account.agents.get(agentId);
    if (!agent) throw invalid("agent_id", `agent ${agentId} not found`);
    core.store.setAvailability(agent, body.is_available, typeof reason === "string" && reason.trim() !== "" ? reason : null);
    return { status: "success", data: user(account, agent) };
  });

  app.get("/v2.1/user_groups", async (request) => {
    const account = accountOf(request);
    return paginate(request, core.store.teams(account), DEFAULT_PER_PAGE.groups, (t) => group(account, t));
  });

  app.get("/v2.1/user_groups/:id", async (request) => {
    const account = accountOf(request);
    return single(group(account, find(account.teams, params(request).id, "User group")));
  });

  app.get("/v2.1/phone-numbers", async (request) => {
    const account = accountOf(request);
    const numbers = numbersMatching(request.query as Query, core.store.numbers(account));
    return paginate(request, numbers, DEFAULT_PER_PAGE.numbers, (n) => phoneNumber(account, n));
  });

  app.get("/v2.1/phone-numbers/:id", async (request) => {
    const account = accountOf(request);
    return single(phoneNumber(account, find(account.numbers, params(request).id, "Phone number")));
  });
}
