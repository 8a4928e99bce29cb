// Roster validation: the whole file is checked before the program registers any resource, and
// every problem is reported at once, each naming the agent entry and the line. Pure functions.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { AGENT_FIELDS, type AgentField } from "../provider/fields/agent";
import { type AccountCatalog, ROSTER_AGENT_FIELDS, type Roster, type RosterAgent, rosterAgentSchema, rosterSchema } from "./schema";

import { type Locate, type PathKey, type Position, type RosterIssue, RosterValidationError } from "./issues";

export { formatGithubAnnotation, formatIssue, formatIssues, RosterValidationError } from "./issues";
export type { Locate, PathKey, Position, RosterIssue } from "./issues";

// ---- parsing ----------------------------------------------------------------------------------

/**
 * YAML text → plain data and a locator. Numbers written without quotes (`+14155550100`, which
 * YAML reads as an integer and would lose its plus) are taken as written in `phone` and `numbers`.
 */
export function parseRosterText(text: string): { data: unknown; locate: Locate; issues: RosterIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const positionAt = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntax = [...doc.errors, ...doc.warnings.filter((w) => w.code === "DUPLICATE_KEY")].map(
    (e): RosterIssue => ({ ...positionAt(e.pos[0]), message: `YAML: ${e.message.split("\n")[0]}` }),
  );
  const locate: Locate = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return positionAt(range[0]);
    }
    return undefined;
  };
  if (syntax.length > 0) return { data: undefined, locate, issues: syntax };

  const agents = doc.get("agents", true);
  if (isSeq(agents)) {
    for (const item of agents.items) {
      if (!isMap(item)) continue;
      const asWritten = (node: unknown) => {
        if (isScalar(node) && typeof node.value === "number" && typeof node.source === "string" && node.range) {
          node.value = text.slice(node.range[0], node.range[1]).trim();
        }
      };
      asWritten(item.get("phone", true));
      const numbers = item.get("numbers", true);
      if (isSeq(numbers)) numbers.items.forEach(asWritten);
    }
  }
  // toJS expands aliases: the yaml library refuses more than 100 (an alias bomb: a few lines that
  // expand to millions of nodes), and deep nesting can exhaust the stack. Both are issues of the
  // file, told like any other, never a crash with a stack trace.
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), locate, issues: [] };
  } catch (err) {
    if (!(err instanceof ReferenceError || err instanceof RangeError)) throw err;
    const why =
      err instanceof ReferenceError
        ? "the file repeats its aliases (*name) too many times to expand safely (more than 100 alias uses); write the entries out instead"
        : "the file is nested too deeply to read";
    return { data: undefined, locate, issues: [{ line: 1, column: 1, message: `YAML: ${why}` }] };
  }
}

// ---- validation -------------------------------------------------------------------------------

export interface ValidateOptions {
  /** The account's teams and numbers; without it, references are not checked (e.g. no credentials). */
  catalog?: AccountCatalog;
  /** Line numbers for issues (from parseRosterText). */
  locate?: Locate;
}

export type ValidationResult = { ok: true; roster: Roster; issues: [] } | { ok: false; issues: RosterIssue[] };

