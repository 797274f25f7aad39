/**
 * Internal: `WSAIoctl` on POSIX. The codes with a POSIX counterpart are translated to the
 * platform's own requests and socket options (numbers from `libc.ts`, used only where they are
 * verified), with Winsock's semantics:
 *
 * - FIONREAD: the bytes waiting (Linux refuses it on a listening socket, where Winsock answers 0);
 * - FIONBIO: nonblocking mode on or off;
 * - SIOCATMARK: TRUE when no urgent (OOB) byte waits to be read, the Windows meaning, which POSIX's
 *   own SIOCATMARK ("the read pointer is at the mark") does not give alone;
 * - SIO_KEEPALIVE_VALS: SO_KEEPALIVE and the idle time and interval (TCP_KEEPIDLE and
 *   TCP_KEEPINTVL, macOS: TCP_KEEPALIVE), milliseconds rounded up to whole seconds;
 * - SIO_UDP_CONNRESET, SIO_UDP_NETRESET: FALSE only, which is what POSIX does anyway;
 * - SIO_GET_INTERFACE_LIST, SIO_GET_INTERFACE_LIST_EX, SIO_ADDRESS_LIST_QUERY,
 *   SIO_ROUTING_INTERFACE_QUERY: answered from `getifaddrs` and a connected UDP socket, in the
 *   Windows layout (`_posix_ifaddrs.ts`).
 *
 * Winsock refuses a handle that is not a socket (WSAENOTSOCK) before doing anything; POSIX ioctl
 * and setsockopt act on (or answer for) any descriptor, so each code checks first. Any other
 * control code, or a code on a system whose numbers for it are not verified, throws
 * `UnsupportedError` before any native call.
 *
 * @module
 */

import {
  FIONBIO,
  FIONREAD,
  ioctlLabel,
  SIO_ADDRESS_LIST_QUERY,
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
  SIO_GET_TX_TIMESTAMP,
  SIO_KEEPALIVE_VALS,
  SIO_ROUTING_INTERFACE_QUERY,
  SIO_TIMESTAMPING,
  SIO_UDP_CONNRESET,
  SIO_UDP_NETRESET,
  SIOCATMARK,
} from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import type { ErrnoTable } from "./_errno.ts";
import { readU32, writeU32 } from "./_le.ts";
import { type IfaddrsContext, posixInterfaceQueries } from "./_posix_ifaddrs.ts";
import type { PosixTimestamps } from "./_posix_timestamps.ts";
import { LINUX_SO_ACCEPTCONN, POLLPRI, posixIoctlNumbers } from "./libc.ts";
import { MSG_OOB, MSG_PEEK, type NativeApi } from "./native.ts";
import { WSAEFAULT, WSAEINVAL, WSAENOPROTOOPT } from "../_wsa.ts";

/**
 * What the translation needs from the POSIX native layer that owns it (the interface queries'
 * needs, {@link IfaddrsContext}, and more).
 */
export interface PosixIoctlContext extends IfaddrsContext {
  /** The operating system. */
  readonly os: string;
  /** The system's errno numbers. */
  readonly errnos: ErrnoTable;
  /** The descriptors the layer opened itself (sockets for sure: no check needed). */
  readonly own: OwnSockets;
  /** The descriptor of a handle, or -1 when it is outside a C `int`. */
  fd(s: bigint): number;
  /** Records WSAENOTSOCK; returns -1. */
  notSocket(): -1;
  /** SIO_TIMESTAMPING and SIO_GET_TX_TIMESTAMP (`_posix_timestamps.ts`). */
  timestamps: PosixTimestamps["ioctl"];
  /** SIO_GET_TX_TIMESTAMP alone: the poll (`_posix_timestamps.ts`). */
  txPoll: PosixTimestamps["poll"];
}

/**
 * The descriptors the POSIX native layer opened itself with socket()/accept() and has not closed:
 * sockets for sure, so the socket check is skipped for them. The last handle found among them is
 * kept with its descriptor, so that a FIONREAD polling loop on it converts and looks up nothing.
 */
