// Bad-input cases of the basic.ts, settings.ts, handles.ts, backlog.ts, tcp.ts, timestamps.ts typed calls, run by
// tests/sio_input_test.ts: CASES hand a good socket bad arguments; GOOD are well-formed calls,
// run there on closed and invalid sockets.

import * as sio from "../../sio/mod.ts";
import { TcpInfoV0, TcpInfoV1 } from "../../structs/mod.ts";
import { bad, type Case, type Fields, type Good } from "./bad_input.ts";

// ---- tcp.ts, timestamps.ts: good options with some fields replaced, odd `into` views

const keepAlive = (s: sio.SocketRef, o: Fields) =>
  sio.setKeepAlive(s, bad({ enabled: true, timeMs: 1000, intervalMs: 1000, ...o }));
const off = (intervalMs: number) => ({ enabled: false, timeMs: 0, intervalMs });
const rto = (s: sio.SocketRef, o: Fields) =>
  sio.setTcpInitialRto(s, bad({ rttMs: 0, maxSynRetransmissions: 0, ...o }));
const icw = (s: sio.SocketRef, level: unknown) => sio.setTcpInitialCongestionWindow(s, bad(level));
const stamps = (s: sio.SocketRef, o: Fields) =>
  sio.setTimestamping(s, bad({ rx: true, tx: true, txBuffered: 1, ...o }));
