/**
 * A tiny struct DSL that lays C structs out by the rules of MSVC on 64-bit Windows
 * (x64 and arm64 share them), plus the base class every struct view extends.
 *
 * The rules: every scalar is aligned to its own size (pointers and handles are 8 bytes), a
 * struct or union is aligned to its most-aligned member, members are placed in declaration
 * order at the next multiple of their alignment, and the total size is rounded up to the
 * alignment. The default packing (`/Zp8`) never lowers an alignment here because no Winsock
 * member is wider than 8 bytes.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { viewExtent } from "../_validate.ts";

/** Names of the scalar field types the DSL knows. */
export type ScalarName =
  | "u8"
  | "i8"
  | "u16"
  | "i16"
  | "u32"
  | "i32"
  | "u64"
  | "i64"
  | "pointer";

/** A scalar type: an integer, a BOOLEAN/BOOL or a pointer-sized value. */
export interface ScalarType {
  /** Discriminant. */
  readonly kind: "scalar";
  /** The underlying storage type. */
  readonly scalar: ScalarName;
  /** The C spelling, for documentation and generated C (`ULONG`, `BOOLEAN`, `SOCKET`, …). */
  readonly cType: string;
  /** Size in bytes. */
  readonly size: number;
  /** Alignment in bytes. */
  readonly align: number;
}

/** A fixed-length C array (`T name[N]`). */
export interface ArrayType {
  /** Discriminant. */
  readonly kind: "array";
  /** The element type. */
  readonly element: FieldType;
  /** Number of elements. */
  readonly length: number;
  /** Size of the whole array in bytes. */
  readonly size: number;
  /** Alignment (that of the element). */
  readonly align: number;
}

/** Where a member sits inside its struct or union. */
export interface FieldInfo {
  /** Offset from the start of the enclosing struct, in bytes. */
  readonly offset: number;
  /** Size of the member in bytes (whole array for arrays). */
  readonly size: number;
  /** The member's type. */
  readonly type: FieldType;
}

/** A laid-out struct or union, keyed by its SDK C name. */
export interface StructLayout {
  /** Discriminant. */
  readonly kind: "struct" | "union";
  /** The SDK's C name (`TCP_INFO_v0`, `sockaddr_in6`, …). */
  readonly name: string;
  /** `sizeof` in bytes. */
  readonly size: number;
  /** Alignment in bytes. */
  readonly align: number;
  /** Members by C name, in declaration order (anonymous members are flattened in). */
  readonly fields: Readonly<Record<string, FieldInfo>>;
}

/** Any type a member can have. */
export type FieldType = ScalarType | ArrayType | StructLayout;

/** An anonymous struct or union member whose own members belong to the enclosing struct. */
export interface AnonymousMember {
  /** Discriminant. */
  readonly kind: "anonymous";
  /** The anonymous struct or union. */
  readonly layout: StructLayout;
}

/** The shape of one `STRUCT_LAYOUTS` entry (the public, serialisable contract). */
export interface StructLayoutEntry {
  /** `sizeof` in bytes. */
  size: number;
  /** Alignment in bytes. */
  align: number;
  /** Members by C name. */
  fields: Record<string, { offset: number; size: number }>;
}

function scalar(scalarName: ScalarName, cType: string, size: number): ScalarType {
  return Object.freeze({ kind: "scalar", scalar: scalarName, cType, size, align: size });
}

