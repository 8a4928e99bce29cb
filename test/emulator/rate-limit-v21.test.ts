import { expect } from "chai";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseV21RateLimit, PLAN_LIMITS, startEmulator } from "../../emulator";
import { call, emulatorFixture } from "./helpers";
import { GLOBEX_RAW, num, v21 } from "./helpers-v21";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSec = () => Date.now() / 1000;

describe("emulator v2.1: rate limits, faults and the request log", () => {
  const fixture = emulatorFixture();

  it("by default each key gets its plan: Team 1800/h and 30/min, with all six headers", async () => {
    const emu = await fixture.use();
    const res = await v21(emu, "GET", "/v2.1/users");
    expect(num(res, "x-rate-limit-limit")).to.equal(1800);
    expect(num(res, "x-rate-limit-remaining")).to.equal(1799);
    expect(num(res, "x-rate-limit-burst-limit")).to.equal(30);
    expect(num(res, "x-rate-limit-burst-remaining")).to.equal(29);
    // Resets are UTC epoch seconds, as the published reference gives them.
    expect(num(res, "x-rate-limit-reset")! - nowSec()).to.be.within(3595, 3601);
    expect(num(res, "x-rate-limit-burst-reset")! - nowSec()).to.be.within(55, 61);
    // v1's headers are not sent on v2.1, nor v2.1's on v1.
    expect(res.headers.get("x-ratelimit-limit")).to.equal(null);
    expect((await call(emu, "GET", "/v1/agents")).headers.get("x-rate-limit-limit")).to.equal(null);
    expect(PLAN_LIMITS).to.deep.equal({
      team: { hour: { limit: 1800, windowMs: 3_600_000 }, burst: { limit: 30, windowMs: 60_000 } },
      pro: { hour: { limit: 3600, windowMs: 3_600_000 }, burst: { limit: 60, windowMs: 60_000 } },
      business: { hour: { limit: 5400, windowMs: 3_600_000 }, burst: { limit: 90, windowMs: 60_000 } },
    });
  });

  it("the plan comes from the seed, the startup option or the admin API", async () => {
    const emu = await fixture.use({
      seed: {
        accounts: [
          { name: "P", apiKey: "pk", apiSecret: "ps", plan: "pro" },
          { name: "D", apiKey: "dk", apiSecret: "ds" },
        ],
      },
      plan: "business",
    });
    const limits = async (auth: string) => {
      const res = await v21(emu, "GET", "/v2.1/users", { auth });
      return [num(res, "x-rate-limit-limit"), num(res, "x-rate-limit-burst-limit")];
    };
    expect(await limits("pk:ps")).to.deep.equal([3600, 60]);
    expect(await limits("dk:ds")).to.deep.equal([5400, 90]);
    await emu.admin.setPlan("pk", "team");
    const res = await v21(emu, "GET", "/v2.1/users", { auth: "pk:ps" });
    // A plan change keeps the key's windows and their counts; only the limits change.
    expect([num(res, "x-rate-limit-limit"), num(res, "x-rate-limit-remaining"), num(res, "x-rate-limit-burst-remaining")]).to.deep.equal([
      1800, 1798, 28,
    ]);
    expect((await emu.admin.state()).accounts.map((a) => a.plan)).to.deep.equal(["team", "business"]);
    await emu.admin.setPlan("pk", "gold" as never).then(
      () => expect.fail("accepted"),
      (err) => expect(err.status).to.equal(400),
    );
    // A reset goes back to the startup seed's plans.
    await emu.admin.reset();
    expect(await limits("pk:ps")).to.deep.equal([3600, 60]);
  });

  it("Pro: the 61st request in a minute is 429 with the envelope, Retry-After and both windows", async () => {
    const emu = await fixture.use({ plan: "pro" });
    for (let i = 1; i <= 60; i++) {
      const res = await v21(emu, "GET", "/v2.1/users/101");
      expect(res.status).to.equal(200);
      expect(num(res, "x-rate-limit-burst-remaining")).to.equal(60 - i);
    }
    const limited = await v21(emu, "GET", "/v2.1/users/101");
    expect(limited.status).to.equal(429);
    expect(limited.body).to.deep.equal({ status: "error", message: "Rate limit exceeded" });
    expect(num(limited, "x-rate-limit-burst-remaining")).to.equal(0);
    expect(num(limited, "x-rate-limit-remaining")).to.equal(3540);
    expect(num(limited, "retry-after")).to.be.within(1, 60);
    // Another key, and the v1 budget of the same key, are untouched.
    expect((await v21(emu, "GET", "/v2.1/users", { auth: GLOBEX_RAW })).status).to.equal(200);
    const v1 = await call(emu, "GET", "/v1/agents");
    expect(v1.status).to.equal(200);
    expect(num(v1, "x-ratelimit-remaining")).to.equal(99);
  });

  it("scaled windows: the burst window refuses, then frees up; the hour window refuses past its limit", async () => {
    const emu = await fixture.use({ v21RateLimit: { hour: { limit: 5, windowMs: 4000 }, burst: { limit: 2, windowMs: 1000 } } });
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await v21(emu, "GET", "/v2.1/user_groups")).status);
      return out;
    };
    expect(await statuses(2)).to.deep.equal([200, 200]);
    const burst = await v21(emu, "GET", "/v2.1/user_groups");
    expect(burst.status).to.equal(429);
    expect(num(burst, "retry-after")).to.equal(1);
    expect([num(burst, "x-rate-limit-burst-limit"), num(burst, "x-rate-limit-burst-remaining")]).to.deep.equal([2, 0]);
    expect([num(burst, "x-rate-limit-limit"), num(burst, "x-rate-limit-remaining")]).to.deep.equal([5, 3]);
    // Epoch seconds rounded up: at most a second past the window's real end.
    expect(num(burst, "x-rate-limit-burst-reset")! - nowSec()).to.be.within(0, 2);

    // Refusals use up nothing: after the burst window the hour still has 3.
    await sleep(1050);
    expect(await statuses(2)).to.deep.equal([200, 200]);
    await sleep(1050);
    const last = await v21(emu, "GET", "/v2.1/user_groups");
    expect(last.status).to.equal(200);
    expect(num(last, "x-rate-limit-remaining")).to.equal(0);
    expect(num(last, "x-rate-limit-burst-remaining")).to.equal(1);
    const hour = await v21(emu, "GET", "/v2.1/user_groups");
    expect(hour.status).to.equal(429);
    // The burst window still has room: it is the hour window that refuses, so Retry-After is its.
    expect(num(hour, "x-rate-limit-burst-remaining")).to.equal(1);
    expect(num(hour, "retry-after")).to.be.within(1, 2);
    await sleep(num(hour, "retry-after")! * 1000 + 50);
    const fresh = await v21(emu, "GET", "/v2.1/user_groups");
    expect(fresh.status).to.equal(200);
    expect(num(fresh, "x-rate-limit-remaining")).to.equal(4);

    const log = await emu.admin.requests();
    expect(log.counters.byRoute["GET /v2.1/user_groups"]).to.deep.equal({ "200": 6, "429": 2 });
  });

  it("writes, errors and faults count; 401s count against no key", async () => {
    const emu = await fixture.use({ v21RateLimit: { hour: { limit: 100, windowMs: 60_000 }, burst: { limit: 3, windowMs: 60_000 } } });
    for (let i = 0; i < 5; i++) expect((await v21(emu, "GET", "/v2.1/users", { auth: "demo_api_key:wrong" })).status).to.equal(401);
    expect((await v21(emu, "PUT", "/v2.1/users/availability", { body: { agent_id: 101, is_available: false } })).status).to.equal(200);
    expect((await v21(emu, "GET", "/v2.1/users/9999")).status).to.equal(404);
    await emu.admin.setFaults([{ route: "GET /v2.1/phone-numbers/{id}", kind: "status", status: 503, count: 1 }]);
    const faulted = await v21(emu, "GET", "/v2.1/phone-numbers/5");
    expect(faulted.status).to.equal(503);
    expect(num(faulted, "x-rate-limit-burst-remaining")).to.equal(0);
    expect((await v21(emu, "GET", "/v2.1/phone-numbers/5")).status).to.equal(429);
  });

  it("can be changed at runtime: fixed windows, back to plans, or off; reset restores the startup mode", async () => {
    const emu = await fixture.use();
    await emu.admin.setV21RateLimit({ hour: { limit: 10, windowMs: 10_000 }, burst: { limit: 1, windowMs: 10_000 } });
    expect((await v21(emu, "GET", "/v2.1/users")).status).to.equal(200);
    expect((await v21(emu, "GET", "/v2.1/users")).status).to.equal(429);
    await emu.admin.setV21RateLimit(false);
    const off = await v21(emu, "GET", "/v2.1/users");
    expect(off.status).to.equal(200);
    expect(off.headers.get("x-rate-limit-limit")).to.equal(null);
    expect(off.headers.get("x-rate-limit-burst-limit")).to.equal(null);
    await emu.admin.setV21RateLimit("plan");
    expect(num(await v21(emu, "GET", "/v2.1/users"), "x-rate-limit-burst-limit")).to.equal(30);
    await emu.admin.setV21RateLimit(false);
    await emu.admin.reset();
    expect(num(await v21(emu, "GET", "/v2.1/users"), "x-rate-limit-burst-remaining")).to.equal(29);
    for (const bad of [
      { hour: { limit: 0, windowMs: 1 }, burst: { limit: 1, windowMs: 1 } },
      { hour: { limit: 1, windowMs: 1 } },
      { byPlan: false },
    ]) {
      await emu.admin.setV21RateLimit(bad as never).then(
        () => expect.fail(`accepted ${JSON.stringify(bad)}`),
        (err) => expect(err.status).to.equal(400),
      );
    }
    const disabled = await fixture.use({ v21RateLimit: false });
    expect((await v21(disabled, "GET", "/v2.1/users")).headers.get("x-rate-limit-remaining")).to.equal(null);
  });

  it("faults and the request log use v2.1 route templates", async () => {
    const emu = await fixture.use({
      faults: [
        { route: "GET /v2.1/users/{id}", kind: "status", status: 500, count: 1 },
        { route: "PUT /v2.1/users/availability", kind: "commit-then-drop", count: 1 },
        { route: "* /v2.1/user_groups/{id}", kind: "malformed", count: 1 },
      ],
    });
    const failed = await v21(emu, "GET", "/v2.1/users/101");
    expect(failed.status).to.equal(500);
    expect(failed.body).to.deep.equal({ status: "error", message: "Internal Server Error" });
    expect((await v21(emu, "GET", "/v2.1/users/101")).status).to.equal(200);
    const dropped = await v21(emu, "PUT", "/v2.1/users/availability", { body: { agent_id: 103, is_available: false } }).then(
      () => "answered",
      () => "dropped",
    );
    expect(dropped).to.equal("dropped");
    expect((await v21(emu, "GET", "/v2.1/users/103")).body.data.available).to.equal("No");
    expect((await v21(emu, "GET", "/v2.1/user_groups/10")).text).to.equal('{"status":"success","data":{"id":');
    await v21(emu, "GET", "/v2.1/phone-numbers?number_owner_id=101");

    const log = await emu.admin.requests();
    expect(log.requests.map((r) => [r.route, r.status, r.account, r.fault])).to.deep.equal([
      ["GET /v2.1/users/{id}", 500, "demo_api_key", "status"],
      ["GET /v2.1/users/{id}", 200, "demo_api_key", null],
      ["PUT /v2.1/users/availability", 0, "demo_api_key", "commit-then-drop"],
      ["GET /v2.1/users/{id}", 200, "demo_api_key", null],
      ["GET /v2.1/user_groups/{id}", 200, "demo_api_key", "malformed"],
      ["GET /v2.1/phone-numbers", 200, "demo_api_key", null],
    ]);
    expect(log.requests[5].path).to.equal("/v2.1/phone-numbers?number_owner_id=101");
  });

  it("persists the v2.1 state (availability, plan, sharing) in the data file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "justcall-v21-"));
    try {
      const dataFile = join(dir, "state.json");
      const first = await startEmulator({ dataFile });
      try {
        await v21(first, "PUT", "/v2.1/users/availability", {
          body: { agent_id: 102, is_available: false, unavailability_reason: "Away" },
        });
        await first.admin.setPlan("demo_api_key", "pro");
        await first.admin.shareNumber(9, { teamIds: [11] });
      } finally {
        await first.close();
      }
      const second = await fixture.use({ dataFile });
      expect((await v21(second, "GET", "/v2.1/users/102")).body.data).to.include({
        available: "No",
        unavailability_reason: "Away",
        extension: 1002,
      });
      expect(num(await v21(second, "GET", "/v2.1/users"), "x-rate-limit-burst-limit")).to.equal(60);
      expect((await v21(second, "GET", "/v2.1/phone-numbers?shared_group_id=11")).body.data.map((n: { id: number }) => n.id)).to.deep.equal(
        [9, 12],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses the CLI form of --v21-rate-limit", () => {
    expect(parseV21RateLimit("plan")).to.equal("plan");
    expect(parseV21RateLimit("off")).to.equal(null);
    expect(parseV21RateLimit("1800/1h,30/1m")).to.deep.equal({
      hour: { limit: 1800, windowMs: 3_600_000 },
      burst: { limit: 30, windowMs: 60_000 },
    });
    expect(parseV21RateLimit("20/10s,5/2s")).to.deep.equal({ hour: { limit: 20, windowMs: 10_000 }, burst: { limit: 5, windowMs: 2000 } });
    for (const bad of ["fast", "30/1m", "1800/1h,off", "1/1s,2/2s,3/3s"])
      expect(() => parseV21RateLimit(bad), bad).to.throw(/--v21-rate-limit/);
  });

  describe("CLI", () => {
    const CLI = resolve(__dirname, "../../emulator/cli.js");
    const children: ChildProcess[] = [];
    afterEach(() => {
      for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    });

    const start = (args: string[]) =>
      new Promise<{ child: ChildProcess; url: string; out: string }>((resolvePromise, reject) => {
        const child = spawn(process.execPath, [CLI, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
        children.push(child);
        let out = "";
        let err = "";
        child.stderr!.setEncoding("utf8").on("data", (d) => (err += d));
        child.stdout!.setEncoding("utf8").on("data", (d) => {
          out += d;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m && out.includes("(v2.1)")) resolvePromise({ child, url: m[1], out });
        });
        child.on("exit", (code) => reject(new Error(`CLI exited with ${code}: ${out}${err}`)));
      });

    it("--plan sets the default plan and --v21-rate-limit the windows", async function () {
      this.timeout(30_000);
      const business = await start(["--plan", "business"]);
      expect(business.out).to.contain("by plan; default plan business (5400/h, 90/min) (v2.1)");
      const res = await fetch(`${business.url}/v2.1/users`, {
        headers: { authorization: "demo_api_key:demo_api_secret", accept: "application/json" },
      });
      expect(res.status).to.equal(200);
      expect(res.headers.get("x-rate-limit-burst-limit")).to.equal("90");
      expect(res.headers.get("x-rate-limit-limit")).to.equal("5400");

      const scaled = await start(["--v21-rate-limit", "20/10s,5/2s"]);
      const r2 = await fetch(`${scaled.url}/v2.1/users`, { headers: { authorization: "demo_api_key:demo_api_secret" } });
      expect([r2.headers.get("x-rate-limit-limit"), r2.headers.get("x-rate-limit-burst-limit")]).to.deep.equal(["20", "5"]);
    });

    it("exits with status 2 on a bad --plan or --v21-rate-limit", async function () {
      this.timeout(30_000);
      for (const args of [
        ["--plan", "gold"],
        ["--v21-rate-limit", "lots"],
      ]) {
        const child = spawn(process.execPath, [CLI, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
        children.push(child);
        let err = "";
        child.stderr!.setEncoding("utf8").on("data", (d) => (err += d));
        const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
        expect(code, args.join(" ")).to.equal(2);
        expect(err).to.contain("Usage: justcall-emulator");
      }
    });
  });
});
