// `pulumi new` from a local path: examples/gitops is also a Pulumi template. A new project made
// from it with the plain CLI previews a roster against the emulator.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { repoRoot } from "../../harness/engine";
import { freshEmulator } from "../support/justcall";
import { UserRepo, writeRequests } from "../support/user-repo";

describe("pulumi new from examples/gitops (a template on a local path)", function () {
  let repo: UserRepo | undefined;
  let emu: RunningEmulator | undefined;

  after(async () => {
    repo?.cleanup();
    await emu?.close();
  });

  it("writes a roster repository with the user's project name, which previews against the emulator", async () => {
    repo = await UserRepo.create("template", { files: {}, devDependencies: { typescript: "^5.9.3", "@types/node": "^22.20.7" } });
    const template = path.join(repoRoot, "examples", "gitops");
    await repo.ok(["new", template, "--dir", "my-roster", "--name", "my-roster", "--generate-only", "--yes"]);
    const dir = path.join(repo.dir, "my-roster");
    const project = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
    expect(project).to.match(/^name: my-roster$/m);
    expect(project).to.not.match(/^template:/m);
    expect(project).to.match(/justcall:rosterFile:/);
    for (const file of ["index.ts", "roster.yaml", "tsconfig.json", "README.md", ".github/workflows/preview.yml"]) {
      expect(fs.existsSync(path.join(dir, file)), file).to.equal(true);
    }
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies).to.have.property("pulumi-justcall");

    // The package resolves from the enclosing folder's node_modules (installed from the tarball).
    emu = await freshEmulator();
    const roster = repo.project("my-roster");
    await roster.initStack(emu, "dev");
    const preview = await roster.ok(["preview"]);
    expect(preview.stdout).to.match(/\+ .*Agent/);
    expect(await writeRequests(emu)).to.deep.equal([]);
  });
});
