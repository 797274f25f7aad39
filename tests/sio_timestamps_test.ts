// The timestamp typed calls (sio/timestamps.ts) over the recording fake: TIMESTAMPING_CONFIG
// and SIO_GET_TX_TIMESTAMP's buffers byte for byte (written from mstcpip.h with
// tests/_helpers/bytes.ts), WSAEWOULDBLOCK read as `undefined`, and the poller's own buffers, the
// same objects on every poll. Then, on the real native layer off Windows and Linux: each call
// throws UnsupportedError naming itself.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { Socket } from "../socket.ts";
import { setTimestamping, txTimestamp, txTimestampPoller } from "../sio/mod.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { le, u32le } from "./_helpers/bytes.ts";
import {
  fakeWithBuffers,
  handed,
  refusal,
  single,
  unsupportedOffWindows,
} from "./_helpers/typed_calls.ts";

// mstcpip.h: SIO_TIMESTAMPING = _WSAIOW(IOC_VENDOR,235), SIO_GET_TX_TIMESTAMP =
// _WSAIOW(IOC_VENDOR,234).
const TIMESTAMPING = 0x980000eb;
const GET_TX_TIMESTAMP = 0x980000ea;

describe("sio timestamps: SIO_TIMESTAMPING, SIO_GET_TX_TIMESTAMP", () => {
  test("TIMESTAMPING_CONFIG: ULONG Flags @0 (RX 1, TX 2), USHORT TxTimestampsBuffered @4", async () => {
    const both = await single(() =>
      setTimestamping(9n, { rx: true, tx: true, txBuffered: 0xfffe })
    );
    handed(both.call, TIMESTAMPING, le(8, [0, 4, 3], [4, 2, 0xfffe]));
    const rx = await single(() => setTimestamping(9n, { rx: true, tx: false }));
    handed(rx.call, TIMESTAMPING, le(8, [0, 4, 1]));
    const tx = await single(() => setTimestamping(9n, { rx: false, tx: true, txBuffered: 5 }));
    handed(tx.call, TIMESTAMPING, le(8, [0, 4, 2], [4, 2, 5]));
    const off = await single(() => setTimestamping(9n, { rx: false, tx: false }));
    handed(off.call, TIMESTAMPING, le(8));
  });

  test("a refusal hints at the datagram-only rule", async () => {
    const e = await refusal(() => setTimestamping(9n, { rx: true, tx: false }), 10045);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "setTimestamping");
    assert.equal(e.ioctl, "SIO_TIMESTAMPING");
    assert.match(e.hint ?? "", /datagram/);
  });

  test("txTimestamp: UINT32 id in, UINT64 out (the direction bits say input only)", async () => {
    const { call, result } = await single(() => txTimestamp(9n, 0xfedcba98), (out) => {
      out!.set(le(8, [0, 8, 0x0123_4567_89ab_cdefn]));
      return 8;
    });
    handed(call, GET_TX_TIMESTAMP, u32le(0xfedcba98), 8);
    assert.equal(result, 0x0123_4567_89ab_cdefn);
  });

  test("txTimestamp: WSAEWOULDBLOCK is undefined; other refusals throw", async () => {
    const { result } = await single(() => txTimestamp(9n, 1), () => ({ error: 10035 }));
    assert.equal(result, undefined);
    const e = await refusal(() => txTimestamp(9n, 1), 10045);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.code, 10045);
    assert.equal(e.typedCall, "txTimestamp");
    assert.equal(e.ioctl, "SIO_GET_TX_TIMESTAMP");
    assert.match(e.hint ?? "", /datagram/);
  });

  test("txTimestampPoller: its own buffers, the same objects on every poll", async () => {
    const { fake, handed: buffers } = fakeWithBuffers();
    let next = 0n;
    fake.answer = (call, out) => {
      if (call.input![0] === 0) return { error: 10035 };
      out!.set(le(8, [0, 8, ++next]));
      return 8;
    };
    await withFake(fake, () => {
      const poller = txTimestampPoller(9n);
      const other = txTimestampPoller(9n);
      assert.equal(fake.calls.length, 0, "creating a poller calls nothing");
      assert.equal(poller.poll(0), undefined);
      assert.equal(poller.poll(7), 1n);
      assert.equal(poller.poll(0xffffffff), 2n);
      assert.equal(poller.poll(0), undefined);
      assert.equal(other.poll(3), 3n);
      assert.equal(txTimestamp(9n, 3), 4n);
    });
    assert.deepEqual(
      fake.calls.map((c) => [...c.input!]),
      [u32le(0), u32le(7), u32le(0xffffffff), u32le(0), u32le(3), u32le(3)].map((b) => [...b]),
    );
    for (const call of fake.calls) assert.equal(call.outLength, 8);
    const [first, ...polls] = buffers.slice(0, 4);
    for (const b of polls) {
      assert.equal(b.input, first.input, "the same input buffer on every poll");
      assert.equal(b.output, first.output, "the same output buffer on every poll");
    }
    const [otherPoller, shared] = buffers.slice(4);
    assert.notEqual(otherPoller.output, first.output, "each poller owns its buffers");
    assert.notEqual(shared.output!.buffer, first.output!.buffer, "not the shared scratch");
    assert.notEqual(shared.input!.buffer, first.input!.buffer, "not the shared scratch");
  });

  test("txTimestampPoller resolves the Socket on every poll: closed → SocketClosedError", async () => {
    const fake = recordingApi();
    fake.answer = () => ({ error: 10035 });
    await withFake(fake, () => {
      const s = Socket.open("inet", "dgram");
      const poller = txTimestampPoller(s);
      assert.equal(poller.poll(1), undefined);
      assert.equal(fake.calls[0].handle, s.handle);
      s.close();
      assert.throws(() => poller.poll(1), SocketClosedError);
      assert.throws(() => txTimestampPoller(s), SocketClosedError);
    });
    assert.equal(fake.calls.length, 1);
  });

  test("a poller's refusal names txTimestampPoller", async () => {
    const e = await refusal(() => txTimestampPoller(9n).poll(1), 10022);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "txTimestampPoller");
    assert.match(e.message, /^txTimestampPoller: WSAIoctl\(SIO_GET_TX_TIMESTAMP\) failed/);
  });
});

// Linux runs all three (tests/timestamps_linux_test.ts); macOS has RX stamps only, so TX is
// refused there, and every other POSIX system refuses them all.
if (nativeApi().os !== "linux") {
  unsupportedOffWindows("sio timestamps", [
    [
      "setTimestamping",
      "dgram",
      (s) => setTimestamping(s, { rx: true, tx: true, txBuffered: 8 }),
    ],
    ["txTimestamp", "dgram", (s) => txTimestamp(s, 1)],
    ["txTimestampPoller", "dgram", (s) => txTimestampPoller(s).poll(1)],
  ]);
}
