// The provider's configuration: stack config `justcall:*`, with environment fallbacks.
// Pure functions, so they are unit-tested without an engine.
import { ConfigurationError, type ApiVersion, type ClientSettings, type Plan } from "./client";

export { ConfigurationError };
export type { ApiVersion, Plan };

export interface ProviderSettings {
  /** An explicit provider's account (justcall.Provider, docs/accounts.md); undefined for the stack's default account. */
  account?: string;
  /** `v1`: the guide's API, full CRUD (default). `v2.1`: JustCall's published, read-mostly API. */
  apiVersion: ApiVersion;
  /** v2.1: the account's plan, which sets the starting budgets of both rate windows. */
  plan?: Plan;
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Deadline for one resource operation (the engine does not pass customTimeouts to dynamic providers). */
  operationTimeoutMs: number;
  /** Starting rate budget (v2.1: the per-minute window); the API's rate-limit headers then rule. */
  rateLimit?: { limit: number; windowMs: number };
  /** v2.1: starting budget of the hourly window. */
  hourlyRateLimit?: { limit: number; windowMs: number };
  /**
   * Batched reads: one paginated list serves many reads (the client's list cache, list-cache.ts).
   * Off means one GET per resource. Named after its key, justcall:snapshot, which users have set.
   */
  snapshot: boolean;
  /** Per HTTP attempt (connect, headers and body); unset: the client's default, 30 s. */
  requestTimeoutMs?: number;
  /** Retry budget of one request; unset parts: the client's defaults, 6 attempts and 120 s. */
  retry?: { maxAttempts?: number; maxElapsedMs?: number };
}

export const DEFAULT_BASE_URL = "https://api.justcall.io";
/** JustCall's own API host: the key may always go there, over https. */
export const JUSTCALL_API_HOST = "api.justcall.io";
/**
 * Environment variable: more hosts the API key may be sent to (a proxy, a test server), comma
 * separated, each `host` or `host:port`. Read only from the environment of the pulumi command,
 * which a pull request cannot change, unlike stack config and the program (docs/security.md).
 */
export const TRUSTED_HOSTS_ENV = "JUSTCALL_TRUSTED_HOSTS";

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127(\.\d{1,3}){3}$/.test(hostname);

/**
 * Why the account-wide API key must not be sent to `baseUrl`, or undefined when it may: JustCall's
 * own host over https, loopback (the emulator), the host of JUSTCALL_BASE_URL, or a host named in
 * JUSTCALL_TRUSTED_HOSTS, over https unless it is loopback. Decided before any connection.
 */
