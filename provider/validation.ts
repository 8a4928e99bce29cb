// Field rules shared by the resources' check functions (they run at preview, before any API call).
import { z } from "zod";
import { normalizeEmail } from "./client/shapes";

export { ROLES } from "./client/shapes";

/** What happens in JustCall to an agent that leaves the roster or the stack (see roster-guard.ts). */
export const ON_REMOVE = ["delete", "keep"] as const;
export type OnRemove = (typeof ON_REMOVE)[number];

/** E.164: a plus, a country code that does not start with 0, up to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

const zones = new Set<string>([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);

/** True for a time zone name the IANA database knows (Intl also accepts aliases like US/Pacific). */
export function isIanaTimeZone(name: string): boolean {
  if (zones.has(name)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(name);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err; // Intl's answer to an unknown time zone
    return false;
  }
}

export const IANA_TIME_ZONE = z
  .string()
  .refine(isIanaTimeZone, { message: "must be an IANA time zone, like America/New_York or Europe/London" });

/** zod issues → Pulumi check failures: the property path and a plain sentence. */
export function checkFailures(error: z.ZodError): { property: string; reason: string }[] {
  return error.issues.map((issue) => {
    const property = issue.path.map(String).join(".") || "(inputs)";
    return { property, reason: `${property} ${issue.message}` };
  });
}

export { normalizeEmail };

/** A JustCall id as state or a program gives it: a positive integer in digits, nothing else ("1e3" is not agent 1000). */
export function strictId(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== "string" || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A resource id from state as a JustCall id; an error naming the resource when it is not one (nothing is sent). */
export function stateId(id: string, what: string): number {
  const n = strictId(id);
  if (n === undefined) {
    throw new Error(
      `${what}: the id ${JSON.stringify(id)} in the stack's state is not a JustCall id (a positive whole number); nothing was sent to JustCall. Check the state with pulumi stack export.`,
    );
  }
  return n;
}

export function sameEmail(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && normalizeEmail(a) === normalizeEmail(b);
}
