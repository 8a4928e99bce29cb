// Security on the real engine: the API secret appears in no exported state, no backend file, no
// log and no error; plain http is refused for a remote base URL; wrong credentials fail at once
// with a clear message instead of minutes of retries.
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type { AgentSpec } from "../support/justcall";
import { cliOutput } from "../support/user-repo";
import { FREE_NUMBERS, requestCount, roster, row } from "./harness";
import { reliabilityFixture } from "./fixture";

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

// On the plain CLI, as a user runs it: every case here fails a run, and an inline program's
// leftovers from a failed run can make a later inline run in the same test process register
// nothing. Each run of the plain CLI has its program in a process of its own.
describe("reliability: security", function () {
  const rel = reliabilityFixture();

  it("keeps the API secret out of the exported state, the backend, every log and every error", async () => {
    const r = row(
      "Security: secret never written",
      "JUSTCALL_DEBUG=1, CLI --debug -v=9 --logtostderr; one membership answered 400 and refresh of an agent deleted out of band, to provoke errors",
    );
    const emu = await rel.emulator({ faults: [{ route: "POST /v1/teams/{team_id}/agents", kind: "status", status: 400, count: 1 }] });
    const specs: AgentSpec[] = roster(3, "sec").map((s, i) => ({ ...s, numbers: i === 0 ? [FREE_NUMBERS[0]] : [] }));
    const repo = await rel.cli("rel-secrets", emu, specs);
    const logs: string[] = [];
    const verbose = async (args: string[]) => {
      const result = await repo.pulumi([...args, "--debug", "-v=9", "--logtostderr"], { JUSTCALL_DEBUG: "1" });
      logs.push(cliOutput(result));
      return result;
    };

    const succeeds = async (args: string[]) => {
      const result = await verbose(args);
      expect(result.code, `pulumi ${args.join(" ")}: ${result.stderr.slice(-2000)}`).to.equal(0);
    };

    const failed = await verbose(["up", "--yes", "--skip-preview"]);
    const errors = [cliOutput(failed)];
    expect(failed.code, "the injected 400 failed the run").to.not.equal(0);
    expect(errors[0], "the injected 400 failed the run").to.match(/HTTP 400/);
    await succeeds(["up", "--yes", "--skip-preview"]);
    const deleted = (await emu.admin.state()).accounts[0].agents.find((a) => a.email === specs[1].email)!;
    await emu.admin.deleteAgent(deleted.id);
    await succeeds(["refresh", "--yes", "--skip-preview"]);
    await succeeds(["preview", "--diff"]);

    const secret = emu.credentials.apiSecret;
    const basic = Buffer.from(`${emu.credentials.apiKey}:${secret}`).toString("base64");
    const exported = (await repo.ok(["stack", "export"])).stdout;
    expect(exported, "the stack config is in the export, encrypted").to.include("justcall:apiSecret");
    const places: [string, string][] = [
      ["pulumi stack export", exported],
      ["backend files", treeText(repo.backendDir)],
      ["project, config and PULUMI_HOME files", treeText(repo.dir)],
      ["engine output and verbose logs", logs.join("\n")],
      ["errors", errors.join("\n")],
    ];
    const searched = places.reduce((n, [, text]) => n + text.length, 0);
    for (const [where, text] of places) {
      expect(text.includes(secret), `API secret in ${where}`).to.equal(false);
      expect(text.includes(basic), `Authorization header in ${where}`).to.equal(false);
    }
    expect(logs.join("\n"), "the debug log was on").to.match(/\[justcall\] (GET|POST)/);
    r.requests = await requestCount(emu);
    r.duplicates = 0;
    r.result = `secret and Authorization value absent from ${Math.round(searched / 1024)} KiB of export, backend, project files, logs and errors`;
  });

  it("refuses plain http to a non-loopback base URL with a clear message and no request, even when the host is trusted", async () => {
    const r = row(
      "Security: http:// refused",
      "justcall:baseUrl http://api.justcall.example (not loopback), named in JUSTCALL_TRUSTED_HOSTS",
    );
    const emu = await rel.emulator();
    const repo = await rel.cli("rel-plain-http", emu, roster(1, "http"), { "justcall:baseUrl": "http://api.justcall.example" });
    const message = await repo.fails(["up", "--yes", "--skip-preview"], { JUSTCALL_TRUSTED_HOSTS: "api.justcall.example" });
    // The check's look-up fails, and the engine names the resource and property on the line.
    expect(message).to.match(
      new RegExp(
        /Agent resource 'http001': property email value \{http-001@acme\.example\} has a problem: Agent http-001@acme\.example: /.source +
          /look-up: justcall:baseUrl "http:\/\/api\.justcall\.example" is not https: the API key would cross the network in the clear/
            .source,
      ),
    );
    expect(message).to.not.include(emu.credentials.apiSecret);
    r.requests = await requestCount(emu);
    expect(r.requests).to.equal(0);
    r.duplicates = 0;
    r.result =
      "up failed at the check: `Agent resource 'http001': property email ... has a problem: Agent " +
      'http-001@acme.example: look-up: justcall:baseUrl "http://api.justcall.example" is not https …`; ' +
      "no request sent";
  });

  it("sends the key to no host the stack config names (a pull request's edit): the preview fails before any connection", async () => {
    const emu = await rel.emulator();
    // A listener standing for another host: a non-loopback address of this machine (0.0.0.0 if it has none).
    const sink = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    let connections = 0;
    await new Promise<void>((resolve) => sink.listen(0, "0.0.0.0", resolve));
    try {
      const address =
        Object.values(os.networkInterfaces())
          .flat()
          .find((a) => a && a.family === "IPv4" && !a.internal)?.address ?? "0.0.0.0";
      const elsewhere = `https://${address}:${(sink.address() as net.AddressInfo).port}`;
      const repo = await rel.cli("rel-other-host", emu, roster(1, "host"), { "justcall:baseUrl": elsewhere });
      for (const args of [["preview"], ["up", "--yes"], ["up", "--yes", "--skip-preview"]]) {
        const message = await repo.fails(args);
        expect(message, args.join(" ")).to.include(`justcall:baseUrl "${elsewhere}" is neither JustCall's API`);
        expect(message).to.include(`JUSTCALL_TRUSTED_HOSTS=${elsewhere.replace("https://", "")}`);
        expect(message).to.not.include(emu.credentials.apiSecret);
      }
      expect(connections, "no connection reached the other host").to.equal(0);
      expect(await requestCount(emu), "nor the emulator").to.equal(0);
    } finally {
      await new Promise((resolve) => sink.close(resolve));
    }
  });

  it("refuses a justcall:apiSecret stored in plain text in the stack's config, before any request, with the fix", async () => {
    const emu = await rel.emulator();
    const repo = await rel.cli("rel-plaintext-secret", emu, roster(1, "plain"));
    await repo.ok(["config", "set", "--plaintext", "justcall:apiSecret", emu.credentials.apiSecret]);
    for (const args of [["preview"], ["up", "--yes", "--skip-preview"]]) {
      const message = await repo.fails(args);
      expect(message, args.join(" ")).to.include(
        "justcall:apiSecret is stored in plain text in the stack's config file (Pulumi.test.yaml)",
      );
      expect(message).to.include("pulumi config set --secret justcall:apiSecret");
      expect(message, "a clean error: no stack trace").to.not.match(/^\s+at /m);
    }
    expect(await requestCount(emu), "nothing was sent").to.equal(0);
    // Stored encrypted, the same value works.
    await repo.ok(["config", "set", "--secret", "justcall:apiSecret", emu.credentials.apiSecret]);
    await repo.ok(["preview"]);
  });

  it("fails at once on wrong credentials, with a clear message and no retry", async () => {
    const r = row("Security: wrong credentials", "justcall:apiSecret set to a wrong value; 3 agents with 3 memberships");
    const emu = await rel.emulator();
    const wrong = "not-the-secret-0123";
    const repo = await rel.cli("rel-wrong-secret", emu, roster(3, "cred"), { "justcall:apiSecret": wrong });
    const message = await repo.fails(["up", "--yes", "--skip-preview"]);
    expect(message).to.match(
      new RegExp(
        /Agent cred-00\d@acme\.example: look-up: JustCall GET \/v1\/agents\S* failed with HTTP 401: /.source +
          /"Invalid API key or secret"\. Check justcall:apiKey and justcall:apiSecret/.source,
      ),
    );
    expect(message, "the wrong secret is not echoed").to.not.include(wrong);
    const log = await emu.admin.requests();
    const statuses = new Set(log.requests.map((q) => q.status));
    expect([...statuses]).to.deep.equal([401]);
    // Per resource at most a look-up at check and one at create: 401 is never retried.
    expect(log.counters.total, JSON.stringify(log.counters.byRoute)).to.be.at.most(12);
    r.requests = log.counters.total;
    r.duplicates = 0;
    r.result =
      `up failed with "… HTTP 401: \\"Invalid API key or secret\\". Check justcall:apiKey and justcall:apiSecret …"; ` +
      `${log.counters.total} requests, all 401, none retried`;
  });
});
