/**
 * The one place every request goes through: rate governor, one attempt, metrics, debug log,
 * response validation, and the retry loop (decisions in retry.ts).
 */
import type { Pool } from "undici";
import type { ApiContract, Page, PageSpec, RequestSpec, ShapeIssue } from "./contract";
import { errorFromResponse, JustCallError, NetworkError, SchemaError } from "./errors";
import type { RateGovernor } from "./governor";
import { debugLog, type Metrics } from "./metrics";
import { decideRetry, type Failure, networkFailure, type RetryPolicy } from "./retry";
import { currentDeadline } from "./deadline";
import { attempt, type AttemptResponse, type Endpoint, TransportFailure } from "./transport";
import { refuseWriteWithoutEngine } from "../engine-watch";

const USER_AGENT = "pulumi-justcall";
const NOT_JSON = Symbol("not-json");

/** What a Requester is built from: its API contract, where and how it sends, and the credentials. */
export interface RequesterConfig {
  contract: ApiContract;
  endpoint: Endpoint;
  pool: Pool;
  governor: RateGovernor;
  policy: RetryPolicy;
  timeoutMs: number;
  metrics: Metrics;
  apiKey: string;
  apiSecret: string;
}

export interface SendOptions<T> {
  /**
   * For "reconcile" writes: after an ambiguous failure, or a 409 following one, look at the
   * server's state; `{ value }` means the write took effect and is the result.
   */
  reconcile?: () => Promise<{ value: T } | undefined>;
}

export class Requester {
  readonly #authorization: string;
  readonly #secret: string;
  /** The config without the credentials, which live only in #authorization and #secret. */
  readonly #config: Omit<RequesterConfig, "apiKey" | "apiSecret">;

  constructor(config: RequesterConfig) {
    const { apiKey, apiSecret, ...rest } = config;
    this.#authorization = config.contract.authorization(apiKey, apiSecret);
    this.#secret = apiSecret;
    this.#config = rest;
  }

  get contract(): ApiContract {
    return this.#config.contract;
  }

  async send<T>(spec: RequestSpec<T>, opts: SendOptions<T> = {}): Promise<T> {
    const { contract, endpoint, pool, governor, policy, timeoutMs, metrics } = this.#config;
    const query = queryString(spec.query);
    const shownPath = spec.path + query;
    const headers: Record<string, string> = {
      ...contract.headers,
      "user-agent": USER_AGENT,
      authorization: this.#authorization,
    };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers["content-type"] = "application/json";

    const started = Date.now();
    // Read here, in the caller's async context: the governor's queue runs jobs in others'.
    const deadline = spec.method === "GET" ? undefined : currentDeadline();
    let counted = 0;
    let rateLimitedCount = 0;
    let tries = 0;
    let ambiguous = false;
    for (;;) {
      tries++;
      const { value: outcome, waitedMs } = await governor.run(async (ticket) => {
        if (deadline !== undefined && Date.now() >= deadline) {
          throw new JustCallError(
            `JustCall ${spec.method} ${shownPath} not sent: its operation ran out of time (justcall:operationTimeout).`,
            { method: spec.method, path: shownPath, route: spec.route, attempts: tries - 1 },
          );
        }
        refuseWriteWithoutEngine(spec.method, shownPath); // a write after the engine died would be recorded nowhere
        const t0 = Date.now();
        try {
          const r = await attempt(pool, { method: spec.method, path: endpoint.prefix + shownPath, headers, body, timeoutMs });
          governor.observe(ticket, contract.rateLimit(r.headers), r.status !== 429);
          return { r, tookMs: Date.now() - t0 };
        } catch (e) {
          if (!(e instanceof TransportFailure)) throw e;
          governor.observe(ticket, []);
          return { r: e, tookMs: Date.now() - t0 };
        }
      });
      metrics.waited(waitedMs);
      const r = outcome.r;
      const statusLabel = r instanceof TransportFailure ? "network" : String(r.status);
      metrics.count(spec.route, statusLabel);
      debugLog({
        method: spec.method,
        route: spec.route,
        path: shownPath,
        status: r instanceof TransportFailure ? r.code : statusLabel,
        attempt: tries,
        waitedMs,
        tookMs: outcome.tookMs,
      });

      let failure: Failure;
      let errorBody: unknown;
      if (r instanceof TransportFailure) {
        failure = networkFailure(r.code);
      } else if (r.status >= 200 && r.status < 300) {
        // Scrubbed before parsing: a 2xx that echoes the secret must not carry it into a value,
        // a state or a shape error either.
        const json = this.#scrubValues(parseJson(this.#scrub(r.text)));
        if (json === NOT_JSON) {
          failure = { kind: "garbled" };
        } else {
          const envelopeError = contract.envelopeError(json);
          if (envelopeError !== undefined) {
            throw new JustCallError(
              `JustCall ${spec.method} ${shownPath} answered HTTP ${r.status} with an error: "${this.#scrub(envelopeError)}". Not retried.`,
              {
                status: r.status,
                method: spec.method,
                path: shownPath,
                route: spec.route,
                apiMessage: this.#scrub(envelopeError),
                attempts: tries,
              },
            );
          }
          const parsed = spec.parse(json);
          if (parsed.ok) return parsed.value;
          // A well-formed body of the wrong shape is a contract mismatch: repeating will not help.
          throw shapeError(spec.method, spec.route, shownPath, r.status, parsed.issues, tries);
        }
      } else {
        failure = { kind: "status", status: r.status, retryAfterMs: contract.retryAfterMs(r.headers) };
        const json = this.#scrubValues(parseJson(this.#scrub(r.text)));
        errorBody = json === NOT_JSON ? undefined : json;
      }

      // A 409 after an attempt that may have been applied is likely our own write.
      if (failure.kind === "status" && failure.status === 409 && ambiguous && opts.reconcile) {
        const found = await opts.reconcile();
        if (found) return found.value;
      }
      if (failure.kind === "status" && failure.status === 429) {
        rateLimitedCount++;
        metrics.rateLimited();
      } else {
        counted++;
      }
      const d = decideRetry({ failure, mode: spec.mode, attempt: counted, rateLimitedCount, elapsedMs: Date.now() - started, policy });
      if (d.action === "fail" || (d.reconcileFirst && !opts.reconcile)) {
        throw finalError(failure, {
          method: spec.method,
          route: spec.route,
          path: shownPath,
          body: errorBody,
          attempts: tries,
          timeoutMs,
          contract,
          isTimeout: r instanceof TransportFailure && r.timeout,
        });
      }
      if (d.rateLimited) {
        // The whole key waits, not only this request; the wait is counted by the governor.
        governor.hold(d.delayMs);
        continue;
      }
      metrics.retried();
      await sleep(d.delayMs);
      metrics.waited(d.delayMs);
      if (d.reconcileFirst && opts.reconcile) {
        ambiguous = true;
        const found = await opts.reconcile();
        if (found) return found.value;
      }
    }
  }

