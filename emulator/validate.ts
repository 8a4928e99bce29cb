/**
 * Input validation for agent fields and request bodies. Hand-written rather than a schema
 * library so every message is exactly `<field>: <problem>` with the field first, and so the
 * emulator shares no schema with the provider's client: a mistake on one side must not hide the
 * same mistake on the other.
 */
import { invalid } from "./errors";
import { AGENT_STATUSES, type AgentFields, type AgentStatus, ROLES, type Role } from "./state";

export const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_TEXT = 255;

let zones: Set<string> | undefined;
/** IANA spelling: every segment starts with a capital letter (rules out ICU's case-insensitive matches). */
const IANA_CASE = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;

/**
 * A real IANA zone: the runtime's list plus UTC, or any other IANA-spelled name ICU knows. The
 * second half matters: Node 20's list uses CLDR's legacy names (Asia/Calcutta, Europe/Kiev), and
 * the current IANA names (Asia/Kolkata, Europe/Kyiv) must pass too.
 */
export function isTimeZone(value: string): boolean {
  zones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  if (zones.has(value)) return true;
  if (!IANA_CASE.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch (err) {
    // An unknown zone is a RangeError ("Invalid time zone specified").
    if (!(err instanceof RangeError)) throw err;
    return false;
  }
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function requireObject(body: unknown, field = "body"): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalid(field, "must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/**
 * Rejects read-only fields first (they are the likelier client mistake), then any other field
 * not in `allowed`, in the order the client sent them.
 */
export function rejectFields(body: Record<string, unknown>, allowed: readonly string[], readOnly: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (readOnly.includes(key)) throw invalid(key, "is read-only");
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalid(key, "unknown field");
  }
}

function text(field: string, value: unknown): string {
  if (typeof value !== "string") throw invalid(field, "must be a string");
  if (value.trim() === "") throw invalid(field, "must not be empty");
  if (value.length > MAX_TEXT) throw invalid(field, `must be at most ${MAX_TEXT} characters`);
  return value;
}

function email(value: unknown): string {
  if (typeof value !== "string") throw invalid("email", "must be a string");
  if (!isEmail(value)) throw invalid("email", "must be a valid email address");
  return value;
}

/** null clears the field; absent leaves it alone. */
function phone(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || !E164.test(value)) {
    throw invalid("phone", "must be an E.164 phone number such as +14155550100");
  }
  return value;
}

function timezone(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || !isTimeZone(value)) {
    throw invalid("timezone", "must be an IANA time zone such as America/New_York");
  }
  return value;
}

/** `custom`: the dashboard (admin API) may also name a role outside the API's three (Account Owner, custom roles). */
function role(value: unknown, custom: boolean): string {
  if (custom && typeof value === "string" && !(ROLES as readonly string[]).includes(value)) return text("role", value);
  if (typeof value !== "string" || !(ROLES as readonly string[]).includes(value)) {
    throw invalid("role", `must be one of ${ROLES.join(", ")}`);
  }
  return value as Role;
}

function status(value: unknown): AgentStatus {
  if (typeof value !== "string" || !(AGENT_STATUSES as readonly string[]).includes(value)) {
    throw invalid("status", `must be one of ${AGENT_STATUSES.join(", ")}`);
  }
  return value as AgentStatus;
}

const NAMED_FIELDS = ["firstname", "lastname", "email", "phone", "timezone", "role"] as const;

/**
 * Validates the agent fields present in `body` (already checked for unknown keys). With
 * `required`, firstname, lastname and email must be present. Fields are checked in a fixed
 * order so the same bad body always yields the same message.
 */
export function agentFields(
  body: Record<string, unknown>,
  opts: { required: boolean; withStatus: boolean; customRole?: boolean },
): Partial<AgentFields> {
  const out: Partial<AgentFields> = {};
  for (const field of ["firstname", "lastname", "email"] as const) {
    if (body[field] === undefined) {
      if (opts.required) throw invalid(field, "is required");
      continue;
    }
    out[field] = field === "email" ? email(body[field]) : text(field, body[field]);
  }
  if (body.phone !== undefined) out.phone = phone(body.phone);
  if (body.timezone !== undefined) out.timezone = timezone(body.timezone);
  if (body.role !== undefined) out.role = role(body.role, opts.customRole ?? false);
  if (opts.withStatus && body.status !== undefined) out.status = status(body.status);
  return out;
}

/**
 * A new agent's profile, the one path every creation takes (v1 create, admin add, seed): the
 * fields validated with firstname, lastname and email required, then the defaults of an agent
 * created without them (no phone, no time zone, role agent). `status` is the status of an agent
 * whose body names none.
 */
export function newAgentFields(
  body: Record<string, unknown>,
  opts: { status: AgentStatus; withStatus: boolean; customRole?: boolean },
): AgentFields {
  const fields = agentFields(body, { required: true, withStatus: opts.withStatus, customRole: opts.customRole });
  return {
    firstname: fields.firstname!,
    lastname: fields.lastname!,
    email: fields.email!,
    phone: fields.phone ?? null,
    timezone: fields.timezone ?? null,
    role: fields.role ?? "agent",
    status: fields.status ?? opts.status,
  };
}

export const AGENT_WRITABLE: readonly string[] = NAMED_FIELDS;
/** Fields the v1 API computes itself; sending one is a 400 (the guide: status is read-only via API). */
export const AGENT_READ_ONLY: readonly string[] = ["id", "agent_id", "status", "created_at", "numbers"];

/** A positive integer id in a JSON body (strings are refused: the guide's examples send numbers). */
export function bodyId(field: string, value: unknown): number {
  if (value === undefined) throw invalid(field, "is required");
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(field, "must be a positive integer");
  }
  return value;
}

/** A path id: anything but a plain positive decimal integer is treated as an unknown id. */
export function pathId(value: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
