/**
 * Struct members written once. A view's members literal lists, in C declaration order, each
 * TypeScript property of the view with the C member it reads and that member's type (a JSDoc
 * comment on an entry documents the property):
 *
 * ```ts ignore
 * export const TCP_KEEPALIVE_MEMBERS = {
 *   onOff: ["onoff", "u32"], // 0x00 ULONG
 *   keepAliveTime: ["keepalivetime", "u32"], // 0x04 ULONG
 *   keepAliveInterval: ["keepaliveinterval", "u32"], // 0x08 ULONG
 * } as const satisfies Members;
 *
 * export class TcpKeepalive extends StructView {
 *   static readonly SIZE = 12;
 *   static readonly LAYOUT: StructLayout = defineView(this, "tcp_keepalive", TCP_KEEPALIVE_MEMBERS);
 * }
 * export interface TcpKeepalive extends ViewFields<typeof TCP_KEEPALIVE_MEMBERS> {}
 * ```
 *
 * From that one literal come the struct's layout (MSVC x64 rules, see layout.ts), the view's
 * accessors (put on its prototype by `defineView`, reading its one `DataView` at fixed offsets)
 * and, through {@linkcode ViewFields}, the TypeScript type of every property: a member's type
 * word decides both how it is read and what TypeScript calls it, so they cannot disagree.
 *
 * Why a literal and not a factory call (`class X extends view(…)`): the package's published
 * types (JSR, and the npm `.d.ts` made from them) are read from the source without running it,
 * so a public type may only come from something written out: an `as const` literal qualifies, a
 * call's result does not. The literal must also name nested views defined in the same file
 * (an imported one would be typed `any` in the `.d.ts`).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import {
  accessorFields,
  guidAccessor,
  nestedAccessor,
  recordAccessors,
  scalarAccessor,
} from "./_accessors.ts";
import {
  array,
  BOOL,
  BOOLEAN,
  cppNamed,
  type CppNamedMember,
  ENUM,
  type FieldType,
  HANDLE,
  i16,
  i32,
  i64,
  i8,
  type LayoutMembers,
  pointer,
  type ScalarName,
  type ScalarType,
  SOCKET,
  struct,
  type StructLayout,
  u16,
  u32,
  u64,
  u8,
} from "./layout.ts";
import type { StructClass, StructView } from "./view.ts";

/**
 * The scalar type words: the storage (`u8` … `i64`, `pointer`) or the SDK type that needs its
 * own reading (`BOOLEAN` and `BOOL` read as booleans, `ENUM` a 32-bit int, `SOCKET` and
 * `HANDLE` 8-byte handles).
 */
export type ScalarToken = ScalarName | "BOOLEAN" | "BOOL" | "ENUM" | "SOCKET" | "HANDLE";

/** A member type given as a word: a scalar, or `"GUID"` (a 16-byte GUID read as braced text). */
export type MemberToken = ScalarToken | "GUID";

/**
 * The TypeScript type of a property whose member has the type word `T`: 8–32-bit integers and
 * enums are `number`, 64-bit integers, pointers and handles `bigint`, `BOOLEAN`/`BOOL`
 * `boolean`, `GUID` `string`.
 */
export type TokenValue<T extends MemberToken> = T extends
  "u64" | "i64" | "pointer" | "SOCKET" | "HANDLE" ? bigint
  : T extends "BOOLEAN" | "BOOL" ? boolean
  : T extends "GUID" ? string
  : number;

/**
 * One entry of a members literal, `[cMember, type]` or with a third element:
 *
 * - `[c, word]`: a scalar or GUID member; a read-write property typed by {@linkcode TokenValue}.
 * - `[c, ViewClass]`: a nested struct; a read-only property giving a view of it over the same
 *   bytes.
 * - `[c, ViewClass, "cpp-named"]`: the same, for a member the SDK names only in C++ (anonymous
 *   in C): `STRUCT_LAYOUTS` lists it and, flattened, its own members.
 * - `[c, word or ViewClass, length]`: an array `T c[length]`; no property (views read arrays
 *   with a method, e.g. `Guid.data4()`, or a static list helper).
 */
