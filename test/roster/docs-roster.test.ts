// docs/roster.md's reference ("The file") kept in step with the roster's schema: its example
// names every top-level and per-agent key of roster/schema.ts and no other, the section names
// each key in backticks, and the example is a valid roster. The README's shorter example names
// no key the schema lacks.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../../harness/engine";
import { rosterAgentSchema, rosterSchema } from "../../roster/schema";
import { validateRosterText } from "../../roster/validate";

const TOP_KEYS = Object.keys(rosterSchema.shape);
const AGENT_KEYS = Object.keys(rosterAgentSchema.shape);

/** The text of a markdown file's `## heading` section, up to the next `## `. */
function section(file: string, heading: string): string {
  const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
  const at = text.indexOf(`\n## ${heading}\n`);
  if (at < 0) throw new Error(`${file}: no "## ${heading}" section`);
  return text.slice(at + 1).split(/\n## /)[0];
}

/** The first ```yaml block of a section. */
function yamlBlock(text: string): string {
  const m = /```yaml\n([\s\S]*?)```/.exec(text);
  if (!m) throw new Error("no yaml block");
  return m[1];
}

function keysOf(block: string): { top: string[]; agent: string[] } {
  const data = parseYaml(block) as { agents: Record<string, unknown>[] };
  return { top: Object.keys(data), agent: [...new Set(data.agents.flatMap((a) => Object.keys(a)))] };
}

describe("docs/roster.md: the roster reference and the schema", () => {
  const reference = section("docs/roster.md", "The file");

  it("its example names every top-level and per-agent key of the schema, and no other", () => {
    const { top, agent } = keysOf(yamlBlock(reference));
    expect(top).to.have.members(TOP_KEYS);
    expect(agent).to.have.members(AGENT_KEYS);
  });

  it("names each key in backticks in the section's prose or tables", () => {
    const prose = reference.replace(/```yaml\n[\s\S]*?```/, "");
    for (const key of [...TOP_KEYS, ...AGENT_KEYS]) expect(prose, key).to.include(`\`${key}\``);
  });

  it("its example is a valid roster", () => {
    const result = validateRosterText(yamlBlock(reference));
    expect(result.ok, JSON.stringify(result)).to.equal(true);
  });

  it("the README's roster example names only keys the schema has", () => {
    const { top, agent } = keysOf(yamlBlock(section("README.md", "The roster file")));
    expect(TOP_KEYS).to.include.members(top);
    expect(AGENT_KEYS).to.include.members(agent);
  });
});
