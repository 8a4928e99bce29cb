import { expect } from "chai";
import { inspect } from "node:util";
import { AuthError, resetSharedClients, sharedClient, UnsupportedOperationError } from "../../../provider/client";
import { caught, statuses, withEmulator } from "./helpers";

const V21 = { apiVersion: "v2.1" as const };
const JANE = "jane.doe@acme.example";

/** Requests the emulator saw, as "METHOD path". */
async function seen(emu: Parameters<Parameters<typeof withEmulator>[2]>[0]): Promise<string[]> {
  return (await emu.admin.requests()).requests.map((r) => `${r.method} ${r.path}`);
}

// The client's contract tests run against both v2.1 shapes: the reference's printed example values
// (capitalised roles, numbers without +, its date format, bare single gets) and the full ones.
for (const shapes of ["guide", "full"] as const)
  describe(`client v2.1 against the emulator (${shapes} shapes): reads`, () => {
    it("lists every user page by page from page 0, and splits names at the first space", () =>
      withEmulator({ shapes: { "v2.1": shapes }, rateLimit: false, v21RateLimit: false }, V21, async (emu, client) => {
        for (let i = 0; i < 247; i++)
          await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Mary Ann", lastname: `Lee ${i}`, email: `m${i}@acme.example` });
        await emu.admin.clearRequests();
        const all = await client.listAgents();
        expect(all).to.have.length(250);
        expect(new Set(all.map((a) => a.id)).size).to.equal(250);
        expect(await seen(emu)).to.deep.equal([
          "GET /v2.1/users?page=0&per_page=100",
          "GET /v2.1/users?page=1&per_page=100",
          "GET /v2.1/users?page=2&per_page=100",
        ]);
        const jane = all.find((a) => a.email === JANE)!;
        expect(jane).to.include({
          id: 101,
          firstname: "Jane",
          lastname: "Doe",
          name: "Jane Doe",
          role: "admin",
          available: true,
          unavailabilityReason: null,
        });
        expect(jane.numbers).to.deep.equal(["+14155550100"]);
        const mary = all.find((a) => a.email === "m7@acme.example")!;
        expect(mary).to.include({ firstname: "Mary", lastname: "Ann Lee 7", name: "Mary Ann Lee 7" });
      }));

    it("reads a user by id; 404 → undefined with one GET", () =>
      withEmulator({ shapes: { "v2.1": shapes } }, V21, async (_emu, client) => {
        await client.listAgents();
        client.resetMetrics();
        expect((await client.readAgent(101))?.email).to.equal(JANE);
        expect(await client.readAgent(999_999)).to.equal(undefined);
        expect(client.metrics().requests).to.deep.equal({ "GET /v2.1/users/{id}": { "404": 1 } });
        expect((await client.findAgentByEmail("SAM.LEE@acme.example"))?.id).to.equal(102);
      }));

    it("maps user groups to teams and members to agent ids", () =>
      withEmulator({ shapes: { "v2.1": shapes } }, V21, async (_emu, client) => {
        const teams = await client.teams();
        expect(teams.map((t) => [t.id, t.name, [...t.agentIds].sort()])).to.deep.equal([
          [10, "Support", [101, 102]],
          [11, "Sales", [102]],
          [12, "Billing", [103]],
        ]);
      }));

    it("maps phone numbers to owners, and filters by owner on the server", () =>
      withEmulator({ shapes: { "v2.1": shapes } }, V21, async (emu, client) => {
        const numbers = await client.numbers();
        expect(numbers).to.have.length(8);
        expect(numbers.find((n) => n.id === 5)).to.deep.equal({
          id: 5,
          number: "+14155550100",
          country: null,
          type: "local",
          assignedTo: 101,
        });
        expect(numbers.find((n) => n.id === 7)?.assignedTo).to.equal(null);
        await emu.admin.clearRequests();
        expect((await client.numbersAssignedTo(103)).map((n) => n.number)).to.deep.equal(["+14155550101"]);
        expect(await seen(emu)).to.deep.equal(["GET /v2.1/phone-numbers?number_owner_id=103&page=0&per_page=100"]);
      }));

    it("sees changes made behind its back (drift) after invalidateListCache", () =>
      withEmulator({ shapes: { "v2.1": shapes } }, V21, async (emu, client) => {
        expect((await client.readAgent(102))?.available).to.equal(true);
        await emu.admin.setAvailability(102, false, "Training");
        await emu.admin.editAgent(102, { firstname: "Samuel" });
        await emu.admin.addTeamMember(12, 102);
        await emu.admin.moveNumber(8, 102);
        client.invalidateListCache();
        expect(await client.readAgent(102)).to.include({
          firstname: "Samuel",
          lastname: "Lee",
          available: false,
          unavailabilityReason: "Training",
        });
        expect((await client.teams()).find((t) => t.id === 12)?.agentIds).to.include(102);
        expect((await client.numbers()).find((n) => n.id === 8)?.assignedTo).to.equal(102);
      }));
  });

