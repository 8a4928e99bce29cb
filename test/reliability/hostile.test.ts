// Hostile input on the real engine: a roster with invalid fields, unicode and injection-looking
// names, emails that differ only in case, a very large program; and an API that answers
// malformed JSON, HTML error pages, or hangs. Each failure is a clear error naming the resource,
// the provider process keeps serving the other resources, and nothing is written that the
// engine does not record.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import type { FaultRule, RunningEmulator } from "../../emulator";
import { type AgentSpec, rosterProgram } from "../support/justcall";
import { cliOutput } from "../support/user-repo";
import { LIST_CACHE_TTL_MS } from "../../provider/client";
import { checkAccount, checkStateIds, config, managedResources, requestCount, roster, row } from "./harness";
import { reliabilityFixture } from "./fixture";

/** Signs that the provider process died instead of failing one resource. */
const CRASH = /transport is closing|connection refused|plugin .* exited|unexpected EOF|panic:|Unhandled|ECONNRESET.*grpc/i;

/** Seeded agents: Sam (102) is in Support and Sales; Priya (103) in Billing; Jane (101) in Support. */
const SAM = 102;

/** A program (JavaScript) declaring one new Agent, and Sam joining Billing: a membership that needs no new agent. */
function agentAndSamInBilling(name: string, agent: { email: string; firstname: string; lastname: string }): string {
  return `new Agent(${JSON.stringify(name)}, ${JSON.stringify(agent)});\nnew TeamMembership("sam-in-Billing", { teamName: "Billing", agentId: ${SAM} });`;
}

