// The typed calls of sio/interfaces.ts, sio/routes.ts and sio/notify.ts on real Winsock, under
// Windows Deno and Bun (Wine 10 in the bed): the interface and address lists and the routing
// query as Wine answers them, the one notification Wine really waits on (SIO_ADDRESS_LIST_CHANGE)
// as a Promise and as an async iterable — pending, aborted, ended by `break`, settled by closing,
// the event loop running meanwhile — and the exact WinsockError where Wine does not implement a
// code.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, WinsockError } from "../../errors.ts";
import { nativeApi } from "../../ffi/select.ts";
import { Socket } from "../../socket.ts";
import * as sio from "../../sio/mod.ts";
import { rejectionWithin, tracked } from "../_helpers/settle.ts";
import { assertWinsock } from "../_helpers/winsock.ts";

const native = nativeApi();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const onlyWine = native.wine ? false : "Wine's answers; Windows itself implements these codes";
const where = `${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`;

/** Asserts `fn` fails with WSAEOPNOTSUPP (10045) named after `typedCall` and `ioctl`. */
function assertNotSupported(fn: () => unknown, typedCall: string, ioctl: string): void {
  const e = assertWinsock(fn, "WSAEOPNOTSUPP");
  assert.equal(e.code, 10045);
  assert.equal(e.typedCall, typedCall);
  assert.equal(e.ioctl, ioctl);
  assert.ok(e.message.startsWith(`${typedCall}: WSAIoctl(${ioctl}) failed: WSAEOPNOTSUPP`));
}

/** Asserts `e` is Wine's WSAEOPNOTSUPP for SIO_ROUTING_INTERFACE_CHANGE, named `typedCall`. */
function assertRoutingChangeRefused(e: unknown, typedCall: string): void {
  assert.ok(e instanceof WinsockError, String(e));
  assert.equal(e.name, "WSAEOPNOTSUPP");
  assert.equal(e.code, 10045);
  assert.equal(e.typedCall, typedCall);
  assert.equal(e.ioctl, "SIO_ROUTING_INTERFACE_CHANGE");
}

