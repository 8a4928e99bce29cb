/**
 * The v1 REST API exactly as the guide describes it, plus the two routes it implies without
 * giving (team-member removal and number assignment), which docs/emulator.md lists as
 * assumptions. Authentication, rate limiting and faults happen earlier, in hooks (app.ts).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EmulatorCore } from "./core";
import { ApiError, conflict, invalid, notFound } from "./errors";
import {
  guideCreatedAgent,
  guideFetchedAgent,
  guideListedAgent,
  guideNumber,
  guideUpdatedAgent,
  numbersByOwner,
  v1Agent,
  v1Number,
  v1Team,
  withAgentId,
} from "./render-v1";
import type { Account, Agent, AgentFields } from "./state";
import { AGENT_READ_ONLY, AGENT_WRITABLE, agentFields, bodyId, newAgentFields, pathId, rejectFields, requireObject } from "./validate";

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 10;

type Query = Record<string, string | string[] | undefined>;

function intParam(query: Query, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !/^\d{1,9}$/.test(raw)) throw invalid(name, "must be an integer");
  return Number(raw);
}

/** Guide: "page (1-based) and per_page", default 10, max 100. A page past the end is empty. */
function paginate<T>(query: Query, items: T[]): { status: "success"; data: T[]; total: number; page: number; per_page: number } {
  const page = intParam(query, "page") ?? 1;
  const perPage = intParam(query, "per_page") ?? DEFAULT_PER_PAGE;
  if (page < 1) throw invalid("page", "must be at least 1");
  if (perPage < 1 || perPage > MAX_PER_PAGE) throw invalid("per_page", `must be between 1 and ${MAX_PER_PAGE}`);
  const start = (page - 1) * perPage;
  return { status: "success", data: items.slice(start, start + perPage), total: items.length, page, per_page: perPage };
}

