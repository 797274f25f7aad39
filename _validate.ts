/**
 * Internal, pure: argument checks shared by the layers above the native layer (each names the
 * parameter in its error), and — re-exported from `_bytes.ts` — the one way this library reads a
 * caller's buffer and `describe()`.
 *
 * @module
 */

import { callBound, checkBytes, describe } from "./_bytes.ts";

export {
  byteLengthOf,
  bytesOf,
  describe,
  materialize,
  optionalBytesOf,
  pinnedCopy,
  viewExtent,
} from "./_bytes.ts";

const abortSignalAborted = typeof AbortSignal === "function"
  ? Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get
  : undefined;
const abortSignalReason = typeof AbortSignal === "function"
  ? Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason")?.get
  : undefined;

/**
 * Checks a bigint handle (a Windows `SOCKET`, a POSIX file descriptor) against the range the
 * platform can represent.
 *
 * @param handle The value.
 * @param name The parameter's name.
 * @param max The largest handle the platform represents.
 * @returns The handle.
 * @throws {TypeError} when `handle` is not a bigint.
 * @throws {RangeError} when it is negative or above `max`.
 */
export function checkHandle(handle: unknown, name: string, max: bigint): bigint {
  if (typeof handle !== "bigint") {
    throw new TypeError(`${name} must be a bigint handle, got ${describe(handle)}`);
  }
  if (handle < 0n || handle > max) {
    throw new RangeError(`${name} must be in 0..${max}, got ${handle}n`);
  }
  return handle;
}

/**
 * Checks an integer argument and its range.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @param min The smallest allowed value.
 * @param max The largest allowed value.
 * @returns The value.
 * @throws {TypeError} when `value` is not an integer number.
 * @throws {RangeError} when it lies outside `min..max`.
 */
