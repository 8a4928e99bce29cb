/**
 * The fastify application: hooks that authenticate, rate-limit, inject faults and log every API
 * request, the error envelope for every error path (fastify's own included), then the routes.
 */
import { timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerAdminRoutes } from './admin';
import type { EmulatorCore } from './core';
import { ApiError, errorEnvelope } from './errors';
import { HTML_502, MALFORMED_BODY } from './faults';
import type { RateDecision } from './rate-limit';
import type { V21RateDecision } from './rate-limit-v21';
import { registerV1Routes } from './routes-v1';
import { registerV21Routes } from './routes-v21';
import type { Account } from './state';

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

declare module 'fastify' {
  interface FastifyRequest {
    emu: RequestContext | null;
  }
}

const isAdmin = (url: string) => url === '/__admin' || url.startsWith('/__admin/') || url.startsWith('/__admin?');
const under = (url: string, base: string) => url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);

/** Which API a URL belongs to; each has its own auth form and rate limit. */
function apiOf(url: string): 'v1' | 'v2.1' | null {
  if (under(url, '/v1')) return 'v1';
  if (under(url, '/v2.1')) return 'v2.1';
  return null;
}

const AUTH_HINT = {
  v1: 'expected "Authorization: Basic base64(api_key:api_secret)"',
  'v2.1': 'expected "Authorization: api_key:api_secret"',
} as const;

/**
 * The `key:secret` pair an Authorization header carries, or null when it is not in the API's
 * form. v1 (the guide): `Basic base64(key:secret)`. v2.1 (published): the raw `key:secret`, so
 * a Basic header is refused there, and a raw one on v1.
 */
