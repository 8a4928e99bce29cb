import { expect } from "chai";
import { call, emulatorFixture, GLOBEX_AUTH, newAgent } from "./helpers";

describe("emulator: teams", () => {
  const fixture = emulatorFixture();

  it("lists teams with member ids, and gets one", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "GET", "/v1/teams");
    expect(res.body).to.deep.equal({
      status: "success",
      data: [
        { id: 10, name: "Support", agents: [101, 102] },
        { id: 11, name: "Sales", agents: [102] },
        { id: 12, name: "Billing", agents: [103] },
      ],
      total: 3,
      page: 1,
      per_page: 10,
    });
    expect((await call(emu, "GET", "/v1/teams/11")).body).to.deep.equal({
      status: "success",
      data: { id: 11, name: "Sales", agents: [102] },
    });
    expect((await call(emu, "GET", "/v1/teams/99")).status).to.equal(404);
  });

  it("adds an agent to a team", async () => {
    const emu = await fixture.use();
    const id = (await call(emu, "POST", "/v1/agents", { body: newAgent("new@example.com") })).body.data.agent_id;
    const res = await call(emu, "POST", "/v1/teams/10/agents", { body: { agent_id: id } });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: "success", message: "Agent added to team" });
    expect((await call(emu, "GET", "/v1/teams/10")).body.data.agents).to.deep.equal([101, 102, id]);
  });

  it("adding a member twice answers 409 and changes nothing", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "POST", "/v1/teams/10/agents", { body: { agent_id: 102 } });
    expect(res.status).to.equal(409);
    expect(res.body).to.deep.equal({ status: "error", message: "agent_id: agent 102 is already a member of team 10" });
    expect((await call(emu, "GET", "/v1/teams/10")).body.data.agents).to.deep.equal([101, 102]);
  });

  it("refuses unknown agents (400), unknown teams (404) and bad bodies (400)", async () => {
    const emu = await fixture.use();
    const cases: Array<[string, unknown, number, string]> = [
      ["/v1/teams/10/agents", { agent_id: 999 }, 400, "agent_id: agent 999 not found"],
      ["/v1/teams/10/agents", { agent_id: 104 }, 400, "agent_id: agent 104 not found"],
      ["/v1/teams/10/agents", {}, 400, "agent_id: is required"],
      ["/v1/teams/10/agents", { agent_id: "102" }, 400, "agent_id: must be a positive integer"],
      ["/v1/teams/10/agents", { agent_id: 1.5 }, 400, "agent_id: must be a positive integer"],
      ["/v1/teams/10/agents", { agent_id: 102, role: "x" }, 400, "role: unknown field"],
      ["/v1/teams/999/agents", { agent_id: 102 }, 404, "Team 999 not found"],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await call(emu, "POST", path, { body });
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(res.body).to.deep.equal({ status: "error", message });
    }
  });

  it("removes a member (assumed route); removing a non-member answers 404", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "DELETE", "/v1/teams/10/agents/102");
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: "success", message: "Agent removed from team" });
    expect((await call(emu, "GET", "/v1/teams/10")).body.data.agents).to.deep.equal([101]);
    const again = await call(emu, "DELETE", "/v1/teams/10/agents/102");
    expect(again.status).to.equal(404);
    expect(again.body).to.deep.equal({ status: "error", message: "Agent 102 is not a member of team 10" });
    expect((await call(emu, "DELETE", "/v1/teams/999/agents/101")).status).to.equal(404);
    // The agent itself is untouched and can rejoin.
    expect((await call(emu, "GET", "/v1/agents/102")).status).to.equal(200);
    expect((await call(emu, "POST", "/v1/teams/10/agents", { body: { agent_id: 102 } })).status).to.equal(200);
  });

  it("another account's team is not found", async () => {
    const emu = await fixture.use();
    const res = await call(emu, "GET", "/v1/teams", { auth: GLOBEX_AUTH });
    expect(res.body.data).to.have.length(1);
    const globexTeam = res.body.data[0].id;
    expect((await call(emu, "DELETE", `/v1/teams/${globexTeam}/agents/104`)).status).to.equal(404);
    expect((await call(emu, "DELETE", `/v1/teams/${globexTeam}/agents/104`, { auth: GLOBEX_AUTH })).status).to.equal(200);
  });
});
