import { expect } from "chai";
import { connect } from "node:net";
import { call, DEMO_AUTH, emulatorFixture, newAgent } from "./helpers";

/** mulberry32: a small seeded PRNG so the fuzz run is the same every time. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sends raw bytes and returns whatever the server answers before closing. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let out = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => (out += d));
    socket.on("close", () => resolve(out));
    socket.on("error", reject);
  });
}

describe("emulator: bad input", () => {
  const fixture = emulatorFixture();

  it("malformed JSON answers 400 with the envelope", async () => {
    const emu = await fixture.use();
    for (const raw of ["{", '{"firstname":', "{'a':1}", "[1,2", "nul"]) {
      const res = await call(emu, "POST", "/v1/agents", { raw });
      expect(res.status, raw).to.equal(400);
      expect(res.body.status).to.equal("error");
      expect(res.body.message).to.match(/^body: malformed JSON/);
    }
  });

  it("a wrong content type answers 415 with the envelope", async () => {
    const emu = await fixture.use();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x"]) {
      const res = await call(emu, "POST", "/v1/agents", { raw: "firstname=a", headers: { "content-type": type } });
      expect(res.status, type).to.equal(415);
      expect(res.body).to.deep.equal({ status: "error", message: "content-type: must be application/json" });
    }
    const charset = await call(emu, "POST", "/v1/agents", {
      raw: JSON.stringify(newAgent("cs@example.com")),
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(charset.status).to.equal(200);
  });

  it("an oversized body answers 413; the limit is configurable", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents", { body: newAgent("big@example.com", { firstname: "x".repeat(70 * 1024) }) });
    expect(res.status).to.equal(413);
    expect(res.body).to.deep.equal({ status: "error", message: "body: larger than the 65536-byte limit" });
    const small = await fixture.use({ bodyLimit: 100 });
    const refused = await call(small, "POST", "/v1/agents", {
      body: newAgent("a-rather-long-address@example.com", { timezone: "America/Argentina/Buenos_Aires" }),
    });
    expect(refused.status).to.equal(413);
  });

  it("a JSON Content-Type with an empty body is tolerated on DELETE", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "DELETE", "/v1/teams/10/agents/102", { raw: "" });
    expect(res.status).to.equal(200);
  });

  it("__proto__ and constructor keys are refused as unknown fields", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents/101", { raw: '{"__proto__":{"role":"admin"},"firstname":"X"}' });
    expect(res.status).to.equal(400);
    expect(res.body.message).to.equal("__proto__: unknown field");
    expect((await call(emu, "GET", "/v1/agents/101")).body.data.firstname).to.equal("Jane");
  });

  it("undecodable URLs and overlong path segments answer with the envelope", async () => {
    const emu = await fixture.use();
    const bad = await call(emu, "GET", "/v1/agents/%zz");
    expect(bad.status).to.equal(400);
    expect(bad.body).to.deep.equal({ status: "error", message: "path: not a valid URL" });
    const long = await call(emu, "GET", `/v1/agents/${"9".repeat(200)}`);
    expect(long.status).to.equal(414);
    expect(long.body.status).to.equal("error");
    expect((await emu.admin.requests()).counters.byStatus).to.deep.equal({ "400": 1, "414": 1 });
  });

  it("malformed HTTP gets a 400 envelope and the server keeps serving", async () => {
    const emu = await fixture.use();
    const answer = await rawExchange(emu.url, "THIS IS NOT HTTP\r\n\r\n");
    expect(answer).to.match(/^HTTP\/1\.1 400/);
    expect(answer).to.contain('"status":"error"');
    expect((await call(emu, "GET", "/v1/agents")).status).to.equal(200);
  });

  it("survives a few hundred random requests, answering each with a JSON envelope and never a 5xx", async function () {
    this.timeout(60_000);
    const emu = await fixture.use({ rateLimit: false });
    const rand = prng(20240611);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const methods = ["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"] as const;
    const paths = [
      "/v1/agents",
      "/v1/agents/101",
      "/v1/agents/102",
      "/v1/agents/{n}",
      "/v1/agents/{s}",
      "/v1/teams",
      "/v1/teams/10",
      "/v1/teams/{n}/agents",
      "/v1/teams/10/agents/{n}",
      "/v1/phone-numbers",
      "/v1/phone-numbers/{n}",
      "/v1/{s}",
      "/v1/agents?page={s}&per_page={n}",
      "/v1/phone-numbers?assigned_to={s}",
      "/{s}",
      "/v1/agents/{n}/{s}",
      "/v1",
      "/v1/agents/%{s}",
      "/v1/teams/{raw}",
    ];
    const alphabet = "abcXYZ019_-.~%20!$&()*+,;=:@{}[]é中";
    const randomString = (max: number) => Array.from({ length: Math.floor(rand() * max) }, () => pick([...alphabet])).join("");
    const randomValue = (depth: number): unknown => {
      switch (Math.floor(rand() * (depth > 2 ? 5 : 7))) {
        case 0:
          return null;
        case 1:
          return Math.floor(rand() * 2000) - 100;
        case 2:
          return randomString(20);
        case 3:
          return rand() < 0.5;
        case 4:
          return rand() * 1e6;
        case 5:
          return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
        default: {
          const keys = [
            "firstname",
            "lastname",
            "email",
            "phone",
            "timezone",
            "role",
            "status",
            "agent_id",
            "assigned_to",
            "id",
            randomString(6),
          ];
          return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [pick(keys), randomValue(depth + 1)]));
        }
      }
    };
    const contentTypes = [
      "application/json",
      "application/json",
      "application/json",
      "text/plain",
      "application/octet-stream",
      "application/json; charset=latin1",
    ];
    for (let i = 0; i < 400; i++) {
      const method = pick(methods);
      const path = pick(paths)
        .replace("{n}", String(Math.floor(rand() * 300) - 20))
        .replace("{s}", encodeURIComponent(randomString(12)))
        .replace("{raw}", randomString(12).replace(/[^\x21-\x7e]/g, "%"));
      let raw: string | undefined;
      if (method !== "GET" && rand() < 0.8) {
        const r = rand();
        if (r < 0.6) raw = JSON.stringify(randomValue(0));
        else if (r < 0.8) raw = JSON.stringify(randomValue(0)).slice(0, Math.floor(rand() * 30));
        else raw = randomString(40);
      }
      const headers: Record<string, string> = {};
      if (raw !== undefined) headers["content-type"] = pick(contentTypes);
      const ascii = (x: string) => x.replace(/[^\x20-\x7e]/g, "?");
      const auth = rand() < 0.9 ? DEMO_AUTH : pick([null, ascii(`Basic ${randomString(10)}`), "Basic"]);
      const res = await call(emu, method, path, { raw, headers, auth });
      const where = `#${i} ${method} ${path} ${raw ?? ""}`;
      expect(res.status, where).to.be.within(200, 499);
      expect(["success", "error"], where).to.include(res.body?.status);
      if (res.status >= 400) expect(res.body.message, where).to.be.a("string").and.not.equal("");
    }
    const ok = await call(emu, "GET", "/v1/agents?per_page=100");
    expect(ok.status).to.equal(200);
    expect(ok.body.status).to.equal("success");
    const log = await emu.admin.requests();
    expect(log.counters.total).to.equal(401);
    expect(Object.keys(log.counters.byStatus).filter((s) => Number(s) >= 500)).to.deep.equal([]);
  });
});
