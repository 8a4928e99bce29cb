/**
 * A small typed client for the admin API, for tests and scripts. One request function; every
 * non-2xx answer becomes an AdminError carrying the status and the emulator's message.
 */
import type { AdminAgent, AdminAgentExtra, AdminNumber, AdminNumberExtra, AdminTeam, StateView } from "./admin/state-view";
import type { FaultRule } from "./faults";
import type { RateLimitConfig } from "./rate-limit";
import type { V21RateLimitConfig } from "./rate-limit-v21";
import type { Shapes, ShapesOption } from "./shapes";
import type { Plan } from "./state";
import type { RequestLogSnapshot } from "./request-log";
import type { Seed } from "./seed";
import type { Invitation } from "./state";

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`admin API ${status}: ${message}`);
    this.name = "AdminError";
  }
}

export interface AgentInput {
  firstname?: string;
  lastname?: string;
  email?: string;
  phone?: string | null;
  timezone?: string | null;
  /** agent, supervisor or admin; through the admin API (the dashboard) also any other role name, e.g. "Account Owner". */
  role?: string;
  status?: "Pending" | "Offline" | "Online" | "Busy";
}

export interface NumberInput {
  number: string;
  country: string;
  type: string;
}

export class AdminClient {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = `${baseUrl.replace(/\/+$/, "")}/__admin`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      throw new AdminError(res.status, `not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) {
      const message = (json as { message?: string } | undefined)?.message ?? res.statusText;
      throw new AdminError(res.status, message);
    }
    return json as T;
  }

  /** `value` escaped as one segment of a URL path. */
  private static pathSegment(value: string | number): string {
    return encodeURIComponent(String(value));
  }

  /** Back to the startup seed (or `seed`); clears outbox, request log and faults; restores the startup rate limit. */
  async reset(seed?: Seed): Promise<void> {
    await this.call("POST", "/reset", seed === undefined ? {} : { seed });
  }

  /** Replaces all account state (and the outbox) with `seed`. */
  async loadSeed(seed: Seed): Promise<void> {
    await this.call("POST", "/seed", { seed });
  }

  state(): Promise<StateView> {
    return this.call("GET", "/state");
  }

  requests(): Promise<RequestLogSnapshot> {
    return this.call("GET", "/requests");
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  async outbox(): Promise<Invitation[]> {
    return (await this.call<{ invitations: Invitation[] }>("GET", "/outbox")).invitations;
  }

  acceptInvitation(agentId: number): Promise<AdminAgent> {
    return this.call("POST", `/agents/${AdminClient.pathSegment(agentId)}/accept`);
  }

  editAgent(agentId: number, fields: AgentInput): Promise<AdminAgent> {
    return this.call("PATCH", `/agents/${AdminClient.pathSegment(agentId)}`, fields);
  }

  async deleteAgent(agentId: number): Promise<void> {
    await this.call("DELETE", `/agents/${AdminClient.pathSegment(agentId)}`);
  }

  addAgent(apiKey: string, fields: AgentInput & { firstname: string; lastname: string; email: string }): Promise<AdminAgent> {
    return this.call("POST", `/accounts/${AdminClient.pathSegment(apiKey)}/agents`, fields);
  }

  moveNumber(numberId: number, agentId: number | null): Promise<AdminNumber> {
    return this.call("POST", `/numbers/${AdminClient.pathSegment(numberId)}/assign`, { agentId });
  }

  addTeamMember(teamId: number, agentId: number): Promise<AdminTeam> {
    return this.call("POST", `/teams/${AdminClient.pathSegment(teamId)}/members`, { agentId });
  }

  removeTeamMember(teamId: number, agentId: number): Promise<AdminTeam> {
    return this.call("DELETE", `/teams/${AdminClient.pathSegment(teamId)}/members/${AdminClient.pathSegment(agentId)}`);
  }

  addTeam(apiKey: string, name: string): Promise<AdminTeam> {
    return this.call("POST", `/accounts/${AdminClient.pathSegment(apiKey)}/teams`, { name });
  }

  addNumber(apiKey: string, number: NumberInput): Promise<AdminNumber> {
    return this.call("POST", `/accounts/${AdminClient.pathSegment(apiKey)}/numbers`, number);
  }

  async setFaults(rules: FaultRule[]): Promise<void> {
    await this.call("PUT", "/faults", { rules });
  }

  /** Waits until at least `atLeast` requests are held by a 'hold' fault (or 30 s pass); answers how many are held. */
  async waitForHeld(atLeast = 1): Promise<number> {
    return (await this.call<{ held: number }>("GET", `/faults/held?atLeast=${atLeast}`)).held;
  }

  /** Lets every held request go on; answers how many there were. */
  async releaseHeld(): Promise<number> {
    return (await this.call<{ released: number }>("POST", "/faults/release")).released;
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  /** `false` turns rate limiting off. */
  async setRateLimit(limit: RateLimitConfig | false): Promise<void> {
    await this.call("PUT", "/rate-limit", limit === false ? { enabled: false } : limit);
  }

  /** The v2.1 limits: `'plan'` (each key by its plan), the same `{hour, burst}` for every key, or `false` (off). Fresh windows. */
  async setV21RateLimit(limit: "plan" | V21RateLimitConfig | false): Promise<void> {
    const body = limit === false ? { enabled: false } : limit === "plan" ? { byPlan: true } : limit;
    await this.call("PUT", "/v2.1/rate-limit", body);
  }

  /** Switches the response shapes at run time (both APIs, or per API); answers the shapes now in effect. */
  setShapes(shapes: ShapesOption): Promise<Shapes> {
    return this.call("PUT", "/shapes", { shapes });
  }

  shapes(): Promise<Shapes> {
    return this.call("GET", "/shapes");
  }

  async setPlan(apiKey: string, plan: Plan): Promise<void> {
    await this.call("PUT", `/accounts/${AdminClient.pathSegment(apiKey)}/plan`, { plan });
  }

  /** The agent changes availability in the app; `available: true` clears the reason. */
  setAvailability(agentId: number, available: boolean, reason?: string | null): Promise<AdminAgentExtra> {
    return this.call(
      "PUT",
      `/agents/${AdminClient.pathSegment(agentId)}/availability`,
      reason === undefined ? { available } : { available, reason },
    );
  }

  /** The agent logs in (last_login_timestamp), at `at` or now. */
  recordLogin(agentId: number, at?: string): Promise<AdminAgentExtra> {
    return this.call("POST", `/agents/${AdminClient.pathSegment(agentId)}/login`, at === undefined ? {} : { at });
  }

  /** Replaces whom a number is shared with (agents and teams of its own account). */
  shareNumber(numberId: number, sharing: { agentIds?: number[]; teamIds?: number[] }): Promise<AdminNumberExtra> {
    return this.call("PUT", `/numbers/${AdminClient.pathSegment(numberId)}/sharing`, sharing);
  }
}
