// sio/backlog.ts over the recording fake of the native layer: SIO_IDEAL_SEND_BACKLOG_QUERY byte for
// byte, and idealSendBacklogChange's overlapped path (completed at once, pending then completed,
// failed through the OVERLAPPED as Wine does, aborted, closed, two at once, off Windows). The codes
// are the SDK's values written out.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { u32le } from "./_helpers/bytes.ts";
import { type RecordingApi, recordingApi, withFake } from "./_helpers/recording_api.ts";
import { expected, failure, seen, shape } from "./_helpers/sio_record.ts";

/** Lets timers and pending promises run. */
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `p` has settled yet. */
function tracked<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  p.then(() => done = true, () => done = true);
  return { promise: p, settled: () => done };
}

/** A fake whose overlapped WSAIoctls stay pending (WSA_IO_PENDING) until the test settles them. */
function pendingFake(): RecordingApi {
  const fake = recordingApi();
  fake.answer = (call) => call.overlapped ? { error: 997 } : 0;
  return fake;
}

describe("sio backlog: SIO_IDEAL_SEND_BACKLOG_QUERY and _CHANGE", () => {
  const CHANGE = {
    code: "0x2000747A",
    input: null,
    inLength: 0,
    hasOutput: false,
    outLength: 0,
    overlapped: true,
  };

  test("idealSendBacklog: 0x4004747B, no input, ULONG 4 out, unsigned", async () => {
    const { call, result } = await seen(() => sio.idealSendBacklog(9n), u32le(65536));
    assert.deepEqual(shape(call), expected(0x4004747b, null, 4));
    assert.equal(result, 65536);
    assert.equal(
      (await seen(() => sio.idealSendBacklog(9n), u32le(0xffffffff))).result,
      0xffffffff,
    );
  });

  test("idealSendBacklog's refusals hint at a connected stream socket", async () => {
    const e = await failure(() => sio.idealSendBacklog(9n), 10057);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "idealSendBacklog");
    assert.match(e.hint ?? "", /connected stream/);
  });

  test("idealSendBacklogChange: overlapped 0x2000747A, no buffers; completes at once", async () => {
    const { call, result } = await seen(() => sio.idealSendBacklogChange(9n));
    assert.deepEqual(shape(call), CHANGE);
    assert.equal(result, undefined);
  });

  test("idealSendBacklogChange resolves when the pending operation completes", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const wait = tracked(sio.idealSendBacklogChange(9n, {}));
      await tick(20);
      assert.equal(fake.overlapped.length, 1);
      assert.deepEqual(shape(fake.overlapped[0].call), CHANGE);
      assert.equal(wait.settled(), false, "still waiting");
      fake.overlapped[0].complete(0);
      assert.equal(await wait.promise, undefined);
    });
  });

  test("a failure reported only in the OVERLAPPED (Wine's) comes out named after the call", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const wait = sio.idealSendBacklogChange(9n);
      await tick();
      fake.overlapped[0].complete({ error: 10045 });
      await assert.rejects(wait, (e: unknown) => {
        assert.ok(e instanceof WinsockError, String(e));
        assert.equal(e.code, 10045);
        assert.equal(e.name, "WSAEOPNOTSUPP");
        assert.equal(e.typedCall, "idealSendBacklogChange");
        assert.equal(e.ioctl, "SIO_IDEAL_SEND_BACKLOG_CHANGE");
        assert.match(
          e.message,
          /^idealSendBacklogChange: WSAIoctl\(SIO_IDEAL_SEND_BACKLOG_CHANGE\) failed: WSAEOPNOTSUPP/,
        );
        return true;
      });
    });
  });

  test("a failure at once is named too, with the hint", async () => {
    const e = await failure(() => sio.idealSendBacklogChange(9n), 10057);
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.code, 10057);
    assert.equal(e.typedCall, "idealSendBacklogChange");
    assert.match(e.hint ?? "", /connected stream/);
  });

  test("aborting cancels the operation and rejects with the signal's reason", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const controller = new AbortController();
      const wait = sio.idealSendBacklogChange(9n, { signal: controller.signal });
      await tick();
      const reason = new Error("enough");
      controller.abort(reason);
      await assert.rejects(wait, (e) => e === reason);
      assert.equal(fake.overlapped[0].cancelled, true);
      assert.deepEqual(fake.overlapped[0].settled, { error: 995 });
      assert.ok(fake.log.includes("cancelIo"));
    });
  });

  test("a reason that is itself a WinsockError comes back untouched", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const controller = new AbortController();
      const wait = sio.idealSendBacklogChange(9n, { signal: controller.signal });
      await tick();
      const reason = new WinsockError(10060, { call: "mine" });
      controller.abort(reason);
      await assert.rejects(wait, (e) => e === reason);
    });
  });

  test("an already aborted signal rejects with its reason before any native call", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const reason = new Error("before");
      await assert.rejects(
        sio.idealSendBacklogChange(9n, { signal: AbortSignal.abort(reason) }),
        (e) => e === reason,
      );
    });
    assert.equal(fake.calls.length, 0);
  });

  test("closing the Socket settles a pending wait with SocketClosedError naming the call", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const s = Socket.open("inet", "stream");
      const wait = sio.idealSendBacklogChange(s);
      await tick();
      assert.equal(fake.overlapped.length, 1);
      s.close();
      await assert.rejects(wait, (e: unknown) => {
        assert.ok(e instanceof SocketClosedError, String(e));
        assert.match(e.message, /^idealSendBacklogChange: socket is closed/);
        return true;
      });
    });
  });

  test("closing the owner of a raw handle settles with WSA_OPERATION_ABORTED, named", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const s = Socket.open("inet", "stream");
      const wait = sio.idealSendBacklogChange(s.handle);
      await tick();
      s.close();
      await assert.rejects(wait, (e: unknown) => {
        assert.ok(e instanceof WinsockError, String(e));
        assert.equal(e.code, 995);
        assert.equal(e.typedCall, "idealSendBacklogChange");
        return true;
      });
    });
  });

  test("two waits on one socket settle each on its own", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      using s = Socket.open("inet", "stream");
      const controller = new AbortController();
      const first = tracked(sio.idealSendBacklogChange(s));
      const second = tracked(sio.idealSendBacklogChange(s, { signal: controller.signal }));
      await tick(20);
      assert.equal(fake.overlapped.length, 2);
      assert.equal(first.settled() || second.settled(), false);
      fake.overlapped[0].complete(0);
      assert.equal(await first.promise, undefined);
      await tick(20);
      assert.equal(second.settled(), false, "the second still waits");
      controller.abort(new Error("second"));
      await assert.rejects(second.promise, /second/);
      assert.equal(fake.overlapped[0].cancelled, false);
      assert.equal(fake.overlapped[1].cancelled, true);
    });
  });

  test("off Windows it rejects with UnsupportedError naming the call, before any native call", async () => {
    const fake = recordingApi("linux");
    await withFake(fake, async () => {
      await assert.rejects(sio.idealSendBacklogChange(9n), (e: unknown) => {
        assert.ok(e instanceof UnsupportedError, String(e));
        assert.equal(e.typedCall, "idealSendBacklogChange");
        assert.equal(e.platform, "linux");
        assert.equal(e.ioctl, "SIO_IDEAL_SEND_BACKLOG_CHANGE");
        assert.match(e.message, /^idealSendBacklogChange: SIO_IDEAL_SEND_BACKLOG_CHANGE/);
        return true;
      });
    });
    assert.deepEqual(fake.log, []);
  });
});
