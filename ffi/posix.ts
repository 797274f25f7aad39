/**
 * The libc symbol table (Linux glibc, macOS libSystem, the BSDs) and the POSIX
 * {@link NativeApi}: BSD socket calls, `ioctl` with the Unix-compatible Winsock codes
 * (FIONBIO, FIONREAD, SIOCATMARK) translated to the platform's own request numbers, errno
 * translated to WSA error codes (`_errno.ts`: the answer Winsock gives in the same situation, or a
 * distinct "unmapped errno" code), and socket addresses converted from and to the Windows layout.
 *
 * Any other control code throws {@link UnsupportedError} before any native call.
 *
 * @module
 */

import { FIONBIO, FIONREAD, ioctlName, SIOCATMARK } from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import { type ErrnoCall, type ErrnoTable, errnoTable, wsaFromErrno } from "./_errno.ts";
import { libcNames, type Loader, type SymbolTable } from "./_types.ts";
import type { NativeApi, SocketOptionName } from "./native.ts";

/** libc: the socket calls, `ioctl`, `close`, `fcntl`, `poll`. */
export const LIBC = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" }, // int domain, int type, int protocol
  close: { parameters: ["i32"], result: "i32" }, // int fd
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" }, // int fd, const sockaddr*, socklen_t
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" }, // int fd, const sockaddr*, socklen_t
  listen: { parameters: ["i32", "i32"], result: "i32" }, // int fd, int backlog
  accept: { parameters: ["i32", "buffer", "buffer"], result: "i32" }, // int fd, sockaddr*, socklen_t*
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" }, // int fd, const void* buf, size_t len, int flags
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" }, // int fd, void* buf, size_t len, int flags
  sendto: {
    // int fd, const void* buf, size_t len, int flags, const sockaddr* to, socklen_t tolen
    parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"],
    result: "isize",
  },
  recvfrom: {
    // int fd, void* buf, size_t len, int flags, sockaddr* from, socklen_t* fromlen
    parameters: ["i32", "buffer", "usize", "i32", "buffer", "buffer"],
    result: "isize",
  },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" }, // int fd, sockaddr*, socklen_t*
  getpeername: { parameters: ["i32", "buffer", "buffer"], result: "i32" }, // int fd, sockaddr*, socklen_t*
  setsockopt: {
    // int fd, int level, int optname, const void* optval, socklen_t optlen
    parameters: ["i32", "i32", "i32", "buffer", "u32"],
    result: "i32",
  },
  getsockopt: {
    // int fd, int level, int optname, void* optval, socklen_t* optlen
    parameters: ["i32", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  // int ioctl(int fd, unsigned long request, ...): the one variadic argument is a pointer. On
  // x86-64 and Linux/aarch64 a variadic pointer travels like a named one.
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" }, // int fd, unsigned long request, void* arg
  // int fcntl(int fd, int cmd, ...): bound for F_GETFL, which takes no third argument.
  fcntl: { parameters: ["i32", "i32"], result: "i32" }, // int fd, int cmd
  // nfds_t is unsigned long on Linux, unsigned int on the BSDs: in a register either way, and a
  // callee reading 32 bits of it sees the same value.
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32" }, // struct pollfd* fds, nfds_t nfds, int timeout
} as const satisfies SymbolTable;

/**
 * `accept4`, opened only where the native layer uses it (Linux, FreeBSD): macOS's libc has none, and a
 * missing symbol fails the whole table.
 */
const LIBC_ACCEPT4 = {
  accept4: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" }, // int fd, sockaddr*, socklen_t*, int flags
} as const satisfies SymbolTable;

/**
 * Apple's arm64 ABI passes variadic arguments on the stack: eight register-sized dummies fill
 * x2..x7 (six) so that the pointer lands in the first stack slot, where `va_arg` reads it.
 */
const LIBC_IOCTL_DARWIN_ARM64 = {
  ioctl: {
    // int fd, unsigned long request, 6 × unused register slots, void* arg (first stack slot)
    parameters: ["i32", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "buffer"],
    result: "i32",
  },
} as const satisfies SymbolTable;

interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  close(fd: number): number;
  bind(fd: number, addr: Uint8Array, len: number): number;
  connect(fd: number, addr: Uint8Array, len: number): number;
  listen(fd: number, backlog: number): number;
  accept(fd: number, addr: Uint8Array, len: Uint32Array): number;
  send(fd: number, buf: Uint8Array, len: number, flags: number): number | bigint;
  recv(fd: number, buf: Uint8Array, len: number, flags: number): number | bigint;
  sendto(
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
    to: Uint8Array,
    tolen: number,
  ): number | bigint;
  recvfrom(
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
    from: Uint8Array,
    fromlen: Uint32Array,
  ): number | bigint;
  getsockname(fd: number, addr: Uint8Array, len: Uint32Array): number;
  getpeername(fd: number, addr: Uint8Array, len: Uint32Array): number;
  setsockopt(fd: number, level: number, name: number, val: Uint8Array, len: number): number;
  getsockopt(fd: number, level: number, name: number, val: Uint8Array, len: Uint32Array): number;
  ioctl(fd: number, request: bigint, arg: Int32Array): number;
  fcntl(fd: number, cmd: number): number;
  poll(fds: Uint8Array, nfds: bigint, timeout: number): number;
}

