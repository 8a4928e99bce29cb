/**
 * Retry policy as pure functions: which failures are retried, how long to wait, when to give up.
 * The request loop (request.ts) is the only caller; the rate governor never retries.
 */
import type { RetryMode } from "./contract";

export interface RetryPolicy {
  /** Attempts that failed with a 5xx, a network error or a garbled body; 429 waits do not count. */
  maxAttempts: number;
  /** Total time from the first attempt, 429 waits included. */
  maxElapsedMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  maxElapsedMs: 120_000,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
};

export type Failure =
  /** An HTTP answer other than 2xx. */
  | { kind: "status"; status: number; retryAfterMs?: number }
  /** No HTTP answer. `sent: false` when the request provably never reached the server. */
  | { kind: "network"; code: string; sent: boolean }
  /** A 2xx whose body was not JSON (truncated, or a proxy's HTML). */
  | { kind: "garbled" };

export type RetryDecision =
  | { action: "fail"; reason: string }
  | {
      action: "retry";
      reason: string;
      delayMs: number;
      /** 429: the key is busy, the request was not processed; does not use up maxAttempts. */
      rateLimited: boolean;
      /** A non-idempotent write may have been applied: check the server's state before retrying. */
      reconcileFirst: boolean;
    };

export interface RetryInput {
  failure: Failure;
  mode: RetryMode;
  /** Counted attempts so far, including the one that just failed (429s excluded). */
  attempt: number;
  /** 429s received so far for this request, including this one. */
  rateLimitedCount: number;
  elapsedMs: number;
  policy: RetryPolicy;
  random?: () => number;
}

/** Network errors that no retry can fix: name resolution and TLS trust failures. */
const PERMANENT_NETWORK_CODES = new Set([
  "ENOTFOUND",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_INVALID_URL",
]);

/** Codes raised before any byte of the request reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export function networkFailure(code: string | undefined): Failure {
  const c = code ?? "UNKNOWN";
  return { kind: "network", code: c, sent: !NOT_SENT_CODES.has(c) };
}

/** Capped exponential backoff with equal jitter: half fixed, half random. attempt >= 1. */
export function backoffMs(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export function decideRetry(i: RetryInput): RetryDecision {
  const f = i.failure;
  const random = i.random ?? Math.random;
  const budgetLeft = i.policy.maxElapsedMs - i.elapsedMs;

  if (f.kind === "status" && f.status === 429) {
    // Rejected before processing, so safe for any write; wait as told, bounded by total time only.
    const delayMs = f.retryAfterMs ?? backoffMs(i.rateLimitedCount, i.policy, random);
    if (delayMs > budgetLeft) return { action: "fail", reason: "rate limited beyond maxElapsedMs" };
    return { action: "retry", reason: "429 rate limited", delayMs, rateLimited: true, reconcileFirst: false };
  }
  if (f.kind === "status" && f.status < 500) return { action: "fail", reason: `HTTP ${f.status} is not transient` };
  if (f.kind === "status" && f.status === 501) return { action: "fail", reason: "HTTP 501 is not transient" };
  if (f.kind === "network" && PERMANENT_NETWORK_CODES.has(f.code)) return { action: "fail", reason: `${f.code} is permanent` };
  if (i.attempt >= i.policy.maxAttempts) return { action: "fail", reason: `gave up after ${i.attempt} attempts` };

  const retryAfter = f.kind === "status" ? (f.retryAfterMs ?? 0) : 0;
  const delayMs = Math.max(retryAfter, backoffMs(i.attempt, i.policy, random));
  if (delayMs > budgetLeft) return { action: "fail", reason: "next attempt would exceed maxElapsedMs" };

  // A request that never left cannot have been applied.
  const unsent = f.kind === "network" && !f.sent;
  const reason = f.kind === "status" ? `HTTP ${f.status}` : f.kind === "network" ? f.code : "garbled body";
  return { action: "retry", reason, delayMs, rateLimited: false, reconcileFirst: i.mode === "reconcile" && !unsent };
}