  /**
   * Every item of every page, `perPage` at a time; stops when the API says there is no next page,
   * at `total`, or (when it does not say) on a short page.
   */
  async *paginate<T>(spec: PageSpec<T>): AsyncGenerator<T, void, undefined> {
    const { firstPage, perPage, pageParam, perPageParam } = this.#config.contract.pagination;
    let seen = 0;
    for (let page = firstPage; ; page++) {
      const res = await this.send<Page<T>>({
        route: spec.route,
        method: "GET",
        path: spec.path,
        query: { ...spec.query, [pageParam]: page, [perPageParam]: perPage },
        mode: "idempotent",
        parse: spec.parse,
      });
      yield* res.items;
      seen += res.items.length;
      if (res.more === false || res.items.length === 0 || (res.total !== undefined && seen >= res.total)) return;
      if (res.more !== true && res.items.length < perPage) return;
      if (page - firstPage >= 10_000)
        throw new JustCallError(`JustCall ${spec.route} kept returning full pages past 10000; stopping.`, { route: spec.route });
    }
  }

  /** Defensive: an API that echoes credentials in an answer must not carry them further. */
  #scrub(text: string): string {
    return scrubSecrets(text, [this.#secret, this.#authorization, this.#authorization.replace(/^\S+\s+/, "")]);
  }

  /** The same, in every string of a parsed answer (a form escaped twice is plain once parsed). */
  #scrubValues(value: unknown): unknown {
    if (typeof value === "string") return this.#scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.#scrubValues(v));
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.#scrub(k), this.#scrubValues(v)]));
    return value;
  }
}

/**
 * Every form in which a secret can appear in an answer's text: as sent, JSON-escaped (quotes,
 * backslashes, slashes, control and non-ASCII characters as \uXXXX), and URL-encoded.
 */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const unicode = [...json].map((c) => (/[ -~]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)).join("");
  const forms = [
    secret,
    json,
    json.replace(/\//g, "\\/"),
    unicode,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, "+"),
    encodeURI(secret),
  ];
  return [...new Set(forms)].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

/** `text` with every form of every secret replaced by [redacted]. */
export function scrubSecrets(text: string, secrets: string[]): string {
  let t = text;
  for (const form of secrets.flatMap(secretForms)) t = t.split(form).join("[redacted]");
  return t;
}

function finalError(
  f: Failure,
  c: {
    method: string;
    route: string;
    path: string;
    body: unknown;
    attempts: number;
    timeoutMs: number;
    contract: ApiContract;
    isTimeout: boolean;
  },
): JustCallError {
  const ctx = { method: c.method, path: c.path, route: c.route, attempts: c.attempts };
  switch (f.kind) {
    case "status":
      return errorFromResponse(
        { status: f.status, method: c.method, path: c.path, route: c.route, body: c.body, attempts: c.attempts },
        c.contract,
      );
    case "network":
      return new NetworkError(
        `Could not reach JustCall for ${c.method} ${c.path}: ${c.isTimeout ? `no complete answer within ${c.timeoutMs} ms` : f.code} ` +
          `(${c.attempts} attempt(s)). Check the network, any proxy, and justcall:baseUrl; then run again.`,
        { ...ctx, code: f.code, timeout: c.isTimeout },
      );
    case "garbled":
      return new SchemaError(
        `JustCall answered ${c.route} (${c.method} ${c.path}) with a body that is not JSON, ${c.attempts} time(s); ` +
          `a proxy or gateway may be in the way. Check justcall:baseUrl and try again later.`,
        { ...ctx, status: 200, fieldPath: "(body)", issues: [{ path: [], message: "not JSON", code: "invalid_json" }] },
      );
  }
}

export function formatPath(path: PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out || "(root)";
}

function shapeError(method: string, route: string, path: string, status: number, issues: ShapeIssue[], attempts: number): SchemaError {
  const first = issues[0];
  const fieldPath = first ? formatPath(first.path) : "(root)";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue(s))` : "";
  return new SchemaError(
    `JustCall answered ${route} with an unexpected shape at ${fieldPath}: ${first?.message ?? "invalid"}${more}. ` +
      `The API may differ from the contract this provider assumes (provider/client/contract-*.ts); please report it.`,
    { status, method, path, route, attempts, fieldPath, issues },
  );
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return NOT_JSON;
  }
}

function queryString(q?: Record<string, string | number>): string {
  if (!q || Object.keys(q).length === 0) return "";
  return `?${new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type { AttemptResponse };
