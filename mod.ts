/**
 * wsioctl: typed, zero-copy access to every Winsock IOCTL from Deno, Bun and Node.
 *
 * - `codes`: every control code of the Windows SDK headers as a constant, with metadata and the
 *   bitfield encoder/decoder (pure, no FFI).
 * - `structs`: zero-copy DataView views over the structs the IOCTLs take and return, laid out as
 *   on 64-bit Windows (pure, no FFI).
 * - `sio`: a typed call per IOCTL, taking a {@link Socket}, a raw `bigint` handle or a runtime
 *   socket (`handleOf`), validating before any native call.
 * - {@link Socket} and {@link ioctl}: sockets that wsioctl owns through the runtime's FFI, and the
 *   generic `WSAIoctl`.
 *
 * Windows runs every code. On Linux and macOS the codes whose capability the platform has run
 * through libc with Windows' answers: FIONBIO, FIONREAD, SIOCATMARK, keep-alive timing, the UDP
 * reset reports turned off, the interface and address lists, the routing query, multicast scope
 * and loopback, the broadcast address and the base handles, and on Linux the RSS processor and
 * CPU affinity; the others throw {@link UnsupportedError} before any native call.
 * `TYPED_CALL_PLATFORMS` (and the README's table of typed calls) says, per typed call, what each
 * platform does.
 *
 * Deno needs `--allow-ffi` for the native parts; `codes` and `structs` need no permission.
 *
 * @example
 * ```ts
 * import { FIONREAD, ioctl, Socket } from "@x/wsioctl";
 *
 * using server = Socket.open("inet", "stream");
 * server.bind("127.0.0.1", 0);
 * server.listen();
 * using client = Socket.open("inet", "stream");
 * client.connect("127.0.0.1", server.localAddress().port);
 * using peer = server.accept();
 * client.send(new TextEncoder().encode("hello"));
 *
 * const available = new Uint32Array(1);
 * ioctl(peer, FIONREAD, null, available);
 * console.log(available[0]); // 5
 * ```
 *
 * @module
 */

export * from "./codes/mod.ts";
export * from "./structs/mod.ts";
export * from "./sio/mod.ts";
export { bufferAddress, ioctl, type IoctlBuffer, socketHandle, type SocketLike } from "./ioctl.ts";
export { ioctlAsync, type IoctlAsyncOptions } from "./ioctl_async.ts";
export { Socket } from "./socket.ts";
export { timestampFrequency, timestampNow } from "./clock.ts";
export {
  AmbiguousHandleError,
  type BunListenerLike,
  type BunSocketLike,
  type BunUdpSocketLike,
  type DenoConnLike,
  type DenoDatagramLike,
  type DenoListenerLike,
  handleOf,
  type NodeDgramSocketLike,
  type NodeServerLike,
  type NodeSocketLike,
  type RuntimeAddressLike,
  type RuntimeSocket,
} from "./runtime.ts";
export type {
  RecvFromOptions,
  RecvOptions,
  SendOptions,
  SocketOptionName,
  SocketOptionValues,
  SocketType,
  TimestampedDatagram,
  WritableSocketOptionName,
} from "./socket_types.ts";
export {
  errnoName,
  SocketClosedError,
  UNMAPPED_ERRNO_BASE,
  unmappedErrno,
  UnsupportedError,
  WinsockError,
  type WinsockErrorOptions,
  WSA_ERRORS,
  type WsaErrorInfo,
  wsaErrorName,
} from "./errors.ts";
