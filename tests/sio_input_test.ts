// Bad input to every typed call: wrong types, out-of-range numbers, bad enum members and GUIDs,
// closed sockets. Each gets its documented error class (and, where it names one, the parameter)
// and no native call is made: the recording fake sees nothing.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError } from "../errors.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { TcpInfoV0, TcpInfoV1 } from "../structs/mod.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";

type Case = [
  what: string,
  call: (s: sio.SocketRef) => unknown,
  error: typeof TypeError | typeof RangeError,
  message?: RegExp,
];
const bad = <T>(v: unknown) => v as T;

// ---- tcp.ts, timestamps.ts: good options with some fields replaced, odd `into` views
type Fields = Record<string, unknown>;
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

// ---- qos.ts, transport.ts, wfp.ts: helpers
type Ref = sio.SocketRef;
const setQ = (s: Ref, q: unknown) => sio.setQos(s, bad(q));
const flow = (s: Ref, side: string, field: string, v: unknown) =>
  sio.setQos(s, bad({ [side]: { [field]: v } }));
/** A Uint8Array whose ArrayBuffer was transferred (detached). */
function gone(): Uint8Array {
  const buffer = new ArrayBuffer(8);
  const bytes = new Uint8Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return bytes;
}
const RT = "realTimeNotification";
const EX = "{6843DA03-154A-4616-A508-44371295F96B}";
const GUID = "{0123ABCD-4567-89EF-0A1B-2C3D4E5F6071}";
const GOOD_BYTES = new Uint8Array([0xd1, 0x07, 0, 0, 8, 0, 0, 0]); // QOS_OBJECT_END_OF_LIST
const apply = (s: Ref, setting: unknown, value?: unknown) =>
  sio.applyTransportSetting(s, bad(setting), bad(value));
const query = (s: Ref, setting: unknown, opts?: unknown) =>
  sio.queryTransportSetting(s, bad(setting), bad(opts));

/** Every typed call with bad arguments on a good socket (9n). */
const CASES: Case[] = [
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
  // ---- qos.ts
  ["setQos()", (s) => setQ(s, undefined), TypeError, /^qos must be an object/],
  ["setQos(null)", (s) => setQ(s, null), TypeError, /^qos /],
  ['setQos("x")', (s) => setQ(s, "x"), TypeError, /^qos /],
  ["setQos({ sending: 5 })", (s) => setQ(s, { sending: 5 }), TypeError, /^qos\.sending /],
  ["setQos({ sending: null })", (s) => setQ(s, { sending: null }), TypeError, /qos\.sending/],
  ["tokenRate: -1", (s) => flow(s, "sending", "tokenRate", -1), RangeError, /sending\.tokenRate/],
  ["latency: 2^32", (s) => flow(s, "receiving", "latency", 2 ** 32), RangeError, /\.latency/],
  ["serviceType: 1.5", (s) => flow(s, "sending", "serviceType", 1.5), TypeError, /serviceType/],
  ['maxSduSize: "1"', (s) => flow(s, "sending", "maxSduSize", "1"), TypeError, /maxSduSize/],
  ["tokenBucketSize: 1n", (s) => flow(s, "sending", "tokenBucketSize", 1n), TypeError, /Bucket/],
  ["providerSpecific: []", (s) => setQ(s, { providerSpecific: [] }), TypeError, /providerSpec/],
  ["providerSpecific: buffer", (s) => setQ(s, { providerSpecific: new ArrayBuffer(8) }), TypeError],
  ["providerSpecific detached", (s) => setQ(s, { providerSpecific: gone() }), TypeError, /detach/],
  ["setGroupQos(0)", (s) => sio.setGroupQos(s, bad(0)), TypeError, /^qos /],
  [
    "setGroupQos minimumPolicedSize: NaN",
    (s) => sio.setGroupQos(s, { receiving: { minimumPolicedSize: NaN } }),
    TypeError,
    /qos\.receiving\.minimumPolicedSize/,
  ],
  ['checkQos("lineRATE")', (s) => sio.checkQos(s, bad("lineRATE")), RangeError, /"lineRate"/],
  ['checkQos("toString")', (s) => sio.checkQos(s, bad("toString")), RangeError, /^query /],
  ["checkQos(50000)", (s) => sio.checkQos(s, 50000), RangeError, /50001\.\.50006, got 50000/],
  ["checkQos(50007)", (s) => sio.checkQos(s, 50007), RangeError, /^query /],
  ["checkQos(50001.5)", (s) => sio.checkQos(s, 50001.5), TypeError, /^query /],
  ["checkQos(NaN)", (s) => sio.checkQos(s, NaN), TypeError, /^query /],
  ["checkQos(null)", (s) => sio.checkQos(s, bad(null)), TypeError, /^query /],
  ["checkQos(50001n)", (s) => sio.checkQos(s, bad(50001n)), TypeError, /^query /],
  // ---- transport.ts
  ["apply(42)", (s) => apply(s, 42), TypeError, /^setting /],
  ['apply("realtimeNotification")', (s) => apply(s, "realtimeNotification"), RangeError, /GUID/],
  ['apply("toString")', (s) => apply(s, "toString", new Uint8Array(1)), RangeError, /^setting /],
  ["apply(GUID one digit short)", (s) => apply(s, GUID.slice(0, -2) + "}"), RangeError, /setting/],
  [`apply(${RT})`, (s) => apply(s, RT), TypeError, /^value must be an object/],
  [`apply(${RT}, {})`, (s) => apply(s, RT, {}), TypeError, /value\.brokerEventGuid/],
  ["brokerEventGuid: 1", (s) => apply(s, RT, { brokerEventGuid: 1 }), TypeError, /brokerEvent/],
  ['brokerEventGuid: "x"', (s) => apply(s, RT, { brokerEventGuid: "x" }), RangeError, /broker/],
  ["apply(GUID, [1, 2])", (s) => apply(s, EX, [1, 2]), TypeError, /^value must be an ArrayBuff/],
  ['apply(GUID, "ab")', (s) => apply(s, EX, "ab"), TypeError, /^value /],
  ["apply(GUID, detached)", (s) => apply(s, EX, gone()), TypeError, /detached/],
  ["query(null)", (s) => query(s, null), TypeError, /^setting /],
  ['query("")', (s) => query(s, ""), RangeError, /^setting /],
  ["query(GUID, null)", (s) => query(s, EX, null), TypeError, /^opts /],
  ["outputLength: 0", (s) => query(s, EX, { outputLength: 0 }), RangeError, /opts\.outputLength/],
  ["outputLength: 2^20+1", (s) => query(s, EX, { outputLength: 2 ** 20 + 1 }), RangeError],
  ["outputLength: 1.5", (s) => query(s, EX, { outputLength: 1.5 }), TypeError, /outputLength/],
  ['outputLength: "64"', (s) => query(s, EX, { outputLength: "64" }), TypeError, /outputLength/],
  // ---- wfp.ts
  ["setWfpRedirectRecords()", (s) => sio.setWfpRedirectRecords(s, bad(undefined)), TypeError],
  ["records: [1]", (s) => sio.setWfpRedirectRecords(s, bad([1])), TypeError, /^records /],
  ["records: buffer", (s) => sio.setWfpRedirectRecords(s, bad(new ArrayBuffer(4))), TypeError],
  ["records detached", (s) => sio.setWfpRedirectRecords(s, gone()), TypeError, /detached/],
];

