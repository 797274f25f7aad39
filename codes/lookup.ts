/**
 * Lookups over the generated code table.
 *
 * @module
 */

import { checkCode } from "../_validate.ts";
import { formatCode } from "./format.ts";
import { IOCTLS } from "./generated.ts";
import type { IoctlInfo } from "./types.ts";

export { formatCode };

const BY_VALUE = new Map<number, IoctlInfo[]>();
const BY_NAME = new Map<string, IoctlInfo>();
for (const info of IOCTLS) {
  const list = BY_VALUE.get(info.value);
  if (list) list.push(info);
  else BY_VALUE.set(info.value, [info]);
  BY_NAME.set(info.name, info);
}
// A name defined as another name goes after the names with a macro of their own.
for (const list of BY_VALUE.values()) {
  list.sort((a, b) => Number(a.aliasOf !== undefined) - Number(b.aliasOf !== undefined));
  Object.freeze(list);
}

const NUMERIC = /^(?:0[xX][0-9a-fA-F]+|\d+)$/;
const EMPTY: readonly IoctlInfo[] = Object.freeze([]);

/**
 * Finds every table entry for a control code, given by value or by name.
 *
 * A value that several names share (SIO_SET_PRIORITY_HINT and SIO_PRIORITY_HINT, …) returns all
 * of them, names with a macro of their own first. A name returns its own entry first, then the
 * other names of its value. Names match case-insensitively; a numeric string (`"0x98000004"`,
 * `"2550136836"`) is looked up as a value.
 *
 * @param nameOrValue A control code (number or numeric string) or an SDK name.
 * @returns The matching entries; empty when the table has none.
 * @throws {TypeError} When given something other than a string or an integer.
 * @throws {RangeError} When a number does not fit in 32 bits.
 * @example
 * ```ts
 * import { lookupIoctl } from "@x/wsioctl/codes";
 * lookupIoctl(0x98000018).map((i) => i.name); // ["SIO_SET_PRIORITY_HINT", "SIO_PRIORITY_HINT"]
 * ```
 */
export function lookupIoctl(nameOrValue: string | number): readonly IoctlInfo[] {
  if (typeof nameOrValue === "number") {
    return BY_VALUE.get(checkCode(nameOrValue, "nameOrValue")) ?? EMPTY;
  }
  if (typeof nameOrValue !== "string") {
    throw new TypeError(
      `nameOrValue must be a string or a number, got ${typeof nameOrValue}`,
    );
  }
  const text = nameOrValue.trim();
  if (NUMERIC.test(text)) {
    const value = Number(text);
    if (value > 0xffffffff) throw new RangeError(`nameOrValue must fit in 32 bits, got ${text}`);
    return BY_VALUE.get(value) ?? EMPTY;
  }
  const info = BY_NAME.get(text.toUpperCase());
  if (!info) return EMPTY;
  const others = (BY_VALUE.get(info.value) ?? EMPTY).filter((i) => i !== info);
  return [info, ...others];
}

/**
 * The primary SDK name of a control code (the one with a macro of its own), if the table has it.
 *
 * @param value The control code.
 * @returns The name, or `undefined` for a code the table does not know.
 * @throws {TypeError} When `value` is not an integer.
 * @throws {RangeError} When `value` does not fit in 32 bits.
 * @example
 * ```ts
 * import { ioctlName } from "@x/wsioctl/codes";
 * ioctlName(0x4004667f); // "FIONREAD"
 * ```
 */
export function ioctlName(value: number): string | undefined {
  return BY_VALUE.get(checkCode(value, "value"))?.[0]?.name;
}

/**
 * How messages name a control code: its SDK name when the table knows it, else its hex value.
 *
 * @param value The control code.
 * @returns E.g. `"FIONREAD"` or `"0x12345678"`.
 * @throws {TypeError} When `value` is not an integer.
 * @throws {RangeError} When `value` does not fit in 32 bits.
 * @example
 * ```ts
 * import { ioctlLabel } from "@x/wsioctl/codes";
 * ioctlLabel(0x4004667f); // "FIONREAD"
 * ioctlLabel(0x12345678); // "0x12345678"
 * ```
 */
export function ioctlLabel(value: number): string {
  return ioctlName(value) ?? formatCode(value);
}
