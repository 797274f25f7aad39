// sio/rcvall.ts and sio/ports.ts over the recording fake of the native layer: the code, input bytes
// and output length each call hands WSAIoctl, byte for byte, and the decoding of scripted answers.
// The codes are the SDK's values written out (mstcpip.h: _WSAIOW(IOC_VENDOR, 1..3) and
// _WSAIOW(IOC_VENDOR, 100..102)); the bytes are written here from the SDK's layouts — INET_PORT_RANGE's
// StartPort as two big-endian bytes (network byte order, Microsoft's sample stores htons(port)),
// never through the project's views. Then the disposable reservation (exactly one release), and
// every call of both modules off Windows on the real native layer (UnsupportedError naming it).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { Socket } from "../socket.ts";
import { handleOf } from "../runtime.ts";
import * as sio from "../sio/mod.ts";
import { le, u32le } from "./_helpers/bytes.ts";
import { type RecordingApi, recordingApi, withFake } from "./_helpers/recording_api.ts";
import { expected, failure, seen, shape } from "./_helpers/sio_record.ts";
import { unsupportedOffWindows } from "./_helpers/typed_calls.ts";
import { tcpPair } from "./_helpers/pair.ts";

const SIO_ACQUIRE_PORT_RESERVATION = 0x98000064;
const SIO_RELEASE_PORT_RESERVATION = 0x98000065;
const SIO_ASSOCIATE_PORT_RESERVATION = 0x98000066;

/** INET_PORT_RANGE as the SDK lays it out: StartPort @0 big-endian, NumberOfPorts @2 LE. */
function portRange(startPort: number, count: number): Uint8Array {
  return new Uint8Array([startPort >> 8, startPort & 0xff, count & 0xff, count >> 8]);
}

/** INET_PORT_RESERVATION_INSTANCE: Reservation (INET_PORT_RANGE) @0, 4 padding, Token @8. */
function instance(startPort: number, count: number, token: bigint): Uint8Array {
  const b = le(16, [8, 8, token]);
  b.set(portRange(startPort, count), 0);
  return b;
}

describe("sio rcvall: SIO_RCVALL, SIO_RCVALL_MCAST, SIO_RCVALL_IGMPMCAST over the fake", () => {
  test("setReceiveAll: 0x98000001, RCVALL_VALUE off 0 / on 1 / socketLevelOnly 2 / ipLevel 3", async () => {
    const modes = [["off", 0], ["on", 1], ["socketLevelOnly", 2], ["ipLevel", 3]] as const;
    for (const [mode, value] of modes) {
      const { call, result } = await seen(() => sio.setReceiveAll(9n, mode));
      assert.deepEqual(shape(call), expected(0x98000001, u32le(value), 0), mode);
      assert.equal(call.handle, 9n);
      assert.equal(result, undefined);
    }
  });

  const ON_OFF = [
    ["setReceiveAllMulticast", 0x98000002, sio.setReceiveAllMulticast],
    ["setReceiveAllIgmp", 0x98000003, sio.setReceiveAllIgmp],
  ] as const;
  for (const [name, code, call] of ON_OFF) {
    test(`${name}: 0x${code.toString(16).toUpperCase()}, RCVALL_VALUE off 0 / on 1`, async () => {
      assert.deepEqual(
        shape((await seen(() => call(9n, "off"))).call),
        expected(code, u32le(0), 0),
      );
      assert.deepEqual(shape((await seen(() => call(9n, "on"))).call), expected(code, u32le(1), 0));
    });
  }

  test("WSAEACCES hints at Administrator, WSAEINVAL at the raw socket bound to an interface", async () => {
    const calls = [
      ["setReceiveAll", "SIO_RCVALL", () => sio.setReceiveAll(9n, "on"), /IPPROTO_IP\b/],
      [
        "setReceiveAllMulticast",
        "SIO_RCVALL_MCAST",
        () => sio.setReceiveAllMulticast(9n, "on"),
        /IPPROTO_UDP/,
      ],
      ["setReceiveAllIgmp", "SIO_RCVALL_IGMPMCAST", () => sio.setReceiveAllIgmp(9n, "on"), /IGMP/],
    ] as const;
    for (const [name, ioctl, call, protocol] of calls) {
      const denied = await failure(call, 10013);
      assert.ok(denied instanceof WinsockError, String(denied));
      assert.equal(denied.name, "WSAEACCES");
      assert.equal(denied.typedCall, name);
      assert.equal(denied.ioctl, ioctl);
      assert.match(denied.hint ?? "", /Administrator/);
      assert.match(
        denied.message,
        new RegExp(`^${name}: WSAIoctl\\(${ioctl}\\) failed: WSAEACCES`),
      );
      assert.match(denied.message, /Administrator/, "the message carries the hint");
      const invalid = await failure(call, 10022);
      assert.ok(invalid instanceof WinsockError, String(invalid));
      assert.equal(invalid.code, 10022);
      assert.match(invalid.hint ?? "", /raw .*socket.*bound to an explicit local address/);
      assert.match(invalid.hint ?? "", protocol);
      assert.match(invalid.message, /INADDR_ANY/);
      // A refusal with no known precondition: named, no hint.
      const other = await failure(call, 10038);
      assert.ok(other instanceof WinsockError && other.hint === undefined, String(other));
    }
  });
});

