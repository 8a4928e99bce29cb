// justcall-roster's settings: flags, then environment variables, then the stack's config when the
// command runs in a Pulumi project (read with `pulumi config --json --show-secrets`, so that the
// adoption flow that sets credentials as stack config works as written). The output of
// `pulumi config` holds the API secret: it is parsed and never printed.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigurationError, resolveSettings, SETTING_SOURCES, type SettingName } from "../provider/settings";

type CliSettings = ReturnType<typeof resolveSettings>;

/** Setting keys (`justcall:apiKey`, ...) given on the command line. */
type FlagValues = Record<string, string | undefined>;

/** The settings a flag gives, by the flag (the others come from the environment or the stack's config). */
export const SETTING_FLAGS: Partial<Record<SettingName, string>> = {
  apiKey: "--api-key",
  apiSecret: "--api-secret-stdin",
  baseUrl: "--base-url",
  rateLimit: "--rate-limit",
  apiVersion: "--api-version",
};

/** The settings whose absence from flags and environment makes the CLI read the stack's config. */
const FROM_STACK = [SETTING_SOURCES.apiKey, SETTING_SOURCES.apiSecret, SETTING_SOURCES.baseUrl, SETTING_SOURCES.apiVersion];

interface StackConfigRead {
  /** `justcall:*` string values of the stack's config; undefined when it could not be read. */
  values?: Record<string, string>;
  /** What was tried and why it gave nothing, for messages (never holds a config value). */
  note?: string;
}

export interface ResolvedCliSettings {
  settings: CliSettings;
  /** Which settings came from the stack's config, for the user. */
  notes: string[];
  /** For the "no credentials" message: every source that was tried. */
  tried: string;
}

/** Flags > environment > stack config. Throws ConfigurationError for a malformed value. */
export async function resolveCliSettings(
  flags: FlagValues,
  env: Record<string, string | undefined>,
  cwd: string,
  stack?: string,
): Promise<ResolvedCliSettings> {
  const given = (source: { config: string; env: string }) => nonEmpty(flags[source.config]) ?? nonEmpty(env[source.env]);
  const notes: string[] = [];
  let stackValues: Record<string, string> = {};
  let stackTried = "the stack's config (no Pulumi.yaml in this folder)";
  if (FROM_STACK.some((source) => given(source) === undefined) && isPulumiProject(cwd)) {
    const read = await readStackConfig(cwd, env, stack);
    stackTried = read.values ? "the stack's config" : `the stack's config (${read.note})`;
    if (read.values) {
      stackValues = read.values;
      const used = Object.values(SETTING_SOURCES).filter((s) => given(s) === undefined && stackValues[s.config] !== undefined);
      if (used.length > 0) notes.push(`from the stack's config: ${used.map((s) => s.config).join(", ")}`);
    }
    // A config that could not be read is no note: without credentials, the error says why (`tried`);
    // with both given, the stack could only have added optional settings.
  }
  const envName = (key: string) => Object.values(SETTING_SOURCES).find((s) => s.config === key)?.env;
  let settings: CliSettings;
  try {
    settings = resolveSettings((key) => {
      const name = envName(key);
      return nonEmpty(flags[key]) ?? (name ? nonEmpty(env[name]) : undefined) ?? stackValues[key];
    }, env);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    throw new ConfigurationError(namedBySource(err.message, flags, env));
  }
  const tried = `--api-key/--api-secret-stdin, ${SETTING_SOURCES.apiKey.env}/${SETTING_SOURCES.apiSecret.env} and ${stackTried}`;
  return { settings, notes, tried };
}

/**
 * The settings' messages name their stack config key (`justcall:rateLimit "fast" is not a rate`):
 * here each key whose value came from a flag or an environment variable is named by that flag or
 * variable instead, so that the message names what the user wrote.
 */
function namedBySource(message: string, flags: FlagValues, env: Record<string, string | undefined>): string {
  let named = message;
  for (const [name, source] of Object.entries(SETTING_SOURCES) as [SettingName, { config: string; env: string }][]) {
    const flag = SETTING_FLAGS[name];
    const by =
      flag && nonEmpty(flags[source.config]) !== undefined ? flag : nonEmpty(env[source.env]) !== undefined ? source.env : undefined;
    // Keys are letters after `justcall:`: no character to escape; the look-ahead keeps a longer key whole.
    if (by) named = named.replace(new RegExp(`${source.config}(?![A-Za-z])`, "g"), by);
  }
  return named;
}

function isPulumiProject(dir: string): boolean {
  return fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"));
}

/** Runs `pulumi config --json --show-secrets` in `cwd`; says plainly what failed. */
export function readStackConfig(cwd: string, env: Record<string, string | undefined>, stack?: string): Promise<StackConfigRead> {
  const args = ["config", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : [])];
  const ran = `\`pulumi ${args.join(" ")}\``;
  return new Promise((resolve) => {
    execFile(
      "pulumi",
      args,
      { cwd, env: env as NodeJS.ProcessEnv, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
          resolve({ note: "pulumi is not on PATH; install the Pulumi CLI, or give the settings as flags or environment variables" });
          return;
        }
        if (err) {
          // pulumi's own message: "no stack selected; please use `pulumi stack select` ...", "incorrect passphrase", ...
          const said = String(stderr)
            .trim()
            .split("\n")
            .filter((l) => l.trim() !== "")
            .slice(-2)
            .join(" ")
            .replace(/^error:\s*/, "");
          const next = /no stack/i.test(said) ? "; or pass --stack <name>" : "";
          resolve({ note: `${ran} failed: ${said || (err.killed ? "timed out" : `exit code ${err.code}`)}${next}` });
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(stdout));
        } catch (err) {
          if (!(err instanceof SyntaxError)) throw err;
          // Not the parser's message: it quotes the text, which holds the secret.
          resolve({ note: `${ran} printed something other than JSON` });
          return;
        }
        const values: Record<string, string> = {};
        for (const [key, entry] of Object.entries((parsed ?? {}) as Record<string, { value?: unknown }>)) {
          if (key.startsWith("justcall:") && typeof entry?.value === "string") values[key] = entry.value;
        }
        resolve({ values });
      },
    );
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
