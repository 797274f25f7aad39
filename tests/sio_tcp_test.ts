// The TCP and timestamp typed calls (sio/tcp.ts, sio/timestamps.ts) over the recording fake:
// the code, the input bytes and the output length each hands WSAIoctl, written here from the
// SDK's layouts (mstcpip.h) with tests/_helpers/bytes.ts, never through the struct views; the
// decoding of scripted outputs; the no-allocation shape of the polling paths (the same buffers
// on every poll). Then, on the real native layer off Windows: every call but setKeepAlive throws
// UnsupportedError naming the typed call (setKeepAlive's translation is tested with ffi/).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import type { NativeApi } from "../ffi/native.ts";
import { nativeApi } from "../ffi/select.ts";
import { Socket } from "../socket.ts";
import {
  setKeepAlive,
  setTcpAckFrequency,
  setTcpInitialCongestionWindow,
  setTcpInitialRto,
  setTimestamping,
  type SocketRef,
  tcpInfo,
  txTimestamp,
  txTimestampPoller,
} from "../sio/mod.ts";
import { TCP_ICW_LEVEL, TcpInfoV0, TcpInfoV1, TcpInfoV2 } from "../structs/mod.ts";
import {
  type IoctlAnswer,
  type RecordedIoctl,
  type RecordingApi,
  recordingApi,
  withFake,
} from "./_helpers/recording_api.ts";
import { le, u32le } from "./_helpers/bytes.ts";

/** The buffers the native layer was handed, per WSAIoctl (object identity, not copies). */
interface Handed {
  input: Uint8Array | null;
  output: Uint8Array | null;
}

/** A recording fake that also keeps the very buffer objects each WSAIoctl received. */
function fakeWithBuffers(): { fake: RecordingApi; handed: Handed[] } {
  const fake = recordingApi();
  const handed: Handed[] = [];
  const api = fake.api as { wsaIoctl: NativeApi["wsaIoctl"] };
  const recorded = api.wsaIoctl;
  api.wsaIoctl = (s, code, input, inLength, output, outLength) => {
    handed.push({ input, output });
    return recorded(s, code, input, inLength, output, outLength);
  };
  return { fake, handed };
}

/** Runs `fn` once against a fake answering with `answer`; returns its one WSAIoctl and result. */
async function single<T>(
  fn: () => T,
  answer: (output: Uint8Array | null) => IoctlAnswer = () => 0,
): Promise<{ call: RecordedIoctl; result: T }> {
  const fake = recordingApi();
  fake.answer = (_call, output) => answer(output);
  const result = await withFake(fake, fn);
  assert.equal(fake.calls.length, 1, "exactly one WSAIoctl");
  return { call: fake.calls[0], result };
}

/** Asserts what one WSAIoctl received: handle 9n, the code, the input bytes, the output length. */
function handed(call: RecordedIoctl, code: number, input: Uint8Array, outLength = 0): void {
  assert.equal(call.handle, 9n);
  assert.equal(call.code, code, `code 0x${call.code.toString(16)}, want 0x${code.toString(16)}`);
  assert.deepEqual(call.input, input);
  assert.equal(call.inLength, input.length);
  assert.equal(call.outLength, outLength);
  assert.equal(call.hasOutput, outLength > 0);
  assert.equal(call.overlapped, false);
}

/** The error `fn` throws under a fake that refuses every WSAIoctl with `code`. */
async function refusal(fn: () => unknown, code: number): Promise<unknown> {
  const fake = recordingApi();
  fake.answer = () => ({ error: code });
  return await withFake(fake, () => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    assert.fail("no error");
  });
}

