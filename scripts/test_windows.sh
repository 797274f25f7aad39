#!/usr/bin/env bash
# Runs the Windows tests for real: each file under deno.exe (`deno test -A`), bun.exe (`bun test`)
# and node.exe (`node --test`, Node 26 for Windows: once through node:ffi, once through koffi's
# Windows build), under Wine 10 in the test bed that scripts/windows_testbed.sh builds. node.exe
# runs no TypeScript: the files that use no Deno or Bun API are bundled for it by the host's Bun
# (scripts/_node_bundle.sh) into .build/windows-node/, and it writes its report to a file (under
# Wine a pipe as its output gives EBADF), shown when it ends.
#
#   bash scripts/test_windows.sh                       every tests/windows/*_test.ts
#   bash scripts/test_windows.sh tests/windows/x_test.ts …   just those (paths inside the repo)
#
# Exits non-zero when any runtime fails. Needs root (chroot, mount). The repo (wherever this
# script lives) is bound at /src inside the chroot, Z:\src for Windows; everything is mounted in a
# private mount namespace, so nothing stays mounted after the run, however it ends. Concurrent runs
# wait for each other (they share one WINEPREFIX).
# Environment: WSIOCTL_TESTBED (the bed's folder), WSIOCTL_WINDOWS_TIMEOUT (seconds per runtime, 900),
# WSIOCTL_WINDOWS_RUNTIMES ("deno bun node node-koffi", or some of them).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
# shellcheck source=windows_testbed.sh
source "$HERE/windows_testbed.sh"

if [ -z "${WSIOCTL_TESTBED_NS:-}" ]; then
  testbed_build
  # Again in a private mount namespace: every mount below dies with this process.
  exec unshare --mount --propagation private env WSIOCTL_TESTBED_NS=1 bash "${BASH_SOURCE[0]}" "$@"
fi

