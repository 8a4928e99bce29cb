// The client's retry budget and per-attempt timeout as stack config (justcall:retryMaxAttempts,
// justcall:retryMaxElapsed, justcall:requestTimeout): read and checked like the other settings,
// and honoured by the provider on the real engine against the emulator.
import { expect } from "chai";
import { RunningEmulator } from "../../emulator";
import { resolveSettings } from "../../provider/settings";
import { TestProject } from "../../harness/engine";
import { freshEmulator, providerConfig, rosterProgram } from "../support/justcall";

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

  describe("on the real engine", function () {
    let emu: RunningEmulator | undefined;
    let project: TestProject | undefined;

    afterEach(async () => {
      if (project) await project.cleanup({ destroy: false });
      if (emu) await emu.close();
      project = undefined;
      emu = undefined;
    });

    const newAgent = rosterProgram([{ name: "ana", email: "ana@acme.example", firstname: "Ana", lastname: "Silva" }]);

    it("justcall:retryMaxAttempts bounds the attempts the provider makes against a failing API", async () => {
      // Creating an agent looks its email up in the agent list first, which always answers 503 here.
      emu = await freshEmulator({ faults: [{ route: "GET /v1/agents", kind: "status", status: 503 }] });
      project = await TestProject.create("retry-settings");
      const stack = await project.stack(newAgent, providerConfig(emu, { "justcall:retryMaxAttempts": { value: "2" } }));
      const failure = await stack.up({ onOutput: project.collect() }).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(failure, "the up should fail while the API answers 503").to.not.equal(undefined);
      // The check's look-up (for the preview's createAction) fails the run, naming the resource:
      // a 5xx is not a preview without the API (that is only missing credentials or no network).
      expect(String(failure)).to.match(/Agent [^ ]+: look-up: .*server-side failure after 2 attempt/);
      const { counters } = await emu.admin.requests();
      // Two attempts; the default would have made six.
      expect(counters.byRoute["GET /v1/agents"]).to.deep.equal({ "503": 2 });
    });

    it("justcall:requestTimeout ends an attempt the API is too slow to answer", async () => {
      // Each agent-list call takes 3 s; the default 30 s per attempt would wait for it.
      emu = await freshEmulator({ faults: [{ route: "GET /v1/agents", kind: "latency", latencyMs: 3000 }] });
      project = await TestProject.create("timeout-settings");
      const config = providerConfig(emu, { "justcall:requestTimeout": { value: "0.5" }, "justcall:retryMaxAttempts": { value: "1" } });
      const stack = await project.stack(newAgent, config);
      const failure = await stack.up({ onOutput: project.collect() }).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(failure, "the up should fail when every attempt times out").to.not.equal(undefined);
      expect(String(failure)).to.match(/no complete answer within 500 ms \(1 attempt/);
    });
  });
});
