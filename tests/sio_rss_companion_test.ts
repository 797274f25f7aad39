// sio/rss.ts and sio/companion.ts over the recording fake of the native layer: the code, input bytes
// and output length each call hands WSAIoctl, byte for byte, the decoding of scripted answers, and
// answers that claim fewer (or other) bytes than the output needs. Codes are the SDK's values written
// out (SIO_QUERY_RSS_PROCESSOR_INFO = _WSAIOR(IOC_WS2, 37), SIO_QUERY_RSS_SCALABILITY_INFO =
// _WSAIOR(IOC_VENDOR, 210), SIO_ASSOCIATE_HANDLE = _WSAIOW(IOC_WS2, 1), SIO_TRANSLATE_HANDLE =
// _WSAIORW(IOC_WS2, 13)); TH_NETDEV 1 and TH_TAPI 2 are winsock2.h's. The companion layout is the
// one sio/companion.ts documents: int @0; TAPI's 32-bit handle @4, extra @8; any other API's 64-bit
// handle @8 (after 4 zero bytes), extra @16. Then every call off Windows on the real native layer.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../errors.ts";
import * as sio from "../sio/mod.ts";
import { le } from "./_helpers/bytes.ts";
import { claiming, expected, failure, seen, shape } from "./_helpers/sio_record.ts";
import { unsupportedOffWindows } from "./_helpers/typed_calls.ts";

const SIO_QUERY_RSS_PROCESSOR_INFO = 0x48000025;
const SIO_QUERY_RSS_SCALABILITY_INFO = 0x580000d2;
const SIO_ASSOCIATE_HANDLE = 0x88000001;
const SIO_TRANSLATE_HANDLE = 0xc800000d;

describe("sio rss: SIO_QUERY_RSS_PROCESSOR_INFO, SIO_QUERY_RSS_SCALABILITY_INFO over the fake", () => {
  // SOCKET_PROCESSOR_AFFINITY: PROCESSOR_NUMBER { WORD Group @0; BYTE Number @2; BYTE Reserved @3 };
  // USHORT NumaNodeId @4; USHORT Reserved @6.
  const affinity = (group: number, number: number, numa: number, junk = 0) =>
    le(8, [0, 2, group], [2, 1, number], [3, 1, junk], [4, 2, numa], [6, 2, junk]);

  test("rssProcessorInfo: 0x48000025, no input, SOCKET_PROCESSOR_AFFINITY 8 out", async () => {
    const { call, result } = await seen(
      () => sio.rssProcessorInfo(9n),
      affinity(0x0102, 3, 0x0405),
    );
    assert.deepEqual(shape(call), expected(SIO_QUERY_RSS_PROCESSOR_INFO, null, 8));
    assert.equal(call.handle, 9n);
    assert.deepEqual(result, { group: 0x0102, number: 3, numaNodeId: 0x0405 });
    // Every field at its widest, the reserved bytes set: they stay out of the answer.
    const wide = await seen(() => sio.rssProcessorInfo(9n), affinity(0xffff, 0xff, 0xffff, 0xff));
    assert.deepEqual(wide.result, { group: 0xffff, number: 0xff, numaNodeId: 0xffff });
  });

  test("rssProcessorInfo refuses an answer shorter than 8 bytes", async () => {
    for (const count of [0, 4, 7]) {
      const run = await claiming(() => sio.rssProcessorInfo(9n), affinity(1, 2, 3), count);
      assert.throws(run, {
        name: "Error",
        message: `rssProcessorInfo: SIO_QUERY_RSS_PROCESSOR_INFO reported ${count} bytes ` +
          "written; SOCKET_PROCESSOR_AFFINITY has 8",
      });
    }
    // Exactly 8: the whole struct is read.
    const run = await claiming(() => sio.rssProcessorInfo(9n), affinity(1, 2, 3), 8);
    assert.deepEqual(run(), { group: 1, number: 2, numaNodeId: 3 });
  });

  test("rssProcessorInfo: WSAENOTCONN hints at a connected socket (UDP too)", async () => {
    const e = await failure(() => sio.rssProcessorInfo(9n), 10057);
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.typedCall, "rssProcessorInfo");
    assert.equal(e.ioctl, "SIO_QUERY_RSS_PROCESSOR_INFO");
    assert.match(e.hint ?? "", /connected socket.*UDP/);
    assert.match(e.message, /^rssProcessorInfo: WSAIoctl\(SIO_QUERY_RSS_PROCESSOR_INFO\) failed/);
  });

  test("rssScalabilityInfo: 0x580000D2, no input, RSS_SCALABILITY_INFO 1 out (a BOOLEAN)", async () => {
    const on = await seen(() => sio.rssScalabilityInfo(9n), new Uint8Array([1]));
    assert.deepEqual(shape(on.call), expected(SIO_QUERY_RSS_SCALABILITY_INFO, null, 1));
    assert.deepEqual(on.result, { rssEnabled: true });
    const off = await seen(() => sio.rssScalabilityInfo(9n), new Uint8Array([0]));
    assert.deepEqual(off.result, { rssEnabled: false });
    const run = await claiming(() => sio.rssScalabilityInfo(9n), new Uint8Array([1]), 0);
    assert.throws(run, {
      name: "Error",
      message: "rssScalabilityInfo: SIO_QUERY_RSS_SCALABILITY_INFO reported 0 bytes written; " +
        "RSS_SCALABILITY_INFO has 1",
    });
  });
});

