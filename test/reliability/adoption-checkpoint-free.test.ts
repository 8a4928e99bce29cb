// Issue 27's "done when": a checkpoint-free adoption of a few hundred seats, as a large customer
// starts. `justcall-roster export` writes the roster of an existing account, and the first
// `pulumi up` with PULUMI_SKIP_CHECKPOINTS=true on the plain CLI adopts every person, membership
// and number: it writes nothing to JustCall and invites no one, and the preview after it is
// quiet. How long that takes at 1,000 to 10,000 seats is the benchmark's, not this test's.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { defaultSeed, type RunningEmulator, type Seed } from "../../emulator";
import { LIST_CACHE_TTL_MS } from "../../provider/client";
import { contractV1 } from "../../provider/client/contract-v1";
import { repoRoot } from "../../harness/engine";
import { writeRequests } from "../support/user-repo";
import { reliabilityFixture } from "./fixture";

const run = promisify(execFile);
const SKIP = { PULUMI_SKIP_CHECKPOINTS: "true" };
const SEATS = 200;
const TEAMS = ["Support", "Sales", "Billing"];
const PROGRAM = `module.exports = async () => require(${JSON.stringify(path.join(repoRoot, "dist", "roster"))}).rosterStack();`;

const email = (i: number) => `seat-${String(i).padStart(3, "0")}@acme.example`;
/** One in ten seats holds a number of its own. */
const number = (i: number) => `+1415700${String(i).padStart(4, "0")}`;

/** The demo account with SEATS more people already in JustCall, each in a team, one in ten holding a number. */
function accountWithSeats(): Seed {
  const acme = defaultSeed.accounts[0];
  const seats = Array.from({ length: SEATS }, (_, k) => k + 1);
  return {
    accounts: [
      {
        ...acme,
        agents: [
          ...(acme.agents ?? []),
          ...seats.map((i) => ({ firstname: "Seat", lastname: `No${i}`, email: email(i), teams: [TEAMS[i % TEAMS.length]] })),
        ],
        numbers: [
          ...(acme.numbers ?? []),
          ...seats.filter((i) => i % 10 === 0).map((i) => ({ number: number(i), country: "US", type: "local", assignedTo: email(i) })),
        ],
      },
    ],
  };
}

/** When each full read of the agent list began (its first page), and how many pages were read in all. */
async function agentListReads(emu: RunningEmulator): Promise<{ starts: number[]; pages: number; spanMs: number }> {
  const { requests } = await emu.admin.requests();
  const lists = requests.filter((r) => r.route === "GET /v1/agents");
  const page = (p: string) => Number(new URL(p, "http://x").searchParams.get("page") ?? "1");
  const times = requests.map((r) => Date.parse(r.startedAt));
  return {
    starts: lists.filter((r) => page(r.path) === 1).map((r) => Date.parse(r.startedAt)),
    pages: lists.length,
    spanMs: Math.max(...times) - Math.min(...times),
  };
}

describe("reliability: a checkpoint-free adoption", function () {
  const rel = reliabilityFixture();

  it(`of ${SEATS} seats from export writes nothing, invites no one and previews quiet`, async () => {
    const emu = await rel.emulator({ seed: accountWithSeats() });
    const repo = await rel.cli("adopt-cf", emu, PROGRAM, { "justcall:rosterFile": "roster.yaml" });
    await run(process.execPath, [path.join(repoRoot, "dist", "roster", "cli.js"), "export", "--out", "roster.yaml"], {
      cwd: repo.dir,
      env: {
        ...process.env,
        JUSTCALL_API_KEY: emu.credentials.apiKey,
        JUSTCALL_API_SECRET: emu.credentials.apiSecret,
        JUSTCALL_BASE_URL: emu.url,
        JUSTCALL_RATE_LIMIT: "1000/1s",
      },
    });
    await emu.admin.clearRequests();

    await repo.ok(["up", "--yes", "--skip-preview"], SKIP);
    expect(await writeRequests(emu), "the adoption wrote nothing to JustCall").to.deep.equal([]);
    expect(await emu.admin.outbox(), "no one invited").to.deep.equal([]);

    // The whole agent list, read twice: the program's validation and the provider, whose checks,
    // adoptions and audit all share its one list. A list older than its lifetime is read again,
    // so an up that outlives it (a slow machine) may read it once more per lifetime.
    const reads = await agentListReads(emu);
    const allowed = 2 + Math.floor(reads.spanMs / LIST_CACHE_TTL_MS);
    expect(reads.starts.length, `agent list read ${reads.starts.length} times in ${reads.spanMs} ms`).to.be.within(2, allowed);
    const perList = Math.ceil((await emu.admin.state()).accounts[0].agents.length / contractV1.pagination.perPage);
    expect(reads.pages, `${perList} pages per list, and no other agent list page`).to.equal(reads.starts.length * perList);

    const resources = (await repo.exportState()).deployment.resources ?? [];
    const count = (type: string) => resources.filter((r: any) => r.type.endsWith(`:${type}`)).length;
    const people = (await emu.admin.state()).accounts[0].agents.length;
    expect(count("Agent"), "every person of the account is in the state").to.equal(people);
    expect(resources.filter((r: any) => r.type.endsWith(":Agent") && r.outputs.email.startsWith("seat-"))).to.have.length(SEATS);
    expect(count("TeamMembership"), "every seat's team membership adopted").to.be.at.least(SEATS);
    expect(count("NumberAssignment"), "every seat's number adopted").to.be.at.least(SEATS / 10);

    await repo.ok(["preview", "--expect-no-changes"], SKIP);
    expect(await writeRequests(emu), "nor did the preview").to.deep.equal([]);
  });
});
