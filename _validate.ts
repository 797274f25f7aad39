/**
 * Internal, pure: argument checks shared by the layers above the native layer, and the one way
 * this library reads a caller's buffer.
 *
 * A caller's view is hostile until proven otherwise: an instance property or a subclass getter
 * can make `view.byteLength`, `view.byteOffset` or `view.buffer` say anything. Every length,
 * offset and buffer that reaches native code is therefore read here through the engine's own
 * accessors (the getters of `%TypedArray%.prototype` and `DataView.prototype`, captured when this
 * module loads and called on the view directly), never through a property lookup on the view.
 *
 * @module
 */

type Getter<T> = (self: unknown) => T;

const TypedArrayPrototype: object = Object.getPrototypeOf(Uint8Array.prototype);
const callBound = Function.prototype.call.bind(Function.prototype.call) as (
  fn: unknown,
  self: unknown,
) => unknown;

function intrinsic<T>(proto: object, key: PropertyKey): Getter<T> {
  const get = Object.getOwnPropertyDescriptor(proto, key)?.get;
  if (get === undefined) throw new Error(`wsioctl: the engine has no ${String(key)} getter`);
  return (self) => callBound(get, self) as T;
}

/** `%TypedArray%.prototype[@@toStringTag]`: the kind of a typed array, undefined for others. */
const typedArrayTag = intrinsic<string | undefined>(TypedArrayPrototype, Symbol.toStringTag);
const typedArrayBuffer = intrinsic<ArrayBufferLike>(TypedArrayPrototype, "buffer");
const typedArrayByteOffset = intrinsic<number>(TypedArrayPrototype, "byteOffset");
const typedArrayByteLength = intrinsic<number>(TypedArrayPrototype, "byteLength");
const dataViewBuffer = intrinsic<ArrayBufferLike>(DataView.prototype, "buffer");
const dataViewByteOffset = intrinsic<number>(DataView.prototype, "byteOffset");
const dataViewByteLength = intrinsic<number>(DataView.prototype, "byteLength");
const arrayBufferDetachedGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached")
  ?.get;
const abortSignalAborted = typeof AbortSignal === "function"
  ? Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get
  : undefined;
const isView = ArrayBuffer.isView;
const isArray = Array.isArray;
const objectToString = Object.prototype.toString;

/**
 * A short, safe description of any value for an error message. Never runs the caller's code
 * beyond what `Object.prototype.toString` does.
 *
 * @param v Any value.
 * @returns E.g. `"null"`, `"5n"`, `"\"x\""`, `"[object Uint8Array]"`.
 */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object" || typeof v === "function") {
    if (isArray(v)) return "[object Array]";
    try {
      return callBound(objectToString, v) as string;
    } catch {
      return typeof v;
    }
  }
  if (typeof v === "symbol") return v.toString();
  return String(v);
}

/**
 * Whether an ArrayBuffer is detached (transferred). SharedArrayBuffers never are.
 */
