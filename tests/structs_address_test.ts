import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AF_INET,
  AF_INET6,
  readSocketAddress,
  SockaddrInet,
  SockaddrStorage,
  writeSocketAddress,
} from "../structs/address.ts";
import { formatIPv4, formatIPv6, parseAddress, parseIPv4, parseIPv6 } from "../structs/ip.ts";
import { SockaddrIn, SockaddrIn6 } from "../structs/sockaddr.ts";
import { validatePort } from "../structs/_checks.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

describe("parseIPv4 / formatIPv4", () => {
  test("parses and formats", () => {
    assert.deepEqual(parseIPv4("0.0.0.0"), new Uint8Array([0, 0, 0, 0]));
    assert.deepEqual(parseIPv4("255.255.255.255"), new Uint8Array([255, 255, 255, 255]));
    assert.deepEqual(parseIPv4("192.0.2.1"), new Uint8Array([192, 0, 2, 1]));
    assert.equal(formatIPv4(new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
    assert.equal(formatIPv4(new Uint8Array([9, 9, 127, 0, 0, 1]), 2), "127.0.0.1");
  });

  for (
    const bad of [
      "01.2.3.4",
      "1.02.3.4",
      "1.2.3.00",
      "256.1.1.1",
      "1.2.3.999",
      "1.2.3",
      "1.2.3.4.5",
      "1..2.3",
      "",
      " 1.2.3.4",
      "1.2.3.4 ",
      "+1.2.3.4",
      "-1.2.3.4",
      "0x1.2.3.4",
      "1e2.0.0.1",
      "a.b.c.d",
      "::1",
    ]
  ) {
    test(`rejects ${JSON.stringify(bad)} with a TypeError naming the argument`, () => {
      assert.throws(() => parseIPv4(bad, "remote"), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, /^remote/);
        return true;
      });
    });
  }

  test("default name is 'address'; non-string rejected", () => {
    assert.throws(() => parseIPv4("1.2.3"), /^TypeError: address/);
    assert.throws(() => parseIPv4(1234 as unknown as string), TypeError);
  });

  test("formatIPv4 bounds", () => {
    assert.throws(() => formatIPv4(new Uint8Array(3)), RangeError);
    assert.throws(() => formatIPv4(new Uint8Array(8), 5), RangeError);
    assert.throws(() => formatIPv4(new Uint8Array(8), -1), RangeError);
    assert.throws(() => formatIPv4(new Uint8Array(8), 1.5), TypeError);
    assert.throws(() => formatIPv4([1, 2, 3, 4] as unknown as Uint8Array), TypeError);
  });
});

