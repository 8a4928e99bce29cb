// `justcall-roster validate` as a user and a CI job run it: the compiled CLI in a child process.
// Exit codes (roster/exit-codes.ts: 0 valid, 1 problems, 2 usage, 3 credentials, 4 JustCall), help and usage errors, the text and GitHub-annotation formats with
// the line and column of each problem in a fixture roster, and --account against a fresh emulator.
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { repoRoot } from "../../harness/engine";
import { freshEmulator } from "../support/justcall";
import { EMULATOR_CLI, ROSTER_CLI, runCli } from "./cli-runner";

const FIXTURE = path.join(repoRoot, "test", "roster", "fixtures", "roster-with-problems.yaml");
const fixtureLines = fs.readFileSync(FIXTURE, "utf8").split("\n");
const version = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;

/** An expected problem: its line, the text the column points at, and the start of its message. */
interface Expected {
  line: number;
  at: string;
  message: string;
}

/** The offline problems of the fixture, in file order. */
const OFFLINE: Expected[] = [
  { line: 10, at: "boss", message: "agent #1 (jane.doe@acme.example): role: role must be one of agent, supervisor, admin" },
  { line: 15, at: "Mars/Olympus", message: "agent #2 (sam.lee@acme.example): timezone: timezone must be an IANA time zone" },
  {
    line: 17,
    at: '"+14155550100"',
    message: "agent #2 (sam.lee@acme.example): numbers[0]: +14155550100 is also given to agent #1 (jane.doe@acme.example) at line 11",
  },
  {
    line: 18,
    at: "JANE.DOE@acme.example",
    message: "agent #3 (JANE.DOE@acme.example): email: JANE.DOE@acme.example is already listed as agent #1",
  },
  { line: 21, at: "JD", message: 'agent #3 (JANE.DOE@acme.example): nickname: unknown field "nickname"' },
];
/** What --account adds against the emulator's default seed. */
const ACCOUNT: Expected[] = [
  {
    line: 25,
    at: "Escalations",
    message:
      'agent #4 (alex.kim@acme.example): teams[1]: no team named "Escalations" in the JustCall account (teams: Support, Sales, Billing)',
  },
  {
    line: 26,
    at: '"+19995550100"',
    message: "agent #4 (alex.kim@acme.example): numbers[1]: +19995550100 is not one of the account's numbers",
  },
];

/** Checks each annotation against the fixture: file, line, the column of the text it names, message. */
function expectAnnotations(stdout: string, file: string, expected: Expected[]) {
  const annotations = stdout.trimEnd().split("\n");
  expect(annotations, stdout).to.have.length(expected.length);
  annotations.forEach((annotation, i) => {
    const want = expected[i];
    const match = /^::error file=([^,]+),line=(\d+),col=(\d+)::(.*)$/.exec(annotation);
    expect(match, annotation).to.not.equal(null);
    const [, annotatedFile, line, col, message] = match!;
    expect(annotatedFile).to.equal(file);
    expect(Number(line), annotation).to.equal(want.line);
    expect(fixtureLines[want.line - 1].indexOf(want.at) + 1, `${want.at} on line ${want.line}`).to.be.greaterThan(0);
    expect(Number(col), annotation).to.equal(fixtureLines[want.line - 1].indexOf(want.at) + 1);
    expect(message.startsWith(want.message), `${message}\nshould start with\n${want.message}`).to.equal(true);
  });
}

