// SOCKET_ADDRESS_LIST and INTERFACE_INFO_EX hold native pointers into their own output
// buffer: these tests build such buffers with a pretend native address and check that every
// pointer is resolved to an offset inside the buffer, and that anything else is a RangeError.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../structs/mod.ts";

const BASE = 0x7ff6_1234_0000n;

/** A SOCKET_ADDRESS_LIST with two entries and their sockaddrs after the array. */
function buildList(pad = 0): { buf: Uint8Array; base: bigint; len: number } {
  const buf = new Uint8Array(pad + 8 + 2 * 16 + 16 + 28 + 4);
  const list = buf.subarray(pad);
  const dv = new DataView(list.buffer, list.byteOffset, list.byteLength);
  dv.setInt32(0, 2, true);
  const base = BASE + BigInt(pad);
  S.writeSocketAddress(dv, 40, { address: "192.0.2.7", port: 0 });
  S.writeSocketAddress(dv, 56, { address: "fe80::7", port: 0, scopeId: 3 });
  dv.setBigUint64(8, base + 40n, true);
  dv.setInt32(16, 16, true);
  dv.setBigUint64(24, base + 56n, true);
  dv.setInt32(32, 28, true);
  return { buf: list, base, len: 8 + 32 + 16 + 28 };
}

describe("SOCKET_ADDRESS_LIST", () => {
  test("resolves pointers into the same buffer", () => {
    const { buf, base, len } = buildList();
    assert.deepEqual(S.parseSocketAddressList(buf, base, len), [
      { family: "inet", address: "192.0.2.7", port: 0 },
      { family: "inet6", address: "fe80::7", port: 0, scopeId: 3 },
    ]);
    const head = S.SocketAddressList.at(buf);
    assert.equal(head.addressCount, 2);
    const entries = S.SocketAddressList.entries(buf, len);
    assert.equal(entries.length, 2);
    assert.equal(entries.at(1).offsetIn(base, len), 56);
    assert.equal(entries.at(0).resolve(buf, base)?.address, "192.0.2.7");
  });

  test("works when the list sits at an offset inside a larger allocation", () => {
    const { buf, base, len } = buildList(24);
    assert.equal(buf.byteOffset, 24);
    assert.equal(S.parseSocketAddressList(buf, base, len)[1]?.address, "fe80::7");
  });

  test("null pointer → null", () => {
    const { buf, base } = buildList();
    new DataView(buf.buffer, buf.byteOffset).setBigUint64(8, 0n, true);
    assert.equal(S.parseSocketAddressList(buf, base)[0], null);
  });

  test("a pointer before the buffer is a RangeError", () => {
    const { buf, base } = buildList();
    new DataView(buf.buffer, buf.byteOffset).setBigUint64(8, base - 16n, true);
    assert.throws(() => S.parseSocketAddressList(buf, base), RangeError);
  });

  test("a pointer past the buffer is a RangeError", () => {
    const { buf, base } = buildList();
    new DataView(buf.buffer, buf.byteOffset).setBigUint64(24, base + 10_000n, true);
    assert.throws(() => S.parseSocketAddressList(buf, base), /^RangeError: lpSockaddr/);
  });

  test("a sockaddr that straddles the end is a RangeError", () => {
    const { buf, base, len } = buildList();
    // 28 bytes at 56 fit in len (84); claim 29 bytes
    new DataView(buf.buffer, buf.byteOffset).setInt32(32, 29, true);
    assert.throws(() => S.parseSocketAddressList(buf, base, len), RangeError);
    // or trust only part of the buffer
    new DataView(buf.buffer, buf.byteOffset).setInt32(32, 28, true);
    assert.throws(() => S.parseSocketAddressList(buf, base, len - 1), RangeError);
  });

  test("a negative or oversized count, or a negative length, is a RangeError", () => {
    const { buf, base } = buildList();
    const dv = new DataView(buf.buffer, buf.byteOffset);
    dv.setInt32(0, 100, true);
    assert.throws(() => S.parseSocketAddressList(buf, base), /iAddressCount 100/);
    dv.setInt32(0, -1, true);
    assert.throws(() => S.parseSocketAddressList(buf, base), RangeError);
    dv.setInt32(0, 2, true);
    dv.setInt32(16, -4, true);
    assert.throws(() => S.parseSocketAddressList(buf, base), /negative/);
  });

  test("a pointer to a sockaddr too short for its family is a RangeError", () => {
    const { buf, base } = buildList();
    new DataView(buf.buffer, buf.byteOffset).setInt32(32, 16, true); // IPv6 needs 28
    assert.throws(() => S.parseSocketAddressList(buf, base), RangeError);
  });

  test("argument validation", () => {
    const { buf, base } = buildList();
    assert.throws(() => S.parseSocketAddressList(buf, 5 as unknown as bigint), TypeError);
    assert.throws(() => S.parseSocketAddressList(buf, -1n), RangeError);
    assert.throws(() => S.parseSocketAddressList(buf, base, 1000), RangeError);
    assert.throws(() => S.parseSocketAddressList(buf, base, 2), RangeError);
    assert.throws(() => S.parseSocketAddressList(buf, base, 1.5), TypeError);
    assert.deepEqual(S.parseSocketAddressList(new Uint8Array(8), base), []);
  });
});

describe("INTERFACE_INFO_EX", () => {
  test("resolves each SOCKET_ADDRESS and rejects escapes", () => {
    const n = 2;
    const tail = n * S.InterfaceInfoEx.SIZE;
    const buf = new Uint8Array(tail + 6 * 16);
    const dv = new DataView(buf.buffer);
    const arr = S.InterfaceInfoEx.arrayAt(buf, 0, n);
    const addrs = [
      "10.0.0.1",
      "10.0.0.255",
      "255.255.255.0",
      "127.0.0.1",
      "127.255.255.255",
      "255.0.0.0",
    ];
    addrs.forEach((a, i) => S.writeSocketAddress(dv, tail + 16 * i, { address: a, port: 0 }));
    for (let e = 0; e < n; e++) {
      const info = arr.at(e);
      info.flags = e === 0 ? S.IFF_UP | S.IFF_BROADCAST : S.IFF_UP | S.IFF_LOOPBACK;
      const parts = [info.address, info.broadcastAddress, info.netmask];
      parts.forEach((p, j) => {
        p.lpSockaddr = BASE + BigInt(tail + 16 * (3 * e + j));
        p.sockaddrLength = 16;
      });
    }
    const out = S.parseInterfaceListEx(buf, BASE, buf.length);
    assert.equal(out.length, 2);
    assert.deepEqual(out[1], {
      flags: S.IFF_UP | S.IFF_LOOPBACK,
      address: { family: "inet", address: "127.0.0.1", port: 0 },
      broadcastAddress: { family: "inet", address: "127.255.255.255", port: 0 },
      netmask: { family: "inet", address: "255.0.0.0", port: 0 },
    });
    assert.equal(arr.at(0).view.getBigUint64(8, true), BASE + BigInt(tail), "iiAddress at 8");
    assert.equal(S.parseInterfaceListEx(buf, BASE, buf.length, 1).length, 1);
    assert.throws(() => S.parseInterfaceListEx(buf, BASE, buf.length, 4), RangeError);
    arr.at(1).netmask.lpSockaddr = BASE + BigInt(buf.length - 8);
    assert.throws(() => S.parseInterfaceListEx(buf, BASE), RangeError);
    arr.at(1).netmask.lpSockaddr = 0n;
    assert.equal(S.parseInterfaceListEx(buf, BASE)[1].netmask, null);
  });
});
