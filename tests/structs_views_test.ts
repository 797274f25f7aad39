// Round-trips every view class: each field written through its setter lands at the offset
// STRUCT_LAYOUTS gives (little-endian, at a non-zero offset inside a larger buffer, with the
// bytes around the struct untouched) and reads back; plus validation, arrays, snapshots and
// the allocation-free getter shape.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../structs/mod.ts";
import { accessorFields } from "../structs/_accessors.ts";
import { assertPadding, PAD_BEFORE, place, VIEW_CLASSES } from "./_helpers/view_classes.ts";

// Layouts deliberately without a view class of their own (reached through a parent view).
const NO_VIEW = new Set(["in_addr", "in6_addr", "SCOPE_ID", "sockaddr_in6_old"]);

describe("view classes", () => {
  test("every view class matches its STRUCT_LAYOUTS entry; every layout has a view", () => {
    assert.ok(VIEW_CLASSES.length >= 38, `only ${VIEW_CLASSES.length} view classes`);
    const covered = new Set<string>();
    for (const cls of VIEW_CLASSES) {
      const entry = S.STRUCT_LAYOUTS[cls.LAYOUT.name];
      assert.ok(entry, `${cls.name}: ${cls.LAYOUT.name} not in STRUCT_LAYOUTS`);
      assert.equal(cls.SIZE, entry.size, `${cls.name}.SIZE`);
      covered.add(cls.LAYOUT.name);
    }
    for (const name of Object.keys(S.STRUCT_LAYOUTS)) {
      if (!NO_VIEW.has(name)) assert.ok(covered.has(name), `${name} has no view class`);
    }
  });

  for (const cls of VIEW_CLASSES) {
    const fields = accessorFields(cls);
    if (Object.keys(fields).length === 0) continue;
    test(`${cls.name} (${cls.LAYOUT.name}): write → bytes → read back`, () => {
      const { buf, v, all } = place(cls);
      const self = v as unknown as Record<string, unknown>;
      let k = 0;
      for (const [prop, cField] of Object.entries(fields)) {
        k++;
        const info = cls.LAYOUT.fields[cField];
        const at = PAD_BEFORE + info.offset;
        const t = info.type;
        if (t.kind === "scalar") {
          const isBool = t.cType === "BOOLEAN" || t.cType === "BOOL";
          if (isBool) {
            for (const b of [true, false, true]) {
              self[prop] = b;
              assert.equal(self[prop], b);
              const raw: number = t.size === 1 ? all.getUint8(at) : all.getInt32(at, true);
              assert.equal(raw, b ? 1 : 0, `${prop} bytes`);
            }
            assert.throws(() => (self[prop] = 1), TypeError);
          } else if (t.size === 8) {
            const val = 0x0123456789abcdefn + BigInt(k);
            self[prop] = val;
            assert.equal(self[prop], val);
            assert.equal(all.getBigUint64(at, true), val, `${prop} bytes`);
            assert.throws(() => (self[prop] = 1), TypeError, `${prop} number`);
            assert.throws(() => (self[prop] = -1n), RangeError, `${prop} negative`);
            assert.throws(() => (self[prop] = 1n << 64n), RangeError, `${prop} too big`);
          } else {
            const signed = t.scalar === "i8" || t.scalar === "i16" || t.scalar === "i32";
            const val = t.size === 1
              ? (signed ? -5 - k : 0x50 + k)
              : t.size === 2
              ? (signed ? -0x1234 : 0xa000 + k)
              : (signed ? -0x12345678 + k : 0x89abcdef - k);
            self[prop] = val;
            assert.equal(self[prop], val, `${prop} read back`);
            const raw: number = t.size === 1
              ? (signed ? all.getInt8(at) : all.getUint8(at))
              : t.size === 2
              ? (signed ? all.getInt16(at, true) : all.getUint16(at, true))
              : (signed ? all.getInt32(at, true) : all.getUint32(at, true));
            assert.equal(raw, val, `${prop} bytes at ${info.offset}`);
            assert.throws(() => (self[prop] = 1.5), TypeError, `${prop} fraction`);
            assert.throws(() => (self[prop] = "1"), TypeError, `${prop} string`);
            const max = signed ? 2 ** (t.size * 8 - 1) : 2 ** (t.size * 8);
            assert.throws(() => (self[prop] = max), RangeError, `${prop} too big`);
            if (!signed) assert.throws(() => (self[prop] = -1), RangeError, `${prop} negative`);
            assert.throws(
              () => (self[prop] = max),
              (e: unknown) => e instanceof RangeError && e.message.startsWith(prop),
            );
          }
        } else if (typeof self[prop] === "string") {
          // GUID-valued member (GUID or TRANSPORT_SETTING_ID), exposed as text
          const g = `{01234567-89AB-CDEF-0123-456789ABCD${
            k.toString(16).toUpperCase().padStart(2, "0")
          }}`;
          self[prop] = g;
          assert.equal(self[prop], g);
          assert.equal(all.getUint32(at, true), 0x01234567, `${prop} Data1 LE`);
          assert.equal(all.getUint8(at + 8), 0x01, `${prop} Data4[0]`);
          assert.throws(() => (self[prop] = "not-a-guid"), TypeError);
        } else {
          const sub = self[prop] as S.StructView;
          assert.ok(sub instanceof S.StructView, `${prop} is a sub-view`);
          assert.equal(sub.view.buffer, buf);
          assert.equal(sub.view.byteOffset, at, `${prop} sub-view offset`);
          assert.equal(sub.view.byteLength, info.size);
          sub.view.setUint8(0, 0x42);
          assert.equal(all.getUint8(at), 0x42, `${prop} sub-view shares memory`);
        }
      }
      assertPadding(buf, cls.SIZE, cls.name);
      const obj = v.toObject();
      if (cls.prototype.toObject === S.StructView.prototype.toObject) {
        assert.deepEqual(Object.keys(obj), Object.keys(fields));
      }
      assert.doesNotThrow(() => JSON.stringify(v));
      // a snapshot is a copy: later writes do not change it
      const before = JSON.stringify(v);
      v.view.setUint8(0, v.view.getUint8(0) === 0 ? 1 : 0);
      assert.notEqual(JSON.stringify(v), before);
    });
  }

  test("alloc() gives a zeroed struct of exactly SIZE bytes", () => {
    for (const cls of VIEW_CLASSES) {
      const v = (cls as unknown as { alloc(): S.StructView }).alloc();
      assert.equal(v.view.byteLength, cls.SIZE, cls.name);
      assert.equal(v.view.byteOffset, 0);
      assert.ok(v.bytes().every((b) => b === 0), cls.name);
      assert.equal(v.bytes().length, cls.SIZE);
    }
  });

  test("at() and the constructor check bounds and types", () => {
    assert.throws(() => S.TcpInfoV0.at(new ArrayBuffer(100), 13), RangeError);
    assert.throws(() => S.TcpInfoV0.at(new ArrayBuffer(100), -1), RangeError);
    assert.throws(() => S.TcpInfoV0.at(new ArrayBuffer(100), 1.5), TypeError);
    assert.throws(() => S.TcpInfoV0.at([] as unknown as ArrayBuffer), TypeError);
    assert.throws(() => new S.TcpInfoV1(new DataView(new ArrayBuffer(135))), RangeError);
    assert.throws(() => new S.TcpKeepalive({} as DataView), TypeError);
    assert.equal(S.TcpInfoV0.at(new ArrayBuffer(100), 12).view.byteOffset, 12);
  });

  test("TCP_INFO_v1 and v2 keep every v0 field at the same offset", () => {
    const v2 = S.TcpInfoV2.alloc();
    v2.rttUs = 1234;
    v2.bytesIn = 99n;
    v2.ptoEpisodes = 7;
    const v0 = new S.TcpInfoV0(v2.view);
    assert.equal(v0.rttUs, 1234);
    assert.equal(v0.bytesIn, 99n);
    assert.equal(v2.view.getUint32(0x94, true), 7);
    assert.equal(S.TcpInfoV0.SIZE, 88);
    assert.equal(S.TcpInfoV1.SIZE, 136);
    assert.equal(S.TcpInfoV2.SIZE, 152);
    v2.state = S.TCPSTATE.ESTABLISHED;
    assert.equal(v2.view.getInt32(0, true), 4);
  });

  test("tcp_keepalive bytes are exactly what SIO_KEEPALIVE_VALS expects", () => {
    const ka = S.TcpKeepalive.alloc();
    ka.onOff = 1;
    ka.keepAliveTime = 7200000;
    ka.keepAliveInterval = 1000;
    assert.deepEqual(
      Array.from(ka.bytes()),
      [1, 0, 0, 0, 0x00, 0xdd, 0x6d, 0x00, 0xe8, 0x03, 0, 0],
    );
  });

  test("INET_PORT_RANGE start port is network order", () => {
    const r = S.InetPortRange.alloc();
    r.startPort = 50000;
    r.numberOfPorts = 16;
    assert.deepEqual(Array.from(r.bytes()), [0xc3, 0x50, 16, 0]);
    assert.equal(r.startPortRaw, 0x50c3);
    assert.deepEqual(r.toObject(), { startPort: 50000, numberOfPorts: 16 });
    assert.throws(() => (r.startPort = 65536), RangeError);
  });

  test("enum-valued arguments", () => {
    const h = S.PriorityHint.alloc();
    h.value = S.PRIORITY_HINT.IoPriorityHintLow;
    assert.deepEqual(Array.from(h.bytes()), [1, 0, 0, 0]);
    const r = S.RcvallValue.alloc();
    r.value = S.RCVALL_VALUE.RCVALL_IPLEVEL;
    assert.equal(r.view.getInt32(0, true), 3);
    assert.throws(() => (r.value = 2 ** 31), RangeError);
    assert.throws(() => (h.value = 0.5), TypeError);
  });

  test("QOS nests FLOWSPECs and a WSABUF", () => {
    const q = S.Qos.alloc();
    q.receivingFlowspec.serviceType = S.SERVICETYPE.GUARANTEED;
    q.providerSpecific.buf = 0xdeadbeefn;
    assert.equal(q.view.getUint32(0x20 + 0x14, true), 3);
    assert.equal(q.view.getBigUint64(0x48, true), 0xdeadbeefn);
    assert.equal(q.toObject().receivingFlowspec instanceof Object, true);
  });
});

