// The transport-setting and WFP typed calls (sio/transport.ts, sio/wfp.ts) over the recording
// fake: code, input bytes and output length, written here from mstcpip.h (the GUIDs from their
// DEFINE_GUID initializers), never through the struct views; the decoding of scripted answers;
// the variable-size outputs grown while Windows answers "too small" and copied out exactly;
// hostile byte counts refused with a clear Error; the caller's WFP records passed unchanged.
// Then, off Windows, UnsupportedError per call.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../errors.ts";
import {
  applyTransportSetting,
  queryTransportSetting,
  setWfpRedirectRecords,
  wfpAleEndpointHandle,
  wfpRedirectContext,
  wfpRedirectRecords,
} from "../sio/mod.ts";
import { withFake } from "./_helpers/recording_api.ts";
import { guidBytes, le, u32le } from "./_helpers/bytes.ts";
import {
  fakeWithBuffers,
  handed,
  inTurn,
  refusal,
  single,
  type TurnAnswer,
  unsupportedOffWindows,
} from "./_helpers/typed_calls.ts";

// mstcpip.h: SIO_APPLY_TRANSPORT_SETTING = _WSAIOW(IOC_VENDOR,19), SIO_QUERY_TRANSPORT_SETTING =
// _WSAIOW(IOC_VENDOR,20), SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE = _WSAIOR(IOC_VENDOR,205),
// SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS = _WSAIOW(IOC_VENDOR,220), _CONTEXT = (…,221),
// SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS = _WSAIOW(IOC_VENDOR,222).
const APPLY = 0x98000013;
const QUERY = 0x98000014;
const ALE_ENDPOINT = 0x580000cd;
const RECORDS = 0x980000dc;
const CONTEXT = 0x980000dd;
const SET_RECORDS = 0x980000de;

const guid = guidBytes;
// DEFINE_GUID(REAL_TIME_NOTIFICATION_CAPABILITY, 0x6b59819a, 0x5cae, 0x492d, 0xa9, 0x01, 0x2a,
// 0x3c, 0x2c, 0x50, 0x16, 0x4f)
const REAL_TIME = guid(0x6b59819a, 0x5cae, 0x492d, [
  0xa9,
  0x01,
  0x2a,
  0x3c,
  0x2c,
  0x50,
  0x16,
  0x4f,
]);
const BROKER_TEXT = "{0123abcd-4567-89ef-0a1b-2c3d4e5f6071}";
const BROKER = guid(0x0123abcd, 0x4567, 0x89ef, [0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71]);
const OTHER_TEXT = "6843DA03-154A-4616-A508-44371295F96B"; // REAL_TIME_NOTIFICATION_CAPABILITY_EX
const OTHER = guid(0x6843da03, 0x154a, 0x4616, [0xa5, 0x08, 0x44, 0x37, 0x12, 0x95, 0xf9, 0x6b]);

const cat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

/** Runs `fn` over a fake answering each WSAIoctl in turn. */
const answered = (fn: () => unknown, answers: TurnAnswer[]) => inTurn(fn, answers);
/** Writes `bytes` and answers `count` (default their length). */
const writes = (bytes: Uint8Array, count = bytes.length) => (output: Uint8Array) => (
  output.set(bytes), count
);
const tooSmall = (error: number) => () => ({ error });

describe("sio transport: SIO_APPLY_TRANSPORT_SETTING", () => {
  test('"realTimeNotification": REAL_TIME_NOTIFICATION_SETTING_INPUT, id @0, broker @16, 32 bytes', async () => {
    const { call } = await single(() =>
      applyTransportSetting(9n, "realTimeNotification", { brokerEventGuid: BROKER_TEXT })
    );
    handed(call, APPLY, cat(REAL_TIME, BROKER));
  });

  test("a GUID: its 16 bytes, then the value's bytes unchanged (none when left out)", async () => {
    const value = cat(BROKER, new Uint8Array([1, 0, 0, 0])); // _INPUT_EX: broker, Unmark
    handed(
      (await single(() => applyTransportSetting(9n, OTHER_TEXT, value))).call,
      APPLY,
      cat(OTHER, value),
    );
    handed((await single(() => applyTransportSetting(9n, OTHER_TEXT))).call, APPLY, OTHER);
    handed((await single(() => applyTransportSetting(9n, OTHER_TEXT, null))).call, APPLY, OTHER);
    // By its GUID, even the known setting is raw bytes.
    const raw = await single(() =>
      applyTransportSetting(9n, "{6B59819A-5CAE-492D-A901-2A3C2C50164F}", BROKER)
    );
    handed(raw.call, APPLY, cat(REAL_TIME, BROKER));
  });

  test("the value's real extent: a DataView into a larger buffer, a lying byteLength", async () => {
    const backing = new Uint8Array(32).map((_, i) => 100 + i);
    const view = Object.defineProperty(new DataView(backing.buffer, 4, 3), "byteLength", {
      value: 1000,
    });
    const { call } = await single(() => applyTransportSetting(9n, OTHER_TEXT, view));
    handed(call, APPLY, cat(OTHER, new Uint8Array([104, 105, 106])));
  });

  test("a refusal names the call and hints at TCP", async () => {
    const e = await refusal(
      () => applyTransportSetting(9n, "realTimeNotification", { brokerEventGuid: BROKER_TEXT }),
      10022,
    );
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.typedCall, "applyTransportSetting");
    assert.equal(e.ioctl, "SIO_APPLY_TRANSPORT_SETTING");
    assert.match(e.hint ?? "", /TCP/);
  });
});

