#!/usr/bin/env node
// justcall-roster: `export` writes the roster.yaml that reproduces a live JustCall account.
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { createClient } from "../provider/client";
import { clientSettingsFrom, DEFAULT_BASE_URL, requireCredentials, resolveSettings, SETTING_SOURCES } from "../provider/settings";
import { exportRoster, ExportProgress, rosterYaml } from "./export";
import { summarizeCommand } from "./summarize";

const USAGE = `Usage: justcall-roster export [--out roster.yaml] [options]

Reads the JustCall account (agents, teams, numbers; every page, within the rate limit) and writes
a roster that reproduces it, so that the first \`pulumi up\` adopts everyone and invites no one.

Options:
  --out <file>          Where to write ("-" for standard output). Default: roster.yaml
  --force               Overwrite an existing file
  --api-key <key>       Default: $${SETTING_SOURCES.apiKey.env}
  --api-secret <secret> Default: $${SETTING_SOURCES.apiSecret.env}
  --base-url <url>      Default: $${SETTING_SOURCES.baseUrl.env}, else ${DEFAULT_BASE_URL}
  --rate-limit <rate>   Starting budget, e.g. 100/60s. Default: $${SETTING_SOURCES.rateLimit.env}, else the API's
  --api-version <v>     v1 (default) or v2.1. Default: $${SETTING_SOURCES.apiVersion.env}
  --not-authoritative   Write authoritative: false (agents outside the roster are then ignored)
  -h, --help            This text
`;

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

/** Runs the CLI; returns the exit code (0 done, 1 failed, 2 usage). */
export async function main(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  // summarize reads a preview's JSON and needs no credentials: its own options and usage.
  if (argv[0] === "summarize") return summarizeCommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string", default: "roster.yaml" },
        force: { type: "boolean", default: false },
        "api-key": { type: "string" },
        "api-secret": { type: "string" },
        "base-url": { type: "string" },
        "rate-limit": { type: "string" },
        "api-version": { type: "string" },
        "not-authoritative": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== "export") {
    io.stderr.write(USAGE);
    return 2;
  }

  // Flags first, then the same environment variables as the provider.
  const flags: Record<string, string | undefined> = {
    [SETTING_SOURCES.apiKey.config]: values["api-key"],
    [SETTING_SOURCES.apiSecret.config]: values["api-secret"],
    [SETTING_SOURCES.baseUrl.config]: values["base-url"],
    [SETTING_SOURCES.rateLimit.config]: values["rate-limit"],
    [SETTING_SOURCES.apiVersion.config]: values["api-version"],
  };
  let settings;
  try {
    settings = resolveSettings((key) => flags[key], env);
  } catch (err) {
    io.stderr.write(`justcall-roster: ${(err as Error).message}\n`);
    return 2;
  }
  if (!settings.apiKey || !settings.apiSecret) {
    io.stderr.write(
      `justcall-roster: no credentials: set ${SETTING_SOURCES.apiKey.env} and ${SETTING_SOURCES.apiSecret.env} ` +
        "(JustCall: Settings > Developer > API), or pass --api-key and --api-secret\n",
    );
    return 2;
  }
  const out = values.out!;
  if (out !== "-" && fs.existsSync(out) && !values.force) {
    io.stderr.write(`justcall-roster: ${out} exists; pass --force to overwrite it, or --out another file\n`);
    return 1;
  }

  let client;
  try {
    client = createClient({ ...clientSettingsFrom(requireCredentials(settings)), snapshot: false });
  } catch (err) {
    io.stderr.write(`justcall-roster: ${(err as Error).message}\n`);
    return 2;
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
      onProgress: (p) => {
        current = p;
        progress(p);
      },
    });
    if (tty) io.stderr.write("\n");
    const header = [
      `Exported from ${new URL(settings.baseUrl).host} by justcall-roster on ${new Date().toISOString().slice(0, 10)}.`,
      "The first `pulumi up` with this roster adopts these agents: no invitation is sent.",
    ].join("\n");
    const yaml = rosterYaml(roster, header);
    if (out === "-") io.stdout.write(yaml);
    else fs.writeFileSync(out, yaml);
    const teams = new Set(roster.agents.flatMap((a) => a.teams ?? [])).size;
    const numbers = roster.agents.reduce((n, a) => n + (a.numbers?.length ?? 0), 0);
    io.stderr.write(
      `justcall-roster: wrote ${out === "-" ? "the roster" : out}: ${roster.agents.length} agents, ${teams} teams in use, ${numbers} assigned numbers\n`,
    );
    return 0;
  } catch (err) {
    if (tty) io.stderr.write("\n");
    io.stderr.write(`justcall-roster: export failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    if (timer) clearInterval(timer);
    await client.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, process).then((code) => {
    process.exitCode = code;
  });
}
