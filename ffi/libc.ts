/**
 * Internal: the libc symbol tables (Linux glibc, macOS libSystem, the BSDs) and the numbers the
 * POSIX implementation (`posix.ts`) speaks on each system: address family, socket and message
 * flags, socket option levels and names, and the request numbers of the three Unix-compatible
 * control codes, each used only where it is verified against the system's headers. Data only: the
 * calls built on them live in `posix.ts` and its `_posix_*.ts` helpers. Numbers: Linux uapi
 * (asm-generic) and glibc headers, FreeBSD and XNU `sys/*.h`.
 *
 * @module
 */

import type { SymbolTable } from "./_types.ts";
import type { SocketOptionName } from "./native.ts";

/** libc: the socket calls, `ioctl`, `close`, `fcntl`, `poll`, `getifaddrs`. */
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
  getifaddrs: { parameters: ["buffer"], result: "i32" }, // struct ifaddrs** ifap
  // The list getifaddrs handed out, passed back by its address.
  freeifaddrs: { parameters: ["u64"], result: "void" }, // struct ifaddrs* ifa
} as const satisfies SymbolTable;

/**
 * `getsockopt`, `ioctl` and `recvmsg` again, their pointers passed as native addresses
 * (`usize`): bound only under node:ffi, which converts every buffer argument to a new bigint on
 * each call (24 bytes each), for the native layer's own scratch buffers, whose addresses it takes
 * once. Bound from a library opened apart from {@link LIBC}'s (node:ffi refuses a second
 * signature for one symbol of one library). `ioctl` here takes its variadic pointer as a named
 * argument: used only where {@link LIBC}'s is (not on macOS/arm64, see
 * {@link LIBC_IOCTL_DARWIN_ARM64}).
 */
export const LIBC_AT = {
  getsockopt: {
    // int fd, int level, int optname, void* optval, socklen_t* optlen
    parameters: ["i32", "i32", "i32", "usize", "usize"],
    result: "i32",
  },
  ioctl: { parameters: ["i32", "u64", "usize"], result: "i32" }, // int fd, unsigned long request, void* arg
  recvmsg: { parameters: ["i32", "usize", "i32"], result: "i32" }, // int fd, struct msghdr* msg, int flags
} as const satisfies SymbolTable;

/**
 * `accept4`, opened only where the native layer uses it (Linux, FreeBSD): macOS's libc has none,
 * and a missing symbol fails the whole table.
 */
export const LIBC_ACCEPT4 = {
  accept4: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" }, // int fd, sockaddr*, socklen_t*, int flags
} as const satisfies SymbolTable;

/**
 * Apple's arm64 ABI passes variadic arguments on the stack: eight register-sized dummies fill
 * x2..x7 (six) so that the pointer lands in the first stack slot, where `va_arg` reads it.
 */
export const LIBC_IOCTL_DARWIN_ARM64 = {
  ioctl: {
    // int fd, unsigned long request, 6 × unused register slots, void* arg (first stack slot)
    parameters: ["i32", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "buffer"],
    result: "i32",
  },
} as const satisfies SymbolTable;

/**
 * How a socket option's value is encoded on POSIX; `"none"` where the system's number for the
 * option is not verified (the native layer then refuses the option without a native call).
 */
export type PosixOptionKind = "int" | "bool" | "timeval" | "linger" | "error" | "none";

/** The `IFF_*` bits of `ifa_flags` (net/if.h) that the interface queries translate. */
export interface PosixInterfaceFlags {
  /** IFF_UP: administratively up. */
  readonly up: number;
  /** IFF_BROADCAST. */
  readonly broadcast: number;
  /** IFF_LOOPBACK. */
  readonly loopback: number;
  /** IFF_POINTOPOINT. */
  readonly pointToPoint: number;
  /** IFF_RUNNING: operationally up (a link, resources allocated). */
  readonly running: number;
  /** IFF_MULTICAST. */
  readonly multicast: number;
}