/** `UCHAR` / `BYTE`: unsigned 8-bit. */
export const u8: ScalarType = scalar("u8", "UCHAR", 1);
/** `CHAR`: signed 8-bit. */
export const i8: ScalarType = scalar("i8", "CHAR", 1);
/** `USHORT` / `WORD` / `u_short`: unsigned 16-bit. */
export const u16: ScalarType = scalar("u16", "USHORT", 2);
/** `SHORT` / `short`: signed 16-bit. */
export const i16: ScalarType = scalar("i16", "SHORT", 2);
/** `ULONG` / `DWORD` / `u_long`: unsigned 32-bit (`long` is 32-bit on Windows). */
export const u32: ScalarType = scalar("u32", "ULONG", 4);
/** `LONG` / `INT` / enums: signed 32-bit. */
export const i32: ScalarType = scalar("i32", "LONG", 4);
/** `ULONG64` / `UINT64`: unsigned 64-bit. */
export const u64: ScalarType = scalar("u64", "ULONG64", 8);
/** `LONG64` / `__int64`: signed 64-bit. */
export const i64: ScalarType = scalar("i64", "LONG64", 8);
/** `BOOLEAN`: one byte, 0 or 1. */
export const BOOLEAN: ScalarType = scalar("u8", "BOOLEAN", 1);
/** `BOOL`: a 32-bit int, zero or non-zero. */
export const BOOL: ScalarType = scalar("i32", "BOOL", 4);
/** A C enum: MSVC stores it as a 32-bit int. */
export const ENUM: ScalarType = scalar("i32", "enum", 4);
/** Any data pointer: 8 bytes on 64-bit Windows. */
export const pointer: ScalarType = scalar("pointer", "void*", 8);
/** `SOCKET` (`UINT_PTR`): 8 bytes on 64-bit Windows. */
export const SOCKET: ScalarType = scalar("pointer", "SOCKET", 8);
/** `HANDLE`: 8 bytes on 64-bit Windows. */
export const HANDLE: ScalarType = scalar("pointer", "HANDLE", 8);

function checkType(type: unknown, name: string): asserts type is FieldType {
  const t = type as { kind?: unknown } | null;
  if (
    t === null || typeof t !== "object" ||
    (t.kind !== "scalar" && t.kind !== "array" && t.kind !== "struct" && t.kind !== "union")
  ) {
    throw new TypeError(`${name} must be a layout type (scalar, array, struct or union)`);
  }
}

/**
 * A fixed-length array member (`T name[length]`).
 *
 * @param element The element type.
 * @param length Number of elements, a positive integer.
 * @returns The array type.
 * @throws {TypeError} If `element` is not a layout type.
 * @throws {RangeError} If `length` is not a positive integer.
 * @example
 * ```ts
 * import { array, u8 } from "./layout.ts";
 * const sinZero = array(u8, 8); // CHAR sin_zero[8]
 * ```
 */
export function array(element: FieldType, length: number): ArrayType {
  checkType(element, "element");
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`length must be a positive integer, got ${String(length)}`);
  }
  return Object.freeze({
    kind: "array",
    element,
    length,
    size: element.size * length,
    align: element.align,
  });
}

/**
 * Marks a struct or union as an anonymous member: its members are flattened into the
 * enclosing struct (C11 / MSVC anonymous members, e.g. `sockaddr_in6`'s scope id union).
 *
 * @param layout The anonymous struct or union.
 * @returns A marker accepted by {@linkcode struct} and {@linkcode union}.
 * @throws {TypeError} If `layout` is not a struct or union.
 */
export function anonymous(layout: StructLayout): AnonymousMember {
  if (layout === null || (layout?.kind !== "struct" && layout?.kind !== "union")) {
    throw new TypeError("layout must be a struct or union layout");
  }
  return Object.freeze({ kind: "anonymous", layout });
}

/**
 * A member that the SDK names only for C++ (`INET_PORT_RESERVATION Reservation;`) and leaves
 * anonymous for C: listed under its C++ name and, flattened, under its own members' names.
 */
export interface CppNamedMember {
  /** Discriminant. */
  readonly kind: "cpp-named";
  /** The member's struct type. */
  readonly layout: StructLayout;
}

/**
 * Marks a member that is named in the SDK's C++ declaration and anonymous in its C one, so that
 * `STRUCT_LAYOUTS` lists both spellings (e.g. `Reservation` and `StartPort`/`NumberOfPorts`).
 *
 * @param layout The member's struct type.
 * @returns A marker accepted by {@linkcode struct}.
 * @throws {TypeError} If `layout` is not a struct or union.
 */
export function cppNamed(layout: StructLayout): CppNamedMember {
  if (layout === null || (layout?.kind !== "struct" && layout?.kind !== "union")) {
    throw new TypeError("layout must be a struct or union layout");
  }
  return Object.freeze({ kind: "cpp-named", layout });
}

