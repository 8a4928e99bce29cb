// `npm run demo` (its last step, node dist/roster/demo.js) as a newcomer runs it: one process,
// no credentials, every step printed, the emulator stopped at the end.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../harness/engine";

describe("the demo", function () {
  let dir: string | undefined;
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs up, a change preview and a drift refresh against its own emulator, step by step", async () => {
    fs.mkdirSync(path.join(repoRoot, ".tmp"), { recursive: true });
    dir = fs.mkdtempSync(path.join(repoRoot, ".tmp", "demo-"));
    const env: NodeJS.ProcessEnv = { ...process.env, JUSTCALL_DEMO_DIR: dir };
    for (const key of ["JUSTCALL_API_KEY", "JUSTCALL_API_SECRET", "JUSTCALL_BASE_URL"]) delete env[key];
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, "dist", "roster", "demo.js")], {
      env,
      cwd: repoRoot,
      maxBuffer: 16 << 20,
    });
    const steps = stdout.split("\n").filter((l) => l.startsWith("==> "));
    expect(steps.map((s) => s.split(/[:(]/)[0].trim())).to.deep.equal([
      "==> Starting the JustCall emulator",
      '==> Pulumi stack "demo", local backend file',
      "==> pulumi up --yes",
      "==> A change",
      "==> The same preview as a reviewer reads it",
      "==> A drift",
      "==> Stopping the emulator",
    ]);
    expect(stdout).to.include("invitations sent: alex.kim@acme.example\n");
    expect(stdout).to.match(/~ agentId\s*: \d+ => \d+/);
    // The summary of that preview, by name, from the engine's events.
    expect(stdout).to.include("  - Alex Kim (alex.kim@acme.example): joins Support\n");
    expect(stdout).to.include("  - +14155550102: Alex Kim (alex.kim@acme.example) → Sam Lee (sam.lee@acme.example)\n");
    expect(stdout).to.include("state now says Priya's time zone is Asia/Tokyo");
    expect(stdout).to.include("agents in the account but not in the roster: dana.cruz@acme.example");
  });
});
