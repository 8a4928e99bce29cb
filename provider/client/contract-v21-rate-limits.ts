// v2.1's rate limits: the plans' budgets, and what its rate-limit headers say. The reference:
// X-Rate-Limit-{Limit,Remaining,Reset} is the hour, X-Rate-Limit-Burst-* the minute.
import type { Headers, RateBudget, RateWindowObservation } from "./contract";
import type { Plan } from "./types";
import { numericHeader, retryAfterHeaderMs } from "./wire";

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The reference: Team 1,800 an hour and 30 a minute, Pro 3,600 and 60, Business 5,400 and 90. */
export const PLAN_LIMITS: Record<Plan, { hour: number; minute: number }> = {
  team: { hour: 1800, minute: 30 },
  pro: { hour: 3600, minute: 60 },
  business: { hour: 5400, minute: 90 },
};

/** Both windows of a plan, longest first: the governor admits a request through the hour, then the minute. */
export function planBudgets(plan: Plan = "team"): RateBudget[] {
  return [
    { window: "hour", limit: PLAN_LIMITS[plan].hour, windowMs: HOUR_MS },
    { window: "minute", limit: PLAN_LIMITS[plan].minute, windowMs: MINUTE_MS },
  ];
}

/**
 * ASSUMPTION: Reset is seconds until the window resets, like the guide's v1 header; a value that
 * can only be a Unix time in seconds (past 1e9) is read as one (the emulator sends those). A
 * whole number may be rounded down, so the reset is taken as up to one second later: the
 * governor must never believe a window ended before it did.
 */
function resetMs(headers: Headers, name: string, now: number): number | undefined {
  const s = numericHeader(headers, name);
  if (s === undefined) return undefined;
  const end = Number.isInteger(s) ? s + 1 : s;
  return s > 1e9 ? Math.max(0, end * 1000 - now) : end * 1000;
}

export function observeWindows(headers: Headers): RateWindowObservation[] {
  const now = Date.now();
  return [...windowFrom(headers, "hour", "x-rate-limit", now), ...windowFrom(headers, "minute", "x-rate-limit-burst", now)];
}

function windowFrom(headers: Headers, window: string, prefix: string, now: number): RateWindowObservation[] {
  const limit = numericHeader(headers, `${prefix}-limit`);
  const remaining = numericHeader(headers, `${prefix}-remaining`);
  const reset = resetMs(headers, `${prefix}-reset`, now);
  if (limit === undefined && remaining === undefined && reset === undefined) return [];
  return [{ window, limit, remaining, resetMs: reset }];
}

/** Retry-After is undocumented for v2.1: when absent, wait for the exhausted window's reset. */
export function retryAfterMsV21(headers: Headers): number | undefined {
  const given = retryAfterHeaderMs(headers);
  if (given !== undefined) return given;
  const windows = observeWindows(headers);
  const exhausted = windows.filter((w) => w.remaining === 0 && w.resetMs !== undefined).map((w) => w.resetMs as number);
  if (exhausted.length > 0) return Math.max(...exhausted);
  return windows.find((w) => w.window === "minute")?.resetMs;
}