/** Members of a struct or union: C names mapped to types, in declaration order. */
export type Members = Record<string, FieldType | AnonymousMember | CppNamedMember>;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function build(kind: "struct" | "union", name: string, members: Members): StructLayout {
  if (typeof name !== "string" || name === "") {
    throw new TypeError("name must be a non-empty string");
  }
  if (members === null || typeof members !== "object") {
    throw new TypeError("members must be an object of member types");
  }
  const fields: Record<string, FieldInfo> = {};
  let offset = 0;
  let size = 0;
  let align = 1;
  const place = (key: string, info: FieldInfo) => {
    if (Object.hasOwn(fields, key)) {
      throw new TypeError(`${name}: duplicate member ${key}`);
    }
    fields[key] = Object.freeze(info);
  };
  const keys = Object.keys(members);
  if (keys.length === 0) throw new TypeError(`${name}: a struct needs at least one member`);
  for (const key of keys) {
    const member = members[key];
    const type = member.kind === "anonymous" || member.kind === "cpp-named"
      ? member.layout
      : member;
    checkType(type, `${name}.${key}`);
    const at = kind === "union" ? 0 : alignUp(offset, type.align);
    if (member.kind === "anonymous") {
      for (const [inner, info] of Object.entries(member.layout.fields)) {
        place(inner, { offset: at + info.offset, size: info.size, type: info.type });
      }
    } else if (member.kind === "cpp-named") {
      place(key, { offset: at, size: type.size, type });
      for (const [inner, info] of Object.entries(member.layout.fields)) {
        // A member named like its own single field (`Token` holding `Token`) is listed once.
        if (inner !== key) {
          place(inner, { offset: at + info.offset, size: info.size, type: info.type });
        }
      }
    } else {
      place(key, { offset: at, size: type.size, type });
    }
    align = Math.max(align, type.align);
    offset = at + type.size;
    size = Math.max(size, offset);
  }
  return Object.freeze({
    kind,
    name,
    size: alignUp(size, align),
    align,
    fields: Object.freeze(fields),
  });
}

/**
 * Lays out a C struct by MSVC x64 rules.
 *
 * Members are given in declaration order as an object (string keys keep insertion order).
 *
 * @param name The SDK's C name of the struct (the key in `STRUCT_LAYOUTS`).
 * @param members Member C names mapped to their types; {@linkcode anonymous} flattens one in.
 * @returns The frozen layout with every member's offset and size.
 * @throws {TypeError} On an empty name, no members, a duplicate member or a non-type member.
 * @example
 * ```ts
 * import { struct, u32 } from "./layout.ts";
 * const keepalive = struct("tcp_keepalive", {
 *   onoff: u32,
 *   keepalivetime: u32,
 *   keepaliveinterval: u32,
 * });
 * console.log(keepalive.size); // 12
 * ```
 */
export function struct(name: string, members: Members): StructLayout {
  return build("struct", name, members);
}

/**
 * Lays out a C union: every member at offset 0, size that of the largest member rounded up
 * to the union's alignment.
 *
 * @param name The SDK's C name of the union.
 * @param members Member C names mapped to their types.
 * @returns The frozen layout.
 * @throws {TypeError} On an empty name, no members, a duplicate member or a non-type member.
 * @example
 * ```ts
 * import { array, u16, u8, union } from "./layout.ts";
 * const in6 = union("in6_addr_u", { Byte: array(u8, 16), Word: array(u16, 8) });
 * console.log(in6.size); // 16
 * ```
 */
export function union(name: string, members: Members): StructLayout {
  return build("union", name, members);
}

/**
 * A named scalar typedef that the SDK passes as a whole IOCTL argument (an enum such as
 * `PRIORITY_HINT` or `RCVALL_VALUE`): a layout with the scalar's size and no members.
 *
 * @param name The SDK's C name.
 * @param type The scalar it is stored as (`ENUM` for enums).
 * @returns A struct-kind layout with empty `fields`.
 * @throws {TypeError} If `type` is not a scalar.
 */
