// Field rules shared by the resources' check functions (they run at preview, before any API call).
import { z } from "zod";
import { normalizeEmail } from "./client/shapes";

export { ROLES } from "./client/shapes";

/** What happens in JustCall to an agent that leaves the roster or the stack (see rosterGuard.ts). */
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
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+)*$/.test(name);
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

export function sameEmail(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && normalizeEmail(a) === normalizeEmail(b);
}
