// justcall-roster's exit codes: one table for every command, so that a script or CI job can tell
// "the roster is wrong" from "the check could not run" and why. docs/roster-cli.md lists them.
import { AuthError, ConfigurationError, JustCallError } from "../provider/client/errors";

export const EXIT = {
  /** Done: the roster is valid, the roster was written, the preview was summarized. */
  ok: 0,
  /** The roster has problems (each printed), or the command failed on its own files (the output file exists, the input is not a preview). */
  failed: 1,
  /** Bad usage: an unknown command or option, a bad value, an extra argument, an input file that cannot be read. */
  usage: 2,
  /** Credentials or settings: none found, a malformed setting, a host the key may not go to, or JustCall refused them (401, 403). */
  credentials: 3,
  /** JustCall unreachable, or failing (errors after the retries, an answer that is not the API's). */
  justcall: 4,
} as const;

/** The table in a few lines, for each command's --help. */
export const EXIT_CODES_HELP = `Exit codes: 0 done; 1 roster problems, or the command failed on its files; 2 bad usage or
an unreadable file; 3 credentials or settings missing, malformed or refused; 4 JustCall
unreachable or failing.
`;

/** The exit code for an error met while setting up or talking to JustCall. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof AuthError || err instanceof ConfigurationError) return EXIT.credentials;
  if (err instanceof JustCallError) return EXIT.justcall;
  return EXIT.failed;
}
