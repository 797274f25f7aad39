// The generic ioctl() for real under Wine's ws2_32 (deno.exe and bun.exe): the shared suite of
// tests/native_ioctl_test.ts (FIONREAD, FIONBIO, SIOCATMARK, WSAEFAULT, WSAEOPNOTSUPP, WSAENOTSOCK
// through each adapter), then codes only Winsock runs, asserted as Wine really answers them.
import "../native_ioctl_test.ts";

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  SIO_ADDRESS_LIST_QUERY,
  SIO_BASE_HANDLE,
  SIO_GET_EXTENSION_FUNCTION_POINTER,
  SIO_GET_INTERFACE_LIST,
  SIO_KEEPALIVE_VALS,
  SIO_LOOPBACK_FAST_PATH,
  SIO_ROUTING_INTERFACE_QUERY,
  SIO_TCP_INFO,
  SIO_UDP_CONNRESET,
} from "../../codes/mod.ts";
import { nativeApi } from "../../ffi/select.ts";
import { ioctl } from "../../ioctl.ts";
import { Socket } from "../../socket.ts";
import { writeSocketAddress } from "../../structs/address.ts";
import { writeGuid, WSAID_ACCEPTEX } from "../../structs/guid.ts";
import { assertWinsock } from "../_helpers/winsock.ts";

const native = nativeApi();

