/**
 * Internal: the open descriptors of this process, for `handleOf`'s search by address
 * (`NativeApi.socketCandidates` on POSIX). Looking at a descriptor is harmless here: the search
 * then asks each one `getsockopt(SO_TYPE)`, `getsockname` and `getpeername`, which answer (or fail
 * with ENOTSOCK) at once on any kind of descriptor and change nothing.
 *
 * - Linux: the entries of `/proc/self/fd`, read with `getdents64` into a buffer this module owns
 *   (every open descriptor, however high).
 * - Elsewhere (macOS, the BSDs), and on a Linux whose libc lacks `getdents64`: the descriptors
 *   below the descriptor table's size (`getdtablesize()`, at most {@link MAX_PROBED_FDS}) that
 *   `poll()` does not answer POLLNVAL, 1024 per call. Descriptors above that bound are not seen.
 *
 * @module
 */

import type { Bound, Loader } from "./_types.ts";
import { type LIBC, LIBC_FD_LIMIT, LIBC_LINUX_FDS, POLLNVAL } from "./libc.ts";

/** The most descriptors probed where they cannot be listed: 0 .. 65535. */
export const MAX_PROBED_FDS = 65536;
/** Descriptors per poll() call. */
const POLL_BATCH = 1024;
/** Bytes read from /proc/self/fd per getdents64 call. */
const DIRENT_BYTES = 16384;

/**
 * A function listing the open descriptors of this process, ascending.
 *
 * @param loader The runtime loader (its libc).
 * @param names Where libc lives.
 * @param libc The bound libc (for `poll`).
 * @returns The lister: `/proc/self/fd` on Linux when it can be read, else the poll() probe.
 */
export function openDescriptors(
  loader: Loader,
  names: readonly string[],
  libc: Bound<typeof LIBC>,
): () => bigint[] {
  const probe = probeDescriptors(loader, names, libc);
  if (loader.os !== "linux") return probe;
  let dir: Bound<typeof LIBC_LINUX_FDS> | undefined;
  return () => {
    if (dir === undefined) {
      try {
        dir = loader.open(names, LIBC_LINUX_FDS);
      } catch {
        return probe(); // a libc without getdents64
      }
    }
    return listProcFds(dir) ?? probe();
  };
}

const PROC_SELF_FD = new TextEncoder().encode("/proc/self/fd\0");

/**
 * The entries of /proc/self/fd (the descriptor that reads them left out), or undefined when the
 * directory cannot be read (no /proc mounted).
 *
 * @param dir The bound opendir/dirfd/getdents64/closedir.
 * @returns The descriptors, ascending, or undefined.
 */
export function listProcFds(dir: Bound<typeof LIBC_LINUX_FDS>): bigint[] | undefined {
  const buf = new Uint8Array(new ArrayBuffer(DIRENT_BYTES));
  const fds: number[] = [];
  const read = readDirectory(dir, PROC_SELF_FD, buf, (at, self) => {
    const fd = decimalName(buf, at);
    if (fd >= 0 && fd !== self) fds.push(fd);
  });
  return read ? fds.sort((a, b) => a - b).map(BigInt) : undefined;
}

/**
 * Reads a directory with `getdents64` into `buf`, calling `each` with the offset in `buf` of
 * every entry's NUL-terminated name ("." and ".." included), valid until `each` returns.
 *
 * @param dir The bound opendir/dirfd/getdents64/closedir.
 * @param path The directory's path, NUL-terminated.
 * @param buf Receives the `struct linux_dirent64` records, a batch at a time.
 * @param each Called per entry with its name's offset and the descriptor reading the directory.
 * @returns false when the directory cannot be opened or read.
 */
export function readDirectory(
  dir: Bound<typeof LIBC_LINUX_FDS>,
  path: Uint8Array,
  buf: Uint8Array,
  each: (nameAt: number, self: number) => void,
): boolean {
  const d = BigInt(dir.opendir(path));
  if (d === 0n) return false;
  try {
    const self = dir.dirfd(d);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (;;) {
      const n = Number(dir.getdents64(self, buf, BigInt(buf.length)));
      if (n < 0) return false;
      if (n === 0) return true;
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      for (let at = 0; at < n;) {
        const reclen = view.getUint16(at + 16, true);
        each(at + 19, self);
        if (reclen === 0) break;
        at += reclen;
      }
    }
  } finally {
    dir.closedir(d);
  }
}

/** A NUL-terminated decimal name at `at` ("." and ".." and anything else: -1). */
function decimalName(buf: Uint8Array, at: number): number {
  let v = 0;
  let digits = 0;
  for (let i = at; i < buf.length && buf[i] !== 0; i++, digits++) {
    const c = buf[i] - 0x30;
    if (c < 0 || c > 9 || digits > 9) return -1;
    v = v * 10 + c;
  }
  return digits === 0 ? -1 : v;
}

/**
 * The poll() probe: every descriptor below `getdtablesize()` (at most {@link MAX_PROBED_FDS})
 * that poll() with no events asked does not answer POLLNVAL.
 *
 * @param loader The runtime loader.
 * @param names Where libc lives.
 * @param libc The bound libc (for `poll`).
 * @returns The lister.
 */
export function probeDescriptors(
  loader: Loader,
  names: readonly string[],
  libc: Bound<typeof LIBC>,
): () => bigint[] {
  // struct pollfd { int fd; short events; short revents; }: 8 bytes, native byte order.
  const buf = new ArrayBuffer(POLL_BATCH * 8);
  const bytes = new Uint8Array(buf);
  const ints = new Int32Array(buf);
  const shorts = new Int16Array(buf);
  let limit: number | undefined;
  return () => {
    if (limit === undefined) {
      let size = MAX_PROBED_FDS;
      try {
        size = loader.open(names, LIBC_FD_LIMIT).getdtablesize();
      } catch {
        // no getdtablesize: the bound alone
      }
      limit = size > 0 && size < MAX_PROBED_FDS ? size : MAX_PROBED_FDS;
    }
    const fds: bigint[] = [];
    for (let first = 0; first < limit; first += POLL_BATCH) {
      const count = Math.min(POLL_BATCH, limit - first);
      bytes.fill(0);
      for (let i = 0; i < count; i++) ints[i * 2] = first + i;
      if (libc.poll(bytes, BigInt(count), 0) < 0) continue; // EINVAL above the process's limit
      for (let i = 0; i < count; i++) {
        if ((shorts[i * 4 + 3] & POLLNVAL) === 0) fds.push(BigInt(first + i));
      }
    }
    return fds;
  };
}
