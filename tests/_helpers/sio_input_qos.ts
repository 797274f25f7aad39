// Bad-input cases of the qos.ts, transport.ts and wfp.ts typed calls, run by
// tests/sio_input_test.ts: CASES hand a good socket bad arguments; GOOD are well-formed calls,
// run there on closed and invalid sockets.

import * as sio from "../../sio/mod.ts";
import { bad, type Case, type Good } from "./bad_input.ts";

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

/** Bad arguments on a good socket (9n). */
export const CASES: Case[] = [
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

/** Well-formed calls, to be run on bad sockets. */
export const GOOD: Good[] = [
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
