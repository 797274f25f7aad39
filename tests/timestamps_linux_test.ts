// Timestamps end to end on real Linux sockets (loopback), under whichever runtime runs this file
// (Deno, Bun, Node): setTimestamping, sends tagged with ids (SCM_TS_OPT_ID, Linux 6.13 and
// later), their TX stamps polled from the error queue by id, RX stamps from recvmsg, all in the
// ticks of timestampNow(). Every stamp must fall between the clock read before its send and the
// one after (TX), or before the send and after the receive (RX).
//
// Linux turns RX stamping on for the whole system lazily (a deferred job), so the first
// datagrams to a newly stamping socket may arrive without a stamp: the RX tests first wait
// (bounded) until the kernel stamps one.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  bytesAvailable,
  setTimestamping,
  Socket,
  timestampFrequency,
  timestampNow,
  txTimestamp,
  txTimestampPoller,
  UnsupportedError,
  WinsockError,
} from "../mod.ts";
import { LINUX_STAMPS, OPT_ID } from "./_helpers/kernel.ts";
import { tcpPair, udpPair } from "./_helpers/pair.ts";

const skip = !LINUX_STAMPS && "Linux on x86_64 or arm64 only";
const skipIds = !OPT_ID && "timestamp ids need Linux 6.13 or later (SCM_TS_OPT_ID)";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pair = udpPair;

/** Polls until a stamp comes (loopback stamps at send time; bounded all the same). */
async function stampOf(poll: () => bigint | undefined, what: string): Promise<bigint> {
  for (let i = 0; i < 200; i++) {
    const t = poll();
    if (t !== undefined) return t;
    await sleep(5);
  }
  assert.fail(`no TX stamp for ${what}`);
}

function within(t: bigint, [before, after]: [bigint, bigint], what: string): void {
  assert.ok(before <= t && t <= after, `${what}: ${before} <= ${t} <= ${after}`);
}

const data = new Uint8Array([1, 2, 3]);