describe(`sio interfaces and routes on ${where}`, () => {
  test("interfaceList: 127.0.0.1 with the loopback flag, every entry up with a netmask", () => {
    using s = Socket.open("inet", "dgram");
    const list = sio.interfaceList(s);
    const lo = list.find((i) => i.address === "127.0.0.1");
    assert.ok(lo, JSON.stringify(list));
    assert.equal(lo.flags.loopback, true);
    assert.equal(lo.flags.up, true);
    assert.equal(lo.netmask, "255.0.0.0");
    for (const i of list) {
      assert.match(i.address, /^\d+\.\d+\.\d+\.\d+$/);
      assert.match(i.netmask, /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(i.flags.loopback, i.address.startsWith("127."), JSON.stringify(i));
    }
    // A raw handle gets the same answer.
    assert.deepEqual(sio.interfaceList(s.handle), list);
  });

  test("addressList: non-empty, the IPv4 addresses interfaceList has, minus loopback", () => {
    using s = Socket.open("inet", "dgram");
    const addresses = sio.addressList(s);
    assert.ok(addresses.length > 0);
    for (const a of addresses) assert.deepEqual(Object.keys(a), ["family", "address", "port"]);
    assert.ok(addresses.every((a) => a.family === "inet" && a.port === 0));
    const expected = sio.interfaceList(s).filter((i) => !i.flags.loopback).map((i) => i.address);
    // Wine lists an adapter without an IPv4 address as 0.0.0.0; Windows leaves it out.
    const listed = addresses.map((a) => a.address).filter((a) => !native.wine || a !== "0.0.0.0");
    assert.deepEqual(listed.sort(), expected.sort());
  });

  test("routingInterface: a local IPv4 address (Wine: the host's primary one for 127.0.0.1)", () => {
    using s = Socket.open("inet", "dgram");
    const local = sio.interfaceList(s).map((i) => i.address);
    const lo = sio.routingInterface(s, "127.0.0.1");
    assert.equal(lo.family, "inet");
    assert.ok(local.includes(lo.address), `${lo.address} not in ${local}`);
    if (native.wine) assert.notEqual(lo.address, "127.0.0.1");
    else assert.equal(lo.address, "127.0.0.1");
    const far = sio.routingInterface(s.handle, "192.0.2.77", 53);
    assert.ok(local.includes(far.address), `${far.address} not in ${local}`);
  });

  test(
    "routingInterface: Wine answers IPv4 only (WSAEAFNOSUPPORT on IPv6)",
    { skip: onlyWine },
    () => {
      using s6 = Socket.open("inet6", "dgram");
      const e = assertWinsock(() => sio.routingInterface(s6, "::1"), "WSAEAFNOSUPPORT");
      assert.equal(e.code, 10047);
      assert.equal(e.typedCall, "routingInterface");
      assert.equal(e.ioctl, "SIO_ROUTING_INTERFACE_QUERY");
      // The hint is the same on every platform (it never names Wine).
      assert.match(e.hint ?? "", /^the destination is not of the socket's address family, or /);
    },
  );

  test("Wine accepts SIO_ENABLE_CIRCULAR_QUEUEING and rejects the rest with WSAEOPNOTSUPP", {
    skip: onlyWine,
  }, () => {
    using udp = Socket.open("inet", "dgram");
    sio.enableCircularQueueing(udp);
    assert.equal(udp.getOption("type"), "dgram");
    const cases: [string, string, () => unknown][] = [
      ["interfaceListEx", "SIO_GET_INTERFACE_LIST_EX", () => sio.interfaceListEx(udp)],
      ["broadcastAddress", "SIO_GET_BROADCAST_ADDRESS", () => sio.broadcastAddress(udp)],
      ["findRoute", "SIO_FIND_ROUTE", () => sio.findRoute(udp, "127.0.0.1")],
      ["flush", "SIO_FLUSH", () => sio.flush(udp)],
      ["setMulticastScope", "SIO_MULTICAST_SCOPE", () => sio.setMulticastScope(udp, 1)],
      [
        "setMultipointLoopback",
        "SIO_MULTIPOINT_LOOPBACK",
        () => sio.setMultipointLoopback(udp, false),
      ],
    ];
    for (const [name, ioctl, call] of cases) assertNotSupported(call, name, ioctl);
  });

  test("Wine refuses the portable set's broadcast and multicast codes on every socket alike", {
    skip: onlyWine,
  }, () => {
    // Windows answers 255.255.255.255 on an IPv4 datagram socket, WSAENOPROTOOPT on IPv6 and
    // WSAEINVAL on a stream socket (what Linux and macOS reproduce); Wine 10 has none of it.
    using udp6 = Socket.open("inet6", "dgram");
    using tcp = Socket.open("inet", "stream");
    for (const s of [udp6, tcp]) {
      assertNotSupported(
        () => sio.broadcastAddress(s),
        "broadcastAddress",
        "SIO_GET_BROADCAST_ADDRESS",
      );
    }
    assertNotSupported(
      () => sio.setMulticastScope(udp6, 1),
      "setMulticastScope",
      "SIO_MULTICAST_SCOPE",
    );
    assertNotSupported(
      () => sio.setMultipointLoopback(udp6, true),
      "setMultipointLoopback",
      "SIO_MULTIPOINT_LOOPBACK",
    );
  });
});

describe(`sio change notifications on ${where}`, () => {
  test("addressListChange: pending, the event loop running, then aborted", async () => {
    using s = Socket.open("inet", "dgram");
    const controller = new AbortController();
    const wait = tracked(sio.addressListChange(s, { signal: controller.signal }));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await sleep(300);
    clearInterval(timer);
    assert.equal(wait.settled(), false, "still pending");
    assert.ok(ticks >= 10, `only ${ticks} timer ticks in 300 ms while the wait was pending`);
    const reason = new Error("enough");
    controller.abort(reason);
    assert.equal(await rejectionWithin(wait.promise, 3000), reason);
    assert.equal(s.getOption("type"), "dgram");
  });

  test("addressListChanges: abort ends the loop cleanly", async () => {
    using s = Socket.open("inet", "dgram");
    const controller = new AbortController();
    const lists: unknown[] = [];
    const loop = tracked((async () => {
      for await (const list of sio.addressListChanges(s, { signal: controller.signal })) {
        lists.push(list);
      }
    })());
    await sleep(200);
    assert.equal(loop.settled(), false, "waiting for a change");
    const started = Date.now();
    controller.abort(new Error("stop"));
    await loop.promise; // resolves: no throw
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual(lists, []);
  });

  test("addressListChanges: the current list first, then break cancels the armed wait", async () => {
    using s = Socket.open("inet", "dgram");
    const expected = sio.addressList(s);
    let first: unknown;
    const started = Date.now();
    for await (const list of sio.addressListChanges(s, { initial: true })) {
      first = list;
      break; // return(): cancels the wait armed before the list was read
    }
    assert.deepEqual(first, expected);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    // The socket is untouched and waits again.
    const again = new AbortController();
    const wait = tracked(sio.addressListChange(s, { signal: again.signal }));
    await sleep(100);
    assert.equal(wait.settled(), false);
    again.abort(new Error("done"));
    await rejectionWithin(wait.promise, 3000);
  });

  test("addressListChanges: closing the Socket rejects the pending next(), named", async () => {
    const s = Socket.open("inet", "dgram");
    const changes = sio.addressListChanges(s);
    const next = tracked(changes.next());
    await sleep(100);
    assert.equal(next.settled(), false);
    s.close();
    const e = await rejectionWithin(next.promise, 3000);
    assert.ok(e instanceof SocketClosedError, String(e));
    assert.match(e.message, /^addressListChanges: socket is closed/);
    assert.deepEqual(await changes.next(), { done: true, value: undefined });
  });

  test("routingInterfaceChange and its iterable: Wine fails them at once (WSAEOPNOTSUPP)", {
    skip: onlyWine,
  }, async () => {
    using s = Socket.open("inet", "dgram");
    const e = await rejectionWithin(sio.routingInterfaceChange(s, "127.0.0.1"), 2000);
    assertRoutingChangeRefused(e, "routingInterfaceChange");
    const signal = new AbortController().signal;
    const again = await rejectionWithin(
      sio.routingInterfaceChange(s, "0.0.0.0", { port: 80, signal }),
      2000,
    );
    assertRoutingChangeRefused(again, "routingInterfaceChange");
    const changes = sio.routingInterfaceChanges(s, "127.0.0.1");
    assertRoutingChangeRefused(
      await rejectionWithin(changes.next(), 2000),
      "routingInterfaceChanges",
    );
    assert.deepEqual(await changes.next(), { done: true, value: undefined });
    // With `initial`: the current interface first, then the refusal.
    const withInitial = sio.routingInterfaceChanges(s, "127.0.0.1", { initial: true });
    const { value } = await withInitial.next();
    assert.deepEqual(value, sio.routingInterface(s, "127.0.0.1"));
    const late = await rejectionWithin(withInitial.next(), 2000);
    assertRoutingChangeRefused(late, "routingInterfaceChanges");
  });
});