/** Validates parsed roster data as a whole: fields, duplicates, and references into the account. */
export function validateRosterData(data: unknown, options: ValidateOptions = {}): ValidationResult {
  const locate: Locate = options.locate ?? (() => undefined);
  const issues: RosterIssue[] = [];

  // An empty file (or one of comments only) is YAML's null.
  if (data === null || data === undefined) return { ok: false, issues: [{ message: EMPTY_ROSTER }] };
  const top = rosterSchema.safeParse(data);
  if (!top.success) for (const issue of top.error.issues) issues.push(fileIssue(issue, data, locate));
  // The agents are checked whenever they are a list, also when a top-level field is wrong: every problem at once.
  const listed = (data as { agents?: unknown }).agents;
  if (!Array.isArray(listed)) return { ok: false, issues: sortIssues(issues) };

  const rawAgents: unknown[] = listed;
  const label = (index: number): string => {
    const raw = rawAgents[index] as { email?: unknown } | undefined;
    const email = typeof raw?.email === "string" && raw.email.trim() !== "" ? ` (${raw.email.trim()})` : "";
    return `agent #${index + 1}${email}`;
  };

  const agents: (RosterAgent | undefined)[] = rawAgents.map((raw, index) => {
    const parsed = rosterAgentSchema.safeParse(raw);
    if (parsed.success) return parsed.data as RosterAgent;
    for (const issue of parsed.error.issues) issues.push(entryIssue(issue, raw, index, label(index), locate));
    return undefined;
  });

  // Duplicates, across the whole file, also among entries with other problems. Emails compare
  // without case (JustCall treats them so).
  const emails = new Map<string, number>();
  const numbers = new Map<string, number>();
  rawAgents.forEach((raw, index) => {
    const entry = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const email = typeof entry.email === "string" ? entry.email.trim() : undefined;
    const first = email ? emails.get(email.toLowerCase()) : undefined;
    if (email && first !== undefined) {
      issues.push({
        ...place(locate, ["agents", index, "email"]),
        entry: label(index),
        field: "email",
        message: `${email} is already listed as ${label(first)} at line ${locate(["agents", first, "email"])?.line ?? "?"} (emails compare without case)`,
      });
    } else if (email) emails.set(email.toLowerCase(), index);

    const teams = new Set<string>();
    strings(entry.teams).forEach(([team, t]) => {
      const key = team.trim().toLowerCase();
      if (teams.has(key)) {
        issues.push({
          ...place(locate, ["agents", index, "teams", t]),
          entry: label(index),
          field: `teams[${t}]`,
          message: `team ${team} is listed twice`,
        });
      }
      teams.add(key);
    });

    strings(entry.numbers).forEach(([number, n]) => {
      const holder = numbers.get(number);
      if (holder === undefined) {
        numbers.set(number, index);
        return;
      }
      const where = locate(["agents", holder, "numbers"])?.line;
      const whom = holder === index ? "earlier in this entry" : `to ${label(holder)}${where !== undefined ? ` at line ${where}` : ""}`;
      issues.push({
        ...place(locate, ["agents", index, "numbers", n]),
        entry: label(index),
        field: `numbers[${n}]`,
        message: `${number} is also given ${whom}; a number has one holder`,
      });
    });
  });

  if (options.catalog) issues.push(...referenceIssues(agents, options.catalog, label, locate));

  if (issues.length > 0 || !top.success) return { ok: false, issues: sortIssues(issues) };
  const { authoritative, onRemove, removalBudget } = top.data;
  const roster: Roster = { authoritative, onRemove, agents: agents as RosterAgent[] };
  if (removalBudget !== undefined) roster.removalBudget = removalBudget;
  return { ok: true, roster, issues: [] };
}

/** Teams and numbers must exist in the account: the API can neither create teams nor buy numbers. */
function referenceIssues(
  agents: (RosterAgent | undefined)[],
  catalog: AccountCatalog,
  label: (index: number) => string,
  locate: Locate,
): RosterIssue[] {
  const issues: RosterIssue[] = [];
  const teams = new Set(catalog.teams.map((t) => t.trim().toLowerCase()));
  const numbers = new Set(catalog.numbers);
  const teamList = catalog.teams.join(", ") || "none";
  agents.forEach((agent, index) => {
    if (!agent) return;
    (agent.teams ?? []).forEach((team, t) => {
      if (teams.has(team.toLowerCase())) return;
      issues.push({
        ...place(locate, ["agents", index, "teams", t]),
        entry: label(index),
        field: `teams[${t}]`,
        message: `no team named "${team}" in the JustCall account (teams: ${teamList}); teams are created in the JustCall dashboard`,
      });
    });
    (agent.numbers ?? []).forEach((number, n) => {
      if (numbers.has(number)) return;
      issues.push({
        ...place(locate, ["agents", index, "numbers", n]),
        entry: label(index),
        field: `numbers[${n}]`,
        message: `${number} is not one of the account's numbers; numbers are bought in the JustCall dashboard`,
      });
    });
  });
  return issues;
}

