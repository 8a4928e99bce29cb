// What every benchmark run shares: the emulator's scaled rate, the stack's config, and one
// measured engine operation (calls by route, 429s, wall time against the floor, CPU and memory).
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../emulator";
import type { Options } from "./cli";
import { type CpuTimes, type MemoryPeaks, ProcessSampler } from "./memory";
import { pacing } from "./pacing";
import { loadavg } from "./results-file";
import type { Approach, StateSize, StepName, StepResult } from "./types";
import { BENCH_CREDENTIALS } from "./workload";

export const RATE = { limit: 100, windowMs: 6_000 };
export const RATE_CONFIG = "100/6s";
/** What the provider is told when the emulator's limit is off. */
export const UNLIMITED_CONFIG = "1000000/1s";

export function config(emu: RunningEmulator, approach: Approach, rate: string): ConfigMap {
  return {
    "justcall:apiKey": { value: BENCH_CREDENTIALS.apiKey },
    "justcall:apiSecret": { value: BENCH_CREDENTIALS.apiSecret, secret: true },
    "justcall:baseUrl": { value: emu.url },
    "justcall:rateLimit": { value: rate },
    "justcall:snapshot": { value: approach === "snapshot" ? "true" : "false" },
  };
}

/** Runs one engine operation with a clean request log and the memory sampler around it. */
export async function measure(
  emu: RunningEmulator,
  step: StepName,
  throttled: boolean,
  op: () => Promise<Record<string, number>>,
  rate: { limit: number; windowMs: number } = RATE,
): Promise<StepResult> {
  await emu.admin.clearRequests();
  const sampler = new ProcessSampler();
  sampler.start();
  const t0 = performance.now();
  const startedAt = Date.now();
  let changes: Record<string, number>;
  let usage: { memory: MemoryPeaks; cpu: CpuTimes };
  try {
    changes = await op();
  } finally {
    usage = sampler.stop();
  }
  const wallMs = Math.round(performance.now() - t0);
  const endedAt = Date.now();
  const { counters, requests } = await emu.admin.requests();
  const byRoute = Object.fromEntries(
    Object.entries(counters.byRoute)
      .map(([route, byStatus]) => [route, Object.values(byStatus).reduce((a, b) => a + b, 0)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const rateLimited = counters.byStatus["429"] ?? 0;
  const calls = counters.total - rateLimited;
  const floorMs = Math.round((calls * rate.windowMs) / rate.limit);
  return {
    step,
    throttled,
    calls,
    byRoute,
    byStatus: counters.byStatus,
    rateLimited,
    wallMs,
    floorMs,
    wallOverFloor: throttled && calls > 0 ? Math.round((wallMs / floorMs) * 100) / 100 : null,
    memory: usage.memory,
    cpu: usage.cpu,
    changes,
    loadavg: loadavg(),
    // Only when the log holds every request of the step (it keeps the last 50,000).
    pacing: throttled && requests.length === counters.total ? pacing(requests, { startedAt, endedAt }, rate) : undefined,
  };
}

/** Options for every engine operation: only --parallel, when given. */
export const engineOptions = (o: Options) => (o.parallel === undefined ? {} : { parallel: o.parallel });

export const engineEnv = (checkpoints: boolean): Record<string, string> => (checkpoints ? {} : { PULUMI_SKIP_CHECKPOINTS: "true" });

/** The stack's state as `pulumi stack export` gives it, in bytes of compact JSON, per declared resource. */
export async function stateSize(stack: Stack, n: number, program: StateSize["program"], resources: number): Promise<StateSize> {
  const bytes = Buffer.byteLength(JSON.stringify(await stack.exportStack()));
  return { n, program, resources, bytes, bytesPerResource: Math.round(bytes / resources) };
}

export const summary = (s: { [k: string]: number | undefined } | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(s ?? {}).filter((e): e is [string, number] => e[1] !== undefined));
