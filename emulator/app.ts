/**
 * The fastify application: hooks that authenticate, rate-limit, inject faults and log every API
 * request, the error envelope for every error path (fastify's own included), then the routes.
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
// Not './admin': a dist/emulator/admin.js left by an incremental build before the split would win.
import { registerAdminRoutes } from "./admin/index";
import type { EmulatorCore } from "./core";
import { ApiError, errorEnvelope } from "./errors";
import { authenticate } from "./request-auth";
import { apiOf, decodedPath, elapsedMs, isAdmin, logRequest, startRequestContext } from "./request-context";
import { injectFault } from "./request-faults";
import { takeRateLimitSlot } from "./request-rate-limit";
import { registerV1Routes } from "./routes-v1";
import { registerV21Routes } from "./routes-v21";

/** The error envelope for a fastify error (body parsing, limits) or an unexpected one. */
function fromFastifyError(err: FastifyError, bodyLimit: number): ApiError {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError(413, `body: larger than the ${bodyLimit}-byte limit`);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError(415, "content-type: must be application/json");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ApiError(400, "body: Content-Length does not match the body");
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ApiError(status, err.message || (STATUS_CODES[status] ?? "Bad request"));
  return new ApiError(500, "Internal server error");
}

export function buildApp(core: EmulatorCore, opts: { logger: boolean; bodyLimit: number }): FastifyInstance {
  const app = Fastify({
    logger: opts.logger,
    bodyLimit: opts.bodyLimit,
    // Idle keep-alive connections must not hold close() open in tests.
    forceCloseConnections: "idle",
    // Requests arriving while closing get the envelope from the onRequest hook instead of
    // fastify's own 503 body.
    return503OnClosing: false,
    // Router-level refusals (an undecodable URL, an overlong path segment) bypass the hooks and
    // the error handler; they still answer with the envelope and are still logged.
    frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
      const status = err.code === "FST_ERR_MAX_PARAM_LENGTH" ? 414 : 400;
      const message = status === 414 ? "path: a path segment is too long" : "path: not a valid URL";
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
      reply.code(status).type("application/json; charset=utf-8").send(errorEnvelope(message));
    },
    clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
      if (err.code === "ECONNRESET" || !socket.writable) return socket.destroy();
      const body = JSON.stringify(errorEnvelope("Bad request: malformed HTTP request"));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  app.decorateRequest("emu", null);

  // JSON only: text/plain and others answer 415. An empty body parses to undefined so that
  // clients which always send Content-Type (even on DELETE) are not refused for it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      done(new ApiError(400, `body: malformed JSON (${err.message})`), undefined);
    }
  });

  // docs/emulator.md: "Checks run in this order: authentication (401), IP allowlist (403), rate
  // limit (429), injected faults", then body parsing and the route.
  app.addHook("onRequest", async (request, reply) => {
    if (core.closing) {
      reply.header("connection", "close");
      throw new ApiError(503, "Service Unavailable: the emulator is shutting down");
    }
    const path = decodedPath(request);
    if (isAdmin(path)) return undefined;
    const ctx = startRequestContext(request);
    const api = apiOf(path);
    if (!api) return undefined;
    ctx.account = authenticate(core, api, request, reply);
    takeRateLimitSlot(core, api, ctx.account, reply);
    return injectFault(core, ctx, request, reply);
  });

  app.addHook("onSend", async (request, _reply, payload) => {
    if (request.emu?.drop) {
      // The handler has run (the write is committed); the client never hears about it.
      request.raw.socket.destroy();
      logRequest(core.log, request, 0, elapsedMs(request));
    }
    return payload;
  });

  app.addHook("onResponse", async (request, reply) => {
    if (request.emu) logRequest(core.log, request, reply.statusCode, reply.elapsedTime);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const apiError = err instanceof ApiError ? err : fromFastifyError(err, opts.bodyLimit);
    if (apiError.status >= 500 && !(err instanceof ApiError)) request.log.error(err);
    return reply.code(apiError.status).type("application/json; charset=utf-8").send(errorEnvelope(apiError.message));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0];
    return reply.code(404).send(errorEnvelope(`Route ${request.method} ${path} not found`));
  });

  registerV1Routes(app, core);
  registerV21Routes(app, core);
  registerAdminRoutes(app, core);
  return app;
}
