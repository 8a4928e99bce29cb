// The wire details both API contracts share: path segments, integer ids and counts as JustCall
// prints them, headers and the {"status":"error"} envelope (the status-to-error table is in
// errors.ts). A contract file holds only what its API version says differently.
import { z } from "zod";
import type { Headers, Page, PageSpec } from "./contract";
import { parseWith } from "./shapes";

/** A path segment, always encoded. */
export const pathSegment = (v: number | string): string => encodeURIComponent(String(v));

/** Ids are integers in both references; a numeric string is tolerated. */
export const intId = () => z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
export const nonNegativeInt = () => z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

/** Both references: errors are {"status":"error","message":...}. */
export const errorEnvelope = () => z.object({ status: z.string().optional(), message: z.string().optional() });

/**
 * Schemas built on first use, once: a module-level zod object captured by Pulumi's closure
 * serializer breaks.
 */
export function builtOnFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

export function header(headers: Headers, name: string): string | undefined {
  const raw = headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/** A header that holds a non-negative number, else undefined. */
export function numericHeader(headers: Headers, name: string): number | undefined {
  const v = header(headers, name);
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterHeaderMs(headers: Headers): number | undefined {
  const s = numericHeader(headers, "retry-after");
  if (s !== undefined) return s * 1000;
  const date = Date.parse(header(headers, "retry-after") ?? "");
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** A 2xx body that is an error all the same: {"status":"error","message":...}. */
export function envelopeError(body: unknown): string | undefined {
  if (typeof body === "object" && body !== null && (body as { status?: unknown }).status === "error") {
    const m = (body as { message?: unknown }).message;
    return typeof m === "string" ? m : "error";
  }
  return undefined;
}

/** A list endpoint: its route, path and schema, and how its body reads as a page. */
export function pageSpec<V, T>(
  route: string,
  path: string,
  schema: () => z.ZodType<V>,
  toPage: (v: V) => Page<T>,
  query?: Record<string, string | number>,
): PageSpec<T> {
  return { route, path, query, parse: (json) => parseWith(schema(), json, toPage) };
}
