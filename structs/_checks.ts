/**
 * Internal: the checks of structs/ that `../_validate.ts` has no exact twin for (a port with its
 * default name). Everything else comes from `../_validate.ts`.
 *
 * @module
 */

import { checkUint16 } from "../_validate.ts";

/**
 * Checks a port number.
 *
 * @param port The value to check.
 * @param name The argument name used in error messages; default `"port"`.
 * @returns `port`, typed as a number.
 * @throws {TypeError} If `port` is not an integer number.
 * @throws {RangeError} If `port` is outside 0..65535.
 */
export function validatePort(port: unknown, name = "port"): number {
  return checkUint16(port, name);
}