describe("parseIPv6 / formatIPv6", () => {
  const cases: [string, string, number, string][] = [
    ["::", "00000000000000000000000000000000", 0, "::"],
    ["::1", "00000000000000000000000000000001", 0, "::1"],
    ["1::", "00010000000000000000000000000000", 0, "1::"],
    ["::ffff:1.2.3.4", "00000000000000000000ffff01020304", 0, "::ffff:1.2.3.4"],
    ["::FFFF:192.0.2.128", "00000000000000000000ffffc0000280", 0, "::ffff:192.0.2.128"],
    ["fe80::1%4", "fe800000000000000000000000000001", 4, "fe80::1%4"],
    ["fe80::1%0", "fe800000000000000000000000000001", 0, "fe80::1"],
    ["2001:DB8:0:0:0:0:0:1", "20010db8000000000000000000000001", 0, "2001:db8::1"],
    [
      "2001:0db8:0000:0000:0001:0000:0000:0001",
      "20010db8000000000001000000000001",
      0,
      "2001:db8::1:0:0:1",
    ],
    ["1:0:0:2:0:0:0:3", "00010000000000020000000000000003", 0, "1:0:0:2::3"],
    ["1::2:3:4:5:6:7", "00010000000200030004000500060007", 0, "1:0:2:3:4:5:6:7"],
    ["1:2:3:4:5:6:7::", "00010002000300040005000600070000", 0, "1:2:3:4:5:6:7:0"],
    ["64:ff9b::192.0.2.33", "0064ff9b0000000000000000c0000221", 0, "64:ff9b::c000:221"],
    ["1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304", 0, "1:2:3:4:5:6:102:304"],
    [
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
      "f".repeat(32),
      0,
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ],
    ["::1%4294967295", "00000000000000000000000000000001", 4294967295, "::1%4294967295"],
  ];
  for (const [text, bytes, scope, canonical] of cases) {
    test(`${text} → ${canonical}`, () => {
      const p = parseIPv6(text);
      assert.equal(hex(p.bytes), bytes);
      assert.equal(p.bytes.length, 16);
      assert.equal(p.scopeId, scope);
      assert.equal(formatIPv6(p.bytes, 0, p.scopeId), canonical);
      // canonical text is a fixed point
      const again = parseIPv6(canonical);
      assert.equal(formatIPv6(again.bytes, 0, again.scopeId), canonical);
    });
  }

  test("ties pick the first run; single zero group stays", () => {
    const b = parseIPv6("1:0:0:2:0:0:3:4").bytes;
    assert.equal(formatIPv6(b), "1::2:0:0:3:4");
    assert.equal(formatIPv6(parseIPv6("1:2:0:3:4:5:6:7").bytes), "1:2:0:3:4:5:6:7");
  });

  for (
    const bad of [
      ":::",
      "1:::2",
      "1::2::3",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "::1:2:3:4:5:6:7:8",
      "12345::",
      "::g",
      ":1::",
      "1:",
      ":1",
      "",
      "%4",
      "fe80::1%",
      "fe80::1%eth0",
      "fe80::1%-1",
      "fe80::1%04",
      "fe80::1%4294967296",
      "::1.2.3",
      "::256.1.1.1",
      "::01.2.3.4",
      "1.2.3.4::",
      "::1.2.3.4:1",
      "1:2:3:4:5:6:7:1.2.3.4",
      " ::1",
      "[::1]",
    ]
  ) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseIPv6(bad, "remote"), (e: unknown) => {
        assert.ok(e instanceof TypeError, String(e));
        assert.match(e.message, /^remote/);
        return true;
      });
    });
  }

  test("formatIPv6 validation and offset", () => {
    const buf = new Uint8Array(20);
    buf.set(parseIPv6("2001:db8::7").bytes, 3);
    assert.equal(formatIPv6(buf, 3), "2001:db8::7");
    assert.equal(formatIPv6(buf, 3, 9), "2001:db8::7%9");
    assert.throws(() => formatIPv6(buf, 5), RangeError);
    assert.throws(() => formatIPv6(buf, 0, -1), RangeError);
    assert.throws(() => formatIPv6(buf, 0, 1.5), TypeError);
  });

  test("parseAddress picks the family", () => {
    assert.equal(parseAddress("1.2.3.4").family, "inet");
    assert.equal(parseAddress("::1").family, "inet6");
    assert.equal(parseAddress("fe80::1%3").scopeId, 3);
    assert.throws(() => parseAddress("nope", "host"), /^TypeError: host/);
  });
});

describe("validatePort", () => {
  test("accepts 0..65535", () => {
    assert.equal(validatePort(0), 0);
    assert.equal(validatePort(65535), 65535);
  });
  test("rejects with the right class and name", () => {
    assert.throws(() => validatePort(65536, "localPort"), (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /^localPort/);
      return true;
    });
    assert.throws(() => validatePort(-1), RangeError);
    for (const v of [1.5, NaN, Infinity, "80", 80n, null, undefined, {}]) {
      assert.throws(() => validatePort(v), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, /^port/);
        return true;
      });
    }
  });
});

