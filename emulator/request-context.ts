/**
 * What the hooks (app.ts) know about each API request: which API it is for, its route template,
 * its account once authenticated, the fault it got, and whether it has been logged yet.
 */
import type { FastifyRequest } from "fastify";
import type { RequestLog } from "./request-log";
import type { Account } from "./state";

/** The two API versions the emulator serves; each has its own auth form and rate limit. */
export type Api = "v1" | "v2.1";

/** Per-request bookkeeping for the request log and the commit-then-drop fault. */
export interface RequestContext {
  startedAt: Date;
  route: string;
  account: Account | null;
  fault: string | null;
  /** commit-then-drop: run the handler, then destroy the socket instead of answering. */
  drop: boolean;
  logged: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    emu: RequestContext | null;
  }
}

const under = (url: string, base: string) => url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);

export const isAdmin = (url: string) => under(url, "/__admin");

/**
 * The path a request is routed by: the route the router matched (it decodes the path, so
 * `/%76%31/agents` is `/v1/agents`), else the URL's path decoded. Which API a request belongs to,
 * and so whether it is authenticated, is decided on this, never on the raw URL.
 */
export function decodedPath(request: FastifyRequest): string {
  const template = request.routeOptions?.url;
  if (template) return template;
  const raw = request.url.split("?")[0];
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Which API a URL belongs to; null for a path under neither (it still gets logged, as unmatched). */
export function apiOf(url: string): Api | null {
  if (under(url, "/v1")) return "v1";
  if (under(url, "/v2.1")) return "v2.1";
  return null;
}

/** Starts the request's bookkeeping; its route is the template the request log and fault rules use. */
export function startRequestContext(request: FastifyRequest): RequestContext {
  const template = request.routeOptions.url;
  const ctx: RequestContext = {
    startedAt: new Date(),
    route: template ? `${request.method} ${template.replace(/:(\w+)/g, "{$1}")}` : `${request.method} (unmatched)`,
    account: null,
    fault: null,
    drop: false,
    logged: false,
  };
  request.emu = ctx;
  return ctx;
}

export const elapsedMs = (request: FastifyRequest) => Date.now() - request.emu!.startedAt.getTime();

/** Logs an API request once, whichever of the answer, a dropped socket or a reset comes first. */
export function logRequest(log: RequestLog, request: FastifyRequest, status: number, durationMs: number): void {
  const ctx = request.emu;
  if (!ctx || ctx.logged) return;
  ctx.logged = true;
  log.record({
    method: request.method,
    path: request.url,
    route: ctx.route,
    status,
    account: ctx.account?.apiKey ?? null,
    startedAt: ctx.startedAt.toISOString(),
    durationMs: Math.round(durationMs * 100) / 100,
    fault: ctx.fault,
  });
}