function entryIssue(issue: z.core.$ZodIssue, raw: unknown, index: number, entry: string, locate: Locate): RosterIssue {
  const inner = issue.path.filter((k): k is PathKey => typeof k === "string" || typeof k === "number");
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
  if (keys.length > 0) {
    return {
      ...place(locate, ["agents", index, ...inner, keys[0]]),
      entry,
      field: keys.join(", "),
      message: `unknown ${keys.length === 1 ? "field" : "fields"} ${keys.map((k) => `"${k}"`).join(", ")} (known: ${Object.keys(rosterAgentSchema.shape).join(", ")})`,
    };
  }
  if (issue.code === "invalid_type" && issue.path.length === 0) {
    return { ...place(locate, ["agents", index]), entry, message: "each agent must be a mapping with email, firstname and lastname" };
  }
  return { ...place(locate, ["agents", index, ...inner]), entry, field: fieldName(inner), message: entryMessage(issue, raw, inner) };
}

/** The Agent field table's messages leave out the field's name (the resources' checks add it): added here, or "is required". */
function entryMessage(issue: z.core.$ZodIssue, raw: unknown, inner: PathKey[]): string {
  const field = inner[0];
  if (typeof field !== "string" || !(ROSTER_AGENT_FIELDS as string[]).includes(field)) return issue.message;
  const required = AGENT_FIELDS[field as AgentField].kind === "required";
  return required && isMissing(issue, raw, inner) ? `${field} is required` : `${field} ${issue.message}`;
}

/** A key left out, or written with no value (`firstname:`, which YAML reads as null). */
function isMissing(issue: z.core.$ZodIssue, parent: unknown, path: PathKey[]): boolean {
  if (issue.code !== "invalid_type" || path.length !== 1) return false;
  const value = (parent as Record<PathKey, unknown>)[path[0]];
  return value === undefined || value === null;
}

const AGENTS_EXAMPLE = "agents: [{email: jane@acme.example, firstname: Jane, lastname: Doe}]";
const EMPTY_ROSTER = `the roster is empty: it needs an agents list, like ${AGENTS_EXAMPLE}`;

function fileIssue(issue: z.core.$ZodIssue, data: unknown, locate: Locate): RosterIssue {
  const path = issue.path.filter((k): k is PathKey => typeof k === "string" || typeof k === "number");
  if (issue.code === "unrecognized_keys") {
    return {
      ...place(locate, [issue.keys[0]]),
      field: issue.keys.join(", "),
      message: `unknown top-level ${issue.keys.length === 1 ? "field" : "fields"} (known: ${Object.keys(rosterSchema.shape).join(", ")})`,
    };
  }
  if (path.length === 0)
    return { line: 1, column: 1, message: "the roster must be a mapping with an agents list (and optionally authoritative)" };
  // Only agents is required at the top level: left out, or written with no list after it.
  const agents = path[0] === "agents" && isMissing(issue, data, path) ? (data as { agents?: unknown }).agents : false;
  const message =
    agents === false
      ? issue.message
      : `agents is ${agents === undefined ? "required" : "empty"}: it needs the list of agents, like ${AGENTS_EXAMPLE} (agents: [] for none)`;
  return { ...place(locate, path), field: fieldName(path), message };
}

/** The line and column of a path, as issue fields (none when the roster has no source). */
function place(locate: Locate, path: PathKey[]): Pick<RosterIssue, "line" | "column"> {
  const position = locate(path);
  return position ? { line: position.line, column: position.column } : {};
}

/** The string items of a list with their indexes (other items are reported by the schema). */
function strings(value: unknown): [string, number][] {
  if (!Array.isArray(value)) return [];
  return value.map((v, i) => [v, i] as [unknown, number]).filter((p): p is [string, number] => typeof p[0] === "string");
}

/** ["numbers", 1] → "numbers[1]" */
function fieldName(path: PathKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

function sortIssues(issues: RosterIssue[]): RosterIssue[] {
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.order - b.order)
    .map((x) => x.issue);
}

// ---- the whole path ---------------------------------------------------------------------------

/** Text → a valid roster, or every problem found. */
export function validateRosterText(text: string, options: { catalog?: AccountCatalog } = {}): ValidationResult {
  const parsed = parseRosterText(text);
  if (parsed.issues.length > 0) return { ok: false, issues: parsed.issues };
  return validateRosterData(parsed.data, { catalog: options.catalog, locate: parsed.locate });
}

/** Like validateRosterText, but throws a RosterValidationError that lists every problem. */
export function loadRoster(text: string, file: string, options: { catalog?: AccountCatalog } = {}): Roster {
  const result = validateRosterText(text, options);
  if (!result.ok) throw new RosterValidationError(file, result.issues);
  return result.roster;
}
