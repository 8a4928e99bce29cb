import { parseCommandArgs, UsageError, usageError } from "../cli-args";
import { EXIT, EXIT_CODES_HELP } from "../exit-codes";
import { SummarizeInputError } from "./engine-json";
import { summarizeEngineJson } from "./render";

export const SUMMARIZE_USAGE = `Usage: justcall-roster summarize [file|-] [--format markdown|text]

Reads what \`pulumi preview --json\` printed (from the file, or standard input) and says in plain
language what \`pulumi up\` will do to the JustCall roster: who is invited, adopted, removed
(deleted or kept), who changes team, which number goes from whom to whom, which fields change,
and what changed in JustCall outside the roster. A failed preview is shown first.

Add --show-sames to the preview so that everyone is named by name (not only by email).
Drift: \`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi refresh --preview-only --json\`.

Options:
  --format <f>   markdown (default, for a pull-request comment) or text (for a terminal)
  -h, --help     This text

${EXIT_CODES_HELP}`;

export interface SummarizeIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Standard input, read whole when the file is "-" or missing. */
  readStdin?: () => Promise<string>;
}

/** A stream read whole (standard input). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** `justcall-roster summarize`: returns the exit code (exit-codes.ts: 0 summarized, 1 not a preview, 2 usage or unreadable). */
export async function summarizeCommand(argv: string[], io: SummarizeIo): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandArgs(argv, {
      format: { type: "string", default: "markdown" },
      help: { type: "boolean", short: "h", default: false },
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usageError("summarize", err.message, io);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(SUMMARIZE_USAGE);
    return EXIT.ok;
  }
  const format = values.format;
  if (format !== "markdown" && format !== "text") return usageError("summarize", `--format must be markdown or text, not "${format}"`, io);
  if (positionals.length > 1) return usageError("summarize", `one preview at a time, not ${positionals.length}`, io);
  const file = positionals[0] ?? "-";
  let text: string;
  try {
    const fs = await import("node:fs");
    text = file === "-" ? await (io.readStdin ?? (() => readAll(process.stdin)))() : fs.readFileSync(file, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message ?? String(err);
    io.stderr.write(`justcall-roster summarize: cannot read ${file === "-" ? "standard input" : file}: ${why}\n`);
    return EXIT.usage;
  }
  try {
    io.stdout.write(summarizeEngineJson(text, format));
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof SummarizeInputError)) throw err;
    io.stderr.write(`justcall-roster summarize: ${file === "-" ? "standard input" : file}: ${err.message}\n`);
    return EXIT.failed;
  }
}
