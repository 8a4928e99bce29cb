/**
 * JustCallClient: the operations the resources need, over one Requester. Reads of whole lists
 * go through snapshots; writes patch the snapshots with the server's answer.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Pool } from "undici";
import type { ApiContract, PageSpec } from "./contract";
import { contractV1 } from "./contract-v1";
import { ConflictError, NotFoundError } from "./errors";
import { RateGovernor } from "./governor";
import { Metrics } from "./metrics";
import { Requester } from "./request";
import { DEFAULT_RETRY_POLICY, RetryPolicy } from "./retry";
import { Snapshot } from "./snapshot";
import { newPool, parseBaseUrl } from "./transport";
import type { Agent, AgentInput, ClientMetrics, ClientSettings, PhoneNumber, Team } from "./types";

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_SNAPSHOT_TTL_MS = 60_000;

interface Parts {
  requester: Requester;
  metrics: Metrics;
  snapshot: boolean;
  snapshotTtlMs: number;
  release?: () => Promise<void>;
}

export class JustCallClient {
  readonly #req: Requester;
  readonly #metrics: Metrics;
  readonly #useSnapshot: boolean;
  readonly #agents: Snapshot<Agent[]>;
  readonly #teams: Snapshot<Team[]>;
  readonly #numbers: Snapshot<PhoneNumber[]>;
  readonly #release?: () => Promise<void>;

  /** Use sharedClient() or createClient(). */
  constructor(parts: Parts) {
    this.#req = parts.requester;
    this.#metrics = parts.metrics;
    this.#useSnapshot = parts.snapshot;
    this.#release = parts.release;
    this.#agents = new Snapshot(parts.snapshotTtlMs, () => this.#collect(this.#api.listAgents()));
    this.#teams = new Snapshot(parts.snapshotTtlMs, () => this.#collect(this.#api.listTeams()));
    this.#numbers = new Snapshot(parts.snapshotTtlMs, () => this.#collect(this.#api.listNumbers()));
  }

  get #api(): ApiContract["endpoints"] {
    return this.#req.contract.endpoints;
  }

  // ---- agents ----

  async readAgent(id: number): Promise<Agent | undefined> {
    if (this.#useSnapshot) {
      const hit = (await this.#agents.get()).find((a) => a.id === id);
      if (hit) return hit;
      // Absent from the snapshot: gone, or created since the list; ask for it directly.
    }
    try {
      return await this.#req.send(this.#api.getAgent(id));
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  /** Case-insensitive. From the snapshot when enabled, unless `fresh`. */
  async findAgentByEmail(email: string, opts: { fresh?: boolean } = {}): Promise<Agent | undefined> {
    const wanted = email.trim().toLowerCase();
    const agents = this.#useSnapshot && !opts.fresh ? await this.#agents.get() : await this.listAgents();
    return agents.find((a) => a.email.trim().toLowerCase() === wanted);
  }

  /** All agents, fresh (all pages). Also refreshes the snapshot. */
  async listAgents(): Promise<Agent[]> {
    const startedAt = Date.now();
    const all = await this.#collect(this.#api.listAgents());
    this.#agents.set(all, startedAt);
    return all;
  }

  /**
   * Creates the agent (JustCall sends the invitation). Never retried blind: after an ambiguous
   * failure the agent is looked up by email (fresh list) and, if present, is the result.
   * A 409 on the first attempt throws DuplicateEmailError.
   */
  async createAgent(input: AgentInput): Promise<Agent> {
    const agent = await this.#req.send(this.#api.createAgent(input), {
      reconcile: async () => {
        const found = await this.findAgentByEmail(input.email, { fresh: true });
        return found ? { value: found } : undefined;
      },
    });
    this.#agents.patch((list) => [...list.filter((a) => a.id !== agent.id), agent]);
    return agent;
  }

  async updateAgent(id: number, changes: Partial<AgentInput>): Promise<Agent> {
    const fields = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<AgentInput>;
    if (Object.keys(fields).length === 0) {
      const current = await this.readAgent(id);
      if (!current) throw new NotFoundError(`JustCall agent ${id} does not exist; run pulumi refresh.`, { status: 404 });
      return current;
    }
    const agent = await this.#req.send(this.#api.updateAgent(id, fields));
    this.#agents.patch((list) => list.map((a) => (a.id === agent.id ? agent : a)));
    return agent;
  }

  async deleteAgent(id: number): Promise<"deleted" | "absent"> {
    let result: "deleted" | "absent" = "deleted";
    try {
      await this.#req.send(this.#api.deleteAgent(id));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      result = "absent";
    }
    this.#agents.patch((list) => list.filter((a) => a.id !== id));
    // The server drops memberships and assignments with the agent.
    this.#teams.invalidate();
    this.#numbers.invalidate();
    return result;
  }

  // ---- teams ----

  async teams(): Promise<Team[]> {
    return this.#useSnapshot ? this.#teams.get() : this.#collect(this.#api.listTeams());
  }

  async addTeamMember(teamId: number, agentId: number): Promise<"added" | "already-member"> {
    let result: "added" | "already-member" = "added";
    try {
      await this.#req.send(this.#api.addTeamMember(teamId, agentId), {
        reconcile: async () => {
          const team = (await this.#collect(this.#api.listTeams())).find((t) => t.id === teamId);
          return team?.agentIds.includes(agentId) ? { value: undefined } : undefined;
        },
      });
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      result = "already-member";
    }
    this.#teams.patch((list) =>
      list.map((t) => (t.id === teamId && !t.agentIds.includes(agentId) ? { ...t, agentIds: [...t.agentIds, agentId] } : t)),
    );
    return result;
  }

  async removeTeamMember(teamId: number, agentId: number): Promise<"removed" | "absent"> {
    let result: "removed" | "absent" = "removed";
    try {
      await this.#req.send(this.#api.removeTeamMember(teamId, agentId));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      result = "absent";
    }
    this.#teams.patch((list) => list.map((t) => (t.id === teamId ? { ...t, agentIds: t.agentIds.filter((a) => a !== agentId) } : t)));
    return result;
  }

  // ---- phone numbers ----

  async numbers(): Promise<PhoneNumber[]> {
    return this.#useSnapshot ? this.#numbers.get() : this.#collect(this.#api.listNumbers());
  }

  /** Fresh, filtered by the server. */
  async numbersAssignedTo(agentId: number): Promise<PhoneNumber[]> {
    return this.#collect(this.#api.listNumbers({ assignedTo: agentId }));
  }

  /** Setting an owner is idempotent, so this is retried like a read. */
  async assignNumber(numberId: number, agentId: number | null): Promise<PhoneNumber> {
    const n = await this.#req.send(this.#api.assignNumber(numberId, agentId));
    this.#numbers.patch((list) => list.map((x) => (x.id === n.id ? n : x)));
    this.#agents.patch((list) =>
      list.map((a) => {
        const others = a.numbers.filter((x) => x !== n.number);
        return a.id === n.assignedTo ? { ...a, numbers: [...others, n.number] } : others.length === a.numbers.length ? a : { ...a, numbers: others };
      }),
    );
    return n;
  }

  // ---- housekeeping ----

  invalidateSnapshot(): void {
    this.#agents.invalidate();
    this.#teams.invalidate();
    this.#numbers.invalidate();
  }

  metrics(): ClientMetrics {
    return this.#metrics.read();
  }

  resetMetrics(): void {
    this.#metrics.reset();
  }

  /** Releases the connection pool and governor of a client from createClient(); no-op for shared clients. */
  async close(): Promise<void> {
    await this.#release?.();
  }

  toJSON(): Record<string, unknown> {
    return { client: "JustCallClient" };
  }

  async #collect<T>(spec: PageSpec<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.#req.paginate(spec)) out.push(item);
    return out;
  }
}

