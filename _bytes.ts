/**
 * Internal, pure: the one way this library reads a caller's buffer, and `describe()` for error
 * messages. Re-exported by `_validate.ts`, the home of every argument check.
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
/** Calls `fn` with `self` as `this`, without looking anything up on `fn` or `self`. */
export const callBound = Function.prototype.call.bind(Function.prototype.call) as (
  fn: unknown,
  self: unknown,
) => unknown;

const reflectApply = Reflect.apply;
const NO_ARGUMENTS: readonly [] = Object.freeze([]) as readonly [];
// V8 (Deno, Node) inlines a getter called through `callBound` to nothing; Bun's JavaScriptCore
// allocates about 300 bytes per such call and takes ~50-400 ns, where Reflect.apply (captured
// here too, with one frozen empty argument list) allocates nothing (`npm run bench`: the generic
// ioctl's bytes per call).
const applyGetters = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

function intrinsic<T>(proto: object, key: PropertyKey): Getter<T> {
  const get = Object.getOwnPropertyDescriptor(proto, key)?.get;
  if (get === undefined) throw new Error(`wsioctl: the engine has no ${String(key)} getter`);
  if (applyGetters) return (self) => reflectApply(get, self, NO_ARGUMENTS) as T;
  return (self) => callBound(get, self) as T;
}

const readTag = intrinsic<string | undefined>(TypedArrayPrototype, Symbol.toStringTag);
/** The tags read so far, under Bun: its getter makes a new string (16 bytes) per call. */
const tags = new WeakMap<object, string | undefined>();

/**
 * `%TypedArray%.prototype[@@toStringTag]`: the kind of a typed array, undefined for others.
 * An object's answer never changes (it is the engine's internal slot), so under Bun it is read
 * once per object.
 */
const typedArrayTag: Getter<string | undefined> = applyGetters
  ? (self) => {
    if (typeof self !== "object" || self === null) return undefined;
    const o = self as object;
    let tag = tags.get(o);
    if (tag === undefined && !tags.has(o)) {
      tag = readTag(o);
      tags.set(o, tag);
    }
    return tag;
  }
  : readTag;
const typedArrayBuffer = intrinsic<ArrayBufferLike>(TypedArrayPrototype, "buffer");
const typedArrayByteOffset = intrinsic<number>(TypedArrayPrototype, "byteOffset");
const typedArrayByteLength = intrinsic<number>(TypedArrayPrototype, "byteLength");
const dataViewBuffer = intrinsic<ArrayBufferLike>(DataView.prototype, "buffer");
const dataViewByteOffset = intrinsic<number>(DataView.prototype, "byteOffset");
const dataViewByteLength = intrinsic<number>(DataView.prototype, "byteLength");
const arrayBufferDetachedGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached")
  ?.get;
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

/** A byte view the library made for a caller's view, and the extent it was made for. */
interface ByteView {
  readonly bytes: Uint8Array;
  readonly buffer: ArrayBufferLike;
  readonly offset: number;
  readonly length: number;
}

/**
 * Byte views of the callers' non-Uint8Array views (a Uint32Array polled with FIONREAD, a
 * DataView, …), made once per view: repeated calls with the same view allocate nothing. Weak:
 * a caller's buffer is never kept alive by the library. Each keeps the extent it was made for:
 * a fixed-length view over the same buffer, offset and length covers the same bytes as the
 * caller's view now (both go out of bounds, or detach, together).
 */
const byteViews = new WeakMap<ArrayBufferView, ByteView>();

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
  // Read one by one, not through extentOf: its array would be an allocation per call.
  let buffer: ArrayBufferLike, offset: number, length: number;
  if (tag !== undefined) {
    buffer = typedArrayBuffer(v);
    offset = typedArrayByteOffset(v);
    length = typedArrayByteLength(v);
  } else {
    buffer = dataViewBuffer(v);
    try {
      offset = dataViewByteOffset(v);
      length = dataViewByteLength(v);
    } catch {
      // DataView accessors throw on a detached or out-of-bounds buffer.
      checkAttached(buffer, name);
      offset = 0;
      length = 0;
    }
  }
  if (length === 0) checkAttached(buffer, name);
  const made = byteViews.get(v);
  if (
    made !== undefined && made.buffer === buffer && made.offset === offset &&
    made.length === length
  ) {
    return made.bytes;
  }
  const bytes = new Uint8Array(buffer, offset, length);
  byteViews.set(v, { bytes, buffer, offset, length });
  return bytes;
}

/**
 * What {@link bytesOf} checks, without making the byte view: `view` is an ArrayBufferView, and
 * its buffer is attached unless it has bytes.
 *
 * @param view The caller's view.
 * @param name The parameter's name, for the error message.
 * @throws {TypeError} exactly where {@link bytesOf} would.
 */
export function checkBytes(view: unknown, name: string): void {
  const tag = isView(view) ? typedArrayTag(view) : null;
  if (tag === null) {
    throw new TypeError(`${name} must be an ArrayBufferView, got ${describe(view)}`);
  }
  const v = view as ArrayBufferView;
  if (byteLengthOf(v) === 0) {
    checkAttached(tag === undefined ? dataViewBuffer(v) : typedArrayBuffer(v), name);
  }
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
