// The HR export an access review checks employment against: a CSV with one row per employee,
// read with the conventions of examples/hr-sync (a header row, `email` and `status` columns,
// "terminated" for a leaver). Column names and the values that mean "left" are options, since
// every HR system names them its own way. Pure: text in, an index by email out.
import { parse } from "csv-parse/sync";
import { normalizeEmail } from "../../provider/client/shapes";

export interface HrMapping {
  emailColumn: string;
  statusColumn: string;
  /** Status values (compared without case or surrounding spaces) that mean the person has left. */
  terminatedValues: string[];
}

export const DEFAULT_HR_MAPPING: HrMapping = { emailColumn: "email", statusColumn: "status", terminatedValues: ["terminated"] };

export interface HrRecord {
  /** The status as HR wrote it ("" when the cell is empty). */
  status: string;
  terminated: boolean;
}

export interface HrIndex {
  rows: number;
  byEmail: Map<string, HrRecord>;
}

/** A CSV the review cannot use: the message names the file's columns. */
export class HrFileError extends Error {}

export function readHrCsv(text: string, mapping: HrMapping = DEFAULT_HR_MAPPING): HrIndex {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new HrFileError(`not a CSV file with a header row: ${(err as Error).message}`);
  }
  const columns = rows.length > 0 ? Object.keys(rows[0]) : headerOf(text);
  for (const [flag, column] of [
    ["--hr-email-column", mapping.emailColumn],
    ["--hr-status-column", mapping.statusColumn],
  ] as const) {
    if (!columns.includes(column)) {
      throw new HrFileError(`no column "${column}" (${flag}); its columns: ${columns.join(", ") || "none"}`);
    }
  }
  const terminated = new Set(mapping.terminatedValues.map((v) => v.trim().toLowerCase()));
  const byEmail = new Map<string, HrRecord>();
  for (const row of rows) {
    const email = row[mapping.emailColumn] ?? "";
    if (email === "") continue;
    const status = row[mapping.statusColumn] ?? "";
    const record = { status, terminated: terminated.has(status.toLowerCase()) };
    const key = normalizeEmail(email);
    // A person listed twice (rehired, moved) is employed when any of their rows says so.
    const earlier = byEmail.get(key);
    if (!earlier || (earlier.terminated && !record.terminated)) byEmail.set(key, record);
  }
  return { rows: rows.length, byEmail };
}

function headerOf(text: string): string[] {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return first === "" ? [] : parse(first, { trim: true })[0];
}
