// `justcall-roster summarize` on the user's own path: the plain `pulumi` CLI in a GitOps repository
// (pulumi-justcall installed from its `npm pack` tarball) previews against the emulator, and the
// installed `justcall-roster summarize` turns that real JSON into the pull request's comment.
// Each test has a fresh emulator and its own stack; the repository is shared by the file.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../harness/engine";
import { agentByEmail } from "../support/justcall";
import { gitopsSuite, type UserRepo } from "../support/user-repo";

const run = promisify(execFile);
const gitops = path.join(repoRoot, "examples", "gitops");
const read = (file: string) => fs.readFileSync(file, "utf8");
const ROSTER = read(path.join(gitops, "roster.yaml"));
const STREAM = { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" };

/** The lines of one `#### Title (n)` section of the Markdown, without its note. */
function section(markdown: string, title: string): string[] {
  const start = markdown.split("\n").findIndex((l) => l.startsWith(`#### ${title}`));
  if (start < 0) return [];
  const lines: string[] = [];
  for (const line of markdown.split("\n").slice(start + 1)) {
    if (line.startsWith("#### ") || line.startsWith("**In all:**")) break;
    if (line.startsWith("- ")) lines.push(line);
  }
  return lines;
}

/** Headings in the order the comment shows them. */
function headings(markdown: string): string[] {
  return markdown
    .split("\n")
    .filter((l) => l.startsWith("#### "))
    .map((l) => l.slice(5).replace(/ \(\d+\)$/, ""));
}

describe("justcall-roster summarize: the preview in plain language, from the plain CLI's JSON", function () {
  const suite = gitopsSuite("summarize", ROSTER, "summarize");
  const freshStack = suite.freshStack;
  let repo: UserRepo;
  let files = 0;
  before(() => {
    repo = suite.repo();
  });

  /** The installed `justcall-roster summarize`, reading the JSON from a file of the repository. */
  async function summarize(json: string, args: string[] = []): Promise<string> {
    const file = path.join(repo.dir, `preview-${files++}.json`);
    fs.writeFileSync(file, json);
    const { stdout } = await run(path.join(repo.dir, "node_modules", ".bin", "justcall-roster"), ["summarize", file, ...args], {
      cwd: repo.dir,
    });
    return stdout;
  }

  /** The same, with the JSON on standard input, as the workflow pipes it. */
  async function summarizeStdin(json: string): Promise<string> {
    const bin = path.join(repo.dir, "node_modules", ".bin", "justcall-roster");
    return new Promise((resolve, reject) => {
      const child = execFile(bin, ["summarize", "-"], { cwd: repo.dir }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin!.end(json);
    });
  }

  it("names who gets an invitation email and who is adopted silently, by name and email", async () => {
    await freshStack();
    const preview = await repo.ok(["preview", "--json", "--show-sames"]);
    const markdown = await summarizeStdin(preview.stdout);

    expect(section(markdown, "Invitations")).to.deep.equal([
      "- **Noah Reed** (noah.reed@acme.example): teams Sales, numbers `+14155550103`",
    ]);
    expect(section(markdown, "Adoptions")).to.deep.equal([
      "- **Jane Doe** (jane.doe@acme.example): teams Support, numbers `+14155550100`",
      "- **Priya Patel** (priya.patel@acme.example): teams Billing, numbers `+14155550101`",
      "- **Sam Lee** (sam.lee@acme.example): teams Sales, Support",
    ]);
    expect(headings(markdown)).to.deep.equal(["Invitations", "Adoptions"]);
    expect(markdown).to.include("**In all:** 1 invitation, 3 adoptions, 0 removals (0 deleted, 0 kept)");
    expect(markdown, "no URN or resource type").to.not.match(/urn:pulumi|pulumi-nodejs|dynamic\/justcall/);
  });

  it("a removal, a team change, a number moved between two agents and a field edit, as up then does them", async () => {
    const emu = await freshStack();
    await repo.ok(["up", "--yes"]);
    // Noah leaves; Sam moves from Sales to Billing and takes Jane's number; Priya moves to Dublin.
    const changed = ROSTER.replace(/ {2}- email: noah\.reed@acme\.example[\s\S]*$/, "")
      .replace('    teams: [Support]\n    numbers: ["+14155550100"]\n', "    teams: [Support]\n")
      .replace("    teams: [Support, Sales]\n", '    teams: [Support, Billing]\n    numbers: ["+14155550100"]\n')
      .replace("timezone: Europe/London", "timezone: Europe/Dublin");
    repo.writeFile("roster.yaml", changed);
    const preview = await repo.ok(["preview", "--json", "--show-sames"]);
    const markdown = await summarize(preview.stdout);

    expect(headings(markdown)).to.deep.equal(["Removals", "Team changes", "Number moves", "Field edits"]);
    expect(section(markdown, "Removals")).to.deep.equal([
      "- **Noah Reed** (noah.reed@acme.example): deleted from JustCall (cannot be undone: their call history goes too)",
    ]);
    expect(section(markdown, "Team changes")).to.deep.equal(["- **Sam Lee** (sam.lee@acme.example): joins Billing; leaves Sales"]);
    expect(section(markdown, "Number moves")).to.deep.equal([
      "- `+14155550100`: **Jane Doe** (jane.doe@acme.example) → **Sam Lee** (sam.lee@acme.example)",
      "- `+14155550103`: **Noah Reed** (noah.reed@acme.example) → nobody (unassigned)",
    ]);
    expect(section(markdown, "Field edits")).to.deep.equal([
      "- **Priya Patel** (priya.patel@acme.example): timezone `Europe/London` → `Europe/Dublin`",
    ]);
    expect(markdown).to.include(
      "0 invitations, 0 adoptions, 1 removal (1 deleted, 0 kept), 1 team change, 2 number moves, 1 field edit, 0 drift corrections.",
    );

    const text = await summarize(preview.stdout, ["--format", "text"]);
    expect(text).to.include("  - +14155550100: Jane Doe (jane.doe@acme.example) → Sam Lee (sam.lee@acme.example)");
    expect(text).to.not.include("**");

    // The summary is the engine's plan: up does exactly that.
    await repo.ok(["up", "--yes"]);
    const account = (await emu.admin.state()).accounts[0];
    const sam = (await agentByEmail(emu, "sam.lee@acme.example"))!;
    expect(account.numbers.find((n) => n.number === "+14155550100")!.assigned_to).to.equal(sam.id);
    expect(account.numbers.find((n) => n.number === "+14155550103")!.assigned_to).to.equal(null);
    expect(account.teams.find((t) => t.name === "Billing")!.agents).to.include(sam.id);
    expect(account.teams.find((t) => t.name === "Sales")!.agents).to.not.include(sam.id);
    expect(await agentByEmail(emu, "noah.reed@acme.example")).to.equal(undefined);
    expect((await agentByEmail(emu, "priya.patel@acme.example"))!.timezone).to.equal("Europe/Dublin");
  });

  it("a failed preview: the roster's error first, and nothing listed as if it would happen", async () => {
    await freshStack();
    repo.writeFile("roster.yaml", ROSTER.replace("teams: [Billing]", "teams: [Billling]"));
    const preview = await repo.pulumi(["preview", "--json", "--show-sames"]);
    expect(preview.code, "the preview fails").to.not.equal(0);
    const markdown = await summarize(preview.stdout);

    expect(headings(markdown)).to.deep.equal(["The preview failed: `pulumi up` would change nothing until this is fixed"]);
    const [failure] = section(markdown, "The preview failed");
    expect(failure).to.match(/roster\.yaml:\d+: agent #3 \(priya\.patel@acme\.example\): teams\\\[0\\\]: no team named "Billling"/);
    expect(failure, "no stack trace or checkout path").to.not.match(/ at |\/tmp\/|checkout/);
  });

  it("drift: refresh --preview-only names what changed in JustCall, and preview --refresh what up puts back", async () => {
    const emu = await freshStack();
    await repo.ok(["up", "--yes"]);
    const account = (await emu.admin.state()).accounts[0];
    const sam = (await agentByEmail(emu, "sam.lee@acme.example"))!;
    const priya = (await agentByEmail(emu, "priya.patel@acme.example"))!;
    const jane = (await agentByEmail(emu, "jane.doe@acme.example"))!;
    // Behind the stack's back, in the JustCall dashboard:
    await emu.admin.editAgent(sam.id, { lastname: "Leigh", timezone: "Asia/Tokyo" });
    await emu.admin.removeTeamMember(account.teams.find((t) => t.name === "Billing")!.id, priya.id);
    await emu.admin.moveNumber(account.numbers.find((n) => n.number === "+14155550101")!.id, jane.id);
    await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Olga", lastname: "Novak", email: "olga.novak@acme.example" });

    const refresh = await repo.ok(["refresh", "--preview-only", "--json"], STREAM);
    const drift = await summarize(refresh.stdout);
    expect(drift).to.match(/^### JustCall roster: drift check/);
    expect(headings(drift)).to.deep.equal([
      "Team changes in JustCall",
      "Numbers moved in JustCall",
      "Fields edited in JustCall",
      "In JustCall, not in the roster",
    ]);
    expect(section(drift, "Team changes in JustCall")).to.deep.equal(["- **Priya Patel** (priya.patel@acme.example): leaves Billing"]);
    expect(section(drift, "Numbers moved in JustCall")).to.deep.equal([
      "- `+14155550101`: **Priya Patel** (priya.patel@acme.example) → **Jane Doe** (jane.doe@acme.example)",
    ]);
    expect(section(drift, "Fields edited in JustCall")).to.deep.equal([
      "- **Sam Lee** (sam.lee@acme.example): lastname `Lee` → `Leigh`; timezone `America/New_York` → `Asia/Tokyo`",
    ]);
    expect(section(drift, "In JustCall, not in the roster")).to.deep.equal(["- olga.novak@acme.example"]);

    // The refresh digest (without the event stream) holds only deletions: the summary says so.
    const digest = await summarize((await repo.ok(["refresh", "--preview-only", "--json"])).stdout);
    expect(digest).to.include("PULUMI\\_ENABLE\\_STREAMING\\_JSON\\_PREVIEW=true");
    expect(section(digest, "Team changes in JustCall")).to.deep.equal(["- **Priya Patel** (priya.patel@acme.example): leaves Billing"]);

    // A preview that refreshes first: what up will put back.
    const preview = await repo.ok(["preview", "--refresh", "--json", "--show-sames"]);
    const corrected = await summarize(preview.stdout);
    expect(section(corrected, "Drift corrected")).to.deep.equal([
      "- **Priya Patel** (priya.patel@acme.example): team Billing `removed in JustCall` → `member again`; " +
        "number +14155550101 `with Jane Doe (jane.doe@acme.example) in JustCall` → `back to Priya Patel (priya.patel@acme.example)`",
      "- **Sam Lee** (sam.lee@acme.example): lastname `Leigh` → `Lee`; timezone `Asia/Tokyo` → `America/New_York`",
    ]);
    expect(section(corrected, "Field edits"), "drift is not shown as an edit of the roster").to.deep.equal([]);
  });
});
