/**
 * Internal: the two checks of structs/ that `../_validate.ts` has no exact twin for (a port with
 * its default name, and a 64-bit field whose message names its decimal range). Everything else
 * comes from `../_validate.ts`.
 *
 * @module
 */

import { checkUint16, describe } from "../_validate.ts";

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

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * The check of a 64-bit field setter: a bigint inside the field's range.
 *
 * @param value The value being stored.
 * @param name The field's property name, for the message.
 * @param signed `true` for a signed field (`LONG64`), `false` for an unsigned one.
 * @returns `value`, typed as a bigint.
 * @throws {TypeError} If `value` is not a bigint.
 * @throws {RangeError} If it does not fit in 64 bits with that signedness
 * (`bytesIn must be in 0..18446744073709551615, got -1n`).
 */
export function checkBigInt(value: unknown, name: string, signed: boolean): bigint {
  if (typeof value !== "bigint") {
    throw new TypeError(`${name} must be a bigint, got ${describe(value)}`);
  }
  const min = signed ? I64_MIN : 0n;
  const max = signed ? I64_MAX : U64_MAX;
  if (value < min || value > max) {
    throw new RangeError(`${name} must be in ${min}..${max}, got ${value}n`);
  }
  return value;
}
