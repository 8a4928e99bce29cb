// The adoption flow as the README writes it: credentials set as stack config, then
// `justcall-roster export` in the Pulumi project. The CLI reads the stack's config with the real
// `pulumi` CLI (file backend in a temporary folder), against a fresh emulator. Flags beat the
// environment, which beats the stack's config; the secret appears in no output.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { loadRoster } from "../../roster";
import { engineEnv, pulumiBinDir } from "../../harness/engine";
import { freshEmulator, TEST_RATE_LIMIT } from "../support/justcall";
import { type CliRun, ROSTER_CLI, runCli } from "./cli-runner";

describe("justcall-roster settings from the stack's config (real pulumi CLI)", function () {
  let emu: RunningEmulator;
  let tmp: string;
  let env: Record<string, string>;

  /** A Pulumi project folder (Pulumi.yaml only: `pulumi config` needs no program). */
  function project(name: string): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    return dir;
  }

  function pulumi(dir: string, args: string[]): void {
    execFileSync(path.join(pulumiBinDir(), "pulumi"), args, { cwd: dir, env, stdio: "pipe" });
  }

  /** Everything a run printed, to check that the secret is not in it. */
  const printed = (...runs: CliRun[]) => runs.map((r) => r.stdout + r.stderr).join("\n");

  beforeEach(async () => {
    emu = await freshEmulator();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "roster-stack-config-"));
    fs.mkdirSync(path.join(tmp, "backend"));
    env = engineEnv(path.join(tmp, "backend"), { PULUMI_HOME: path.join(tmp, "pulumi-home") });
  });
  afterEach(async () => {
    await emu.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A project whose stack `ci` holds the emulator's credentials, the secret as a secret. */
  function configuredProject(name: string): string {
    const dir = project(name);
    pulumi(dir, ["stack", "init", "ci"]);
    pulumi(dir, ["config", "set", "justcall:apiKey", emu.credentials.apiKey]);
    pulumi(dir, ["config", "set", "--secret", "justcall:apiSecret", emu.credentials.apiSecret]);
    pulumi(dir, ["config", "set", "justcall:baseUrl", emu.url]);
    pulumi(dir, ["config", "set", "justcall:rateLimit", `${TEST_RATE_LIMIT.limit}/${TEST_RATE_LIMIT.windowMs}ms`]);
    return dir;
  }

  it("export in a Pulumi project takes the credentials from the selected stack's config, and prints no secret", async () => {
    const dir = configuredProject("acme-roster");
    expect(fs.readFileSync(path.join(dir, "Pulumi.ci.yaml"), "utf8"), "stored encrypted").to.not.include(emu.credentials.apiSecret);

    const run = await runCli(ROSTER_CLI, ["export"], { cwd: dir, env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.include("from the stack's config: justcall:apiKey, justcall:apiSecret, justcall:baseUrl, justcall:rateLimit");
    expect(run.stderr).to.include("wrote roster.yaml: 3 agents");
    const text = fs.readFileSync(path.join(dir, "roster.yaml"), "utf8");
    expect(loadRoster(text, "roster.yaml").agents.map((a) => a.email)).to.include("jane.doe@acme.example");
    expect(printed(run) + text).to.not.include(emu.credentials.apiSecret);

    // validate --account reads the same sources.
    const validate = await runCli(ROSTER_CLI, ["validate", "--account"], { cwd: dir, env });
    expect(validate.code, validate.stderr).to.equal(0);
    expect(validate.stderr).to.include(`checked against the JustCall account at ${new URL(emu.url).host}`);
    expect(printed(validate)).to.not.include(emu.credentials.apiSecret);
  });

  it("flags beat the environment, which beats the stack's config; --stack picks the stack", async () => {
    const dir = configuredProject("acme-roster");
    const wrong = "not-the-demo-secret";
    // The environment's (wrong) secret wins over the stack's: JustCall refuses it.
    const envWins = await runCli(ROSTER_CLI, ["export", "--out", "-"], { cwd: dir, env: { ...env, JUSTCALL_API_SECRET: wrong } });
    expect(envWins.code, "refused credentials").to.equal(3);
    expect(envWins.stderr).to.match(/export failed: .*401/);
    expect(envWins.stderr).to.include("from the stack's config: justcall:apiKey, justcall:baseUrl, justcall:rateLimit\n");
    // A flag (the secret on standard input) wins over the environment.
    const flagWins = await runCli(ROSTER_CLI, ["export", "--out", "-", "--api-secret-stdin"], {
      cwd: dir,
      env: { ...env, JUSTCALL_API_SECRET: wrong },
      stdin: `${emu.credentials.apiSecret}\n`,
    });
    expect(flagWins.code, flagWins.stderr).to.equal(0);
    expect(flagWins.stdout).to.include("jane.doe@acme.example");
    expect(printed(envWins, flagWins)).to.not.include(emu.credentials.apiSecret).and.to.not.include(wrong);

    // A second stack without credentials, now selected: nothing found there, but --stack ci works.
    pulumi(dir, ["stack", "init", "staging"]);
    const staging = await runCli(ROSTER_CLI, ["export", "--out", "-"], { cwd: dir, env });
    expect(staging.code).to.equal(3);
    expect(staging.stderr).to.include(
      "no credentials: tried --api-key/--api-secret-stdin, JUSTCALL_API_KEY/JUSTCALL_API_SECRET and the stack's config.",
    );
    const ci = await runCli(ROSTER_CLI, ["export", "--out", "-", "--stack", "ci"], { cwd: dir, env });
    expect(ci.code, ci.stderr).to.equal(0);
    expect(printed(staging, ci)).to.not.include(emu.credentials.apiSecret);
  });

  it("a malformed setting is named by where it came from: the stack's key, the flag, the variable", async () => {
    const dir = configuredProject("acme-roster");
    pulumi(dir, ["config", "set", "justcall:rateLimit", "fast"]);
    const fromStack = await runCli(ROSTER_CLI, ["export", "--out", "-"], { cwd: dir, env });
    expect([fromStack.code, fromStack.stderr]).to.deep.equal([
      3,
      'justcall-roster: justcall:rateLimit "fast" is not a rate; write it as requests/window, e.g. "100/60s" or "90/1m"\n',
    ]);
    const fromFlag = await runCli(ROSTER_CLI, ["export", "--out", "-", "--rate-limit", "slow"], { cwd: dir, env });
    expect([fromFlag.code, fromFlag.stderr]).to.deep.equal([
      3,
      'justcall-roster: --rate-limit "slow" is not a rate; write it as requests/window, e.g. "100/60s" or "90/1m"\n',
    ]);
    const fromEnv = await runCli(ROSTER_CLI, ["export", "--out", "-"], { cwd: dir, env: { ...env, JUSTCALL_RATE_LIMIT: "0/1s" } });
    expect([fromEnv.code, fromEnv.stderr]).to.deep.equal([
      3,
      'justcall-roster: JUSTCALL_RATE_LIMIT "0/1s" must allow at least 1 request in a window longer than 0\n',
    ]);
    // A good flag beats the stack's bad value.
    const fixed = await runCli(ROSTER_CLI, ["export", "--out", "-", "--rate-limit", "1000/1s"], { cwd: dir, env });
    expect(fixed.code, fixed.stderr).to.equal(0);
    expect(printed(fromStack, fromFlag, fromEnv, fixed)).to.not.include(emu.credentials.apiSecret);
  });

  it("says plainly what it tried when no stack is selected or pulumi is not on PATH", async () => {
    const dir = project("no-stack-yet");
    const noStack = await runCli(ROSTER_CLI, ["export"], { cwd: dir, env });
    expect(noStack.code).to.equal(3);
    expect(noStack.stderr).to.include("`pulumi config --json --show-secrets` failed: no stack selected");
    expect(noStack.stderr).to.include("or pass --stack <name>");
    expect(noStack.stderr).to.include("set JUSTCALL_API_KEY and JUSTCALL_API_SECRET");
    expect(noStack.stderr.trimEnd().split("\n"), "one message, not a note and an error").to.have.length(1);

    const emptyBin = path.join(tmp, "empty-bin");
    fs.mkdirSync(emptyBin);
    const noPulumi = await runCli(ROSTER_CLI, ["export"], { cwd: dir, env: { ...env, PATH: emptyBin } });
    expect(noPulumi.code).to.equal(3);
    expect(noPulumi.stderr).to.include(
      "the stack's config (pulumi is not on PATH; install the Pulumi CLI, or give the settings as flags or environment variables)",
    );

    // With the credentials in the environment, a stack config it cannot read is not worth a note.
    const fromEnv = await runCli(ROSTER_CLI, ["export", "--out", "-"], {
      cwd: dir,
      env: {
        ...env,
        PATH: emptyBin,
        JUSTCALL_API_KEY: emu.credentials.apiKey,
        JUSTCALL_API_SECRET: emu.credentials.apiSecret,
        JUSTCALL_BASE_URL: emu.url,
      },
    });
    expect(fromEnv.code, fromEnv.stderr).to.equal(0);
    expect(fromEnv.stderr).to.not.include("stack's config");
    expect(fromEnv.stderr).to.match(/^justcall-roster: wrote the roster: 3 agents/);
    expect(printed(noStack, noPulumi, fromEnv)).to.not.include(emu.credentials.apiSecret);
  });
});
