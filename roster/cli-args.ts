// The command line of justcall-roster's commands: options parsed with node:util's parseArgs, and
// bad usage told in our words (an unknown option with the nearest known one, a missing value),
// then one line that points at the command's --help, never the whole help.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { EXIT } from "./exit-codes";

/** Bad usage: the message says what is wrong, without the program's name. */
export class UsageError extends Error {}

/** Where a command writes its messages. */
export interface UsageIo {
  stderr: { write(s: string): unknown };
}

/**
 * `message` and the way to the help, on standard error; returns the usage exit code.
 * `command` undefined: the program itself (an unknown command).
 */
export function usageError(command: string | undefined, message: string, io: UsageIo): number {
  const name = command === undefined ? "justcall-roster" : `justcall-roster ${command}`;
  io.stderr.write(`${name}: ${message}\nRun \`${name} --help\` for ${command === undefined ? "the commands" : "its options"}.\n`);
  return EXIT.usage;
}

/** `args` parsed as `options` allow; throws UsageError for an unknown option or a missing or unwanted value. */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  // First leniently, to see each option as written; then strictly, for the values.
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = options[token.name];
    if (option === undefined) {
      const known = Object.keys(options).map((name) => `--${name}`);
      const near = nearest(token.rawName, known);
      throw new UsageError(`unknown option ${token.rawName}${near ? ` (did you mean ${near}?)` : ""}`);
    }
    if (option.type === "string" && token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    if (option.type === "string" && !token.inlineValue && isOptionLike(token.value!)) {
      throw new UsageError(
        `${token.rawName} needs a value, not the option ${token.value} (a value that starts with "-": ${token.rawName}=<value>)`,
      );
    }
    if (option.type === "boolean" && token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (err) {
    // Not expected after the checks above; parseArgs's own words, first line only.
    throw new UsageError((err as Error).message.split("\n")[0]);
  }
}

/** The candidate closest to `word` by edit distance, when close enough to be a typo (1 edit in a short word, 2 in a longer one). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  const length = word.replace(/^-+/, "").length;
  const allowed = length <= 2 ? 0 : length <= 5 ? 1 : 2;
  return best && best.distance <= allowed ? best.candidate : undefined;
}

/** What parseArgs takes for an option rather than a value: "-" alone is a value (standard output). */
const isOptionLike = (value: string) => value.length > 1 && value.startsWith("-");

/** Edit distance: insertions, deletions, substitutions and swaps of two neighbours (`focre` is 1 from `force`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** A command's options and positionals; else its exit code, said: usage after bad usage, ok after --help. */
export function commandArgs<O extends ParseArgsOptionsConfig>(
  command: string,
  help: string,
  args: string[],
  io: UsageIo & { stdout: { write(s: string): unknown } },
  options: O,
) {
  let parsed;
  try {
    parsed = parseCommandArgs(args, options);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usageError(command, err.message, io);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(help);
    return EXIT.ok;
  }
  return parsed;
}
