/**
 * The call path every control code takes: {@link ioctl} (synchronous `WSAIoctl`; its overlapped
 * twin `ioctlAsync` lives in `ioctl_async.ts`), {@link socketHandle} (a Socket or raw handle to the
 * handle a call may use) and {@link bufferAddress} (a buffer's native address, for outputs that
 * hold pointers into themselves). The typed calls in `sio/` stand on these and never import the
 * native layer themselves.
 *
 * Buffers may be any ArrayBufferView or a struct view (`StructView` from `structs/`): their
 * lengths are read from the engine's own accessors, never from a property the caller can
 * redefine, and a control code follows the library's one rule (`checkCode` in `_validate.ts`):
 * an integer in -2^31..2^32-1, a negative value read as the bit pattern of a C `int`.
 *
 * Every call (the typed calls too) first reads what the caller's code can see (getters, Proxy
 * traps, a struct view's `view`), then resolves and checks the handle, then reads the lengths,
 * and then calls WSAIoctl with none of the caller's code in between: a getter cannot close the
 * Socket after its check, nor shrink a buffer after its length was read.
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
 * const count = new Uint32Array(1);
 * ioctl(peer, FIONREAD, null, count); // 4 (bytes written to count)
 * count[0]; // 5
 * ```
 *
 * @module
 */

import { ioctlLabel } from "./codes/mod.ts";
import { SocketClosedError, UnsupportedError, WinsockError } from "./errors.ts";
import { nativeApi } from "./ffi/select.ts";
import type { RuntimeSocket } from "./runtime.ts";
import { Socket } from "./socket.ts";
import { StructView } from "./structs/mod.ts";
import {
  byteLengthOf,
  bytesOf,
  checkCode,
  checkHandle,
  checkView,
  describe,
  materialize,
  optionalBytesOf,
} from "./_validate.ts";
import { runtimeHandle } from "./_runtime.ts";

/** `Socket.prototype`'s `handle` getter: the handle, or SocketClosedError once closed. */
const socketHandleGetter = Object.getOwnPropertyDescriptor(Socket.prototype, "handle")!.get!;

/**
 * The native handle of a {@link Socket}, a raw `bigint` handle, or a runtime's socket object
 * (Deno, Bun, Node: found as `handleOf` finds it, and never closed by wsioctl), for the typed
 * calls.
 *
 * @param socket A Socket, a raw handle, or a runtime socket.
 * @param call The calling function's name, for the error message.
 * @returns The handle.
 * @throws {TypeError} when `socket` is none of these.
 * @throws {RangeError} when a raw handle is negative or above what the platform represents
 * (2^64-2 on Windows, an `int` file descriptor elsewhere).
 * @throws {SocketClosedError} when the Socket is closed, or the runtime socket is closed (or its
 * socket cannot be found: see `handleOf`).
 * @throws {AmbiguousHandleError} when several sockets have the runtime socket's addresses.
 * @throws {UnsupportedError} when the runtime socket's runtime cannot say whether it is open and
 * the platform has no identity to prove its handle by (see `handleOf`).
 * @example
 * ```ts
 * import { Socket, socketHandle } from "@x/wsioctl";
 * using s = Socket.open("inet", "stream");
 * socketHandle(s) === s.handle; // true
 * ```
 */
export function socketHandle(socket: SocketLike, call = "ioctl"): bigint {
  // A raw handle first: typeof is cheapest, and polling loops pass either.
  if (typeof socket === "bigint") return checkHandle(socket, "socket", nativeApi().maxHandle);
  if (socket instanceof Socket) {
    // Socket.prototype's own getter, called on the object: the Socket's own check, never a
    // property of the object's (and a Proxy or a look-alike fails its private-field check).
    // `.call` rather than _bytes.ts's callBound: 3x faster under Bun, and looked up on the
    // library's function, not on anything of the caller's.
    try {
      return socketHandleGetter.call(socket) as bigint;
    } catch (e) {
      if (e instanceof SocketClosedError) throw new SocketClosedError(call);
      throw new TypeError(`socket must be a Socket, got a look-alike: ${describe(socket)}`);
    }
  }
  const h = typeof socket === "object" && socket !== null ? runtimeHandle(socket, call) : undefined;
  if (h !== undefined) return h;
  throw new TypeError(
    `socket must be a Socket, a bigint handle or a Deno/Bun/Node socket, got ${describe(socket)}`,
  );
}

/** What {@link ioctl} and the typed calls act on: a Socket, a raw handle, a runtime socket. */
export type SocketLike = Socket | bigint | RuntimeSocket;

/**
 * A buffer {@link ioctl} and {@link ioctlAsync} take: any ArrayBufferView (`Uint8Array`,
 * `Uint32Array`, `DataView`, …) or a struct view such as `TcpKeepalive`, passed as its bytes.
 */
