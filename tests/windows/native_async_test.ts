// Async notifications through the port under Wine: WSAEventSelect + a wait that does not block
// the event loop (nonblocking FFI call on Deno, zero-timeout polling on Bun), overlapped WSAIoctl
// of a *_CHANGE code with cancellation, and AbortSignal.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONREAD, SIO_ADDRESS_LIST_CHANGE } from "../../codes/mod.ts";
import { SocketClosedError } from "../../errors.ts";
import { nativeApi } from "../../ffi/select.ts";
import { OVERLAPPED_SIZE } from "../../ffi/native.ts";
import { ioctlAsync } from "../../ioctl_async.ts";
import { Socket } from "../../socket.ts";
import { tcpPair } from "../_helpers/pair.ts";
import { startAddressListChange } from "../_helpers/overlapped.ts";

const native = nativeApi();
const FD_READ = 1;

describe(`async notifications on ${native.runtime}/${native.os}`, () => {
  test("WSAEventSelect(FD_READ): the wait times out, then fires when the peer sends", async () => {
    using pair = tcpPair();
    const { client, peer } = pair;
    const event = native.createEvent();
    assert.ok(event > 0n);
    try {
      assert.equal(native.eventSelect(peer.handle, event, FD_READ), 0);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const quiet = await native.waitEvent(event, 150);
      clearInterval(timer);
      assert.equal(quiet, false);
      assert.ok(ticks > 0, "the event loop kept running during the wait");
      setTimeout(() => client.send(new Uint8Array([1, 2, 3])), 20);
      assert.equal(await native.waitEvent(event, 5000), true);
      assert.equal(native.eventSelect(peer.handle, event, 0), 0);
    } finally {
      native.closeEvent(event);
    }
  });

  test("overlapped SIO_ADDRESS_LIST_CHANGE is pending, then cancelled", async () => {
    using s = Socket.open("inet", "dgram");
    const event = native.createEvent();
    const overlapped = new Uint8Array(new ArrayBuffer(OVERLAPPED_SIZE));
    try {
      const r = startAddressListChange(native, s.handle, overlapped, event);
      assert.equal(r, -1);
      assert.equal(native.lastError(), 997); // WSA_IO_PENDING
      assert.equal(await native.waitEvent(event, 50), false);
      assert.equal(native.overlappedResult(s.handle, overlapped), -1);
      assert.equal(native.lastError(), 996); // WSA_IO_INCOMPLETE
      assert.equal(native.cancelIo(s.handle, overlapped), 0);
      assert.equal(await native.waitEvent(event, 5000), true);
      assert.equal(native.overlappedResult(s.handle, overlapped), -1);
      assert.equal(native.lastError(), 995); // WSA_OPERATION_ABORTED
    } finally {
      native.closeEvent(event);
    }
  });

  test("an AbortSignal ends the wait", async () => {
    const event = native.createEvent();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("stop")), 30);
      await assert.rejects(native.waitEvent(event, Infinity, controller.signal), /stop/);
    } finally {
      native.closeEvent(event);
    }
  });

  test("ioctlAsync: a code that completes at once resolves with its byte count", async () => {
    using pair = tcpPair();
    const { client, peer } = pair;
    client.send(new Uint8Array(9));
    const out = new Uint32Array(1);
    for (const end = Date.now() + 2000; out[0] < 9 && Date.now() < end;) {
      assert.equal(await ioctlAsync(peer, FIONREAD, null, out), 4);
    }
    assert.equal(out[0], 9);
  });

  test("ioctlAsync: SIO_ADDRESS_LIST_CHANGE waits until aborted", async () => {
    using s = Socket.open("inet", "dgram");
    const controller = new AbortController();
    const pending = ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, {
      signal: controller.signal,
    });
    let settled = false;
    pending.then(() => settled = true, () => settled = true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(settled, false);
    controller.abort(new Error("enough"));
    await assert.rejects(pending, /enough/);
    // The socket is still usable afterwards.
    assert.equal(s.getOption("type"), "dgram");
    const aborted = new AbortController();
    aborted.abort(new Error("before"));
    await assert.rejects(
      ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal: aborted.signal }),
      /before/,
    );
  });

  test("ioctlAsync: closing the socket ends the wait with SocketClosedError", async () => {
    const s = Socket.open("inet", "dgram");
    const pending = ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    s.close();
    await assert.rejects(pending, SocketClosedError);
  });
});