/** Per-platform constants (Linux, or the BSD family incl. macOS). */
export interface PosixConstants {
  /** AF_INET6's own number. */
  readonly af6: number;
  /** sockaddr has a leading `sa_len` byte (BSD). */
  readonly saLen: boolean;
  /** Flags or-ed into socket()'s type (SOCK_CLOEXEC where socket() takes it). */
  readonly socketFlags: number;
  /**
   * `accept4`'s SOCK_CLOEXEC and SOCK_NONBLOCK where libc has it; undefined elsewhere (macOS),
   * where `accept` is used and the new socket gets close-on-exec from {@link fioclex}.
   */
  readonly accept4: { readonly cloexec: number; readonly nonblock: number } | undefined;
  /** FIOCLEX, run on each new socket where socket()/accept() cannot set close-on-exec; or 0n. */
  readonly fioclex: bigint;
  /** Flags or-ed into send()/sendto() (MSG_NOSIGNAL). */
  readonly sendFlags: number;
  /** MSG_DONTWAIT: one call nonblocking, whatever the socket's mode. */
  readonly dontWait: number;
  /** SO_NOSIGPIPE to set on each new socket (macOS), or 0. */
  readonly noSigPipe: number;
  /** O_NONBLOCK in the file status flags (F_GETFL). */
  readonly oNonBlock: number;
  /** option → [level, name, kind]. */
  readonly options: Readonly<Record<SocketOptionName, readonly [number, number, PosixOptionKind]>>;
  /** The interface flags of `getifaddrs`. */
  readonly iff: PosixInterfaceFlags;
}

const LINUX: PosixConstants = {
  af6: 10,
  saLen: false,
  socketFlags: 0x80000, // SOCK_CLOEXEC
  accept4: { cloexec: 0x80000, nonblock: 0x800 }, // SOCK_CLOEXEC, SOCK_NONBLOCK
  fioclex: 0n,
  sendFlags: 0x4000, // MSG_NOSIGNAL
  dontWait: 0x40, // MSG_DONTWAIT
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
    keepAliveIdle: [6, 4, "int"], // IPPROTO_TCP, TCP_KEEPIDLE (seconds; netinet/tcp.h)
    keepAliveInterval: [6, 5, "int"], // IPPROTO_TCP, TCP_KEEPINTVL (seconds)
    keepAliveCount: [6, 6, "int"], // IPPROTO_TCP, TCP_KEEPCNT (probes)
    v6Only: [41, 26, "bool"], // IPPROTO_IPV6, IPV6_V6ONLY
  },
  // include/uapi/linux/if.h
  iff: {
    up: 0x1,
    broadcast: 0x2,
    loopback: 0x8,
    pointToPoint: 0x10,
    running: 0x40,
    multicast: 0x1000,
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
  dontWait: 0x80, // MSG_DONTWAIT
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
    keepAliveIdle: [6, 0x10, "int"], // IPPROTO_TCP, TCP_KEEPALIVE (seconds; XNU netinet/tcp.h)
    keepAliveInterval: [6, 0x101, "int"], // IPPROTO_TCP, TCP_KEEPINTVL (seconds)
    keepAliveCount: [6, 0x102, "int"], // IPPROTO_TCP, TCP_KEEPCNT (probes)
    v6Only: [41, 27, "bool"], // IPPROTO_IPV6, IPV6_V6ONLY
  },
  // net/if.h (XNU, FreeBSD, OpenBSD, NetBSD alike for these six): Linux's numbers, except
  // IFF_MULTICAST.
  iff: { ...LINUX.iff, multicast: 0x8000 },
};

