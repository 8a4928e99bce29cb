import { expect } from "chai";
import { parseRateLimit } from "../../emulator";
import { basic, call, emulatorFixture, GLOBEX_AUTH } from "./helpers";

const header = (res: { headers: Headers }, name: string) => {
  const value = res.headers.get(name);
  return value === null ? null : Number(value);
};

describe("emulator: rate limit", () => {
  const fixture = emulatorFixture();

  it("20 per 2 s: headers count down, the 21st is 429 with Retry-After, and the window resets", async () => {
    const emu = await fixture.use({ rateLimit: { limit: 20, windowMs: 2000 } });
    for (let i = 1; i <= 20; i++) {
      const res = await call(emu, "GET", "/v1/agents");
      expect(res.status).to.equal(200);
      expect(header(res, "x-ratelimit-limit")).to.equal(20);
      expect(header(res, "x-ratelimit-remaining")).to.equal(20 - i);
      const reset = header(res, "x-ratelimit-reset")!;
      expect(reset).to.be.within(1, 2);
      expect(Number.isInteger(reset)).to.equal(true);
    }
    const limited = await call(emu, "GET", "/v1/agents");
    expect(limited.status).to.equal(429);
    expect(limited.body).to.deep.equal({ status: "error", message: "Rate limit exceeded" });
    expect(header(limited, "retry-after")).to.be.within(1, 2);
    expect(header(limited, "x-ratelimit-remaining")).to.equal(0);
    expect(header(limited, "x-ratelimit-limit")).to.equal(20);

    // Writes and errors count the same way; 429s do not consume the next window.
    for (let i = 0; i < 5; i++) expect((await call(emu, "POST", "/v1/agents", { body: {} })).status).to.equal(429);
    await new Promise((resolve) => setTimeout(resolve, Number(limited.headers.get("retry-after")) * 1000 + 50));
    const fresh = await call(emu, "GET", "/v1/agents/9999");
    expect(fresh.status).to.equal(404);
    expect(header(fresh, "x-ratelimit-remaining")).to.equal(19);

    const log = await emu.admin.requests();
    expect(log.counters.byStatus["429"]).to.equal(6);
    expect(log.counters.byStatus["200"]).to.equal(20);
  });

  it("limits per API key, and 401s count against no key", async () => {
    const emu = await fixture.use({ rateLimit: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 10; i++) {
      const res = await call(emu, "GET", "/v1/agents", { auth: basic("demo_api_key", "wrong") });
      expect(res.status).to.equal(401);
      expect(header(res, "x-ratelimit-limit")).to.equal(3);
    }
    for (let i = 0; i < 3; i++) expect((await call(emu, "GET", "/v1/teams")).status).to.equal(200);
    expect((await call(emu, "GET", "/v1/teams")).status).to.equal(429);
    const globex = await call(emu, "GET", "/v1/teams", { auth: GLOBEX_AUTH });
    expect(globex.status).to.equal(200);
    expect(header(globex, "x-ratelimit-remaining")).to.equal(2);
    // The admin API is never limited.
    for (let i = 0; i < 5; i++) await emu.admin.state();
  });

  it("is configurable at runtime and can be turned off", async () => {
    const emu = await fixture.use();
    const first = await call(emu, "GET", "/v1/agents");
    expect(header(first, "x-ratelimit-limit")).to.equal(100);
    expect(header(first, "x-ratelimit-remaining")).to.equal(99);
    expect(header(first, "x-ratelimit-reset")).to.equal(60);

    await emu.admin.setRateLimit({ limit: 1, windowMs: 30_000 });
    expect((await call(emu, "GET", "/v1/agents")).status).to.equal(200);
    expect((await call(emu, "GET", "/v1/agents")).status).to.equal(429);

    await emu.admin.setRateLimit(false);
    for (let i = 0; i < 5; i++) {
      const res = await call(emu, "GET", "/v1/agents");
      expect(res.status).to.equal(200);
      expect(res.headers.get("x-ratelimit-limit")).to.equal(null);
    }
    const off = await fixture.use({ rateLimit: false });
    expect((await call(off, "GET", "/v1/agents")).headers.get("x-ratelimit-remaining")).to.equal(null);
  });

  it("refuses invalid runtime settings", async () => {
    const emu = await fixture.use();
    for (const bad of [{ limit: 0, windowMs: 1000 }, { limit: 5 }, { limit: 5, windowMs: "x" }]) {
      await emu.admin.setRateLimit(bad as never).then(
        () => expect.fail(`accepted ${JSON.stringify(bad)}`),
        (err) => expect(err.status).to.equal(400),
      );
    }
  });

  it("parses the CLI form", () => {
    expect(parseRateLimit("100/60s")).to.deep.equal({ limit: 100, windowMs: 60_000 });
    expect(parseRateLimit("20/2s")).to.deep.equal({ limit: 20, windowMs: 2000 });
    expect(parseRateLimit("5/1500ms")).to.deep.equal({ limit: 5, windowMs: 1500 });
    expect(parseRateLimit("100/1m")).to.deep.equal({ limit: 100, windowMs: 60_000 });
    expect(parseRateLimit("7/30")).to.deep.equal({ limit: 7, windowMs: 30_000 });
    expect(parseRateLimit("off")).to.equal(null);
    expect(() => parseRateLimit("fast")).to.throw(/--rate-limit/);
    expect(() => parseRateLimit("0/1s")).to.throw(/positive/);
  });
});
