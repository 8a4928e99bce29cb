// Adoption of an existing account: read it and write the roster that reproduces it, so that the
// first `pulumi up` adopts every agent (Agent's create takes over an existing email) and sends no
// invitation.
import { Document } from "yaml";
import type { JustCallClient } from "../provider/client";
import type { Roster, RosterAgent } from "./schema";

export interface ExportProgress {
  phase: "agents" | "teams" | "numbers" | "done";
  /** Requests made so far (pages included) and time spent waiting for the rate limit. */
  requests: number;
  waitedMs: number;
}

/** Reads agents, teams and numbers (every page, paced by the client's rate governor). */
export async function exportRoster(
  client: JustCallClient,
  options: { authoritative?: boolean; onProgress?: (p: ExportProgress) => void } = {},
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

  const entries = [...agents]
    .sort((a, b) => a.email.toLowerCase().localeCompare(b.email.toLowerCase()))
    .map((agent): RosterAgent => {
      const entry: RosterAgent = { email: agent.email, firstname: agent.firstname, lastname: agent.lastname };
      if (agent.role) entry.role = agent.role as RosterAgent["role"];
      if (agent.timezone) entry.timezone = agent.timezone;
      if (agent.phone) entry.phone = agent.phone;
      const memberOf = teams.filter((t) => t.agentIds.includes(agent.id)).map((t) => t.name);
      if (memberOf.length > 0) entry.teams = memberOf;
      const held = numbers.filter((n) => n.assignedTo === agent.id).map((n) => n.number);
      if (held.length > 0) entry.numbers = held;
      return entry;
    });
  // onRemove written out, so the file says what removing an entry does (docs/deletion.md).
  return { authoritative: options.authoritative ?? true, onRemove: "delete", agents: entries };
}

/** The roster as YAML, with a header saying where it came from. */
export function rosterYaml(roster: Roster, header?: string): string {
  const doc = new Document(roster);
  if (header) doc.commentBefore = header.split("\n").map((l) => ` ${l}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