describe("SockaddrIn", () => {
  test("byte layout: family LE at 0, port BE at 2, address at 4, zero at 8", () => {
    const sa = SockaddrIn.from({ address: "192.0.2.1", port: 0x1234 });
    assert.equal(SockaddrIn.SIZE, 16);
    assert.equal(hex(sa.bytes()), "0200" + "1234" + "c0000201" + "0000000000000000");
    assert.deepEqual(sa.toSocketAddress(), { family: "inet", address: "192.0.2.1", port: 0x1234 });
    assert.equal(sa.addressValue, 0xc0000201);
  });

  test("get/set round trip at a non-zero offset inside a larger buffer", () => {
    const buf = new Uint8Array(64).fill(0xee);
    const sa = SockaddrIn.at(buf.subarray(8), 5); // absolute offset 13
    sa.family = AF_INET;
    sa.port = 443;
    sa.address = "10.1.2.3";
    assert.equal(buf[13], 2);
    assert.equal(buf[14], 0);
    assert.equal(buf[15], 0x01);
    assert.equal(buf[16], 0xbb);
    assert.deepEqual(Array.from(buf.subarray(17, 21)), [10, 1, 2, 3]);
    assert.equal(buf[12], 0xee, "byte before untouched");
    assert.equal(buf[29], 0xee, "byte after untouched");
    assert.equal(sa.address, "10.1.2.3");
    assert.equal(sa.port, 443);
    assert.deepEqual(sa.toJSON(), { family: 2, port: 443, address: "10.1.2.3" });
  });

  test("setters validate", () => {
    const sa = SockaddrIn.alloc();
    assert.throws(() => (sa.address = "1.2.3.256"), /^TypeError: address/);
    assert.throws(() => (sa.port = 70000), RangeError);
    assert.throws(() => (sa.port = 1.5), TypeError);
    assert.throws(() => SockaddrIn.at(new ArrayBuffer(20), 5), RangeError);
    assert.throws(() => new SockaddrIn(new DataView(new ArrayBuffer(15))), RangeError);
  });
});

describe("SockaddrIn6", () => {
  test("byte layout: family 23, port BE, flowinfo BE, address, scope LE", () => {
    const sa = SockaddrIn6.from({ address: "fe80::1%4", port: 443, flowInfo: 0x000abcde });
    assert.equal(SockaddrIn6.SIZE, 28);
    assert.equal(
      hex(sa.bytes()),
      "1700" + "01bb" + "000abcde" + "fe800000000000000000000000000001" + "04000000",
    );
    assert.deepEqual(sa.toSocketAddress(), {
      family: "inet6",
      address: "fe80::1",
      port: 443,
      scopeId: 4,
    });
    assert.equal(sa.flowInfo, 0xabcde);
  });

  test("address setter with %scope sets scopeId; without keeps it", () => {
    const sa = SockaddrIn6.alloc();
    sa.address = "fe80::2%7";
    assert.equal(sa.scopeId, 7);
    sa.address = "fe80::3";
    assert.equal(sa.scopeId, 7);
    assert.equal(sa.address, "fe80::3");
    sa.scopeId = 0;
    assert.equal(sa.scopeId, 0);
  });

  test("scopeId must agree with %scope", () => {
    assert.throws(
      () => SockaddrIn6.from({ address: "fe80::1%4", port: 1, scopeId: 5 }),
      /^TypeError: scopeId/,
    );
    assert.equal(SockaddrIn6.from({ address: "fe80::1%4", port: 1, scopeId: 4 }).scopeId, 4);
    assert.equal(SockaddrIn6.from({ address: "fe80::1", port: 1, scopeId: 9 }).scopeId, 9);
    assert.throws(() => SockaddrIn6.from({ address: "::1", port: 1, scopeId: -1 }), RangeError);
  });

  test("at an odd offset in a larger buffer", () => {
    const buf = new ArrayBuffer(100);
    const sa = SockaddrIn6.at(buf, 37);
    sa.set({ address: "::ffff:1.2.3.4", port: 65535 });
    const again = SockaddrIn6.at(new Uint8Array(buf, 30), 7);
    assert.deepEqual(again.toSocketAddress(), {
      family: "inet6",
      address: "::ffff:1.2.3.4",
      port: 65535,
      scopeId: 0,
    });
    assert.equal(new DataView(buf).getUint16(37, true), AF_INET6);
  });
});