describe("sio transport: SIO_QUERY_TRANSPORT_SETTING", () => {
  const STATUS = [
    "invalid",
    "softwareSlotAllocated",
    "hardwareSlotAllocated",
    "policyError",
    "systemError",
    "transportDisconnected",
    "serviceUnavailable",
  ];
  test('"realTimeNotification": TRANSPORT_SETTING_ID 16 in, 4 out, { channelStatus } by name', async () => {
    for (const [value, name] of [...STATUS.entries(), [7, 7], [0x7fffffff, 0x7fffffff]]) {
      const { call, result } = await single(
        () => queryTransportSetting(9n, "realTimeNotification"),
        (out) => (out!.set(u32le(value as number)), 4),
      );
      handed(call, QUERY, REAL_TIME, 4);
      assert.deepEqual(result, { channelStatus: name });
    }
  });

  test("a GUID: its 16 bytes in, a 64-byte output (or opts.outputLength), exactly the bytes returned", async () => {
    const reply = new Uint8Array([9, 8, 7, 6, 5]);
    const plain = await answered(() => queryTransportSetting(9n, OTHER_TEXT), [writes(reply)]);
    handed(plain.calls[0], QUERY, OTHER, 64);
    assert.deepEqual(plain.result, reply);
    assert.equal((plain.result as Uint8Array).buffer.byteLength, 5, "a copy, not the buffer");
    const sized = await answered(
      () => queryTransportSetting(9n, OTHER_TEXT, { outputLength: 8 }),
      [tooSmall(122), writes(reply, 2)],
    );
    assert.deepEqual(sized.calls.map((c) => c.outLength), [8, 32]);
    assert.deepEqual(sized.result, new Uint8Array([9, 8]));
  });

  test("a GUID: a count past the buffer is an Error, not a read", async () => {
    const { error } = await answered(
      () => queryTransportSetting(9n, OTHER_TEXT, { outputLength: 4 }),
      [writes(new Uint8Array(4), 5)],
    );
    assert.ok(error instanceof Error && !(error instanceof WinsockError), String(error));
    assert.match(
      error.message,
      /^queryTransportSetting: SIO_QUERY_TRANSPORT_SETTING reported 5 bytes written into a 4-byte buffer/,
    );
  });
});

