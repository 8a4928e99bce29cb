#!/usr/bin/env bash
# A smoke run on one Node.js line: `npm run demo` (which builds, makes sure the Pulumi CLI is
# there, and runs the demo against its own emulator), as a newcomer would. Run after `npm ci`.
#
#   bash scripts/smoke-node.sh 24       # Node 24 from the cache (scripts/ensure-node.sh)
#   bash scripts/smoke-node.sh system   # the node on PATH
#
# Prints one line, "smoke on node vX: passed in Ns" or "... failed ..." (after the end of the
# demo's output), and exits 0 when it passed, 1 when it failed, and 3 when the node on PATH is
# older than package.json's engines allow (then the smoke would say nothing about a supported
# Node, and nothing is run).
set -uo pipefail
cd "$(dirname "$0")/.."

which_node=${1:?usage: bash scripts/smoke-node.sh 22|24|system}
if [ "$which_node" != system ]; then
  bin=$(bash scripts/ensure-node.sh "$which_node") || {
    echo "smoke on node $which_node: failed (could not install it)"
    exit 1
  }
  export PATH="$bin:$PATH"
fi
version=$(node --version)

engines=$(node -p 'require("./package.json").engines.node')
if ! node -e '
  const min = /^>=\s*(\d+)/.exec(process.argv[1]);
  process.exit(min && Number(process.versions.node.split(".")[0]) < Number(min[1]) ? 1 : 0);
' "$engines"; then
  echo "smoke on node $version: not run (package.json engines is \"$engines\")"
  exit 3
fi

log=$(mktemp)
# The demo's state goes to a temporary folder, not .pulumi-local/; inside the repository (in the
# ignored .tmp/, as for the tests), because the dynamic-provider plugin loads @pulumi/pulumi from
# the program's folder upwards.
mkdir -p .tmp
demo_dir=$(mktemp -d "$PWD/.tmp/smoke-XXXXXX")
trap 'rm -rf "$log" "$demo_dir"' EXIT
start=$(date +%s)
if JUSTCALL_DEMO_DIR="$demo_dir" npm run demo >"$log" 2>&1 && grep -q "==> Stopping the emulator" "$log"; then
  echo "smoke on node $version: passed in $(($(date +%s) - start))s (npm run demo)"
  exit 0
fi
tail -n 40 "$log"
echo "smoke on node $version: failed after $(($(date +%s) - start))s (npm run demo; its last lines above)"
exit 1
