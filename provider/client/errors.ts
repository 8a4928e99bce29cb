/**
 * Typed errors, and the one table from an HTTP answer to its error: status and body → kind →
 * class (errorKind, errorFromResponse, duplicateByMeaning). Every error carries what failed (method, path, status, JustCall's message, the
 * attempt count) and says what to do next. None carries a credential: errors are built from
 * status, path and body only, and never keep a request, a response or a transport error.
 *
 * `instanceof` works across copies of this module (two installs of the package in one process,
 * or the 0.1.0 providers stored in old state, which carry their own copies): it checks a brand,
 * not identity.
 */
import type { ApiContract, OperationContext, ShapeIssue, WriteOperation } from "./contract";
import { contractV1 } from "./contract-v1";
import type { Agent } from "./types";

const BRAND = Symbol.for("pulumi-justcall.error");

/** What an error says about the request that failed; each field becomes a property of the error. */
export interface ErrorContext {
  status?: number;
  method?: string;
  path?: string;
  route?: string;
  apiMessage?: string;
  attempts?: number;
  /** ValidationError: the field JustCall named. */
  field?: string;
  /** NetworkError: the transport's code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...). */
  code?: string;
  /** NetworkError: no answer within the request timeout. */
  timeout?: boolean;
  /** SchemaError: where in the answer the shape was wrong, and every issue found. */
  fieldPath?: string;
  issues?: ShapeIssue[];
}

/**
 * The base of every error here. A subclass only declares which context fields it carries (with
 * `declare`, so that no class field initializer overwrites what this constructor assigned). The
 * brand is the chain of class names, so `instanceof` also holds for an error made by another copy
 * of this module; the package is shipped as tsc writes it, so class names are never minified.
 */
export class JustCallError extends Error {
  declare readonly status?: number;
  declare readonly method?: string;
  declare readonly path?: string;
  declare readonly route?: string;
  declare readonly apiMessage?: string;
  declare attempts?: number;

  static [Symbol.hasInstance](x: unknown): boolean {
    const chain = typeof x === "object" && x !== null ? (x as Record<symbol, unknown>)[BRAND] : undefined;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass tested against, on purpose
    return Array.isArray(chain) && chain.includes(this.name);
  }

  constructor(message: string, ctx: ErrorContext = {}) {
    super(message);
    const chain: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) chain.push(c.name);
    Object.defineProperty(this, BRAND, { value: chain });
    Object.defineProperty(this, "name", { value: chain[0], enumerable: false, configurable: true, writable: true });
    Object.assign(this, ctx);
  }

  /** The error's name, message and context: what a log may hold (no credential is ever in them). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...Object.fromEntries(Object.entries(this)) };
  }
}

/** 401 or 403: never retried. */
export class AuthError extends JustCallError {}
export class NotFoundError extends JustCallError {}
export class ValidationError extends JustCallError {
  declare readonly field?: string;
}
/** 409 other than a duplicate email. */
export class ConflictError extends JustCallError {}
export class DuplicateEmailError extends ConflictError {}
export class RateLimitedError extends JustCallError {}
export class ServerError extends JustCallError {}
/** Connection refused or reset, DNS, TLS, timeouts. */
export class NetworkError extends JustCallError {
  declare readonly code?: string;
  declare readonly timeout?: boolean;
}
/** A response that is not JSON or does not have the contract's shape. Not an HTTP error. */
export class SchemaError extends JustCallError {
  declare readonly fieldPath: string;
  declare readonly issues: ShapeIssue[];
}
/** Invalid client settings (for example plain http to a remote host). */
export class ConfigurationError extends JustCallError {}

const OPERATION_TEXT: Record<WriteOperation, (ctx: OperationContext) => string> = {
  createAgent: () => "create (invite) users",
  updateAgent: (c) => `change a user's ${c.fields && c.fields.length > 0 ? c.fields.join(", ") : "profile"}`,
  deleteAgent: () => "delete users",
  addTeamMember: () => "add members to a team",
  removeTeamMember: () => "remove members from a team",
  assignNumber: (c) => (c.assignTo === null ? "release a phone number" : "assign phone numbers"),
  setAvailability: () => "set a user's availability",
};

/**
 * A write the configured API version cannot do. Raised before any request is sent for it; the
 * message ends with the JustCall dashboard step a person takes instead (`dashboardStep`).
 */
export class UnsupportedOperationError extends JustCallError {
  declare readonly operation: WriteOperation;
  declare readonly apiVersion: string;
  declare readonly dashboardStep: string;
  constructor(message: string, ctx: ErrorContext & { operation: WriteOperation; apiVersion: string; dashboardStep: string }) {
    super(message, ctx);
  }
}

/** The error for `op` on `contract`, naming the dashboard step; pure, so usable at preview time. */
export function unsupportedOperation(
  contract: Pick<ApiContract, "version" | "manualStep">,
  op: WriteOperation,
  ctx: OperationContext = {},
): UnsupportedOperationError {
  const step = contract.manualStep(op, ctx);
  return new UnsupportedOperationError(`JustCall API ${contract.version} cannot ${OPERATION_TEXT[op](ctx)}; ${step}.`, {
    operation: op,
    apiVersion: contract.version,
    dashboardStep: step,
  });
}

// ---- the error table: status and body → kind → class ----

/** What a failed answer means, before it becomes an error class (KIND_ERROR). */
export type ErrorKind = "validation" | "auth" | "not-found" | "duplicate-email" | "conflict" | "rate-limited" | "server" | "client";

