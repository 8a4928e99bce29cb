// The review as Markdown: an issue or pull-request comment, as docs/review.png shows it. Every
// name and email comes from the account, so each is escaped (summarize's md: no link, mention,
// HTML or table can form). Each table stops at `maxRows`, pointing at the CSV for the rest, so a
// large account's review still fits in an issue (GitHub takes 65,536 characters).
import { md } from "../summarize/render";
import { type Finding, FINDINGS, type Review, type ReviewedAgent } from "./classify";

export const FINDING_TITLES: Record<Finding, string> = {
  privileged: "Privileged access",
  "not-managed": "Not managed",
  "not-employed": "Not employed",
  "not-yet-active": "Not yet active",
};

const SECTION_NOTES: Record<Finding, string> = {
  privileged: "Admins and every role other than agent and supervisor (the Account Owner, custom roles).",
  "not-managed": "In JustCall, not in the roster: access granted by hand in the dashboard.",
  "not-employed": "In JustCall, but absent from the HR export or marked as having left there.",
  "not-yet-active": 'Invited and never accepted: v1\'s status "Pending", when the agent list reports a status.',
};

const count = (n: number | null) => (n === null ? "not checked" : n.toLocaleString("en"));
const list = (xs: string[]) => (xs.length === 0 ? "" : xs.map((x) => md(x)).join(", "));
const person = (a: { name: string; email: string }) => (a.name ? `${md(a.name)} (${md(a.email)})` : md(a.email));

function table(header: string[], rows: string[][], maxRows: number): string[] {
  const shown = rows.slice(0, maxRows);
  const out = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...shown.map((r) => `| ${r.join(" | ")} |`)];
  if (rows.length > shown.length) out.push("", `…and ${(rows.length - shown.length).toLocaleString("en")} more: see the CSV.`);
  return out;
}

function reasons(a: ReviewedAgent, except?: Finding): string {
  return a.findings
    .filter((f) => f.finding !== except)
    .map((f) => md(f.reason))
    .join("; ");
}

export function renderMarkdown(r: Review, options: { maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? 200;
  const date = r.takenAt.slice(0, 10);
  const c = r.counts;
  const account = r.account.name ? `${md(r.account.name)} (${md(r.account.host)})` : md(r.account.host);
  const against = [
    r.roster ? `the roster ${md(r.roster)}` : undefined,
    r.hr ? `the HR export ${md(r.hr.file)} (${r.hr.rows} rows)` : undefined,
  ]
    .filter(Boolean)
    .join(" and ");
  const calls = Object.values(r.requests).reduce((n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  const out: string[] = [
    `## JustCall access review: ${account}, ${date}`,
    "",
    `Taken ${r.takenAt.replace(/\.\d+Z$/, "Z")} from the JustCall account at ${md(r.account.host)} (API ${r.account.apiVersion}), ` +
      `with list calls only (${calls} requests)${against ? `, checked against ${against}` : ""}.`,
    "",
    ...table(
      ["Agents", "Privileged", "Not managed", "Not employed", "Not yet active", "Numbers", "Held by someone flagged", "Held by no one"],
      [
        [
          count(c.agents),
          count(c.privileged),
          count(c.notManaged),
          count(c.notEmployed),
          count(c.notYetActive),
          count(c.numbers),
          count(c.numbersHeldByFlagged),
          count(c.numbersHeldByNoOne),
        ],
      ],
      1,
    ),
  ];
  const checked: Record<Finding, string | undefined> = {
    privileged: undefined,
    "not-managed": r.roster ? undefined : "Not checked: no roster given (`--roster roster.yaml`).",
    "not-employed": r.hr ? undefined : "Not checked: no HR export given (`--hr hr.csv`).",
    "not-yet-active":
      c.notYetActive === null
        ? "Not checked: JustCall's agent list does not say who accepted the invitation (v1: the list reported no status; v2.1: its status is availability). See docs/review.md."
        : undefined,
  };
  for (const finding of FINDINGS) {
    const who = r.agents.filter((a) => a.findings.some((f) => f.finding === finding));
    out.push("", `### ${FINDING_TITLES[finding]} (${checked[finding] ? "not checked" : who.length})`, "", SECTION_NOTES[finding], "");
    if (checked[finding]) out.push(checked[finding]!);
    else if (who.length === 0) out.push("None.");
    else
      out.push(
        ...table(
          ["Agent", "Role", "Status", finding === "not-employed" ? "HR status" : "Why", "Also flagged"],
          who.map((a) => [
            person(a),
            md(a.role ?? "not reported"),
            md(a.status ?? "not reported"),
            finding === "not-employed" ? md(a.hrStatus ?? "not in the export") : md(a.findings.find((f) => f.finding === finding)!.reason),
            reasons(a, finding),
          ]),
          maxRows,
        ),
      );
  }
  const flaggedNumbers = r.numbers.filter((n) => n.holderFindings.length > 0);
  const free = r.numbers.filter((n) => n.assignedTo === null);
  const byId = new Map(r.agents.map((a) => [a.id, a]));
  out.push("", `### Numbers held by someone flagged above (${flaggedNumbers.length})`, "");
  if (flaggedNumbers.length === 0) out.push("None.");
  else
    out.push(
      ...table(
        ["Number", "Held by", "Why"],
        flaggedNumbers.map((n) => [md(n.number), person(n.holder!), reasons(byId.get(n.holder!.id)!)]),
        maxRows,
      ),
    );
  out.push("", `### Numbers held by no one (${free.length})`, "");
  out.push(
    free.length === 0
      ? "None."
      : free
          .slice(0, maxRows)
          .map((n) => md(n.number))
          .join(", "),
  );
  if (free.length > maxRows) out.push("", `…and ${(free.length - maxRows).toLocaleString("en")} more: see the CSV.`);
  if (r.roster && r.rosterOnly.length > 0)
    out.push(
      "",
      `In the roster, not in JustCall (${r.rosterOnly.length}; invited by the next \`pulumi up\`, or removed by hand): ${list(r.rosterOnly.slice(0, maxRows))}.`,
    );
  out.push(
    "",
    `<details><summary>Every agent (${r.agents.length})</summary>`,
    "",
    ...table(
      ["Agent", "Role", "Status", "Teams", "Numbers", "Findings"],
      r.agents.map((a) => [
        person(a),
        md(a.role ?? "not reported"),
        md(a.status ?? "not reported"),
        list(a.teams),
        list(a.numbers),
        reasons(a),
      ]),
      maxRows,
    ),
    "",
    "</details>",
    "",
  );
  return out.join("\n");
}
