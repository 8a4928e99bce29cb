#!/usr/bin/env node
// justcall-roster: `export` writes the roster.yaml that reproduces a live JustCall account;
// `validate` checks a roster file as the stack does, offline or against the account; `review`
// writes the account's access review.
import * as fs from "node:fs";
import * as path from "node:path";
import { commandArgs, nearest, usageError } from "./cli-args";
import { COMMANDS, EXPORT_HELP, OVERVIEW_HELP, VALIDATE_HELP } from "./cli-help";
import { accountClient, SETTING_OPTIONS } from "./cli-account";
import { EXIT, exitCodeFor } from "./exit-codes";
import { exportRoster, type ExportProgress, rosterYaml } from "./export";
import { schemaModeline, schemaReference } from "./json-schema";
import type { AccountCatalog } from "./schema";
import { annotationPath, readAccountCatalog, VALIDATE_FORMATS, type ValidateFormat, validateReport } from "./validate-command";
import { reviewCommand } from "./review/command";
import { summarizeCommand } from "./summarize";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Standard input, whole (summarize's `-`, --api-secret-stdin); the process's by default. */
  readStdin?: () => Promise<string>;
}

type Env = Record<string, string | undefined>;

/** The package's version, from its package.json (two folders up from dist/roster). */
export function packageVersion(): string {
  return require("../../package.json").version as string;
}

