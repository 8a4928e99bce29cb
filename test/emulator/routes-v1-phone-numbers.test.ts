import { expect } from "chai";
import { call, emulatorFixture, newAgent } from "./helpers";

describe("emulator: phone numbers", () => {
  const fixture = emulatorFixture();

  it("lists numbers with id, number, country, type and assigned_to", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "GET", "/v1/phone-numbers?per_page=100");
    expect(res.body.total).to.equal(8);
    expect(res.body.data[0]).to.deep.equal({ id: 5, number: "+14155550100", country: "US", type: "local", assigned_to: 101 });
    expect(res.body.data.find((n: { number: string }) => n.number === "+18005550199")).to.include({ type: "toll_free", assigned_to: null });
    expect(res.body.data.find((n: { number: string }) => n.number === "+442071838750")).to.include({ country: "GB" });
    expect((await call(emu, "GET", "/v1/phone-numbers/6")).body).to.deep.equal({
      status: "success",
      data: { id: 6, number: "+14155550101", country: "US", type: "local", assigned_to: 103 },
    });
  });

  it("filters by ?assigned_to=", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "GET", "/v1/phone-numbers?assigned_to=101");
    expect(res.body.total).to.equal(1);
    expect(res.body.data.map((n: { id: number }) => n.id)).to.deep.equal([5]);
    expect((await call(emu, "GET", "/v1/phone-numbers?assigned_to=102")).body.data).to.deep.equal([]);
    const bad = await call(emu, "GET", "/v1/phone-numbers?assigned_to=jane");
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.equal("assigned_to: must be an integer");
  });

  it("assigns, reassigns in one call and unassigns; the agent shows its numbers", async () => {
    const emu = await fixture.use();
    const id = (await call(emu, "POST", "/v1/agents", { body: newAgent("n@example.com") })).body.data.agent_id;
    const assigned = await call(emu, "POST", "/v1/phone-numbers/7", { body: { assigned_to: id } });
    expect(assigned.status).to.equal(200);
    expect(assigned.body).to.deep.equal({
      status: "success",
      data: { id: 7, number: "+14155550102", country: "US", type: "local", assigned_to: id },
    });
    expect((await call(emu, "GET", `/v1/agents/${id}`)).body.data.numbers).to.deep.equal([
      { id: 7, number: "+14155550102", country: "US", type: "local" },
    ]);

    // Jane's number moves straight to the new agent.
    const moved = await call(emu, "POST", "/v1/phone-numbers/5", { body: { assigned_to: id } });
    expect(moved.body.data.assigned_to).to.equal(id);
    expect((await call(emu, "GET", "/v1/agents/101")).body.data.numbers).to.deep.equal([]);
    expect((await call(emu, "GET", `/v1/phone-numbers?assigned_to=${id}`)).body.data.map((n: { id: number }) => n.id)).to.deep.equal([
      5, 7,
    ]);

    const freed = await call(emu, "POST", "/v1/phone-numbers/5", { body: { assigned_to: null } });
    expect(freed.body.data.assigned_to).to.equal(null);
  });

  it("refuses unknown agents, missing or read-only fields, and unknown numbers", async () => {
    const emu = await fixture.use();
    const cases: Array<[string, unknown, number, string]> = [
      ["/v1/phone-numbers/5", { assigned_to: 999 }, 400, "assigned_to: agent 999 not found"],
      ["/v1/phone-numbers/5", { assigned_to: 104 }, 400, "assigned_to: agent 104 not found"],
      ["/v1/phone-numbers/5", {}, 400, "assigned_to: is required (an agent id, or null to unassign)"],
      ["/v1/phone-numbers/5", { assigned_to: "102" }, 400, "assigned_to: must be a positive integer"],
      ["/v1/phone-numbers/5", { assigned_to: 102, number: "+1" }, 400, "number: is read-only"],
      ["/v1/phone-numbers/5", { assigned_to: 102, label: "x" }, 400, "label: unknown field"],
      ["/v1/phone-numbers/999", { assigned_to: 102 }, 404, "Phone number 999 not found"],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await call(emu, "POST", path, { body });
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
    expect((await call(emu, "GET", "/v1/phone-numbers/5")).body.data.assigned_to).to.equal(101);
  });

  it("numbers are not created or released through /v1", async () => {
    const emu = await fixture.use();
    expect((await call(emu, "POST", "/v1/phone-numbers", { body: { number: "+14155550999" } })).status).to.equal(404);
    expect((await call(emu, "DELETE", "/v1/phone-numbers/5")).status).to.equal(404);
  });
});
