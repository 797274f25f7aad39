// Timestamped send and receive on real sockets under Wine's ws2_32 (deno.exe, bun.exe, node.exe
// with node:ffi and with koffi). Wine 10 implements neither timestamp: WSASendMsg ignores the
// SO_TIMESTAMP_ID control message and WSARecvMsg attaches no SO_TIMESTAMP. What is asserted is
// what Wine really does:
// - send/sendTo with a timestampId go through WSASendMsg (its pointer from
//   SIO_GET_EXTENSION_FUNCTION_POINTER; ws2_32's export under node:ffi, which binds by name only)
//   and deliver the datagram, or fail with a WinsockError, never a crash; a bad id sends nothing;
// - recvFrom(…, { timestamp: true }) goes through WSARecvMsg (its pointer from the same query, per
//   address family) and returns the bytes and the sender, with `timestamp` undefined; under
//   node:ffi, which cannot call a pointer, it is UnsupportedError before anything is received
//   (the datagram is then read by a plain recvFrom);
// - timestampNow() and timestampFrequency() are QueryPerformanceCounter / QueryPerformanceFrequency.
// Run with WINEDEBUG=+winsock, the trace shows the two extension-function queries and the
// WSASendMsg / WSARecvMsg calls.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nativeApi, nativeLoader } from "../../ffi/select.ts";
import { timestampFrequency, timestampNow } from "../../clock.ts";
import { UnsupportedError, WinsockError } from "../../errors.ts";
import type { Socket } from "../../socket.ts";
import type { TimestampedDatagram } from "../../socket_types.ts";
import { tcpPair, udpPair } from "../_helpers/pair.ts";

const native = nativeApi();
const loader = nativeLoader();

/**
 * `s.recvFrom(into, { timestamp: true })`; under node:ffi (no `callable`) that is asserted to be
 * the UnsupportedError it is, and the datagram is read by a plain recvFrom instead.
 */
function recvStamped(s: Socket, into: Uint8Array): TimestampedDatagram {
  if (loader.callable !== undefined) return s.recvFrom(into, { timestamp: true });
  assert.throws(() => s.recvFrom(into, { timestamp: true }), (e: unknown) => {
    assert.ok(e instanceof UnsupportedError, String(e));
    assert.equal(e.platform, `windows under ${loader.ffi}`);
    assert.match(e.message, /WSARecvMsg/);
    assert.match(e.instead ?? "", /koffi calls it/);
    return true;
  });
  return { ...s.recvFrom(into), timestamp: undefined };
}

const pair = (family: "inet" | "inet6") => udpPair(family, 5000);

const sent = new Uint8Array([0x11, 0x22, 0x33, 0x44]);

describe(`timestamps on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  for (const family of ["inet", "inet6"] as const) {
    test(`${family}: sendTo with a timestampId delivers; recvFrom({ timestamp: true }) reads it`, () => {
      using p = pair(family);
      let n: number | WinsockError;
      try {
        n = p.a.sendTo(sent, p.host, p.port, { timestampId: 1000 });
      } catch (e) {
        assert.ok(e instanceof WinsockError, `not a WinsockError: ${e}`);
        n = e;
      }
      if (native.wine) {
        // Wine sends the datagram and ignores the control message.
        assert.equal(n, 4, String(n));
      }
      if (n === 4) {
        const into = new Uint8Array(16);
        const r = recvStamped(p.b, into);
        assert.equal(r.bytes, 4);
        assert.deepEqual([...into.subarray(0, 4)], [...sent]);
        assert.deepEqual(r.from, p.a.localAddress());
        if (native.wine) assert.equal(r.timestamp, undefined, "Wine attaches no SO_TIMESTAMP");
        assert.ok("timestamp" in r);
      }
    });
  }

  test("send on a connected socket with an id, then a plain recvFrom", () => {
    using p = pair("inet");
    p.a.connect(p.host, p.port);
    for (const id of [0, 77, 0xffffffff]) {
      assert.equal(p.a.send(sent, { timestampId: id }), 4);
      const r = recvStamped(p.b, new Uint8Array(8));
      assert.equal(r.bytes, 4);
      assert.equal(r.timestamp, undefined);
    }
    // The plain calls still work beside them.
    p.a.send(sent);
    assert.equal(p.b.recvFrom(new Uint8Array(8)).bytes, 4);
  });

  test("a bad timestampId sends nothing", () => {
    using p = pair("inet");
    assert.throws(() => p.a.sendTo(sent, p.host, p.port, { timestampId: -1 }), RangeError);
    assert.throws(() => p.a.send(sent, { timestampId: 1.5 }), TypeError);
    p.a.sendTo(new Uint8Array([9]), p.host, p.port); // the next datagram is the first to arrive
    const into = new Uint8Array(8);
    assert.equal(recvStamped(p.b, into).bytes, 1);
    assert.equal(into[0], 9);
  });

  test("a datagram larger than `into` is the WinsockError Windows gives (WSAEMSGSIZE)", () => {
    using p = pair("inet");
    p.a.sendTo(new Uint8Array(100), p.host, p.port, { timestampId: 5 });
    assert.throws(() => recvStamped(p.b, new Uint8Array(10)), (e: unknown) => {
      assert.ok(e instanceof WinsockError, String(e));
      assert.equal(e.code, 10040);
      return true;
    });
  });

  test("a stream socket: timestamp undefined", () => {
    using p = tcpPair();
    p.client.send(sent);
    const r = p.peer.recvFrom(new Uint8Array(8), { timestamp: true });
    assert.equal(r.bytes, 4);
    assert.equal(r.timestamp, undefined);
  });

  test("timestampNow / timestampFrequency: QueryPerformanceCounter / QueryPerformanceFrequency", () => {
    const f = timestampFrequency();
    assert.ok(f > 0n);
    assert.equal(timestampFrequency(), f);
    const t0 = timestampNow();
    const start = Date.now();
    while (Date.now() - start < 20) {
      // about 20 ms
    }
    const t1 = timestampNow();
    assert.ok(t1 > t0, `${t1} > ${t0}`);
    // At least 10 ms of ticks went by (a loose bound: no timing is asserted beyond order).
    assert.ok((t1 - t0) * 1000n / f >= 10n, `${t1 - t0} ticks at ${f}/s`);
  });
});
