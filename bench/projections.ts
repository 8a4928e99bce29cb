// Wall time projected at JustCall's real rate limit from the overhead runs.
import { OVERHEAD_STEPS, type OverheadResult, type OverheadStepName } from "./types";
import { numberCount, resourceCount } from "./workload";

/** JustCall's documented limit: 100 requests a minute per API key, 600 ms per request. */
const REAL_MS_PER_REQUEST = 600;
export const PROJECTED_SEATS = [1000, 5000, 10000];

export interface Projection {
  seats: number;
  step: OverheadStepName;
  checkpoints: boolean;
  calls: number;
  floorS: number;
  /** Engine and provider time without waiting, from the per-resource cost fitted against N. */
  overheadS: number;
  msPerResource: number;
  /**
   * The same fit of the `pulumi` CLI's CPU ms per resource: not slowed by other work on the
   * machine, as wall time is; the checkpoint writes are CLI CPU. Null for old results without CPU.
   */
  cliCpuMsPerResource: number | null;
  /** The projection with the CLI's CPU time as the overhead. */
  overFloorByCliCpu: number | null;
  /**
   * Up and destroy: max(floor, overhead), the engine works on finished resources while the
   * provider waits on the rate limiter for the next. Refresh: floor + overhead, every read
   * waits for the list pages (the floor) before the engine can go on.
   */
  projectedS: number;
  overFloor: number;
}

/**
 * Wall time at the real limit (100 requests a minute) for `PROJECTED_SEATS`, from the overhead
 * runs. Per-resource cost is taken as linear in N through the two largest N measured (flat when
 * it does not rise: a total linear in N; rising: quadratic), so the largest N decides. Calls:
 * up and destroy as measured per resource at the largest N; refresh one list page per 100
 * agents, one team list, one page per 100 numbers.
 */
export function projections(overhead: OverheadResult[]): Projection[] {
  const out: Projection[] = [];
  for (const checkpoints of [true, false]) {
    for (const step of OVERHEAD_STEPS) {
      const points = overhead
        .filter((o) => o.checkpoints === checkpoints && o[step])
        .sort((a, b) => a.n - b.n)
        .map((o) => ({ n: o.n, resources: o.resources, x: o[step]! }));
      if (points.length < 2) continue;
      const [p1, p2] = points.slice(-2);
      // Linear in N through the two largest N; never falling (a falling cost is start-up spread thinner).
      const linearFit = (y1: number, y2: number) => (seats: number) => y2 + Math.max(0, (y2 - y1) / (p2.n - p1.n)) * (seats - p2.n);
      const wallFit = linearFit(p1.x.msPerResource, p2.x.msPerResource);
      const cpu1 = p1.x.pulumiCpuMsPerResource;
      const cpu2 = p2.x.pulumiCpuMsPerResource;
      const cpuFit = cpu1 !== null && cpu1 !== undefined && cpu2 !== null && cpu2 !== undefined ? linearFit(cpu1, cpu2) : undefined;
      for (const seats of PROJECTED_SEATS) {
        const msPerResource = wallFit(seats);
        const resources = resourceCount(seats);
        const calls =
          step === "refresh"
            ? Math.ceil(seats / 100) + 1 + Math.ceil(numberCount(seats) / 100)
            : Math.round((p2.x.calls / p2.resources) * resources);
        const floorS = (calls * REAL_MS_PER_REQUEST) / 1000;
        const overheadS = (msPerResource * resources) / 1000;
        const project = (overhead: number) => (step === "refresh" ? floorS + overhead : Math.max(floorS, overhead));
        const projectedS = project(overheadS);
        const cliCpuMsPerResource = cpuFit ? cpuFit(seats) : null;
        const overFloorByCliCpu = cliCpuMsPerResource === null ? null : project((cliCpuMsPerResource * resources) / 1000) / floorS;
        out.push({
          seats,
          step,
          checkpoints,
          calls,
          floorS,
          overheadS,
          msPerResource,
          cliCpuMsPerResource,
          projectedS,
          overFloor: projectedS / floorS,
          overFloorByCliCpu,
        });
      }
    }
  }
  return out;
}
