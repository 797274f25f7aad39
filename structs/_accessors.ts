/**
 * Internal: the property descriptors `defineView` (members.ts) puts on a view's prototype, and
 * the record of which properties it defined on which class (read by `StructView.toObject` and
 * the tests).
 *
 * Every getter reads straight from the view's one `DataView` at a fixed offset captured in a
 * closure: no lookup and no allocation per read. Every setter checks the value first and writes
 * nothing when it throws; DataView would otherwise wrap (`-1` → 65535), truncate (`1.9` → 1) or
 * turn anything else into 0.
 *
 * @module
 */

import { checkBoolean, checkInteger } from "../_validate.ts";
import { readGuid, writeGuid } from "./guid_text.ts";
import { checkBigInt } from "./_checks.ts";
import type { ScalarType } from "./layout.ts";

/** What every accessor runs on: an object holding the struct's `DataView`. */
interface ViewLike {
  readonly view: DataView;
}

/** The constructor of a view (nested members are made with it). */
type ViewConstructor = new (view: DataView) => ViewLike;

const ACCESSORS = new WeakMap<object, readonly string[]>();
const FIELD_OF = new WeakMap<object, Readonly<Record<string, string>>>();

/**
 * Records the properties `defineView` gave a class (its parent's first), with the C member
 * each reads.
 *
 * @param cls The view class.
 * @param fieldOf TS property name → C member name, in order.
 */
export function recordAccessors(cls: object, fieldOf: Readonly<Record<string, string>>): void {
  ACCESSORS.set(cls, Object.freeze(Object.keys(fieldOf)));
  FIELD_OF.set(cls, Object.freeze({ ...fieldOf }));
}

/**
 * The TS property names `defineView` gave a view class, in order (its parent's first).
 *
 * @param cls A view class.
 * @returns The property names (empty if none were defined).
 */
export function accessorNames(cls: object): readonly string[] {
  return ACCESSORS.get(cls) ?? [];
}

/**
 * Which C member each property `defineView` gave a view class reads.
 *
 * @param cls A view class.
 * @returns TS property name → C member name.
 */
export function accessorFields(cls: object): Readonly<Record<string, string>> {
  return FIELD_OF.get(cls) ?? {};
}

/**
 * The accessor of a scalar member: number (8–32-bit), bigint (64-bit, pointers and handles) or
 * boolean (`BOOLEAN`, `BOOL`), with a setter that checks the type and range and names the
 * property in its TypeError / RangeError.
 *
 * @param t The member's scalar type.
 * @param off Its offset in the struct.
 * @param prop The TS property name.
 * @returns The property descriptor.
 */
export function scalarAccessor(
  t: ScalarType,
  off: number,
  prop: string,
): PropertyDescriptor {
  const isBool = t.cType === "BOOLEAN" || t.cType === "BOOL";
  switch (t.scalar) {
    case "u8":
      if (isBool) {
        return {
          get(this: ViewLike) {
            return this.view.getUint8(off) !== 0;
          },
          set(this: ViewLike, v: unknown) {
            this.view.setUint8(off, checkBoolean(v, prop) ? 1 : 0);
          },
        };
      } else {
        return {
          get(this: ViewLike) {
            return this.view.getUint8(off);
          },
          set(this: ViewLike, v: unknown) {
            this.view.setUint8(off, checkInteger(v, prop, 0, 0xff));
          },
        };
      }
    case "i8":
      return {
        get(this: ViewLike) {
          return this.view.getInt8(off);
        },
        set(this: ViewLike, v: unknown) {
          this.view.setInt8(off, checkInteger(v, prop, -0x80, 0x7f));
        },
      };
    case "u16":
      return {
        get(this: ViewLike) {
          return this.view.getUint16(off, true);
        },
        set(this: ViewLike, v: unknown) {
          this.view.setUint16(off, checkInteger(v, prop, 0, 0xffff), true);
        },
      };
    case "i16":
      return {
        get(this: ViewLike) {
          return this.view.getInt16(off, true);
        },
        set(this: ViewLike, v: unknown) {
          this.view.setInt16(off, checkInteger(v, prop, -0x8000, 0x7fff), true);
        },
      };
    case "u32":
      return {
        get(this: ViewLike) {
          return this.view.getUint32(off, true);
        },
        set(this: ViewLike, v: unknown) {
          this.view.setUint32(off, checkInteger(v, prop, 0, 0xffffffff), true);
        },
      };
    case "i32":
      if (isBool) {
        return {
          get(this: ViewLike) {
            return this.view.getInt32(off, true) !== 0;
          },
          set(this: ViewLike, v: unknown) {
            this.view.setInt32(off, checkBoolean(v, prop) ? 1 : 0, true);
          },
        };
      } else {
        return {
          get(this: ViewLike) {
            return this.view.getInt32(off, true);
          },
          set(this: ViewLike, v: unknown) {
            this.view.setInt32(off, checkInteger(v, prop, -0x80000000, 0x7fffffff), true);
          },
        };
      }
    case "u64":
    case "pointer":
      return {
        get(this: ViewLike) {
          return this.view.getBigUint64(off, true);
        },
        set(this: ViewLike, v: unknown) {
          this.view.setBigUint64(off, checkBigInt(v, prop, false), true);
        },
      };
    case "i64":
      return {
        get(this: ViewLike) {
          return this.view.getBigInt64(off, true);
        },
        set(this: ViewLike, v: unknown) {
          this.view.setBigInt64(off, checkBigInt(v, prop, true), true);
        },
      };
  }
}

/**
 * The accessor of a nested struct member: a read-only getter returning a view of `sub` over the
 * same bytes.
 *
 * @param sub The nested struct's view class.
 * @param off Its offset in the struct.
 * @returns The property descriptor.
 */
export function nestedAccessor(
  sub: ViewConstructor & { SIZE: number },
  off: number,
): PropertyDescriptor {
  return {
    get(this: ViewLike) {
      return new sub(new DataView(this.view.buffer, this.view.byteOffset + off, sub.SIZE));
    },
  };
}

/**
 * The accessor of a `GUID` member read and written as braced text (`{XXXXXXXX-…}`); the setter
 * parses and names the property in its TypeError.
 *
 * @param off Its offset in the struct.
 * @param prop The TS property name.
 * @returns The property descriptor.
 */
export function guidAccessor(off: number, prop: string): PropertyDescriptor {
  return {
    get(this: ViewLike) {
      return readGuid(this.view, off);
    },
    set(this: ViewLike, v: unknown) {
      writeGuid(this.view, off, v as string, prop);
    },
  };
}
