/**
 * The rate-limit step of every API request, after authentication: it takes the request's slot
 * in its key's window and sets the API's rate-limit headers. v1 and v2.1 keep separate budgets
 * per key (docs/emulator.md, v2.1 assumptions).
 */
import type { FastifyReply } from "fastify";
import type { EmulatorCore } from "./core";
import { ApiError } from "./errors";
import type { RateDecision } from "./rate-limit";
import type { V21RateDecision } from "./rate-limit-v21";
import type { Api } from "./request-context";
import type { Account } from "./state";

function setRateHeaders(reply: FastifyReply, d: RateDecision | null): void {
  if (!d) return;
  reply.header("x-ratelimit-limit", d.limit);
  reply.header("x-ratelimit-remaining", d.remaining);
  reply.header("x-ratelimit-reset", d.resetSeconds);
}

/** The published v2.1 headers: the hourly window, then the per-minute burst window (resets in epoch seconds). */
function setV21RateHeaders(reply: FastifyReply, d: V21RateDecision | null): void {
  if (!d) return;
  reply.header("x-rate-limit-limit", d.hour.limit);
  reply.header("x-rate-limit-remaining", d.hour.remaining);
  reply.header("x-rate-limit-reset", d.hour.resetEpoch);
  reply.header("x-rate-limit-burst-limit", d.burst.limit);
  reply.header("x-rate-limit-burst-remaining", d.burst.remaining);
  reply.header("x-rate-limit-burst-reset", d.burst.resetEpoch);
}

/**
 * The headers of a request refused before the rate limit (401, 403), which takes no slot. With no
 * account (a 401), v1 shows an unused window; v2.1 limits depend on the account's plan, so none.
 */
export function showRateWindow(core: EmulatorCore, api: Api, account: Account | null, reply: FastifyReply): void {
  if (api === "v1") setRateHeaders(reply, core.limiter.peek(account?.apiKey ?? null));
  else if (account) setV21RateHeaders(reply, core.v21Limiter.peek(account.apiKey, account.plan));
}

/** Takes the request's slot; past the limit, a 429 with Retry-After (a 429 takes no slot). */
export function takeRateLimitSlot(core: EmulatorCore, api: Api, account: Account, reply: FastifyReply): void {
  if (api === "v1") {
    const decision = core.limiter.take(account.apiKey);
    setRateHeaders(reply, decision);
    if (decision && !decision.allowed) {
      reply.header("retry-after", Math.max(1, decision.resetSeconds));
      throw new ApiError(429, "Rate limit exceeded");
    }
    return;
  }
  const decision = core.v21Limiter.take(account.apiKey, account.plan);
  setV21RateHeaders(reply, decision);
  if (decision && !decision.allowed) {
    // ASSUMPTION: the published reference documents no Retry-After; sent anyway, in seconds.
    reply.header("retry-after", decision.retryAfterSeconds);
    throw new ApiError(429, "Rate limit exceeded");
  }
}