// The cases in which a run fails are on the plain CLI, so that each run's program is a process
// of its own, as a user's is: the engine stops a failing program half-way, and its RPCs still in
// flight then fail. In an inline program those late failures land in this test process, where the
// next inline run reported them as its own error ("14 UNAVAILABLE: No connection established")
// or registered nothing at all.
describe("reliability: hostile input", function () {
  const rel = reliabilityFixture();

  async function setup(name: string, extra: Parameters<typeof config>[1] = {}, faults: FaultRule[] = []) {
    const emu = await rel.emulator({ faults });
    const project = await rel.project(`rel-${name}`);
    return { emu, project, cfg: config(emu, extra) };
  }

  /** A plain-CLI project running `program` (a roster of agents, or JavaScript) with its stack's config pointing at a fresh emulator. */
  async function cliSetup(name: string, program: AgentSpec[] | string, extraConfig: Record<string, string> = {}, faults: FaultRule[] = []) {
    const emu = await rel.emulator({ faults });
    return { emu, repo: await rel.cli(`rel-${name}`, emu, program, extraConfig) };
  }

  /** Every agent JustCall holds beyond the seed is in the stack's state, and every id in state is JustCall's. */
  async function nothingUnrecorded(emu: RunningEmulator, deployment: any): Promise<string[]> {
    const account = (await emu.admin.state()).accounts[0];
    const inState = new Set(
      managedResources(deployment)
        .filter((r) => r.type.endsWith(":Agent"))
        .map((r) => Number(r.id)),
    );
    const extra = account.agents
      .filter((a) => a.id > 103 && !inState.has(a.id))
      .map((a) => `JustCall holds ${a.email} (${a.id}), the state does not`);
    return [...extra, ...checkStateIds(deployment, account)];
  }

  it("rejects invalid roster entries at preview, naming each resource and field, with no write", async () => {
    const r = row(
      "Hostile: invalid fields",
      "bad email, blank first name, 300-character last name, phone 555-1234, time zone Mars/Olympus, role owner, unknown team",
    );
    const good = roster(1, "valid")[0];
    const bad: AgentSpec[] = [
      { name: "badEmail", email: "not-an-email", firstname: "A", lastname: "B" },
      { name: "blankName", email: "blank@acme.example", firstname: "   ", lastname: "B" },
      { name: "longName", email: "long@acme.example", firstname: "A", lastname: "x".repeat(300) },
      { name: "badPhone", email: "phone@acme.example", firstname: "A", lastname: "B", phone: "555-1234" },
      { name: "badZone", email: "zone@acme.example", firstname: "A", lastname: "B", timezone: "Mars/Olympus" },
      { name: "badRole", email: "role@acme.example", firstname: "A", lastname: "B", role: "owner" as any },
      { name: "badTeam", email: "team@acme.example", firstname: "A", lastname: "B", teams: ["No Such Team"] },
    ];
    const expected: [string, RegExp][] = [
      ["badEmail", /property email value .* has a problem: email must be an email address/],
      ["blankName", /property firstname value .* has a problem: firstname must not be empty/],
      ["longName", /property lastname value .* has a problem: lastname must be at most 255 characters/],
      ["badPhone", /property phone value .* has a problem: phone must be an E\.164 number/],
      ["badZone", /property timezone value .* has a problem: timezone must be an IANA time zone/],
      ["badRole", /property role value .* has a problem: role must be one of agent, supervisor, admin/],
      [
        "badTeam-in-No Such Team",
        /no team named "No Such Team" in the JustCall account \(teams: Support \(10\), Sales \(11\), Billing \(12\)\)/,
      ],
    ];
    const failedLine = (text: string, name: string) =>
      text.split("\n").find((l) => l.includes(`resource '${name}'`) || (name.includes("-in-") && l.includes(name) && /error/.test(l))) ??
      "";
    const { emu, repo } = await cliSetup("invalid", [good, ...bad]);
    // The engine stops a preview at its first failed check: it names one of them.
    const preview = await repo.pulumi(["preview"]);
    expect(preview.code, "preview fails").to.not.equal(0);
    const named = expected.filter(
      ([name, why]) => why.test(failedLine(cliOutput(preview), name)) || (name.includes("-in-") && why.test(cliOutput(preview))),
    );
    expect(named.length, `preview names an invalid resource and its field: ${cliOutput(preview)}`).to.be.greaterThan(0);
    const writes = (await emu.admin.requests()).requests.filter((q) => q.method !== "GET");
    expect(writes, "preview wrote nothing").to.deep.equal([]);

    // up stops at a failed check too (even with --continue-on-error): nothing it does not record is written.
    const up = await repo.pulumi(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(up.code).to.not.equal(0);
    expect(
      expected.some(([name, why]) => why.test(failedLine(cliOutput(up), name)) || (name.includes("-in-") && why.test(cliOutput(up)))),
      cliOutput(up),
    ).to.equal(true);
    const deployment = (await repo.exportState()).deployment;
    expect(await nothingUnrecorded(emu, deployment)).to.deep.equal([]);
    const account = (await emu.admin.state()).accounts[0];
    for (const b of bad.filter((x) => x.name !== "badTeam")) {
      expect(
        account.agents.find((a) => a.email === b.email),
        b.name,
      ).to.equal(undefined);
    }
    // So each invalid entry, previewed on its own, is named with its reason.
    for (const [i, [name, why]] of expected.entries()) {
      repo.setAgents([bad[i]]);
      const message = cliOutput(await repo.pulumi(["preview"]));
      if (name.includes("-in-")) expect(message, name).to.include(name).and.to.match(why);
      else expect(failedLine(message, name), `${name} in: ${message}`).to.match(why);
      expect(message).to.not.match(CRASH);
    }
    // Only the valid entry may have been written (when up reached it before the first failed check
    // stopped the engine), one write per resource the state records: previews wrote nothing.
    const written = (await emu.admin.requests()).requests.filter((q) => q.method !== "GET" && q.status === 200);
    expect(written.length, JSON.stringify(written)).to.equal(managedResources(deployment).length);
    r.requests = await requestCount(emu);
    r.duplicates = (await checkAccount(emu, [])).duplicates;
    r.result =
      "the engine stops preview and up (even with --continue-on-error) at the first failed check, which names the " +
      "resource, field and reason; each of the 7 previewed alone is named the same way; 0 writes";
  });

  it("stores unicode and injection-looking names exactly, and refresh sees no change", async () => {
    const r = row(
      "Hostile: unicode and injection",
      "names `Robert'); DROP TABLE agents;--`, emoji, Arabic (RTL), RTL override, `<script>`, `${jndi:…}`, quotes and backslashes; emails with + and '",
    );
    const { emu, project, cfg } = await setup("unicode");
    const specs: AgentSpec[] = [
      { name: "sql", email: "robert+drop@acme.example", firstname: "Robert'); DROP TABLE agents;--", lastname: "Tables" },
      { name: "emoji", email: "zoe@acme.example", firstname: "Zoë 😀🎧", lastname: "Ünïcödé 👩🏽‍💻" },
      { name: "rtl", email: "maryam@acme.example", firstname: "مريم", lastname: "العربي" },
      { name: "override", email: "o'brien@acme.example", firstname: "\u202Eevil\u202C", lastname: 'O\'Brien "Quoted" \\ back\\slash' },
      { name: "markup", email: "markup@acme.example", firstname: "<script>alert(1)</script>", lastname: "${jndi:ldap://evil.example/a}" },
    ];
    const stack = await project.stack(rosterProgram(specs), cfg);
    await stack.up({ onOutput: project.collect() });
    const check = await checkAccount(emu, specs, { deployment: (await stack.exportStack()).deployment });
    expect(check.problems, "names stored exactly").to.deep.equal([]);
    await stack.refresh({ expectNoChanges: true, onOutput: project.collect() });
    await stack.preview({ expectNoChanges: true, onOutput: project.collect() });
    r.requests = await requestCount(emu);
    r.duplicates = check.duplicates;
    r.result = "5 agents created with byte-identical names; refresh and preview afterwards report no change";
  });

  it("refuses a second Agent whose email differs only in case, at preview, and never makes two agents", async () => {
    const r = row("Hostile: emails differing in case", "two Agent resources, dup@acme.example and DUP@Acme.Example");
    const specs: AgentSpec[] = [
      { name: "lower", email: "dup@acme.example", firstname: "Dup", lastname: "Lower" },
      { name: "upper", email: "DUP@Acme.Example", firstname: "Dup", lastname: "Upper" },
    ];
    const clash =
      /another Agent in this program has email (dup@acme\.example|DUP@Acme\.Example), the same address: JustCall ignores case in emails/;
    const { emu, repo } = await cliSetup("case", specs);
    const preview = await repo.fails(["preview"]);
    expect(preview).to.match(clash);
    expect(preview).to.match(/resource '(lower|upper)': property email/);
    const up = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(up).to.match(clash);

    const account = (await emu.admin.state()).accounts[0];
    const agents = account.agents.filter((a) => a.email.toLowerCase() === "dup@acme.example");
    const invitations = (await emu.admin.outbox()).filter((i) => i.email.toLowerCase() === "dup@acme.example");
    r.requests = await requestCount(emu);
    r.duplicates = Math.max(0, agents.length - 1) + Math.max(0, invitations.length - 1);
    expect(agents.length, "at most one agent").to.be.at.most(1);
    expect(invitations.length, "at most one invitation").to.equal(agents.length);
    const deployment = (await repo.exportState()).deployment;
    expect(managedResources(deployment).filter((x) => x.type.endsWith(":Agent")).length, "one Agent recorded at most").to.equal(
      agents.length,
    );
    expect(await nothingUnrecorded(emu, deployment)).to.deep.equal([]);
    r.result =
      `preview and up failed on the second Agent: "another Agent in this program has email …, the same address: ` +
      `JustCall ignores case in emails"; ${agents.length} agent, ${invitations.length} invitation`;
  });

  it("previews a 1,000-agent program with a few list calls and no write", async () => {
    const r = row("Hostile: very large program", "1,000 agents, preview only");
    const { emu, project, cfg } = await setup("large");
    const stack = await project.stack(rosterProgram(roster(1000, "big").map(({ teams: _t, ...s }) => s)), cfg);
    const started = Date.now();
    const preview = await stack.preview({ onOutput: project.collect() });
    const lifetimes = Math.ceil((Date.now() - started) / LIST_CACHE_TTL_MS);
    expect(preview.changeSummary.create).to.equal(1001);
    const log = await emu.admin.requests();
    expect(log.requests.filter((q) => q.method !== "GET")).to.deep.equal([]);
    // One snapshot of the agent list serves every check for as long as it lives: one list call
    // (plus one for the first probe) per snapshot lifetime the preview spanned, not one per agent.
    expect(log.counters.total, JSON.stringify(log.counters.byRoute)).to.be.at.most(1 + lifetimes);
    r.requests = log.counters.total;
    r.duplicates = 0;
    r.result = `preview: 1,001 creates, ${log.counters.total} list call(s), 0 writes`;
  });

  it("fails only the resource whose create gets malformed JSON, naming it; the provider keeps serving", async () => {
    const r = row("Hostile: malformed JSON", "every POST /v1/agents answered 200 with a truncated JSON body");
    const program = agentAndSamInBilling("garbled", { email: "garbled@acme.example", firstname: "Gar", lastname: "Bled" });
    const { emu, repo } = await cliSetup("malformed", program, {}, [{ route: "POST /v1/agents", kind: "malformed" }]);
    const message = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(message).to.match(/Agent garbled@acme\.example: create: .*not JSON/);
    expect(message).to.not.match(CRASH);
    const deployment = (await repo.exportState()).deployment;
    expect(
      managedResources(deployment).map((x) => x.type.split(":").pop()),
      "the membership succeeded in the same run",
    ).to.deep.equal(["TeamMembership"]);
    expect(await nothingUnrecorded(emu, deployment)).to.deep.equal([]);
    const posts = (await emu.admin.requests()).requests.filter((q) => q.route === "POST /v1/agents").length;
    r.requests = `${await requestCount(emu)} (${posts} create attempts, none applied)`;
    r.duplicates = (await checkAccount(emu, [])).duplicates;
    r.result =
      "up failed with `Agent garbled@acme.example: create: JustCall answered … not JSON`; the other resource was created in the same run; no agent written";
  });

  it("fails only the membership whose add gets an HTML 502 page, naming it", async () => {
    const r = row("Hostile: HTML error page", "every POST /v1/teams/{team_id}/agents answered 502 with an nginx HTML page");
    const spec: AgentSpec = { name: "htmlAgent", email: "html@acme.example", firstname: "Ht", lastname: "Ml", teams: ["Support"] };
    const { emu, repo } = await cliSetup("html", [spec], {}, [{ route: "POST /v1/teams/{team_id}/agents", kind: "html" }]);
    const message = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(message).to.match(/TeamMembership Support \/ agent \d+: create: JustCall POST \/v1\/teams\/\d+\/agents failed with HTTP 502/);
    expect(message).to.not.match(CRASH);
    expect(message, "no HTML in the error").to.not.include("<html>");
    const deployment = (await repo.exportState()).deployment;
    expect(managedResources(deployment).map((x) => x.type.split(":").pop())).to.deep.equal(["Agent"]);
    expect(await nothingUnrecorded(emu, deployment)).to.deep.equal([]);
    const account = (await emu.admin.state()).accounts[0];
    const agent = account.agents.find((a) => a.email === spec.email)!;
    expect(account.teams.find((t) => t.name === "Support")!.agents).to.not.include(agent.id);
    r.requests = await requestCount(emu);
    r.duplicates = (await checkAccount(emu, [])).duplicates;
    r.result = "up failed with `TeamMembership Support / agent N: create: … HTTP 502`, no HTML echoed; the agent was created and recorded";
  });

  it("fails only the membership whose team list has an unexpected shape, naming it and the field", async () => {
    const r = row(
      "Hostile: unexpected shape",
      "a proxy in front of the emulator answers GET /v1/teams with data as an object ({teams: [...]}) instead of a list",
    );
    const target = await rel.emulator();
    // The emulator has no fault for a well-formed body of the wrong shape, so a small proxy makes one.
    const proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k)),
      ) as Record<string, string>;
      const upstream = await fetch(target.url + req.url, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      let body = await upstream.text();
      if (req.method === "GET" && req.url?.startsWith("/v1/teams?")) {
        const json = JSON.parse(body);
        body = JSON.stringify({ ...json, data: { teams: json.data } });
      }
      const keep = ["content-type", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"];
      res.writeHead(
        upstream.status,
        Object.fromEntries(keep.filter((k) => upstream.headers.has(k)).map((k) => [k, upstream.headers.get(k)!])),
      );
      res.end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const repo = rel.repo(
        "rel-shape",
        agentAndSamInBilling("shaped", { email: "shaped@acme.example", firstname: "Sha", lastname: "Ped" }),
      );
      await repo.initStack(target, "test", { "justcall:baseUrl": url });
      const message = await repo.fails(["up", "--yes", "--skip-preview", "--continue-on-error"]);
      expect(message).to.match(
        new RegExp(
          /TeamMembership resource 'sam-in-Billing': property teamName value \{Billing\} has a problem: /.source +
            /TeamMembership: team look-up: JustCall answered GET \/v1\/teams with an unexpected shape at data: /.source,
        ),
      );
      expect(message).to.not.match(CRASH);
      const deployment = (await repo.exportState()).deployment;
      // The membership's check fails; whether the engine got to create the agent first varies
      // (a check failure ends the run even with --continue-on-error), and nothingUnrecorded below
      // shows that what it created is in the state.
      expect(
        managedResources(deployment).map((x) => x.type.split(":").pop()),
        "no membership recorded",
      ).to.not.include("TeamMembership");
      expect(await nothingUnrecorded(target, deployment)).to.deep.equal([]);
      const billing = (await target.admin.state()).accounts[0].teams.find((t) => t.name === "Billing")!;
      expect(billing.agents).to.not.include(SAM);
      const log = await target.admin.requests();
      expect(log.requests.filter((q) => q.route === "GET /v1/teams").length, "a shape error is not retried").to.be.at.most(2);
      r.requests = log.counters.total;
      r.duplicates = 0;
      r.result =
        "up failed at the membership's check: `TeamMembership resource 'sam-in-Billing': property teamName ... has a " +
        "problem: TeamMembership: team look-up: JustCall answered GET /v1/teams with an unexpected shape at data: …`, " +
        "not retried; no membership written; whatever the run created is in the state";
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("times out a hung API call at justcall:operationTimeout, naming the resource, with no write", async () => {
    const r = row("Hostile: API hangs", "GET /v1/agents delayed 8 s; justcall:operationTimeout 2 s");
    const program = agentAndSamInBilling("hung", { email: "hung@acme.example", firstname: "Hu", lastname: "Ng" });
    const { emu, repo } = await cliSetup("hang", program, { "justcall:operationTimeout": "2" }, [
      { route: "GET /v1/agents", kind: "latency", latencyMs: 8000 },
    ]);
    const message = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(message).to.match(
      /Agent resource 'hung': property email .* has a problem: Agent hung@acme\.example: look-up did not finish within 2s \(justcall:operationTimeout\)/,
    );
    expect(message).to.not.match(CRASH);
    expect(repo.processes(), "the run has ended").to.deep.equal([]);
    const deployment = (await repo.exportState()).deployment;
    // The agent's check fails; whether the engine got to create the membership first varies, and
    // nothingUnrecorded below shows that what it created is in the state.
    expect(
      managedResources(deployment).map((x) => x.type.split(":").pop()),
      "no agent recorded",
    ).to.not.include("Agent");
    const log = await emu.admin.requests();
    expect(
      log.requests.filter((q) => q.route === "POST /v1/agents"),
      "no create was sent",
    ).to.deep.equal([]);
    expect(await nothingUnrecorded(emu, deployment)).to.deep.equal([]);
    r.requests = log.counters.total;
    r.duplicates = 0;
    r.result =
      "up failed at the agent's check: `Agent hung@acme.example: look-up did not finish within 2s " +
      "(justcall:operationTimeout)`; no agent write; whatever the run created is in the state";
  });

  it("sends no write after an operation's deadline has passed, even while the provider keeps running", async () => {
    const r = row(
      "Hostile: retries past the deadline",
      "POST /v1/agents answers 503 five times (the sixth would succeed); justcall:operationTimeout 2 s; " +
        "`up --continue-on-error` with five chained memberships slowed 1.6 s each keeping the provider running",
    );
    // Backoff after five failures is at least 125+250+500+1000+2000 ms, so the sixth attempt
    // would come after the 2 s deadline; the chain below (with --continue-on-error, so that the
    // engine goes on after the agent fails) keeps the provider busy for about 8 s.
    const chain = [
      ["Billing", 102],
      ["Support", 103],
      ["Sales", 103],
      ["Sales", 101],
      ["Billing", 101],
    ];
    const program = [
      `new Agent("late", ${JSON.stringify({ email: "late@acme.example", firstname: "La", lastname: "Te" })});`,
      "let previous;",
      `for (const [team, agentId] of ${JSON.stringify(chain)}) {`,
      "  previous = new TeamMembership(`m-${agentId}-${team}`, { teamName: team, agentId }, previous ? { dependsOn: [previous] } : {});",
      "}",
    ].join("\n");
    const { emu, repo } = await cliSetup("deadline", program, { "justcall:operationTimeout": "2" }, [
      { route: "POST /v1/agents", kind: "status", status: 503, count: 5 },
      { route: "POST /v1/teams/{team_id}/agents", kind: "latency", latencyMs: 1600 },
    ]);
    const message = await repo.fails(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(message).to.match(/Agent late@acme\.example: create did not finish within 2s/);
    const deployment = (await repo.exportState()).deployment;
    expect(
      managedResources(deployment).filter((x) => x.type.endsWith(":TeamMembership")),
      `the chain completed: ${message}`,
    ).to.have.length(5);
    const log = await emu.admin.requests();
    const creates = log.requests.filter((q) => q.route === "POST /v1/agents").map((q) => q.status);
    r.requests = `${log.counters.total} (creates: ${creates.join(", ")})`;
    const problems = await nothingUnrecorded(emu, deployment);
    r.duplicates = problems.length;
    expect(problems, "a write the engine does not record").to.deep.equal([]);
    expect(creates).to.not.include(200);
    r.result =
      `the create failed at its deadline and was not retried afterwards (${creates.length} attempts, all 503); the ` +
      `chain finished; no unrecorded agent`;
  });
});
