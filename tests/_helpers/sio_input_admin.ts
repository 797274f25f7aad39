// Bad-input cases of the rcvall.ts, ports.ts, rss.ts, companion.ts typed calls, run by
// tests/sio_input_test.ts: CASES hand a good socket bad arguments; GOOD are well-formed calls,
// run there on closed and invalid sockets.

import * as sio from "../../sio/mod.ts";
import { bad, type Case, type Fields, type Good } from "./bad_input.ts";

// ---- ports.ts, companion.ts: good arguments with some fields replaced
const acquire = (s: sio.SocketRef, o: Fields) =>
  sio.acquirePortReservation(s, bad({ startPort: 0, count: 1, ...o }));
const reserve = (s: sio.SocketRef, o: Fields) => sio.reservePorts(s, bad({ count: 1, ...o }));
const assoc = (s: sio.SocketRef, o: Fields) =>
  sio.associateHandle(s, bad({ api: "netdev", handle: 1n, ...o }));
/** A Uint8Array whose ArrayBuffer was since transferred (detached). */
function detachedBytes(): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(4));
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return bytes;
}

/** Bad arguments on a good socket (9n). */
export const CASES: Case[] = [
  // ---- rcvall.ts
  ['setReceiveAll("all")', (s) => sio.setReceiveAll(s, bad("all")), RangeError, /mode.*"ipLevel"/],
  ['setReceiveAll("ON")', (s) => sio.setReceiveAll(s, bad("ON")), RangeError, /^mode /],
  ["setReceiveAll(1)", (s) => sio.setReceiveAll(s, bad(1)), TypeError, /^mode /],
  ["setReceiveAll()", (s) => sio.setReceiveAll(s, bad(undefined)), TypeError, /^mode /],
  [
    'setReceiveAllMulticast("ipLevel")',
    (s) => sio.setReceiveAllMulticast(s, bad("ipLevel")),
    RangeError,
    /^mode must be one of "off", "on", got/,
  ],
  ["setReceiveAllMulticast(true)", (s) => sio.setReceiveAllMulticast(s, bad(true)), TypeError],
  ['setReceiveAllIgmp("toString")', (s) => sio.setReceiveAllIgmp(s, bad("toString")), RangeError],
  ["setReceiveAllIgmp(0)", (s) => sio.setReceiveAllIgmp(s, bad(0)), TypeError, /^mode /],
  // ---- ports.ts
  [
    "acquirePortReservation(null)",
    (s) => sio.acquirePortReservation(s, bad(null)),
    TypeError,
    /^range /,
  ],
  ['acquirePortReservation("5000")', (s) => sio.acquirePortReservation(s, bad("5000")), TypeError],
  ["acquire startPort: -1", (s) => acquire(s, { startPort: -1 }), RangeError, /range\.startPort/],
  ["acquire startPort: 65536", (s) => acquire(s, { startPort: 65536 }), RangeError, /startPort/],
  ["acquire startPort: 1.5", (s) => acquire(s, { startPort: 1.5 }), TypeError, /startPort/],
  ["acquire startPort: undefined", (s) => acquire(s, { startPort: undefined }), TypeError],
  ["acquire count: 0", (s) => acquire(s, { count: 0 }), RangeError, /range\.count .*1\.\.65535/],
  ["acquire count: 65536", (s) => acquire(s, { count: 65536 }), RangeError, /range\.count/],
  ['acquire count: "1"', (s) => acquire(s, { count: "1" }), TypeError, /range\.count/],
  ["acquire count: 1n", (s) => acquire(s, { count: 1n }), TypeError, /range\.count/],
  [
    "acquire 65535 + 2 passes port 65535",
    (s) => acquire(s, { startPort: 65535, count: 2 }),
    RangeError,
    /range\.startPort \+ range\.count must be at most 65536.*65535 \+ 2/,
  ],
  ["acquire 2 + 65535", (s) => acquire(s, { startPort: 2, count: 65535 }), RangeError, /65536/],
  ["reservePorts()", (s) => sio.reservePorts(s, bad(undefined)), TypeError, /^range /],
  ["reservePorts({})", (s) => sio.reservePorts(s, bad({})), TypeError, /range\.count/],
  ["reserve startPort: null", (s) => reserve(s, { startPort: null }), TypeError, /startPort/],
  ["reserve 60000 + 6000", (s) => reserve(s, { startPort: 60000, count: 6000 }), RangeError],
  ["releasePortReservation(1)", (s) => sio.releasePortReservation(s, bad(1)), TypeError, /token/],
  ["releasePortReservation(-1n)", (s) => sio.releasePortReservation(s, -1n), RangeError, /token/],
  [
    "associatePortReservation(2n ** 64n)",
    (s) => sio.associatePortReservation(s, 2n ** 64n),
    RangeError,
    /^token /,
  ],
  ['associatePortReservation("1")', (s) => sio.associatePortReservation(s, bad("1")), TypeError],
  // ---- rss.ts: no argument but the socket (the closed/invalid sockets below)
  // ---- companion.ts
  ["associateHandle(null)", (s) => sio.associateHandle(s, bad(null)), TypeError, /^options /],
  ['assoc api: "NETDEV"', (s) => assoc(s, { api: "NETDEV" }), RangeError, /api.*"netdev", "tapi"/],
  ["assoc api: -1", (s) => assoc(s, { api: -1 }), RangeError, /options\.api/],
  ["assoc api: 2 ** 32", (s) => assoc(s, { api: 2 ** 32 }), RangeError, /options\.api/],
  ["assoc api: 1.5", (s) => assoc(s, { api: 1.5 }), TypeError, /options\.api/],
  ["assoc api: null", (s) => assoc(s, { api: null }), TypeError, /"tapi" or an integer/],
  ["assoc handle: 1", (s) => assoc(s, { handle: 1 }), TypeError, /options\.handle/],
  ["assoc handle: -1n", (s) => assoc(s, { handle: -1n }), RangeError, /options\.handle/],
  ["assoc handle: 2n ** 64n", (s) => assoc(s, { handle: 2n ** 64n }), RangeError, /handle/],
  [
    "assoc tapi handle: 2n ** 32n",
    (s) => assoc(s, { api: "tapi", handle: 2n ** 32n }),
    RangeError,
    /options\.handle .*2\^32-1 for TAPI/,
  ],
  ["assoc extra: [1, 2]", (s) => assoc(s, { extra: [1, 2] }), TypeError, /options\.extra/],
  ["assoc extra: null", (s) => assoc(s, { extra: null }), TypeError, /options\.extra/],
  ["assoc extra: detached", (s) => assoc(s, { extra: detachedBytes() }), TypeError, /detached/],
  ['translateHandle("x")', (s) => sio.translateHandle(s, bad("x")), RangeError, /^api /],
  ["translateHandle(true)", (s) => sio.translateHandle(s, bad(true)), TypeError, /^api /],
  ["translateHandle(-1)", (s) => sio.translateHandle(s, -1), RangeError, /^api /],
  ["translateHandle(1n)", (s) => sio.translateHandle(s, bad(1n)), TypeError, /^api /],
];

