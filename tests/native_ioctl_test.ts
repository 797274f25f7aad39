// The generic ioctl() on real loopback sockets: FIONREAD, FIONBIO, SIOCATMARK with Winsock's
// semantics, buffer-length rules, argument validation and error codes. Runs on Linux under Deno,
// Bun and Node (koffi), and is imported by tests/windows/native_ioctl_test.ts to run under Wine.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  FIONBIO,
  FIONREAD,
  SIO_GET_EXTENSION_FUNCTION_POINTER,
  SIO_TCP_SET_ICW,
  SIOCATMARK,
} from "../codes/mod.ts";
import { SocketClosedError, UnsupportedError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl } from "../ioctl.ts";
import { ioctlAsync } from "../ioctl_async.ts";
import { Socket } from "../socket.ts";
import { assertWinsock } from "./_helpers/winsock.ts";
import { tcpPair } from "./_helpers/pair.ts";

const native = nativeApi();
const isWindows = native.os === "windows";

/** Waits (briefly, bounded) until FIONREAD reports at least `n` bytes. */
function waitReadable(s: Socket, n: number): number {
  const out = new Uint32Array(1);
  const deadline = Date.now() + 2000;
  do {
    ioctl(s, FIONREAD, null, out);
    if (out[0] >= n) return out[0];
  } while (Date.now() < deadline);
  return out[0];
}

