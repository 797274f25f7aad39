/**
 * The call path every control code takes: {@link ioctl} (synchronous `WSAIoctl`),
 * {@link ioctlAsync} (overlapped, Windows), {@link socketHandle} (a Socket or raw handle to the
 * handle a call may use) and {@link bufferAddress} (a buffer's native address, for outputs that
 * hold pointers into themselves). The typed calls in `sio/` stand on these and never import the
 * native layer themselves.
 *
 * Buffers may be any ArrayBufferView or a struct view (`StructView` from `structs/`): their
 * lengths are read from the engine's own accessors, never from a property the caller can
 * redefine, and a control code follows the library's one rule (`checkCode` in `_validate.ts`):
 * an integer in -2^31..2^32-1, a negative value read as the bit pattern of a C `int`.
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
import { type NativeApi, OVERLAPPED_SIZE } from "./ffi/native.ts";
import { nativeApi } from "./ffi/select.ts";
import { Socket } from "./socket.ts";
import { StructView } from "./structs/mod.ts";
import {
  byteLengthOf,
  bytesOf,
  checkCode,
  checkHandle,
  checkSignal,
  describe,
  materialize,
  optionalBytesOf,
  pinnedCopy,
} from "./_validate.ts";
import { ownerOf, ownerOfHandle } from "./_owner.ts";

/**
 * The native handle of a {@link Socket} or a raw `bigint` handle, for the typed calls.
 *
 * @param socket A Socket, or a raw handle.
 * @param call The calling function's name, for the error message.
 * @returns The handle.
 * @throws {TypeError} when `socket` is neither.
 * @throws {RangeError} when a raw handle is negative or above what the platform represents
 * (2^64-2 on Windows, an `int` file descriptor elsewhere).
 * @throws {SocketClosedError} when the Socket is closed.
 * @example
 * ```ts
 * import { Socket, socketHandle } from "@x/wsioctl";
 * using s = Socket.open("inet", "stream");
 * socketHandle(s) === s.handle; // true
 * ```
 */
export function socketHandle(socket: Socket | bigint, call = "ioctl"): bigint {
  if (socket instanceof Socket) {
    if (socket.closed) throw new SocketClosedError(call);
    return socket.handle;
  }
  if (typeof socket !== "bigint") {
    throw new TypeError(`socket must be a Socket or a bigint handle, got ${describe(socket)}`);
  }
  return checkHandle(socket, "socket", nativeApi().maxHandle);
}

/**
 * A buffer {@link ioctl} and {@link ioctlAsync} take: any ArrayBufferView (`Uint8Array`,
 * `Uint32Array`, `DataView`, …) or a struct view such as `TcpKeepalive`, passed as its bytes.
 */
export type IoctlBuffer = ArrayBufferView | StructView;

/**
 * Reads an `input`/`output` argument: null/undefined for none, any ArrayBufferView, or a struct
 * view (its DataView, read through the engine's accessors like any other view).
 */
function bufferArg(value: unknown, name: string): Uint8Array | null {
  if (value instanceof StructView) {
    // `view` is read once; whatever it returns must be a real view (bytesOf checks the brand).
    return bytesOf((value as { readonly view: unknown }).view, `${name}.view`);
  }
  return optionalBytesOf(value, name);
}

const DWORD_MAX = 0xffffffff;

