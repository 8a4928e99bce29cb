/**
 * The rate governor: one per process for each API version and key (registry.ts keys it by the
 * version and a keyed digest of the API key; clients of that key with other settings or another
 * base URL share it). bottleneck queues
 * and releases requests from a reservoir; WindowGovernor sets the reservoir of one rate-limit
 * window from what the server says, and RateGovernor chains one WindowGovernor per window (v1 has
 * one window; v2.1 has an hour and a minute, either of which may be the binding one).
 *
 * Model: the server counts requests in fixed windows (the guide: "100 requests per minute per
 * API key"; X-RateLimit-Reset gives the time to the next window). We track an "epoch": the
 * requests sent in what we believe is the server's current window. Within an epoch we may send
 * the window's remaining budget at once (so a refresh of 50 agents does not wait 30 s); when the
 * budget is spent we hold until the window has certainly reset, then start a new epoch.
 *
 * Why it never runs early: every reset estimate is `received + Reset`, computed after the server
 * produced the header, so it can only be late. A new epoch's budget excludes requests still in
 * flight, which may land in the new window.
 */
import Bottleneck from "bottleneck";
import type { RateBudget, RateWindowObservation } from "./contract";

export interface WindowTicket {
  epoch: number;
  /** Order of sending within the epoch, from 1. */
  seq: number;
  /** How many of the epoch's requests the server had counted, by their answers, when this one went out. */
  countedBefore?: number;
  /** When it went out (every window admitted it). */
  sentAt?: number;
}

/** Margin added to a computed reset before sending again: timers and clocks are coarse. */
const TIMER_MARGIN_MS = 15;

export class WindowGovernor {
  private readonly limiter: Bottleneck;
  private limit: number;
  private readonly windowMs: number;
  private epoch = 0;
  private sent = 0;
  /** When this epoch's first request was sent: the server's window cannot have started earlier. */
  private firstSentAt?: number;
  /**
   * Requests of this epoch answered a whole window after its first one went out: the server may
   * have counted them in its next window (a request admitted here and held back by a shorter
   * window, v2.1's minute inside the hour, or sent in the last moments of a late reset estimate).
   * So the next epoch's budget counts them too. Those still in flight at the rollover are
   * subtracted there instead.
   */
  private carried = 0;
  /** Answers of this epoch that the server counted (a remaining count, not a 429). */
  private counted = 0;
  /** Tickets admitted and not yet answered, of any epoch. */
  private readonly running = new Set<WindowTicket>();
  private waiting = 0;
  /** When the server's current window ends; never earlier than the truth once `measured`. */
  private windowEnd?: number;
  private measured = false;
  private heldUntil = 0;
  /** False until one response told us the key's real remaining budget. */
  private calibrated = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** Bumped by every absolute reservoir change. */
  private version = 0;

  constructor(start: { limit: number; windowMs: number }) {
    this.limit = start.limit;
    this.windowMs = start.windowMs;
    // The first request probes the key's budget: another process may have spent part of it.
    this.limiter = new Bottleneck({ reservoir: 1 });
  }

  /** Runs `fn` when the budget allows. `waitedMs` is the time spent queued. */
  async run<T>(fn: (t: WindowTicket) => Promise<T>): Promise<{ value: T; waitedMs: number }> {
    const queuedAt = Date.now();
    this.waiting++;
    this.timer?.ref();
    return this.limiter.schedule(async () => {
      this.waiting--;
      if (this.waiting === 0) this.timer?.unref();
      const now = Date.now();
      if (this.windowEnd === undefined) {
        // A guess until a response measures it: the window may start when our request arrives.
        this.windowEnd = now + this.windowMs + Math.min(this.windowMs, 1000);
        this.measured = false;
        this.arm();
      }
      const ticket: WindowTicket = { epoch: this.epoch, seq: ++this.sent };
      this.running.add(ticket);
      try {
        return { value: await fn(ticket), waitedMs: now - queuedAt };
      } finally {
        this.running.delete(ticket);
        // Answered a whole window after the epoch's first request went out: the server may have
        // counted it in its next window (its window cannot end earlier than that).
        if (ticket.epoch === this.epoch && this.firstSentAt !== undefined && Date.now() >= this.firstSentAt + this.windowMs) {
          this.carried++;
        }
      }
    });
  }

