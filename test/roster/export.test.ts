// Adoption: `justcall-roster export` writes the roster that reproduces the account, and the first
// `pulumi up` with it adopts everyone: no invitation, no agent created.
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { loadRoster, rosterStack } from "../../roster";
import { main } from "../../roster/cli";
import { TestProject } from "../../harness/engine";
import { freshEmulator, providerConfig, TEST_RATE_LIMIT } from "../support/justcall";

function io(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: tty } },
  };
}

function envFor(emu: RunningEmulator, rate = `${TEST_RATE_LIMIT.limit}/${TEST_RATE_LIMIT.windowMs}ms`) {
  return {
    JUSTCALL_API_KEY: emu.credentials.apiKey,
    JUSTCALL_API_SECRET: emu.credentials.apiSecret,
    JUSTCALL_BASE_URL: emu.url,
    JUSTCALL_RATE_LIMIT: rate,
  };
}

describe("roster export (adoption)", function () {
  let emu: RunningEmulator | undefined;
  let project: TestProject | undefined;
  let tmp: string | undefined;

  afterEach(async () => {
    if (project) await project.cleanup();
    if (emu) await emu.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    project = emu = tmp = undefined;
  });

  it("exports a seeded account, and the first up adopts it with zero invitations and zero agent creates", async () => {
    emu = await freshEmulator();
    project = await TestProject.create("roster-export");
    const file = path.join(project.dir, "roster.yaml");
    const run = io();
    expect(await main(["export", "--out", file], envFor(emu), run.io), run.err.join("")).to.equal(0);
    expect(run.err.join("")).to.include("3 agents");

    const text = fs.readFileSync(file, "utf8");
    const roster = loadRoster(text, file);
    expect(roster.authoritative).to.equal(true);
    // The guide's agent list (the emulator's default v1 shapes) prints no time zone and no phone:
    // export writes neither, so the roster does not manage them (docs/client.md).
    expect(roster.agents.find((a) => a.email === "jane.doe@acme.example")).to.deep.equal({
      email: "jane.doe@acme.example",
      firstname: "Jane",
      lastname: "Doe",
      role: "admin",
      teams: ["Support"],
      numbers: ["+14155550100"],
    });
    expect(text).to.match(/numbers:\n\s+- "\+14155550101"/);

    await emu.admin.clearRequests();
    const stack = await project.stack(() => rosterStack({ file }), providerConfig(emu));
    const up = await stack.up({ onOutput: project.collect() });
    expect(up.summary.resourceChanges!.create).to.be.greaterThan(0);
    expect(await emu.admin.outbox(), "no invitation").to.deep.equal([]);
    const { requests } = await emu.admin.requests();
    expect(
      requests.filter((r) => r.method === "POST" && r.path === "/v1/agents"),
      "no agent created",
    ).to.deep.equal([]);
    // Nothing to change afterwards, and the audit finds no one outside the roster.
    expect(up.outputs.unmanagedAgents.value).to.deep.equal([]);
    const again = await stack.preview({ onOutput: project.collect() });
    expect(Object.keys(again.changeSummary)).to.deep.equal(["same"]);
  });

  it("reads every page within the rate limit, with a progress line on a terminal", async () => {
    emu = await freshEmulator({ rateLimit: { limit: 2, windowMs: 1000 } });
    for (let i = 0; i < 205; i++) {
      await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Temp", lastname: `No${i}`, email: `temp${i}@acme.example` });
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "roster-export-"));
    const file = path.join(tmp, "roster.yaml");
    const run = io(true);
    expect(await main(["export", "--out", file], envFor(emu, "2/1s"), run.io), run.err.join("")).to.equal(0);
    expect(loadRoster(fs.readFileSync(file, "utf8"), file).agents).to.have.length(208);
    const { requests } = await emu.admin.requests();
    expect(requests.filter((r) => r.route === "GET /v1/agents")).to.have.length(3);
    expect(
      requests.filter((r) => r.status === 429),
      "never over the limit",
    ).to.deep.equal([]);
    const progress = run.err.join("");
    expect(progress).to.match(/\r\x1b\[Kjustcall-roster: reading agents/);
    expect(progress).to.match(/waited \d+\.\ds for the rate limit/);

    // An existing file is kept unless --force.
    const again = io();
    expect(await main(["export", "--out", file], envFor(emu, "2/1s"), again.io)).to.equal(1);
    expect(again.err.join("")).to.include("--force");
  });

  it("explains missing credentials (exit 3) and bad usage (exit 2)", async () => {
    const a = io();
    expect(await main(["export"], {}, a.io)).to.equal(3);
    expect(a.err.join("")).to.include("JUSTCALL_API_KEY");
    const b = io();
    expect(await main(["import"], {}, b.io)).to.equal(2);
    expect(b.err.join("")).to.equal(
      'justcall-roster: unknown command "import" (did you mean export?)\nRun `justcall-roster --help` for the commands.\n',
    );
  });
});
