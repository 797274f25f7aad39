#!/usr/bin/env bash
# The wsioctl CLI from a checkout, under the pinned runtimes of tools/ (installed on first use):
#   bash scripts/wsioctl.sh deno decode FIONREAD   (npm run wsioctl -- decode FIONREAD)
#   bash scripts/wsioctl.sh bun list --seed        (npm run wsioctl:bun -- list --seed)
# shellcheck source=scripts/_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
runtime=${1:?usage: scripts/wsioctl.sh deno|bun [wsioctl arguments]}
shift
case $runtime in
  deno) exec "$DENO" run --quiet --allow-ffi --allow-read --allow-env --allow-sys "$ROOT/cli.ts" "$@" ;;
  bun) exec "$BUN" "$ROOT/cli.ts" "$@" ;;
  *)
    echo "scripts/wsioctl.sh: unknown runtime $runtime (deno or bun)" >&2
    exit 2
    ;;
esac
