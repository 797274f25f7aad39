/**
 * Internal: the overlapped typed calls (the `*_CHANGE` notifications) on {@link ioctlAsync}, with
 * every failure named after the typed call — the WSA code, the IOCTL and the platform kept — and
 * an abort passed through as the signal's own reason.
 *
 * @module
 */

import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import { type TypedCall, typedFailure } from "../ioctl.ts";
import { ioctlAsync } from "../ioctl_async.ts";
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
    throw signal?.aborted && e === signal.reason ? e : renamed(e, code, call);
  }
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
    return new UnsupportedError(e.ioctl, e.platform, e.code, call.name);
  }
  if (e instanceof SocketClosedError) return new SocketClosedError(call.name, e.reason);
  return e;
}
