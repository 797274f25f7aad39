/**
 * The errors wsioctl throws: {@link WinsockError} for a failed native call (carrying the
 * Windows Sockets error code and its symbolic name; on Linux and macOS an errno without a Winsock
 * meaning keeps its own name, see {@link UNMAPPED_ERRNO_BASE}), {@link UnsupportedError} for an IOCTL the
 * current platform cannot perform, and {@link SocketClosedError} for any use of a closed
 * {@link import("./socket.ts").Socket}.
 *
 * Bad arguments are reported with the built-in `TypeError` / `RangeError`, naming the argument.
 *
 * @module
 */

import { formatCode } from "./codes/format.ts";
import { errnoName, unmappedErrno, WSA_ERRORS } from "./error_codes.ts";

export {
  errnoName,
  UNMAPPED_ERRNO_BASE,
  unmappedErrno,
  WSA_ERRORS,
  type WsaErrorInfo,
  wsaErrorName,
} from "./error_codes.ts";

/** Options of {@link WinsockError}. */
export interface WinsockErrorOptions {
  /** The native function that failed, e.g. `"WSAIoctl"` or `"connect"`. */
  call?: string;
  /** The name (or hex value) of the IOCTL, when the failing call was an IOCTL. */
  ioctl?: string;
  /** The typed call that made the native call, e.g. `"setCpuAffinity"`. */
  typedCall?: string;
  /**
   * What the caller likely has to change, when Windows answers this code for a known reason
   * (a missing privilege, a socket in the wrong state): appended to the message.
   */
  hint?: string;
  /**
   * The count the failed call left in `WSAIoctl`'s `*lpcbBytesReturned` (see
   * {@link WinsockError.bytesReturned}); default 0.
   */
  bytesReturned?: number;
  /** The underlying cause, if any. */
  cause?: unknown;
  /**
   * The system whose errno names an unmapped errno (see {@link UNMAPPED_ERRNO_BASE}):
   * `"linux"`, `"darwin"`, `"freebsd"`; default the platform this code runs on.
   */
  platform?: string;
}

/**
 * A native socket call failed. `code` is the Windows Sockets error code (on Linux and macOS the
 * errno is translated to the matching WSA code) and `name` its symbolic name, e.g.
 * `"WSAEFAULT"`; the message reads like `WSAIoctl(FIONREAD) failed: WSAEFAULT (10014): bad
 * address`.
 *
 * An errno with no Winsock meaning keeps its own identity: `code` is
 * {@link UNMAPPED_ERRNO_BASE} + errno, `errno` the errno, `name` its errno name (`"EDEADLK"`, or
 * `"ERRNO_n"` when the number has no name), and the message says `unmapped errno 35 (EDEADLK)`.
 *
 * @example
 * ```ts
 * import { WinsockError } from "@x/wsioctl";
 * const e = new WinsockError(10038, { call: "WSAIoctl", ioctl: "FIONREAD" });
 * e.name; // "WSAENOTSOCK"
 * e.code; // 10038
 * e.message; // "WSAIoctl(FIONREAD) failed: WSAENOTSOCK (10038): socket operation on nonsocket"
 * ```
 * @example The size probe: an output too small fails with WSAEFAULT, and `bytesReturned` says how
 * many bytes the answer needs (SIO_ADDRESS_LIST_QUERY, SIO_ROUTING_INTERFACE_QUERY, the WFP
 * queries); ask again with that many.
 * ```ts
 * import { ioctl, SIO_ADDRESS_LIST_QUERY, Socket, WinsockError } from "@x/wsioctl";
 * using s = Socket.open("inet", "dgram");
 * let out = new Uint8Array(8);
 * for (;;) {
 *   try {
 *     const n = ioctl(s, SIO_ADDRESS_LIST_QUERY, null, out); // the SOCKET_ADDRESS_LIST's bytes
 *     console.log(`${n} of ${out.byteLength} bytes`);
 *     break;
 *   } catch (e) {
 *     const tooSmall = e instanceof WinsockError && e.name === "WSAEFAULT" &&
 *       e.bytesReturned > out.byteLength;
 *     if (!tooSmall) throw e;
 *     out = new Uint8Array(e.bytesReturned);
 *   }
 * }
 * ```
 */
export class WinsockError extends Error {
  /**
   * The Windows Sockets error code, e.g. `10014`; for an errno without a Winsock meaning,
   * {@link UNMAPPED_ERRNO_BASE} + errno.
   */
  readonly code: number;
  /** The errno, when `code` is an unmapped errno; `undefined` for a Windows Sockets code. */
  readonly errno: number | undefined;
  /** The native function that failed, e.g. `"WSAIoctl"`. */
  readonly call: string | undefined;
  /** The IOCTL's name when the failing call was an IOCTL (hex when the code is unknown). */
  readonly ioctl: string | undefined;
  /** The typed call that failed (`"setCpuAffinity"`), when one did. */
  readonly typedCall: string | undefined;
  /** What the caller likely has to change, when the library knows (see the message). */
  readonly hint: string | undefined;
  /**
   * The count Winsock reported in `WSAIoctl`'s `*lpcbBytesReturned` on the failed call, set by
   * `ioctl`: for a code whose output was too small (WSAEFAULT), the size the answer needs where
   * the code reports it (SIO_ADDRESS_LIST_QUERY, SIO_ROUTING_INTERFACE_QUERY, the WFP queries on
   * Windows; on Linux and macOS the address list, the route and SIO_GET_INTERFACE_LIST_EX).
   * 0 when the call reported none, or the failure was not a `WSAIoctl` of `ioctl`.
   */
  readonly bytesReturned: number;