export type IoctlBuffer = ArrayBufferView | StructView;

/**
 * Step 1 for an `input`/`output` argument (see {@link ioctl}): null/undefined for none, any
 * ArrayBufferView, or a struct view, whose `view` getter is read here, once. Checked now; its
 * bytes and length are read ({@link optionalBytesOf}, {@link dwordLength}) only once the handle
 * is resolved.
 *
 * @param value The argument.
 * @param name The parameter's name.
 * @returns The view to pass, or null.
 * @throws {TypeError} when it is none of these, or a view of a detached buffer.
 */
export function viewArg(value: unknown, name: string): ArrayBufferView | null {
  if (value instanceof StructView) {
    // Whatever `view` returns must be a real view (checkView checks the brand).
    return checkView((value as { readonly view: unknown }).view, `${name}.view`);
  }
  return value === undefined || value === null ? null : checkView(value, name);
}

const DWORD_MAX = 0xffffffff;

/** A buffer's real length, checked against WSAIoctl's DWORD lengths. */
export function dwordLength(bytes: Uint8Array | null, name: string): number {
  if (bytes === null) return 0;
  const n = byteLengthOf(bytes);
  if (n > DWORD_MAX) {
    throw new RangeError(`${name} has ${n} bytes; WSAIoctl takes at most ${DWORD_MAX}`);
  }
  return n;
}

/**
 * Runs any Winsock control code on a socket: `WSAIoctl(s, code, input, input.byteLength,
 * output, output.byteLength, &bytesReturned, NULL, NULL)`. Buffers are passed zero-copy; their
 * lengths are the views' real byte lengths (read from the engine, never from a `byteLength`
 * property the view may carry), at most 2^32-1 each. On Linux and macOS FIONBIO, FIONREAD and
 * SIOCATMARK run (translated, with Windows semantics), SIO_KEEPALIVE_VALS becomes SO_KEEPALIVE and
 * the TCP keep-alive times in whole seconds (rounded up), SIO_UDP_CONNRESET /
 * SIO_UDP_NETRESET set to FALSE succeed (TRUE cannot be had there), SIO_GET_INTERFACE_LIST,
 * SIO_GET_INTERFACE_LIST_EX, SIO_ADDRESS_LIST_QUERY and SIO_ROUTING_INTERFACE_QUERY are answered
 * from the platform's interface list and routes in the Windows layout, SIO_TCP_INFO from the
 * platform's TCP_INFO (Linux) or TCP_CONNECTION_INFO (macOS) as TCP_INFO_v0/v1/v2, and the codes
 * whose capability the platform has under another name use it (SIO_MULTICAST_SCOPE,
 * SIO_MULTIPOINT_LOOPBACK, SIO_GET_BROADCAST_ADDRESS, SIO_BASE_HANDLE and the SIO_BSP_HANDLE
 * codes, and on Linux SIO_QUERY_RSS_PROCESSOR_INFO and SIO_CPU_AFFINITY); any other code throws
 * {@link UnsupportedError} before any native call.
 *
 * What the three portable codes answer on Linux and macOS:
 * - a handle that is not a socket (a pipe, a file) fails with WSAENOTSOCK before anything is
 *   done to it, as on Windows;
 * - FIONREAD on a datagram socket is the platform's own answer: Windows counts every byte
 *   queued, Linux only the first datagram's (Linux has no call that counts the others without
 *   receiving them); on a stream socket every platform answers the bytes queued;
 * - SIOCATMARK answers as Windows does: TRUE when no urgent (OOB) byte waits to be read, FALSE
 *   while one does, with or without `oobInline`;
 * - FIONREAD, FIONBIO and SIOCATMARK throw {@link UnsupportedError} on a Linux CPU whose
 *   request numbers are not verified (alpha, mips, powerpc, sparc, any 32-bit CPU).
 *
 * @param socket A {@link Socket}, a raw `bigint` handle, or a runtime's socket object (Deno, Bun,
 * Node; see `handleOf`).
 * @param code The control code (e.g. `FIONREAD` from `codes/mod.ts`); a negative int32 is read as
 * its bit pattern (`-1744830460` is `0x98000004`).
 * @param input The input buffer (any ArrayBufferView or struct view), or null/undefined for none.
 * @param output The output buffer (any ArrayBufferView or struct view), or null/undefined.
 * @returns The number of bytes the call wrote to `output` (`lpcbBytesReturned`).
 * @throws {TypeError} when `code` is not an integer, `input`/`output` neither ArrayBufferViews
 * nor struct views (or views of detached buffers), or `socket` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when `code` lies outside -2^31..2^32-1, or a buffer is over 2^32-1 bytes.
 * @throws {SocketClosedError} when the Socket (or the runtime socket) is closed.
 * @throws {AmbiguousHandleError} when a runtime socket's handle cannot be told apart (`handleOf`).
 * @throws {UnsupportedError} for a code this platform cannot run.
 * @throws {WinsockError} carrying the WSA code and the IOCTL's name when the call fails, and in
 * `bytesReturned` the count Winsock reported (for an output too small, the size the answer needs
 * where the code says it: see {@link WinsockError.bytesReturned}).
 * @example
 * ```ts
 * import { FIONBIO, ioctl, Socket } from "@x/wsioctl";
 * using s = Socket.open("inet", "stream");
 * ioctl(s, FIONBIO, new Uint32Array([1])); // nonblocking now; returns 0
 * ```
 * @example A struct view as the input (Windows: SIO_KEEPALIVE_VALS)
 * ```ts
 * import { ioctl, SIO_KEEPALIVE_VALS, Socket, TcpKeepalive } from "@x/wsioctl";
 * export function tuneKeepAlive(s: Socket): void {
 *   const ka = TcpKeepalive.alloc();
 *   ka.onOff = 1;
 *   ka.keepAliveTime = 30_000; // ms idle before the first probe
 *   ka.keepAliveInterval = 1_000; // ms between probes
 *   ioctl(s, SIO_KEEPALIVE_VALS, ka);
 * }
 * ```
 */
