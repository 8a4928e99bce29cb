// An HR system's CSV export → roster data: active employees are in, terminated employees are out
// (so the next `pulumi up` removes them from JustCall). Pure: text in, roster data out.
import { parse } from "csv-parse/sync";

export interface HrRow {
  employee_id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: string;
  department: string;
  job_title: string;
  time_zone: string;
  justcall_numbers: string;
}

/**
 * HR departments → JustCall teams (teams are created in the JustCall dashboard). A Map, not an
 * object: a department named like an object's property (`constructor`, `toString`) is then just
 * a department that is not listed.
 */
export const DEPARTMENT_TEAMS: ReadonlyMap<string, string[]> = new Map([
  ["Customer Support", ["Support"]],
  ["Inside Sales", ["Sales"]],
  ["Finance", ["Billing"]],
  ["Support Operations", ["Support", "Billing"]],
]);

/** Job titles that make a JustCall supervisor. */
const SUPERVISOR_TITLE = /\b(lead|manager|head)\b/i;

/**
 * `ownsRoles`: HR is the source of truth for JustCall roles, so job titles set them. Off by
 * default: roles are then left out of the roster, and an omitted role is not managed, so adopting
 * an account keeps every admin, the Account Owner and custom roles as JustCall has them. Turn it
 * on only when HR's titles really decide who supervises; a change of an admin's role still needs
 * JUSTCALL_ALLOW_ROLE_CHANGES for that run.
 */
export function rosterFromHrCsv(
  text: string,
  options: { ownsRoles?: boolean } = {},
): { authoritative: boolean; agents: Record<string, unknown>[] } {
  const rows: HrRow[] = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  const active = rows.filter((row) => row.status.toLowerCase() === "active" && DEPARTMENT_TEAMS.has(row.department));
  const agents = active.map((row) => {
    const agent: Record<string, unknown> = {
      email: row.email.toLowerCase(),
      firstname: row.first_name,
      lastname: row.last_name,
      teams: DEPARTMENT_TEAMS.get(row.department),
    };
    if (options.ownsRoles) agent.role = SUPERVISOR_TITLE.test(row.job_title) ? "supervisor" : "agent";
    if (row.time_zone) agent.timezone = row.time_zone;
    const numbers = row.justcall_numbers.split(/[;\s]+/).filter(Boolean);
    if (numbers.length > 0) agent.numbers = numbers;
    return agent;
  });
  // Not authoritative: people in JustCall who are not in HR's phone departments are left alone.
  return { authoritative: false, agents };
}
