// The TypeScript types of the struct views follow from their members literals. This file is
// checked by `deno check` (the static leg): each `@ts-expect-error` below must meet a type error,
// or the check fails, and the `Expect<…>` lines fail to compile when a property's type differs
// from the one its member's type word gives. The tests then run the same statements, so the
// runtime accessors are seen to agree with the types (every wrong-typed write also throws).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../structs/mod.ts";
import { defineView } from "../structs/members.ts";

/** `true` exactly when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;
/** Compiles only for `true`. */
type Expect<T extends true> = T;

// One member of every type word, laid out and typed by the same machinery as the library's views.
const EVERY_WORD = {
  u8: ["U8", "u8"],
  i8: ["I8", "i8"],
  u16: ["U16", "u16"],
  i16: ["I16", "i16"],
  u32: ["U32", "u32"],
  i32: ["I32", "i32"],
  u64: ["U64", "u64"],
  i64: ["I64", "i64"],
  pointer: ["Pointer", "pointer"],
  boolean: ["Boolean", "BOOLEAN"],
  bool: ["Bool", "BOOL"],
  enumValue: ["Enum", "ENUM"],
  socket: ["Socket", "SOCKET"],
  handle: ["Handle", "HANDLE"],
  guid: ["Guid", "GUID"],
  nested: ["Nested", S.Flowspec],
  octets: ["Octets", "u8", 3],
} as const satisfies S.Members;

class EveryWord extends S.StructView {
  static readonly SIZE = 128;
  static readonly LAYOUT: S.StructLayout = defineView(this, "EVERY_WORD", EVERY_WORD);
}
interface EveryWord extends S.ViewFields<typeof EVERY_WORD> {}

// What each property's `typeof` is at run time; the type of each property must match it.
const RUNTIME_TYPE = {
  u8: "number",
  i8: "number",
  u16: "number",
  i16: "number",
  u32: "number",
  i32: "number",
  u64: "bigint",
  i64: "bigint",
  pointer: "bigint",
  boolean: "boolean",
  bool: "boolean",
  enumValue: "number",
  socket: "bigint",
  handle: "bigint",
  guid: "string",
  nested: "object",
} as const;

type TypeOfName<N> = N extends "number" ? number
  : N extends "bigint" ? bigint
  : N extends "boolean" ? boolean
  : N extends "string" ? string
  : S.Flowspec;
type EveryWordMatches = {
  [K in keyof typeof RUNTIME_TYPE]: Equal<EveryWord[K], TypeOfName<(typeof RUNTIME_TYPE)[K]>>;
};
type _EveryWordProperties = Expect<
  Equal<keyof S.ViewFields<typeof EVERY_WORD>, keyof typeof RUNTIME_TYPE>
>;
type _EveryWordTypes = Expect<EveryWordMatches[keyof EveryWordMatches]>;

// The library's own views, a few fields of each kind.
type _Keepalive = Expect<Equal<S.TcpKeepalive["keepAliveTime"], number>>;
type _InfoState = Expect<Equal<S.TcpInfoV0["state"], number>>;
type _InfoBytes = Expect<Equal<S.TcpInfoV0["bytesIn"], bigint>>;
type _InfoBool = Expect<Equal<S.TcpInfoV0["timestampsEnabled"], boolean>>;
type _V2Inherits = Expect<Equal<S.TcpInfoV2["rttUs"] | S.TcpInfoV2["ptoEpisodes"], number>>;
type _QosNested = Expect<Equal<S.Qos["sendingFlowspec"], S.Flowspec>>;
type _WsaBufPointer = Expect<Equal<S.WsaBuf["buf"], bigint>>;
type _Guid = Expect<Equal<S.RealTimeNotificationSettingInput["brokerEventGuid"], string>>;
type _CppNamed = Expect<Equal<S.InetPortReservationInstance["reservation"], S.InetPortRange>>;
type _SockaddrGen = Expect<Equal<S.InterfaceInfo["netmask"], S.SockaddrGen>>;
type _Bool = Expect<Equal<S.RssScalabilityInfo["rssEnabled"], boolean>>;
type _GuidFields = Expect<
  Equal<keyof S.ViewFields<typeof S.GUID_MEMBERS>, "data1" | "data2" | "data3">
>;

