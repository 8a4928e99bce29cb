// The roster's JSON Schema: generated from the zod schema by the build, exported by the package,
// accepted by a JSON-Schema validator (ajv, the one editors' validators resemble) for every roster
// in the repository, strict on bad ones, and named by `justcall-roster export` on its first line.
import Ajv from "ajv";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { RunningEmulator } from "../../emulator";
import { rosterJsonSchema } from "../../roster/json-schema";
import { repoRoot } from "../../harness/engine";
import { freshEmulator } from "../support/justcall";
import { ROSTER_CLI, runCli } from "./cli-runner";

const BUILT_SCHEMA = path.join(repoRoot, "dist", "roster", "roster.schema.json");

function schemaValidator(file = BUILT_SCHEMA) {
  return new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(fs.readFileSync(file, "utf8")));
}

describe("roster JSON Schema", function () {
  let emu: RunningEmulator | undefined;
  let tmp: string | undefined;

  afterEach(async () => {
    if (emu) await emu.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    emu = tmp = undefined;
  });

  it("is what the zod schema gives, and the package exports it as pulumi-justcall/roster.schema.json", () => {
    expect(JSON.parse(fs.readFileSync(BUILT_SCHEMA, "utf8"))).to.deep.equal(rosterJsonSchema());
    expect(require.resolve("pulumi-justcall/roster.schema.json")).to.equal(BUILT_SCHEMA);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    expect(pkg.files.some((entry: string) => BUILT_SCHEMA.startsWith(path.join(repoRoot, entry)))).to.equal(true);
  });

  it("accepts the repository's roster and the examples' rosters", () => {
    const validate = schemaValidator();
    for (const file of [
      "roster.yaml",
      "examples/gitops/roster.yaml",
      "examples/offboarding/before.yaml",
      "examples/offboarding/after.yaml",
    ]) {
      const ok = validate(parseYaml(fs.readFileSync(path.join(repoRoot, file), "utf8")));
      expect(ok, `${file}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
  });

  it("rejects a bad roster at each bad place", () => {
    const validate = schemaValidator();
    const bad = parseYaml(
      [
        "authoritative: yes please",
        "agents:",
        "  - email: jane@acme.example",
        "    firstname: Jane",
        "    role: boss",
        '    numbers: [+14155550100, "4155550101"]',
        "    nickname: JD",
        "extra: 1",
      ].join("\n"),
    );
    expect(validate(bad)).to.equal(false);
    const found = validate
      .errors!.map(
        (e) =>
          `${e.instancePath} ${e.keyword}${e.keyword === "additionalProperties" ? ` ${(e.params as { additionalProperty: string }).additionalProperty}` : ""}`,
      )
      .sort();
    expect(found).to.deep.equal([
      " additionalProperties extra",
      "/agents/0 additionalProperties nickname",
      "/agents/0 required", // lastname
      "/agents/0/numbers/0 type", // unquoted: YAML reads an integer
      "/agents/0/numbers/1 pattern",
      "/agents/0/role enum",
      "/authoritative type",
    ]);
  });

  it("an exported roster names the schema on its first line, by a path that resolves from the roster's folder", async () => {
    emu = await freshEmulator();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "roster-schema-"));
    // The usual layout: the package installed in node_modules beside the roster.
    fs.mkdirSync(path.join(tmp, "node_modules"));
    fs.symlinkSync(repoRoot, path.join(tmp, "node_modules", "pulumi-justcall"), "dir");
    const env = {
      PATH: process.env.PATH ?? "",
      JUSTCALL_API_KEY: emu.credentials.apiKey,
      JUSTCALL_API_SECRET: emu.credentials.apiSecret,
      JUSTCALL_BASE_URL: emu.url,
    };

    for (const [out, reference] of [
      ["roster.yaml", "./node_modules/pulumi-justcall/dist/roster/roster.schema.json"],
      ["rosters/acme.yaml", "../node_modules/pulumi-justcall/dist/roster/roster.schema.json"],
    ]) {
      fs.mkdirSync(path.dirname(path.join(tmp, out)), { recursive: true });
      const run = await runCli(ROSTER_CLI, ["export", "--out", out], { cwd: tmp, env });
      expect(run.code, run.stderr).to.equal(0);
      const text = fs.readFileSync(path.join(tmp, out), "utf8");
      expect(text.split("\n")[0]).to.equal(`# yaml-language-server: $schema=${reference}`);
      const schemaFile = path.resolve(path.dirname(path.join(tmp, out)), reference);
      expect(fs.realpathSync(schemaFile)).to.equal(fs.realpathSync(BUILT_SCHEMA));
      const validate = schemaValidator(schemaFile);
      expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).to.equal(true);
    }

    const toStdout = await runCli(ROSTER_CLI, ["export", "--out", "-"], { cwd: tmp, env });
    expect(toStdout.stdout.split("\n")[0]).to.equal(
      "# yaml-language-server: $schema=./node_modules/pulumi-justcall/dist/roster/roster.schema.json",
    );
  });
});
