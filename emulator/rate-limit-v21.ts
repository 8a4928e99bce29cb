/**
 * The published v2.1 rate limits (developer.justcall.io, "Rate Limits"): per API key, two windows
 * at once, an hourly one and a per-minute "burst" one, whose sizes depend on the account's plan.
 * A request passes only if both windows have room, and then counts in both. As for v1, each
 * window is fixed: it begins with the first request after the previous one ended, and a refused
 * request uses up nothing. The budget is separate from the v1 limiter's (see docs/emulator.md).
 */
import { parseRateLimit, type RateLimitConfig } from "./rate-limit";
import type { Plan } from "./state";

export interface V21RateLimitConfig {
  /** X-Rate-Limit-*: the hourly window. */
  hour: RateLimitConfig;
  /** X-Rate-Limit-Burst-*: the per-minute window. */
  burst: RateLimitConfig;
}

/** Published: Team 1,800/h and 30/min, Pro 3,600/h and 60/min, Business 5,400/h and 90/min. */
export const PLAN_LIMITS: Record<Plan, V21RateLimitConfig> = {
  team: { hour: { limit: 1800, windowMs: 3_600_000 }, burst: { limit: 30, windowMs: 60_000 } },
  pro: { hour: { limit: 3600, windowMs: 3_600_000 }, burst: { limit: 60, windowMs: 60_000 } },
  business: { hour: { limit: 5400, windowMs: 3_600_000 }, burst: { limit: 90, windowMs: 60_000 } },
};

/** 'plan': each key by its account's plan; a config: the same windows for every key; null: off. */
export type V21RateLimitMode = "plan" | V21RateLimitConfig | null;

export interface WindowState {
  limit: number;
  /** Requests left in this window after this one. */
  remaining: number;
  /** When the window ends, in UTC epoch seconds (rounded up), as the published headers give it. */
  resetEpoch: number;
}

export interface V21RateDecision {
  allowed: boolean;
  hour: WindowState;
  burst: WindowState;
  /** For a refusal: whole seconds until every full window has reset, at least 1. */
  retryAfterSeconds: number;
}

interface Window {
  start: number;
  count: number;
}

export class V21RateLimiter {
  private readonly windows = new Map<string, { hour?: Window; burst?: Window }>();

  constructor(private mode: V21RateLimitMode) {}

  get current(): V21RateLimitMode {
    return this.mode;
  }

  /** A new mode starts every key on fresh windows. */
  configure(mode: V21RateLimitMode): void {
    this.mode = mode;
    this.windows.clear();
  }

  private limits(plan: Plan): V21RateLimitConfig | null {
    if (this.mode === null) return null;
    return this.mode === "plan" ? PLAN_LIMITS[plan] : this.mode;
  }

  private static live(w: Window | undefined, now: number, config: RateLimitConfig): Window | undefined {
    return w && now < w.start + config.windowMs ? w : undefined;
  }

  private static state(w: Window | undefined, now: number, config: RateLimitConfig): WindowState {
    const endsAt = w ? w.start + config.windowMs : now + config.windowMs;
    return {
      limit: config.limit,
      remaining: Math.max(0, config.limit - (w?.count ?? 0)),
      resetEpoch: Math.ceil(endsAt / 1000),
    };
  }

  /** Counts one request for `key` in both windows if both have room; null when limits are off. */
  take(key: string, plan: Plan, now = Date.now()): V21RateDecision | null {
    const limits = this.limits(plan);
    if (!limits) return null;
    const slot = this.windows.get(key) ?? {};
    this.windows.set(key, slot);
    slot.hour = V21RateLimiter.live(slot.hour, now, limits.hour) ?? { start: now, count: 0 };
    slot.burst = V21RateLimiter.live(slot.burst, now, limits.burst) ?? { start: now, count: 0 };
    const hourFull = slot.hour.count >= limits.hour.limit;
    const burstFull = slot.burst.count >= limits.burst.limit;
    if (!hourFull && !burstFull) {
      slot.hour.count++;
      slot.burst.count++;
    }
    const waits = [
      hourFull ? slot.hour.start + limits.hour.windowMs - now : 0,
      burstFull ? slot.burst.start + limits.burst.windowMs - now : 0,
    ];
    return {
      allowed: !hourFull && !burstFull,
      hour: V21RateLimiter.state(slot.hour, now, limits.hour),
      burst: V21RateLimiter.state(slot.burst, now, limits.burst),
      retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)),
    };
  }

  /** The windows of `key` without counting a request (for a 403). */
  peek(key: string, plan: Plan, now = Date.now()): V21RateDecision | null {
    const limits = this.limits(plan);
    if (!limits) return null;
    const slot = this.windows.get(key) ?? {};
    return {
      allowed: true,
      hour: V21RateLimiter.state(V21RateLimiter.live(slot.hour, now, limits.hour), now, limits.hour),
      burst: V21RateLimiter.state(V21RateLimiter.live(slot.burst, now, limits.burst), now, limits.burst),
      retryAfterSeconds: 1,
    };
  }
}

/**
 * The CLI form of --v21-rate-limit: `plan` (default), `off`, or `HOUR,BURST` where each is a
 * --rate-limit window such as `1800/1h,30/1m` or, scaled down, `20/10s,5/2s`.
 */
export function parseV21RateLimit(spec: string): V21RateLimitMode {
  const s = spec.trim().toLowerCase();
  if (s === "plan") return "plan";
  if (s === "off") return null;
  const parts = spec.split(",");
  const fail = () => new Error(`--v21-rate-limit: expected plan, off or HOUR,BURST such as 1800/1h,30/1m, got "${spec}"`);
  if (parts.length !== 2) throw fail();
  let windows: Array<RateLimitConfig | null>;
  try {
    windows = parts.map((p) => parseRateLimit(p));
  } catch (err) {
    // parseRateLimit's message names --rate-limit; this flag's own says what it takes.
    if (!(err instanceof Error)) throw err;
    throw fail();
  }
  const [hour, burst] = windows;
  if (!hour || !burst) throw fail();
  return { hour, burst };
}
