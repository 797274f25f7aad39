// The interface, address and route typed calls on real Linux sockets: the POSIX native layer
// answers the four queries in Windows' layout, and the typed calls (the same code as on Windows)
// parse them into this machine's real addresses. tests/posix_ifaddrs_real_test.ts checks the raw
// outputs against `ip`; this file checks what a user of the typed calls sees.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { UnsupportedError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { addressList, interfaceList, interfaceListEx, routingInterface } from "../sio/mod.ts";
import { broadcastAddress, flush } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { assertWinsock } from "./_helpers/winsock.ts";

const native = nativeApi();

/** This machine's addresses as the runtime itself lists them (node:os, in all three runtimes). */
function runtimeAddresses(family: "IPv4" | "IPv6", internal: boolean): string[] {
  return Object.values(networkInterfaces()).flat()
    .filter((a) => a !== undefined && a.family === family && a.internal === internal)
    .map((a) => a!.address.replace(/%.*$/, ""))
    .sort();
}

describe(`interface and route typed calls on ${native.runtime}/${native.os}`, {
  skip: native.os !== "linux",
}, () => {
  test("interfaceList: 127.0.0.1 flagged loopback and up; the IPv4 addresses of node:os", () => {
    using s = Socket.open("inet", "dgram");
    const list = interfaceList(s);
    const lo = list.find((e) => e.address === "127.0.0.1");
    assert.ok(lo, JSON.stringify(list));
    assert.equal(lo.flags.loopback, true);
    assert.equal(lo.flags.up, true);
    assert.equal(lo.netmask, "255.0.0.0");
    const all = [...runtimeAddresses("IPv4", false), ...runtimeAddresses("IPv4", true)].sort();
    assert.deepEqual(list.map((e) => e.address).sort(), all);
  });

  test("interfaceListEx lists IPv4 and IPv6 alike", () => {
    using s = Socket.open("inet6", "dgram");
    const addresses = interfaceListEx(s).map((e) => e.address.replace(/%.*$/, ""));
    assert.ok(addresses.includes("127.0.0.1"), addresses.join(" "));
    assert.ok(addresses.includes("::1"), addresses.join(" "));
  });

  test("addressList: the socket family's non-loopback addresses, as node:os lists them", () => {
    using v4 = Socket.open("inet", "dgram");
    assert.deepEqual(addressList(v4).map((a) => a.address).sort(), runtimeAddresses("IPv4", false));
    assert.ok(addressList(v4).every((a) => a.family === "inet" && a.port === 0));
    using v6 = Socket.open("inet6", "dgram");
    const six = addressList(v6);
    assert.deepEqual(
      six.map((a) => a.address.replace(/%.*$/, "")).sort(),
      runtimeAddresses("IPv6", false),
    );
    for (const a of six) {
      if (a.address.startsWith("fe80:")) {
        assert.ok((a.scopeId ?? 0) > 0, "link-local keeps its scope");
      }
    }
  });

  test("routingInterface: loopback routes through 127.0.0.1; a family mismatch is a TypeError", () => {
    using s = Socket.open("inet", "dgram");
    assert.deepEqual(routingInterface(s, "127.0.0.1"), {
      family: "inet",
      address: "127.0.0.1",
      port: 0,
    });
    assert.throws(() => routingInterface(s, "::1"), TypeError);
  });

  test("routingInterface refuses as Windows: the other family on a raw handle, 0.0.0.0, ::", () => {
    using s = Socket.open("inet", "dgram");
    using s6 = Socket.open("inet6", "dgram");
    const cases = [
      [s.handle, "::1", "WSAEAFNOSUPPORT", /address family/],
      [s6.handle, "127.0.0.1", "WSAEAFNOSUPPORT", /address family/],
      [s, "0.0.0.0", "WSAEINVAL", /unspecified/],
      [s6, "::", "WSAEINVAL", /unspecified/],
    ] as const;
    for (const [on, to, name, hint] of cases) {
      const e = assertWinsock(() => routingInterface(on, to), name);
      assert.equal(e.typedCall, "routingInterface");
      assert.match(e.hint ?? "", hint);
      // The hints are the same on every platform: none speaks of Wine here.
      assert.doesNotMatch(e.message, /Wine/, to);
    }
  });

  test("what has no POSIX meaning is UnsupportedError naming the call", () => {
    using s = Socket.open("inet", "dgram");
    assert.throws(
      () => flush(s),
      (e: unknown) => e instanceof UnsupportedError && e.typedCall === "flush",
    );
    // The broadcast address has one: Windows' answer (sio_portable_linux_test.ts has the rest),
    // and so do the change notifications (sio_notify_linux_test.ts).
    assert.equal(broadcastAddress(s).address, "255.255.255.255");
  });
});
