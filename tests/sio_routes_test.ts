// sio/routes.ts over the recording fake of the native layer: each code, input and output length
// byte for byte (codes written out, sockaddrs written here from the SDK's layout), the decoding
// of a scripted sockaddr answer and of hostile ones, the family check against the socket, the
// hints; and, on the real native layer off Windows, UnsupportedError naming each Windows-only call.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { WinsockError } from "../errors.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { le, sockaddrIn as sin, sockaddrIn6 as sin6, u32le } from "./_helpers/bytes.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { expected, failure, seen, shape } from "./_helpers/sio_record.ts";
import { unsupportedOffWindows } from "./_helpers/typed_calls.ts";

const FE80_1 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1];

/** What `fn` threw over a fake answering `reply` (its bytes, and `returned` as the count). */
async function thrownBy(fn: () => unknown, reply: Uint8Array, returned = reply.length) {
  const fake = recordingApi();
  fake.answer = (_call, output) => (output!.set(reply), returned);
  let caught: unknown;
  await withFake(fake, () => assert.throws(fn, (e) => (caught = e, true)));
  return caught;
}

describe("sio routes: SIO_ROUTING_INTERFACE_QUERY, _GET_BROADCAST_ADDRESS, _FIND_ROUTE", () => {
  test("routingInterface: 0xC8000014, sockaddr_in in, 128 bytes out, the answer decoded", async () => {
    const { call, result } = await seen(
      () => sio.routingInterface(9n, "192.0.2.1"),
      sin([10, 0, 0, 5]),
    );
    assert.deepEqual(shape(call), expected(0xc8000014, sin([192, 0, 2, 1]), 128));
    assert.deepEqual(result, { family: "inet", address: "10.0.0.5", port: 0 });
    const port = await seen(() => sio.routingInterface(9n, "192.0.2.1", 53), sin([10, 0, 0, 5]));
    assert.deepEqual(shape(port.call), expected(0xc8000014, sin([192, 0, 2, 1], 53), 128));
  });

  test("routingInterface: IPv6 with its %scope in, sockaddr_in6 with its scope id out", async () => {
    const { call, result } = await seen(
      () => sio.routingInterface(9n, "fe80::1%3", 443),
      sin6(FE80_1, 3),
    );
    assert.deepEqual(shape(call), expected(0xc8000014, sin6(FE80_1, 3, 443), 128));
    assert.deepEqual(result, { family: "inet6", address: "fe80::1", port: 0, scopeId: 3 });
  });

  test("the destination's family must be the Socket's; a raw handle takes either", async () => {
    const fake = recordingApi();
    await withFake(fake, () => {
      using v4 = Socket.open("inet", "dgram");
      using v6 = Socket.open("inet6", "dgram");
      assert.throws(() => sio.routingInterface(v4, "::1"), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, /^address "::1" is IPv6; the socket is "inet"$/);
        return true;
      });
      assert.throws(() => sio.findRoute(v6, "192.0.2.1"), /IPv4; the socket is "inet6".*::ffff:/);
      assert.equal(fake.calls.length, 0);
      fake.answer = (_call, out) => (out!.set(sin6(MAPPED, 0)), 28);
      sio.routingInterface(v6, "::ffff:192.0.2.1");
      sio.routingInterface(9n, "::1");
    });
    assert.deepEqual(fake.calls.map((c) => [...c.input!]), [
      [...sin6(MAPPED, 0)],
      [...sin6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0)],
    ]);
  });

  test("hostile sockaddr answers: a clear Error naming the call, nothing read outside", async () => {
    const cases: [Uint8Array, number, RegExp][] = [
      [sin([10, 0, 0, 5]), 0, /length 0 is too short/],
      [sin([10, 0, 0, 5]), 15, /too short for inet/],
      [sin6(FE80_1, 1), 20, /too short for inet6/],
      [le(16, [0, 2, 99]), 16, /unknown address family 99/],
      [sin([10, 0, 0, 5]), 129, /length 129 exceeds the 128 bytes/],
    ];
    for (const [reply, returned, detail] of cases) {
      const e = await thrownBy(() => sio.routingInterface(9n, "192.0.2.1"), reply, returned);
      assert.ok(e instanceof Error && e.constructor === Error, String(e));
      assert.match(
        e.message,
        /^routingInterface: WSAIoctl\(SIO_ROUTING_INTERFACE_QUERY\) answered malformed output: /,
      );
      assert.match(e.message, detail);
    }
  });

  test("a runtime socket's family is known from its local address: TypeError, no native call", async () => {
    // node:dgram sockets, in Deno, Bun and Node alike, bound before the fake is installed.
    const bound = (type: "udp4" | "udp6", address: string) =>
      new Promise<dgram.Socket>((resolve, reject) => {
        const u = dgram.createSocket(type);
        u.once("error", reject);
        u.bind(0, address, () => resolve(u));
      });
    const v4 = await bound("udp4", "127.0.0.1");
    let v6: dgram.Socket | undefined;
    try {
      v6 = await bound("udp6", "::1");
    } catch {
      // no IPv6 loopback on this host: the IPv4 half still runs
    }
    try {
      const fake = recordingApi();
      await withFake(fake, () => {
        assert.throws(() => sio.routingInterface(v4, "::1"), (e: unknown) => {
          assert.ok(e instanceof TypeError);
          assert.equal(e.message, `address "::1" is IPv6; the socket is "inet"`);
          return true;
        });
        assert.throws(() => sio.findRoute(v4, "2001:db8::1", 53), /IPv6; the socket is "inet"/);
        if (v6 !== undefined) {
          assert.throws(
            () => sio.routingInterface(v6, "192.0.2.1"),
            /^TypeError: address "192.0.2.1" is IPv4; the socket is "inet6" \(write an IPv4 /,
          );
        }
      });
      assert.deepEqual(fake.log, [], "no native call at all");
    } finally {
      v4.close();
      v6?.close();
    }
  });

  test("routingInterface's refusals carry hints (unreachable, down)", async () => {
    for (const [code, hint] of [[10051, /no local interface/], [10050, /down/]] as const) {
      const e = await failure(() => sio.routingInterface(9n, "192.0.2.1"), code);
      assert.ok(e instanceof WinsockError);
      assert.equal(e.code, code);
      assert.equal(e.typedCall, "routingInterface");
      assert.equal(e.ioctl, "SIO_ROUTING_INTERFACE_QUERY");
      assert.match(e.hint ?? "", hint);
    }
  });

  test("the family and unspecified-address hints name no platform (nothing about Wine)", async () => {
    const cases = [
      [10047, "::1", /^the destination is not of the socket's address family, or the provider /],
      [10022, "0.0.0.0", /^the destination must be one address: the unspecified 0\.0\.0\.0 and ::/],
    ] as const;
    for (const [code, to, hint] of cases) {
      const e = await failure(() => sio.routingInterface(9n, to), code);
      assert.ok(e instanceof WinsockError);
      assert.equal(e.code, code);
      assert.match(e.hint ?? "", hint);
      assert.doesNotMatch(e.message, /Wine/);
    }
  });

  test("broadcastAddress: 0x48000005, no input, 128 bytes out; IPv4 only (hint)", async () => {
    const { call, result } = await seen(() => sio.broadcastAddress(9n), sin([192, 168, 1, 255]));
    assert.deepEqual(shape(call), expected(0x48000005, null, 128));
    assert.deepEqual(result, { family: "inet", address: "192.168.1.255", port: 0 });
    const e = await failure(() => sio.broadcastAddress(9n), 10042);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "broadcastAddress");
    assert.match(e.hint ?? "", /IPv4 sockets only/);
  });

  test("findRoute: 0x48000003 (the O bit lies), sockaddr in, no output", async () => {
    const { call, result } = await seen(() => sio.findRoute(9n, "198.51.100.7", 80));
    assert.deepEqual(shape(call), expected(0x48000003, sin([198, 51, 100, 7], 80), 0));
    assert.equal(result, undefined);
    const v6 = await seen(() => sio.findRoute(9n, "fe80::1%2"));
    assert.deepEqual(shape(v6.call), expected(0x48000003, sin6(FE80_1, 2), 0));
  });
});