describe("struct view types follow the members literal", () => {
  test("every type word gives the runtime type its TypeScript type says", () => {
    const v = EveryWord.alloc();
    assert.equal(EveryWord.LAYOUT.size, 128);
    assert.equal(EveryWord.LAYOUT.fields.Guid.offset, 72); // GUID: 4-aligned, after HANDLE at 64
    for (const [prop, type] of Object.entries(RUNTIME_TYPE)) {
      assert.equal(typeof (v as unknown as Record<string, unknown>)[prop], type, prop);
    }
    assert.ok(v.nested instanceof S.Flowspec);
    assert.equal(
      (v as unknown as Record<string, unknown>).octets,
      undefined,
      "arrays: no property",
    );
  });

  test("a wrong-typed write is a type error and throws", () => {
    const ka = S.TcpKeepalive.alloc();
    // @ts-expect-error a ULONG member is a number
    assert.throws(() => (ka.onOff = 1n), TypeError);
    // @ts-expect-error a ULONG member is a number
    assert.throws(() => (ka.keepAliveTime = "1000"), TypeError);
    const info = S.TcpInfoV1.alloc();
    // @ts-expect-error a ULONG64 member is a bigint
    assert.throws(() => (info.bytesIn = 5), TypeError);
    // @ts-expect-error a BOOLEAN member is a boolean
    assert.throws(() => (info.timestampsEnabled = 1), TypeError);
    // @ts-expect-error a ULONG64 member of TCP_INFO_v1 is a bigint
    assert.throws(() => (info.sndLimBytesRwin = 1), TypeError);
    const rtn = S.RealTimeNotificationSettingInputEx.alloc();
    // @ts-expect-error a GUID member is text
    assert.throws(() => (rtn.brokerEventGuid = 5), TypeError);
    // @ts-expect-error a BOOLEAN member is a boolean
    assert.throws(() => (rtn.unmark = 0), TypeError);
    assert.deepEqual([ka.onOff, info.bytesIn, info.timestampsEnabled, rtn.unmark], [
      0,
      0n,
      false,
      false,
    ]);
  });

  test("a nested struct is read-only, an array has no property", () => {
    const q = S.Qos.alloc();
    // @ts-expect-error a nested struct is a read-only view
    assert.throws(() => (q.sendingFlowspec = q.receivingFlowspec), TypeError);
    const inst = S.InetPortReservationInstance.alloc();
    // @ts-expect-error a nested struct is a read-only view
    assert.throws(() => (inst.token = S.InetPortReservationToken.alloc()), TypeError);
    const list = S.SocketAddressList.alloc();
    // @ts-expect-error SOCKET_ADDRESS_LIST.Address[1] is an array: no property
    assert.equal(list.address, undefined);
    // GUID.Data4 is an array: no property (the Guid view's data4() method views it).
    const guid = S.Guid.from(S.WSAID_CONNECTEX);
    assert.equal(guid.data4().length, 8);
    assert.equal(Object.hasOwn(S.GUID_MEMBERS, "data4"), true);
  });

  test("a member type the machinery does not know is a type error and a TypeError", () => {
    const members = {
      // @ts-expect-error "u33" is not a type word
      x: ["X", "u33"],
    } as const satisfies S.Members;
    class Bad extends S.StructView {
      static readonly SIZE = 4;
    }
    assert.throws(
      () =>
        defineView(
          Bad as unknown as S.StructClass<S.StructView>,
          "BAD",
          members as unknown as S.Members,
        ),
      /BAD\.x: unknown member type u33/,
    );
  });
});

describe("defineView refuses a view that does not match its members", () => {
  const view = (size: number) =>
    class extends S.StructView {
      static readonly SIZE = size;
    } as unknown as S.StructClass<S.StructView>;

  test("a SIZE that is not sizeof the struct", () => {
    const members = { a: ["A", "u32"], b: ["B", "u8"] } as const satisfies S.Members;
    assert.throws(() => defineView(view(5), "TWO", members), /SIZE 5 != sizeof\(TWO\) 8/);
    assert.equal(defineView(view(8), "TWO", members).fields.B.offset, 4);
  });

  test("a C member listed twice", () => {
    const members = { a: ["A", "u32"], b: ["A", "u32"] } as const satisfies S.Members;
    assert.throws(() => defineView(view(8), "TWICE", members), /TWICE: duplicate member A/);
  });

  test("a nested view whose SIZE is not its member's size", () => {
    class Short extends S.StructView {
      static readonly SIZE = 2; // FLOWSPEC's layout is 32 bytes
      static readonly LAYOUT: S.StructLayout = S.Flowspec.LAYOUT;
    }
    const members = { inner: ["Inner", Short] } as const satisfies S.Members;
    assert.throws(() => defineView(view(32), "OUTER", members), /Short\.SIZE does not match/);
  });

  test("a subclass that names a member or property of its parent again", () => {
    const members = { sameProperty: ["Mss", "u32"] } as const satisfies S.Members;
    class Again extends S.TcpInfoV0 {
      static override readonly SIZE: number = 96;
    }
    assert.throws(() => defineView(Again, "AGAIN", members), /AGAIN: duplicate member Mss/);
    const property = { rttUs: ["Other", "u32"] } as const satisfies S.Members;
    assert.throws(() => defineView(Again, "AGAIN", property), /Again\.rttUs is already defined/);
  });

  test("a property that would hide a method or a hand-written accessor", () => {
    for (const prop of ["bytes", "toJSON", "view"]) {
      const members = { [prop]: ["A", "u32"] } as S.Members;
      assert.throws(() => defineView(view(4), "HIDES", members), /is already defined/, prop);
    }
    // A subclass of InetPortRange (hand-written startPort) with 4 more bytes.
    const Port = class Port extends S.InetPortRange {} as unknown as S.StructClass<S.StructView>;
    Object.defineProperty(Port, "SIZE", { value: 8 });
    const members = { startPort: ["Other", "u32"] } as const satisfies S.Members;
    assert.throws(() => defineView(Port, "PORT", members), /Port\.startPort is already defined/);
  });
});
