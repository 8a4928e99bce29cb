/**
 * Declarative fault injection for tests (WireMock's Fault vocabulary): per route, with a
 * probability or a count. Only 'latency', 'hold' and 'commit-then-drop' let the request reach
 * its handler; every other kind answers (or dies) instead of it, so nothing is written.
 * 'hold' parks the request until the admin API releases it: a test can then change state while
 * a write is on its way (a dashboard edit racing a create), with no timing involved.
 */
import { z } from "zod";
import { ApiError } from "./errors";

export const FAULT_KINDS = ["status", "latency", "reset", "malformed", "html", "commit-then-drop", "rate-limit", "hold"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRuleSchema = z.strictObject({
  /** "*", or "METHOD /template" where METHOD and /template may each be "*". */
  route: z.string().regex(/^(\*|(\*|[A-Z]+) (\*|\/\S*))$/, 'must be "*" or "METHOD /template", e.g. "GET /v1/agents/{id}"'),
  kind: z.enum(FAULT_KINDS),
  status: z.number().int().min(100).max(599).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  retryAfter: z.number().int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
  count: z.number().int().min(1).optional(),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;

export function validateFaultRules(input: unknown): FaultRule[] {
  const result = z.array(faultRuleSchema).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    throw new ApiError(400, `rules${where}: ${issue.message}`);
  }
  return result.data;
}

function routeMatches(pattern: string, route: string): boolean {
  if (pattern === "*") return true;
  const [pm, pp] = pattern.split(" ", 2);
  const space = route.indexOf(" ");
  const method = route.slice(0, space);
  const path = route.slice(space + 1);
  return (pm === "*" || pm === method) && (pp === "*" || pp === path);
}

export class FaultInjector {
  private rules: Array<FaultRule & { remaining?: number }> = [];
  private held: Array<() => void> = [];
  private heldWaiters: Array<{ atLeast: number; wake: () => void }> = [];

  constructor(private readonly random: () => number = Math.random) {}

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, remaining: r.count }));
  }

  /** Also releases every held request. */
  clear(): void {
    this.rules = [];
    this.release();
  }

  /** Parks the calling request until release(). */
  hold(): Promise<void> {
    return new Promise((resolve) => {
      this.held.push(resolve);
      this.heldWaiters = this.heldWaiters.filter((w) => {
        if (this.held.length < w.atLeast) return true;
        w.wake();
        return false;
      });
    });
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Resolves once at least `atLeast` requests are held, or after `timeoutMs` (answering the count then). */
  waitForHeld(atLeast: number, timeoutMs: number): Promise<number> {
    if (this.held.length >= atLeast) return Promise.resolve(this.held.length);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.heldWaiters = this.heldWaiters.filter((w) => w !== waiter);
        resolve(this.held.length);
      }, timeoutMs);
      const waiter = {
        atLeast,
        wake: () => {
          clearTimeout(timer);
          resolve(this.held.length);
        },
      };
      this.heldWaiters.push(waiter);
    });
  }

  /** On close: every held request goes on and every waiter answers now, so nothing keeps close() waiting. */
  shutdown(): void {
    this.release();
    for (const w of this.heldWaiters.splice(0)) w.wake();
  }

  /** Lets every held request go on to its handler; answers how many there were. */
  release(): number {
    const held = this.held;
    this.held = [];
    for (const go of held) go();
    return held.length;
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** The first rule that matches `route` and fires; a count is spent only when it fires. */
  pick(route: string): FaultRule | null {
    for (const rule of this.rules) {
      if (!routeMatches(rule.route, route)) continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      return rule;
    }
    return null;
  }
}

/**
 * Parses the CLI's compact form: rules separated by ";", each `ROUTE=KIND[:ARG][@PROBABILITY][#COUNT]`.
 * ARG is the status for `status`, the delay in ms for `latency`, Retry-After seconds for
 * `rate-limit`. Example: `POST /v1/agents=commit-then-drop#1;*=status:503@0.1`.
 * A value starting with "[" is read as a JSON array of rules instead.
 */
export function parseFaultSpec(spec: string): FaultRule[] {
  const trimmed = spec.trim();
  if (trimmed === "") return [];
  if (trimmed.startsWith("[")) return validateFaultRules(JSON.parse(trimmed));
  const rules = trimmed
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((part) => {
      const eq = part.lastIndexOf("=");
      if (eq <= 0) throw new Error(`--faults: "${part}" is not ROUTE=KIND[:ARG][@PROBABILITY][#COUNT]`);
      const route = part.slice(0, eq).trim().replace(/\s+/g, " ");
      const m = /^([a-z-]+)(?::(\d+))?(?:@([0-9.]+))?(?:#(\d+))?$/.exec(part.slice(eq + 1).trim());
      if (!m) throw new Error(`--faults: cannot read "${part.slice(eq + 1)}" as KIND[:ARG][@PROBABILITY][#COUNT]`);
      const [, kind, arg, probability, count] = m;
      const rule: Record<string, unknown> = { route: route === "*" ? "*" : route.replace(/^(\S+)/, (x) => x.toUpperCase()), kind };
      if (arg !== undefined) {
        const argField = { status: "status", latency: "latencyMs", "rate-limit": "retryAfter" }[kind];
        if (!argField) throw new Error(`--faults: ${kind} takes no ":" argument ("${part}")`);
        rule[argField] = Number(arg);
      }
      if (probability !== undefined) rule.probability = Number(probability);
      if (count !== undefined) rule.count = Number(count);
      return rule;
    });
  try {
    return validateFaultRules(rules);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    throw new Error(`--faults: ${err.message}`);
  }
}

export const MALFORMED_BODY = '{"status":"success","data":{"id":';

export const HTML_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
