/** Admin routes that change agents as the dashboard or the agent would: no invitation, no rate limit. */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { ApiError, invalid } from "../errors";
import { AGENT_WRITABLE, agentFields, newAgentFields, rejectFields, requireObject } from "../validate";
import { accountByKey, agentById, OK, optionalBody, pathParams } from "./route-helpers";
import { adminAgent, adminAgentExtra } from "./state-view";

const ADMIN_AGENT_FIELDS = [...AGENT_WRITABLE, "status"];
const ADMIN_READ_ONLY = ["id", "agent_id", "created_at", "numbers"];

export function registerAdminAgentRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.post("/__admin/agents/:id/accept", async (request) => {
    const { account, agent } = agentById(core, pathParams(request).id);
    if (agent.status !== "Pending") {
      throw new ApiError(409, `agent ${agent.id} has no pending invitation (status ${agent.status})`);
    }
    core.store.updateAgent(account, agent, { status: "Offline" });
    // Accepting an invitation is the agent's first login.
    core.store.recordLogin(agent);
    return adminAgent(agent);
  });

  app.patch("/__admin/agents/:id", async (request) => {
    const { account, agent } = agentById(core, pathParams(request).id);
    const b = requireObject(request.body);
    rejectFields(b, ADMIN_AGENT_FIELDS, ADMIN_READ_ONLY);
    const fields = agentFields(b, { required: false, withStatus: true, customRole: true });
    if (Object.keys(fields).length === 0) throw invalid("body", `must contain at least one of ${ADMIN_AGENT_FIELDS.join(", ")}`);
    core.store.updateAgent(account, agent, fields);
    return adminAgent(agent);
  });

  app.delete("/__admin/agents/:id", async (request) => {
    const { account, agent } = agentById(core, pathParams(request).id);
    core.store.deleteAgent(account, agent);
    return OK;
  });

  /** An agent added in the dashboard: no invitation in the outbox, Offline unless told otherwise. */
  app.post("/__admin/accounts/:apiKey/agents", async (request) => {
    const account = accountByKey(core, pathParams(request).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ADMIN_AGENT_FIELDS, ADMIN_READ_ONLY);
    const fields = newAgentFields(b, { status: "Offline", withStatus: true, customRole: true });
    const agent = core.store.createAgent(account, fields, { invite: false });
    return adminAgent(agent);
  });

  /** The agent toggles availability in the app (the dashboard side of PUT /v2.1/users/availability). */
  app.put("/__admin/agents/:id/availability", async (request) => {
    const { agent } = agentById(core, pathParams(request).id);
    const b = requireObject(request.body);
    rejectFields(b, ["available", "reason"], []);
    if (typeof b.available !== "boolean") throw invalid("available", "must be a boolean");
    if (b.reason !== undefined && b.reason !== null && typeof b.reason !== "string") throw invalid("reason", "must be a string or null");
    core.store.setAvailability(agent, b.available, typeof b.reason === "string" ? b.reason : null);
    return adminAgentExtra(agent);
  });

  /** The agent logs in: sets last_login_timestamp, to `at` (ISO 8601) or now. */
  app.post("/__admin/agents/:id/login", async (request) => {
    const { agent } = agentById(core, pathParams(request).id);
    const b = optionalBody(request);
    rejectFields(b, ["at"], []);
    if (b.at !== undefined && (typeof b.at !== "string" || Number.isNaN(Date.parse(b.at))))
      throw invalid("at", "must be an ISO 8601 date-time");
    core.store.recordLogin(agent, b.at === undefined ? undefined : new Date(b.at as string).toISOString());
    return adminAgentExtra(agent);
  });
}
