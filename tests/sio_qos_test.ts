// The QoS typed calls (sio/qos.ts) over the recording fake: the QOS each set call hands WSAIoctl,
// byte for byte from winsock2.h/qos.h's layout (FLOWSPEC 32 bytes at 0x00 and 0x20, WSABUF
// ProviderSpecific at 0x40: ULONG len, pointer buf at 0x48), written here with
// tests/_helpers/bytes.ts, never through the struct views — including the provider bytes that
// follow the QOS and the pointer to them (the fake reports a distinct address per buffer). The
// reading side: a QOS scripted into the output, the size Windows asks for (WSAENOBUFS, the
// output's first ULONG), and hostile answers (byte counts, pointers and object lengths outside
// what was written) refused with a clear Error. Then, off Windows, UnsupportedError per call.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../errors.ts";
import { checkQos, groupQos, qos, setGroupQos, setQos } from "../sio/mod.ts";
import { distinctAddresses, type IoctlAnswer, withFake } from "./_helpers/recording_api.ts";
import { type Field, le, u32le } from "./_helpers/bytes.ts";
import {
  fakeWithBuffers,
  handed,
  inTurn,
  refusal,
  single,
  type TurnAnswer,
  unsupportedOffWindows,
} from "./_helpers/typed_calls.ts";

// winsock2.h / ws2def.h: SIO_GET_QOS = _WSAIORW(IOC_WS2,7), SIO_GET_GROUP_QOS =
// _WSAIORW(IOC_WS2,8), SIO_SET_QOS = _WSAIOW(IOC_WS2,11), SIO_SET_GROUP_QOS =
// _WSAIOW(IOC_WS2,12); qossp.h: SIO_CHK_QOS = mIOC_IN|mIOC_OUT|mIOC_VENDOR|mCOMPANY|1.
const GET_QOS = 0xc8000007;
const GET_GROUP_QOS = 0xc8000008;
const SET_QOS = 0x8800000b;
const SET_GROUP_QOS = 0x8800000c;
const CHK_QOS = 0xdc000001;
const NOT_SPECIFIED = 0xffffffff;

/** The eight ULONGs of a FLOWSPEC at `base`, in order (TokenRate … MinimumPolicedSize). */
const flowspec = (base: number, values: number[]): Field[] =>
  values.map((v, i): Field => [base + 4 * i, 4, v]);
const unspecified = Array(8).fill(NOT_SPECIFIED);
const SENDING = [1000, 2000, 3000, 4000, 5000, 2, 1500, 64];
const RECEIVING = [11, 12, 13, 14, 15, 3, 16, 17];
const NAMES = [
  "tokenRate",
  "tokenBucketSize",
  "peakBandwidth",
  "latency",
  "delayVariation",
  "serviceType",
  "maxSduSize",
  "minimumPolicedSize",
];
const asObject = (values: number[]) => Object.fromEntries(NAMES.map((k, i) => [k, values[i]]));

/** A QOS_OBJECT_HDR and its data: ObjectType, ObjectLength (header included), the bytes. */
function object(type: number, data: number[], length = 8 + data.length): number[] {
  return [...le(8, [0, 4, type], [4, 4, length]), ...data];
}
const END_OF_LIST = object(2001, []); // qos.h: QOS_GENERAL_ID_BASE 2000 + 1
const SD_MODE = object(2002, [...u32le(2)]); // QOS_OBJECT_SD_MODE: ULONG ShapeDiscardMode

/** Runs one set call over a fake reporting a distinct address per buffer. */
async function sent(fn: () => unknown) {
  const { fake, handed: buffers } = fakeWithBuffers();
  fake.address = distinctAddresses();
  await withFake(fake, fn);
  assert.equal(fake.calls.length, 1, "exactly one WSAIoctl");
  return { call: fake.calls[0], input: buffers[0].input!, address: fake.address };
}

