/**
 * Typed errors. Every error carries what failed (method, path, status, JustCall's message, the
 * attempt count) and says what to do next. None carries a credential: errors are built from
 * status, path and body only, and never keep a request, a response or a transport error.
 *
 * `instanceof` works across copies of this module (Pulumi deserializes a dynamic provider once
 * per resource class, each with its own copy of local modules): it checks a brand, not identity.
 */
import type { ApiContract, ErrorKind, OperationContext, ShapeIssue, WriteOperation } from "./contract";
import { contractV1 } from "./contract-v1";

const BRAND = Symbol.for("pulumi-justcall.error");

export interface ErrorContext {
  status?: number;
  method?: string;
  path?: string;
  route?: string;
  apiMessage?: string;
  attempts?: number;
}

export class JustCallError extends Error {
  static readonly errorName: string = "JustCallError";
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  readonly route?: string;
  readonly apiMessage?: string;
  attempts?: number;

  static [Symbol.hasInstance](x: unknown): boolean {
    const chain = typeof x === "object" && x !== null ? (x as Record<symbol, unknown>)[BRAND] : undefined;
    return Array.isArray(chain) && chain.includes((this as typeof JustCallError).errorName);
  }

  constructor(message: string, ctx: ErrorContext = {}) {
    super(message);
    const chain: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      chain.push((c as typeof JustCallError).errorName);
    }
    Object.defineProperty(this, BRAND, { value: chain });
    Object.defineProperty(this, "name", { value: chain[0], enumerable: false, configurable: true, writable: true });
    this.status = ctx.status;
    this.method = ctx.method;
    this.path = ctx.path;
    this.route = ctx.route;
    this.apiMessage = ctx.apiMessage;
    this.attempts = ctx.attempts;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      method: this.method,
      path: this.path,
      route: this.route,
      apiMessage: this.apiMessage,
      attempts: this.attempts,
    };
  }
}

/** 401 or 403: never retried. */
export class AuthError extends JustCallError {
  static override readonly errorName: string = "AuthError";
}
export class NotFoundError extends JustCallError {
  static override readonly errorName: string = "NotFoundError";
}
export class ValidationError extends JustCallError {
  static override readonly errorName: string = "ValidationError";
  readonly field?: string;
  constructor(message: string, ctx: ErrorContext & { field?: string }) {
    super(message, ctx);
    this.field = ctx.field;
  }
}
/** 409 other than a duplicate email. */
export class ConflictError extends JustCallError {
  static override readonly errorName: string = "ConflictError";
}
export class DuplicateEmailError extends ConflictError {
  static override readonly errorName: string = "DuplicateEmailError";
}
export class RateLimitedError extends JustCallError {
  static override readonly errorName: string = "RateLimitedError";
}
export class ServerError extends JustCallError {
  static override readonly errorName: string = "ServerError";
}
/** Connection refused or reset, DNS, TLS, timeouts. */
export class NetworkError extends JustCallError {
  static override readonly errorName: string = "NetworkError";
  readonly code?: string;
  readonly timeout: boolean;
  constructor(message: string, ctx: ErrorContext & { code?: string; timeout?: boolean }) {
    super(message, ctx);
    this.code = ctx.code;
    this.timeout = ctx.timeout ?? false;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), code: this.code, timeout: this.timeout };
  }
}
/** A response that is not JSON or does not have the contract's shape. Not an HTTP error. */
export class SchemaError extends JustCallError {
  static override readonly errorName: string = "SchemaError";
  readonly fieldPath: string;
  readonly issues: ShapeIssue[];
  constructor(message: string, ctx: ErrorContext & { fieldPath: string; issues: ShapeIssue[] }) {
    super(message, ctx);
    this.fieldPath = ctx.fieldPath;
    this.issues = ctx.issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fieldPath: this.fieldPath, issues: this.issues };
  }
}
/** Invalid client settings (for example plain http to a remote host). */
export class ConfigurationError extends JustCallError {
  static override readonly errorName: string = "ConfigurationError";
}

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
  static override readonly errorName: string = "UnsupportedOperationError";
  readonly operation: WriteOperation;
  readonly apiVersion: string;
  readonly dashboardStep: string;
  constructor(message: string, ctx: ErrorContext & { operation: WriteOperation; apiVersion: string; dashboardStep: string }) {
    super(message, ctx);
    this.operation = ctx.operation;
    this.apiVersion = ctx.apiVersion;
    this.dashboardStep = ctx.dashboardStep;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, apiVersion: this.apiVersion, dashboardStep: this.dashboardStep };
  }
}

/** The error for `op` on `contract`, naming the dashboard step; pure, so usable at preview time. */
export function unsupportedOperation(contract: Pick<ApiContract, "version" | "manualStep">, op: WriteOperation, ctx: OperationContext = {}): UnsupportedOperationError {
  const step = contract.manualStep(op, ctx);
  return new UnsupportedOperationError(`JustCall API ${contract.version} cannot ${OPERATION_TEXT[op](ctx)}; ${step}.`, {
    operation: op,
    apiVersion: contract.version,
    dashboardStep: step,
  });
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

/** Maps a non-2xx response to its error class and a message saying what to do next. */
export function errorFromResponse(r: ResponseFacts, contract: ApiContract = contractV1): JustCallError {
  const { message: apiMessage, field } = contract.errorDetail(r.body);
  const kind: ErrorKind = contract.errorKind(r.status, r.route, r.body);
  const ctx: ErrorContext = { status: r.status, method: r.method, path: r.path, route: r.route, apiMessage, attempts: r.attempts };
  const what = `JustCall ${r.method} ${r.path} failed with HTTP ${r.status}${quote(apiMessage)}.`;
  switch (kind) {
    case "auth":
      return new AuthError(
        r.status === 403
          ? `${what} The API key was refused: if the account restricts API access to an IP allowlist ` +
              `(JustCall: Settings > Developer > API), add this machine's address; also check that the key ` +
              `belongs to this account. Not retried.`
          : `${what} Check justcall:apiKey and justcall:apiSecret (JustCall: Settings > Developer > API). Not retried.`,
        ctx,
      );
    case "not-found":
      return new NotFoundError(`${what} The object does not exist (or belongs to another account); run pulumi refresh.`, ctx);
    case "validation":
      return new ValidationError(
        `${what} ${field ? `JustCall rejected the field "${field}"` : "JustCall rejected the request"}; fix the input and run again.`,
        { ...ctx, field },
      );
    case "duplicate-email":
      return new DuplicateEmailError(
        `${what} An agent with this email already exists in JustCall; adopt it or choose another email.`,
        ctx,
      );
    case "conflict":
      return new ConflictError(`${what} The change conflicts with the current state; run pulumi refresh.`, ctx);
    case "rate-limited":
      return new RateLimitedError(
        `${what} The API key's rate limit stayed exhausted; other clients may share the key. Try again later or lower --parallel.`,
        ctx,
      );
    case "server":
      return new ServerError(
        `${what} JustCall had a server-side failure${r.attempts ? ` after ${r.attempts} attempt(s)` : ""}; try again later.`,
        ctx,
      );
    case "client":
      return new JustCallError(`${what} Not retried.`, ctx);
  }
}
