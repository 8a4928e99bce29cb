#!/usr/bin/env bash
# Makes the Pulumi CLI available to this project's tests, demo and benchmark.
#
#   bash scripts/ensure-pulumi.sh              # quiet when there is nothing to do
#   bash scripts/ensure-pulumi.sh --print-bin  # also prints the folder that holds `pulumi`
#
# 1. A suitable `pulumi` already on PATH (with the dynamic-provider plugin beside it) is used
#    as it is: that is what a user with Pulumi installed has.
# 2. Otherwise the CLI is built from its Go modules (the official installer downloads a binary,
#    which this network refuses) into a cache outside the repository, so that a fresh clone on
#    the same machine finds it again:
#    ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-justcall/pulumi-v<version>/bin
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$here/tools/pulumi-cli"
version=$(awk '{ for (i = 1; i < NF; i++) if ($i == "github.com/pulumi/pulumi/pkg/v3") { print $(i + 1); exit } }' "$tools/go.mod")
version=${version#v}
min_version=3.181.0 # inline programs' refresh and destroy need at least this CLI
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-justcall"
bin="$cache_root/pulumi-v$version/bin"

print_bin=false
[ "${1:-}" = "--print-bin" ] && print_bin=true

log() { echo "ensure-pulumi: $*" >&2; }

version_at_least() { # $1 >= $2, both x.y.z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

usable_on_path() {
  local p v
  p=$(command -v pulumi 2>/dev/null) || return 1
  [ "$(dirname "$p")" = "$bin" ] && return 1 # our own cache is checked below
  command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 || return 1
  v=$(pulumi version 2>/dev/null | sed 's/^v//; s/[-+].*//') || return 1
  version_at_least "$v" "$min_version"
}

if [ "${PULUMI_JUSTCALL_IGNORE_PATH:-}" != "1" ] && usable_on_path; then
  $print_bin && dirname "$(command -v pulumi)"
  exit 0
fi

if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
  $print_bin && echo "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  log "no usable pulumi on PATH and no Go toolchain to build one."
  log "install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go 1.26+, then run this again."
  exit 1
}

log "building the Pulumi CLI v$version from its Go modules into $bin (first time only; 3 min 17 s measured on 2 cores with empty Go caches)"
mkdir -p "$cache_root"
staging=$(mktemp -d "$cache_root/.build-XXXXXX")
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/bin"
start=$(date +%s)
(
  cd "$tools"
  go build -trimpath -mod=readonly \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$staging/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)
cp "$tools/pulumi-resource-pulumi-nodejs" "$staging/bin/"
chmod +x "$staging/bin/"*
"$staging/bin/pulumi" version >/dev/null
# Publish atomically so a concurrent or interrupted run never sees half a CLI.
rm -rf "$cache_root/pulumi-v$version.old"
[ -d "$cache_root/pulumi-v$version" ] && mv "$cache_root/pulumi-v$version" "$cache_root/pulumi-v$version.old"
mv "$staging" "$cache_root/pulumi-v$version"
trap - EXIT
rm -rf "$cache_root/pulumi-v$version.old"
log "built pulumi v$version in $(( $(date +%s) - start ))s"
$print_bin && echo "$bin"
exit 0
