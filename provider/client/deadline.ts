/**
 * The deadline of the resource operation a request belongs to (justcall:operationTimeout). When
 * it passes, the engine records the operation as failed, but the operation's promise goes on: a
 * retry loop or its next step could still write to JustCall, a change the engine never records
 * (for a create: an agent, and an invitation, outside the state). So the request loop sends no
 * write once its operation's deadline has passed. Reads may go on: they change nothing, and
 * concurrent operations share list-cache loads.
 *
 * The store is on globalThis because each resource type may load its own copy of this module.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { processGlobal } from "./process-global";

function storage(): AsyncLocalStorage<number> {
  return processGlobal("operation-deadline", () => new AsyncLocalStorage<number>());
}

/** Runs `fn` with every request it makes bound to the deadline `at` (epoch ms). */
export function withDeadline<T>(at: number, fn: () => Promise<T>): Promise<T> {
  return storage().run(at, fn);
}

/** The deadline of the calling operation, read where the request starts (not inside a queue). */
export function currentDeadline(): number | undefined {
  return storage().getStore();
}