export function scalarLayout(name: string, type: ScalarType): StructLayout {
  if (type?.kind !== "scalar") throw new TypeError("type must be a scalar type");
  return Object.freeze({
    kind: "struct",
    name,
    size: type.size,
    align: type.align,
    fields: Object.freeze({}),
  });
}

/**
 * Converts a layout to its public, JSON-friendly `STRUCT_LAYOUTS` entry.
 *
 * @param layout A struct or union layout.
 * @returns `{ size, align, fields: { name: { offset, size } } }`.
 */
export function layoutEntry(layout: StructLayout): StructLayoutEntry {
  const fields: Record<string, { offset: number; size: number }> = {};
  for (const [key, info] of Object.entries(layout.fields)) {
    fields[key] = Object.freeze({ offset: info.offset, size: info.size });
  }
  return Object.freeze({ size: layout.size, align: layout.align, fields: Object.freeze(fields) });
}

/**
 * Builds a registry keyed by C struct name from a list of layouts.
 *
 * @param layouts The layouts to register.
 * @returns A frozen record of {@linkcode StructLayoutEntry} by C name.
 * @throws {TypeError} If two different layouts share a name.
 */
export function buildRegistry(
  layouts: readonly StructLayout[],
): Readonly<Record<string, StructLayoutEntry>> {
  const out: Record<string, StructLayoutEntry> = {};
  const seen = new Map<string, StructLayout>();
  for (const layout of layouts) {
    const prior = seen.get(layout.name);
    if (prior !== undefined && prior !== layout) {
      throw new TypeError(`two different layouts are named ${layout.name}`);
    }
    seen.set(layout.name, layout);
    out[layout.name] = layoutEntry(layout);
  }
  return Object.freeze(out);
}

/** A buffer a struct view can be placed in. */
export type BufferSource = ArrayBufferLike | ArrayBufferView;

/**
 * Makes a `DataView` of `size` bytes at `byteOffset` inside `buffer`, checking the bounds.
 *
 * For an `ArrayBufferView`, `byteOffset` is relative to the view's own start.
 *
 * @param buffer An `ArrayBuffer`, `SharedArrayBuffer` or any `ArrayBufferView`.
 * @param byteOffset Offset in bytes, a non-negative integer.
 * @param size Number of bytes the view must cover.
 * @param name The struct name used in error messages.
 * @returns A `DataView` exactly `size` bytes long.
 * @throws {TypeError} If `buffer` is not a buffer or `byteOffset` is not an integer.
 * @throws {RangeError} If the struct would not fit.
 */
export function dataViewAt(
  buffer: BufferSource,
  byteOffset: number,
  size: number,
  name: string,
): DataView {
  const [ab, base, limit] = bufferParts(buffer);
  if (typeof byteOffset !== "number" || !Number.isInteger(byteOffset)) {
    throw new TypeError(`byteOffset must be an integer, got ${String(byteOffset)}`);
  }
  if (byteOffset < 0 || byteOffset + size > limit) {
    throw new RangeError(
      `${name} needs ${size} bytes at byteOffset ${byteOffset}, buffer has ${limit}`,
    );
  }
  return new DataView(ab, base + byteOffset, size);
}

function bufferParts(buffer: BufferSource): [ArrayBufferLike, number, number] {
  // The view's real extent, not what its own properties may claim.
  if (ArrayBuffer.isView(buffer)) return viewExtent(buffer);
  if (
    buffer instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer)
  ) {
    return [buffer, 0, buffer.byteLength];
  }
  throw new TypeError("buffer must be an ArrayBuffer, SharedArrayBuffer or ArrayBufferView");
}

/** The constructor side every view class has (used by the generic static helpers). */
export interface StructClass<T extends StructView> {
  /** Creates a view over an existing `DataView`. */
  new (view: DataView): T;
  /** `sizeof` the struct. */
  readonly SIZE: number;
  /** The struct's layout. */
  readonly LAYOUT: StructLayout;
}

/**
 * Base class of every struct view: one `DataView` over a caller-owned buffer, never a copy.
 *
 * Subclasses declare `static readonly SIZE` and `static readonly LAYOUT` and their field
 * accessors; the static helpers (`alloc`, `at`, `arrayAt`) are inherited.
 */