export class OwnSockets {
  readonly #fds = new Set<number>();
  /** The last handle found among them (-1n: none), and its descriptor. */
  lastHandle = -1n;
  /** The descriptor of {@link OwnSockets.lastHandle}. */
  lastFd = -1;

  /**
   * Records a socket the layer just opened.
   *
   * @param f Its descriptor.
   */
  add(f: number): void {
    this.#fds.add(f);
  }

  /**
   * Forgets a descriptor being closed (its number may soon name something else).
   *
   * @param f The descriptor.
   */
  delete(f: number): void {
    this.#fds.delete(f);
    if (f === this.lastFd) {
      this.lastHandle = -1n;
      this.lastFd = -1;
    }
  }

  /**
   * Whether the layer opened `f` (and remembers `s` as its handle when it did).
   *
   * @param s The handle asked about.
   * @param f Its descriptor.
   * @returns `true` for one of the layer's own sockets.
   */
  has(s: bigint, f: number): boolean {
    if (!this.#fds.has(f)) return false;
    this.lastHandle = s;
    this.lastFd = f;
    return true;
  }
}

/** The byte order of this machine: FIONREAD's `int` lands in Winsock's (little-endian) layout. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Builds the POSIX `wsaIoctl` of one native layer.
 *
 * @param c The layer's libc, constants and error recorders.
 * @returns The method, as {@link NativeApi.wsaIoctl} describes it.
 */
export function posixIoctl(c: PosixIoctlContext): NativeApi["wsaIoctl"] {
  const { os, k, libc, own } = c;
  const requests = posixIoctlNumbers(os, c.arch);
  const fionread = requests?.fionread ?? 0n;
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
  const keepIdle = k.options.keepAliveIdle;
  const keepInterval = k.options.keepAliveInterval;
  const [solSocket, soKeepAlive] = k.options.keepAlive;
  const interfaces = posixInterfaceQueries(c);
  const timestamps = c.timestamps;
  const txPoll = c.txPoll;

  // getsockopt(SO_TYPE) is the cheapest question that only a socket answers: one syscall,
  // ENOTSOCK (or EBADF) for anything else, no per-OS struct layout (fstat's st_mode moves between
  // OSes and CPUs). The descriptors the layer opened itself skip it (the FIONREAD polling path).
  function isSocket(s: bigint, f: number): boolean {
    if (own.has(s, f)) return true;
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

  /** setsockopt of one C `int`: true when it took. */
  function setInt(f: number, level: number, name: number, value: number): boolean {
    optView.setInt32(0, value, true);
    return libc.setsockopt(f, level, name, optBuf, 4) === 0;
  }

  // FIONREAD failed: Linux refuses it on a listening socket (tcp(7)), where Winsock answers 0.
  function bytesWaitingFailed(f: number, output: Uint8Array): number {
    const e = c.errno();
    if (e !== 22 || os !== "linux" || !isListening(f)) return c.recordErrno(e);
    writeU32(output, 0, 0);
    return 4;
  }

  // SIO_KEEPALIVE_VALS: struct tcp_keepalive { ULONG onoff; ULONG keepalivetime;
  // ULONG keepaliveinterval; }, both times in milliseconds. Windows takes them as they are; POSIX
  // takes whole seconds, so each is rounded up and 0 becomes 1 (the smallest the systems accept),
  // which keeps "probe after at least this long" true. The largest ULONG gives 4294968 s, always a
  // C int; a system whose own cap is lower refuses (Linux: 32767 s, EINVAL → WSAEINVAL). The
  // times go first, so a refused one leaves keep-alive on or off as it was. With onoff 0 the
  // times are ignored, as Windows does.
  function keepAliveVals(
    s: bigint,
    f: number,
    input: Uint8Array | null,
    inLength: number,
  ): number {
    if (!isSocket(s, f)) return -1;
    if (input === null || inLength < 12) return c.recordWsa(WSAEFAULT);
    if (readU32(input, 0) !== 0) {
      if (
        !setInt(f, keepIdle[0], keepIdle[1], seconds(readU32(input, 4))) ||
        !setInt(f, keepInterval[0], keepInterval[1], seconds(readU32(input, 8)))
      ) {
        // A socket without TCP options (datagram, raw) answers ENOPROTOOPT; Winsock's answer for
        // a command that does not apply to the socket's type is WSAEINVAL (Wine's too).
        const e = c.errno();
        return c.errnos.wsa[e] === WSAENOPROTOOPT ? c.recordWsa(WSAEINVAL) : c.recordErrno(e);
      }
      if (!setInt(f, solSocket, soKeepAlive, 1)) return c.recordErrno(c.errno());
    } else if (!setInt(f, solSocket, soKeepAlive, 0)) {
      return c.recordErrno(c.errno());
    }
    return 0;
  }

  // SIO_UDP_CONNRESET / SIO_UDP_NETRESET: whether an ICMP port (net) unreachable answering a
  // datagram fails the socket's next receive (WSAECONNRESET / WSAENETRESET). POSIX never reports
  // ICMP errors on an unconnected UDP socket, so FALSE ("do not report") is already what happens
  // and there is nothing to do; TRUE cannot be had (UnsupportedError, thrown by the caller
  // before any native call). A connected UDP socket reports them on POSIX whatever is set (as
  // ECONNREFUSED: WSAECONNREFUSED). On another kind of socket FALSE succeeds too, as Wine
  // answers (Microsoft documents no refusal).
  function udpResetOff(s: bigint, f: number, input: Uint8Array | null, inLength: number): number {
    if (!isSocket(s, f)) return -1;
    if (input === null || inLength < 4) return c.recordWsa(WSAEFAULT);
    return 0;
  }

  function nonBlocking(s: bigint, f: number, input: Uint8Array | null, inLength: number): number {
    if (!isSocket(s, f)) return -1;
    if (input === null || inLength < 4) return c.recordWsa(WSAEFAULT);
    intArg[0] = readU32(input, 0) !== 0 ? 1 : 0;
    if (c.ioctl(f, requests!.fionbio, intArg) === -1) return c.recordErrno(c.errno());
    return 0;
  }

  // SIOCATMARK. Winsock answers TRUE when no urgent (OOB) byte is waiting to be read; POSIX
  // answers "the read pointer is at the mark". SO_OOBINLINE decides how to get Winsock's answer,
  // and reading it is also the socket check (ENOTSOCK otherwise).
  function atMark(f: number, output: Uint8Array | null, outLength: number): number {
    optLength[0] = 4;
    const [level, name] = k.options.oobInline;
    if (libc.getsockopt(f, level, name, optBuf, optLength) !== 0) {
      return c.recordErrno(c.errno());
    }
    const inline = optView.getInt32(0, true) !== 0;
    if (output === null || outLength < 4) return c.recordWsa(WSAEFAULT);
    // The native call refuses what Winsock refuses (a datagram socket: WSAEINVAL); its answer
    // alone cannot tell "no urgent byte" from "urgent byte further ahead".
    if (c.ioctl(f, requests!.siocatmark, intArg) === -1) return c.recordErrno(c.errno());
    let waiting: boolean;
    if (inline) {
      // The urgent byte stays in the stream, so recv(MSG_OOB) answers EINVAL whatever waits,
      // and a peek of normal data stops short of the mark only after copying everything before
      // it. poll() reports POLLPRI exactly while an urgent byte is unread: announced and ahead,
      // or next in line at the mark.
      pollFd[0] = f;
      pollEvents[0] = POLLPRI;
      pollEvents[1] = 0;
      const n = libc.poll(pollBuf, 1n, 0);
      if (n === -1) return c.recordErrno(c.errno());
      waiting = (pollEvents[1] & POLLPRI) !== 0;
    } else {
      // Peeking (without blocking) for the OOB byte: a byte (or EAGAIN: announced, not yet
      // arrived) means one is waiting; EINVAL means none (or already read).
      const p = Number(libc.recv(f, peekByte, 1n, MSG_OOB | MSG_PEEK | k.dontWait));
      waiting = p >= 0 || c.errno() === c.errnos.EAGAIN;
    }
    writeU32(output, 0, waiting ? 0 : 1);
    return 4;
  }

  // FIONREAD is asked first: it is the one code polled in a loop.
  return (s, code, input, inLength, output, outLength) => {
    if (code === FIONREAD && requests !== undefined) {
      // The polling path, written out in one function (each call level costs on it): the last
      // own socket asked about needs neither conversion nor check. (-1n is the "none" mark, and
      // also a handle a caller may pass: never taken for a socket.)
      let f: number;
      if (s === own.lastHandle && own.lastFd >= 0) {
        f = own.lastFd;
      } else {
        f = c.fd(s);
        if (f < 0) return c.notSocket();
        if (!isSocket(s, f)) return -1;
      }
      if (output === null || outLength < 4) return c.recordWsa(WSAEFAULT);
      // On a little-endian CPU the kernel writes its `int` straight into the caller's first four
      // bytes, which is Winsock's u_long layout (and writes nothing when it fails).
      if (c.ioctl(f, fionread, LITTLE_ENDIAN ? output : intArg) === -1) {
        return bytesWaitingFailed(f, output);
      }
      if (!LITTLE_ENDIAN) writeU32(output, 0, intArg[0]);
      return 4;
    }
    // The TX timestamp poll, second: the other polling path (`_posix_timestamps.ts`).
    if (code === SIO_GET_TX_TIMESTAMP) return txPoll(s, input, inLength, output, outLength);
    switch (code) {
      case FIONREAD:
      case FIONBIO:
      case SIOCATMARK: {
        if (requests === undefined) {
          // Request numbers not verified for this CPU: refuse rather than send a guess.
          throw new UnsupportedError(ioctlLabel(code), `${os} on ${c.arch}`, code);
        }
        const f = c.fd(s);
        if (f < 0) return c.notSocket();
        return code === FIONBIO ? nonBlocking(s, f, input, inLength) : atMark(f, output, outLength);
      }
      case SIO_KEEPALIVE_VALS: {
        if (keepIdle[2] === "none" || keepInterval[2] === "none") break;
        const f = c.fd(s);
        return f < 0 ? c.notSocket() : keepAliveVals(s, f, input, inLength);
      }
      case SIO_UDP_CONNRESET:
      case SIO_UDP_NETRESET: {
        // TRUE is refused whatever the handle: no system here can do it.
        if (input !== null && inLength >= 4 && readU32(input, 0) !== 0) break;
        const f = c.fd(s);
        return f < 0 ? c.notSocket() : udpResetOff(s, f, input, inLength);
      }
      case SIO_TIMESTAMPING:
        return timestamps(s, code, input, inLength, output, outLength);
      case SIO_GET_INTERFACE_LIST:
      case SIO_GET_INTERFACE_LIST_EX:
      case SIO_ADDRESS_LIST_QUERY:
      case SIO_ROUTING_INTERFACE_QUERY: {
        if (interfaces === undefined) {
          // struct ifaddrs not verified for this CPU: refuse rather than read a guess.
          throw new UnsupportedError(ioctlLabel(code), `${os} on ${c.arch}`, code);
        }
        const f = c.fd(s);
        return f < 0 ? c.notSocket() : interfaces(f, code, input, inLength, output, outLength);
      }
    }
    throw new UnsupportedError(ioctlLabel(code), os, code);
  };
}

/** Milliseconds (a ULONG) as the whole seconds the POSIX keep-alive options take: 1..4294968. */
function seconds(ms: number): number {
  return ms === 0 ? 1 : Math.ceil(ms / 1000);
}