function isDetached(buffer: ArrayBufferLike): boolean {
  if (!(buffer instanceof ArrayBuffer)) return false;
  if (arrayBufferDetachedGetter !== undefined) {
    return callBound(arrayBufferDetachedGetter, buffer) as boolean;
  }
  // Engines before ArrayBuffer.prototype.detached (Node 20): a view of a detached buffer cannot
  // be made.
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * The real extent of a view, read through the engine's accessors.
 *
 * @param view An ArrayBufferView (checked by the caller).
 * @returns `[buffer, byteOffset, byteLength]`.
 */
function extentOf(view: ArrayBufferView): [ArrayBufferLike, number, number] {
  if (typedArrayTag(view) !== undefined) {
    return [typedArrayBuffer(view), typedArrayByteOffset(view), typedArrayByteLength(view)];
  }
  return [dataViewBuffer(view), dataViewByteOffset(view), dataViewByteLength(view)];
}

/**
 * The real buffer, byte offset and byte length of an ArrayBufferView, read through the engine's
 * accessors (a DataView over a detached or shrunk buffer: offset and length 0).
 *
 * @param view An ArrayBufferView.
 * @returns `[buffer, byteOffset, byteLength]`.
 * @throws {TypeError} when `view` is not an ArrayBufferView.
 */
export function viewExtent(view: ArrayBufferView): [ArrayBufferLike, number, number] {
  if (!isView(view)) throw new TypeError(`expected an ArrayBufferView, got ${describe(view)}`);
  try {
    return extentOf(view);
  } catch {
    return [dataViewBuffer(view), 0, 0];
  }
}

/**
 * The real byte length of any ArrayBufferView (0 when detached or out of bounds), read through
 * the engine's accessors: never the view's own `byteLength` property.
 *
 * @param view An ArrayBufferView.
 * @returns Its length in bytes.
 * @throws {TypeError} when `view` is not an ArrayBufferView.
 */
export function byteLengthOf(view: ArrayBufferView): number {
  if (typedArrayTag(view) !== undefined) return typedArrayByteLength(view);
  try {
    return dataViewByteLength(view);
  } catch (e) {
    if (isView(view)) return 0; // a DataView over a detached or shrunk buffer
    throw e;
  }
}

/**
 * Byte views of the callers' non-Uint8Array views (a Uint32Array polled with FIONREAD, a
 * DataView, …), made once per view: repeated calls with the same view allocate nothing. Weak:
 * a caller's buffer is never kept alive by the library.
 */
const byteViews = new WeakMap<ArrayBufferView, Uint8Array>();

/**
 * A `Uint8Array` over exactly the bytes of a caller's view, for native calls. A `Uint8Array`
 * (subclasses included) is returned as is — native code takes its data pointer from the
 * engine, and its length must be read with {@link byteLengthOf}; any other view gets a byte view
 * the library builds from the view's real buffer, offset and length (cached per view, rebuilt
 * when the view's extent changed).
 *
 * @param view The caller's view.
 * @param name The parameter's name, for the error message.
 * @returns The bytes.
 * @throws {TypeError} when `view` is not an ArrayBufferView, or its buffer is detached.
 */
export function bytesOf(view: unknown, name: string): Uint8Array {
  const tag = isView(view) ? typedArrayTag(view) : null;
  if (tag === null) {
    throw new TypeError(`${name} must be an ArrayBufferView, got ${describe(view)}`);
  }
  const v = view as ArrayBufferView;
  if (tag === "Uint8Array") {
    if (typedArrayByteLength(v) === 0) checkAttached(typedArrayBuffer(v), name);
    return v as Uint8Array;
  }
  let buffer: ArrayBufferLike, offset: number, length: number;
  try {
    [buffer, offset, length] = extentOf(v);
  } catch {
    // DataView accessors throw on a detached or out-of-bounds buffer.
    buffer = dataViewBuffer(v);
    checkAttached(buffer, name);
    offset = 0;
    length = 0;
  }
  if (length === 0) checkAttached(buffer, name);
  let bytes = byteViews.get(v);
  if (
    bytes === undefined || typedArrayBuffer(bytes) !== buffer ||
    typedArrayByteOffset(bytes) !== offset || typedArrayByteLength(bytes) !== length
  ) {
    bytes = new Uint8Array(buffer, offset, length);
    byteViews.set(v, bytes);
  }
  return bytes;
}

function checkAttached(buffer: ArrayBufferLike, name: string): void {
  if (isDetached(buffer)) throw new TypeError(`${name} is a view of a detached ArrayBuffer`);
}

/**
 * {@link bytesOf}, with `null` and `undefined` meaning "no buffer".
 *
 * @param view The caller's view, or null/undefined.
 * @param name The parameter's name.
 * @returns The bytes, or null.
 * @throws {TypeError} as {@link bytesOf}.
 */
export function optionalBytesOf(view: unknown, name: string): Uint8Array | null {
  return view === null || view === undefined ? null : bytesOf(view, name);
}

/**
 * Gives a view's memory its final place before its address is taken: JavaScriptCore keeps a
 * small typed array made without an explicit ArrayBuffer inline in the object and moves it to
 * a new ArrayBuffer the first time its `buffer` is read, so an address taken earlier would go
 * stale. Reading the buffer through the engine's getter does the move now.
 *
 * @param bytes Bytes from {@link bytesOf}.
 */
export function materialize(bytes: Uint8Array): void {
  typedArrayBuffer(bytes);
}

/**
 * A copy of a view's bytes in a new, library-owned `ArrayBuffer` whose memory cannot move (an
 * explicit ArrayBuffer: JavaScriptCore relocates the storage of small typed arrays made without
 * one) and that no caller can detach or resize: for overlapped I/O, where the operating system
 * keeps the pointer after the call returns.
 *
 * @param bytes Bytes from {@link bytesOf}.
 * @returns The copy.
 */
export function pinnedCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new ArrayBuffer(byteLengthOf(bytes)));
  copy.set(bytes);
  return copy;
}

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
