// The setters of every view class reject what their field cannot hold: out-of-range and
// non-integer numbers, wrong types, bigints outside 64 bits — no wrapping, no truncation.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../structs/mod.ts";
import { accessorFields } from "../structs/_accessors.ts";
import { place, VIEW_CLASSES, type ViewClass } from "./_helpers/view_classes.ts";

// Hand-written integer setters (not generated from the layout), by the class that defines them,
// with the range of what they store. A new hand-written setter must be added here (the test
// below fails on a numeric setter whose range it does not know).
const HAND_WRITTEN: Record<string, [number, number]> = {
  "SockaddrFamilyView.family": [0, 0xffff],
  "SockaddrWithPort.port": [0, 0xffff],
  "SockaddrIn.addressValue": [0, 0xffffffff],
  "SockaddrIn6.flowInfo": [0, 0xffffffff],
  "SockaddrIn6.scopeId": [0, 0xffffffff],
  "InetPortRange.startPort": [0, 0xffff],
  "EnumView.value": [-0x80000000, 0x7fffffff],
};

const SCALAR_RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

/** Every accessor with a setter on a view class's prototype chain, with its defining class. */
function setters(cls: ViewClass): { prop: string; owner: string }[] {
  const out: { prop: string; owner: string }[] = [];
  const seen = new Set<string>();
  for (
    let proto = cls.prototype;
    proto !== null && proto !== S.StructView.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const prop of Object.getOwnPropertyNames(proto)) {
      const desc = Object.getOwnPropertyDescriptor(proto, prop);
      if (desc?.set === undefined || seen.has(prop)) continue;
      seen.add(prop);
      out.push({ prop, owner: (proto.constructor as { name: string }).name });
    }
  }
  return out;
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return String(v);
  return Object.prototype.toString.call(v);
}

/** Asserts that `set` throws `cls` with exactly `message`, and leaves the bytes unchanged. */
function assertRejected(
  v: S.StructView,
  set: () => void,
  cls: typeof TypeError | typeof RangeError,
  message: string,
): void {
  const before = Array.from(v.bytes());
  assert.throws(set, (e: unknown) => {
    assert.ok(e instanceof cls, `${message}: got ${e}`);
    assert.equal((e as Error).message, message);
    return true;
  });
  assert.deepEqual(Array.from(v.bytes()), before, `${message}: bytes changed`);
}

const NOT_INTEGERS: unknown[] = [
  "x",
  "1",
  "",
  1.9,
  -0.5,
  NaN,
  Infinity,
  -Infinity,
  null,
  undefined,
  1n,
  true,
  {},
  [],
  new Number(1),
];