/** Well-formed calls, to be run on bad sockets. */
export const GOOD: Good[] = [
  // ---- rcvall.ts
  ["setReceiveAll", (s) => sio.setReceiveAll(s, "ipLevel")],
  ["setReceiveAllMulticast", (s) => sio.setReceiveAllMulticast(s, "on")],
  ["setReceiveAllIgmp", (s) => sio.setReceiveAllIgmp(s, "off")],
  // ---- ports.ts
  ["acquirePortReservation", (s) => sio.acquirePortReservation(s, { startPort: 5000, count: 8 })],
  ["releasePortReservation", (s) => sio.releasePortReservation(s, 1n)],
  ["associatePortReservation", (s) => sio.associatePortReservation(s, 1n)],
  ["reservePorts", (s) => sio.reservePorts(s, { count: 1 })],
  // ---- rss.ts
  ["rssProcessorInfo", (s) => sio.rssProcessorInfo(s)],
  ["rssScalabilityInfo", (s) => sio.rssScalabilityInfo(s)],
  // ---- companion.ts
  [
    "associateHandle",
    (s) => sio.associateHandle(s, { api: "tapi", handle: 1n, extra: new Uint8Array(2) }),
  ],
  ["translateHandle", (s) => sio.translateHandle(s, "netdev")],
];
