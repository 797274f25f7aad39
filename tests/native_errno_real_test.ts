// errno → WSA translation on real loopback sockets through the public API (Socket, ioctl): what
// Winsock answers for a nonblocking connect, an expired receive/send/accept timeout and a send
// without a connection, and what Linux answers after a reset. The pure table and the fake-libc
// layer are in tests/native_errno_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONBIO } from "../codes/mod.ts";
import { WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl } from "../ioctl.ts";
import { Socket } from "../socket.ts";
import { assertWinsock } from "./_helpers/winsock.ts";
import { tcpPair } from "./_helpers/pair.ts";

const WSAEWOULDBLOCK = 10035;
const WSAENOTCONN = 10057;
const WSAETIMEDOUT = 10060;
const WSAECONNRESET = 10054;
const WSAECONNREFUSED = 10061;

const native = nativeApi();
const POSIX_ONLY = native.os === "windows" ? "errno translation is POSIX only" : false;

/** Runs `fn`, which must throw the WinsockError `name` with `code`. */
function assertCode(fn: () => unknown, name: string, code: number): WinsockError {
  const e = assertWinsock(fn, name);
  assert.equal(e.code, code);
  assert.equal(e.errno, undefined);
  return e;
}

/** Spins (bounded) until `fn` stops returning; returns what it threw. */
function untilThrows(fn: () => unknown, ms = 2000): unknown {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      fn();
    } catch (e) {
      return e;
    }
  }
  assert.fail(`no failure within ${ms} ms`);
}

describe(`errno translation on real sockets (${native.runtime}/${native.os})`, () => {
  test("a nonblocking connect under way: WSAEWOULDBLOCK, then WSAEALREADY/WSAEISCONN", {
    skip: POSIX_ONLY,
  }, () => {
    using server = Socket.open("inet", "stream");
    server.bind("127.0.0.1", 0);
    server.listen();
    using client = Socket.open("inet", "stream");
    ioctl(client, FIONBIO, new Uint32Array([1]));
    const port = server.localAddress().port;
    const e = assertCode(() => client.connect("127.0.0.1", port), "WSAEWOULDBLOCK", 10035);
    assert.equal(e.call, "connect");
    // Winsock: WSAEALREADY while it is under way, WSAEISCONN once it completed.
    const again = untilThrows(() => client.connect("127.0.0.1", port));
    assert.ok(again instanceof WinsockError);
    assert.ok(["WSAEALREADY", "WSAEISCONN"].includes(again.name), again.name);
  });

  test("an expired receive timeout: WSAETIMEDOUT (blocking), WSAEWOULDBLOCK (nonblocking)", {
    skip: POSIX_ONLY,
  }, () => {
    using pair = tcpPair();
    pair.peer.setOption("receiveTimeout", 50);
    const into = new Uint8Array(8);
    const started = Date.now();
    const e = assertCode(() => pair.peer.recv(into), "WSAETIMEDOUT", WSAETIMEDOUT);
    assert.equal(e.call, "recv");
    assert.ok(Date.now() - started >= 40, "returned before the timeout");
    // the same socket made nonblocking: nothing to read is WSAEWOULDBLOCK, not a timeout
    ioctl(pair.peer, FIONBIO, new Uint32Array([1]));
    assertCode(() => pair.peer.recv(into), "WSAEWOULDBLOCK", WSAEWOULDBLOCK);
    // and the data still arrives afterwards
    pair.client.send(new Uint8Array([7]));
    const deadline = Date.now() + 2000;
    let n = -1;
    while (n < 0 && Date.now() < deadline) {
      try {
        n = pair.peer.recv(into);
      } catch (err) {
        assert.equal((err as WinsockError).code, WSAEWOULDBLOCK);
      }
    }
    assert.equal(n, 1);
  });

  test("recvFrom on UDP and accept with an expired timeout: WSAETIMEDOUT", {
    skip: POSIX_ONLY,
  }, () => {
    using udp = Socket.open("inet", "dgram");
    udp.bind("127.0.0.1", 0);
    udp.setOption("receiveTimeout", 30);
    assertCode(() => udp.recvFrom(new Uint8Array(8)), "WSAETIMEDOUT", WSAETIMEDOUT);
    using listener = Socket.open("inet", "stream");
    listener.bind("127.0.0.1", 0);
    listener.listen();
    listener.setOption("receiveTimeout", 30);
    assertCode(() => listener.accept(), "WSAETIMEDOUT", WSAETIMEDOUT);
  });

  test("an expired send timeout: WSAETIMEDOUT", { skip: POSIX_ONLY }, () => {
    using pair = tcpPair();
    pair.client.setOption("sendBuffer", 4096);
    pair.client.setOption("sendTimeout", 20);
    const chunk = new Uint8Array(1 << 20);
    // The peer never reads: the buffers fill, then a send waits 20 ms and gives up.
    const e = untilThrows(() => pair.client.send(chunk), 10_000);
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.name, "WSAETIMEDOUT");
    assert.equal(e.code, WSAETIMEDOUT);
  });

  test("send on a TCP socket that never connected: WSAENOTCONN", { skip: POSIX_ONLY }, () => {
    using s = Socket.open("inet", "stream");
    const e = assertCode(() => s.send(new Uint8Array(1)), "WSAENOTCONN", WSAENOTCONN);
    assert.equal(e.call, "send");
    // bound, still not connected
    s.bind("127.0.0.1", 0);
    assertCode(() => s.send(new Uint8Array(1)), "WSAENOTCONN", WSAENOTCONN);
    assertCode(() => s.sendTo(new Uint8Array(1), "127.0.0.1", 9), "WSAENOTCONN", WSAENOTCONN);
  });

  test("send after the peer reset the connection: WSAECONNRESET, then WSAENOTCONN", {
    skip: POSIX_ONLY,
  }, () => {
    using pair = tcpPair();
    pair.peer.setOption("linger", 0); // close sends a reset
    pair.peer.close();
    const first = untilThrows(() => pair.client.send(new Uint8Array(1)));
    assert.ok(first instanceof WinsockError);
    assert.equal(first.name, "WSAECONNRESET");
    assert.equal(first.code, WSAECONNRESET);
    // Linux reports the reset once; the socket then has no peer (Windows would repeat
    // WSAECONNRESET, see ffi/_errno.ts).
    assertCode(() => pair.client.send(new Uint8Array(1)), "WSAENOTCONN", WSAENOTCONN);
  });

  test("SO_ERROR of a refused nonblocking connect: WSAECONNREFUSED", { skip: POSIX_ONLY }, () => {
    let port: number;
    {
      using closed = Socket.open("inet", "stream");
      closed.bind("127.0.0.1", 0);
      port = closed.localAddress().port;
    }
    using s = Socket.open("inet", "stream");
    ioctl(s, FIONBIO, new Uint32Array([1]));
    try {
      s.connect("127.0.0.1", port);
    } catch (e) {
      assert.ok(e instanceof WinsockError);
      if (e.code === WSAECONNREFUSED) return; // refused at once
      assert.equal(e.code, WSAEWOULDBLOCK);
    }
    const deadline = Date.now() + 2000;
    let pending = 0;
    while (pending === 0 && Date.now() < deadline) pending = s.getOption("error");
    assert.equal(pending, WSAECONNREFUSED);
  });
});
