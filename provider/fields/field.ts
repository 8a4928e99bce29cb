// What a field table says about each field of a resource, and the lists derived from a table.
// Zod only: the resources, the roster, summarize, the docs and the generated types
// (codegen/fields.ts) all read the tables in this folder, so each field is declared once.
import { z } from "zod";

/**
 * How a field takes part in its resource:
 * - required: the program gives it, JustCall stores it;
 * - managed: optional; left out, it is not managed (JustCall's value stays);
 * - availability: optional, set through the availability call (v2.1 only);
 * - switch: provider behaviour with a default, never sent to JustCall;
 * - reference: names the JustCall object the resource is about (a team, a number, an agent);
 * - output: reported by JustCall or set by the provider, never an input.
 */
export type FieldKind = "required" | "managed" | "availability" | "switch" | "reference" | "output";

export interface Field {
  kind: FieldKind;
  /** The rule a program's value must pass (its messages say what is wrong, without the field name), or an output's shape. */
  rule: z.ZodType;
  /** What JustCall or the state may hold, where wider than what a program may give (a role outside ours). */
  held?: z.ZodType;
  /** One line, for the type's doc comment, the docs' tables and the roster's JSON Schema. */
  description: string;
  /** The field's name on the wire, per API version; null where that version has no such field. */
  wire?: { v1: string | null; v21: string | null };
  /** JustCall reports it: the outputs carry what JustCall said, and a refresh shows drift. */
  reported?: boolean;
  /** switch: the value when the program leaves it out. */
  default?: boolean;
  /** reference: a change replaces the resource. */
  replaces?: boolean;
  /** reference: the program must give it, or one of the fields of this group (exactly one). */
  required?: true | { oneOf: string };
  /** Also an output of the resource class. */
  output?: boolean;
  /** roster.yaml has it, under the same name. */
  roster?: boolean;
  /** managed: taken as managed when the state does not record which fields are (what 0.1.0 managed). */
  managedWhenUnrecorded?: boolean;
}

export type FieldTable = Record<string, Field>;

/** The names of a table's fields of the given kinds (for types derived from a table). */
export type FieldsOf<T, K extends FieldKind> = { [F in keyof T]: T[F] extends { kind: K } ? F : never }[keyof T];
/** The names of a table's class outputs (output-only fields and inputs marked `output`). */
export type OutputsOf<T> = { [F in keyof T]: T[F] extends { kind: "output" } | { output: true } ? F : never }[keyof T];
/** The state of a resource whose outputs are always there: each output as the table shapes it. */
export type StoredOutputs<T> = { [F in OutputsOf<T>]: HeldValue<T, F> };
/** What JustCall or the state holds for a field: its `held` shape where the table gives one, else its rule's. */
export type HeldValue<T, F extends keyof T> = T[F] extends { held: z.ZodType }
  ? z.output<T[F]["held"]>
  : T[F] extends { rule: z.ZodType }
    ? z.output<T[F]["rule"]>
    : never;

/** The table's field names of the given kinds, in table order. */
export function fieldsOfKind<T extends FieldTable>(table: T, ...kinds: FieldKind[]): (keyof T & string)[] {
  return Object.keys(table).filter((name) => kinds.includes(table[name].kind));
}

/** The inputs a program may give (every field but the outputs). */
export function inputFields<T extends FieldTable>(table: T): (keyof T & string)[] {
  return Object.keys(table).filter((name) => table[name].kind !== "output");
}

/** The class's outputs: output-only fields and inputs marked as outputs. */
export function outputFields<T extends FieldTable>(table: T): (keyof T & string)[] {
  return Object.keys(table).filter((name) => table[name].kind === "output" || table[name].output === true);
}

/** The zod object checking a program's inputs, every field optional (required ones are checked by name). */
export function inputSchema(table: FieldTable): z.ZodObject {
  return z.object(Object.fromEntries(inputFields(table).map((name) => [name, table[name].rule.optional()])));
}

/** The fields a program must give (required kind, or required references), and the groups of which one is needed. */
export function requiredFields(table: FieldTable): { single: string[]; oneOf: Record<string, string[]> } {
  const single: string[] = [];
  const oneOf: Record<string, string[]> = {};
  for (const [name, f] of Object.entries(table)) {
    if (f.kind === "required" || f.required === true) single.push(name);
    else if (typeof f.required === "object") (oneOf[f.required.oneOf] ??= []).push(name);
  }
  return { single, oneOf };
}

/** The required inputs a program left out, and each group of which it gave none or several (with the group's reason). */
export function missingInputs(
  table: FieldTable,
  given: object,
  oneOfReasons: Record<string, string> = {},
): { property: string; reason: string }[] {
  const values = given as Record<string, unknown>;
  const { single, oneOf } = requiredFields(table);
  const failures = single.filter((f) => values[f] === undefined).map((f) => ({ property: f, reason: `${f} is required` }));
  for (const [group, fields] of Object.entries(oneOf)) {
    if (fields.filter((f) => values[f] !== undefined).length !== 1) {
      failures.push({ property: fields[0], reason: oneOfReasons[group] ?? `give exactly one of ${fields.join(", ")}` });
    }
  }
  return failures;
}

/** The switches' defaults, by name. */
export function switchDefaults(table: FieldTable): Record<string, boolean> {
  return Object.fromEntries(fieldsOfKind(table, "switch").map((name) => [name, table[name].default === true]));
}

/** A resource's properties for the engine: every output named (so the class carries it), then the program's args. */
export function withOutputs<A extends object>(table: FieldTable, args: A): A & Record<string, unknown> {
  return { ...Object.fromEntries(outputFields(table).map((name) => [name, undefined])), ...args };
}
