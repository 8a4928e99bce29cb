// Roster validation as pure functions: each kind of error, with the entry and the line it names.
import { expect } from "chai";
import {
  formatGithubAnnotation,
  formatIssue,
  loadRoster,
  RosterValidationError,
  validateRosterData,
  validateRosterText,
} from "../../roster/validate";

const catalog = {
  teams: ["Support", "Sales", "Billing"],
  numbers: ["+14155550100", "+14155550101", "+14155550102", "+14155550103"],
};

function issues(text: string, withCatalog = true) {
  const result = validateRosterText(text, withCatalog ? { catalog } : {});
  expect(result.ok, "expected the roster to be rejected").to.equal(false);
  return result.issues.map((i) => formatIssue("roster.yaml", i));
}

describe("roster validation", () => {
  it("accepts a good roster and reads unquoted E.164 numbers as written", () => {
    const roster = loadRoster(
      [
        "authoritative: true",
        "agents:",
        "  - email: Jane.Doe@acme.example",
        "    firstname: Jane",
        "    lastname: Doe",
        "    role: admin",
        "    timezone: America/Los_Angeles",
        "    phone: +14155550123",
        "    teams: [support, Sales]",
        "    numbers: [+14155550100, '+14155550101']",
        "  - { email: sam@acme.example, firstname: Sam, lastname: Lee }",
      ].join("\n"),
      "roster.yaml",
      { catalog },
    );
    expect(roster.authoritative).to.equal(true);
    expect(roster.agents[0]).to.deep.include({ phone: "+14155550123", numbers: ["+14155550100", "+14155550101"] });
    expect(roster.agents[1]).to.deep.equal({ email: "sam@acme.example", firstname: "Sam", lastname: "Lee" });
  });

  it("defaults authoritative to false and accepts an empty agent list", () => {
    expect(loadRoster("agents: []\n", "r.yaml")).to.deep.equal({ authoritative: false, onRemove: "delete", agents: [] });
  });

  it("rejects duplicate emails without regard to case, naming both entries and lines", () => {
    const found = issues(
      [
        "agents:",
        "  - email: jane@acme.example",
        "    firstname: Jane",
        "    lastname: Doe",
        "  - email: JANE@acme.example",
        "    firstname: Janet",
        "    lastname: Doe",
      ].join("\n"),
    );
    expect(found).to.deep.equal([
      "roster.yaml:5: agent #2 (JANE@acme.example): email: JANE@acme.example is already listed as agent #1 " +
        "(jane@acme.example) at line 2 (emails compare without case)",
    ]);
  });

  it("rejects a number given to two agents, and a number or team listed twice", () => {
    const found = issues(
      [
        "agents:",
        "  - email: a@acme.example",
        "    firstname: A",
        "    lastname: A",
        "    teams: [Sales, sales]",
        "    numbers:",
        "      - '+14155550100'",
        "  - email: b@acme.example",
        "    firstname: B",
        "    lastname: B",
        "    numbers: ['+14155550102', '+14155550100', '+14155550102']",
      ].join("\n"),
    );
    expect(found).to.deep.equal([
      "roster.yaml:5: agent #1 (a@acme.example): teams[1]: team sales is listed twice",
      "roster.yaml:11: agent #2 (b@acme.example): numbers[1]: +14155550100 is also given to agent #1 (a@acme.example) at line 7; a number has one holder",
      "roster.yaml:11: agent #2 (b@acme.example): numbers[2]: +14155550102 is also given earlier in this entry; a number has one holder",
    ]);
  });

  it("rejects bad fields, missing fields and unknown fields, each with its entry and line", () => {
    const found = issues(
      [
        "agents:",
        "  - email: not-an-email",
        "    firstname: A",
        "    lastname: A",
        "  - email: b@acme.example",
        "    lastname: B",
        "    role: owner",
        "    timezone: Mars/Olympus",
        "  - email: c@acme.example",
        "    firstname: C",
        "    lastname: C",
        "    team: [Sales]",
        "    phone: 555-0100",
        "  - just a string",
      ].join("\n"),
    );
    expect(found).to.deep.equal([
      "roster.yaml:2: agent #1 (not-an-email): email: email must be an email address, like jane@example.com",
      "roster.yaml:5: agent #2 (b@acme.example): firstname: firstname is required",
      "roster.yaml:7: agent #2 (b@acme.example): role: role must be one of agent, supervisor, admin",
      "roster.yaml:8: agent #2 (b@acme.example): timezone: timezone must be an IANA time zone, like America/New_York or Europe/London",
      'roster.yaml:12: agent #3 (c@acme.example): team: unknown field "team" (known: email, firstname, lastname, ' +
        "role, timezone, phone, teams, numbers, releaseNumbersOnDelete, onRemove)",
      "roster.yaml:13: agent #3 (c@acme.example): phone: phone must be an E.164 number, like +14155550100",
      "roster.yaml:14: agent #4: each agent must be a mapping with email, firstname and lastname",
    ]);
  });

  it("rejects team names and numbers the account does not have, listing the account's teams", () => {
    const found = issues(
      [
        "agents:",
        "  - email: a@acme.example",
        "    firstname: A",
        "    lastname: A",
        "    teams: [Support, Marketing]",
        "    numbers: ['+14155550199']",
      ].join("\n"),
    );
    expect(found).to.deep.equal([
      'roster.yaml:5: agent #1 (a@acme.example): teams[1]: no team named "Marketing" in the JustCall account (teams: ' +
        "Support, Sales, Billing); teams are created in the JustCall dashboard",
      "roster.yaml:6: agent #1 (a@acme.example): numbers[0]: +14155550199 is not one of the account's numbers; numbers are bought in the JustCall dashboard",
    ]);
    // Without the account's lists (no credentials), references are not checked.
    expect(validateRosterText("agents:\n  - {email: a@x.example, firstname: A, lastname: A, teams: [Marketing]}\n").ok).to.equal(true);
  });

  it("rejects YAML syntax errors and file-level mistakes with a line", () => {
    expect(issues("agents:\n  - email: a@x.example\n   firstname: [A\n")[0]).to.match(/^roster\.yaml:\d+: YAML: /);
    expect(issues("agents:\n  - {email: a@x.example, firstname: A, lastname: A}\nagents: []\n")[0]).to.match(
      /^roster\.yaml:3: YAML: .*[Uu]nique/,
    );
    expect(issues("authoritative: yes please\nagents: []\n")).to.deep.equal([
      "roster.yaml:1: authoritative: authoritative must be true or false",
    ]);
    expect(issues("autoritative: true\nagents: []\n")).to.deep.equal([
      "roster.yaml:1: autoritative: unknown top-level field (known: authoritative, onRemove, removalBudget, agents)",
    ]);
    expect(issues("authoritative: true\n")).to.deep.equal([
      "roster.yaml:1: agents: agents is required: it needs the list of agents, like " +
        "agents: [{email: jane@acme.example, firstname: Jane, lastname: Doe}] (agents: [] for none)",
    ]);
    expect(issues("- a\n- b\n")[0]).to.match(/must be a mapping/);
  });

  it("reports the agents' problems with the top-level ones, whatever the level", () => {
    const found = issues(
      [
        "authoritative: yes",
        "onRemove: remove",
        "owner: it-team",
        "agents:",
        "  - email: a@acme.example",
        "    lastname: A",
        "    role: boss",
        "  - {email: A@acme.example, firstname: B, lastname: B, teams: [Marketing]}",
      ].join("\n"),
    );
    expect(found).to.deep.equal([
      "roster.yaml:1: authoritative: authoritative must be true or false",
      "roster.yaml:2: onRemove: onRemove must be delete (remove the agent from JustCall) or keep (leave it in JustCall, stop managing it)",
      "roster.yaml:3: owner: unknown top-level field (known: authoritative, onRemove, removalBudget, agents)",
      "roster.yaml:5: agent #1 (a@acme.example): firstname: firstname is required",
      "roster.yaml:7: agent #1 (a@acme.example): role: role must be one of agent, supervisor, admin",
      "roster.yaml:8: agent #2 (A@acme.example): email: A@acme.example is already listed as agent #1 (a@acme.example) at line 5 (emails compare without case)",
      'roster.yaml:8: agent #2 (A@acme.example): teams[0]: no team named "Marketing" in the JustCall account (teams: ' +
        "Support, Sales, Billing); teams are created in the JustCall dashboard",
    ]);
    // Agents that are not a list cannot be checked one by one: the top-level problems alone.
    expect(issues("authoritative: yes\nagents: {email: a@acme.example}\n")).to.deep.equal([
      "roster.yaml:1: authoritative: authoritative must be true or false",
      "roster.yaml:2: agents: agents must be a list of agents",
    ]);
  });

  it("an empty roster, or agents with no list, is one clear problem, not a crash", () => {
    const empty =
      "roster.yaml: the roster is empty: it needs an agents list, like agents: [{email: jane@acme.example, firstname: Jane, lastname: Doe}]";
    for (const text of ["", "\n", "# the agents go here\n# one day\n", "---\n"]) {
      expect(issues(text), JSON.stringify(text)).to.deep.equal([empty]);
      expect(() => loadRoster(text, "roster.yaml"), JSON.stringify(text)).to.throw(RosterValidationError, `${empty} (nothing was changed)`);
    }
    for (const data of [null, undefined]) {
      const result = validateRosterData(data);
      expect(result.ok).to.equal(false);
      expect(result.issues.map((i) => formatIssue("roster", i))).to.deep.equal([empty.replace("roster.yaml", "roster")]);
    }
    // The message is the error's whole text: one line, and Pulumi prints it without a stack trace.
    const error = new RosterValidationError("roster.yaml", validateRosterText("").issues);
    expect(error.message.split("\n")).to.have.length(1);
    expect((error as unknown as Record<string, unknown>).__pulumiRunError).to.equal(true);
    expect(issues("authoritative: true\nagents:\n")).to.deep.equal([
      "roster.yaml:2: agents: agents is empty: it needs the list of agents, like " +
        "agents: [{email: jane@acme.example, firstname: Jane, lastname: Doe}] (agents: [] for none)",
    ]);
  });

  it("a required field written with no value is required; an optional one says what it must be", () => {
    expect(issues("agents:\n  - email: a@acme.example\n    firstname:\n    lastname: A\n    role:\n")).to.deep.equal([
      "roster.yaml:3: agent #1 (a@acme.example): firstname: firstname is required",
      "roster.yaml:5: agent #1 (a@acme.example): role: role must be one of agent, supervisor, admin",
    ]);
  });

  it("reports every problem at once in one error, before anything else happens", () => {
    const text =
      "agents:\n  - {email: a@x.example, firstname: A, lastname: A, role: boss}\n  - {email: A@x.example, firstname: B, lastname: B}\n";
    let error: unknown;
    try {
      loadRoster(text, "team/roster.yaml", { catalog });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(RosterValidationError);
    const message = (error as Error).message;
    expect(message.split("\n")[0]).to.equal("team/roster.yaml: 2 problems; nothing was changed:");
    expect(message).to.include("team/roster.yaml:2: agent #1 (a@x.example): role:");
    expect(message).to.include("team/roster.yaml:3: agent #2 (A@x.example): email:");
  });

  it("formats GitHub annotations with line and column, escaped as workflow commands require", () => {
    const result = validateRosterText("agents:\n  - email: a@x.example\n    firstname: A\n    lastname: A\n    role: boss\n");
    expect(result.ok).to.equal(false);
    expect(result.issues.map((i) => formatGithubAnnotation("infra/roster.yaml", i))).to.deep.equal([
      "::error file=infra/roster.yaml,line=5,col=11::agent #1 (a@x.example): role: role must be one of agent, supervisor, admin",
    ]);
    // Properties may not hold "," or ":"; messages may not hold newlines or a bare "%".
    expect(formatGithubAnnotation("a,b:c.yaml", { line: 1, column: 2, message: "50% done\nnext line" })).to.equal(
      "::error file=a%2Cb%3Ac.yaml,line=1,col=2::50%25 done%0Anext line",
    );
  });

  it("validates data built in code (no file, so no lines)", () => {
    const result = validateRosterData(
      {
        agents: [
          { email: "a@x.example", firstname: "A", lastname: "A", numbers: ["+14155550100"] },
          { email: "b@x.example", firstname: "B", lastname: "B", numbers: ["+14155550100"] },
        ],
      },
      { catalog },
    );
    expect(result.ok).to.equal(false);
    expect(result.issues.map((i) => formatIssue("hr.csv", i))).to.deep.equal([
      "hr.csv: agent #2 (b@x.example): numbers[0]: +14155550100 is also given to agent #1 (a@x.example); a number has one holder",
    ]);
  });
});

describe("hostile rosters are clean errors", () => {
  const levels = "abcdefgh".split("");
  const bomb = `${levels
    .map(
      (l, i) =>
        `${l}: &${l} [${
          i === 0
            ? Array(9).fill('"x"').join(",")
            : Array(9)
                .fill(`*${levels[i - 1]}`)
                .join(",")
        }]`,
    )
    .join("\n")}\nagents: *h\n`;

  it("an alias bomb (a few lines that expand to 43 million nodes) is one issue of the file, not a crash", () => {
    expect(issues(bomb)).to.deep.equal([
      "roster.yaml:1: YAML: the file repeats its aliases (*name) too many times to expand safely (more than 100 alias uses); write the entries out instead",
    ]);
    expect(() => loadRoster(bomb, "roster.yaml")).to.throw(RosterValidationError);
  });

  it("deep nesting, custom tags, prototype keys and duplicate keys are issues of the file", () => {
    // How far the parser gets before the stack runs out depends on the caller's depth: issues, whatever they say.
    const deep = issues(`agents: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expect(deep.length).to.be.greaterThan(0);
    for (const issue of deep) expect(issue).to.match(/^roster\.yaml:\d+: /);
    expect(issues("agents: !!js/function 'x'\n")).to.deep.equal(["roster.yaml:1: agents: agents must be a list of agents"]);
    expect(issues("__proto__: {authoritative: true}\nagents: []\n")[0]).to.match(/__proto__: unknown top-level field/);
    expect(issues("agents: []\nagents: []\n")[0]).to.match(/Map keys must be unique/);
  });
});