/** Statuses with a kind of their own; any other 5xx is "server", any other 4xx "client". */
export const STATUS_KIND: Readonly<Record<number, ErrorKind>> = {
  400: "validation",
  401: "auth",
  403: "auth",
  404: "not-found",
  409: "conflict",
  422: "validation",
  429: "rate-limited",
};

/** Refusals that say nothing about an email, whatever the route: auth, not found, rate limit. */
const SAYS_NOTHING_OF_EMAIL = [401, 403, 404, 429];

const isClientError = (status: number) => status >= 400 && status < 500;

/** The message of a JSON error body ({"status":"error","message":...}), if it has one. */
function errorMessage(body: unknown): string | undefined {
  const m = typeof body === "object" && body !== null ? (body as { message?: unknown }).message : undefined;
  return typeof m === "string" ? m : undefined;
}

/** Whether an error message says the email is taken ("The email has already been taken."). */
export function saysEmailTaken(message: string | undefined): boolean {
  return message !== undefined && /e-?mail/i.test(message) && /already|exists|taken|in use|duplicate/i.test(message);
}

/**
 * The kind of a non-2xx answer. A duplicate email is recognised by meaning, on the routes the
 * contract names (`emailConflictRoutes`): the guide names no status for it, so a 409, or a 4xx
 * whose message says the email exists. duplicateByMeaning adds the third case, a 4xx after which
 * a fresh look-up finds the email.
 */
export function errorKind(status: number, route: string, body: unknown, contract: Pick<ApiContract, "emailConflictRoutes">): ErrorKind {
  if (contract.emailConflictRoutes.includes(route) && (status === 409 || (isClientError(status) && saysEmailTaken(errorMessage(body))))) {
    return "duplicate-email";
  }
  if (status >= 500) return "server";
  return STATUS_KIND[status] ?? "client";
}

export interface ResponseFacts {
  status: number;
  method: string;
  path: string;
  route: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  attempts?: number;
}

const quote = (m?: string) => (m ? `: "${m}"` : "");

/** Each kind's class, and what its message says to do next after `what` failed. */
const KIND_ERROR: Record<ErrorKind, (what: string, r: ResponseFacts, ctx: ErrorContext, field?: string) => JustCallError> = {
  auth: (what, r, ctx) =>
    new AuthError(
      r.status === 403
        ? `${what} The API key was refused: if the account restricts API access to an IP allowlist ` +
            `(JustCall: Settings > Developer > API), add this machine's address; also check that the key ` +
            `belongs to this account. Not retried.`
        : `${what} Check justcall:apiKey and justcall:apiSecret (JustCall: Settings > Developer > API). Not retried.`,
      ctx,
    ),
  "not-found": (what, _r, ctx) =>
    new NotFoundError(`${what} The object does not exist (or belongs to another account); run pulumi refresh.`, ctx),
  validation: (what, _r, ctx, field) =>
    new ValidationError(
      `${what} ${field ? `JustCall rejected the field "${field}"` : "JustCall rejected the request"}; fix the input and run again.`,
      { ...ctx, field },
    ),
  "duplicate-email": (what, _r, ctx) =>
    new DuplicateEmailError(`${what} An agent with this email already exists in JustCall; adopt it or choose another email.`, ctx),
  conflict: (what, _r, ctx) => new ConflictError(`${what} The change conflicts with the current state; run pulumi refresh.`, ctx),
  "rate-limited": (what, _r, ctx) =>
    new RateLimitedError(
      `${what} The API key's rate limit stayed exhausted; other clients may share the key. Try again later or lower --parallel.`,
      ctx,
    ),
  server: (what, r, ctx) =>
    new ServerError(
      `${what} JustCall had a server-side failure${r.attempts ? ` after ${r.attempts} attempt(s)` : ""}; try again later.`,
      ctx,
    ),
  client: (what, _r, ctx) => new JustCallError(`${what} Not retried.`, ctx),
};

/** Maps a non-2xx response to its error class and a message saying what to do next. */
export function errorFromResponse(r: ResponseFacts, contract: ApiContract = contractV1): JustCallError {
  const { message: apiMessage, field } = contract.errorDetail(r.body);
  const ctx: ErrorContext = { status: r.status, method: r.method, path: r.path, route: r.route, apiMessage, attempts: r.attempts };
  const what = `JustCall ${r.method} ${r.path} failed with HTTP ${r.status}${quote(apiMessage)}.`;
  return KIND_ERROR[errorKind(r.status, r.route, r.body, contract)](what, r, ctx, field);
}

/**
 * A create's error `e`, as a DuplicateEmailError when the email turns out to exist: any 4xx but
 * those that say nothing of the email, after which `findFresh` finds it. Anything else stays as
 * it was; the create is never repeated.
 */
export async function duplicateByMeaning(
  e: unknown,
  email: string,
  findFresh: (email: string) => Promise<Agent | undefined>,
): Promise<unknown> {
  if (e instanceof DuplicateEmailError || !(e instanceof JustCallError)) return e;
  const status = e.status;
  if (status === undefined || !isClientError(status) || SAYS_NOTHING_OF_EMAIL.includes(status)) return e;
  let found: Agent | undefined;
  try {
    found = await findFresh(email);
  } catch (lookupError) {
    // The look-up failing says nothing about the email: the create's own error stands.
    if (!(lookupError instanceof JustCallError)) throw lookupError;
    return e;
  }
  if (!found) return e;
  return new DuplicateEmailError(
    `JustCall ${e.method} ${e.path} failed with HTTP ${status}${quote(e.apiMessage)}, and an agent with ` +
      `email ${email} exists (id ${found.id}); adopt it (adoptExisting: true) or choose another email.`,
    { status, method: e.method, path: e.path, route: e.route, apiMessage: e.apiMessage, attempts: e.attempts },
  );
}
