#!/usr/bin/env bash
# `npm run bench [-- --quick | --readme]`: the one benchmark table (bench/run.ts), under the pinned
# runtimes, which scripts/_env.sh installs on a fresh machine.
# shellcheck source=scripts/_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT" || exit 1
exec "$DENO" run --allow-all bench/run.ts "$@"
