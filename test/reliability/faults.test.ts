// Injected faults on the real engine: transient failures on every route during up, refresh and
// destroy; and commit-then-drop (the server applies the write, the client never hears back) on
// every write route the provider uses.
import { expect } from "chai";
import type { FaultRule } from "../../emulator";
import { type AgentSpec, rosterProgram } from "../support/justcall";
import { checkAccount, config, FREE_NUMBERS, requestCount, roster, row } from "./harness";
import { reliabilityFixture } from "./fixture";

describe("reliability: injected faults", function () {
  const rel = reliabilityFixture();

  it("completes up, refresh and destroy with 10% of responses on every route failing", async () => {
    const r = row(
      "Transient faults",
      "10% of responses on every route: 500, 502, 503 or a connection reset (2.5% each); 20 agents, 20 memberships, 6 numbers",
    );
    // First matching rule that fires wins: 2.5% of all requests each, 10% in all (to rounding).
    const rules: FaultRule[] = [
      { route: "*", kind: "status", status: 500, probability: 0.025 },
      { route: "*", kind: "status", status: 502, probability: 0.0256 },
      { route: "*", kind: "status", status: 503, probability: 0.0263 },
      { route: "*", kind: "reset", probability: 0.027 },
    ];
    const emu = await rel.emulator();
    const project = await rel.project("rel-transient");
    const specs: AgentSpec[] = roster(20).map((s, i) => ({ ...s, numbers: i < FREE_NUMBERS.length ? [FREE_NUMBERS[i]] : [] }));
    const stack = await project.stack(rosterProgram(specs), config(emu));
    await emu.admin.setFaults(rules);

    const up = await stack.up({ onOutput: project.collect() });
    expect(up.summary.resourceChanges).to.deep.equal({ create: 47 });
    let check = await checkAccount(emu, specs, { deployment: (await stack.exportStack()).deployment });
    expect(check.problems, "after up").to.deep.equal([]);

    const refresh = await stack.refresh({ expectNoChanges: true, onOutput: project.collect() });
    expect(refresh.summary.result).to.equal("succeeded");

    const destroy = await stack.destroy({ onOutput: project.collect() });
    expect(destroy.summary.resourceChanges).to.deep.equal({ delete: 47 });
    const log = await emu.admin.requests();
    await emu.admin.clearFaults();
    const state = await emu.admin.state();
    const account = state.accounts[0];
    expect(account.agents.map((a) => a.email).sort(), "after destroy: the seed's agents").to.deep.equal([
      "jane.doe@acme.example",
      "priya.patel@acme.example",
      "sam.lee@acme.example",
    ]);
    for (const n of FREE_NUMBERS) expect(account.numbers.find((x) => x.number === n)?.assigned_to, n).to.equal(null);
    check = await checkAccount(emu, []);
    r.duplicates = check.duplicates;
    expect(check.problems, "after destroy").to.deep.equal([]);

    const faulted = log.requests.filter((q) => q.fault !== null).length;
    r.requests = `${log.counters.total} (${faulted} faulted)`;
    expect(faulted, "faults did fire").to.be.greaterThan(0);
    r.result =
      `up (47 creates), refresh with no changes, destroy (47 deletes) all succeeded; ${faulted} faulted responses ` +
      `retried; account = roster after up, = seed after destroy`;
  });

  it("writes once per change when every write route commits and then drops the connection", async () => {
    const r = row(
      "Commit then drop",
      "commit-then-drop on POST /v1/agents (×2), POST /v1/agents/{id}, POST /v1/teams/{team_id}/agents (×2), DELETE " +
        "/v1/teams/{team_id}/agents/{agent_id} (×2), POST /v1/phone-numbers/{id} (×3), DELETE /v1/agents/{id}",
    );
    const emu = await rel.emulator();
    const project = await rel.project("rel-commit-drop");
    const fired = new Map<string, number>();
    const tally = async () => {
      for (const q of (await emu!.admin.requests()).requests) {
        if (q.fault === "commit-then-drop") fired.set(q.route, (fired.get(q.route) ?? 0) + 1);
      }
      await emu!.admin.clearRequests();
    };
    const drop = (route: string, count: number): FaultRule => ({ route, kind: "commit-then-drop", count });
    let requests = 0;
    const step = async (specs: AgentSpec[], rules: FaultRule[]) => {
      await emu!.admin.setFaults(rules);
      const stack = await project!.stack(rosterProgram(specs), config(emu!));
      const up = await stack.up({ onOutput: project!.collect() });
      requests += await requestCount(emu!);
      await tally();
      const check = await checkAccount(emu!, specs, { deployment: (await stack.exportStack()).deployment });
      expect(check.problems).to.deep.equal([]);
      return { up, check };
    };
    const [x, y, z] = roster(3, "drop");

    // 1. Creates: agents, memberships, a number assignment.
    const v1 = [
      { ...x, teams: ["Support"], numbers: [FREE_NUMBERS[0]] },
      { ...y, teams: ["Sales"] },
      { ...z, teams: ["Billing"] },
    ];
    const first = await step(v1, [
      drop("POST /v1/agents", 2),
      drop("POST /v1/teams/{team_id}/agents", 2),
      drop("POST /v1/phone-numbers/{id}", 1),
    ]);
    expect(first.up.summary.resourceChanges).to.deep.equal({ create: 8 });
    expect((await emu.admin.outbox()).map((i) => i.email).sort(), "one invitation each").to.deep.equal([x.email, y.email, z.email]);

    // 2. Updates: a field edit, a team move (remove + add), a number moved to another agent.
    const v2 = [
      { ...x, firstname: "Renamed", teams: ["Support"] },
      { ...y, teams: ["Billing"], numbers: [FREE_NUMBERS[0]] },
      { ...z, teams: ["Billing"] },
    ];
    await step(v2, [
      drop("POST /v1/agents/{id}", 1),
      drop("DELETE /v1/teams/{team_id}/agents/{agent_id}", 1),
      drop("POST /v1/teams/{team_id}/agents", 1),
      drop("POST /v1/phone-numbers/{id}", 1),
    ]);

    // 3. Deletes: an agent who holds a number and is in a team leaves the roster.
    const v3 = [
      { ...x, firstname: "Renamed", teams: ["Support"] },
      { ...z, teams: ["Billing"] },
    ];
    const yId = (await emu.admin.state()).accounts[0].agents.find((a) => a.email === y.email)!.id;
    const last = await step(v3, [
      drop("DELETE /v1/agents/{id}", 1),
      drop("DELETE /v1/teams/{team_id}/agents/{agent_id}", 1),
      drop("POST /v1/phone-numbers/{id}", 1),
    ]);
    expect(last.up.summary.resourceChanges).to.deep.include({ delete: 3 });
    const account = (await emu.admin.state()).accounts[0];
    expect(account.agents.find((a) => a.id === yId)).to.equal(undefined);
    expect(account.numbers.find((n) => n.number === FREE_NUMBERS[0])?.assigned_to, "unassigned with its agent").to.equal(null);

    // Every write route did commit and drop at least once.
    for (const route of [
      "POST /v1/agents",
      "POST /v1/agents/{id}",
      "POST /v1/teams/{team_id}/agents",
      "DELETE /v1/teams/{team_id}/agents/{agent_id}",
      "POST /v1/phone-numbers/{id}",
      "DELETE /v1/agents/{id}",
    ]) {
      expect(fired.get(route) ?? 0, `commit-then-drop fired on ${route}`).to.be.greaterThan(0);
    }
    const outbox = await emu.admin.outbox();
    expect(outbox).to.have.length(3);
    r.duplicates = first.check.duplicates + last.check.duplicates;
    r.requests = requests;
    r.result =
      `${[...fired.values()].reduce((a, b) => a + b, 0)} dropped answers on 6 routes over create, update and delete runs: ` +
      `3 agents, 3 invitations, no duplicate membership or number holder, state ids = JustCall's`;
  });
});