describe("sio qos: SIO_SET_QOS / SIO_SET_GROUP_QOS", () => {
  test("{}: both FLOWSPECs QOS_NOT_SPECIFIED, ProviderSpecific { 0, NULL }, 80 bytes", async () => {
    for (const [call, code] of [[setQos, SET_QOS], [setGroupQos, SET_GROUP_QOS]] as const) {
      const { call: c } = await single(() => call(9n, {}));
      handed(c, code, le(80, ...flowspec(0x00, unspecified), ...flowspec(0x20, unspecified)));
    }
  });

  test("given fields where given, QOS_NOT_SPECIFIED elsewhere", async () => {
    const { call } = await single(() =>
      setQos(9n, { sending: { tokenRate: 65536, serviceType: 1 }, receiving: asObject(RECEIVING) })
    );
    const sendingValues = [65536, ...unspecified.slice(1)];
    sendingValues[5] = 1;
    handed(call, SET_QOS, le(80, ...flowspec(0x00, sendingValues), ...flowspec(0x20, RECEIVING)));
    const zeros = await single(() => setQos(9n, { sending: asObject(Array(8).fill(0)) }));
    handed(zeros.call, SET_QOS, le(80, ...flowspec(0x20, unspecified)));
  });

  test("provider bytes: copied after the QOS, len = their length, buf = the copy's address", async () => {
    const provider = new Uint8Array([...SD_MODE, ...END_OF_LIST]); // 20 bytes
    for (const [call, code] of [[setQos, SET_QOS], [setGroupQos, SET_GROUP_QOS]] as const) {
      const { call: c, input, address } = await sent(() =>
        call(9n, { sending: asObject(SENDING), providerSpecific: provider })
      );
      // The pointer: the fake's address of the library's copy, 80 bytes into the input buffer.
      const copyAddress = address(input) + 80n;
      assert.notEqual(input.buffer, provider.buffer, "the input is the library's buffer");
      const expected = new Uint8Array(100);
      expected.set(le(80, ...flowspec(0, SENDING), ...flowspec(0x20, unspecified)));
      expected.set(le(16, [0, 4, 20], [8, 8, copyAddress]), 0x40);
      expected.set(provider, 80);
      handed(c, code, expected);
      assert.equal(c.inLength, 100);
    }
  });

  test("provider bytes from any view, by their real extent; a lying byteLength is ignored", async () => {
    const backing = new Uint8Array(64).map((_, i) => i);
    const view = new DataView(backing.buffer, 8, 12);
    Object.defineProperty(view, "byteLength", { value: 4000 });
    const { input, call } = await sent(() => setQos(9n, { providerSpecific: view }));
    assert.equal(call.inLength, 92);
    assert.deepEqual([...call.input!.subarray(80)], [...backing.subarray(8, 20)]);
    assert.equal(new DataView(input.buffer).getUint32(0x40, true), 12);
    // An empty view: no provider bytes at all.
    const empty = await single(() => setQos(9n, { providerSpecific: new Uint8Array(0) }));
    handed(
      empty.call,
      SET_QOS,
      le(80, ...flowspec(0, unspecified), ...flowspec(0x20, unspecified)),
    );
  });

  test("what qos() returns is accepted back as is", async () => {
    const { call } = await single(() =>
      setQos(
        9n,
        {
          sending: asObject(SENDING),
          receiving: asObject(RECEIVING),
          providerSpecific: new Uint8Array(0),
          objects: [],
        } as Parameters<typeof setQos>[1],
      )
    );
    handed(call, SET_QOS, le(80, ...flowspec(0, SENDING), ...flowspec(0x20, RECEIVING)));
  });

  test("a refusal names the call; WSA_QOS_ESERVICETYPE hints at ServiceType", async () => {
    const e = await refusal(() => setQos(9n, {}), 11016);
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.typedCall, "setQos");
    assert.equal(e.ioctl, "SIO_SET_QOS");
    assert.match(e.hint ?? "", /ServiceType/);
    const g = await refusal(() => setGroupQos(9n, {}), 10045);
    assert.ok(g instanceof WinsockError);
    assert.equal(g.typedCall, "setGroupQos");
    assert.match(g.hint ?? "", /GQoS/);
  });
});

/** A QOS answer: the QOS, ProviderSpecific { len, buf }, and bytes placed at their offsets. */
function qosAnswer(len: number, buf: bigint, ...placed: [number, number[]][]): Uint8Array {
  const end = Math.max(80, ...placed.map(([at, bytes]) => at + bytes.length));
  const b = le(end, ...flowspec(0, SENDING), ...flowspec(0x20, RECEIVING), [0x40, 4, len], [
    0x48,
    8,
    buf,
  ]);
  for (const [at, bytes] of placed) b.set(bytes, at);
  return b;
}

/** Runs `fn` (default `qos(9n)`) over a fake answering each WSAIoctl in turn. */
const reading = (answers: TurnAnswer[], fn: () => unknown = () => qos(9n)) => inTurn(fn, answers);

