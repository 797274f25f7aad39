// tcpInfo's polling path with `into` (sio/tcp.ts) over the recording fake: the bytes of a view
// seen before are reused without the full checks, yet a view whose buffer was detached or shrunk
// since, or replaced, is caught before any native call (inside socketHandle:
// hostile_order_test.ts). And the short-answer check (sio/_written.ts) still refuses a short
// count on the polling path. Pure: runs anywhere.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { tcpInfo } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { TcpInfoV0, TcpInfoV1 } from "../structs/mod.ts";
import { fakeWithBuffers } from "./_helpers/typed_calls.ts";
import { withFake } from "./_helpers/recording_api.ts";

/** A TcpInfoV0 over its own transferable (resizable when asked) buffer. */
function info(maxByteLength?: number): { into: TcpInfoV0; buffer: ArrayBuffer } {
  const buffer = maxByteLength === undefined
    ? new ArrayBuffer(88)
    : new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(
      88,
      { maxByteLength },
    );
  return { into: TcpInfoV0.at(buffer), buffer };
}

/** Detaches `buffer` (transfers it away). */
function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

describe("tcpInfo(s, version, into): the polling path", () => {
  test("the same bytes are handed on every poll; Mss comes back each time", async () => {
    const { fake, handed } = fakeWithBuffers();
    let mss = 0;
    fake.answer = (_call, out) => (out![4] = ++mss, 88);
    const { into } = info();
    await withFake(fake, () => {
      for (let i = 1; i <= 3; i++) assert.equal(tcpInfo(9n, 0, into).mss, i);
    });
    assert.equal(handed.length, 3);
    for (const h of handed) assert.equal(h.output, handed[0].output);
    for (const h of handed) assert.equal(h.input, handed[0].input, "one input per version");
  });

  test("a buffer detached after a poll: TypeError naming into.view, no native call", async () => {
    const { fake } = fakeWithBuffers();
    fake.answer = () => 88;
    const { into, buffer } = info();
    await withFake(fake, () => {
      tcpInfo(9n, 0, into);
      detach(buffer);
      assert.throws(() => tcpInfo(9n, 0, into), {
        name: "TypeError",
        message: /into\.view.*detached/,
      });
    });
    assert.equal(fake.calls.length, 1);
  });

  test("a resizable buffer shrunk after a poll: RangeError with the real length", {
    skip: typeof (ArrayBuffer.prototype as { resize?: unknown }).resize !== "function" &&
      "no resizable ArrayBuffer here",
  }, async () => {
    const { fake } = fakeWithBuffers();
    fake.answer = () => 88;
    const { into, buffer } = info(200);
    await withFake(fake, () => {
      tcpInfo(9n, 0, into);
      (buffer as unknown as { resize(n: number): void }).resize(40);
      assert.throws(() => tcpInfo(9n, 0, into), { name: "RangeError", message: /got 0|got 40/ });
      (buffer as unknown as { resize(n: number): void }).resize(88);
      assert.equal(tcpInfo(9n, 0, into), into, "usable again once it has the bytes");
    });
    assert.equal(fake.calls.length, 2);
  });

  test("into.view replaced after a poll: the new view's bytes are handed", async () => {
    const { fake, handed } = fakeWithBuffers();
    fake.answer = () => 136;
    const into = TcpInfoV1.alloc();
    const other = new DataView(new ArrayBuffer(200), 32, 136);
    await withFake(fake, () => {
      tcpInfo(9n, 1, into);
      Object.defineProperty(into, "view", { value: other });
      tcpInfo(9n, 1, into);
    });
    assert.equal(handed[1].output!.buffer, other.buffer);
    assert.equal(handed[1].output!.byteOffset, 32);
    assert.notEqual(handed[1].output!.buffer, handed[0].output!.buffer);
  });

  test("a Socket look-alike, whose getters would run the caller's code, is refused first", async () => {
    // A detach inside the handle's resolution on the polling path: tests/hostile_order_test.ts
    // (a runtime socket's getter), since socketHandle reads a Socket through its own getters.
    const { fake } = fakeWithBuffers();
    fake.answer = () => 88;
    const { into } = info();
    const hostile = Object.create(Socket.prototype, {
      closed: { get: () => false },
      handle: { value: 9n },
    }) as Socket;
    await withFake(fake, () => {
      tcpInfo(9n, 0, into); // seen once: its bytes are kept
      assert.throws(() => tcpInfo(hostile, 0, into), { name: "TypeError", message: /look-alike/ });
    });
    assert.equal(fake.calls.length, 1, "no WSAIoctl for the look-alike");
  });

  test("a short count on the polling path is still refused", async () => {
    const { fake } = fakeWithBuffers();
    const into = TcpInfoV1.alloc();
    let count = 136;
    fake.answer = () => count;
    await withFake(fake, () => {
      tcpInfo(9n, 1, into);
      count = 135;
      assert.throws(() => tcpInfo(9n, 1, into), {
        message: "tcpInfo: SIO_TCP_INFO reported 135 bytes written; TCP_INFO_v1 has 136",
      });
    });
  });
});
