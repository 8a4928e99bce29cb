import { expect } from "chai";
import { AuthError, DuplicateEmailError, NotFoundError, ValidationError } from "../../../provider/client";
import { caught, withEmulator } from "./helpers";

const newAgent = (email: string) => ({ firstname: "Ada", lastname: "Lovelace", email, role: "agent", timezone: "Europe/London" });

// The client's contract tests run against both emulator shapes: the guide's printed answers and the full ones.
for (const shapes of ["guide", "full"] as const)
  describe(`client against the emulator (${shapes} shapes): operations`, () => {
    const full = shapes === "full";

    it("creates, reads, finds, updates and deletes an agent", () =>
      withEmulator({ shapes }, {}, async (emu, client) => {
        const created = await client.createAgent(newAgent("ada@acme.example"));
        expect(created.id).to.be.a("number");
        // The guide's create answer prints no status and no phone: nothing is invented for them.
        expect(created).to.include({ email: "ada@acme.example", role: "agent", timezone: "Europe/London" });
        expect(created.status).to.equal(full ? "Pending" : undefined);
        expect(created.phone).to.equal(full ? null : undefined);
        // The guide's list prints no timezone: asked to, the client completes it with a GET by id.
        expect(await client.readAgent(created.id, { complete: ["role", "timezone"] })).to.include({
          id: created.id,
          email: "ada@acme.example",
          role: "agent",
          timezone: "Europe/London",
        });
        expect((await client.findAgentByEmail("ADA@acme.example"))?.id).to.equal(created.id);
        const updated = await client.updateAgent(created.id, { firstname: "Augusta" });
        expect(updated).to.include({ id: created.id, firstname: "Augusta", lastname: "Lovelace" });
        expect((await client.readAgent(created.id))?.firstname).to.equal("Augusta");
        expect(await client.deleteAgent(created.id)).to.equal("deleted");
        expect(await client.deleteAgent(created.id)).to.equal("absent");
        expect(await client.readAgent(created.id)).to.equal(undefined);
        expect((await emu.admin.outbox()).filter((i) => i.email === "ada@acme.example")).to.have.length(1);
      }));

    it("lists every agent page by page, per_page=100", () =>
      withEmulator({ shapes, rateLimit: false }, {}, async (emu, client) => {
        for (let i = 0; i < 247; i++)
          await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "A", lastname: String(i), email: `a${i}@acme.example` });
        await emu.admin.clearRequests();
        const all = await client.listAgents();
        expect(all).to.have.length(250);
        expect(new Set(all.map((a) => a.id)).size).to.equal(250);
        const log = await emu.admin.requests();
        expect(log.requests.map((r) => r.path)).to.deep.equal([
          "/v1/agents?page=1&per_page=100",
          "/v1/agents?page=2&per_page=100",
          "/v1/agents?page=3&per_page=100",
        ]);
      }));

    it("serves many concurrent reads from one snapshot: ceil(N/100) list calls, no GET by id", () =>
      withEmulator({ shapes, rateLimit: false }, {}, async (emu, client) => {
        for (let i = 0; i < 197; i++)
          await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "B", lastname: String(i), email: `b${i}@acme.example` });
        const ids = (await emu.admin.state()).accounts[0].agents.map((a: { id: number }) => a.id);
        expect(ids).to.have.length(200);
        const read = await Promise.all(ids.map((id: number) => client.readAgent(id)));
        expect(read.every((a) => a !== undefined)).to.equal(true);
        const m = client.metrics().requests;
        expect(m).to.deep.equal({ "GET /v1/agents": { "200": 2 } });
      }));

    it("confirms an agent missing from the snapshot with one GET (404 → undefined)", () =>
      withEmulator({ shapes }, {}, async (_emu, client) => {
        await client.listAgents();
        client.resetMetrics();
        expect(await client.readAgent(999_999)).to.equal(undefined);
        expect(client.metrics().requests).to.deep.equal({ "GET /v1/agents/{id}": { "404": 1 } });
      }));

    it("keeps the snapshot in step with its own writes without re-listing", () =>
      withEmulator({ shapes }, {}, async (_emu, client) => {
        await client.listAgents();
        client.resetMetrics();
        const a = await client.createAgent(newAgent("grace@acme.example"));
        expect((await client.findAgentByEmail("grace@acme.example"))?.id).to.equal(a.id);
        await client.updateAgent(a.id, { lastname: "Hopper" });
        expect((await client.readAgent(a.id))?.lastname).to.equal("Hopper");
        expect(Object.keys(client.metrics().requests).sort()).to.deep.equal(["POST /v1/agents", "POST /v1/agents/{id}"]);
      }));

    it("manages team membership: added, already-member, removed, absent", () =>
      withEmulator({ shapes }, {}, async (_emu, client) => {
        const team = (await client.teams()).find((t) => t.name === "Billing")!;
        const agent = (await client.findAgentByEmail("jane.doe@acme.example"))!;
        expect(team.agentIds).not.to.include(agent.id);
        expect(await client.addTeamMember(team.id, agent.id)).to.equal("added");
        expect((await client.teams()).find((t) => t.id === team.id)!.agentIds).to.include(agent.id);
        expect(await client.addTeamMember(team.id, agent.id)).to.equal("already-member");
        expect(await client.removeTeamMember(team.id, agent.id)).to.equal("removed");
        expect(await client.removeTeamMember(team.id, agent.id)).to.equal("absent");
        client.invalidateListCache();
        expect((await client.teams()).find((t) => t.id === team.id)!.agentIds).not.to.include(agent.id);
        const e = await caught(client.addTeamMember(team.id, 987_654));
        expect(e).to.be.instanceOf(ValidationError);
        expect((e as ValidationError).field).to.equal("agent_id");
      }));

    it("assigns, lists and releases phone numbers", () =>
      withEmulator({ shapes }, {}, async (_emu, client) => {
        const sam = (await client.findAgentByEmail("sam.lee@acme.example"))!;
        const free = (await client.numbers()).find((n) => n.assignedTo === null)!;
        const assigned = await client.assignNumber(free.id, sam.id);
        expect(assigned).to.include({ id: free.id, assignedTo: sam.id });
        expect((await client.numbersAssignedTo(sam.id)).map((n) => n.id)).to.deep.equal([free.id]);
        // The guide's agent answers print no numbers; the full ones do.
        if (full) expect((await client.readAgent(sam.id))!.numbers).to.include(free.number);
        else expect((await client.readAgent(sam.id))!.numbers).to.equal(undefined);
        client.invalidateListCache();
        if (full) expect((await client.readAgent(sam.id))!.numbers).to.include(free.number);
        expect((await client.assignNumber(free.id, null)).assignedTo).to.equal(null);
        expect(await client.numbersAssignedTo(sam.id)).to.deep.equal([]);
      }));

    it("throws DuplicateEmailError on a first-attempt duplicate (409, or the guide shapes' 400) and ValidationError naming the field on a 400", () =>
      withEmulator({ shapes }, {}, async (_emu, client) => {
        const dup = await caught(client.createAgent(newAgent("jane.doe@acme.example")));
        expect(dup).to.be.instanceOf(DuplicateEmailError);
        expect((dup as DuplicateEmailError).attempts).to.equal(1);
        const bad = await caught(client.createAgent(newAgent("not-an-email")));
        expect(bad).to.be.instanceOf(ValidationError);
        expect((bad as ValidationError).field).to.equal("email");
        expect(await caught(client.updateAgent(424242, { firstname: "x" }))).to.be.instanceOf(NotFoundError);
      }));

    it("fails once and fast with AuthError on wrong credentials", () =>
      withEmulator({ shapes }, { apiSecret: "wrong-secret-value" }, async (emu, client) => {
        const e = await caught(client.listAgents());
        expect(e).to.be.instanceOf(AuthError);
        expect(e.message).to.match(/justcall:apiSecret/);
        expect((e as AuthError).attempts).to.equal(1);
        expect((await emu.admin.requests()).counters.byStatus).to.deep.equal({ "401": 1 });
      }));
  });

