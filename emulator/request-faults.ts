/**
 * The fault step of every API request: the first fault rule that matches and fires acts on it.
 * Faults come after authentication and the rate limit: they stand for failures behind JustCall's
 * edge, so a faulted request has taken its place in the window like any other.
 */
import { STATUS_CODES } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { EmulatorCore } from "./core";
import { ApiError } from "./errors";
import { HTML_502, MALFORMED_BODY } from "./faults";
import { elapsedMs, logRequest, type RequestContext } from "./request-context";

/**
 * Delays, holds or marks the request (it then goes on to its handler), or answers it here: the
 * reply when a body was sent (the hook must return it), a thrown ApiError for an error envelope.
 */
export async function injectFault(
  core: EmulatorCore,
  ctx: RequestContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const rule = core.faults.active ? core.faults.pick(ctx.route) : null;
  if (!rule) return undefined;
  ctx.fault = rule.kind;
  switch (rule.kind) {
    case "latency":
      await new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 1000));
      return undefined;
    case "hold":
      await core.faults.hold();
      return undefined;
    case "commit-then-drop":
      ctx.drop = true;
      return undefined;
    case "reset":
      reply.hijack();
      request.raw.socket.destroy();
      logRequest(core.log, request, 0, elapsedMs(request));
      return undefined;
    case "malformed":
      return reply.code(200).type("application/json; charset=utf-8").send(MALFORMED_BODY);
    case "html":
      return reply.code(502).type("text/html; charset=utf-8").send(HTML_502);
    case "rate-limit":
      reply.header("retry-after", rule.retryAfter ?? 1);
      throw new ApiError(429, "Rate limit exceeded");
    case "status": {
      const status = rule.status ?? 500;
      throw new ApiError(status, STATUS_CODES[status] ?? `HTTP ${status}`);
    }
  }
}
