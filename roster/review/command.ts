// `justcall-roster review`: the account's access review (docs/review.md). Reads the account with
// list calls only, and, when given, the roster and an HR export; writes Markdown, CSV or JSON.
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliIo } from "../cli";
import { accountClient, SETTING_OPTIONS } from "../cli-account";
import { commandArgs, usageError } from "../cli-args";
import { REVIEW_HELP } from "../cli-help";
import { EXIT, exitCodeFor } from "../exit-codes";
import type { Roster } from "../schema";
import { inert } from "../summarize/render";
import { loadRoster } from "../validate";
import { classify } from "./classify";
import { DEFAULT_HR_MAPPING, HrFileError, type HrIndex, readHrCsv } from "./hr";
import { type ReadProgress, readAccount } from "./read";
import { renderCsv } from "./render-csv";
import { renderJson } from "./render-json";
import { renderMarkdown } from "./render-markdown";

type Env = Record<string, string | undefined>;

const FORMATS = { markdown: renderMarkdown, csv: renderCsv, json: renderJson } as const;
type Format = keyof typeof FORMATS;

export async function reviewCommand(args: string[], env: Env, io: CliIo, cwd: string): Promise<number> {
  const parsed = commandArgs("review", REVIEW_HELP, args, io, {
    ...SETTING_OPTIONS,
    roster: { type: "string" },
    hr: { type: "string" },
    "hr-email-column": { type: "string", default: DEFAULT_HR_MAPPING.emailColumn },
    "hr-status-column": { type: "string", default: DEFAULT_HR_MAPPING.statusColumn },
    "hr-terminated-values": { type: "string", default: DEFAULT_HR_MAPPING.terminatedValues.join(",") },
    markdown: { type: "string" },
    csv: { type: "string" },
    json: { type: "string" },
    "account-name": { type: "string" },
    "max-rows": { type: "string", default: "200" },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0)
    return usageError("review", `unexpected argument "${positionals[0]}" (the files are --roster, --hr, --markdown, --csv, --json)`, io);
  const outputs = (Object.keys(FORMATS) as Format[]).flatMap((f) => (values[f] === undefined ? [] : [{ format: f, file: values[f]! }]));
  if (outputs.length === 0) outputs.push({ format: "markdown", file: "-" });
  if (outputs.filter((o) => o.file === "-").length > 1) return usageError("review", 'only one format can go to standard output ("-")', io);
  const maxRows = Number(values["max-rows"]);
  if (!Number.isInteger(maxRows) || maxRows < 1)
    return usageError("review", `--max-rows must be a whole number of at least 1, not "${values["max-rows"]}"`, io);
  if (values.hr === undefined && args.some((a) => a.startsWith("--hr-")))
    return usageError("review", "the --hr-* options describe the HR export: give it with --hr <file.csv>", io);

  const read = (file: string, what: string): string | number => {
    try {
      return fs.readFileSync(path.resolve(cwd, file), "utf8");
    } catch (err) {
      io.stderr.write(
        `justcall-roster: cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`,
      );
      return EXIT.usage;
    }
  };
  let roster: { file: string; roster: Roster } | undefined;
  if (values.roster !== undefined) {
    const text = read(values.roster, "roster");
    if (typeof text === "number") return text;
    try {
      roster = { file: values.roster, roster: loadRoster(text, values.roster) };
    } catch (err) {
      io.stderr.write(`justcall-roster: the roster has problems; fix them first (justcall-roster validate):\n${(err as Error).message}\n`);
      return EXIT.failed;
    }
  }
  let hr: { file: string; index: HrIndex } | undefined;
  if (values.hr !== undefined) {
    const text = read(values.hr, "HR export");
    if (typeof text === "number") return text;
    try {
      const terminatedValues = values["hr-terminated-values"]!.split(",")
        .map((v) => v.trim())
        .filter(Boolean);
      hr = {
        file: values.hr,
        index: readHrCsv(text, { emailColumn: values["hr-email-column"]!, statusColumn: values["hr-status-column"]!, terminatedValues }),
      };
    } catch (err) {
      if (!(err instanceof HrFileError)) throw err;
      io.stderr.write(`justcall-roster: the HR export ${values.hr}: ${err.message}\n`);
      return EXIT.failed;
    }
  }

  const connected = await accountClient(values, env, io, cwd);
  if (typeof connected === "number") return connected;
  const { client, host } = connected;
  const tty = io.stderr.isTTY === true;
  const progress = (p: ReadProgress, newPage: boolean) => {
    const waited = p.waitedMs >= 1000 ? `, waited ${(p.waitedMs / 1000).toFixed(1)}s for the rate limit` : "";
    const line = `justcall-roster: ${p.phase}: ${p.pages} ${p.pages === 1 ? "page" : "pages"} read (${p.requests} requests${waited})`;
    // A terminal: one line, rewritten; a CI log: one line per page.
    if (tty) io.stderr.write(`\r\x1b[K${line}`);
    else if (newPage) io.stderr.write(`${line}\n`);
  };
  let review;
  try {
    const takenAt = new Date().toISOString();
    const lists = await readAccount(client, progress);
    if (tty) io.stderr.write("\n");
    const name = values["account-name"];
    review = classify({
      takenAt,
      account: { host, ...(name ? { name } : {}), apiVersion: client.apiVersion },
      ...lists,
      requests: client.metrics().requests,
      roster,
      hr,
    });
  } catch (err) {
    if (tty) io.stderr.write("\n");
    io.stderr.write(`justcall-roster: review failed: ${(err as Error).message}\n`);
    return exitCodeFor(err);
  } finally {
    await client.close();
  }

  for (const { format, file } of outputs) {
    const text = format === "markdown" ? renderMarkdown(review, { maxRows }) : FORMATS[format](review);
    if (file === "-") io.stdout.write(text);
    else {
      try {
        fs.writeFileSync(path.resolve(cwd, file), text);
      } catch (err) {
        io.stderr.write(`justcall-roster: cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
        return EXIT.failed;
      }
    }
  }
  const c = review.counts;
  const n = (x: number | null, what: string) => (x === null ? `${what} not checked` : `${x} ${what}`);
  io.stderr.write(
    `justcall-roster: access review of ${inert(host)}: ${c.agents} agents; ${c.privileged} privileged, ${n(c.notManaged, "not managed")}, ` +
      `${n(c.notEmployed, "not employed")}, ${n(c.notYetActive, "not yet active")}; ${c.numbersHeldByFlagged} numbers held by someone flagged, ` +
      `${c.numbersHeldByNoOne} held by no one${
        outputs.some((o) => o.file !== "-")
          ? `; wrote ${outputs
              .filter((o) => o.file !== "-")
              .map((o) => o.file)
              .join(", ")}`
          : ""
      }\n`,
  );
  return EXIT.ok;
}
