// TX timestamps on a runtime's own UDP socket (node:dgram, which Deno, Bun and Node all have;
// Linux): setTimestamping on the runtime's socket, datagrams sent through the runtime's API
// carry no id, so each gets the next value of the socket's OPT_ID counter (0 for the first send
// after setTimestamping), and txTimestampPoller(socket).poll(n) returns its stamp. Each stamp
// falls between the clock read before `send` and the one in its callback. The poll runs in the
// send callback: under Bun the runtime reads the socket's error queue itself on its next event
// loop turn (tests/timestamps_bun_test.ts), and Node's loop wakes while a stamp waits there.
// A Socket borrowed on the runtime's handle sends with an id (Linux 6.13 and later).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import {
  handleOf,
  setTimestamping,
  Socket,
  timestampNow,
  txTimestamp,
  txTimestampPoller,
} from "../mod.ts";
import { LINUX_STAMPS, OPT_ID } from "./_helpers/kernel.ts";

function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket("udp4");
  return new Promise((resolve, reject) => {
    s.once("error", reject);
    s.bind(0, "127.0.0.1", () => resolve(s));
  });
}

function close(s: dgram.Socket): Promise<void> {
  return new Promise((resolve) => s.close(() => resolve()));
}

describe("TX timestamps on a node:dgram socket", { skip: !LINUX_STAMPS && "Linux only" }, () => {
  test("sent without ids: counter ids 0, 1, 2, each stamp inside its send's window", async () => {
    const receiver = await bound();
    const sender = await bound();
    const errors: unknown[] = [];
    sender.on("error", (e) => errors.push(e));
    try {
      setTimestamping(sender, { rx: false, tx: true, txBuffered: 4 });
      const poller = txTimestampPoller(sender);
      const port = receiver.address().port;
      for (let id = 0; id < 3; id++) {
        const before = timestampNow();
        const [stamp, after] = await new Promise<[bigint | undefined, bigint]>((resolve, reject) =>
          sender.send(new Uint8Array([id]), port, "127.0.0.1", (e) => {
            if (e) reject(e);
            else resolve([poller.poll(id), timestampNow()]);
          })
        );
        assert.ok(stamp !== undefined, `no stamp for counter id ${id}`);
        assert.ok(before <= stamp && stamp <= after, `${before} <= ${stamp} <= ${after}`);
        assert.equal(poller.poll(id), undefined, "read once");
      }
      assert.deepEqual(errors, []);
    } finally {
      await close(sender);
      await close(receiver);
    }
  });

  test("a Socket borrowed on its handle sends with an id; the runtime's sends keep counting", {
    skip: !OPT_ID && "timestamp ids need Linux 6.13 or later",
  }, async () => {
    const receiver = await bound();
    const sender = await bound();
    try {
      setTimestamping(sender, { rx: false, tx: true, txBuffered: 4 });
      const port = receiver.address().port;
      using borrowed = Socket.borrow(handleOf(sender));
      const before = timestampNow();
      borrowed.sendTo(new Uint8Array([9]), "127.0.0.1", port, { timestampId: 900 });
      const stamp = txTimestamp(sender, 900);
      assert.ok(stamp !== undefined && before <= stamp && stamp <= timestampNow());
      const zero = await new Promise<bigint | undefined>((resolve) =>
        sender.send(new Uint8Array([1]), port, "127.0.0.1", () => resolve(txTimestamp(sender, 0)))
      );
      assert.ok(zero !== undefined, "the runtime's first send got counter id 0");
    } finally {
      await close(sender);
      await close(receiver);
    }
  });
});
