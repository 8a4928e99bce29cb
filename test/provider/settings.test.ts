// The provider's settings (provider/settings.ts): stack config, then the environment, then the
// defaults; and the client's retry budget and per-attempt timeout as stack config
// (justcall:retryMaxAttempts, justcall:retryMaxElapsed, justcall:requestTimeout): read and checked
// like the other settings, and honoured by the provider on the real engine against the emulator.
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { parseRateLimit, requireCredentials, resolveSettings } from "../../provider/settings";
import { freshEmulator } from "../support/justcall";
import { UserRepo } from "../support/user-repo";

describe("provider settings", () => {
  it("reads stack config first, then the environment, with defaults", () => {
    const config: Record<string, string> = { "justcall:apiKey": "from-config" };
    const s = resolveSettings((k) => config[k], { JUSTCALL_API_KEY: "from-env", JUSTCALL_API_SECRET: "env-secret" });
    expect(s.apiKey).to.equal("from-config");
    expect(s.apiSecret).to.equal("env-secret");
    expect(s.baseUrl).to.equal("https://api.justcall.io");
    expect(s.operationTimeoutMs).to.equal(600_000);
    expect(s.snapshot).to.equal(true);
  });

  it("parses rate limits in the forms people write", () => {
    expect(parseRateLimit("100/60s")).to.deep.equal({ limit: 100, windowMs: 60_000 });
    expect(parseRateLimit("90/1m")).to.deep.equal({ limit: 90, windowMs: 60_000 });
    expect(parseRateLimit("5400/1h")).to.deep.equal({ limit: 5400, windowMs: 3_600_000 });
    expect(parseRateLimit("20/2s")).to.deep.equal({ limit: 20, windowMs: 2000 });
    expect(() => parseRateLimit("fast")).to.throw(/requests\/window/);
  });

  it("says which credential is missing and how to set it, without any value", () => {
    const s = resolveSettings(() => undefined, {});
    expect(() => requireCredentials(s)).to.throw(/justcall:apiKey.*justcall:apiSecret.*pulumi config set --secret/s);
  });

  it("selects the API version and plan, and refuses unknown ones", () => {
    const config: Record<string, string> = { "justcall:apiVersion": "v2.1", "justcall:plan": "pro", "justcall:hourlyRateLimit": "3600/1h" };
    const s = resolveSettings((k) => config[k], {});
    expect(s).to.include({ apiVersion: "v2.1", plan: "pro" });
    expect(s.hourlyRateLimit).to.deep.equal({ limit: 3600, windowMs: 3_600_000 });
    expect(resolveSettings(() => undefined, {}).apiVersion).to.equal("v1");
    expect(() => resolveSettings((k) => (k === "justcall:apiVersion" ? "v2" : undefined), {})).to.throw(/v1 .* or v2\.1/);
    expect(() => resolveSettings((k) => (k === "justcall:plan" ? "gold" : undefined), {})).to.throw(/team, pro or business/);
  });

  it("rejects a bad timeout or snapshot switch with the key name", () => {
    expect(() => resolveSettings((k) => (k === "justcall:operationTimeout" ? "soon" : undefined), {})).to.throw(/operationTimeout/);
    expect(() => resolveSettings((k) => (k === "justcall:snapshot" ? "maybe" : undefined), {})).to.throw(/snapshot/);
  });
});

describe("retry and timeout settings", function () {
  it("reads them from stack config in seconds, falling back to the environment", () => {
    const config: Record<string, string> = { "justcall:retryMaxAttempts": "2", "justcall:requestTimeout": "1.5" };
    const s = resolveSettings((k) => config[k], { JUSTCALL_RETRY_MAX_ELAPSED: "30", JUSTCALL_RETRY_MAX_ATTEMPTS: "9" });
    expect(s.retry).to.deep.equal({ maxAttempts: 2, maxElapsedMs: 30_000 });
    expect(s.requestTimeoutMs).to.equal(1500);
    // Unset: the client's own defaults apply (6 attempts, 120 s, 30 s per attempt).
    const unset = resolveSettings(() => undefined, {});
    expect(unset.retry).to.equal(undefined);
    expect(unset.requestTimeoutMs).to.equal(undefined);
  });

  it("refuses values that are not positive numbers, naming the key", () => {
    const only = (key: string, value: string) => () => resolveSettings((k) => (k === key ? value : undefined), {});
    expect(only("justcall:retryMaxAttempts", "0")).to.throw(/justcall:retryMaxAttempts "0" must be a whole number of attempts, at least 1/);
    expect(only("justcall:retryMaxAttempts", "2.5")).to.throw(/retryMaxAttempts/);
    expect(only("justcall:retryMaxElapsed", "soon")).to.throw(/justcall:retryMaxElapsed "soon" must be a number of seconds/);
    expect(only("justcall:requestTimeout", "-1")).to.throw(/justcall:requestTimeout "-1" must be a number of seconds/);
  });

  // The plain CLI: each case's up fails, and a failed inline run can leave the next inline run in
  // this test process registering nothing (docs/development.md).
  describe("on the real engine", function () {
    let emu: RunningEmulator | undefined;
    let repo: UserRepo | undefined;

    afterEach(async () => {
      repo?.cleanup();
      if (emu) await emu.close();
      repo = undefined;
      emu = undefined;
    });

    const ana = [{ name: "ana", email: "ana@acme.example", firstname: "Ana", lastname: "Silva" }];

    it("justcall:retryMaxAttempts bounds the attempts the provider makes against a failing API", async () => {
      // Creating an agent looks its email up in the agent list first, which always answers 503 here.
      emu = await freshEmulator({ faults: [{ route: "GET /v1/agents", kind: "status", status: 503 }] });
      repo = UserRepo.agentsProject("retry-settings", ana);
      await repo.initStack(emu, "test", { "justcall:retryMaxAttempts": "2" });
      const output = await repo.fails(["up", "--yes", "--skip-preview"]);
      // The check's look-up (for the preview's createAction) fails the run, naming the resource:
      // a 5xx is not a preview without the API (that is only missing credentials or no network).
      expect(output).to.match(/Agent [^ ]+: look-up: .*server-side failure after 2 attempt/);
      const { counters } = await emu.admin.requests();
      // Two attempts; the default would have made six.
      expect(counters.byRoute["GET /v1/agents"]).to.deep.equal({ "503": 2 });
    });

    it("justcall:requestTimeout ends an attempt the API is too slow to answer", async () => {
      // Each agent-list call takes 3 s; the default 30 s per attempt would wait for it.
      emu = await freshEmulator({ faults: [{ route: "GET /v1/agents", kind: "latency", latencyMs: 3000 }] });
      repo = UserRepo.agentsProject("timeout-settings", ana);
      await repo.initStack(emu, "test", { "justcall:requestTimeout": "0.5", "justcall:retryMaxAttempts": "1" });
      const output = await repo.fails(["up", "--yes", "--skip-preview"]);
      expect(output).to.match(/no complete answer within 500 ms \(1 attempt/);
    });
  });
});
