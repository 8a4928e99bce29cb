/**
 * The JustCall API emulator as a library: `startEmulator()` for tests and embedding, the
 * default seed, and the admin client types. See docs/emulator.md.
 */
import type { AddressInfo } from "node:net";
import { AdminClient } from "./admin-client";
import { buildApp } from "./app";
import { EmulatorCore } from "./core";
import { storeToData } from "./data-file";
import { defaultSeed } from "./default-seed";
import type { FaultRule } from "./faults";
import { validateFaultRules } from "./faults";
import { loadDataFile, Persister } from "./persistence";
import type { RateLimitConfig } from "./rate-limit";
import type { V21RateLimitConfig, V21RateLimitMode } from "./rate-limit-v21";
import { buildStore, resolveSeed, type Seed } from "./seed";
import { resolveShapes, type ShapesOption } from "./shapes";
import { DEFAULT_PLAN, type Plan, PLANS } from "./state";

export { AdminClient, AdminError } from "./admin-client";
export type { AgentInput, NumberInput } from "./admin-client";
export type {
  AdminAccount,
  AdminAgent,
  AdminAgentExtra,
  AdminNumber,
  AdminNumberExtra,
  AdminTeam,
  AdminTeamExtra,
  StateView,
} from "./admin/state-view";
export { DEMO_CREDENTIALS, GLOBEX_CREDENTIALS, defaultSeed } from "./default-seed";
export { FAULT_KINDS, parseFaultSpec } from "./faults";
export type { FaultKind, FaultRule } from "./faults";
export { parseRateLimit } from "./rate-limit";
export type { RateLimitConfig } from "./rate-limit";
export { PLAN_LIMITS, parseV21RateLimit } from "./rate-limit-v21";
export type { V21RateLimitConfig, V21RateLimitMode } from "./rate-limit-v21";
export type { V21Page } from "./routes-v21";
export type { V21Member, V21PhoneNumber, V21User, V21UserGroup } from "./render-v21";
export { PLANS } from "./state";
export { DEFAULT_SHAPES, parseShapesSpec, SHAPE_MODES } from "./shapes";
export type { ShapeMode, Shapes, ShapesOption } from "./shapes";
export type { Plan } from "./state";
export type { RequestCounters, RequestLogEntry, RequestLogSnapshot } from "./request-log";
export type { Seed, SeedAccount } from "./seed";
export type { Invitation } from "./state";

export interface EmulatorOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Persist state to this JSON file; loaded on start when it exists (the seed is then ignored). */
  dataFile?: string;
  /** A seed object or a path to a JSON/YAML seed file. Default: the built-in demo seed. */
  seed?: Seed | string;
  /** Per-API-key fixed window; `false` disables it. Default 100 per 60000 ms (the guide's limit). */
  rateLimit?: RateLimitConfig | false;
  /**
   * The v2.1 limits, a separate budget from v1's. Default `'plan'`: each key gets its account's
   * plan's hourly and per-minute windows. `{ hour, burst }`: the same (e.g. scaled-down) windows
   * for every key, whatever its plan. `false`: off.
   */
  v21RateLimit?: "plan" | V21RateLimitConfig | false;
  /** The plan of every account whose seed names none. Default `'team'`. */
  plan?: Plan;
  /**
   * How answers are shaped: `'guide'` (exactly as the guide and the published reference print
   * their examples) or `'full'` (every field), for both APIs or per API. Default
   * `{ v1: 'guide', 'v2.1': 'full' }`. See docs/emulator.md, "Response shapes".
   */
  shapes?: ShapesOption;
  faults?: FaultRule[];
  logger?: boolean;
  /** Largest accepted request body in bytes. Default 64 KiB. */
  bodyLimit?: number;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:41234, no trailing slash. */
  url: string;
  /** The first seeded account's credentials. */
  credentials: { apiKey: string; apiSecret: string };
  /** Every account at startup, with credentials (the CLI prints them). */
  accounts: Array<{ name: string; apiKey: string; apiSecret: string }>;
  admin: AdminClient;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 100, windowMs: 60_000 };

/** 127.0.0.0/8 and ::1 (and IPv4-mapped loopback). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.startsWith("::ffff:") ? address.slice(7) : address;
  return a === "::1" || /^127(\.\d{1,3}){3}$/.test(a);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = resolveSeed(options.seed ?? defaultSeed);
  const rateLimit = options.rateLimit === false ? null : (options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const v21RateLimit: V21RateLimitMode = options.v21RateLimit === false ? null : (options.v21RateLimit ?? "plan");
  const plan = options.plan ?? DEFAULT_PLAN;
  if (!(PLANS as readonly string[]).includes(plan)) throw new Error(`plan: must be one of ${PLANS.join(", ")}, got "${plan}"`);
  const store = (options.dataFile && loadDataFile(options.dataFile)) || buildStore(seed, plan);
  const core = new EmulatorCore(seed, rateLimit, store, v21RateLimit, plan, resolveShapes(options.shapes));
  if (options.faults) core.faults.set(validateFaultRules(options.faults));
  if (options.dataFile) {
    core.persister = new Persister(options.dataFile, () => storeToData(core.store));
    core.persister.schedule();
  }

  const bodyLimit = options.bodyLimit ?? 64 * 1024;
  const app = buildApp(core, { logger: options.logger ?? false, bodyLimit });
  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  if (!isLoopbackAddress(address.address)) {
    // The emulator has no TLS, its admin API takes no credentials, and its demo keys are public.
    process.emitWarning(
      `justcall-emulator listens on ${url}, beyond loopback: anyone who can reach it can read and change its accounts ` +
        "through the admin API, and credentials cross the network in plain http. Use --host 127.0.0.1 unless you mean it.",
      { code: "JUSTCALL_EMULATOR_EXPOSED" },
    );
  }

  const accounts = [...core.store.accounts.values()].map((a) => ({ name: a.name, apiKey: a.apiKey, apiSecret: a.apiSecret }));
  let closing: Promise<void> | undefined;
  return {
    url,
    credentials: { apiKey: accounts[0].apiKey, apiSecret: accounts[0].apiSecret },
    accounts,
    admin: new AdminClient(url),
    close: () =>
      (closing ??= (async () => {
        core.closing = true;
        // Held requests and their waiters would keep close() waiting for them.
        core.faults.shutdown();
        await app.close();
        await core.persister?.flush();
      })()),
  };
}
