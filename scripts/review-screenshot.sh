#!/usr/bin/env bash
# docs/review.png: the quarterly access-review issue (examples/gitops/.github/workflows/review.yml)
# as a reviewer sees it. The review is a real one: `justcall-roster review` of an emulator account
# set up as test/roster/review-command.test.ts sets it up (the demo seed; an Account Owner and an
# admin added in the dashboard; an invitation never accepted; a leaver holding a number), checked
# against the repository's roster.yaml and a small HR export. Not part of `npm test`. Needs:
# npm run build; Debian's `chromium` (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp roster.yaml "$work/roster.yaml"
cat > "$work/hr.csv" <<'CSV'
email,status
jane.doe@acme.example,active
sam.lee@acme.example,terminated
priya.patel@acme.example,active
alex.kim@acme.example,active
olive.owner@acme.example,active
CSV

node -e '
const { startEmulator } = require("./dist/emulator");
(async () => {
  const emu = await startEmulator({ port: 0, rateLimit: false, shapes: { v1: "full", "v2.1": "full" } });
  try {
    const { apiKey, apiSecret } = emu.credentials;
    await emu.admin.addAgent(apiKey, { firstname: "Olive", lastname: "Owner", email: "olive.owner@acme.example", role: "Account Owner" });
    await emu.admin.addAgent(apiKey, { firstname: "Max", lastname: "Power", email: "max.power@acme.example", role: "admin" });
    await emu.admin.addAgent(apiKey, { firstname: "Alex", lastname: "Kim", email: "alex.kim@acme.example", role: "agent", status: "Pending" });
    const account = (await emu.admin.state()).accounts[0];
    const sam = account.agents.find((a) => a.email === "sam.lee@acme.example");
    await emu.admin.moveNumber(account.numbers.find((n) => n.number === "+14155550103").id, sam.id);
    // A child process, awaited: the emulator answers from this process, which must not block.
    const { spawn } = require("node:child_process");
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [`${process.cwd()}/dist/roster/cli.js`, "review", "--roster", "roster.yaml", "--hr", "hr.csv",
        "--account-name", "Acme Support", "--markdown", "review.md"], {
        cwd: process.argv[1],
        stdio: ["ignore", "inherit", "inherit"],
        env: { PATH: process.env.PATH, JUSTCALL_API_KEY: apiKey, JUSTCALL_API_SECRET: apiSecret, JUSTCALL_BASE_URL: emu.url },
      });
      child.on("close", resolve);
    });
    if (code !== 0) process.exitCode = 1;
  } finally {
    await emu.close();
  }
})();
' "$work"
# The emulator listens on a free port: the picture shows its default one, as `npx justcall-emulator` starts it.
sed -i -E 's/127\.0\.0\.1:[0-9]+/127.0.0.1:8787/g' "$work/review.md"
bash scripts/markdown-png.sh "$work/review.md" "$PWD/docs/review.png" 1000,1280 \
  '<b>github-actions</b> bot opened this issue · label <b>access-review</b>'
echo "wrote docs/review.png"
