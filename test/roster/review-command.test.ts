// `justcall-roster review` as an IT admin and a scheduled CI job run it: the compiled CLI in a
// child process, against a fresh emulator. The account holds what an audit looks for: an Account
// Owner and an admin added in the dashboard (not in the roster), a leaver still in JustCall and
// holding a number, an invitation never accepted, and numbers held by no one. The request log
// shows list calls only; no output holds the secret.
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import type { Seed } from "../../emulator/seed";
import { repoRoot } from "../../harness/engine";
import { freshEmulator } from "../support/justcall";
import { main } from "../../roster/cli";
import { ROSTER_CLI, runCli } from "./cli-runner";

const LIST_ROUTES = ["GET /v1/agents", "GET /v1/phone-numbers", "GET /v1/teams"];

/** The HR system's own column names and words, given to review as flags. */
const HR_CSV = [
  "Employee ID,Work Email,Given Name,Family Name,Employment Status",
  "E1,Jane.Doe@acme.example,Jane,Doe,Active",
  "E2,sam.lee@acme.example,Sam,Lee,Terminated",
  "E3,priya.patel@acme.example,Priya,Patel,Active",
  "E4,alex.kim@acme.example,Alex,Kim,Active",
  "E5,olive.owner@acme.example,Olive,Owner,Active",
  "",
].join("\n");
const HR_FLAGS = [
  "--hr-email-column",
  "Work Email",
  "--hr-status-column",
  "Employment Status",
  "--hr-terminated-values",
  "terminated,leaver",
];

/** A section's heading line and the emails in its table (up to the next heading). */
function section(markdown: string, title: string): { heading: string; emails: string[]; text: string } {
  const start = markdown.indexOf(`### ${title}`);
  expect(start, `no section "${title}" in\n${markdown}`).to.be.greaterThan(-1);
  const rest = markdown.slice(start);
  const end = rest.indexOf("\n### ", 4);
  const text = end < 0 ? rest : rest.slice(0, end);
  const emails = [...text.matchAll(/\(([a-z.]+@acme\.example)\)/g)].map((m) => m[1]);
  return { heading: text.split("\n")[0], emails, text };
}