describe("sio ports: SIO_ACQUIRE/RELEASE/ASSOCIATE_PORT_RESERVATION over the fake", () => {
  test("acquirePortReservation: 0x98000064, StartPort big-endian @0, NumberOfPorts LE @2, 16 out", async () => {
    const cases = [[5000, 20], [0x0102, 0x0304], [0, 1], [65535, 1], [1, 65535]] as const;
    for (const [startPort, count] of cases) {
      const { call } = await seen(
        () => sio.acquirePortReservation(9n, { startPort, count }),
        instance(startPort, count, 1n),
      );
      assert.deepEqual(
        shape(call),
        expected(SIO_ACQUIRE_PORT_RESERVATION, portRange(startPort, count), 16),
        `${startPort} + ${count}`,
      );
    }
    // 5000 = 0x1388: the first byte on the wire is 0x13 (htons), not 0x88.
    const { call } = await seen(
      () => sio.acquirePortReservation(9n, { startPort: 5000, count: 20 }),
      instance(5000, 20, 1n),
    );
    assert.deepEqual([...call.input!], [0x13, 0x88, 20, 0]);
  });

  test("acquirePortReservation reads Reservation.StartPort back from network order, the token LE", async () => {
    // What Windows writes: StartPort 0x1389 (5001) as 13 89, 20 ports, a token with every byte set.
    const reply = new Uint8Array([
      0x13,
      0x89,
      0x14,
      0x00,
      0,
      0,
      0,
      0,
      0x88,
      0x77,
      0x66,
      0x55,
      0x44,
      0x33,
      0x22,
      0x11,
    ]);
    const { result } = await seen(
      () => sio.acquirePortReservation(9n, { startPort: 0, count: 20 }),
      reply,
    );
    assert.deepEqual(result, { startPort: 5001, count: 20, token: 0x1122334455667788n });
    // Asymmetric bytes both ways: 01 02 is port 258, 04 03 is 0x0304 ports.
    const odd = await seen(
      () => sio.acquirePortReservation(9n, { startPort: 258, count: 0x0304 }),
      new Uint8Array([1, 2, 4, 3, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    );
    assert.deepEqual(odd.result, { startPort: 258, count: 0x0304, token: 0xffffffffffffffffn });
  });

  test("acquirePortReservation refuses a short answer: no field read from bytes never written", async () => {
    for (const written of [0, 8, 15]) {
      const fake = recordingApi();
      fake.answer = (_call, output) => (output!.set(instance(5000, 20, 7n)), written);
      await withFake(fake, () => {
        assert.throws(() => sio.acquirePortReservation(9n, { startPort: 5000, count: 20 }), {
          name: "Error",
          message: `acquirePortReservation: SIO_ACQUIRE_PORT_RESERVATION reported ${written} ` +
            "bytes written; INET_PORT_RESERVATION_INSTANCE has 16",
        });
      });
    }
  });

  test("releasePortReservation 0x98000065 / associatePortReservation 0x98000066: the ULONG64 token, no output", async () => {
    for (const token of [0n, 1n, 0x0102030405060708n, 0xffffffffffffffffn]) {
      const released = await seen(() => sio.releasePortReservation(9n, token));
      assert.deepEqual(
        shape(released.call),
        expected(SIO_RELEASE_PORT_RESERVATION, le(8, [0, 8, token]), 0),
      );
      assert.equal(released.result, undefined);
      const associated = await seen(() => sio.associatePortReservation(9n, token));
      assert.deepEqual(
        shape(associated.call),
        expected(SIO_ASSOCIATE_PORT_RESERVATION, le(8, [0, 8, token]), 0),
      );
    }
  });

  test("refusals hint: associate before bind, TCP or UDP only, a live token", async () => {
    const early = await failure(() => sio.associatePortReservation(9n, 5n), 10022);
    assert.ok(early instanceof WinsockError, String(early));
    assert.equal(early.typedCall, "associatePortReservation");
    assert.equal(early.ioctl, "SIO_ASSOCIATE_PORT_RESERVATION");
    assert.match(early.hint ?? "", /before bind/);
    const persistent = await failure(() => sio.associatePortReservation(9n, 5n), 10013);
    assert.ok(persistent instanceof WinsockError);
    assert.match(persistent.hint ?? "", /Administrator/);
    const raw = await failure(
      () => sio.acquirePortReservation(9n, { startPort: 0, count: 1 }),
      10045,
    );
    assert.ok(raw instanceof WinsockError);
    assert.equal(raw.typedCall, "acquirePortReservation");
    assert.match(raw.hint ?? "", /TCP and UDP/);
    const unknown = await failure(() => sio.releasePortReservation(9n, 5n), 10022);
    assert.ok(unknown instanceof WinsockError);
    assert.match(unknown.hint ?? "", /acquired/);
  });
});

/** A fake that grants reservations (16-byte answer) and accepts releases; counts the releases. */
function reservingFake(token = 0xabcdn): RecordingApi & { releases: () => bigint[] } {
  const fake = recordingApi();
  fake.answer = (call, output) => {
    if (call.code !== SIO_ACQUIRE_PORT_RESERVATION) return 0;
    output!.set(instance(49152, 8, token));
    return 16;
  };
  return Object.assign(fake, {
    releases: () =>
      fake.calls.filter((c) => c.code === SIO_RELEASE_PORT_RESERVATION).map((c) =>
        new DataView(c.input!.buffer).getBigUint64(0, true)
      ),
  });
}

describe("sio ports: reservePorts releases exactly once", () => {
  test("using: one SIO_RELEASE_PORT_RESERVATION with the acquired token at the end of the block", async () => {
    const fake = reservingFake(0x1234n);
    await withFake(fake, () => {
      {
        using ports = sio.reservePorts(9n, { count: 8 });
        assert.deepEqual(
          { startPort: ports.startPort, count: ports.count, token: ports.token },
          { startPort: 49152, count: 8, token: 0x1234n },
        );
        assert.equal(ports.released, false);
        assert.deepEqual(fake.releases(), [], "nothing released inside the block");
      }
      assert.deepEqual(fake.releases(), [0x1234n]);
    });
    // startPort omitted = 0: "any"; the release goes to the acquiring handle.
    assert.deepEqual(
      shape(fake.calls[0]),
      expected(SIO_ACQUIRE_PORT_RESERVATION, portRange(0, 8), 16),
    );
    assert.deepEqual(fake.calls.map((c) => c.handle), [9n, 9n]);
  });

  test("release() twice, then dispose: still exactly one release", async () => {
    const fake = reservingFake();
    await withFake(fake, () => {
      const ports = sio.reservePorts(9n, { startPort: 6000, count: 2 });
      ports.release();
      assert.equal(ports.released, true);
      ports.release();
      ports[Symbol.dispose]();
    });
    assert.deepEqual(fake.releases(), [0xabcdn]);
    assert.equal(fake.calls.length, 2, "one acquire, one release");
  });

  test("a refused release is thrown once and not retried by dispose", async () => {
    const fake = reservingFake();
    await withFake(fake, () => {
      const ports = sio.reservePorts(9n, { count: 1 });
      fake.answer = () => ({ error: 10022 });
      assert.throws(() => ports.release(), (e: unknown) => {
        assert.ok(e instanceof WinsockError && e.typedCall === "releasePortReservation", String(e));
        return true;
      });
      ports[Symbol.dispose]();
    });
    assert.equal(fake.releases().length, 1);
  });

  test("a closed Socket took its reservation with it: disposal calls nothing", async () => {
    const fake = reservingFake();
    await withFake(fake, () => {
      const s = Socket.open("inet", "stream");
      const ports = sio.reservePorts(s, { count: 4 });
      s.close();
      ports[Symbol.dispose]();
      assert.equal(ports.released, true);
    });
    assert.deepEqual(fake.releases(), []);
  });

  test("a runtime socket closed before the end of the scope: disposal is a no-op", async () => {
    using pair = tcpPair();
    const local = pair.client.localAddress();
    const remote = pair.client.remoteAddress();
    // A Bun socket as Bun shows it: its fd, -1 (and readyState -1) once closed; its handle found
    // (and kept) on the real native layer first.
    const bunSocket = () => {
      const o = {
        readyState: 1,
        fd: Number(pair.client.handle),
        localAddress: local.address,
        localPort: local.port,
        remoteAddress: remote.address,
        remotePort: remote.port,
      };
      assert.equal(handleOf(o), pair.client.handle);
      return o;
    };
    const closeIt = (o: { readyState: number; fd: number }) => (o.readyState = o.fd = -1);
    const [first, second] = [bunSocket(), bunSocket()];
    const fake = reservingFake();
    // The handle was found (and its identity kept) on the real native layer: the fake answers
    // the identity check from it, as the same socket would.
    const real = nativeApi();
    fake.api.socketIdentity = (s, out) => real.socketIdentity(s, out);
    const body = new Error("the scope's own failure");
    await withFake(fake, () => {
      const ports = sio.reservePorts(first, { count: 4 });
      closeIt(first);
      ports[Symbol.dispose]();
      assert.equal(ports.released, true);
      // In a `using` scope that fails: its own error comes out, not a SuppressedError.
      assert.throws(() => {
        using _ports = sio.reservePorts(second, { count: 4 });
        closeIt(second);
        throw body;
      }, (e: unknown) => e === body);
    });
    assert.deepEqual(fake.releases(), [], "a release reached a closed socket's number");
    assert.equal(fake.calls.length, 2, "two acquires");
  });

  test("reservePorts: validation first, refusals and closed sockets name reservePorts", async () => {
    const fake = reservingFake();
    await withFake(fake, () => {
      const s = Socket.open("inet", "stream");
      s.close();
      assert.throws(() => sio.reservePorts(s, { count: 1 }), SocketClosedError);
      assert.throws(() => sio.reservePorts(s, { count: 0 }), RangeError);
    });
    assert.deepEqual(fake.calls, []);
    const e = await failure(() => sio.reservePorts(9n, { count: 1 }), 10045);
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.typedCall, "reservePorts");
    assert.equal(e.ioctl, "SIO_ACQUIRE_PORT_RESERVATION");
    assert.match(e.hint ?? "", /TCP and UDP/);
  });
});

unsupportedOffWindows("sio rcvall and ports", [
  ["setReceiveAll", "dgram", (s) => sio.setReceiveAll(s, "on")],
  ["setReceiveAllMulticast", "dgram", (s) => sio.setReceiveAllMulticast(s, "off")],
  ["setReceiveAllIgmp", "dgram", (s) => sio.setReceiveAllIgmp(s, "on")],
  [
    "acquirePortReservation",
    "stream",
    (s) => sio.acquirePortReservation(s, { startPort: 0, count: 4 }),
  ],
  ["releasePortReservation", "stream", (s) => sio.releasePortReservation(s, 1n)],
  ["associatePortReservation", "dgram", (s) => sio.associatePortReservation(s, 1n)],
  ["reservePorts", "stream", (s) => sio.reservePorts(s, { count: 4 })],
]);
