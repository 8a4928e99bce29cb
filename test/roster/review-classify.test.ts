// The access review's pure parts, without a server: the findings (roster/review/classify.ts), the
// HR export's mapping (hr.ts), and the renderers' handling of what an account can hold: hostile
// names in Markdown, formulas in CSV cells, a number assigned to an id not in the agent list.
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import type { Agent, PhoneNumber, Team } from "../../provider/client/types";
import { classify, type ReviewInput } from "../../roster/review/classify";
import { HrFileError, readHrCsv } from "../../roster/review/hr";
import { renderCsv } from "../../roster/review/render-csv";
import { renderMarkdown } from "../../roster/review/render-markdown";

const agent = (id: number, email: string, extra: Partial<Agent> = {}): Agent => ({
  id,
  email,
  firstname: email.split("@")[0],
  lastname: "Example",
  role: "agent",
  status: "Offline",
  ...extra,
});

function input(agents: Agent[], extra: Partial<ReviewInput> = {}): ReviewInput {
  const teams: Team[] = [{ id: 1, name: "Support", agentIds: agents.map((a) => a.id) }];
  const numbers: PhoneNumber[] = [
    { id: 1, number: "+14155550100", country: "US", type: "local", assignedTo: agents[0]?.id ?? null },
    { id: 2, number: "+14155550101", country: "US", type: "local", assignedTo: null },
    // Assigned to someone the agent list does not hold (deleted between the two reads).
    { id: 3, number: "+14155550102", country: "US", type: "local", assignedTo: 999 },
  ];
  return {
    takenAt: "2026-12-03T10:00:00.000Z",
    account: { host: "api.justcall.io", apiVersion: "v1" },
    agents,
    teams,
    numbers,
    requests: { "GET /v1/agents": { "200": 1 } },
    ...extra,
  };
}

