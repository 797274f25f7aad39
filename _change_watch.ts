/**
 * Internal: the change notifications where the native layer has no overlapped I/O but watches a
 * routing socket (Linux, macOS: `NativeApi.watchChange`), run with the rules of the overlapped
 * path (`ioctl_async.ts`), so the typed calls cannot tell them apart:
 *
 * - started, nothing runs in JavaScript until `wait()` (the watcher, a descriptor of the native
 *   layer's own, holds the change); collected before `wait()`, the watcher is closed;
 * - `wait()` looks at the watcher without blocking, and between two looks sleeps on a timer
 *   (1 ms apart at first, then up to {@link MAX_SLEEP_MS}), on every runtime: nothing runs on
 *   another thread, and a look costs one `recv` that answers EAGAIN;
 * - an abort (the wait's signal, or the start's `cancelOn`) closes the watcher and ends the
 *   sleep at once: the Promise rejects with the signal's reason;
 * - closing the Socket the wait was started through, `release()`, or a borrowed Socket's
 *   `close()`, settles it with {@link SocketClosedError}; its owner's close settles a wait on
 *   the raw handle with WSA_OPERATION_ABORTED (995), what Windows ends an operation on a closed
 *   handle with;
 * - once settled, nothing is left: the watcher closed, the timer cleared.
 *
 * @module
 */

import { ioctlLabel } from "./codes/mod.ts";
import { SocketClosedError, WinsockError } from "./errors.ts";
import type { NativeApi } from "./ffi/native.ts";
import { type Owner, type PendingOnHandle, trackCancellable } from "./_owner.ts";
import { throwIfAborted } from "./_validate.ts";
import { WSA_OPERATION_ABORTED } from "./_wsa.ts";

/** The sleeps between the first looks, in milliseconds; then {@link MAX_SLEEP_MS} each. */
const FIRST_SLEEPS_MS = [1, 1, 2, 5, 10, 20];
/** The longest sleep between two looks: how late a change may be seen. */
export const MAX_SLEEP_MS = 50;

/** A watch started, waited for once (the shape of `ioctl_async.ts`'s `StartedIoctl`). */
export interface StartedWatch {
  /**
   * Waits for the change, once.
   *
   * @param signal Cancels it; the Promise then rejects with its reason.
   * @returns 0 (no bytes: the change codes have no output).
   */
  wait(signal: AbortSignal | undefined): Promise<number>;
}

/** A watch under way on a handle, told when its Socket lets go (see `_owner.ts`). */
class Watching implements PendingOnHandle {
  by: Owner | undefined = undefined;
  /** Its Socket let go of the handle, or the handle was closed. */
  closed = false;
  /** Cancelled by `cancelOn` (or collected unwaited). */
  cancelled = false;
  /** The watcher, until it is closed. */
  watcher: bigint | undefined;
  /** Ends the sleep under way, when one is. */
  wake: (() => void) | undefined;
  untrack: () => void = () => {};

  constructor(readonly native: NativeApi, watcher: bigint) {
    this.watcher = watcher;
  }

  handleClosed(): void {
    this.closed = true;
    this.release();
  }

  letGo(): void {
    this.handleClosed();
  }

  cancel(): void {
    this.cancelled = true;
    this.release();
  }

  /** Closes the watcher (once) and wakes whoever sleeps. */
  release(): void {
    const w = this.watcher;
    if (w !== undefined) {
      this.watcher = undefined;
      this.untrack();
      this.native.closeWatch(w);
    }
    this.wake?.();
  }

  /** Sleeps `ms`, or until {@link release} or an abort of `signal`. */
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done);
      this.wake = done;
    });
  }
}

/** A started watch nobody waits for any more (collected before `wait()`): its watcher closed. */
const unwaited = new FinalizationRegistry<Watching>((op) => op.cancel());

class Started implements StartedWatch {
  #op: Watching | undefined;
  readonly #socket: boolean;
  readonly #code: number;

  constructor(op: Watching, socket: boolean, code: number) {
    this.#op = op;
    this.#socket = socket;
    this.#code = code;
    unwaited.register(this, op, this);
  }

  async wait(signal: AbortSignal | undefined): Promise<number> {
    const op = this.#op;
    if (op === undefined) throw new Error("wsioctl: a started operation is waited for once");
    this.#op = undefined;
    unwaited.unregister(this);
    try {
      for (let looks = 0;; looks++) {
        throwIfAborted(signal); // through AbortSignal.prototype's getters, not the caller's
        if (op.closed && this.#socket) throw new SocketClosedError("ioctlAsync");
        const w = op.watcher;
        if (w === undefined) {
          // Closed under a raw handle, or cancelled: ended as Windows ends it.
          throw new WinsockError(WSA_OPERATION_ABORTED, {
            call: "WSAIoctl",
            ioctl: ioctlLabel(this.#code),
          });
        }
        const seen = op.native.changeSeen(w);
        if (seen > 0) return 0;
        if (seen < 0) {
          const e = op.native.lastError();
          throw new WinsockError(e, { call: "WSAIoctl", ioctl: ioctlLabel(this.#code) });
        }
        await op.sleep(FIRST_SLEEPS_MS[looks] ?? MAX_SLEEP_MS, signal);
      }
    } finally {
      op.release();
    }
  }
}

/**
 * Starts a watch for what `code` (SIO_ADDRESS_LIST_CHANGE, SIO_ROUTING_INTERFACE_CHANGE) waits
 * for, on checked arguments; nothing runs until `wait()`.
 *
 * @param native The native layer (not Windows).
 * @param socket The Socket passed (asked before the handle was resolved), or undefined.
 * @param h The handle.
 * @param code The control code.
 * @param input The input bytes (read now), or null.
 * @param inLength Bytes of `input`.
 * @param cancelOn Cancels the watch when it aborts, waited for or not.
 * @returns The started watch.
 * @throws {import("./errors.ts").UnsupportedError} for another code, or where there is no watch.
 * @throws {WinsockError} when the watch cannot start.
 */
export function startWatch(
  native: NativeApi,
  socket: object | undefined,
  h: bigint,
  code: number,
  input: Uint8Array | null,
  inLength: number,
  cancelOn?: AbortSignal,
): StartedWatch {
  const w = native.watchChange(h, code, input, inLength);
  if (w < 0n) {
    throw new WinsockError(native.lastError(), { call: "WSAIoctl", ioctl: ioctlLabel(code) });
  }
  const op = new Watching(native, w);
  op.untrack = trackCancellable(op, h, socket, cancelOn, () => op.cancel());
  return new Started(op, socket !== undefined, code);
}
