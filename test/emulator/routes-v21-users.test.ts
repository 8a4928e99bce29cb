import { expect } from "chai";
import { call, emulatorFixture, newAgent } from "./helpers";
import { v21 } from "./helpers-v21";

const JANE = {
  id: 101,
  name: "Jane Doe",
  email: "jane.doe@acme.example",
  role: "admin",
  extension: 1001,
  groups: [{ id: 10, name: "Support" }],
  owned_numbers: [{ id: 5, justcall_number: "+14155550100" }],
  shared_numbers: [],
  created_at: "2025-01-06T09:00:00.000Z",
  last_login_timestamp: "2025-06-02T16:45:00.000Z",
  timezone: "America/Los_Angeles",
  working_hours_type: "Always Open",
  available: "Yes",
  unavailability_reason: null,
  on_call: "No",
};

describe("emulator v2.1: users", () => {
  const fixture = emulatorFixture();

  it("gets one user with every published field, in a {status, data} envelope", async () => {
    const emu = await fixture.use();
    const res = await v21(emu, "GET", "/v2.1/users/101");
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: "success", data: JANE });
    const sam = (await v21(emu, "GET", "/v2.1/users/102")).body.data;
    expect(sam).to.include({ name: "Sam Lee", extension: 1002 });
    expect(sam.groups).to.deep.equal([
      { id: 10, name: "Support" },
      { id: 11, name: "Sales" },
    ]);
    expect(sam.owned_numbers).to.deep.equal([]);
    expect(sam.shared_numbers).to.deep.equal([{ id: 7, justcall_number: "+14155550102" }]);
  });

  it("lists with the published envelope, 0-based pages and full-URL links", async () => {
    const emu = await fixture.use();
    const first = await v21(emu, "GET", "/v2.1/users");
    expect(first.body).to.deep.include({
      status: "success",
      count: 3,
      total_count: 3,
      current_page: 0,
      per_page: 50,
      next_page_link: null,
      prev_page_link: null,
    });
    expect(Object.keys(first.body)).to.deep.equal([
      "status",
      "count",
      "total_count",
      "current_page",
      "per_page",
      "next_page_link",
      "prev_page_link",
      "data",
    ]);
    expect(first.body.data[0]).to.deep.equal(JANE);
    expect(first.body.data.map((u: { id: number }) => u.id)).to.deep.equal([101, 102, 103]);

    // Walk the pages by following next_page_link, then back by prev_page_link.
    const seen: number[] = [];
    let url: string | null = `${emu.url}/v2.1/users?per_page=1&role=admin&page=0`;
    await call(emu, "POST", "/v1/agents", { body: newAgent("boss@acme.example", { role: "admin" }) });
    const pages: Array<{ current_page: number; prev_page_link: string | null }> = [];
    while (url) {
      expect(url.startsWith(`${emu.url}/v2.1/users?`)).to.equal(true);
      const res = await v21(emu, "GET", url.slice(emu.url.length));
      expect(res.body.count).to.equal(1);
      expect(res.body.total_count).to.equal(2);
      seen.push(...res.body.data.map((u: { id: number }) => u.id));
      pages.push(res.body);
      url = res.body.next_page_link;
    }
    expect(seen).to.have.length(2);
    expect(seen[0]).to.equal(101);
    expect(pages.map((p) => p.current_page)).to.deep.equal([0, 1]);
    const prev = new URL(pages[1].prev_page_link!);
    expect(Object.fromEntries(prev.searchParams)).to.deep.equal({ per_page: "1", role: "admin", page: "0" });

    // Past the end: empty, the real total, and a link back to the last page.
    const past = await v21(emu, "GET", "/v2.1/users?page=7&per_page=2");
    expect(past.body).to.deep.include({ count: 0, total_count: 4, current_page: 7, per_page: 2, next_page_link: null, data: [] });
    expect(new URL(past.body.prev_page_link).searchParams.get("page")).to.equal("1");
  });

  it("refuses bad paging with 400", async () => {
    const emu = await fixture.use();
    for (const [query, message] of [
      ["per_page=101", "per_page: must be between 1 and 100"],
      ["per_page=0", "per_page: must be between 1 and 100"],
      ["page=-1", "page: must be an integer"],
      ["page=1.5", "page: must be an integer"],
      ["page=x", "page: must be an integer"],
      ["page=1&page=2", "page: must be given once"],
    ]) {
      const res = await v21(emu, "GET", `/v2.1/users?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
    expect((await v21(emu, "GET", "/v2.1/users?per_page=100")).body.per_page).to.equal(100);
  });

  it("filters by email (case-insensitive), group_id, role and available, together", async () => {
    const emu = await fixture.use();
    const ids = async (query: string) => (await v21(emu, "GET", `/v2.1/users?${query}`)).body.data.map((u: { id: number }) => u.id);
    expect(await ids("email=SAM.LEE@acme.example")).to.deep.equal([102]);
    expect(await ids("email=nobody@acme.example")).to.deep.equal([]);
    expect(await ids("group_id=10")).to.deep.equal([101, 102]);
    expect(await ids("group_id=12")).to.deep.equal([103]);
    expect(await ids("group_id=999")).to.deep.equal([]);
    expect(await ids("role=supervisor")).to.deep.equal([103]);
    expect(await ids("available=Yes")).to.deep.equal([101, 102, 103]);
    expect(await ids("available=No")).to.deep.equal([]);
    await emu.admin.setAvailability(102, false, "Training");
    expect(await ids("available=No")).to.deep.equal([102]);
    expect(await ids("available=false")).to.deep.equal([102]);
    expect(await ids("available=yes&group_id=10")).to.deep.equal([101]);
    expect(await ids("role=agent&group_id=11&available=No")).to.deep.equal([102]);
    expect((await v21(emu, "GET", "/v2.1/users?email=sam.lee@acme.example")).body.total_count).to.equal(1);
    for (const [query, message] of [
      ["role=owner", "role: must be one of agent, supervisor, admin"],
      ["available=maybe", "available: must be Yes or No"],
      ["group_id=abc", "group_id: must be an integer"],
      ["group_id=0", "group_id: must be a positive integer"],
    ]) {
      const res = await v21(emu, "GET", `/v2.1/users?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
  });

  it("PUT /v2.1/users/availability sets availability and reason; available again clears the reason", async () => {
    const emu = await fixture.use();
    const off = await v21(emu, "PUT", "/v2.1/users/availability", {
      body: { agent_id: 102, is_available: false, unavailability_reason: "Lunch" },
    });
    expect(off.status).to.equal(200);
    expect(off.body.status).to.equal("success");
    expect(off.body.data).to.include({ id: 102, available: "No", unavailability_reason: "Lunch" });
    expect((await v21(emu, "GET", "/v2.1/users/102")).body.data).to.include({ available: "No", unavailability_reason: "Lunch" });
    expect((await emu.admin.state()).accounts[0].agentExtras[1]).to.include({ id: 102, available: false, unavailability_reason: "Lunch" });

    const noReason = await v21(emu, "PUT", "/v2.1/users/availability", { body: { agent_id: 101, is_available: false } });
    expect(noReason.body.data).to.include({ available: "No", unavailability_reason: null });

    const on = await v21(emu, "PUT", "/v2.1/users/availability", {
      body: { agent_id: 102, is_available: true, unavailability_reason: "ignored" },
    });
    expect(on.body.data).to.include({ available: "Yes", unavailability_reason: null });
    const log = await emu.admin.requests();
    expect(log.counters.byRoute["PUT /v2.1/users/availability"]).to.deep.equal({ "200": 3 });
  });

  it("validates the availability body", async () => {
    const emu = await fixture.use();
    const cases: Array<[unknown, string]> = [
      [{ is_available: true }, "agent_id: is required"],
      [{ agent_id: "101", is_available: true }, "agent_id: must be a positive integer"],
      [{ agent_id: 9999, is_available: true }, "agent_id: agent 9999 not found"],
      [{ agent_id: 101 }, "is_available: is required"],
      [{ agent_id: 101, is_available: "yes" }, "is_available: must be a boolean (true or false)"],
      [{ agent_id: 101, is_available: 0 }, "is_available: must be a boolean (true or false)"],
      [{ agent_id: 101, is_available: false, unavailability_reason: 5 }, "unavailability_reason: must be a string"],
      [
        { agent_id: 101, is_available: false, unavailability_reason: "x".repeat(256) },
        "unavailability_reason: must be at most 255 characters",
      ],
      [{ agent_id: 101, is_available: false, status: "Online" }, "status: unknown field"],
      [[101, false], "body: must be a JSON object"],
    ];
    for (const [body, message] of cases) {
      const res = await v21(emu, "PUT", "/v2.1/users/availability", { body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
    expect((await v21(emu, "PUT", "/v2.1/users/availability", { raw: '{"agent_id":' })).status).to.equal(400);
    expect((await v21(emu, "PUT", "/v2.1/users/availability")).status).to.equal(400);
    expect((await v21(emu, "GET", "/v2.1/users/101")).body.data.available).to.equal("Yes");
  });

  it("shows an agent created through v1 and follows every v1 change", async () => {
    const emu = await fixture.use();
    const created = (
      await call(emu, "POST", "/v1/agents", { body: newAgent("new.hire@acme.example", { role: "supervisor", timezone: "Europe/Paris" }) })
    ).body.data;
    const id = created.agent_id;
    const user = (await v21(emu, "GET", `/v2.1/users/${id}`)).body.data;
    expect(user).to.deep.equal({
      id,
      name: "John Smith",
      email: "new.hire@acme.example",
      role: "supervisor",
      extension: 1004,
      groups: [],
      owned_numbers: [],
      shared_numbers: [],
      created_at: created.created_at,
      last_login_timestamp: null,
      timezone: "Europe/Paris",
      working_hours_type: "Always Open",
      available: "Yes",
      unavailability_reason: null,
      on_call: "No",
    });
    await call(emu, "POST", "/v1/teams/11/agents", { body: { agent_id: id } });
    await call(emu, "POST", "/v1/phone-numbers/8", { body: { assigned_to: id } });
    await call(emu, "POST", `/v1/agents/${id}`, { body: { lastname: "Smythe" } });
    await emu.admin.acceptInvitation(id);
    const after = (await v21(emu, "GET", `/v2.1/users/${id}`)).body.data;
    expect(after).to.include({ name: "John Smythe" });
    expect(after.groups).to.deep.equal([{ id: 11, name: "Sales" }]);
    expect(after.owned_numbers).to.deep.equal([{ id: 8, justcall_number: "+14155550103" }]);
    expect(after.last_login_timestamp).to.be.a("string");
    expect((await v21(emu, "GET", "/v2.1/users?email=new.hire@acme.example")).body.data[0].id).to.equal(id);

    await emu.admin.editAgent(id, { status: "Busy" });
    expect((await v21(emu, "GET", `/v2.1/users/${id}`)).body.data.on_call).to.equal("Yes");

    await call(emu, "DELETE", `/v1/agents/${id}`);
    expect((await v21(emu, "GET", `/v2.1/users/${id}`)).status).to.equal(404);
    expect((await v21(emu, "GET", "/v2.1/user_groups/11")).body.data.members.map((m: { id: number }) => m.id)).to.deep.equal([102]);
  });

  it("leaves v1 exactly as it was: a v2.1 write changes no v1 field", async () => {
    const emu = await fixture.use();
    const before = await call(emu, "GET", "/v1/agents/102");
    await v21(emu, "PUT", "/v2.1/users/availability", { body: { agent_id: 102, is_available: false, unavailability_reason: "Out" } });
    const after = await call(emu, "GET", "/v1/agents/102");
    expect(after.body).to.deep.equal(before.body);
    expect(Object.keys(after.body.data)).to.deep.equal([
      "id",
      "firstname",
      "lastname",
      "email",
      "phone",
      "timezone",
      "role",
      "status",
      "created_at",
      "numbers",
    ]);
    expect(Object.keys((await call(emu, "GET", "/v1/teams/10")).body.data)).to.deep.equal(["id", "name", "agents"]);
    expect(Object.keys((await call(emu, "GET", "/v1/phone-numbers/7")).body.data)).to.deep.equal([
      "id",
      "number",
      "country",
      "type",
      "assigned_to",
    ]);
    expect(Object.keys((await call(emu, "GET", "/v1/agents")).body)).to.deep.equal(["status", "data", "total", "page", "per_page"]);
  });

  it("the admin API records logins and availability for drift tests", async () => {
    const emu = await fixture.use();
    expect(await emu.admin.recordLogin(103, "2025-07-01T09:30:00Z")).to.include({ id: 103, last_login_at: "2025-07-01T09:30:00.000Z" });
    expect((await v21(emu, "GET", "/v2.1/users/103")).body.data.last_login_timestamp).to.equal("2025-07-01T09:30:00.000Z");
    expect(await emu.admin.setAvailability(103, false, "Holiday")).to.include({ available: false, unavailability_reason: "Holiday" });
    expect((await v21(emu, "GET", "/v2.1/users/103")).body.data).to.include({ available: "No", unavailability_reason: "Holiday" });
    await emu.admin.setAvailability(103, true);
    expect((await v21(emu, "GET", "/v2.1/users/103")).body.data).to.include({ available: "Yes", unavailability_reason: null });
    for (const bad of [() => emu.admin.setAvailability(9999, true), () => emu.admin.recordLogin(101, "yesterday")]) {
      await bad().then(
        () => expect.fail("accepted"),
        (err) => expect(err.status).to.be.oneOf([400, 404]),
      );
    }
  });
});