describe("setters reject what the field cannot hold (no wrapping, no truncation)", () => {
  test("every view's numeric setters are covered (generated or listed)", () => {
    let numeric = 0;
    for (const cls of VIEW_CLASSES) {
      const v = (cls as unknown as { alloc(): S.StructView }).alloc();
      const generated = accessorFields(cls);
      for (const { prop, owner } of setters(cls)) {
        const value = (v as unknown as Record<string, unknown>)[prop];
        if (typeof value !== "number") continue;
        numeric++;
        assert.ok(
          Object.hasOwn(generated, prop) || Object.hasOwn(HAND_WRITTEN, `${owner}.${prop}`),
          `${cls.name}.${prop} (defined by ${owner}): a numeric setter with no known range`,
        );
      }
    }
    assert.ok(numeric >= 100, `only ${numeric} numeric setters found`);
  });

  for (const cls of VIEW_CLASSES) {
    const list = setters(cls);
    if (list.length === 0) continue;
    test(`${cls.name}: wrong types → TypeError, out of range → RangeError, naming the field`, () => {
      const { v } = place(cls);
      const self = v as unknown as Record<string, unknown>;
      const generated = accessorFields(cls);
      for (const { prop, owner } of list) {
        const current = self[prop];
        const set = (x: unknown) => () => {
          self[prop] = x;
        };
        if (typeof current === "number") {
          const cField = generated[prop];
          const t = cField === undefined ? undefined : cls.LAYOUT.fields[cField].type;
          const [min, max] = t?.kind === "scalar"
            ? SCALAR_RANGES[t.scalar]
            : HAND_WRITTEN[`${owner}.${prop}`];
          for (const bad of NOT_INTEGERS) {
            assertRejected(v, set(bad), TypeError, `${prop} must be an integer, got ${show(bad)}`);
          }
          for (const out of [min - 1, max + 1, min - 0x10000, max + 2 ** 32, 2 ** 53, -(2 ** 53)]) {
            assertRejected(
              v,
              set(out),
              RangeError,
              `${prop} must be in ${min}..${max}, got ${out}`,
            );
          }
          for (const ok of [min, max, 0]) {
            self[prop] = ok;
            assert.equal(self[prop], ok, `${cls.name}.${prop} = ${ok}`);
          }
        } else if (typeof current === "bigint") {
          const signed = cls.LAYOUT.fields[generated[prop]].type.kind === "scalar" &&
            (cls.LAYOUT.fields[generated[prop]].type as S.ScalarType).scalar === "i64";
          const min = signed ? -(1n << 63n) : 0n;
          const max = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
          for (const bad of [1, 0, "1", 1.5, null, undefined, true, {}]) {
            assertRejected(v, set(bad), TypeError, `${prop} must be a bigint, got ${show(bad)}`);
          }
          for (const out of [min - 1n, max + 1n]) {
            assertRejected(
              v,
              set(out),
              RangeError,
              `${prop} must be in ${min}..${max}, got ${out}n`,
            );
          }
          for (const ok of [min, max]) {
            self[prop] = ok;
            assert.equal(self[prop], ok);
          }
        } else if (typeof current === "boolean") {
          for (const bad of [1, 0, "true", null, undefined]) {
            assertRejected(v, set(bad), TypeError, `${prop} must be a boolean, got ${show(bad)}`);
          }
        }
      }
    });
  }

  test("the cases of the report: SockaddrIn.family and addressValue", () => {
    const sa = S.SockaddrIn.from({ address: "192.0.2.1", port: 80 });
    assertRejected(sa, () => (sa.family = -1), RangeError, "family must be in 0..65535, got -1");
    assertRejected(
      sa,
      () => (sa.family = "x" as unknown as number),
      TypeError,
      'family must be an integer, got "x"',
    );
    assertRejected(
      sa,
      () => (sa.addressValue = 2 ** 32 + 1),
      RangeError,
      "addressValue must be in 0..4294967295, got 4294967297",
    );
    assertRejected(
      sa,
      () => (sa.addressValue = 1.9),
      TypeError,
      "addressValue must be an integer, got 1.9",
    );
    assert.equal(sa.family, S.AF_INET);
    assert.equal(sa.address, "192.0.2.1");
    sa.addressValue = 0x7f000001;
    assert.equal(sa.address, "127.0.0.1");
    sa.family = S.AF_INET6;
    assert.equal(sa.view.getUint16(0, true), 23);
    // the same checks reach the family of every address view, and ports stay 0..65535
    for (const v of [S.Sockaddr.alloc(), S.SockaddrStorage.alloc(), S.SockaddrInet.alloc()]) {
      assertRejected(
        v,
        () => (v.family = 65536),
        RangeError,
        "family must be in 0..65535, got 65536",
      );
    }
    const sa6 = S.SockaddrIn6.alloc();
    assertRejected(sa6, () => (sa6.port = -1), RangeError, "port must be in 0..65535, got -1");
    assertRejected(
      sa6,
      () => (sa6.scopeId = 2 ** 32),
      RangeError,
      "scopeId must be in 0..4294967295, got 4294967296",
    );
  });
});