const dv = (n: number) => new DataView(new ArrayBuffer(n));
/** A TcpInfoV0 whose `view` was replaced. */
function v0With(view: unknown): TcpInfoV0 {
  return Object.defineProperty(TcpInfoV0.alloc(), "view", { value: view });
}
/** A DataView of `n` bytes whose own `byteLength` claims 88. */
const lying = (n: number) => Object.defineProperty(dv(n), "byteLength", { value: 88 });
/** A TcpInfoV0 over an ArrayBuffer since transferred (detached). */
function detached(): TcpInfoV0 {
  const buffer = new ArrayBuffer(88);
  const info = TcpInfoV0.at(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return info;
}

/** Bad arguments on a good socket (9n). */
export const CASES: Case[] = [
  // ---- basic.ts
  ["setNonBlocking(1)", (s) => sio.setNonBlocking(s, bad(1)), TypeError, /enabled/],
  ["setNonBlocking(undefined)", (s) => sio.setNonBlocking(s, bad(undefined)), TypeError, /enabled/],
  // ---- settings.ts
  ["setUdpConnReset(1)", (s) => sio.setUdpConnReset(s, bad(1)), TypeError, /enabled/],
  ["setUdpConnReset('false')", (s) => sio.setUdpConnReset(s, bad("false")), TypeError, /enabled/],
  ["setUdpConnReset()", (s) => sio.setUdpConnReset(s, bad(undefined)), TypeError, /enabled/],
  ["setUdpNetReset(0)", (s) => sio.setUdpNetReset(s, bad(0)), TypeError, /enabled/],
  ["setLoopbackFastPath(null)", (s) => sio.setLoopbackFastPath(s, bad(null)), TypeError, /enabled/],
  [
    "setPriorityHint('high')",
    (s) => sio.setPriorityHint(s, bad("high")),
    RangeError,
    /hint.*"veryLow"/,
  ],
  ["setPriorityHint('VeryLow')", (s) => sio.setPriorityHint(s, bad("VeryLow")), RangeError, /hint/],
  [
    "setPriorityHint('toString')",
    (s) => sio.setPriorityHint(s, bad("toString")),
    RangeError,
    /hint/,
  ],
  ["setPriorityHint(0)", (s) => sio.setPriorityHint(s, bad(0)), TypeError, /hint/],
  ["setPriorityHint()", (s) => sio.setPriorityHint(s, bad(undefined)), TypeError, /hint/],
  ["setCompatibilityMode()", (s) => sio.setCompatibilityMode(s, bad(undefined)), TypeError, /mode/],
  ["setCompatibilityMode(null)", (s) => sio.setCompatibilityMode(s, bad(null)), TypeError, /mode/],
  [
    "setCompatibilityMode('all')",
    (s) => sio.setCompatibilityMode(s, bad("all")),
    TypeError,
    /mode/,
  ],
  [
    "setCompatibilityMode({ behavior: 'none' })",
    (s) => sio.setCompatibilityMode(s, { behavior: bad("none"), targetOsVersion: 0 }),
    RangeError,
    /mode\.behavior.*"autoTuning"/,
  ],
  [
    "setCompatibilityMode({ behavior: '__proto__' })",
    (s) => sio.setCompatibilityMode(s, { behavior: bad("__proto__"), targetOsVersion: 0 }),
    RangeError,
    /mode\.behavior/,
  ],
  [
    "setCompatibilityMode({ behavior: 1 })",
    (s) => sio.setCompatibilityMode(s, { behavior: bad(1), targetOsVersion: 0 }),
    TypeError,
    /mode\.behavior/,
  ],
  [
    "setCompatibilityMode({ behavior: 'all' })",
    (s) => sio.setCompatibilityMode(s, bad({ behavior: "all" })),
    TypeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: -1 })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: -1 }),
    RangeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: 2 ** 32 })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: 2 ** 32 }),
    RangeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: 1.5 })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: 1.5 }),
    TypeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: '6' })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: bad("6") }),
    TypeError,
    /mode\.targetOsVersion/,
  ],
  ["setCpuAffinity(-1)", (s) => sio.setCpuAffinity(s, -1), RangeError, /processor/],
  ["setCpuAffinity(65536)", (s) => sio.setCpuAffinity(s, 65536), RangeError, /processor/],
  ["setCpuAffinity(1.5)", (s) => sio.setCpuAffinity(s, 1.5), TypeError, /processor/],
  ["setCpuAffinity(NaN)", (s) => sio.setCpuAffinity(s, NaN), TypeError, /processor/],
  ["setCpuAffinity('0')", (s) => sio.setCpuAffinity(s, bad("0")), TypeError, /processor/],
  ["setCpuAffinity(0n)", (s) => sio.setCpuAffinity(s, bad(0n)), TypeError, /processor/],
  // ---- handles.ts
  ["extensionFunction()", (s) => sio.extensionFunction(s, bad(undefined)), TypeError, /nameOrGuid/],
  ["extensionFunction(42)", (s) => sio.extensionFunction(s, bad(42)), TypeError, /nameOrGuid/],
  [
    "extensionFunction('acceptex')",
    (s) => sio.extensionFunction(s, "acceptex"),
    RangeError,
    /nameOrGuid.*"AcceptEx".*GUID/,
  ],
  ["extensionFunction('')", (s) => sio.extensionFunction(s, ""), RangeError, /nameOrGuid/],
  [
    "extensionFunction('toString')",
    (s) => sio.extensionFunction(s, "toString"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID one digit short)",
    (s) => sio.extensionFunction(s, "{B5367DF1-CBAC-11CF-95CA-00805F48A19}"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID without its closing brace)",
    (s) => sio.extensionFunction(s, "{B5367DF1-CBAC-11CF-95CA-00805F48A192"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID without dashes)",
    (s) => sio.extensionFunction(s, "B5367DF1CBAC11CF95CA00805F48A192"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID with a non-hex digit)",
    (s) => sio.extensionFunction(s, "{G5367DF1-CBAC-11CF-95CA-00805F48A192}"),
    RangeError,
    /nameOrGuid/,
  ],
  ["bspHandle('recv')", (s) => sio.bspHandle(s, bad("recv")), RangeError, /kind.*"poll"/],
  ["bspHandle(1)", (s) => sio.bspHandle(s, bad(1)), TypeError, /kind/],
  ["bspHandle(null)", (s) => sio.bspHandle(s, bad(null)), TypeError, /kind/],
  // ---- backlog.ts (async: the Promise rejects)
  [
    "idealSendBacklogChange(null)",
    (s) => sio.idealSendBacklogChange(s, bad(null)),
    TypeError,
    /opts/,
  ],
  [
    "idealSendBacklogChange('x')",
    (s) => sio.idealSendBacklogChange(s, bad("x")),
    TypeError,
    /opts/,
  ],
  [
    "idealSendBacklogChange({ signal: {} })",
    (s) => sio.idealSendBacklogChange(s, { signal: bad({}) }),
    TypeError,
    /opts\.signal/,
  ],
  [
    "idealSendBacklogChange({ signal: null })",
    (s) => sio.idealSendBacklogChange(s, { signal: bad(null) }),
    TypeError,
    /opts\.signal/,
  ],
  // ---- tcp.ts
  ["setKeepAlive(null)", (s) => sio.setKeepAlive(s, bad(null)), TypeError, /options/],
  ['setKeepAlive("on")', (s) => sio.setKeepAlive(s, bad("on")), TypeError, /options/],
  ["keepAlive enabled: 1", (s) => keepAlive(s, { enabled: 1 }), TypeError, /options\.enabled/],
  ["keepAlive timeMs: -1", (s) => keepAlive(s, { timeMs: -1 }), RangeError, /options\.timeMs/],
  ["keepAlive timeMs: 2^32", (s) => keepAlive(s, { timeMs: 2 ** 32 }), RangeError, /timeMs/],
  ["keepAlive timeMs: 1.5", (s) => keepAlive(s, { timeMs: 1.5 }), TypeError, /timeMs/],
  ["keepAlive timeMs: 1000n", (s) => keepAlive(s, { timeMs: 1000n }), TypeError, /timeMs/],
  ["keepAlive intervalMs: NaN", (s) => keepAlive(s, { intervalMs: NaN }), TypeError, /intervalMs/],
  ["keepAlive off, intervalMs: -1", (s) => keepAlive(s, off(-1)), RangeError, /intervalMs/],
  ["keepAlive count: 0", (s) => keepAlive(s, { count: 0 }), RangeError, /options\.count/],
  ["keepAlive count: 256", (s) => keepAlive(s, { count: 256 }), RangeError, /options\.count/],
  ["keepAlive count: 1.5", (s) => keepAlive(s, { count: 1.5 }), TypeError, /options\.count/],
  ['keepAlive count: "3"', (s) => keepAlive(s, { count: "3" }), TypeError, /options\.count/],
  ["keepAlive count: null", (s) => keepAlive(s, { count: null }), TypeError, /options\.count/],
  ["keepAlive off, count: 0", (s) => keepAlive(s, { ...off(0), count: 0 }), RangeError, /count/],
  ["tcpInfo(s, 3)", (s) => sio.tcpInfo(s, bad(3)), RangeError, /version/],
  ["tcpInfo(s, 0.5)", (s) => sio.tcpInfo(s, bad(0.5)), TypeError, /version/],
  ['tcpInfo(s, "1")', (s) => sio.tcpInfo(s, bad("1")), TypeError, /version/],
  ["tcpInfo(s, 1, v0)", (s) => sio.tcpInfo(s, 1, bad(TcpInfoV0.alloc())), TypeError, /TcpInfoV1/],
  ["tcpInfo(s, 0, null)", (s) => sio.tcpInfo(s, 0, bad(null)), TypeError, /into/],
  ["tcpInfo(s, 0, { view })", (s) => sio.tcpInfo(s, 0, bad({ view: dv(88) })), TypeError, /into/],
  ["tcpInfo into.view {}", (s) => sio.tcpInfo(s, 0, v0With({})), TypeError, /into\.view/],
  ["tcpInfo into detached", (s) => sio.tcpInfo(s, 0, detached()), TypeError, /detached/],
  ["tcpInfo into 40 bytes", (s) => sio.tcpInfo(s, 0, v0With(lying(40))), RangeError, /got 40/],
  ["setTcpInitialRto(null)", (s) => sio.setTcpInitialRto(s, bad(null)), TypeError, /options/],
  ["rto rttMs: 65536", (s) => rto(s, { rttMs: 65536 }), RangeError, /options\.rttMs/],
  ['rto rttMs: "9"', (s) => rto(s, { rttMs: "9" }), TypeError, /options\.rttMs/],
  ["rto maxSyn…: 256", (s) => rto(s, { maxSynRetransmissions: 256 }), RangeError, /maxSyn/],
  ["rto maxSyn…: 1.5", (s) => rto(s, { maxSynRetransmissions: 1.5 }), TypeError, /maxSyn/],
  ['icw("VERY_HIGH")', (s) => icw(s, "VERY_HIGH"), RangeError, /level must be one of "default"/],
  ['icw("__proto__")', (s) => icw(s, "__proto__"), RangeError, /level/],
  ["icw(5)", (s) => icw(s, 5), RangeError, /level must be one of 0, 1, 2, 3, 4, 254, 255/],
  ["icw(1.5)", (s) => icw(s, 1.5), RangeError, /level/],
  ["icw(2n)", (s) => icw(s, 2n), TypeError, /level/],
  ["icw(undefined)", (s) => icw(s, undefined), TypeError, /level/],
  ["setTcpAckFrequency(256)", (s) => sio.setTcpAckFrequency(s, 256), RangeError, /^n .*0\.\.255/],
  ["setTcpAckFrequency(1.5)", (s) => sio.setTcpAckFrequency(s, 1.5), TypeError, /^n /],
  ['setTcpAckFrequency("2")', (s) => sio.setTcpAckFrequency(s, bad("2")), TypeError, /^n /],
  // ---- timestamps.ts
  ["setTimestamping(null)", (s) => sio.setTimestamping(s, bad(null)), TypeError, /options/],
  ['stamps rx: "yes"', (s) => stamps(s, { rx: "yes" }), TypeError, /options\.rx/],
  ["stamps tx: undefined", (s) => stamps(s, { tx: undefined }), TypeError, /options\.tx/],
  ["stamps txBuffered: 65536", (s) => stamps(s, { txBuffered: 65536 }), RangeError, /txBuffered/],
  ["stamps txBuffered: null", (s) => stamps(s, { txBuffered: null }), TypeError, /txBuffered/],
  ["txTimestamp(s, -1)", (s) => sio.txTimestamp(s, -1), RangeError, /^id /],
  ["txTimestamp(s, 2^32)", (s) => sio.txTimestamp(s, 2 ** 32), RangeError, /^id /],
  ["txTimestamp(s, 1n)", (s) => sio.txTimestamp(s, bad(1n)), TypeError, /^id /],
  ["poller.poll(1.5)", (s) => sio.txTimestampPoller(s).poll(1.5), TypeError, /^id /],
  ["poller.poll(-1)", (s) => sio.txTimestampPoller(s).poll(-1), RangeError, /^id /],
];

