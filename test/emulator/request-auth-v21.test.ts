import { expect } from "chai";
import { basic, call, emulatorFixture } from "./helpers";
import { DEMO_RAW, GLOBEX_RAW, raw, v21 } from "./helpers-v21";

describe("emulator v2.1: authentication and account isolation", () => {
  const fixture = emulatorFixture();

  it('accepts the raw "api_key:api_secret" header on every v2.1 route', async () => {
    const emu = await fixture.use();
    for (const path of [
      "/v2.1/users",
      "/v2.1/users/101",
      "/v2.1/user_groups",
      "/v2.1/user_groups/10",
      "/v2.1/phone-numbers",
      "/v2.1/phone-numbers/5",
    ]) {
      const res = await v21(emu, "GET", path);
      expect(res.status, path).to.equal(200);
      expect(res.body.status).to.equal("success");
    }
    const put = await v21(emu, "PUT", "/v2.1/users/availability", { body: { agent_id: 101, is_available: true } });
    expect(put.status).to.equal(200);
  });

  const refusals: Array<[string, string | null, RegExp]> = [
    ["no header", null, /^Missing Authorization header: expected "Authorization: api_key:api_secret"$/],
    ["Basic base64(key:secret) (the v1 form)", basic("demo_api_key", "demo_api_secret"), /^Malformed Authorization header/],
    ["a Bearer token", "Bearer demo_api_key", /^Malformed/],
    ["a key without a secret", "demo_api_key", /^Malformed/],
    ["an empty secret", "demo_api_key:", /^Malformed/],
    ["an empty key", ":demo_api_secret", /^Malformed/],
    ['base64 of key:secret without "Basic"', Buffer.from("demo_api_key:demo_api_secret").toString("base64"), /^Malformed/],
    ["a wrong secret", raw("demo_api_key", "nope"), /^Invalid API key or secret$/],
    ["an unknown key", raw("who", "demo_api_secret"), /^Invalid API key or secret$/],
  ];
  for (const [name, auth, message] of refusals) {
    it(`answers 401 with the error envelope for ${name}`, async () => {
      const emu = await fixture.use();
      const res = await v21(emu, "GET", "/v2.1/users", { auth });
      expect(res.status).to.equal(401);
      expect(res.body).to.have.keys("status", "message");
      expect(res.body.status).to.equal("error");
      expect(res.body.message).to.match(message);
      // A 401 counts against no key and, the plan being unknown, shows no window.
      expect(res.headers.get("x-rate-limit-limit")).to.equal(null);
    });
  }

  it("each API takes only its own form: raw on v1 and Basic on v2.1 are both 401", async () => {
    const emu = await fixture.use();
    expect((await call(emu, "GET", "/v1/agents", { auth: DEMO_RAW })).status).to.equal(401);
    expect((await call(emu, "GET", "/v2.1/users", { auth: basic("demo_api_key", "demo_api_secret") })).status).to.equal(401);
    expect((await call(emu, "GET", "/v1/agents")).status).to.equal(200);
  });

  it("requires auth on unknown /v2.1 routes too (401 before 404), with the envelope", async () => {
    const emu = await fixture.use();
    expect((await v21(emu, "GET", "/v2.1/nope", { auth: null })).status).to.equal(401);
    const res = await v21(emu, "GET", "/v2.1/nope");
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({ status: "error", message: "Route GET /v2.1/nope not found" });
    expect((await v21(emu, "POST", "/v2.1/users")).status).to.equal(404);
    expect((await v21(emu, "DELETE", "/v2.1/users/101")).status).to.equal(404);
  });

  it("answers 404 for another account's user, group and number ids, and lists never leak", async () => {
    const emu = await fixture.use();
    const globex = (await emu.admin.state()).accounts.find((a) => a.apiKey === "globex_api_key")!;
    const [user, group, number] = [globex.agents[0].id, globex.teams[0].id, globex.numbers[0].id];
    expect((await v21(emu, "GET", `/v2.1/users/${user}`, { auth: GLOBEX_RAW })).status).to.equal(200);
    for (const [path, message] of [
      [`/v2.1/users/${user}`, `User ${user} not found`],
      [`/v2.1/user_groups/${group}`, `User group ${group} not found`],
      [`/v2.1/phone-numbers/${number}`, `Phone number ${number} not found`],
      ["/v2.1/users/9999", "User 9999 not found"],
      ["/v2.1/users/abc", "User abc not found"],
    ]) {
      const res = await v21(emu, "GET", path);
      expect(res.status, path).to.equal(404);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
    const users = await v21(emu, "GET", "/v2.1/users?per_page=100");
    expect(users.body.data.map((u: { email: string }) => u.email)).to.not.include("hank.scorpio@globex.example");
    expect((await v21(emu, "GET", `/v2.1/users?group_id=${group}`)).body.data).to.deep.equal([]);
    expect((await v21(emu, "GET", `/v2.1/phone-numbers?number_owner_id=${user}`)).body.total_count).to.equal(0);
    // Another account's agent cannot have its availability set: "not found" in the body (400).
    const put = await v21(emu, "PUT", "/v2.1/users/availability", { body: { agent_id: user, is_available: false } });
    expect(put.status).to.equal(400);
    expect(put.body).to.deep.equal({ status: "error", message: `agent_id: agent ${user} not found` });
    expect((await emu.admin.state()).accounts[1].agentExtras[0].available).to.equal(true);
  });

  it("answers 403 for a request from an IP outside the key allowlist, with the v2.1 headers", async () => {
    const emu = await fixture.use({
      seed: {
        accounts: [
          { name: "Locked", apiKey: "locked", apiSecret: "s1", allowedIps: ["10.1.2.3"] },
          { name: "Loopback", apiKey: "open", apiSecret: "s2", allowedIps: ["127.0.0.1", "::1"] },
        ],
      },
    });
    const denied = await v21(emu, "GET", "/v2.1/users", { auth: raw("locked", "s1") });
    expect(denied.status).to.equal(403);
    expect(denied.body).to.deep.equal({ status: "error", message: "Requests from IP 127.0.0.1 are not allowed for this API key" });
    expect(denied.headers.get("x-rate-limit-remaining")).to.equal("1800");
    expect((await v21(emu, "GET", "/v2.1/users", { auth: raw("locked", "bad") })).status).to.equal(401);
    expect((await v21(emu, "GET", "/v2.1/users", { auth: raw("open", "s2") })).status).to.equal(200);
  });

  it("does not insist on an Accept header", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "GET", "/v2.1/users/101", { auth: DEMO_RAW });
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
  });
});
