/**
 * JustCallClient: the operations the resources need, over one Requester. Reads of whole lists
 * go through list caches; writes patch the cached lists with the server's answer.
 */
import { isWhole, mergeAgent, sameField, sentFields } from "./agent-fields";
import type { ApiContract, OperationContext, PageSpec, WriteOperation } from "./contract";
import { ConflictError, duplicateByMeaning, JustCallError, NotFoundError, unsupportedOperation } from "./errors";
import type { Metrics } from "./metrics";
import type { Requester } from "./request";
import { normalizeEmail } from "./shapes";
import { ListCache } from "./list-cache";
import type { Agent, AgentInput, AgentPatch, ApiVersion, ClientMetrics, PhoneNumber, Team } from "./types";

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

export class JustCallClient {
  readonly #req: Requester;
  readonly #metrics: Metrics;
  readonly #cacheLists: boolean;
  readonly #agents: ListCache<Agent[]>;
  readonly #teams: ListCache<Team[]>;
  readonly #numbers: ListCache<PhoneNumber[]>;
  readonly #release?: () => Promise<void>;

  /** Use sharedClient() or createClient(). */
  constructor(config: ClientConfig) {
    this.#req = config.requester;
    this.#metrics = config.metrics;
    this.#cacheLists = config.cacheLists;
    this.#release = config.release;
    this.#agents = new ListCache(config.listCacheTtlMs, (progress) => this.#collect(this.#api.listAgents(), progress));
    this.#teams = new ListCache(config.listCacheTtlMs, () => this.#collect(this.#api.listTeams()));
    this.#numbers = new ListCache(config.listCacheTtlMs, () => this.#collect(this.#api.listNumbers()));
  }