for (const shapes of ["guide", "full"] as const)
  describe(`client v2.1 against the emulator (${shapes} shapes): availability`, () => {
    it("sets a user unavailable with a reason, then available again", () =>
      withEmulator({ shapes: { "v2.1": shapes } }, V21, async (emu, client) => {
        const off = await client.setAvailability(102, false, "Lunch");
        expect(off).to.include({ id: 102, available: false, unavailabilityReason: "Lunch" });
        expect((await client.readAgent(102))?.available).to.equal(false);
        client.invalidateListCache();
        expect(await client.readAgent(102)).to.include({ available: false, unavailabilityReason: "Lunch" });
        const on = await client.setAvailability(102, true);
        expect(on).to.include({ available: true, unavailabilityReason: null });
        const puts = (await emu.admin.requests()).requests.filter((r) => r.method === "PUT");
        expect(puts.map((r) => `${r.path} ${r.status}`)).to.deep.equal(["/v2.1/users/availability 200", "/v2.1/users/availability 200"]);
      }));

    it("a v1 client cannot set availability, and says where to do it", () =>
      withEmulator({ shapes: { "v2.1": shapes } }, {}, async (emu, client) => {
        expect(client.apiVersion).to.equal("v1");
        expect(client.supports("setAvailability")).to.equal(false);
        expect(client.supports("createAgent")).to.equal(true);
        await client.listAgents();
        const e = await caught(client.setAvailability(101, false, "Lunch"));
        expect(e).to.be.instanceOf(UnsupportedOperationError);
        expect(e.message).to.contain("jane.doe@acme.example").and.to.contain("API v1 has no availability write");
        expect((await emu.admin.requests()).requests.filter((r) => r.method !== "GET")).to.deep.equal([]);
      }));
  });