type Accept4 = (fd: number, addr: Uint8Array, len: Uint32Array, flags: number) => number;

/** Per-platform constants (Linux, or the BSD family incl. macOS). */
interface PosixConstants {
  /** AF_INET6's own number. */
  af6: number;
  /** sockaddr has a leading `sa_len` byte (BSD). */
  saLen: boolean;
  /** Flags or-ed into socket()'s type (SOCK_CLOEXEC where socket() takes it). */
  socketFlags: number;
  /**
   * `accept4`'s SOCK_CLOEXEC and SOCK_NONBLOCK where libc has it; undefined elsewhere (macOS),
   * where `accept` is used and the new socket gets close-on-exec from {@link fioclex}.
   */
  accept4: { cloexec: number; nonblock: number } | undefined;
  /** FIOCLEX, run on each new socket where socket()/accept() cannot set close-on-exec; or 0n. */
  fioclex: bigint;
  /** Flags or-ed into send()/sendto() (MSG_NOSIGNAL). */
  sendFlags: number;
  /** SO_NOSIGPIPE to set on each new socket (macOS), or 0. */
  noSigPipe: number;
  /** O_NONBLOCK in the file status flags (F_GETFL). */
  oNonBlock: number;
  /** option → [level, name, kind]. */
  options: Record<SocketOptionName, readonly [number, number, OptionKind]>;
}

type OptionKind = "int" | "bool" | "timeval" | "linger" | "error";

const LINUX: PosixConstants = {
  af6: 10,
  saLen: false,
  socketFlags: 0x80000, // SOCK_CLOEXEC
  accept4: { cloexec: 0x80000, nonblock: 0x800 }, // SOCK_CLOEXEC, SOCK_NONBLOCK
  fioclex: 0n,
  sendFlags: 0x4000, // MSG_NOSIGNAL
  noSigPipe: 0,
  oNonBlock: 0o4000, // O_NONBLOCK (asm-generic/fcntl.h)
  options: {
    reuseAddress: [1, 2, "bool"], // SOL_SOCKET, SO_REUSEADDR
    type: [1, 3, "int"], // SO_TYPE
    error: [1, 4, "error"], // SO_ERROR
    broadcast: [1, 6, "bool"], // SO_BROADCAST
    sendBuffer: [1, 7, "int"], // SO_SNDBUF
    receiveBuffer: [1, 8, "int"], // SO_RCVBUF
    keepAlive: [1, 9, "bool"], // SO_KEEPALIVE
    oobInline: [1, 10, "bool"], // SO_OOBINLINE
    linger: [1, 13, "linger"], // SO_LINGER
    receiveTimeout: [1, 20, "timeval"], // SO_RCVTIMEO
    sendTimeout: [1, 21, "timeval"], // SO_SNDTIMEO
    noDelay: [6, 1, "bool"], // IPPROTO_TCP, TCP_NODELAY
    v6Only: [41, 26, "bool"], // IPPROTO_IPV6, IPV6_V6ONLY
  },
};

