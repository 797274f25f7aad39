/**
 * The Windows Sockets error codes by number (every WSA* code of winerror.h, named), and the
 * errno names of the POSIX systems the native layer runs on: what {@link WinsockError} names its
 * codes with. Pure data: no FFI.
 *
 * @example
 * ```ts
 * import { wsaErrorName } from "@x/wsioctl";
 * wsaErrorName(10054); // "WSAECONNRESET"
 * ```
 *
 * @module
 */

/** One named Windows Sockets error: its symbolic name (as in winerror.h) and a short message. */
export interface WsaErrorInfo {
  /** The symbolic name, e.g. `"WSAEFAULT"`. */
  readonly name: string;
  /** A short lowercase description, e.g. `"bad address"`. */
  readonly message: string;
}

/**
 * Every Windows Sockets error code of winerror.h (WSAEINTR 10004 … WSA_IPSEC_NAME_POLICY_ERROR
 * 11033), plus the winsock2.h aliases of Win32 errors that `WSAGetLastError` can return
 * (WSA_INVALID_HANDLE, WSA_IO_PENDING, …), keyed by number.
 *
 * @example
 * ```ts
 * import { WSA_ERRORS } from "@x/wsioctl";
 * console.log(WSA_ERRORS[10014].name); // "WSAEFAULT"
 * ```
 */
