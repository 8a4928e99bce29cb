/**
 * The JustCall v1 contract, as described by the API guide (Stitchflow's JustCall User Management
 * API Guide, sections "Core endpoints" and "Rate limits, pagination, and events"; see
 * docs/configuration.md, "Two API versions") plus the assumptions marked ASSUMPTION below.
 * Confirming or correcting an assumption is a change in this file only.
 */
import { z } from "zod";
import { plainManagedWireFields, wireName } from "../fields/agent";
import { dateField, definedOnly, normalizeNumber, numberField, parseWith, roleField } from "./shapes";
import type { ApiContract, OperationContext, Page, PageSpec, RequestSpec, WriteOperation } from "./contract";
import type { Agent, AgentInput, AgentPatch, PhoneNumber, Team } from "./types";
import {
  builtOnFirstUse,
  envelopeError,
  errorEnvelope,
  intId,
  nonNegativeInt,
  numericHeader,
  pageSpec,
  pathSegment,
  retryAfterHeaderMs,
} from "./wire";

/** The managed text fields v1 carries as they are (roles and phones are parsed below). */
const PLAIN_TEXT = plainManagedWireFields("v1", ["role", "phone"]);

/** An agent create or update, under v1's wire names; fields left undefined are not sent. */
function wireBody(fields: Partial<AgentInput>): Record<string, unknown> {
  return definedOnly(Object.fromEntries(Object.entries(fields).map(([field, value]) => [wireName("v1", field), value])));
}

function buildSchemas() {
  const numberRef = z.union([numberField(), z.object({ number: numberField() }).transform((n) => n.number)]);
  // Every field but the id may be missing: the guide's examples print a different subset per
  // endpoint (list: no time zone; get: no role; create: neither; update: the id and the changed
  // fields). The guide: "agent_id: Alias for id in some response payloads". The managed text
  // fields come from the Agent's field table (fields/agent.ts), under their v1 wire names.
  const reported = z
    .object({
      id: intId().optional(),
      agent_id: intId().optional(),
      firstname: z.string().optional(),
      lastname: z.string().optional(),
      email: z.string().optional(),
      phone: z.string().transform(normalizeNumber).nullish(),
      ...Object.fromEntries(PLAIN_TEXT.map(([, wire]) => [wire, z.string().nullish()])),
      role: roleField(),
      status: z.string().nullish(),
      created_at: dateField(),
      numbers: z.array(numberRef).nullish(),
    })
    .refine((a) => a.id !== undefined || a.agent_id !== undefined, {
      message: "expected id or agent_id",
      path: ["id"],
    })
    .transform(
      (a): AgentPatch =>
        definedOnly({
          ...Object.fromEntries(PLAIN_TEXT.map(([field, wire]) => [field, (a as Record<string, unknown>)[wire]])),
          id: (a.id ?? a.agent_id) as number,
          firstname: a.firstname,
          lastname: a.lastname,
          email: a.email,
          phone: a.phone,
          role: a.role ?? undefined,
          status: a.status ?? undefined,
          createdAt: a.created_at,
          numbers: a.numbers === null ? [] : a.numbers,
        }) as AgentPatch,
    );
  // List, get and create print the names and the email every time.
  const agent = reported.refine((a): a is Agent => a.firstname !== undefined && a.lastname !== undefined && a.email !== undefined, {
    message: "expected firstname, lastname and email",
  }) as unknown as z.ZodType<Agent>;
  const team = z
    .object({ id: intId(), name: z.string(), agents: z.array(intId()).nullish() })
    .transform((t): Team => ({ id: t.id, name: t.name, agentIds: t.agents ?? [] }));
  const phoneNumber = z
    .object({
      id: intId(),
      number: numberField(),
      country: z.string().nullish(),
      type: z
        .string()
        .transform((t) => t.toLowerCase())
        .nullish(),
      assigned_to: intId().nullish(),
    })
    .transform(
      (n): PhoneNumber => ({
        id: n.id,
        number: n.number,
        country: n.country ?? null,
        type: n.type ?? null,
        assignedTo: n.assigned_to ?? null,
      }),
    );
  const single = <T extends z.ZodType>(data: T) => z.object({ status: z.literal("success"), data });
  const list = <T extends z.ZodType>(item: T) =>
    z.object({
      status: z.literal("success"),
      data: z.array(item),
      total: nonNegativeInt().optional(),
      page: nonNegativeInt().optional(),
      per_page: nonNegativeInt().optional(),
    });
  const message = z.object({ status: z.literal("success"), message: z.string().optional() });
  return {
    agent: single(agent),
    patch: single(reported),
    agents: list(agent),
    teams: list(team),
    numbers: list(phoneNumber),
    number: single(phoneNumber),
    message,
    error: errorEnvelope(),
  };
}

