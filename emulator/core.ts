/**
 * Everything a running emulator owns besides its HTTP server: the state (replaced wholesale on
 * reset or seed), the v1 and v2.1 rate limiters, the fault rules, the request log and the persister.
 */
import { FaultInjector } from "./faults";
import type { Persister } from "./persistence";
import { type RateLimitConfig, RateLimiter } from "./rate-limit";
import { V21RateLimiter, type V21RateLimitMode } from "./rate-limit-v21";
import { RequestLog } from "./request-log";
import { buildStore } from "./seed";
import { DEFAULT_SHAPES, type Shapes } from "./shapes";
import type { Plan } from "./state";
import type { Store } from "./store";

export class EmulatorCore {
  store!: Store;
  readonly limiter: RateLimiter;
  readonly v21Limiter: V21RateLimiter;
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  persister: Persister | undefined;
  /** Set when close() begins; requests still arriving get a 503 envelope. */
  closing = false;
  /** How each API shapes its answers (shapes.ts); the admin API switches it at run time. */
  shapes: Shapes;

  constructor(
    /** The seed `reset` returns to. */
    readonly startupSeed: unknown,
    readonly startupRateLimit: RateLimitConfig | null,
    initial: Store,
    readonly startupV21RateLimit: V21RateLimitMode = "plan",
    /** The plan of accounts whose seed names none. */
    readonly defaultPlan?: Plan,
    readonly startupShapes: Shapes = DEFAULT_SHAPES,
  ) {
    this.shapes = { ...startupShapes };
    this.limiter = new RateLimiter(startupRateLimit);
    this.v21Limiter = new V21RateLimiter(startupV21RateLimit);
    this.useStore(initial);
  }

  useStore(store: Store): void {
    this.store = store;
    store.onChange = () => this.persister?.schedule();
    this.persister?.schedule();
  }

  loadSeed(seed: unknown): void {
    this.useStore(buildStore(seed, this.defaultPlan));
  }

  /** Back to how the emulator started: startup seed (or `seed`), limits, shapes, no faults, empty log. */
  reset(seed?: unknown): void {
    this.useStore(buildStore(seed ?? this.startupSeed, this.defaultPlan));
    this.limiter.configure(this.startupRateLimit);
    this.v21Limiter.configure(this.startupV21RateLimit);
    this.shapes = { ...this.startupShapes };
    this.faults.clear();
    this.log.clear();
  }
}
