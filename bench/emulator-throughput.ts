/**
 * A quick loopback throughput check: the goal is at least 2,000 requests/s with the rate limit
 * off, so the emulator never dominates a benchmark (docs/development.md, The emulator's
 * throughput). Not a test: timing assertions in tests are flaky. Run:
 *   node dist/bench/emulator-throughput.js [seconds=5] [concurrency=32]
 */
import { Pool } from "undici";
import { startEmulator } from "../emulator";

export async function measure(seconds: number, concurrency: number): Promise<{ requests: number; perSecond: number; errors: number }> {
  const emu = await startEmulator({ rateLimit: false });
  const pool = new Pool(emu.url, { connections: concurrency });
  const authorization = `Basic ${Buffer.from(`${emu.credentials.apiKey}:${emu.credentials.apiSecret}`).toString("base64")}`;
  const paths = ["/v1/agents", "/v1/agents/101", "/v1/teams", "/v1/phone-numbers?assigned_to=101"];
  let requests = 0;
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  const worker = async (w: number) => {
    for (let i = w; Date.now() < deadline; i++) {
      const res = await pool.request({ method: "GET", path: paths[i % paths.length], headers: { authorization } });
      await res.body.text();
      if (res.statusCode !== 200) errors++;
      requests++;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  } finally {
    await pool.close();
    await emu.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  return { requests, perSecond: Math.round(requests / elapsed), errors };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const concurrency = Number(process.argv[3] ?? 32);
  const result = await measure(seconds, concurrency);
  console.log(
    `${result.requests} requests in ${seconds}s with ${concurrency} connections: ${result.perSecond} req/s, ${result.errors} non-200`,
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
