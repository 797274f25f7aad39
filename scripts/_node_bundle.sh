# Sourced by scripts/test_node.sh and scripts/test_windows.sh: Node runs none of this project's
# TypeScript, so its legs run test files bundled for it by Bun.
#
#   node_bundle BUN OUTDIR PREFIX FILE…
#
# Bundles each FILE (a path relative to the current directory) that uses no Deno or Bun API into
# OUTDIR/PREFIX<name>.mjs, each bundle self-contained, and sets NODE_BUNDLES to those bundles. The
# files left out (they call Deno.* / Bun.* or import bun:*; a name in quotes is not a call, and
# comments do not count) are named on stderr.
node_bundle() {
  local bun=$1 out=$2 prefix=$3
  shift 3
  local f code keep=()
  NODE_BUNDLES=()
  for f in "$@"; do
    # (No pipe into grep -q: under pipefail the first grep's SIGPIPE, when -q stops reading early,
    # made the skip random.)
    code=$(grep -vE '^\s*(//|\*|/\*)' "$f" || true)
    if grep -qE '(^|[^"'"'"'\w])(Deno|Bun)\.[A-Za-z]|(from|import\() *"bun:' <<<"$code"; then
      echo "node: skipping $f (Deno/Bun API)" >&2
      continue
    fi
    keep+=("$f")
    NODE_BUNDLES+=("$out/$prefix$(basename "${f%.ts}").mjs")
  done
  mkdir -p "$out"
  rm -f "$out/$prefix"*.mjs
  [ ${#keep[@]} -gt 0 ] || return 0
  "$bun" build --target=node --format=esm --outdir "$out" --entry-naming "$prefix[name].mjs" \
    "${keep[@]}" >/dev/null
}
