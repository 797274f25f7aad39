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

/** Every typed call with bad arguments on a good socket (9n). */
const CASES: Case[] = [
  // ---- basic.ts
  ["setNonBlocking(1)", (s) => sio.setNonBlocking(s, bad(1)), TypeError, /enabled/],
  ["setNonBlocking(undefined)", (s) => sio.setNonBlocking(s, bad(undefined)), TypeError, /enabled/],
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
];

/** Every typed call with good arguments, to be run on bad sockets. */
const GOOD: [string, (s: sio.SocketRef) => unknown][] = [
  ["setNonBlocking", (s) => sio.setNonBlocking(s, true)],
  ["bytesAvailable", (s) => sio.bytesAvailable(s)],
  ["atOobMark", (s) => sio.atOobMark(s)],
  ["setKeepAlive", (s) => keepAlive(s, {})],
  ["tcpInfo", (s) => sio.tcpInfo(s, 1, TcpInfoV1.alloc())],
  ["setTcpInitialRto", (s) => rto(s, {})],
  ["setTcpInitialCongestionWindow", (s) => icw(s, "high")],
  ["setTcpAckFrequency", (s) => sio.setTcpAckFrequency(s, 2)],
  ["setTimestamping", (s) => stamps(s, {})],
  ["txTimestamp", (s) => sio.txTimestamp(s, 1)],
  ["txTimestampPoller", (s) => sio.txTimestampPoller(s).poll(1)],
];

describe("typed calls refuse bad input before any native call", () => {
  for (const [what, call, error, message] of CASES) {
    test(what, async () => {
      const fake = recordingApi();
      await withFake(fake, () => {
        assert.throws(() => call(9n), (e: unknown) => {
          assert.ok(e instanceof error, `${what}: ${e}`);
          if (message) assert.match((e as Error).message, message);
          return true;
        });
      });
      assert.deepEqual(fake.log, [], `${what} reached the native layer`);
    });
  }

  for (const [name, call] of GOOD) {
    test(`${name} on a closed Socket, a non-socket and an out-of-range handle`, async () => {
      const fake = recordingApi();
      await withFake(fake, () => {
        const s = Socket.open("inet", "dgram");
        s.close();
        fake.log.length = 0;
        assert.throws(() => call(s), SocketClosedError);
        assert.throws(() => call(bad(7)), TypeError);
        assert.throws(() => call(bad("3")), TypeError);
        assert.throws(() => call(-1n), RangeError);
        assert.throws(() => call(2n ** 64n), RangeError);
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
