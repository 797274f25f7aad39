#!/usr/bin/env bash
# The main job: the wsioctl CLI on this machine. Decodes a code, lists the seed codes, then probes
# the real sockets of this machine with every code that applies here.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT"
cli() { "$DENO" run --quiet --allow-ffi --allow-read --allow-env --allow-sys cli.ts "$@"; }

echo "\$ wsioctl decode 0x98000004"
cli decode 0x98000004
echo
echo "\$ wsioctl list --seed"
cli list --seed
echo
echo "\$ wsioctl probe"
cli probe
