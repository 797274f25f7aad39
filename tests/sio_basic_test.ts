// The three Unix-compatible typed calls on real sockets: Linux under Deno, Bun and Node, and
// (imported by tests/windows/sio_basic_test.ts) Winsock under Wine. Winsock's meaning everywhere.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { atOobMark, bytesAvailable, setNonBlocking } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { assertWinsock } from "./_helpers/winsock.ts";
import { tcpPair } from "./_helpers/pair.ts";

const native = nativeApi();

/** Waits (bounded) until bytesAvailable reports at least `n`. */
function waitAvailable(s: Socket | bigint, n: number): number {
  const deadline = Date.now() + 2000;
  let got: number;
  do got = bytesAvailable(s); while (got < n && Date.now() < deadline);
  return got;
}

describe(`sio basic calls on ${native.runtime}/${native.os}`, () => {
  test("bytesAvailable: 0 on a fresh pair, N after N bytes, on a Socket and its raw handle", () => {
    using p = tcpPair();
    assert.equal(bytesAvailable(p.peer), 0);
    p.client.send(new Uint8Array(1234));
    assert.equal(waitAvailable(p.peer, 1234), 1234);
    assert.equal(bytesAvailable(p.peer.handle), 1234);
    p.peer.recv(new Uint8Array(1000));
    assert.equal(bytesAvailable(p.peer), 234);
  });

  test("setNonBlocking: recv fails with WSAEWOULDBLOCK, and works once data is there", () => {
    using p = tcpPair();
    setNonBlocking(p.peer, true);
    const e = assertWinsock(() => p.peer.recv(new Uint8Array(4)), "WSAEWOULDBLOCK");
    assert.equal(e.code, 10035);
    p.client.send(new Uint8Array([7]));
    waitAvailable(p.peer, 1);
    assert.equal(p.peer.recv(new Uint8Array(4)), 1);
    setNonBlocking(p.peer, false);
    setNonBlocking(p.peer.handle, true);
    assertWinsock(() => p.peer.recv(new Uint8Array(4)), "WSAEWOULDBLOCK");
  });

  test("atOobMark: true with no urgent data; false while an OOB byte waits at the mark", () => {
    using p = tcpPair();
    assert.equal(atOobMark(p.peer), true);
    p.client.send(new Uint8Array([0x21]), { oob: true });
    // Wine reverses Linux's "at the mark" answer (see tests/native_ioctl_test.ts): with the
    // urgent byte first in line, Linux says "at the mark", Wine then answers FALSE as Windows does.
    const deadline = Date.now() + 2000;
    while (atOobMark(p.peer) && Date.now() < deadline);
    assert.equal(atOobMark(p.peer), false, "an OOB byte is waiting");
    assert.equal(p.peer.recv(new Uint8Array(1), { oob: true }), 1);
  });

  test("atOobMark on a datagram socket is WSAEINVAL, naming the call with a hint", () => {
    using s = Socket.open("inet", "dgram");
    const e = assertWinsock(() => atOobMark(s), "WSAEINVAL");
    assert.equal(e.code, 10022);
    assert.equal(e.typedCall, "atOobMark");
    assert.match(e.message, /^atOobMark: WSAIoctl\(SIOCATMARK\) failed: WSAEINVAL/);
    assert.match(e.hint ?? "", /stream socket/);
  });

  test("a handle that is no socket: WSAENOTSOCK; a closed Socket: SocketClosedError", () => {
    const bogus = native.os === "windows" ? 0xdead0n : 99999n;
    const e = assertWinsock(() => bytesAvailable(bogus), "WSAENOTSOCK");
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "bytesAvailable");
    const s = Socket.open("inet", "stream");
    s.close();
    assert.throws(() => bytesAvailable(s), SocketClosedError);
    assert.throws(() => setNonBlocking(s, true), {
      name: "SocketClosedError",
      message: /setNonBlocking/,
    });
  });
});