describe("justcall-roster validate (the compiled CLI)", function () {
  let tmp: string;
  let emu: RunningEmulator | undefined;
  /** The child's whole environment: no JUSTCALL_* from the machine, no Pulumi project around it. */
  const baseEnv = () => ({ PATH: process.env.PATH ?? "" });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "roster-validate-"));
  });
  afterEach(async () => {
    if (emu) await emu.close();
    emu = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("exits 0 for the repository's and the examples' rosters, saying what it checked", async () => {
    for (const file of [
      "roster.yaml",
      "examples/gitops/roster.yaml",
      "examples/offboarding/before.yaml",
      "examples/offboarding/after.yaml",
    ]) {
      const run = await runCli(ROSTER_CLI, ["validate", file], { cwd: repoRoot, env: baseEnv() });
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).to.equal(0);
      expect(run.stdout).to.equal("");
      expect(run.stderr).to.match(new RegExp(`^justcall-roster: ${file}: valid, \\d+ agents? \\(offline checks; add --account`));
    }
  });

  it("exits 1 with one line per problem, file:line first (text, the default; roster.yaml by default)", async () => {
    fs.copyFileSync(FIXTURE, path.join(tmp, "roster.yaml"));
    const run = await runCli(ROSTER_CLI, ["validate"], { cwd: tmp, env: baseEnv() });
    expect(run.code, run.stderr).to.equal(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).to.have.length(OFFLINE.length);
    lines.forEach((line, i) => {
      expect(line.startsWith(`roster.yaml:${OFFLINE[i].line}: ${OFFLINE[i].message}`), line).to.equal(true);
    });
    expect(run.stderr).to.equal(
      "justcall-roster: roster.yaml: 5 problems (offline checks; add --account to check teams and numbers against JustCall)\n",
    );
  });

  it("--format github: an annotation on the line and column of each problem, the file named from the repository root", async () => {
    const infra = path.join(tmp, "infra");
    fs.mkdirSync(infra);
    fs.copyFileSync(FIXTURE, path.join(infra, "roster.yaml"));
    // In a workflow, $GITHUB_WORKSPACE is the repository root; the job may run in a subfolder.
    const run = await runCli(ROSTER_CLI, ["validate", "roster.yaml", "--format", "github"], {
      cwd: infra,
      env: { ...baseEnv(), GITHUB_WORKSPACE: tmp },
    });
    expect(run.code, run.stderr).to.equal(1);
    expectAnnotations(run.stdout, "infra/roster.yaml", OFFLINE);

    // Without $GITHUB_WORKSPACE, the path is relative to the current folder.
    const here = await runCli(ROSTER_CLI, ["validate", "infra/roster.yaml", "--format", "github"], { cwd: tmp, env: baseEnv() });
    expect(here.code).to.equal(1);
    expectAnnotations(here.stdout, "infra/roster.yaml", OFFLINE);
  });

  it("an empty roster and a wrong top-level field: exit 1, every problem at once, no stack trace", async () => {
    fs.writeFileSync(path.join(tmp, "roster.yaml"), "# agents go here\n");
    const empty = await runCli(ROSTER_CLI, ["validate"], { cwd: tmp, env: baseEnv() });
    expect([empty.code, empty.stdout, empty.stderr]).to.deep.equal([
      1,
      "roster.yaml: the roster is empty: it needs an agents list, like agents: [{email: jane@acme.example, firstname: Jane, lastname: Doe}]\n",
      "justcall-roster: roster.yaml: 1 problem (offline checks; add --account to check teams and numbers against JustCall)\n",
    ]);
    fs.writeFileSync(path.join(tmp, "roster.yaml"), "authoritative: yes\nagents:\n  - email: a@acme.example\n    lastname: A\n");
    const both = await runCli(ROSTER_CLI, ["validate"], { cwd: tmp, env: baseEnv() });
    expect([both.code, both.stdout]).to.deep.equal([
      1,
      "roster.yaml:1: authoritative: authoritative must be true or false\n" +
        "roster.yaml:3: agent #1 (a@acme.example): firstname: firstname is required\n",
    ]);
  });

  it("a YAML syntax error is a problem on its line (exit 1)", async () => {
    fs.writeFileSync(path.join(tmp, "roster.yaml"), "agents:\n  - email: a@acme.example\n    firstname: [A\n    lastname: B\n");
    const run = await runCli(ROSTER_CLI, ["validate", "--format", "github"], { cwd: tmp, env: baseEnv() });
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/^::error file=roster\.yaml,line=\d+,col=\d+::YAML: /);
  });

  it("exits 2 on bad usage and an unreadable file: the error and one line pointing at --help", async () => {
    fs.copyFileSync(FIXTURE, path.join(tmp, "roster.yaml"));
    const validateHelp = "Run `justcall-roster validate --help` for its options.\n";
    const cases: [string[], string][] = [
      [["validate", "--format", "xml"], `justcall-roster validate: --format must be text or github, not "xml"\n${validateHelp}`],
      [["validate", "--acount"], `justcall-roster validate: unknown option --acount (did you mean --account?)\n${validateHelp}`],
      [["validate", "--bogus"], `justcall-roster validate: unknown option --bogus\n${validateHelp}`],
      [["validate", "--format"], `justcall-roster validate: --format needs a value\n${validateHelp}`],
      [["validate", "--account=yes"], `justcall-roster validate: --account takes no value\n${validateHelp}`],
      [["validate", "roster.yaml", "other.yaml"], `justcall-roster validate: one roster file at a time, not 2\n${validateHelp}`],
      [
        ["export", "--focre"],
        "justcall-roster export: unknown option --focre (did you mean --force?)\nRun `justcall-roster export --help` for its options.\n",
      ],
      [
        ["summarize", "--fromat", "text"],
        "justcall-roster summarize: unknown option --fromat (did you mean --format?)\nRun `justcall-roster summarize --help` for its options.\n",
      ],
      [
        ["valdiate"],
        'justcall-roster: unknown command "valdiate" (did you mean validate?)\nRun `justcall-roster --help` for the commands.\n',
      ],
      [["check"], 'justcall-roster: unknown command "check"\nRun `justcall-roster --help` for the commands.\n'],
      [["validate", "missing.yaml"], "justcall-roster: cannot read the roster missing.yaml: ENOENT\n"],
      [["validate", "."], "justcall-roster: cannot read the roster .: EISDIR\n"],
      [["summarize", "missing.json"], "justcall-roster summarize: cannot read missing.json: ENOENT\n"],
    ];
    for (const [args, said] of cases) {
      const run = await runCli(ROSTER_CLI, args, { cwd: tmp, env: baseEnv() });
      expect(run.code, args.join(" ")).to.equal(2);
      expect(run.stdout, args.join(" ")).to.equal("");
      expect(run.stderr, args.join(" ")).to.equal(said);
    }
  });

  it("--help: each command its own short help, with the exit codes; the overview lists the commands", async () => {
    const exitCodes = "Exit codes: 0 done; 1 roster problems, or the command failed on its files; 2 bad usage or";
    const helps: [string[], string, string[]][] = [
      [["--help"], "Usage: justcall-roster <command> [options]", ["--force", "--format", "--api-key"]],
      [
        ["validate", "--help"],
        "Usage: justcall-roster validate [roster.yaml] [--account] [--format text|github] [settings]",
        ["--out", "--force", "markdown"],
      ],
      [
        ["export", "-h"],
        "Usage: justcall-roster export [--out roster.yaml] [--force] [--not-authoritative] [settings]",
        ["--account", "--format"],
      ],
      [["summarize", "--help"], "Usage: justcall-roster summarize [file|-] [--format markdown|text]", ["--account", "--out", "--api-key"]],
    ];
    for (const [args, first, foreign] of helps) {
      const run = await runCli(ROSTER_CLI, args, { cwd: tmp, env: baseEnv() });
      expect(run.code, args.join(" ")).to.equal(0);
      expect(run.stderr).to.equal("");
      expect(run.stdout.split("\n")[0], args.join(" ")).to.equal(first);
      expect(run.stdout, args.join(" ")).to.include(exitCodes);
      for (const option of foreign) expect(run.stdout, `${args.join(" ")} should not show ${option}`).to.not.include(option);
      expect(run.stdout.trimEnd().split("\n").length, args.join(" ")).to.be.at.most(32);
    }
    // No command at all: the overview, on standard error, as a usage error.
    const none = await runCli(ROSTER_CLI, [], { cwd: tmp, env: baseEnv() });
    expect(none.code).to.equal(2);
    expect(none.stderr.split("\n")[0]).to.equal("Usage: justcall-roster <command> [options]");
  });

  it("--account: also checks teams and numbers against the account (a fresh emulator), and prints no secret", async () => {
    emu = await freshEmulator();
    const env = {
      ...baseEnv(),
      JUSTCALL_API_KEY: emu.credentials.apiKey,
      JUSTCALL_API_SECRET: emu.credentials.apiSecret,
      JUSTCALL_BASE_URL: emu.url,
    };
    const host = new URL(emu.url).host;
    fs.copyFileSync(FIXTURE, path.join(tmp, "roster.yaml"));
    const bad = await runCli(ROSTER_CLI, ["validate", "--account", "--format", "github"], { cwd: tmp, env });
    expect(bad.code, bad.stderr).to.equal(1);
    expectAnnotations(
      bad.stdout,
      "roster.yaml",
      [...OFFLINE, ...ACCOUNT].sort((a, b) => a.line - b.line),
    );
    expect(bad.stderr).to.include(`7 problems (teams and numbers checked against the JustCall account at ${host})`);

    // The repository's roster is written for the emulator's default seed.
    const good = await runCli(ROSTER_CLI, ["validate", path.join(repoRoot, "roster.yaml"), "--account"], { cwd: tmp, env });
    expect(good.code, good.stderr).to.equal(0);
    expect(good.stderr).to.include(`valid, 4 agents (teams and numbers checked against the JustCall account at ${host})`);

    const { requests } = await emu.admin.requests();
    expect(requests.map((r) => r.route).sort()).to.deep.equal([
      "GET /v1/phone-numbers",
      "GET /v1/phone-numbers",
      "GET /v1/teams",
      "GET /v1/teams",
    ]);
    for (const run of [bad, good]) expect(run.stdout + run.stderr).to.not.include(emu.credentials.apiSecret);
  });

  it("validate --account and export: 3 without or with refused credentials, 4 when JustCall is unreachable, 2 for a secret in argv", async () => {
    fs.copyFileSync(path.join(repoRoot, "roster.yaml"), path.join(tmp, "roster.yaml"));
    const none = await runCli(ROSTER_CLI, ["validate", "--account"], { cwd: tmp, env: baseEnv() });
    expect(none.code).to.equal(3);
    expect(none.stderr).to.include(
      "no credentials: tried --api-key/--api-secret-stdin, JUSTCALL_API_KEY/JUSTCALL_API_SECRET and the stack's config (no Pulumi.yaml in this folder)",
    );

    emu = await freshEmulator();
    const wrongSecret = "not-the-demo-secret";
    const refused = await runCli(
      ROSTER_CLI,
      ["validate", "--account", "--api-key", emu.credentials.apiKey, "--api-secret-stdin", "--base-url", emu.url],
      {
        cwd: tmp,
        env: baseEnv(),
        stdin: `${wrongSecret}\n`,
      },
    );
    expect(refused.code).to.equal(3);
    expect(refused.stderr).to.include(`cannot read the teams and numbers of the JustCall account at ${new URL(emu.url).host}`);
    expect(refused.stderr).to.match(/401/);
    expect(refused.stdout + refused.stderr).to.not.include(wrongSecret);
    // export: the same codes for the same causes.
    const exportNone = await runCli(ROSTER_CLI, ["export", "--out", "-"], { cwd: tmp, env: baseEnv() });
    expect(exportNone.code).to.equal(3);
    expect(exportNone.stderr).to.include("no credentials: tried");
    const exportRefused = await runCli(ROSTER_CLI, ["export", "--out", "-", "--api-key", emu.credentials.apiKey, "--base-url", emu.url], {
      cwd: tmp,
      env: { ...baseEnv(), JUSTCALL_API_SECRET: wrongSecret },
    });
    expect(exportRefused.code).to.equal(3);
    expect(exportRefused.stderr).to.match(/export failed: .*401/);
    expect(exportRefused.stdout + exportRefused.stderr).to.not.include(wrongSecret);
    // A malformed setting is said with the flag or variable it came from, and is a settings problem (3).
    const badRate = await runCli(ROSTER_CLI, ["validate", "--account", "--api-key", "k", "--rate-limit", "fast", "--base-url", emu.url], {
      cwd: tmp,
      env: { ...baseEnv(), JUSTCALL_API_SECRET: "s" },
    });
    expect([badRate.code, badRate.stderr]).to.deep.equal([
      3,
      'justcall-roster: --rate-limit "fast" is not a rate; write it as requests/window, e.g. "100/60s" or "90/1m"\n',
    ]);
    const badEnv = await runCli(ROSTER_CLI, ["export", "--api-key", "k"], {
      cwd: tmp,
      env: { ...baseEnv(), JUSTCALL_API_SECRET: "s", JUSTCALL_BASE_URL: emu.url, JUSTCALL_API_VERSION: "v3" },
    });
    expect(badEnv.code).to.equal(3);
    expect(badEnv.stderr).to.equal(
      "justcall-roster: JUSTCALL_API_VERSION \"v3\" must be v1 (the guide's API) or v2.1 (JustCall's published API)\n",
    );

    // Nothing listens at the URL any more: connection refused, retried, then reported.
    const url = emu.url;
    await emu.close();
    emu = undefined;
    const unreachable = await runCli(ROSTER_CLI, ["validate", "--account", "--api-key", "k", "--base-url", url], {
      cwd: tmp,
      env: { ...baseEnv(), JUSTCALL_API_SECRET: "s" },
    });
    expect(unreachable.code).to.equal(4);
    expect(unreachable.stderr).to.include(`cannot read the teams and numbers of the JustCall account at ${new URL(url).host}`);
    expect(unreachable.stderr).to.include("ECONNREFUSED");
    const exportUnreachable = await runCli(ROSTER_CLI, ["export", "--out", "-", "--api-key", "k", "--base-url", url], {
      cwd: tmp,
      env: { ...baseEnv(), JUSTCALL_API_SECRET: "s" },
    });
    expect(exportUnreachable.code).to.equal(4);
    expect(exportUnreachable.stderr).to.include("ECONNREFUSED");

    // The secret is never taken from the command line: refused before any connection, with the way out.
    const onCommandLine = await runCli(
      ROSTER_CLI,
      ["validate", "--account", "--api-key", "k", "--api-secret", "s3cr3t-value", "--base-url", url],
      { cwd: tmp, env: baseEnv() },
    );
    expect(onCommandLine.code).to.equal(2);
    expect(onCommandLine.stderr).to.include("--api-secret would put the account's API secret on the command line");
    expect(onCommandLine.stderr).to.include("--api-secret-stdin");
    expect(onCommandLine.stderr).to.not.include("s3cr3t-value");
  });

  it("--version prints the package's version, for justcall-roster and justcall-emulator", async () => {
    for (const cli of [ROSTER_CLI, EMULATOR_CLI]) {
      const run = await runCli(cli, ["--version"], { cwd: tmp, env: baseEnv() });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal(`${version}\n`);
      expect(version).to.match(/^\d+\.\d+\.\d+/);
    }
  });
});