export function checkInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${name} must be in ${min}..${max}, got ${value}`);
  }
  return value;
}

/**
 * Checks an optional `AbortSignal`.
 *
 * @param signal The value.
 * @param name The parameter's name.
 * @returns The signal, or undefined.
 * @throws {TypeError} when it is neither undefined nor an AbortSignal.
 */
export function checkSignal(signal: unknown, name: string): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  // A brand check: the engine's getter throws for anything that is not a real AbortSignal.
  try {
    if (abortSignalAborted === undefined || typeof signal !== "object" || signal === null) {
      throw new TypeError();
    }
    callBound(abortSignalAborted, signal);
  } catch {
    throw new TypeError(`${name} must be an AbortSignal, got ${describe(signal)}`);
  }
  return signal as AbortSignal;
}

/**
 * `signal.throwIfAborted()` without running the caller's code: `aborted` and `reason` are read
 * through `AbortSignal.prototype`'s own getters, so a property the caller set on the signal
 * (a `throwIfAborted` of its own) never runs.
 *
 * @param signal A signal from {@link checkSignal}, or undefined.
 * @throws {unknown} the signal's reason when it is aborted.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal !== undefined && callBound(abortSignalAborted, signal) === true) {
    throw callBound(abortSignalReason, signal);
  }
}

/**
 * Step 1 of a call that passes a caller's buffer: checks that `view` is an ArrayBufferView of
 * an attached buffer, and returns it as given. Its bytes and length are read ({@link bytesOf},
 * {@link byteLengthOf}) only after the handle is resolved: resolving a runtime socket runs the
 * caller's getters, which may shrink, grow or detach the buffer.
 *
 * @param view The value.
 * @param name The parameter's name.
 * @returns The view.
 * @throws {TypeError} when it is not an ArrayBufferView, or its buffer is detached.
 */
export function checkView(view: unknown, name: string): ArrayBufferView {
  checkBytes(view, name);
  return view as ArrayBufferView;
}

/**
 * Checks a boolean argument. Only `true` and `false` pass: `0`, `1` and `"yes"` are refused, so
 * a swapped argument is caught rather than read as truthy.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @returns The value.
 * @throws {TypeError} when it is not a boolean.
 */
export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/**
 * Checks an options argument: any non-null object (an array or a class instance too). The
 * caller reads each field from it once and checks that field.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @returns The value, its fields readable by name.
 * @throws {TypeError} when it is not an object (null, a primitive, a function).
 */
export function checkObject(value: unknown, name: string): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  return value as Readonly<Record<string, unknown>>;
}

/**
 * Checks a C `UCHAR` / `BYTE` argument: an integer in 0..255.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @returns The value.
 * @throws {TypeError} when it is not an integer number.
 * @throws {RangeError} outside 0..255.
 */
export function checkUint8(value: unknown, name: string): number {
  return checkInteger(value, name, 0, 0xff);
}

/**
 * Checks a C `USHORT` / `WORD` argument: an integer in 0..65535.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @returns The value.
 * @throws {TypeError} when it is not an integer number.
 * @throws {RangeError} outside 0..65535.
 */
export function checkUint16(value: unknown, name: string): number {
  return checkInteger(value, name, 0, 0xffff);
}

/**
 * Checks a C `ULONG` / `DWORD` / `u_long` argument: an integer in 0..2^32-1.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @returns The value.
 * @throws {TypeError} when it is not an integer number.
 * @throws {RangeError} outside 0..2^32-1.
 */
export function checkUint32(value: unknown, name: string): number {
  return checkInteger(value, name, 0, 0xffffffff);
}

/**
 * Checks a 64-bit unsigned token or handle value (`ULONG64`, `UINT64`, a pointer-sized handle):
 * a bigint in 0..2^64-1. Numbers are refused: above 2^53 they have already lost bits.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @returns The value.
 * @throws {TypeError} when it is not a bigint.
 * @throws {RangeError} outside 0..2^64-1.
 */
export function checkUint64(value: unknown, name: string): bigint {
  if (typeof value !== "bigint") {
    throw new TypeError(`${name} must be a bigint, got ${describe(value)}`);
  }
  if (value < 0n || value > 0xffffffffffffffffn) {
    throw new RangeError(`${name} must be in 0..2^64-1, got ${value}n`);
  }
  return value;
}

/**
 * Checks that a value is one of the names of a table and returns the table's value for it.
 * Only the table's own keys count (`"toString"` or `"__proto__"` never match).
 *
 * @param value The value.
 * @param name The parameter's name.
 * @param table The allowed names and their values.
 * @returns `table[value]`.
 * @throws {TypeError} when it is not a string.
 * @throws {RangeError} when it is not one of the table's names (the message lists them).
 * @example
 * ```ts
 * import { checkEnum } from "./_validate.ts";
 * checkEnum("low", "hint", { veryLow: 0, low: 1, normal: 2 }); // 1
 * ```
 */
export function checkEnum<T>(value: unknown, name: string, table: Readonly<Record<string, T>>): T {
  if (typeof value !== "string") {
    throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  }
  if (!Object.hasOwn(table, value)) {
    const names = Object.keys(table).map((k) => JSON.stringify(k)).join(", ");
    throw new RangeError(`${name} must be one of ${names}, got ${describe(value)}`);
  }
  return table[value];
}

/**
 * Checks a control code and returns it as the unsigned 32-bit value Winsock receives.
 *
 * The one rule of this library: a code is an integer in -2^31..2^32-1. A negative value is taken
 * as the bit pattern of a C `int` (how C#'s `Socket.IOControl(int, …)` and C code that stores a
 * code in an `int` hold the codes with bit 31 set), so `-1744830460` is `0x98000004`,
 * SIO_KEEPALIVE_VALS. Anything else (fractions, NaN, larger magnitudes, bigints, strings) is
 * refused, never truncated.
 *
 * @param value The value.
 * @param name The parameter's name.
 * @returns The code, 0..2^32-1.
 * @throws {TypeError} when it is not an integer number.
 * @throws {RangeError} outside -2^31..2^32-1.
 * @example
 * ```ts
 * import { checkCode } from "./_validate.ts";
 * checkCode(-1744830460, "code") === 0x98000004; // true
 * ```
 */
export function checkCode(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer control code, got ${describe(value)}`);
  }
  if (value < -0x80000000 || value > 0xffffffff) {
    throw new RangeError(`${name} must be a 32-bit control code (-2^31..2^32-1), got ${value}`);
  }
  return value >>> 0;
}
