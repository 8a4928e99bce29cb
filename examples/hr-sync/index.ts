// The roster from the HR export: run after each export lands (e.g. nightly in CI).
// `pulumi config set hr-sync:export <file>` names the export (default hr-export.csv).
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { rosterStack } from "pulumi-justcall/roster";
import { rosterFromHrCsv } from "./hr";

export = async () => {
  const file = new pulumi.Config("hr-sync").get("export") ?? "hr-export.csv";
  return rosterStack({ roster: rosterFromHrCsv(fs.readFileSync(file, "utf8")), source: file });
};