// mstcpip.h: SIO_KEEPALIVE_VALS = _WSAIOW(IOC_VENDOR,4), SIO_TCP_INFO = _WSAIORW(IOC_VENDOR,39),
// SIO_TCP_INITIAL_RTO = _WSAIOW(IOC_VENDOR,17), SIO_TCP_SET_ICW = _WSAIOW(IOC_VENDOR,22),
// SIO_TCP_SET_ACK_FREQUENCY = _WSAIOW(IOC_VENDOR,23), SIO_TIMESTAMPING = _WSAIOW(IOC_VENDOR,235),
// SIO_GET_TX_TIMESTAMP = _WSAIOW(IOC_VENDOR,234).
const KEEPALIVE_VALS = 0x98000004;
const TCP_INFO = 0xd8000027;
const INITIAL_RTO = 0x98000011;
const SET_ICW = 0x98000016;
const SET_ACK_FREQUENCY = 0x98000017;
const TIMESTAMPING = 0x980000eb;
const GET_TX_TIMESTAMP = 0x980000ea;

describe("sio tcp: SIO_KEEPALIVE_VALS", () => {
  test("tcp_keepalive: ULONG onoff @0, keepalivetime @4, keepaliveinterval @8; no output", async () => {
    const on = await single(() =>
      setKeepAlive(9n, { enabled: true, timeMs: 30000, intervalMs: 1500 })
    );
    handed(on.call, KEEPALIVE_VALS, le(12, [0, 4, 1], [4, 4, 30000], [8, 4, 1500]));
    assert.equal(on.result, undefined);
  });

  test("enabled: false still sends the (checked) times, onoff 0", async () => {
    const off = await single(() =>
      setKeepAlive(9n, { enabled: false, timeMs: 0xffffffff, intervalMs: 0 })
    );
    handed(off.call, KEEPALIVE_VALS, le(12, [0, 4, 0], [4, 4, 0xffffffff], [8, 4, 0]));
  });
});

/** TCP_INFO_v2 bytes with a distinct value in every field, at the SDK's offsets. */
function tcpInfoBytes(size: number): Uint8Array {
  const v0: [number, 1 | 2 | 4 | 8, number | bigint][] = [
    [0x00, 4, 4], // TCPSTATE State: ESTABLISHED
    [0x04, 4, 1460], // ULONG Mss
    [0x08, 8, 0x1_0000_0002n], // ULONG64 ConnectionTimeMs
    [0x10, 1, 1], // BOOLEAN TimestampsEnabled
    [0x14, 4, 250], // ULONG RttUs
    [0x18, 4, 120], // ULONG MinRttUs
    [0x1c, 4, 3000], // ULONG BytesInFlight
    [0x20, 4, 14600], // ULONG Cwnd
    [0x24, 4, 65535], // ULONG SndWnd
    [0x28, 4, 65536], // ULONG RcvWnd
    [0x2c, 4, 131072], // ULONG RcvBuf
    [0x30, 8, 0x2_0000_0003n], // ULONG64 BytesOut
    [0x38, 8, 0x3_0000_0004n], // ULONG64 BytesIn
    [0x40, 4, 11], // ULONG BytesReordered
    [0x44, 4, 12], // ULONG BytesRetrans
    [0x48, 4, 13], // ULONG FastRetrans
    [0x4c, 4, 14], // ULONG DupAcksIn
    [0x50, 4, 15], // ULONG TimeoutEpisodes
    [0x54, 1, 16], // UCHAR SynRetrans
  ];
  const v1: typeof v0 = [
    [0x58, 4, 21], // ULONG SndLimTransRwin
    [0x5c, 4, 22], // ULONG SndLimTimeRwin
    [0x60, 8, 0x4_0000_0017n], // ULONG64 SndLimBytesRwin
    [0x68, 4, 24], // ULONG SndLimTransCwnd
    [0x6c, 4, 25], // ULONG SndLimTimeCwnd
    [0x70, 8, 0x5_0000_001an], // ULONG64 SndLimBytesCwnd
    [0x78, 4, 27], // ULONG SndLimTransSnd
    [0x7c, 4, 28], // ULONG SndLimTimeSnd
    [0x80, 8, 0x6_0000_001dn], // ULONG64 SndLimBytesSnd
  ];
  const v2: typeof v0 = [
    [0x88, 4, 31], // ULONG OutOfOrderPktsIn
    [0x8c, 1, 1], // BOOLEAN EcnNegotiated
    [0x90, 4, 33], // ULONG EceAcksIn
    [0x94, 4, 34], // ULONG PtoEpisodes
  ];
  return le(size, ...[...v0, ...v1, ...v2].filter(([at]) => at < size));
}