describe(`Winsock-only codes on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test("SIO_GET_EXTENSION_FUNCTION_POINTER(AcceptEx) returns a function pointer", () => {
    using s = Socket.open("inet", "stream");
    const guid = new Uint8Array(new ArrayBuffer(16));
    writeGuid(new DataView(guid.buffer), 0, WSAID_ACCEPTEX);
    const fn = new BigUint64Array(1);
    assert.equal(ioctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, fn), 8);
    assert.notEqual(fn[0], 0n);
    // An unknown GUID is refused.
    assertWinsock(
      () => ioctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, new Uint8Array(16), fn),
      "WSAEINVAL",
    );
  });

  test("SIO_ADDRESS_LIST_QUERY: the lpSockaddr pointers land inside the output buffer", () => {
    using s = Socket.open("inet", "dgram");
    const out = new Uint8Array(new ArrayBuffer(1024));
    const n = ioctl(s, SIO_ADDRESS_LIST_QUERY, null, out);
    const dv = new DataView(out.buffer);
    const count = dv.getInt32(0, true); // 0x00 INT iAddressCount
    assert.ok(count >= 1, `count ${count}`);
    assert.ok(n >= 8 + count * 16);
    const base = native.bufferAddress(out);
    for (let i = 0; i < count; i++) {
      const pointer = dv.getBigUint64(8 + i * 16, true); // SOCKET_ADDRESS.lpSockaddr
      const length = dv.getInt32(16 + i * 16, true); // SOCKET_ADDRESS.iSockaddrLength
      const offset = Number(pointer - base);
      assert.ok(offset >= 8 + count * 16 && offset + length <= n, `address ${i} at ${offset}`);
      assert.ok([2, 23].includes(dv.getUint16(offset, true)), "AF_INET or AF_INET6");
    }
  });

  test("a too-small output: lastBytesReturned() is the size Winsock says it needs", () => {
    using s = Socket.open("inet", "dgram");
    // SIO_ADDRESS_LIST_QUERY: WSAEFAULT with *lpcbBytesReturned = the size of the whole list.
    assertWinsock(() => ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(8)), "WSAEFAULT");
    const needed = native.lastBytesReturned();
    assert.ok(needed > 8, `needed ${needed}`);
    assert.equal(ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(needed)), needed);
    // SIO_ROUTING_INTERFACE_QUERY: the reference says the same (16 for a sockaddr_in); Wine 10
    // leaves 0.
    const to = new Uint8Array(16);
    writeSocketAddress(new DataView(to.buffer), 0, { address: "127.0.0.1", port: 0 });
    assertWinsock(() => ioctl(s, SIO_ROUTING_INTERFACE_QUERY, to, new Uint8Array(8)), "WSAEFAULT");
    assert.equal(native.lastBytesReturned(), native.wine ? 0 : 16);
    // SIO_GET_INTERFACE_LIST: the whole list or WSAEFAULT, nothing said about the size.
    assertWinsock(() => ioctl(s, SIO_GET_INTERFACE_LIST, null, new Uint8Array(75)), "WSAEFAULT");
    assert.equal(native.lastBytesReturned(), 0);
  });

  test("SIO_ADDRESS_LIST_QUERY: 1..7 bytes WSAEINVAL (none said), 8 to short WSAEFAULT (size)", () => {
    // Windows and Wine alike: the output's size against FIELD_OFFSET(SOCKET_ADDRESS_LIST,
    // Address[0]), 8 on 64-bit, first; the POSIX layer answers the same (posix_ifaddrs tests).
    using s = Socket.open("inet", "dgram");
    assertWinsock(() => ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(8)), "WSAEFAULT");
    const needed = native.lastBytesReturned();
    assert.ok(needed > 8, `needed ${needed}`);
    for (const size of [1, 4, 7]) {
      const e = assertWinsock(
        () => ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(size)),
        "WSAEINVAL",
      );
      assert.equal(e.code, 10022);
      assert.equal(native.lastBytesReturned(), 0, `${size} bytes`);
    }
    for (const size of [9, needed - 1]) {
      assertWinsock(
        () => ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(size)),
        "WSAEFAULT",
      );
      assert.equal(native.lastBytesReturned(), needed, `${size} bytes`);
    }
  });

  test("SIO_ROUTING_INTERFACE_QUERY: a 15-byte input and 0.0.0.0, as Wine answers them", () => {
    // Windows refuses both with WSAEINVAL (fewer bytes than a sockaddr_in; the wildcard address),
    // and so does the POSIX layer. Wine 10 checks the length against sizeof(struct sockaddr)
    // (WSAEFAULT) and routes 0.0.0.0 like any address, to the host's primary one.
    using s = Socket.open("inet", "dgram");
    const to = (address: string) => {
      const b = new Uint8Array(16);
      writeSocketAddress(new DataView(b.buffer), 0, { address, port: 80 });
      return b;
    };
    const out = new Uint8Array(28);
    const short = to("127.0.0.1").subarray(0, 15);
    assertWinsock(
      () => ioctl(s, SIO_ROUTING_INTERFACE_QUERY, short, out),
      native.wine ? "WSAEFAULT" : "WSAEINVAL",
    );
    if (!native.wine) {
      assertWinsock(() => ioctl(s, SIO_ROUTING_INTERFACE_QUERY, to("0.0.0.0"), out), "WSAEINVAL");
      return;
    }
    assert.equal(ioctl(s, SIO_ROUTING_INTERFACE_QUERY, to("0.0.0.0"), out), 16);
    const primary = new Uint8Array(28);
    assert.equal(ioctl(s, SIO_ROUTING_INTERFACE_QUERY, to("127.0.0.1"), primary), 16);
    assert.deepEqual(out, primary); // AF_INET, port 0, the same address 127.0.0.1 gets under Wine
    assert.equal(new DataView(out.buffer).getUint16(0, true), 2);
    assert.notDeepEqual([...out.subarray(4, 8)], [0, 0, 0, 0]);
  });

  test("SIO_GET_INTERFACE_LIST lists the loopback interface", () => {
    using s = Socket.open("inet", "dgram");
    const out = new Uint8Array(new ArrayBuffer(76 * 16));
    const n = ioctl(s, SIO_GET_INTERFACE_LIST, null, out);
    assert.equal(n % 76, 0); // INTERFACE_INFO is 76 bytes
    const dv = new DataView(out.buffer);
    const addresses: string[] = [];
    for (let at = 0; at < n; at += 76) {
      // 0x04 sockaddr_gen iiAddress: a sockaddr_in, address at +4
      addresses.push([...out.subarray(at + 8, at + 12)].join("."));
      assert.equal(dv.getUint16(at + 4, true), 2);
    }
    assert.ok(addresses.includes("127.0.0.1"), addresses.join(", "));
  });

  test("SIO_BASE_HANDLE returns the socket itself (no layered provider)", () => {
    using s = Socket.open("inet", "stream");
    const out = new BigUint64Array(1);
    assert.equal(ioctl(s, SIO_BASE_HANDLE, null, out), 8);
    assert.equal(out[0], s.handle);
  });

  test("SIO_KEEPALIVE_VALS takes a tcp_keepalive; shorter input is WSAEFAULT", () => {
    using s = Socket.open("inet", "stream");
    const ka = new Uint32Array([1, 30_000, 1_000]); // onoff, keepalivetime, keepaliveinterval
    assert.equal(ioctl(s, SIO_KEEPALIVE_VALS, ka), 0);
    assert.equal(s.getOption("keepAlive"), true);
    assertWinsock(() => ioctl(s, SIO_KEEPALIVE_VALS, new Uint32Array(2)), "WSAEFAULT");
  });

  test("SIO_UDP_CONNRESET is accepted on UDP", () => {
    using u = Socket.open("inet", "dgram");
    assert.equal(ioctl(u, SIO_UDP_CONNRESET, new Uint32Array([0])), 0);
  });

  test("codes Wine does not implement: WSAEOPNOTSUPP, before or after connecting", () => {
    using s = Socket.open("inet", "stream");
    for (const code of [SIO_TCP_INFO, SIO_LOOPBACK_FAST_PATH]) {
      const e = assertWinsock(
        () => ioctl(s, code, new Uint32Array(1), new Uint8Array(256)),
        native.wine ? "WSAEOPNOTSUPP" : "WSAEINVAL",
      );
      assert.equal(e.call, "WSAIoctl");
    }
  });
});
