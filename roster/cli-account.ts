// The account a command reads: credentials and endpoint from flags > environment > stack config,
// the same for export, validate --account and review (one refusal of a secret in argv, one
// refusal of an untrusted host, one "no credentials" message).
import { createClient, type JustCallClient } from "../provider/client";
import { clientSettingsFrom, requireCredentials, SETTING_SOURCES, type SettingName } from "../provider/settings";
import type { CliIo } from "./cli";
import { resolveCliSettings, SETTING_FLAGS } from "./cli-settings";
import { EXIT, exitCodeFor } from "./exit-codes";
import { readAll } from "./summarize/command";

type Env = Record<string, string | undefined>;

/** The settings' options, shared by every command that reads the account. */
export const SETTING_OPTIONS = {
  "api-key": { type: "string" },
  // Parsed only to refuse it with the way out: a secret on the command line is visible to others.
  "api-secret": { type: "string" },
  "api-secret-stdin": { type: "boolean", default: false },
  "base-url": { type: "string" },
  "rate-limit": { type: "string" },
  "api-version": { type: "string" },
  stack: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

function readStandardInput(io: CliIo): Promise<string> {
  return io.readStdin ? io.readStdin() : readAll(process.stdin);
}

/** Credentials and endpoint from flags > environment > stack config; else the exit code, said why. */
export async function accountClient(
  values: { [option in keyof typeof SETTING_OPTIONS]?: string | boolean },
  env: Env,
  io: CliIo,
  cwd: string,
): Promise<{ client: JustCallClient; host: string } | number> {
  if (values["api-secret"] !== undefined) {
    io.stderr.write(
      "justcall-roster: --api-secret would put the account's API secret on the command line, where shell history, ps and CI logs " +
        `show it; nothing was sent. Set ${SETTING_SOURCES.apiSecret.env} in the environment, or pipe it in with --api-secret-stdin ` +
        '(e.g. printf %s "$SECRET" | justcall-roster export --api-secret-stdin)\n',
    );
    return EXIT.usage;
  }
  // The first line of standard input, without its line break.
  const fromStdin = values["api-secret-stdin"] ? (await readStandardInput(io)).split(/\r?\n/)[0] : undefined;
  if (values["api-secret-stdin"] && !fromStdin) {
    io.stderr.write("justcall-roster: --api-secret-stdin: standard input is empty; pipe the secret in\n");
    return EXIT.credentials;
  }
  // Each setting's flag value by its config key; the secret's flag is read from standard input.
  const flags: Record<string, string | undefined> = Object.fromEntries(
    (Object.entries(SETTING_FLAGS) as [SettingName, string][]).map(([name, flag]) => [
      SETTING_SOURCES[name].config,
      name === "apiSecret" ? fromStdin : (values[flag.slice(2) as keyof typeof SETTING_OPTIONS] as string | undefined),
    ]),
  );
  let resolved;
  try {
    resolved = await resolveCliSettings(flags, env, cwd, values.stack as string | undefined);
  } catch (err) {
    io.stderr.write(`justcall-roster: ${(err as Error).message}\n`);
    return exitCodeFor(err);
  }
  const { settings, notes, tried } = resolved;
  if (!settings.apiKey || !settings.apiSecret) {
    io.stderr.write(
      `justcall-roster: no credentials: tried ${tried}. Pass --api-key and --api-secret-stdin, set ${SETTING_SOURCES.apiKey.env} and ` +
        `${SETTING_SOURCES.apiSecret.env}, or set ${SETTING_SOURCES.apiKey.config} and ${SETTING_SOURCES.apiSecret.config} in the stack's config ` +
        "(JustCall: Settings > Developer > API)\n",
    );
    return EXIT.credentials;
  }
  for (const note of notes) io.stderr.write(`justcall-roster: ${note}\n`);
  try {
    const client = createClient({ ...clientSettingsFrom(requireCredentials(settings)), snapshot: false });
    return { client, host: new URL(settings.baseUrl).host };
  } catch (err) {
    io.stderr.write(`justcall-roster: ${(err as Error).message}\n`);
    return exitCodeFor(err);
  }
}
