// Where a throttled step's time over its floor went, from the emulator's request log.
//
// The emulator counts requests in fixed windows that start with the first request after the
// previous window ended (emulator/rate-limit.ts). Rebuilding those windows from the log splits
// wall − floor exactly into four parts:
// - lead: from the step's start to its first request (program start, checks before any call);
// - gaps: between a window's end and the next window's first request (the budget was back and
//   nothing went out: the governor waiting on its reset estimate, or no work ready);
// - unfilled: windows that ended with budget left (the engine did not supply requests fast enough);
// - tail: the last window's span beyond what its requests cost (the engine finishing the step).
import type { RequestLogEntry } from "../emulator/request-log";

export interface Pacing {
  windows: number;
  /** Windows (the last one not counted) that ended with budget left. */
  unfilledWindows: number;
  leadMs: number;
  gapsMs: number;
  /** Largest single gap: about a second when it is the whole-second Reset header's rounding. */
  maxGapMs: number;
  unfilledMs: number;
  tailMs: number;
}

export function pacing(
  requests: RequestLogEntry[],
  step: { startedAt: number; endedAt: number },
  rate: { limit: number; windowMs: number },
): Pacing | undefined {
  const times = requests
    .filter((r) => r.status !== 429)
    .map((r) => Date.parse(r.startedAt))
    .sort((a, b) => a - b);
  if (times.length === 0) return undefined;
  const perRequest = rate.windowMs / rate.limit;
  const windows: { start: number; count: number }[] = [];
  let gapsMs = 0;
  let maxGapMs = 0;
  for (const t of times) {
    const w = windows.at(-1);
    if (w && t < w.start + rate.windowMs) {
      w.count++;
      continue;
    }
    if (w) {
      const gap = t - (w.start + rate.windowMs);
      gapsMs += gap;
      maxGapMs = Math.max(maxGapMs, gap);
    }
    windows.push({ start: t, count: 1 });
  }
  const closed = windows.slice(0, -1);
  const last = windows.at(-1)!;
  const unfilled = closed.filter((w) => w.count < rate.limit);
  return {
    windows: windows.length,
    unfilledWindows: unfilled.length,
    leadMs: times[0] - step.startedAt,
    gapsMs,
    maxGapMs,
    unfilledMs: Math.round(unfilled.reduce((sum, w) => sum + (rate.limit - w.count) * perRequest, 0)),
    tailMs: Math.round(step.endedAt - last.start - last.count * perRequest),
  };
}
