// Regression tests of the reliability review (issue 7), through the public API, on every runtime
// and platform (Linux here; tests/windows/native_reliability_test.ts imports this file and adds
// the Windows-only cases). Each test names the item it guards.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONBIO, FIONREAD } from "../codes/mod.ts";
import { SocketClosedError, UnsupportedError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import * as wsioctl from "../mod.ts";
import { ioctl } from "../ioctl.ts";
import { ioctlAsync } from "../ioctl_async.ts";
import { Socket } from "../socket.ts";
import { collectGarbage, skipWithoutGc } from "./_helpers/gc.ts";
import { tcpPair } from "./_helpers/pair.ts";
import { assertWinsock } from "./_helpers/winsock.ts";

const native = nativeApi();
const isWindows = native.os === "windows";

/** Reads from `s` until `n` bytes came (bounded), for the stream tests. */
function recvExactly(s: Socket, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let got = 0;
  const end = Date.now() + 5000;
  while (got < n && Date.now() < end) got += s.recv(out.subarray(got));
  assert.equal(got, n);
  return out;
}

/** Waits (bounded) until FIONREAD on `s` reports at least `n` bytes. */
function waitReadable(s: Socket, n: number): number {
  const count = new Uint32Array(1);
  const end = Date.now() + 5000;
  do ioctl(s, FIONREAD, null, count); while (count[0] < n && Date.now() < end);
  return count[0];
}

/** A view of `length` bytes at `offset` inside a 64-byte buffer filled with 0xee. */
function guarded(offset: number, length: number): { whole: Uint8Array; view: Uint8Array } {
  const whole = new Uint8Array(new ArrayBuffer(64)).fill(0xee);
  return { whole, view: new Uint8Array(whole.buffer, offset, length) };
}

/** Asserts every byte of `whole` outside [from, to) is still 0xee. */
function assertUntouched(whole: Uint8Array, from: number, to: number): void {
  for (let i = 0; i < whole.length; i++) {
    if (i >= from && i < to) continue;
    assert.equal(whole[i], 0xee, `byte ${i} outside the view [${from}, ${to}) was written`);
  }
}

class ClaimsOneMiB extends Uint8Array {
  override get byteLength(): number {
    return 1 << 20;
  }
  override get length(): number {
    return 1 << 20;
  }
}

describe(`reliability on ${native.runtime}/${native.os}`, () => {
  test("1: recv takes the view's real length, not an instance byteLength property", () => {
    using pair = tcpPair();
    pair.client.send(new Uint8Array(48).fill(7));
    assert.equal(waitReadable(pair.peer, 48), 48);
    const { whole, view } = guarded(8, 8);
    Object.defineProperty(view, "byteLength", { value: 48 });
    Object.defineProperty(view, "byteOffset", { value: 0 });
    Object.defineProperty(view, "buffer", { value: new ArrayBuffer(4096) });
    assert.equal(pair.peer.recv(view), 8);
    assert.deepEqual([...whole.subarray(8, 16)], new Array(8).fill(7));
    assertUntouched(whole, 8, 16);
  });

  test("1: a Uint8Array subclass claiming 1 MiB receives into its 16 real bytes", () => {
    using pair = tcpPair();
    pair.client.send(new Uint8Array(64).fill(3));
    assert.equal(waitReadable(pair.peer, 64), 64);
    const ab = new ArrayBuffer(64);
    const whole = new Uint8Array(ab).fill(0xee);
    const liar = new ClaimsOneMiB(ab, 16, 16);
    assert.equal(liar.byteLength, 1 << 20); // the lie is in place
    assert.equal(pair.peer.recv(liar), 16);
    assertUntouched(whole, 16, 32);
    // recvFrom on the stream socket, through a lying DataView.
    const dv = new DataView(ab, 40, 4);
    Object.defineProperty(dv, "byteLength", { value: 1 << 20 });
    const { bytes, from } = pair.peer.recvFrom(dv);
    assert.equal(bytes, 4);
    assert.deepEqual(from, pair.client.localAddress());
    assertUntouched(whole, 16, 44);
  });

  test("1: send sends the view's real bytes only", () => {
    using pair = tcpPair();
    const ab = new ArrayBuffer(32);
    const whole = new Uint8Array(ab);
    whole.set([1, 2, 3, 4], 4);
    whole.fill(9, 8);
    const view = new Uint8Array(ab, 4, 4);
    Object.defineProperty(view, "byteLength", { value: 20 });
    assert.equal(pair.client.send(view), 4);
    assert.equal(pair.client.send(new ClaimsOneMiB(ab, 4, 4)), 4);
    assert.deepEqual([...recvExactly(pair.peer, 8)], [1, 2, 3, 4, 1, 2, 3, 4]);
    pair.client.close();
    const rest = new Uint8Array(64);
    assert.equal(pair.peer.recv(rest), 0, "nothing beyond the 8 real bytes arrived");
  });

  test("1: sendTo / recvFrom on UDP take real lengths", () => {
    using s = Socket.open("inet", "dgram");
    s.bind("127.0.0.1", 0);
    const me = s.localAddress();
    const data = new Uint8Array(new ArrayBuffer(16)).fill(5);
    const four = data.subarray(0, 4);
    Object.defineProperty(four, "byteLength", { value: 16 });
    assert.equal(s.sendTo(four, me.address, me.port), 4);
    const { whole, view } = guarded(0, 2);
    Object.defineProperty(view, "byteLength", { value: 64 });
    let got: { bytes: number; from: wsioctl.SocketAddress } | undefined;
    try {
      got = s.recvFrom(view);
    } catch (e) {
      // Windows reports a datagram larger than the buffer as WSAEMSGSIZE (after filling it).
      assert.ok(isWindows && (e as Error).name === "WSAEMSGSIZE", String(e));
    }
    if (got !== undefined) assert.equal(got.bytes, 2);
    assertUntouched(whole, 0, 2);
  });

  test("1: ioctl's size guard and WSAIoctl lengths ignore byteLength properties", () => {
    using pair = tcpPair();
    pair.client.send(new Uint8Array(5));
    waitReadable(pair.peer, 5);
    const { whole, view } = guarded(8, 2);
    Object.defineProperty(view, "byteLength", { value: 4 });
    assertWinsock(() => ioctl(pair.peer, FIONREAD, null, view), "WSAEFAULT");
    assert.throws(() => ioctl(pair.peer, FIONREAD, null, new ClaimsOneMiB(2)), (e: unknown) => {
      return (e as Error).name === "WSAEFAULT";
    });
    assertUntouched(whole, 8, 8);
    // A 2-byte input claiming 4 bytes is too short for FIONBIO.
    const flag = new Uint8Array([1, 0]);
    Object.defineProperty(flag, "byteLength", { value: 4 });
    assertWinsock(() => ioctl(pair.peer, FIONBIO, flag), "WSAEFAULT");
  });

  test("4: fromHandle takes the handle over; dropping the first Socket never closes it", async (t) => {
    if (skipWithoutGc(t)) return;
    // a is made and dropped in a frame of its own, so nothing keeps it alive.
    const adopt = (): Socket => {
      const a = Socket.open("inet", "stream");
      const b = Socket.fromHandle(a.handle);
      assert.equal(a.closed, true, "the first Socket gave the handle up");
      assert.throws(() => a.getOption("type"), SocketClosedError);
      a.close(); // a no-op: b owns the handle
      return b;
    };
    const b = adopt();
    await collectGarbage();
    assert.equal(b.getOption("type"), "stream", "the handle is still open under b");
    b.bind("127.0.0.1", 0);
    b.close();
  });

  test("4: a handle closed by its owner is never closed again by a finalizer", async (t) => {
    if (skipWithoutGc(t)) return;
    const closeThroughSecond = (): bigint => {
      const a = Socket.open("inet", "dgram");
      const b = Socket.fromHandle(a.handle);
      const h = b.handle;
      b.close();
      return h;
    };
    const h = closeThroughSecond();
    // The next socket may reuse the number (POSIX always takes the lowest free descriptor).
    using c = Socket.open("inet", "dgram");
    if (!isWindows) assert.equal(c.handle, h);
    await collectGarbage();
    assert.equal(c.getOption("type"), "dgram", "the reused number is still open");
    c.bind("127.0.0.1", 0);
  });

  test("4: a dropped, unclosed Socket is closed by the backstop", async (t) => {
    if (skipWithoutGc(t)) return;
    const forget = (): bigint => Socket.open("inet", "dgram").handle;
    const h = forget();
    await collectGarbage();
    assertWinsock(() => ioctl(h, FIONREAD, null, new Uint32Array(1)), "WSAENOTSOCK");
  });

  test("5: raw handles the platform cannot represent are refused, never truncated", () => {
    using pair = tcpPair();
    pair.client.send(new Uint8Array(3));
    waitReadable(pair.peer, 3);
    const max = native.maxHandle;
    assert.equal(max, isWindows ? 2n ** 64n - 2n : 2n ** 31n - 1n);
    const wide = isWindows ? 2n ** 64n - 1n : 2n ** 32n + pair.peer.handle;
    assert.throws(() => ioctl(wide, FIONREAD, null, new Uint32Array(1)), RangeError);
    assert.throws(() => Socket.fromHandle(wide), RangeError);
    assert.throws(() => ioctl(-1n, FIONREAD, null, new Uint32Array(1)), RangeError);
    // The real socket behind the low bits is untouched and open.
    assert.equal(waitReadable(pair.peer, 3), 3);
  });

  test("9: ioctlAsync, bufferAddress and socketHandle are exported by the package", () => {
    assert.equal(wsioctl.ioctlAsync, ioctlAsync);
    assert.equal(typeof wsioctl.bufferAddress, "function");
    assert.equal(typeof wsioctl.socketHandle, "function");
    const ab = new ArrayBuffer(64);
    const base = wsioctl.bufferAddress(new Uint8Array(ab));
    assert.ok(base > 0n);
    assert.equal(wsioctl.bufferAddress(new Uint8Array(ab, 8)) - base, 8n);
    assert.equal(wsioctl.bufferAddress(new DataView(ab, 24)) - base, 24n);
    // A lying byteOffset changes nothing.
    const lying = new Uint8Array(ab, 16);
    Object.defineProperty(lying, "byteOffset", { value: 0 });
    assert.equal(wsioctl.bufferAddress(lying) - base, 16n);
    assert.throws(() => wsioctl.bufferAddress({} as ArrayBufferView), TypeError);
  });

  test("10: recvFrom on a TCP socket returns the data and the real peer", () => {
    using udp = Socket.open("inet", "dgram");
    udp.bind("127.0.0.1", 0);
    // An earlier UDP recvFrom leaves its sender in the library's scratch space.
    using other = Socket.open("inet", "dgram");
    other.sendTo(new Uint8Array([1]), "127.0.0.1", udp.localAddress().port);
    assert.equal(udp.recvFrom(new Uint8Array(4)).from.port, other.localAddress().port);
    using pair = tcpPair();
    pair.client.send(new Uint8Array([4, 5, 6]));
    waitReadable(pair.peer, 3);
    const into = new Uint8Array(8);
    const { bytes, from } = pair.peer.recvFrom(into);
    assert.equal(bytes, 3);
    assert.deepEqual([...into.subarray(0, 3)], [4, 5, 6]);
    assert.deepEqual(from, pair.client.localAddress());
    // Unconnected: refused before anything is read.
    using lone = Socket.open("inet", "stream");
    assertWinsock(() => lone.recvFrom(new Uint8Array(4)), "WSAENOTCONN");
  });

  test("13: listen refuses backlogs outside 0..2^31-1", () => {
    using s = Socket.open("inet", "stream");
    s.bind("127.0.0.1", 0);
    assert.throws(() => s.listen(-5), /backlog must be in 0\.\.2147483647, got -5/);
    assert.throws(() => s.listen(2 ** 40), RangeError);
    assert.throws(() => s.listen(1.5), TypeError);
    s.listen(0);
  });

  test("13: ioctlAsync checks its options before anything else", async () => {
    using s = Socket.open("inet", "dgram");
    await assert.rejects(
      ioctlAsync(s, FIONREAD, null, null, null as unknown as undefined),
      /options must be an object, got null/,
    );
    await assert.rejects(
      ioctlAsync(s, FIONREAD, null, null, { signal: {} as AbortSignal }),
      /options\.signal must be an AbortSignal, got \[object Object\]/,
    );
    await assert.rejects(
      ioctlAsync(s, FIONREAD, null, null, {
        signal: Object.create(AbortSignal.prototype) as AbortSignal,
      }),
      TypeError,
    );
    if (!isWindows) {
      await assert.rejects(ioctlAsync(s, FIONREAD, null, new Uint32Array(1)), UnsupportedError);
    }
  });

  test("13: a view of a detached buffer is refused, not sent as 0 bytes", () => {
    using pair = tcpPair();
    const data = new Uint8Array(new ArrayBuffer(8));
    structuredClone(data.buffer, { transfer: [data.buffer] });
    assert.equal(data.byteLength, 0);
    assert.throws(() => pair.client.send(data), /data is a view of a detached ArrayBuffer/);
    assert.throws(() => pair.peer.recv(data), TypeError);
    const dv = new DataView(new ArrayBuffer(4));
    structuredClone(dv.buffer, { transfer: [dv.buffer] });
    assert.throws(() => ioctl(pair.peer, FIONREAD, null, dv), /output is a view of a detached/);
    // A zero-length view of a live buffer is fine.
    assert.equal(pair.client.send(new Uint8Array(0)), 0);
  });

  test("13: an IPv4 text on an inet6 socket is quoted as written", () => {
    using s = Socket.open("inet6", "dgram");
    assert.throws(() => s.bind("localhost", 0), (e: unknown) => {
      assert.ok(e instanceof TypeError || e instanceof RangeError);
      assert.match((e as Error).message, /"localhost"/);
      assert.doesNotMatch((e as Error).message, /::ffff:/);
      return true;
    });
  });

  test("13: the library keeps no caller buffer alive", async (t) => {
    if (skipWithoutGc(t)) return;
    using pair = tcpPair();
    const poll = (): WeakRef<Uint32Array> => {
      const count = new Uint32Array(1);
      ioctl(pair.peer, FIONREAD, null, count);
      return new WeakRef(count);
    };
    const ref = poll();
    await collectGarbage();
    assert.equal(ref.deref(), undefined, "the last polled buffer was collected");
  });
});