/** Scripts one successful answer of `bytes`, returning `count` (default: their length). */
const answer = (make: (base: bigint) => Uint8Array, count?: number) =>
(
  output: Uint8Array,
  base: bigint,
) => {
  const bytes = make(base);
  output.set(bytes);
  return count ?? bytes.length;
};

describe("sio qos: SIO_GET_QOS / SIO_GET_GROUP_QOS", () => {
  const provider = [...SD_MODE, ...object(1000, [1, 2, 3, 4, 5, 6, 7, 8]), ...END_OF_LIST];

  test("no input, a 1024-byte output; the QOS and its objects decoded", async () => {
    for (const [call, code] of [[qos, GET_QOS], [groupQos, GET_GROUP_QOS]] as const) {
      const { calls, result, error } = await reading([
        answer((base) => qosAnswer(provider.length, base + 80n, [80, provider])),
      ], () => call(9n));
      assert.equal(error, undefined);
      assert.equal(calls[0].code, code);
      assert.equal(calls[0].input, null);
      assert.equal(calls[0].inLength, 0);
      assert.equal(calls[0].outLength, 1024);
      assert.deepEqual(result, {
        sending: asObject(SENDING),
        receiving: asObject(RECEIVING),
        providerSpecific: new Uint8Array(provider),
        objects: [
          { type: 2002, data: new Uint8Array(u32le(2)) },
          { type: 1000, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
        ],
      });
    }
  });

  test("no provider bytes (len 0): none, whatever buf says; the walk stops at END_OF_LIST", async () => {
    const none = await reading([answer(() => qosAnswer(0, 0xdeadn))]);
    assert.deepEqual((none.result as { objects: unknown[] }).objects, []);
    assert.equal((none.result as { providerSpecific: Uint8Array }).providerSpecific.length, 0);
    // After END_OF_LIST, bytes that are no object at all are not read as one.
    const tail = [...END_OF_LIST, ...le(8, [4, 4, 0])];
    const stop = await reading([answer((b) => qosAnswer(16, b + 200n, [200, tail]))]);
    assert.equal(stop.error, undefined);
    assert.deepEqual((stop.result as { objects: unknown[] }).objects, []);
  });

  test("WSAENOBUFS with the size needed in the first ULONG: asked again with that size", async () => {
    const { calls, result } = await reading([
      (out) => (out.set(u32le(3000)), { error: 10055 }),
      answer((base) => qosAnswer(provider.length, base + 2900n, [2900, provider])),
    ]);
    assert.deepEqual(calls.map((c) => c.outLength), [1024, 3000]);
    assert.equal((result as { objects: unknown[] }).objects.length, 2);
  });

  test("WSAEFAULT without a size: the buffer grows four times; other errors are thrown", async () => {
    const { calls, error } = await reading([
      () => ({ error: 10014 }),
      () => ({ error: 10014 }),
      () => ({ error: 10057 }),
    ]);
    assert.deepEqual(calls.map((c) => c.outLength), [1024, 4096, 16384]);
    assert.ok(error instanceof WinsockError, String(error));
    assert.equal(error.name, "WSAENOTCONN");
    assert.equal(error.typedCall, "qos");
    assert.equal(error.ioctl, "SIO_GET_QOS");
    assert.match(error.hint ?? "", /connected/);
  });

  test("bounded: 8 calls at most, 1 MiB at most; a size asked past 1 MiB is an Error", async () => {
    const always = await reading(Array(20).fill(() => ({ error: 10055 })));
    assert.deepEqual(always.calls.map((c) => c.outLength), [
      1024,
      4096,
      16384,
      65536,
      262144,
      1048576,
    ]);
    assert.ok(always.error instanceof WinsockError);
    assert.equal(always.error.name, "WSAENOBUFS");
    const creeping = await reading(
      Array(20).fill(null).map((_, i) => (out: Uint8Array) => (
        out.set(u32le(1025 + i)), { error: 10055 }
      )),
    );
    assert.equal(creeping.calls.length, 8);
    assert.ok(creeping.error instanceof WinsockError);
    const huge = await reading([(out) => (out.set(u32le(0x7fffffff)), { error: 10055 })]);
    assert.equal(huge.calls.length, 1);
    assert.ok(huge.error instanceof Error && !(huge.error instanceof WinsockError));
    assert.match(huge.error.message, /^qos: SIO_GET_QOS asked for a 2147483647-byte buffer/);
  });

  // Hostile answers: each is a clear Error naming the call, and nothing past the bytes returned
  // is read.
  const HOSTILE: [string, (out: Uint8Array, base: bigint) => IoctlAnswer, RegExp][] = [
    [
      "a count past the buffer",
      answer(() => qosAnswer(0, 0n), 1025),
      /1025 bytes written into a 1024-byte/,
    ],
    ["fewer than 80 bytes", answer(() => qosAnswer(0, 0n), 79), /79 bytes, fewer than a QOS's 80/],
    [
      "provider bytes past the bytes returned",
      answer((b) => qosAnswer(20, b + 80n, [80, provider.slice(0, 20)]), 90),
      /ProviderSpecific claims 20 bytes at offset 80 .* 10 bytes returned/,
    ],
    [
      "a pointer before the buffer",
      answer((b) => qosAnswer(8, b - 8n, [80, END_OF_LIST])),
      /offset -8/,
    ],
    ["a NULL pointer", answer(() => qosAnswer(8, 0n, [80, END_OF_LIST])), /at offset -\d+ /],
    [
      "a pointer into the QOS itself",
      answer((b) => qosAnswer(8, b + 0x40n, [80, END_OF_LIST])),
      /offset 64/,
    ],
    [
      "a length of 4 GiB - 1",
      answer((b) => qosAnswer(0xffffffff, b + 80n, [80, END_OF_LIST])),
      /claims 4294967295 bytes/,
    ],
    [
      "an object of length 0 (would loop)",
      answer((b) => qosAnswer(16, b + 80n, [80, object(2002, [0, 0, 0, 0, 0, 0, 0, 0], 0)])),
      /object 0 \(type 2002\) at offset 0 claims 0 bytes; it needs 8\.\.16/,
    ],
    [
      "an object longer than what is left",
      answer((b) => qosAnswer(20, b + 80n, [80, [...SD_MODE, ...object(2003, [], 9)]])),
      /object 1 \(type 2003\) at offset 12 claims 9 bytes; it needs 8\.\.8/,
    ],
    [
      "a header cut short",
      answer((b) => qosAnswer(15, b + 80n, [80, [...SD_MODE, 1, 2, 3]])),
      /3 bytes at offset 12 cannot hold a QOS_OBJECT_HDR/,
    ],
  ];
  for (const [what, hostile, message] of HOSTILE) {
    test(`hostile answer: ${what}`, async () => {
      const { error, calls } = await reading([hostile]);
      assert.equal(calls.length, 1);
      assert.ok(error instanceof Error && !(error instanceof WinsockError), String(error));
      assert.match(error.message, /^qos: /);
      assert.match(error.message, message);
    });
  }
});

describe("sio qos: SIO_CHK_QOS", () => {
  const QUERIES = [
    ["allowedToSendData", 50001],
    ["ableToRecvRsvp", 50002],
    ["lineRate", 50003],
    ["localTrafficControl", 50004],
    ["localQosability", 50005],
    ["endToEndQosability", 50006],
  ] as const;
  for (const [name, value] of QUERIES) {
    test(`checkQos("${name}") and checkQos(${value}): DWORD ${value} in, DWORD out`, async () => {
      const byName = await single(() => checkQos(9n, name), (out) => (out!.set(u32le(7)), 4));
      handed(byName.call, CHK_QOS, u32le(value), 4);
      assert.equal(byName.result, 7);
      const byNumber = await single(() => checkQos(9n, value), (out) => (
        out!.set(u32le(0xffffffff)), 4
      ));
      handed(byNumber.call, CHK_QOS, u32le(value), 4);
      assert.equal(byNumber.result, 0xffffffff, "INFO_NOT_AVAILABLE, unsigned");
    });
  }

  test("a refusal names checkQos and SIO_CHK_QOS", async () => {
    const e = await refusal(() => checkQos(9n, "lineRate"), 10042);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "checkQos");
    assert.equal(e.ioctl, "SIO_CHK_QOS");
    assert.match(e.hint ?? "", /GQoS/);
  });
});

unsupportedOffWindows("sio qos", [
  ["qos", "stream", (s) => qos(s)],
  ["groupQos", "dgram", (s) => groupQos(s)],
  ["setQos", "stream", (s) => setQos(s, { providerSpecific: new Uint8Array(END_OF_LIST) })],
  ["setGroupQos", "dgram", (s) => setGroupQos(s, {})],
  ["checkQos", "dgram", (s) => checkQos(s, "localQosability")],
]);
