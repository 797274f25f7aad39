// The POSIX timestamp paths (ffi/_posix_timestamps.ts) on a recording fake libc
// (tests/_helpers/fake_loader.ts), for what a real Linux here cannot show: a kernel before 6.13
// (SCM_TS_OPT_ID missing: UnsupportedError naming timestampId, nothing sent), a descriptor that
// now names another socket (SO_COOKIE changed: what was kept is not handed out), the calls
// SIO_TIMESTAMPING makes, error-queue messages that are not TX stamps, macOS (RX stamps through
// SO_TIMESTAMP, TX refused), the other systems and CPUs (refused before any native call), the
// poll path's buffers (the same message header every time, no address taken per poll), and the
// exact nanosecond arithmetic. Numbers: Linux uapi (asm-generic/socket.h, net_tstamp.h,
// errqueue.h), XNU sys/socket.h; layouts proven in tests/timestamps_c_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedError } from "../errors.ts";
import { hasOptId, writeNanoseconds } from "../ffi/_posix_timestamps.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { _swapNativeApi } from "../ffi/select.ts";
import { setTimestamping, txTimestamp, txTimestampPoller } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { timestampNow } from "../clock.ts";
import { le } from "./_helpers/bytes.ts";
import { type Answer, type FakeLoader, fakeLoader } from "./_helpers/fake_loader.ts";
import { mulberry32 } from "./_helpers/rng.ts";

const SOL_SOCKET = 1;
const SO_TYPE = 3;
const SO_TIMESTAMPING = 37;
const SO_COOKIE = 57;
const SCM_TS_OPT_ID = 81;
// SOFTWARE | OPT_ID | OPT_TSONLY, + TX_SOFTWARE (2), + RX_SOFTWARE (8)
const BASE = 0x10 | 0x80 | 0x800;
const MSG_ERRQUEUE_DONTWAIT = 0x2000 | 0x40;

