// The user's own path: a GitOps repository outside this one, with pulumi-justcall installed from
// the `npm pack` tarball as a user installs it, and the plain `pulumi` CLI run there as a
// subprocess (official Node.js language host, on-disk program), against an emulator on loopback.
//
// Every CLI call is asynchronous: the emulator answers from this test process, so nothing here
// may block the event loop while the CLI runs.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator } from "../../emulator";
import { killProcessesWithPulumiHome, passphrase, processesWithPulumiHome, pulumiBinDir, repoRoot } from "../../harness/engine";
import { type AgentSpec, freshEmulator, TEST_RATE_LIMIT } from "./justcall";

const run = promisify(execFile);

let packed: string | undefined;

/** This package as `npm pack` makes it (once per test process): the file users install. */
export function packedTarball(): string {
  if (!packed) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-justcall-pack-"));
    const name = execFileSync("npm", ["pack", repoRoot, "--pack-destination", dir, "--silent"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!;
    packed = path.join(dir, name);
  }
  return packed;
}

/**
 * The packed package again under another version number: what users get from the next release.
 * Same code, so it stands for any release that keeps reading what earlier ones wrote.
 */
export function repackedTarball(version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-justcall-repack-"));
  execFileSync("tar", ["xzf", packedTarball(), "-C", dir]);
  const manifest = path.join(dir, "package", "package.json");
  const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
  fs.writeFileSync(manifest, JSON.stringify({ ...pkg, version }, null, 2));
  const name = execFileSync("npm", ["pack", path.join(dir, "package"), "--pack-destination", dir, "--silent"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  return path.join(dir, name);
}

/** The version of @pulumi/pulumi this project builds against: the user's repository gets the same. */
function pulumiSdkVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;
}

export interface CliResult {
  code: number;
  /** The signal that ended the CLI, if one did. */
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface RepoOptions {
  /** Files of the repository (Pulumi.yaml, roster.yaml, index.ts, ...), path → text. */
  files: Record<string, string>;
  /** Extra package.json dependencies and devDependencies (name → version). */
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * A user's repository: its own directory under the system's temporary folder (nothing resolves
 * from this project's node_modules), its own file backend and PULUMI_HOME, and `npm install` of
 * the packed tarball. `moveTo()` makes a second checkout of the same files elsewhere, installed
 * with `npm ci`, sharing the backend, as another CI runner would.
 */
export class UserRepo {
  /** The stack the last `initStack` made; a new checkout selects it, as a CI job does. */
  stack?: string;

  private constructor(
    readonly dir: string,
    readonly backendDir: string,
    readonly pulumiHome: string,
    private readonly root: string,
  ) {}

  static async create(name: string, options: RepoOptions): Promise<UserRepo> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `pj-${name}-`));
    const dir = path.join(root, "checkout-a");
    const backendDir = path.join(root, "backend");
    const pulumiHome = path.join(root, "pulumi-home");
    for (const d of [dir, backendDir, pulumiHome]) fs.mkdirSync(d, { recursive: true });
    const tarball = packedTarball();
    fs.copyFileSync(tarball, path.join(dir, path.basename(tarball)));
    const pkg = {
      name,
      private: true,
      dependencies: {
        "@pulumi/pulumi": pulumiSdkVersion(),
        "pulumi-justcall": `file:./${path.basename(tarball)}`,
        ...(options.dependencies ?? {}),
      },
      devDependencies: options.devDependencies ?? {},
    };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    for (const [file, text] of Object.entries(options.files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const repo = new UserRepo(dir, backendDir, pulumiHome, root);
    await repo.npm(["install"]);
    return repo;
  }

  /**
   * A plain-CLI project declaring `agents` with the tests' rosterProgram, under this repository's
   * .tmp/ so that it resolves this build without an npm install. Its program runs in its own
   * process, as a user's does: for scenarios where the engine stops a program half-way, or a run
   * fails (an inline program would share the test process with that program's late RPC failures,
   * and the SDK then stops every RPC of the process: the next inline run registers nothing).
   */
  static agentsProject(name: string, agents: AgentSpec[]): UserRepo {
    const support = path.join(repoRoot, "dist", "test", "support", "justcall.js");
    const repo = UserRepo.scratchProject(
      name,
      `const { rosterProgram } = require(${JSON.stringify(support)});\nmodule.exports = rosterProgram(require("./agents.json"));\n`,
    );
    repo.setAgents(agents);
    return repo;
  }

  /**
   * A plain-CLI project like agentsProject whose program is `program`: JavaScript statements run
   * with `pulumi` (the SDK) and this build's resources (`Agent`, `TeamMembership`,
   * `NumberAssignment`) in scope, for programs a roster of agents cannot express.
   */
  static programProject(name: string, program: string): UserRepo {
    const provider = path.join(repoRoot, "dist", "provider");
    return UserRepo.scratchProject(
      name,
      `const pulumi = require("@pulumi/pulumi");\nconst { Agent, TeamMembership, NumberAssignment } = require(${JSON.stringify(provider)});\n${program}\n`,
    );
  }

  /** A project folder under .tmp/ with its own backend and PULUMI_HOME, running `indexJs`. */
  private static scratchProject(name: string, indexJs: string): UserRepo {
    fs.mkdirSync(path.join(repoRoot, ".tmp"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(repoRoot, ".tmp", `${name}-`));
    // A JavaScript program: `typescript: false` spares each run loading the TypeScript compiler
    // and ts-node, which the language host otherwise registers for every Node.js program.
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
    );
    fs.writeFileSync(path.join(dir, "index.js"), indexJs);
    const repo = new UserRepo(dir, path.join(dir, "backend"), path.join(dir, "pulumi-home"), dir);
    for (const d of [repo.backendDir, repo.pulumiHome]) fs.mkdirSync(d, { recursive: true });
    return repo;
  }

  /** The agents an agentsProject declares from now on (its next commit). */
  setAgents(agents: AgentSpec[]): void {
    fs.writeFileSync(path.join(this.dir, "agents.json"), JSON.stringify(agents, null, 2));
  }

  /**
   * A fresh checkout of this repository's own root stack (Pulumi.yaml, roster.yaml, package.json
   * and the build), as a CI runner has it after `npm ci && npm run build`; node_modules is linked
   * to this repository's, which is what `npm ci` would install.
   */
  static rootStackCheckout(name: string): UserRepo {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `pj-${name}-`));
    const dir = path.join(root, "checkout-a");
    for (const file of ["Pulumi.yaml", "roster.yaml", "package.json"]) {
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(repoRoot, file), path.join(dir, file));
    }
    for (const folder of ["provider", "roster", "emulator"]) {
      fs.cpSync(path.join(repoRoot, "dist", folder), path.join(dir, "dist", folder), { recursive: true });
    }
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
    const repo = new UserRepo(dir, path.join(root, "backend"), path.join(root, "pulumi-home"), root);
    for (const d of [repo.backendDir, repo.pulumiHome]) fs.mkdirSync(d, { recursive: true });
    return repo;
  }

  /** The Pulumi project in a sub-folder of this repository (sharing its node_modules and backend). */
  project(folder: string): UserRepo {
    return new UserRepo(path.join(this.dir, folder), this.backendDir, this.pulumiHome, this.root);
  }

  /** A checkout of this repository's files (without node_modules) at another path, set up with `npm ci`. */
  async moveTo(): Promise<UserRepo> {
    const dir = path.join(this.root, `checkout-${fs.readdirSync(this.root).filter((d) => d.startsWith("checkout-")).length + 1}`);
    fs.cpSync(this.dir, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
    const moved = new UserRepo(dir, this.backendDir, this.pulumiHome, this.root);
    await moved.npm(["ci"]);
    if (this.stack) {
      await moved.ok(["stack", "select", this.stack]);
      moved.stack = this.stack;
    }
    return moved;
  }

  private async npm(args: string[]): Promise<void> {
    await run("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: this.dir,
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  writeFile(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, file), text);
  }

  /** Installs another build of pulumi-justcall (a tarball path) in place of the current one. */
  async install(tarball: string): Promise<void> {
    fs.copyFileSync(tarball, path.join(this.dir, path.basename(tarball)));
    await this.npm(["install", `./${path.basename(tarball)}`]);
  }

  /** Environment of every CLI call: local file backend, fixed passphrase, nothing from Pulumi Cloud. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${pulumiBinDir()}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      PULUMI_HOME: this.pulumiHome,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      ...extra,
    };
  }

  /** Runs `pulumi ARGS` in the checkout; never throws on a non-zero exit (tests read `code`). */
  async pulumi(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(path.join(pulumiBinDir(), "pulumi"), [...args, "--non-interactive", "--color", "never"], {
        cwd: this.dir,
        env: this.env(extraEnv),
        maxBuffer: 256 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (err: any) {
      // A non-zero exit, or a death by signal (a test that kills the run): code -1 and the signal.
      if (typeof err?.code !== "number" && !err?.signal) throw err;
      return {
        code: typeof err.code === "number" ? err.code : -1,
        signal: err.signal ?? undefined,
        stdout: err.stdout ?? "",
        stderr: err.stderr ?? "",
      };
    }
  }

  /** Like `pulumi`, but a non-zero exit is an error carrying the CLI's output. */
  async ok(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    const result = await this.pulumi(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  /**
   * Like `pulumi`, for a run that must fail: a zero exit is an error. Returns what the CLI printed
   * (stdout, then stderr), where a user reads why it failed.
   */
  async fails(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
    const result = await this.pulumi(args, extraEnv);
    if (result.code === 0)
      throw new Error(`pulumi ${args.join(" ")} was expected to fail, and succeeded\n${result.stdout}\n${result.stderr}`);
    return cliOutput(result);
  }

  /** The resource changes of the stack's last update, refresh or destroy, as `pulumi stack history` lists them. */
  async lastChanges(): Promise<Record<string, number>> {
    const history = JSON.parse((await this.ok(["stack", "history", "--json"])).stdout);
    return history[0].resourceChanges ?? {};
  }

  /**
   * `pulumi stack init` and the provider's config, pointing at the emulator, as a user sets it;
   * `config` adds keys or overrides them (`justcall:apiSecret` is set as a secret).
   */
  async initStack(emu: RunningEmulator, stack = "dev", config: Record<string, string> = {}): Promise<void> {
    await this.ok(["stack", "init", stack]);
    this.stack = stack;
    const { "justcall:apiSecret": secret = emu.credentials.apiSecret, ...others } = config; // the secret stays a secret
    const plaintext = {
      "justcall:apiKey": emu.credentials.apiKey,
      "justcall:baseUrl": emu.url,
      "justcall:rateLimit": `${TEST_RATE_LIMIT.limit}/${TEST_RATE_LIMIT.windowMs}ms`,
      ...others,
    };
    // One `config set-all` (one CLI start instead of one per key): the same file as `config set` writes.
    await this.ok([
      "config",
      "set-all",
      "--secret",
      `justcall:apiSecret=${secret}`,
      ...Object.entries(plaintext).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]),
    ]);
  }

  /** The stack's state as `pulumi stack export` prints it. */
  async exportState(): Promise<any> {
    return JSON.parse((await this.ok(["stack", "export"])).stdout);
  }

  /** SIGKILL every process of this repository (CLI, language host, program, provider). Returns their command lines. */
  killAll(): string[] {
    return killProcessesWithPulumiHome(this.pulumiHome).map((p) => p.command);
  }

  /** Every process of this repository still running. */
  processes(): number[] {
    return processesWithPulumiHome(this.pulumiHome);
  }

  /** Kills anything of this repository still running and removes every checkout, backend included. */
  cleanup(): void {
    this.killAll();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** What a CLI run printed: stdout, then stderr. */
export function cliOutput(result: CliResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

/** The GitOps example exactly as examples/gitops has it (its own tsconfig.json), with `roster`. */
export function gitopsExample(name: string, roster: string): Promise<UserRepo> {
  const example = (file: string) => fs.readFileSync(path.join(repoRoot, "examples", "gitops", file), "utf8");
  return UserRepo.create(name, {
    files: {
      "Pulumi.yaml": example("Pulumi.yaml"),
      "index.ts": example("index.ts"),
      "tsconfig.json": example("tsconfig.json"),
      "roster.yaml": roster,
    },
    devDependencies: { typescript: "^5.9.3", "@types/node": "^22.20.7" },
  });
}

/**
 * Mocha hooks for cases that share one GitOps example repository (installed once, in `before`):
 * `freshStack()` gives a case a fresh emulator and a new stack `<stackPrefix>-N` pointing at it,
 * with `roster` written back; the emulator is closed after the case, the repository after all.
 */
export function gitopsSuite(
  name: string,
  roster: string,
  stackPrefix: string,
): { repo: () => UserRepo; freshStack: () => Promise<RunningEmulator> } {
  let repo: UserRepo | undefined;
  let emu: RunningEmulator | undefined;
  let seq = 0;
  before(async () => {
    repo = await gitopsExample(name, roster);
  });
  after(() => repo?.cleanup());
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });
  const current = (): UserRepo => {
    if (!repo) throw new Error("gitopsSuite: the repository is made in before()");
    return repo;
  };
  return {
    repo: current,
    async freshStack() {
      emu = await freshEmulator();
      current().writeFile("roster.yaml", roster);
      await current().initStack(emu, `${stackPrefix}-${seq++}`);
      return emu;
    },
  };
}

/** Write requests (anything but GET) the emulator received since its log was last cleared. */
export async function writeRequests(emu: RunningEmulator): Promise<string[]> {
  const { requests } = await emu.admin.requests();
  return requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/__admin")).map((r) => `${r.method} ${r.path}`);
}

/** Polls `ok` every 100 ms until it holds; fails after `limitMs` naming `what` (a wait, never a timing assertion). */
export async function until(what: string, ok: () => Promise<boolean>, limitMs = 120_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
