/**
 * The JustCall v2.1 contract, as JustCall's published developer reference describes it (its
 * developer documentation and OpenAPI document; see docs/configuration.md, "Two API versions")
 * plus the assumptions marked ASSUMPTION below. Confirming or correcting one is a change in this
 * file only (or in contract-v21-rate-limits.ts, for the rate limits).
 *
 * The published API reads users, user groups and phone numbers, and writes one thing: a user's
 * availability. The writes it lacks are absent from `endpoints`; `manualStep` names the JustCall
 * dashboard step a person takes instead.
 */
import { z } from "zod";
import { plainManagedWireFields } from "../fields/agent";
import type { ApiContract, OperationContext, Page, PageSpec, RequestSpec, WriteOperation } from "./contract";
import { MINUTE_MS, observeWindows, PLAN_LIMITS, planBudgets, retryAfterMsV21 } from "./contract-v21-rate-limits";
import { ConfigurationError } from "./errors";
import { dateField, normalizeNumber, parseWith, roleField } from "./shapes";
import type { Agent, PhoneNumber, Team } from "./types";
import { builtOnFirstUse, envelopeError, errorEnvelope, intId, nonNegativeInt, pageSpec, pathSegment } from "./wire";

/**
 * Splits JustCall's one-field name at its first space: "Mary Ann Lee" → "Mary" / "Ann Lee",
 * "Cher" → "Cher" / "". The full name stays on Agent.name.
 */
export function splitName(name: string): { firstname: string; lastname: string } {
  const t = name.trim();
  const i = t.search(/\s/);
  return i < 0 ? { firstname: t, lastname: "" } : { firstname: t.slice(0, i), lastname: t.slice(i).trim() };
}

/**
 * Whether a one-field name is the given first and last name. "Mary Ann Lee" splits as "Mary" /
 * "Ann Lee" but is also "Mary Ann" / "Lee": compare whole names (whitespace-normalized), never
 * the split.
 */
export function nameMatches(name: string, firstname: string, lastname: string): boolean {
  const norm = (s: string) => s.trim().split(/\s+/).filter(Boolean).join(" ");
  return norm(name) === norm(`${firstname} ${lastname}`);
}

/** The reference: available is "Yes" or "No". ASSUMPTION: a boolean is tolerated (and for on_call). */
const yesNo = () =>
  z.union([
    z.boolean(),
    z
      .string()
      .regex(/^(yes|no|true|false)$/i)
      .transform((s) => /^(yes|true)$/i.test(s)),
  ]);

/** The managed text fields v2.1 carries as they are, from the Agent's field table (roles are parsed below). */
const PLAIN_TEXT = plainManagedWireFields("v21", ["role"]);

