#!/usr/bin/env bash
# docs/summary-comment.png: the pull-request comment the gitops preview workflow posts, as a
# reviewer sees it. The comment is built as the workflow builds it (marker, `justcall-roster
# summarize` of a real `pulumi preview --json --show-sames`, the raw `pulumi preview --diff`
# folded in <details>), rendered to HTML by marked (GitHub-flavoured Markdown) and photographed
# by headless Chromium (scripts/markdown-png.sh). Not part of `npm test`. Needs: npm run build; Debian's `chromium`
# (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=test/fixtures/summarize
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  echo '<!-- justcall-roster-summary -->'
  node dist/roster/cli.js summarize "$fixtures/preview-all-kinds.json"
  echo
  echo '<details><summary>Raw <code>pulumi preview --diff</code> (success)</summary>'
  echo
  echo '```diff'
  cat "$fixtures/preview-all-kinds.diff.txt"
  echo '```'
  echo
  echo '</details>'
} > "$work/comment.md"

bash scripts/markdown-png.sh "$work/comment.md" "$PWD/docs/summary-comment.png" 1000,700 '<b>github-actions</b> bot commented (edited)'
echo "wrote docs/summary-comment.png"