// ---------------------------------------------------------------------------------------------
// Every setter rejects what it cannot store, instead of letting DataView wrap or truncate it
// ---------------------------------------------------------------------------------------------

describe("arrays", () => {
  test("INTERFACE_INFO[] from one output buffer, at an offset", () => {
    const buf = new Uint8Array(8 + 3 * S.InterfaceInfo.SIZE + 10);
    const inner = buf.subarray(8);
    const arr = S.InterfaceInfo.arrayAt(inner, 0, 3);
    assert.equal(arr.length, 3);
    arr.at(1).flags = S.IFF_UP | S.IFF_MULTICAST;
    arr.at(1).address.addressIn.set({ address: "192.168.1.10", port: 0 });
    arr.at(-1).netmask.addressIn.set({ address: "255.255.255.0", port: 0 });
    assert.equal(new DataView(buf.buffer).getUint32(8 + 76, true), 0x11);
    assert.equal(buf[8 + 76 + 4], 2, "iiAddress family at 4");
    const list = S.InterfaceInfo.list(inner, 3 * 76 + 5);
    assert.equal(list.length, 3);
    assert.deepEqual(list.at(1).address.toSocketAddress(), {
      family: "inet",
      address: "192.168.1.10",
      port: 0,
    });
    assert.equal(list.at(2).netmask.toSocketAddress().address, "255.255.255.0");
    assert.deepEqual([...list].map((e) => e.flags), [0, 0x11, 0]);
    assert.equal(list.toObject().length, 3);
    assert.throws(() => list.at(3), RangeError);
    assert.throws(() => S.InterfaceInfo.list(inner, 10_000), RangeError);
    assert.throws(() => S.InterfaceInfo.arrayAt(inner, 0, 4), RangeError);
    assert.throws(() => S.InterfaceInfo.arrayAt(inner, 0, -1), RangeError);
    assert.equal(S.InterfaceInfo.arrayAt(inner).length, 3);
  });

  test("sockaddr_gen decodes the old IPv6 form", () => {
    const g = S.SockaddrGen.alloc();
    g.family = S.AF_INET6;
    g.view.setUint16(2, 8080, false);
    new Uint8Array(g.view.buffer, 8, 16).set(S.parseIPv6("2001:db8::5").bytes);
    assert.deepEqual(g.toSocketAddress(), {
      family: "inet6",
      address: "2001:db8::5",
      port: 8080,
      scopeId: 0,
    });
    g.family = 7;
    assert.throws(() => g.toSocketAddress(), RangeError);
  });
});

