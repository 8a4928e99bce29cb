#!/usr/bin/env bash
# scripts/markdown-png.sh <comment.md> <out.png> <width,height> <header html>: a Markdown comment
# or issue as a reviewer sees it on GitHub, rendered by marked (GitHub-flavoured Markdown) and
# photographed by headless Chromium. Used by summary-screenshot.sh and review-screenshot.sh.
# Needs: npm ci (marked); Debian's `chromium` (apt-get install -y chromium).
set -euo pipefail
md=$1 out=$2 size=$3 header=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
  h2 { font-size: 1.5em; margin: 16px 0 8px; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; }
  h3 { font-size: 1.25em; margin: 16px 0 8px; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; }
  h4 { font-size: 1em; margin: 20px 0 4px; }
  p { margin: 4px 0 8px; } ul { margin: 0 0 8px; padding-left: 2em; } li { margin: 2px 0; }
  table { border-collapse: collapse; margin: 4px 0 12px; } th, td { border: 1px solid #d1d9e0; padding: 4px 10px; } th { background: #f6f8fa; }
  code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
  pre { background: #f6f8fa; padding: 12px; overflow: auto; }
  details summary { cursor: pointer; color: #0969da; margin-top: 8px; }
`;
fs.writeFileSync(process.argv[2], `<!doctype html><meta charset="utf-8"><style>${css}</style>
<div class="comment"><div class="header">${process.argv[3]}</div><div class="body">${body}</div></div>`);
' "$md" "$work/page.html" "$header"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$out" --window-size="$size" "file://$work/page.html" 2>/dev/null