describe("review: classify and render", () => {
  it("privileged: admin, the Account Owner, a custom role, and a role JustCall did not report; not agents or supervisors", () => {
    const r = classify(
      input([
        agent(1, "a@x.example", { role: "admin" }),
        agent(2, "b@x.example", { role: "Account Owner" }),
        agent(3, "c@x.example", { role: "Billing Auditor" }),
        agent(4, "d@x.example", { role: undefined }),
        agent(5, "e@x.example", { role: "supervisor" }),
        agent(6, "f@x.example"),
      ]),
    );
    const reasons = r.agents.map((a) => a.findings.filter((f) => f.finding === "privileged").map((f) => f.reason));
    expect(reasons).to.deep.equal([
      ["admin"],
      ['role "Account Owner"'],
      ['role "Billing Auditor"'],
      ["role not reported by JustCall"],
      [],
      [],
    ]);
    expect(r.counts).to.include({ privileged: 4, notManaged: null, notEmployed: null, rosterOnly: null });
  });

  it("numbers: a number assigned to an id not in the agent list is neither held by no one nor by someone flagged", () => {
    const r = classify(input([agent(1, "a@x.example", { role: "admin" })]));
    expect(r.numbers.map((n) => [n.number, n.assignedTo, n.holder?.email ?? null, n.holderFindings])).to.deep.equal([
      ["+14155550100", 1, "a@x.example", ["privileged"]],
      ["+14155550101", null, null, []],
      ["+14155550102", 999, null, []],
    ]);
    expect(r.counts).to.include({ numbers: 3, numbersHeldByFlagged: 1, numbersHeldByNoOne: 1 });
  });

  it("not yet active: v1's Pending; not checked without a status in the list, or in v2.1 (availability only)", () => {
    const pending = [agent(1, "a@x.example", { status: "Pending" }), agent(2, "b@x.example")];
    expect(classify(input(pending)).counts.notYetActive).to.equal(1);
    const noStatus = pending.map((a) => ({ ...a, status: undefined }));
    expect(classify(input(noStatus)).counts.notYetActive).to.equal(null);
    const v21 = classify(input(pending, { account: { host: "api.justcall.io", apiVersion: "v2.1" } }));
    expect(v21.counts.notYetActive).to.equal(null);
    expect(renderMarkdown(v21)).to.include("### Not yet active (not checked)");
  });

  it("HR: its own column names, a BOM, any case; absent or terminated is not employed; a rehire is employed", () => {
    const csv = "\uFEFFWork Email , State\nA@X.example,Active\nb@x.example, LEAVER \nc@x.example,terminated\nc@x.example,Active\n\n";
    const hr = readHrCsv(csv, { emailColumn: "Work Email", statusColumn: "State", terminatedValues: ["leaver", "terminated"] });
    expect(hr.rows).to.equal(4);
    expect(Object.fromEntries(hr.byEmail)).to.deep.equal({
      "a@x.example": { status: "Active", terminated: false },
      "b@x.example": { status: "LEAVER", terminated: true },
      "c@x.example": { status: "Active", terminated: false },
    });
    const r = classify(
      input([agent(1, "a@x.example"), agent(2, "b@x.example"), agent(3, "d@x.example")], { hr: { file: "hr.csv", index: hr } }),
    );
    expect(r.agents.map((a) => [a.email, a.hrStatus, a.findings.map((f) => f.reason)])).to.deep.equal([
      ["a@x.example", "Active", []],
      ["b@x.example", "LEAVER", ['HR status "LEAVER"']],
      ["d@x.example", null, ["not in the HR export"]],
    ]);
    expect(() => readHrCsv("mail,status\nx@y.example,active\n")).to.throw(
      HrFileError,
      'no column "email" (--hr-email-column); its columns: mail, status',
    );
    expect(() => readHrCsv("")).to.throw(HrFileError, "its columns: none");
  });

  it("not managed: emails compared without case; the roster's people missing from JustCall are named", () => {
    const roster = {
      authoritative: true,
      onRemove: "delete" as const,
      agents: [
        { email: "A@x.example", firstname: "A", lastname: "Example" },
        { email: "new@x.example", firstname: "New", lastname: "Person" },
      ],
    };
    const r = classify(input([agent(1, "a@x.example"), agent(2, "b@x.example")], { roster: { file: "roster.yaml", roster } }));
    expect(r.agents.map((a) => a.findings.map((f) => f.finding))).to.deep.equal([[], ["not-managed"]]);
    expect(r.rosterOnly).to.deep.equal(["new@x.example"]);
    expect(renderMarkdown(r)).to.include(
      "In the roster, not in JustCall (1; invited by the next `pulumi up`, or removed by hand): new@x.example.",
    );
  });

  it("Markdown: a hostile name forms no link, mention, HTML, heading or table cell; CSV: no formula, quoting intact", () => {
    const hostile = agent(1, "evil@x.example", {
      firstname: '=HYPERLINK("http://evil.example")|[x](http://evil.example) <img src=x> @org/team',
      lastname: "\n## Approved",
      role: "admin",
    });
    const r = classify(input([hostile]));
    const markdown = renderMarkdown(r);
    const row = markdown.split("\n").find((l) => l.includes("evil@x.example") && l.startsWith("| "))!;
    // As many cells as the header: the name's | is escaped.
    expect(row.split(/(?<!\\)\|/).length).to.equal("| Agent | Role | Status | Why | Also flagged |".split("|").length);
    expect(markdown).to.not.include("[x](http").and.not.include("\n## Approved").and.not.include(" @org");
    expect(markdown).to.not.match(/(^|[^\\])<img/);
    const csv = renderCsv(r);
    const rows: string[][] = parse(csv);
    expect(rows[0]).to.include("not_managed");
    const name = rows[1][rows[0].indexOf("name")];
    expect(name.startsWith("'=HYPERLINK")).to.equal(true);
    expect(name).to.include("\n## Approved");
    // A plain E.164 number stays as it is; the unchecked columns say so.
    expect(rows[1][rows[0].indexOf("numbers")]).to.equal("+14155550100");
    expect(rows[1][rows[0].indexOf("not_employed")]).to.equal("not checked");
    expect(rows.slice(1).map((x) => x[rows[0].indexOf("record")])).to.deep.equal(["agent", "number"]);
  });
});
