// The benchmark's command line (docs/benchmark.md lists the options) and its progress log.
import * as path from "node:path";
import { repoRoot } from "../harness/engine";
import { type Approach, type StepName, STEPS } from "./types";

export interface Options {
  sizes: number[];
  approaches: Approach[];
  overhead: boolean;
  /** Only the overhead runs (up, refresh, destroy, rate limit off), with checkpoints and without, at every size. */
  overheadOnly: boolean;
  /** Lifecycle steps to run; the others are skipped with their checks (e.g. up,destroy to compare --parallel). */
  steps: Set<StepName>;
  /** Measure the roster stack's state size at each N (an up of its own, rate limit off). */
  rosterState: boolean;
  /** Per-resource steps run with the rate limit off at N >= unthrottleFrom (calls exact, wall not at rate). */
  unthrottledSteps: StepName[];
  unthrottleFrom: number;
  out: string;
  /** Re-render the markdown and SVG of this results JSON, without running anything. */
  render?: string;
  /** Results JSONs to write as one (`into`), e.g. a long size run on its own beside the smaller ones. */
  combine?: string[];
  into?: string;
  /**
   * From this N on, the engine runs with PULUMI_SKIP_CHECKPOINTS=true: the file backend rewrites
   * the whole state after every step (O(N^2) bytes per up), which at N = 1,000 alone would take
   * longer than the 30-minute budget. Measured both ways below this N in the overhead runs.
   */
  skipCheckpointsFrom: number;
  /** The engine's --parallel; undefined leaves the CLI's default. */
  parallel?: number;
}

export const DEFAULT_SIZES = [100, 1000];

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    sizes: DEFAULT_SIZES,
    approaches: ["snapshot", "per-resource"],
    overhead: true,
    overheadOnly: false,
    steps: new Set(STEPS),
    rosterState: true,
    // Only steps that run the program: destroy and refresh use the provider configuration stored
    // in state by the last up, so a config change (the provider's rate limit) would not reach them.
    unthrottledSteps: ["up"],
    unthrottleFrom: 1000,
    skipCheckpointsFrom: 1000,
    out: path.join(repoRoot, "bench", "results"),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--sizes")
      o.sizes = value()
        .split(",")
        .map((s) => Number(s.replace(/_/g, "")));
    else if (a === "--approaches")
      o.approaches = value()
        .split(",")
        .filter((x) => x !== "none") as Approach[];
    else if (a === "--parallel") o.parallel = Number(value());
    else if (a === "--no-overhead") o.overhead = false;
    else if (a === "--overhead-only") o.overheadOnly = true;
    else if (a === "--steps") o.steps = new Set(value().split(",").filter(Boolean) as StepName[]);
    else if (a === "--no-roster-state") o.rosterState = false;
    else if (a === "--unthrottled-steps") o.unthrottledSteps = value().split(",").filter(Boolean) as StepName[];
    else if (a === "--skip-checkpoints-from") o.skipCheckpointsFrom = Number(value());
    else if (a === "--unthrottle-from") o.unthrottleFrom = Number(value());
    else if (a === "--render") o.render = path.resolve(value());
    else if (a === "--combine")
      o.combine = value()
        .split(",")
        .map((f) => path.resolve(f));
    else if (a === "--into") o.into = path.resolve(value());
    else if (a === "--out") o.out = path.resolve(value());
    else throw new Error(`unknown argument ${a}; see docs/benchmark.md`);
  }
  if (o.unthrottledSteps.some((x) => x !== "up" && x !== "preview" && x !== "emptyUp" && x !== "changeUp")) {
    throw new Error(
      "--unthrottled-steps: only steps that run the program (preview, up, emptyUp, changeUp); refresh and destroy use the provider config stored in state",
    );
  }
  if (o.combine && !o.into) throw new Error("--combine needs --into FILE.json");
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 20)) throw new Error("--sizes: whole numbers of at least 20");
  if (o.approaches.some((x) => x !== "snapshot" && x !== "per-resource")) throw new Error("--approaches: snapshot, per-resource");
  if ([...o.steps].some((x) => !(STEPS as readonly string[]).includes(x))) throw new Error(`--steps: some of ${STEPS.join(", ")}`);
  if (!o.steps.has("up")) throw new Error("--steps: up is needed (every later step works on what it created)");
  return o;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
