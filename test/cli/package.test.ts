// The package as users get it: `npm pack`, installed from the tarball into a fresh GitOps-style
// repository (its own package.json, Pulumi.yaml, roster and node_modules), type-checked there,
// and run there against the emulator; then each example, run the same way from that install.
import { expect } from "chai";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { parse as parseYaml } from "yaml";
import type { RunningEmulator } from "../../emulator";
import { engineEnv, pulumiBinDir, repoRoot } from "../../harness/engine";
import { freshEmulator, providerConfig } from "../support/justcall";
import type { RunnerResult, RunnerSpec, RunnerStep } from "./repo-runner";

const examples = path.join(repoRoot, "examples");

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.includes("node_modules") });
}

/** What Pulumi's transpile-only mode does with a user's TypeScript program. */
function transpileAll(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !file.endsWith(".ts") || file.endsWith(".d.ts") || file.includes("node_modules")) continue;
    const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    fs.writeFileSync(file.replace(/\.ts$/, ".js"), out.outputText);
  }
}

describe("the packed package in a user's repository", function () {
  let repo: string;
  let emu: RunningEmulator | undefined;
  let seq = 0;

  before(function () {
    fs.mkdirSync(path.join(repoRoot, ".tmp"), { recursive: true });
    repo = fs.mkdtempSync(path.join(repoRoot, ".tmp", "gitops-repo-"));
    const packed = execFileSync("npm", ["pack", repoRoot, "--pack-destination", repo, "--silent"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!;
    // The GitOps example is the repository; the other examples sit in it and share its install.
    copyDir(path.join(examples, "gitops"), repo);
    for (const name of ["hr-sync", "offboarding"]) copyDir(path.join(examples, name), path.join(repo, "examples", name));
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    pkg.dependencies["pulumi-justcall"] = `file:./${packed}`;
    pkg.dependencies["csv-parse"] = "^6.2.1";
    delete pkg.devDependencies; // typescript and @types/node: this project's copies are used below
    fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify(pkg, null, 2));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: repo, stdio: "pipe" });
    transpileAll(repo);
  });

  after(function () {
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  afterEach(async () => {
    if (emu) await emu.close();
    emu = undefined;
  });

  /** Runs the steps in `dir` of the installed repository, with the repository's own Pulumi SDK. */
  // Asynchronous: the emulator answers from this process, so it must not be blocked.
  async function runInRepo(dir: string, program: string, config: RunnerSpec["config"], steps: RunnerStep[]): Promise<RunnerResult> {
    const id = `${Date.now()}-${seq++}`;
    const backend = path.join(repo, `.backend-${id}`);
    fs.mkdirSync(backend);
    fs.mkdirSync(path.join(repo, ".pulumi-home"), { recursive: true });
    const spec: RunnerSpec = {
      program,
      projectName: path.basename(dir) === path.basename(repo) ? "acme-justcall-roster" : `acme-${path.basename(dir)}`,
      stackName: "ci",
      pulumiBinDir: pulumiBinDir(),
      env: engineEnv(backend, { PULUMI_HOME: path.join(repo, ".pulumi-home") }),
      config,
      steps,
      resultFile: path.join(repo, `.result-${id}.json`),
    };
    const specFile = path.join(repo, `.spec-${id}.json`);
    fs.writeFileSync(specFile, JSON.stringify(spec));
    try {
      await promisify(execFile)(process.execPath, [path.join(__dirname, "repo-runner.js"), specFile], { cwd: dir });
    } catch (err: any) {
      throw new Error(`repo-runner failed: ${err?.stderr ?? err}`);
    }
    return JSON.parse(fs.readFileSync(spec.resultFile, "utf8"));
  }

  function ok(result: RunnerResult, index: number) {
    const step = result.steps[index];
    expect(step, `step ${index} did not run`).to.not.equal(undefined);
    expect(step.error, step.stdout).to.equal(undefined);
    return step;
  }

  it("type-checks the repository's program against the installed typings", () => {
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    fs.writeFileSync(
      path.join(repo, "tsconfig.check.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { typeRoots: [path.join(repoRoot, "node_modules", "@types")], types: ["node"] },
        files: ["index.ts", "examples/hr-sync/index.ts", "examples/hr-sync/hr.ts", "examples/offboarding/index.ts"],
      }),
    );
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.check.json"], { cwd: repo, encoding: "utf8" });
  });

  it("gitops: previews and applies the repository's roster against the emulator, loading pulumi-justcall from node_modules", async () => {
    emu = await freshEmulator();
    const result = await runInRepo(repo, "index.js", providerConfig(emu), [
      { op: "preview" },
      { op: "up" },
      { op: "preview", options: { expectNoChanges: true } },
    ]);
    expect(result.resolved.justcall).to.equal(path.join(repo, "node_modules", "pulumi-justcall", "dist", "roster", "index.js"));
    expect(result.resolved.automation.startsWith(path.join(repo, "node_modules"))).to.equal(true);
    expect(ok(result, 0).changes).to.deep.include({ create: 15 }); // 4 agents, 5 memberships, 3 numbers, audit, guard, stack
    expect(ok(result, 1).changes).to.deep.equal({ create: 15 });
    ok(result, 2);
    expect((await emu.admin.outbox()).map((i) => i.email)).to.deep.equal(["noah.reed@acme.example"]);
    const account = (await emu.admin.state()).accounts[0];
    const noah = account.agents.find((a) => a.email === "noah.reed@acme.example")!;
    expect(account.numbers.find((n) => n.number === "+14155550103")!.assigned_to).to.equal(noah.id);
  });

  it("gitops: the workflows preview pull requests with a comment, apply on merge, and fail a scheduled job on drift", () => {
    const workflow = (name: string) => parseYaml(fs.readFileSync(path.join(examples, "gitops", ".github", "workflows", name), "utf8"));
    const runs = (wf: any): string[] => Object.values(wf.jobs).flatMap((job: any) => job.steps.map((s: any) => s.run).filter(Boolean));

    const preview = workflow("preview.yml");
    expect(preview.on).to.have.property("pull_request");
    expect(preview.permissions["pull-requests"]).to.equal("write");
    expect(runs(preview).some((r) => /pulumi preview --diff\b/.test(r))).to.equal(true);
    expect(runs(preview).some((r) => /gh pr comment .*--body-file comment\.md/.test(r))).to.equal(true);

    const drift = workflow("drift.yml");
    expect(drift.on.schedule[0].cron).to.match(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(runs(drift).some((r) => /pulumi preview --refresh --expect-no-changes\b/.test(r))).to.equal(true);

    const deploy = workflow("deploy.yml");
    expect(deploy.on.push.branches).to.deep.equal(["main"]);
    expect(runs(deploy).some((r) => /pulumi up --yes\b/.test(r))).to.equal(true);
    // The apply and the drift check never run at the same time.
    expect(deploy.concurrency.group).to.equal(drift.concurrency.group);
    // Each quarter: the access review as an issue, its CSV kept as an artifact.
    const review = workflow("review.yml");
    expect(review.on.schedule[0].cron).to.equal("23 7 1 1,4,7,10 *");
    expect(review.on).to.have.property("workflow_dispatch");
    expect(runs(review).some((r) => /justcall-roster review --roster roster\.yaml .*--csv /s.test(r))).to.equal(true);
    expect(runs(review).some((r) => /gh issue create .*--body-file issue\.md/.test(r))).to.equal(true);
    const artifact = review.jobs.review.steps.find((s: any) => /actions\/upload-artifact/.test(s.uses ?? ""));
    expect(artifact.with.path).to.include(".csv");
    expect(review.concurrency.group).to.equal(drift.concurrency.group);
    for (const wf of [preview, drift, deploy, review]) {
      expect(JSON.stringify(wf.env)).to.include("secrets.JUSTCALL_API_SECRET");
    }
    // A new pulumi-justcall tarball is a change of the program: previewed and applied.
    expect(preview.on.pull_request.paths).to.include("vendor/**");
    expect(deploy.on.push.paths).to.include("vendor/**");
    // A manual run may allow removals, for that run only: the input is the up step's environment.
    expect(deploy.on.workflow_dispatch.inputs.allow_removals.required).to.equal(false);
    const up = deploy.jobs.up.steps.find((s: any) => /pulumi up --yes\b/.test(s.run ?? ""));
    expect(up.env).to.deep.equal({ JUSTCALL_ALLOW_REMOVALS: "${{ inputs.allow_removals }}" });
    expect(JSON.stringify(deploy.env)).to.not.include("JUSTCALL_ALLOW");
    // A large roster: the up's time limit comes from the roster, and checkpoints are skipped on a DIY backend.
    const size = deploy.jobs.up.steps.find((s: any) => s.id === "size");
    expect(up["timeout-minutes"]).to.equal("${{ fromJSON(steps.size.outputs.minutes) }}");
    expect(size.run).to.include("PULUMI_SKIP_CHECKPOINTS=$skip").and.to.include("loadRoster(");
  });

  it("gitops: a pull request from a fork is validated only, and the job summary says so", () => {
    const steps: { id?: string; if?: string; run?: string; uses?: string; env?: Record<string, string> }[] = parseYaml(
      fs.readFileSync(path.join(examples, "gitops", ".github", "workflows", "preview.yml"), "utf8"),
    ).jobs.preview.steps;
    const gate = steps.findIndex((s) => s.id === "secrets");
    const validate = steps.findIndex((s) => /justcall-roster validate/.test(s.run ?? ""));
    expect(validate, "the offline check runs first, for every pull request").to.be.within(0, gate - 1);
    expect(steps[validate].if).to.equal(undefined);
    expect(steps[gate].env!.SAME_REPOSITORY).to.equal("${{ github.event.pull_request.head.repo.full_name == github.repository }}");
    // Everything after the gate needs the secrets: it runs only when the gate said so.
    for (const step of steps.slice(gate + 1)) {
      expect(`${step.if}`, step.run ?? step.uses).to.match(
        /steps\.secrets\.outputs\.available == 'true'|steps\.preview\.outcome != 'skipped'/,
      );
    }
    const gateRun = (env: Record<string, string>) => {
      const dir = fs.mkdtempSync(path.join(repo, ".gate-"));
      const files = { GITHUB_OUTPUT: path.join(dir, "output"), GITHUB_STEP_SUMMARY: path.join(dir, "summary") };
      const r = spawnSync("bash", ["-e", "-c", steps[gate].run!], { env: { PATH: process.env.PATH, ...files, ...env }, encoding: "utf8" });
      expect(r.status, r.stderr).to.equal(0);
      const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
      return { output: read(files.GITHUB_OUTPUT), summary: read(files.GITHUB_STEP_SUMMARY), stdout: r.stdout };
    };
    const fork = gateRun({ SAME_REPOSITORY: "false", JUSTCALL_API_KEY: "", JUSTCALL_API_SECRET: "" });
    expect(fork.output).to.equal("available=false\n");
    expect(fork.summary).to.match(/^### Roster validated only, not previewed\n/);
    expect(fork.summary).to.include("`justcall-roster validate`");
    expect(fork.stdout).to.include("::notice::Validated only");
    // A branch of the repository without the secrets (e.g. Dependabot's) is validated only too.
    expect(gateRun({ SAME_REPOSITORY: "true", JUSTCALL_API_KEY: "", JUSTCALL_API_SECRET: "" }).output).to.equal("available=false\n");
    const own = gateRun({ SAME_REPOSITORY: "true", JUSTCALL_API_KEY: "k", JUSTCALL_API_SECRET: "s" });
    expect(own).to.deep.equal({ output: "available=true\n", summary: "", stdout: "" });
  });

  it("gitops: the preview workflow's roster check runs as written with the installed CLI; the schema ships; both CLIs say their version", () => {
    const steps: { run?: string }[] = parseYaml(
      fs.readFileSync(path.join(examples, "gitops", ".github", "workflows", "preview.yml"), "utf8"),
    ).jobs.preview.steps;
    const check = steps.findIndex((s) => /^npx justcall-roster validate roster\.yaml --format github$/.test(s.run ?? ""));
    expect(check, "a roster check step").to.be.greaterThan(-1);
    expect(check, "before the preview").to.be.lessThan(steps.findIndex((s) => /pulumi preview --diff\b/.test(s.run ?? "")));
    const sh = (command: string, cwd = repo) =>
      spawnSync("bash", ["-c", command], { cwd, env: { PATH: process.env.PATH }, encoding: "utf8" });

    const good = sh(steps[check].run!);
    expect(good.status, good.stderr).to.equal(0);
    expect(good.stderr).to.include("roster.yaml: valid, 4 agents");
    // A broken roster: an annotation on the line, and the step fails.
    const broken = path.join(repo, ".broken");
    fs.mkdirSync(broken, { recursive: true });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(broken, "node_modules"));
    fs.writeFileSync(
      path.join(broken, "roster.yaml"),
      fs.readFileSync(path.join(repo, "roster.yaml"), "utf8").replace("role: admin", "role: owner"),
    );
    const bad = sh(steps[check].run!, broken);
    expect(bad.status).to.equal(1);
    expect(bad.stdout).to.match(/^::error file=roster\.yaml,line=\d+,col=\d+::agent #1 \(jane\.doe@acme\.example\): role: /);

    const schema = sh(`node -p "require.resolve('pulumi-justcall/roster.schema.json')"`);
    expect(schema.stdout.trim()).to.equal(path.join(repo, "node_modules", "pulumi-justcall", "dist", "roster", "roster.schema.json"));
    expect(JSON.parse(fs.readFileSync(schema.stdout.trim(), "utf8")).properties.agents.type).to.equal("array");

    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;
    for (const cli of ["justcall-roster", "justcall-emulator"]) expect(sh(`npx ${cli} --version`).stdout).to.equal(`${version}\n`);
  });

  it("hr-sync: active employees in, terminated out; a later termination removes the agent", async () => {
    emu = await freshEmulator();
    const dir = path.join(repo, "examples", "hr-sync");
    const csv = fs.readFileSync(path.join(dir, "hr-export.csv"), "utf8");
    fs.writeFileSync(
      path.join(dir, "hr-export-next.csv"),
      csv
        .replace(
          "Support Operations,Support Specialist,America/Chicago,+14155550104;+14155550105",
          "Support Operations,Support Specialist,America/Chicago,",
        )
        .replace("E-1010,maria.garcia@acme.example,Maria,Garcia,active", "E-1010,maria.garcia@acme.example,Maria,Garcia,terminated"),
    );
    const result = await runInRepo(dir, "index.js", providerConfig(emu), [
      { op: "preview" },
      { op: "up" },
      { op: "up", config: { "hr-sync:export": { value: "hr-export-next.csv" } } },
    ]);
    // Jane, Sam, Priya (adopted), Maria (new); 5 memberships; 4 numbers; the guard; the stack.
    expect(ok(result, 0).changes).to.deep.include({ create: 15 });
    expect(Object.keys(ok(result, 1).outputs!.agents as object).sort()).to.deep.equal([
      "jane.doe@acme.example",
      "maria.garcia@acme.example",
      "priya.patel@acme.example",
      "sam.lee@acme.example",
    ]);
    expect((await emu.admin.outbox()).map((i) => i.email)).to.deep.equal(["maria.garcia@acme.example"]);
    // Maria terminated: her agent, 2 memberships and 2 numbers go.
    expect(ok(result, 2).changes).to.deep.include({ delete: 5 });
    const account = (await emu.admin.state()).accounts[0];
    expect(account.agents.map((a) => a.email)).to.not.include("maria.garcia@acme.example");
    expect(account.agents.map((a) => a.email)).to.not.include("tom.baker@acme.example");
  });

  it("hr-sync: a department named like an object's property (constructor, __proto__, toString) is just not a phone department", () => {
    const dir = path.join(repo, "examples", "hr-sync");
    const { rosterFromHrCsv } = require(path.join(dir, "hr.js"));
    const { validateRosterData } = require(require.resolve("pulumi-justcall/roster", { paths: [dir] }));
    const rows = ["constructor", "__proto__", "toString", "hasOwnProperty"].map(
      (department, i) => `E-20${i},odd${i}@acme.example,Odd,Dept${i},active,${department},Engineer,America/New_York,`,
    );
    const csv = `${fs.readFileSync(path.join(dir, "hr-export.csv"), "utf8").trimEnd()}\n${rows.join("\n")}\n`;
    const roster = rosterFromHrCsv(csv);
    expect(roster.agents.map((a: { email: string }) => a.email)).to.deep.equal([
      "jane.doe@acme.example",
      "sam.lee@acme.example",
      "priya.patel@acme.example",
      "maria.garcia@acme.example",
    ]);
    const result = validateRosterData(roster);
    expect(result.ok, JSON.stringify(result.issues)).to.equal(true);
  });

  it("offboarding: one up moves the leaver's numbers to a colleague in place, then removes the leaver", async () => {
    emu = await freshEmulator();
    const dir = path.join(repo, "examples", "offboarding");
    const result = await runInRepo(dir, "index.js", providerConfig(emu), [
      { op: "up", config: { "justcall:rosterFile": { value: "before.yaml" } } },
      { op: "up", config: { "justcall:rosterFile": { value: "after.yaml" } } },
    ]);
    ok(result, 0);
    // Two reassignments (never unassigned), Tom out of two teams, Tom deleted: all in one up. The
    // roster guard records the roster without Tom (its third update).
    expect(ok(result, 1).changes).to.deep.equal({ same: 4, update: 3, delete: 3 });
    const account = (await emu.admin.state()).accounts[0];
    const jane = account.agents.find((a) => a.email === "jane.doe@acme.example")!;
    expect(account.agents.map((a) => a.email)).to.not.include("tom.baker@acme.example");
    for (const n of ["+14155550103", "+14155550104"]) expect(account.numbers.find((x) => x.number === n)!.assigned_to).to.equal(jane.id);
    // Each of Tom's numbers was written twice in all (to Tom, then to Jane): no unassignment between.
    const { requests } = await emu.admin.requests();
    const numberWrites = requests.filter((r) => r.method !== "GET" && /number/i.test(r.route));
    expect(numberWrites, JSON.stringify(numberWrites.map((r) => `${r.method} ${r.path}`))).to.have.length(4);
  });
});

describe("the package's tarball", () => {
  // What `npm pack` would put in the tarball, without writing it.
  const packed = () => {
    const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--silent"], { cwd: repoRoot, encoding: "utf8" }));
    return (pack.files as { path: string }[]).map((f) => f.path).sort();
  };

  it("holds every entry point package.json names, with its typings, and the README, LICENSE and CHANGELOG", () => {
    const files = packed();
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    const entryPoints = [
      pkg.main,
      pkg.types,
      ...Object.values(pkg.bin as Record<string, string>),
      ...Object.entries(pkg.exports as Record<string, string | Record<string, string>>)
        .filter(([subpath]) => !subpath.includes("*"))
        .flatMap(([, target]) => (typeof target === "string" ? [target] : Object.values(target))),
    ].map((p: string) => p.replace(/^\.\//, ""));
    expect(
      entryPoints.filter((p) => !files.includes(p)),
      "entry points missing from the tarball",
    ).to.deep.equal([]);
    expect(files).to.include.members(["README.md", "LICENSE", "CHANGELOG.md", "package.json"]);
    // Each shipped module has its typings next to it, so TypeScript users can import any of them.
    const js = files.filter((f) => f.endsWith(".js"));
    expect(
      js.filter((f) => !files.includes(f.replace(/\.js$/, ".d.ts"))),
      "modules without typings",
    ).to.deep.equal([]);
  });

  it("holds nothing users cannot run: no source maps without sources, no tests, benchmark or demo", () => {
    const files = packed();
    expect(
      files.filter((f) => f.endsWith(".map")),
      "source maps",
    ).to.deep.equal([]);
    expect(
      files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
      "TypeScript sources",
    ).to.deep.equal([]);
    expect(
      files.filter((f) => /^dist\/(test|bench)\//.test(f)),
      "tests and benchmark",
    ).to.deep.equal([]);
    // The demo needs this repository's scripts/ and roster.yaml; the throughput script is a benchmark.
    expect(
      files.filter((f) => /(^|\/)(demo|throughput|emulator-throughput)\.(js|d\.ts)$/.test(f)),
      "demo and throughput scripts",
    ).to.deep.equal([]);
    expect(
      files.every((f) => /^dist\/(provider|emulator|roster)\//.test(f) || !f.includes("/")),
      files.join("\n"),
    ).to.equal(true);
  });
});