export abstract class StructView {
  /** The bytes of this struct: exactly `SIZE` bytes when made by `alloc` or `at`. */
  readonly view: DataView;

  /**
   * Wraps a `DataView` that starts at the struct.
   *
   * @param view A `DataView` at least `SIZE` bytes long.
   * @throws {TypeError} If `view` is not a `DataView`.
   * @throws {RangeError} If `view` is shorter than the struct.
   */
  constructor(view: DataView) {
    if (!(view instanceof DataView)) throw new TypeError("view must be a DataView");
    const size = (this.constructor as unknown as StructClass<StructView>).SIZE;
    if (view.byteLength < size) {
      throw new RangeError(
        `view must be at least ${size} bytes for ${this.constructor.name}, got ${view.byteLength}`,
      );
    }
    this.view = view;
  }

  /**
   * Allocates a zeroed struct in a fresh `ArrayBuffer` of exactly `SIZE` bytes.
   *
   * @returns The new view.
   */
  static alloc<T extends StructView>(this: StructClass<T>): T {
    return new this(new DataView(new ArrayBuffer(this.SIZE)));
  }

  /**
   * Views the struct that lies `byteOffset` bytes into a caller's buffer (no copy).
   *
   * @param buffer An `ArrayBuffer` or any `ArrayBufferView` (its own offset is respected).
   * @param byteOffset Offset of the struct inside `buffer`; default 0.
   * @returns The view.
   * @throws {TypeError} If `buffer` is not a buffer.
   * @throws {RangeError} If the struct does not fit.
   */
  static at<T extends StructView>(this: StructClass<T>, buffer: BufferSource, byteOffset = 0): T {
    return new this(dataViewAt(buffer, byteOffset, this.SIZE, this.LAYOUT.name));
  }

  /**
   * Views a C array of these structs inside a caller's buffer (e.g. the `INTERFACE_INFO[]`
   * that `SIO_GET_INTERFACE_LIST` returns). Element views are made on access.
   *
   * @param buffer The buffer holding the array.
   * @param byteOffset Offset of the first element; default 0.
   * @param count Number of elements; default as many whole elements as fit.
   * @returns A lazy array view.
   * @throws {TypeError} If `buffer` is not a buffer or `count` is not an integer.
   * @throws {RangeError} If `count` elements do not fit.
   */
  static arrayAt<T extends StructView>(
    this: StructClass<T>,
    buffer: BufferSource,
    byteOffset = 0,
    count?: number,
  ): StructArray<T> {
    return new StructArray(this, buffer, byteOffset, count);
  }

  /**
   * The raw bytes of the struct as a `Uint8Array` over the same memory (no copy).
   *
   * @returns A byte view of exactly `SIZE` bytes.
   */
  bytes(): Uint8Array {
    const size = (this.constructor as unknown as StructClass<StructView>).SIZE;
    return new Uint8Array(this.view.buffer, this.view.byteOffset, size);
  }

  /**
   * A plain-object snapshot of every field: the explicit way to copy out. 64-bit fields stay
   * `bigint`; nested structs become nested snapshots.
   *
   * @returns The fields by their camelCase names.
   */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const names = ACCESSORS.get(this.constructor) ?? [];
    const self = this as unknown as Record<string, unknown>;
    for (const name of names) {
      const v = self[name];
      out[name] = v instanceof StructView || v instanceof StructArray ? v.toObject() : v;
    }
    return out;
  }

  /**
   * A JSON-safe snapshot: {@linkcode StructView.toObject} with every `bigint` turned into its
   * decimal string (so `JSON.stringify(view)` works).
   *
   * @returns The JSON-safe fields.
   */
  toJSON(): Record<string, unknown> {
    return jsonSafe(this.toObject()) as Record<string, unknown>;
  }
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonSafe(x);
    return out;
  }
  return v;
}

/** A lazy view over a C array of structs in one buffer. */
export class StructArray<T extends StructView> implements Iterable<T> {
  readonly #type: StructClass<T>;
  readonly #view: DataView;
  /** Number of elements. */
  readonly length: number;