describe("client v2.1 against the emulator: what the published API cannot do", () => {
  it("each unsupported write throws UnsupportedOperationError with the dashboard step, sending no write", () =>
    withEmulator({}, V21, async (emu, client) => {
      for (const op of ["createAgent", "updateAgent", "deleteAgent", "addTeamMember", "removeTeamMember", "assignNumber"] as const) {
        expect(client.supports(op), op).to.equal(false);
      }
      expect(client.supports("setAvailability")).to.equal(true);
      const texts = async (p: Promise<unknown>) => {
        const e = await caught(p);
        expect(e).to.be.instanceOf(UnsupportedOperationError);
        return e.message;
      };
      expect(await texts(client.createAgent({ firstname: "Ada", lastname: "Lovelace", email: "ada@acme.example" }))).to.equal(
        "JustCall API v2.1 cannot create (invite) users; add ada@acme.example in JustCall: Settings > Team, then run pulumi up again.",
      );
      expect(await texts(client.deleteAgent(101))).to.equal(
        "JustCall API v2.1 cannot delete users; remove the user jane.doe@acme.example in JustCall: Settings > Team, then run pulumi up again.",
      );
      expect(await texts(client.updateAgent(101, { firstname: "Janet", timezone: "America/Los_Angeles" }))).to.equal(
        "JustCall API v2.1 cannot change a user's firstname; change firstname of jane.doe@acme.example in the user's " +
          "profile in JustCall: Settings > Team > jane.doe@acme.example, then run pulumi up again.",
      );
      expect(await texts(client.addTeamMember(12, 101))).to.equal(
        "JustCall API v2.1 cannot add members to a team; add jane.doe@acme.example to the team in JustCall: Settings > " +
          "Teams > Billing > add member, then run pulumi up again.",
      );
      expect(await texts(client.removeTeamMember(10, 101))).to.equal(
        "JustCall API v2.1 cannot remove members from a team; remove jane.doe@acme.example from the team in JustCall: " +
          "Settings > Teams > Support > remove member, then run pulumi up again.",
      );
      expect(await texts(client.assignNumber(8, 101))).to.equal(
        "JustCall API v2.1 cannot assign phone numbers; assign it in JustCall: Phone Numbers > +14155550103 > assign " +
          "to user jane.doe@acme.example, then run pulumi up again.",
      );
      expect(await texts(client.assignNumber(5, null))).to.equal(
        "JustCall API v2.1 cannot release a phone number; release it in JustCall: Phone Numbers > +14155550100 > unassign the user, then run pulumi up again.",
      );
      const log = (await emu.admin.requests()).requests;
      expect(log.filter((r) => r.method !== "GET")).to.deep.equal([]);
    }));

  it("when the state already holds, the write is a no-op: pulumi up converges after the dashboard step", () =>
    withEmulator({}, V21, async (emu, client) => {
      expect(await client.addTeamMember(10, 101)).to.equal("already-member");
      expect(await client.removeTeamMember(12, 101)).to.equal("absent");
      expect((await client.assignNumber(5, 101)).assignedTo).to.equal(101);
      expect((await client.updateAgent(101, { firstname: "Jane", email: "JANE.DOE@acme.example" })).id).to.equal(101);
      expect(await client.deleteAgent(999_999)).to.equal("absent");
      // "Mary Ann Lee" splits as Mary / Ann Lee, and is still the name "Mary Ann" "Lee".
      const mary = await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Mary Ann", lastname: "Lee", email: "mary@acme.example" });
      client.invalidateListCache();
      expect(await client.updateAgent(mary.id, { firstname: "Mary Ann", lastname: "Lee" })).to.include({
        firstname: "Mary",
        lastname: "Ann Lee",
        name: "Mary Ann Lee",
      });
      // The person follows the dashboard steps (simulated through the admin API).
      await emu.admin.addTeamMember(12, 101);
      await emu.admin.moveNumber(8, 101);
      await emu.admin.editAgent(101, { firstname: "Janet" });
      await emu.admin.deleteAgent(103);
      client.invalidateListCache();
      expect(await client.addTeamMember(12, 101)).to.equal("already-member");
      expect((await client.assignNumber(8, 101)).assignedTo).to.equal(101);
      expect((await client.updateAgent(101, { firstname: "Janet" })).firstname).to.equal("Janet");
      expect(await client.deleteAgent(103)).to.equal("absent");
      expect((await emu.admin.requests()).requests.filter((r) => r.method !== "GET")).to.deep.equal([]);
    }));
});

