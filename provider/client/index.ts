export type { Agent, AgentInput, ClientMetrics, ClientSettings, PhoneNumber, Team } from "./types";
export type { ApiContract, ErrorKind, RetryMode } from "./contract";
export { contractV1 } from "./contract-v1";
export { JustCallClient, sharedClient, createClient, resetSharedClients } from "./client";
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
  errorFromResponse,
} from "./errors";
export { decideRetry, backoffMs, DEFAULT_RETRY_POLICY } from "./retry";
export type { RetryPolicy, RetryDecision, Failure } from "./retry";