export const WSA_ERRORS: Readonly<Record<number, WsaErrorInfo>> = Object.freeze({
  6: { name: "WSA_INVALID_HANDLE", message: "specified event object handle is invalid" },
  8: { name: "WSA_NOT_ENOUGH_MEMORY", message: "insufficient memory available" },
  87: { name: "WSA_INVALID_PARAMETER", message: "one or more parameters are invalid" },
  995: { name: "WSA_OPERATION_ABORTED", message: "overlapped operation aborted" },
  996: { name: "WSA_IO_INCOMPLETE", message: "overlapped I/O event object not in signaled state" },
  997: { name: "WSA_IO_PENDING", message: "overlapped operations will complete later" },
  10004: { name: "WSAEINTR", message: "interrupted function call" },
  10009: { name: "WSAEBADF", message: "file handle is not valid" },
  10013: { name: "WSAEACCES", message: "permission denied" },
  10014: { name: "WSAEFAULT", message: "bad address" },
  10022: { name: "WSAEINVAL", message: "invalid argument" },
  10024: { name: "WSAEMFILE", message: "too many open sockets" },
  10035: { name: "WSAEWOULDBLOCK", message: "resource temporarily unavailable" },
  10036: { name: "WSAEINPROGRESS", message: "operation now in progress" },
  10037: { name: "WSAEALREADY", message: "operation already in progress" },
  10038: { name: "WSAENOTSOCK", message: "socket operation on nonsocket" },
  10039: { name: "WSAEDESTADDRREQ", message: "destination address required" },
  10040: { name: "WSAEMSGSIZE", message: "message too long" },
  10041: { name: "WSAEPROTOTYPE", message: "protocol wrong type for socket" },
  10042: { name: "WSAENOPROTOOPT", message: "bad protocol option" },
  10043: { name: "WSAEPROTONOSUPPORT", message: "protocol not supported" },
  10044: { name: "WSAESOCKTNOSUPPORT", message: "socket type not supported" },
  10045: { name: "WSAEOPNOTSUPP", message: "operation not supported" },
  10046: { name: "WSAEPFNOSUPPORT", message: "protocol family not supported" },
  10047: {
    name: "WSAEAFNOSUPPORT",
    message: "address family not supported by protocol family",
  },
  10048: { name: "WSAEADDRINUSE", message: "address already in use" },
  10049: { name: "WSAEADDRNOTAVAIL", message: "cannot assign requested address" },
  10050: { name: "WSAENETDOWN", message: "network is down" },
  10051: { name: "WSAENETUNREACH", message: "network is unreachable" },
  10052: { name: "WSAENETRESET", message: "network dropped connection on reset" },
  10053: { name: "WSAECONNABORTED", message: "software caused connection abort" },
  10054: { name: "WSAECONNRESET", message: "connection reset by peer" },
  10055: { name: "WSAENOBUFS", message: "no buffer space available" },
  10056: { name: "WSAEISCONN", message: "socket is already connected" },
  10057: { name: "WSAENOTCONN", message: "socket is not connected" },
  10058: { name: "WSAESHUTDOWN", message: "cannot send after socket shutdown" },
  10059: { name: "WSAETOOMANYREFS", message: "too many references" },
  10060: { name: "WSAETIMEDOUT", message: "connection timed out" },
  10061: { name: "WSAECONNREFUSED", message: "connection refused" },
  10062: { name: "WSAELOOP", message: "cannot translate name" },
  10063: { name: "WSAENAMETOOLONG", message: "name too long" },
  10064: { name: "WSAEHOSTDOWN", message: "host is down" },
  10065: { name: "WSAEHOSTUNREACH", message: "no route to host" },
  10066: { name: "WSAENOTEMPTY", message: "directory not empty" },
  10067: { name: "WSAEPROCLIM", message: "too many processes" },
  10068: { name: "WSAEUSERS", message: "user quota exceeded" },
  10069: { name: "WSAEDQUOT", message: "disk quota exceeded" },
  10070: { name: "WSAESTALE", message: "stale file handle reference" },
  10071: { name: "WSAEREMOTE", message: "item is remote" },
  10091: { name: "WSASYSNOTREADY", message: "network subsystem is unavailable" },
  10092: { name: "WSAVERNOTSUPPORTED", message: "winsock.dll version out of range" },
  10093: { name: "WSANOTINITIALISED", message: "successful WSAStartup not yet performed" },
  10101: { name: "WSAEDISCON", message: "graceful shutdown in progress" },
  10102: { name: "WSAENOMORE", message: "no more results" },
  10103: { name: "WSAECANCELLED", message: "call has been canceled" },
  10104: { name: "WSAEINVALIDPROCTABLE", message: "procedure call table is invalid" },
  10105: { name: "WSAEINVALIDPROVIDER", message: "service provider is invalid" },
  10106: { name: "WSAEPROVIDERFAILEDINIT", message: "service provider failed to initialize" },
  10107: { name: "WSASYSCALLFAILURE", message: "system call failure" },
  10108: { name: "WSASERVICE_NOT_FOUND", message: "service not found" },
  10109: { name: "WSATYPE_NOT_FOUND", message: "class type not found" },
  10110: { name: "WSA_E_NO_MORE", message: "no more results" },
  10111: { name: "WSA_E_CANCELLED", message: "call was canceled" },
  10112: { name: "WSAEREFUSED", message: "database query was refused" },
  11001: { name: "WSAHOST_NOT_FOUND", message: "host not found" },
  11002: { name: "WSATRY_AGAIN", message: "nonauthoritative host not found" },
  11003: { name: "WSANO_RECOVERY", message: "this is a nonrecoverable error" },
  11004: { name: "WSANO_DATA", message: "valid name, no data record of requested type" },
  11005: { name: "WSA_QOS_RECEIVERS", message: "QoS receivers" },
  11006: { name: "WSA_QOS_SENDERS", message: "QoS senders" },
  11007: { name: "WSA_QOS_NO_SENDERS", message: "no QoS senders" },
  11008: { name: "WSA_QOS_NO_RECEIVERS", message: "QoS no receivers" },
  11009: { name: "WSA_QOS_REQUEST_CONFIRMED", message: "QoS request confirmed" },
  11010: { name: "WSA_QOS_ADMISSION_FAILURE", message: "QoS admission error" },
  11011: { name: "WSA_QOS_POLICY_FAILURE", message: "QoS policy failure" },
  11012: { name: "WSA_QOS_BAD_STYLE", message: "QoS bad style" },
  11013: { name: "WSA_QOS_BAD_OBJECT", message: "QoS bad object" },
  11014: { name: "WSA_QOS_TRAFFIC_CTRL_ERROR", message: "QoS traffic control error" },
  11015: { name: "WSA_QOS_GENERIC_ERROR", message: "QoS generic error" },
  11016: { name: "WSA_QOS_ESERVICETYPE", message: "QoS service type error" },
  11017: { name: "WSA_QOS_EFLOWSPEC", message: "QoS flowspec error" },
  11018: { name: "WSA_QOS_EPROVSPECBUF", message: "invalid QoS provider buffer" },
  11019: { name: "WSA_QOS_EFILTERSTYLE", message: "invalid QoS filter style" },
  11020: { name: "WSA_QOS_EFILTERTYPE", message: "invalid QoS filter type" },
  11021: { name: "WSA_QOS_EFILTERCOUNT", message: "incorrect QoS filter count" },
  11022: { name: "WSA_QOS_EOBJLENGTH", message: "invalid QoS object length" },
  11023: { name: "WSA_QOS_EFLOWCOUNT", message: "incorrect QoS flow count" },
  11024: { name: "WSA_QOS_EUNKOWNPSOBJ", message: "unrecognized QoS object" },
  11025: { name: "WSA_QOS_EPOLICYOBJ", message: "invalid QoS policy object" },
  11026: { name: "WSA_QOS_EFLOWDESC", message: "invalid QoS flow descriptor" },
  11027: { name: "WSA_QOS_EPSFLOWSPEC", message: "invalid QoS provider-specific flowspec" },
  11028: { name: "WSA_QOS_EPSFILTERSPEC", message: "invalid QoS provider-specific filterspec" },
  11029: { name: "WSA_QOS_ESDMODEOBJ", message: "invalid QoS shape discard mode object" },
  11030: { name: "WSA_QOS_ESHAPERATEOBJ", message: "invalid QoS shaping rate object" },
  11031: { name: "WSA_QOS_RESERVED_PETYPE", message: "reserved policy QoS element type" },
  11032: { name: "WSA_SECURE_HOST_NOT_FOUND", message: "no such host is known securely" },
  11033: {
    name: "WSA_IPSEC_NAME_POLICY_ERROR",
    message: "name based IPSEC policy could not be added",
  },
});