describe("reading a field allocates nothing", () => {
  test("a view holds one DataView and nothing else; fields are prototype accessors", () => {
    for (const cls of VIEW_CLASSES) {
      const v = (cls as unknown as { alloc(): S.StructView }).alloc();
      assert.deepEqual(Object.getOwnPropertyNames(v), ["view"], cls.name);
      assert.ok(v.view instanceof DataView);
      for (const prop of Object.keys(accessorFields(cls))) {
        let proto = Object.getPrototypeOf(v);
        let desc: PropertyDescriptor | undefined;
        while (proto && !desc) {
          desc = Object.getOwnPropertyDescriptor(proto, prop);
          proto = Object.getPrototypeOf(proto);
        }
        assert.ok(desc?.get, `${cls.name}.${prop} is a getter`);
        assert.equal(desc.value, undefined, `${cls.name}.${prop} is not a stored value`);
      }
    }
  });

  test("1e6 numeric reads return the same primitive straight from the DataView", () => {
    const info = S.TcpInfoV0.alloc();
    info.rttUs = 4242;
    let sum = 0;
    for (let i = 0; i < 1e6; i++) sum += info.rttUs;
    assert.equal(sum, 4242e6);
    assert.equal(typeof info.rttUs, "number");
    // the getter reads the live bytes: no cached copy
    info.view.setUint32(0x14, 7, true);
    assert.equal(info.rttUs, 7);
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 1e6; i++) sum += info.rttUs;
      gc();
      const after = process.memoryUsage().heapUsed;
      assert.ok(after - before < 4 * 1024 * 1024, `heap grew by ${after - before} bytes`);
    }
  });
});

