// Adoption of an existing account: read it and write the roster that reproduces it, so that the
// first `pulumi up` adopts every agent (Agent's create takes over an existing email) and sends no
// invitation. Export writes only what validates: whatever the account holds that a roster cannot
// express is left out and reported (onNote), so that the roster passes `validate` and the stack's
// own checks, and the first `up` makes no write.
import { Document } from "yaml";
import type { Agent, JustCallClient } from "../provider/client";
import { AGENT_FIELDS } from "../provider/fields/agent";
import { ROSTER_AGENT_FIELDS, type Roster, type RosterAgent, rosterAgentSchema } from "./schema";
import { validateRosterData } from "./validate";

export interface ExportProgress {
  phase: "agents" | "teams" | "numbers" | "done";
  /** Requests made so far (pages included) and time spent waiting for the rate limit. */
  requests: number;
  waitedMs: number;
}

/** Reads agents, teams and numbers (every page, paced by the client's rate governor). */
export async function exportRoster(
  client: JustCallClient,
  options: {
    authoritative?: boolean;
    onProgress?: (p: ExportProgress) => void;
    /** One sentence per thing left out of the roster (the CLI writes them to stderr). */
    onNote?: (note: string) => void;
  } = {},
): Promise<Roster> {
  const report = (phase: ExportProgress["phase"]) => {
    const m = client.metrics();
    const requests = Object.values(m.requests).reduce((sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
    options.onProgress?.({ phase, requests, waitedMs: m.waitedMs });
  };
  // Sequential, so that the progress line names what is being read; each list pages on its own.
  report("agents");
  const agents = await client.listAgents();
  report("teams");
  const teams = await client.teams();
  report("numbers");
  const numbers = await client.numbers();
  report("done");

  const note = options.onNote ?? (() => undefined);
  const entries = [...agents]
    .sort((a, b) => a.email.toLowerCase().localeCompare(b.email.toLowerCase()))
    .flatMap((agent): RosterAgent[] => {
      const entry = rosterEntry(agent, note);
      if (!entry) return [];
      const memberOf = teams.filter((t) => t.agentIds.includes(agent.id)).map((t) => t.name);
      if (memberOf.length > 0) entry.teams = memberOf;
      const held = numbers.filter((n) => n.assignedTo === agent.id).map((n) => n.number);
      const expressible = held.filter((n) => {
        if (valid({ ...minimal(entry), numbers: [n] })) return true;
        note(
          `${agent.email}: number ${n} is not an E.164 number; left out (assign it in the roster by hand once JustCall shows it in full)`,
        );
        return false;
      });
      if (expressible.length > 0) entry.numbers = expressible;
      return [entry];
    });
  // onRemove written out, so the file says what removing an entry does (docs/deletion.md).
  const roster: Roster = { authoritative: options.authoritative ?? true, onRemove: "delete", agents: entries };
  // The whole file, as `validate` and the stack check it (the account's own teams and numbers).
  const check = validateRosterData(roster, { catalog: { teams: teams.map((t) => t.name), numbers: numbers.map((n) => n.number) } });
  if (!check.ok) {
    throw new Error(
      `the exported roster would not validate (please report this): ${check.issues.map((i) => `${i.entry ?? ""} ${i.field ?? ""}: ${i.message}`).join("; ")}`,
    );
  }
  return roster;
}

const minimal = (e: RosterAgent): RosterAgent => ({ email: e.email, firstname: e.firstname, lastname: e.lastname });
const valid = (entry: RosterAgent) => rosterAgentSchema.safeParse(entry).success;

/**
 * The agent's roster entry, field by field: each field the roster cannot express is left out
 * with a note. A managed field left out is not managed, so the agent keeps JustCall's value.
 * Without an email, a first name and a last name there is no entry at all.
 */
function rosterEntry(agent: Agent, note: (n: string) => void): RosterAgent | undefined {
  const entry: RosterAgent = { email: agent.email, firstname: agent.firstname, lastname: agent.lastname };
  if (!valid(entry)) {
    const why =
      agent.lastname.trim() === ""
        ? `its name "${agent.firstname}" is one word, and a roster entry needs a first and a last name`
        : "its email or name is not one a roster accepts";
    note(`${agent.email || `agent ${agent.id}`}: left out: ${why}. Add it to the roster by hand if this stack should manage it.`);
    return undefined;
  }
  // The managed fields the roster has (the Agent's field table): each one JustCall holds in a form
  // the roster accepts is written; another is left out, so the roster does not manage it.
  for (const field of ROSTER_AGENT_FIELDS.filter((f) => AGENT_FIELDS[f].kind === "managed")) {
    const value = (agent as unknown as Record<string, unknown>)[field];
    if (value === undefined || value === null || value === "") continue;
    const checked = AGENT_FIELDS[field].rule.safeParse(value);
    if (checked.success) (entry as Record<string, unknown>)[field] = value;
    else note(`${agent.email}: ${field} "${value}" left out (not managed): it ${checked.error.issues[0]?.message ?? "is not valid"}`);
  }
  return entry;
}

/** The roster as YAML, with a header saying where it came from. */
export function rosterYaml(roster: Roster, header?: string): string {
  const doc = new Document(roster);
  if (header)
    doc.commentBefore = header
      .split("\n")
      .map((l) => ` ${l}`)
      .join("\n");
  return doc.toString({ lineWidth: 0 });
}