describe("client: the agent list during a long up", () => {
  it("creates look agents up in the list read at the first one, however old, while other reads still renew it", () =>
    withEmulator({ rateLimit: false }, { snapshotTtlMs: 50 }, async (emu, client) => {
      await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Old", lastname: "Hand", email: "old@acme.example" });
      await emu.admin.clearRequests();
      const agentListReads = async () => (await emu.admin.requests()).counters.byRoute["GET /v1/agents"]?.["200"] ?? 0;
      for (let i = 0; i < 4; i++) {
        // What Agent create does: look the email up (adopt if present), else create.
        expect(await client.findAgentByEmail(`new${i}@acme.example`, { anyAge: true })).to.equal(undefined);
        await client.createAgent(newAgent(`new${i}@acme.example`));
        // Past the list's 50 ms lifetime before the next create.
        await new Promise((resolve) => setTimeout(resolve, 80));
      }
      expect(await agentListReads()).to.equal(1);
      // The agents this client created are in that list, and so is the one that was there.
      expect((await client.findAgentByEmail("new3@acme.example", { anyAge: true }))?.email).to.equal("new3@acme.example");
      expect((await client.findAgentByEmail("old@acme.example", { anyAge: true }))?.email).to.equal("old@acme.example");
      expect(await agentListReads()).to.equal(1);
      // A read that asks for a current list (a refresh's, a preview's) still gets one.
      expect((await client.findAgentByEmail("old@acme.example"))?.email).to.equal("old@acme.example");
      expect(await agentListReads()).to.equal(2);
    }));
});
