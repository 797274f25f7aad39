/**
 * {@link ioctlAsync}: a control code as overlapped I/O, for the notification codes that wait for
 * a change (`SIO_ADDRESS_LIST_CHANGE`, `SIO_ROUTING_INTERFACE_CHANGE`,
 * `SIO_IDEAL_SEND_BACKLOG_CHANGE`, …). Windows only. Its arguments follow {@link ioctl}'s rules.
 *
 * @example
 * ```ts
 * import { ioctlAsync, SIO_ADDRESS_LIST_CHANGE, Socket } from "@x/wsioctl";
 * export async function waitForAddressChange(signal: AbortSignal): Promise<void> {
 *   using s = Socket.open("inet", "dgram");
 *   await ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal });
 * }
 * ```
 *
 * @module
 */

import { ioctlLabel } from "./codes/mod.ts";
import { SocketClosedError, UnsupportedError, WinsockError } from "./errors.ts";
import { type NativeApi, OVERLAPPED_SIZE } from "./ffi/native.ts";
import { nativeApi } from "./ffi/select.ts";
import { dwordLength, type IoctlBuffer, socketHandle, type SocketLike, viewArg } from "./ioctl.ts";
import { Socket } from "./socket.ts";
import {
  byteLengthOf,
  checkCode,
  checkObject,
  checkSignal,
  optionalBytesOf,
  pinnedCopy,
  throwIfAborted,
} from "./_validate.ts";
import { ownerOf, ownerOfHandle } from "./_owner.ts";
import { WSA_IO_PENDING } from "./_wsa.ts";

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
    return this.native.overlappedStatus(this.overlapped) >= 0 ||
      this.native.lastError() !== WSA_IO_PENDING;
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
 * @param socket A {@link Socket}, a raw `bigint` handle, or a runtime's socket object (`handleOf`).
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
  socket: SocketLike,
  code: number,
  input?: IoctlBuffer | null,
  output?: IoctlBuffer | null,
  options: IoctlAsyncOptions = {},
): Promise<number> {
  // ioctl's order: the caller's reads, the handle, the lengths, then nothing of the caller's
  // until WSAIoctl (the signal's state is read through AbortSignal.prototype's getters).
  code = checkCode(code, "code");
  const signal = checkSignal(checkObject(options, "options").signal, "options.signal");
  const inView = viewArg(input, "input");
  const outView = viewArg(output, "output");
  const isSocket = socket instanceof Socket; // not asked after the handle: a Proxy's trap runs
  const h = socketHandle(socket, "ioctlAsync");
  const inBytes = optionalBytesOf(inView, "input");
  const outBytes = optionalBytesOf(outView, "output");
  const inLength = dwordLength(inBytes, "input");
  const outLength = dwordLength(outBytes, "output");
  const native = nativeApi();
  if (native.os !== "windows") throw new UnsupportedError(ioctlLabel(code), native.os, code);
  throwIfAborted(signal);
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
  const pendingOn = isSocket ? ownerOf(socket)?.pending : ownerOfHandle(h)?.pending;
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
      if (e !== WSA_IO_PENDING) throw failed(e);
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