  /**
   * Views `count` structs of `type` laid end to end in `buffer`.
   *
   * @param type The element view class.
   * @param buffer The buffer holding the array.
   * @param byteOffset Offset of the first element; default 0.
   * @param count Number of elements; default as many whole elements as fit.
   * @throws {TypeError} If `buffer` is not a buffer or `count` is not an integer.
   * @throws {RangeError} If `count` elements do not fit.
   */
  constructor(type: StructClass<T>, buffer: BufferSource, byteOffset = 0, count?: number) {
    dataViewAt(buffer, byteOffset, 0, type.LAYOUT.name); // validates buffer and byteOffset
    let n: number;
    if (count === undefined) {
      n = Math.floor((bufferParts(buffer)[2] - byteOffset) / type.SIZE);
    } else {
      if (typeof count !== "number" || !Number.isInteger(count)) {
        throw new TypeError(`count must be an integer, got ${String(count)}`);
      }
      if (count < 0) throw new RangeError(`count must not be negative, got ${count}`);
      n = count;
    }
    this.#type = type;
    this.#view = dataViewAt(buffer, byteOffset, n * type.SIZE, `${type.LAYOUT.name}[${n}]`);
    this.length = n;
  }

  /**
   * The element at `index` (a new view over the same memory).
   *
   * @param index 0-based; negative counts from the end.
   * @returns The element view.
   * @throws {RangeError} If `index` is out of range.
   */
  at(index: number): T {
    const i = index < 0 ? this.length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`index ${String(index)} out of range 0..${this.length - 1}`);
    }
    const size = this.#type.SIZE;
    return new this.#type(
      new DataView(this.#view.buffer, this.#view.byteOffset + i * size, size),
    );
  }

  /**
   * Iterates the elements in order.
   *
   * @returns An iterator of element views.
   */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /**
   * Snapshots every element ({@linkcode StructView.toObject}).
   *
   * @returns An array of plain objects.
   */
  toObject(): Record<string, unknown>[] {
    return Array.from(this, (e) => e.toObject());
  }

  /**
   * JSON-safe snapshots of every element.
   *
   * @returns An array of plain objects.
   */
  toJSON(): Record<string, unknown>[] {
    return Array.from(this, (e) => e.toJSON());
  }
}

// ---------------------------------------------------------------------------------------------
// Accessors generated from the layout
// ---------------------------------------------------------------------------------------------

/** Custom read/write of one member (used for GUIDs, addresses, …). */
export interface CustomAccessor<T> {
  /** The member's C name. */
  readonly field: string;
  /** Reads the value at `offset` (absolute within `view`). */
  readonly get: (view: DataView, offset: number) => T;
  /** Writes the value at `offset`; omit for a read-only member. */
  readonly set?: (view: DataView, offset: number, value: T, name: string) => void;
}

/** A nested struct member exposed as a sub-view over the same bytes. */
export interface NestedAccessor {
  /** The member's C name. */
  readonly field: string;
  /** The view class of the nested struct. */
  readonly view: StructClass<StructView>;
}

/**
 * How a TS property maps to a C member: the C name for a scalar (typed by the layout),
 * a {@linkcode NestedAccessor} or a {@linkcode CustomAccessor}.
 */
export type AccessorSpec = string | NestedAccessor | CustomAccessor<unknown>;

const ACCESSORS = new WeakMap<object, readonly string[]>();
const FIELD_OF = new WeakMap<object, Readonly<Record<string, string>>>();

