// The client's retry budget and per-attempt timeout as stack config (justcall:retryMaxAttempts,
// justcall:retryMaxElapsed, justcall:requestTimeout): read and checked like the other settings,
// and honoured by the provider on the real engine against the emulator.
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator";
import { resolveSettings } from "../../provider/settings";
import { freshEmulator } from "../support/justcall";
import { UserRepo } from "../support/user-repo";

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