const BSD: PosixConstants = {
  af6: 30, // macOS; FreeBSD uses 28 (set below)
  saLen: true,
  // macOS has neither SOCK_CLOEXEC nor accept4 (FreeBSD has both: set below).
  socketFlags: 0,
  accept4: undefined,
  fioclex: 0x20006601n, // FIOCLEX = _IO('f', 1) (sys/filio.h)
  sendFlags: 0,
  noSigPipe: 0x1022, // SO_NOSIGPIPE
  oNonBlock: 0x4, // O_NONBLOCK (sys/fcntl.h)
  options: {
    reuseAddress: [0xffff, 0x4, "bool"], // SOL_SOCKET, SO_REUSEADDR
    keepAlive: [0xffff, 0x8, "bool"], // SO_KEEPALIVE
    broadcast: [0xffff, 0x20, "bool"], // SO_BROADCAST
    oobInline: [0xffff, 0x100, "bool"], // SO_OOBINLINE
    linger: [0xffff, 0x1080, "linger"], // SO_LINGER_SEC (seconds, not ticks)
    sendBuffer: [0xffff, 0x1001, "int"], // SO_SNDBUF
    receiveBuffer: [0xffff, 0x1002, "int"], // SO_RCVBUF
    sendTimeout: [0xffff, 0x1005, "timeval"], // SO_SNDTIMEO
    receiveTimeout: [0xffff, 0x1006, "timeval"], // SO_RCVTIMEO
    error: [0xffff, 0x1007, "error"], // SO_ERROR
    type: [0xffff, 0x1008, "int"], // SO_TYPE
    noDelay: [6, 1, "bool"], // IPPROTO_TCP, TCP_NODELAY
    v6Only: [41, 27, "bool"], // IPPROTO_IPV6, IPV6_V6ONLY
  },
};

/** FreeBSD (10.0 and later): socket() takes SOCK_CLOEXEC, and libc has accept4 (sys/socket.h). */
const FREEBSD: PosixConstants = {
  ...BSD,
  af6: 28,
  socketFlags: 0x10000000, // SOCK_CLOEXEC
  accept4: { cloexec: 0x10000000, nonblock: 0x20000000 }, // SOCK_CLOEXEC, SOCK_NONBLOCK
  fioclex: 0n,
};

/** The ioctl request numbers of FIONREAD, FIONBIO and SIOCATMARK on one platform. */
export interface PosixIoctlNumbers {
  /** FIONREAD. */
  readonly fionread: bigint;
  /** FIONBIO. */
  readonly fionbio: bigint;
  /** SIOCATMARK. */
  readonly siocatmark: bigint;
}

// Linux: include/uapi/asm-generic/ioctls.h and sockios.h.
const LINUX_GENERIC_IOCTLS: PosixIoctlNumbers = Object.freeze({
  fionread: 0x541bn,
  fionbio: 0x5421n,
  siocatmark: 0x8905n,
});
// The BSDs (sys/filio.h, sys/sockio.h; sys/ioccom.h encodes them the same on every CPU): the
// Winsock values, which Winsock took from BSD.
const BSD_IOCTLS: PosixIoctlNumbers = Object.freeze({
  fionread: 0x4004667fn, // _IOR('f', 127, int)
  fionbio: 0x8004667en, // _IOW('f', 126, int)
  siocatmark: 0x40047307n, // _IOR('s', 7, int)
});

/**
 * The 64-bit Linux architectures whose uapi headers take these three numbers from asm-generic
 * (arm64, riscv, loongarch: no ioctls.h or sockios.h of their own; x86 and s390: theirs include
 * asm-generic's), spelled as Deno (`Deno.build.arch`) or Node (`process.arch`, via
 * `normalizeArch`) name them. alpha, mips, powerpc and sparc define other values and are left
 * out, as is every 32-bit CPU (the `ioctl` binding passes the request as 64 bits).
 */
const LINUX_GENERIC_ARCHES: ReadonlySet<string> = new Set([
  "x86_64",
  "aarch64",
  "riscv64",
  "loongarch64",
  "loong64",
  "s390x",
]);
const BSD_ARCHES: ReadonlySet<string> = new Set(["x86_64", "aarch64"]);