export type Member =
  | readonly [field: string, type: MemberToken]
  | readonly [field: string, type: StructClass<StructView>]
  | readonly [field: string, type: StructClass<StructView>, form: "cpp-named"]
  | readonly [field: string, type: ScalarToken | StructClass<StructView>, length: number];

/** A members literal: each view property and its {@linkcode Member}, in C declaration order. */
export type Members = { readonly [property: string]: Member };

/**
 * The properties a view gets from its members literal `M`, typed from each member's type:
 * scalars and GUIDs read-write ({@linkcode TokenValue}), nested structs read-only views, arrays
 * none. A view class takes them by declaration merging:
 * `export interface TcpKeepalive extends ViewFields<typeof TCP_KEEPALIVE_MEMBERS> {}`.
 */
export type ViewFields<M extends Members> =
  & {
    -readonly [K in keyof M as M[K] extends readonly [string, MemberToken] ? K : never]:
      M[K] extends readonly [string, infer T extends MemberToken] ? TokenValue<T> : never;
  }
  & {
    readonly [
      K in keyof M as M[K] extends readonly [string, StructClass<StructView>, ..."cpp-named"[]] ? K
        : never
    ]: M[K] extends readonly [string, StructClass<infer V>, ...unknown[]] ? V : never;
  };

/**
 * The members of `GUID` (16 bytes, 4-aligned). They live here because the `"GUID"` member type
 * is laid out from them; the `Guid` view (guid.ts) uses them too.
 */
export const GUID_MEMBERS = {
  /** `Data1` (ULONG). */
  data1: ["Data1", "u32"], // 0x00 ULONG
  /** `Data2` (USHORT). */
  data2: ["Data2", "u16"], // 0x04 USHORT
  /** `Data3` (USHORT). */
  data3: ["Data3", "u16"], // 0x06 USHORT
  /** `Data4`: the last 8 bytes (no property: `Guid.data4()` views them). */
  data4: ["Data4", "u8", 8], // 0x08 UCHAR[8]
} as const satisfies Members;

const SCALARS: Readonly<Record<ScalarToken, ScalarType>> = {
  u8,
  i8,
  u16,
  i16,
  u32,
  i32,
  u64,
  i64,
  pointer,
  BOOLEAN,
  BOOL,
  ENUM,
  SOCKET,
  HANDLE,
};

/** The layout members of each class `defineView` saw (a subclass lays its parent's out first). */
const LAID_OUT = new WeakMap<object, LayoutMembers>();
/** Layouts of parentless members literals, so that one literal always gives one layout object. */
const LAYOUT_OF = new WeakMap<Members, StructLayout>();

type ViewClass = StructClass<StructView>;

function isViewClass(type: unknown): type is ViewClass {
  const layout = (type as Partial<ViewClass> | null)?.LAYOUT;
  return typeof type === "function" && (layout?.kind === "struct" || layout?.kind === "union");
}

function memberType(entry: Member, where: string): FieldType | CppNamedMember {
  if (!Array.isArray(entry) || typeof entry[0] !== "string" || entry[0] === "") {
    throw new TypeError(`${where} must be [cMember, type] with a member name`);
  }
  const [, type, third] = entry;
  let base: FieldType;
  if (typeof type === "string" && Object.hasOwn(SCALARS, type)) {
    base = SCALARS[type as ScalarToken];
  } else if (type === "GUID" && third === undefined) {
    base = layoutOf("GUID", GUID_MEMBERS);
  } else if (isViewClass(type)) {
    base = type.LAYOUT;
  } else {
    throw new TypeError(`${where}: unknown member type ${String(type)}`);
  }
  if (third === undefined) return base;
  if (typeof third === "number") return array(base, third);
  if (third === "cpp-named" && (base.kind === "struct" || base.kind === "union")) {
    return cppNamed(base);
  }
  throw new TypeError(`${where}: the third element must be an array length or "cpp-named"`);
}

