/**
 * Internal, pure: errno → Windows Sockets error code, per POSIX system, with the few answers
 * that depend on the call and the socket's state (what Winsock reports there differs from what
 * the errno says on its own).
 *
 * - An errno with a Winsock counterpart becomes that WSA code.
 * - Any other errno `n` becomes `UNMAPPED_ERRNO_BASE + n` (errors.ts): it keeps its identity
 *   instead of borrowing the name of the WSA code that happens to equal `10000 + n` (Linux's
 *   EDEADLK 35 is not WSAEWOULDBLOCK, ENODATA 61 not WSAECONNREFUSED, EPROTO 71 not WSAEREMOTE).
 * - `connect` on a nonblocking socket that is under way (EINPROGRESS): Winsock answers
 *   WSAEWOULDBLOCK (connect, winsock2.h: "With a nonblocking socket, … WSAGetLastError will
 *   return WSAEWOULDBLOCK"); Wine maps EINPROGRESS the same way (server/sock.c
 *   `sock_get_error`). On a blocking socket Linux answers EINPROGRESS only when SO_SNDTIMEO ran
 *   out before the handshake finished: WSAETIMEDOUT.
 * - EAGAIN from `recv`/`recvfrom`/`send`/`sendto`/`accept` on a blocking socket means that
 *   SO_RCVTIMEO or SO_SNDTIMEO ran out; Winsock fails such a call with WSAETIMEDOUT (Windows
 *   Sockets 2 overview, "SO_RCVTIMEO and SO_SNDTIMEO"). On a nonblocking socket: WSAEWOULDBLOCK.
 * - EPIPE from `send`/`sendto`: Winsock answers WSAENOTCONN for a socket that is not connected
 *   and WSAESHUTDOWN after `shutdown(SD_SEND)` (send, winsock2.h). Linux gives EPIPE for both,
 *   so the peer is asked: no peer (getpeername: ENOTCONN) → WSAENOTCONN, else WSAESHUTDOWN.
 *   After a reset Linux reports ECONNRESET once (WSAECONNRESET) and then answers like a socket
 *   that is not connected (WSAENOTCONN), where Windows keeps answering WSAECONNRESET.
 *
 * Numbers: Linux asm-generic errno-base.h / errno.h (x86-64, arm64, riscv64), FreeBSD
 * sys/sys/errno.h, XNU bsd/sys/errno.h.
 *
 * @module
 */

import { UNMAPPED_ERRNO_BASE } from "../errors.ts";
import {
  WSAENOTCONN,
  WSAESHUTDOWN,
  WSAETIMEDOUT,
  WSAEWOULDBLOCK,
  WSASYSCALLFAILURE,
} from "../_wsa.ts";

/** One system's errno numbering and its translation to WSA codes. */
export interface ErrnoTable {
  /** `"linux"`, `"darwin"` or `"freebsd"` (the rest of the BSD family uses FreeBSD's). */
  readonly os: "linux" | "darwin" | "freebsd";
  /** errno → WSA code, for the errnos that have a Winsock meaning. */
  readonly wsa: Readonly<Record<number, number>>;
  /** EAGAIN (= EWOULDBLOCK). */
  readonly EAGAIN: number;
  /** EINPROGRESS. */
  readonly EINPROGRESS: number;
  /** EPIPE. */
  readonly EPIPE: number;
  /** ENOTCONN. */
  readonly ENOTCONN: number;
}

// The numbers Linux and the BSDs share (V7 Unix), with their Winsock meaning.
const COMMON: Record<number, number> = {
  1: 10013, // EPERM → WSAEACCES
  4: 10004, // EINTR → WSAEINTR
  9: 10038, // EBADF → WSAENOTSOCK (no socket behind the handle)
  12: 10055, // ENOMEM → WSAENOBUFS
  13: 10013, // EACCES → WSAEACCES
  14: 10014, // EFAULT → WSAEFAULT
  22: 10022, // EINVAL → WSAEINVAL
  23: 10024, // ENFILE → WSAEMFILE
  24: 10024, // EMFILE → WSAEMFILE
  25: 10022, // ENOTTY → WSAEINVAL (the request does not apply to this socket; as Wine maps it)
  32: 10058, // EPIPE → WSAESHUTDOWN (send and sendto ask the socket: see the module doc)
};

