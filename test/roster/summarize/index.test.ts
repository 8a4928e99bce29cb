// The summarizer's logic on real engine output saved from the plain CLI against the emulator
// (test/fixtures/summarize: the GitOps example's roster changed in every way, a failed preview, a
// refresh preview's event stream and a preview --refresh after changes made in the dashboard).
// The end-to-end path (plain CLI → installed justcall-roster) is test/cli/summarize.test.ts.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../../../roster/cli";
import { parseEngineJson, renderMarkdown, renderText, summarizePlan, SummarizeInputError } from "../../../roster/summarize";
import { repoRoot } from "../../../harness/engine";
import { DEFAULT_MANAGED, SWITCH_DEFAULTS } from "../../../provider/agent-state";
import { AGENT_DEFAULT_MANAGED, AGENT_SWITCH_DEFAULTS } from "../../../roster/summarize/people";

const fixture = (name: string) => fs.readFileSync(path.join(repoRoot, "test", "fixtures", "summarize", name), "utf8");
const summaryOf = (text: string) => summarizePlan(parseEngineJson(text));

async function cli(argv: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => stdin,
  };
  const code = await main(argv, {}, io);
  return { code, stdout, stderr };
}

describe("summarize: the engine's plan in plain language (saved real output)", () => {
  it("tells every kind of change in a preview, by name, in the issue's order", () => {
    const s = summaryOf(fixture("preview-all-kinds.json"));
    expect(s.kind).to.equal("preview");
    expect(s.invitations.map((a) => [a.person.name, a.teams, a.numbers])).to.deep.equal([["Lena Ortiz", ["Sales"], ["+14155550102"]]]);
    expect(s.removals).to.deep.equal([{ person: { email: "noah.reed@acme.example", name: "Noah Reed" }, action: "delete" }]);
    expect(s.teamChanges.map((t) => [t.person.name, t.joins, t.leaves])).to.deep.equal([["Sam Lee", ["Billing"], ["Sales"]]]);
    expect(s.numberMoves.map((m) => [m.number, m.from?.name, m.to?.name])).to.have.deep.members([
      ["+14155550100", "Jane Doe", "Sam Lee"],
      ["+14155550103", "Noah Reed", undefined],
    ]);
    expect(s.fieldEdits).to.deep.equal([
      {
        person: { email: "priya.patel@acme.example", name: "Priya Patel" },
        changes: [{ field: "timezone", from: "Europe/London", to: "Europe/Dublin" }],
      },
    ]);
    expect(s.unmanaged).to.deep.equal(["olga.novak@acme.example"]);
    expect(s.warnings, "the audit's warning repeats the unmanaged list").to.deep.equal([]);

    const markdown = renderMarkdown(s);
    const order = [
      "Invitations",
      "Removals",
      "Team changes",
      "Number moves",
      "Field edits",
      "In JustCall, not in the roster",
      "**In all:**",
    ];
    const at = order.map((h) => markdown.indexOf(h));
    expect(at.every((i) => i >= 0) && at.every((i, k) => k === 0 || i > at[k - 1]), markdown).to.equal(true);
    expect(markdown).to.not.match(/urn:pulumi|dynamic\/justcall|__provider/);
  });

  it("makes names from the roster or the dashboard inert: no heading, mention, line break or CI workflow command", () => {
    const hostile = JSON.parse(fixture("preview-all-kinds.json"));
    const lena = hostile.steps.find((s: any) => s.op === "create" && s.urn.endsWith(":Agent::lena.ortiz@acme.example"));
    lena.newState.inputs.firstname =
      "Lena\n# Owned @everyone @acme/support\r\n::add-mask::x\u2028::error title=x::y [link](https://evil.example) <img>";
    const s = summaryOf(JSON.stringify(hostile));
    for (const out of [renderMarkdown(s), renderText(s)]) {
      const lines = out.split("\n");
      expect(
        lines.filter((l) => /^\s*#+ Owned/.test(l)),
        "no heading from a name",
      ).to.deep.equal([]);
      expect(
        lines.filter((l) => /^\s*::/.test(l)),
        "no line is a workflow command",
      ).to.deep.equal([]);
      expect(out, "no workflow command anywhere").to.not.match(/::(add-mask|error)/);
      expect(
        lines.filter((l) => l.includes("Lena")),
        "the name stays on its line",
      ).to.have.length.greaterThan(0);
      for (const l of lines.filter((x) => x.includes("Lena"))) expect(l).to.include("Owned");
    }
    const markdown = renderMarkdown(s);
    expect(markdown, "no mention").to.not.match(/(^|\s)@(everyone|acme\/support)/);
    expect(markdown).to.include("@\u200beveryone");
    expect(markdown, "no link or HTML").to.not.match(/(?<!\\)\]\(https|(?<!\\)<img>/);
    expect(markdown, "emails stay copyable").to.include("lena.ortiz@acme.example");
  });

  it("a removal is told as kept when the engine retains the agent, or the roster guard says keep", () => {
    const retained = JSON.parse(fixture("preview-all-kinds.json"));
    const noah = retained.steps.find((s: any) => s.op === "delete" && s.urn.endsWith(":Agent::noah.reed@acme.example"));
    noah.oldState.retainOnDelete = true;
    expect(summaryOf(JSON.stringify(retained)).removals[0].action).to.equal("keep");

    const guarded = JSON.parse(fixture("preview-all-kinds.json"));
    guarded.steps.push({
      op: "create",
      urn: "urn:pulumi:dev::acme-justcall-roster::pulumi-nodejs:dynamic/justcall:RosterGuard::roster-guard",
      newState: {
        urn: "urn:pulumi:dev::acme-justcall-roster::pulumi-nodejs:dynamic/justcall:RosterGuard::roster-guard",
        inputs: { removals: { "noah.reed@acme.example": "keep" } },
      },
    });
    const s = summaryOf(JSON.stringify(guarded));
    expect(s.removals[0].action).to.equal("keep");
    expect(renderMarkdown(s)).to.include("kept in JustCall, no longer managed by the roster");
    expect(renderMarkdown(s)).to.include("1 removal (0 deleted, 1 kept)");
  });

  it("a failed preview shows the roster's error first, without stack trace", () => {
    const s = summaryOf(fixture("preview-failed.json"));
    expect(s.failures).to.have.length(1);
    expect(s.failures[0]).to.match(
      /^roster\.yaml: 1 problem; nothing was changed:\n\s*roster\.yaml:22: agent #3 \(priya\.patel@acme\.example\): teams\[0\]: no team named "Billling"/,
    );
    expect(s.failures[0]).to.not.match(/ at |\{|\/tmp\//);
    const text = renderText(s);
    expect(text.split("\n")[2]).to.match(/^THE PREVIEW FAILED/);
  });

  it("a refresh preview (event stream) tells what changed in JustCall, the stack's value first", () => {
    const s = summaryOf(fixture("refresh-drift.jsonl"));
    expect(s.kind).to.equal("refresh");
    expect(s.notices).to.deep.equal([]);
    expect(s.teamChanges.map((t) => [t.person.name, t.leaves])).to.deep.equal([["Priya Patel", ["Billing"]]]);
    expect(s.numberMoves.map((m) => [m.number, m.from?.name, m.to?.name])).to.deep.equal([["+14155550101", "Priya Patel", "Jane Doe"]]);
    expect(s.fieldEdits.map((p) => [p.person.name, p.changes.map((c) => `${c.field}: ${c.from} → ${c.to}`)])).to.deep.equal([
      ["Sam Lee", ["lastname: Lee → Leigh", "timezone: America/New_York → Asia/Tokyo"]],
    ]);
    expect(s.unmanaged).to.deep.equal(["olga.novak@acme.example"]);
    expect(renderMarkdown(s)).to.match(/^### JustCall roster: drift check \(stack dev\)/);
  });

  it("reads state that leaves out what is at its default: the default managed fields and settings", () => {
    // Sam's state as this version writes it when the program manages the default set (no timezone):
    // no managedFields, no settings. His timezone changed in JustCall, unmanaged: no drift told.
    const events = fixture("refresh-drift.jsonl")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    for (const e of events) {
      const m = (e.resourcePreEvent ?? e.resOutputsEvent)?.metadata;
      if (!m?.urn.endsWith(":Agent::sam.lee@acme.example")) continue;
      for (const state of [m.old, m.new]) {
        delete state.outputs.managedFields;
        delete state.inputs.adoptExisting;
        delete state.inputs.releaseNumbersOnDelete;
      }
    }
    const refresh = summaryOf(events.map((e) => JSON.stringify(e)).join("\n"));
    expect(refresh.fieldEdits.map((p) => [p.person.name, p.changes.map((c) => `${c.field}: ${c.from} → ${c.to}`)])).to.deep.equal([
      ["Sam Lee", ["lastname: Lee → Leigh"]],
    ]);

    // A setting the state leaves out is at its default: setting it is an edit, from the default.
    const preview = JSON.parse(fixture("preview-all-kinds.json"));
    const priya = preview.steps.find((x: any) => x.urn.endsWith(":Agent::priya.patel@acme.example") && x.oldState && x.newState);
    delete priya.oldState.inputs.releaseNumbersOnDelete;
    delete priya.newState.inputs.adoptExisting;
    priya.newState.inputs.releaseNumbersOnDelete = true;
    const edits = summaryOf(JSON.stringify(preview)).fieldEdits.find((p) => p.person.name === "Priya Patel")!.changes;
    expect(edits).to.deep.include({ field: "releaseNumbersOnDelete", from: "false", to: "true" });
    expect(edits.map((c) => c.field)).to.not.include("adoptExisting");
  });

  it("knows the provider's defaults for what an Agent's state leaves out", () => {
    expect(AGENT_SWITCH_DEFAULTS).to.deep.equal(SWITCH_DEFAULTS);
    expect(AGENT_DEFAULT_MANAGED).to.have.members([...DEFAULT_MANAGED]);
  });

  it("a preview --refresh tells drift that up puts back apart from the roster's own edits", () => {
    const s = summaryOf(fixture("preview-refresh-drift.json"));
    expect(s.kind).to.equal("preview");
    expect(s.fieldEdits).to.deep.equal([]);
    expect(s.teamChanges).to.deep.equal([]);
    expect(s.numberMoves).to.deep.equal([]);
    expect(s.drift.map((p) => [p.person.name, p.changes.map((c) => `${c.field}: ${c.from} → ${c.to}`)])).to.have.deep.members([
      ["Sam Lee", ["lastname: Leigh → Lee", "timezone: Asia/Tokyo → America/New_York"]],
      [
        "Priya Patel",
        [
          "team Billing: removed in JustCall → member again",
          "number +14155550101: with Jane Doe (jane.doe@acme.example) in JustCall → back to Priya Patel (priya.patel@acme.example)",
        ],
      ],
    ]);
  });

  it("names in the comment cannot format it", () => {
    const doc = JSON.parse(fixture("preview-all-kinds.json"));
    const lena = doc.steps.find((s: any) => s.urn.endsWith(":Agent::lena.ortiz@acme.example"));
    lena.newState.inputs.firstname = "<img src=x>**Le_na**";
    const markdown = renderMarkdown(summaryOf(JSON.stringify(doc)));
    expect(markdown).to.include("**\\<img src=x\\>\\*\\*Le\\_na\\*\\* Ortiz**");
  });

  it("the command: file or standard input, markdown or text; unreadable input and bad options are errors", async () => {
    const json = fixture("preview-all-kinds.json");
    const fromStdin = await cli(["summarize"], json);
    expect(fromStdin.code).to.equal(0);
    expect(fromStdin.stdout).to.include("#### Invitations (1)");
    const text = await cli([
      "summarize",
      path.join(repoRoot, "test", "fixtures", "summarize", "preview-all-kinds.json"),
      "--format",
      "text",
    ]);
    expect(text.stdout).to.include(
      "Invitations (1): JustCall emails each of them an invitation.\n  - Lena Ortiz (lena.ortiz@acme.example)",
    );

    const empty = await cli(["summarize", "-"], "");
    expect([empty.code, empty.stderr]).to.deep.equal([
      1,
      "justcall-roster summarize: standard input: the input is empty: did `pulumi preview --json` print anything?\n",
    ]);
    const notJson = await cli(["summarize"], "error: no stack named 'production' found\n");
    expect(notJson.code).to.equal(1);
    expect(notJson.stderr).to.include("neither one JSON document nor one JSON event per line");
    const unreadable = await cli(["summarize", "/nonexistent/preview.json"]);
    expect(unreadable.code, "an unreadable file is a usage error, as for validate").to.equal(2);
    expect(unreadable.stderr).to.include("cannot read /nonexistent/preview.json: ENOENT");
    expect((await cli(["summarize", "--format", "html"])).code).to.equal(2);
    expect(() => parseEngineJson('{"config": {}}')).to.throw(SummarizeInputError, /no steps/);
  });
});
