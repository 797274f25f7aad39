/**
 * Internal: the overlapped typed calls (the `*_CHANGE` notifications) on {@link ioctlAsync}, with
 * every failure named after the typed call — the WSA code, the IOCTL and the platform kept — and
 * an abort passed through as the signal's own reason.
 *
 * @module
 */

import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import { type TypedCall, typedFailure } from "../ioctl.ts";
import { _startIoctl, ioctlAsync, type StartedIoctl } from "../ioctl_async.ts";
import type { SocketRef } from "./_shared.ts";

/**
 * Runs `code` overlapped, without an output buffer, and resolves when it completes.
 *
 * @param s The socket (a Socket, so that closing it settles the wait as SocketClosedError).
 * @param code The control code.
 * @param input The input bytes (copied by ioctlAsync before it returns), or null.
 * @param signal Cancels the wait; the Promise then rejects with the signal's reason.
 * @param call The typed call the errors name.
 * @returns A Promise that resolves when the operation completed.
 */
export async function awaitNotification(
  s: SocketRef,
  code: number,
  input: Uint8Array | null,
  signal: AbortSignal | undefined,
  call: TypedCall,
): Promise<void> {
  try {
    await ioctlAsync(s, code, input, null, { signal });
  } catch (e) {
    throw named(e, signal, code, call);
  }
}

/**
 * Starts `code` overlapped, without an output buffer, and returns at once: the wait is the
 * caller's to run when it needs the outcome (nothing runs until then; collected unwaited, the
 * operation is cancelled). A failure to start shows in `wait()`.
 *
 * @param s The socket (a Socket, so that closing it settles the wait as SocketClosedError).
 * @param code The control code.
 * @param input The input bytes (copied here), or null.
 * @param stop Cancels the operation when aborted, waited for or not.
 * @param call The typed call the errors name.
 * @returns The armed wait.
 */
export function armNotification(
  s: SocketRef,
  code: number,
  input: Uint8Array | null,
  stop: AbortSignal,
  call: TypedCall,
): Armed {
  let started: StartedIoctl;
  try {
    started = _startIoctl(s, code, input, call.name, stop);
  } catch (e) {
    const error = named(e, undefined, code, call);
    return { wait: () => Promise.reject(error) };
  }
  return {
    async wait(signal) {
      try {
        await started.wait(signal);
      } catch (e) {
        throw named(e, signal, code, call);
      }
    },
  };
}

/** A notification armed by {@link armNotification}. */
export interface Armed {
  /**
   * Waits for it, once.
   *
   * @param signal Cancels it; the Promise then rejects with the signal's reason.
   */
  wait(signal: AbortSignal): Promise<void>;
}

/** A failure of the wait: an abort's own reason as is, otherwise named after the typed call. */
function named(e: unknown, signal: AbortSignal | undefined, code: number, call: TypedCall) {
  return signal?.aborted && e === signal.reason ? e : renamed(e, code, call);
}

/** An error of ioctlAsync, named after the typed call; anything else unchanged. */
function renamed(e: unknown, code: number, call: TypedCall): unknown {
  if (e instanceof WinsockError && e.typedCall === undefined) {
    // A WSAIoctl failure gets the call's hint; a failure of another native call keeps its name.
    return e.call === "WSAIoctl"
      ? typedFailure(e.code, code, call)
      : new WinsockError(e.code, { call: e.call, typedCall: call.name });
  }
  if (e instanceof UnsupportedError && e.typedCall === undefined) {
    return new UnsupportedError(e.ioctl, e.platform, e.code, call.name, e.instead);
  }
  if (e instanceof SocketClosedError) return new SocketClosedError(call.name, e.reason);
  return e;
}
