/** Counters readable by tests and the benchmark, and the opt-in debug log. */
import type { ClientMetrics } from "./types";

export class Metrics {
  private data: ClientMetrics = empty();

  count(route: string, status: string): void {
    const byStatus = (this.data.requests[route] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  retried(): void {
    this.data.retries++;
  }
  rateLimited(): void {
    this.data.rateLimited++;
  }
  waited(ms: number): void {
    this.data.waitedMs += Math.max(0, Math.round(ms));
  }
  read(): ClientMetrics {
    return JSON.parse(JSON.stringify(this.data)) as ClientMetrics;
  }
  reset(): void {
    this.data = empty();
  }
}

function empty(): ClientMetrics {
  return { requests: {}, retries: 0, rateLimited: 0, waitedMs: 0 };
}

export interface DebugFields {
  method: string;
  route: string;
  path: string;
  status: string;
  attempt: number;
  waitedMs: number;
  tookMs: number;
}

/**
 * JUSTCALL_DEBUG=1 writes one line per attempt to stderr. Only method, route, path (ids, never
 * emails), status, attempt and timings: never headers, bodies or credentials.
 */
export function debugLog(f: DebugFields): void {
  if (process.env.JUSTCALL_DEBUG !== "1") return;
  process.stderr.write(
    `[justcall] ${f.method} ${f.path} (${f.route}) -> ${f.status} attempt=${f.attempt} waited=${Math.round(f.waitedMs)}ms took=${Math.round(f.tookMs)}ms\n`,
  );
}
