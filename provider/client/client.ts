/**
 * JustCallClient: the operations the resources need. The reads, and the list caches they share,
 * are in client-reads.ts; here are the writes, each patching the cached lists with the server's
 * answer.
 */
import { isWhole, mergeAgent, sameField, sentFields } from "./agent-fields";
import { type ClientConfig, ClientReads } from "./client-reads";
import { ConflictError, duplicateByMeaning, NotFoundError } from "./errors";
import type { Agent, AgentInput, AgentPatch, PhoneNumber } from "./types";

export class JustCallClient extends ClientReads {
  /** Use sharedClient() or createClient(). Public here: ClientReads' constructor is protected. */
  constructor(config: ClientConfig) {
    super(config);
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
    const create = this.api.createAgent;
    if (!create) throw this.unsupported("createAgent", { email: input.email });
    let answered: Agent;
    try {
      answered = await this.requester.send(create(input), {
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
    this.agentList.patchAll((list) => [...list.filter((a) => a.id !== agent.id), agent]);
    return agent;
  }

  /**
   * Where the API cannot update agents (v2.1), changes the agent already has are a no-op and any
   * other change throws UnsupportedOperationError naming the fields.
   */
  async updateAgent(id: number, changes: Partial<AgentInput>): Promise<Agent> {
    const fields = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<AgentInput>;
    const update = this.api.updateAgent;
    if (Object.keys(fields).length === 0 || !update) {
      const current = await this.readAgent(id);
      if (!current) throw new NotFoundError(`JustCall agent ${id} does not exist; run pulumi refresh.`, { status: 404 });
      const differing = Object.keys(fields).filter((k) => !sameField(k as keyof AgentInput, current, fields));
      if (differing.length > 0) throw this.unsupported("updateAgent", { agentId: id, email: current.email, fields: differing });
      return current;
    }
    // The guide's answer is the id and the changed fields only. It is merged with what was sent,
    // over what the cached list knew; the agent is re-read only when nothing is known of it (no
    // list cached) and the answer lacks its names or email: the guide's GET prints no role either,
    // so a re-read costs a request and is still not whole. A field nobody reported stays absent.
    const answered = await this.requester.send(update(id, fields));
    let known: AgentPatch | undefined = this.agentList.peek()?.find((a) => a.id === id);
    const sent = { id, ...sentFields(fields) };
    if (!known && !isWhole(mergeAgent(sent, answered))) known = await this.readAgent(id);
    const agent = mergeAgent(mergeAgent(known ?? { id }, sent), answered);
    if (!isWhole(agent)) throw new NotFoundError(`JustCall agent ${id} does not exist; run pulumi refresh.`, { status: 404 });
    this.agentList.patch((list) => list.map((a) => (a.id === agent.id ? agent : a)));
    return agent;
  }

  /** Where the API cannot delete agents (v2.1): "absent" when the agent is gone, else UnsupportedOperationError. */
  async deleteAgent(id: number): Promise<"deleted" | "absent"> {
    const del = this.api.deleteAgent;
    if (!del) {
      const current = await this.readAgent(id);
      if (!current) return "absent";
      throw this.unsupported("deleteAgent", { agentId: id, email: current.email });
    }
    let result: "deleted" | "absent" = "deleted";
    try {
      await this.requester.send(del(id));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      result = "absent";
    }
    this.agentList.patch((list) => list.filter((a) => a.id !== id));
    // The server drops memberships and assignments with the agent. The number list is patched,
    // not dropped, so that the next deletes of the run still share it (numbersHeldBy).
    this.teamList.invalidate();
    this.numberList.patchAll((list) => list.map((n) => (n.assignedTo === id ? { ...n, assignedTo: null } : n)));
    return result;
  }

  /** Where the API has no membership writes (v2.1): "already-member" when so, else UnsupportedOperationError. */
  async addTeamMember(teamId: number, agentId: number): Promise<"added" | "already-member"> {
    const add = this.api.addTeamMember;
    if (!add) {
      const team = (await this.teams()).find((t) => t.id === teamId);
      if (team?.agentIds.includes(agentId)) return "already-member";
      throw this.unsupported("addTeamMember", { teamId, teamName: team?.name, agentId, email: await this.emailOf(agentId) });
    }
    let result: "added" | "already-member" = "added";
    try {
      await this.requester.send(add(teamId, agentId), {
        reconcile: async () => {
          const team = (await this.collect(this.api.listTeams())).find((t) => t.id === teamId);
          return team?.agentIds.includes(agentId) ? { value: undefined } : undefined;
        },
      });
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      result = "already-member";
    }
    this.teamList.patch((list) =>
      list.map((t) => (t.id === teamId && !t.agentIds.includes(agentId) ? { ...t, agentIds: [...t.agentIds, agentId] } : t)),
    );
    return result;
  }

  /** Where the API has no membership writes (v2.1): "absent" when not a member, else UnsupportedOperationError. */
  async removeTeamMember(teamId: number, agentId: number): Promise<"removed" | "absent"> {
    const remove = this.api.removeTeamMember;
    if (!remove) {
      const team = (await this.teams()).find((t) => t.id === teamId);
      if (!team?.agentIds.includes(agentId)) return "absent";
      throw this.unsupported("removeTeamMember", { teamId, teamName: team.name, agentId, email: await this.emailOf(agentId) });
    }
    let result: "removed" | "absent" = "removed";
    try {
      await this.requester.send(remove(teamId, agentId));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      result = "absent";
    }
    this.teamList.patch((list) => list.map((t) => (t.id === teamId ? { ...t, agentIds: t.agentIds.filter((a) => a !== agentId) } : t)));
    return result;
  }

  /**
   * Setting an owner is idempotent, so this is retried like a read. Where the API cannot assign
   * numbers (v2.1): the number when it already has this owner, else UnsupportedOperationError.
   */
  async assignNumber(numberId: number, agentId: number | null): Promise<PhoneNumber> {
    const assign = this.api.assignNumber;
    if (!assign) {
      const current = (await this.numbers()).find((x) => x.id === numberId);
      if (current && current.assignedTo === agentId) return current;
      throw this.unsupported("assignNumber", {
        numberId,
        number: current?.number,
        assignTo: agentId,
        assignToEmail: agentId === null ? undefined : await this.emailOf(agentId),
      });
    }
    const n = await this.requester.send(assign(numberId, agentId));
    // The number's owner as the server now has it, whether or not a list being read saw the write.
    this.numberList.patchAll((list) => list.map((x) => (x.id === n.id ? n : x)));
    this.agentList.patchAll((list) =>
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
    const set = this.api.setAvailability;
    if (!set) throw this.unsupported("setAvailability", { agentId, email: await this.emailOf(agentId, false) });
    const answered = await this.requester.send(set(agentId, available, reason));
    const agent = answered ?? (await this.requester.send(this.api.getAgent(agentId)));
    this.agentList.patch((list) => list.map((a) => (a.id === agent.id ? agent : a)));
    return agent;
  }
}
