// The review as CSV, for the auditor's spreadsheet: one row per agent, then one per number held
// by no one, each stamped with the date and account, so a row copied elsewhere still says where
// it came from. RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, @, a tab, a
// carriage return, or + and - before anything but a plain number) is prefixed with a quote.
import { FINDINGS, type Review } from "./classify";

export const CSV_COLUMNS = [
  "taken_at",
  "account",
  "record",
  "email",
  "name",
  "role",
  "status",
  "teams",
  "numbers",
  "hr_status",
  ...FINDINGS.map((f) => f.replace(/-/g, "_")),
  "findings",
] as const;

function cell(value: string): string {
  const inert = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-]\d+$/.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

export function renderCsv(r: Review): string {
  const stamp = [r.takenAt, r.account.host];
  const yes = (b: boolean) => (b ? "yes" : "");
  const rows: string[][] = [
    [...CSV_COLUMNS],
    ...r.agents.map((a) => [
      ...stamp,
      "agent",
      a.email,
      a.name,
      a.role ?? "",
      a.status ?? "",
      a.teams.join("; "),
      a.numbers.join("; "),
      a.hrStatus === undefined ? "" : (a.hrStatus ?? "(not in the export)"),
      ...FINDINGS.map((f) => {
        const unchecked = {
          "not-managed": !r.roster,
          "not-employed": !r.hr,
          "not-yet-active": r.counts.notYetActive === null,
          privileged: false,
        };
        if (unchecked[f]) return "not checked";
        return yes(a.findings.some((x) => x.finding === f));
      }),
      a.findings.map((f) => f.reason).join("; "),
    ]),
    ...r.numbers
      .filter((n) => n.assignedTo === null)
      .map((n) => [...stamp, "number", "", "", "", "", "", n.number, "", ...FINDINGS.map(() => ""), "held by no one"]),
  ];
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}