  /**
   * Creates the error for a WSA code (or an unmapped errno's code); the name and message come
   * from {@link WSA_ERRORS} (or the errno names of `options.platform`).
   *
   * @param code The Windows Sockets error code.
   * @param options The failing call, IOCTL name, bytes returned, cause and platform.
   */
  constructor(code: number, options: WinsockErrorOptions = {}) {
    const what = options.call === undefined
      ? "socket call"
      : options.ioctl === undefined
      ? options.call
      : `${options.call}(${options.ioctl})`;
    const errno = unmappedErrno(code);
    const info = Object.hasOwn(WSA_ERRORS, code) ? WSA_ERRORS[code] : undefined;
    let name: string;
    let text: string;
    if (errno !== undefined) {
      name = errnoName(errno, options.platform) ?? `ERRNO_${errno}`;
      text = `unmapped errno ${errno} (${name})`;
    } else {
      name = info?.name ?? "WinsockError";
      text = `${info?.name ?? `error ${code}`} (${code}): ${info?.message ?? "unknown error"}`;
    }
    const by = options.typedCall === undefined ? "" : `${options.typedCall}: `;
    const hint = options.hint === undefined ? "" : ` (${options.hint})`;
    super(
      `${by}${what} failed: ${text}${hint}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = name;
    this.code = code;
    this.errno = errno;
    this.call = options.call;
    this.ioctl = options.ioctl;
    this.typedCall = options.typedCall;
    this.hint = options.hint;
    this.bytesReturned = options.bytesReturned ?? 0;
  }
}

/**
 * The IOCTL (or socket feature) has no equivalent on the current platform. Thrown before any
 * native call is made. Where the platform offers something else for the same need, `instead`
 * says what, and the message ends with it.
 *
 * @example
 * ```ts
 * import { UnsupportedError } from "@x/wsioctl";
 * const e = new UnsupportedError("SIO_TCP_INFO", "linux", 0xd8000027);
 * e.message; // "SIO_TCP_INFO (0xD8000027) is unsupported on linux"
 * const f = new UnsupportedError(
 *   "SIO_LOOPBACK_FAST_PATH",
 *   "linux",
 *   0x98000010,
 *   "setLoopbackFastPath",
 *   "loopback needs no fast path on linux",
 * );
 * f.message;
 * // "setLoopbackFastPath: SIO_LOOPBACK_FAST_PATH (0x98000010) is unsupported on linux: loopback
 * // needs no fast path on linux"
 * ```
 */
export class UnsupportedError extends Error {
  /** The IOCTL's value, when the unsupported thing is an IOCTL. */
  readonly code: number | undefined;
  /** The IOCTL's (or feature's) name. */
  readonly ioctl: string;
  /** The platform, as `"linux"`, `"darwin"`, `"windows"`, …. */
  readonly platform: string;
  /** The typed call that was refused (`"tcpInfo"`), when one was. */
  readonly typedCall: string | undefined;
  /** What the platform offers instead for the same need, when it offers anything. */
  readonly instead: string | undefined;

  /**
   * Creates the error for an IOCTL (or feature) and the platform that lacks it.
   *
   * @param what The IOCTL's name (or a feature's name).
   * @param platform The current platform.
   * @param code The IOCTL's value, when known.
   * @param typedCall The typed call that was refused, named first in the message.
   * @param instead What the platform offers instead, said last in the message.
   */
  constructor(
    what: string,
    platform: string,
    code?: number,
    typedCall?: string,
    instead?: string,
  ) {
    // An unnamed code is already its hex: say it once.
    const label = code === undefined ? "" : formatCode(code);
    const hex = label === "" || label === what ? "" : ` (${label})`;
    const by = typedCall === undefined ? "" : `${typedCall}: `;
    const then = instead === undefined ? "" : `: ${instead}`;
    super(`${by}${what}${hex} is unsupported on ${platform}${then}`);
    this.name = "UnsupportedError";
    this.code = code;
    this.ioctl = what;
    this.platform = platform;
    this.typedCall = typedCall;
    this.instead = instead;
  }
}

/**
 * A {@link import("./socket.ts").Socket} was used after `close()`, or a runtime's socket given to a
 * call is closed or not open yet (a `net.Socket` not connected, a `net.Server` not listening, a
 * `dgram.Socket` not bound). Thrown before any native call on the socket: the closed handle number
 * may already belong to another socket.
 *
 * @example
 * ```ts
 * import { SocketClosedError } from "@x/wsioctl";
 * new SocketClosedError("send").message; // "send: socket is closed"
 * new SocketClosedError("handleOf", "this net.Socket is not open yet (not connected)").reason;
 * ```
 */
export class SocketClosedError extends Error {
  /** What was found, as the message says it after the call's name: `"socket is closed"`, … */
  readonly reason: string;

  /**
   * Creates the error for a call on a closed socket.
   *
   * @param call The method that was called on the closed socket.
   * @param reason What was found (default `"socket is closed"`): for a runtime socket not open
   * yet, what it lacks.
   */
  constructor(call: string, reason = "socket is closed") {
    super(`${call}: ${reason}`);
    this.name = "SocketClosedError";
    this.reason = reason;
  }
}