/**
 * Describes a rejected value for an error message: strings quoted (and cut at 64 characters),
 * bigints with their `n`, objects by their tag.
 *
 * @param value Any value.
 * @returns A short text, e.g. `"x"` (with the quotes), `1.5`, `2n`, `[object Object]`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 64 ? value.slice(0, 64) + "…" : value);
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || (typeof value !== "object" && typeof value !== "function")) {
    return String(value);
  }
  return Object.prototype.toString.call(value);
}

function integerError(value: unknown, name: string, min: number, max: number): Error {
  return typeof value !== "number" || !Number.isInteger(value)
    ? new TypeError(`${name} must be an integer, got ${describeValue(value)}`)
    : new RangeError(`${name} must be in ${min}..${max}, got ${value}`);
}

/**
 * The check every integer field setter of every view runs (the ones {@linkcode defineAccessors}
 * generates and the hand-written ones alike): a number, an integer, inside the field's range. Nothing is written when it throws; DataView would otherwise wrap
 * (`-1` → 65535), truncate (`1.9` → 1) or turn anything else into 0.
 *
 * @param value The value being stored.
 * @param name The field's property name, for the message.
 * @param min The smallest value the field holds.
 * @param max The largest value the field holds.
 * @returns `value`, typed as a number.
 * @throws {TypeError} If `value` is not an integer number (`family must be an integer, got "x"`).
 * @throws {RangeError} If it is outside `min..max` (`family must be in 0..65535, got -1`).
 */
export function checkInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !(value >= min && value <= max) || !Number.isInteger(value)) {
    throw integerError(value, name, min, max);
  }
  return value;
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
 * @throws {RangeError} If it does not fit in 64 bits with that signedness.
 */
export function checkBigInt(value: unknown, name: string, signed: boolean): bigint {
  if (typeof value !== "bigint") {
    throw new TypeError(`${name} must be a bigint, got ${describeValue(value)}`);
  }
  const min = signed ? I64_MIN : 0n;
  const max = signed ? I64_MAX : U64_MAX;
  if (value < min || value > max) {
    throw new RangeError(`${name} must be in ${min}..${max}, got ${value}n`);
  }
  return value;
}

function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(`${name} must be a boolean, got ${describeValue(value)}`);
  }
  return value;
}

function scalarAccessor(
  t: ScalarType,
  off: number,
  prop: string,
): PropertyDescriptor {
  const isBool = t.cType === "BOOLEAN" || t.cType === "BOOL";
  switch (t.scalar) {
    case "u8":
      if (isBool) {
        return {
          get(this: StructView) {
            return this.view.getUint8(off) !== 0;
          },
          set(this: StructView, v: unknown) {
            this.view.setUint8(off, checkBoolean(v, prop) ? 1 : 0);
          },
        };
      } else {
        return {
          get(this: StructView) {
            return this.view.getUint8(off);
          },
          set(this: StructView, v: unknown) {
            this.view.setUint8(off, checkInteger(v, prop, 0, 0xff));
          },
        };
      }
    case "i8":
      return {
        get(this: StructView) {
          return this.view.getInt8(off);
        },
        set(this: StructView, v: unknown) {
          this.view.setInt8(off, checkInteger(v, prop, -0x80, 0x7f));
        },
      };
    case "u16":
      return {
        get(this: StructView) {
          return this.view.getUint16(off, true);
        },
        set(this: StructView, v: unknown) {
          this.view.setUint16(off, checkInteger(v, prop, 0, 0xffff), true);
        },
      };
    case "i16":
      return {
        get(this: StructView) {
          return this.view.getInt16(off, true);
        },
        set(this: StructView, v: unknown) {
          this.view.setInt16(off, checkInteger(v, prop, -0x8000, 0x7fff), true);
        },
      };
    case "u32":
      return {
        get(this: StructView) {
          return this.view.getUint32(off, true);
        },
        set(this: StructView, v: unknown) {
          this.view.setUint32(off, checkInteger(v, prop, 0, 0xffffffff), true);
        },
      };
    case "i32":
      if (isBool) {
        return {
          get(this: StructView) {
            return this.view.getInt32(off, true) !== 0;
          },
          set(this: StructView, v: unknown) {
            this.view.setInt32(off, checkBoolean(v, prop) ? 1 : 0, true);
          },
        };
      } else {
        return {
          get(this: StructView) {
            return this.view.getInt32(off, true);
          },
          set(this: StructView, v: unknown) {
            this.view.setInt32(off, checkInteger(v, prop, -0x80000000, 0x7fffffff), true);
          },
        };
      }
    case "u64":
    case "pointer":
      return {
        get(this: StructView) {
          return this.view.getBigUint64(off, true);
        },
        set(this: StructView, v: unknown) {
          this.view.setBigUint64(off, checkBigInt(v, prop, false), true);
        },
      };
    case "i64":
      return {
        get(this: StructView) {
          return this.view.getBigInt64(off, true);
        },
        set(this: StructView, v: unknown) {
          this.view.setBigInt64(off, checkBigInt(v, prop, true), true);
        },
      };
  }
}

