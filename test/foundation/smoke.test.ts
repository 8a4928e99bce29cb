// The foundation's smoke test: one small dynamic resource on the real engine, in Pulumi's own
// integration order (preview, up, empty up, refresh, destroy).
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { TestProject } from "../../harness/engine";

// A note file: create writes it, read reads it back, delete removes it. It lives in the
// test file on purpose, so that the engine serializes it by value like a user's own provider.
const noteProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) {
    const fs = require("node:fs");
    fs.writeFileSync(inputs.file, inputs.text);
    return { id: inputs.file, outs: { file: inputs.file, text: inputs.text } };
  },
  async read(id: string, props: any) {
    const fs = require("node:fs");
    if (!fs.existsSync(id)) return { id: "", props: {} };
    const text = fs.readFileSync(id, "utf8");
    return { id, props: { ...props, text }, inputs: { file: id, text } };
  },
  async diff(_id: string, olds: any, news: any) {
    return { changes: olds.text !== news.text || olds.file !== news.file, replaces: olds.file !== news.file ? ["file"] : [] };
  },
  async update(_id: string, _olds: any, news: any) {
    const fs = require("node:fs");
    fs.writeFileSync(news.file, news.text);
    return { outs: { file: news.file, text: news.text } };
  },
  async delete(id: string) {
    const fs = require("node:fs");
    fs.rmSync(id, { force: true });
  },
};

class Note extends pulumi.dynamic.Resource {
  declare readonly text: pulumi.Output<string>;
  constructor(name: string, args: { file: string; text: string }) {
    super(noteProvider, name, { ...args, text: args.text }, undefined, "smoke", "Note");
  }
}

describe("foundation: the real Pulumi engine", function () {
  let project: TestProject;
  afterEach(async () => project && (await project.cleanup()));

  it("runs preview, up, an empty up, refresh and destroy of a dynamic resource (inline program)", async () => {
    project = await TestProject.create("smoke");
    const file = path.join(project.dir, "note.txt");
    const stack = await project.stack(async () => {
      const note = new Note("note", { file, text: "hello" });
      return { text: note.text, urn: note.urn };
    });

    const preview = await stack.preview({ onOutput: project.collect() });
    expect(preview.changeSummary.create).to.equal(2); // the stack and the note
    expect(fs.existsSync(file), "preview must not create").to.equal(false);

    const up = await stack.up({ onOutput: project.collect() });
    expect(up.summary.resourceChanges).to.deep.equal({ create: 2 });
    expect(fs.readFileSync(file, "utf8")).to.equal("hello");
    expect(up.outputs.text.value).to.equal("hello");
    expect(String(up.outputs.urn.value)).to.contain("pulumi-nodejs:dynamic/smoke:Note::note");

    const again = await stack.up({ onOutput: project.collect() });
    expect(again.summary.resourceChanges).to.deep.equal({ same: 2 });

    const refresh = await stack.refresh({ expectNoChanges: true, onOutput: project.collect() });
    expect(refresh.summary.result).to.equal("succeeded");

    // Drift in the file shows up in refresh, and the next up puts it back.
    fs.writeFileSync(file, "changed behind our back");
    const drift = await stack.refresh({ onOutput: project.collect() });
    expect(drift.summary.resourceChanges).to.include({ update: 1 });
    await stack.up({ onOutput: project.collect() });
    expect(fs.readFileSync(file, "utf8")).to.equal("hello");

    const destroy = await stack.destroy({ onOutput: project.collect() });
    expect(destroy.summary.resourceChanges).to.deep.equal({ delete: 2 });
    expect(fs.existsSync(file)).to.equal(false);
  });
});
