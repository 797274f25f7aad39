/**
 * The three Unix-compatible codes, typed: {@link setNonBlocking} (FIONBIO),
 * {@link bytesAvailable} (FIONREAD) and {@link atOobMark} (SIOCATMARK). They run on Windows,
 * Linux and macOS alike, with Winsock's meaning everywhere.
 *
 * @example
 * ```ts
 * import { bytesAvailable, setNonBlocking, Socket } from "@x/wsioctl";
 * using s = Socket.open("inet", "dgram");
 * setNonBlocking(s, true);
 * bytesAvailable(s); // 0: nothing queued
 * ```
 *
 * @module
 */

import { FIONBIO, FIONREAD, SIOCATMARK } from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import { checkBoolean } from "../_validate.ts";
import { in4, in4View, out4, out4View, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

const SET_NON_BLOCKING: TypedCall = {
  name: "setNonBlocking",
  hints: {
    10022: "FIONBIO cannot turn nonblocking mode off while WSAAsyncSelect or WSAEventSelect " +
      "is active on the socket",
  },
};
const BYTES_AVAILABLE: TypedCall = { name: "bytesAvailable" };
const AT_OOB_MARK: TypedCall = {
  name: "atOobMark",
  hints: { 10022: "SIOCATMARK needs a stream socket" },
};

/**
 * Makes a socket nonblocking, or blocking again (FIONBIO): calls that would wait fail with
 * WSAEWOULDBLOCK instead. Windows 2000 and later; also Linux and macOS (`ioctl(FIONBIO)`).
 *
 * Windows refuses (WSAEINVAL) to make a socket blocking while `WSAAsyncSelect` or
 * `WSAEventSelect` is active on it.
 *
 * Platforms: Windows; Linux and macOS (native: ioctl(FIONBIO)).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param enabled `true` for nonblocking, `false` for blocking.
 * @throws {TypeError} when `enabled` is not a boolean, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAENOTSOCK).
 * @example
 * ```ts
 * import { setNonBlocking, Socket } from "@x/wsioctl";
 * using s = Socket.open("inet", "stream");
 * setNonBlocking(s, true);
 * ```
 */
export function setNonBlocking(s: SocketRef, enabled: boolean): void {
  const on = checkBoolean(enabled, "enabled");
  const h = socketHandle(s, SET_NON_BLOCKING.name);
  in4View.setUint32(0, on ? 1 : 0, true);
  _ioctlOwned(h, FIONBIO, in4, 4, null, 0, SET_NON_BLOCKING);
}

/**
 * How many bytes are waiting to be read (FIONREAD). Allocates nothing: a polling loop may call
 * it freely. Windows 2000 and later; also Linux and macOS.
 *
 * On a stream socket: the bytes one `recv` would return now. On a datagram socket Windows
 * answers the total of every queued datagram, Linux and macOS the size of the first one
 * (neither has a call that counts the others without receiving them).
 *
 * Platforms: Windows; Linux (native: ioctl(FIONREAD); a datagram socket answers its first
 * datagram's size); macOS (native: ioctl(FIONREAD)).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns The number of bytes.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAENOTSOCK).
 * @throws {Error} when Winsock reports fewer bytes written than a `u_long` (4).
 * @example
 * ```ts
 * import { bytesAvailable, Socket } from "@x/wsioctl";
 * using s = Socket.open("inet", "dgram");
 * s.bind("127.0.0.1", 0);
 * s.sendTo(new Uint8Array(3), "127.0.0.1", s.localAddress().port);
 * bytesAvailable(s); // 3 once the datagram arrived
 * ```
 */
export function bytesAvailable(s: SocketRef): number {
  const h = socketHandle(s, BYTES_AVAILABLE.name);
  const n = _ioctlOwned(h, FIONREAD, null, 0, out4, 4, BYTES_AVAILABLE);
  // The guard keeps the polling path to one comparison (`npm run bench`).
  if (n < 4) checkWritten(n, 4, "u_long", FIONREAD, BYTES_AVAILABLE);
  return out4View.getUint32(0, true);
}

/**
 * Whether the socket is *not* behind out-of-band data (SIOCATMARK), in Winsock's meaning on
 * every platform: `true` when no urgent (OOB) byte waits to be read, `false` while one does.
 * Meaningful on stream sockets. With `oobInline` on, an urgent byte that arrives meanwhile is
 * ordinary data (`true`); one already waiting when the option was turned on stays out of band
 * until read (`false`). Windows 2000 and later; also Linux and macOS, where the platform's own
 * answer is translated to Winsock's (the order is known when the option was set with
 * `Socket.setOption`).
 *
 * Platforms: Windows; Linux and macOS (emulated: SIOCATMARK, then a peek for an urgent byte (recv
 * with MSG_OOB) or poll(POLLPRI): true when no urgent byte waits (the Windows meaning)).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns `true` when no urgent data is waiting.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {WinsockError} when Winsock refuses (WSAEINVAL on a datagram socket).
 * @throws {Error} when Winsock reports fewer bytes written than a `BOOL` (4).
 * @example
 * ```ts
 * import { atOobMark, Socket } from "@x/wsioctl";
 * export function urgentPending(s: Socket): boolean {
 *   return !atOobMark(s);
 * }
 * ```
 */
export function atOobMark(s: SocketRef): boolean {
  const h = socketHandle(s, AT_OOB_MARK.name);
  const n = _ioctlOwned(h, SIOCATMARK, null, 0, out4, 4, AT_OOB_MARK);
  checkWritten(n, 4, "BOOL", SIOCATMARK, AT_OOB_MARK);
  return out4View.getUint32(0, true) !== 0;
}
