// What both API contracts share: validating a body with a zod schema (shape issues by path), and
// normalizing the variants JustCall prints (roles, numbers, dates) into one form at the contract
// edge, so that nothing above the contract ever sees a variant.
import { z } from "zod";
import type { Parsed, ShapeIssue } from "./contract";

export function parseWith<S extends z.ZodType, T>(schema: S, json: unknown, pick: (v: z.output<S>) => T): Parsed<T> {
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: pick(r.data) };
  const issues: ShapeIssue[] = r.error.issues.map((i) => ({ path: [...i.path], message: i.message, code: i.code }));
  return { ok: false, issues };
}

/** The roles a roster and an Agent can declare (provider/validation.ts re-exports them). */
export const ROLES = ["agent", "supervisor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/**
 * JustCall's names for our roles, compared without case, spaces or underscores. The guide prints
 * "agent" and "admin"; the published reference prints "Admin", its product's default roles are
 * Account Owner, Admin and Team Member, and a fixture shows "Agent". ASSUMPTION: "Team Member"
 * is the plain user the guide calls "agent".
 */
const ROLE_NAMES: Record<string, Role> = {
  agent: "agent",
  teammember: "agent",
  supervisor: "supervisor",
  admin: "admin",
};

/**
 * One of our roles in lower case when the name means one; any other role (Account Owner, a
 * custom role) is kept as JustCall names it (trimmed). docs/client.md, "Roles outside ours".
 */
export function normalizeRole(raw: string): string {
  const key = raw.toLowerCase().replace(/[\s_-]+/g, "");
  return ROLE_NAMES[key] ?? raw.trim();
}

/**
 * E.164 from the forms JustCall prints: "+14155550100" as is, "14155550100" (the reference's
 * justcall_number: digits, no plus) with a plus. Spaces, dots, dashes and brackets are dropped
 * first. Anything else (e.g. the reference's redacted "12707705XXX") is kept as printed: it is
 * not a number we could name, and inventing one would be worse.
 */
export function normalizeNumber(raw: string): string {
  const compact = raw.trim().replace(/[\s().-]/g, "");
  const m = /^\+?([1-9]\d{6,14})$/.exec(compact);
  return m ? `+${m[1]}` : raw.trim();
}

/** JustCall ignores case in emails (the guide: unique within the account, used to log in), so do we. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * ISO 8601 UTC ("2025-01-01T10:00:00.000Z") from an ISO 8601 date-time or from the reference's
 * "2025-01-01 10:00:00" (UTC, no zone). Anything unreadable is kept as printed.
 */
export function normalizeDate(raw: string): string {
  const t = raw.trim();
  const plain = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(t);
  const ms = Date.parse(plain ? `${plain[1]}T${plain[2]}Z` : t);
  return Number.isFinite(ms) && /^\d{4}-\d{2}-\d{2}/.test(t) ? new Date(ms).toISOString() : t;
}

/** zod fields that normalize as they parse (null and absent pass through: absent is "not said"). */
export const roleField = () => z.string().transform(normalizeRole).nullish();
export const numberField = () => z.string().transform(normalizeNumber);
export const dateField = () =>
  z.union([z.string().transform(normalizeDate), z.number().transform((n) => new Date(n * 1000).toISOString())]).nullish();

/** The object without its undefined properties: a field JustCall did not send stays absent. */
export function definedOnly<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
