/**
 * The Windows Filtering Platform (WFP) codes, typed: the socket's ALE endpoint handle
 * ({@link wfpAleEndpointHandle}) and the connection redirect records and context a transparent
 * proxy passes from the connection a WFP callout redirected to it to the connection it opens
 * to the real destination ({@link wfpRedirectRecords}, {@link wfpRedirectContext},
 * {@link setWfpRedirectRecords}). The records and the context are opaque blobs: the library
 * copies them out and passes them back unchanged. Off Windows every call throws
 * `UnsupportedError` naming it.
 *
 * @example
 * ```ts
 * import { setWfpRedirectRecords, Socket, wfpRedirectRecords } from "@x/wsioctl";
 * // A proxy: the accepted (redirected) connection's records go onto the outgoing socket
 * // before it connects, so WFP does not redirect the proxy's own connection again.
 * export function forwardRecords(accepted: Socket, outgoing: Socket): void {
 *   setWfpRedirectRecords(outgoing, wfpRedirectRecords(accepted));
 * }
 * ```
 *
 * @module
 */

import {
  SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE,
  SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT,
  SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS,
  SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS,
} from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import { byteLengthOf, bytesOf, checkView } from "../_validate.ts";
import { queryGrowing } from "./_blob.ts";
import { out8, out8View, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

const NOT_REDIRECTED = "the connection was not redirected to this socket by a WFP callout at " +
  "the ALE_CONNECT_REDIRECT layer (the records exist only on such accepted connections)";
const ALE_ENDPOINT: TypedCall = { name: "wfpAleEndpointHandle" };
const RECORDS: TypedCall = {
  name: "wfpRedirectRecords",
  hints: { 10022: NOT_REDIRECTED, 10057: NOT_REDIRECTED },
};
const CONTEXT: TypedCall = {
  name: "wfpRedirectContext",
  hints: { 10022: NOT_REDIRECTED, 10057: NOT_REDIRECTED },
};
const SET_RECORDS: TypedCall = {
  name: "setWfpRedirectRecords",
  hints: {
    10022: "the records must be the unchanged bytes wfpRedirectRecords returned, set on a " +
      "TCP socket before it connects",
  },
};

/** The first output buffer of the blob queries (the size Microsoft's reference suggests). */
const FIRST_OUT = 1024;

/**
 * The socket's Application Layer Enforcement (ALE) endpoint handle
 * (SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE, a UINT64): the transport endpoint WFP knows the socket
 * by, for firewall callouts that must inject packets into an existing endpoint's path. Windows
 * Vista and later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns The endpoint handle.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses.
 * @throws {Error} when Winsock reports fewer bytes written than a `UINT64` (8).
 * @example
 * ```ts
 * import { Socket, wfpAleEndpointHandle } from "@x/wsioctl";
 * export function endpointOf(s: Socket): bigint {
 *   return wfpAleEndpointHandle(s);
 * }
 * ```
 */
export function wfpAleEndpointHandle(s: SocketRef): bigint {
  const h = socketHandle(s, ALE_ENDPOINT.name);
  const n = _ioctlOwned(h, SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE, null, 0, out8, 8, ALE_ENDPOINT);
  checkWritten(n, 8, "UINT64", SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE, ALE_ENDPOINT);
  return out8View.getBigUint64(0, true);
}

/** Reads one of the two redirect blobs: a copy of exactly the bytes Windows returned. */
function blob(s: SocketRef, code: number, call: TypedCall): Uint8Array {
  const h = socketHandle(s, call.name);
  const { out, returned } = queryGrowing(h, code, null, 0, call, FIRST_OUT);
  return out.slice(0, returned);
}

/**
 * The WFP redirect records of a connection a WFP callout redirected to this socket
 * (SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS): opaque bytes a proxy hands, unchanged, to the
 * socket it opens to the real destination ({@link setWfpRedirectRecords}), so that WFP knows
 * the two connections belong together and does not redirect the proxy's own connection in a
 * loop. The library sizes the output itself: a 1,024-byte buffer first, larger ones (four times,
 * up to 1 MiB) while Windows answers that it is too small (ERROR_INSUFFICIENT_BUFFER,
 * WSAEFAULT, WSAENOBUFS); a byte count larger than the buffer is refused. Windows 8 / Server
 * 2012 and later (the code's direction bits say input only; it answers in the output buffer);
 * off Windows it throws {@link UnsupportedError}.
 *
 * Precondition (from the reference): the connection was redirected at the
 * FWPS_LAYER_ALE_CONNECT_REDIRECT_V4/V6 layer by a WFP callout.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: the accepted, redirected
 * connection.
 * @returns A copy of exactly the bytes Windows returned.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (the message hints at the precondition).
 * @throws {Error} when Windows claims more bytes than the buffer holds.
 * @example
 * ```ts
 * import { Socket, wfpRedirectRecords } from "@x/wsioctl";
 * export function recordsOf(accepted: Socket): Uint8Array {
 *   return wfpRedirectRecords(accepted);
 * }
 * ```
 */
export function wfpRedirectRecords(s: SocketRef): Uint8Array {
  return blob(s, SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS, RECORDS);
}

/**
 * The redirect context a WFP callout attached to a connection it redirected to this socket
 * (SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT): opaque bytes the callout driver and its user-mode
 * proxy agree on. Sized and checked as {@link wfpRedirectRecords} does. Windows 8 / Server 2012
 * and later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: the accepted, redirected
 * connection.
 * @returns A copy of exactly the bytes Windows returned.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (the message hints at the precondition).
 * @throws {Error} when Windows claims more bytes than the buffer holds.
 * @example
 * ```ts
 * import { Socket, wfpRedirectContext } from "@x/wsioctl";
 * export function contextOf(accepted: Socket): Uint8Array {
 *   return wfpRedirectContext(accepted);
 * }
 * ```
 */
export function wfpRedirectContext(s: SocketRef): Uint8Array {
  return blob(s, SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT, CONTEXT);
}

/**
 * Hands WFP redirect records to the socket a proxy opens to the real destination
 * (SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS), before it connects. The input is the caller's
 * bytes, unchanged and not copied, with their real length (read from the engine, never from a
 * `byteLength` property). Windows 8 / Server 2012 and later; off Windows it throws
 * {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: the proxy's outgoing TCP
 * socket.
 * @param records The bytes {@link wfpRedirectRecords} returned (any ArrayBufferView).
 * @throws {TypeError} when `records` is not an ArrayBufferView (or is detached), or `s` none of a
 * Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `records` is over 2^32-1 bytes, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses.
 * @example
 * ```ts
 * import { setWfpRedirectRecords, Socket } from "@x/wsioctl";
 * export function connectAsProxy(records: Uint8Array, host: string, port: number): Socket {
 *   const s = Socket.open("inet", "stream");
 *   setWfpRedirectRecords(s, records); // before connect
 *   s.connect(host, port);
 *   return s;
 * }
 * ```
 */
export function setWfpRedirectRecords(s: SocketRef, records: Uint8Array): void {
  // ioctl's order: checked, then the handle (a runtime socket's getters may resize or detach
  // the records' buffer), then their bytes and length, then the call.
  checkView(records, "records");
  const h = socketHandle(s, SET_RECORDS.name);
  const bytes = bytesOf(records, "records");
  const n = byteLengthOf(bytes);
  if (n > 0xffffffff) throw new RangeError(`records has ${n} bytes; WSAIoctl takes at most 2^32-1`);
  _ioctlOwned(h, SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS, bytes, n, null, 0, SET_RECORDS);
}
