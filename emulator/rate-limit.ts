/**
 * Per-API-key fixed-window rate limiting (guide: "100 requests per minute per API key",
 * 429 with Retry-After). A window of `windowMs` begins with the first request after the
 * previous window ended. Refused requests do not consume the budget, so a client that honours
 * Retry-After is never punished for having asked.
 */
export interface RateLimitConfig {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one. */
  remaining: number;
  /** Whole seconds until the window resets, rounded up. */
  resetSeconds: number;
}

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private config: RateLimitConfig | null) {}

  get current(): RateLimitConfig | null {
    return this.config;
  }

  /** Replacing the limits starts every key on a fresh window. */
  configure(config: RateLimitConfig | null): void {
    this.config = config;
    this.windows.clear();
  }

  reset(): void {
    this.windows.clear();
  }

  private window(key: string, now: number, config: RateLimitConfig): Window {
    let w = this.windows.get(key);
    if (!w || now >= w.start + config.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  private decision(w: Window | undefined, now: number, config: RateLimitConfig, allowed: boolean): RateDecision {
    const endsAt = w ? w.start + config.windowMs : now + config.windowMs;
    return {
      allowed,
      limit: config.limit,
      remaining: Math.max(0, config.limit - (w?.count ?? 0)),
      resetSeconds: Math.max(0, Math.ceil((endsAt - now) / 1000)),
    };
  }

  /** Counts one request for `key`; null when rate limiting is off. */
  take(key: string, now = Date.now()): RateDecision | null {
    const config = this.config;
    if (!config) return null;
    const w = this.window(key, now, config);
    if (w.count >= config.limit) return this.decision(w, now, config, false);
    w.count++;
    return this.decision(w, now, config, true);
  }

  /** The state of `key`'s window without counting a request (for 401/403 answers). */
  peek(key: string | null, now = Date.now()): RateDecision | null {
    const config = this.config;
    if (!config) return null;
    let w = key === null ? undefined : this.windows.get(key);
    if (w && now >= w.start + config.windowMs) w = undefined;
    return this.decision(w, now, config, true);
  }
}

/** Parses the CLI form: `100/60s`, `20/2s`, `500/1500ms`, `100/1m`, or `off`. */
export function parseRateLimit(spec: string): RateLimitConfig | null {
  if (spec.trim().toLowerCase() === "off") return null;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*(ms|s|m|h)?\s*$/.exec(spec);
  if (!m) throw new Error(`--rate-limit: expected LIMIT/WINDOW such as 100/60s, 20/2s or off, got "${spec}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[3] ?? "s") as "ms" | "s" | "m" | "h"];
  const config = { limit: Number(m[1]), windowMs: Number(m[2]) * unit };
  if (config.limit < 1 || config.windowMs < 1) throw new Error(`--rate-limit: limit and window must be positive, got "${spec}"`);
  return config;
}