export function ioctl(
  socket: SocketLike,
  code: number,
  input?: IoctlBuffer | null,
  output?: IoctlBuffer | null,
): number {
  // The order of every call that takes a caller's buffer, view or object (sio/ too):
  // 1. every read the caller can see: getters, Proxy traps, a struct view's `view`;
  // 2. the handle, resolved and checked (a runtime socket's getters run here);
  // 3. the lengths, through the engine's own accessors (bytesOf, byteLengthOf);
  // 4. the native call, with no caller code in between.
  code = checkCode(code, "code");
  const inView = viewArg(input, "input");
  const outView = viewArg(output, "output");
  const h = socketHandle(socket, "ioctl");
  const inBytes = optionalBytesOf(inView, "input");
  const outBytes = optionalBytesOf(outView, "output");
  const inLength = dwordLength(inBytes, "input");
  const outLength = dwordLength(outBytes, "output");
  const native = nativeApi();
  const r = native.wsaIoctl(h, code, inBytes, inLength, outBytes, outLength);
  if (r < 0) {
    throw new WinsockError(native.lastError(), {
      call: "WSAIoctl",
      ioctl: ioctlLabel(code),
      bytesReturned: native.lastBytesReturned(),
    });
  }
  return r;
}

/** How a typed call names itself in errors, and what it hints when Windows refuses. */
export interface TypedCall {
  /** The typed call's name, e.g. `"setCpuAffinity"`. */
  readonly name: string;
  /** A hint per WSA code, for the refusals whose likely cause the reference gives. */
  readonly hints?: Readonly<Record<number, string>>;
}

/**
 * Internal, for the typed calls (`sio/`): `WSAIoctl` on buffers the library built itself, whose
 * lengths it knows, so nothing of the caller's needs reading. Failures name the typed call:
 * a {@link WinsockError} carries `typedCall` and, when `call.hints` has one for the code, a hint;
 * an {@link UnsupportedError} from the native layer is thrown again naming the typed call.
 *
 * @param handle A handle from {@link socketHandle}.
 * @param code The control code (a valid uint32: the typed call's own constant).
 * @param input The library's input bytes, or null.
 * @param inLength Bytes of `input` to pass.
 * @param output The library's output bytes, or null.
 * @param outLength Bytes of `output` to pass.
 * @param call The typed call.
 * @returns The bytes returned.
 * @throws {WinsockError} when the call fails.
 * @throws {UnsupportedError} when the platform cannot run the code.
 */
export function _ioctlOwned(
  handle: bigint,
  code: number,
  input: Uint8Array | null,
  inLength: number,
  output: Uint8Array | null,
  outLength: number,
  call: TypedCall,
): number {
  // Written out rather than calling _ioctlOwnedStatus: one call level less keeps bytesAvailable
  // within 1.10x of the raw FFI call under Bun (measured: 1.05-1.07x written out, 1.08-1.10x
  // through the other function; `npm run bench`).
  const native = nativeApi();
  let r: number;
  try {
    r = native.wsaIoctl(handle, code, input, inLength, output, outLength);
  } catch (e) {
    throw named(e, call);
  }
  if (r < 0) throw typedFailure(native.lastError(), code, call);
  return r;
}

/**
 * Internal, for typed calls that poll: as {@link _ioctlOwned}, but a Winsock failure is returned
 * (as the negated WSA code) instead of thrown, so an expected answer such as WSAEWOULDBLOCK costs
 * no allocation. An {@link UnsupportedError} is still thrown, naming the typed call.
 *
 * @returns The bytes returned (>= 0), or `-code` for the WSA code of a failure.
 * @throws {UnsupportedError} when the platform cannot run the code.
 */
