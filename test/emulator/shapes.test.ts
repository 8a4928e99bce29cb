// The response-shape switch: `guide` answers exactly as the guide (v1) and the published reference
// (v2.1) print their examples; `full` with every field. One suite per shape mode.
import { expect } from "chai";
import { parseShapesSpec } from "../../emulator";
import { call, emulatorFixture, newAgent } from "./helpers";
import { v21 } from "./helpers-v21";

const keys = (o: object) => Object.keys(o);

describe("emulator shapes: v1 guide (the default)", () => {
  const fixture = emulatorFixture();
  // The fixture pins `full`; these tests take the default.
  const guide = () => fixture.use({ shapes: undefined });

  it("is the default for v1, and full stays the default for v2.1", async () => {
    const emu = await guide();
    expect(await emu.admin.shapes()).to.deep.equal({ v1: "guide", "v2.1": "full" });
  });

  it("lists agents with the guide's fields only: {status, data: [{id, firstname, lastname, email, role}], total, page}", async () => {
    const emu = await guide();
    const res = await call(emu, "GET", "/v1/agents");
    expect(keys(res.body)).to.deep.equal(["status", "data", "total", "page"]);
    expect(res.body.data[0]).to.deep.equal({ id: 101, firstname: "Jane", lastname: "Doe", email: "jane.doe@acme.example", role: "admin" });
  });

  it("gets an agent as {id, firstname, lastname, email, timezone}: no role", async () => {
    const emu = await guide();
    const res = await call(emu, "GET", "/v1/agents/101");
    expect(res.body).to.deep.equal({
      status: "success",
      data: { id: 101, firstname: "Jane", lastname: "Doe", email: "jane.doe@acme.example", timezone: "America/Los_Angeles" },
    });
  });

  it('creates with agent_id (the guide: "Capture the returned agent_id") and the names and email only', async () => {
    const emu = await guide();
    const res = await call(emu, "POST", "/v1/agents", {
      body: newAgent("john@acme.example", { role: "supervisor", timezone: "Europe/London" }),
    });
    expect(res.status).to.equal(200);
    expect(keys(res.body.data)).to.deep.equal(["agent_id", "firstname", "lastname", "email"]);
    expect((await emu.admin.outbox()).map((i) => i.email)).to.deep.equal(["john@acme.example"]);
  });

  it("answers an update with the id and the changed fields only", async () => {
    const emu = await guide();
    const res = await call(emu, "POST", "/v1/agents/102", { body: { firstname: "Jonathan", timezone: "Europe/London" } });
    expect(res.body).to.deep.equal({ status: "success", data: { id: 102, firstname: "Jonathan", timezone: "Europe/London" } });
    const sam = (await emu.admin.state()).accounts[0].agents.find((a) => a.id === 102)!;
    expect(sam).to.include({ firstname: "Jonathan", lastname: "Lee", timezone: "Europe/London" });
  });

  it("answers a duplicate email with 400, naming the email, and sends no invitation", async () => {
    const emu = await guide();
    const res = await call(emu, "POST", "/v1/agents", { body: newAgent("JANE.DOE@acme.example") });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({ status: "error", message: "email: has already been taken" });
    const update = await call(emu, "POST", "/v1/agents/102", { body: { email: "jane.doe@acme.example" } });
    expect(update.status).to.equal(400);
    expect(await emu.admin.outbox()).to.deep.equal([]);
  });

  it("lists teams and numbers as printed: {status, data}, numbers as {id, number, assigned_to, type}", async () => {
    const emu = await guide();
    const teams = await call(emu, "GET", "/v1/teams");
    expect(keys(teams.body)).to.deep.equal(["status", "data"]);
    expect(teams.body.data[0]).to.deep.equal({ id: 10, name: "Support", agents: [101, 102] });
    const numbers = await call(emu, "GET", "/v1/phone-numbers");
    expect(keys(numbers.body)).to.deep.equal(["status", "data"]);
    expect(numbers.body.data[0]).to.deep.equal({ id: 5, number: "+14155550100", assigned_to: 101, type: "local" });
    const assigned = await call(emu, "POST", "/v1/phone-numbers/8", { body: { assigned_to: 102 } });
    expect(assigned.body.data).to.deep.equal({ id: 8, number: "+14155550103", assigned_to: 102, type: "local" });
  });

  it("switches to full and back at run time (admin API); reset restores the startup shapes", async () => {
    const emu = await guide();
    expect(await emu.admin.setShapes("full")).to.deep.equal({ v1: "full", "v2.1": "full" });
    expect(keys((await call(emu, "GET", "/v1/agents/101")).body.data)).to.include.members(["role", "status", "created_at", "numbers"]);
    expect((await call(emu, "POST", "/v1/agents", { body: newAgent("jane.doe@acme.example") })).status).to.equal(409);
    expect(await emu.admin.setShapes({ v1: "guide" })).to.deep.equal({ v1: "guide", "v2.1": "full" });
    expect(keys((await call(emu, "GET", "/v1/agents/101")).body.data)).to.deep.equal(["id", "firstname", "lastname", "email", "timezone"]);
    await emu.admin.setShapes("full");
    await emu.admin.reset();
    expect(await emu.admin.shapes()).to.deep.equal({ v1: "guide", "v2.1": "full" });
    const bad = await fetch(`${emu.url}/__admin/shapes`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: '{"shapes":"tidy"}',
    });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { message: string }).message).to.match(/guide, full/);
  });
});

