#!/usr/bin/env bash
# docs/summary-comment.png: the pull-request comment the gitops preview workflow posts, as a
# reviewer sees it. The comment is built as the workflow builds it (marker, `justcall-roster
# summarize` of a real `pulumi preview --json --show-sames`, the raw `pulumi preview --diff`
# folded in <details>), rendered to HTML by marked (GitHub-flavoured Markdown) and photographed
# by headless Chromium. Not part of `npm test`. Needs: npm run build; Debian's `chromium`
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

node -e '
const fs = require("node:fs");
const { marked } = require("marked");
const body = marked.parse(fs.readFileSync(process.argv[1], "utf8"), { gfm: true });
const css = `
  body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .comment { margin: 24px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
  .header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; color: #59636e; }
  .header b { color: #1f2328; }
  .body { padding: 8px 16px 16px; }
  h3 { font-size: 1.25em; margin: 16px 0 8px; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; }
  h4 { font-size: 1em; margin: 20px 0 4px; }
  p { margin: 4px 0 8px; } ul { margin: 0 0 8px; padding-left: 2em; } li { margin: 2px 0; }
  code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
  pre { background: #f6f8fa; padding: 12px; overflow: auto; }
  details summary { cursor: pointer; color: #0969da; margin-top: 8px; }
`;
fs.writeFileSync(process.argv[2], `<!doctype html><meta charset="utf-8"><style>${css}</style>
<div class="comment"><div class="header"><b>github-actions</b> bot commented (edited)</div><div class="body">${body}</div></div>`);
' "$work/comment.md" "$work/comment.html"

chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$PWD/docs/summary-comment.png" --window-size=1000,700 "file://$work/comment.html" 2>/dev/null
echo "wrote docs/summary-comment.png"
