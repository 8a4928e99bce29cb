import { expect } from "chai";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { basic } from "./helpers";

const CLI = resolve(__dirname, "../../emulator/cli.js");

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d) => (err += d));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`CLI did not print its URL in time:\n${out}\n${err}`));
    }, 15_000);
    child.stdout!.on("data", () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes("Admin API")) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1], output: () => out });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}:\n${out}\n${err}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, signal: null });
  return new Promise((r) => child.on("exit", (code, signal) => r({ code, signal })));
}

describe("emulator: CLI", () => {
  const children: ChildProcess[] = [];
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "justcall-cli-"));
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts on --port 0, prints URL and credentials, serves the API, and stops on SIGTERM", async function () {
    this.timeout(30_000);
    const started = await startCli(["--port", "0", "--rate-limit", "20/2s"]);
    children.push(started.child);
    expect(started.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.output()).to.contain("demo_api_key").and.contain("demo_api_secret");
    expect(started.output()).to.contain("globex_api_key").and.contain("globex_api_secret");

    const res = await fetch(`${started.url}/v1/agents`, { headers: { authorization: basic("demo_api_key", "demo_api_secret") } });
    expect(res.status).to.equal(200);
    expect(res.headers.get("x-ratelimit-limit")).to.equal("20");
    expect(((await res.json()) as { total: number }).total).to.equal(3);

    started.child.kill("SIGTERM");
    expect(await exitOf(started.child)).to.deep.equal({ code: 0, signal: null });
  });

  it("takes --seed (YAML), --data and --faults", async function () {
    this.timeout(30_000);
    const seedFile = join(dir, "seed.yaml");
    writeFileSync(
      seedFile,
      [
        "accounts:",
        "  - name: Yaml Co",
        "    apiKey: yaml_key",
        "    apiSecret: yaml_secret",
        "    agents:",
        "      - { firstname: Y, lastname: A, email: y@yaml.example }",
        "",
      ].join("\n"),
    );
    const dataFile = join(dir, "data.json");
    const started = await startCli([
      "--port",
      "0",
      "--seed",
      seedFile,
      "--data",
      dataFile,
      "--rate-limit",
      "off",
      "--faults",
      "GET /v1/teams=status:503#1",
    ]);
    children.push(started.child);
    expect(started.output()).to.contain("Yaml Co").and.contain("yaml_secret");
    const auth = { authorization: basic("yaml_key", "yaml_secret") };
    const agents = await fetch(`${started.url}/v1/agents`, { headers: auth });
    expect(((await agents.json()) as { data: Array<{ email: string }> }).data[0].email).to.equal("y@yaml.example");
    expect(agents.headers.get("x-ratelimit-limit")).to.equal(null);
    expect((await fetch(`${started.url}/v1/teams`, { headers: auth })).status).to.equal(503);
    expect((await fetch(`${started.url}/v1/teams`, { headers: auth })).status).to.equal(200);
    started.child.kill("SIGINT");
    expect((await exitOf(started.child)).code).to.equal(0);

    // Restarted on the same data file, the state is the one it left.
    const again = await startCli(["--port", "0", "--data", dataFile]);
    children.push(again.child);
    expect(again.output()).to.contain("yaml_key");
    again.child.kill("SIGTERM");
    expect((await exitOf(again.child)).code).to.equal(0);
  });

  it("answers in the guide's shapes by default for v1, and in full ones with --shapes full", async function () {
    this.timeout(30_000);
    const auth = { authorization: basic("demo_api_key", "demo_api_secret") };
    for (const [args, fields] of [
      [[], ["id", "firstname", "lastname", "email", "timezone"]],
      [
        ["--shapes", "full"],
        ["id", "firstname", "lastname", "email", "phone", "timezone", "role", "status", "created_at", "numbers"],
      ],
    ] as const) {
      const started = await startCli(["--port", "0", ...args]);
      children.push(started.child);
      expect(started.output()).to.contain(`Response shapes: v1 ${args.length === 0 ? "guide" : "full"}`);
      const res = await fetch(`${started.url}/v1/agents/101`, { headers: auth });
      expect(Object.keys(((await res.json()) as { data: object }).data)).to.deep.equal(fields);
      started.child.kill("SIGTERM");
      expect((await exitOf(started.child)).code).to.equal(0);
    }
  });

  it("exits with status 2 and usage on bad flags", async function () {
    this.timeout(30_000);
    for (const args of [["--rate-limit", "lots"], ["--faults", "*=explode"], ["--shapes", "tidy"], ["--bogus"]]) {
      const child = spawn(process.execPath, [CLI, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let err = "";
      child.stderr!.setEncoding("utf8").on("data", (d) => (err += d));
      expect((await exitOf(child)).code, args.join(" ")).to.equal(2);
      expect(err).to.contain("Usage: justcall-emulator");
    }
  });
});
