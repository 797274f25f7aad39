/**
 * {@link ioctlAsync}: a control code as overlapped I/O, for the notification codes that wait for
 * a change (`SIO_ADDRESS_LIST_CHANGE`, `SIO_ROUTING_INTERFACE_CHANGE`,
 * `SIO_IDEAL_SEND_BACKLOG_CHANGE`, …). Windows; on Linux and macOS the address-list and
 * routing-interface changes, watched on a routing socket (`_change_watch.ts`). Its arguments
 * follow {@link ioctl}'s rules.
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
import { SocketClosedError, WinsockError } from "./errors.ts";
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
import { type Owner, type PendingOnHandle, trackCancellable } from "./_owner.ts";
import { startWatch } from "./_change_watch.ts";
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
class PendingOperation implements PendingOnHandle {
  readonly overlapped: Uint8Array = new Uint8Array(new ArrayBuffer(OVERLAPPED_SIZE));
  /** Set when its Socket let go of the handle, or the handle was closed, while under way. */
  closed = false;
  by: Owner | undefined = undefined;
  /** Unregisters it from the handle's life (see `_owner.ts`). */
  untrack: () => void = () => {};

  constructor(
    readonly native: NativeApi,
    readonly handle: bigint,
    readonly event: bigint,
    readonly input: Uint8Array | null,
    readonly output: Uint8Array | null,
  ) {}

  /** Windows no longer uses the buffers: the status in the OVERLAPPED is final. */
  done(): boolean {
    return this.native.overlappedStatus(this.overlapped) >= 0 ||
      this.native.lastError() !== WSA_IO_PENDING;
  }

  /** Set once {@link cancel} asked Windows to cancel it. */
  cancelled = false;

  /** Cancels this operation alone (CancelIoEx on its own OVERLAPPED), unless already final. */
  cancel(): void {
    // Not final yet: the handle is still open (closing a handle ends its I/O).
    if (this.closed || this.done()) return;
    this.cancelled = true;
    this.native.cancelIo(this.handle, this.overlapped);
  }

  handleClosed(): void {
    this.closed = true;
    this.native.setEvent(this.event);
  }

  letGo(): void {
    this.cancel();
    this.handleClosed();
  }

  /** Frees the event; only once {@link done}. */
  dispose(): void {
    this.native.closeEvent(this.event);
  }
}

/**
 * Operations abandoned while Windows still held their buffers (a cancel that did not land in
 * {@link SETTLE_MS}, a started operation nobody waited for): kept alive here, and freed by a
 * later call once their status is final.
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

/** Keeps `op` until Windows is done with it, then frees it. */
function orphan(op: PendingOperation): void {
  op.untrack();
  if (op.done()) op.dispose();
  else orphans.add(op);
}

/**
 * A started operation that nobody waits for any more (its {@link StartedIoctl} was collected
 * before `wait()`): nothing can observe it, so it is cancelled.
 */
const unwaited = new FinalizationRegistry<PendingOperation>((op) => {
  op.cancel();
  orphan(op);
});

/** Waits until the operation's status is final, or `ms` passed; true when final. */
async function settle(op: PendingOperation, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!op.done()) {
    const left = end - Date.now();
    if (left <= 0) return false;
    const signalled = await op.native.waitEvent(op.event, Math.min(left, WAIT_SLICE_MS));
    // Signalled by wsioctl (a close, an abort), not by Windows: wait for Windows' own signal.
    if (signalled && !op.done()) op.native.resetEvent(op.event);
  }
  return true;
}

/**
 * Internal: an overlapped WSAIoctl started, and {@link StartedIoctl.wait} to follow it to its
 * end. Until `wait()` is called nothing runs in JavaScript (no wait, no timer): Windows holds the
 * operation. Collected before `wait()` ran, it is cancelled.
 */
export interface StartedIoctl {
  /**
   * Waits for the operation's end, once: as {@link ioctlAsync} does from its first wait on.
   *
   * @param signal Cancels the operation; the Promise then rejects with its reason.
   * @returns The number of bytes written to the output.
   */
  wait(signal: AbortSignal | undefined): Promise<number>;
}

/** What {@link start} resolved and copied, for {@link Started}. */
interface Call {
  readonly native: NativeApi;
  /** The Socket passed (asked before the handle was resolved), or undefined. */
  readonly socket: Socket | undefined;
  readonly code: number;
  readonly outBytes: Uint8Array | null;
}