describe("TX timestamps on Linux: ids through SCM_TS_OPT_ID, stamps from the error queue", {
  skip: skip || skipIds,
}, () => {
  test("ids 1000, 1001 and 77, polled out of order: each inside its send's window", async () => {
    using p = pair();
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 8 });
    const windows = new Map<number, [bigint, bigint]>();
    for (const id of [1000, 1001, 77]) {
      const before = timestampNow();
      assert.equal(p.a.sendTo(data, p.host, p.port, { timestampId: id }), 3);
      windows.set(id, [before, timestampNow()]);
    }
    const poller = txTimestampPoller(p.a);
    // 77 is read last from the queue: 1000 and 1001 are kept on the way, then found by id.
    for (const id of [77, 1001, 1000]) {
      within(await stampOf(() => poller.poll(id), `id ${id}`), windows.get(id)!, `id ${id}`);
    }
    for (let i = 0; i < 3; i++) assert.equal(p.b.recvFrom(new Uint8Array(8)).bytes, 3);
  });

  test("a second poll of the same id is undefined, and so is an id never sent", async () => {
    using p = pair();
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 4 });
    const poller = txTimestampPoller(p.a);
    p.a.sendTo(data, p.host, p.port, { timestampId: 5 });
    p.a.sendTo(data, p.host, p.port, { timestampId: 6 });
    await stampOf(() => poller.poll(6), "id 6");
    assert.equal(poller.poll(6), undefined, "polled twice");
    await stampOf(() => poller.poll(5), "id 5 (kept while 6 was looked for)");
    assert.equal(poller.poll(5), undefined);
    assert.equal(poller.poll(123456), undefined, "never sent");
    assert.equal(txTimestamp(p.a, 123456), undefined);
  });

  test("txTimestamp and every poller of a socket share what was read: kept per socket", async () => {
    using p = pair();
    using other = pair();
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 4 });
    setTimestamping(other.a, { rx: false, tx: true, txBuffered: 4 });
    for (const id of [1, 2, 3]) p.a.sendTo(data, p.host, p.port, { timestampId: id });
    other.a.sendTo(data, other.host, other.port, { timestampId: 1 });
    await stampOf(() => txTimestamp(p.a, 3), "id 3"); // reads 1 and 2 on the way
    const t2 = txTimestampPoller(p.a).poll(2);
    const t1 = txTimestampPoller(p.a).poll(1);
    assert.ok(t1 !== undefined && t2 !== undefined && t1 <= t2, `${t1} <= ${t2}`);
    // The other socket's id 1 is its own, read from its own queue.
    const o1 = await stampOf(() => txTimestampPoller(other.a).poll(1), "other's id 1");
    assert.notEqual(o1, t1);
    assert.equal(txTimestamp(other.a, 2), undefined, "p's stamps are not other's");
  });

  test("txBuffered: at most that many other ids are kept; further ones are dropped", async () => {
    using p = pair();
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 2 });
    for (const id of [1, 2, 3, 4, 5]) p.a.sendTo(data, p.host, p.port, { timestampId: id });
    const poller = txTimestampPoller(p.a);
    // Looking for 5 reads 1..4 first: 1 and 2 are kept, 3 and 4 dropped.
    await stampOf(() => poller.poll(5), "id 5");
    assert.notEqual(poller.poll(1), undefined, "kept");
    assert.notEqual(poller.poll(2), undefined, "kept");
    assert.equal(poller.poll(3), undefined, "dropped: the ring was full");
    assert.equal(poller.poll(4), undefined, "dropped");
    // With txBuffered 0 nothing is kept: only the id asked for is returned.
    setTimestamping(p.a, { rx: false, tx: true });
    for (const id of [7, 8]) p.a.sendTo(data, p.host, p.port, { timestampId: id });
    await stampOf(() => poller.poll(8), "id 8");
    assert.equal(poller.poll(7), undefined, "txBuffered 0 keeps none");
  });

  test("IPv6 (IPV6_RECVERR): the same ids and windows", async () => {
    using p = pair("inet6");
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 2 });
    const before = timestampNow();
    p.a.sendTo(data, p.host, p.port, { timestampId: 0xffffffff });
    p.a.sendTo(data, p.host, p.port, { timestampId: 0 });
    const after = timestampNow();
    const poller = txTimestampPoller(p.a);
    within(await stampOf(() => poller.poll(0), "id 0"), [before, after], "id 0");
    within(await stampOf(() => poller.poll(0xffffffff), "id 2^32-1"), [before, after], "max id");
  });

  test("send on a connected socket, with an id", async () => {
    using p = pair();
    p.a.connect(p.host, p.port);
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 1 });
    const before = timestampNow();
    assert.equal(p.a.send(data, { timestampId: 42 }), 3);
    const after = timestampNow();
    within(await stampOf(() => txTimestamp(p.a, 42), "id 42"), [before, after], "id 42");
    assert.equal(p.b.recvFrom(new Uint8Array(8)).bytes, 3);
  });
});

describe("TX timestamps on Linux without ids: the socket's OPT_ID counter", { skip }, () => {
  test("0 for the first send after setTimestamping, then 1, 2; ids do not advance it", async () => {
    using p = pair();
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 8 });
    const windows: [bigint, bigint][] = [];
    for (let i = 0; i < 3; i++) {
      const before = timestampNow();
      p.a.sendTo(data, p.host, p.port);
      windows.push([before, timestampNow()]);
    }
    const poller = txTimestampPoller(p.a);
    for (const id of [2, 0, 1]) {
      within(await stampOf(() => poller.poll(id), `counter ${id}`), windows[id], `counter ${id}`);
    }
    // setTimestamping again starts the counter at 0 again.
    setTimestamping(p.a, { rx: false, tx: true, txBuffered: 8 });
    if (OPT_ID) p.a.sendTo(data, p.host, p.port, { timestampId: 500 });
    p.a.sendTo(data, p.host, p.port);
    await stampOf(() => poller.poll(0), "counter 0 after setTimestamping again");
    if (OPT_ID) await stampOf(() => poller.poll(500), "id 500");
    assert.equal(poller.poll(1), undefined, "the id send did not take a counter value");
  });
});