const schemas = builtOnFirstUse(buildSchemas);

/** The guide's pages: {data, total?, page?, per_page?}. */
function listSpec<T>(
  route: string,
  path: string,
  schema: () => z.ZodType<{ data: T[]; total?: number }>,
  query?: Record<string, string | number>,
): PageSpec<T> {
  return pageSpec(route, path, schema, (v): Page<T> => ({ items: v.data, total: v.total }), query);
}

/** v1 offers every write but availability. */
export type ContractV1 = ApiContract & { endpoints: Required<Omit<ApiContract["endpoints"], "setAvailability">> };

function manualStepV1(op: WriteOperation, ctx: OperationContext): string {
  const who = ctx.email ?? (ctx.agentId === undefined ? "the user" : `user ${ctx.agentId}`);
  // The guide lists agent "status" as a read-only field and documents no availability write.
  if (op === "setAvailability")
    return `set the availability of ${who} in JustCall: Settings > Team > ${who} (availability toggle); API v1 has no availability write`;
  return `do this in the JustCall dashboard`;
}

export const contractV1: ContractV1 = {
  version: "v1",
  // The guide: "100 requests per minute per API key".
  defaultRateLimit: { limit: 100, windowMs: 60_000 },
  defaultRateLimits: () => [{ limit: 100, windowMs: 60_000 }],
  manualStep: manualStepV1,
  // The guide: "page (1-based) and per_page", "Max page size: 100".
  pagination: { firstPage: 1, perPage: 100, pageParam: "page", perPageParam: "per_page" },
  authorization: (apiKey, apiSecret) => `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString("base64")}`,
  headers: { accept: "application/json" },
  // The guide gives the base URL as https://api.justcall.io/v1; our paths carry /v1 themselves.
  stripBasePath: (pathname) => pathname.replace(/\/+$/, "").replace(/\/v1$/, ""),
  // ASSUMPTION: X-RateLimit-Reset is seconds until the window resets (fractions allowed).
  rateLimit(headers) {
    const limit = numericHeader(headers, "x-ratelimit-limit");
    const remaining = numericHeader(headers, "x-ratelimit-remaining");
    const reset = numericHeader(headers, "x-ratelimit-reset");
    if (limit === undefined && remaining === undefined && reset === undefined) return [];
    return [{ limit, remaining, resetMs: reset === undefined ? undefined : reset * 1000 }];
  },
  retryAfterMs: retryAfterHeaderMs,
  // Where "an agent with this email exists" can come back. The guide: "Duplicate email returns
  // an error", no status named (errors.ts, errorKind, reads it by meaning).
  emailConflictRoutes: ["POST /v1/agents", "POST /v1/agents/{id}"],
  // Errors are {"status":"error","message":"field: text"}; a 400 names the field first.
  errorDetail(body) {
    const r = schemas().error.safeParse(body);
    const message = r.success ? r.data.message : undefined;
    const m = message?.match(/^([A-Za-z_][\w.[\]]*)\s*:\s*\S/);
    return { message, field: m?.[1] };
  },
  envelopeError,
  endpoints: {
    listAgents: () => listSpec("GET /v1/agents", "/v1/agents", () => schemas().agents),
    getAgent: (id): RequestSpec<Agent> => ({
      route: "GET /v1/agents/{id}",
      method: "GET",
      path: `/v1/agents/${pathSegment(id)}`,
      mode: "idempotent",
      parse: (json) => parseWith(schemas().agent, json, (v) => v.data),
    }),
    createAgent: (input: AgentInput): RequestSpec<Agent> => ({
      route: "POST /v1/agents",
      method: "POST",
      path: "/v1/agents",
      body: wireBody(input),
      // Sends an invitation email: a blind retry could invite twice.
      mode: "reconcile",
      parse: (json) => parseWith(schemas().agent, json, (v) => v.data),
    }),
    // The guide: "JustCall uses POST (not PATCH/PUT) for updates ... Only include fields to be changed."
    // Setting fields to given values is idempotent.
    // The guide's answer is the id and the changed fields only; the client merges it with what
    // it sent (client.ts, updateAgent).
    updateAgent: (id, changes): RequestSpec<AgentPatch> => ({
      route: "POST /v1/agents/{id}",
      method: "POST",
      path: `/v1/agents/${pathSegment(id)}`,
      body: wireBody(changes),
      mode: "idempotent",
      parse: (json) => parseWith(schemas().patch, json, (v) => v.data),
    }),
    deleteAgent: (id): RequestSpec<void> => ({
      route: "DELETE /v1/agents/{id}",
      method: "DELETE",
      path: `/v1/agents/${pathSegment(id)}`,
      mode: "idempotent",
      parse: (json) => parseWith(schemas().message, json, () => undefined),
    }),
    listTeams: () => listSpec("GET /v1/teams", "/v1/teams", () => schemas().teams),
    addTeamMember: (teamId, agentId): RequestSpec<void> => ({
      route: "POST /v1/teams/{team_id}/agents",
      method: "POST",
      path: `/v1/teams/${pathSegment(teamId)}/agents`,
      body: { agent_id: agentId },
      // Answers 409 when repeated, so a retry after an ambiguous failure checks membership first.
      mode: "reconcile",
      parse: (json) => parseWith(schemas().message, json, () => undefined),
    }),
    // ASSUMPTION: the guide documents no removal; DELETE /v1/teams/{team_id}/agents/{agent_id}.
    removeTeamMember: (teamId, agentId): RequestSpec<void> => ({
      route: "DELETE /v1/teams/{team_id}/agents/{agent_id}",
      method: "DELETE",
      path: `/v1/teams/${pathSegment(teamId)}/agents/${pathSegment(agentId)}`,
      mode: "idempotent",
      parse: (json) => parseWith(schemas().message, json, () => undefined),
    }),
    // The guide: "GET /v1/phone-numbers?assigned_to={agent_id}". Alike with contract-v21.ts's on
    // purpose: each version's contract is whole in its file, so correcting one touches one file.
    listNumbers: (filter) =>
      listSpec(
        "GET /v1/phone-numbers",
        "/v1/phone-numbers",
        () => schemas().numbers,
        filter?.assignedTo === undefined ? undefined : { assigned_to: filter.assignedTo },
      ),
    // ASSUMPTION: the guide says "reassign via a separate update call"; POST /v1/phone-numbers/{id}
    // {"assigned_to": id|null} answering the number. Setting an owner is idempotent: repeating
    // it leaves the same owner, so a plain retry is safe.
    assignNumber: (numberId, agentId): RequestSpec<PhoneNumber> => ({
      route: "POST /v1/phone-numbers/{id}",
      method: "POST",
      path: `/v1/phone-numbers/${pathSegment(numberId)}`,
      body: { assigned_to: agentId },
      mode: "idempotent",
      parse: (json) => parseWith(schemas().number, json, (v) => v.data),
    }),
  },
};