function layoutMembers(name: string, members: Members): LayoutMembers {
  if (members === null || typeof members !== "object") {
    throw new TypeError(`${name}: members must be an object`);
  }
  const out: LayoutMembers = {};
  for (const [prop, entry] of Object.entries(members)) {
    const field = (entry as readonly unknown[] | null)?.[0];
    if (typeof field === "string" && Object.hasOwn(out, field)) {
      throw new TypeError(`${name}: duplicate member ${field}`);
    }
    out[field as string] = memberType(entry, `${name}.${prop}`);
  }
  return out;
}

/**
 * Lays out a members literal that has no parent as the C struct `name`, once per literal: the
 * `"GUID"` member type and `Guid.LAYOUT` are one object.
 */
function layoutOf(name: string, members: Members, laidOut?: LayoutMembers): StructLayout {
  const known = LAYOUT_OF.get(members);
  if (known !== undefined && known.name === name) return known;
  const layout = struct(name, laidOut ?? layoutMembers(name, members));
  LAYOUT_OF.set(members, layout);
  return layout;
}

/**
 * Makes `cls` the view of C struct `name` with the members `members`: lays the struct out (after
 * the members of `cls`'s parent view, when it extends one), checks `cls.SIZE` against it, and
 * defines one accessor per property on `cls.prototype` (arrays excepted). Call it as the
 * initializer of the class's `LAYOUT`, after `SIZE`:
 * `static readonly LAYOUT: StructLayout = defineView(this, "tcp_keepalive", MEMBERS);`.
 *
 * @param cls The view class (a `StructView` subclass with `SIZE` set).
 * @param name The SDK's C name of the struct (its key in `STRUCT_LAYOUTS`).
 * @param members The members literal.
 * @returns The struct's layout.
 * @throws {TypeError} On a malformed member, a duplicate member or property, a nested view whose
 * `SIZE` is not its member's size, or a `SIZE` that is not the struct's size.
 */
export function defineView(cls: ViewClass, name: string, members: Members): StructLayout {
  const parent = Object.getPrototypeOf(cls);
  const inherited = LAID_OUT.get(parent);
  const own = layoutMembers(name, members);
  let layout: StructLayout;
  let all: LayoutMembers = own;
  if (inherited === undefined) {
    layout = layoutOf(name, members, own);
  } else {
    for (const field of Object.keys(own)) {
      if (Object.hasOwn(inherited, field)) {
        throw new TypeError(`${name}: duplicate member ${field}`);
      }
    }
    all = { ...inherited, ...own };
    layout = struct(name, all);
  }
  if (cls.SIZE !== layout.size) {
    throw new TypeError(`${cls.name}.SIZE ${cls.SIZE} != sizeof(${name}) ${layout.size}`);
  }
  const fieldOf: Record<string, string> = { ...accessorFields(parent) };
  for (const [prop, entry] of Object.entries(members)) {
    const [field, type, third] = entry;
    if (typeof third === "number") continue; // an array: no property
    // A parent's field, a method (`bytes`, `toJSON`, …) or a hand-written accessor of the class.
    if (prop === "view" || prop in cls.prototype) {
      throw new TypeError(`${cls.name}.${prop} is already defined`);
    }
    const info = layout.fields[field];
    let desc: PropertyDescriptor;
    if (type === "GUID") {
      desc = guidAccessor(info.offset, prop);
    } else if (typeof type === "string") {
      desc = scalarAccessor(info.type as ScalarType, info.offset, prop);
    } else {
      if (type.SIZE !== info.size) {
        throw new TypeError(`${type.name}.SIZE does not match ${name}.${field}`);
      }
      desc = nestedAccessor(type, info.offset);
    }
    Object.defineProperty(cls.prototype, prop, { ...desc, enumerable: false, configurable: false });
    fieldOf[prop] = field;
  }
  recordAccessors(cls, fieldOf);
  LAID_OUT.set(cls, all);
  return layout;
}