function buildSchemas() {
  // The reference: owned_numbers are strings ("14155550100": digits, no plus). ASSUMPTION: objects
  // carrying justcall_number (as phone-number objects do) occur too; only the number is kept, in E.164.
  const numberRef = z
    .union([
      z.string(),
      z.number().transform(String),
      z
        .object({ justcall_number: z.string().nullish(), number: z.string().nullish(), friendly_number: z.string().nullish() })
        .transform((n) => n.justcall_number ?? n.number ?? n.friendly_number ?? undefined),
    ])
    .transform((n) => (n === undefined ? undefined : normalizeNumber(n)));
  const user = z
    .object({
      id: intId(),
      name: z.string().nullish(),
      email: z.string(),
      // The reference prints "Admin"; roles are normalized (shapes.ts, normalizeRole).
      role: roleField(),
      extension: z.union([z.string(), z.number()]).nullish(),
      // The reference's schema says strings, its example prints {group_id, group_name}: both pass.
      groups: z.array(z.unknown()).nullish(),
      owned_numbers: z.array(numberRef).nullish(),
      shared_numbers: z.array(z.unknown()).nullish(),
      // The reference prints "2025-01-01 10:00:00" (UTC): normalized to ISO 8601.
      created_at: dateField(),
      last_login_timestamp: z.union([z.string(), z.number()]).nullish(),
      ...Object.fromEntries(PLAIN_TEXT.map(([, wire]) => [wire, z.string().nullish()])),
      working_hours_type: z.string().nullish(),
      available: yesNo().nullish(),
      unavailability_reason: z.string().nullish(),
      on_call: yesNo().nullish(),
    })
    .transform((u): Agent => {
      const name = u.name ?? "";
      return {
        id: u.id,
        ...splitName(name),
        email: u.email,
        // The reference has no phone field on users: phone stays unreported.
        ...Object.fromEntries(
          PLAIN_TEXT.flatMap(([field, wire]) => {
            const value = (u as Record<string, unknown>)[wire];
            return value === undefined ? [] : [[field, value]];
          }),
        ),
        ...(u.role === undefined || u.role === null ? {} : { role: u.role }),
        // ASSUMPTION: the guide's "status" is availability ("Online", "Offline", "Busy"); v2.1 has
        // available and on_call instead, mapped onto the guide's words.
        ...(u.on_call === true
          ? { status: "Busy" }
          : u.available === true
            ? { status: "Online" }
            : u.available === false
              ? { status: "Offline" }
              : {}),
        ...(u.created_at === undefined ? {} : { createdAt: u.created_at }),
        ...(u.owned_numbers === undefined
          ? {}
          : { numbers: (u.owned_numbers ?? []).filter((n): n is string => typeof n === "string" && n !== "") }),
        name,
        ...(u.available === undefined || u.available === null ? {} : { available: u.available }),
        unavailabilityReason: u.unavailability_reason ?? null,
      };
    });
  const member = z.object({ id: intId() }).passthrough();
  const group = z
    .object({
      id: intId(),
      group_name: z.string(),
      group_extension: z.union([z.string(), z.number()]).nullish(),
      total_members: nonNegativeInt().nullish(),
      updated_on: z.string().nullish(),
      // ASSUMPTION: the list carries each group's members, as the reference's group object does.
      members: z.array(member).nullish(),
    })
    .transform((g): Team => ({ id: g.id, name: g.group_name, agentIds: (g.members ?? []).map((m) => m.id) }));
  const phoneNumber = z
    .object({
      id: intId(),
      // The reference prints "12707705XXX": digits, no plus; normalized to E.164.
      justcall_number: z.string().transform(normalizeNumber),
      friendly_number: z.string().nullish(),
      justcall_line_name: z.string().nullish(),
      // The reference prints "Local", "mobile", "toll_free": kept in lower case.
      number_type: z
        .string()
        .transform((t) => t.toLowerCase())
        .nullish(),
      // An unowned number: null, absent, or an owner without id (ASSUMPTION: all three occur).
      number_owner: z.object({ id: intId().nullish(), email: z.string().nullish(), name: z.string().nullish() }).passthrough().nullish(),
      shared_with: z.unknown().optional(),
      capabilities: z.unknown().optional(),
    })
    .transform(
      (n): PhoneNumber => ({
        id: n.id,
        number: n.justcall_number,
        // The reference has no country field.
        country: null,
        type: n.number_type ?? null,
        assignedTo: n.number_owner?.id ?? null,
      }),
    );
  // The reference: "A single get returns the bare object". ASSUMPTION: {status, data: {...}} occurs
  // too, and data as a one-element array is tolerated.
  const single = <T extends z.ZodType>(item: T) =>
    z.preprocess(
      // A bare object is read as {data: object}, so that a shape issue still names data.<field>.
      (json) => (typeof json === "object" && json !== null && "data" in json ? json : { data: json }),
      z
        .object({
          status: z.string().optional(),
          data: z.union([
            item,
            z
              .array(item)
              .length(1)
              .transform((a) => a[0] as z.output<T>),
          ]),
        })
        .transform((v) => (v as { data: z.output<T> }).data),
    );
  const list = <T extends z.ZodType>(item: T) =>
    z.object({
      status: z.string().optional(),
      count: nonNegativeInt().nullish(),
      total_count: nonNegativeInt().nullish(),
      current_page: nonNegativeInt().nullish(),
      per_page: nonNegativeInt().nullish(),
      next_page_link: z.string().nullish(),
      prev_page_link: z.string().nullish(),
      data: z.array(item),
    });
  // ASSUMPTION: the availability write answers {status, message?, data?}; data, when it is a user, is used.
  const written = z.object({ status: z.string().optional(), message: z.string().nullish(), data: z.unknown().optional() });
  return {
    user,
    oneUser: single(user),
    users: list(user),
    groups: list(group),
    numbers: list(phoneNumber),
    written,
    error: errorEnvelope(),
  };
}

const schemas = builtOnFirstUse(buildSchemas);

/** The reference's pages: {data, total_count?, next_page_link?, ...}; a next link says whether more follow. */
function listSpec<T>(
  route: string,
  path: string,
  schema: () => z.ZodType<{ data: T[]; total_count?: number | null; next_page_link?: string | null }>,
  query?: Record<string, string | number>,
): PageSpec<T> {
  return pageSpec(
    route,
    path,
    schema,
    (v): Page<T> => ({
      items: v.data,
      total: v.total_count ?? undefined,
      more: v.next_page_link === undefined ? undefined : v.next_page_link !== null && v.next_page_link !== "",
    }),
    query,
  );
}

/** Request fields an error message may name; the reference gives errors no field property. */
const KNOWN_FIELDS = [
  "agent_id",
  "is_available",
  "unavailability_reason",
  "per_page",
  "page",
  "email",
  "group_id",
  "role",
  "available",
  "number_owner_id",
  "shared_agent_id",
  "shared_group_id",
];

