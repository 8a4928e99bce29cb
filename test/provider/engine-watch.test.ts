// The provider process's watch on its engine (provider/engine-watch.ts): the decision as a plain
// function, the write refusal, and one real process whose parent is killed. (With the CLI:
// test/reliability/kill.test.ts and killed-checkpoint-free.test.ts.)
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { EngineGoneError, engineGone, refuseWriteWithoutEngine } from "../../provider/engine-watch";
import { running } from "../support/killed-run";
import { until } from "../support/user-repo";

describe("engine watch", () => {
  it("decides the engine is gone exactly when the parent is no longer the one recorded", () => {
    expect(engineGone(undefined, 1), "not a provider process: never").to.equal(false);
    expect(engineGone(4242, 4242), "the engine is still the parent").to.equal(false);
    expect(engineGone(4242, 1), "handed to init").to.equal(true);
    expect(engineGone(4242, 77), "handed to a subreaper").to.equal(true);
  });

  describe("writes", () => {
    // The watch's state is process-wide (on globalThis): a test stands for a dead engine by
    // recording another parent, and puts back what was there.
    const slot = Symbol.for("pulumi-justcall.engine-watch");
    const slots = globalThis as unknown as Record<symbol, { enginePid?: number } | undefined>;
    let saved: { enginePid?: number } | undefined;
    beforeEach(() => {
      saved = slots[slot];
    });
    afterEach(() => {
      slots[slot] = saved;
    });

    it("are sent while the engine lives, and outside a provider process", () => {
      slots[slot] = { enginePid: process.ppid };
      expect(() => refuseWriteWithoutEngine("POST", "/v1/agents")).to.not.throw();
      slots[slot] = {};
      expect(() => refuseWriteWithoutEngine("DELETE", "/v1/agents/1")).to.not.throw();
    });

    it("are refused once the engine is gone; reads are not", () => {
      slots[slot] = { enginePid: process.ppid + 1 };
      expect(() => refuseWriteWithoutEngine("POST", "/v1/agents")).to.throw(EngineGoneError, /not sent: the Pulumi engine/);
      expect(() => refuseWriteWithoutEngine("GET", "/v1/agents")).to.not.throw();
    });
  });

  it("ends a process within seconds of its parent's kill -9", async function () {
    this.timeout(30_000);
    // parent → child: the child watches like a provider process, and would otherwise run forever.
    const watched = path.join(__dirname, "..", "..", "provider", "engine-watch.js");
    const child = `require(${JSON.stringify(watched)}).watchEngine(); setInterval(() => {}, 60_000); console.log(process.pid);`;
    const parentScript = `const c = require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(child)}], { stdio: ["ignore", "inherit", "inherit"] }); setInterval(() => {}, 60_000);`;
    const parent = spawn(process.execPath, ["-e", parentScript], { stdio: ["ignore", "pipe", "inherit"] });
    let childPid: number | undefined;
    try {
      const line = await new Promise<string>((resolve, reject) => {
        parent.stdout.once("data", (d: Buffer) => resolve(d.toString()));
        parent.once("exit", () => reject(new Error("the parent exited before its child started")));
      });
      childPid = Number(line.trim());
      expect(running(childPid), "the watched child runs").to.equal(true);
      parent.kill("SIGKILL");
      await until("the orphaned child to exit", async () => !running(childPid!), 15_000);
    } finally {
      parent.kill("SIGKILL");
      if (childPid !== undefined && running(childPid)) process.kill(childPid, "SIGKILL");
    }
  });
});
