// State written by 0.1.0 stores a provider closure that requires these files by path and calls
// `<exportName>.<method>` (test/fixtures/summarize/preview-all-kinds.json holds such state).
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const FIXTURE = path.join(__dirname, "../../../test/fixtures/summarize/preview-all-kinds.json");

describe("provider: module paths stored by 0.1.0", () => {
  it("every implFile and runtimeFile in 0.1.0 state still loads, with its export", () => {
    const text = fs.readFileSync(FIXTURE, "utf8");
    const stored = [...text.matchAll(/implFile: \\"([^\\]+)\\", exportName: \\"([^\\]+)\\"/g)].map((m) => [m[1], m[2]]);
    const unique = [...new Map(stored.map(([file, name]) => [`${file}#${name}`, [file, name]])).values()];
    expect(unique.map(([file]) => file).sort()).to.deep.equal([
      "dist/provider/agent.js",
      "dist/provider/numberAssignment.js",
      "dist/provider/teamMembership.js",
      "dist/roster/auditProvider.js",
    ]);
    const root = path.join(__dirname, "../../..");
    for (const [file, exportName] of unique) {
      const mod = require(path.join(root, file));
      expect(Object.keys(mod[exportName] ?? {}), `${file} ${exportName}`).to.include.members([
        "check",
        "diff",
        "create",
        "read",
        "update",
        "delete",
      ]);
    }
    expect(require(path.join(root, "dist/provider/runtime.js")).configureProcess).to.be.a("function");
  });
});