export function _ioctlOwnedStatus(
  handle: bigint,
  code: number,
  input: Uint8Array | null,
  inLength: number,
  output: Uint8Array | null,
  outLength: number,
  call: TypedCall,
): number {
  const native = nativeApi();
  let r: number;
  try {
    r = native.wsaIoctl(handle, code, input, inLength, output, outLength);
  } catch (e) {
    throw named(e, call);
  }
  return r < 0 ? -native.lastError() : r;
}

/**
 * Internal, for typed calls with outputs of unknown size: what the last failed WSAIoctl left in
 * `lpcbBytesReturned` — the size a too-small output needs, for the codes that report it
 * (SIO_ADDRESS_LIST_QUERY, SIO_ROUTING_INTERFACE_QUERY, the WFP queries on Windows). Read right
 * after {@link _ioctlOwnedStatus} returned a failure, before any other native call.
 *
 * @returns The byte count; 0 when the failure reported none.
 */
export function _lastBytesReturned(): number {
  return nativeApi().lastBytesReturned();
}

/**
 * The socket options a typed call reads or sets beside its IOCTL (the native layer's names):
 * C `int`s that are never negative, so a status can carry a value or a negated WSA code.
 */
export type OwnedOption = "keepAliveCount" | "type";

/** getsockopt's answer, reused (JavaScript runs one call at a time). */
const optionOut = new Float64Array(1);

/**
 * Internal, for typed calls that read a socket option beside their IOCTL (`setKeepAlive` reads
 * TCP_KEEPCNT before changing it): getsockopt on a handle from {@link socketHandle}.
 *
 * @param handle The handle.
 * @param name The option.
 * @returns The value (>= 0), or `-code` for the WSA code of a refusal.
 */
export function _getOptionStatus(handle: bigint, name: OwnedOption): number {
  const native = nativeApi();
  return native.getOption(handle, name, optionOut) === 0 ? optionOut[0] : -native.lastError();
}

/**
 * Internal, for typed calls that set a socket option beside their IOCTL: setsockopt on a handle
 * from {@link socketHandle}.
 *
 * @param handle The handle.
 * @param name The option.
 * @param value The value (checked by the typed call).
 * @returns 0, or `-code` for the WSA code of a refusal.
 */
export function _setOptionStatus(handle: bigint, name: "keepAliveCount", value: number): number {
  const native = nativeApi();
  return native.setOption(handle, name, value) === 0 ? 0 : -native.lastError();
}

/**
 * Internal: the operating system the native layer runs on (`"windows"`, `"linux"`, …), for an
 * `UnsupportedError` a typed call raises itself.
 *
 * @returns The platform.
 */
export function _platform(): string {
  return nativeApi().os;
}

/** An UnsupportedError from the native layer, named after the typed call; others unchanged. */
function named(e: unknown, call: TypedCall): unknown {
  return e instanceof UnsupportedError && e.typedCall === undefined
    ? new UnsupportedError(e.ioctl, e.platform, e.code, call.name, e.instead)
    : e;
}

/**
 * The error of a typed call's failed WSAIoctl: the WSA code, the IOCTL, the typed call, and the
 * hint `call` has for that code.
 *
 * @param error The WSA code.
 * @param code The control code.
 * @param call The typed call.
 * @returns The error to throw.
 */
export function typedFailure(error: number, code: number, call: TypedCall): WinsockError {
  const hints = call.hints;
  return new WinsockError(error, {
    call: "WSAIoctl",
    ioctl: ioctlLabel(code),
    typedCall: call.name,
    hint: hints !== undefined && Object.hasOwn(hints, error) ? hints[error] : undefined,
  });
}

/**
 * The native address of a view's first byte, for output buffers that hold pointers into
 * themselves (`SIO_ADDRESS_LIST_QUERY` fills a `SOCKET_ADDRESS_LIST` whose `lpSockaddr` point
 * into the same buffer: pass this address to `parseSocketAddressList`). The address stays valid
 * while the view's ArrayBuffer is alive and neither detached nor resized; views over an explicit
 * `new ArrayBuffer(n)` never move.
 *
 * @param view Any ArrayBufferView.
 * @returns The address of its first byte.
 * @throws {TypeError} when `view` is not an ArrayBufferView, or a view of a detached buffer.
 * @example
 * ```ts
 * import { bufferAddress } from "@x/wsioctl";
 * const out = new Uint8Array(new ArrayBuffer(1024));
 * bufferAddress(out) > 0n; // true
 * ```
 */
export function bufferAddress(view: ArrayBufferView): bigint {
  const bytes = bytesOf(view, "view");
  materialize(bytes);
  return nativeApi().bufferAddress(bytes);
}
