/**
 * What Winsock hands back about a socket itself: the address of a Microsoft extension function
 * ({@link extensionFunction}, SIO_GET_EXTENSION_FUNCTION_POINTER) and the base service
 * provider's handle under any layered providers ({@link baseHandle}, {@link bspHandle}).
 * Off Windows, where nothing layers providers over a socket, the handle calls answer the
 * socket's own descriptor; `extensionFunction` throws `UnsupportedError` naming it.
 *
 * @example
 * ```ts
 * import { baseHandle, extensionFunction, Socket } from "@x/wsioctl";
 * export function lookUp(s: Socket): { connectEx: bigint; base: bigint } {
 *   return { connectEx: extensionFunction(s, "ConnectEx"), base: baseHandle(s) };
 * }
 * ```
 *
 * @module
 */

import {
  SIO_BASE_HANDLE,
  SIO_BSP_HANDLE,
  SIO_BSP_HANDLE_POLL,
  SIO_BSP_HANDLE_SELECT,
  SIO_GET_EXTENSION_FUNCTION_POINTER,
} from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import {
  EXTENSION_FUNCTION_GUIDS,
  type ExtensionFunctionName,
  Guid,
  parseGuid,
} from "../structs/mod.ts";
import { checkEnum, describe } from "../_validate.ts";
import { out8, out8View, ownBytes, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

const EXTENSION_FUNCTION: TypedCall = {
  name: "extensionFunction",
  hints: { 10022: "the socket's provider has no extension function with this GUID" },
};
const BASE_HANDLE: TypedCall = { name: "baseHandle" };
const BSP_HANDLE: TypedCall = { name: "bspHandle" };

/** The kinds of {@link bspHandle} and their codes. */
const BSP_CODES: Readonly<Record<string, number>> = Object.freeze({
  send: SIO_BSP_HANDLE,
  select: SIO_BSP_HANDLE_SELECT,
  poll: SIO_BSP_HANDLE_POLL,
});

// The GUID input, allocated once (JavaScript runs one call at a time).
const guidIn = Guid.alloc();
const guidBytes = ownBytes(guidIn);

/** Reads the `SOCKET` the handle codes answer in `out8`. */
function handleOut(s: SocketRef, code: number, call: TypedCall): bigint {
  const h = socketHandle(s, call.name);
  const n = _ioctlOwned(h, code, null, 0, out8, 8, call);
  checkWritten(n, 8, "SOCKET", code, call);
  return out8View.getBigUint64(0, true);
}

/**
 * The address of a Microsoft Winsock extension function for this socket
 * (SIO_GET_EXTENSION_FUNCTION_POINTER): `AcceptEx`, `ConnectEx`, `DisconnectEx`,
 * `GetAcceptExSockaddrs`, `TransmitFile`, `TransmitPackets`, `WSARecvMsg`, `WSASendMsg` by
 * name, or any function by its GUID. The address belongs to the socket's provider: look it up
 * on a socket of the same family and type as the ones you will call it with. Windows 2000 and
 * later; off Windows it throws {@link UnsupportedError}.
 *
 * A name outside the eight, or text that is not a GUID, is refused before any native call; a
 * well-formed GUID that Winsock does not know is refused by Winsock (WSAEINVAL).
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: AcceptEx, ConnectEx, WSASendMsg and
 * the like are Winsock extensions; accept, connect, sendmsg and recvmsg are plain libc calls here).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param nameOrGuid One of the eight names (exact case), or a GUID as
 * `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}` (braces optional, any case).
 * @returns The function's address, to call through the runtime's FFI (e.g.
 * `Deno.UnsafeFnPointer`).
 * @throws {TypeError} when `nameOrGuid` is not a string, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when `nameOrGuid` is neither a name nor a GUID, or a raw handle is out
 * of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAEINVAL for an unknown GUID).
 * @throws {Error} when Winsock reports fewer bytes written than a pointer (8).
 * @example
 * ```ts
 * import { extensionFunction, Socket } from "@x/wsioctl";
 * export function connectExOf(s: Socket): bigint {
 *   return extensionFunction(s, "ConnectEx"); // same as "{25A207B9-DDF3-4660-8EE9-76E58C74063E}"
 * }
 * ```
 */
export function extensionFunction(
  s: SocketRef,
  nameOrGuid: ExtensionFunctionName | string,
): bigint {
  if (typeof nameOrGuid !== "string") {
    throw new TypeError(`nameOrGuid must be a string, got ${describe(nameOrGuid)}`);
  }
  const text = Object.hasOwn(EXTENSION_FUNCTION_GUIDS, nameOrGuid)
    ? EXTENSION_FUNCTION_GUIDS[nameOrGuid as ExtensionFunctionName]
    : nameOrGuid;
  let guid: Uint8Array;
  try {
    guid = parseGuid(text, "nameOrGuid");
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const names = Object.keys(EXTENSION_FUNCTION_GUIDS).map((k) => JSON.stringify(k)).join(", ");
    throw new RangeError(
      `nameOrGuid must be one of ${names} or a GUID like ` +
        `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, got ${describe(nameOrGuid)}`,
    );
  }
  const h = socketHandle(s, EXTENSION_FUNCTION.name);
  // Written after the handle: a runtime socket's getters, run by socketHandle, may run another
  // typed call on this scratch.
  guidBytes.set(guid);
  const n = _ioctlOwned(
    h,
    SIO_GET_EXTENSION_FUNCTION_POINTER,
    guidBytes,
    Guid.SIZE,
    out8,
    8,
    EXTENSION_FUNCTION,
  );
  checkWritten(n, 8, "a function pointer", SIO_GET_EXTENSION_FUNCTION_POINTER, EXTENSION_FUNCTION);
  return out8View.getBigUint64(0, true);
}

/**
 * The base service provider's handle of a socket (SIO_BASE_HANDLE): the handle under every
 * layered service provider (LSP), the one to hand to I/O completion ports and other calls that
 * must reach the base provider. Without LSPs it is the socket's own handle. Windows Vista and
 * later. On Linux and macOS there is no provider layering: the answer is the socket's own
 * descriptor, once it is checked to be a socket (WSAENOTSOCK otherwise, as Winsock answers).
 *
 * Platforms: Windows; Linux and macOS (emulated: the descriptor itself (no provider layering), once
 * checked to be a socket).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns The base `SOCKET` (off Windows, the descriptor itself).
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAENOTSOCK).
 * @throws {Error} when Winsock reports fewer bytes written than a `SOCKET` (8).
 * @example
 * ```ts
 * import { baseHandle, Socket } from "@x/wsioctl";
 * export function hasLayeredProviders(s: Socket): boolean {
 *   return baseHandle(s) !== s.handle;
 * }
 * ```
 */
export function baseHandle(s: SocketRef): bigint {
  return handleOut(s, SIO_BASE_HANDLE, BASE_HANDLE);
}

/**
 * The base service provider's handle a layered provider would hand to one Winsock function
 * (SIO_BSP_HANDLE, SIO_BSP_HANDLE_SELECT, SIO_BSP_HANDLE_POLL): the handle to use with
 * `WSASendMsg` (`"send"`), `select` (`"select"`) or `WSAPoll` (`"poll"`). These exist for
 * layered providers to intercept those functions; most programs want {@link baseHandle}.
 * SIO_BSP_HANDLE_POLL must never be overlapped (Windows answers WSAEFAULT): this call is
 * synchronous, so it never is. Windows Vista and later (Wine 10 refuses all three with
 * WSAEOPNOTSUPP). On Linux and macOS, with no provider layering, every kind answers the
 * socket's own descriptor, once it is checked to be a socket (WSAENOTSOCK otherwise).
 *
 * Platforms: Windows; Linux and macOS (emulated: the descriptor itself (no provider layering), once
 * checked to be a socket).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param kind `"send"` (default), `"select"` or `"poll"`.
 * @returns The `SOCKET` for that function (off Windows, the descriptor itself).
 * @throws {TypeError} when `kind` is not a string, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `kind` is not one of the three names, or a raw handle is out of
 * range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEOPNOTSUPP where the provider lacks it).
 * @throws {Error} when Winsock reports fewer bytes written than a `SOCKET` (8).
 * @example
 * ```ts
 * import { bspHandle, Socket } from "@x/wsioctl";
 * export function pollHandle(s: Socket): bigint {
 *   return bspHandle(s, "poll");
 * }
 * ```
 */
export function bspHandle(s: SocketRef, kind: "send" | "select" | "poll" = "send"): bigint {
  const code = checkEnum(kind, "kind", BSP_CODES);
  return handleOut(s, code, BSP_HANDLE);
}
