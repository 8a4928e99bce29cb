#!/usr/bin/env node
/**
 * justcall-emulator [--port 8787] [--host 127.0.0.1] [--data FILE] [--seed FILE]
 *                   [--rate-limit 100/60s | off] [--plan team|pro|business]
 *                   [--v21-rate-limit plan | off | HOUR,BURST] [--shapes guide|full] [--faults SPEC] [--log]
 *                   [--version]
 * Prints its URL and every seeded account's credentials; stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { parseFaultSpec } from "./faults";
import { startEmulator } from "./index";
import { parseRateLimit } from "./rate-limit";
import { parseV21RateLimit, PLAN_LIMITS } from "./rate-limit-v21";
import { parseShapesSpec } from "./shapes";
import { DEFAULT_PLAN, type Plan, PLANS } from "./state";

const USAGE = `Usage: justcall-emulator [--port 8787] [--host 127.0.0.1] [--data FILE] [--seed FILE]
                         [--rate-limit 100/60s | off] [--plan team|pro|business]
                         [--v21-rate-limit plan | off | HOUR,BURST] [--shapes guide|full] [--faults SPEC] [--log]

  --port        TCP port (0 picks a free one). Default 8787.
  --host        Interface to listen on. Default 127.0.0.1 (loopback only).
  --data        Persist state to this JSON file and reload it on start.
  --seed        JSON or YAML seed file. Default: the built-in demo seed.
  --rate-limit  v1: LIMIT/WINDOW per API key, e.g. 100/60s, 20/2s, 500/1500ms; or "off". Default 100/60s.
  --plan        Plan of every account whose seed names none: team (1800/h, 30/min), pro (3600/h,
                60/min) or business (5400/h, 90/min); sets the v2.1 limits. Default team.
  --v21-rate-limit
                v2.1: "plan" (by each account's plan, default), "off", or HOUR,BURST windows for
                every key, e.g. 1800/1h,30/1m or scaled down 20/10s,5/2s.
  --shapes      Response shapes: "guide" (exactly as the guide and the published reference print
                their examples), "full" (every field), or per API, e.g. v1=full,v2.1=guide.
                Default v1=guide,v2.1=full.
  --faults      Fault rules: "ROUTE=KIND[:ARG][@PROBABILITY][#COUNT];..." (see docs/emulator.md),
                e.g. "POST /v1/agents=commit-then-drop#1;*=status:503@0.1".
  --log         Log every request (fastify's JSON logger) to stdout.
  --version     Print the package's version and exit.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string" },
      seed: { type: "string" },
      "rate-limit": { type: "string", default: "100/60s" },
      plan: { type: "string", default: DEFAULT_PLAN },
      "v21-rate-limit": { type: "string", default: "plan" },
      shapes: { type: "string", default: "v1=guide,v2.1=full" },
      faults: { type: "string" },
      log: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.version) {
    // package.json is two folders up from dist/emulator, in the repository and in node_modules.
    console.log(require("../../package.json").version);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected 0..65535, got "${values.port}"`);
  const rateLimit = parseRateLimit(values["rate-limit"]!);
  const plan = values.plan!.toLowerCase();
  if (!(PLANS as readonly string[]).includes(plan)) throw new Error(`--plan: expected one of ${PLANS.join(", ")}, got "${values.plan}"`);
  const v21RateLimit = parseV21RateLimit(values["v21-rate-limit"]!);
  const shapes = parseShapesSpec(values.shapes!);

  const emulator = await startEmulator({
    port,
    host: values.host,
    dataFile: values.data,
    seed: values.seed,
    rateLimit: rateLimit ?? false,
    plan: plan as Plan,
    v21RateLimit: v21RateLimit ?? false,
    shapes,
    faults: values.faults ? parseFaultSpec(values.faults) : undefined,
    logger: values.log,
  });

  // Handlers go in before the banner: a parent may signal as soon as it reads the URL.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`justcall-emulator: ${signal}, shutting down`);
    emulator.close().then(
      () => process.exit(0),
      (err) => {
        console.error("justcall-emulator: error while closing:", err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const lines = [`justcall-emulator listening on ${emulator.url}`, ""];
  lines.push("Accounts (v1: Authorization: Basic base64(api_key:api_secret); v2.1: Authorization: api_key:api_secret):");
  for (const a of emulator.accounts) lines.push(`  ${a.name}: api key ${a.apiKey}  api secret ${a.apiSecret}`);
  lines.push("");
  lines.push(`API:       ${emulator.url}/v1 and ${emulator.url}/v2.1`);
  lines.push(`Admin API: ${emulator.url}/__admin (no auth)`);
  lines.push(`Rate limit: ${rateLimit ? `${rateLimit.limit} requests per ${rateLimit.windowMs} ms per API key` : "off"} (v1)`);
  const planLimits = PLAN_LIMITS[plan as Plan];
  lines.push(
    `Rate limit: ${
      v21RateLimit === null
        ? "off"
        : v21RateLimit === "plan"
          ? `by plan; default plan ${plan} (${planLimits.hour.limit}/h, ${planLimits.burst.limit}/min)`
          : `${v21RateLimit.hour.limit} per ${v21RateLimit.hour.windowMs} ms and ${v21RateLimit.burst.limit} per ${v21RateLimit.burst.windowMs} ms per API key`
    } (v2.1)`,
  );
  lines.push(`Response shapes: v1 ${shapes.v1}, v2.1 ${shapes["v2.1"]}`);
  if (values.data) lines.push(`Data file: ${values.data}`);
  console.log(lines.join("\n"));
}

main().catch((err) => {
  console.error(`justcall-emulator: ${(err as Error).message}`);
  console.error(USAGE);
  process.exit(2);
});