export function registerV1Routes(app: FastifyInstance, core: EmulatorCore): void {
  const accountOf = (request: FastifyRequest): Account => request.emu!.account!;
  const params = (request: FastifyRequest) => request.params as Record<string, string>;

  /** Guide, Get Agent: "Returns 404 if agent_id does not belong to the authenticated account." */
  const findAgent = (account: Account, raw: string): Agent => {
    const id = pathId(raw);
    const agent = id === undefined ? undefined : account.agents.get(id);
    if (!agent) throw notFound(`Agent ${raw} not found`);
    return agent;
  };
  const findTeam = (account: Account, raw: string) => {
    const id = pathId(raw);
    const team = id === undefined ? undefined : account.teams.get(id);
    if (!team) throw notFound(`Team ${raw} not found`);
    return team;
  };
  const findNumber = (account: Account, raw: string) => {
    const id = pathId(raw);
    const number = id === undefined ? undefined : account.numbers.get(id);
    if (!number) throw notFound(`Phone number ${raw} not found`);
    return number;
  };
  const render = (account: Account, agent: Agent) => v1Agent(agent, numbersByOwner(core.store, account));
  /** `--shapes guide`: every answer as the guide prints its example (render-v1.ts). */
  const guide = () => core.shapes.v1 === "guide";
  const number = (n: Parameters<typeof v1Number>[0]) => (guide() ? guideNumber(n) : v1Number(n));
  /** The guide names no status for a duplicate email ("returns an error"): guide shapes answer 400, full ones 409. */
  const emailChecked = <T>(write: () => T): T => {
    try {
      return write();
    } catch (err) {
      if (guide() && err instanceof ApiError && err.status === 409 && err.message.startsWith("email:")) {
        throw invalid("email", "has already been taken");
      }
      throw err;
    }
  };

  app.get("/v1/agents", async (request) => {
    const account = accountOf(request);
    const owned = numbersByOwner(core.store, account);
    const page = paginate(request.query as Query, core.store.agents(account));
    // Guide, List Agents: {"status","data","total","page"}.
    if (guide()) return { status: page.status, data: page.data.map(guideListedAgent), total: page.total, page: page.page };
    return { ...page, data: page.data.map((a) => v1Agent(a, owned)) };
  });

  app.get("/v1/agents/:id", async (request) => {
    const account = accountOf(request);
    const agent = findAgent(account, params(request).id);
    return { status: "success", data: guide() ? guideFetchedAgent(agent) : render(account, agent) };
  });

  /** Create sends an invitation; the agent stays Pending until it is accepted (guide, Create Agent). */
  app.post("/v1/agents", async (request) => {
    const account = accountOf(request);
    const body = requireObject(request.body);
    rejectFields(body, AGENT_WRITABLE, AGENT_READ_ONLY);
    const fields = newAgentFields(body, { status: "Pending", withStatus: false });
    const agent = emailChecked(() => core.store.createAgent(account, fields, { invite: true }));
    return { status: "success", data: guide() ? guideCreatedAgent(agent) : withAgentId(render(account, agent)) };
  });

  /** Guide, Update Agent: POST, not PATCH/PUT; only the fields to change. */
  app.post("/v1/agents/:id", async (request) => {
    const account = accountOf(request);
    const agent = findAgent(account, params(request).id);
    const body = requireObject(request.body);
    rejectFields(body, AGENT_WRITABLE, AGENT_READ_ONLY);
    const fields: Partial<AgentFields> = agentFields(body, { required: false, withStatus: false });
    if (Object.keys(fields).length === 0) throw invalid("body", `must contain at least one of ${AGENT_WRITABLE.join(", ")}`);
    emailChecked(() => core.store.updateAgent(account, agent, fields));
    return { status: "success", data: guide() ? guideUpdatedAgent(agent, Object.keys(fields)) : withAgentId(render(account, agent)) };
  });

  app.delete("/v1/agents/:id", async (request) => {
    const account = accountOf(request);
    core.store.deleteAgent(account, findAgent(account, params(request).id));
    return { status: "success", message: "Agent deleted successfully" };
  });

  // Alike the number routes below on purpose (the guide gives both the same calls): see the note there.
  app.get("/v1/teams", async (request) => {
    const page = paginate(request.query as Query, core.store.teams(accountOf(request)));
    // Guide, List Teams: {"status","data"}, no counts.
    if (guide()) return { status: page.status, data: page.data.map(v1Team) };
    return { ...page, data: page.data.map(v1Team) };
  });

  app.get("/v1/teams/:team_id", async (request) => {
    return { status: "success", data: v1Team(findTeam(accountOf(request), params(request).team_id)) };
  });

  app.post("/v1/teams/:team_id/agents", async (request) => {
    const account = accountOf(request);
    const team = findTeam(account, params(request).team_id);
    const body = requireObject(request.body);
    rejectFields(body, ["agent_id"], []);
    const agentId = bodyId("agent_id", body.agent_id);
    // Guide: "Agent must already exist in the account before being added to a team."
    if (!account.agents.has(agentId)) throw invalid("agent_id", `agent ${agentId} not found`);
    if (!core.store.addMember(team, agentId)) {
      throw conflict(`agent_id: agent ${agentId} is already a member of team ${team.id}`);
    }
    return { status: "success", message: "Agent added to team" };
  });

  /** ASSUMPTION: the guide documents no removal; this is the natural REST counterpart of the add. */
  app.delete("/v1/teams/:team_id/agents/:agent_id", async (request) => {
    const account = accountOf(request);
    const team = findTeam(account, params(request).team_id);
    const raw = params(request).agent_id;
    const agentId = pathId(raw);
    if (agentId === undefined || !core.store.removeMember(team, agentId)) {
      throw notFound(`Agent ${raw} is not a member of team ${team.id}`);
    }
    return { status: "success", message: "Agent removed from team" };
  });

  // The number routes repeat the team routes' skeleton (list, get, write) because the guide gives
  // both resources the same three calls; what they share (paging, lookups, envelopes) is already
  // a helper, and what is left differs in every line.
  app.get("/v1/phone-numbers", async (request) => {
    const query = request.query as Query;
    const assignedTo = intParam(query, "assigned_to");
    let numbers = core.store.numbers(accountOf(request));
    if (assignedTo !== undefined) numbers = numbers.filter((n) => n.ownerId === assignedTo);
    const page = paginate(query, numbers);
    // Guide, List Phone Numbers: {"status","data"}, no counts.
    if (guide()) return { status: page.status, data: page.data.map(guideNumber) };
    return { ...page, data: page.data.map(v1Number) };
  });

  app.get("/v1/phone-numbers/:id", async (request) => {
    return { status: "success", data: number(findNumber(accountOf(request), params(request).id)) };
  });

  /** ASSUMPTION: the guide's "separate update call" for number assignment. Moves in one call; null unassigns. */
  app.post("/v1/phone-numbers/:id", async (request) => {
    const account = accountOf(request);
    const target = findNumber(account, params(request).id);
    const body = requireObject(request.body);
    rejectFields(body, ["assigned_to"], ["id", "number", "country", "type"]);
    if (!("assigned_to" in body)) throw invalid("assigned_to", "is required (an agent id, or null to unassign)");
    const agentId = body.assigned_to === null ? null : bodyId("assigned_to", body.assigned_to);
    if (agentId !== null && !account.agents.has(agentId)) throw invalid("assigned_to", `agent ${agentId} not found`);
    core.store.assignNumber(target, agentId);
    return { status: "success", data: number(target) };
  });
}