/** Runs the CLI; returns the exit code (the table in exit-codes.ts). */
export async function main(argv: string[], env: Env, io: CliIo, cwd: string = process.cwd()): Promise<number> {
  const [command, ...args] = argv;
  if (command === "--version") {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (command === "-h" || command === "--help") {
    io.stdout.write(OVERVIEW_HELP);
    return EXIT.ok;
  }
  if (command === "export") return exportCommand(args, env, io, cwd);
  if (command === "validate") return validateCommand(args, env, io, cwd);
  // summarize reads a preview's JSON and needs no credentials: its own options and help.
  if (command === "summarize") return summarizeCommand(args, io);
  if (command === "review") return reviewCommand(args, env, io, cwd);
  if (command === undefined) {
    io.stderr.write(OVERVIEW_HELP);
    return EXIT.usage;
  }
  const near = nearest(command, [...COMMANDS, "--help", "--version"]);
  return usageError(undefined, `unknown command "${command}"${near ? ` (did you mean ${near}?)` : ""}`, io);
}

async function validateCommand(args: string[], env: Env, io: CliIo, cwd: string): Promise<number> {
  const parsed = commandArgs("validate", VALIDATE_HELP, args, io, {
    ...SETTING_OPTIONS,
    account: { type: "boolean", default: false },
    format: { type: "string", default: "text" },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const format = values.format as ValidateFormat;
  if (!VALIDATE_FORMATS.includes(format))
    return usageError("validate", `--format must be ${VALIDATE_FORMATS.join(" or ")}, not "${values.format}"`, io);
  if (positionals.length > 1) return usageError("validate", `one roster file at a time, not ${positionals.length}`, io);
  const file = positionals[0] ?? "roster.yaml";

  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), "utf8");
  } catch (err) {
    io.stderr.write(`justcall-roster: cannot read the roster ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return EXIT.usage;
  }

  let account: { catalog: AccountCatalog; host: string } | undefined;
  if (values.account) {
    const connected = await accountClient(values, env, io, cwd);
    if (typeof connected === "number") return connected;
    try {
      account = { catalog: await readAccountCatalog(connected.client), host: connected.host };
    } catch (err) {
      io.stderr.write(
        `justcall-roster: cannot read the teams and numbers of the JustCall account at ${connected.host}: ${(err as Error).message}\n`,
      );
      return exitCodeFor(err);
    } finally {
      await connected.client.close();
    }
  }

  const report = validateReport(text, file, { format, account, annotationFile: annotationPath(file, cwd, env.GITHUB_WORKSPACE) });
  for (const line of report.problems) io.stdout.write(`${line}\n`);
  io.stderr.write(`justcall-roster: ${report.summary}\n`);
  return report.valid ? EXIT.ok : EXIT.failed;
}

async function exportCommand(args: string[], env: Env, io: CliIo, cwd: string): Promise<number> {
  const parsed = commandArgs("export", EXPORT_HELP, args, io, {
    ...SETTING_OPTIONS,
    out: { type: "string", default: "roster.yaml" },
    force: { type: "boolean", default: false },
    "not-authoritative": { type: "boolean", default: false },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0) return usageError("export", `unexpected argument "${positionals[0]}" (the file is --out <file>)`, io);

  const connected = await accountClient(values, env, io, cwd);
  if (typeof connected === "number") return connected;
  const { client, host } = connected;
  const out = values.out!;
  const outPath = path.resolve(cwd, out);
  // Checked now to fail before reading the account, and again when writing (writeRosterFile).
  if (out !== "-" && !values.force && (fs.existsSync(outPath) || isSymlink(outPath))) {
    await client.close();
    io.stderr.write(`justcall-roster: ${out} exists; pass --force to overwrite it, or --out another file\n`);
    return EXIT.failed;
  }

  const tty = io.stderr.isTTY === true;
  const progress = (p: ExportProgress) => {
    if (!tty) return;
    const waited = p.waitedMs >= 1000 ? `, waited ${(p.waitedMs / 1000).toFixed(1)}s for the rate limit` : "";
    const what = p.phase === "done" ? "read" : `reading ${p.phase}`;
    io.stderr.write(`\r\x1b[Kjustcall-roster: ${what} (${p.requests} requests${waited})`);
  };
  let current: ExportProgress = { phase: "agents", requests: 0, waitedMs: 0 };
  // Also between events: a long wait for the rate limit still moves the line.
  const timer = tty ? setInterval(() => progress(current), 250) : undefined;
  try {
    const roster = await exportRoster(client, {
      authoritative: !values["not-authoritative"],
      // What the roster cannot express is left out; each omission is said, on its own line.
      onNote: (n) => io.stderr.write(`${tty ? "\r\x1b[K" : ""}justcall-roster: note: ${n}\n`),
      onProgress: (p) => {
        current = p;
        progress(p);
      },
    });
    if (tty) io.stderr.write("\n");
    const header = [
      // Editors read this line; it assumes the package is installed in node_modules of the folder export runs in.
      schemaModeline(schemaReference(out === "-" ? "roster.yaml" : out, cwd)),
      `Exported from ${host} by justcall-roster on ${new Date().toISOString().slice(0, 10)}.`,
      "The first `pulumi up` with this roster adopts these agents: no invitation is sent.",
    ].join("\n");
    const yaml = rosterYaml(roster, header);
    if (out === "-") io.stdout.write(yaml);
    else if (!writeRosterFile(outPath, yaml, values.force === true)) {
      io.stderr.write(
        `justcall-roster: ${out} exists (it appeared during the export); pass --force to overwrite it, or --out another file\n`,
      );
      return EXIT.failed;
    }
    const teams = new Set(roster.agents.flatMap((a) => a.teams ?? [])).size;
    const numbers = roster.agents.reduce((n, a) => n + (a.numbers?.length ?? 0), 0);
    io.stderr.write(
      `justcall-roster: wrote ${out === "-" ? "the roster" : out}: ${roster.agents.length} agents, ${teams} teams in use, ${numbers} assigned numbers\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (tty) io.stderr.write("\n");
    io.stderr.write(`justcall-roster: export failed: ${(err as Error).message}\n`);
    return exitCodeFor(err);
  } finally {
    if (timer) clearInterval(timer);
    await client.close();
  }
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Writes `text` to `file` atomically: into a temporary file beside it, then moved into place, so
 * that a reader (or a crash) never sees half a roster. Without `force`, the move is a hard link,
 * which fails when anything exists at `file` at that moment (a file made during the export, or a
 * symlink, dangling or not: it is not followed); returns false then. With `force`, a rename
 * replaces what is there, a symlink itself rather than its target.
 */
export function writeRosterFile(file: string, text: string, force: boolean): boolean {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(temporary, text, { flag: "wx", mode: 0o644 });
  try {
    if (force) {
      fs.renameSync(temporary, file);
      return true;
    }
    try {
      fs.linkSync(temporary, file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw err;
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, process).then((code) => {
    process.exitCode = code;
  });
}
