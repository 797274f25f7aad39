/**
 * The ideal send backlog (ISB) of a TCP connection: how many bytes a sender should keep
 * outstanding (sent, not yet acknowledged) to fill the path, from the bandwidth-delay product
 * and the receiver's window. {@link idealSendBacklog} reads it (SIO_IDEAL_SEND_BACKLOG_QUERY),
 * {@link idealSendBacklogChange} waits until it changes (SIO_IDEAL_SEND_BACKLOG_CHANGE,
 * overlapped). Windows only: off Windows both throw `UnsupportedError` naming the call.
 *
 * @example
 * ```ts
 * import { idealSendBacklog, Socket } from "@x/wsioctl";
 * export function sendWindow(s: Socket): number {
 *   return idealSendBacklog(s); // bytes to keep in flight
 * }
 * ```
 *
 * @module
 */

import { SIO_IDEAL_SEND_BACKLOG_CHANGE, SIO_IDEAL_SEND_BACKLOG_QUERY } from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import { checkObject, checkSignal } from "../_validate.ts";
import { awaitNotification } from "./_async.ts";
import { out4, out4View, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

/** What Windows' refusals of both codes most likely mean. */
const HINTS: Readonly<Record<number, string>> = Object.freeze({
  10045: "the ideal send backlog exists only on stream (TCP) sockets whose transport offers it",
  10057: "the ideal send backlog needs a connected stream (TCP) socket",
});
const QUERY: TypedCall = { name: "idealSendBacklog", hints: HINTS };
const CHANGE: TypedCall = { name: "idealSendBacklogChange", hints: HINTS };

/**
 * The ideal send backlog of a connection, in bytes (SIO_IDEAL_SEND_BACKLOG_QUERY, a ULONG): how
 * much data to keep outstanding (sent but not yet acknowledged) for the best throughput. A
 * sender that keeps at least this much queued (e.g. this many bytes of overlapped sends in
 * flight) fills the path. Allocates nothing. Windows Vista SP1 / Server 2008 and later, on a
 * connected stream (TCP) socket; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: TCP_NOTSENT_LOWAT bounds the unsent
 * bytes a socket keeps).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a connected TCP socket.
 * @returns The ideal send backlog in bytes.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOTCONN before `connect`, WSAEOPNOTSUPP on
 * a datagram socket).
 * @throws {Error} when Winsock reports fewer bytes written than a `ULONG` (4).
 * @example
 * ```ts
 * import { idealSendBacklog, Socket } from "@x/wsioctl";
 * export function chunkSize(s: Socket): number {
 *   return Math.max(64 * 1024, idealSendBacklog(s));
 * }
 * ```
 */
export function idealSendBacklog(s: SocketRef): number {
  const h = socketHandle(s, QUERY.name);
  const n = _ioctlOwned(h, SIO_IDEAL_SEND_BACKLOG_QUERY, null, 0, out4, 4, QUERY);
  checkWritten(n, 4, "ULONG", SIO_IDEAL_SEND_BACKLOG_QUERY, QUERY);
  return out4View.getUint32(0, true);
}

/** Options of {@link idealSendBacklogChange}. */
export interface IdealSendBacklogChangeOptions {
  /** Cancels the wait; the Promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Waits until the ideal send backlog of a connection changes (SIO_IDEAL_SEND_BACKLOG_CHANGE,
 * overlapped, no buffers), without blocking the event loop. Read the new value with
 * {@link idealSendBacklog}; call again for the next change. Windows Vista SP1 / Server 2008
 * and later, on a connected stream (TCP) socket.
 *
 * Aborting `opts.signal` cancels the operation, waits until Windows has let go of it, and
 * rejects with the signal's reason. Closing the socket settles a pending wait: with
 * {@link SocketClosedError} when `s` is that Socket, with {@link WinsockError}
 * WSA_OPERATION_ABORTED (995) when `s` is a raw handle whose owning Socket closes. Several
 * waits may be pending on one socket at once; each settles on its own.
 *
 * Every failure is a rejection of the returned Promise, bad arguments included (checked
 * before any native call). Off Windows it rejects with {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: TCP_NOTSENT_LOWAT bounds the unsent
 * bytes a socket keeps).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a connected TCP socket.
 * @param opts `{ signal }` to cancel.
 * @returns A Promise that resolves (with nothing) when the backlog changed.
 * @throws {TypeError} when `opts` is neither undefined nor an object, `opts.signal` neither
 * undefined nor an AbortSignal, or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket is (or gets) closed, or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOTCONN, WSAEOPNOTSUPP) or the operation
 * ends otherwise (995 WSA_OPERATION_ABORTED).
 * @example
 * ```ts
 * import { idealSendBacklog, idealSendBacklogChange, Socket } from "@x/wsioctl";
 * // Follows the backlog of a connected socket until `signal` aborts.
 * export async function followBacklog(
 *   s: Socket,
 *   signal: AbortSignal,
 *   use: (bytes: number) => void,
 * ): Promise<void> {
 *   use(idealSendBacklog(s));
 *   while (!signal.aborted) {
 *     await idealSendBacklogChange(s, { signal });
 *     use(idealSendBacklog(s));
 *   }
 * }
 * ```
 */
export async function idealSendBacklogChange(
  s: SocketRef,
  opts?: IdealSendBacklogChangeOptions,
): Promise<void> {
  const o = opts === undefined ? undefined : checkObject(opts, "opts");
  const signal = checkSignal(o?.signal, "opts.signal");
  socketHandle(s, CHANGE.name);
  await awaitNotification(s, SIO_IDEAL_SEND_BACKLOG_CHANGE, null, signal, CHANGE);
}
