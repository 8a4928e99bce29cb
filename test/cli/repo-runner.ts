// Runs Pulumi operations for a program of a user's repository, as that repository would: the
// Automation API, the program and pulumi-justcall all come from the repository's own
// node_modules (resolved from the working directory), never from this project's. Started by
// the package tests as `node repo-runner.js spec.json` in the repository's directory.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

export interface RunnerStep {
  op: "preview" | "up" | "refresh";
  /** Stack config to set before this step. */
  config?: Record<string, { value: string; secret?: boolean }>;
  options?: Record<string, unknown>;
}

export interface RunnerSpec {
  /** The compiled program module, relative to the working directory; it exports the program function. */
  program: string;
  projectName: string;
  stackName: string;
  pulumiBinDir: string;
  env: Record<string, string>;
  config: Record<string, { value: string; secret?: boolean }>;
  steps: RunnerStep[];
  resultFile: string;
}

export interface RunnerResult {
  steps: { op: string; changes?: Record<string, number>; outputs?: Record<string, unknown>; stdout: string; error?: string }[];
  resolved: { automation: string; program: string; justcall: string };
}

async function run(spec: RunnerSpec): Promise<RunnerResult> {
  const cwd = process.cwd();
  // Resolve exactly as the program module itself does.
  const fromRepo = (id: string) => createRequire(path.resolve(cwd, spec.program)).resolve(id);
  const auto = require(fromRepo("@pulumi/pulumi/automation"));
  const programModule = require(path.resolve(cwd, spec.program));
  const program = typeof programModule === "function" ? programModule : programModule.default;
  const result: RunnerResult = {
    steps: [],
    resolved: {
      automation: fromRepo("@pulumi/pulumi/automation"),
      program: path.resolve(cwd, spec.program),
      justcall: fromRepo("pulumi-justcall/roster"),
    },
  };
  const pulumiCommand = await auto.PulumiCommand.get({ root: path.dirname(spec.pulumiBinDir), skipVersionCheck: true });
  const stack = await auto.LocalWorkspace.createOrSelectStack(
    { stackName: spec.stackName, projectName: spec.projectName, program },
    {
      workDir: cwd,
      pulumiCommand,
      envVars: spec.env,
      projectSettings: { name: spec.projectName, runtime: "nodejs", backend: { url: spec.env.PULUMI_BACKEND_URL } },
      secretsProvider: "passphrase",
    },
  );
  try {
    await stack.setAllConfig(spec.config);
    for (const step of spec.steps) {
      if (step.config) await stack.setAllConfig(step.config);
      const out: string[] = [];
      const options = { ...(step.options ?? {}), onOutput: (s: string) => out.push(s) };
      try {
        if (step.op === "preview") {
          const r = await stack.preview(options);
          result.steps.push({ op: step.op, changes: r.changeSummary, stdout: out.join("") });
        } else if (step.op === "up") {
          const r = await stack.up(options);
          const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]: [string, any]) => [k, v.value]));
          result.steps.push({ op: step.op, changes: r.summary.resourceChanges, outputs, stdout: out.join("") });
        } else {
          const r = await stack.refresh(options);
          result.steps.push({ op: step.op, changes: r.summary.resourceChanges, stdout: out.join("") });
        }
      } catch (err) {
        result.steps.push({ op: step.op, stdout: out.join(""), error: String((err as Error).message ?? err) });
        break;
      }
    }
  } finally {
    // The emulator is thrown away with the test; the backend directory with the repository.
    await stack.workspace.removeStack(spec.stackName, { force: true }).catch(() => undefined);
  }
  return result;
}

if (require.main === module) {
  const spec: RunnerSpec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  run(spec).then(
    (result) => fs.writeFileSync(spec.resultFile, JSON.stringify(result, null, 2)),
    (err) => {
      process.stderr.write(`repo-runner: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