export function credentialHostProblem(
  baseUrl: string,
  env: Record<string, string | undefined>,
  key = "justcall:baseUrl",
): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `${key} "${baseUrl}" is not a URL; leave it unset for JustCall (${DEFAULT_BASE_URL}), or give a URL like http://127.0.0.1:8787 for the emulator`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `${key} "${baseUrl}" must be an http or https URL`;
  if (url.username !== "" || url.password !== "")
    return `${key} must not carry a user name or password: the API key and secret are the credentials`;
  if (isLoopback(url.hostname)) return undefined;
  const trusted = new Set(
    (env[TRUSTED_HOSTS_ENV] ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const fromEnv = env.JUSTCALL_BASE_URL;
  if (fromEnv) {
    try {
      trusted.add(new URL(fromEnv).host.toLowerCase());
    } catch {
      // A malformed JUSTCALL_BASE_URL trusts nothing.
    }
  }
  const named = url.hostname === JUSTCALL_API_HOST || trusted.has(url.host.toLowerCase()) || trusted.has(url.hostname.toLowerCase());
  if (!named) {
    return (
      `${key} "${url.origin}" is neither JustCall's API (${DEFAULT_BASE_URL}) nor a loopback address, so the API key ` +
      "(account-wide, with no scopes) is not sent there: nothing was sent. Stack config and the program are part of the " +
      "repository, and a pull request could point them anywhere. If this host is yours (a proxy, a test server), name it in the environment of pulumi: " +
      `${TRUSTED_HOSTS_ENV}=${url.host}. See docs/security.md.`
    );
  }
  if (url.protocol !== "https:") {
    return `${key} "${url.origin}" is not https: the API key would cross the network in the clear. Use https, or the emulator on loopback`;
  }
  return undefined;
}
export const DEFAULT_OPERATION_TIMEOUT_S = 600;

/**
 * Every setting. Each is read from the stack config `justcall:<name>`, else from the environment
 * variable JUSTCALL_<NAME> in upper snake case: justcall:hourlyRateLimit, JUSTCALL_HOURLY_RATE_LIMIT.
 */
export const SETTINGS = [
  "apiVersion",
  "plan",
  "hourlyRateLimit",
  "apiKey",
  "apiSecret",
  "baseUrl",
  "operationTimeout",
  "rateLimit",
  "snapshot",
  "requestTimeout",
  "retryMaxAttempts",
  "retryMaxElapsed",
] as const;
export type SettingName = (typeof SETTINGS)[number];

/**
 * The input of an explicit provider (justcall.Provider) that names its account; its presence is
 * what marks a provider process as serving an explicit provider rather than the stack's default.
 */
export const ACCOUNT_CONFIG = "justcall:account";

/**
 * What an account is: an explicit provider takes these only from its own inputs, never from the
 * environment, which belongs to the stack's default account (its key must not reach another
 * account's provider, nor its base URL another account's key).
 */
export const ACCOUNT_SETTINGS: readonly SettingName[] = [
  "apiKey",
  "apiSecret",
  "baseUrl",
  "apiVersion",
  "plan",
  "rateLimit",
  "hourlyRateLimit",
];

/** How messages name a setting: its stack config key, or an explicit provider's property. */
export function settingLabel(name: SettingName, account?: string): string {
  return account === undefined ? settingSource(name).config : `justcall.Provider("${account}").${name}`;
}

/** A setting's stack config key and its environment fallback. */
export function settingSource(name: SettingName): { config: string; env: string } {
  return { config: `justcall:${name}`, env: `JUSTCALL_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}` };
}

/** Each setting's stack config key and environment fallback, by name (exported by the package). */
export const SETTING_SOURCES = Object.fromEntries(SETTINGS.map((name) => [name, settingSource(name)])) as Record<
  SettingName,
  { config: string; env: string }
>;

/** "100/60s", "20/2s", "5400/1h", "90/1m" → { limit, windowMs }. `key`: the setting messages name. */
export function parseRateLimit(text: string, key = settingSource("rateLimit").config): { limit: number; windowMs: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m|h)\s*$/.exec(text);
  if (!match) {
    throw new ConfigurationError(`${key} "${text}" is not a rate; write it as requests/window, e.g. "100/60s" or "90/1m"`);
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[3] as "ms" | "s" | "m" | "h"];
  const limit = Number(match[1]);
  const windowMs = Number(match[2] ?? "1") * unit;
  if (limit < 1 || windowMs <= 0) {
    throw new ConfigurationError(`${key} "${text}" must allow at least 1 request in a window longer than 0`);
  }
  return { limit, windowMs };
}

/** A setting that is a number greater than 0 (a whole number when `whole`), or undefined when unset. */
function positiveNumber(key: string, text: string | undefined, what: string, whole = false): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    throw new ConfigurationError(`${key} "${text}" must be ${what}`);
  }
  return n;
}

/**
 * Settings from a config getter (the engine's `req.config.get`, keys like "justcall:apiKey") and the
 * environment. Missing credentials are reported by `requireCredentials`, at the first operation that
 * needs the API, so that operations that need none (an update of the provider code alone) still work.
 * `account`: an explicit provider's (its ACCOUNT_CONFIG input): the ACCOUNT_SETTINGS then come from
 * `get` alone, and messages name the provider's properties.
 */