# The test files, as paths relative to the repo.
files=()
if [ $# -eq 0 ]; then
  for f in "$REPO"/tests/windows/*_test.ts; do
    [ -e "$f" ] && files+=("${f#"$REPO"/}")
  done
  [ ${#files[@]} -gt 0 ] || testbed_die "no tests/windows/*_test.ts in $REPO"
else
  for f in "$@"; do
    if [ -e "$f" ]; then
      abs=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
    elif [ -e "$REPO/$f" ]; then
      abs=$REPO/$f
    else
      testbed_die "no such test file: $f"
    fi
    case "$abs" in
      "$REPO"/*) files+=("${abs#"$REPO"/}") ;;
      *) testbed_die "$f is not inside the repo ($REPO): only the repo is visible in the bed" ;;
    esac
  done
fi

# The node.exe runs' bundles (paths relative to the repo, which is Z:\src in the bed).
runtimes=${WSIOCTL_WINDOWS_RUNTIMES:-deno bun node node-koffi}
NODE_BUNDLES=()
if [[ " $runtimes " == *" node"* ]]; then
  # shellcheck source=scripts/_node_bundle.sh
  source "$HERE/_node_bundle.sh"
  bun_host="$REPO/tools/node_modules/.bin/bun"
  [ -x "$bun_host" ] || testbed_die "no Bun in tools/ to bundle the tests for node.exe (npm run setup)"
  cd "$REPO"
  node_bundle "$bun_host" .build/windows-node "" "${files[@]}" ||
    testbed_die "bundling the tests for node.exe failed"
fi

cleanup() {
  testbed_exec / wineserver -k >/dev/null 2>&1 || true
  testbed_umount
}

exec 9>"$WSIOCTL_TESTBED/run.lock"
if ! flock -n 9; then
  testbed_log "another Windows test run holds the bed; waiting"
  flock -w 1800 9 || testbed_die "timed out waiting for $WSIOCTL_TESTBED/run.lock"
fi
trap cleanup EXIT
trap "exit 130" INT TERM
testbed_mount
mkdir -p "$TESTBED_ROOTFS/src"
mount --bind "$REPO" "$TESTBED_ROOTFS/src"
# One wineserver for the whole run, kept alive (-p) until cleanup kills it. Without it each
# runtime's wine starts its own server, which lingers ~3 s after the runtime exits: a runtime
# started in that window connects to a server on its way out and dies at once with "wine client
# error:0: recvmsg: Connection reset by peer" (bun.exe did so once in CI, right after deno.exe).
# wineserver returns once its socket is listening.
testbed_exec / wineserver -p || testbed_die "could not start a persistent wineserver"

timeout_s=${WSIOCTL_WINDOWS_TIMEOUT:-900}
declare -A result=()
run() { # run NAME ARGS…: one runtime, under a timeout, its exit status recorded
  local name=$1 rc=0 started=$SECONDS
  shift
  echo
  local version=TESTBED_${name^^}_VERSION
  echo "=================== Windows (Wine) · $name.exe ${!version}: $name $* ==================="
  testbed_exec /src timeout -k 10 "$timeout_s" wine "$TESTBED_OPT/$name.exe" "$@" </dev/null || rc=$?
  if [ $rc -eq 124 ]; then echo "windows: $name.exe timed out after ${timeout_s}s" >&2; fi
  result[$name]=$rc
  echo "=================== $name.exe: exit $rc in $((SECONDS - started)) s ==================="
}

# run_node NAME FFI [NODE_FLAG…]: node.exe over the bundles, expecting its native calls to go
# through FFI (WSIOCTL_EXPECT_FFI, which tests/windows/native_loader_test.ts checks); its report
# goes to a file in the bed, shown when it ends.
run_node() {
  local name=$1 ffi=$2 rc=0 started=$SECONDS
  shift 2
  echo
  echo "=================== Windows (Wine) · node.exe $TESTBED_NODE_VERSION ($ffi): node --test $* ==================="
  if [ ${#NODE_BUNDLES[@]} -eq 0 ]; then
    echo "windows: no test file for node.exe (each uses a Deno or Bun API)"
    result[$name]=77
    return
  fi
  local report=/tmp/wsioctl-node-test.txt envs=("WSIOCTL_EXPECT_FFI=$ffi")
  # koffi, from the bed's /opt/wsioctl/node_modules (the repo's node_modules holds the host's).
  [ "$ffi" = koffi ] && envs+=("NODE_PATH=Z:${TESTBED_OPT//\//\\}\\node_modules")
  testbed_exec /src sh -c 'report=$1; shift; exec "$@" >"$report" 2>&1' sh "$report" \
    env "${envs[@]}" timeout -k 10 "$timeout_s" wine "$TESTBED_OPT/node.exe" "$@" \
    --test --test-isolation=none --test-reporter=spec "${NODE_BUNDLES[@]}" </dev/null || rc=$?
  cat "$TESTBED_ROOTFS$report" 2>/dev/null || true
  if [ $rc -eq 124 ]; then echo "windows: node.exe timed out after ${timeout_s}s" >&2; fi
  result[$name]=$rc
  echo "=================== node.exe ($ffi): exit $rc in $((SECONDS - started)) s ==================="
}

for r in $runtimes; do
  case $r in
    # --no-config: the root deno.json's test.exclude drops tests/windows/ even when the files are
    # named; without a config Deno still finds @types/node in the repo's node_modules (through
    # package.json). --cached-only/--no-remote: never fetch anything. --unstable-net: the tests of
    # handleOf take a Deno.listenDatagram socket.
    deno) run deno test -A --unstable-net --v8-flags=--expose-gc --no-config --no-lock --no-remote --cached-only "${files[@]}" ;;
    # bun test takes bare words as name filters: ./ makes them paths. --timeout: Bun's default of
    # 5 s per test is too short under Wine on a loaded 2-core machine (the 2 GiB view test of
    # native_reliability_test.ts took 5.8 s once); Deno has no per-test default.
    bun) run bun test --timeout 60000 "${files[@]/#/./}" ;;
    # Node 26 turns node:ffi on by default; --no-experimental-ffi leaves koffi as its FFI.
    node) run_node node node:ffi --expose-gc --disable-warning=ExperimentalWarning ;;
    node-koffi) run_node node-koffi koffi --expose-gc --no-experimental-ffi ;;
    *) testbed_die "unknown runtime '$r' in WSIOCTL_WINDOWS_RUNTIMES" ;;
  esac
done

status=0 summary=""
for r in $runtimes; do
  case $r in
    node) exe="node.exe (node:ffi)" ;;
    node-koffi) exe="node.exe (koffi)" ;;
    *) exe=$r.exe ;;
  esac
  if [ "${result[$r]}" -eq 0 ]; then
    summary+=" $exe ok"
  elif [ "${result[$r]}" -eq 77 ]; then
    summary+=" $exe skipped"
  else
    summary+=" $exe FAILED (exit ${result[$r]})"
    status=1
  fi
done
echo
echo "windows:$summary (${#files[@]} file(s), Wine $(chroot "$TESTBED_ROOTFS" dpkg-query -W -f '${Version}' wine64))"
exit $status
