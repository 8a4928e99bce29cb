// The roster from the HR export: run after each export lands (e.g. nightly in CI).
// `pulumi config set hr-sync:export <file>` names the export (default hr-export.csv);
// `pulumi config set hr-sync:ownsRoles true` lets job titles set JustCall roles (see hr.ts).
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { rosterStack } from "pulumi-justcall/roster";
import { rosterFromHrCsv } from "./hr";

export = async () => {
  const config = new pulumi.Config("hr-sync");
  const file = config.get("export") ?? "hr-export.csv";
  const ownsRoles = config.getBoolean("ownsRoles") ?? false;
  return rosterStack({ roster: rosterFromHrCsv(fs.readFileSync(file, "utf8"), { ownsRoles }), source: file });
};
