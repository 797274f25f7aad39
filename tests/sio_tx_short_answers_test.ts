// Issue 17 item 9, over the recording fake: txTimestamp and txTimestampPoller(s).poll read a
// UINT64 and now check the count Winsock reports first (the cases of every size, and
// queryTransportSetting(s, "realTimeNotification"), are in tests/sio_short_answers_test.ts): a
// short answer is an Error, never bytes an earlier call left in the output — here the SOCKET that
// SIO_BASE_HANDLE left in the shared 8-byte scratch, and a poller's previous stamp in its own.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as sio from "../sio/mod.ts";
import { le } from "./_helpers/bytes.ts";
import { claiming } from "./_helpers/sio_record.ts";

const STAMP = 0x0807060504030201n;
const VALUE = le(8, [0, 8, STAMP]);

describe("issue 17.9: a short answer never returns what an earlier call left", () => {
  test("txTimestamp never returns the SOCKET baseHandle left in the shared scratch", async () => {
    // Both answers land in the library's one 8-byte scratch output.
    const handle = await claiming(() => sio.baseHandle(9n), le(8, [0, 8, 0x1234n]), 8);
    assert.equal(handle(), 0x1234n);
    const stamp = await claiming(() => sio.txTimestamp(9n, 1), new Uint8Array(0), 0);
    assert.throws(stamp, {
      message: "txTimestamp: SIO_GET_TX_TIMESTAMP reported 0 bytes written; UINT64 has 8",
    });
  });

  test("a poller never returns its previous stamp for a short answer", async () => {
    const poller = sio.txTimestampPoller(9n);
    assert.equal((await claiming(() => poller.poll(1), VALUE, 8))(), STAMP);
    for (const count of [0, 7]) {
      const short = await claiming(() => poller.poll(2), new Uint8Array(0), count);
      assert.throws(short, {
        message:
          `txTimestampPoller: SIO_GET_TX_TIMESTAMP reported ${count} bytes written; UINT64 has 8`,
      });
    }
  });
});
