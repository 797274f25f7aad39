/** Every exported struct view class (abstract bases without a LAYOUT left out). */

import assert from "node:assert/strict";
import * as S from "../../structs/mod.ts";

/** A view class with its statics. */
export type ViewClass = S.StructClass<S.StructView> & { name: string };

/** Every exported view class; abstract bases (SockaddrWithPort, EnumView) have no LAYOUT. */
export const VIEW_CLASSES: ViewClass[] = (Object.values(S) as unknown[]).filter((
  v,
): v is ViewClass =>
  typeof v === "function" && v.prototype instanceof S.StructView &&
  (v as Partial<ViewClass>).LAYOUT !== undefined
);

/** The byte around a placed struct. */
export const FILL = 0xa5;
/** Bytes before a placed struct. */
export const PAD_BEFORE = 13;

/** A view of `cls` at PAD_BEFORE inside a FILL-ed buffer (through a view with its own offset). */
export function place(cls: ViewClass): { buf: ArrayBuffer; v: S.StructView; all: DataView } {
  const buf = new ArrayBuffer(PAD_BEFORE + cls.SIZE + 19);
  new Uint8Array(buf).fill(FILL);
  // view through a Uint8Array that itself has a byteOffset: 3 + 10 = 13
  const v = (cls as unknown as { at(b: Uint8Array, o: number): S.StructView }).at(
    new Uint8Array(buf, 3),
    PAD_BEFORE - 3,
  );
  return { buf, v, all: new DataView(buf) };
}

/** Asserts no byte outside the struct changed. */
export function assertPadding(buf: ArrayBuffer, size: number, label: string) {
  const u8 = new Uint8Array(buf);
  for (let i = 0; i < u8.length; i++) {
    if (i >= PAD_BEFORE && i < PAD_BEFORE + size) continue;
    assert.equal(u8[i], FILL, `${label}: byte ${i} outside the struct was written`);
  }
}
