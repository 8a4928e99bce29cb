// The access review's findings, from what the account's lists say and, when given, the roster and
// the HR export. Pure: data in, the review out (read.ts reads, render-*.ts write). docs/review.md
// explains each finding.
import { normalizeEmail } from "../../provider/client/shapes";
import type { Agent, ApiVersion, PhoneNumber, Team } from "../../provider/client/types";
import { ROLES } from "../../provider/validation";
import type { Roster } from "../schema";
import type { HrIndex } from "./hr";

export type Finding = "privileged" | "not-managed" | "not-employed" | "not-yet-active";

/** The findings in the order the review's sections come. */
export const FINDINGS: readonly Finding[] = ["privileged", "not-managed", "not-employed", "not-yet-active"];

export interface ReviewedAgent {
  id: number;
  name: string;
  email: string;
  /** As JustCall reports it (our roles in lower case, any other as JustCall names it); null: not reported. */
  role: string | null;
  /** As JustCall reports it (v1: "Pending" until the invitation is accepted); null: not reported. */
  status: string | null;
  teams: string[];
  numbers: string[];
  /** The HR export's status for this email; null: not in the export; absent: no export given. */
  hrStatus?: string | null;
  /** Each finding with its reason, in FINDINGS order. */
  findings: { finding: Finding; reason: string }[];
}

export interface ReviewedNumber {
  number: string;
  /** The agent id the number list assigns it to; null: held by no one. */
  assignedTo: number | null;
  /** That agent; null also when the id is not in the agent list. */
  holder: { id: number; email: string; name: string } | null;
  /** The holder's findings (empty when the holder has none or there is no holder). */
  holderFindings: Finding[];
}

export interface Review {
  /** ISO 8601 UTC, when the account was read. */
  takenAt: string;
  account: { host: string; name?: string; apiVersion: ApiVersion };
  /** What the review was checked against: file names as given, null when not given. */
  roster: string | null;
  hr: { file: string; rows: number } | null;
  /** The account's requests by route and status: list calls only. */
  requests: Record<string, Record<string, number>>;
  counts: {
    agents: number;
    privileged: number;
    /** null: not checked (no roster, or no HR export). */
    notManaged: number | null;
    notEmployed: number | null;
    /** null: not checked (v1's agent list reported no status, or v2.1, whose status is availability). */
    notYetActive: number | null;
    numbers: number;
    numbersHeldByFlagged: number;
    numbersHeldByNoOne: number;
    /** In the roster, not in JustCall (invited by the next `pulumi up`, or removed by hand). */
    rosterOnly: number | null;
  };
  agents: ReviewedAgent[];
  numbers: ReviewedNumber[];
  rosterOnly: string[];
}

export interface ReviewInput {
  takenAt: string;
  account: Review["account"];
  agents: Agent[];
  teams: Team[];
  numbers: PhoneNumber[];
  requests: Review["requests"];
  roster?: { file: string; roster: Roster };
  hr?: { file: string; index: HrIndex };
}

/** The roles that need no second look: every other one (admin, Account Owner, a custom role) is privileged. */
const ORDINARY_ROLES = new Set<string>(ROLES.filter((r) => r !== "admin"));

export function classify(input: ReviewInput): Review {
  const rosterEmails = input.roster ? new Set(input.roster.roster.agents.map((a) => normalizeEmail(a.email))) : undefined;
  const teamsOf = new Map<number, string[]>();
  for (const team of input.teams) for (const id of team.agentIds) teamsOf.set(id, [...(teamsOf.get(id) ?? []), team.name]);
  const numbersOf = new Map<number, string[]>();
  for (const n of input.numbers) if (n.assignedTo !== null) numbersOf.set(n.assignedTo, [...(numbersOf.get(n.assignedTo) ?? []), n.number]);

  const agents = [...input.agents]
    .sort((a, b) => normalizeEmail(a.email).localeCompare(normalizeEmail(b.email)))
    .map((agent): ReviewedAgent => {
      const email = normalizeEmail(agent.email);
      const hr = input.hr?.index.byEmail.get(email);
      const reviewed: ReviewedAgent = {
        id: agent.id,
        name: agent.name ?? [agent.firstname, agent.lastname].filter(Boolean).join(" "),
        email: agent.email,
        role: agent.role ?? null,
        status: agent.status ?? null,
        teams: [...(teamsOf.get(agent.id) ?? [])].sort(),
        // The number list is the source; v2.1's users also name the numbers they own.
        numbers: [...new Set([...(numbersOf.get(agent.id) ?? []), ...(agent.numbers ?? [])])].sort(),
        ...(input.hr ? { hrStatus: hr ? hr.status : null } : {}),
        findings: [],
      };
      const add = (finding: Finding, reason: string) => reviewed.findings.push({ finding, reason });
      if (reviewed.role === null) add("privileged", "role not reported by JustCall");
      else if (!ORDINARY_ROLES.has(reviewed.role)) add("privileged", reviewed.role === "admin" ? "admin" : `role "${reviewed.role}"`);
      if (rosterEmails && !rosterEmails.has(email)) add("not-managed", "not in the roster");
      if (input.hr && !hr) add("not-employed", "not in the HR export");
      else if (hr?.terminated) add("not-employed", `HR status "${hr.status}"`);
      if (input.account.apiVersion === "v1" && isPending(reviewed.status))
        add("not-yet-active", `status "${reviewed.status}": invited, never accepted`);
      return reviewed;
    });

  const byId = new Map(agents.map((a) => [a.id, a]));
  const numbers = [...input.numbers]
    .sort((a, b) => a.number.localeCompare(b.number))
    .map((n): ReviewedNumber => {
      const holder = n.assignedTo === null ? undefined : byId.get(n.assignedTo);
      return {
        number: n.number,
        assignedTo: n.assignedTo,
        holder: holder ? { id: holder.id, email: holder.email, name: holder.name } : null,
        holderFindings: holder ? holder.findings.map((f) => f.finding) : [],
      };
    });
  const justcallEmails = new Set(agents.map((a) => normalizeEmail(a.email)));
  const rosterOnly = input.roster
    ? input.roster.roster.agents.map((a) => a.email).filter((e) => !justcallEmails.has(normalizeEmail(e)))
    : [];
  // v1's status says Pending until the invitation is accepted; v2.1's is availability (the contract
  // maps available/on_call onto the guide's words), which says nothing of invitations.
  const showsInvitations = input.account.apiVersion === "v1" && agents.some((a) => a.status !== null);
  const withFinding = (f: Finding) => agents.filter((a) => a.findings.some((x) => x.finding === f)).length;
  return {
    takenAt: input.takenAt,
    account: input.account,
    roster: input.roster?.file ?? null,
    hr: input.hr ? { file: input.hr.file, rows: input.hr.index.rows } : null,
    requests: input.requests,
    counts: {
      agents: agents.length,
      privileged: withFinding("privileged"),
      notManaged: input.roster ? withFinding("not-managed") : null,
      notEmployed: input.hr ? withFinding("not-employed") : null,
      notYetActive: showsInvitations ? withFinding("not-yet-active") : null,
      numbers: numbers.length,
      numbersHeldByFlagged: numbers.filter((n) => n.holderFindings.length > 0).length,
      numbersHeldByNoOne: numbers.filter((n) => n.assignedTo === null).length,
      rosterOnly: input.roster ? rosterOnly.length : null,
    },
    agents,
    numbers,
    rosterOnly,
  };
}

/** v1's status until the invitation is accepted; v2.1 reports availability only (docs/review.md). */
function isPending(status: string | null): boolean {
  return status !== null && /^(pending|invited)$/i.test(status.trim());
}
