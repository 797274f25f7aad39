#!/usr/bin/env bash
# The whole test suite, in legs:
#   static   deno fmt --check, deno lint, deno check, generated code up to date (codes/generated.ts;
#            the README's typed-call table and the JSDoc platform lines), deno doc --lint,
#            every JSDoc @example type-checked and run, the GitHub workflow checked (schema,
#            actionlint, pinned actions: scripts/lint_workflows.ts), deno publish --dry-run (JSR)
#   deno     tests/*_test.ts under Deno (Linux), README.md's Deno example among them
#   bun      tests/*_test.ts under Bun (Linux), README.md's Bun example among them
#   node     the Node-relevant tests bundled for Node 20 (koffi adapter), scripts/test_node.sh
#   npm      the npm package (scripts/build_npm.ts --verify): built, installed into a scratch
#            project, its bin and README.md's Node example run under Node, its types compiled by
#            tsc with README.md's consumer tsconfig.json
#   windows  tests/windows/*_test.ts under deno.exe and bun.exe in Wine 10, scripts/test_windows.sh
# Installs what a fresh machine lacks from the npm registry (scripts/_env.sh). The Windows leg needs
# root (debootstrap, chroot); elsewhere it is skipped with a notice, except in CI where it must run.
# WSIOCTL_LEGS="deno bun" runs only the named legs, in the order given (README.md lists them).
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT"
set +e

legs=${WSIOCTL_LEGS:-"static deno bun node npm windows"}
passed=0
failed=0
failed_legs=()

run_leg() {
  local name=$1
  shift
  echo
  echo "==== leg: $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "==== leg: $name ok"
  else
    failed=$((failed + 1))
    failed_legs+=("$name")
    echo "==== leg: $name FAILED"
  fi
}

leg_static() {
  "$DENO" fmt --check &&
    "$DENO" lint &&
    "$DENO" check mod.ts cli.ts _probe.ts scripts/*.ts tests/*_test.ts tests/windows/*_test.ts \
      bench/*.ts &&
    "$DENO" run --allow-read scripts/gen_codes.ts --check &&
    "$DENO" run --allow-read scripts/gen_platforms.ts --check &&
    "$DENO" doc --lint mod.ts codes/mod.ts structs/mod.ts sio/mod.ts cli.ts &&
    doc_examples &&
    "$DENO" run --allow-read --allow-env scripts/lint_workflows.ts &&
    "$DENO" publish --dry-run --allow-dirty --quiet
}

# Type-checks and runs every @example of the library (ffi/bun.ts only loads under Bun).
doc_examples() {
  local files=()
  for f in ./*.ts codes/*.ts structs/*.ts sio/*.ts ffi/*.ts; do
    [ "$f" = ffi/bun.ts ] || files+=("$f")
  done
  "$DENO" test --doc --allow-all --quiet "${files[@]}"
}

# --unstable-net: the tests of handleOf take a Deno.listenDatagram socket.
leg_deno() { "$DENO" test --allow-all --unstable-net --v8-flags=--expose-gc tests/*_test.ts; }

leg_bun() {
  local files=()
  for f in tests/*_test.ts; do files+=("./$f"); done
  # --timeout: Bun's default of 5 s per test is short for the 2 GiB view tests on a loaded
  # machine; a slow test is not a failed one here (speed lives in bench/).
  "$BUN" test --timeout 60000 "${files[@]}"
}

leg_node() { bash scripts/test_node.sh; }

leg_npm() { "$DENO" run --allow-all scripts/build_npm.ts --verify; }

leg_windows() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    if [ -n "${CI:-}" ]; then
      echo "the Windows leg needs root and apt-get (debootstrap); CI must run it" >&2
      return 1
    fi
    echo "skipping the Windows leg: it needs root and apt-get to build the Wine test bed"
    return 0
  fi
  bash scripts/test_windows.sh
}

for leg in $legs; do
  case $leg in
    static | deno | bun | node | npm | windows) run_leg "$leg" "leg_$leg" ;;
    *)
      echo "unknown leg $leg" >&2
      failed=$((failed + 1))
      ;;
  esac
done

echo
[ ${#failed_legs[@]} -eq 0 ] || echo "failed legs: ${failed_legs[*]}"
echo "legs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
