/**
 * Which contract a client speaks, and the rate budgets its governor starts from (the settings,
 * the plan and the contract's defaults). Headers take over from the first response.
 */
import type { ApiContract, RateBudget } from "./contract";
import { contractV1 } from "./contract-v1";
import { contractV21 } from "./contract-v21";
import { PLAN_LIMITS } from "./contract-v21-rate-limits";
import { ConfigurationError } from "./errors";
import type { ApiVersion, ClientSettings } from "./types";

const CONTRACTS: Record<ApiVersion, ApiContract> = { v1: contractV1, "v2.1": contractV21 };

/** The contract of an API version; ConfigurationError for an unknown one. */
export function contractFor(version: ApiVersion | undefined): ApiContract {
  const v = version ?? "v1";
  const c = Object.hasOwn(CONTRACTS, v) ? CONTRACTS[v] : undefined;
  if (!c)
    throw new ConfigurationError(
      `JustCall API version "${String(v)}" is not supported; use "v1" (the guide) or "v2.1" (JustCall's published reference).`,
    );
  return c;
}

/**
 * Starting budgets, one per window of the contract. A v1 client keeps settings.rateLimit.
 * A multi-window contract takes the plan's budgets, then settings.rateLimits per window, then
 * settings.rateLimit for the window whose length is nearest to it (e.g. "30/60s" → the minute).
 */
export function startingBudgets(settings: ClientSettings, contract: ApiContract): RateBudget[] {
  if (settings.plan !== undefined && !Object.hasOwn(PLAN_LIMITS, settings.plan)) {
    throw new ConfigurationError(`JustCall plan "${String(settings.plan)}" is unknown; use "team", "pro" or "business".`);
  }
  const defaults = contract.defaultRateLimits(settings.plan);
  if (defaults.length === 1 && defaults[0].window === undefined) return [settings.rateLimit ?? contract.defaultRateLimit];
  const overrides = (settings.rateLimits ?? {}) as Record<string, { limit: number; windowMs?: number } | undefined>;
  const budgets = defaults.map((d) => {
    const o = d.window === undefined ? undefined : overrides[d.window];
    return o ? { window: d.window, limit: o.limit, windowMs: o.windowMs ?? d.windowMs } : { ...d };
  });
  const one = settings.rateLimit;
  if (one) {
    const gap = (b: RateBudget) => Math.abs(Math.log(b.windowMs / one.windowMs));
    const nearest = budgets.reduce((best, b) => (gap(b) < gap(best) ? b : best));
    nearest.limit = one.limit;
    nearest.windowMs = one.windowMs;
  }
  for (const b of budgets) {
    if (!(Number.isFinite(b.limit) && b.limit >= 1 && Number.isFinite(b.windowMs) && b.windowMs > 0)) {
      throw new ConfigurationError(
        `JustCall rate limit for the ${b.window ?? ""} window must allow at least 1 request in a window longer than 0.`,
      );
    }
  }
  return budgets;
}
