// The provider process's watch on its engine (provider/engine-watch.ts): the decision as a plain
// function, the write refusal, and one real process whose parent is killed. (With the CLI:
// test/reliability/kill.test.ts and killed-checkpoint-free.test.ts.)
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EngineGoneError, engineGone, refuseWriteWithoutEngine } from "../../provider/engine-watch";
import { running } from "../support/killed-run";
import { until } from "../support/user-repo";

describe("engine watch", () => {
  it("decides the engine is gone exactly when the parent changed or the engine behind a shell stopped", () => {
    const alive = { parentPid: 4242, engineRunning: true };
    expect(engineGone({}, { parentPid: 1, engineRunning: false }), "not a provider process: never").to.equal(false);
    expect(engineGone({ parentPid: 4242 }, alive), "the engine is still the parent").to.equal(false);
    expect(engineGone({ parentPid: 4242 }, { ...alive, parentPid: 1 }), "handed to init").to.equal(true);
    expect(engineGone({ parentPid: 4242 }, { ...alive, parentPid: 77 }), "handed to a subreaper").to.equal(true);
    expect(engineGone({ parentPid: 4242, enginePid: 4000 }, alive), "the shell and its engine run").to.equal(false);
    expect(engineGone({ parentPid: 4242, enginePid: 4000 }, { ...alive, engineRunning: false }), "the shell outlives its engine").to.equal(
      true,
    );
  });

  describe("writes", () => {
    // The watch's state is process-wide (on globalThis): a test stands for a dead engine by
    // recording another parent, and puts back what was there.
    const slot = Symbol.for("pulumi-justcall.engine-watch");
    const slots = globalThis as unknown as Record<symbol, { parentPid?: number; enginePid?: number } | undefined>;
    let saved: { parentPid?: number; enginePid?: number } | undefined;
    beforeEach(() => {
      saved = slots[slot];
    });
    afterEach(() => {
      slots[slot] = saved;
    });

    it("are sent while the engine lives, and outside a provider process", () => {
      slots[slot] = { parentPid: process.ppid };
      expect(() => refuseWriteWithoutEngine("POST", "/v1/agents")).to.not.throw();
      slots[slot] = {};
      expect(() => refuseWriteWithoutEngine("DELETE", "/v1/agents/1")).to.not.throw();
    });

    it("are refused once the engine is gone; reads are not", () => {
      slots[slot] = { parentPid: process.ppid + 1 };
      expect(() => refuseWriteWithoutEngine("POST", "/v1/agents")).to.throw(EngineGoneError, /not sent: the Pulumi engine/);
      expect(() => refuseWriteWithoutEngine("GET", "/v1/agents")).to.not.throw();
    });
  });

  /**
   * engine → provider: the provider watches like a provider process, and would otherwise run
   * forever. `viaShell` starts it the way Pulumi's own plugin script does (a shell that does not
   * exec node), so that the shell outlives the engine. Resolves once the provider exits after
   * the engine's kill -9.
   */
  async function killedEngine(viaShell: boolean): Promise<void> {
    const watched = path.join(__dirname, "..", "..", "provider", "engine-watch.js");
    const provider = `require(${JSON.stringify(watched)}).watchEngine(); setInterval(() => {}, 60_000); console.log(process.pid);`;
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pj-engine-watch-")), "plugin.sh");
    fs.writeFileSync(script, `#!/bin/sh\nif true; then\n  "${process.execPath}" -e '${provider}'\nfi\n`);
    const start = viaShell ? `["/bin/sh", [${JSON.stringify(script)}]]` : `[process.execPath, ["-e", ${JSON.stringify(provider)}]]`;
    const engineScript = `const [cmd, args] = ${start}; require("node:child_process").spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"] }); setInterval(() => {}, 60_000);`;
    const engine = spawn(process.execPath, ["-e", engineScript], { stdio: ["ignore", "pipe", "inherit"] });
    let providerPid: number | undefined;
    try {
      const line = await new Promise<string>((resolve, reject) => {
        engine.stdout.once("data", (d: Buffer) => resolve(d.toString()));
        engine.once("exit", () => reject(new Error("the engine exited before its provider started")));
      });
      providerPid = Number(line.trim());
      expect(running(providerPid), "the provider runs").to.equal(true);
      engine.kill("SIGKILL");
      await until("the orphaned provider to exit", async () => !running(providerPid!), 15_000);
    } finally {
      engine.kill("SIGKILL");
      if (providerPid !== undefined && running(providerPid)) process.kill(providerPid, "SIGKILL");
      fs.rmSync(path.dirname(script), { recursive: true, force: true });
    }
  }

  it("ends a provider within seconds of its engine's kill -9", async function () {
    this.timeout(30_000);
    await killedEngine(false);
  });

  it("ends a provider started through a shell, as Pulumi's plugin script does, when the engine dies", async function () {
    this.timeout(30_000);
    await killedEngine(true);
  });
});