/**
 * Defines the field accessors of a view class from its layout, so offsets have one source
 * of truth. Scalars become number (8–32-bit), bigint (64-bit, pointers) or boolean
 * (`BOOLEAN`, `BOOL`) properties with range-checked setters (TypeError/RangeError naming the
 * property); nested structs become read-only sub-view getters; custom accessors do the rest.
 * Every getter reads straight from the class's one `DataView`.
 *
 * The class declares the properties with `declare` for their types and docs.
 *
 * @param cls The view class (with `SIZE` and `LAYOUT`).
 * @param specs TS property names mapped to C members.
 * @throws {TypeError} If a member is missing from the layout, or a scalar spec names a
 * non-scalar member, or `SIZE` differs from the layout's size.
 */
export function defineAccessors(
  cls: StructClass<StructView>,
  specs: Record<string, AccessorSpec>,
): void {
  const layout = cls.LAYOUT;
  if (cls.SIZE !== layout.size) {
    throw new TypeError(`${cls.name}.SIZE ${cls.SIZE} != sizeof(${layout.name}) ${layout.size}`);
  }
  // A subclass (TCP_INFO_v1 extends TCP_INFO_v0's prefix) inherits its parent's accessors.
  const parent = Object.getPrototypeOf(cls);
  const names: string[] = [...(ACCESSORS.get(parent) ?? [])];
  const fieldOf: Record<string, string> = { ...FIELD_OF.get(parent) };
  for (const name of names) {
    if (Object.hasOwn(specs, name)) throw new TypeError(`${cls.name}.${name} is already defined`);
  }
  for (const [prop, spec] of Object.entries(specs)) {
    const field = typeof spec === "string" ? spec : spec.field;
    const info = layout.fields[field];
    if (info === undefined) throw new TypeError(`${layout.name} has no member ${field}`);
    const off = info.offset;
    let desc: PropertyDescriptor;
    if (typeof spec === "string") {
      if (info.type.kind !== "scalar") {
        throw new TypeError(`${layout.name}.${field} is not a scalar; give a view or accessor`);
      }
      desc = scalarAccessor(info.type, off, prop);
    } else if ("view" in spec) {
      const sub = spec.view;
      if (sub.SIZE !== info.size) {
        throw new TypeError(`${sub.name}.SIZE does not match ${layout.name}.${field}`);
      }
      desc = {
        get(this: StructView) {
          return new sub(new DataView(this.view.buffer, this.view.byteOffset + off, sub.SIZE));
        },
      };
    } else {
      const { get, set } = spec;
      desc = {
        get(this: StructView) {
          return get(this.view, off);
        },
      };
      if (set !== undefined) {
        desc.set = function (this: StructView, v: unknown) {
          set(this.view, off, v, prop);
        };
      }
    }
    desc.enumerable = false;
    desc.configurable = false;
    Object.defineProperty(cls.prototype, prop, desc);
    names.push(prop);
    fieldOf[prop] = field;
  }
  ACCESSORS.set(cls, Object.freeze(names));
  FIELD_OF.set(cls, Object.freeze(fieldOf));
}

/**
 * The TS property names {@linkcode defineAccessors} gave a view class, in order.
 *
 * @param cls A view class.
 * @returns The property names (empty if none were defined).
 */
export function accessorNames(cls: abstract new (view: DataView) => StructView): readonly string[] {
  return ACCESSORS.get(cls) ?? [];
}

/**
 * Which C member each property {@linkcode defineAccessors} gave a view class reads.
 *
 * @param cls A view class.
 * @returns TS property name → C member name.
 */
export function accessorFields(
  cls: abstract new (view: DataView) => StructView,
): Readonly<Record<string, string>> {
  return FIELD_OF.get(cls) ?? {};
}