const V0_FIELDS = {
  state: 4,
  mss: 1460,
  connectionTimeMs: 0x1_0000_0002n,
  timestampsEnabled: true,
  rttUs: 250,
  minRttUs: 120,
  bytesInFlight: 3000,
  cwnd: 14600,
  sndWnd: 65535,
  rcvWnd: 65536,
  rcvBuf: 131072,
  bytesOut: 0x2_0000_0003n,
  bytesIn: 0x3_0000_0004n,
  bytesReordered: 11,
  bytesRetrans: 12,
  fastRetrans: 13,
  dupAcksIn: 14,
  timeoutEpisodes: 15,
  synRetrans: 16,
};
const V1_FIELDS = {
  ...V0_FIELDS,
  sndLimTransRwin: 21,
  sndLimTimeRwin: 22,
  sndLimBytesRwin: 0x4_0000_0017n,
  sndLimTransCwnd: 24,
  sndLimTimeCwnd: 25,
  sndLimBytesCwnd: 0x5_0000_001an,
  sndLimTransSnd: 27,
  sndLimTimeSnd: 28,
  sndLimBytesSnd: 0x6_0000_001dn,
};
const V2_FIELDS = {
  ...V1_FIELDS,
  outOfOrderPktsIn: 31,
  ecnNegotiated: true,
  eceAcksIn: 33,
  ptoEpisodes: 34,
};