class Started implements StartedIoctl {
  readonly #call: Call;
  /** The operation, or undefined once waited for. */
  #op: PendingOperation | undefined;
  /** The count when WSAIoctl completed at once, else -1. */
  readonly #now: number;

  constructor(call: Call, op: PendingOperation, now: number) {
    this.#call = call;
    this.#op = op;
    this.#now = now;
    if (now < 0) unwaited.register(this, op, this);
    else op.dispose(); // completed at once: the event is not needed
  }

  async wait(signal: AbortSignal | undefined): Promise<number> {
    const op = this.#op;
    if (op === undefined) throw new Error("wsioctl: a started operation is waited for once");
    this.#op = undefined;
    unwaited.unregister(this);
    const { native, socket, code, outBytes } = this.#call;
    try {
      if (this.#now < 0) await waitFor(op, signal);
      if (op.closed && socket !== undefined) throw new SocketClosedError("ioctlAsync");
      // The result from the OVERLAPPED itself: the handle may be closed by now.
      const n = this.#now >= 0 ? this.#now : native.overlappedStatus(op.overlapped);
      if (n < 0) {
        throw new WinsockError(native.lastError(), { call: "WSAIoctl", ioctl: ioctlLabel(code) });
      }
      if (outBytes !== null && op.output !== null && n > 0) {
        // Into the caller's view as it is now (it may have shrunk or been detached meanwhile).
        const room = byteLengthOf(outBytes);
        outBytes.set(op.output.subarray(0, Math.min(n, room)));
      }
      return n;
    } finally {
      if (this.#now < 0) orphan(op); // freed now, or once Windows let go of the buffers
    }
  }
}

/**
 * Waits for a pending operation's final status, until it is aborted or closed. An abort
 * cancels it; either way it then waits (up to {@link SETTLE_MS}) until Windows let go of the
 * buffers.
 *
 * @throws the signal's reason once aborted; {@link SocketClosedError} when closed and still not
 * final.
 */
async function waitFor(op: PendingOperation, signal: AbortSignal | undefined): Promise<void> {
  const { native, event } = op;
  // An abort cancels at once, and wakes the wait under way (a runtime waits on another thread,
  // in slices, and sees the signal only between two).
  const wake = () => (op.cancel(), native.setEvent(event));
  signal?.addEventListener("abort", wake);
  try {
    // Pending: wait for a final status (which Windows may set without signalling).
    while (!op.done() && !op.closed) await native.waitEvent(event, WAIT_SLICE_MS, signal);
    // Cancelled at the abort, and final before the wait saw the signal: an abort all the same.
    if (op.cancelled && !op.closed) signal?.throwIfAborted();
  } catch (reason) {
    // Aborted (cancelled by `wake`, or aborted before): wait until Windows lets go of the
    // buffers. The event is reset first (`wake` set it): only Windows' own signal ends the wait
    // now; a status already final shows in the OVERLAPPED, which Windows writes before it
    // signals.
    native.resetEvent(event);
    op.cancel();
    await settle(op, SETTLE_MS);
    throw reason;
  } finally {
    signal?.removeEventListener("abort", wake);
  }
  if (op.closed && !(await settle(op, SETTLE_MS))) throw new SocketClosedError("ioctlAsync");
}

/**
 * Starts an overlapped WSAIoctl on checked arguments (the body of {@link ioctlAsync} and of
 * {@link _startIoctl}).
 */
function start(
  native: NativeApi,
  socket: Socket | undefined,
  h: bigint,
  code: number,
  inBytes: Uint8Array | null,
  inLength: number,
  outBytes: Uint8Array | null,
  outLength: number,
  cancelOn?: AbortSignal,
): StartedIoctl {
  sweepOrphans();
  const event = native.createEvent();
  if (event < 0n) throw new WinsockError(native.lastError(), { call: "WSACreateEvent" });
  const op = new PendingOperation(
    native,
    h,
    event,
    inBytes === null ? null : pinnedCopy(inBytes),
    outBytes === null ? null : pinnedCopy(outBytes),
  );
  let now: number;
  try {
    now = native.wsaIoctlOverlapped(
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
      if (e !== WSA_IO_PENDING) {
        throw new WinsockError(e, { call: "WSAIoctl", ioctl: ioctlLabel(code) });
      }
      // Told when the Socket passed (or the handle's owner) lets go of the handle; cancelled at
      // cancelOn's abort, also while nobody waits for it.
      op.untrack = trackCancellable(op, h, socket, cancelOn, () => op.cancel());
    }
  } catch (e) {
    op.dispose();
    throw e;
  }
  return new Started({ native, socket, code, outBytes }, op, now);
}

/**
 * Internal, for the notification streams (`sio/_stream.ts`): starts `code` overlapped on the
 * library's own `input` (copied here), without an output, and returns at once; nothing runs
 * until {@link StartedIoctl.wait}.
 *
 * @param socket A Socket, a raw handle or a runtime socket.
 * @param code The control code (the typed call's own constant).
 * @param input The input bytes, or null.
 * @param call The calling function's name, for errors.
 * @param cancelOn Cancels the operation when it aborts, whether or not anything waits for it
 * (not aborted yet).
 * @returns The started operation.
 * @throws {SocketClosedError} when the Socket is closed.
 * @throws {UnsupportedError} for a code the platform cannot wait for (off Windows: other than
 * the two change codes of `_change_watch.ts`).
 * @throws {WinsockError} when the call fails at once.
 */
export function _startIoctl(
  socket: SocketLike,
  code: number,
  input: Uint8Array | null,
  call: string,
  cancelOn: AbortSignal,
): StartedIoctl {
  const own = socket instanceof Socket ? socket : undefined; // before the handle, as ioctlAsync
  const h = socketHandle(socket, call);
  const native = nativeApi();
  const inLength = input === null ? 0 : byteLengthOf(input);
  if (native.os !== "windows") return startWatch(native, own, h, code, input, inLength, cancelOn);
  return start(native, own, h, code, input, inLength, null, 0, cancelOn);
}

/**
 * Runs a control code as overlapped I/O and resolves when it completes, without blocking the
 * event loop: for the notification codes (`SIO_ADDRESS_LIST_CHANGE`,
 * `SIO_ROUTING_INTERFACE_CHANGE`, `SIO_IDEAL_SEND_BACKLOG_CHANGE`, …), which wait for a change.
 * Windows; on Linux and macOS, SIO_ADDRESS_LIST_CHANGE and SIO_ROUTING_INTERFACE_CHANGE only,
 * watched on a routing socket (NETLINK_ROUTE, PF_ROUTE) that is looked at without blocking, a
 * timer apart (at most 50 ms), with the same rules for aborts and closes (a raw handle's wait
 * then ends with 995), and nothing written to `output`; other codes there throw
 * `UnsupportedError`.
 *
 * Windows works on copies of `input` and `output` in memory the library owns, so the caller's
 * views may be touched, moved or detached at any time; `output` receives the result when the
 * operation succeeds. The operation settles with its real status (also when Windows reports a
 * failure only through the OVERLAPPED, without signalling). Closing the Socket (the one passed,
 * or the Socket that owns a raw handle) settles it: with {@link SocketClosedError} when `socket`
 * is a Socket, with the operation's own final status (e.g. 995 `WSA_OPERATION_ABORTED`)
 * when a raw handle was passed. When the Socket passed lets go of a handle that stays open (a
 * borrowed Socket's `close()`, `release()`, or its owner's), the operation is cancelled on its
 * own OVERLAPPED alone (`CancelIoEx`; the handle's other I/O goes on) and settles with
 * {@link SocketClosedError}. An abort settles it as soon as Windows confirms the cancellation.
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
 * @throws {UnsupportedError} for a code the platform cannot wait for (off Windows: any code but
 * the address-list and routing-interface changes, and those on a system without a verified
 * routing socket).
 * @throws {WinsockError} when the call fails (995 `WSA_OPERATION_ABORTED` once cancelled).
 * @example
 * ```ts
 * import { ioctlAsync, SIO_ADDRESS_LIST_CHANGE, Socket } from "@x/wsioctl";
 * // Resolves when the local address list changes, or rejects once `signal` aborts.
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
  const owner = isSocket ? socket : undefined;
  throwIfAborted(signal);
  if (native.os !== "windows") {
    // A routing-socket watch (the two change codes; any other code: UnsupportedError).
    return await startWatch(native, owner, h, code, inBytes, inLength).wait(signal);
  }
  return await start(native, owner, h, code, inBytes, inLength, outBytes, outLength).wait(signal);
}