function credentialsOf(api: 'v1' | 'v2.1', header: string): { apiKey: string; apiSecret: string } | null {
  let pair: string;
  if (api === 'v1') {
    const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    pair = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
  } else {
    pair = header.trim();
    if (/\s/.test(pair)) return null;
  }
  const colon = pair.indexOf(':');
  if (colon < 1 || colon === pair.length - 1) return null;
  return { apiKey: pair.slice(0, colon), apiSecret: pair.slice(colon + 1) };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The IP as the account's allowlist spells it: IPv4-mapped IPv6 addresses are unwrapped. */
function clientIp(request: FastifyRequest): string {
  const ip = request.ip ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function setRateHeaders(reply: FastifyReply, d: RateDecision | null): void {
  if (!d) return;
  reply.header('x-ratelimit-limit', d.limit);
  reply.header('x-ratelimit-remaining', d.remaining);
  reply.header('x-ratelimit-reset', d.resetSeconds);
}

/** The published v2.1 headers: the hourly window, then the per-minute burst window (resets in epoch seconds). */
function setV21RateHeaders(reply: FastifyReply, d: V21RateDecision | null): void {
  if (!d) return;
  reply.header('x-rate-limit-limit', d.hour.limit);
  reply.header('x-rate-limit-remaining', d.hour.remaining);
  reply.header('x-rate-limit-reset', d.hour.resetEpoch);
  reply.header('x-rate-limit-burst-limit', d.burst.limit);
  reply.header('x-rate-limit-burst-remaining', d.burst.remaining);
  reply.header('x-rate-limit-burst-reset', d.burst.resetEpoch);
}

/** The error envelope for a fastify error (body parsing, limits) or an unexpected one. */
function fromFastifyError(err: FastifyError, bodyLimit: number): ApiError {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, `body: larger than the ${bodyLimit}-byte limit`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'content-type: must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'body: Content-Length does not match the body');
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ApiError(status, err.message || (STATUS_CODES[status] ?? 'Bad request'));
  return new ApiError(500, 'Internal server error');
}

export function buildApp(core: EmulatorCore, opts: { logger: boolean; bodyLimit: number }): FastifyInstance {
  const app = Fastify({
    logger: opts.logger,
    bodyLimit: opts.bodyLimit,
    // Idle keep-alive connections must not hold close() open in tests.
    forceCloseConnections: 'idle',
    // Requests arriving while closing get the envelope from the onRequest hook instead of
    // fastify's own 503 body.
    return503OnClosing: false,
    // Router-level refusals (an undecodable URL, an overlong path segment) bypass the hooks and
    // the error handler; they still answer with the envelope and are still logged.
    frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
      const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const message = status === 414 ? 'path: a path segment is too long' : 'path: not a valid URL';
      if (!isAdmin(request.url)) {
        core.log.record({
          method: request.method,
          path: request.url,
          route: `${request.method} (unmatched)`,
          status,
          account: null,
          startedAt: new Date().toISOString(),
          durationMs: 0,
          fault: null,
        });
      }
      reply.code(status).type('application/json; charset=utf-8').send(errorEnvelope(message));
    },
    clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
      if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
      const body = JSON.stringify(errorEnvelope('Bad request: malformed HTTP request'));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  app.decorateRequest('emu', null);

  // JSON only: text/plain and others answer 415. An empty body parses to undefined so that
  // clients which always send Content-Type (even on DELETE) are not refused for it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new ApiError(400, `body: malformed JSON (${(err as Error).message})`), undefined);
    }
  });

  const record = (request: FastifyRequest, status: number, durationMs: number) => {
    const ctx = request.emu;
    if (!ctx || ctx.logged) return;
    ctx.logged = true;
    core.log.record({
      method: request.method,
      path: request.url,
      route: ctx.route,
      status,
      account: ctx.account?.apiKey ?? null,
      startedAt: ctx.startedAt.toISOString(),
      durationMs: Math.round(durationMs * 100) / 100,
      fault: ctx.fault,
    });
  };
  const elapsed = (request: FastifyRequest) => Date.now() - request.emu!.startedAt.getTime();

  app.addHook('onRequest', async (request, reply) => {
    if (core.closing) {
      reply.header('connection', 'close');
      throw new ApiError(503, 'Service Unavailable: the emulator is shutting down');
    }
    if (isAdmin(request.url)) return;
    const template = request.routeOptions.url;
    const ctx: RequestContext = {
      startedAt: new Date(),
      route: template ? `${request.method} ${template.replace(/:(\w+)/g, '{$1}')}` : `${request.method} (unmatched)`,
      account: null,
      fault: null,
      drop: false,
      logged: false,
    };
    request.emu = ctx;
    const api = apiOf(request.url);
    if (!api) return;

    // Authentication comes before rate limiting: a 401 is not counted against any key. v1 shows
    // an unused window on a 401; v2.1 limits depend on the account's plan, unknown here, so none.
    const unauthorized = (message: string) => {
      if (api === 'v1') setRateHeaders(reply, core.limiter.peek(null));
      return new ApiError(401, message);
    };
    const header = request.headers.authorization;
    if (!header) throw unauthorized(`Missing Authorization header: ${AUTH_HINT[api]}`);
    const given = credentialsOf(api, header);
    if (!given) throw unauthorized(`Malformed Authorization header: ${AUTH_HINT[api]}`);
    const { apiKey } = given;
    const account = core.store.account(apiKey);
    if (!account || !sameSecret(given.apiSecret, account.apiSecret)) throw unauthorized('Invalid API key or secret');
    if (account.allowedIps && !account.allowedIps.includes(clientIp(request))) {
      if (api === 'v1') setRateHeaders(reply, core.limiter.peek(apiKey));
      else setV21RateHeaders(reply, core.v21Limiter.peek(apiKey, account.plan));
      throw new ApiError(403, `Requests from IP ${clientIp(request)} are not allowed for this API key`);
    }
    ctx.account = account;

    // v1 and v2.1 keep separate budgets per key (docs/emulator.md, v2.1 assumptions).
    if (api === 'v1') {
      const decision = core.limiter.take(apiKey);
      setRateHeaders(reply, decision);
      if (decision && !decision.allowed) {
        reply.header('retry-after', Math.max(1, decision.resetSeconds));
        throw new ApiError(429, 'Rate limit exceeded');
      }
    } else {
      const decision = core.v21Limiter.take(apiKey, account.plan);
      setV21RateHeaders(reply, decision);
      if (decision && !decision.allowed) {
        // ASSUMPTION: the published reference documents no Retry-After; sent anyway, in seconds.
        reply.header('retry-after', decision.retryAfterSeconds);
        throw new ApiError(429, 'Rate limit exceeded');
      }
    }

    // Faults act after auth and rate limiting: they stand for failures behind JustCall's edge,
    // so a faulted request has consumed its place in the window like any other.
    const rule = core.faults.active ? core.faults.pick(ctx.route) : null;
    if (!rule) return;
    ctx.fault = rule.kind;
    switch (rule.kind) {
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 1000));
        return;
      case 'hold':
        await core.faults.hold();
        return;
      case 'commit-then-drop':
        ctx.drop = true;
        return;
      case 'reset':
        reply.hijack();
        request.raw.socket.destroy();
        record(request, 0, elapsed(request));
        return;
      case 'malformed':
        return reply.code(200).type('application/json; charset=utf-8').send(MALFORMED_BODY);
      case 'html':
        return reply.code(502).type('text/html; charset=utf-8').send(HTML_502);
      case 'rate-limit':
        reply.header('retry-after', rule.retryAfter ?? 1);
        throw new ApiError(429, 'Rate limit exceeded');
      case 'status': {
        const status = rule.status ?? 500;
        throw new ApiError(status, STATUS_CODES[status] ?? `HTTP ${status}`);
      }
    }
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.emu?.drop) {
      // The handler has run (the write is committed); the client never hears about it.
      request.raw.socket.destroy();
      record(request, 0, elapsed(request));
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.emu) record(request, reply.statusCode, reply.elapsedTime);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const apiError = err instanceof ApiError ? err : fromFastifyError(err, opts.bodyLimit);
    if (apiError.status >= 500 && !(err instanceof ApiError)) request.log.error(err);
    return reply.code(apiError.status).type('application/json; charset=utf-8').send(errorEnvelope(apiError.message));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return reply.code(404).send(errorEnvelope(`Route ${request.method} ${path} not found`));
  });

  registerV1Routes(app, core);
  registerV21Routes(app, core);
  registerAdminRoutes(app, core);
  return app;
}
