/**
 * Internal: `WSAIoctl` on POSIX. The codes with a POSIX counterpart are translated to the
 * platform's own requests and socket options (numbers from `libc.ts`, used only where they are
 * verified), with Winsock's semantics:
 *
 * - FIONREAD: the bytes waiting (Linux refuses it on a listening socket, where Winsock answers 0);
 * - FIONBIO: nonblocking mode on or off;
 * - SIOCATMARK: TRUE when no urgent (OOB) byte waits to be read, the Windows meaning, which POSIX's
 *   own SIOCATMARK ("the read pointer is at the mark") does not give alone; with SO_OOBINLINE on,
 *   an urgent byte that arrived while it was on is ordinary data (TRUE), one that was waiting
 *   when it was turned on through this layer stays out of band until read (FALSE), as Windows;
 * - SIO_KEEPALIVE_VALS: SO_KEEPALIVE and the idle time and interval (TCP_KEEPIDLE and
 *   TCP_KEEPINTVL, macOS: TCP_KEEPALIVE), milliseconds rounded up to whole seconds; a refused
 *   call (a time past the system's cap) leaves the socket as it was;
 * - SIO_UDP_CONNRESET, SIO_UDP_NETRESET: FALSE only, which is what POSIX does anyway;
 * - SIO_GET_INTERFACE_LIST, SIO_GET_INTERFACE_LIST_EX, SIO_ADDRESS_LIST_QUERY,
 *   SIO_ROUTING_INTERFACE_QUERY: answered from `getifaddrs` and a connected UDP socket, in the
 *   Windows layout (`_posix_ifaddrs.ts`);
 * - the portable set (SIO_MULTICAST_SCOPE, SIO_MULTIPOINT_LOOPBACK, SIO_GET_BROADCAST_ADDRESS,
 *   SIO_BASE_HANDLE and the SIO_BSP_HANDLE codes, SIO_QUERY_RSS_PROCESSOR_INFO, SIO_CPU_AFFINITY):
 *   translated to the socket options with the same meaning (`_posix_portable.ts`);
 * - SIO_TCP_INFO: Linux TCP_INFO or macOS TCP_CONNECTION_INFO, written as TCP_INFO_v0/v1/v2
 *   (`_posix_tcpinfo.ts`).
 *
 * Winsock refuses a handle that is not a socket (WSAENOTSOCK) before doing anything; POSIX ioctl
 * and setsockopt act on (or answer for) any descriptor, so each code checks first. Any other
 * control code, or a code on a system whose numbers for it are not verified, throws
 * `UnsupportedError` before any native call, saying what the system offers instead where it
 * offers something (`unsupportedNote`).
 *
 * @module
 */

import {
  FIONBIO,
  FIONREAD,
  ioctlLabel,
  SIO_ADDRESS_LIST_QUERY,
  SIO_BASE_HANDLE,
  SIO_BSP_HANDLE,
  SIO_BSP_HANDLE_POLL,
  SIO_BSP_HANDLE_SELECT,
  SIO_CPU_AFFINITY,
  SIO_GET_BROADCAST_ADDRESS,
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
  SIO_GET_TX_TIMESTAMP,
  SIO_KEEPALIVE_VALS,
  SIO_MULTICAST_SCOPE,
  SIO_MULTIPOINT_LOOPBACK,
  SIO_QUERY_RSS_PROCESSOR_INFO,
  SIO_ROUTING_INTERFACE_QUERY,
  SIO_TCP_INFO,
  SIO_TIMESTAMPING,
  SIO_UDP_CONNRESET,
  SIO_UDP_NETRESET,
  SIOCATMARK,
} from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import type { ErrnoTable } from "./_errno.ts";
import { readU32, writeU32 } from "./_le.ts";
import { type IfaddrsContext, posixInterfaceQueries } from "./_posix_ifaddrs.ts";
import { type PortableContext, posixPortable, unsupportedNote } from "./_posix_portable.ts";
import { posixTcpInfo, type TcpInfoContext } from "./_posix_tcpinfo.ts";
import type { PosixTimestamps } from "./_posix_timestamps.ts";
import { keepAliveLimit, LINUX_SO_ACCEPTCONN, POLLPRI, posixIoctlNumbers } from "./libc.ts";
import { MSG_OOB, MSG_PEEK, type NativeApi } from "./native.ts";
import { WSAEFAULT, WSAEINVAL, WSAENOPROTOOPT, WSAEOPNOTSUPP } from "../_wsa.ts";

