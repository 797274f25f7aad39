/**
 * The POSIX implementation of {@link NativeApi} (Linux glibc, macOS libSystem, the BSDs), over
 * the libc symbol tables and per-system constants of `libc.ts` (opened through whichever runtime
 * loader `select.ts` picked): BSD socket calls, errno translated to WSA error codes (`_errno.ts`:
 * the answer Winsock gives in the same situation, or a distinct "unmapped errno" code), socket
 * addresses converted from and to the Windows layout (`_posix_sockaddr.ts`), and `WSAIoctl` with
 * the Unix-compatible Winsock codes (FIONBIO, FIONREAD, SIOCATMARK) translated to the platform's
 * own requests, SIO_KEEPALIVE_VALS to socket options, SIO_UDP_CONNRESET / SIO_UDP_NETRESET
 * FALSE accepted as what POSIX already does (`_posix_ioctl.ts`), and the interface queries
 * (SIO_GET_INTERFACE_LIST(_EX), SIO_ADDRESS_LIST_QUERY, SIO_ROUTING_INTERFACE_QUERY) answered
 * from `getifaddrs` and a connected UDP socket in the Windows layout (`_posix_ifaddrs.ts`), and
 * the portable set translated to the socket options with the same meaning
 * (`_posix_portable.ts`: multicast scope and loopback, broadcast address, base handles, RSS
 * processor, CPU affinity), and SIO_TCP_INFO from TCP_INFO / TCP_CONNECTION_INFO
 * (`_posix_tcpinfo.ts`).
 * The change notifications SIO_ADDRESS_LIST_CHANGE and SIO_ROUTING_INTERFACE_CHANGE, which
 * Windows runs overlapped, are watches on a routing socket (`_posix_notify.ts`:
 * `watchChange`, `changeSeen`, `closeWatch`; Linux and macOS).
 *
 * Any other control code, and every overlapped or event call, throws {@link UnsupportedError}
 * before any native call.
 *
 * @module
 */

import { ioctlLabel, SIO_ADDRESS_LIST_CHANGE, SIO_ROUTING_INTERFACE_CHANGE } from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import { type ErrnoCall, type ErrnoTable, errnoTable, wsaFromErrno } from "./_errno.ts";
import { openDescriptors } from "./_posix_fds.ts";
import { OwnSockets, posixIoctl } from "./_posix_ioctl.ts";
import { posixInterfaceQueries } from "./_posix_ifaddrs.ts";
import { posixChangeWatch, type WatchKind } from "./_posix_notify.ts";
import { directoryLister, unsupportedNote } from "./_posix_portable.ts";
import { posixTimestamps } from "./_posix_timestamps.ts";
import { SockaddrTranslator } from "./_posix_sockaddr.ts";
import { libcNames, type Loader } from "./_types.ts";
import {
  F_GETFL,
  LIBC,
  LIBC_ACCEPT4,
  LIBC_AT,
  LIBC_IOCTL_DARWIN_ARM64,
  LIBC_LINUX_FSTAT,
  LIBC_PID,
  LINUX_STAT,
  LINUX_STAT_ARCHES,
  type PosixConstants,
  posixConstants,
} from "./libc.ts";
import type { NativeApi } from "./native.ts";
import { WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL, WSAENOPROTOOPT, WSAENOTSOCK } from "../_wsa.ts";

/** The largest handle the POSIX native layer accepts: a file descriptor is a C `int`. */
const MAX_FD = 0x7fffffffn;
const MAX_FD_NUMBER = 0x7fffffff;

/**
 * Builds the POSIX native layer on an adapter: opens libc, nothing else.
 *
 * @param loader The runtime adapter.
 * @returns The native layer.
 */