describe("writeSocketAddress / readSocketAddress", () => {
  test("infers the family and returns the size", () => {
    const dv = new DataView(new ArrayBuffer(64));
    assert.equal(writeSocketAddress(dv, 3, { address: "1.2.3.4", port: 5 }), 16);
    assert.deepEqual(readSocketAddress(dv, 3), { family: "inet", address: "1.2.3.4", port: 5 });
    assert.equal(writeSocketAddress(dv, 20, { address: "::1", port: 6, scopeId: 2 }), 28);
    assert.deepEqual(readSocketAddress(dv, 20, 28), {
      family: "inet6",
      address: "::1",
      port: 6,
      scopeId: 2,
    });
  });

  test("round-trips through SocketAddress values", () => {
    const dv = new DataView(new ArrayBuffer(28));
    for (
      const v of [
        { family: "inet" as const, address: "255.255.255.255", port: 65535 },
        { family: "inet6" as const, address: "2001:db8::1", port: 80, scopeId: 0 },
        { family: "inet6" as const, address: "fe80::abcd", port: 0, scopeId: 12 },
      ]
    ) {
      writeSocketAddress(dv, 0, v);
      assert.deepEqual(readSocketAddress(dv, 0), v);
    }
  });

  test("respects the DataView's own byteOffset", () => {
    const buf = new ArrayBuffer(64);
    const dv = new DataView(buf, 10, 40);
    writeSocketAddress(dv, 2, { address: "9.8.7.6", port: 1 });
    assert.equal(new Uint8Array(buf)[12], AF_INET);
    assert.deepEqual(Array.from(new Uint8Array(buf, 16, 4)), [9, 8, 7, 6]);
  });

  test("errors", () => {
    const dv = new DataView(new ArrayBuffer(28));
    assert.throws(() => writeSocketAddress(dv, 20, { address: "::1", port: 1 }), RangeError);
    assert.throws(() => writeSocketAddress(dv, 13, { address: "1.2.3.4", port: 1 }), RangeError);
    assert.throws(
      () => writeSocketAddress(dv, 0, { family: "inet", address: "::1", port: 1 }),
      /^TypeError: address/,
    );
    assert.throws(
      () => writeSocketAddress(dv, 0, { family: "inet6", address: "1.2.3.4", port: 1 }),
      /^TypeError: address/,
    );
    assert.throws(
      () =>
        writeSocketAddress(dv, 0, {
          family: "unix" as unknown as "inet",
          address: "1.2.3.4",
          port: 1,
        }),
      /^TypeError: family/,
    );
    assert.throws(() => writeSocketAddress(dv, 0, { address: "1.2.3.4", port: -1 }), RangeError);
    assert.throws(
      () => writeSocketAddress(dv, 0, { address: "1.2.3.4", port: 1, scopeId: 3 }),
      TypeError,
    );
    assert.throws(() => writeSocketAddress(dv, -1, { address: "1.2.3.4", port: 1 }), RangeError);

    dv.setUint16(0, 99, true);
    assert.throws(() => readSocketAddress(dv, 0), /^RangeError: unknown address family 99/);
    writeSocketAddress(dv, 0, { address: "::1", port: 1 });
    assert.throws(() => readSocketAddress(dv, 0, 16), RangeError);
    assert.throws(() => readSocketAddress(dv, 0, 1), RangeError);
    assert.throws(() => readSocketAddress(dv, 0, 29), RangeError);
    assert.throws(() => readSocketAddress(dv, 2), RangeError); // reads the port as a family
    assert.throws(() => readSocketAddress(dv, 27), RangeError);
    writeSocketAddress(dv, 0, { address: "1.2.3.4", port: 1 });
    assert.throws(() => readSocketAddress(dv, 0, 15), RangeError);
    assert.deepEqual(readSocketAddress(dv, 0, 16).address, "1.2.3.4");
  });
});

describe("SOCKADDR_STORAGE and SOCKADDR_INET", () => {
  test("storage holds either family", () => {
    const st = SockaddrStorage.alloc();
    assert.equal(SockaddrStorage.SIZE, 128);
    assert.equal(st.set({ address: "fe80::9%2", port: 8 }), 28);
    assert.deepEqual(st.toSocketAddress(), {
      family: "inet6",
      address: "fe80::9",
      port: 8,
      scopeId: 2,
    });
    st.set({ address: "127.0.0.1", port: 9 });
    assert.deepEqual(st.toJSON(), {
      family: AF_INET,
      address: { family: "inet", address: "127.0.0.1", port: 9 },
    });
    st.family = 0;
    assert.deepEqual(st.toJSON(), { family: 0 });
    assert.throws(() => st.toSocketAddress(), RangeError);
  });

  test("SOCKADDR_INET union members share the bytes", () => {
    const si = SockaddrInet.alloc();
    si.set({ address: "::2", port: 7 });
    assert.equal(si.family, AF_INET6);
    assert.equal(si.ipv6.address, "::2");
    si.set({ address: "4.3.2.1", port: 7 });
    assert.equal(si.ipv4.address, "4.3.2.1");
    assert.equal(si.ipv6.scopeId, 0, "IPv4 set zeroes the union tail");
    assert.deepEqual(si.toSocketAddress(), { family: "inet", address: "4.3.2.1", port: 7 });
  });
});
