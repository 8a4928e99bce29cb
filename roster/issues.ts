// A roster's problems and how they are told: one line each (file:line: entry: field: message),
// GitHub workflow annotations, and the error the stack throws. Pure functions.
export type PathKey = string | number;

export interface RosterIssue {
  /** 1-based line in the roster file, when the roster came from a file. */
  line?: number;
  /** 1-based column of the same place (for editors and GitHub annotations). */
  column?: number;
  /** The agent entry, e.g. `agent #3 (bob@acme.example)`; absent for file-level problems. */
  entry?: string;
  /** Where in the entry (or file), e.g. `numbers[1]`. */
  field?: string;
  message: string;
}

/** A place in the roster file: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Where a path of the parsed data starts in the source, or undefined. */
export type Locate = (path: PathKey[]) => Position | undefined;

export class RosterValidationError extends Error {
  constructor(
    readonly file: string,
    readonly issues: RosterIssue[],
  ) {
    super(formatIssues(file, issues));
    this.name = "RosterValidationError";
    // Pulumi's program runner prints a RunError's message alone, without a stack trace, and knows
    // one by this property (RunError.isInstance in @pulumi/pulumi): set here, so that this module
    // does not load the SDK.
    Object.defineProperty(this, "__pulumiRunError", { value: true });
  }
}

/** One line per problem: `roster.yaml:14: agent #3 (bob@acme.example): numbers[1]: ...`. */
export function formatIssue(file: string, issue: RosterIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}` : file;
  const parts = [where, issue.entry, issue.field].filter((p): p is string => p !== undefined && p !== "");
  return `${parts.join(": ")}: ${issue.message}`;
}

/**
 * One GitHub workflow annotation, so that a pull request shows the problem on its line:
 * `::error file=roster.yaml,line=14,col=9::agent #3 (bob@acme.example): numbers[1]: ...`.
 * `file` is relative to the repository root. Escaped as GitHub's toolkit does.
 */
export function formatGithubAnnotation(file: string, issue: RosterIssue): string {
  const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const property = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const properties = [`file=${property(file)}`];
  if (issue.line !== undefined) properties.push(`line=${issue.line}`);
  if (issue.column !== undefined) properties.push(`col=${issue.column}`);
  const message = [issue.entry, issue.field, issue.message].filter((p): p is string => p !== undefined && p !== "").join(": ");
  return `::error ${properties.join(",")}::${data(message)}`;
}

/** One problem on one line; several under a line that counts them. */
export function formatIssues(file: string, issues: RosterIssue[]): string {
  const n = issues.length;
  if (n === 1) return `${formatIssue(file, issues[0])} (nothing was changed)`;
  const head = `${file}: ${n} problems; nothing was changed:`;
  return [head, ...issues.map((i) => `  ${formatIssue(file, i)}`)].join("\n");
}
