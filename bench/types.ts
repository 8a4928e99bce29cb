// The shape of bench/results/*.json.
import type { CpuTimes, MemoryPeaks } from "./memory";
import type { Pacing } from "./pacing";

export type Approach = "snapshot" | "per-resource";
export const STEPS = ["preview", "up", "emptyUp", "refresh", "driftRefresh", "changeUp", "destroy"] as const;
export type StepName = (typeof STEPS)[number];

export const STEP_LABELS: Record<StepName, string> = {
  preview: "preview (new roster)",
  up: "up (create all)",
  emptyUp: "empty up",
  refresh: "refresh, no drift",
  driftRefresh: "refresh after 5% drift",
  changeUp: "up changing 10%",
  destroy: "destroy",
};

export interface StepResult {
  step: StepName;
  /** False when the step ran with the rate limit off (emulator and provider): calls are exact, wall time is not at the rate. */
  throttled: boolean;
  /** API requests that used rate budget (everything but 429 answers), from the emulator's counters. */
  calls: number;
  /** route template → requests (429s included). */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  rateLimited: number;
  wallMs: number;
  /** calls ÷ rate: the least time the rate limit allows. */
  floorMs: number;
  /** null when there were no calls, or the step ran unthrottled. */
  wallOverFloor: number | null;
  memory: MemoryPeaks;
  /** CPU time of the CLI, the provider and the benchmark process (absent in results written before it was measured). */
  cpu?: CpuTimes;
  /** The engine's own summary of resource changes. */
  changes: Record<string, number>;
  loadavg: string;
  /** Where the time over the floor went (throttled steps; absent in results written before it was measured). */
  pacing?: Pacing;
  note?: string;
}

export interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

/** Bytes of state, measured with `pulumi stack export` after the up that creates every resource. */
export interface StateSize {
  n: number;
  /** "bench": the benchmark's program (short resource names); "roster": the same roster as a roster stack (declareRoster). */
  program: "bench" | "roster";
  /** Resources the program declares (the stack and its default provider not counted). */
  resources: number;
  /** Of the exported deployment as compact JSON (the CLI prints it indented). */
  bytes: number;
  bytesPerResource: number;
}

export interface RunResult {
  n: number;
  approach: Approach;
  resources: number;
  numbersInAccount: number;
  /** False when the engine ran with PULUMI_SKIP_CHECKPOINTS=true. */
  checkpoints: boolean;
  steps: StepResult[];
  checks: Check[];
  /** The state after up (snapshot approach only; the state does not depend on the approach). */
  state?: StateSize;
  note?: string;
}

/** One step of an overhead run: everything per resource is divided by the resources the program declares. */
export interface OverheadStep {
  wallMs: number;
  calls: number;
  msPerResource: number;
  memory: MemoryPeaks;
  /** CPU ms per resource of the provider process and of the `pulumi` CLI (absent in results written before it was measured). */
  providerCpuMsPerResource?: number | null;
  pulumiCpuMsPerResource?: number | null;
  cpu?: CpuTimes;
  loadavg?: string;
}

export const OVERHEAD_STEPS = ["up", "refresh", "destroy"] as const;
export type OverheadStepName = (typeof OVERHEAD_STEPS)[number];

export interface OverheadResult {
  n: number;
  resources: number;
  checkpoints: boolean;
  up: OverheadStep;
  /** Absent in results written before refresh was measured. */
  refresh?: OverheadStep;
  destroy: OverheadStep;
  /** The state after up (absent in results written before it was measured here). */
  state?: StateSize;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  durationS: number;
  command: string;
  rateLimit: { limit: number; windowMs: number; providerConfig: string };
  machine: { cpus: number; cpuModel: string; memoryGiB: number; kernel: string; platform: string };
  versions: Record<string, string>;
  git: { commit: string; dirty: boolean };
  load: { start: string; end: string };
  parallel: string;
  runs: RunResult[];
  overhead: OverheadResult[];
  /** The same roster as a roster stack, per N (absent in results written before it was measured). */
  rosterState?: StateSize[];
  targets?: TargetResult[];
  notes: string[];
}

export interface TargetResult {
  target: string;
  n: number;
  met: boolean;
  measured: string;
}
