/**
 * The reads of JustCallClient (client.ts adds the writes), over one Requester. Reads of whole
 * lists go through list caches, which the writes patch with the server's answer.
 */
import { mergeAgent } from "./agent-fields";
import type { ApiContract, OperationContext, PageSpec, WriteOperation } from "./contract";
import { JustCallError, NotFoundError, unsupportedOperation } from "./errors";
import type { Metrics } from "./metrics";
import type { Requester } from "./request";
import { ListCache } from "./list-cache";
import { normalizeEmail } from "./shapes";
import type { Agent, ApiVersion, ClientMetrics, PhoneNumber, Team } from "./types";

/** How long a list serves later reads after it arrived (refresh and checks of one run share it). */
export const LIST_CACHE_TTL_MS = 60_000;
/**
 * How old the number list may be when it clears an agent's delete: a read shared by every delete
 * of the next few seconds, instead of one filtered read per agent (docs/deletion.md, "Numbers at
 * delete time").
 */
export const DELETE_CHECK_MAX_AGE_MS = 5_000;

/** What a client is built from (registry.ts builds it from ClientSettings). */
export interface ClientConfig {
  requester: Requester;
  metrics: Metrics;
  /** Whether whole lists are read once and shared (the setting justcall:snapshot). */
  cacheLists: boolean;
  listCacheTtlMs: number;
  release?: () => Promise<void>;
}

/** Not built directly: JustCallClient is (sharedClient() or createClient()). */
export class ClientReads {
  protected readonly requester: Requester;
  private readonly clientMetrics: Metrics;
  protected readonly cacheLists: boolean;
  protected readonly agentList: ListCache<Agent[]>;
  protected readonly teamList: ListCache<Team[]>;
  protected readonly numberList: ListCache<PhoneNumber[]>;
  private readonly release?: () => Promise<void>;

  protected constructor(config: ClientConfig) {
    this.requester = config.requester;
    this.clientMetrics = config.metrics;
    this.cacheLists = config.cacheLists;
    this.release = config.release;
    this.agentList = new ListCache(config.listCacheTtlMs, (progress) => this.collect(this.api.listAgents(), progress));
    this.teamList = new ListCache(config.listCacheTtlMs, () => this.collect(this.api.listTeams()));
    this.numberList = new ListCache(config.listCacheTtlMs, () => this.collect(this.api.listNumbers()));
  }

  protected get api(): ApiContract["endpoints"] {
    return this.requester.contract.endpoints;
  }

  /** The API version this client speaks ("v1" or "v2.1"). */
  get apiVersion(): ApiVersion {
    return this.requester.contract.version;
  }

  /** Whether this API version can do `op` at all (false: the method throws UnsupportedOperationError). */
  supports(op: WriteOperation): boolean {
    return typeof this.api[op] === "function";
  }

  // ---- agents ----

  /**
   * The agent, from the cached list when enabled. `complete` names fields the caller needs: when the
   * list did not report one of them (the guide's list leaves the time zone and the phone out), the agent is
   * also read by id and the two answers are merged. A field neither answer reports stays absent.
   * `anyAge`: from the list this client holds however old (see findAgentByEmail).
   */
  async readAgent(id: number, opts: { complete?: (keyof Agent)[]; anyAge?: boolean } = {}): Promise<Agent | undefined> {
    let listed: Agent | undefined;
    if (this.cacheLists) {
      listed = await this.agentList.find((a) => a.id === id, opts.anyAge ? Infinity : undefined);
      // Absent from the cached list: gone, or created since the list; ask for it directly.
      if (listed && (opts.complete ?? []).every((f) => listed![f] !== undefined)) return listed;
    }
    let single: Agent;
    try {
      single = await this.requester.send(this.api.getAgent(id));
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
    return listed ? mergeAgent(listed, single) : single;
  }

  /**
   * Case-insensitive. From the cached list when enabled, unless `fresh`; with `anyAge`, from the list
   * this client holds however old (a create's look-up: JustCall refusing a duplicate email is the
   * real check, so an old list costs nothing but that refusal, where re-reading every agent each
   * minute of a long up would spend a third of the rate budget and more).
   */
  async findAgentByEmail(email: string, opts: { fresh?: boolean; anyAge?: boolean } = {}): Promise<Agent | undefined> {
    const wanted = normalizeEmail(email);
    const match = (a: Agent) => normalizeEmail(a.email) === wanted;
    if (!this.cacheLists || opts.fresh) return (await this.listAgents()).find(match);
    return this.agentList.find(match, opts.anyAge ? Infinity : undefined);
  }

  /** All agents, fresh (all pages). Also refreshes the cached list. */
  async listAgents(): Promise<Agent[]> {
    const startedAt = Date.now();
    const all = await this.collect(this.api.listAgents());
    this.agentList.set(all, startedAt);
    return all;
  }

  /**
   * All agents, from the cached list when enabled (a read in flight is joined): for readers that
   * need the whole list but not this second's (the roster audit).
   */
  async agents(): Promise<Agent[]> {
    return this.cacheLists ? this.agentList.get() : this.listAgents();
  }

  // ---- teams ----

  async teams(): Promise<Team[]> {
    return this.cacheLists ? this.teamList.get() : this.collect(this.api.listTeams());
  }

  // ---- phone numbers ----

  async numbers(): Promise<PhoneNumber[]> {
    return this.cacheLists ? this.numberList.get() : this.collect(this.api.listNumbers());
  }

  /** Fresh, filtered by the server. */
  async numbersAssignedTo(agentId: number): Promise<PhoneNumber[]> {
    return this.collect(this.api.listNumbers({ assignedTo: agentId }));
  }

  /**
   * The numbers an agent holds, for the delete guard: from a number list read at most
   * DELETE_CHECK_MAX_AGE_MS before (or in flight), shared by all deletes of that window. With
   * list caching off, the guide's own check, one filtered read per agent.
   */
  async numbersHeldBy(agentId: number): Promise<PhoneNumber[]> {
    if (!this.cacheLists) return this.numbersAssignedTo(agentId);
    return (await this.numberList.get(DELETE_CHECK_MAX_AGE_MS)).filter((n) => n.assignedTo === agentId);
  }

  // ---- housekeeping ----

  /** Drops every cached list: the next reads list afresh. */
  invalidateListCache(): void {
    this.agentList.invalidate();
    this.teamList.invalidate();
    this.numberList.invalidate();
  }

  metrics(): ClientMetrics {
    return this.clientMetrics.read();
  }

  resetMetrics(): void {
    this.clientMetrics.reset();
  }

  /** Releases the connection pool and governor of a client from createClient(); no-op for shared clients. */
  async close(): Promise<void> {
    await this.release?.();
  }

  toJSON(): Record<string, unknown> {
    return { client: "JustCallClient" };
  }

  protected unsupported(op: WriteOperation, ctx: OperationContext) {
    return unsupportedOperation(this.requester.contract, op, ctx);
  }

  /** For naming a user in an error; never fails. `read: false` keeps it to what is in memory. */
  protected async emailOf(agentId: number, read = true): Promise<string | undefined> {
    if (!read) return this.agentList.peek()?.find((a) => a.id === agentId)?.email;
    try {
      return (await this.readAgent(agentId))?.email;
    } catch (err) {
      if (!(err instanceof JustCallError)) throw err;
      return undefined; // the error being built names the user by id instead
    }
  }

  /** Every item of every page; `progress` sees the items so far after each one. */
  protected async collect<T>(spec: PageSpec<T>, progress?: (sofar: T[]) => void): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.requester.paginate(spec)) {
      out.push(item);
      progress?.(out);
    }
    return out;
  }
}
