// What every API contract does with a zod schema: validate a body and report shape issues by path.
import type { z } from "zod";
import type { Parsed, ShapeIssue } from "./contract";

export function parseWith<S extends z.ZodType, T>(schema: S, json: unknown, pick: (v: z.output<S>) => T): Parsed<T> {
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: pick(r.data) };
  const issues: ShapeIssue[] = r.error.issues.map((i) => ({ path: [...i.path], message: i.message, code: i.code }));
  return { ok: false, issues };
}
