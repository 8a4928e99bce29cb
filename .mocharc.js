// mocha's settings for `npm test`. The suite runs in parallel workers (MOCHA_JOBS, default 2: this
// machine's cores), because most of its time is spent waiting on Pulumi CLI runs, each a handful
// of processes. Files start slowest first, so that no long file is left running alone at the end.
// One file on its own: `npx mocha --no-config --timeout 600000 dist/test/<path>.test.js`.
const fs = require("node:fs");
const path = require("node:path");

/** The slowest files of the last full run (its reporter's list), most first; the rest follow in path order. */
const SLOWEST_FIRST = [
  "cli/deletion-guard",
  "cli/programs",
  "cli/user-path",
  "cli/accounts",
  "reliability/hostile",
  "roster/stack",
  "reliability/security",
  "cli/examples-readme",
  "reliability/killed-checkpoint-free",
  "cli/package",
  "provider/engine",
  "provider/engine-v21",
  "cli/same-person",
  "cli/summarize",
  "reliability/rate-limit",
  "reliability/kill",
  "reliability/adoption-checkpoint-free",
  "cli/secret-contacts",
];

const root = path.join(__dirname, "dist", "test");
const files = fs.existsSync(root)
  ? fs
      .readdirSync(root, { recursive: true })
      .filter((f) => f.endsWith(".test.js"))
      .map((f) => f.split(path.sep).join("/"))
      .sort()
  : [];
const rank = (f) => {
  const i = SLOWEST_FIRST.indexOf(f.replace(/\.test\.js$/, ""));
  return i < 0 ? SLOWEST_FIRST.length : i;
};
const ordered = files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

module.exports = {
  spec: ordered.length > 0 ? ordered.map((f) => `dist/test/${f}`) : ["dist/test/**/*.test.js"],
  timeout: 600000,
  reporter: "test/support/reporter.js",
  parallel: true,
  jobs: Number(process.env.MOCHA_JOBS || 2),
};
