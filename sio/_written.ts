/**
 * Internal: the check the typed calls with a fixed-size output make on the count Winsock
 * reports (`lpcbBytesReturned`): a successful synchronous call that claims fewer bytes than the
 * struct it answers is refused, so no field is read from bytes Windows never wrote.
 *
 * @module
 */

import { ioctlLabel } from "../codes/mod.ts";
import type { TypedCall } from "../ioctl.ts";

/**
 * Throws when Winsock reported fewer than `size` bytes written.
 *
 * @param n The bytes returned.
 * @param size The struct's size.
 * @param struct The struct's SDK name, for the message.
 * @param code The control code (named in the message).
 * @param call The typed call.
 * @throws {Error} when `n < size`.
 */
export function checkWritten(
  n: number,
  size: number,
  struct: string,
  code: number,
  call: TypedCall,
): void {
  if (n < size) {
    throw new Error(
      `${call.name}: ${ioctlLabel(code)} reported ${n} bytes written; ${struct} has ${size}`,
    );
  }
}