describe("emulator shapes: v2.1 guide (the reference's example values)", () => {
  const fixture = emulatorFixture();
  const guide = () => fixture.use({ shapes: { "v2.1": "guide" } });

  it("prints users with capitalised roles, numbers without +, its date format and {group_id, group_name} groups", async () => {
    const emu = await guide();
    await emu.admin.editAgent(103, { role: "Account Owner" });
    const list = await v21(emu, "GET", "/v2.1/users");
    const jane = list.body.data.find((u: { id: number }) => u.id === 101);
    expect(jane).to.deep.equal({
      id: 101,
      name: "Jane Doe",
      email: "jane.doe@acme.example",
      role: "Admin",
      extension: 1001,
      groups: [{ group_id: 10, group_name: "Support" }],
      owned_numbers: ["14155550100"],
      shared_numbers: [],
      created_at: "2025-01-06 09:00:00",
      last_login_timestamp: "2025-06-02 16:45:00",
      timezone: "America/Los_Angeles",
      working_hours_type: "Always Open",
      available: "Yes",
      unavailability_reason: null,
      on_call: "No",
    });
    const roles = list.body.data.map((u: { role: string }) => u.role);
    expect(roles).to.deep.equal(["Admin", "Agent", "Account Owner"]);
  });

  it("answers a single get with the bare object, and filters by the printed role name", async () => {
    const emu = await guide();
    const one = await v21(emu, "GET", "/v2.1/users/102");
    expect(one.body).to.include({ id: 102, name: "Sam Lee", role: "Agent" });
    expect(one.body).to.not.have.property("status");
    const admins = await v21(emu, "GET", "/v2.1/users?role=Admin");
    expect(admins.body.data.map((u: { id: number }) => u.id)).to.deep.equal([101]);
    const group = await v21(emu, "GET", "/v2.1/user_groups/10");
    expect(group.body).to.include({ id: 10, group_name: "Support", group_extension: "2001", total_members: 2 });
    expect(group.body.updated_on).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(group.body.members[0]).to.include({ id: 101, role: "Admin" });
  });

  it("prints phone numbers as the reference does", async () => {
    const emu = await guide();
    const res = await v21(emu, "GET", "/v2.1/phone-numbers/7");
    expect(res.body).to.deep.equal({
      id: 7,
      justcall_number: "14155550102",
      friendly_number: "(415) 555-0102",
      justcall_line_name: "Support main",
      current_status: "Available",
      number_type: "Local",
      number_owner: null,
      shared_with: {
        team_members: [{ id: 102, email: "sam.lee@acme.example", name: "Sam Lee" }],
        user_groups: [{ group_id: 10, group_name: "Support" }],
      },
      capabilities: { call: "Yes", sms: "Yes", mms: "Yes" },
    });
  });
});

describe("emulator shapes: --shapes", () => {
  it("reads guide, full, and per API", () => {
    expect(parseShapesSpec("guide")).to.deep.equal({ v1: "guide", "v2.1": "guide" });
    expect(parseShapesSpec("full")).to.deep.equal({ v1: "full", "v2.1": "full" });
    expect(parseShapesSpec("v2.1=guide")).to.deep.equal({ v1: "guide", "v2.1": "guide" });
    expect(parseShapesSpec("v1=full,v2.1=guide")).to.deep.equal({ v1: "full", "v2.1": "guide" });
    expect(() => parseShapesSpec("tidy")).to.throw(/guide, full/);
    expect(() => parseShapesSpec("v3=full")).to.throw(/unknown API "v3"/);
  });
});
