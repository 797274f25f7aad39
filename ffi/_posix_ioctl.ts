/**
 * Internal: `WSAIoctl` on POSIX. Only the three Unix-compatible codes have a meaning there, and
 * each is translated to the platform's own request (numbers from `libc.ts`, used only where they
 * are verified) with Winsock's semantics:
 *
 * - FIONREAD: the bytes waiting (Linux refuses it on a listening socket, where Winsock answers 0);
 * - FIONBIO: nonblocking mode on or off;
 * - SIOCATMARK: TRUE when no urgent (OOB) byte waits to be read, the Windows meaning, which POSIX's
 *   own SIOCATMARK ("the read pointer is at the mark") does not give alone.
 *
 * Winsock refuses a handle that is not a socket (WSAENOTSOCK) before doing anything; POSIX ioctl
 * acts on any descriptor, so each code checks first. Any other control code, or these three on a
 * CPU whose numbers are not verified, throws `UnsupportedError` before any native call.
 *
 * @module
 */

import { FIONBIO, FIONREAD, ioctlLabel, SIOCATMARK } from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import type { ErrnoTable } from "./_errno.ts";
import type { Bound } from "./_types.ts";
import {
  type LIBC,
  LINUX_SO_ACCEPTCONN,
  POLLPRI,
  type PosixConstants,
  posixIoctlNumbers,
} from "./libc.ts";
import { MSG_OOB, MSG_PEEK, type NativeApi } from "./native.ts";

const WSAEFAULT = 10014;

/** What the translation needs from the POSIX native layer that owns it. */
export interface PosixIoctlContext {
  /** The operating system. */
  readonly os: string;
  /** The CPU, as Deno names it. */
  readonly arch: string;
  /** The system's constants. */
  readonly k: PosixConstants;
  /** The system's errno numbers. */
  readonly errnos: ErrnoTable;
  /** The bound libc. */
  readonly libc: Bound<typeof LIBC>;
  /** `ioctl(fd, request, int*)`, with the argument where the ABI wants it. */
  readonly ioctl: (fd: number, request: bigint, arg: Int32Array) => number;
  /** The descriptors the layer opened itself (sockets for sure: no check needed). */
  readonly opened: ReadonlySet<number>;
  /** errno as the last native call left it. */
  errno(): number;
  /** The descriptor of a handle, or -1 when it is outside a C `int`. */
  fd(s: bigint): number;
  /** Records the WSA code of an errno; returns -1. */
  recordErrno(errno: number): -1;
  /** Records a WSA code; returns -1. */
  recordWsa(wsa: number): -1;
  /** Records WSAENOTSOCK; returns -1. */
  notSocket(): -1;
}

/**
 * Builds the POSIX `wsaIoctl` of one native layer.
 *
 * @param c The layer's libc, constants and error recorders.
 * @returns The method, as {@link NativeApi.wsaIoctl} describes it.
 */