/** FreeBSD (10.0 and later): socket() takes SOCK_CLOEXEC, and libc has accept4 (sys/socket.h). */
const FREEBSD: PosixConstants = {
  ...BSD,
  af6: 28,
  socketFlags: 0x10000000, // SOCK_CLOEXEC
  accept4: { cloexec: 0x10000000, nonblock: 0x20000000 }, // SOCK_CLOEXEC, SOCK_NONBLOCK
  fioclex: 0n,
  options: {
    ...BSD.options,
    keepAliveIdle: [6, 256, "int"], // IPPROTO_TCP, TCP_KEEPIDLE (seconds; sys/netinet/tcp.h)
    keepAliveInterval: [6, 512, "int"], // IPPROTO_TCP, TCP_KEEPINTVL (seconds)
    keepAliveCount: [6, 1024, "int"], // IPPROTO_TCP, TCP_KEEPCNT (probes)
  },
};

/**
 * Any other POSIX system: the BSD family's constants (macOS's), with AF_INET6 28, and no
 * keep-alive timing options (their numbers differ between the BSDs: OpenBSD's 0x10 is
 * TCP_NOPUSH, and it has no TCP_KEEPIDLE at all).
 */
const OTHER: PosixConstants = {
  ...BSD,
  af6: 28,
  options: {
    ...BSD.options,
    keepAliveIdle: [6, 0, "none"],
    keepAliveInterval: [6, 0, "none"],
    keepAliveCount: [6, 0, "none"],
  },
};

/**
 * The constants of one POSIX system.
 *
 * @param os `"linux"`, `"darwin"`, `"freebsd"`; any other system gets macOS's constants with
 * AF_INET6 28.
 * @returns The constants.
 */
export function posixConstants(os: string): PosixConstants {
  return os === "linux" ? LINUX : os === "freebsd" ? FREEBSD : os === "darwin" ? BSD : OTHER;
}

/**
 * `struct ifaddrs` on the 64-bit systems (glibc and musl ifaddrs.h, XNU and FreeBSD ifaddrs.h lay
 * it out alike): byte offsets of the members the interface queries read. Linux's
 * `ifa_ifu` union and the BSDs' `ifa_dstaddr` (alias `ifa_broadaddr`) share offset 40.
 */
export const IFADDRS = {
  /** sizeof(struct ifaddrs). */
  size: 56,
  /** struct ifaddrs* ifa_next. */
  next: 0,
  /** unsigned int ifa_flags (after char* ifa_name at 8). */
  flags: 16,
  /** struct sockaddr* ifa_addr. */
  addr: 24,
  /** struct sockaddr* ifa_netmask. */
  netmask: 32,
  /** struct sockaddr* ifa_broadaddr (IFF_BROADCAST) / ifa_dstaddr (IFF_POINTOPOINT). */
  broadaddr: 40,
} as const;

/**
 * The CPUs whose `struct ifaddrs` is {@link IFADDRS} as read here: 64-bit pointers, little-endian
 * (Deno's and Node's spellings). Elsewhere the interface queries are refused before any native
 * call.
 */
export const IFADDRS_ARCHES: ReadonlySet<string> = new Set([
  "x86_64",
  "aarch64",
  "riscv64",
  "loongarch64",
  "loong64",
]);

/**
 * The longest keep-alive idle time and interval, in seconds, the system's setsockopt takes
 * (TCP_KEEPIDLE / TCP_KEEPALIVE and TCP_KEEPINTVL alike); undefined where none is known.
 *
 * - Linux: MAX_TCP_KEEPIDLE = MAX_TCP_KEEPINTVL = 32767 (include/net/tcp.h; EINVAL above);
 * - macOS: UINT32_MAX / TCP_RETRANSHZ (1000) = 4294967 (XNU bsd/netinet/tcp_usrreq.c);
 * - FreeBSD: UINT_MAX / hz, 4294967 at the default hz of 1000 (sys/netinet/tcp_usrreq.c). hz is
 *   a boot-time tunable: a kernel run with a larger one has a lower cap and refuses times this
 *   check lets through, which the keep-alive translation covers by putting back what it changed.
 *
 * @param os The operating system.
 * @returns The limit in seconds.
 */
export function keepAliveLimit(os: string): number | undefined {
  return os === "linux" ? 32767 : os === "darwin" || os === "freebsd" ? 4294967 : undefined;
}

