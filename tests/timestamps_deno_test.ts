// TX timestamps on Deno's own UDP socket (Deno.listenDatagram, --unstable-net; Linux): the
// datagrams Deno sends carry no id, so each gets the next value of the socket's OPT_ID counter
// (0 for the first send after setTimestamping), and txTimestampPoller(conn).poll(n) returns its
// stamp, between the clock read before `send` and the one after it resolved. Deno leaves the
// error queue alone, so the stamps wait there across event-loop turns, even while a `receive()`
// is pending. Runs under Deno only (skipped elsewhere).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { setTimestamping, timestampNow, txTimestampPoller } from "../mod.ts";

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno === "object" &&
  typeof (globalThis as { Bun?: unknown }).Bun === "undefined";
const skip = (!isDeno && "Deno's own sockets: run under Deno") ||
  (process.platform !== "linux" && "Linux only");

describe("TX timestamps on a Deno.DatagramConn", { skip }, () => {
  test("counter ids 0, 1, 2 inside their windows; kept across loop turns", async () => {
    const receiver = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    const conn = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    const pending = conn.receive(); // Deno's own read must not take the stamps
    try {
      setTimestamping(conn, { rx: false, tx: true, txBuffered: 4 });
      const windows: [bigint, bigint][] = [];
      for (let i = 0; i < 3; i++) {
        const before = timestampNow();
        await conn.send(new Uint8Array([i]), receiver.addr);
        windows.push([before, timestampNow()]);
      }
      await new Promise((resolve) => setTimeout(resolve, 20)); // a few loop turns
      const poller = txTimestampPoller(conn);
      for (const id of [2, 0, 1]) {
        const stamp = poller.poll(id);
        assert.ok(stamp !== undefined, `no stamp for counter id ${id}`);
        const [before, after] = windows[id];
        assert.ok(before <= stamp && stamp <= after, `${before} <= ${stamp} <= ${after}`);
      }
      assert.equal(poller.poll(3), undefined);
    } finally {
      conn.close();
      receiver.close();
      await pending.catch(() => {});
    }
  });
});