describe("sio wfp: SIO_QUERY_WFP_*, SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS", () => {
  test("wfpAleEndpointHandle: no input, UINT64 8 out, unsigned", async () => {
    const { call, result } = await single(
      () => wfpAleEndpointHandle(9n),
      (out) => (out!.set(le(8, [0, 8, 0xfedcba9876543210n])), 8),
    );
    assert.deepEqual([call.code, call.input, call.inLength, call.outLength], [
      ALE_ENDPOINT,
      null,
      0,
      8,
    ]);
    assert.equal(result, 0xfedcba9876543210n);
  });

  for (
    const [name, fn, code] of [
      ["wfpRedirectRecords", wfpRedirectRecords, RECORDS],
      ["wfpRedirectContext", wfpRedirectContext, CONTEXT],
    ] as const
  ) {
    test(`${name}: no input, 1024 out; a copy of exactly the bytes returned`, async () => {
      const blob = new Uint8Array(300).map((_, i) => i * 7);
      const { calls, result } = await answered(() => fn(9n), [writes(blob)]);
      assert.equal(calls.length, 1);
      assert.equal(calls[0].code, code);
      assert.equal(calls[0].input, null);
      assert.equal(calls[0].outLength, 1024);
      assert.deepEqual(result, blob);
      assert.equal((result as Uint8Array).buffer.byteLength, 300);
      const empty = await answered(() => fn(9n), [() => 0]);
      assert.deepEqual(empty.result, new Uint8Array(0));
    });

    test(`${name}: ERROR_INSUFFICIENT_BUFFER / WSAEFAULT / WSAENOBUFS: asked again, larger`, async () => {
      const blob = new Uint8Array(5000).fill(0xa5);
      const grown = await answered(() => fn(9n), [
        tooSmall(122),
        tooSmall(10014),
        tooSmall(10055),
        writes(blob),
      ]);
      assert.deepEqual(grown.calls.map((c) => c.outLength), [1024, 4096, 16384, 65536]);
      assert.deepEqual(grown.result, blob);
      const capped = await answered(() => fn(9n), Array(20).fill(tooSmall(122)));
      assert.deepEqual(capped.calls.map((c) => c.outLength).at(-1), 1048576);
      assert.equal(capped.calls.length, 6);
      assert.ok(capped.error instanceof WinsockError, String(capped.error));
      assert.equal(capped.error.code, 122);
      assert.equal(capped.error.typedCall, name);
    });

    test(`${name}: the size the refusal reports (lpcbBytesReturned) is the next buffer's`, async () => {
      const blob = new Uint8Array(5000).fill(0x5a);
      const grown = await answered(() => fn(9n), [
        () => ({ error: 122, bytesReturned: 5000 }),
        writes(blob),
      ]);
      assert.deepEqual(grown.calls.map((c) => c.outLength), [1024, 5000]);
      assert.deepEqual(grown.result, blob);
    });

    test(`${name}: a count past the buffer is an Error; a refusal hints at the redirect`, async () => {
      for (const count of [1025, 0xffffffff]) {
        const { error } = await answered(() => fn(9n), [writes(new Uint8Array(8), count)]);
        assert.ok(error instanceof Error && !(error instanceof WinsockError), String(error));
        assert.match(error.message, new RegExp(`^${name}: SIO_\\w+ reported ${count} bytes`));
      }
      const e = await refusal(() => fn(9n), 10022);
      assert.ok(e instanceof WinsockError, String(e));
      assert.equal(e.typedCall, name);
      assert.match(e.hint ?? "", /ALE_CONNECT_REDIRECT/);
    });
  }

  test("setWfpRedirectRecords: the caller's bytes, unchanged and not copied, their real length", async () => {
    const records = new Uint8Array(40).map((_, i) => 255 - i);
    const { fake, handed: buffers } = fakeWithBuffers();
    await withFake(fake, () => setWfpRedirectRecords(9n, records));
    handed(fake.calls[0], SET_RECORDS, records);
    assert.equal(buffers[0].input, records, "zero-copy: the caller's own view");
    const backing = new Uint8Array(16).map((_, i) => i);
    const view = Object.defineProperty(new DataView(backing.buffer, 2, 5), "byteLength", {
      value: 16,
    });
    const dv = await single(() => setWfpRedirectRecords(9n, view as unknown as Uint8Array));
    handed(dv.call, SET_RECORDS, new Uint8Array([2, 3, 4, 5, 6]));
    const none = await single(() => setWfpRedirectRecords(9n, new Uint8Array(0)));
    handed(none.call, SET_RECORDS, new Uint8Array(0));
  });
});

unsupportedOffWindows("sio transport", [
  [
    "applyTransportSetting",
    "stream",
    (s) => applyTransportSetting(s, "realTimeNotification", { brokerEventGuid: BROKER_TEXT }),
  ],
  ["applyTransportSetting", "dgram", (s) => applyTransportSetting(s, OTHER_TEXT, BROKER)],
  ["queryTransportSetting", "stream", (s) => queryTransportSetting(s, "realTimeNotification")],
  ["queryTransportSetting", "dgram", (s) => queryTransportSetting(s, OTHER_TEXT)],
]);

unsupportedOffWindows("sio wfp", [
  ["wfpAleEndpointHandle", "stream", (s) => wfpAleEndpointHandle(s)],
  ["wfpRedirectRecords", "stream", (s) => wfpRedirectRecords(s)],
  ["wfpRedirectContext", "stream", (s) => wfpRedirectContext(s)],
  ["setWfpRedirectRecords", "stream", (s) => setWfpRedirectRecords(s, new Uint8Array(8))],
]);