// ---- construction and the process-wide registry ----

interface Registry {
  hmacKey: Buffer;
  clients: Map<string, { client: JustCallClient; fingerprint: string }>;
  governors: Map<string, RateGovernor>;
  pools: Map<string, Pool>;
}

const REGISTRY = Symbol.for("pulumi-justcall.clients");

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (g[REGISTRY] ??= { hmacKey: randomBytes(32), clients: new Map(), governors: new Map(), pools: new Map() });
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
    snapshot: settings.snapshot ?? true,
    snapshotTtlMs: settings.snapshotTtlMs ?? DEFAULT_SNAPSHOT_TTL_MS,
    release,
  });
}

/**
 * The process-wide client for (baseUrl, apiKey), kept on globalThis so that every resource
 * class (each its own deserialized copy of the provider) shares it. Other settings for the same
 * key get a new client that shares the key's rate governor.
 */
export function sharedClient(settings: ClientSettings, contract: ApiContract = contractV1): JustCallClient {
  const reg = registry();
  const endpoint = parseBaseUrl(settings.baseUrl, contract.stripBasePath);
  const keyId = digest("key", settings.apiKey);
  const id = `${contract.version} ${endpoint.origin}${endpoint.prefix} ${keyId}`;
  const fingerprint = digest(
    "settings",
    settings.apiSecret,
    JSON.stringify([settings.requestTimeoutMs, settings.retry, settings.rateLimit, settings.snapshot, settings.snapshotTtlMs]),
  );
  const existing = reg.clients.get(id);
  if (existing && existing.fingerprint === fingerprint) return existing.client;

  let governor = reg.governors.get(keyId);
  if (!governor) {
    governor = new RateGovernor(settings.rateLimit ?? contract.defaultRateLimit);
    reg.governors.set(keyId, governor);
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
export function createClient(settings: ClientSettings, contract: ApiContract = contractV1): JustCallClient {
  const endpoint = parseBaseUrl(settings.baseUrl, contract.stripBasePath);
  const pool = newPool(endpoint.origin, resolve(settings).connectTimeoutMs);
  const governor = new RateGovernor(settings.rateLimit ?? contract.defaultRateLimit);
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
