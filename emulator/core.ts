/**
 * Everything a running emulator owns besides its HTTP server: the state (replaced wholesale on
 * reset or seed), the rate limiter, the fault rules, the request log and the persister.
 */
import { FaultInjector } from './faults';
import { Persister } from './persistence';
import { RateLimitConfig, RateLimiter } from './rate-limit';
import { RequestLog } from './request-log';
import { buildStore } from './seed';
import { Store } from './state';

export class EmulatorCore {
  store!: Store;
  readonly limiter: RateLimiter;
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  persister: Persister | undefined;
  /** Set when close() begins; requests still arriving get a 503 envelope. */
  closing = false;

  constructor(
    /** The seed `reset` returns to. */
    readonly startupSeed: unknown,
    readonly startupRateLimit: RateLimitConfig | null,
    initial: Store,
  ) {
    this.limiter = new RateLimiter(startupRateLimit);
    this.useStore(initial);
  }

  useStore(store: Store): void {
    this.store = store;
    store.onChange = () => this.persister?.schedule();
    this.persister?.schedule();
  }

  loadSeed(seed: unknown): void {
    this.useStore(buildStore(seed));
  }

  /** Back to how the emulator started: startup seed (or `seed`), limits, no faults, empty log. */
  reset(seed?: unknown): void {
    this.useStore(buildStore(seed ?? this.startupSeed));
    this.limiter.configure(this.startupRateLimit);
    this.faults.clear();
    this.log.clear();
  }
}