describe("sio tcp: SIO_TCP_INFO", () => {
  const versions = [
    [0, 88, TcpInfoV0, V0_FIELDS],
    [1, 136, TcpInfoV1, V1_FIELDS],
    [2, 152, TcpInfoV2, V2_FIELDS],
  ] as const;
  for (const [version, size, View, fields] of versions) {
    test(`version ${version}: DWORD ${version} in, ${size} bytes out, decoded`, async () => {
      const { call, result } = await single(() => tcpInfo(9n, version), (out) => {
        out!.set(tcpInfoBytes(size));
        return size;
      });
      handed(call, TCP_INFO, u32le(version), size);
      assert.ok(result instanceof View);
      assert.deepEqual(result.toObject(), fields);
    });
  }

  test("the default version is 0", async () => {
    const { call, result } = await single(() => tcpInfo(9n));
    handed(call, TCP_INFO, u32le(0), 88);
    assert.equal(Object.getPrototypeOf(result), TcpInfoV0.prototype);
  });

  test("into: filled in place, returned, and the same bytes are handed on every poll", async () => {
    const { fake, handed: buffers } = fakeWithBuffers();
    // A view 16 bytes into a larger buffer: the native layer must get exactly its bytes.
    const backing = new ArrayBuffer(16 + 136 + 8);
    const into = TcpInfoV1.at(backing, 16);
    let n = 0;
    fake.answer = (_call, out) => {
      out!.set(tcpInfoBytes(136));
      out!.set(u32le(++n), 4); // ULONG Mss @4 changes per poll
      return 136;
    };
    await withFake(fake, () => {
      for (let i = 1; i <= 3; i++) {
        assert.equal(tcpInfo(9n, 1, into), into);
        assert.equal(into.mss, i);
      }
    });
    for (const call of fake.calls) handed(call, TCP_INFO, u32le(1), 136);
    const [first, ...rest] = buffers;
    assert.equal(first.output!.buffer, backing);
    assert.equal(first.output!.byteOffset, 16);
    for (const b of rest) {
      assert.equal(b.output, first.output, "the same byte view on every poll");
      assert.equal(b.input, first.input, "the same input buffer on every poll");
    }
    assert.deepEqual([...new Uint8Array(backing, 0, 16)], new Array(16).fill(0), "nothing before");
    assert.deepEqual([...new Uint8Array(backing, 152)], new Array(8).fill(0), "nothing after");
    assert.deepEqual({ ...into.toObject(), mss: 1460 }, V1_FIELDS);
  });

  test("into of a later version (a TcpInfoV2 for version 0) gets the v0 fields only", async () => {
    const into = TcpInfoV2.alloc();
    into.ptoEpisodes = 77;
    const { call } = await single(() => tcpInfo(9n, 0, into), (out) => {
      assert.equal(out!.length, 88);
      out!.set(tcpInfoBytes(88));
      return 88;
    });
    handed(call, TCP_INFO, u32le(0), 88);
    assert.equal(into.rttUs, 250);
    assert.equal(into.ptoEpisodes, 77);
  });

  test("into's length is the engine's, not a byteLength the caller redefined", async () => {
    const short = new DataView(new ArrayBuffer(200), 0, 40);
    Object.defineProperty(short, "byteLength", { value: 200 });
    const into = TcpInfoV0.alloc();
    Object.defineProperty(into, "view", { value: short });
    const fake = recordingApi();
    await withFake(fake, () => assert.throws(() => tcpInfo(9n, 0, into), RangeError));
    assert.deepEqual(fake.log, []);
  });

  test("into.view is read once", async () => {
    const into = TcpInfoV0.alloc();
    const real = into.view;
    let reads = 0;
    Object.defineProperty(into, "view", {
      get: () => (reads++ === 0 ? real : new DataView(new ArrayBuffer(1))),
    });
    await single(() => tcpInfo(9n, 0, into), () => 88);
    assert.equal(reads, 1);
  });

  test("a refusal names tcpInfo and SIO_TCP_INFO", async () => {
    const e = await refusal(() => tcpInfo(9n, 1), 10022);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.code, 10022);
    assert.equal(e.typedCall, "tcpInfo");
    assert.equal(e.ioctl, "SIO_TCP_INFO");
    assert.match(e.hint ?? "", /1809/);
  });
});