function manualStepV21(op: WriteOperation, c: OperationContext): string {
  const who = c.email ?? (c.agentId === undefined ? "the user" : `user ${c.agentId}`);
  const team = c.teamName ?? (c.teamId === undefined ? "the team" : `team ${c.teamId}`);
  const number = c.number ?? (c.numberId === undefined ? "the number" : `number ${c.numberId}`);
  const again = "then run pulumi up again";
  switch (op) {
    case "createAgent":
      return `add ${c.email ?? "the user"} in JustCall: Settings > Team, ${again}`;
    case "updateAgent": {
      const what = c.fields && c.fields.length > 0 ? c.fields.join(", ") : "the details";
      return `change ${what} of ${who} in the user's profile in JustCall: Settings > Team > ${who}, ${again}`;
    }
    case "deleteAgent":
      return `remove the user ${who} in JustCall: Settings > Team, ${again}`;
    case "addTeamMember":
      return `add ${who} to the team in JustCall: Settings > Teams > ${team} > add member, ${again}`;
    case "removeTeamMember":
      return `remove ${who} from the team in JustCall: Settings > Teams > ${team} > remove member, ${again}`;
    case "assignNumber":
      if (c.assignTo === null) return `release it in JustCall: Phone Numbers > ${number} > unassign the user, ${again}`;
      return `assign it in JustCall: Phone Numbers > ${number} > assign to user ${c.assignToEmail ?? (c.assignTo === undefined ? "the user" : `user ${c.assignTo}`)}, ${again}`;
    case "setAvailability":
      return `set the availability of ${who} in JustCall: Settings > Team > ${who}, ${again}`;
  }
}

/** v2.1 reads everything and writes availability only. */
export type ContractV21 = ApiContract & {
  endpoints: Pick<Required<ApiContract["endpoints"]>, "listAgents" | "getAgent" | "listTeams" | "listNumbers" | "setAvailability">;
};

export const contractV21: ContractV21 = {
  version: "v2.1",
  // The minute window of the lowest plan; defaultRateLimits gives both windows of any plan.
  defaultRateLimit: { limit: PLAN_LIMITS.team.minute, windowMs: MINUTE_MS },
  defaultRateLimits: planBudgets,
  // The reference: "page" from 0, "per_page" at most 100.
  pagination: { firstPage: 0, perPage: 100, pageParam: "page", perPageParam: "per_page" },
  // The reference: "Authorization: <api_key>:<api_secret>", raw (neither Basic nor base64).
  authorization: (apiKey, apiSecret) => `${apiKey}:${apiSecret}`,
  headers: { accept: "application/json" },
  // The base URL is the host (https://api.justcall.io); our paths carry /v2.1 themselves.
  stripBasePath(pathname) {
    const p = pathname.replace(/\/+$/, "").replace(/\/v2\.1$/, "");
    if (/\/v(1|2|2\.0)$/.test(p)) {
      throw new ConfigurationError(
        `JustCall base URL ends in ${p.slice(p.lastIndexOf("/"))} but the API version is v2.1; give the host only, e.g. https://api.justcall.io.`,
      );
    }
    return p;
  },
  rateLimit: observeWindows,
  retryAfterMs: retryAfterMsV21,
  // v2.1 creates and updates no agent, so no answer can mean a duplicate email.
  emailConflictRoutes: [],
  // The reference: errors are {"status":"error","message":...}.
  errorDetail(body) {
    const r = schemas().error.safeParse(body);
    const message = r.success ? r.data.message : undefined;
    const field = message === undefined ? undefined : KNOWN_FIELDS.find((f) => new RegExp(`\\b${f}\\b`).test(message));
    return { message, field };
  },
  envelopeError,
  manualStep: manualStepV21,
  endpoints: {
    listAgents: () => listSpec("GET /v2.1/users", "/v2.1/users", () => schemas().users),
    getAgent: (id): RequestSpec<Agent> => ({
      route: "GET /v2.1/users/{id}",
      method: "GET",
      path: `/v2.1/users/${pathSegment(id)}`,
      mode: "idempotent",
      parse: (json) => parseWith(schemas().oneUser, json, (v) => v as Agent),
    }),
    listTeams: () => listSpec("GET /v2.1/user_groups", "/v2.1/user_groups", () => schemas().groups),
    // Alike with contract-v1.ts's on purpose: each version's contract is whole in its file.
    listNumbers: (filter) =>
      listSpec(
        "GET /v2.1/phone-numbers",
        "/v2.1/phone-numbers",
        () => schemas().numbers,
        filter?.assignedTo === undefined ? undefined : { number_owner_id: filter.assignedTo },
      ),
    // Setting availability to a given value is idempotent, so it is retried like a read.
    setAvailability: (agentId, available, reason): RequestSpec<Agent | undefined> => ({
      route: "PUT /v2.1/users/availability",
      method: "PUT",
      path: "/v2.1/users/availability",
      body: {
        agent_id: agentId,
        is_available: available,
        ...(available || reason === undefined ? {} : { unavailability_reason: reason }),
      },
      mode: "idempotent",
      parse: (json) =>
        parseWith(schemas().written, json, (v) => {
          const u = schemas().user.safeParse(Array.isArray(v.data) && v.data.length === 1 ? v.data[0] : v.data);
          return u.success ? u.data : undefined;
        }),
    }),
  },
};