/**
 * The request numbers the POSIX native layer sends for FIONREAD, FIONBIO and SIOCATMARK, for the
 * platforms where they are verified against the system headers. Elsewhere the native layer refuses
 * those codes (`UnsupportedError`, naming the architecture) rather than send a guess.
 *
 * @param os The operating system as the runtime names it (`"linux"`, `"darwin"`, `"freebsd"`).
 * @param arch The CPU as Deno names it (`"x86_64"`, `"aarch64"`, …; Node's names go through
 * `normalizeArch`).
 * @returns The numbers, or `undefined` when they are not verified for this platform.
 * @example
 * ```ts
 * import { posixIoctlNumbers } from "./posix.ts";
 * posixIoctlNumbers("linux", "x86_64")?.fionread; // 0x541bn
 * posixIoctlNumbers("linux", "mips64"); // undefined
 * ```
 */
export function posixIoctlNumbers(os: string, arch: string): PosixIoctlNumbers | undefined {
  if (os === "linux") return LINUX_GENERIC_ARCHES.has(arch) ? LINUX_GENERIC_IOCTLS : undefined;
  if (os === "darwin" || os === "freebsd") return BSD_ARCHES.has(arch) ? BSD_IOCTLS : undefined;
  return undefined;
}

/** The largest handle the POSIX native layer accepts: a file descriptor is a C `int`. */
const MAX_FD = 0x7fffffffn;
const MAX_FD_NUMBER = 0x7fffffff;

const F_GETFL = 3; // the same on Linux and the BSDs
const WSAEFAULT = 10014;
const WSAEINVAL = 10022;
const WSAENOTSOCK = 10038;
const WSAEAFNOSUPPORT = 10047;
const MSG_OOB = 1;
const MSG_PEEK = 2;
const MSG_DONTWAIT_LINUX = 0x40;
const MSG_DONTWAIT_BSD = 0x80;
const POLLPRI = 0x2;

/**
 * Builds the POSIX native layer on an adapter: opens libc, nothing else.
 *
 * @param loader The runtime adapter.
 * @returns The native layer.
 */