describe("sio timestamps: SIO_TIMESTAMPING, SIO_GET_TX_TIMESTAMP", () => {
  test("TIMESTAMPING_CONFIG: ULONG Flags @0 (RX 1, TX 2), USHORT TxTimestampsBuffered @4", async () => {
    const both = await single(() =>
      setTimestamping(9n, { rx: true, tx: true, txBuffered: 0xfffe })
    );
    handed(both.call, TIMESTAMPING, le(8, [0, 4, 3], [4, 2, 0xfffe]));
    const rx = await single(() => setTimestamping(9n, { rx: true, tx: false }));
    handed(rx.call, TIMESTAMPING, le(8, [0, 4, 1]));
    const tx = await single(() => setTimestamping(9n, { rx: false, tx: true, txBuffered: 5 }));
    handed(tx.call, TIMESTAMPING, le(8, [0, 4, 2], [4, 2, 5]));
    const off = await single(() => setTimestamping(9n, { rx: false, tx: false }));
    handed(off.call, TIMESTAMPING, le(8));
  });

  test("a refusal hints at the datagram-only rule", async () => {
    const e = await refusal(() => setTimestamping(9n, { rx: true, tx: false }), 10045);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "setTimestamping");
    assert.equal(e.ioctl, "SIO_TIMESTAMPING");
    assert.match(e.hint ?? "", /datagram/);
  });

  test("txTimestamp: UINT32 id in, UINT64 out (the direction bits say input only)", async () => {
    const { call, result } = await single(() => txTimestamp(9n, 0xfedcba98), (out) => {
      out!.set(le(8, [0, 8, 0x0123_4567_89ab_cdefn]));
      return 8;
    });
    handed(call, GET_TX_TIMESTAMP, u32le(0xfedcba98), 8);
    assert.equal(result, 0x0123_4567_89ab_cdefn);
  });

  test("txTimestamp: WSAEWOULDBLOCK is undefined; other refusals throw", async () => {
    const { result } = await single(() => txTimestamp(9n, 1), () => ({ error: 10035 }));
    assert.equal(result, undefined);
    const e = await refusal(() => txTimestamp(9n, 1), 10045);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.code, 10045);
    assert.equal(e.typedCall, "txTimestamp");
    assert.equal(e.ioctl, "SIO_GET_TX_TIMESTAMP");
    assert.match(e.hint ?? "", /datagram/);
  });

  test("txTimestampPoller: its own buffers, the same objects on every poll", async () => {
    const { fake, handed: buffers } = fakeWithBuffers();
    let next = 0n;
    fake.answer = (call, out) => {
      if (call.input![0] === 0) return { error: 10035 };
      out!.set(le(8, [0, 8, ++next]));
      return 8;
    };
    await withFake(fake, () => {
      const poller = txTimestampPoller(9n);
      const other = txTimestampPoller(9n);
      assert.equal(fake.calls.length, 0, "creating a poller calls nothing");
      assert.equal(poller.poll(0), undefined);
      assert.equal(poller.poll(7), 1n);
      assert.equal(poller.poll(0xffffffff), 2n);
      assert.equal(poller.poll(0), undefined);
      assert.equal(other.poll(3), 3n);
      assert.equal(txTimestamp(9n, 3), 4n);
    });
    assert.deepEqual(
      fake.calls.map((c) => [...c.input!]),
      [u32le(0), u32le(7), u32le(0xffffffff), u32le(0), u32le(3), u32le(3)].map((b) => [...b]),
    );
    for (const call of fake.calls) assert.equal(call.outLength, 8);
    const [first, ...polls] = buffers.slice(0, 4);
    for (const b of polls) {
      assert.equal(b.input, first.input, "the same input buffer on every poll");
      assert.equal(b.output, first.output, "the same output buffer on every poll");
    }
    const [otherPoller, shared] = buffers.slice(4);
    assert.notEqual(otherPoller.output, first.output, "each poller owns its buffers");
    assert.notEqual(shared.output!.buffer, first.output!.buffer, "not the shared scratch");
    assert.notEqual(shared.input!.buffer, first.input!.buffer, "not the shared scratch");
  });

  test("txTimestampPoller resolves the Socket on every poll: closed → SocketClosedError", async () => {
    const fake = recordingApi();
    fake.answer = () => ({ error: 10035 });
    await withFake(fake, () => {
      const s = Socket.open("inet", "dgram");
      const poller = txTimestampPoller(s);
      assert.equal(poller.poll(1), undefined);
      assert.equal(fake.calls[0].handle, s.handle);
      s.close();
      assert.throws(() => poller.poll(1), SocketClosedError);
      assert.throws(() => txTimestampPoller(s), SocketClosedError);
    });
    assert.equal(fake.calls.length, 1);
  });

  test("a poller's refusal names txTimestampPoller", async () => {
    const e = await refusal(() => txTimestampPoller(9n).poll(1), 10022);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "txTimestampPoller");
    assert.match(e.message, /^txTimestampPoller: WSAIoctl\(SIO_GET_TX_TIMESTAMP\) failed/);
  });
});

