// justcall-roster's help: a short overview, and each command's own (`justcall-roster <command>
// --help`); summarize's is beside its code (summarize/command.ts).
import { DEFAULT_BASE_URL, SETTING_SOURCES } from "../provider/settings";
import { EXIT_CODES_HELP } from "./exit-codes";

export const COMMANDS = ["export", "validate", "summarize", "review"] as const;

export const OVERVIEW_HELP = `Usage: justcall-roster <command> [options]

Commands:
  validate [roster.yaml]    Check a roster file as the stack does (offline; --account: also
                            its teams and numbers against the JustCall account)
  export [--out <file>]     Write the roster that reproduces a JustCall account, for adoption
  summarize [preview.json]  Say in plain language what \`pulumi preview --json\` will do
  review [--roster <file>] [--hr <file.csv>]
                            An access review of the account: who has JustCall, with which
                            role, checked against the roster and the HR export (list calls only)

Run \`justcall-roster <command> --help\` for a command's options.
  -h, --help                This text
  --version                 The package's version

${EXIT_CODES_HELP}See docs/roster-cli.md.
`;

const { apiKey, apiSecret, baseUrl, rateLimit, apiVersion } = SETTING_SOURCES;

const settingsHelp = (when: string) => `Settings${when}: each from its flag, else its environment variable, else, in a
Pulumi project (a Pulumi.yaml in this folder), the stack's config (\`pulumi config --json
--show-secrets\`; the secret is never printed):
  --api-key <key>       $${apiKey.env}, else ${apiKey.config}
  --api-secret-stdin    The secret on standard input. Else $${apiSecret.env}, else ${apiSecret.config}
                        (never on the command line: shell history, ps and CI logs would show it)
  --base-url <url>      $${baseUrl.env}, else ${baseUrl.config}, else ${DEFAULT_BASE_URL}
  --rate-limit <rate>   Starting budget, e.g. 100/60s. $${rateLimit.env}, else ${rateLimit.config}, else the API's
  --api-version <v>     v1 (default) or v2.1. $${apiVersion.env}, else ${apiVersion.config}
  --stack <name>        The stack whose config is read. Default: the selected stack
`;

export const VALIDATE_HELP = `Usage: justcall-roster validate [roster.yaml] [--account] [--format text|github] [settings]

Checks a roster file (default roster.yaml) as the stack does, and changes nothing: fields and
duplicates; with --account, also that its teams and numbers exist in the JustCall account.
Problems go to standard output, a one-line summary to standard error.

Options:
  --account             Also check teams and numbers against the JustCall account (needs credentials)
  --format <format>     text (default): one line per problem, file:line: ...
                        github: GitHub workflow annotations (::error file=...,line=...,col=...::...)
  -h, --help            This text

${settingsHelp(" (with --account)")}
${EXIT_CODES_HELP}`;

export const EXPORT_HELP = `Usage: justcall-roster export [--out roster.yaml] [--force] [--not-authoritative] [settings]

Reads the JustCall account (agents, teams, numbers; every page, within the rate limit) and writes
a roster that reproduces it, so that the first \`pulumi up\` adopts everyone and invites no one.
The file's first line names the roster's JSON Schema for editors.

Options:
  --out <file>          Where to write ("-" for standard output). Default: roster.yaml
  --force               Overwrite an existing file
  --not-authoritative   Write authoritative: false (agents outside the roster are then ignored)
  -h, --help            This text

${settingsHelp("")}
${EXIT_CODES_HELP}`;

export const REVIEW_HELP = `Usage: justcall-roster review [--roster roster.yaml] [--hr hr.csv] [--markdown|--csv|--json <file>] [settings]

Reads the JustCall account (the agent, team and number lists, every page: list calls only, no
write) and writes a dated access review: every agent with role, status, teams and numbers;
privileged access (admins, the Account Owner, custom roles); agents not in the roster; agents
absent from the HR export or marked as having left; invitations never accepted (v1 only); numbers
held by someone flagged and numbers held by no one. Progress goes to standard error (one line per
page when standard error is not a terminal). See docs/review.md.

Options:
  --roster <file>       Check who is managed against this roster (else "not checked")
  --hr <file.csv>       Check who is employed against this HR export (a CSV with a header row)
  --hr-email-column <c>       Its email column. Default: email
  --hr-status-column <c>      Its status column. Default: status
  --hr-terminated-values <v>  Status values, comma-separated, that mean the person left (any
                              case). Default: terminated. Absent from the file also means left.
  --markdown <file>     Write the review as Markdown (an issue or pull-request comment)
  --csv <file>          Write it as CSV (one row per agent, then each number held by no one)
  --json <file>         Write it as JSON (for other tools)
                        "-" is standard output; with none of the three: Markdown to standard output
  --account-name <name> The account's name for the title (the API does not say it). Default: the host
  --max-rows <n>        Rows per Markdown table, the rest in the CSV. Default: 200
  -h, --help            This text

${settingsHelp("")}
${EXIT_CODES_HELP}`;