describe("justcall-roster review (the compiled CLI)", function () {
  let tmp: string;
  let emu: RunningEmulator | undefined;
  const baseEnv = () => ({ PATH: process.env.PATH ?? "" });
  const accountEnv = (e: RunningEmulator) => ({
    ...baseEnv(),
    JUSTCALL_API_KEY: e.credentials.apiKey,
    JUSTCALL_API_SECRET: e.credentials.apiSecret,
    JUSTCALL_BASE_URL: e.url,
  });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "roster-review-"));
  });
  afterEach(async () => {
    if (emu) await emu.close();
    emu = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("finds the unmanaged admin and owner, the leaver and their number, the pending invitation; list calls only", async () => {
    // Full shapes: the agent list reports each agent's status (the guide's list example prints none).
    emu = await freshEmulator({ shapes: { v1: "full", "v2.1": "full" } });
    const { apiKey, apiSecret } = emu.credentials;
    // The dashboard's doing, behind the roster's back: roles the seed cannot hold, and an invitation.
    await emu.admin.addAgent(apiKey, { firstname: "Olive", lastname: "Owner", email: "olive.owner@acme.example", role: "Account Owner" });
    await emu.admin.addAgent(apiKey, { firstname: "Max", lastname: "Power", email: "max.power@acme.example", role: "admin" });
    await emu.admin.addAgent(apiKey, {
      firstname: "Alex",
      lastname: "Kim",
      email: "alex.kim@acme.example",
      role: "agent",
      status: "Pending",
    });
    const state = (await emu.admin.state()).accounts[0];
    const sam = state.agents.find((a) => a.email === "sam.lee@acme.example")!;
    await emu.admin.moveNumber(state.numbers.find((n) => n.number === "+14155550103")!.id, sam.id);
    await emu.admin.clearRequests();

    fs.copyFileSync(path.join(repoRoot, "roster.yaml"), path.join(tmp, "roster.yaml"));
    fs.writeFileSync(path.join(tmp, "hr.csv"), HR_CSV);
    const run = await runCli(
      ROSTER_CLI,
      [
        "review",
        "--roster",
        "roster.yaml",
        "--hr",
        "hr.csv",
        ...HR_FLAGS,
        "--account-name",
        "Acme Support",
        "--markdown",
        "review.md",
        "--csv",
        "review.csv",
        "--json",
        "review.json",
      ],
      { cwd: tmp, env: accountEnv(emu) },
    );
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal("");
    // Not a terminal: one progress line per page, then the counts.
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines.slice(0, 3)).to.deep.equal([
      "justcall-roster: agents: 1 page read (1 requests)",
      "justcall-roster: teams: 1 page read (2 requests)",
      "justcall-roster: numbers: 1 page read (3 requests)",
    ]);
    expect(lines[3]).to.equal(
      `justcall-roster: access review of ${new URL(emu.url).host}: 6 agents; 3 privileged, 2 not managed, 2 not employed, ` +
        "1 not yet active; 2 numbers held by someone flagged, 5 held by no one; wrote review.md, review.csv, review.json",
    );

    const markdown = fs.readFileSync(path.join(tmp, "review.md"), "utf8");
    const today = new Date().toISOString().slice(0, 10);
    expect(markdown.split("\n")[0]).to.equal(`## JustCall access review: Acme Support (${new URL(emu.url).host}), ${today}`);
    expect(markdown).to.include("checked against the roster roster.yaml and the HR export hr.csv (5 rows)");
    expect(markdown).to.include("| 6 | 3 | 2 | 2 | 1 | 8 | 2 | 5 |");
    expect(section(markdown, "Privileged access").heading).to.equal("### Privileged access (3)");
    expect(section(markdown, "Privileged access").emails).to.deep.equal([
      "jane.doe@acme.example",
      "max.power@acme.example",
      "olive.owner@acme.example",
    ]);
    expect(section(markdown, "Privileged access").text).to.include("| Account Owner |");
    expect(section(markdown, "Not managed").emails).to.deep.equal(["max.power@acme.example", "olive.owner@acme.example"]);
    const notEmployed = section(markdown, "Not employed");
    expect(notEmployed.emails).to.deep.equal(["max.power@acme.example", "sam.lee@acme.example"]);
    expect(notEmployed.text).to.include("| Terminated |").and.include("| not in the export |");
    expect(section(markdown, "Not yet active").emails).to.deep.equal(["alex.kim@acme.example"]);
    const flaggedNumbers = section(markdown, "Numbers held by someone flagged above");
    expect(flaggedNumbers.heading).to.equal("### Numbers held by someone flagged above (2)");
    expect(flaggedNumbers.text).to.match(/\| \+14155550103 \| Sam Lee \(sam\.lee@acme\.example\) \| HR status "Terminated" \|/);
    expect(flaggedNumbers.text).to.match(/\| \+14155550100 \| Jane Doe \(jane\.doe@acme\.example\) \| admin \|/);
    // The toll-free number is shared with teams (v1's number list says nothing of sharing): held by no one.
    expect(section(markdown, "Numbers held by no one").text).to.include(
      "+14155550102, +14155550104, +14155550105, +18005550199, +442071838750",
    );

    const rows: Record<string, string>[] = parse(fs.readFileSync(path.join(tmp, "review.csv"), "utf8"), { columns: true });
    expect(rows.map((r) => `${r.record} ${r.email || r.numbers}`)).to.deep.equal([
      "agent alex.kim@acme.example",
      "agent jane.doe@acme.example",
      "agent max.power@acme.example",
      "agent olive.owner@acme.example",
      "agent priya.patel@acme.example",
      "agent sam.lee@acme.example",
      "number +14155550102",
      "number +14155550104",
      "number +14155550105",
      "number +18005550199",
      "number +442071838750",
    ]);
    const samRow = rows.find((r) => r.email === "sam.lee@acme.example")!;
    expect(samRow).to.include({ role: "agent", hr_status: "Terminated", not_employed: "yes", not_managed: "", numbers: "+14155550103" });
    expect(samRow.teams).to.equal("Sales; Support");
    expect(rows.find((r) => r.email === "olive.owner@acme.example")).to.include({ privileged: "yes", not_managed: "yes" });
    expect(rows.find((r) => r.email === "alex.kim@acme.example")).to.include({ status: "Pending", not_yet_active: "yes" });
    for (const row of rows) expect(row.account).to.equal(new URL(emu.url).host);

    const json = JSON.parse(fs.readFileSync(path.join(tmp, "review.json"), "utf8"));
    expect(json.reviewFormat).to.equal(1);
    expect(json.account).to.deep.equal({ host: new URL(emu.url).host, name: "Acme Support", apiVersion: "v1" });
    expect(json.counts).to.deep.equal({
      agents: 6,
      privileged: 3,
      notManaged: 2,
      notEmployed: 2,
      notYetActive: 1,
      numbers: 8,
      numbersHeldByFlagged: 2,
      numbersHeldByNoOne: 5,
      rosterOnly: 0,
    });
    expect(json.agents.find((a: { email: string }) => a.email === "olive.owner@acme.example").role).to.equal("Account Owner");

    const { requests } = await emu.admin.requests();
    expect(requests.map((r) => r.route).sort()).to.deep.equal(LIST_ROUTES);
    for (const text of [run.stdout, run.stderr, markdown, fs.readFileSync(path.join(tmp, "review.csv"), "utf8"), JSON.stringify(json)])
      expect(text).to.not.include(apiSecret);
  });

  it("a long account: one progress line per page in CI; without a status in the list, 'not yet active' is not checked", async () => {
    const agents = Array.from({ length: 250 }, (_, i) => ({
      firstname: "Agent",
      lastname: `Number${i}`,
      email: `agent${String(i).padStart(3, "0")}@big.example`,
      role: "agent" as const,
      teams: ["Support"],
    }));
    const seed: Seed = {
      accounts: [{ name: "Big", apiKey: "big_key", apiSecret: "big_secret", teams: [{ name: "Support" }], agents, numbers: [] }],
    };
    // The guide's shapes (the default): the agent list has no status.
    emu = await freshEmulator({ seed });
    const run = await runCli(ROSTER_CLI, ["review", "--markdown", "-"], { cwd: tmp, env: accountEnv(emu) });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr.split("\n").filter((l) => l.includes(" page"))).to.deep.equal([
      "justcall-roster: agents: 1 page read (1 requests)",
      "justcall-roster: agents: 2 pages read (2 requests)",
      "justcall-roster: agents: 3 pages read (3 requests)",
      "justcall-roster: teams: 1 page read (4 requests)",
      "justcall-roster: numbers: 1 page read (5 requests)",
    ]);
    expect(run.stdout).to.include("| 250 | 0 | not checked | not checked | not checked | 0 | 0 | 0 |");
    expect(section(run.stdout, "Not managed").text).to.include("Not checked: no roster given");
    expect(section(run.stdout, "Not yet active").heading).to.equal("### Not yet active (not checked)");
    // The every-agent table stops at --max-rows (200 by default) and points at the CSV.
    expect(run.stdout).to.include("…and 50 more: see the CSV.");
    const { requests } = await emu.admin.requests();
    expect(new Set(requests.map((r) => r.route))).to.deep.equal(new Set(LIST_ROUTES));
  });

  it("on a terminal: one progress line, rewritten in place, then the counts on a line of their own", async () => {
    emu = await freshEmulator();
    let out = "";
    let err = "";
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: true } };
    expect(await main(["review"], accountEnv(emu), io, tmp)).to.equal(0);
    const lines = err.split("\n");
    expect(lines, err).to.have.length(3);
    expect(lines[0].startsWith("\r\x1b[K")).to.equal(true);
    expect(lines[0].split("\r\x1b[K").pop()).to.equal("justcall-roster: numbers: 1 page read (3 requests)");
    expect(lines[1]).to.match(/^justcall-roster: access review of 127\.0\.0\.1:\d+: 3 agents; 1 privileged, not managed not checked/);
    expect(out.split("\n")[0]).to.match(/^## JustCall access review: 127\.0\.0\.1:\d+, \d{4}-\d{2}-\d{2}$/);
  });

  it("exit codes: 2 for bad usage or an unreadable file, 1 for a roster with problems or an HR file without its columns, 3 without credentials", async () => {
    fs.writeFileSync(path.join(tmp, "hr.csv"), HR_CSV);
    const cases: [string[], number, string][] = [
      [["review", "--hr-status-column", "x"], 2, "give it with --hr <file.csv>"],
      [["review", "--markdown", "-", "--csv", "-"], 2, 'only one format can go to standard output ("-")'],
      [["review", "--max-rows", "0"], 2, "--max-rows must be a whole number of at least 1"],
      [["review", "extra"], 2, 'unexpected argument "extra"'],
      [["review", "--rooster", "roster.yaml"], 2, "unknown option --rooster (did you mean --roster?)"],
      [["review", "--roster", "missing.yaml"], 2, "cannot read the roster missing.yaml: ENOENT"],
      [
        ["review", "--roster", path.join(repoRoot, "test", "roster", "fixtures", "roster-with-problems.yaml")],
        1,
        "the roster has problems",
      ],
      [
        ["review", "--hr", "hr.csv"],
        1,
        'the HR export hr.csv: no column "email" (--hr-email-column); its columns: Employee ID, Work Email',
      ],
      [["review", "--hr", "hr.csv", ...HR_FLAGS], 3, "no credentials: tried"],
    ];
    for (const [args, code, message] of cases) {
      const run = await runCli(ROSTER_CLI, args, { cwd: tmp, env: baseEnv() });
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).to.equal(code);
      expect(run.stderr, args.join(" ")).to.include(message);
    }
    const help = await runCli(ROSTER_CLI, ["review", "--help"], { cwd: tmp, env: baseEnv() });
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: justcall-roster review /);
    const overview = await runCli(ROSTER_CLI, ["--help"], { cwd: tmp, env: baseEnv() });
    expect(overview.stdout).to.include("  review [--roster <file>] [--hr <file.csv>]");
  });
});
