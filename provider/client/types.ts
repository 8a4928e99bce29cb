import type { AGENT_FIELDS } from "../fields/agent";
import type { FieldsOf, HeldValue } from "../fields/field";

/** Domain types: what the provider sees, whatever the API version's wire shapes are. */

/** "v1": the guide's API (full CRUD). "v2.1": JustCall's published reference (reads, availability). */
export type ApiVersion = "v1" | "v2.1";

/** JustCall plans, whose v2.1 rate limits differ. */
export type Plan = "team" | "pro" | "business";

type AgentTable = typeof AGENT_FIELDS;
type Named = FieldsOf<AgentTable, "required">;
type Managed = FieldsOf<AgentTable, "managed">;

/**
 * An agent as the API reports it, normalized (roles, numbers, dates: provider/client/shapes.ts).
 * An optional field that is undefined was not in the answer: JustCall did not say, and nothing
 * is invented for it. null means JustCall said "none". The names and the managed fields are the
 * Agent's field table's (provider/fields/agent.ts); a role may be one outside ours ("Account Owner").
 */
export type Agent = { id: number } & { [F in Named]: string } & { [F in Managed]?: HeldValue<AgentTable, F> | null } & {
  status?: string;
  /** ISO 8601 UTC. */
  createdAt?: string | null;
  /** E.164 numbers assigned to the agent. */
  numbers?: string[];
  /** v2.1: the one-field name as JustCall has it (firstname/lastname are split at its first space). */
  name?: string;
  /** v2.1: whether the user takes calls ("available": "Yes"/"No"). */
  available?: boolean;
  /** v2.1: why the user is unavailable, when JustCall says. */
  unavailabilityReason?: string | null;
};

/** A partial answer about an agent (the guide's update answer: the id and the changed fields). */
export type AgentPatch = Partial<Omit<Agent, "id">> & { id: number };

export interface Team {
  id: number;
  name: string;
  agentIds: number[];
}

export interface PhoneNumber {
  id: number;
  number: string;
  country: string | null;
  type: string | null;
  assignedTo: number | null;
}

/** What an agent create or update sends: the names and email, and the managed fields the program sets. */
export type AgentInput = { [F in Named]: string } & { [F in Managed]?: string };

export interface ClientSettings {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Per attempt (connect + headers + body), default 30000. */
  requestTimeoutMs?: number;
  retry?: { maxAttempts?: number; maxElapsedMs?: number };
  /** Which API contract to speak, default "v1". The base URL stays the host; the contract adds /v1 or /v2.1. */
  apiVersion?: ApiVersion;
  /** The starting budget; response headers then rule. */
  rateLimit?: { limit: number; windowMs: number };
  /** v2.1: the account's plan, for the starting budgets of both windows (default "team", the lowest). */
  plan?: Plan;
  /**
   * v2.1: starting budgets per window, overriding the plan's (windowMs defaults to an hour and a
   * minute). Response headers rule after the first response.
   */
  rateLimits?: { hour?: { limit: number; windowMs?: number }; minute?: { limit: number; windowMs?: number } };
  /** Batched reads through the list cache (list-cache.ts), default true; named after justcall:snapshot. */
  snapshot?: boolean;
  /** How long a cached list serves reads, default 60000. */
  snapshotTtlMs?: number;
}

export interface ClientMetrics {
  /** route template → HTTP status (or "network") → count */
  requests: { [route: string]: { [status: string]: number } };
  /** Attempts repeated after a 5xx, a network error or a garbled body (429 waits excluded). */
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Time requests spent waiting: rate governor queue, backoff and Retry-After. */
  waitedMs: number;
}
