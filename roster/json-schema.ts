// The JSON Schema of roster.yaml, generated from the zod schema (schema.ts), so that editors
// complete and check the file. The build writes it to dist/roster/roster.schema.json:
//   node dist/roster/json-schema.js dist/roster/roster.schema.json
// It checks names, types, required fields, roles, lengths and the E.164 pattern. What JSON Schema
// cannot say (email addresses, IANA time zones, duplicates, teams and numbers that exist in the
// account) is left to `justcall-roster validate` and the stack.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { rosterFileSchema } from "./schema";

/** Where the schema sits in an installed package, from the project root. */
export const SCHEMA_IN_NODE_MODULES = "node_modules/pulumi-justcall/dist/roster/roster.schema.json";

export function rosterJsonSchema(): Record<string, unknown> {
  // io "input": the file as written (authoritative may be left out). Draft 7: the draft that the
  // YAML language server and most editors' validators read.
  return z.toJSONSchema(rosterFileSchema, { io: "input", target: "draft-7" }) as Record<string, unknown>;
}

/**
 * The `$schema` reference for a roster written to `rosterFile`: the installed package's schema in
 * `<projectDir>/node_modules`, relative to the roster's folder (what the YAML language server expects).
 */
export function schemaReference(rosterFile: string, projectDir: string): string {
  const from = path.dirname(path.resolve(projectDir, rosterFile));
  const relative = path.relative(from, path.join(projectDir, SCHEMA_IN_NODE_MODULES)).split(path.sep).join("/");
  return relative.startsWith("../") ? relative : `./${relative}`;
}

/** The first line of an exported roster: editors with the YAML language server then use the schema. */
export function schemaModeline(reference: string): string {
  return `yaml-language-server: $schema=${reference}`;
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: node dist/roster/json-schema.js <out.json>");
    process.exit(2);
  }
  fs.writeFileSync(out, `${JSON.stringify(rosterJsonSchema(), null, 2)}\n`);
}
