// `justcall-roster validate`: the stack's roster checks on one file, without Pulumi and without
// changing anything. Offline by default; given a client, also the checks against the account.
import * as path from "node:path";
import type { JustCallClient } from "../provider/client";
import type { AccountCatalog } from "./schema";
import { formatGithubAnnotation, formatIssue, validateRosterText } from "./validate";

export type ValidateFormat = "text" | "github";
export const VALIDATE_FORMATS: readonly ValidateFormat[] = ["text", "github"];

/** The account's teams and numbers: what a roster may refer to (the stack reads the same). */
export async function readAccountCatalog(client: JustCallClient): Promise<AccountCatalog> {
  const [teams, numbers] = await Promise.all([client.teams(), client.numbers()]);
  return { teams: teams.map((t) => t.name), numbers: numbers.map((n) => n.number) };
}

export interface ValidateReport {
  /** One line per problem, for standard output (text or GitHub annotations). */
  problems: string[];
  /** One line for people: valid or how many problems, and what was checked. */
  summary: string;
  valid: boolean;
}

/**
 * Checks roster text as the stack does. `account` (its catalog and host) adds the checks of teams
 * and numbers. `annotationFile` is the path GitHub annotations name (relative to the repository).
 */
export function validateReport(
  text: string,
  file: string,
  options: { format: ValidateFormat; account?: { catalog: AccountCatalog; host: string }; annotationFile?: string },
): ValidateReport {
  const result = validateRosterText(text, { catalog: options.account?.catalog });
  const checked = options.account
    ? `teams and numbers checked against the JustCall account at ${options.account.host}`
    : "offline checks; add --account to check teams and numbers against JustCall";
  if (result.ok) {
    const n = result.roster.agents.length;
    return { valid: true, problems: [], summary: `${file}: valid, ${n} ${n === 1 ? "agent" : "agents"} (${checked})` };
  }
  const annotationFile = options.annotationFile ?? file;
  const problems = result.issues.map((issue) =>
    options.format === "github" ? formatGithubAnnotation(annotationFile, issue) : formatIssue(file, issue),
  );
  const n = result.issues.length;
  return { valid: false, problems, summary: `${file}: ${n} ${n === 1 ? "problem" : "problems"} (${checked})` };
}

/**
 * The roster's path as GitHub annotations need it: relative to the repository root
 * ($GITHUB_WORKSPACE in a workflow, else the current folder), with forward slashes.
 */
export function annotationPath(file: string, cwd: string, workspace?: string): string {
  return path
    .relative(workspace || cwd, path.resolve(cwd, file))
    .split(path.sep)
    .join("/");
}