/**
 * What the translation needs from the POSIX native layer that owns it (the interface queries'
 * needs, {@link IfaddrsContext}, the portable set's, {@link PortableContext}, and more).
 */
export interface PosixIoctlContext
  extends IfaddrsContext, PortableContext, Pick<TcpInfoContext, "getsockoptAt"> {
  /** The operating system. */
  readonly os: string;
  /** The system's errno numbers. */
  readonly errnos: ErrnoTable;
  /**
   * ioctl taking the address of the layer's own scratch `int` (`LIBC_AT`), where the FFI
   * allocates per buffer argument (node:ffi) and the named pointer is right; undefined elsewhere.
   */
  readonly ioctlAt?: (fd: number, request: bigint, arg: bigint) => number;
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

  /**
   * Called by the layer's setOption just before it sets SO_OOBINLINE on any descriptor (its
   * own or not): SIOCATMARK's translation notes whether an urgent byte is already waiting
   * (`posixIoctl` installs it; until then it does nothing).
   *
   * @param f The descriptor.
   * @param on Whether SO_OOBINLINE is being turned on.
   */
  oobInlineSwitch: (f: number, on: boolean) => void = () => {};
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
  const intArg = new Int32Array(new ArrayBuffer(4));
  const optBuf = new Uint8Array(new ArrayBuffer(16));
  const optView = new DataView(optBuf.buffer);
  const optLength = new Uint32Array(new ArrayBuffer(4));
  // The socket check's getsockopt by address where the FFI allocates per buffer argument
  // (node:ffi): the addresses taken once, of buffers only this closure holds.
  const typeAt = c.getsockoptAt;
  const optBufAt = typeAt === undefined ? 0n : c.address(optBuf);
  const optLengthAt = typeAt === undefined ? 0n : c.address(optLength);
  // FIONREAD's count, likewise.
  const ioctlAt = c.ioctlAt;
  const intArgAt = ioctlAt === undefined ? 0n : c.address(intArg);
  const peekByte = new Uint8Array(1);
  // struct pollfd { int fd; short events; short revents; }, in native byte order.
  const pollBuf = new Uint8Array(new ArrayBuffer(8));
  const pollFd = new Int32Array(pollBuf.buffer, 0, 1);
  const pollEvents = new Int16Array(pollBuf.buffer, 4, 2); // [events, revents]
  const keepIdle = k.options.keepAliveIdle;
  const keepInterval = k.options.keepAliveInterval;
  const [solSocket, soKeepAlive] = k.options.keepAlive;
  const keepLimit = keepAliveLimit(os) ?? 4294968; // unknown: what a ULONG of ms can give
  const interfaces = posixInterfaceQueries(c);
  const portable = posixPortable(c, isSocket);
  const tcpInfo = posixTcpInfo(c);
  const timestamps = c.timestamps;
  const txPoll = c.txPoll;

  // getsockopt(SO_TYPE) is the cheapest question that only a socket answers: one syscall,
  // ENOTSOCK (or EBADF) for anything else, no per-OS struct layout (fstat's st_mode moves between
  // OSes and CPUs). The descriptors the layer opened itself skip it (the FIONREAD polling path).
  function isSocket(s: bigint, f: number): boolean {
    if (own.has(s, f)) return true;
    optLength[0] = 4;
    const [level, name] = k.options.type;
    const r = typeAt === undefined
      ? libc.getsockopt(f, level, name, optBuf, optLength)
      : typeAt(f, level, name, optBufAt, optLengthAt);
    if (r === 0) return true;
    c.recordErrno(c.errno());
    return false;
  }

  function isListening(f: number): boolean {
    optLength[0] = 4;
    const [level, name] = LINUX_SO_ACCEPTCONN;
    const r = libc.getsockopt(f, level, name, optBuf, optLength);
    return r === 0 && optView.getInt32(0, true) !== 0;
  }

  /** getsockopt of one C `int`: its value, or undefined (errno set) when refused. */
  function getInt(f: number, level: number, name: number): number | undefined {
    optLength[0] = 4;
    if (libc.getsockopt(f, level, name, optBuf, optLength) !== 0) return undefined;
    return optView.getInt32(0, true);
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
  // C int. With onoff 0 the times are ignored, as Windows does.
  //
  // A refused call leaves the socket as it was. A time past the system's own cap
  // (keepAliveLimit: Linux 32767 s) is refused before anything is set, as the kernel would
  // refuse it (EINVAL: WSAEINVAL). Then the times the socket has are read, and the new ones set
  // before SO_KEEPALIVE: when the kernel still refuses one (FreeBSD run with another hz), or
  // SO_KEEPALIVE, what was already set is put back.
  function keepAliveVals(
    s: bigint,
    f: number,
    input: Uint8Array | null,
    inLength: number,
  ): number {
    if (!isSocket(s, f)) return -1;
    if (input === null || inLength < 12) return c.recordWsa(WSAEFAULT);
    if (readU32(input, 0) === 0) {
      return setInt(f, solSocket, soKeepAlive, 0) ? 0 : c.recordErrno(c.errno());
    }
    const idle = seconds(readU32(input, 4));
    const interval = seconds(readU32(input, 8));
    if (idle > keepLimit || interval > keepLimit) return c.recordWsa(WSAEINVAL);
    const oldIdle = getInt(f, keepIdle[0], keepIdle[1]);
    if (oldIdle === undefined) return keepAliveRefused(c.errno());
    const oldInterval = getInt(f, keepInterval[0], keepInterval[1]);
    if (oldInterval === undefined) return keepAliveRefused(c.errno());
    if (!setInt(f, keepIdle[0], keepIdle[1], idle)) return keepAliveRefused(c.errno());
    if (!setInt(f, keepInterval[0], keepInterval[1], interval)) {
      const e = c.errno(); // before the call that puts the idle time back
      setInt(f, keepIdle[0], keepIdle[1], oldIdle);
      return keepAliveRefused(e);
    }
    if (!setInt(f, solSocket, soKeepAlive, 1)) {
      const e = c.errno();
      setInt(f, keepIdle[0], keepIdle[1], oldIdle);
      setInt(f, keepInterval[0], keepInterval[1], oldInterval);
      return c.recordErrno(e);
    }
    return 0;
  }

  // A keep-alive time refused, read or set. A socket without TCP options (datagram, raw) answers
  // ENOPROTOOPT (setsockopt; Linux's getsockopt: EOPNOTSUPP); Winsock's answer for a command that
  // does not apply to the socket's type is WSAEINVAL (Wine's too).
  function keepAliveRefused(e: number): -1 {
    const wsa = c.errnos.wsa[e];
    return wsa === WSAENOPROTOOPT || wsa === WSAEOPNOTSUPP
      ? c.recordWsa(WSAEINVAL)
      : c.recordErrno(e);
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

  // SO_OOBINLINE and the urgent byte. Windows keeps an urgent byte that arrived while
  // SO_OOBINLINE was off out of band until it is read, so SIOCATMARK stays FALSE for it once the
  // option is on; an urgent byte that arrives while the option is on is ordinary data, and
  // SIOCATMARK answers TRUE. The kernel's state is the same either way, so the order is noted
  // when the option is turned on through this layer's setOption: an urgent byte waiting then,
  // with the connection it waits on (its local and peer addresses, which no other open socket
  // shares). The note is dropped once the byte is seen read, the option turned off, or the
  // descriptor found naming another connection. The option set by other means (C code on a
  // borrowed handle) leaves no note: an urgent byte is then taken as one that arrived inline.
  const beforeInline = new Map<number, Uint8Array>();
  const nameBuf = new Uint8Array(new ArrayBuffer(128)); // room for any sockaddr
  const nameLength = new Uint32Array(1);

  /** The local and peer sockaddrs of `f`, as the kernel gives them; undefined when either fails. */
  function connectionOf(f: number): Uint8Array | undefined {
    nameLength[0] = nameBuf.length;
    if (libc.getsockname(f, nameBuf, nameLength) !== 0) return undefined;
    const local = nameBuf.slice(0, Math.min(nameLength[0], nameBuf.length));
    nameLength[0] = nameBuf.length;
    if (libc.getpeername(f, nameBuf, nameLength) !== 0) return undefined;
    const peer = nameBuf.subarray(0, Math.min(nameLength[0], nameBuf.length));
    const both = new Uint8Array(local.length + peer.length);
    both.set(local);
    both.set(peer, local.length);
    return both;
  }

  /** Whether an urgent byte waits out of band (SO_OOBINLINE off): peeked for, never blocking. */
  function outOfBandWaiting(f: number): boolean {
    // A byte (or EAGAIN: announced, not yet arrived) means one is waiting; EINVAL means none
    // (or already read).
    const p = Number(libc.recv(f, peekByte, 1n, MSG_OOB | MSG_PEEK | k.dontWait));
    return p >= 0 || c.errno() === c.errnos.EAGAIN;
  }

  own.oobInlineSwitch = (f, on) => {
    if (!on) {
      beforeInline.delete(f);
      return;
    }
    const [level, name] = k.options.oobInline;
    const was = getInt(f, level, name);
    if (was !== 0) return; // already on (what arrived since was inline), or not a socket
    const waiting = outOfBandWaiting(f) ? connectionOf(f) : undefined;
    if (waiting === undefined) beforeInline.delete(f);
    else beforeInline.set(f, waiting);
  };

  /** Whether the urgent byte waiting on `f` (SO_OOBINLINE on) was noted as one from before. */
  function waitingFromBefore(f: number): boolean {
    const noted = beforeInline.get(f);
    if (noted === undefined) return false;
    const now = connectionOf(f);
    if (now !== undefined && sameBytes(noted, now)) return true;
    beforeInline.delete(f); // another connection took the number
    return false;
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
      // or next in line at the mark. It counts as waiting only when it was noted as one from
      // before SO_OOBINLINE (see beforeInline).
      pollFd[0] = f;
      pollEvents[0] = POLLPRI;
      pollEvents[1] = 0;
      const n = libc.poll(pollBuf, 1n, 0);
      if (n === -1) return c.recordErrno(c.errno());
      waiting = (pollEvents[1] & POLLPRI) !== 0;
      if (!waiting) beforeInline.delete(f); // read: what comes next arrives inline
      else waiting = waitingFromBefore(f);
    } else {
      waiting = outOfBandWaiting(f);
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
      if (ioctlAt !== undefined) {
        // The count lands in the layer's own `int` (by its address), then in Winsock's u_long.
        if (ioctlAt(f, fionread, intArgAt) === -1) return bytesWaitingFailed(f, output);
        writeU32(output, 0, intArg[0]);
        return 4;
      }
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
    if (code === SIO_TCP_INFO && tcpInfo !== undefined) {
      return tcpInfo(s, input, inLength, output, outLength);
    }
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
      case SIO_MULTICAST_SCOPE:
      case SIO_MULTIPOINT_LOOPBACK:
      case SIO_GET_BROADCAST_ADDRESS:
      case SIO_BASE_HANDLE:
      case SIO_BSP_HANDLE:
      case SIO_BSP_HANDLE_SELECT:
      case SIO_BSP_HANDLE_POLL:
      case SIO_QUERY_RSS_PROCESSOR_INFO:
      case SIO_CPU_AFFINITY: {
        const r = portable(s, c.fd(s), code, input, inLength, output, outLength);
        if (r !== undefined) return r;
        break;
      }
    }
    throw new UnsupportedError(ioctlLabel(code), os, code, undefined, unsupportedNote(os, code));
  };
}

/** Whether two byte arrays hold the same bytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Milliseconds (a ULONG) as the whole seconds the POSIX keep-alive options take: 1..4294968. */
function seconds(ms: number): number {
  return ms === 0 ? 1 : Math.ceil(ms / 1000);
}