/** Every typed call with good arguments, to be run on bad sockets. */
const GOOD: [string, (s: sio.SocketRef) => unknown][] = [
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
  // ---- qos.ts
  ["qos", (s) => sio.qos(s)],
  ["groupQos", (s) => sio.groupQos(s)],
  ["setQos", (s) => sio.setQos(s, { sending: { serviceType: 1 }, providerSpecific: GOOD_BYTES })],
  ["setGroupQos", (s) => sio.setGroupQos(s, {})],
  ["checkQos", (s) => sio.checkQos(s, "lineRate")],
  // ---- transport.ts
  ["applyTransportSetting", (s) => apply(s, RT, { brokerEventGuid: GUID })],
  ["queryTransportSetting", (s) => query(s, EX, { outputLength: 16 })],
  // ---- wfp.ts
  ["wfpAleEndpointHandle", (s) => sio.wfpAleEndpointHandle(s)],
  ["wfpRedirectRecords", (s) => sio.wfpRedirectRecords(s)],
  ["wfpRedirectContext", (s) => sio.wfpRedirectContext(s)],
  ["setWfpRedirectRecords", (s) => sio.setWfpRedirectRecords(s, GOOD_BYTES)],
];

/**
 * The error `fn` fails with: what it throws or, for the async calls, what the Promise it returns
 * rejects with. Fails the test when `fn` succeeds.
 */
async function failureOf(fn: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    return e;
  }
  assert.ok(result instanceof Promise, "expected a throw or a rejected Promise");
  return await result.then(() => assert.fail("the Promise resolved"), (e: unknown) => e);
}

describe("typed calls refuse bad input before any native call", () => {
  for (const [what, call, error, message] of CASES) {
    test(what, async () => {
      const fake = recordingApi();
      await withFake(fake, async () => {
        const e = await failureOf(() => call(9n));
        assert.ok(e instanceof error, `${what}: ${e}`);
        if (message) assert.match((e as Error).message, message);
      });
      assert.deepEqual(fake.log, [], `${what} reached the native layer`);
    });
  }

  for (const [name, call] of GOOD) {
    test(`${name} on a closed Socket, a non-socket and an out-of-range handle`, async () => {
      const fake = recordingApi();
      await withFake(fake, async () => {
        const s = Socket.open("inet", "dgram");
        s.close();
        fake.log.length = 0;
        const closed = await failureOf(() => call(s));
        assert.ok(closed instanceof SocketClosedError, String(closed));
        assert.match(closed.message, new RegExp(`^${name}: `), "names the typed call");
        assert.ok((await failureOf(() => call(bad(7)))) instanceof TypeError);
        assert.ok((await failureOf(() => call(bad("3")))) instanceof TypeError);
        assert.ok((await failureOf(() => call(-1n))) instanceof RangeError);
        assert.ok((await failureOf(() => call(2n ** 64n))) instanceof RangeError);
      });
      assert.deepEqual(fake.log, [], `${name} reached the native layer`);
    });
  }

  test("every typed call is in the tables", () => {
    const named = new Set(GOOD.map(([n]) => n));
    const calls = Object.entries(sio).filter(([, v]) => typeof v === "function").map(([k]) => k);
    assert.deepEqual(calls.filter((c) => !named.has(c)), []);
  });
});
