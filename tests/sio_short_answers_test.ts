// The typed calls whose output is one fixed-size value (a u_long, BOOL, ULONG, DWORD, SOCKET,
// pointer or UINT64) read it from scratch space the library reuses across calls. Over the
// recording fake: a call that reports fewer bytes written than the value has is refused with an
// Error naming the call, the IOCTL and the sizes, so a short answer can never hand back the value
// an earlier call left in the scratch; the full size returns the bytes written. Codes are the
// SDK's values written out: FIONREAD = _IOR('f', 127, u_long), SIOCATMARK = _IOR('s', 7, u_long),
// SIO_IDEAL_SEND_BACKLOG_QUERY = _IOR('t', 123, ULONG), SIO_BASE_HANDLE = _WSAIOR(IOC_WS2, 34),
// SIO_BSP_HANDLE / _SELECT / _POLL = _WSAIOR(IOC_WS2, 27 / 28 / 29),
// SIO_GET_EXTENSION_FUNCTION_POINTER = _WSAIORW(IOC_WS2, 6),
// SIO_CHK_QOS = mIOC_IN | mIOC_OUT | mIOC_VENDOR | mCOMPANY | ioctl_code (qossp.h: 0x80000000 |
// 0x40000000 | 0x04000000 | 0x18000000 | 1),
// SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE = _WSAIOR(IOC_VENDOR, 205),
// SIO_GET_TX_TIMESTAMP = _WSAIOW(IOC_VENDOR, 234), SIO_QUERY_TRANSPORT_SETTING =
// _WSAIOW(IOC_VENDOR, 20) (both answer in their output all the same).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as sio from "../sio/mod.ts";
import { le } from "./_helpers/bytes.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { claiming } from "./_helpers/sio_record.ts";

interface Case {
  name: string;
  run: () => unknown;
  code: number;
  label: string;
  struct: string;
  size: 4 | 8;
  /** What the call returns when the value's bytes are 0x01, 0x02, … little-endian. */
  full: unknown;
}

const N4 = 0x04030201;
const N8 = 0x0807060504030201n;

const CASES: Case[] = [
  {
    name: "bytesAvailable",
    run: () => sio.bytesAvailable(9n),
    code: 0x4004667f,
    label: "FIONREAD",
    struct: "u_long",
    size: 4,
    full: N4,
  },
  {
    name: "atOobMark",
    run: () => sio.atOobMark(9n),
    code: 0x40047307,
    label: "SIOCATMARK",
    struct: "BOOL",
    size: 4,
    full: true,
  },
  {
    name: "idealSendBacklog",
    run: () => sio.idealSendBacklog(9n),
    code: 0x4004747b,
    label: "SIO_IDEAL_SEND_BACKLOG_QUERY",
    struct: "ULONG",
    size: 4,
    full: N4,
  },
  {
    name: "baseHandle",
    run: () => sio.baseHandle(9n),
    code: 0x48000022,
    label: "SIO_BASE_HANDLE",
    struct: "SOCKET",
    size: 8,
    full: N8,
  },
  {
    name: "bspHandle",
    run: () => sio.bspHandle(9n, "send"),
    code: 0x4800001b,
    label: "SIO_BSP_HANDLE",
    struct: "SOCKET",
    size: 8,
    full: N8,
  },
  {
    name: "bspHandle",
    run: () => sio.bspHandle(9n, "select"),
    code: 0x4800001c,
    label: "SIO_BSP_HANDLE_SELECT",
    struct: "SOCKET",
    size: 8,
    full: N8,
  },
  {
    name: "bspHandle",
    run: () => sio.bspHandle(9n, "poll"),
    code: 0x4800001d,
    label: "SIO_BSP_HANDLE_POLL",
    struct: "SOCKET",
    size: 8,
    full: N8,
  },
  {
    name: "extensionFunction",
    run: () => sio.extensionFunction(9n, "AcceptEx"),
    code: 0xc8000006,
    label: "SIO_GET_EXTENSION_FUNCTION_POINTER",
    struct: "a function pointer",
    size: 8,
    full: N8,
  },
  {
    name: "checkQos",
    run: () => sio.checkQos(9n, "lineRate"),
    code: 0xdc000001,
    label: "SIO_CHK_QOS",
    struct: "DWORD",
    size: 4,
    full: N4,
  },
  {
    name: "wfpAleEndpointHandle",
    run: () => sio.wfpAleEndpointHandle(9n),
    code: 0x580000cd,
    label: "SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE",
    struct: "UINT64",
    size: 8,
    full: N8,
  },
  // Issue 17 item 9: the timestamp reads and the real-time notification status.
  {
    name: "txTimestamp",
    run: () => sio.txTimestamp(9n, 1),
    code: 0x980000ea,
    label: "SIO_GET_TX_TIMESTAMP",
    struct: "UINT64",
    size: 8,
    full: N8,
  },
  {
    name: "txTimestampPoller",
    run: () => sio.txTimestampPoller(9n).poll(1),
    code: 0x980000ea,
    label: "SIO_GET_TX_TIMESTAMP",
    struct: "UINT64",
    size: 8,
    full: N8,
  },
  {
    name: "queryTransportSetting",
    run: () => sio.queryTransportSetting(9n, "realTimeNotification"),
    code: 0x98000014,
    label: "SIO_QUERY_TRANSPORT_SETTING",
    struct: "REAL_TIME_NOTIFICATION_SETTING_OUTPUT",
    size: 4,
    full: { channelStatus: N4 }, // no status has that number: returned as is
  },
];

const VALUE = le(8, [0, 8, N8]); // 01 02 03 04 05 06 07 08

describe("fixed-size answers: a short count is refused, never read from stale scratch", () => {
  for (const c of CASES) {
    test(`${c.name}: ${c.label} needs ${c.size} bytes written (${c.struct})`, async () => {
      const full = await claiming(c.run, VALUE.subarray(0, c.size), c.size);
      assert.deepEqual(full(), c.full);
      for (const count of [0, c.size - 1]) {
        const short = await claiming(c.run, VALUE.subarray(0, c.size), count);
        assert.throws(short, {
          name: "Error",
          message:
            `${c.name}: ${c.label} reported ${count} bytes written; ${c.struct} has ${c.size}`,
        });
      }
    });
  }

  test("a short answer after a full one throws instead of returning the earlier value", async () => {
    // The first FIONREAD writes 7 and reports 4; the second writes nothing and reports 0. The
    // scratch still holds 7: the call must not return it.
    const fake = recordingApi();
    const answers: [Uint8Array, number][] = [[le(4, [0, 4, 7]), 4], [new Uint8Array(0), 0]];
    fake.answer = (call, output) => {
      assert.equal(call.code, 0x4004667f);
      const [bytes, count] = answers.shift()!;
      output!.set(bytes);
      return count;
    };
    await withFake(fake, () => {
      assert.equal(sio.bytesAvailable(9n), 7);
      assert.throws(() => sio.bytesAvailable(9n), {
        message: "bytesAvailable: FIONREAD reported 0 bytes written; u_long has 4",
      });
    });
    assert.equal(fake.calls.length, 2);
  });

  test("every case hands WSAIoctl its own code with an output of the value's size", async () => {
    for (const c of CASES) {
      const fake = recordingApi();
      fake.answer = (_call, output) => (output!.set(VALUE.subarray(0, c.size)), c.size);
      await withFake(fake, c.run);
      assert.equal(fake.calls.length, 1, c.label);
      assert.equal(fake.calls[0].code, c.code, c.label);
      assert.equal(fake.calls[0].outLength, c.size, c.label);
    }
  });
});