const LINUX_WSA: Record<number, number> = {
  ...COMMON,
  11: WSAEWOULDBLOCK, // EAGAIN / EWOULDBLOCK (the data calls ask the socket: see the module doc)
  19: 10049, // ENODEV → WSAEADDRNOTAVAIL: an IPv6 scope id naming no interface (as Wine maps it)
  36: 10063, // ENAMETOOLONG
  38: 10045, // ENOSYS → WSAEOPNOTSUPP
  39: 10066, // ENOTEMPTY
  40: 10062, // ELOOP
  66: 10071, // EREMOTE
  87: 10068, // EUSERS
  88: 10038, // ENOTSOCK
  89: 10039, // EDESTADDRREQ
  90: 10040, // EMSGSIZE
  91: 10041, // EPROTOTYPE
  92: 10042, // ENOPROTOOPT
  93: 10043, // EPROTONOSUPPORT
  94: 10044, // ESOCKTNOSUPPORT
  95: 10045, // EOPNOTSUPP / ENOTSUP
  96: 10046, // EPFNOSUPPORT
  97: 10047, // EAFNOSUPPORT
  98: 10048, // EADDRINUSE
  99: 10049, // EADDRNOTAVAIL
  100: 10050, // ENETDOWN
  101: 10051, // ENETUNREACH
  102: 10052, // ENETRESET
  103: 10053, // ECONNABORTED
  104: 10054, // ECONNRESET
  105: 10055, // ENOBUFS
  106: 10056, // EISCONN
  107: WSAENOTCONN, // ENOTCONN
  108: WSAESHUTDOWN, // ESHUTDOWN
  109: 10059, // ETOOMANYREFS
  110: WSAETIMEDOUT, // ETIMEDOUT
  111: 10061, // ECONNREFUSED
  112: 10064, // EHOSTDOWN
  113: 10065, // EHOSTUNREACH
  114: 10037, // EALREADY
  115: 10036, // EINPROGRESS (connect asks the socket: see the module doc)
  116: 10070, // ESTALE
  122: 10069, // EDQUOT
  125: 10103, // ECANCELED → WSAECANCELLED
};

// The BSD numbers 35..71 are the WSA codes minus 10000: Winsock copied them from 4.3BSD.
const BSD_WSA: Record<number, number> = { ...COMMON, 78: 10045 }; // ENOSYS → WSAEOPNOTSUPP
for (let e = 35; e <= 71; e++) BSD_WSA[e] = 10000 + e;

const LINUX: ErrnoTable = Object.freeze({
  os: "linux",
  wsa: Object.freeze(LINUX_WSA),
  EAGAIN: 11,
  EINPROGRESS: 115,
  EPIPE: 32,
  ENOTCONN: 107,
});

const DARWIN: ErrnoTable = Object.freeze({
  os: "darwin",
  wsa: Object.freeze({
    ...BSD_WSA,
    89: 10103, // ECANCELED → WSAECANCELLED
    102: 10045, // EOPNOTSUPP (a socket's; 45 is ENOTSUP) → WSAEOPNOTSUPP
  }),
  EAGAIN: 35,
  EINPROGRESS: 36,
  EPIPE: 32,
  ENOTCONN: 57,
});

const FREEBSD: ErrnoTable = Object.freeze({
  os: "freebsd",
  wsa: Object.freeze({ ...BSD_WSA, 85: 10103 }), // ECANCELED → WSAECANCELLED
  EAGAIN: 35,
  EINPROGRESS: 36,
  EPIPE: 32,
  ENOTCONN: 57,
});

/**
 * The errno table of a POSIX system.
 *
 * @param os `"linux"`, `"darwin"`; any other POSIX system gets FreeBSD's numbers.
 * @returns The table.
 */
export function errnoTable(os: string): ErrnoTable {
  return os === "linux" ? LINUX : os === "darwin" ? DARWIN : FREEBSD;
}

/** The calls whose errno answer depends on the socket's state. */
export type ErrnoCall = "connect" | "send" | "recv" | "accept";

/**
 * What the translation may ask about the socket, only on the failure paths that need it and
 * only after errno has been read.
 */
export interface SocketProbe {
  /** `true` when the socket is blocking (O_NONBLOCK clear); `false` when unknown. */
  blocking(): boolean;
  /** `true` only when the socket has no peer (getpeername fails with ENOTCONN). */
  notConnected(): boolean;
}

/**
 * Translates an errno to the WSA code Winsock gives in the same situation.
 *
 * @param errno The errno the call left (0 when the call failed without setting one).
 * @param table The system's table ({@link errnoTable}).
 * @param call The failing call, when its answer depends on the socket's state.
 * @param probe Asks the socket, for `call`.
 * @returns A WSA code, or `UNMAPPED_ERRNO_BASE + errno` for an errno without a Winsock meaning.
 */
export function wsaFromErrno(
  errno: number,
  table: ErrnoTable,
  call?: ErrnoCall,
  probe?: SocketProbe,
): number {
  if (errno === 0) return WSASYSCALLFAILURE;
  if (call !== undefined && probe !== undefined) {
    if (call === "connect") {
      if (errno === table.EINPROGRESS) return probe.blocking() ? WSAETIMEDOUT : WSAEWOULDBLOCK;
    } else if (errno === table.EAGAIN) {
      return probe.blocking() ? WSAETIMEDOUT : WSAEWOULDBLOCK;
    } else if (errno === table.EPIPE && call === "send") {
      return probe.notConnected() ? WSAENOTCONN : WSAESHUTDOWN;
    }
  }
  return Object.hasOwn(table.wsa, errno) ? table.wsa[errno] : UNMAPPED_ERRNO_BASE + errno;
}