describe("client v2.1 against the emulator: both rate-limit windows", () => {
  it("the hour window binds: 32 concurrent reads, zero 429", () =>
    withEmulator(
      { v21RateLimit: { hour: { limit: 15, windowMs: 2000 }, burst: { limit: 10, windowMs: 500 } } },
      { ...V21, snapshot: false },
      async (emu, client) => {
        const t0 = Date.now();
        const got = await Promise.all(Array.from({ length: 32 }, (_, i) => client.readAgent(101 + (i % 3))));
        expect(got.every((a) => a !== undefined)).to.equal(true);
        expect(await statuses(emu)).to.deep.equal({ "200": 32 });
        expect(client.metrics().rateLimited).to.equal(0);
        expect(Date.now() - t0).to.be.greaterThan(2 * 2000);
      },
    ));

  it("the minute (burst) window binds: 18 concurrent reads, zero 429", () =>
    withEmulator(
      { v21RateLimit: { hour: { limit: 1000, windowMs: 60_000 }, burst: { limit: 6, windowMs: 1000 } } },
      { ...V21, snapshot: false },
      async (emu, client) => {
        const got = await Promise.all(Array.from({ length: 18 }, (_, i) => client.readAgent(101 + (i % 3))));
        expect(got.every((a) => a !== undefined)).to.equal(true);
        expect(await statuses(emu)).to.deep.equal({ "200": 18 });
      },
    ));

  it("starts from the plan's budgets and follows the headers: 35 reads on a scaled Team plan, zero 429", () =>
    withEmulator(
      { v21RateLimit: { hour: { limit: 1800, windowMs: 60_000 }, burst: { limit: 30, windowMs: 1000 } } },
      { ...V21, plan: "team", snapshot: false },
      async (emu, client) => {
        await Promise.all(Array.from({ length: 35 }, () => client.numbersAssignedTo(101)));
        expect(await statuses(emu)).to.deep.equal({ "200": 35 });
      },
    ));

  it("rides out a window another client spent: waits for the reset, no request dropped", () =>
    withEmulator(
      { v21RateLimit: { hour: { limit: 1000, windowMs: 60_000 }, burst: { limit: 5, windowMs: 1000 } } },
      { ...V21, snapshot: false },
      async (emu, client) => {
        const auth = `${emu.credentials.apiKey}:${emu.credentials.apiSecret}`;
        for (let i = 0; i < 5; i++) await fetch(`${emu.url}/v2.1/users/101`, { headers: { authorization: auth } });
        const got = await Promise.all(Array.from({ length: 8 }, () => client.readAgent(102)));
        expect(got.every((a) => a?.id === 102)).to.equal(true);
        expect(client.metrics().retries).to.equal(0);
      },
    ));
});

describe("client v2.1 against the emulator: credentials", () => {
  afterEach(() => resetSharedClients());

  it("a wrong secret fails once with AuthError; the secret appears in no error", () =>
    withEmulator({}, { ...V21, apiSecret: "Sx9-very-secret-value-42" }, async (emu, client) => {
      const e = await caught(client.listAgents());
      expect(e).to.be.instanceOf(AuthError);
      expect((e as AuthError).attempts).to.equal(1);
      expect(await statuses(emu)).to.deep.equal({ "401": 1 });
      const errors = [e, await caught(client.createAgent({ firstname: "a", lastname: "b", email: "c@d.example" }))];
      for (const err of errors) {
        for (const text of [String(err), err.stack ?? "", JSON.stringify(err), inspect(err, { showHidden: true, depth: null })]) {
          expect(text).not.to.contain("Sx9-very-secret-value-42");
        }
      }
    }));

  it("sharedClient picks the contract from apiVersion; v1 and v2.1 clients of one key are distinct", () =>
    withEmulator({}, {}, async (emu) => {
      const s = { baseUrl: emu.url, ...emu.credentials };
      const v1 = sharedClient(s);
      const v21 = sharedClient({ ...s, apiVersion: "v2.1" });
      expect(v1.apiVersion).to.equal("v1");
      expect(v21.apiVersion).to.equal("v2.1");
      expect(v21).not.to.equal(v1);
      expect(sharedClient({ ...s, apiVersion: "v2.1" })).to.equal(v21);
      expect(sharedClient({ ...s, apiVersion: "v1" })).to.equal(v1);
      expect((await v21.readAgent(101))?.name).to.equal("Jane Doe");
      expect((await v1.readAgent(101))?.name).to.equal(undefined);
      const log = (await emu.admin.requests()).requests.map((r) => r.path.split("?")[0]);
      expect(log).to.deep.equal(["/v2.1/users", "/v1/agents"]);
    }));
});