describe("sio companion: SIO_ASSOCIATE_HANDLE, SIO_TRANSLATE_HANDLE over the fake", () => {
  const H64 = 0x1122334455667788n;
  const netdev = (api: number, handle: bigint) => le(16, [0, 4, api], [8, 8, handle]);
  const tapi = (handle: number) => le(8, [0, 4, 2], [4, 4, handle]);
  /** `head` followed by `tail`. */
  const cat = (head: Uint8Array, tail: number[]) => new Uint8Array([...head, ...tail]);

  test("associateHandle netdev: 0x88000001, int 1 @0, 4 zero bytes, HANDLE @8 (16 bytes)", async () => {
    for (const api of ["netdev", 1] as const) {
      const { call, result } = await seen(() => sio.associateHandle(9n, { api, handle: H64 }));
      assert.deepEqual(shape(call), expected(SIO_ASSOCIATE_HANDLE, netdev(1, H64), 0), String(api));
      assert.equal(result, undefined);
    }
    const max = await seen(() =>
      sio.associateHandle(9n, { api: "netdev", handle: 2n ** 64n - 1n })
    );
    assert.deepEqual(max.call.input, netdev(1, 0xffffffffffffffffn));
  });

  test("associateHandle tapi: int 2 @0, the 32-bit handle @4 (8 bytes), by name or by number", async () => {
    for (const api of ["tapi", 2] as const) {
      const { call } = await seen(() => sio.associateHandle(9n, { api, handle: 0xaabbccddn }));
      assert.deepEqual(shape(call), expected(SIO_ASSOCIATE_HANDLE, tapi(0xaabbccdd), 0));
    }
  });

  test("associateHandle: another API's constant, 64-bit handle layout", async () => {
    const { call } = await seen(() => sio.associateHandle(9n, { api: 0x12345, handle: 7n }));
    assert.deepEqual(shape(call), expected(SIO_ASSOCIATE_HANDLE, netdev(0x12345, 7n), 0));
  });

  test("associateHandle: extra follows the handle (@16, or @8 for TAPI), copied", async () => {
    const extra = new Uint8Array([1, 2, 3, 4, 5]);
    const wide = await seen(() => sio.associateHandle(9n, { api: "netdev", handle: H64, extra }));
    assert.deepEqual(
      shape(wide.call),
      expected(SIO_ASSOCIATE_HANDLE, cat(netdev(1, H64), [1, 2, 3, 4, 5]), 0),
    );
    const narrow = await seen(() => sio.associateHandle(9n, { api: "tapi", handle: 3n, extra }));
    assert.deepEqual(narrow.call.input, cat(tapi(3), [1, 2, 3, 4, 5]));
    // An empty extra adds nothing.
    const none = await seen(() =>
      sio.associateHandle(9n, { api: "tapi", handle: 3n, extra: new Uint8Array(0) })
    );
    assert.deepEqual(none.call.input, tapi(3));
  });

  test("associateHandle: extra's real bytes, whatever view and whatever it claims", async () => {
    const backing = new Uint8Array([9, 9, 0xa, 0xb, 0xc, 9, 9]);
    const sub = backing.subarray(2, 5); // 0a 0b 0c
    const lying = Object.defineProperty(backing.subarray(2, 5), "byteLength", { value: 7 });
    const words = new Uint16Array([0x0201, 0x0403]); // 01 02 03 04
    const dv = new DataView(backing.buffer, 2, 3);
    const cases = [[sub, [0xa, 0xb, 0xc]], [lying, [0xa, 0xb, 0xc]], [words, [1, 2, 3, 4]], [
      dv,
      [0xa, 0xb, 0xc],
    ]] as const;
    for (const [extra, bytes] of cases) {
      const { call } = await seen(() =>
        sio.associateHandle(9n, { api: "netdev", handle: 1n, extra: extra as Uint8Array })
      );
      assert.deepEqual(call.input, cat(netdev(1, 1n), [...bytes]), extra.constructor.name);
    }
  });

  test("associateHandle: no stale bytes from an earlier call", async () => {
    await seen(() => sio.associateHandle(9n, { api: 0xffffffff, handle: 2n ** 64n - 1n }));
    await seen(() => sio.associateHandle(9n, { api: "tapi", handle: 0xffffffffn }));
    const { call } = await seen(() => sio.associateHandle(9n, { api: "netdev", handle: 0n }));
    assert.deepEqual(call.input, netdev(1, 0n));
  });

  test("translateHandle: 0xC800000D, int 4 in, 8 out; 4 bytes returned read as 32-bit, 8 as 64-bit", async () => {
    const cases = [["netdev", 1], ["tapi", 2], [0x12345, 0x12345]] as const;
    for (const [api, value] of cases) {
      const { call, result } = await seen(() => sio.translateHandle(9n, api), le(8, [0, 8, H64]));
      assert.deepEqual(shape(call), expected(SIO_TRANSLATE_HANDLE, le(4, [0, 4, value]), 8));
      assert.equal(result, H64);
    }
    // A provider that answers a DWORD: the 4 bytes it wrote, nothing beyond.
    const dword = await claiming(
      () => sio.translateHandle(9n, "tapi"),
      le(8, [0, 4, 0xfedcba98], [4, 4, 0x55555555]),
      4,
    );
    assert.equal(dword(), 0xfedcba98n);
  });

  test("translateHandle refuses a count that is not a handle's (0, 2, 6)", async () => {
    for (const count of [0, 2, 6]) {
      const run = await claiming(
        () => sio.translateHandle(9n, "netdev"),
        le(8, [0, 8, H64]),
        count,
      );
      assert.throws(run, {
        name: "Error",
        message: `translateHandle: SIO_TRANSLATE_HANDLE reported ${count} bytes written; a ` +
          "handle has 4 (TAPI) or 8",
      });
    }
  });

  test("WSAENOPROTOOPT hints that the provider lacks the companion interface", async () => {
    const calls = [
      [
        "associateHandle",
        "SIO_ASSOCIATE_HANDLE",
        () => sio.associateHandle(9n, { api: "tapi", handle: 1n }),
      ],
      ["translateHandle", "SIO_TRANSLATE_HANDLE", () => sio.translateHandle(9n, "netdev")],
    ] as const;
    for (const [name, ioctl, call] of calls) {
      const e = await failure(call, 10042);
      assert.ok(e instanceof WinsockError, String(e));
      assert.equal(e.name, "WSAENOPROTOOPT");
      assert.equal(e.typedCall, name);
      assert.equal(e.ioctl, ioctl);
      assert.match(e.hint ?? "", /companion interface/);
    }
  });
});

// rssProcessorInfo runs on Linux (sio_portable_linux_test.ts) and is refused on macOS
// (posix_portable_test.ts): not asserted here.
unsupportedOffWindows("sio rss and companion", [
  ["rssScalabilityInfo", "stream", (s) => sio.rssScalabilityInfo(s)],
  ["associateHandle", "stream", (s) => sio.associateHandle(s, { api: "netdev", handle: 1n })],
  ["translateHandle", "stream", (s) => sio.translateHandle(s, "tapi")],
]);
