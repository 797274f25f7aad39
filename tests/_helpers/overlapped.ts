/** Overlapped calls on the native layer itself, for the Windows tests and bench/abort_bench.ts. */

import { SIO_ADDRESS_LIST_CHANGE } from "../../codes/mod.ts";
import type { NativeApi } from "../../ffi/native.ts";

/**
 * Starts an overlapped SIO_ADDRESS_LIST_CHANGE (no buffers) on `handle`, signalling `event`.
 *
 * @returns What `wsaIoctlOverlapped` returns: -1 with `lastError()` 997 while pending.
 */
export function startAddressListChange(
  native: NativeApi,
  handle: bigint,
  overlapped: Uint8Array,
  event: bigint,
): number {
  return native.wsaIoctlOverlapped(
    handle,
    SIO_ADDRESS_LIST_CHANGE,
    null,
    0,
    null,
    0,
    overlapped,
    event,
  );
}