  /** Called when a request this window admitted actually goes out (every window admitted it). */
  markSent(ticket: WindowTicket, at: number): void {
    ticket.sentAt = at;
    if (ticket.epoch !== this.epoch) return;
    this.firstSentAt ??= at;
    ticket.countedBefore = this.counted;
  }

  /** Called with every response's rate-limit headers (an empty list when there were none). */
  observe(ticket: WindowTicket, windows: RateWindowObservation[], counted = true): void {
    if (this.stopped || ticket.epoch !== this.epoch) return;
    const now = Date.now();
    const w = mostConstraining(windows);
    if (w?.limit !== undefined && w.limit > 0) this.limit = w.limit;
    if (counted && w?.remaining !== undefined) {
      // The server counted this request and every answered one before it: if its window holds
      // fewer, it began after ours did, whatever our estimate of our window's end says.
      if (ticket.countedBefore !== undefined && this.limit - w.remaining < ticket.countedBefore + 1) {
        this.startEpochFromServer(now, w);
        return;
      }
      this.counted++;
    }
    if (w?.resetMs !== undefined) {
      const end = now + w.resetMs;
      if (!this.measured || end < (this.windowEnd ?? Infinity)) {
        this.windowEnd = end;
        this.measured = true;
        this.arm();
      }
    }
    const reserved = this.limiter.counts().RUNNING;
    // Requests sent after this one may not have been counted by the server yet.
    const budget = w?.remaining === undefined ? undefined : w.remaining - (this.sent - ticket.seq) - reserved;
    if (!this.calibrated) {
      this.calibrated = true;
      this.setReservoir(budget ?? this.limit - this.sent - reserved);
    } else if (budget !== undefined) {
      this.lowerReservoir(budget);
    }
  }

  /** Stops all requests on this key for `ms` (a 429's Retry-After). */
  hold(ms: number): void {
    const until = Date.now() + ms;
    if (until > this.heldUntil) this.heldUntil = until;
    this.setReservoir(0);
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }

  private rollover(): void {
    const now = Date.now();
    if (this.heldUntil > now) {
      this.arm();
      return;
    }
    if (this.windowEnd === undefined || this.windowEnd + TIMER_MARGIN_MS > now) {
      if (this.heldUntil !== 0) {
        // A hold ended inside the window: one probe asks the server what is left.
        this.heldUntil = 0;
        this.calibrated = false;
        this.setReservoir(1);
      }
      this.arm();
      return;
    }
    this.heldUntil = 0;
    this.epoch++;
    this.sent = 0;
    this.counted = 0;
    const carried = this.carried;
    this.carried = 0;
    this.firstSentAt = undefined;
    this.windowEnd = undefined;
    this.measured = false;
    this.calibrated = true;
    // Requests still in flight or reserved may be counted in the new window; carried ones are.
    const budget = this.limit - this.running.size - this.limiter.counts().RUNNING - carried;
    this.setReservoir(budget);
    if (budget <= 0) {
      // Nothing may go out in this window, so no request will measure it: wait out a guess.
      this.windowEnd = now + this.windowMs + Math.min(this.windowMs, 1000);
      this.arm();
    }
  }

  /**
   * The server's window turned over before our estimate of its end (that estimate is only ever
   * late): start the next epoch now, from what the server says of its new window. Requests still
   * running may land in it, so they come out of its budget.
   */
  private startEpochFromServer(now: number, w: RateWindowObservation): void {
    this.epoch++;
    this.sent = 0;
    this.counted = 0;
    this.carried = 0;
    // The new window began no earlier than the oldest request still out went out.
    this.firstSentAt = Math.min(now, ...[...this.running].map((t) => t.sentAt ?? now));
    this.calibrated = true;
    if (w.resetMs !== undefined) {
      this.windowEnd = now + w.resetMs;
      this.measured = true;
    } else {
      this.windowEnd = now + this.windowMs + Math.min(this.windowMs, 1000);
      this.measured = false;
    }
    if (this.heldUntil > now) {
      // A 429's wait is still on: it ends with a probe of the new window (rollover).
      this.setReservoir(0);
    } else {
      this.heldUntil = 0;
      // This request is counted in `remaining`; the others running, and those admitted, may not be.
      this.setReservoir((w.remaining ?? 0) - (this.running.size - 1) - this.limiter.counts().RUNNING);
    }
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || (this.windowEnd === undefined && this.heldUntil === 0)) return;
    const at = this.heldUntil > Date.now() ? this.heldUntil : (this.windowEnd ?? 0) + TIMER_MARGIN_MS;
    this.timer = setTimeout(() => this.rollover(), Math.max(0, at - Date.now()));
    if (this.waiting === 0) this.timer.unref();
  }

  private setReservoir(n: number): void {
    this.version++;
    this.limiter.updateSettings({ reservoir: Math.max(0, n) });
  }

  /**
   * bottleneck applies reservoir changes in call order, one event-loop turn later. A relative
   * change computed from a value read before an absolute set would corrupt that set (and could
   * stall the queue), so it is dropped when a set came in between.
   */
  private lowerReservoir(target: number): void {
    if (target <= 0) {
      this.setReservoir(0);
      return;
    }
    const version = this.version;
    void this.limiter.currentReservoir().then((cur) => {
      if (version === this.version && cur !== null && cur > target) return this.limiter.incrementReservoir(target - cur);
      return undefined;
    });
  }
}