describe("sio routes: SIO_FLUSH, _ENABLE_CIRCULAR_QUEUEING, _MULTICAST_SCOPE, _MULTIPOINT_LOOPBACK", () => {
  test("flush: 0x28000004, no buffers; WSAENOPROTOOPT hints", async () => {
    assert.deepEqual(shape((await seen(() => sio.flush(9n))).call), expected(0x28000004, null, 0));
    const e = await failure(() => sio.flush(9n), 10042);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "flush");
    assert.match(e.hint ?? "", /send queue/);
  });

  test("enableCircularQueueing: 0x28000002, no buffers; the hint names the socket kind", async () => {
    const { call } = await seen(() => sio.enableCircularQueueing(9n));
    assert.deepEqual(shape(call), expected(0x28000002, null, 0));
    const e = await failure(() => sio.enableCircularQueueing(9n), 10042);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "enableCircularQueueing");
    assert.match(e.hint ?? "", /unreliable, message-oriented/);
  });

  test("setMulticastScope: 0x8800000A, int 4 in", async () => {
    for (const scope of [0, 1, 32, 255]) {
      const { call } = await seen(() => sio.setMulticastScope(9n, scope));
      assert.deepEqual(shape(call), expected(0x8800000a, u32le(scope), 0));
    }
  });

  test("setMultipointLoopback: 0x88000009 (the header's _WSAIOW), BOOL 4 in", async () => {
    const on = await seen(() => sio.setMultipointLoopback(9n, true));
    assert.deepEqual(shape(on.call), expected(0x88000009, u32le(1), 0));
    const off = await seen(() => sio.setMultipointLoopback(9n, false));
    assert.deepEqual(shape(off.call), expected(0x88000009, u32le(0), 0));
  });
});

// The routing query, the broadcast address and the multicast scope and loopback run off Windows
// too (sio_network_posix_test.ts, sio_portable_linux_test.ts): not asserted here.
unsupportedOffWindows("sio routes", [
  ["findRoute", "dgram", (s) => sio.findRoute(s, "127.0.0.1")],
  ["flush", "stream", (s) => sio.flush(s)],
  ["enableCircularQueueing", "dgram", (s) => sio.enableCircularQueueing(s)],
]);
