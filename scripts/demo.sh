#!/usr/bin/env bash
# The main job: the wsioctl CLI on this machine. Decodes a code, lists the seed codes, then probes
# the real sockets of this machine with every code that applies here.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cli() { bash "$ROOT/scripts/wsioctl.sh" deno "$@"; }

echo "\$ wsioctl decode 0x98000004"
cli decode 0x98000004
echo
echo "\$ wsioctl list --seed"
cli list --seed
echo
echo "\$ wsioctl probe"
cli probe
