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
# 3. Pulumi's Node.js language host (pulumi-language-nodejs, which runs on-disk programs for plain
#    `pulumi preview/up/refresh`) ships with a regular install; where none is installed and its
#    source is beside this repository (../shared/tools/pulumi-language-nodejs, because the Go
#    proxy refuses that module), it is built into the same cache folder.
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

language_host_source="$here/../shared/tools/pulumi-language-nodejs"

# The language host beside the CLI in folder $1, unless one is already installed beside it or on PATH.
ensure_language_host() {
  local dir=$1
  [ -x "$dir/pulumi-language-nodejs" ] && return 0
  if [ ! -f "$language_host_source/build.sh" ]; then
    log "no pulumi-language-nodejs beside $dir/pulumi and no source at $language_host_source:"
    log "plain \`pulumi up\` of an on-disk program will not work (Automation API inline programs still do)."
    return 0
  fi
  command -v go >/dev/null 2>&1 || { log "no Go toolchain to build pulumi-language-nodejs"; return 1; }
  mkdir -p "$cache_root"
  exec 8>"$cache_root/.language-host.lock"
  flock 8
  [ -x "$dir/pulumi-language-nodejs" ] && return 0
  log "building pulumi-language-nodejs from $language_host_source into $dir"
  local start
  start=$(date +%s)
  bash "$language_host_source/build.sh" "$dir" >&2
  log "built pulumi-language-nodejs in $(( $(date +%s) - start ))s"
}

if [ "${PULUMI_JUSTCALL_IGNORE_PATH:-}" != "1" ] && usable_on_path; then
  # A regular install ships the language host; never write into a user's own Pulumi folder.
  command -v pulumi-language-nodejs >/dev/null 2>&1 || log "warning: pulumi on PATH has no pulumi-language-nodejs beside it"
  $print_bin && dirname "$(command -v pulumi)"
  exit 0
fi

if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
  ensure_language_host "$bin"
  $print_bin && echo "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || {
  log "no usable pulumi on PATH and no Go toolchain to build one."
  log "install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go 1.26+, then run this again."
  exit 1
}

mkdir -p "$cache_root"
# One build at a time: a concurrent run (another test process, CI beside a session) waits for it.
exec 9>"$cache_root/.build.lock"
flock 9
if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
  ensure_language_host "$bin"
  $print_bin && echo "$bin"
  exit 0
fi
log "building the Pulumi CLI v$version from its Go modules into $bin (first time only; 3 min 17 s measured on 2 cores with empty Go caches)"
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
ensure_language_host "$bin"
$print_bin && echo "$bin"
exit 0
