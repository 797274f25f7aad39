// Socket lifecycle, addresses and options on real loopback sockets, through the real FFI of the
// runtime running the test (Deno.dlopen, bun:ffi or koffi). Runs on Linux, and is imported by
// tests/windows/native_socket_test.ts to run under Wine: every assertion here holds on both.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, UnsupportedError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl, socketHandle } from "../ioctl.ts";
import { Socket } from "../socket.ts";
import { FIONREAD } from "../codes/mod.ts";
import { assertWinsock } from "./_helpers/winsock.ts";
import { tcpPair } from "./_helpers/pair.ts";

const isWindows = nativeApi().os === "windows";

function closeAll(...sockets: Socket[]): void {
  for (const s of sockets) s.close();
}

describe(`Socket on ${nativeApi().runtime}/${nativeApi().os}`, () => {
  test("open, handle, close is idempotent, closed refuses every call", () => {
    const s = Socket.open("inet", "stream");
    assert.equal(typeof s.handle, "bigint");
    assert.equal(s.closed, false);
    assert.equal(s.family, "inet");
    s.close();
    assert.equal(s.closed, true);
    s.close();
    const calls: [string, () => unknown][] = [
      ["handle", () => s.handle],
      ["bind", () => s.bind("127.0.0.1", 0)],
      ["listen", () => s.listen()],
      ["accept", () => s.accept()],
      ["connect", () => s.connect("127.0.0.1", 1)],
      ["send", () => s.send(new Uint8Array(1))],
      ["recv", () => s.recv(new Uint8Array(1))],
      ["sendTo", () => s.sendTo(new Uint8Array(1), "127.0.0.1", 1)],
      ["recvFrom", () => s.recvFrom(new Uint8Array(1))],
      ["localAddress", () => s.localAddress()],
      ["remoteAddress", () => s.remoteAddress()],
      ["setOption", () => s.setOption("noDelay", true)],
      ["getOption", () => s.getOption("type")],
      ["ioctl", () => ioctl(s, FIONREAD, null, new Uint32Array(1))],
      ["socketHandle", () => socketHandle(s)],
    ];
    for (const [name, call] of calls) {
      assert.throws(call, SocketClosedError, name);
    }
  });

  test("a closed socket never reaches the native layer, even when its number is reused", () => {
    const a = Socket.open("inet", "stream");
    const number = a.handle;
    a.close();
    // The system may hand the same number to the next socket.
    const b = Socket.open("inet", "stream");
    try {
      assert.throws(() => a.send(new Uint8Array(1)), SocketClosedError);
      assert.throws(() => ioctl(a, FIONREAD, null, new Uint32Array(1)), SocketClosedError);
      a.close(); // must not close b's handle
      assert.equal(b.getOption("type"), "stream");
      if (b.handle === number) assert.equal(b.closed, false);
    } finally {
      b.close();
    }
  });

  test("using closes", () => {
    let kept: Socket;
    {
      using s = Socket.open("inet", "dgram");
      kept = s;
      assert.equal(s.closed, false);
    }
    assert.equal(kept.closed, true);
  });

  test("open validates its arguments before any native call", () => {
    assert.throws(() => Socket.open("unix" as "inet", "stream"), TypeError);
    assert.throws(() => Socket.open("inet", "seqpacket" as "stream"), TypeError);
    assert.throws(() => Socket.open("inet", "stream", 1.5), TypeError);
    assert.throws(() => Socket.open("inet", "stream", -1), RangeError);
    assert.throws(() => Socket.open("inet", "stream", 256), RangeError);
  });

  test("TCP over IPv4 loopback: addresses round-trip, bytes flow both ways", () => {
    const { client, peer, server } = tcpPair("inet");
    try {
      const listen = server.localAddress();
      assert.deepEqual(listen.family, "inet");
      assert.equal(listen.address, "127.0.0.1");
      assert.ok(listen.port > 0);
      assert.deepEqual(client.remoteAddress(), listen);
      assert.deepEqual(peer.remoteAddress(), client.localAddress());
      assert.deepEqual(peer.localAddress(), listen);
      const hello = new TextEncoder().encode("hello, winsock");
      assert.equal(client.send(hello), hello.length);
      const into = new Uint8Array(64);
      assert.equal(peer.recv(into), hello.length);
      assert.deepEqual(into.subarray(0, hello.length), hello);
      // Any ArrayBufferView, its exact byte range.
      const words = new Uint16Array([0x0102, 0x0304, 0x0506]);
      assert.equal(peer.send(new DataView(words.buffer, 2, 4)), 4);
      const got = new Uint8Array(8);
      assert.equal(client.recv(got.subarray(2)), 4);
      assert.deepEqual([...got], [0, 0, 4, 3, 6, 5, 0, 0]);
    } finally {
      closeAll(client, peer, server);
    }
  });

  test("TCP over IPv6 loopback", () => {
    const { client, peer, server } = tcpPair("inet6");
    try {
      const a = server.localAddress();
      assert.equal(a.family, "inet6");
      assert.equal(a.address, "::1");
      assert.equal(a.scopeId, 0);
      assert.deepEqual(peer.remoteAddress(), client.localAddress());
      assert.equal(client.send(new Uint8Array([7, 8, 9])), 3);
      const into = new Uint8Array(3);
      assert.equal(peer.recv(into), 3);
      assert.deepEqual([...into], [7, 8, 9]);
    } finally {
      closeAll(client, peer, server);
    }
  });

  test("an IPv4 address on an IPv6 socket is IPv4-mapped", () => {
    using server = Socket.open("inet", "stream");
    server.bind("127.0.0.1", 0);
    server.listen();
    using client = Socket.open("inet6", "stream");
    client.setOption("v6Only", false);
    client.connect("127.0.0.1", server.localAddress().port);
    using peer = server.accept();
    assert.equal(client.remoteAddress().address, "::ffff:127.0.0.1");
    assert.equal(peer.remoteAddress().family, "inet");
  });

  test("UDP sendTo / recvFrom, IPv4 and IPv6, with peek", () => {
    for (const [family, host] of [["inet", "127.0.0.1"], ["inet6", "::1"]] as const) {
      using a = Socket.open(family, "dgram");
      using b = Socket.open(family, "dgram");
      a.bind(host, 0);
      b.bind(host, 0);
      assert.equal(a.sendTo(new Uint8Array([1, 2, 3, 4]), host, b.localAddress().port), 4);
      const into = new Uint8Array(16);
      const peeked = b.recvFrom(into, { peek: true });
      assert.equal(peeked.bytes, 4);
      const { bytes, from } = b.recvFrom(into);
      assert.equal(bytes, 4);
      assert.deepEqual([...into.subarray(0, 4)], [1, 2, 3, 4]);
      assert.deepEqual(from, a.localAddress());
    }
  });

  test("recv returns 0 once the peer closed", () => {
    const { client, peer, server } = tcpPair();
    client.close();
    try {
      assert.equal(peer.recv(new Uint8Array(8)), 0);
    } finally {
      closeAll(peer, server);
    }
  });

  test("native failures are WinsockErrors with the WSA code", () => {
    // A port with no listener: refused.
    const probe = Socket.open("inet", "stream");
    probe.bind("127.0.0.1", 0);
    const port = probe.localAddress().port;
    probe.close();
    using c = Socket.open("inet", "stream");
    const refused = assertWinsock(() => c.connect("127.0.0.1", port), "WSAECONNREFUSED");
    assert.equal(refused.code, 10061);
    assert.equal(refused.call, "connect");
    assert.match(
      refused.message,
      /^connect failed: WSAECONNREFUSED \(10061\): connection refused$/,
    );

    using a = Socket.open("inet", "stream");
    a.bind("127.0.0.1", 0);
    a.listen();
    using b = Socket.open("inet", "stream");
    const inUse = assertWinsock(() => b.bind("127.0.0.1", a.localAddress().port), "WSAEADDRINUSE");
    assert.equal(inUse.code, 10048);

    using u = Socket.open("inet", "dgram");
    assertWinsock(() => u.remoteAddress(), "WSAENOTCONN");
    // A TCP option on a UDP socket: Linux says EOPNOTSUPP, and so does Wine (it passes Linux's
    // answer through); Windows documents WSAENOPROTOOPT.
    assertWinsock(
      () => u.getOption("noDelay"),
      !isWindows || nativeApi().wine ? "WSAEOPNOTSUPP" : "WSAENOPROTOOPT",
    );
  });

  test("address arguments are validated before any native call", () => {
    using s = Socket.open("inet", "stream");
    assert.throws(() => s.bind("localhost", 0), TypeError);
    assert.throws(() => s.bind("::1", 0), TypeError);
    assert.throws(() => s.bind("127.0.0.1", 65536), RangeError);
    assert.throws(() => s.bind("127.0.0.1", 1.5), TypeError);
    assert.throws(() => s.connect(42 as unknown as string, 1), TypeError);
    assert.throws(() => s.send("text" as unknown as Uint8Array), TypeError);
    assert.throws(() => s.recv(new ArrayBuffer(4) as unknown as Uint8Array), TypeError);
    assert.throws(() => s.listen(1.5), TypeError);
  });

  test("options round-trip with the same units everywhere", () => {
    using s = Socket.open("inet", "stream");
    assert.equal(s.getOption("type"), "stream");
    assert.equal(s.getOption("error"), 0);
    for (const name of ["noDelay", "keepAlive", "reuseAddress", "oobInline"] as const) {
      s.setOption(name, true);
      assert.equal(s.getOption(name), true, name);
      s.setOption(name, false);
      assert.equal(s.getOption(name), false, name);
    }
    s.setOption("linger", 7);
    assert.equal(s.getOption("linger"), 7);
    s.setOption("linger", false);
    assert.equal(s.getOption("linger"), false);
    s.setOption("receiveTimeout", 1500);
    assert.equal(s.getOption("receiveTimeout"), 1500);
    s.setOption("sendTimeout", 2000);
    assert.equal(s.getOption("sendTimeout"), 2000);
    // Linux keeps timeouts in clock ticks: an odd value reads back rounded.
    s.setOption("sendTimeout", 250);
    assert.ok(Math.abs((s.getOption("sendTimeout") as number) - 250) <= 10);
    s.setOption("receiveBuffer", 65536);
    assert.ok((s.getOption("receiveBuffer") as number) >= 65536 / 2);
    using u = Socket.open("inet", "dgram");
    assert.equal(u.getOption("type"), "dgram");
    u.setOption("broadcast", true);
    assert.equal(u.getOption("broadcast"), true);
    using six = Socket.open("inet6", "stream");
    six.setOption("v6Only", true);
    assert.equal(six.getOption("v6Only"), true);

    assert.throws(() => s.setOption("type" as "noDelay", true), TypeError);
    assert.throws(() => s.setOption("nope" as "noDelay", true), TypeError);
    assert.throws(() => s.getOption("nope" as "type"), TypeError);
    assert.throws(() => s.setOption("noDelay", 1 as unknown as boolean), TypeError);
    assert.throws(() => s.setOption("linger", -1), RangeError);
    assert.throws(() => s.setOption("sendTimeout", 1.5), TypeError);
  });

  test("fromHandle adopts a socket; refuses non-sockets and bad values", () => {
    const a = Socket.open("inet", "stream");
    a.bind("127.0.0.1", 0);
    const port = a.localAddress().port;
    const b = Socket.fromHandle(a.handle);
    assert.equal(b.family, "inet");
    assert.equal(b.localAddress().port, port);
    b.close();
    assert.throws(() => Socket.fromHandle(5 as unknown as bigint), TypeError);
    assert.throws(() => Socket.fromHandle(-1n), RangeError);
    const bogus = assertWinsock(
      () => Socket.fromHandle(isWindows ? 0xdead0n : 99999n),
      "WSAENOTSOCK",
    );
    assert.equal(bogus.code, 10038);
  });

  test("socketHandle accepts a Socket or a raw bigint", () => {
    using s = Socket.open("inet", "stream");
    assert.equal(socketHandle(s), s.handle);
    assert.equal(socketHandle(123n), 123n);
    assert.throws(() => socketHandle(123 as unknown as bigint), TypeError);
    assert.throws(() => socketHandle(-2n), RangeError);
  });

  test("the native layer reports its runtime and platform", () => {
    const native = nativeApi();
    assert.ok(["deno", "bun", "node"].includes(native.runtime));
    assert.equal(typeof native.os, "string");
    if (!isWindows) {
      assert.throws(() => native.createEvent(), UnsupportedError);
    }
    const buf = new Uint8Array(new ArrayBuffer(16));
    const base = native.bufferAddress(buf);
    assert.equal(typeof base, "bigint");
    assert.ok(base > 0n);
    assert.equal(native.bufferAddress(buf.subarray(5)), base + 5n);
  });
});