export function createPosixApi(loader: Loader): NativeApi {
  const os = loader.os;
  const k: PosixConstants = os === "linux"
    ? LINUX
    : os === "freebsd"
    ? FREEBSD
    : os === "darwin"
    ? BSD
    : { ...BSD, af6: 28 };
  const names = libcNames(os).names;
  const libc = loader.open(names, LIBC) as unknown as Libc;
  const accept4 = k.accept4 === undefined
    ? undefined
    : loader.open(names, LIBC_ACCEPT4).accept4 as unknown as Accept4;
  const requests = posixIoctlNumbers(os, loader.arch);
  let ioctl3: (fd: number, request: bigint, arg: Int32Array) => number = libc.ioctl;
  if (os === "darwin" && loader.arch === "aarch64") {
    const padded = loader.open(names, LIBC_IOCTL_DARWIN_ARM64).ioctl as unknown as (
      ...args: unknown[]
    ) => number;
    ioctl3 = (fd, request, arg) => padded(fd, request, 0n, 0n, 0n, 0n, 0n, 0n, arg);
  }
  const dontWait = os === "linux" ? MSG_DONTWAIT_LINUX : MSG_DONTWAIT_BSD;

  const errnos: ErrnoTable = errnoTable(os);
  let last = 0;
  const recordErrno = (errno: number): -1 => {
    last = wsaFromErrno(errno, errnos);
    return -1;
  };
  const recordWsa = (wsa: number): -1 => {
    last = wsa;
    return -1;
  };
  // Scratch space for the calls (one thread: reused).
  const native = new Uint8Array(128); // a native sockaddr
  const nativeLength = new Uint32Array(1);
  const intArg = new Int32Array(1);
  const optBuf = new Uint8Array(16);
  const optView = new DataView(optBuf.buffer);
  const optLength = new Uint32Array(1);
  const peekByte = new Uint8Array(1);
  // struct pollfd { int fd; short events; short revents; }, in native byte order.
  const pollBuf = new Uint8Array(new ArrayBuffer(8));
  const pollFd = new Int32Array(pollBuf.buffer, 0, 1);
  const pollEvents = new Int16Array(pollBuf.buffer, 4, 2); // [events, revents]

  // The descriptors this port opened with socket()/accept() and has not closed: sockets for sure.
  // FIONREAD polling on them skips the socket check below (one syscall per call; see isSocket).
  const opened = new Set<number>();

  // What the translation may ask about the failing socket (never asked on a success path, and
  // only once errno has been read).
  let probed = -1;
  const probe = {
    blocking(): boolean {
      const flags = libc.fcntl(probed, F_GETFL);
      return flags !== -1 && (flags & k.oNonBlock) === 0;
    },
    notConnected(): boolean {
      nativeLength[0] = native.length;
      return libc.getpeername(probed, native, nativeLength) !== 0 &&
        loader.errno() === errnos.ENOTCONN;
    },
  };
  // `errno` first, as the argument: it is read before the probe makes any call.
  const recordErrnoIn = (call: ErrnoCall, h: number, errno: number): -1 => {
    probed = h;
    last = wsaFromErrno(errno, errnos, call, probe);
    return -1;
  };

  // Windows-layout sockaddr (u16 family 2/23) → native layout in `native`; returns its length.
  function toNative(addr: Uint8Array): number {
    const family = addr[0] | (addr[1] << 8);
    const af = family === 2 ? 2 : family === 23 ? k.af6 : -1;
    if (af < 0) return -1;
    native.set(addr);
    if (k.saLen) {
      native[0] = addr.length;
      native[1] = af;
    } else {
      native[0] = af & 0xff;
      native[1] = af >> 8;
    }
    return addr.length;
  }
  // native sockaddr of nativeLength[0] bytes → Windows layout in `out`; returns bytes written.
  function fromNative(out: Uint8Array): number {
    const af = k.saLen ? native[1] : native[0] | (native[1] << 8);
    const family = af === 2 ? 2 : af === k.af6 ? 23 : af;
    const n = Math.min(nativeLength[0], out.length, native.length);
    out.set(native.subarray(0, n));
    if (n >= 2) {
      out[0] = family & 0xff;
      out[1] = family >> 8;
    }
    return n;
  }
  // Handles above maxHandle are refused before the native layer is called (socketHandle, fromHandle).
  // Defence in depth: anything outside a C int is -1 here (never truncated to a valid fd), which
  // every method refuses with WSAENOTSOCK before any native call.
  const fd = (s: bigint): number => {
    const n = Number(s); // exact below 2^53; anything above rounds to far above 2^31
    return n >= 0 && n <= MAX_FD_NUMBER ? n : -1;
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
    opened.add(h);
    return true;
  }

  // Winsock refuses a handle that is not a socket (WSAENOTSOCK) before doing anything; POSIX
  // ioctl acts on any descriptor (FIONREAD answers a pipe's byte count, FIONBIO flips O_NONBLOCK
  // on a pipe that may be shared with other processes). getsockopt(SO_TYPE) is the cheapest
  // question that only a socket answers: one syscall, ENOTSOCK (or EBADF) for anything else, no
  // per-OS struct layout (fstat's st_mode moves between OSes and CPUs). The descriptors this port
  // opened itself skip it.
  function isSocket(f: number): boolean {
    if (opened.has(f)) return true;
    optLength[0] = 4;
    const [level, name] = k.options.type;
    if (libc.getsockopt(f, level, name, optBuf, optLength) === 0) return true;
    recordErrno(loader.errno());
    return false;
  }

  function isListening(s: bigint): boolean {
    optLength[0] = 4;
    const r = libc.getsockopt(fd(s), 1, 30, optBuf, optLength); // SOL_SOCKET, SO_ACCEPTCONN
    return r === 0 && optView.getInt32(0, true) !== 0;
  }

  function unsupported(what: string): never {
    throw new UnsupportedError(what, os);
  }

  const port: NativeApi = {
    runtime: loader.runtime,
    os,
    wine: false,
    maxHandle: MAX_FD,
    lastError: () => last,
    socket(af, type, protocol) {
      const nativeAf = af === 2 ? 2 : af === 23 ? k.af6 : -1;
      if (nativeAf < 0) return BigInt(recordWsa(WSAEAFNOSUPPORT));
      const h = libc.socket(nativeAf, type | k.socketFlags, protocol);
      if (h < 0) return BigInt(recordErrno(loader.errno()));
      if (!afterCreate(h)) return -1n;
      return BigInt(h);
    },
    close(s) {
      if (fd(s) < 0) return notSocket();
      // close() releases the descriptor even when it reports an error (EINTR, EIO).
      opened.delete(fd(s));
      const r = libc.close(fd(s));
      return r === 0 ? 0 : recordErrno(loader.errno());
    },
    bind(s, addr) {
      if (fd(s) < 0) return notSocket();
      const n = toNative(addr);
      if (n < 0) return recordWsa(WSAEAFNOSUPPORT);
      const r = libc.bind(fd(s), native, n);
      return r === 0 ? 0 : recordErrno(loader.errno());
    },
    connect(s, addr) {
      if (fd(s) < 0) return notSocket();
      const n = toNative(addr);
      if (n < 0) return recordWsa(WSAEAFNOSUPPORT);
      const h = fd(s);
      const r = libc.connect(h, native, n);
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
      nativeLength[0] = native.length;
      let h: number;
      if (accept4 !== undefined && k.accept4 !== undefined) {
        // Close-on-exec from the start. accept4 takes the new socket's O_NONBLOCK from its flags
        // only, and Linux's accept never inherits it; Winsock and BSD's accept do: pass it on.
        const fl = libc.fcntl(listener, F_GETFL);
        if (fl === -1) return BigInt(recordErrno(loader.errno()));
        const nonblock = (fl & k.oNonBlock) !== 0 ? k.accept4.nonblock : 0;
        h = accept4(listener, native, nativeLength, k.accept4.cloexec | nonblock);
      } else {
        h = libc.accept(listener, native, nativeLength);
      }
      if (h < 0) return BigInt(recordErrnoIn("accept", listener, loader.errno()));
      if (!afterCreate(h)) return -1n;
      length[0] = fromNative(addr);
      return BigInt(h);
    },
    send(s, data, length, flags) {
      if (fd(s) < 0) return notSocket();
      const h = fd(s);
      const r = Number(libc.send(h, data, length, flags | k.sendFlags));
      return r >= 0 ? r : recordErrnoIn("send", h, loader.errno());
    },
    recv(s, into, length, flags) {
      if (fd(s) < 0) return notSocket();
      const h = fd(s);
      const r = Number(libc.recv(h, into, length, flags));
      return r >= 0 ? r : recordErrnoIn("recv", h, loader.errno());
    },
    sendTo(s, data, length, flags, addr) {
      if (fd(s) < 0) return notSocket();
      const n = toNative(addr);
      if (n < 0) return recordWsa(WSAEAFNOSUPPORT);
      const h = fd(s);
      const r = Number(libc.sendto(h, data, length, flags | k.sendFlags, native, n));
      return r >= 0 ? r : recordErrnoIn("send", h, loader.errno());
    },
    recvFrom(s, into, intoLength, flags, addr, length) {
      if (fd(s) < 0) return notSocket();
      nativeLength[0] = native.length;
      const h = fd(s);
      const r = Number(libc.recvfrom(h, into, intoLength, flags, native, nativeLength));
      if (r < 0) return recordErrnoIn("recv", h, loader.errno());
      length[0] = fromNative(addr);
      return r;
    },
    localName(s, addr, length) {
      if (fd(s) < 0) return notSocket();
      nativeLength[0] = native.length;
      const r = libc.getsockname(fd(s), native, nativeLength);
      if (r !== 0) return recordErrno(loader.errno());
      length[0] = fromNative(addr);
      return 0;
    },
    peerName(s, addr, length) {
      if (fd(s) < 0) return notSocket();
      nativeLength[0] = native.length;
      const r = libc.getpeername(fd(s), native, nativeLength);
      if (r !== 0) return recordErrno(loader.errno());
      length[0] = fromNative(addr);
      return 0;
    },
    setOption(s, name, value) {
      if (fd(s) < 0) return notSocket();
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
      }
      const r = libc.setsockopt(fd(s), level, opt, optBuf, len);
      return r === 0 ? 0 : recordErrno(loader.errno());
    },
    getOption(s, name, out) {
      if (fd(s) < 0) return notSocket();
      const [level, opt, kind] = k.options[name];
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
    wsaIoctl(s, code, input, inLength, output, outLength) {
      if (code !== FIONREAD && code !== FIONBIO && code !== SIOCATMARK) {
        throw new UnsupportedError(ioctlName(code) ?? hex(code), os, code);
      }
      if (requests === undefined) {
        // Request numbers not verified for this CPU: refuse rather than send a guess.
        throw new UnsupportedError(ioctlName(code)!, `${os} on ${loader.arch}`, code);
      }
      const f = fd(s);
      if (f < 0) return notSocket();
      switch (code) {
        case FIONREAD: {
          if (!isSocket(f)) return -1;
          if (output === null || outLength < 4) return recordWsa(WSAEFAULT);
          const r = ioctl3(f, requests.fionread, intArg);
          if (r === -1) {
            const e = loader.errno();
            // Linux refuses FIONREAD on a listening socket (tcp(7)); Winsock answers 0.
            if (e === 22 && os === "linux" && isListening(s)) intArg[0] = 0;
            else return recordErrno(e);
          }
          writeU32(output, intArg[0]);
          return 4;
        }
        case FIONBIO: {
          if (!isSocket(f)) return -1;
          if (input === null || inLength < 4) return recordWsa(WSAEFAULT);
          intArg[0] = (input[0] | input[1] | input[2] | input[3]) !== 0 ? 1 : 0;
          const r = ioctl3(f, requests.fionbio, intArg);
          if (r === -1) return recordErrno(loader.errno());
          return 0;
        }
        default: {
          // SIOCATMARK. Winsock answers TRUE when no urgent (OOB) byte is waiting to be read;
          // POSIX answers "the read pointer is at the mark". SO_OOBINLINE decides how to get
          // Winsock's answer, and reading it is also the socket check (ENOTSOCK otherwise).
          optLength[0] = 4;
          const [level, name] = k.options.oobInline;
          if (libc.getsockopt(f, level, name, optBuf, optLength) !== 0) {
            return recordErrno(loader.errno());
          }
          const inline = optView.getInt32(0, true) !== 0;
          if (output === null || outLength < 4) return recordWsa(WSAEFAULT);
          // The native call refuses what Winsock refuses (a datagram socket: WSAEINVAL); its
          // answer alone cannot tell "no urgent byte" from "urgent byte further ahead".
          const r = ioctl3(f, requests.siocatmark, intArg);
          if (r === -1) return recordErrno(loader.errno());
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
            if (n === -1) return recordErrno(loader.errno());
            waiting = (pollEvents[1] & POLLPRI) !== 0;
          } else {
            // Peeking (without blocking) for the OOB byte: a byte (or EAGAIN: announced, not
            // yet arrived) means one is waiting; EINVAL means none (or already read).
            const p = Number(libc.recv(f, peekByte, 1, MSG_OOB | MSG_PEEK | dontWait));
            waiting = p >= 0 || loader.errno() === (os === "linux" ? 11 : 35);
          }
          writeU32(output, waiting ? 0 : 1);
          return 4;
        }
      }
    },
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
  };
  return port;
}

function writeU32(out: Uint8Array, v: number): void {
  out[0] = v & 0xff;
  out[1] = (v >>> 8) & 0xff;
  out[2] = (v >>> 16) & 0xff;
  out[3] = (v >>> 24) & 0xff;
}

function hex(code: number): string {
  return `0x${(code >>> 0).toString(16).padStart(8, "0")}`;
}

/** The Unix-compatible codes the POSIX native layer runs (the rest throw `UnsupportedError`). */
export const POSIX_IOCTLS: readonly number[] = [FIONBIO, FIONREAD, SIOCATMARK];
