// Runs a compiled CLI of this package as a user does (`node dist/.../cli.js ...`), in a child
// process, asynchronously: tests run the emulator in their own process, which must keep answering.
import { spawn } from "node:child_process";
import * as path from "node:path";

export const ROSTER_CLI = path.resolve(__dirname, "..", "..", "roster", "cli.js");
export const EMULATOR_CLI = path.resolve(__dirname, "..", "..", "emulator", "cli.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` is the child's whole environment (nothing leaks in from the test's own). */
export function runCli(
  cli: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; stdin?: string },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