describe("GUIDs", () => {
  test("parse/format round trip, memory order", () => {
    const b = S.parseGuid("{B5367DF1-CBAC-11CF-95CA-00805F48A192}");
    assert.deepEqual(
      Array.from(b),
      [0xf1, 0x7d, 0x36, 0xb5, 0xac, 0xcb, 0xcf, 0x11, 0x95, 0xca, 0, 0x80, 0x5f, 0x48, 0xa1, 0x92],
    );
    assert.equal(S.formatGuid(b), S.WSAID_ACCEPTEX);
    assert.equal(
      S.formatGuid(S.parseGuid("b5367df1-cbac-11cf-95ca-00805f48a192")),
      S.WSAID_ACCEPTEX,
    );
    const padded = new Uint8Array(20);
    padded.set(b, 4);
    assert.equal(S.formatGuid(padded, 4), S.WSAID_ACCEPTEX);
    assert.throws(() => S.formatGuid(padded, 5), RangeError);
    const g = S.Guid.from(S.WSAID_CONNECTEX);
    assert.equal(g.data1, 0x25a207b9);
    assert.equal(g.data2, 0xddf3);
    assert.deepEqual(Array.from(g.data4()), [0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e]);
    assert.equal(String(g), S.WSAID_CONNECTEX);
  });

  for (
    const bad of [
      "",
      "{B5367DF1-CBAC-11CF-95CA-00805F48A192",
      "B5367DF1-CBAC-11CF-95CA-00805F48A192}",
      "{B5367DF1CBAC-11CF-95CA-00805F48A192}",
      "{G5367DF1-CBAC-11CF-95CA-00805F48A192}",
      "{B5367DF1-CBAC-11CF-95CA-00805F48A19}",
      "{B5367DF1-CBAC-11CF-95CA-00805F48A1922}",
    ]
  ) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => S.parseGuid(bad, "functionGuid"), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, /^functionGuid/);
        return true;
      });
    });
  }

  test("the eight extension functions", () => {
    assert.equal(Object.keys(S.EXTENSION_FUNCTION_GUIDS).length, 8);
    assert.equal(S.EXTENSION_FUNCTION_GUIDS.WSASendMsg, "{A441E712-754F-43CA-84A7-0DEE44CF606D}");
    assert.ok(Object.isFrozen(S.EXTENSION_FUNCTION_GUIDS));
  });
});

describe("struct views over lying views", () => {
  test("at() views the caller's real bytes, whatever its own properties claim", () => {
    const whole = new Uint8Array(new ArrayBuffer(64));
    const view = new Uint8Array(whole.buffer, 8, 24);
    Object.defineProperty(view, "byteOffset", { value: 0 });
    Object.defineProperty(view, "byteLength", { value: 64 });
    Object.defineProperty(view, "buffer", { value: new ArrayBuffer(64) });
    const ka = S.TcpKeepalive.at(view);
    ka.onOff = 1;
    ka.keepAliveTime = 0x01020304;
    // tcp_keepalive: ULONG onoff at 0x00, keepalivetime at 0x04 (little-endian), from byte 8.
    assert.deepEqual([...whole.subarray(8, 16)], [1, 0, 0, 0, 4, 3, 2, 1]);
    assert.ok(whole.subarray(0, 8).every((b) => b === 0));
    // The struct must fit in the 24 real bytes, not the 64 claimed.
    assert.throws(() => S.TcpKeepalive.at(view, 16), RangeError);
  });
});
