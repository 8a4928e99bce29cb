import { expect } from "chai";
import { call, emulatorFixture, GLOBEX_AUTH, newAgent } from "./helpers";

const AGENT_KEYS = ["id", "firstname", "lastname", "email", "phone", "timezone", "role", "status", "created_at", "numbers"];
const ALIASED_KEYS = ["agent_id", ...AGENT_KEYS.slice(1)];

describe("emulator: agents", () => {
  const fixture = emulatorFixture();

  it("lists the seeded agents with every field and their numbers", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "GET", "/v1/agents");
    expect(res.body.total).to.equal(3);
    const jane = res.body.data[0];
    expect(Object.keys(jane)).to.deep.equal(AGENT_KEYS);
    expect(jane).to.include({ firstname: "Jane", lastname: "Doe", email: "jane.doe@acme.example", role: "admin", status: "Offline" });
    expect(jane.numbers).to.deep.equal([{ id: 5, number: "+14155550100", country: "US", type: "local" }]);
    expect(res.body.data[1].numbers).to.deep.equal([]);
  });

  it("creates an agent: agent_id instead of id, Pending, defaults, and an invitation in the outbox", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents", { body: newAgent("john@example.com", { role: "agent" }) });
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal("success");
    const data = res.body.data;
    expect(Object.keys(data)).to.deep.equal(ALIASED_KEYS);
    expect(data).to.not.have.property("id");
    expect(data).to.include({
      firstname: "John",
      lastname: "Smith",
      email: "john@example.com",
      role: "agent",
      status: "Pending",
      phone: null,
      timezone: null,
    });
    expect(data.numbers).to.deep.equal([]);
    expect(new Date(data.created_at).toISOString()).to.equal(data.created_at);

    const got = await call(emu, "GET", `/v1/agents/${data.agent_id}`);
    expect(got.body.data.id).to.equal(data.agent_id);
    expect(got.body.data).to.not.have.property("agent_id");
    expect(got.body.data.status).to.equal("Pending");

    const outbox = await emu.admin.outbox();
    expect(outbox).to.have.length(1);
    expect(outbox[0]).to.include({ id: 1, agentId: data.agent_id, email: "john@example.com", account: "demo_api_key" });
    expect(Date.parse(outbox[0].sentAt)).to.be.a("number").and.not.NaN;
  });

  it("lists pending agents too", async () => {
    const emu = await fixture.use();
    await call(emu, "POST", "/v1/agents", { body: newAgent("p@example.com") });
    const res = await call(emu, "GET", "/v1/agents");
    expect(res.body.total).to.equal(4);
    expect(res.body.data.map((a: { status: string }) => a.status)).to.include("Pending");
  });

  it("accepting the invitation (admin API) turns Pending into Offline", async () => {
    const emu = await fixture.use();
    const id = (await call(emu, "POST", "/v1/agents", { body: newAgent("p@example.com") })).body.data.agent_id;
    const accepted = await emu.admin.acceptInvitation(id);
    expect(accepted.status).to.equal("Offline");
    expect((await call(emu, "GET", `/v1/agents/${id}`)).body.data.status).to.equal("Offline");
    await emu.admin.acceptInvitation(id).then(
      () => expect.fail("a second accept should fail"),
      (err) => expect(err.status).to.equal(409),
    );
  });

  it("accepts optional phone, timezone and role", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents", {
      body: newAgent("x@example.com", { phone: "+447700900123", timezone: "Europe/London", role: "supervisor" }),
    });
    expect(res.body.data).to.include({ phone: "+447700900123", timezone: "Europe/London", role: "supervisor" });
    // Current IANA names pass even where Node's ICU list still carries the CLDR legacy ones.
    for (const [i, timezone] of ["UTC", "Asia/Kolkata", "Europe/Kyiv", "America/Argentina/Buenos_Aires", "Etc/GMT+5"].entries()) {
      const res = await call(emu, "POST", "/v1/agents", { body: newAgent(`tz${i}@example.com`, { timezone }) });
      expect(res.status, timezone).to.equal(200);
      expect(res.body.data.timezone).to.equal(timezone);
    }
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ["missing firstname", { lastname: "S", email: "a@example.com" }, "firstname: is required"],
    ["missing lastname", { firstname: "J", email: "a@example.com" }, "lastname: is required"],
    ["missing email", { firstname: "J", lastname: "S" }, "email: is required"],
    ["empty firstname", newAgent("a@example.com", { firstname: "" }), "firstname: must not be empty"],
    ["blank lastname", newAgent("a@example.com", { lastname: "   " }), "lastname: must not be empty"],
    ["numeric firstname", newAgent("a@example.com", { firstname: 42 }), "firstname: must be a string"],
    ["bad email", newAgent("not-an-email"), "email: must be a valid email address"],
    ["email without a dot", newAgent("a@localhost"), "email: must be a valid email address"],
    ["email as a number", newAgent("x", { email: 7 }), "email: must be a string"],
    ["phone not E.164", newAgent("a@example.com", { phone: "415-555-0100" }), "phone: must be an E.164 phone number such as +14155550100"],
    [
      "phone with a leading 0",
      newAgent("a@example.com", { phone: "+04155550100" }),
      "phone: must be an E.164 phone number such as +14155550100",
    ],
    [
      "phone too long",
      newAgent("a@example.com", { phone: "+1234567890123456" }),
      "phone: must be an E.164 phone number such as +14155550100",
    ],
    [
      "unknown timezone",
      newAgent("a@example.com", { timezone: "Mars/Olympus" }),
      "timezone: must be an IANA time zone such as America/New_York",
    ],
    [
      "lower-cased timezone",
      newAgent("a@example.com", { timezone: "america/new_york" }),
      "timezone: must be an IANA time zone such as America/New_York",
    ],
    ["unknown role", newAgent("a@example.com", { role: "owner" }), "role: must be one of agent, supervisor, admin"],
    ["unknown field", newAgent("a@example.com", { nickname: "J" }), "nickname: unknown field"],
    ["status sent", newAgent("a@example.com", { status: "Online" }), "status: is read-only"],
    ["id sent", newAgent("a@example.com", { id: 5 }), "id: is read-only"],
    ["agent_id sent", newAgent("a@example.com", { agent_id: 5 }), "agent_id: is read-only"],
    ["numbers sent", newAgent("a@example.com", { numbers: [] }), "numbers: is read-only"],
    ["overlong firstname", newAgent("a@example.com", { firstname: "x".repeat(256) }), "firstname: must be at most 255 characters"],
  ];
  for (const [name, body, message] of invalid) {
    it(`create answers 400 for ${name}`, async () => {
      const emu = await fixture.use();
      const res = await call(emu, "POST", "/v1/agents", { body });
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ status: "error", message });
      expect(await emu.admin.outbox()).to.deep.equal([]);
    });
  }

  it("create answers 400 for a body that is not an object", async () => {
    const emu = await fixture.use();
    for (const body of [[], "x", 3, null]) {
      const res = await call(emu, "POST", "/v1/agents", { body });
      expect(res.status).to.equal(400);
      expect(res.body.message).to.equal("body: must be a JSON object");
    }
    expect((await call(emu, "POST", "/v1/agents")).body.message).to.equal("body: must be a JSON object");
  });

  it("a duplicate email, compared case-insensitively, answers 409 and sends no invitation", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents", { body: newAgent("Jane.Doe@ACME.example") });
    expect(res.status).to.equal(409);
    expect(res.body).to.deep.equal({ status: "error", message: "email: an agent with email Jane.Doe@ACME.example already exists" });
    expect(await emu.admin.outbox()).to.deep.equal([]);
    expect((await call(emu, "GET", "/v1/agents")).body.total).to.equal(3);
  });

  it("the same email may exist in another account", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents", { body: newAgent("jane.doe@acme.example"), auth: GLOBEX_AUTH });
    expect(res.status).to.equal(200);
  });

  it("updates only the fields sent, answering the full agent with agent_id", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents/102", { body: { firstname: "Samuel", timezone: "Europe/London" } });
    expect(res.status).to.equal(200);
    expect(Object.keys(res.body.data)).to.deep.equal(ALIASED_KEYS);
    expect(res.body.data).to.include({
      agent_id: 102,
      firstname: "Samuel",
      lastname: "Lee",
      timezone: "Europe/London",
      email: "sam.lee@acme.example",
    });
    const got = await call(emu, "GET", "/v1/agents/102");
    expect(got.body.data).to.include({ firstname: "Samuel", timezone: "Europe/London", role: "agent" });
  });

  it("update can clear phone and timezone with null and change role and email", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents/101", {
      body: { phone: null, timezone: null, role: "agent", email: "JANE@acme.example" },
    });
    expect(res.body.data).to.include({ phone: null, timezone: null, role: "agent", email: "JANE@acme.example" });
    // Changing only the case of one's own email is not a conflict.
    expect((await call(emu, "POST", "/v1/agents/101", { body: { email: "jane@ACME.example" } })).status).to.equal(200);
  });

  it("update refuses an email another agent has (409), read-only fields, unknown fields and empty bodies", async () => {
    const emu = await fixture.use();
    const cases: Array<[unknown, number, string]> = [
      [{ email: "SAM.LEE@acme.example" }, 409, "email: an agent with email SAM.LEE@acme.example already exists"],
      [{ status: "Online" }, 400, "status: is read-only"],
      [{ id: 9 }, 400, "id: is read-only"],
      [{ agent_id: 9 }, 400, "agent_id: is read-only"],
      [{ created_at: "2020-01-01T00:00:00Z" }, 400, "created_at: is read-only"],
      [{ numbers: [] }, 400, "numbers: is read-only"],
      [{ foo: 1 }, 400, "foo: unknown field"],
      [{}, 400, "body: must contain at least one of firstname, lastname, email, phone, timezone, role"],
      [{ email: "nope" }, 400, "email: must be a valid email address"],
      [{ firstname: "" }, 400, "firstname: must not be empty"],
      [{ firstname: null }, 400, "firstname: must be a string"],
    ];
    for (const [body, status, message] of cases) {
      const res = await call(emu, "POST", "/v1/agents/101", { body });
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
    const jane = (await call(emu, "GET", "/v1/agents/101")).body.data;
    expect(jane).to.include({ email: "jane.doe@acme.example", status: "Offline", firstname: "Jane" });
  });

  it("update of an unknown agent answers 404", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/agents/9999", { body: { firstname: "X" } });
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({ status: "error", message: "Agent 9999 not found" });
  });

  it("delete is permanent, frees the email, unassigns numbers and leaves every team", async () => {
    const emu = await fixture.use();
    // Jane (101) holds +14155550100 and is in Support (10); Sam (102) is in Support and Sales.
    const res = await call(emu, "DELETE", "/v1/agents/101");
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: "success", message: "Agent deleted successfully" });
    expect((await call(emu, "GET", "/v1/agents/101")).status).to.equal(404);
    expect((await call(emu, "DELETE", "/v1/agents/101")).status).to.equal(404);
    const number = await call(emu, "GET", "/v1/phone-numbers/5");
    expect(number.body.data.assigned_to).to.equal(null);
    const team = await call(emu, "GET", "/v1/teams/10");
    expect(team.body.data.agents).to.deep.equal([102]);

    const again = await call(emu, "POST", "/v1/agents", { body: newAgent("jane.doe@acme.example") });
    expect(again.status).to.equal(200);
    expect(again.body.data.agent_id).to.not.equal(101);
  });
});
