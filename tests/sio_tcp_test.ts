// The TCP typed calls (sio/tcp.ts) over the recording fake: the code, the input bytes and the
// output length each hands WSAIoctl, written here from the SDK's layouts (mstcpip.h) with
// tests/_helpers/bytes.ts, never through the struct views; the decoding of TCP_INFO_v0/v1/v2;
// tcpInfo's `into` filled in place with the same bytes on every poll. Then, on the real native
// layer off Windows: each call but setKeepAlive and tcpInfo throws UnsupportedError naming itself
// (setKeepAlive's translation is tested with ffi/, tcpInfo's in tests/sio_tcp_info_posix_test.ts).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../errors.ts";
import {
  setKeepAlive,
  setTcpAckFrequency,
  setTcpInitialCongestionWindow,
  setTcpInitialRto,
  tcpInfo,
} from "../sio/mod.ts";
import { TCP_ICW_LEVEL, TcpInfoV0, TcpInfoV1, TcpInfoV2 } from "../structs/mod.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { le, u32le } from "./_helpers/bytes.ts";
import {
  fakeWithBuffers,
  handed,
  refusal,
  single,
  unsupportedOffWindows,
} from "./_helpers/typed_calls.ts";

// mstcpip.h: SIO_KEEPALIVE_VALS = _WSAIOW(IOC_VENDOR,4), SIO_TCP_INFO = _WSAIORW(IOC_VENDOR,39),
// SIO_TCP_INITIAL_RTO = _WSAIOW(IOC_VENDOR,17), SIO_TCP_SET_ICW = _WSAIOW(IOC_VENDOR,22),
// SIO_TCP_SET_ACK_FREQUENCY = _WSAIOW(IOC_VENDOR,23).
const KEEPALIVE_VALS = 0x98000004;
const TCP_INFO = 0xd8000027;
const INITIAL_RTO = 0x98000011;
const SET_ICW = 0x98000016;
const SET_ACK_FREQUENCY = 0x98000017;

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
    const { call, result } = await single(() => tcpInfo(9n), () => 88);
    handed(call, TCP_INFO, u32le(0), 88);
    assert.equal(Object.getPrototypeOf(result), TcpInfoV0.prototype);
  });

  test("an answer shorter than the version's structure is refused, into or not", async () => {
    for (const [version, size] of [[0, 88], [1, 136], [2, 152]] as const) {
      for (const count of [0, size - 1]) {
        const message = `tcpInfo: SIO_TCP_INFO reported ${count} bytes written; ` +
          `TCP_INFO_v${version} has ${size}`;
        await assert.rejects(
          single(() => tcpInfo(9n, version), (out) => (out!.set(tcpInfoBytes(size)), count)),
          { name: "Error", message },
        );
      }
    }
    const into = TcpInfoV1.alloc();
    await assert.rejects(
      single(() => tcpInfo(9n, 1, into), (out) => (out!.set(tcpInfoBytes(136)), 88)),
      { message: "tcpInfo: SIO_TCP_INFO reported 88 bytes written; TCP_INFO_v1 has 136" },
    );
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

unsupportedOffWindows("sio tcp", [
  [
    "setTcpInitialRto",
    "stream",
    (s) => setTcpInitialRto(s, { rttMs: 0, maxSynRetransmissions: 0 }),
  ],
  ["setTcpInitialCongestionWindow", "stream", (s) => setTcpInitialCongestionWindow(s, "high")],
  ["setTcpAckFrequency", "stream", (s) => setTcpAckFrequency(s, 2)],
]);