export function createPosixApi(loader: Loader): NativeApi {
  const os = loader.os;
  const k: PosixConstants = posixConstants(os);
  const names = libcNames(os).names;
  const libc = loader.open(names, LIBC);
  // node:ffi converts each buffer argument to a new bigint per call: the socket check,
  // SIO_TCP_INFO, FIONREAD and the TX stamp poll pass their own scratch buffers' addresses
  // instead (LIBC_AT).
  const at = loader.ffi === "node:ffi" ? loader.open(names, LIBC_AT) : undefined;
  const accept4 = k.accept4 === undefined ? undefined : loader.open(names, LIBC_ACCEPT4).accept4;
  let ioctl3: (fd: number, request: bigint, arg: ArrayBufferView) => number = libc.ioctl;
  if (os === "darwin" && loader.arch === "aarch64") {
    const padded = loader.open(names, LIBC_IOCTL_DARWIN_ARM64).ioctl;
    ioctl3 = (fd, request, arg) => padded(fd, request, 0n, 0n, 0n, 0n, 0n, 0n, arg);
  }
  // LIBC_AT's ioctl passes its pointer as a named argument: only where LIBC's does.
  const ioctlAt = ioctl3 === libc.ioctl ? at?.ioctl : undefined;

  const errnos: ErrnoTable = errnoTable(os);
  let last = 0;
  // lastBytesReturned(): the size an output too small needed (recordNeeded), else 0.
  let returned = 0;
  const recordErrno = (errno: number): -1 => {
    last = wsaFromErrno(errno, errnos);
    returned = 0;
    return -1;
  };
  const recordWsa = (wsa: number): -1 => {
    last = wsa;
    returned = 0;
    return -1;
  };
  const recordNeeded = (bytes: number): -1 => {
    last = WSAEFAULT;
    returned = bytes;
    return -1;
  };
  // Scratch space for the calls (one thread: reused).
  const addrs = new SockaddrTranslator(k.af6, k.saLen);
  const { nativeAddr, nativeLength } = addrs;
  const intArg = new Int32Array(1);
  const optBuf = new Uint8Array(16);
  const optView = new DataView(optBuf.buffer);
  const optLength = new Uint32Array(1);

  // The descriptors this layer opened with socket()/accept() and has not closed: sockets for
  // sure. FIONREAD polling on them skips the socket check (one syscall per call; _posix_ioctl.ts).
  const own = new OwnSockets();

  // What the translation may ask about the failing socket (never asked on a success path, and
  // only once errno has been read).
  let probed = -1;
  const probe = {
    blocking(): boolean {
      const flags = libc.fcntl(probed, F_GETFL);
      return flags !== -1 && (flags & k.oNonBlock) === 0;
    },
    notConnected(): boolean {
      addrs.reset();
      return libc.getpeername(probed, nativeAddr, nativeLength) !== 0 &&
        loader.errno() === errnos.ENOTCONN;
    },
  };
  // `errno` first, as the argument: it is read before the probe makes any call.
  const recordErrnoIn = (call: ErrnoCall, h: number, errno: number): -1 => {
    probed = h;
    last = wsaFromErrno(errno, errnos, call, probe);
    returned = 0;
    return -1;
  };

  // Handles above maxHandle are refused before the native layer is called (socketHandle, fromHandle).
  // Defence in depth: anything outside a C int is -1 here (never truncated to a valid fd), which
  // every method refuses with WSAENOTSOCK before any native call.
  // The last handle's answer is kept: converting a bigint costs more than comparing one, and a
  // polling loop asks about the same handle every time.
  let lastHandle = -1n;
  let lastFd = -1;
  const fd = (s: bigint): number => {
    if (s === lastHandle) return lastFd;
    const n = Number(s); // exact below 2^53; anything above rounds to far above 2^31
    lastFd = n >= 0 && n <= MAX_FD_NUMBER ? n : -1;
    lastHandle = s;
    return lastFd;
  };
  const notSocket = (): -1 => recordWsa(WSAENOTSOCK);

  // A new socket from socket()/accept(): close-on-exec where the call could not set it (macOS;
  // a fork+exec on another thread between the two calls can still inherit it), SO_NOSIGPIPE.
  // On failure the socket is closed and the error recorded.
  function afterCreate(h: number): boolean {
    if (k.fioclex !== 0n && ioctl3(h, k.fioclex, intArg) === -1) {
      recordErrno(loader.errno());
      libc.close(h);
      return false;
    }
    if (k.noSigPipe !== 0) {
      intArg[0] = 1;
      libc.setsockopt(h, 0xffff, k.noSigPipe, new Uint8Array(intArg.buffer), 4);
    }
    own.add(h);
    return true;
  }

  const stamps = posixTimestamps({
    os,
    loader,
    names,
    k,
    errnoEAGAIN: errnos.EAGAIN,
    libc,
    addrs,
    fd,
    recordErrno,
    recordErrnoIn,
    recordWsa,
    notSocket,
    recvmsgAt: at?.recvmsg,
  });

  const context = {
    os,
    arch: loader.arch,
    k,
    errnos,
    libc,
    ioctl: ioctl3,
    own,
    errno: () => loader.errno(),
    read: (address: bigint, into: Uint8Array, length: number) => loader.read(address, into, length),
    address: (view: ArrayBufferView) => loader.address(view),
    getsockoptAt: at?.getsockopt,
    ioctlAt,
    fd,
    recordErrno,
    recordWsa,
    recordNeeded,
    notSocket,
    timestamps: stamps.ioctl,
    txPoll: stamps.poll,
  };
  const wsaIoctl = posixIoctl({ ...context, listDirectory: directoryLister(loader, names) });

  // The change notifications: a routing socket per watch, with interface queries of their own.
  const queries = posixInterfaceQueries(context);
  let getpid: (() => number) | undefined;
  const notify = queries === undefined ? undefined : posixChangeWatch({
    ...context,
    queries,
    lastError: () => last,
    pid: () => (getpid ??= loader.open(names, LIBC_PID).getpid)(),
  });

  // socketIdentity: fstat's st_dev and st_ino, on Linux only (see native.ts); libc's fstat is
  // looked up on first use (undefined: not yet; null: none here).
  let fstat: ((fd: number, buf: Uint8Array) => number) | null | undefined =
    os === "linux" && LINUX_STAT_ARCHES.has(loader.arch) ? undefined : null;
  const statBuf = new Uint8Array(LINUX_STAT.size);
  const statView = new DataView(statBuf.buffer);
  function socketIdentity(s: bigint, out: BigUint64Array): number {
    if (fstat === undefined) {
      try {
        fstat = loader.open(names, LIBC_LINUX_FSTAT).fstat ?? null;
      } catch {
        fstat = null;
      }
    }
    if (fstat === null) return 0;
    const h = fd(s);
    if (h < 0) return notSocket();
    if (fstat(h, statBuf) !== 0) return recordErrno(loader.errno());
    out[0] = statView.getBigUint64(LINUX_STAT.dev, true);
    out[1] = statView.getBigUint64(LINUX_STAT.ino, true);
    return 1;
  }

  function unsupported(what: string): never {
    throw new UnsupportedError(what, os);
  }

  /** The watch's kind for a change code; throws UnsupportedError where there is no watch. */
  function watchKind(code: number): WatchKind {
    const kind = code === SIO_ADDRESS_LIST_CHANGE
      ? "address"
      : code === SIO_ROUTING_INTERFACE_CHANGE
      ? "route"
      : undefined;
    if (kind !== undefined && notify !== undefined) return kind;
    if (kind === undefined) {
      throw new UnsupportedError(ioctlLabel(code), os, code, undefined, unsupportedNote(os, code));
    }
    // No routing socket here, or struct ifaddrs not verified for this CPU (the answers a watch
    // compares cannot be read).
    throw new UnsupportedError(
      ioctlLabel(code),
      queries === undefined ? `${os} on ${loader.arch}` : os,
      code,
    );
  }

  const api: NativeApi = {
    runtime: loader.runtime,
    os,
    wine: false,
    maxHandle: MAX_FD,
    lastError: () => last,
    lastBytesReturned: () => returned,
    socket(af, type, protocol) {
      const nativeAf = addrs.nativeFamily(af);
      if (nativeAf < 0) return BigInt(recordWsa(WSAEAFNOSUPPORT));
      const h = libc.socket(nativeAf, type | k.socketFlags, protocol);
      if (h < 0) return BigInt(recordErrno(loader.errno()));
      if (!afterCreate(h)) return -1n;
      return BigInt(h);
    },
    close(s) {
      if (fd(s) < 0) return notSocket();
      // close() releases the descriptor even when it reports an error (EINTR, EIO).
      own.delete(fd(s));
      stamps.forget(fd(s));
      const r = libc.close(fd(s));
      return r === 0 ? 0 : recordErrno(loader.errno());
    },
    bind(s, addr) {
      if (fd(s) < 0) return notSocket();
      const n = addrs.toNative(addr);
      if (n < 0) return recordWsa(WSAEAFNOSUPPORT);
      const r = libc.bind(fd(s), nativeAddr, n);
      return r === 0 ? 0 : recordErrno(loader.errno());
    },
    connect(s, addr) {
      if (fd(s) < 0) return notSocket();
      const n = addrs.toNative(addr);
      if (n < 0) return recordWsa(WSAEAFNOSUPPORT);
      const h = fd(s);
      const r = libc.connect(h, nativeAddr, n);
      return r === 0 ? 0 : recordErrnoIn("connect", h, loader.errno());
    },
    listen(s, backlog) {
      if (fd(s) < 0) return notSocket();
      const r = libc.listen(fd(s), backlog);
      return r === 0 ? 0 : recordErrno(loader.errno());
    },
    accept(s, addr, length) {
      const listener = fd(s);
      if (listener < 0) return BigInt(notSocket());
      addrs.reset();
      let h: number;
      if (accept4 !== undefined && k.accept4 !== undefined) {
        // Close-on-exec from the start. accept4 takes the new socket's O_NONBLOCK from its flags
        // only, and Linux's accept never inherits it; Winsock and BSD's accept do: pass it on.
        const fl = libc.fcntl(listener, F_GETFL);
        if (fl === -1) return BigInt(recordErrno(loader.errno()));
        const nonblock = (fl & k.oNonBlock) !== 0 ? k.accept4.nonblock : 0;
        h = accept4(listener, nativeAddr, nativeLength, k.accept4.cloexec | nonblock);
      } else {
        h = libc.accept(listener, nativeAddr, nativeLength);
      }
      if (h < 0) return BigInt(recordErrnoIn("accept", listener, loader.errno()));
      if (!afterCreate(h)) return -1n;
      length[0] = addrs.fromNative(addr);
      return BigInt(h);
    },
    // The contract's MSG_* flags (native.ts) have the same numbers in libc: passed on as they are.
    send(s, data, length, flags) {
      if (fd(s) < 0) return notSocket();
      const h = fd(s);
      const r = Number(libc.send(h, data, BigInt(length), flags | k.sendFlags));
      return r >= 0 ? r : recordErrnoIn("send", h, loader.errno());
    },
    recv(s, into, length, flags) {
      if (fd(s) < 0) return notSocket();
      const h = fd(s);
      const r = Number(libc.recv(h, into, BigInt(length), flags));
      return r >= 0 ? r : recordErrnoIn("recv", h, loader.errno());
    },
    sendTo(s, data, length, flags, addr) {
      if (fd(s) < 0) return notSocket();
      const n = addrs.toNative(addr);
      if (n < 0) return recordWsa(WSAEAFNOSUPPORT);
      const h = fd(s);
      const r = Number(libc.sendto(h, data, BigInt(length), flags | k.sendFlags, nativeAddr, n));
      return r >= 0 ? r : recordErrnoIn("send", h, loader.errno());
    },
    recvFrom(s, into, intoLength, flags, addr, length) {
      if (fd(s) < 0) return notSocket();
      addrs.reset();
      const h = fd(s);
      const r = Number(libc.recvfrom(h, into, BigInt(intoLength), flags, nativeAddr, nativeLength));
      if (r < 0) return recordErrnoIn("recv", h, loader.errno());
      length[0] = addrs.fromNative(addr);
      return r;
    },
    localName(s, addr, length) {
      if (fd(s) < 0) return notSocket();
      addrs.reset();
      const r = libc.getsockname(fd(s), nativeAddr, nativeLength);
      if (r !== 0) return recordErrno(loader.errno());
      length[0] = addrs.fromNative(addr);
      return 0;
    },
    peerName(s, addr, length) {
      if (fd(s) < 0) return notSocket();
      addrs.reset();
      const r = libc.getpeername(fd(s), nativeAddr, nativeLength);
      if (r !== 0) return recordErrno(loader.errno());
      length[0] = addrs.fromNative(addr);
      return 0;
    },
    setOption(s, name, value) {
      if (fd(s) < 0) return notSocket();
      if (name === "oobInline") own.oobInlineSwitch(fd(s), value !== 0); // SIOCATMARK's note
      const [level, opt, kind] = k.options[name];
      let len = 4;
      optBuf.fill(0);
      switch (kind) {
        case "bool":
        case "int":
          optView.setInt32(0, kind === "bool" ? (value ? 1 : 0) : value, true);
          break;
        case "timeval":
          optView.setBigInt64(0, BigInt(Math.floor(value / 1000)), true);
          if (os === "linux") optView.setBigInt64(8, BigInt((value % 1000) * 1000), true);
          else optView.setInt32(8, (value % 1000) * 1000, true);
          len = 16;
          break;
        case "linger":
          optView.setInt32(0, value < 0 ? 0 : 1, true);
          optView.setInt32(4, value < 0 ? 0 : value, true);
          len = 8;
          break;
        case "error":
          return recordWsa(WSAEINVAL);
        case "none":
          return recordWsa(WSAENOPROTOOPT);
      }
      const r = libc.setsockopt(fd(s), level, opt, optBuf, len);
      return r === 0 ? 0 : recordErrno(loader.errno());
    },
    getOption(s, name, out) {
      if (fd(s) < 0) return notSocket();
      const [level, opt, kind] = k.options[name];
      if (kind === "none") return recordWsa(WSAENOPROTOOPT);
      optBuf.fill(0);
      optLength[0] = optBuf.length;
      const r = libc.getsockopt(fd(s), level, opt, optBuf, optLength);
      if (r !== 0) return recordErrno(loader.errno());
      switch (kind) {
        case "bool":
          out[0] = optView.getInt32(0, true) !== 0 ? 1 : 0;
          break;
        case "int":
          out[0] = optView.getInt32(0, true);
          break;
        case "error": {
          const e = optView.getInt32(0, true);
          out[0] = e === 0 ? 0 : wsaFromErrno(e, errnos);
          break;
        }
        case "timeval":
          out[0] = Number(optView.getBigInt64(0, true)) * 1000 +
            Math.floor(optView.getInt32(8, true) / 1000);
          break;
        case "linger":
          out[0] = optView.getInt32(0, true) === 0 ? -1 : optView.getInt32(4, true);
          break;
      }
      return 0;
    },
    wsaIoctl,
    bufferAddress: (view) => loader.address(view),
    wsaIoctlOverlapped: () => unsupported("overlapped WSAIoctl"),
    overlappedResult: () => unsupported("WSAGetOverlappedResult"),
    overlappedStatus: () => unsupported("overlapped I/O"),
    setEvent: () => unsupported("WSASetEvent"),
    resetEvent: () => unsupported("WSAResetEvent"),
    cancelIo: () => unsupported("CancelIoEx"),
    createEvent: () => unsupported("WSACreateEvent"),
    closeEvent: () => unsupported("WSACloseEvent"),
    eventSelect: () => unsupported("WSAEventSelect"),
    waitEvent: () => Promise.reject(new UnsupportedError("WSAWaitForMultipleEvents", os)),
    watchChange(s, code, input, inLength) {
      const kind = watchKind(code); // before any native call
      if (fd(s) < 0) return BigInt(notSocket());
      return BigInt(notify!.watch(fd(s), kind, input, inLength));
    },
    changeSeen(w) {
      return notify === undefined || fd(w) < 0 ? notSocket() : notify.seen(fd(w));
    },
    closeWatch(w) {
      return notify === undefined || fd(w) < 0 ? notSocket() : notify.close(fd(w));
    },
    socketCandidates: openDescriptors(loader, names, libc),
    socketIdentity,
    messageBuffers: stamps.messageBuffers,
    sendMsg: stamps.sendMsg,
    recvMsg: stamps.recvMsg,
    timestampNow: stamps.timestampNow,
    timestampFrequency: stamps.timestampFrequency,
  };
  return api;
}
