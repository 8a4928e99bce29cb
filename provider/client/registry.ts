/**
 * Building clients, and the process-wide registry of shared ones. Keys: a client is found by API
 * version, base URL (origin and path prefix) and key digest, and kept while the digest of its
 * secret and other settings still matches (otherwise replaced); a rate governor by API version
 * and key digest; a connection pool by origin. It holds no key or secret, only HMAC digests of
 * them under a random per-process key.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Pool } from "undici";
import { contractFor, startingBudgets } from "./budgets";
import { JustCallClient } from "./client";
import { LIST_CACHE_TTL_MS } from "./client-reads";
import type { ApiContract } from "./contract";
import { RateGovernor } from "./governor";
import { Metrics } from "./metrics";
import { processGlobal } from "./process-global";
import { Requester } from "./request";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
import { newPool, parseBaseUrl } from "./transport";
import type { ClientSettings } from "./types";

const DEFAULT_TIMEOUT_MS = 30_000;

interface Registry {
  hmacKey: Buffer;
  clients: Map<string, { client: JustCallClient; fingerprint: string }>;
  governors: Map<string, RateGovernor>;
  pools: Map<string, Pool>;
}

function registry(): Registry {
  return processGlobal<Registry>("clients", () => ({
    hmacKey: randomBytes(32),
    clients: new Map(),
    governors: new Map(),
    pools: new Map(),
  }));
}

/** Keyed digests, so the registry never holds a key or secret, even hashed without a salt. */
function digest(...parts: string[]): string {
  return createHmac("sha256", registry().hmacKey).update(parts.join("\u0000")).digest("hex");
}

function resolve(settings: ClientSettings) {
  const timeoutMs = settings.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: settings.retry?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    maxElapsedMs: settings.retry?.maxElapsedMs ?? DEFAULT_RETRY_POLICY.maxElapsedMs,
  };
  return { timeoutMs, policy, connectTimeoutMs: Math.min(10_000, timeoutMs) };
}

function build(settings: ClientSettings, contract: ApiContract, pool: Pool, governor: RateGovernor, release?: () => Promise<void>) {
  const { timeoutMs, policy } = resolve(settings);
  const metrics = new Metrics();
  const requester = new Requester({
    contract,
    endpoint: parseBaseUrl(settings.baseUrl, contract.stripBasePath),
    pool,
    governor,
    policy,
    timeoutMs,
    metrics,
    apiKey: settings.apiKey,
    apiSecret: settings.apiSecret,
  });
  return new JustCallClient({
    requester,
    metrics,
    cacheLists: settings.snapshot ?? true,
    listCacheTtlMs: settings.snapshotTtlMs ?? LIST_CACHE_TTL_MS,
    release,
  });
}

/**
 * The process-wide client for (API version, base URL, API key), kept on globalThis so that every
 * resource class (each its own deserialized copy of the provider) shares it. Another secret or
 * other settings for the same key replace it with a new client that shares the key's rate
 * governor.
 */
export function sharedClient(settings: ClientSettings, contract: ApiContract = contractFor(settings.apiVersion)): JustCallClient {
  const reg = registry();
  const endpoint = parseBaseUrl(settings.baseUrl, contract.stripBasePath);
  const keyId = digest("key", settings.apiKey);
  const id = `${contract.version} ${endpoint.origin}${endpoint.prefix} ${keyId}`;
  const fingerprint = digest(
    "settings",
    settings.apiSecret,
    JSON.stringify([
      settings.requestTimeoutMs,
      settings.retry,
      settings.rateLimit,
      settings.snapshot,
      settings.snapshotTtlMs,
      settings.plan,
      settings.rateLimits,
    ]),
  );
  const existing = reg.clients.get(id);
  if (existing && existing.fingerprint === fingerprint) return existing.client;

  // One governor per key and API version: the versions' windows differ (one minute in v1, an
  // hour and a minute in v2.1). The first client of a key sets its starting budgets.
  const governorId = `${contract.version} ${keyId}`;
  let governor = reg.governors.get(governorId);
  if (!governor) {
    governor = new RateGovernor(startingBudgets(settings, contract));
    reg.governors.set(governorId, governor);
  }
  let pool = reg.pools.get(endpoint.origin);
  if (!pool) {
    pool = newPool(endpoint.origin, resolve(settings).connectTimeoutMs);
    reg.pools.set(endpoint.origin, pool);
  }
  const client = build(settings, contract, pool, governor);
  reg.clients.set(id, { client, fingerprint });
  return client;
}

/** A private client with its own pool and governor (tests, tools). Call close() when done. */
export function createClient(settings: ClientSettings, contract: ApiContract = contractFor(settings.apiVersion)): JustCallClient {
  const endpoint = parseBaseUrl(settings.baseUrl, contract.stripBasePath);
  const budgets = startingBudgets(settings, contract);
  const pool = newPool(endpoint.origin, resolve(settings).connectTimeoutMs);
  const governor = new RateGovernor(budgets);
  return build(settings, contract, pool, governor, async () => {
    await governor.stop();
    await pool.close();
  });
}

/** Forgets every shared client, governor and pool of this process (tests). */
export async function resetSharedClients(): Promise<void> {
  const reg = registry();
  const governors = [...reg.governors.values()];
  const pools = [...reg.pools.values()];
  reg.clients.clear();
  reg.governors.clear();
  reg.pools.clear();
  await Promise.all([...governors.map((g) => g.stop()), ...pools.map((p) => p.close())]);
}
