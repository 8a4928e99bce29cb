// Security on the real engine: the API secret appears in no exported state, no backend file, no
// log and no error; plain http is refused for a remote base URL; wrong credentials fail at once
// with a clear message instead of minutes of retries.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { RunningEmulator } from "../../emulator";
import { AgentSpec, rosterProgram } from "../support/justcall";
import { config, emulator, errorOf, FREE_NUMBERS, Project, requestCount, roster, row } from "./harness";

/** Every readable file under `dir`, concatenated (the project: config, backend, PULUMI_HOME). */
function treeText(dir: string): string {
  const parts: string[] = [];
  const walk = (p: string) => {
    for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
      const full = path.join(p, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) parts.push(fs.readFileSync(full, "latin1"));
    }
  };
  walk(dir);
  return parts.join("\n");
}

describe("reliability: security", function () {
  let emu: RunningEmulator | undefined;
  let project: Project | undefined;

  afterEach(async () => {
    await project?.cleanup({ destroy: false }); // the emulator is thrown away
    await emu?.close();
    project = undefined;
    emu = undefined;
  });

  it("keeps the API secret out of the exported state, the backend, every log and every error", async () => {
    const r = row(
      "Security: secret never written",
      "JUSTCALL_DEBUG=1, CLI --debug -v=9 --logtostderr; one membership answered 400 and refresh of an agent deleted out of band, to provoke errors",
    );
    emu = await emulator({ faults: [{ route: "POST /v1/teams/{team_id}/agents", kind: "status", status: 400, count: 1 }] });
    project = await Project.create("rel-secrets", { env: { JUSTCALL_DEBUG: "1" } });
    const specs: AgentSpec[] = roster(3, "sec").map((s, i) => ({ ...s, numbers: i === 0 ? [FREE_NUMBERS[0]] : [] }));
    const stack = await project.stack(rosterProgram(specs), config(emu));
    const logs = project.collect();
    const verbose = { onOutput: logs, onError: logs, debug: true, logVerbosity: 9, logToStdErr: true };

    const errors: string[] = [];
    errors.push(await errorOf(stack.up(verbose)));
    expect(errors[0], "the injected 400 failed the run").to.match(/HTTP 400/);
    await stack.up(verbose);
    const deleted = (await emu.admin.state()).accounts[0].agents.find((a) => a.email === specs[1].email)!;
    await emu.admin.deleteAgent(deleted.id);
    await stack.refresh(verbose);
    await stack.preview({ ...verbose, diff: true });

    const secret = emu.credentials.apiSecret;
    const basic = Buffer.from(`${emu.credentials.apiKey}:${secret}`).toString("base64");
    const exported = project.exportStack();
    expect(exported, "the stack config is in the export, encrypted").to.include("justcall:apiSecret");
    const places: [string, string][] = [
      ["pulumi stack export", exported],
      ["backend files", project.backendText()],
      ["project, config and PULUMI_HOME files", treeText(project.dir)],
      ["engine output and verbose logs", project.logs.join("\n")],
      ["errors", errors.join("\n")],
    ];
    const searched = places.reduce((n, [, text]) => n + text.length, 0);
    for (const [where, text] of places) {
      expect(text.includes(secret), `API secret in ${where}`).to.equal(false);
      expect(text.includes(basic), `Authorization header in ${where}`).to.equal(false);
    }
    expect(project.logs.join("\n"), "the debug log was on").to.match(/\[justcall\] (GET|POST)/);
    r.requests = await requestCount(emu);
    r.duplicates = 0;
    r.result = `secret and Authorization value absent from ${Math.round(searched / 1024)} KiB of export, backend, project files, logs and errors`;
  });

  it("refuses plain http to a non-loopback base URL with a clear message and no request", async () => {
    const r = row("Security: http:// refused", "justcall:baseUrl http://api.justcall.example (not loopback)");
    emu = await emulator();
    project = await Project.create("rel-plain-http");
    const stack = await project.stack(
      rosterProgram(roster(1, "http")),
      config(emu, { extra: { "justcall:baseUrl": { value: "http://api.justcall.example" } } }),
    );
    const message = await errorOf(stack.up({ onOutput: project.collect() }));
    // The engine names the resource on the line of the failure.
    expect(message).to.match(
      /Agent http001 \*\*creating failed\*\* error: Agent http-001@acme\.example: create: JustCall base URL must use https:\/\/ \(got http:\/\/api\.justcall\.example\): plain http is allowed only for loopback addresses/,
    );
    expect(message).to.not.include(emu.credentials.apiSecret);
    r.requests = await requestCount(emu);
    expect(r.requests).to.equal(0);
    r.duplicates = 0;
    r.result = "up failed: `Agent http001 creating failed error: Agent http-001@acme.example: create: JustCall base URL must use https:// (got http://api.justcall.example): plain http is allowed only for loopback addresses …`; no request sent";
  });

  it("fails at once on wrong credentials, with a clear message and no retry", async () => {
    const r = row("Security: wrong credentials", "justcall:apiSecret set to a wrong value; 3 agents with 3 memberships");
    emu = await emulator();
    project = await Project.create("rel-wrong-secret");
    const wrong = "not-the-secret-0123";
    const stack = await project.stack(
      rosterProgram(roster(3, "cred")),
      config(emu, { extra: { "justcall:apiSecret": { value: wrong, secret: true } } }),
    );
    const message = await errorOf(stack.up({ onOutput: project.collect() }));
    expect(message).to.match(/Agent cred-00\d@acme\.example: create: JustCall GET \/v1\/agents\S* failed with HTTP 401: "Invalid API key or secret"\. Check justcall:apiKey and justcall:apiSecret/);
    expect(message).to.not.include(wrong);
    const log = await emu.admin.requests();
    const statuses = new Set(log.requests.map((q) => q.status));
    expect([...statuses]).to.deep.equal([401]);
    // Per resource at most a look-up at check and one at create: 401 is never retried.
    expect(log.counters.total, JSON.stringify(log.counters.byRoute)).to.be.at.most(12);
    expect(project.logs.join("\n")).to.not.include(wrong);
    r.requests = log.counters.total;
    r.duplicates = 0;
    r.result = `up failed with "… HTTP 401: \\"Invalid API key or secret\\". Check justcall:apiKey and justcall:apiSecret …"; ${log.counters.total} requests, all 401, none retried`;
  });
});
