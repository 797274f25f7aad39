// Issue 17 item 9, over the recording fake: txTimestamp, txTimestampPoller(s).poll and
// queryTransportSetting(s, "realTimeNotification") read a fixed-size answer (a UINT64 timestamp,
// a 4-byte REAL_TIME_NOTIFICATION_SETTING_OUTPUT) and now check the count Winsock reports first,
// as the other fixed-size calls do (tests/sio_short_answers_test.ts): a short answer is an Error
// naming the call, the IOCTL and the sizes, never a value — least of all bytes an earlier call
// left in the output (the shared 8-byte scratch held a SOCKET from SIO_BASE_HANDLE; a poller's own
// output held the previous poll's stamp). Codes: SIO_GET_TX_TIMESTAMP = _WSAIOW(IOC_VENDOR, 234)
// = 0x980000EA; SIO_QUERY_TRANSPORT_SETTING = _WSAIOW(IOC_VENDOR, 14) = 0x9800000E.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as sio from "../sio/mod.ts";
import { le } from "./_helpers/bytes.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { claiming } from "./_helpers/sio_record.ts";

const STAMP = 0x0807060504030201n;
const VALUE = le(8, [0, 8, STAMP]);

interface Case {
  name: string;
  run: () => unknown;
  code: number;
  label: string;
  struct: string;
  size: number;
  full: unknown;
}

const CASES: Case[] = [
  {
    name: "txTimestamp",
    run: () => sio.txTimestamp(9n, 1),
    code: 0x980000ea,
    label: "SIO_GET_TX_TIMESTAMP",
    struct: "UINT64",
    size: 8,
    full: STAMP,
  },
  {
    name: "txTimestampPoller",
    run: () => sio.txTimestampPoller(9n).poll(1),
    code: 0x980000ea,
    label: "SIO_GET_TX_TIMESTAMP",
    struct: "UINT64",
    size: 8,
    full: STAMP,
  },
  {
    name: "queryTransportSetting",
    run: () => sio.queryTransportSetting(9n, "realTimeNotification"),
    code: 0x9800000e,
    label: "SIO_QUERY_TRANSPORT_SETTING",
    struct: "REAL_TIME_NOTIFICATION_SETTING_OUTPUT",
    size: 4,
    full: { channelStatus: 0x04030201 }, // no status has that number: returned as is
  },
];

describe("issue 17.9: a short fixed-size answer is an Error, never a value", () => {
  for (const c of CASES) {
    test(`${c.name}: ${c.label} needs ${c.size} bytes written (${c.struct})`, async () => {
      const full = await claiming(c.run, VALUE.subarray(0, c.size), c.size);
      assert.deepEqual(full(), c.full);
      for (const count of [0, 1, c.size - 1]) {
        const short = await claiming(c.run, VALUE.subarray(0, c.size), count);
        assert.throws(short, {
          name: "Error",
          message:
            `${c.name}: ${c.label} reported ${count} bytes written; ${c.struct} has ${c.size}`,
        });
      }
    });
  }

  test("txTimestamp never returns the SOCKET baseHandle left in the shared scratch", async () => {
    const fake = recordingApi();
    const answers: [Uint8Array, number][] = [[le(8, [0, 8, 0x1234n]), 8], [new Uint8Array(0), 0]];
    fake.answer = (_call, output) => {
      const [bytes, count] = answers.shift()!;
      output!.set(bytes);
      return count;
    };
    await withFake(fake, () => {
      assert.equal(sio.baseHandle(9n), 0x1234n);
      assert.throws(() => sio.txTimestamp(9n, 1), {
        message: "txTimestamp: SIO_GET_TX_TIMESTAMP reported 0 bytes written; UINT64 has 8",
      });
    });
    assert.deepEqual(fake.calls.map((c) => c.code), [0x48000022, 0x980000ea]);
  });

  test("a poller never returns its previous stamp for a short answer", async () => {
    const fake = recordingApi();
    const answers: [Uint8Array, number][] = [[VALUE, 8], [new Uint8Array(0), 0], [VALUE, 7]];
    fake.answer = (_call, output) => {
      const [bytes, count] = answers.shift()!;
      output!.set(bytes);
      return count;
    };
    await withFake(fake, () => {
      const poller = sio.txTimestampPoller(9n);
      assert.equal(poller.poll(1), STAMP);
      assert.throws(() => poller.poll(2), { message: /reported 0 bytes written; UINT64 has 8$/ });
      assert.throws(() => poller.poll(3), { message: /reported 7 bytes written; UINT64 has 8$/ });
    });
    assert.equal(fake.calls.length, 3);
  });
});
