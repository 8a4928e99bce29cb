// Writes what the field tables (provider/fields/) declare into the places TypeScript and Markdown
// cannot derive at run time: the resources' Args and output types with their doc comments
// (provider/resource-types.ts) and the Inputs/Outputs tables of docs/resources/*.md.
//   node dist/codegen/fields.js --write   (npm run generate)
//   node dist/codegen/fields.js --check   (npm run build: fails when a generated place is stale)
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { AGENT_FIELDS } from "../provider/fields/agent";
import { type Field, type FieldTable, inputFields, outputFields } from "../provider/fields/field";
import { NUMBER_ASSIGNMENT_FIELDS } from "../provider/fields/number-assignment";
import { TEAM_MEMBERSHIP_FIELDS } from "../provider/fields/team-membership";

const ROOT = path.join(__dirname, "..", "..");

export const RESOURCES: { type: string; table: FieldTable; source: string; doc: string }[] = [
  { type: "Agent", table: AGENT_FIELDS, source: "provider/fields/agent.ts", doc: "docs/resources/agent.md" },
  {
    type: "TeamMembership",
    table: TEAM_MEMBERSHIP_FIELDS,
    source: "provider/fields/team-membership.ts",
    doc: "docs/resources/team-membership.md",
  },
  {
    type: "NumberAssignment",
    table: NUMBER_ASSIGNMENT_FIELDS,
    source: "provider/fields/number-assignment.ts",
    doc: "docs/resources/number-assignment.md",
  },
];

/** The TypeScript type of a zod schema, from its JSON Schema (the tables use strings, numbers, booleans, enums, arrays, null). */
export function typeText(schema: z.ZodType, io: "input" | "output"): string {
  return fromJsonSchema(z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema);
}

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

function fromJsonSchema(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map(fromJsonSchema).join(" | ");
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === "integer" || s.type === "number") return "number";
  if (s.type === "array") {
    const item = fromJsonSchema(s.items ?? {});
    return item.includes(" ") ? `(${item})[]` : `${item}[]`;
  }
  if (s.type === "string" || s.type === "boolean" || s.type === "null") return s.type;
  return "unknown";
}

const isRequiredInput = (f: Field) => f.kind === "required" || f.required === true;
/** Outputs JustCall may leave unreported (or a program may leave unmanaged) read as undefined. */
const mayBeAbsent = (f: Field) => f.kind === "managed" || f.kind === "availability" || (f.kind === "output" && f.reported === true);

const article = (word: string) => (/^[AEIOU]/.test(word) ? "an" : "a");

function docComment(text: string, indent: string): string {
  return `${indent}/** ${text.replace(/\*\//g, "* /")} */`;
}

export function resourceTypesSource(resources: { type: string; table: FieldTable }[] = RESOURCES): string {
  const lines = [
    "// Generated from the field tables in provider/fields/ by `npm run generate` (codegen/fields.ts).",
    "// Do not edit: `npm run build` fails when this file no longer matches the tables.",
    'import type * as pulumi from "@pulumi/pulumi";',
    'import { JustCallResource } from "./runtime";',
  ];
  for (const { type, table } of resources) {
    lines.push("", `/** The inputs of ${article(type)} ${type}. */`, `export interface ${type}Args {`);
    for (const name of inputFields(table)) {
      const f = table[name];
      lines.push(docComment(f.description, "  "), `  ${name}${isRequiredInput(f) ? "" : "?"}: pulumi.Input<${typeText(f.rule, "input")}>;`);
    }
    lines.push("}", "", `/** The outputs ${article(type)} ${type} carries (set by the engine from the provider's answer). */`);
    lines.push(`export abstract class ${type}OutputProperties extends JustCallResource {`);
    for (const name of outputFields(table)) {
      const f = table[name];
      const t = typeText(f.held ?? f.rule, "output");
      lines.push(docComment(f.description, "  "), `  declare readonly ${name}: pulumi.Output<${mayBeAbsent(f) ? `${t} | undefined` : t}>;`);
    }
    lines.push("}");
  }
  return `${lines.join("\n")}\n`;
}

function code(name: string): string {
  return `\`${name}\``;
}

function inputNote(name: string, f: Field): string {
  const notes: string[] = [];
  if (f.kind === "required" || f.required === true) notes.push("required");
  else if (typeof f.required === "object") notes.push("one of the two");
  else if (f.kind === "managed") notes.push("optional; left out: not managed");
  else if (f.kind === "availability") notes.push("optional (v2.1)");
  else if (f.kind === "switch") notes.push(`default ${code(String(f.default === true))}`);
  else notes.push("optional");
  if (f.replaces) notes.push("a change replaces");
  return notes.join("; ") + (name === "" ? "" : "");
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function docTables(table: FieldTable): { inputs: string; outputs: string } {
  const inputs = ["| Input | | |", "|---|---|---|"];
  for (const name of inputFields(table))
    inputs.push(`| ${code(name)} | ${inputNote(name, table[name])} | ${cell(table[name].description)} |`);
  const outputs = ["| Output | |", "|---|---|"];
  for (const name of outputFields(table)) outputs.push(`| ${code(name)} | ${cell(table[name].description)} |`);
  return { inputs: inputs.join("\n"), outputs: outputs.join("\n") };
}

const marker = (type: string, which: string) => `<!-- ${type} ${which}: generated from the field table by npm run generate -->`;
const END = "<!-- end of the generated table -->";

/** The page with its generated tables replaced; an error when a marker is missing. */
export function withTables(page: string, type: string, table: FieldTable, doc: string): string {
  const tables = docTables(table);
  let out = page;
  for (const which of ["inputs", "outputs"] as const) {
    const start = marker(type, which);
    const from = out.indexOf(start);
    const to = from < 0 ? -1 : out.indexOf(END, from);
    if (from < 0 || to < 0) throw new Error(`${doc}: no "${start}" ... "${END}" block for the ${which} table`);
    out = `${out.slice(0, from)}${start}\n${tables[which]}\n${out.slice(to)}`;
  }
  return out;
}

/** Every generated file: its path and what it should hold. */
export function generated(): { file: string; text: string }[] {
  const files = [{ file: "provider/resource-types.ts", text: resourceTypesSource() }];
  for (const { type, table, doc } of RESOURCES) {
    files.push({ file: doc, text: withTables(fs.readFileSync(path.join(ROOT, doc), "utf8"), type, table, doc) });
  }
  return files;
}

/** The generated files that differ from what is on disk. */
export function staleFiles(): string[] {
  return generated()
    .filter(({ file, text }) => !fs.existsSync(path.join(ROOT, file)) || fs.readFileSync(path.join(ROOT, file), "utf8") !== text)
    .map(({ file }) => file);
}

if (require.main === module) {
  const mode = process.argv[2];
  if (mode === "--write") {
    for (const { file, text } of generated()) fs.writeFileSync(path.join(ROOT, file), text);
  } else if (mode === "--check") {
    const stale = staleFiles();
    if (stale.length > 0) {
      console.error(
        `the field tables (provider/fields/) changed, and these generated files are stale: ${stale.join(", ")}. Run npm run generate.`,
      );
      process.exit(1);
    }
  } else {
    console.error("usage: node dist/codegen/fields.js --write | --check");
    process.exit(2);
  }
}