describe("RX timestamps on Linux: recvFrom(into, { timestamp: true })", { skip }, () => {
  test("each stamp falls between the clock read before the send and after the receive", async () => {
    using p = pair();
    setTimestamping(p.b, { rx: true, tx: false });
    // Wait until the kernel stamps (RX stamping is turned on system-wide by a deferred job).
    let stamped = false;
    for (let i = 0; i < 400 && !stamped; i++) {
      p.a.sendTo(data, p.host, p.port);
      stamped = p.b.recvFrom(new Uint8Array(8), { timestamp: true }).timestamp !== undefined;
      if (!stamped) await sleep(5);
    }
    assert.ok(stamped, "the kernel never stamped a datagram");
    const from = p.a.localAddress();
    for (let i = 0; i < 5; i++) {
      const before = timestampNow();
      p.a.sendTo(data, p.host, p.port);
      const r = p.b.recvFrom(new Uint8Array(8), { timestamp: true });
      const after = timestampNow();
      assert.equal(r.bytes, 3);
      assert.deepEqual(r.from, from);
      assert.ok(r.timestamp !== undefined, `datagram ${i} has no stamp`);
      within(r.timestamp, [before, after], `datagram ${i}`);
    }
  });

  test("no stamp when RX stamping is off; the result still names the sender", () => {
    using p = pair();
    p.a.sendTo(data, p.host, p.port);
    const r = p.b.recvFrom(new Uint8Array(8), { timestamp: true });
    assert.deepEqual(r, { bytes: 3, from: p.a.localAddress(), timestamp: undefined });
    assert.ok("timestamp" in r);
    // Without the option the result has no timestamp key at all.
    p.a.sendTo(data, p.host, p.port);
    assert.ok(!("timestamp" in p.b.recvFrom(new Uint8Array(8))));
  });

  test("a stream socket: timestamp undefined (Windows stamps datagrams only)", () => {
    using p = tcpPair();
    p.client.send(data);
    const r = p.peer.recvFrom(new Uint8Array(8), { timestamp: true });
    assert.equal(r.bytes, 3);
    assert.equal(r.timestamp, undefined);
    assert.deepEqual(r.from, p.client.localAddress());
  });
});

describe("timestamps on Linux: what is refused, and the clock", { skip }, () => {
  test("setTimestamping on a stream socket: WSAEINVAL with the datagram-only hint", () => {
    using s = Socket.open("inet", "stream");
    assert.throws(() => setTimestamping(s, { rx: true, tx: true }), (e: unknown) => {
      assert.ok(e instanceof WinsockError, String(e));
      assert.equal(e.code, 10022);
      assert.equal(e.typedCall, "setTimestamping");
      assert.match(e.hint ?? "", /datagram/);
      return true;
    });
  });

  test("a bad timestampId sends nothing", () => {
    using p = pair();
    for (const [id, kind] of [[-1, RangeError], [2 ** 32, RangeError], [0.5, TypeError]] as const) {
      assert.throws(() => p.a.sendTo(data, p.host, p.port, { timestampId: id }), kind);
      assert.throws(() => p.a.send(data, { timestampId: id }), kind);
    }
    assert.equal(bytesAvailable(p.b), 0, "nothing arrived");
    assert.equal(txTimestamp(p.a, 0), undefined);
  });

  test("a timestampId before setTimestamping: WSAEINVAL (Linux takes ids with OPT_ID on)", {
    skip: skipIds,
  }, () => {
    using p = pair();
    assert.throws(() => p.a.sendTo(data, p.host, p.port, { timestampId: 1 }), (e: unknown) => {
      assert.ok(e instanceof WinsockError, String(e));
      assert.equal(e.code, 10022);
      return true;
    });
    assert.equal(bytesAvailable(p.b), 0, "nothing was sent");
    setTimestamping(p.a, { rx: false, tx: false }); // stamps off, ids taken
    assert.equal(p.a.sendTo(data, p.host, p.port, { timestampId: 1 }), 3);
  });

  test("before Linux 6.13 a timestampId is UnsupportedError naming it; nothing is sent", {
    skip: OPT_ID && "this kernel has SCM_TS_OPT_ID (tests/timestamps_posix_fake_test.ts covers it)",
  }, () => {
    using p = pair();
    assert.throws(() => p.a.sendTo(data, p.host, p.port, { timestampId: 1 }), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError);
      assert.match(e.message, /timestampId/);
      return true;
    });
    assert.equal(bytesAvailable(p.b), 0);
  });

  test("timestampNow is CLOCK_REALTIME in nanoseconds; timestampFrequency is 1e9", () => {
    assert.equal(timestampFrequency(), 1_000_000_000n);
    const ms = BigInt(Date.now());
    const now = timestampNow();
    const later = BigInt(Date.now());
    // Date.now() is CLOCK_REALTIME in milliseconds.
    assert.ok(now / 1_000_000n >= ms - 1n && now / 1_000_000n <= later + 1n, `${now} vs ${ms}`);
    assert.ok(timestampNow() >= now);
  });
});
