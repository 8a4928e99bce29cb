import { expect } from "chai";
import {
  backoffMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  type Failure,
  networkFailure,
  type RetryInput,
} from "../../../provider/client/retry";

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, maxElapsedMs: 60_000, baseDelayMs: 100, maxDelayMs: 1_000 };
const input = (failure: Failure, over: Partial<RetryInput> = {}): RetryInput => ({
  failure,
  mode: "idempotent",
  attempt: 1,
  rateLimitedCount: 0,
  elapsedMs: 0,
  policy,
  random: () => 0.5,
  ...over,
});

describe("client/retry: backoffMs", () => {
  it("doubles per attempt, with equal jitter between half and all of the step", () => {
    expect(backoffMs(1, policy, () => 0)).to.equal(50);
    expect(backoffMs(1, policy, () => 1)).to.equal(100);
    expect(backoffMs(2, policy, () => 0)).to.equal(100);
    expect(backoffMs(3, policy, () => 1)).to.equal(400);
  });
  it("is capped at maxDelayMs", () => {
    expect(backoffMs(30, policy, () => 1)).to.equal(1_000);
    expect(backoffMs(30, policy, () => 0)).to.equal(500);
  });
});

describe("client/retry: decideRetry", () => {
  const table: Array<[string, RetryInput, string, Partial<{ reconcileFirst: boolean; rateLimited: boolean; delayMs: number }>?]> = [
    ["503 on a GET retries", input({ kind: "status", status: 503 }), "retry", { reconcileFirst: false, rateLimited: false }],
    ["500 on a create reconciles first", input({ kind: "status", status: 500 }, { mode: "reconcile" }), "retry", { reconcileFirst: true }],
    ["502 honours a longer Retry-After", input({ kind: "status", status: 502, retryAfterMs: 5_000 }), "retry", { delayMs: 5_000 }],
    ["501 is permanent", input({ kind: "status", status: 501 }), "fail"],
    ["400 is not retried", input({ kind: "status", status: 400 }), "fail"],
    ["401 is not retried", input({ kind: "status", status: 401 }), "fail"],
    ["403 is not retried", input({ kind: "status", status: 403 }), "fail"],
    ["404 is not retried", input({ kind: "status", status: 404 }), "fail"],
    ["409 is not retried", input({ kind: "status", status: 409 }), "fail"],
    [
      "429 waits Retry-After",
      input({ kind: "status", status: 429, retryAfterMs: 2_000 }),
      "retry",
      { delayMs: 2_000, rateLimited: true, reconcileFirst: false },
    ],
    [
      "429 on a create needs no reconcile (not processed)",
      input({ kind: "status", status: 429, retryAfterMs: 1_000 }, { mode: "reconcile" }),
      "retry",
      { reconcileFirst: false, rateLimited: true },
    ],
    [
      "429 ignores maxAttempts",
      input({ kind: "status", status: 429, retryAfterMs: 1_000 }, { attempt: 99 }),
      "retry",
      { rateLimited: true },
    ],
    ["429 without Retry-After backs off", input({ kind: "status", status: 429 }, { rateLimitedCount: 2 }), "retry", { delayMs: 150 }],
    ["429 beyond maxElapsedMs fails", input({ kind: "status", status: 429, retryAfterMs: 10_000 }, { elapsedMs: 55_000 }), "fail"],
    ["reset on a GET retries", input(networkFailure("ECONNRESET")), "retry", { reconcileFirst: false }],
    ["reset on a create reconciles", input(networkFailure("ECONNRESET"), { mode: "reconcile" }), "retry", { reconcileFirst: true }],
    [
      "timeout on a create reconciles",
      input(networkFailure("UND_ERR_HEADERS_TIMEOUT"), { mode: "reconcile" }),
      "retry",
      { reconcileFirst: true },
    ],
    [
      "refused connection on a create retries without reconcile",
      input(networkFailure("ECONNREFUSED"), { mode: "reconcile" }),
      "retry",
      { reconcileFirst: false },
    ],
    ["DNS failure is permanent", input(networkFailure("ENOTFOUND")), "fail"],
    ["TLS trust failure is permanent", input(networkFailure("CERT_HAS_EXPIRED")), "fail"],
    ["garbled 200 on a GET retries", input({ kind: "garbled" }), "retry", { reconcileFirst: false }],
    ["garbled 200 on a create reconciles", input({ kind: "garbled" }, { mode: "reconcile" }), "retry", { reconcileFirst: true }],
    ["stops at maxAttempts", input({ kind: "status", status: 503 }, { attempt: 4 }), "fail"],
    ["stops when the next wait passes maxElapsedMs", input({ kind: "status", status: 503 }, { elapsedMs: 59_990 }), "fail"],
  ];
  for (const [name, i, action, extra] of table) {
    it(name, () => {
      const d = decideRetry(i);
      expect(d.action, d.reason).to.equal(action);
      if (extra && d.action === "retry") expect(d).to.include(extra);
    });
  }
});
