export type { Agent, AgentInput, AgentPatch, ApiVersion, ClientMetrics, ClientSettings, Plan, PhoneNumber, Team } from "./types";
export type { ApiContract, OperationContext, RateBudget, RetryMode, WriteOperation } from "./contract";
export { contractV1 } from "./contract-v1";
export { contractV21, nameMatches, splitName } from "./contract-v21";
export { PLAN_LIMITS } from "./contract-v21-rate-limits";
export { JustCallClient } from "./client";
export { LIST_CACHE_TTL_MS } from "./client-reads";
export { contractFor, startingBudgets } from "./budgets";
export { sharedClient, createClient, resetSharedClients } from "./registry";
export type { ErrorKind } from "./errors";
export {
  JustCallError,
  AuthError,
  NotFoundError,
  ValidationError,
  ConflictError,
  DuplicateEmailError,
  RateLimitedError,
  ServerError,
  NetworkError,
  SchemaError,
  ConfigurationError,
  UnsupportedOperationError,
  errorFromResponse,
  unsupportedOperation,
} from "./errors";
export { decideRetry, backoffMs, DEFAULT_RETRY_POLICY } from "./retry";
export type { RetryPolicy, RetryDecision, Failure } from "./retry";