/** A buffer's real length, checked against WSAIoctl's DWORD lengths. */
function dwordLength(bytes: Uint8Array | null, name: string): number {
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
 * property the view may carry), at most 2^32-1 each. On Linux and macOS only FIONBIO,
 * FIONREAD and SIOCATMARK run (translated, with Windows semantics); any other code throws
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
 * @param socket A {@link Socket} or a raw `bigint` handle.
 * @param code The control code (e.g. `FIONREAD` from `codes/mod.ts`); a negative int32 is read as
 * its bit pattern (`-1744830460` is `0x98000004`).
 * @param input The input buffer (any ArrayBufferView or struct view), or null/undefined for none.
 * @param output The output buffer (any ArrayBufferView or struct view), or null/undefined.
 * @returns The number of bytes the call wrote to `output` (`lpcbBytesReturned`).
 * @throws {TypeError} when `code` is not an integer, `input`/`output` neither ArrayBufferViews
 * nor struct views (or views of detached buffers), or `socket` neither a Socket nor a bigint.
 * @throws {RangeError} when `code` lies outside -2^31..2^32-1, or a buffer is over 2^32-1 bytes.
 * @throws {SocketClosedError} when the Socket is closed.
 * @throws {UnsupportedError} for a code this platform cannot run.
 * @throws {WinsockError} carrying the WSA code and the IOCTL's name when the call fails.
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
  socket: Socket | bigint,
  code: number,
  input?: IoctlBuffer | null,
  output?: IoctlBuffer | null,
): number {
  code = checkCode(code, "code");
  const h = socketHandle(socket, "ioctl");
  const inBytes = bufferArg(input, "input");
  const outBytes = bufferArg(output, "output");
  const inLength = dwordLength(inBytes, "input");
  const outLength = dwordLength(outBytes, "output");
  const native = nativeApi();
  const r = native.wsaIoctl(h, code, inBytes, inLength, outBytes, outLength);
  if (r < 0) {
    throw new WinsockError(native.lastError(), { call: "WSAIoctl", ioctl: ioctlLabel(code) });
  }
  return r;
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

/** Options of {@link ioctlAsync}. */
export interface IoctlAsyncOptions {
  /** Cancels the operation (`CancelIoEx`); the Promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** How long one wait for the event lasts before the operation's status is looked at again. */
const WAIT_SLICE_MS = 100;
/** How long a cancelled (or closed) operation may take to let go of its buffers. */
const SETTLE_MS = 5000;

/**
 * One overlapped WSAIoctl under way. Its OVERLAPPED and buffers are library-owned copies in
 * explicit ArrayBuffers (memory that neither moves nor can be detached by the caller), kept
 * referenced until Windows is provably done with them: the OVERLAPPED's status is final.
 */
class PendingOperation {
  readonly overlapped: Uint8Array = new Uint8Array(new ArrayBuffer(OVERLAPPED_SIZE));
  /** Set when the handle's owning Socket closed it while the operation was under way. */
  closed = false;

  constructor(
    readonly native: NativeApi,
    readonly event: bigint,
    readonly input: Uint8Array | null,
    readonly output: Uint8Array | null,
  ) {}

  /** Windows no longer uses the buffers: the status in the OVERLAPPED is final. */
  done(): boolean {
    return this.native.overlappedStatus(this.overlapped) >= 0 || this.native.lastError() !== 997;
  }

  /** The owning Socket closed the handle: wake the waiter. */
  ownerClosed(): void {
    this.closed = true;
    this.native.setEvent(this.event);
  }

  /** Frees the event; only once {@link done}. */
  dispose(): void {
    this.native.closeEvent(this.event);
  }
}

/**
 * Operations abandoned while Windows still held their buffers (a cancel that did not land in
 * {@link SETTLE_MS}): kept alive here, and freed by a later call once their status is final.
 */
const orphans = new Set<PendingOperation>();

function sweepOrphans(): void {
  for (const op of orphans) {
    if (op.done()) {
      orphans.delete(op);
      op.dispose();
    }
  }
}

/** Waits until the operation's status is final, or `ms` passed; true when final. */
async function settle(op: PendingOperation, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!op.done()) {
    const left = end - Date.now();
    if (left <= 0) return false;
    const signalled = await op.native.waitEvent(op.event, Math.min(left, WAIT_SLICE_MS));
    // Signalled by ownerClosed(), not by Windows: wait for Windows' own signal.
    if (signalled && !op.done()) op.native.resetEvent(op.event);
  }
  return true;
}

/**
 * Runs a control code as overlapped I/O and resolves when it completes, without blocking the
 * event loop: for the notification codes (`SIO_ADDRESS_LIST_CHANGE`,
 * `SIO_ROUTING_INTERFACE_CHANGE`, `SIO_IDEAL_SEND_BACKLOG_CHANGE`, …), which wait for a change.
 * Windows only.
 *
 * Windows works on copies of `input` and `output` in memory the library owns, so the caller's
 * views may be touched, moved or detached at any time; `output` receives the result when the
 * operation succeeds. The operation settles with its real status (also when Windows reports a
 * failure only through the OVERLAPPED, without signalling). Closing the Socket (the one passed,
 * or the Socket that owns a raw handle) settles it: with {@link SocketClosedError} when `socket`
 * is that Socket, with the operation's own final status (e.g. 995 `WSA_OPERATION_ABORTED`)
 * when a raw handle was passed.
 *
 * @param socket A {@link Socket} or a raw `bigint` handle.
 * @param code The control code, a uint32.
 * @param input The input buffer, or null/undefined.
 * @param output The output buffer, or null/undefined.
 * @param options `{ signal }` to cancel.
 * @returns The number of bytes written to `output`.
 * @throws {TypeError} / {RangeError} on bad arguments (as {@link ioctl}; `options` must be an
 * object and `options.signal` an AbortSignal).
 * @throws {SocketClosedError} when the Socket is (or gets) closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when the call fails (995 `WSA_OPERATION_ABORTED` once cancelled).
 * @example
 * ```ts
 * import { ioctlAsync, SIO_ADDRESS_LIST_CHANGE, Socket } from "@x/wsioctl";
 * // Windows: resolves when the local address list changes, or rejects once `signal` aborts.
 * export async function waitForAddressChange(signal: AbortSignal): Promise<void> {
 *   using s = Socket.open("inet", "dgram");
 *   await ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal });
 * }
 * ```
 */
export async function ioctlAsync(
  socket: Socket | bigint,
  code: number,
  input?: IoctlBuffer | null,
  output?: IoctlBuffer | null,
  options: IoctlAsyncOptions = {},
): Promise<number> {
  code = checkCode(code, "code");
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const signal = checkSignal(options.signal, "options.signal");
  const h = socketHandle(socket, "ioctlAsync");
  const inBytes = bufferArg(input, "input");
  const outBytes = bufferArg(output, "output");
  const inLength = dwordLength(inBytes, "input");
  const outLength = dwordLength(outBytes, "output");
  const native = nativeApi();
  if (native.os !== "windows") throw new UnsupportedError(ioctlLabel(code), native.os, code);
  signal?.throwIfAborted();
  sweepOrphans();
  const label = ioctlLabel(code);
  const failed = (e: number) => new WinsockError(e, { call: "WSAIoctl", ioctl: label });
  const event = native.createEvent();
  if (event < 0n) throw new WinsockError(native.lastError(), { call: "WSACreateEvent" });
  const op = new PendingOperation(
    native,
    event,
    inBytes === null ? null : pinnedCopy(inBytes),
    outBytes === null ? null : pinnedCopy(outBytes),
  );
  // The Socket whose close() settles this operation: the one passed, or the owner of the handle.
  const pendingOn = socket instanceof Socket ? ownerOf(socket)?.pending : ownerOfHandle(h)?.pending;
  let keep = false; // true when the buffers must outlive this call (an orphan)
  try {
    const now = native.wsaIoctlOverlapped(
      h,
      code,
      op.input,
      inLength,
      op.output,
      outLength,
      op.overlapped,
      event,
    );
    if (now < 0) {
      const e = native.lastError();
      if (e !== 997) throw failed(e);
      pendingOn?.add(op);
      try {
        // Pending: wait for a final status (which Windows may set without signalling).
        while (!op.done() && !op.closed) {
          await native.waitEvent(event, WAIT_SLICE_MS, signal);
        }
      } catch (reason) {
        // Aborted: cancel, and keep the buffers until Windows lets go of them.
        if (!op.closed && !op.done()) native.cancelIo(h, op.overlapped);
        if (!(await settle(op, SETTLE_MS))) keep = true;
        throw reason;
      } finally {
        pendingOn?.delete(op);
        ownerOfHandle(h)?.pending.delete(op); // taken over meanwhile (Socket.fromHandle)
      }
      if (op.closed && !(await settle(op, SETTLE_MS))) {
        keep = true;
        throw new SocketClosedError("ioctlAsync");
      }
      if (op.closed && socket instanceof Socket) throw new SocketClosedError("ioctlAsync");
    }
    // The result from the OVERLAPPED itself: the handle may be closed by now.
    const n = now >= 0 ? now : native.overlappedStatus(op.overlapped);
    if (n < 0) throw failed(native.lastError());
    if (outBytes !== null && op.output !== null && n > 0) {
      // Into the caller's view as it is now (it may have shrunk or been detached meanwhile).
      const room = byteLengthOf(outBytes);
      outBytes.set(op.output.subarray(0, Math.min(n, room)));
    }
    return n;
  } finally {
    if (keep) orphans.add(op);
    else op.dispose();
  }
}
