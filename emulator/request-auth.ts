/**
 * The authentication step of every API request: the credentials in the API's own header form,
 * then the account's IP allowlist. It comes before the rate limit, so a refusal here (401, 403)
 * counts against no key.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { EmulatorCore } from "./core";
import { ApiError } from "./errors";
import type { Api } from "./request-context";
import { showRateWindow } from "./request-rate-limit";
import type { Account } from "./state";

const AUTH_HINT = {
  v1: 'expected "Authorization: Basic base64(api_key:api_secret)"',
  "v2.1": 'expected "Authorization: api_key:api_secret"',
} as const;

/**
 * The `key:secret` pair an Authorization header carries, or null when it is not in the API's
 * form. v1 (the guide): `Basic base64(key:secret)`. v2.1 (published): the raw `key:secret`, so
 * a Basic header is refused there, and a raw one on v1.
 */
function credentialsOf(api: Api, header: string): { apiKey: string; apiSecret: string } | null {
  let pair: string;
  if (api === "v1") {
    const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    pair = m ? Buffer.from(m[1], "base64").toString("utf8") : "";
  } else {
    pair = header.trim();
    if (/\s/.test(pair)) return null;
  }
  const colon = pair.indexOf(":");
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
  const ip = request.ip ?? "";
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

/** The account the request's credentials name; a 401 or 403 (with the rate-limit headers) otherwise. */
export function authenticate(core: EmulatorCore, api: Api, request: FastifyRequest, reply: FastifyReply): Account {
  const unauthorized = (message: string) => {
    showRateWindow(core, api, null, reply);
    return new ApiError(401, message);
  };
  const header = request.headers.authorization;
  if (!header) throw unauthorized(`Missing Authorization header: ${AUTH_HINT[api]}`);
  const given = credentialsOf(api, header);
  if (!given) throw unauthorized(`Malformed Authorization header: ${AUTH_HINT[api]}`);
  const account = core.store.account(given.apiKey);
  if (!account || !sameSecret(given.apiSecret, account.apiSecret)) throw unauthorized("Invalid API key or secret");
  if (account.allowedIps && !account.allowedIps.includes(clientIp(request))) {
    showRateWindow(core, api, account, reply);
    throw new ApiError(403, `Requests from IP ${clientIp(request)} are not allowed for this API key`);
  }
  return account;
}
