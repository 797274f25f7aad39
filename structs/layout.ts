/**
 * A tiny struct DSL that lays C structs out by the rules of MSVC on 64-bit Windows
 * (x64 and arm64 share them), and the types of the layouts it makes (`STRUCT_LAYOUTS` is built
 * from them).
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
export type LayoutMembers = Record<string, FieldType | AnonymousMember | CppNamedMember>;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function build(kind: "struct" | "union", name: string, members: LayoutMembers): StructLayout {
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
export function struct(name: string, members: LayoutMembers): StructLayout {
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
export function union(name: string, members: LayoutMembers): StructLayout {
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
