// Each example's "Try it against the emulator" section, run as written: its shell blocks, in a
// temporary clone of this repository (the package files, the build and the examples), with the
// plain `pulumi` CLI. Two departures, both stated in the README itself: `npm ci && npm run build`
// has already been done by the test run, and the emulator the reader starts in a second terminal
// is the test's own, on a free port instead of 8787. The shell's PULUMI_HOME stands for the
// reader's own ~/.pulumi: the sections set their own backend and home, so it stays untouched.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator } from "../../emulator";
import { processesWithPulumiHome, pulumiBinDir, repoRoot } from "../../harness/engine";
import { agentByEmail, freshEmulator } from "../support/justcall";

const run = promisify(execFile);

/** The shell blocks of a README's "Try it against the emulator" section. */
export function tryItBlocks(readme: string): string[] {
  const at = readme.indexOf("## Try it against the emulator");
  if (at < 0) throw new Error("no 'Try it against the emulator' section");
  const section = readme.slice(at).split(/\n## /)[0];
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** What the reader types, minus what the test run has done already and the emulator it provides. */
function script(blocks: string[], emulatorUrl: string): string {
  const lines = blocks
    .filter((block) => !/npx justcall-emulator/.test(block))
    .join("\n")
    .split("\n")
    .filter((line) => line.trim() !== "npm ci && npm run build");
  const hostPort = new URL(emulatorUrl).host;
  return ["set -euo pipefail", ...lines].join("\n").replaceAll("127.0.0.1:8787", hostPort);
}

/** A clone as the README assumes it: the package (built) at the root, the examples beside it. */
function temporaryClone(): string {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), "pj-clone-"));
  for (const file of ["package.json", "README.md", "LICENSE", "CHANGELOG.md"])
    fs.copyFileSync(path.join(repoRoot, file), path.join(clone, file));
  for (const folder of ["provider", "roster", "emulator"]) {
    fs.cpSync(path.join(repoRoot, "dist", folder), path.join(clone, "dist", folder), { recursive: true });
  }
  fs.cpSync(path.join(repoRoot, "examples"), path.join(clone, "examples"), {
    recursive: true,
    filter: (src) => !/node_modules|\.pulumi-local|vendor/.test(src),
  });
  return clone;
}

/** Every markdown file a reader follows: the README, docs/ and each example's README. */
function readerDocs(): string[] {
  const docs = fs.readdirSync(path.join(repoRoot, "docs"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".md"));
  const examples = fs
    .readdirSync(path.join(repoRoot, "examples"))
    .filter((d) => fs.existsSync(path.join(repoRoot, "examples", d, "README.md")));
  return ["README.md", ...docs.map((f) => path.join("docs", f)), ...examples.map((d) => path.join("examples", d, "README.md"))];
}

const EXAMPLES = ["gitops", "hr-sync", "offboarding"];

describe("each example's 'Try it against the emulator' section, run as written", function () {
  let clone: string | undefined;
  let example: string | undefined;
  let emu: RunningEmulator | undefined;

  it("no doc logs in to a local backend (pulumi login file://): the README's tour and each example set PULUMI_BACKEND_URL and PULUMI_HOME", () => {
    for (const file of readerDocs()) {
      expect(fs.readFileSync(path.join(repoRoot, file), "utf8"), file).to.not.match(/pulumi login ["']?file:/);
    }
    const tour = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8").split("## A 5-minute tour")[1].split(/\n## /)[0];
    const sections = [
      tour,
      ...EXAMPLES.map((e) => tryItBlocks(fs.readFileSync(path.join(repoRoot, "examples", e, "README.md"), "utf8")).join("\n")),
    ];
    for (const text of sections) expect(text).to.match(/export PULUMI_BACKEND_URL="file:\/\/\$PWD\/[^"]+" PULUMI_HOME="\$PWD\/[^"]+"/);
  });

  afterEach(async () => {
    if (clone) {
      const homes = [path.join(clone, "pulumi-home"), path.join(clone, "examples", example ?? "", ".pulumi-local", "home")];
      for (const pid of homes.flatMap((home) => processesWithPulumiHome(home))) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      fs.rmSync(clone, { recursive: true, force: true });
    }
    await emu?.close();
    clone = emu = example = undefined;
  });

  async function tryIt(name: string): Promise<string> {
    emu = await freshEmulator({ rateLimit: false });
    clone = temporaryClone();
    example = name;
    const readme = fs.readFileSync(path.join(repoRoot, "examples", name, "README.md"), "utf8");
    // The reader's shell: pulumi on PATH (the README says how), nothing else of ours set.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${pulumiBinDir()}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(clone, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    for (const key of Object.keys(env)) if (/^(JUSTCALL_|PULUMI_(BACKEND_URL|CONFIG_PASSPHRASE|ACCESS_TOKEN))/.test(key)) delete env[key];
    const { stdout } = await run("bash", ["-c", script(tryItBlocks(readme), emu.url)], { cwd: clone, env, maxBuffer: 64 * 1024 * 1024 });
    // The reader's own Pulumi home: no login recorded, no stack selected, nothing written at all.
    expect(fs.existsSync(env.PULUMI_HOME!), "the reader's PULUMI_HOME was written to").to.equal(false);
    return stdout;
  }

  it("gitops: adopts Jane, Sam and Priya, invites Noah, then previews no changes", async () => {
    await tryIt("gitops");
    expect((await emu!.admin.outbox()).map((i) => i.email)).to.deep.equal(["noah.reed@acme.example"]);
    const noah = (await agentByEmail(emu!, "noah.reed@acme.example"))!;
    const number = (await emu!.admin.state()).accounts[0].numbers.find((n) => n.number === "+14155550103")!;
    expect(number.assigned_to).to.equal(noah.id);
  });

  it("hr-sync: adopts the active employees JustCall has and invites Maria", async () => {
    await tryIt("hr-sync");
    expect((await emu!.admin.outbox()).map((i) => i.email)).to.deep.equal(["maria.garcia@acme.example"]);
  });

  it("offboarding: Tom's numbers go to Jane in place, then Tom is deleted", async () => {
    const out = await tryIt("offboarding");
    expect(await agentByEmail(emu!, "tom.baker@acme.example")).to.equal(undefined);
    const jane = (await agentByEmail(emu!, "jane.doe@acme.example"))!;
    const held = (await emu!.admin.state()).accounts[0].numbers.filter((n) => n.assigned_to === jane.id).map((n) => n.number);
    expect(held.length).to.be.greaterThan(1);
    expect(out).to.match(/3 deleted/);
    expect(out.match(/NumberAssignment +number-\S+ +updated/g), "both numbers moved in place").to.have.length(2);
  });
});
