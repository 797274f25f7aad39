// TX timestamps on Bun's own UDP socket (Bun.udpSocket; Linux), and the one constraint Bun
// adds: Bun reads a UDP socket's error queue itself on its next event-loop turn (it reports the
// stamp's ENOMSG to the socket's `error` handler), which consumes the TX stamps. So a stamp is
// polled before control returns to the loop: right after `send` (which is synchronous), or in a
// microtask. Both sides are asserted: polled at once, the counter ids 0, 1, 2 come back inside
// their windows; left for a loop turn, the stamp is gone and Bun's handler saw ENOMSG.
// Runs under Bun only (skipped elsewhere).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { setTimestamping, timestampNow, txTimestampPoller } from "../mod.ts";
import type { BunUdpApi } from "./_helpers/bun_udp.ts";

declare const Bun: BunUdpApi;

const skip = (typeof Bun === "undefined" && "Bun's own sockets: run under Bun") ||
  (process.platform !== "linux" && "Linux only");

/** A receiver, and a sender with TX stamps on whose `error` handler reports into `errors`. */
async function stampingPair() {
  const receiver = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0 });
  const errors: string[] = [];
  const sender = await Bun.udpSocket({
    hostname: "127.0.0.1",
    port: 0,
    socket: { error: (e) => void errors.push(String(e)) },
  });
  setTimestamping(sender, { rx: false, tx: true, txBuffered: 4 });
  return {
    receiver,
    sender,
    errors,
    [Symbol.dispose]() {
      sender.close();
      receiver.close();
    },
  };
}

describe("TX timestamps on a Bun udpSocket", { skip }, () => {
  test("polled before the loop turns: counter ids 0, 1, 2 inside their windows", async () => {
    using p = await stampingPair();
    const poller = txTimestampPoller(p.sender);
    for (let id = 0; id < 3; id++) {
      const before = timestampNow();
      assert.equal(p.sender.send(new Uint8Array([id]), p.receiver.port, "127.0.0.1"), true);
      const after = timestampNow();
      const stamp = id === 2
        ? await Promise.resolve().then(() => poller.poll(id))
        : poller.poll(id);
      assert.ok(stamp !== undefined, `no stamp for counter id ${id}`);
      assert.ok(before <= stamp && stamp <= after, `${before} <= ${stamp} <= ${after}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(p.errors, [], "nothing was left for Bun to read");
  });

  test("left for a loop turn, the stamp is Bun's: gone, and its error handler saw ENOMSG", async () => {
    using p = await stampingPair();
    p.sender.send(new Uint8Array([1]), p.receiver.port, "127.0.0.1");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(txTimestampPoller(p.sender).poll(0), undefined, "Bun consumed the stamp");
    assert.equal(p.errors.length, 1, String(p.errors));
    assert.match(p.errors[0], /ENOMSG/);
  });
});
