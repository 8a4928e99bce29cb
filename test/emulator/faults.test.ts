import { expect } from "chai";
import { parseFaultSpec } from "../../emulator";
import { call, emulatorFixture, newAgent } from "./helpers";

async function expectSocketError(p: Promise<unknown>): Promise<void> {
  await p.then(
    () => expect.fail("expected the connection to be dropped"),
    (err: Error & { cause?: { code?: string } }) => {
      expect(err).to.be.instanceOf(TypeError);
      expect(err.cause?.code).to.match(/^UND_ERR_SOCKET|ECONNRESET$/);
    },
  );
}

describe("emulator: fault injection", () => {
  const fixture = emulatorFixture();

  for (const status of [500, 502, 503]) {
    it(`'status' answers ${status} with the error envelope and writes nothing`, async () => {
      const emu = await fixture.use({ faults: [{ route: "POST /v1/agents", kind: "status", status, count: 1 }] });
      const res = await call(emu, "POST", "/v1/agents", { body: newAgent("f@example.com") });
      expect(res.status).to.equal(status);
      expect(res.body.status).to.equal("error");
      expect(res.headers.get("x-ratelimit-remaining")).to.equal("99");
      expect((await call(emu, "GET", "/v1/agents")).body.total).to.equal(3);
      expect(await emu.admin.outbox()).to.deep.equal([]);
      // count: 1 means only the next matching request.
      expect((await call(emu, "POST", "/v1/agents", { body: newAgent("f@example.com") })).status).to.equal(200);
    });
  }

  it("'latency' delays the answer and then serves it", async () => {
    const emu = await fixture.use({ faults: [{ route: "GET /v1/agents/{id}", kind: "latency", latencyMs: 300 }] });
    const started = Date.now();
    const res = await call(emu, "GET", "/v1/agents/101");
    expect(res.status).to.equal(200);
    expect(Date.now() - started).to.be.at.least(290);
    const entry = (await emu.admin.requests()).requests[0];
    expect(entry).to.include({ fault: "latency", status: 200, route: "GET /v1/agents/{id}" });
    expect(entry.durationMs).to.be.at.least(290);
  });

  it("'reset' destroys the socket before any response and writes nothing", async () => {
    const emu = await fixture.use({ faults: [{ route: "POST /v1/agents", kind: "reset", count: 1 }] });
    await expectSocketError(call(emu, "POST", "/v1/agents", { body: newAgent("r@example.com") }));
    expect((await call(emu, "GET", "/v1/agents")).body.total).to.equal(3);
    const log = await emu.admin.requests();
    expect(log.requests[0]).to.include({ status: 0, fault: "reset", route: "POST /v1/agents", account: "demo_api_key" });
  });

  it("'commit-then-drop' applies the write, then drops the connection", async () => {
    const emu = await fixture.use({ faults: [{ route: "POST /v1/agents", kind: "commit-then-drop", count: 1 }] });
    await expectSocketError(call(emu, "POST", "/v1/agents", { body: newAgent("c@example.com") }));
    const state = await emu.admin.state();
    expect(state.accounts[0].agents.map((a) => a.email)).to.include("c@example.com");
    expect(state.outbox).to.have.length(1);
    // A blind retry now meets the duplicate-email conflict: the case idempotent clients must handle.
    const retry = await call(emu, "POST", "/v1/agents", { body: newAgent("c@example.com") });
    expect(retry.status).to.equal(409);
    const log = await emu.admin.requests();
    expect(log.requests[0]).to.include({ status: 0, fault: "commit-then-drop" });
    expect(log.counters.byRoute["POST /v1/agents"]).to.deep.equal({ "0": 1, "409": 1 });
  });

  it("'commit-then-drop' works on every write route", async () => {
    const emu = await fixture.use({
      faults: [
        { route: "POST *", kind: "commit-then-drop" },
        { route: "DELETE *", kind: "commit-then-drop" },
      ],
    });
    await expectSocketError(call(emu, "POST", "/v1/teams/11/agents", { body: { agent_id: 101 } }));
    await expectSocketError(call(emu, "POST", "/v1/phone-numbers/7", { body: { assigned_to: 102 } }));
    await expectSocketError(call(emu, "POST", "/v1/agents/102", { body: { lastname: "Leigh" } }));
    await expectSocketError(call(emu, "DELETE", "/v1/teams/10/agents/102"));
    await expectSocketError(call(emu, "DELETE", "/v1/agents/103"));
    const acme = (await emu.admin.state()).accounts[0];
    expect(acme.teams.find((t) => t.id === 11)!.agents).to.deep.equal([102, 101]);
    expect(acme.teams.find((t) => t.id === 10)!.agents).to.deep.equal([101]);
    expect(acme.numbers.find((n) => n.id === 7)!.assigned_to).to.equal(102);
    expect(acme.agents.find((a) => a.id === 102)!.lastname).to.equal("Leigh");
    expect(acme.agents.map((a) => a.id)).to.not.include(103);
    // Reads are untouched by these rules.
    expect((await call(emu, "GET", "/v1/agents")).status).to.equal(200);
  });

  it("'malformed' answers 200 with invalid JSON", async () => {
    const emu = await fixture.use({ faults: [{ route: "GET /v1/teams", kind: "malformed", count: 1 }] });
    const res = await call(emu, "GET", "/v1/teams");
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    expect(() => JSON.parse(res.text)).to.throw();
  });

  it("'html' answers 502 with an HTML page", async () => {
    const emu = await fixture.use({ faults: [{ route: "* /v1/phone-numbers/{id}", kind: "html", count: 2 }] });
    for (const method of ["GET", "POST"]) {
      const res = await call(emu, method, "/v1/phone-numbers/5", { body: method === "POST" ? { assigned_to: null } : undefined });
      expect(res.status).to.equal(502);
      expect(res.headers.get("content-type")).to.match(/^text\/html/);
      expect(res.text).to.match(/<html>[\s\S]*502 Bad Gateway/);
    }
    expect((await call(emu, "GET", "/v1/phone-numbers/5")).body.data.assigned_to).to.equal(101);
  });

  it("'rate-limit' answers 429 with the given Retry-After", async () => {
    const emu = await fixture.use({ faults: [{ route: "*", kind: "rate-limit", retryAfter: 7, count: 3 }] });
    for (let i = 0; i < 3; i++) {
      const res = await call(emu, "GET", "/v1/agents");
      expect(res.status).to.equal(429);
      expect(res.headers.get("retry-after")).to.equal("7");
      expect(res.body).to.deep.equal({ status: "error", message: "Rate limit exceeded" });
    }
    expect((await call(emu, "GET", "/v1/agents")).status).to.equal(200);
  });

  it("probability 0 never fires, probability 1 always fires, and rules match by route template", async () => {
    const emu = await fixture.use();
    await emu.admin.setFaults([
      { route: "GET /v1/agents", kind: "status", status: 503, probability: 0 },
      { route: "GET /v1/agents/{id}", kind: "status", status: 500, probability: 1 },
    ]);
    for (let i = 0; i < 20; i++) expect((await call(emu, "GET", "/v1/agents")).status).to.equal(200);
    for (let i = 0; i < 5; i++) expect((await call(emu, "GET", "/v1/agents/101")).status).to.equal(500);
    expect((await call(emu, "GET", "/v1/teams")).status).to.equal(200);
    await emu.admin.clearFaults();
    expect((await call(emu, "GET", "/v1/agents/101")).status).to.equal(200);
  });

  it("a probability of 0.5 fires on roughly half the requests", async () => {
    const emu = await fixture.use({ rateLimit: false, faults: [{ route: "*", kind: "status", status: 503, probability: 0.5 }] });
    let failed = 0;
    for (let i = 0; i < 200; i++) if ((await call(emu, "GET", "/v1/teams")).status === 503) failed++;
    expect(failed).to.be.within(60, 140);
  });

  it("the admin API is never faulted, and invalid rules are refused", async () => {
    const emu = await fixture.use({ faults: [{ route: "*", kind: "reset" }] });
    expect((await emu.admin.state()).accounts).to.have.length(2);
    for (const rules of [
      [{ route: "*", kind: "explode" }],
      [{ route: "agents", kind: "reset" }],
      [{ route: "*", kind: "status", probability: 2 }],
    ]) {
      await emu.admin.setFaults(rules as never).then(
        () => expect.fail(`accepted ${JSON.stringify(rules)}`),
        (err) => expect(err.status).to.equal(400),
      );
    }
  });

  it("parses the CLI fault spec", () => {
    expect(parseFaultSpec("POST /v1/agents=commit-then-drop#1;*=status:503@0.1")).to.deep.equal([
      { route: "POST /v1/agents", kind: "commit-then-drop", count: 1 },
      { route: "*", kind: "status", status: 503, probability: 0.1 },
    ]);
    expect(
      parseFaultSpec("get /v1/agents/{id}=latency:250 ; * /v1/teams=rate-limit:5#3;*=reset@0.05;GET /v1/teams=html;*=malformed#2"),
    ).to.deep.equal([
      { route: "GET /v1/agents/{id}", kind: "latency", latencyMs: 250 },
      { route: "* /v1/teams", kind: "rate-limit", retryAfter: 5, count: 3 },
      { route: "*", kind: "reset", probability: 0.05 },
      { route: "GET /v1/teams", kind: "html" },
      { route: "*", kind: "malformed", count: 2 },
    ]);
    expect(parseFaultSpec('[{"route":"*","kind":"reset","count":1}]')).to.deep.equal([{ route: "*", kind: "reset", count: 1 }]);
    expect(parseFaultSpec("")).to.deep.equal([]);
    expect(() => parseFaultSpec("*=boom")).to.throw(/--faults/);
    expect(() => parseFaultSpec("*=reset:3")).to.throw(/takes no/);
    expect(() => parseFaultSpec("nonsense")).to.throw(/--faults/);
    expect(() => parseFaultSpec("*=status:503@7")).to.throw(/--faults/);
  });
});
