/** Domain types: what the provider sees, whatever the API version's wire shapes are. */

export interface Agent {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  phone: string | null;
  timezone: string | null;
  role: string;
  status: string;
  createdAt: string | null;
  /** E.164 numbers assigned to the agent. */
  numbers: string[];
}

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

export interface AgentInput {
  firstname: string;
  lastname: string;
  email: string;
  role?: string;
  phone?: string;
  timezone?: string;
}

export interface ClientSettings {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Per attempt (connect + headers + body), default 30000. */
  requestTimeoutMs?: number;
  retry?: { maxAttempts?: number; maxElapsedMs?: number };
  /** The starting budget; response headers then rule. */
  rateLimit?: { limit: number; windowMs: number };
  /** Batched reads, default true. */
  snapshot?: boolean;
  /** How long a snapshot serves reads, default 60000. */
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
