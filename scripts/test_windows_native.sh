#!/usr/bin/env bash
# The Windows suite on a real Windows, natively (Git Bash; the windows job of
# .github/workflows/real-os.yml): tests/windows/*_test.ts under one runtime, what
# scripts/test_windows.sh runs under Wine 10 in the test bed.
#
#   bash scripts/test_windows_native.sh deno|bun|node          the files that hold on any Winsock
#   bash scripts/test_windows_native.sh --wine-only RUNTIME    the files of WINE_ONLY (a report)
#   bash scripts/test_windows_native.sh --list [--wine-only] RUNTIME   print the files, run nothing
#                                                                      (on any OS)
#
# deno and bun are tools/package.json's; node is the node on PATH (koffi; node:ffi on Node 26), through
# scripts/test_node.sh, which leaves out the files that call Deno or Bun. The tests tell Wine from Windows themselves
# (nativeApi().wine, from ntdll's wine_get_version): a test of Wine's answer where Windows answers
# otherwise skips off Wine, and `native.wine ? … : …` asserts Windows' own answer here.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The files that assert Wine's answers without that guard (real Windows answers otherwise):
#   native_probe_test.ts        SIO_ROUTING_INTERFACE_CHANGE and SIO_IDEAL_SEND_BACKLOG_CHANGE fail
#                               at once with WSAEOPNOTSUPP; Windows keeps them pending
#   native_reliability_test.ts  its test "8: a code Wine fails without signalling …", the same two
#   sio_tcp_test.ts             SIO_TCP_INFO, SIO_TIMESTAMPING, SIO_GET_TX_TIMESTAMP and the
#                               SIO_TCP_INITIAL_RTO / _SET_ICW / _SET_ACK_FREQUENCY refused
# Guarding such a test with nativeApi().wine moves its file out of this list.
WINE_ONLY=(native_probe_test.ts native_reliability_test.ts sio_tcp_test.ts)

usage() {
  echo "usage: scripts/test_windows_native.sh [--list] [--wine-only] deno|bun|node" >&2
  exit 2
}
list=false wine_only=false
while [ $# -gt 1 ]; do
  case $1 in
    --list) list=true ;;
    --wine-only) wine_only=true ;;
    *) usage ;;
  esac
  shift
done
[ $# -eq 1 ] || usage
runtime=$1
case $runtime in deno | bun | node) ;; *) usage ;; esac

cd "$ROOT"
files=()
for f in tests/windows/*_test.ts; do
  listed=false
  for w in "${WINE_ONLY[@]}"; do [ "$f" = "tests/windows/$w" ] && listed=true; done
  if [ "$listed" = "$wine_only" ]; then files+=("$f"); fi
done
for w in "${WINE_ONLY[@]}"; do
  [ -e "tests/windows/$w" ] || { echo "test_windows_native: no tests/windows/$w (WINE_ONLY)" >&2; exit 1; }
done
[ ${#files[@]} -gt 0 ] || { echo "test_windows_native: no test files for $runtime" >&2; exit 1; }

if [ "$list" = true ]; then
  printf '%s\n' "${files[@]}"
  exit 0
fi
case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*) ;;
  *)
    echo "test_windows_native: runs on Windows only (scripts/test_windows.sh runs Wine)" >&2
    exit 2
    ;;
esac

# shellcheck source=scripts/_env.sh
source "$ROOT/scripts/_env.sh"
echo "test_windows_native: $runtime on $(uname -s), ${#files[@]} file(s)"
case $runtime in
  # The test bed's flags (scripts/test_windows.sh): no config, nothing fetched.
  deno) "$DENO" test -A --unstable-net --v8-flags=--expose-gc --no-config --no-lock --no-remote \
    --cached-only "${files[@]}" ;;
  bun) "$BUN" test --timeout 60000 "${files[@]/#/./}" ;;
  # Node 26 takes node:ffi, an earlier Node koffi (scripts/test_node.sh checks which one ran).
  node)
    if [[ "$(node --version)" == v26.* ]]; then
      WSIOCTL_NODE26=$(command -v node) bash "$ROOT/scripts/test_node.sh" --node 26 "${files[@]}"
    else
      bash "$ROOT/scripts/test_node.sh" --node 20 "${files[@]}"
    fi
    ;;
esac
