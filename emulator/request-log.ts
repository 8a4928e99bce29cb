/**
 * The request log the admin API exposes: every API request (never admin requests) with its
 * route template, status and account, plus counters by route and by status. Entries are capped
 * so a long benchmark cannot exhaust memory; the counters stay exact.
 */
export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Path with query string, as the client sent it. */
  path: string;
  /** e.g. "GET /v1/agents/{id}"; "<METHOD> (unmatched)" for routes that do not exist. */
  route: string;
  /** 0 when the socket was destroyed instead of answering. */
  status: number;
  account: string | null;
  startedAt: string;
  durationMs: number;
  fault: string | null;
}

export interface RequestCounters {
  total: number;
  byRoute: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
}

export interface RequestLogSnapshot {
  requests: RequestLogEntry[];
  counters: RequestCounters;
}

export const MAX_LOG_ENTRIES = 50_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;
  private counters: RequestCounters = { total: 0, byRoute: {}, byStatus: {} };

  record(entry: Omit<RequestLogEntry, "seq">): void {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    // Trimmed in batches so a long run does not shift the whole array on every request.
    if (this.entries.length >= MAX_LOG_ENTRIES + 1000) this.entries.splice(0, this.entries.length - MAX_LOG_ENTRIES);
    const c = this.counters;
    c.total++;
    const status = String(entry.status);
    const route = (c.byRoute[entry.route] ??= {});
    route[status] = (route[status] ?? 0) + 1;
    c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
  }

  snapshot(): RequestLogSnapshot {
    return { requests: this.entries.slice(-MAX_LOG_ENTRIES).map((e) => ({ ...e })), counters: structuredClone(this.counters) };
  }

  clear(): void {
    this.entries = [];
    this.seq = 0;
    this.counters = { total: 0, byRoute: {}, byStatus: {} };
  }
}