/** Well-formed calls, to be run on bad sockets. */
export const GOOD: Good[] = [
  ["setNonBlocking", (s) => sio.setNonBlocking(s, true)],
  ["bytesAvailable", (s) => sio.bytesAvailable(s)],
  ["atOobMark", (s) => sio.atOobMark(s)],
  // ---- settings.ts
  ["setUdpConnReset", (s) => sio.setUdpConnReset(s, false)],
  ["setUdpNetReset", (s) => sio.setUdpNetReset(s, false)],
  ["setLoopbackFastPath", (s) => sio.setLoopbackFastPath(s, true)],
  ["setPriorityHint", (s) => sio.setPriorityHint(s, "low")],
  [
    "setCompatibilityMode",
    (s) => sio.setCompatibilityMode(s, { behavior: "autoTuning", targetOsVersion: 0x06000000 }),
  ],
  ["setCpuAffinity", (s) => sio.setCpuAffinity(s, 0)],
  // ---- handles.ts
  ["extensionFunction", (s) => sio.extensionFunction(s, "ConnectEx")],
  ["baseHandle", (s) => sio.baseHandle(s)],
  ["bspHandle", (s) => sio.bspHandle(s, "poll")],
  // ---- backlog.ts
  ["idealSendBacklog", (s) => sio.idealSendBacklog(s)],
  [
    "idealSendBacklogChange",
    (s) => sio.idealSendBacklogChange(s, { signal: new AbortController().signal }),
  ],
  ["setKeepAlive", (s) => keepAlive(s, {})],
  ["tcpInfo", (s) => sio.tcpInfo(s, 1, TcpInfoV1.alloc())],
  ["setTcpInitialRto", (s) => rto(s, {})],
  ["setTcpInitialCongestionWindow", (s) => icw(s, "high")],
  ["setTcpAckFrequency", (s) => sio.setTcpAckFrequency(s, 2)],
  ["setTimestamping", (s) => stamps(s, {})],
  ["txTimestamp", (s) => sio.txTimestamp(s, 1)],
  ["txTimestampPoller", (s) => sio.txTimestampPoller(s).poll(1)],
];
