// socket.release(): the Socket gives its handle up. It acts closed, the handle stays open and is
// the caller's (no close, not from the garbage collector either), the Sockets that borrowed it act
// closed, and overlapped operations started through any of them settle with SocketClosedError,
// each cancelled on its own OVERLAPPED, while an operation started on the raw handle goes on.
// The real native layer (Deno, Bun, Node on Linux), then the recording fake for the overlapped
// operations (an addressListChanges loop: tests/sio_notify_test.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SIO_ADDRESS_LIST_CHANGE } from "../codes/mod.ts";
import { SocketClosedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctlAsync } from "../ioctl_async.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { collectGarbage, skipWithoutGc } from "./_helpers/gc.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { tracked } from "./_helpers/settle.ts";

const LOCAL = "127.0.0.1";
const option = new Float64Array(1);
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** True while `h` is an open socket (SO_TYPE answers). */
const isOpen = (h: bigint) => nativeApi().getOption(h, "type", option) === 0;

/** The closed state, asserted: refuses every call before any native call. */
function assertClosed(s: Socket, call = "release"): void {
  assert.equal(s.closed, true);
  assert.throws(() => s.handle, SocketClosedError);
  assert.throws(() => s.localAddress(), SocketClosedError);
  assert.throws(() => (s as unknown as Record<string, () => unknown>)[call](), SocketClosedError);
}

describe("Socket.release", () => {
  test("returns the open handle, the same socket; the Socket acts closed", () => {
    const s = Socket.open("inet", "dgram");
    s.bind(LOCAL, 0);
    const port = s.localAddress().port;
    const h = s.handle;
    const released = s.release();
    try {
      assert.equal(released, h);
      assertClosed(s);
      s.close(); // a no-op: the handle is not the Socket's any more
      assert.ok(isOpen(h), "close() after release() closed the handle");
      using again = Socket.fromHandle(h);
      assert.equal(again.localAddress().port, port, "still the same socket");
      assert.equal(again.release(), h);
    } finally {
      nativeApi().close(h);
    }
  });

  test("the garbage collector never closes a released handle", async (t) => {
    if (skipWithoutGc(t)) return;
    const handles = (() => {
      const out: bigint[] = [];
      for (let i = 0; i < 10; i++) out.push(Socket.open("inet", "stream").release());
      return out;
    })();
    try {
      await collectGarbage();
      for (const h of handles) assert.ok(isOpen(h), `handle ${h} was closed by a finalizer`);
    } finally {
      for (const h of handles) nativeApi().close(h);
    }
  });

  test("a borrowed Socket has no handle to give: TypeError, and it keeps working", () => {
    using owner = Socket.open("inet", "dgram");
    using b = Socket.borrow(owner.handle);
    assert.throws(() => b.release(), (e: unknown) => {
      assert.ok(e instanceof TypeError, String(e));
      assert.match(e.message, /^release: a borrowed Socket owns no handle to give/);
      return true;
    });
    assert.equal(b.closed, false);
    assert.equal(b.getOption("type"), "dgram");
    assert.equal(owner.closed, false);
  });

  test("a closed Socket refuses", () => {
    const s = Socket.open("inet", "stream");
    s.close();
    assert.throws(() => s.release(), /^SocketClosedError: release: socket is closed/);
  });
});

describe("Socket.release: overlapped operations (recording fake)", () => {
  test("ops through the Socket and its borrowers settle with SocketClosedError; the raw one goes on", async () => {
    const fake = recordingApi();
    fake.answer = (call) => call.overlapped ? { error: 997 } : 0;
    await withFake(fake, async () => {
      const s = Socket.open("inet", "dgram");
      const h = s.handle;
      const b = Socket.borrow(h);
      const own = ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE);
      const borrowed = sio.addressListChange(b);
      const raw = tracked(ioctlAsync(h, SIO_ADDRESS_LIST_CHANGE));
      await tick();
      assert.equal(fake.overlapped.length, 3);
      assert.equal(s.release(), h);
      await assert.rejects(own, /^SocketClosedError: ioctlAsync: socket is closed/);
      await assert.rejects(borrowed, /^SocketClosedError: addressListChange: socket is closed/);
      assert.deepEqual(fake.overlapped.map((o) => o.cancelled), [true, true, false]);
      assert.ok(!fake.log.includes("close"), "release() closed the handle");
      await tick(20);
      assert.equal(raw.settled(), false, "the raw handle's operation was touched");
      fake.overlapped[2].complete(0);
      assert.equal(await raw.promise, 0);
    });
  });

  test("closing (not releasing) the owner: the raw handle's operation ends with 995", async () => {
    const fake = recordingApi();
    fake.answer = (call) => call.overlapped ? { error: 997 } : 0;
    await withFake(fake, async () => {
      const s = Socket.open("inet", "dgram");
      const raw = ioctlAsync(s.handle, SIO_ADDRESS_LIST_CHANGE);
      await tick();
      s.close();
      await assert.rejects(raw, (e: unknown) => e instanceof WinsockError && e.code === 995);
    });
  });
});