/** `SOCK_DGRAM`: 2 on Linux (outside MIPS, not in {@link IFADDRS_ARCHES}) and the BSDs. */
export const SOCK_DGRAM = 2;

/** `F_GETFL`: the same on Linux and the BSDs. */
export const F_GETFL = 3;
/** `POLLPRI`: urgent data to read (the same on Linux and the BSDs). */
export const POLLPRI = 0x2;
/** Linux's `SOL_SOCKET` and `SO_ACCEPTCONN` (asked only on Linux). */
export const LINUX_SO_ACCEPTCONN: readonly [number, number] = [1, 30];
/** Linux's `IPPROTO_TCP` and `TCP_INFO` (linux/tcp.h): `struct tcp_info`. */
export const LINUX_TCP_INFO: readonly [number, number] = [6, 11];
/**
 * macOS's `IPPROTO_TCP` and `TCP_CONNECTION_INFO` (XNU netinet/tcp.h 0x106, macOS 10.11 and
 * later): `struct tcp_connection_info`.
 */
export const DARWIN_TCP_CONNECTION_INFO: readonly [number, number] = [6, 0x106];

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
 * import { posixIoctlNumbers } from "./libc.ts";
 * posixIoctlNumbers("linux", "x86_64")?.fionread; // 0x541bn
 * posixIoctlNumbers("linux", "mips64"); // undefined
 * ```
 */
export function posixIoctlNumbers(os: string, arch: string): PosixIoctlNumbers | undefined {
  if (os === "linux") return LINUX_GENERIC_ARCHES.has(arch) ? LINUX_GENERIC_IOCTLS : undefined;
  if (os === "darwin" || os === "freebsd") return BSD_ARCHES.has(arch) ? BSD_IOCTLS : undefined;
  return undefined;
}

/**
 * The descriptor table's size (`getdtablesize()`: the soft RLIMIT_NOFILE), bounding the
 * descriptors `handleOf` looks at where it cannot list them (`_posix_fds.ts`). Every POSIX libc.
 */
export const LIBC_FD_LIMIT = {
  getdtablesize: { parameters: [], result: "i32" }, // void
} as const satisfies SymbolTable;

/**
 * Listing `/proc/self/fd` (Linux): the directory is opened with `opendir` and its entries read
 * with `getdents64` (glibc 2.30 and later) into a buffer the layer owns, so no `struct dirent`
 * pointer has to be followed. Opened apart from {@link LIBC}: a libc without `getdents64` fails
 * only this table, and `_posix_fds.ts` falls back to probing a range.
 */
export const LIBC_LINUX_FDS = {
  opendir: { parameters: ["buffer"], result: "usize" }, // const char* name → DIR*
  dirfd: { parameters: ["usize"], result: "i32" }, // DIR* dirp
  getdents64: { parameters: ["i32", "buffer", "usize"], result: "isize" }, // int fd, void* dirp, size_t count
  closedir: { parameters: ["usize"], result: "i32" }, // DIR* dirp
} as const satisfies SymbolTable;

/**
 * `fstat`, for a socket's identity (`NativeApi.socketIdentity`; Linux only). Optional: glibc
 * exports `fstat` from 2.33 on (before, only `__fxstat`), and an older one has no identity rather
 * than no libc.
 */
export const LIBC_LINUX_FSTAT = {
  fstat: { parameters: ["i32", "buffer"], result: "i32", optional: true }, // int fd, struct stat* buf
} as const satisfies SymbolTable;

/**
 * `struct stat` on 64-bit Linux, as far as a socket's identity reads it: `dev_t st_dev` (8 bytes)
 * at 0 and `ino_t st_ino` (8 bytes) at 8 on x86_64 (glibc's own layout, 144 bytes) and on the
 * CPUs that take asm-generic/stat.h's layout (128 bytes), both checked with gcc's `offsetof`.
 * Only equality is asked of them, so their byte order does not matter.
 */
export const LINUX_STAT = {
  /** Room for the largest of the layouts (x86_64's 144 bytes). */
  size: 144,
  /** dev_t st_dev. */
  dev: 0,
  /** ino_t st_ino. */
  ino: 8,
} as const;

/** The CPUs whose Linux `struct stat` is {@link LINUX_STAT} as read here (Deno's and Node's names). */
export const LINUX_STAT_ARCHES: ReadonlySet<string> = new Set([
  "x86_64",
  "aarch64",
  "riscv64",
  "loongarch64",
  "loong64",
]);

/** `getpid()` (every POSIX libc): macOS's routing socket writes the asker's id in its replies. */
export const LIBC_PID = {
  getpid: { parameters: [], result: "i32" }, // void
} as const satisfies SymbolTable;

/** `POLLNVAL`: poll()'s answer for a descriptor that is not open (Linux and the BSDs). */
export const POLLNVAL = 0x20;

/** A socket option as `[level, name]`. */
export type SocketOptionId = readonly [level: number, name: number];

/**
 * The socket options the portable set of control codes (`_posix_portable.ts`) is translated to,
 * on one system.
 */
export interface PosixPortableOptions {
  /** IPPROTO_IP, IP_MULTICAST_TTL (an `int`; macOS takes a `u_char` or an `int`). */
  readonly multicastTtl: SocketOptionId;
  /** IPPROTO_IP, IP_MULTICAST_LOOP (an `int`; macOS takes a `u_char` or an `int`). */
  readonly multicastLoop: SocketOptionId;
  /** IPPROTO_IPV6, IPV6_MULTICAST_HOPS (an `int`). */
  readonly multicastHops6: SocketOptionId;
  /** IPPROTO_IPV6, IPV6_MULTICAST_LOOP (an `int`, a `u_int` on macOS). */
  readonly multicastLoop6: SocketOptionId;
  /**
   * SOL_SOCKET, SO_INCOMING_CPU, SO_REUSEPORT and SO_PROTOCOL, where the system has
   * SO_INCOMING_CPU (Linux); `undefined` elsewhere.
   */
  readonly cpu:
    | {
      /** SO_INCOMING_CPU (an `int`, Linux 3.19 to read, 4.4 to set). */
      readonly incomingCpu: SocketOptionId;
      /** SO_REUSEPORT (an `int`). */
      readonly reusePort: SocketOptionId;
      /** SO_PROTOCOL (an `int`, read only). */
      readonly protocol: SocketOptionId;
    }
    | undefined;
}

// Linux: include/uapi/linux/in.h and in6.h (every CPU), include/uapi/asm-generic/socket.h;
// checked against this machine's headers by tests/posix_portable_c_test.ts.
const LINUX_PORTABLE: PosixPortableOptions = Object.freeze(
  {
    multicastTtl: [0, 33], // IPPROTO_IP, IP_MULTICAST_TTL
    multicastLoop: [0, 34], // IPPROTO_IP, IP_MULTICAST_LOOP
    multicastHops6: [41, 18], // IPPROTO_IPV6, IPV6_MULTICAST_HOPS
    multicastLoop6: [41, 19], // IPPROTO_IPV6, IPV6_MULTICAST_LOOP
    cpu: Object.freeze(
      {
        incomingCpu: [1, 49], // SOL_SOCKET, SO_INCOMING_CPU
        reusePort: [1, 15], // SOL_SOCKET, SO_REUSEPORT
        protocol: [1, 38], // SOL_SOCKET, SO_PROTOCOL
      } as const,
    ),
  } as const,
);

// macOS: XNU bsd/netinet/in.h ("#define IP_MULTICAST_TTL 10", "#define IP_MULTICAST_LOOP 11")
// and bsd/netinet6/in6.h ("#define IPV6_MULTICAST_HOPS 10", "#define IPV6_MULTICAST_LOOP 11"),
// xnu-11417.101.15. No SO_INCOMING_CPU.
const DARWIN_PORTABLE: PosixPortableOptions = Object.freeze(
  {
    multicastTtl: [0, 10], // IPPROTO_IP, IP_MULTICAST_TTL
    multicastLoop: [0, 11], // IPPROTO_IP, IP_MULTICAST_LOOP
    multicastHops6: [41, 10], // IPPROTO_IPV6, IPV6_MULTICAST_HOPS
    multicastLoop6: [41, 11], // IPPROTO_IPV6, IPV6_MULTICAST_LOOP
    cpu: undefined,
  } as const,
);

/**
 * The socket options of the portable set, where they are verified: Linux on the CPUs whose
 * `SOL_SOCKET` options are asm-generic's (those of {@link posixIoctlNumbers}), and macOS.
 * Elsewhere the portable codes are refused (`UnsupportedError`) before any native call.
 *
 * @param os The operating system as the runtime names it.
 * @param arch The CPU as Deno names it.
 * @returns The options, or `undefined` when they are not verified for this platform.
 * @example
 * ```ts
 * import { posixPortableOptions } from "./libc.ts";
 * posixPortableOptions("linux", "x86_64")?.multicastTtl; // [0, 33]
 * posixPortableOptions("darwin", "aarch64")?.cpu; // undefined: macOS has no SO_INCOMING_CPU
 * ```
 */
export function posixPortableOptions(os: string, arch: string): PosixPortableOptions | undefined {
  if (os === "linux") return LINUX_GENERIC_ARCHES.has(arch) ? LINUX_PORTABLE : undefined;
  return os === "darwin" ? DARWIN_PORTABLE : undefined;
}

/**
 * The calls behind packet timestamps and their clock (`_posix_timestamps.ts`), opened apart, the
 * first time one is needed. `sendmsg` and `recvmsg` return a `ssize_t`, bound as `i32`: on the
 * 64-bit CPUs where timestamps run (x86-64, arm64, riscv64, loongarch64) the caller reads the low
 * half of the result register, which holds every count these calls return (each transfer is
 * clamped to 2^31-1 bytes) and -1; a 64-bit result would cost a bigint per call.
 */
export const LIBC_TIMESTAMPS = {
  sendmsg: { parameters: ["i32", "buffer", "i32"], result: "i32" }, // int fd, const struct msghdr* msg, int flags
  recvmsg: { parameters: ["i32", "buffer", "i32"], result: "i32" }, // int fd, struct msghdr* msg, int flags
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" }, // clockid_t clockid, struct timespec* tp
  uname: { parameters: ["buffer"], result: "i32" }, // struct utsname* buf
} as const satisfies SymbolTable;

/**
 * `struct msghdr` and `struct cmsghdr` on one 64-bit system: byte offsets, sizes, and the
 * alignment of `CMSG_DATA` / `CMSG_NXTHDR`.
 */
export interface MsghdrLayout {
  /** sizeof(struct msghdr). */
  readonly size: number;
  /** void* msg_name. */
  readonly name: number;
  /** socklen_t msg_namelen. */
  readonly namelen: number;
  /** struct iovec* msg_iov. */
  readonly iov: number;
  /** msg_iovlen (size_t on Linux, int on macOS: 1 fits both). */
  readonly iovlen: number;
  /** void* msg_control. */
  readonly control: number;
  /** msg_controllen (size_t on Linux, socklen_t on macOS: written as a u32, the rest 0). */
  readonly controllen: number;
  /** int msg_flags. */
  readonly flags: number;
  /** sizeof(struct cmsghdr), and where CMSG_DATA starts. */
  readonly cmsgHeader: number;
  /** cmsg_len's size: 8 (size_t, Linux) or 4 (socklen_t, macOS). */
  readonly cmsgLenSize: number;
  /** int cmsg_level. */
  readonly cmsgLevel: number;
  /** int cmsg_type. */
  readonly cmsgType: number;
  /** The alignment of each header (CMSG_ALIGN). */
  readonly cmsgAlign: number;
}

/** glibc/musl on 64-bit Linux (bits/socket.h): msghdr 56 bytes, cmsghdr 16, 8-aligned. */
export const LINUX_MSGHDR: MsghdrLayout = Object.freeze({
  size: 56,
  name: 0,
  namelen: 8,
  iov: 16,
  iovlen: 24,
  control: 32,
  controllen: 40,
  flags: 48,
  cmsgHeader: 16,
  cmsgLenSize: 8,
  cmsgLevel: 8,
  cmsgType: 12,
  cmsgAlign: 8,
});

/**
 * macOS on x86-64 and arm64 (XNU sys/socket.h): msghdr 48 bytes (`int msg_iovlen`, `socklen_t
 * msg_controllen`), cmsghdr 12 bytes, 4-aligned (`__DARWIN_ALIGN32`).
 */
export const DARWIN_MSGHDR: MsghdrLayout = Object.freeze({
  ...LINUX_MSGHDR, // msg_name .. msg_controllen at the same offsets
  size: 48,
  flags: 44,
  cmsgHeader: 12,
  cmsgLenSize: 4,
  cmsgLevel: 4,
  cmsgType: 8,
  cmsgAlign: 4,
});

/**
 * Linux's timestamping numbers (uapi asm-generic/socket.h, linux/net_tstamp.h,
 * linux/errqueue.h, in.h, in6.h, bits/socket.h, time.h), on the 64-bit CPUs where the `_OLD`
 * socket options carry 64-bit times.
 */
export const LINUX_TIMESTAMPING = Object.freeze({
  /** SOL_SOCKET. */
  solSocket: 1,
  /** SO_TYPE. */
  soType: 3,
  /** SO_TIMESTAMPING (= SO_TIMESTAMPING_OLD) and its control message SCM_TIMESTAMPING. */
  soTimestamping: 37,
  /** SO_COOKIE: a socket's 64-bit identity, never reused while the system runs. */
  soCookie: 57,
  /** SCM_TS_OPT_ID: the per-send id control message (Linux 6.13 and later). */
  scmTsOptId: 81,
  /** SOL_IP and IP_RECVERR: the sock_extended_err of an IPv4 socket's error queue. */
  ipRecvErr: [0, 11] as const,
  /** SOL_IPV6 and IPV6_RECVERR: the same on an IPv6 socket. */
  ipv6RecvErr: [41, 25] as const,
  /** SOF_TIMESTAMPING_TX_SOFTWARE. */
  txSoftware: 1 << 1,
  /** SOF_TIMESTAMPING_RX_SOFTWARE. */
  rxSoftware: 1 << 3,
  /** SOF_TIMESTAMPING_SOFTWARE: report software stamps. */
  software: 1 << 4,
  /** SOF_TIMESTAMPING_OPT_ID: an id per sent datagram, in ee_data. */
  optId: 1 << 7,
  /** SOF_TIMESTAMPING_OPT_TSONLY: the error queue carries the stamp, not the datagram. */
  optTsOnly: 1 << 11,
  /** SO_EE_ORIGIN_TIMESTAMPING. */
  originTimestamping: 4,
  /** SCM_TSTAMP_SND: the stamp taken as the datagram left (ee_info). */
  tstampSnd: 0,
  /** MSG_ERRQUEUE. */
  msgErrQueue: 0x2000,
  /** CLOCK_REALTIME. */
  clockRealtime: 0,
});

/** macOS's receive timestamp (XNU sys/socket.h, time.h): SO_TIMESTAMP / SCM_TIMESTAMP. */
export const DARWIN_TIMESTAMPING = Object.freeze({
  /** SOL_SOCKET. */
  solSocket: 0xffff,
  /** SO_TYPE. */
  soType: 0x1008,
  /** SO_TIMESTAMP: a `struct timeval` with each datagram received. */
  soTimestamp: 0x400,
  /** SCM_TIMESTAMP: its control message type. */
  scmTimestamp: 0x02,
  /** CLOCK_REALTIME (_CLOCK_REALTIME). */
  clockRealtime: 0,
});