/**
 * The symbolic name of a Windows Sockets error code.
 *
 * @param code A WSA error code, e.g. `10014`.
 * @returns The name, e.g. `"WSAEFAULT"`, or `undefined` when the code is not a known WSA error.
 * @example
 * ```ts
 * import { wsaErrorName } from "@x/wsioctl";
 * wsaErrorName(10035); // "WSAEWOULDBLOCK"
 * ```
 */
export function wsaErrorName(code: number): string | undefined {
  return Object.hasOwn(WSA_ERRORS, code) ? WSA_ERRORS[code].name : undefined;
}

/**
 * Where the codes of errnos without a Winsock meaning start. On Linux and macOS an errno that has a
 * Windows Sockets counterpart is reported as that WSA code; any other errno `n` is reported as
 * `UNMAPPED_ERRNO_BASE + n`, so that it never reads as an unrelated WSA name (Linux's EDEADLK 35 is
 * not WSAEWOULDBLOCK 10035). The base is bit 29, the bit Win32 leaves to applications for their own
 * error codes: no Windows error has it set.
 *
 * @example
 * ```ts
 * import { UNMAPPED_ERRNO_BASE, WinsockError } from "@x/wsioctl";
 * const e = new WinsockError(UNMAPPED_ERRNO_BASE + 71, { call: "recv", platform: "linux" });
 * e.errno; // 71
 * e.name; // "EPROTO"
 * ```
 */
export const UNMAPPED_ERRNO_BASE = 0x20000000;

/** The largest errno an unmapped code can carry (far above any errno a kernel defines). */
const UNMAPPED_ERRNO_MAX = 0xffff;

/**
 * The errno an error code carries when it is an unmapped errno (see
 * {@link UNMAPPED_ERRNO_BASE}).
 *
 * @param code An error code, as {@link WinsockError.code} or `getOption("error")` gives it.
 * @returns The errno, or `undefined` when `code` is a Windows Sockets code.
 * @example
 * ```ts
 * import { UNMAPPED_ERRNO_BASE, unmappedErrno } from "@x/wsioctl";
 * unmappedErrno(UNMAPPED_ERRNO_BASE + 35); // 35
 * unmappedErrno(10035); // undefined
 * ```
 */
export function unmappedErrno(code: number): number | undefined {
  const n = code - UNMAPPED_ERRNO_BASE;
  return Number.isInteger(n) && n > 0 && n <= UNMAPPED_ERRNO_MAX ? n : undefined;
}

