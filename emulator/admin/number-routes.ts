/** Admin routes that add phone numbers and change who holds them or shares them, within one account. */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { invalid } from "../errors";
import { v1Number } from "../render-v1";
import { bodyId, E164, rejectFields, requireObject } from "../validate";
import { accountByKey, agentInAccount, numberById, pathParams } from "./route-helpers";
import { adminNumberExtra } from "./state-view";

/** An optional list of ids in a body: absent reads as none. */
function idList(field: string, value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(field, "must be an array of ids");
  return value;
}

export function registerAdminNumberRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.post("/__admin/accounts/:apiKey/numbers", async (request) => {
    const account = accountByKey(core, pathParams(request).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ["number", "country", "type"], []);
    if (typeof b.number !== "string" || !E164.test(b.number)) throw invalid("number", "must be an E.164 phone number");
    if (typeof b.country !== "string" || !/^[A-Z]{2}$/.test(b.country))
      throw invalid("country", "must be a two-letter country code such as US");
    if (typeof b.type !== "string" || b.type.trim() === "") throw invalid("type", "must be a non-empty string such as local or toll_free");
    return v1Number(core.store.addNumber(account, { number: b.number, country: b.country, type: b.type, ownerId: null }));
  });

  app.post("/__admin/numbers/:id/assign", async (request) => {
    const found = numberById(core, pathParams(request).id);
    const b = requireObject(request.body);
    rejectFields(b, ["agentId"], []);
    if (!("agentId" in b)) throw invalid("agentId", "is required (an agent id, or null to unassign)");
    const agentId = b.agentId === null ? null : agentInAccount(found.account, "agentId", b.agentId);
    return v1Number(core.store.assignNumber(found.number, agentId));
  });

  /** Replaces whom a number is shared with (v2.1 `shared_with`); agents and teams of its own account only. */
  app.put("/__admin/numbers/:id/sharing", async (request) => {
    const found = numberById(core, pathParams(request).id);
    const b = requireObject(request.body);
    rejectFields(b, ["agentIds", "teamIds"], []);
    const agentIds = idList("agentIds", b.agentIds).map((v) => agentInAccount(found.account, "agentIds", v));
    const teamIds = idList("teamIds", b.teamIds).map((v) => {
      const teamId = bodyId("teamIds", v);
      if (!found.account.teams.has(teamId)) throw invalid("teamIds", `team ${teamId} not found in account ${found.account.apiKey}`);
      return teamId;
    });
    return adminNumberExtra(core.store.shareNumber(found.number, agentIds, teamIds));
  });
}
