// The real-engine harness the tests and the benchmark share: the real `pulumi` CLI (built by
// scripts/ensure-pulumi.sh) through the Automation API, a local file backend in a temporary
// directory, and nothing that reaches Pulumi Cloud. Inline programs suit the benchmark and the
// cases no run of which fails; a case whose run fails uses the plain CLI (test/support/user-repo.ts),
// where the program has a process of its own (docs/development.md).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack, type ConfigMap } from "@pulumi/pulumi/automation";
import { ALLOW_DESTROY_ENV } from "../provider";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const passphrase = "pulumi-justcall-tests";

let cliBinDir: string | undefined;

/** The folder holding `pulumi`, found or built once per test process by scripts/ensure-pulumi.sh. */
export function pulumiBinDir(): string {
  if (!cliBinDir) {
    cliBinDir = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh"), "--print-bin"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  }
  return cliBinDir;
}

/** Environment for every CLI call: local backend, fixed passphrase, no update check, no cloud. */
export function engineEnv(backendDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${pulumiBinDir()}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    ...extra,
  };
}

export interface ProjectOptions {
  /** Extra environment for the CLI and the provider process it starts. */
  env?: Record<string, string>;
}

/**
 * One temporary Pulumi project: its own work directory (under the repository's ignored .tmp/,
 * so that the provider process resolves @pulumi/pulumi and this package from the repository's
 * node_modules), its own file backend, and every stack it made destroyed and removed by cleanup().
 */
export class TestProject {
  readonly logs: string[] = [];
  private readonly stacks: Stack[] = [];

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly backendDir: string,
    readonly pulumiHome: string,
    private readonly env: Record<string, string>,
  ) {}

  static async create(name: string, options: ProjectOptions = {}): Promise<TestProject> {
    const base = path.join(repoRoot, ".tmp");
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, `${name}-`));
    const backendDir = path.join(dir, "backend");
    fs.mkdirSync(backendDir);
    const pulumiHome = path.join(dir, "pulumi-home");
    fs.mkdirSync(pulumiHome);
    const env = engineEnv(backendDir, { PULUMI_HOME: pulumiHome, ...(options.env ?? {}) });
    return new TestProject(name, dir, backendDir, pulumiHome, env);
  }

  /** An inline-program stack; `program` runs in this process, the provider in the engine's. */
  async stack(program: PulumiFn, config: ConfigMap = {}, stackName = "test"): Promise<Stack> {
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(pulumiBinDir()), skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName, projectName: this.name, program },
      {
        workDir: this.dir,
        pulumiCommand,
        envVars: this.env,
        projectSettings: { name: this.name, runtime: "nodejs", backend: { url: `file://${this.backendDir}` } },
        secretsProvider: "passphrase",
      },
    );
    await stack.setAllConfig(config);
    // Selecting the same stack again with a new program (the next commit of a repo) replaces it here.
    const index = this.stacks.findIndex((s) => s.name === stack.name);
    if (index >= 0) this.stacks[index] = stack;
    else this.stacks.push(stack);
    return stack;
  }

  /** Output collector for an operation, kept so that tests can search every log. */
  collect(): (out: string) => void {
    return (out: string) => this.logs.push(out);
  }

  /**
   * Destroys (unless `destroy: false`, for tests whose emulator is thrown away anyway) and removes
   * every stack, kills any process of this project still running, then deletes the directory.
   * Runs even after a failure.
   */
  async cleanup(options: { destroy?: boolean } = {}): Promise<void> {
    this.killAll();
    for (const stack of this.stacks) {
      if (options.destroy ?? true) {
        try {
          await stack.cancel().catch(() => undefined);
          // A roster stack's guard refuses destroy unless the run names the stack (docs/deletion.md).
          stack.workspace.envVars[ALLOW_DESTROY_ENV] = stack.name;
          await stack.destroy({ onOutput: this.collect() });
        } catch (err) {
          this.logs.push(`cleanup destroy failed: ${String(err)}`);
        }
      }
      try {
        await stack.workspace.removeStack(stack.name, { force: true });
      } catch (err) {
        this.logs.push(`cleanup removeStack failed: ${String(err)}`);
      }
    }
    this.killAll();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Ids of every process started for this project (CLI, provider host), found by its PULUMI_HOME. */
  processes(): number[] {
    return processesWithPulumiHome(this.pulumiHome);
  }

  /** The command line of a process, for reports. */
  static commandLine(pid: number): string {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").filter(Boolean).join(" ");
    } catch {
      return "";
    }
  }

  /** SIGKILL each of this project's processes. Returns what was killed. */
  killAll(): { pid: number; command: string }[] {
    return killProcessesWithPulumiHome(this.pulumiHome);
  }

  /** Runs the real CLI, as a user would, in this project's directory and environment. */
  cli(args: string[], input?: string): string {
    return execFileSync(path.join(pulumiBinDir(), "pulumi"), args, {
      cwd: this.dir,
      env: { ...process.env, ...this.env },
      encoding: "utf8",
      input,
      maxBuffer: 256 * 1024 * 1024,
    });
  }

  /** `pulumi stack export` exactly as a user runs it (no --show-secrets, unlike the Automation API). */
  exportStack(stackName = "test"): string {
    return this.cli(["stack", "export", "--stack", stackName]);
  }

  /** Every file the backend holds (state, history, backups), concatenated: for secret scans. */
  backendText(): string {
    const parts: string[] = [];
    const walk = (p: string) => {
      for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
        const full = path.join(p, entry.name);
        if (entry.isDirectory()) walk(full);
        else parts.push(fs.readFileSync(full, "utf8"));
      }
    };
    walk(this.backendDir);
    return parts.join("\n");
  }
}

/** Ids of the live processes whose environment has this PULUMI_HOME: every process a test's CLI started. */
export function processesWithPulumiHome(pulumiHome: string): number[] {
  const mark = `PULUMI_HOME=${pulumiHome}\0`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (isZombie(entry)) continue; // dead, waiting to be reaped
      if (fs.readFileSync(`/proc/${entry}/environ`, "latin1").includes(mark)) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

function isZombie(pid: string): boolean {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
  return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
}

/**
 * SIGKILLs every process with this PULUMI_HOME, again and again until none is left: a process
 * may start a child between the listing and the kill (the CLI starting a plugin), and a killed
 * one stays listed for a moment while the kernel tears it down. Processes `spare` picks are left
 * running. Returns what was killed.
 */
export function killProcessesWithPulumiHome(
  pulumiHome: string,
  limitMs = 10_000,
  spare: (pid: number) => boolean = () => false,
): { pid: number; command: string }[] {
  const killed = new Map<number, string>();
  const end = Date.now() + limitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const left = processesWithPulumiHome(pulumiHome).filter((pid) => !spare(pid));
    if (left.length === 0 || Date.now() > end) break;
    for (const pid of left) {
      const command = TestProject.commandLine(pid);
      try {
        process.kill(pid, "SIGKILL");
        if (!killed.has(pid)) killed.set(pid, command);
      } catch {
        // already gone
      }
    }
    Atomics.wait(pause, 0, 0, 20); // let the kernel finish the kills before listing again
  }
  return [...killed].map(([pid, command]) => ({ pid, command }));
}