export function resolveSettings(
  get: (key: string) => string | undefined,
  env: Record<string, string | undefined>,
  account?: string,
): Omit<ProviderSettings, "apiKey" | "apiSecret"> & { apiKey?: string; apiSecret?: string } {
  const value = (name: SettingName) => {
    const source = settingSource(name);
    const fromEnv = account !== undefined && ACCOUNT_SETTINGS.includes(name) ? undefined : env[source.env];
    const v = get(source.config) ?? fromEnv;
    return v === undefined || v === "" ? undefined : v;
  };
  const key = (name: SettingName) => settingLabel(name, account);
  const baseUrl = (value("baseUrl") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const hostProblem = credentialHostProblem(baseUrl, env, key("baseUrl"));
  if (hostProblem) throw new ConfigurationError(hostProblem);
  const timeoutText = value("operationTimeout");
  const timeoutS = timeoutText === undefined ? DEFAULT_OPERATION_TIMEOUT_S : Number(timeoutText);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw new ConfigurationError(`${key("operationTimeout")} "${timeoutText}" must be a number of seconds greater than 0`);
  }
  const rateText = value("rateLimit");
  const snapshotText = value("snapshot");
  if (snapshotText !== undefined && !/^(true|false)$/i.test(snapshotText)) {
    throw new ConfigurationError(`${key("snapshot")} "${snapshotText}" must be true or false`);
  }
  const apiVersion = value("apiVersion") ?? "v1";
  if (apiVersion !== "v1" && apiVersion !== "v2.1") {
    throw new ConfigurationError(`${key("apiVersion")} "${apiVersion}" must be v1 (the guide's API) or v2.1 (JustCall's published API)`);
  }
  const plan = value("plan");
  if (plan !== undefined && !["team", "pro", "business"].includes(plan)) {
    throw new ConfigurationError(`${key("plan")} "${plan}" must be team, pro or business`);
  }
  const hourlyText = value("hourlyRateLimit");
  const requestTimeoutS = positiveNumber(key("requestTimeout"), value("requestTimeout"), "a number of seconds greater than 0");
  const maxAttempts = positiveNumber(key("retryMaxAttempts"), value("retryMaxAttempts"), "a whole number of attempts, at least 1", true);
  const maxElapsedS = positiveNumber(key("retryMaxElapsed"), value("retryMaxElapsed"), "a number of seconds greater than 0");
  return {
    ...(account !== undefined ? { account } : {}),
    apiVersion,
    plan: plan as Plan | undefined,
    hourlyRateLimit: hourlyText === undefined ? undefined : parseRateLimit(hourlyText, key("hourlyRateLimit")),
    baseUrl,
    apiKey: value("apiKey"),
    apiSecret: value("apiSecret"),
    operationTimeoutMs: timeoutS * 1000,
    rateLimit: rateText === undefined ? undefined : parseRateLimit(rateText, key("rateLimit")),
    snapshot: snapshotText === undefined ? true : snapshotText.toLowerCase() === "true",
    requestTimeoutMs: requestTimeoutS === undefined ? undefined : requestTimeoutS * 1000,
    retry:
      maxAttempts === undefined && maxElapsedS === undefined
        ? undefined
        : { maxAttempts, maxElapsedMs: maxElapsedS === undefined ? undefined : maxElapsedS * 1000 },
  };
}

export function requireCredentials(settings: ReturnType<typeof resolveSettings>): ProviderSettings {
  if (settings.account !== undefined) {
    const missing = (["apiKey", "apiSecret"] as const).filter((name) => settings[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigurationError(
        `justcall.Provider("${settings.account}") has no ${missing.join(" and ")}: an explicit provider takes its credentials ` +
          "from its own inputs only (the environment's are the default account's), e.g. " +
          `apiSecret: new pulumi.Config().requireSecret("${settings.account}ApiSecret"). See docs/accounts.md.`,
      );
    }
    return settings as ProviderSettings;
  }
  const missing = [
    settings.apiKey === undefined ? "justcall:apiKey (or JUSTCALL_API_KEY)" : undefined,
    settings.apiSecret === undefined ? "justcall:apiSecret (or JUSTCALL_API_SECRET)" : undefined,
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `JustCall credentials are not configured: missing ${missing.join(" and ")}. ` +
        "Run `pulumi config set justcall:apiKey <key>` and `pulumi config set --secret justcall:apiSecret` (it asks for the secret) " +
        "(JustCall: Settings > Developer > API).",
    );
  }
  return settings as ProviderSettings;
}

/** The client's settings for the configured account: one place, for the provider and the roster tools. */
export function clientSettingsFrom(settings: ProviderSettings): ClientSettings {
  const common = {
    apiVersion: settings.apiVersion,
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    apiSecret: settings.apiSecret,
    snapshot: settings.snapshot,
    requestTimeoutMs: settings.requestTimeoutMs,
    retry: settings.retry,
  };
  return settings.apiVersion === "v1"
    ? { ...common, rateLimit: settings.rateLimit }
    : { ...common, plan: settings.plan, rateLimits: { minute: settings.rateLimit, hour: settings.hourlyRateLimit } };
}
