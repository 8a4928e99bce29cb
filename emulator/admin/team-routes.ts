/** Admin routes that add teams and change their members, within one account. */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { ApiError, invalid, notFound } from "../errors";
import { v1Team } from "../render-v1";
import { pathId, rejectFields, requireObject } from "../validate";
import { accountByKey, agentInAccount, pathParams, teamById } from "./route-helpers";

export function registerAdminTeamRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.post("/__admin/accounts/:apiKey/teams", async (request) => {
    const account = accountByKey(core, pathParams(request).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ["name"], []);
    if (typeof b.name !== "string" || b.name.trim() === "") throw invalid("name", "must be a non-empty string");
    return v1Team(core.store.addTeam(account, b.name));
  });

  app.post("/__admin/teams/:id/members", async (request) => {
    const { account, team } = teamById(core, pathParams(request).id);
    const b = requireObject(request.body);
    rejectFields(b, ["agentId"], []);
    const agentId = agentInAccount(account, "agentId", b.agentId);
    if (!core.store.addMember(team, agentId)) throw new ApiError(409, `agentId: agent ${agentId} is already a member of team ${team.id}`);
    return v1Team(team);
  });

  app.delete("/__admin/teams/:id/members/:agentId", async (request) => {
    const { team } = teamById(core, pathParams(request).id);
    const raw = pathParams(request).agentId;
    const agentId = pathId(raw);
    if (agentId === undefined || !core.store.removeMember(team, agentId)) {
      throw notFound(`Agent ${raw} is not a member of team ${team.id}`);
    }
    return v1Team(team);
  });
}