describe("sio tcp: connection setup", () => {
  test("TCP_INITIAL_RTO_PARAMETERS: USHORT Rtt @0, UCHAR MaxSynRetransmissions @2", async () => {
    const rto = await single(() => setTcpInitialRto(9n, { rttMs: 300, maxSynRetransmissions: 3 }));
    handed(rto.call, INITIAL_RTO, le(4, [0, 2, 300], [2, 1, 3]));
    // The sentinels: unspecified (0xFFFF / 0xFF), default (0) and no SYN retransmission (0xFE).
    const unspecified = await single(() =>
      setTcpInitialRto(9n, { rttMs: 0xffff, maxSynRetransmissions: 0xff })
    );
    handed(unspecified.call, INITIAL_RTO, le(4, [0, 2, 0xffff], [2, 1, 0xff]));
    const noRetry = await single(() =>
      setTcpInitialRto(9n, { rttMs: 0, maxSynRetransmissions: 0xfe })
    );
    handed(noRetry.call, INITIAL_RTO, le(4, [2, 1, 0xfe]));
  });

  test("TCP_ICW_PARAMETERS: the TCP_ICW_LEVEL enum (4 bytes), by name or value", async () => {
    const names = {
      default: 0,
      high: 1,
      veryHigh: 2,
      aggressive: 3,
      experimental: 4,
      compat: 254,
      max: 255,
    } as const;
    for (const [name, value] of Object.entries(names)) {
      const byName = await single(() =>
        setTcpInitialCongestionWindow(9n, name as keyof typeof names)
      );
      handed(byName.call, SET_ICW, u32le(value));
      const byValue = await single(() => setTcpInitialCongestionWindow(9n, value));
      handed(byValue.call, SET_ICW, u32le(value));
    }
    const fromStructs = await single(() =>
      setTcpInitialCongestionWindow(9n, TCP_ICW_LEVEL.VERY_HIGH)
    );
    handed(fromStructs.call, SET_ICW, u32le(2));
  });

  test("TCP_ACK_FREQUENCY_PARAMETERS: one UCHAR", async () => {
    for (const n of [0, 2, 255]) {
      handed(
        (await single(() => setTcpAckFrequency(9n, n))).call,
        SET_ACK_FREQUENCY,
        le(1, [0, 1, n]),
      );
    }
  });

  test("a refusal of setTcpInitialRto hints at 'before connect'", async () => {
    const e = await refusal(
      () => setTcpInitialRto(9n, { rttMs: 1, maxSynRetransmissions: 1 }),
      10022,
    );
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "setTcpInitialRto");
    assert.match(e.hint ?? "", /before it connects/);
  });
});

// ---- the real native layer off Windows

const native = nativeApi();

/** Every call of these modules but setKeepAlive, with good arguments. */
const UNSUPPORTED_OFF_WINDOWS: [string, "stream" | "dgram", (s: SocketRef) => unknown][] = [
  ["tcpInfo", "stream", (s) => tcpInfo(s, 2, TcpInfoV2.alloc())],
  ["setTimestamping", "dgram", (s) => setTimestamping(s, { rx: true, tx: true, txBuffered: 8 })],
  ["txTimestamp", "dgram", (s) => txTimestamp(s, 1)],
  ["txTimestampPoller", "dgram", (s) => txTimestampPoller(s).poll(1)],
  [
    "setTcpInitialRto",
    "stream",
    (s) => setTcpInitialRto(s, { rttMs: 0, maxSynRetransmissions: 0 }),
  ],
  ["setTcpInitialCongestionWindow", "stream", (s) => setTcpInitialCongestionWindow(s, "high")],
  ["setTcpAckFrequency", "stream", (s) => setTcpAckFrequency(s, 2)],
];

describe(
  `sio tcp on ${native.runtime}/${native.os}: UnsupportedError naming the typed call`,
  { skip: native.os === "windows" },
  () => {
    for (const [name, type, call] of UNSUPPORTED_OFF_WINDOWS) {
      test(`${name} (${type} socket)`, () => {
        using s = Socket.open("inet", type);
        assert.throws(() => call(s), (e: unknown) => {
          assert.ok(e instanceof UnsupportedError, String(e));
          assert.equal(e.typedCall, name);
          assert.ok(e.platform.startsWith(native.os), e.platform);
          assert.match(e.message, new RegExp(`^${name}: SIO_\\w+ .*unsupported on ${native.os}`));
          return true;
        });
        // The socket is untouched and still usable.
        assert.equal(s.getOption("type"), type);
      });
    }
  },
);
