// Rate limit on the real engine: 150 agents with their memberships under a scaled limit (100
// requests per 2 s, told to the provider through justcall:rateLimit). Alone on the key the
// provider causes no 429; with a second client hammering the same key, every 429 is waited out.
import { expect } from "chai";
import { rosterProgram } from "../support/justcall";
import { checkAccount, config, managedResources, requestCount, roster, row, statusCount } from "./harness";
import { reliabilityFixture } from "./fixture";

const LIMIT = { limit: 100, windowMs: 2000 };
const RATE = "100/2s";
/** A route the provider never calls (it lists numbers), so its requests are the hammer's alone. */
const HAMMER_ROUTE = "GET /v1/phone-numbers/{id}";

describe("reliability: rate limit", function () {
  const rel = reliabilityFixture();

  it("creates 150 agents with memberships alone on the key with zero 429s", async () => {
    const r = row("Rate limit, alone on the key", `limit ${RATE} on the emulator and in justcall:rateLimit; 150 agents + 150 memberships`);
    const emu = await rel.emulator({ rateLimit: LIMIT });
    const project = await rel.project("rel-ratelimit");
    const specs = roster(150);
    const stack = await project.stack(rosterProgram(specs), config(emu, { rateLimit: RATE }));

    const up = await stack.up({ onOutput: project.collect() });
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.equal({ create: 301 });
    r.requests = await requestCount(emu);
    expect(await statusCount(emu, 429), "429s in the emulator's log").to.equal(0);

    const check = await checkAccount(emu, specs, { deployment: (await stack.exportStack()).deployment });
    r.duplicates = check.duplicates;
    expect(check.problems).to.deep.equal([]);
    r.result = `301 resources created, 0 × 429, account = roster`;
  });

  it("recovers every 429 when a second client hammers the same key", async () => {
    const r = row(
      "Rate limit, shared key",
      `limit ${RATE}; a second client sends ${HAMMER_ROUTE} in 4 loops on the same key; 150 agents + 150 memberships`,
    );
    const emu = await rel.emulator({ rateLimit: LIMIT });
    const project = await rel.project("rel-ratelimit-shared");
    const specs = roster(150);
    const stack = await project.stack(rosterProgram(specs), config(emu, { rateLimit: RATE }));

    const target = emu;
    const auth = `Basic ${Buffer.from(`${target.credentials.apiKey}:${target.credentials.apiSecret}`).toString("base64")}`;
    let stop = false;
    let sent = 0;
    const loop = async () => {
      // Bounded: stops when up ends, or after 3000 requests in all.
      while (!stop && sent < 3000) {
        sent++;
        const res = await fetch(`${target.url}/v1/phone-numbers/5`, { headers: { authorization: auth } });
        await res.arrayBuffer();
        if (res.status === 429) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const hammer = Promise.all([loop(), loop(), loop(), loop()]);
    let up;
    try {
      up = await stack.up({ onOutput: project.collect() });
    } finally {
      stop = true;
      await hammer;
    }
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.equal({ create: 301 });

    const log = await emu.admin.requests();
    const provider429 = Object.entries(log.counters.byRoute)
      .filter(([route]) => route !== HAMMER_ROUTE)
      .reduce((n, [, byStatus]) => n + (byStatus["429"] ?? 0), 0);
    const hammer429 = log.counters.byRoute[HAMMER_ROUTE]?.["429"] ?? 0;
    r.requests = `${log.counters.total} (provider 429s: ${provider429}, hammer: ${sent} sent, ${hammer429} × 429)`;
    expect(hammer429, "the hammer did exhaust the key").to.be.greaterThan(0);
    expect(provider429, "the provider met 429s to recover from").to.be.greaterThan(0);

    const deployment = (await stack.exportStack()).deployment;
    expect(managedResources(deployment)).to.have.length(300);
    const check = await checkAccount(emu, specs, { deployment });
    r.duplicates = check.duplicates;
    expect(check.problems).to.deep.equal([]);
    r.result = `301 resources created, ${provider429} × 429 to the provider, each waited out and retried; no failed resource; account = roster`;
  });
});
