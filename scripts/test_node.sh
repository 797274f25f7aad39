#!/usr/bin/env bash
# The Node.js leg: Node 20 cannot run TypeScript, so each test file is bundled for Node with Bun
# (koffi and bun:ffi left external) into .build/node/, then run with `node --test`. The native
# tests then go through the koffi adapter (ffi/node.ts).
#
#   bash scripts/test_node.sh                    every tests/*_test.ts that uses no Deno/Bun API
#                                                and reads no file beside itself (import.meta)
#   bash scripts/test_node.sh tests/x_test.ts …  just those, but those that use a Deno/Bun API
#
# Also checks that without koffi the first native call fails with an error naming koffi.
# shellcheck source=scripts/_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT" || exit 1

candidates=(tests/*_test.ts)
[ $# -eq 0 ] || candidates=("$@")
files=()
for f in "${candidates[@]}"; do
  # Skip files that call Deno.* / Bun.* / bun:*, and unless named, those that find files through
  # import.meta (a bundle lives elsewhere): they are not for this leg. Comments aside. (No pipe
  # into grep -q: under pipefail the first grep's SIGPIPE, when -q stops reading early, made the
  # skip random.)
  code=$(grep -vE '^\s*(//|\*|/\*)' "$f" || true)
  if grep -qE '\b(Deno|Bun)\.[A-Za-z]|"bun:' <<<"$code" ||
    { [ $# -eq 0 ] && grep -q 'import\.meta' <<<"$code"; }; then
    echo "test_node: skipping $f (Deno/Bun API or import.meta)" >&2
    continue
  fi
  files+=("$f")
done
[ ${#files[@]} -gt 0 ] || { echo "test_node: no test files" >&2; exit 1; }

out="$ROOT/.build/node"
rm -rf "$out"
mkdir -p "$out"
"$BUN" build --target=node --format=esm --external koffi --external 'bun:ffi' \
  --outdir "$out" --entry-naming '[name].mjs' "${files[@]}" >/dev/null

# koffi missing: a copy of a bundle outside the repo cannot resolve it.
probe_dir="$ROOT/.build/node-probe"
mkdir -p "$probe_dir"
cat >"$probe_dir/no_koffi.ts" <<'EOF'
import { nativeApi } from "../../ffi/select.ts";
try {
  nativeApi();
  console.error("no_koffi: nativeApi() succeeded without koffi");
  process.exit(1);
} catch (e) {
  const text = String((e as Error).message);
  if (!/koffi/.test(text)) {
    console.error(`no_koffi: the error does not name koffi: ${text}`);
    process.exit(1);
  }
  console.log(`no_koffi: ok (${text})`);
}
EOF
"$BUN" build --target=node --format=esm --external koffi --external 'bun:ffi' \
  --outfile "$probe_dir/no_koffi.mjs" "$probe_dir/no_koffi.ts" >/dev/null
isolated=$(mktemp -d)
trap 'rm -rf "$isolated"' EXIT
cp "$probe_dir/no_koffi.mjs" "$isolated/"
(cd "$isolated" && node no_koffi.mjs)

node --expose-gc --test --test-reporter=spec "$out"/*.mjs