describe(`ioctl on ${native.runtime}/${native.os}`, () => {
  test("FIONREAD is 0 on a fresh pair and N after the peer sends N bytes", () => {
    const p = tcpPair();
    try {
      const out = new Uint32Array(1);
      assert.equal(ioctl(p.peer, FIONREAD, null, out), 4);
      assert.equal(out[0], 0);
      assert.equal(p.client.send(new Uint8Array(1234)), 1234);
      assert.equal(waitReadable(p.peer, 1234), 1234);
      p.peer.recv(new Uint8Array(1000));
      ioctl(p.peer, FIONREAD, null, out);
      assert.equal(out[0], 234);
    } finally {
      p.close();
    }
  });

  test("FIONREAD writes 4 bytes into any view and nothing past them", () => {
    const p = tcpPair();
    try {
      p.client.send(new Uint8Array(0x0102));
      waitReadable(p.peer, 0x0102);
      const bytes = new Uint8Array(12).fill(0xee);
      assert.equal(ioctl(p.peer, FIONREAD, null, bytes.subarray(3, 11)), 4);
      assert.deepEqual([...bytes], [0xee, 0xee, 0xee, 2, 1, 0, 0, 0xee, 0xee, 0xee, 0xee, 0xee]);
      const dv = new DataView(new ArrayBuffer(8), 4);
      assert.equal(ioctl(p.peer, FIONREAD, undefined, dv), 4);
      assert.equal(dv.getUint32(0, true), 0x0102);
      const big = new BigUint64Array(1);
      assert.equal(ioctl(p.peer, FIONREAD, null, big), 4);
      assert.equal(big[0], 0x0102n);
    } finally {
      p.close();
    }
  });

  test("FIONBIO makes recv and accept fail with WSAEWOULDBLOCK, and back", () => {
    const p = tcpPair();
    try {
      assert.equal(ioctl(p.peer, FIONBIO, new Uint32Array([1])), 0);
      const e = assertWinsock(() => p.peer.recv(new Uint8Array(4)), "WSAEWOULDBLOCK");
      assert.equal(e.code, 10035);
      p.client.send(new Uint8Array([5]));
      waitReadable(p.peer, 1);
      assert.equal(p.peer.recv(new Uint8Array(4)), 1);
      // Any nonzero u_long turns it on; zero turns it off (then recv would block: not called).
      assert.equal(ioctl(p.peer, FIONBIO, new Uint8Array([0, 0, 0, 0])), 0);
      assert.equal(ioctl(p.peer, FIONBIO, new Uint8Array([0, 1, 0, 0])), 0);
      assertWinsock(() => p.peer.recv(new Uint8Array(4)), "WSAEWOULDBLOCK");

      using server = Socket.open("inet", "stream");
      server.bind("127.0.0.1", 0);
      server.listen();
      ioctl(server, FIONBIO, new Int32Array([-1]));
      assertWinsock(() => server.accept(), "WSAEWOULDBLOCK");
    } finally {
      p.close();
    }
  });

  test("SIOCATMARK is TRUE with no OOB data, FALSE while an OOB byte waits", () => {
    // Wine derives its answer from Linux's "at the mark" reversed, so it answers TRUE while normal
    // data still precedes the mark and FALSE after the OOB byte was read; the POSIX native layer (like
    // Windows' documentation) answers "is an OOB byte waiting".
    const wine = native.wine;
    const p = tcpPair();
    try {
      const mark = new Uint32Array(1);
      const atMark = () => {
        assert.equal(ioctl(p.peer, SIOCATMARK, null, mark), 4);
        return mark[0];
      };
      assert.equal(atMark(), 1);
      p.client.send(new TextEncoder().encode("abc"));
      p.client.send(new Uint8Array([0x21]), { oob: true });
      waitReadable(p.peer, 3);
      // Give the urgent byte time to land as well (loopback: at once; bounded anyway).
      const expected = wine ? 1 : 0;
      for (const end = Date.now() + 2000; atMark() !== expected && Date.now() < end;);
      assert.equal(mark[0], expected, "OOB byte waiting behind normal data");
      const into = new Uint8Array(8);
      assert.equal(p.peer.recv(into), 3);
      assert.equal(new TextDecoder().decode(into.subarray(0, 3)), "abc");
      assert.equal(atMark(), 0, "OOB byte waiting, at the mark");
      assert.equal(p.peer.recv(into, { oob: true }), 1);
      assert.equal(into[0], 0x21);
      assert.equal(atMark(), wine ? 0 : 1, "OOB byte read");
    } finally {
      p.close();
    }
  });

  test("FIONREAD on a listening socket is 0; SIOCATMARK on UDP is WSAEINVAL", () => {
    using server = Socket.open("inet", "stream");
    server.bind("127.0.0.1", 0);
    server.listen();
    const out = new Uint32Array([7]);
    assert.equal(ioctl(server, FIONREAD, null, out), 4);
    assert.equal(out[0], 0);
    using udp = Socket.open("inet", "dgram");
    assert.equal(ioctl(udp, FIONREAD, null, out), 4);
    assert.equal(out[0], 0);
    assertWinsock(() => ioctl(udp, SIOCATMARK, null, out), "WSAEINVAL");
  });

  test("buffers shorter than 4 bytes (or none) fail with WSAEFAULT", () => {
    const p = tcpPair();
    try {
      for (const len of [0, 1, 2, 3]) {
        const guard = new Uint8Array(8).fill(0xaa);
        const view = guard.subarray(2, 2 + len);
        const r = assertWinsock(() => ioctl(p.peer, FIONREAD, null, view), "WSAEFAULT");
        assert.equal(r.code, 10014);
        assert.equal(r.ioctl, "FIONREAD");
        assert.equal(r.call, "WSAIoctl");
        assertWinsock(() => ioctl(p.peer, SIOCATMARK, null, view), "WSAEFAULT");
        assertWinsock(() => ioctl(p.peer, FIONBIO, view), "WSAEFAULT");
        assert.deepEqual([...guard], new Array(8).fill(0xaa));
      }
      const e = assertWinsock(() => ioctl(p.peer, FIONREAD), "WSAEFAULT");
      assert.equal(e.message, "WSAIoctl(FIONREAD) failed: WSAEFAULT (10014): bad address");
      assertWinsock(() => ioctl(p.peer, FIONBIO, null, new Uint32Array(1)), "WSAEFAULT");
    } finally {
      p.close();
    }
  });

  test("a bogus handle fails with WSAENOTSOCK", () => {
    const handle = isWindows ? 0xdead0n : 99999n;
    const e = assertWinsock(() => ioctl(handle, FIONREAD, null, new Uint32Array(1)), "WSAENOTSOCK");
    assert.equal(e.code, 10038);
    assert.equal(e.ioctl, "FIONREAD");
    assertWinsock(() => ioctl(handle, FIONBIO, new Uint32Array([1])), "WSAENOTSOCK");
  });

  test("arguments are validated before any native call", () => {
    using s = Socket.open("inet", "stream");
    const out = new Uint32Array(1);
    assert.throws(() => ioctl(s, "FIONREAD" as unknown as number, null, out), TypeError);
    assert.throws(() => ioctl(s, 0x4004667fn as unknown as number, null, out), TypeError);
    // The library's one rule for codes (checkCode): integers in -2^31..2^32-1; a non-integer
    // number is a TypeError, like every integer argument of the library.
    assert.throws(() => ioctl(s, -(2 ** 31) - 1, null, out), RangeError);
    assert.throws(() => ioctl(s, 2 ** 32, null, out), RangeError);
    assert.throws(() => ioctl(s, 1.5, null, out), TypeError);
    assert.throws(() => ioctl(s, NaN, null, out), TypeError);
    assert.throws(() => ioctl(s, Infinity, null, out), TypeError);
    assert.throws(() => ioctl(s, FIONREAD, null, [0, 0, 0, 0] as unknown as Uint8Array), {
      name: "TypeError",
      message: /output/,
    });
    assert.throws(() => ioctl(s, FIONBIO, new ArrayBuffer(4) as unknown as Uint8Array), {
      name: "TypeError",
      message: /input/,
    });
    assert.throws(() => ioctl(42 as unknown as bigint, FIONREAD, null, out), TypeError);
    s.close();
    assert.throws(() => ioctl(s, FIONREAD, null, out), SocketClosedError);
  });

  test("codes the platform cannot run", () => {
    using s = Socket.open("inet", "stream");
    if (isWindows) {
      // An unknown code reaches Winsock, which refuses it.
      const e = assertWinsock(
        () => ioctl(s, 0x12345678, null, new Uint32Array(1)),
        "WSAEOPNOTSUPP",
      );
      assert.equal(e.code, 10045);
      assert.equal(e.ioctl, "0x12345678");
      return;
    }
    for (const code of [SIO_TCP_SET_ICW, SIO_GET_EXTENSION_FUNCTION_POINTER, 0x12345678]) {
      let caught: unknown;
      try {
        // A bogus handle: an UnsupportedError (not WSAENOTSOCK) proves no native call was made.
        ioctl(99999n, code, new Uint8Array(64), new Uint8Array(64));
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof UnsupportedError, String(caught));
      assert.equal(caught.code, code);
      assert.equal(caught.platform, native.os);
    }
    const e = (() => {
      try {
        ioctl(s, SIO_TCP_SET_ICW, new Uint8Array(4), null);
      } catch (e) {
        return e as UnsupportedError;
      }
    })();
    assert.equal(e?.ioctl, "SIO_TCP_SET_ICW");
    // The message names the code and the platform, then what the platform offers instead (the
    // `instead` of ffi/_posix_portable.ts, where it has one).
    const head = `SIO_TCP_SET_ICW (0x98000016) is unsupported on ${native.os}`;
    assert.equal(e?.message, e?.instead === undefined ? head : `${head}: ${e.instead}`);
  });

  test("ioctlAsync validates like ioctl; off Windows it is unsupported", async () => {
    using s = Socket.open("inet", "dgram");
    await assert.rejects(ioctlAsync(s, 2 ** 32), RangeError); // -1 is a code now (0xFFFFFFFF)
    await assert.rejects(ioctlAsync(s, FIONREAD, null, {} as Uint8Array), TypeError);
    if (!isWindows) {
      await assert.rejects(ioctlAsync(s, FIONREAD, null, new Uint32Array(1)), UnsupportedError);
    }
    s.close();
    await assert.rejects(ioctlAsync(s, FIONREAD, null, new Uint32Array(1)), SocketClosedError);
  });

  test("the error code survives the trip through the adapter", () => {
    // The same native failure, read right after the call, for three different codes.
    const p = tcpPair();
    try {
      ioctl(p.peer, FIONBIO, new Uint32Array([1]));
      assert.equal(
        assertWinsock(() => p.peer.recv(new Uint8Array(1)), "WSAEWOULDBLOCK").code,
        10035,
      );
      assert.equal(
        assertWinsock(() => ioctl(99999n, FIONREAD, null, new Uint32Array(1)), "WSAENOTSOCK").code,
        10038,
      );
      assert.equal(
        assertWinsock(() => ioctl(p.peer, FIONREAD, null, null), "WSAEFAULT").code,
        10014,
      );
      // And the adapter reports the last one.
      assert.equal(native.lastError(), 10014);
    } finally {
      p.close();
    }
  });
});
