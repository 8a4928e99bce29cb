/**
 * HTTP transport: one keep-alive undici Pool per origin, one attempt per call, no retries.
 * Transport errors are reduced to a code; the original error (whose fields could one day carry
 * request details) is never kept.
 */
import { Pool } from "undici";
import { ConfigurationError } from "./errors";
import type { Headers, HttpMethod } from "./contract";

export interface Endpoint {
  origin: string;
  /** Path prefix from the base URL (without the API version segment), e.g. "" or "/proxy". */
  prefix: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);

export function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Parses and checks the base URL: https, or http to a loopback address only. */
export function parseBaseUrl(baseUrl: string, stripBasePath: (p: string) => string): Endpoint {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err; // what new URL() throws for a bad URL
    throw new ConfigurationError(`JustCall base URL is not a valid URL; expected e.g. https://api.justcall.io.`);
  }
  const shown = `${url.protocol}//${url.host}`;
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`JustCall base URL must use https:// (got ${shown}).`);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new ConfigurationError(
      `JustCall base URL must use https:// (got ${shown}): plain http is allowed only for loopback ` +
        `addresses (127.0.0.0/8, ::1, localhost), because the API key and secret travel in every request.`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigurationError(`JustCall base URL must not contain credentials; use justcall:apiKey and justcall:apiSecret.`);
  }
  return { origin: url.origin, prefix: stripBasePath(url.pathname) };
}

export interface AttemptRequest {
  method: HttpMethod;
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface AttemptResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A failure without an HTTP answer. Deliberately holds nothing but a code. */
export class TransportFailure {
  constructor(
    readonly code: string,
    readonly timeout: boolean,
  ) {}
}

export function newPool(origin: string, connectTimeoutMs: number): Pool {
  return new Pool(origin, {
    connections: 16,
    keepAliveTimeout: 10_000,
    connect: { timeout: connectTimeoutMs },
  });
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

export async function attempt(pool: Pool, req: AttemptRequest): Promise<AttemptResponse> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), req.timeoutMs);
  try {
    const res = await pool.request({
      method: req.method,
      path: req.path,
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
      signal: ac.signal,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  } catch (e) {
    if (ac.signal.aborted) throw new TransportFailure("ETIMEDOUT", true);
    const code = (e as { code?: unknown })?.code;
    const c = typeof code === "string" ? code : "UND_ERR_UNKNOWN";
    throw new TransportFailure(c, TIMEOUT_CODES.has(c));
  } finally {
    clearTimeout(timer);
  }
}