function words(text: string): string[] {
  return text.trim().split(/\s+/).map((w) => (w === "-" ? "" : w));
}
// errno names. 1..34 are the V7 Unix numbers every system kept (but 11: EAGAIN on Linux, EDEADLK
// on the BSDs, which moved EAGAIN to 35). Sources: Linux include/uapi/asm-generic/errno-base.h
// and errno.h (x86-64, arm64, riscv; Alpha, MIPS, SPARC and PA-RISC number differently), FreeBSD
// sys/sys/errno.h, XNU bsd/sys/errno.h. A `-` marks a number the system leaves unused.
const ERRNO_1_34 = words(`
EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT
ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG
ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE
`);
const LINUX_ERRNO_FROM_35 = words(`
EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP - ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST
ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT - EBFONT ENOSTR ENODATA
ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG
EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART
ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT
ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN
ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS
ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM
ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED
EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON
`);
// 35..81: the same on FreeBSD and macOS (35..71 are the numbers Winsock's WSA codes copied).
const BSD_ERRNO_35_81 = words(`
EAGAIN EINPROGRESS EALREADY ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT
EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL
ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN
ETOOMANYREFS ETIMEDOUT ECONNREFUSED ELOOP ENAMETOOLONG EHOSTDOWN EHOSTUNREACH ENOTEMPTY EPROCLIM
EUSERS EDQUOT ESTALE EREMOTE EBADRPC ERPCMISMATCH EPROGUNAVAIL EPROGMISMATCH EPROCUNAVAIL ENOLCK
ENOSYS EFTYPE EAUTH ENEEDAUTH
`);
const DARWIN_ERRNO_FROM_82 = words(`
EPWROFF EDEVERR EOVERFLOW EBADEXEC EBADARCH ESHLIBVERS EBADMACHO ECANCELED EIDRM ENOMSG EILSEQ
ENOATTR EBADMSG EMULTIHOP ENODATA ENOLINK ENOSR ENOSTR EPROTO ETIME EOPNOTSUPP ENOPOLICY
ENOTRECOVERABLE EOWNERDEAD EQFULL
`);
const FREEBSD_ERRNO_FROM_82 = words(`
EIDRM ENOMSG EOVERFLOW ECANCELED EILSEQ ENOATTR EDOOFUS EBADMSG EMULTIHOP ENOLINK EPROTO
ENOTCAPABLE ECAPMODE ENOTRECOVERABLE EOWNERDEAD EINTEGRITY
`);

function errnoNames(...parts: string[][]): readonly string[] {
  return Object.freeze(["", ...parts.flat()]);
}
const BSD_1_34 = ERRNO_1_34.map((n) => (n === "EAGAIN" ? "EDEADLK" : n));
// macOS calls 45 ENOTSUP (its EOPNOTSUPP is 102); FreeBSD names 45 EOPNOTSUPP.
const DARWIN_35_81 = BSD_ERRNO_35_81.map((n, i) => (i === 45 - 35 ? "ENOTSUP" : n));
const ERRNO_NAMES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  linux: errnoNames(ERRNO_1_34, LINUX_ERRNO_FROM_35),
  darwin: errnoNames(BSD_1_34, DARWIN_35_81, DARWIN_ERRNO_FROM_82),
  freebsd: errnoNames(BSD_1_34, BSD_ERRNO_35_81, FREEBSD_ERRNO_FROM_82),
  bsd: errnoNames(BSD_1_34, BSD_ERRNO_35_81),
});

// The operating system this code runs on, as Deno names it ("linux", "darwin", "windows", …);
// Node and Bun name them the same way ("win32" aside). Empty in a browser.
const HOST_PLATFORM: string = (() => {
  const g = globalThis as {
    Deno?: { build?: { os?: string } };
    process?: { platform?: string };
  };
  return g.Deno?.build?.os ?? g.process?.platform ?? "";
})();

/**
 * The symbolic name of an errno value (`EDEADLK`, `ENODATA`, …) on a POSIX system.
 *
 * @param errno The errno value.
 * @param platform `"linux"`, `"darwin"`, `"freebsd"` (another BSD gets the numbers the BSD family
 * shares, 1–81); default the platform this code runs on.
 * @returns The name, or `undefined` when the number has none there.
 * @example
 * ```ts
 * import { errnoName } from "@x/wsioctl";
 * errnoName(35, "linux"); // "EDEADLK"
 * errnoName(35, "darwin"); // "EAGAIN"
 * ```
 */
export function errnoName(errno: number, platform: string = HOST_PLATFORM): string | undefined {
  if (platform === "windows" || platform === "win32" || platform === "") {
    return undefined;
  }
  const names = ERRNO_NAMES[
    platform === "linux" || platform === "darwin" || platform === "freebsd" ? platform : "bsd"
  ];
  if (!Number.isInteger(errno) || errno < 1 || errno >= names.length) return undefined;
  return names[errno] === "" ? undefined : names[errno];
}
