// How `justcall-roster export` writes its file: atomically, never over a file that appeared
// during the export, never through a symlink without --force.
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeRosterFile } from "../../roster/cli";

describe("export writes the roster file safely", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pj-export-write-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entries = () => fs.readdirSync(dir).sort();

  it("writes the whole file and leaves no temporary file", () => {
    const file = path.join(dir, "roster.yaml");
    expect(writeRosterFile(file, "agents: []\n", false)).to.equal(true);
    expect(fs.readFileSync(file, "utf8")).to.equal("agents: []\n");
    expect(entries()).to.deep.equal(["roster.yaml"]);
  });

  it("refuses a file that exists at write time (made during the export), leaving it as it was", () => {
    const file = path.join(dir, "roster.yaml");
    fs.writeFileSync(file, "someone else's\n");
    expect(writeRosterFile(file, "agents: []\n", false)).to.equal(false);
    expect(fs.readFileSync(file, "utf8")).to.equal("someone else's\n");
    expect(entries()).to.deep.equal(["roster.yaml"]);
    expect(writeRosterFile(file, "agents: []\n", true), "--force").to.equal(true);
    expect(fs.readFileSync(file, "utf8")).to.equal("agents: []\n");
  });

  it("does not follow a symlink, dangling or not; with --force it replaces the link, not its target", () => {
    const target = path.join(dir, "target.txt");
    fs.writeFileSync(target, "precious\n");
    const link = path.join(dir, "roster.yaml");
    fs.symlinkSync(target, link);
    expect(writeRosterFile(link, "agents: []\n", false)).to.equal(false);
    expect(fs.readFileSync(target, "utf8")).to.equal("precious\n");

    const dangling = path.join(dir, "dangling.yaml");
    fs.symlinkSync(path.join(dir, "would-be-created"), dangling);
    expect(writeRosterFile(dangling, "agents: []\n", false)).to.equal(false);
    expect(fs.existsSync(path.join(dir, "would-be-created")), "the link's target is not created").to.equal(false);

    expect(writeRosterFile(link, "agents: []\n", true)).to.equal(true);
    expect(fs.lstatSync(link).isSymbolicLink(), "the link itself is replaced").to.equal(false);
    expect(fs.readFileSync(link, "utf8")).to.equal("agents: []\n");
    expect(fs.readFileSync(target, "utf8"), "its target is untouched").to.equal("precious\n");
    expect(entries()).to.deep.equal(["dangling.yaml", "roster.yaml", "target.txt"]);
  });
});