/** One admission per window, in the order of RateGovernor's windows. */
export interface Ticket {
  parts: WindowTicket[];
}

/**
 * Every window of a key. A request is admitted by the longest window first, then waits in the
 * next: so a request the minute window holds back has already been counted against the hour (it
 * will be sent), while no minute budget is reserved by a request the hour window still holds.
 * Observations are matched to windows by name; with a single unnamed window, all of them apply
 * to it (the v1 behaviour).
 */
export class RateGovernor {
  private readonly windows: { name?: string; governor: WindowGovernor }[];
  private readonly observed = new WeakSet<Ticket>();

  constructor(start: { limit: number; windowMs: number } | RateBudget[]) {
    const budgets: RateBudget[] = Array.isArray(start) ? [...start] : [start];
    if (budgets.length === 0) throw new Error("RateGovernor needs at least one window");
    budgets.sort((a, b) => b.windowMs - a.windowMs);
    this.windows = budgets.map((b) => ({ name: b.window, governor: new WindowGovernor(b) }));
  }

  /** Runs `fn` when every window's budget allows. `waitedMs` is the time spent queued. */
  async run<T>(fn: (t: Ticket) => Promise<T>): Promise<{ value: T; waitedMs: number }> {
    const queuedAt = Date.now();
    let startedAt = queuedAt;
    const parts: WindowTicket[] = [];
    const admit = async (i: number): Promise<T> => {
      if (i === this.windows.length) {
        startedAt = Date.now();
        this.windows.forEach((w, k) => {
          w.governor.markSent(parts[k], startedAt);
        });
        const ticket: Ticket = { parts: [...parts] };
        try {
          return await fn(ticket);
        } catch (e) {
          // Failed before any answer was observed (nothing sent): without this, a first probe
          // that never reports would leave its window closed until the guessed window ends.
          if (!this.observed.has(ticket)) this.observe(ticket, []);
          throw e;
        }
      }
      const { value } = await this.windows[i].governor.run((t) => {
        parts[i] = t;
        return admit(i + 1);
      });
      return value;
    };
    const value = await admit(0);
    return { value, waitedMs: startedAt - queuedAt };
  }

  /** Called with every response's rate-limit headers (an empty list when there were none). */
  /** `counted`: false for an answer the server refused without counting (a 429). */
  observe(ticket: Ticket, observations: RateWindowObservation[], counted = true): void {
    this.observed.add(ticket);
    this.windows.forEach((w, i) => {
      const part = ticket.parts[i];
      if (!part) return;
      const mine = this.windows.length === 1 && w.name === undefined ? observations : observations.filter((o) => o.window === w.name);
      w.governor.observe(part, mine, counted);
    });
  }

  /** Stops all requests on this key for `ms` (a 429's wait). */
  hold(ms: number): void {
    for (const w of this.windows) w.governor.hold(ms);
  }

  async stop(): Promise<void> {
    await Promise.all(this.windows.map((w) => w.governor.stop()));
  }
}

function mostConstraining(ws: RateWindowObservation[]): RateWindowObservation | undefined {
  let best: RateWindowObservation | undefined;
  for (const w of ws) if (!best || (w.remaining ?? Infinity) < (best.remaining ?? Infinity)) best = w;
  return best;
}