  get #api(): ApiContract["endpoints"] {
    return this.#req.contract.endpoints;
  }

  /** The API version this client speaks ("v1" or "v2.1"). */
  get apiVersion(): ApiVersion {
    return this.#req.contract.version;
  }

  /** Whether this API version can do `op` at all (false: the method throws UnsupportedOperationError). */
  supports(op: WriteOperation): boolean {
    return typeof this.#api[op] === "function";
  }

  // ---- agents ----

  /**
   * The agent, from the cached list when enabled. `complete` names fields the caller needs: when the
   * list did not report one of them (the guide's list prints no timezone or phone), the agent is
   * also read by id and the two answers are merged. A field neither answer reports stays absent.
   */
  async readAgent(id: number, opts: { complete?: (keyof Agent)[] } = {}): Promise<Agent | undefined> {
    let listed: Agent | undefined;
    if (this.#cacheLists) {
      listed = await this.#agents.find((a) => a.id === id);
      // Absent from the cached list: gone, or created since the list; ask for it directly.
      if (listed && (opts.complete ?? []).every((f) => listed![f] !== undefined)) return listed;
    }
    let single: Agent;
    try {
      single = await this.#req.send(this.#api.getAgent(id));
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
    if (!this.#cacheLists || opts.fresh) return (await this.listAgents()).find(match);
    return this.#agents.find(match, opts.anyAge ? Infinity : undefined);
  }

  /** All agents, fresh (all pages). Also refreshes the cached list. */
  async listAgents(): Promise<Agent[]> {
    const startedAt = Date.now();
    const all = await this.#collect(this.#api.listAgents());
    this.#agents.set(all, startedAt);
    return all;
  }

  /**
   * Creates the agent (JustCall sends the invitation). Never retried blind: after an ambiguous
   * failure the agent is looked up by email (fresh list) and, if present, is the result.
   *
   * The guide's answer prints only the id, names and email: fields it leaves out are taken from
   * what was sent (JustCall accepted them), never invented.
   *
   * A duplicate email is recognised by meaning, not by status (the guide names none): a 409, a
   * 4xx whose message says the email exists, or any other 4xx after which a fresh look-up finds
   * the email. Each throws DuplicateEmailError; the create is never repeated.
   */
  async createAgent(input: AgentInput): Promise<Agent> {
    const create = this.#api.createAgent;
    if (!create) throw this.#unsupported("createAgent", { email: input.email });
    let answered: Agent;
    try {
      answered = await this.#req.send(create(input), {
        reconcile: async () => {
          const found = await this.findAgentByEmail(input.email, { fresh: true });
          return found ? { value: found } : undefined;
        },
      });
    } catch (e) {
      throw await duplicateByMeaning(e, input.email, (email) => this.findAgentByEmail(email, { fresh: true }));
    }
    const agent: Agent = { ...answered, ...mergeAgent({ id: answered.id, ...sentFields(input) }, answered) };
    // The same whether or not a list being read saw the new agent: that read is kept, not dropped
    // (dropped, the next create would start the whole list again).
    this.#agents.patchAll((list) => [...list.filter((a) => a.id !== agent.id), agent]);
    return agent;
  }

  /**
   * Where the API cannot update agents (v2.1), changes the agent already has are a no-op and any
   * other change throws UnsupportedOperationError naming the fields.
   */
  async updateAgent(id: number, changes: Partial<AgentInput>): Promise<Agent> {
    const fields = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<AgentInput>;
    const update = this.#api.updateAgent;
    if (Object.keys(fields).length === 0 || !update) {
      const current = await this.readAgent(id);
      if (!current) throw new NotFoundError(`JustCall agent ${id} does not exist; run pulumi refresh.`, { status: 404 });
      const differing = Object.keys(fields).filter((k) => !sameField(k as keyof AgentInput, current, fields));
      if (differing.length > 0) throw this.#unsupported("updateAgent", { agentId: id, email: current.email, fields: differing });
      return current;
    }
    // The guide's answer is the id and the changed fields only. It is merged with what was sent,
    // over what the cached list knew; the agent is re-read only when nothing is known of it (no
    // list cached) and the answer lacks its names or email: the guide's GET prints no role either,
    // so a re-read costs a request and is still not whole. A field nobody reported stays absent.
    const answered = await this.#req.send(update(id, fields));
    let known: AgentPatch | undefined = this.#agents.peek()?.find((a) => a.id === id);
    const sent = { id, ...sentFields(fields) };
    if (!known && !isWhole(mergeAgent(sent, answered))) known = await this.readAgent(id);
    const agent = mergeAgent(mergeAgent(known ?? { id }, sent), answered);
    if (!isWhole(agent)) throw new NotFoundError(`JustCall agent ${id} does not exist; run pulumi refresh.`, { status: 404 });
    this.#agents.patch((list) => list.map((a) => (a.id === agent.id ? agent : a)));
    return agent;
  }

  /** Where the API cannot delete agents (v2.1): "absent" when the agent is gone, else UnsupportedOperationError. */
  async deleteAgent(id: number): Promise<"deleted" | "absent"> {
    const del = this.#api.deleteAgent;
    if (!del) {
      const current = await this.readAgent(id);
      if (!current) return "absent";
      throw this.#unsupported("deleteAgent", { agentId: id, email: current.email });
    }
    let result: "deleted" | "absent" = "deleted";
    try {
      await this.#req.send(del(id));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      result = "absent";
    }
    this.#agents.patch((list) => list.filter((a) => a.id !== id));
    // The server drops memberships and assignments with the agent. The number list is patched,
    // not dropped, so that the next deletes of the run still share it (numbersHeldBy).
    this.#teams.invalidate();
    this.#numbers.patchAll((list) => list.map((n) => (n.assignedTo === id ? { ...n, assignedTo: null } : n)));
    return result;
  }

  // ---- teams ----

  async teams(): Promise<Team[]> {
    return this.#cacheLists ? this.#teams.get() : this.#collect(this.#api.listTeams());
  }

  /** Where the API has no membership writes (v2.1): "already-member" when so, else UnsupportedOperationError. */
  async addTeamMember(teamId: number, agentId: number): Promise<"added" | "already-member"> {
    const add = this.#api.addTeamMember;
    if (!add) {
      const team = (await this.teams()).find((t) => t.id === teamId);
      if (team?.agentIds.includes(agentId)) return "already-member";
      throw this.#unsupported("addTeamMember", { teamId, teamName: team?.name, agentId, email: await this.#emailOf(agentId) });
    }
    let result: "added" | "already-member" = "added";
    try {
      await this.#req.send(add(teamId, agentId), {
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

  /** Where the API has no membership writes (v2.1): "absent" when not a member, else UnsupportedOperationError. */
  async removeTeamMember(teamId: number, agentId: number): Promise<"removed" | "absent"> {
    const remove = this.#api.removeTeamMember;
    if (!remove) {
      const team = (await this.teams()).find((t) => t.id === teamId);
      if (!team?.agentIds.includes(agentId)) return "absent";
      throw this.#unsupported("removeTeamMember", { teamId, teamName: team.name, agentId, email: await this.#emailOf(agentId) });
    }
    let result: "removed" | "absent" = "removed";
    try {
      await this.#req.send(remove(teamId, agentId));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      result = "absent";
    }
    this.#teams.patch((list) => list.map((t) => (t.id === teamId ? { ...t, agentIds: t.agentIds.filter((a) => a !== agentId) } : t)));
    return result;
  }

  // ---- phone numbers ----

  async numbers(): Promise<PhoneNumber[]> {
    return this.#cacheLists ? this.#numbers.get() : this.#collect(this.#api.listNumbers());
  }

  /** Fresh, filtered by the server. */
  async numbersAssignedTo(agentId: number): Promise<PhoneNumber[]> {
    return this.#collect(this.#api.listNumbers({ assignedTo: agentId }));
  }

  /**
   * The numbers an agent holds, for the delete guard: from a number list read at most
   * DELETE_CHECK_MAX_AGE_MS before (or in flight), shared by all deletes of that window. With
   * list caching off, the guide's own check, one filtered read per agent.
   */
  async numbersHeldBy(agentId: number): Promise<PhoneNumber[]> {
    if (!this.#cacheLists) return this.numbersAssignedTo(agentId);
    return (await this.#numbers.get(DELETE_CHECK_MAX_AGE_MS)).filter((n) => n.assignedTo === agentId);
  }

  /**
   * Setting an owner is idempotent, so this is retried like a read. Where the API cannot assign
   * numbers (v2.1): the number when it already has this owner, else UnsupportedOperationError.
   */
  async assignNumber(numberId: number, agentId: number | null): Promise<PhoneNumber> {
    const assign = this.#api.assignNumber;
    if (!assign) {
      const current = (await this.numbers()).find((x) => x.id === numberId);
      if (current && current.assignedTo === agentId) return current;
      throw this.#unsupported("assignNumber", {
        numberId,
        number: current?.number,
        assignTo: agentId,
        assignToEmail: agentId === null ? undefined : await this.#emailOf(agentId),
      });
    }
    const n = await this.#req.send(assign(numberId, agentId));
    // The number's owner as the server now has it, whether or not a list being read saw the write.
    this.#numbers.patchAll((list) => list.map((x) => (x.id === n.id ? n : x)));
    this.#agents.patchAll((list) =>
      list.map((a) => {
        if (a.numbers === undefined) return a;
        const others = a.numbers.filter((x) => x !== n.number);
        return a.id === n.assignedTo
          ? { ...a, numbers: [...others, n.number] }
          : others.length === a.numbers.length
            ? a
            : { ...a, numbers: others };
      }),
    );
    return n;
  }

  // ---- availability ----

  /**
   * Sets whether the agent takes calls (v2.1: PUT /v2.1/users/availability; `reason` is sent only
   * with available = false). Answers the agent as the server has it afterwards. v1 has no such
   * write (the guide: status is read-only) and throws UnsupportedOperationError.
   */
  async setAvailability(agentId: number, available: boolean, reason?: string): Promise<Agent> {
    const set = this.#api.setAvailability;
    if (!set) throw this.#unsupported("setAvailability", { agentId, email: await this.#emailOf(agentId, false) });
    const answered = await this.#req.send(set(agentId, available, reason));
    const agent = answered ?? (await this.#req.send(this.#api.getAgent(agentId)));
    this.#agents.patch((list) => list.map((a) => (a.id === agent.id ? agent : a)));
    return agent;
  }

  // ---- housekeeping ----

  /** Drops every cached list: the next reads list afresh. */
  invalidateListCache(): void {
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

  #unsupported(op: WriteOperation, ctx: OperationContext) {
    return unsupportedOperation(this.#req.contract, op, ctx);
  }

  /** For naming a user in an error; never fails. `read: false` keeps it to what is in memory. */
  async #emailOf(agentId: number, read = true): Promise<string | undefined> {
    if (!read) return this.#agents.peek()?.find((a) => a.id === agentId)?.email;
    try {
      return (await this.readAgent(agentId))?.email;
    } catch (err) {
      if (!(err instanceof JustCallError)) throw err;
      return undefined; // the error being built names the user by id instead
    }
  }

  /** Every item of every page; `progress` sees the items so far after each one. */
  async #collect<T>(spec: PageSpec<T>, progress?: (sofar: T[]) => void): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.#req.paginate(spec)) {
      out.push(item);
      progress?.(out);
    }
    return out;
  }
}
