/**
 * The shape of an API contract. Everything that depends on one API version (paths, auth header,
 * pagination parameters, wire shapes, default limits, what its error bodies say) lives in one
 * implementation of this interface (`contract-v1.ts`, `contract-v21.ts`); the rest of the client
 * only uses it.
 */
import type { Agent, AgentInput, AgentPatch, ApiVersion, Plan, PhoneNumber, Team } from "./types";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** A zod-like issue, kept structural so that the contract can use any validator. */
export interface ShapeIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: ShapeIssue[] };

/**
 * How a write may be retried after an ambiguous failure (timeout, reset, 5xx):
 * - "idempotent": repeating it cannot change the outcome, retry as is;
 * - "reconcile": repeating it could duplicate it; look at the server's state first.
 */
export type RetryMode = "idempotent" | "reconcile";

export interface RequestSpec<T> {
  /** Template used for metrics and logs, e.g. "GET /v1/agents/{id}". */
  route: string;
  method: HttpMethod;
  /** Path relative to the base URL's origin, segments already encoded. */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  mode: RetryMode;
  parse(json: unknown): Parsed<T>;
}

export interface Page<T> {
  items: T[];
  total?: number;
  /** False when the API says there is no next page (e.g. a null next_page_link). */
  more?: boolean;
}

export interface PageSpec<T> {
  route: string;
  path: string;
  query?: Record<string, string | number>;
  parse(json: unknown): Parsed<Page<T>>;
}

/** A starting budget for one rate-limit window; response headers then rule. */
export interface RateBudget {
  limit: number;
  windowMs: number;
  /** Names the window when an API has several ("hour", "minute"); matches RateWindowObservation.window. */
  window?: string;
}

export interface RateWindowObservation {
  /** Which window, when the API has several; absent for an API with one. */
  window?: string;
  limit?: number;
  remaining?: number;
  /** Milliseconds until the window resets, as of receiving the response. */
  resetMs?: number;
}

export type Headers = Record<string, string | string[] | undefined>;

/** The writes a client offers; an API version may lack some (see ApiContract.endpoints). */
export type WriteOperation =
  | "createAgent"
  | "updateAgent"
  | "deleteAgent"
  | "addTeamMember"
  | "removeTeamMember"
  | "assignNumber"
  | "setAvailability";

/** What is known about the object of an unsupported write, to name it in the dashboard step. */
export interface OperationContext {
  agentId?: number;
  email?: string;
  /** updateAgent: the fields that would change. */
  fields?: string[];
  teamId?: number;
  teamName?: string;
  numberId?: number;
  number?: string;
  /** assignNumber: null releases the number. */
  assignTo?: number | null;
  assignToEmail?: string;
}

export interface ApiContract {
  version: ApiVersion;
  /** The single-window budget of an API with one window (v1); kept for callers of v1. */
  defaultRateLimit: { limit: number; windowMs: number };
  /** Starting budgets, one per window; `plan` selects them where the API's limits depend on it. */
  defaultRateLimits(plan?: Plan): RateBudget[];
  pagination: { firstPage: number; perPage: number; pageParam: string; perPageParam: string };
  /** The Authorization header value. */
  authorization(apiKey: string, apiSecret: string): string;
  /** Extra headers every request carries (never credentials). */
  headers: Record<string, string>;
  /** Path prefix of the base URL to drop because the contract's paths already carry it. */
  stripBasePath(pathname: string): string;
  /** One entry per rate-limit window the headers describe (empty when none). */
  rateLimit(headers: Headers): RateWindowObservation[];
  /** Retry-After in milliseconds, when present. */
  retryAfterMs(headers: Headers): number | undefined;
  /**
   * Routes where a 4xx can mean "an agent with this email exists" (errors.ts, errorKind, holds
   * the rule; this is the version's fact).
   */
  emailConflictRoutes: readonly string[];
  /** The API's message and, for validation errors, the field it names. */
  errorDetail(body: unknown): { message?: string; field?: string };
  /** An error reported inside a 2xx envelope, if any. */
  envelopeError(body: unknown): string | undefined;
  /**
   * The person's way to do a write this API cannot do (the JustCall dashboard step). Only asked
   * for operations missing from `endpoints`.
   */
  manualStep(op: WriteOperation, ctx: OperationContext): string;
  /** Reads every version has; writes only where the API offers them. */
  endpoints: {
    listAgents(): PageSpec<Agent>;
    getAgent(id: number): RequestSpec<Agent>;
    listTeams(): PageSpec<Team>;
    listNumbers(filter?: { assignedTo?: number }): PageSpec<PhoneNumber>;
    createAgent?(input: AgentInput): RequestSpec<Agent>;
    /** Answers what the API printed: possibly only the id and the changed fields. */
    updateAgent?(id: number, changes: Partial<AgentInput>): RequestSpec<AgentPatch>;
    deleteAgent?(id: number): RequestSpec<void>;
    addTeamMember?(teamId: number, agentId: number): RequestSpec<void>;
    removeTeamMember?(teamId: number, agentId: number): RequestSpec<void>;
    assignNumber?(numberId: number, agentId: number | null): RequestSpec<PhoneNumber>;
    /** Answers the agent when the API returns it, otherwise undefined (the client reads it back). */
    setAvailability?(agentId: number, available: boolean, reason?: string): RequestSpec<Agent | undefined>;
  };
}