export function posixIoctl(c: PosixIoctlContext): NativeApi["wsaIoctl"] {
  const { os, k, libc } = c;
  const requests = posixIoctlNumbers(os, c.arch);
  // Scratch space (one thread: reused).
  const intArg = new Int32Array(1);
  const optBuf = new Uint8Array(16);
  const optView = new DataView(optBuf.buffer);
  const optLength = new Uint32Array(1);
  const peekByte = new Uint8Array(1);
  // struct pollfd { int fd; short events; short revents; }, in native byte order.
  const pollBuf = new Uint8Array(new ArrayBuffer(8));
  const pollFd = new Int32Array(pollBuf.buffer, 0, 1);
  const pollEvents = new Int16Array(pollBuf.buffer, 4, 2); // [events, revents]

  // getsockopt(SO_TYPE) is the cheapest question that only a socket answers: one syscall,
  // ENOTSOCK (or EBADF) for anything else, no per-OS struct layout (fstat's st_mode moves between
  // OSes and CPUs). The descriptors the layer opened itself skip it (the FIONREAD polling path).
  function isSocket(f: number): boolean {
    if (c.opened.has(f)) return true;
    optLength[0] = 4;
    const [level, name] = k.options.type;
    if (libc.getsockopt(f, level, name, optBuf, optLength) === 0) return true;
    c.recordErrno(c.errno());
    return false;
  }

  function isListening(f: number): boolean {
    optLength[0] = 4;
    const [level, name] = LINUX_SO_ACCEPTCONN;
    const r = libc.getsockopt(f, level, name, optBuf, optLength);
    return r === 0 && optView.getInt32(0, true) !== 0;
  }

  return (s, code, input, inLength, output, outLength) => {
    if (code !== FIONREAD && code !== FIONBIO && code !== SIOCATMARK) {
      throw new UnsupportedError(ioctlLabel(code), os, code);
    }
    if (requests === undefined) {
      // Request numbers not verified for this CPU: refuse rather than send a guess.
      throw new UnsupportedError(ioctlLabel(code), `${os} on ${c.arch}`, code);
    }
    const f = c.fd(s);
    if (f < 0) return c.notSocket();
    switch (code) {
      case FIONREAD: {
        if (!isSocket(f)) return -1;
        if (output === null || outLength < 4) return c.recordWsa(WSAEFAULT);
        const r = c.ioctl(f, requests.fionread, intArg);
        if (r === -1) {
          const e = c.errno();
          // Linux refuses FIONREAD on a listening socket (tcp(7)); Winsock answers 0.
          if (e === 22 && os === "linux" && isListening(f)) intArg[0] = 0;
          else return c.recordErrno(e);
        }
        writeU32(output, intArg[0]);
        return 4;
      }
      case FIONBIO: {
        if (!isSocket(f)) return -1;
        if (input === null || inLength < 4) return c.recordWsa(WSAEFAULT);
        intArg[0] = (input[0] | input[1] | input[2] | input[3]) !== 0 ? 1 : 0;
        const r = c.ioctl(f, requests.fionbio, intArg);
        if (r === -1) return c.recordErrno(c.errno());
        return 0;
      }
      default: {
        // SIOCATMARK. Winsock answers TRUE when no urgent (OOB) byte is waiting to be read;
        // POSIX answers "the read pointer is at the mark". SO_OOBINLINE decides how to get
        // Winsock's answer, and reading it is also the socket check (ENOTSOCK otherwise).
        optLength[0] = 4;
        const [level, name] = k.options.oobInline;
        if (libc.getsockopt(f, level, name, optBuf, optLength) !== 0) {
          return c.recordErrno(c.errno());
        }
        const inline = optView.getInt32(0, true) !== 0;
        if (output === null || outLength < 4) return c.recordWsa(WSAEFAULT);
        // The native call refuses what Winsock refuses (a datagram socket: WSAEINVAL); its
        // answer alone cannot tell "no urgent byte" from "urgent byte further ahead".
        const r = c.ioctl(f, requests.siocatmark, intArg);
        if (r === -1) return c.recordErrno(c.errno());
        let waiting: boolean;
        if (inline) {
          // The urgent byte stays in the stream, so recv(MSG_OOB) answers EINVAL whatever
          // waits, and a peek of normal data stops short of the mark only after copying
          // everything before it. poll() reports POLLPRI exactly while an urgent byte is
          // unread: announced and ahead, or next in line at the mark.
          pollFd[0] = f;
          pollEvents[0] = POLLPRI;
          pollEvents[1] = 0;
          const n = libc.poll(pollBuf, 1n, 0);
          if (n === -1) return c.recordErrno(c.errno());
          waiting = (pollEvents[1] & POLLPRI) !== 0;
        } else {
          // Peeking (without blocking) for the OOB byte: a byte (or EAGAIN: announced, not
          // yet arrived) means one is waiting; EINVAL means none (or already read).
          const p = Number(libc.recv(f, peekByte, 1n, MSG_OOB | MSG_PEEK | k.dontWait));
          waiting = p >= 0 || c.errno() === c.errnos.EAGAIN;
        }
        writeU32(output, waiting ? 0 : 1);
        return 4;
      }
    }
  };
}

function writeU32(out: Uint8Array, v: number): void {
  out[0] = v & 0xff;
  out[1] = (v >>> 8) & 0xff;
  out[2] = (v >>> 16) & 0xff;
  out[3] = (v >>> 24) & 0xff;
}
