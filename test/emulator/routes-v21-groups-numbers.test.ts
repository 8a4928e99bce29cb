import { expect } from "chai";
import { call, emulatorFixture, newAgent } from "./helpers";
import { v21 } from "./helpers-v21";

describe("emulator v2.1: user groups and phone numbers", () => {
  const fixture = emulatorFixture();

  it("gets a user group with every published field and its members as objects", async () => {
    const emu = await fixture.use();
    const res = await v21(emu, "GET", "/v2.1/user_groups/10");
    expect(res.body).to.deep.equal({
      status: "success",
      data: {
        id: 10,
        group_name: "Support",
        group_extension: 2001,
        total_members: 2,
        updated_on: "2025-03-10T08:15:00.000Z",
        members: [
          { id: 101, name: "Jane Doe", email: "jane.doe@acme.example", role: "admin", timezone: "America/Los_Angeles", extension: 1001 },
          { id: 102, name: "Sam Lee", email: "sam.lee@acme.example", role: "agent", timezone: "America/New_York", extension: 1002 },
        ],
      },
    });
  });

  it("lists user groups (default 50 a page) and follows membership changes made through v1 and the admin API", async () => {
    const emu = await fixture.use();
    const list = await v21(emu, "GET", "/v2.1/user_groups");
    expect(list.body).to.deep.include({
      count: 3,
      total_count: 3,
      current_page: 0,
      per_page: 50,
      next_page_link: null,
      prev_page_link: null,
    });
    expect(list.body.data.map((g: { group_name: string; total_members: number }) => [g.group_name, g.total_members])).to.deep.equal([
      ["Support", 2],
      ["Sales", 1],
      ["Billing", 1],
    ]);
    const paged = await v21(emu, "GET", "/v2.1/user_groups?per_page=2&page=1");
    expect(paged.body).to.deep.include({ count: 1, current_page: 1, next_page_link: null });
    expect(new URL(paged.body.prev_page_link).searchParams.get("page")).to.equal("0");

    await call(emu, "POST", "/v1/teams/12/agents", { body: { agent_id: 101 } });
    const billing = (await v21(emu, "GET", "/v2.1/user_groups/12")).body.data;
    expect(billing.total_members).to.equal(2);
    expect(billing.members.map((m: { id: number }) => m.id)).to.deep.equal([103, 101]);
    expect(Date.parse(billing.updated_on)).to.be.greaterThan(Date.parse("2025-03-10T08:15:00.000Z"));

    const team = await emu.admin.addTeam("demo_api_key", "Escalations");
    const added = (await v21(emu, "GET", `/v2.1/user_groups/${team.id}`)).body.data;
    expect(added).to.include({ group_name: "Escalations", group_extension: 2004, total_members: 0 });
    expect(added.members).to.deep.equal([]);
  });

  it("gets a phone number with every published field", async () => {
    const emu = await fixture.use();
    expect((await v21(emu, "GET", "/v2.1/phone-numbers/5")).body).to.deep.equal({
      status: "success",
      data: {
        id: 5,
        justcall_number: "+14155550100",
        friendly_number: "(415) 555-0100",
        justcall_line_name: "Jane Doe direct",
        number_type: "local",
        number_owner: { id: 101, email: "jane.doe@acme.example", name: "Jane Doe" },
        shared_with: { team_members: [], user_groups: [] },
        capabilities: { voice: true, sms: true, mms: true },
      },
    });
    expect((await v21(emu, "GET", "/v2.1/phone-numbers/7")).body.data.shared_with).to.deep.equal({
      team_members: [{ id: 102, email: "sam.lee@acme.example", name: "Sam Lee" }],
      user_groups: [{ id: 10, name: "Support" }],
    });
    const gb = (await v21(emu, "GET", "/v2.1/phone-numbers/11")).body.data;
    expect(gb).to.deep.include({
      justcall_number: "+442071838750",
      friendly_number: "+442071838750",
      justcall_line_name: null,
      number_owner: null,
    });
    expect(gb.capabilities).to.deep.equal({ voice: true, sms: true, mms: false });
    expect((await v21(emu, "GET", "/v2.1/phone-numbers/12")).body.data).to.deep.include({
      number_type: "toll_free",
      capabilities: { voice: true, sms: true, mms: false },
    });
  });

  it("lists numbers 30 a page by default and filters by owner, shared agent and shared group", async () => {
    const emu = await fixture.use();
    const list = await v21(emu, "GET", "/v2.1/phone-numbers");
    expect(list.body).to.deep.include({ count: 8, total_count: 8, current_page: 0, per_page: 30, next_page_link: null });
    const ids = async (query: string) => (await v21(emu, "GET", `/v2.1/phone-numbers?${query}`)).body.data.map((n: { id: number }) => n.id);
    expect(await ids("number_owner_id=101")).to.deep.equal([5]);
    expect(await ids("number_owner_id=102")).to.deep.equal([]);
    expect(await ids("shared_agent_id=102")).to.deep.equal([7]);
    expect(await ids("shared_group_id=10")).to.deep.equal([7, 12]);
    expect(await ids("shared_group_id=11")).to.deep.equal([12]);
    expect(await ids("shared_group_id=10&shared_agent_id=102")).to.deep.equal([7]);

    // Ownership moved through v1 and sharing changed through the admin API both show.
    await call(emu, "POST", "/v1/phone-numbers/9", { body: { assigned_to: 102 } });
    expect(await ids("number_owner_id=102")).to.deep.equal([9]);
    expect(await emu.admin.shareNumber(10, { agentIds: [101, 103], teamIds: [12] })).to.deep.equal({
      id: 10,
      line_name: null,
      capabilities: { voice: true, sms: true, mms: true },
      shared_agents: [101, 103],
      shared_teams: [12],
    });
    expect(await ids("shared_agent_id=103")).to.deep.equal([10]);
    expect(await ids("shared_group_id=12")).to.deep.equal([10]);
    expect((await v21(emu, "GET", "/v2.1/users/103")).body.data.shared_numbers).to.deep.equal([
      { id: 10, justcall_number: "+14155550105" },
    ]);
    // Sharing stays within the account.
    await emu.admin.shareNumber(10, { agentIds: [104] }).then(
      () => expect.fail("shared with another account"),
      (err) => expect(err.status).to.equal(400),
    );

    for (const [query, message] of [
      ["number_owner_id=x", "number_owner_id: must be an integer"],
      ["shared_agent_id=0", "shared_agent_id: must be a positive integer"],
      ["shared_group_id=1.5", "shared_group_id: must be an integer"],
      ["per_page=101", "per_page: must be between 1 and 100"],
    ]) {
      const res = await v21(emu, "GET", `/v2.1/phone-numbers?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
  });

  it("deleting an agent through v1 clears it from owners, sharing and groups", async () => {
    const emu = await fixture.use();
    await call(emu, "DELETE", "/v1/agents/102");
    const seven = (await v21(emu, "GET", "/v2.1/phone-numbers/7")).body.data;
    expect(seven.shared_with.team_members).to.deep.equal([]);
    expect((await v21(emu, "GET", "/v2.1/user_groups/11")).body.data.total_members).to.equal(0);
    await call(emu, "DELETE", "/v1/agents/101");
    expect((await v21(emu, "GET", "/v2.1/phone-numbers/5")).body.data.number_owner).to.equal(null);
  });

  it("takes the v2.1 fields from a seed", async () => {
    const emu = await fixture.use({
      seed: {
        accounts: [
          {
            name: "Initech",
            apiKey: "ik",
            apiSecret: "is",
            plan: "business",
            teams: [{ name: "Printers", extension: 300, updatedAt: "2024-02-02T00:00:00Z" }],
            agents: [
              {
                firstname: "Peter",
                lastname: "Gibbons",
                email: "peter@initech.example",
                teams: ["Printers"],
                extension: 42,
                available: false,
                unavailabilityReason: "TPS reports",
                lastLoginAt: "2024-03-03T00:00:00Z",
              },
              { firstname: "Milton", lastname: "Waddams", email: "milton@initech.example" },
            ],
            numbers: [
              {
                number: "+15125550100",
                country: "US",
                type: "local",
                name: "Front desk",
                capabilities: { voice: true, sms: false, mms: false },
                sharedWith: { agents: ["milton@initech.example"], teams: ["Printers"] },
              },
            ],
          },
        ],
      },
    });
    const auth = "ik:is";
    const users = (await v21(emu, "GET", "/v2.1/users", { auth })).body.data;
    expect(users[0]).to.include({
      extension: 42,
      available: "No",
      unavailability_reason: "TPS reports",
      last_login_timestamp: "2024-03-03T00:00:00Z",
    });
    expect(users[1]).to.include({ extension: 1001, available: "Yes", last_login_timestamp: null });
    const group = (await v21(emu, "GET", "/v2.1/user_groups", { auth })).body.data[0];
    expect(group).to.include({ group_extension: 300, updated_on: "2024-02-02T00:00:00Z" });
    const number = (await v21(emu, "GET", "/v2.1/phone-numbers", { auth })).body.data[0];
    expect(number).to.deep.include({ justcall_line_name: "Front desk", capabilities: { voice: true, sms: false, mms: false } });
    expect(number.shared_with.team_members.map((m: { email: string }) => m.email)).to.deep.equal(["milton@initech.example"]);
    expect((await emu.admin.state()).accounts[0].plan).to.equal("business");

    const refused = await emu.admin
      .loadSeed({
        accounts: [
          {
            name: "X",
            apiKey: "x",
            apiSecret: "y",
            numbers: [{ number: "+15125550100", country: "US", type: "local", sharedWith: { teams: ["Nope"] } }],
          },
        ],
      })
      .then(
        () => null,
        (err) => err,
      );
    expect(refused.status).to.equal(400);
    expect(refused.message).to.contain("sharedWith.teams: no team named Nope");
    const badPlan = await emu.admin.loadSeed({ accounts: [{ name: "X", apiKey: "x", apiSecret: "y", plan: "gold" as never }] }).then(
      () => null,
      (err) => err,
    );
    expect(badPlan.status).to.equal(400);
    expect(badPlan.message).to.match(/plan/);
  });

  it("v1 agents added later get the next free extension", async () => {
    const emu = await fixture.use();
    const a = (await call(emu, "POST", "/v1/agents", { body: newAgent("a@acme.example") })).body.data.agent_id;
    const b = (await emu.admin.addAgent("demo_api_key", { firstname: "B", lastname: "B", email: "b@acme.example" })).id;
    const globex = (
      await call(emu, "POST", "/v1/agents", {
        body: newAgent("g@globex.example"),
        auth: `Basic ${Buffer.from("globex_api_key:globex_api_secret").toString("base64")}`,
      })
    ).body.data.agent_id;
    expect((await v21(emu, "GET", `/v2.1/users/${a}`)).body.data.extension).to.equal(1004);
    expect((await v21(emu, "GET", `/v2.1/users/${b}`)).body.data.extension).to.equal(1005);
    // Extensions are per account.
    expect((await v21(emu, "GET", `/v2.1/users/${globex}`, { auth: "globex_api_key:globex_api_secret" })).body.data.extension).to.equal(
      1002,
    );
  });
});