function run<T>(fake: FakeLoader, fn: () => T): T {
  const restore = _swapNativeApi(createPosixApi(fake.loader));
  try {
    return fn();
  } finally {
    restore();
  }
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** getsockopt answering SO_TYPE `type`, SO_TIMESTAMPING `flags`, SO_COOKIE `cookie()`. */
function getsockopt(type: number, flags: number, cookie: () => bigint): Answer {
  return (...args: unknown[]) => {
    const [level, name, buf, len] = args.slice(1) as [number, number, Uint8Array, Uint32Array];
    if (level !== SOL_SOCKET && level !== 0xffff) return -1;
    if (name === SO_TYPE || name === 0x1008) view(buf).setInt32(0, type, true);
    else if (name === SO_TIMESTAMPING) view(buf).setInt32(0, flags, true);
    else if (name === SO_COOKIE) {
      view(buf).setBigUint64(0, cookie(), true);
      len[0] = 8;
    }
    return 0;
  };
}

/** setsockopt recording [level, name, the int value] at the time of each call (0 = success). */
function setsockopts(into: number[][], answer: () => number = () => 0): Answer {
  return (...args: unknown[]) => {
    into.push([
      args[1] as number,
      args[2] as number,
      view(args[3] as Uint8Array).getInt32(0, true),
    ]);
    return answer();
  };
}

/** One error-queue message: SCM_TIMESTAMPING (ts[0] = sec, nsec) and IP_RECVERR (origin, id). */
function errMessage(sec: number, nsec: number, id: number, origin = 4): Uint8Array {
  return le(
    112,
    [0, 8, 64], // cmsg_len = CMSG_LEN(sizeof(struct scm_timestamping))
    [8, 4, SOL_SOCKET],
    [12, 4, SO_TIMESTAMPING], // SCM_TIMESTAMPING
    [16, 8, sec], // ts[0].tv_sec
    [24, 8, nsec], // ts[0].tv_nsec
    [64, 8, 48], // cmsg_len = CMSG_LEN(16 + sizeof(struct sockaddr_in))
    [72, 4, 0], // SOL_IP
    [76, 4, 11], // IP_RECVERR
    [80, 4, 42], // ee_errno = ENOMSG
    [84, 1, origin], // ee_origin
    [88, 4, 0], // ee_info = SCM_TSTAMP_SND
    [92, 4, id], // ee_data
  );
}

/**
 * recvmsg serving `queue` (MSG_ERRQUEUE reads), then EAGAIN: writes each message's control
 * bytes where the msghdr's msg_control points, and msg_controllen.
 */
function errQueue(fake: () => FakeLoader, queue: Uint8Array[]): Answer {
  return (...args: unknown[]) => {
    const msg = view(args[1] as Uint8Array);
    assert.equal(args[2], MSG_ERRQUEUE_DONTWAIT);
    const next = queue.shift();
    if (next === undefined) {
      fake().errno.value = 11; // EAGAIN
      return -1;
    }
    const room = msg.getUint32(40, true);
    fake().memory.deref(msg.getBigUint64(32, true), room).set(next);
    msg.setBigUint64(40, BigInt(next.length), true);
    return 0;
  };
}

describe("SIO_TIMESTAMPING on Linux: the socket options it sets", () => {
  test("OPT_ID already on: turned off first so the counter restarts, then the flags, the cookie", () => {
    let sets: number[][] = [];
    let f = fakeLoader("linux", "x86_64", {
      getsockopt: getsockopt(2, BASE | 2, () => 77n),
      setsockopt: setsockopts(sets),
    });
    run(f, () => setTimestamping(5n, { rx: true, tx: true, txBuffered: 3 }));
    const order = f.calls.filter((c) => c.name === "getsockopt" || c.name === "setsockopt")
      .map((c) => [c.name, c.args[1], c.args[2]]);
    assert.deepEqual(order, [
      ["getsockopt", SOL_SOCKET, SO_TYPE],
      ["getsockopt", SOL_SOCKET, SO_TIMESTAMPING],
      ["setsockopt", SOL_SOCKET, SO_TIMESTAMPING],
      ["setsockopt", SOL_SOCKET, SO_TIMESTAMPING],
      ["getsockopt", SOL_SOCKET, SO_COOKIE],
    ]);
    assert.deepEqual(sets, [
      [SOL_SOCKET, SO_TIMESTAMPING, (BASE & ~0x80) | 2 | 8], // OPT_ID off: the counter resets
      [SOL_SOCKET, SO_TIMESTAMPING, BASE | 2 | 8],
    ]);
    // OPT_ID off before: set once. rx only: RX_SOFTWARE; neither: the base flags alone.
    sets = [];
    f = fakeLoader("linux", "x86_64", {
      getsockopt: getsockopt(2, 0, () => 77n),
      setsockopt: setsockopts(sets),
    });
    run(f, () => {
      setTimestamping(5n, { rx: true, tx: false });
      setTimestamping(5n, { rx: false, tx: false });
    });
    assert.deepEqual(sets.map((x) => x[2]), [BASE | 8, BASE]);
  });

  test("a stream socket is refused (WSAEINVAL) before any option is set", () => {
    const f = fakeLoader("linux", "x86_64", { getsockopt: getsockopt(1, 0, () => 1n) });
    assert.throws(() => run(f, () => setTimestamping(5n, { rx: true, tx: true })), {
      name: "WSAEINVAL",
    });
    assert.deepEqual(f.names().filter((n) => n === "setsockopt"), []);
  });

  test("a refused setsockopt leaves the flags as they were", () => {
    const sets: number[][] = [];
    const f: FakeLoader = fakeLoader("linux", "x86_64", {
      getsockopt: getsockopt(2, 0x10, () => 1n),
      setsockopt: setsockopts(sets, () => (sets.length === 1 ? (f.errno.value = 1, -1) : 0)),
    });
    assert.throws(() => run(f, () => setTimestamping(5n, { rx: true, tx: true })), {
      name: "WSAEACCES",
    });
    assert.deepEqual(sets.map((x) => x[2]), [BASE | 2 | 8, 0x10], "restored");
  });
});

describe("SIO_GET_TX_TIMESTAMP on Linux: the error queue, the ring, the cookie", () => {
  test("stamps kept for a socket are handed out only while its SO_COOKIE is the same", () => {
    let cookie = 0x1_0000_0001n;
    const queue: Uint8Array[] = [];
    const f: FakeLoader = fakeLoader("linux", "x86_64", {
      getsockopt: getsockopt(2, 0, () => cookie),
      recvmsg: errQueue(() => f, queue),
    });
    run(f, () => {
      setTimestamping(5n, { rx: false, tx: true, txBuffered: 4 });
      queue.push(errMessage(1700000000, 1, 10), errMessage(1700000000, 2, 11));
      const poller = txTimestampPoller(5n);
      assert.equal(poller.poll(11), 1_700_000_000_000_000_002n);
      assert.equal(poller.poll(10), 1_700_000_000_000_000_001n, "kept, same cookie");
      queue.push(errMessage(1700000000, 3, 20), errMessage(1700000000, 4, 21));
      assert.equal(poller.poll(21), 1_700_000_000_000_000_004n);
      cookie = 0x2_0000_0001n; // descriptor 5 is another socket now
      const reads = f.names().filter((n) => n === "recvmsg").length;
      assert.equal(poller.poll(20), undefined, "not the new socket's stamp");
      assert.equal(f.names().filter((n) => n === "recvmsg").length, reads + 1, "asked the queue");
      assert.equal(txTimestamp(5n, 20), undefined, "forgotten");
    });
  });

  test("messages that are not TX stamps are read and skipped", () => {
    const queue = [
      errMessage(1, 1, 7, 2), // SO_EE_ORIGIN_ICMP, not a stamp
      le(64, [0, 8, 64], [8, 4, SOL_SOCKET], [12, 4, SO_TIMESTAMPING], [16, 8, 5]), // no RECVERR
      errMessage(0, 0, 7), // no software stamp (ts[0] zero)
      errMessage(2, 5, 7),
    ];
    const f: FakeLoader = fakeLoader("linux", "x86_64", {
      getsockopt: getsockopt(2, 0, () => 1n),
      recvmsg: errQueue(() => f, queue),
    });
    run(f, () => assert.equal(txTimestamp(5n, 7), 2_000_000_005n));
    assert.equal(f.names().filter((n) => n === "recvmsg").length, 4);
  });

  test("the poll path: one message header for every read, no address taken per poll", () => {
    const queue: Uint8Array[] = [];
    const f: FakeLoader = fakeLoader("linux", "x86_64", {
      getsockopt: getsockopt(2, 0, () => 1n),
      recvmsg: errQueue(() => f, queue),
    });
    let addresses = 0;
    const address = f.loader.address;
    (f.loader as { address: typeof address }).address = (v) => (addresses++, address(v));
    run(f, () => {
      const poller = txTimestampPoller(5n);
      poller.poll(1); // the first poll takes the control buffer's address, once
      const first = addresses;
      for (let i = 0; i < 5; i++) assert.equal(poller.poll(1), undefined);
      queue.push(errMessage(3, 3, 1));
      assert.equal(poller.poll(1), 3_000_000_003n);
      assert.equal(addresses, first, "no address taken after the first poll");
    });
    const headers = new Set(f.calls.filter((c) => c.name === "recvmsg").map((c) => c.args[1]));
    assert.equal(headers.size, 1, "the same msghdr object every time");
  });
});

describe("timestampId before Linux 6.13, and where there is none", () => {
  test("Linux 6.12: UnsupportedError naming timestampId, and nothing is sent", () => {
    const f = fakeLoader("linux", "x86_64", {
      socket: 9,
      uname: (buf: unknown) => {
        (buf as Uint8Array).set(new TextEncoder().encode("6.12.9-amd64\0"), 130);
        return 0;
      },
    });
    run(f, () => {
      const s = Socket.open("inet", "dgram");
      assert.throws(() => s.sendTo(new Uint8Array(1), "127.0.0.1", 9, { timestampId: 1 }), {
        name: "UnsupportedError",
        message:
          /^timestampId \(SCM_TS_OPT_ID: Linux 6\.13 and later\) is unsupported on linux 6\.12\.9-amd64$/,
      });
    });
    assert.deepEqual(f.names().filter((n) => n.startsWith("send")), []);
  });

  test("Linux 6.13: sendmsg with SCM_TS_OPT_ID (the control bytes of CMSG_SPACE(4))", () => {
    let control: Uint8Array | undefined;
    let msgBytes: Uint8Array | undefined;
    const f: FakeLoader = fakeLoader("linux", "x86_64", {
      socket: 9,
      uname: (
        buf: unknown,
      ) => ((buf as Uint8Array).set(new TextEncoder().encode("6.13.0"), 130), 0),
      sendmsg: (...args: unknown[]) => {
        msgBytes = (args[1] as Uint8Array).slice();
        const m = view(msgBytes);
        control = f.memory.deref(m.getBigUint64(32, true), Number(m.getBigUint64(40, true)))
          .slice();
        assert.equal(args[2], 0x4000, "MSG_NOSIGNAL");
        return 1;
      },
    });
    run(
      f,
      () =>
        Socket.open("inet", "dgram").sendTo(new Uint8Array(1), "10.0.0.1", 53, {
          timestampId: 0xabcdef01,
        }),
    );
    assert.deepEqual(
      control,
      le(24, [0, 8, 20], [8, 4, SOL_SOCKET], [12, 4, SCM_TS_OPT_ID], [16, 4, 0xabcdef01]),
    );
    const m = view(msgBytes!);
    assert.equal(m.getUint32(8, true), 16, "msg_namelen: a sockaddr_in");
    assert.deepEqual(
      f.memory.deref(m.getBigUint64(0, true), 16),
      le(16, [0, 2, 2], [2, 1, 0], [3, 1, 53], [4, 1, 10], [7, 1, 1]),
      "msg_name: AF_INET 2, port 53, 10.0.0.1",
    );
    assert.equal(Number(m.getBigUint64(24, true)), 1, "msg_iovlen");
  });

  for (const [os, arch] of [["darwin", "aarch64"], ["freebsd", "x86_64"], ["linux", "ppc64"]]) {
    test(`${os} on ${arch}: a timestampId is UnsupportedError before any native call`, () => {
      const f = fakeLoader(os, arch, { socket: 9 });
      run(f, () => {
        const s = Socket.open("inet", "dgram");
        const before = f.calls.length;
        assert.throws(() => s.send(new Uint8Array(1), { timestampId: 1 }), UnsupportedError);
        assert.equal(f.calls.length, before);
      });
    });
  }

  for (const [os, arch] of [["freebsd", "x86_64"], ["linux", "ppc64"]]) {
    test(`${os} on ${arch}: every timestamp call is UnsupportedError before any native call`, () => {
      const f = fakeLoader(os, arch, { socket: 9 });
      run(f, () => {
        const s = Socket.open("inet", "dgram");
        const before = f.calls.length;
        for (
          const fn of [
            () => setTimestamping(s, { rx: true, tx: false }),
            () => txTimestamp(s, 1),
            () => s.recvFrom(new Uint8Array(4), { timestamp: true }),
            () => timestampNow(),
          ]
        ) {
          assert.throws(fn, UnsupportedError);
        }
        assert.equal(f.calls.length, before);
      });
    });
  }
});

describe("macOS: RX stamps through SO_TIMESTAMP, no TX stamps", () => {
  test("setTimestamping: rx sets SO_TIMESTAMP; tx is UnsupportedError before any call", () => {
    const sets: number[][] = [];
    const f = fakeLoader("darwin", "aarch64", {
      getsockopt: getsockopt(2, 0, () => 1n),
      setsockopt: setsockopts(sets),
    });
    run(f, () => {
      assert.throws(() => setTimestamping(5n, { rx: true, tx: true }), {
        name: "UnsupportedError",
        message: /^setTimestamping: SIO_TIMESTAMPING with TX timestamps/,
      });
      assert.deepEqual(f.calls, []);
      setTimestamping(5n, { rx: true, tx: false });
      setTimestamping(5n, { rx: false, tx: false });
      assert.throws(() => txTimestamp(5n, 1), { name: "UnsupportedError" });
    });
    assert.deepEqual(sets, [[0xffff, 0x400, 1], [0xffff, 0x400, 0]]);
  });

  test("recvFrom({ timestamp: true }): the darwin msghdr and SCM_TIMESTAMP's struct timeval", () => {
    let seen: Uint8Array | undefined;
    const f: FakeLoader = fakeLoader("darwin", "aarch64", {
      socket: 9,
      recvmsg: (...args: unknown[]) => {
        seen = (args[1] as Uint8Array).slice();
        const m = view(args[1] as Uint8Array);
        // struct msghdr (XNU): name @0, namelen @8, iov @16, iovlen (int) @24, control @32,
        // controllen (socklen_t) @40, flags @44.
        const name = f.memory.deref(m.getBigUint64(0, true), 16);
        name.set(le(16, [0, 1, 16], [1, 1, 2], [2, 1, 0x1f], [3, 1, 0x90], [4, 1, 127], [7, 1, 1]));
        m.setUint32(8, 16, true);
        const control = f.memory.deref(m.getBigUint64(32, true), m.getUint32(40, true));
        // cmsghdr { socklen_t len; int level; int type } (12), data at 12: struct timeval.
        control.set(
          le(28, [0, 4, 28], [4, 4, 0xffff], [8, 4, 0x02], [12, 8, 1700000000], [20, 4, 123456]),
        );
        m.setUint32(40, 28, true);
        return 4;
      },
    });
    const r = run(
      f,
      () => Socket.open("inet", "dgram").recvFrom(new Uint8Array(8), { timestamp: true }),
    );
    assert.deepEqual(r, {
      bytes: 4,
      from: { family: "inet", address: "127.0.0.1", port: 8080 },
      timestamp: 1_700_000_000_123_456_000n,
    });
    const m = view(seen!);
    assert.equal(m.getUint32(24, true), 1, "int msg_iovlen");
    assert.equal(m.getUint32(8, true), 128, "msg_namelen in: the whole sockaddr scratch");
  });
});

describe("the nanosecond arithmetic and the kernel release", () => {
  test("writeNanoseconds is sec * 1e9 + nsec exactly, as a little-endian u64", () => {
    const rng = mulberry32(16);
    const out = new Uint8Array(8);
    const cases: [number, number][] = [
      [0, 0],
      [0, 999_999_999],
      [1, 0],
      [4294967295, 999_999_999],
      [4294967296, 0],
      [17179869183, 999_999_999], // the last second of the fast path
      [17179869184, 0],
      [18446744073, 709_551_615], // 2^64 - 1
      [-1, 5], // before 1970: wraps as a UINT64 would
    ];
    for (let i = 0; i < 2000; i++) {
      cases.push([Math.floor(rng() * 2 ** 34), Math.floor(rng() * 1e9)]);
    }
    for (const [sec, nsec] of cases) {
      writeNanoseconds(out, 0, sec, nsec);
      const want = BigInt.asUintN(64, BigInt(sec) * 1_000_000_000n + BigInt(nsec));
      assert.equal(view(out).getBigUint64(0, true), want, `${sec} s ${nsec} ns`);
    }
  });

  test("hasOptId: Linux 6.13 and later", () => {
    for (const r of ["6.13.0", "6.18.44-fc-v1300", "7.0.0", "10.2"]) assert.ok(hasOptId(r), r);
    for (const r of ["6.12.9-amd64", "5.15.0", "6", "", "x.y"]) assert.ok(!hasOptId(r), r);
  });
});
