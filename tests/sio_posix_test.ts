// The POSIX translation of SIO_KEEPALIVE_VALS, SIO_UDP_CONNRESET and SIO_UDP_NETRESET
// (ffi/_posix_ioctl.ts). Two layers:
// - the native layer over a recording fake libc, as Linux, macOS, FreeBSD and another BSD: the
//   exact setsockopt calls (level, option, value, length) and that nothing else runs;
// - real sockets on Linux through ioctl(), read back with getsockopt (TCP_KEEPIDLE,
//   TCP_KEEPINTVL, SO_KEEPALIVE). Runs under Deno, Bun and Node (koffi).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIO_KEEPALIVE_VALS, SIO_UDP_CONNRESET, SIO_UDP_NETRESET } from "../codes/mod.ts";
import { UnsupportedError, WinsockError } from "../errors.ts";
import type { SocketOptionName } from "../ffi/native.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl } from "../ioctl.ts";
import { Socket } from "../socket.ts";
import { le, u32le } from "./_helpers/bytes.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";
import { assertWinsock } from "./_helpers/winsock.ts";
import { tcpPair } from "./_helpers/pair.ts";

/** struct tcp_keepalive { ULONG onoff; ULONG keepalivetime; ULONG keepaliveinterval; } (mstcpip.h) */
const keepalive = (onoff: number, timeMs: number, intervalMs: number): Uint8Array =>
  le(12, [0, 4, onoff], [4, 4, timeMs], [8, 4, intervalMs]);

/** One setsockopt as the fake saw it: fd, level, option, the int value, the length. */
type SetInt = [number, number, number, number, number];

/**
 * A fake libc whose setsockopt records its int value at call time (the buffer is reused) before
 * answering as `answers` says; the other answers may change as the test goes. Unless `answers`
 * says otherwise, getsockopt answers an int option with `held` (what the socket has: the keep-alive
 * times read before they are changed).
 */
function recorder(os: string, answers: Record<string, Answer> = {}, held = 0) {
  const sets: SetInt[] = [];
  const answer = answers.setsockopt ?? 0;
  answers.setsockopt = (fd, level, name, value, length) => {
    const v = value as Uint8Array;
    const int = new DataView(v.buffer, v.byteOffset).getInt32(0, true);
    sets.push([fd as number, level as number, name as number, int, length as number]);
    return typeof answer === "function" ? answer(fd, level, name, value, length) : answer;
  };
  answers.getsockopt ??= (_fd, _level, _name, value) => {
    const v = value as Uint8Array;
    new DataView(v.buffer, v.byteOffset).setInt32(0, held, true);
    return 0;
  };
  const fake = fakeLoader(os, "x86_64", answers);
  return { fake, sets, native: createPosixApi(fake.loader) };
}

/** What `assert.throws` expects of the UnsupportedError refusing `ioctl` (`code`) on `platform`. */
const refused = (ioctl: string, code: number, platform: string) => (e: unknown): boolean =>
  e instanceof UnsupportedError && e.ioctl === ioctl && e.code === code &&
  e.platform === platform;

// Per system: SOL_SOCKET, SO_KEEPALIVE, IPPROTO_TCP's idle-time and interval options.
const SYSTEMS = [
  { os: "linux", sol: 1, keepAlive: 9, idle: 4, interval: 5 }, // TCP_KEEPIDLE, TCP_KEEPINTVL
  { os: "darwin", sol: 0xffff, keepAlive: 8, idle: 0x10, interval: 0x101 }, // TCP_KEEPALIVE, TCP_KEEPINTVL
  { os: "freebsd", sol: 0xffff, keepAlive: 8, idle: 256, interval: 512 }, // TCP_KEEPIDLE, TCP_KEEPINTVL
];

describe("SIO_KEEPALIVE_VALS on a fake libc", () => {
  for (const { os, sol, keepAlive, idle, interval } of SYSTEMS) {
    test(`${os}: the times, rounded up to seconds, then SO_KEEPALIVE on`, () => {
      const { fake, sets, native } = recorder(os);
      assert.equal(
        native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 5000, 1000), 12, null, 0),
        0,
      );
      // A descriptor the layer did not open: the socket check first (SO_TYPE), then the times
      // the socket has (to put back should a later step be refused).
      assert.deepEqual(fake.names(), [
        "getsockopt",
        "getsockopt",
        "getsockopt",
        "setsockopt",
        "setsockopt",
        "setsockopt",
      ]);
      assert.deepEqual(fake.calls.slice(1, 3).map((c) => c.args.slice(0, 3)), [
        [9, 6, idle],
        [9, 6, interval],
      ]);
      assert.deepEqual(sets, [[9, 6, idle, 5, 4], [9, 6, interval, 1, 4], [
        9,
        sol,
        keepAlive,
        1,
        4,
      ]]);
    });

    test(`${os}: onoff 0 turns SO_KEEPALIVE off and ignores the times`, () => {
      const { sets, native } = recorder(os);
      assert.equal(
        native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(0, 7000, 9000), 12, null, 0),
        0,
      );
      assert.deepEqual(sets, [[9, sol, keepAlive, 0, 4]]);
    });
  }

  test("milliseconds to seconds: rounded up, never 0, always a C int", () => {
    const { sets, native } = recorder("darwin");
    const cases: [number, number][] = [
      [0, 1],
      [1, 1],
      [999, 1],
      [1000, 1],
      [1001, 2],
      [1999, 2],
      [2000, 2],
      [7_200_000, 7200], // Windows' default idle time, two hours
      [4_294_967_000, 4294967], // XNU's cap, UINT32_MAX / 1000 s
    ];
    for (const [ms, s] of cases) {
      sets.length = 0;
      assert.equal(native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, ms, ms), 12, null, 0), 0);
      assert.deepEqual(sets.map((c) => c[3]), [s, s, 1], `${ms} ms`);
    }
    // Any nonzero onoff means on, as a BOOL does.
    sets.length = 0;
    native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(0x80000000, 1, 1), 12, null, 0);
    assert.equal(sets[2][3], 1);
  });

  test("past the system's cap: WSAEINVAL before anything is read or set", () => {
    // [system, its cap in seconds (libc.ts keepAliveLimit)]
    for (
      const [os, cap] of [["linux", 32767], ["darwin", 4294967], ["freebsd", 4294967]] as const
    ) {
      const { fake, sets, native } = recorder(os);
      // At the cap: set. One millisecond more rounds up past it, in either time.
      const at = cap * 1000;
      assert.equal(native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, at, at), 12, null, 0), 0);
      assert.deepEqual(sets.map((c) => c[3]), [cap, cap, 1], os);
      for (const [idle, interval] of [[at + 1, 1000], [1000, at + 1], [0xffffffff, 0xffffffff]]) {
        if (at + 1 > 0xffffffff) continue; // no ULONG of ms reaches past 4294967 s by one ms
        fake.calls.length = 0;
        sets.length = 0;
        assert.equal(
          native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, idle, interval), 12, null, 0),
          -1,
        );
        assert.equal(native.lastError(), 10022, `${os} ${idle} ${interval}`);
        assert.deepEqual(fake.names(), ["getsockopt"], "the socket check only"); // SO_TYPE
        assert.deepEqual(sets, []);
      }
      // 0xffffffff ms is 4294968 s: past every cap.
      sets.length = 0;
      assert.equal(
        native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 1, 0xffffffff), 12, null, 0),
        -1,
      );
      assert.equal(native.lastError(), 10022);
      assert.deepEqual(sets, []);
    }
  });

  test("a time the kernel refuses all the same: the idle time put back, SO_KEEPALIVE untouched", () => {
    // What FreeBSD does with an hz above 1000: a time under the known cap refused (EINVAL).
    const { fake, sets, native } = recorder("freebsd", {
      setsockopt: (_fd, _level, name, value) => {
        const v = value as Uint8Array;
        return name === 512 && new DataView(v.buffer, v.byteOffset).getInt32(0, true) === 9
          ? -1
          : 0;
      },
    }, 7200);
    fake.errno.value = 22; // EINVAL
    assert.equal(
      native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 5000, 9000), 12, null, 0),
      -1,
    );
    assert.equal(native.lastError(), 10022); // WSAEINVAL: the errno of the refusal, not of the fix
    // TCP_KEEPIDLE 5, TCP_KEEPINTVL 9 refused, TCP_KEEPIDLE back to the 7200 read before.
    assert.deepEqual(sets.map((c) => [c[2], c[3]]), [[256, 5], [512, 9], [256, 7200]]);
  });

  test("SO_KEEPALIVE refused: both times put back as they were read", () => {
    const times: Record<number, number> = { 4: 7200, 5: 75 }; // TCP_KEEPIDLE, TCP_KEEPINTVL
    const { fake, sets, native } = recorder("linux", {
      getsockopt: (_fd, _level, name, value) => {
        const v = value as Uint8Array;
        new DataView(v.buffer, v.byteOffset).setInt32(0, times[name as number] ?? 1, true);
        return 0;
      },
      setsockopt: (_fd, _level, name) => name === 9 ? -1 : 0, // SO_KEEPALIVE
    });
    fake.errno.value = 12; // ENOMEM
    assert.equal(
      native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 1000, 2000), 12, null, 0),
      -1,
    );
    assert.equal(native.lastError(), 10055); // WSAENOBUFS, ENOMEM's mapping
    assert.deepEqual(sets.map((c) => [c[2], c[3]]), [[4, 1], [5, 2], [9, 1], [4, 7200], [5, 75]]);
  });

  test("a socket without TCP options (ENOPROTOOPT): WSAEINVAL, other errnos as mapped", () => {
    // [system, ENOPROTOOPT, EINVAL]
    for (const [os, noProtoOpt, einval] of [["linux", 92, 22], ["darwin", 42, 22]] as const) {
      const { fake, sets, native } = recorder(os, { setsockopt: -1 });
      for (const [errno, wsa] of [[noProtoOpt, 10022], [einval, 10022], [12, 10055]]) {
        fake.errno.value = errno;
        sets.length = 0;
        assert.equal(
          native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 1, 1), 12, null, 0),
          -1,
        );
        assert.equal(native.lastError(), wsa, `${os} errno ${errno}`);
        assert.equal(sets.length, 1); // the idle time only
      }
      // Reading the times the socket has can be refused too (Linux's getsockopt on UDP:
      // EOPNOTSUPP): WSAEINVAL as well, nothing set.
      const reads = recorder(os, {
        getsockopt: (_fd, _level, name) => name === 0x1008 || name === 3 ? 0 : -1,
      });
      reads.fake.errno.value = os === "linux" ? 95 : 102; // EOPNOTSUPP
      assert.equal(
        reads.native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 1, 1), 12, null, 0),
        -1,
      );
      assert.equal(reads.native.lastError(), 10022, `${os} getsockopt refused`);
      assert.deepEqual(reads.sets, []);
      // SO_KEEPALIVE's own failure is passed through as mapped (ENOPROTOOPT stays itself).
      fake.errno.value = noProtoOpt;
      assert.equal(native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(0, 1, 1), 12, null, 0), -1);
      assert.equal(native.lastError(), 10042);
    }
  });

  test("not a socket: WSAENOTSOCK before anything; short input: WSAEFAULT", () => {
    const answers: Record<string, Answer> = { getsockopt: -1, socket: 7 };
    const { fake, sets, native } = recorder("linux", answers);
    fake.errno.value = 88; // ENOTSOCK
    assert.equal(native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 1, 1), 12, null, 0), -1);
    assert.equal(native.lastError(), 10038);
    assert.equal(native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, null, 0, null, 0), -1);
    assert.equal(native.lastError(), 10038); // the socket check comes first, as on Windows
    assert.deepEqual(fake.names(), ["getsockopt", "getsockopt"]);
    // Its own socket: no check; the length is the one passed, not the view's.
    answers.getsockopt = 0;
    assert.equal(native.socket(2, 1, 0), 7n);
    fake.calls.length = 0;
    assert.equal(native.wsaIoctl(7n, SIO_KEEPALIVE_VALS, keepalive(1, 1, 1), 11, null, 0), -1);
    assert.equal(native.lastError(), 10014); // WSAEFAULT
    assert.equal(native.wsaIoctl(7n, SIO_KEEPALIVE_VALS, null, 12, null, 0), -1);
    assert.equal(native.lastError(), 10014);
    assert.deepEqual(fake.names(), []);
    assert.deepEqual(sets, []);
    assert.equal(native.wsaIoctl(7n, SIO_KEEPALIVE_VALS, keepalive(1, 1, 1), 12, null, 0), 0);
    assert.deepEqual(fake.names(), [
      "getsockopt",
      "getsockopt",
      "setsockopt",
      "setsockopt",
      "setsockopt",
    ]);
  });

  test("a BSD whose numbers are not verified: UnsupportedError, no native call", () => {
    const { fake, native } = recorder("openbsd");
    assert.throws(
      () => native.wsaIoctl(9n, SIO_KEEPALIVE_VALS, keepalive(1, 1, 1), 12, null, 0),
      refused("SIO_KEEPALIVE_VALS", SIO_KEEPALIVE_VALS, "openbsd"),
    );
    // Nor can the options be read or set there (WSAENOPROTOOPT, no native call).
    const out = new Float64Array(1);
    for (const name of ["keepAliveIdle", "keepAliveInterval"] as SocketOptionName[]) {
      assert.equal(native.getOption(9n, name, out), -1);
      assert.equal(native.lastError(), 10042);
      assert.equal(native.setOption(9n, name, 5), -1);
      assert.equal(native.lastError(), 10042);
    }
    assert.deepEqual(fake.names(), []);
  });

  test("the internal options read back what SIO_KEEPALIVE_VALS set", () => {
    for (const { os, idle, interval } of SYSTEMS) {
      const { fake, native } = recorder(os, { getsockopt: 0 });
      const out = new Float64Array(1);
      assert.equal(native.getOption(9n, "keepAliveIdle", out), 0);
      assert.equal(native.getOption(9n, "keepAliveInterval", out), 0);
      assert.deepEqual(fake.calls.map((c) => c.args.slice(0, 3)), [[9, 6, idle], [9, 6, interval]]);
    }
  });
});

describe("SIO_UDP_CONNRESET / SIO_UDP_NETRESET on a fake libc", () => {
  for (const code of [SIO_UDP_CONNRESET, SIO_UDP_NETRESET]) {
    const name = code === SIO_UDP_CONNRESET ? "SIO_UDP_CONNRESET" : "SIO_UDP_NETRESET";
    test(`${name} FALSE: the socket check, nothing else`, () => {
      for (const os of ["linux", "darwin", "freebsd", "openbsd"]) {
        const { fake, sets, native } = recorder(os);
        assert.equal(native.wsaIoctl(9n, code, u32le(0), 4, null, 0), 0, os);
        assert.deepEqual(fake.names(), ["getsockopt"], os);
        assert.deepEqual(sets, []);
      }
    });

    test(`${name} TRUE: UnsupportedError before any native call`, () => {
      const { fake, native } = recorder("linux");
      for (const on of [1, 0x100, 0xffffffff]) {
        assert.throws(
          () => native.wsaIoctl(9n, code, u32le(on), 4, null, 0),
          refused(name, code, "linux"),
        );
      }
      // Even on a handle no descriptor could be.
      assert.throws(
        () => native.wsaIoctl(2n ** 40n, code, u32le(1), 4, null, 0),
        refused(name, code, "linux"),
      );
      assert.deepEqual(fake.names(), []);
    });

    test(`${name}: WSAENOTSOCK on a non-socket, WSAEFAULT on a short input`, () => {
      const answers: Record<string, Answer> = { getsockopt: -1 };
      const { fake, native } = recorder("linux", answers);
      fake.errno.value = 9; // EBADF
      assert.equal(native.wsaIoctl(9n, code, u32le(0), 4, null, 0), -1);
      assert.equal(native.lastError(), 10038);
      answers.getsockopt = 0;
      assert.equal(native.wsaIoctl(9n, code, u32le(0), 3, null, 0), -1);
      assert.equal(native.lastError(), 10014);
      assert.equal(native.wsaIoctl(9n, code, null, 0, null, 0), -1);
      assert.equal(native.lastError(), 10014);
      assert.equal(native.wsaIoctl(2n ** 31n, code, u32le(0), 4, null, 0), -1);
      assert.equal(native.lastError(), 10038);
    });
  }
});

const native = nativeApi();
const linux = native.os === "linux";

/** One of the native layer's socket options of `s`, read with getsockopt. */
function option(s: Socket, name: SocketOptionName): number {
  const out = new Float64Array(1);
  assert.equal(native.getOption(s.handle, name, out), 0, `getsockopt ${name}`);
  return out[0];
}

describe(`SIO_KEEPALIVE_VALS and the UDP resets on real sockets (${native.runtime})`, {
  skip: !linux,
}, () => {
  test("SIO_KEEPALIVE_VALS: TCP_KEEPIDLE, TCP_KEEPINTVL and SO_KEEPALIVE read back", () => {
    using p = tcpPair();
    for (const s of [p.client, p.peer, p.server]) {
      assert.equal(ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, 5000, 1000)), 0);
      assert.equal(option(s, "keepAliveIdle"), 5);
      assert.equal(option(s, "keepAliveInterval"), 1);
      assert.equal(s.getOption("keepAlive"), true);
    }
    const s = p.client;
    // Sub-second values round up; 0 becomes 1.
    ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, 1, 1001));
    assert.deepEqual([option(s, "keepAliveIdle"), option(s, "keepAliveInterval")], [1, 2]);
    ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, 0, 0));
    assert.deepEqual([option(s, "keepAliveIdle"), option(s, "keepAliveInterval")], [1, 1]);
    // Linux's ceiling, 32767 s, is accepted.
    ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, 32_767_000, 60_000));
    assert.deepEqual([option(s, "keepAliveIdle"), option(s, "keepAliveInterval")], [32767, 60]);
    // Off: SO_KEEPALIVE 0, the times untouched.
    assert.equal(ioctl(s, SIO_KEEPALIVE_VALS, keepalive(0, 9000, 9000)), 0);
    assert.equal(s.getOption("keepAlive"), false);
    assert.deepEqual([option(s, "keepAliveIdle"), option(s, "keepAliveInterval")], [32767, 60]);
  });

  test("SIO_KEEPALIVE_VALS: Linux's refusals, as WSA codes, and nothing half-done", () => {
    using p = tcpPair();
    const s = p.client;
    ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, 5000, 1000));
    ioctl(s, SIO_KEEPALIVE_VALS, keepalive(0, 0, 0));
    // Above Linux's 32767 s: EINVAL. The idle time goes first, so nothing changed.
    for (const ms of [32_767_001, 0xffffffff]) {
      const e = assertWinsock(
        () => ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, ms, 1000)),
        "WSAEINVAL",
      );
      assert.equal(e.code, 10022);
      assert.equal(e.ioctl, "SIO_KEEPALIVE_VALS");
    }
    assert.equal(s.getOption("keepAlive"), false);
    assert.deepEqual([option(s, "keepAliveIdle"), option(s, "keepAliveInterval")], [5, 1]);
    // An idle time Linux takes with an interval it refuses: the idle time is not set either (it
    // was, before the cap was checked first), keep-alive stays off.
    for (
      const [idleMs, intervalMs] of [[9000, 32_767_001], [9000, 0xffffffff], [
        32_767_000,
        40_000_000,
      ]]
    ) {
      const e = assertWinsock(
        () => ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, idleMs, intervalMs)),
        "WSAEINVAL",
      );
      assert.equal(e.code, 10022);
      assert.deepEqual(
        [option(s, "keepAliveIdle"), option(s, "keepAliveInterval"), s.getOption("keepAlive")],
        [5, 1, false],
        `${idleMs} / ${intervalMs} ms`,
      );
    }
    // With keep-alive on, a refused call leaves it on, times and all.
    ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, 7000, 3000));
    assertWinsock(() => ioctl(s, SIO_KEEPALIVE_VALS, keepalive(1, 1000, 40_000_000)), "WSAEINVAL");
    assert.deepEqual(
      [option(s, "keepAliveIdle"), option(s, "keepAliveInterval"), s.getOption("keepAlive")],
      [7, 3, true],
    );
    ioctl(s, SIO_KEEPALIVE_VALS, keepalive(0, 0, 0));
    // A short input: WSAEFAULT, as Windows answers.
    assert.equal(
      assertWinsock(() => ioctl(s, SIO_KEEPALIVE_VALS, new Uint8Array(8)), "WSAEFAULT").code,
      10014,
    );
    assert.equal(assertWinsock(() => ioctl(s, SIO_KEEPALIVE_VALS, null), "WSAEFAULT").code, 10014);
    // A datagram socket has no TCP options (ENOPROTOOPT): WSAEINVAL, as Wine answers; turning
    // keep-alive off works there as it does under Wine.
    using udp = Socket.open("inet", "dgram");
    const e = assertWinsock(
      () => ioctl(udp, SIO_KEEPALIVE_VALS, keepalive(1, 1000, 1000)),
      "WSAEINVAL",
    );
    assert.equal(e.code, 10022);
    assert.equal(udp.getOption("keepAlive"), false);
    assert.equal(ioctl(udp, SIO_KEEPALIVE_VALS, keepalive(0, 1000, 1000)), 0);
  });

  test("SIO_KEEPALIVE_VALS on a file: WSAENOTSOCK", () => {
    const dir = mkdtempSync(join(tmpdir(), "wsioctl-sio-"));
    try {
      const path = join(dir, "data");
      writeFileSync(path, "x");
      const fd = openSync(path, "r");
      try {
        const e = assertWinsock(
          () => ioctl(BigInt(fd), SIO_KEEPALIVE_VALS, keepalive(1, 1000, 1000)),
          "WSAENOTSOCK",
        );
        assert.equal(e.code, 10038);
        for (const code of [SIO_UDP_CONNRESET, SIO_UDP_NETRESET]) {
          assertWinsock(() => ioctl(BigInt(fd), code, u32le(0)), "WSAENOTSOCK");
        }
      } finally {
        closeSync(fd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("UDP resets: FALSE succeeds, TRUE is UnsupportedError", () => {
    using udp = Socket.open("inet", "dgram");
    using tcp = Socket.open("inet", "stream");
    for (
      const [code, name] of [
        [SIO_UDP_CONNRESET, "SIO_UDP_CONNRESET"],
        [SIO_UDP_NETRESET, "SIO_UDP_NETRESET"],
      ] as const
    ) {
      assert.equal(ioctl(udp, code, new Uint32Array([0])), 0);
      assert.equal(ioctl(tcp, code, new Uint32Array([0])), 0); // as Wine answers
      let caught: unknown;
      try {
        ioctl(udp, code, new Uint32Array([1]));
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof UnsupportedError, String(caught));
      assert.equal(caught.ioctl, name);
      assert.equal(caught.code, code);
      assert.equal(caught.platform, "linux");
      assert.equal(
        assertWinsock(() => ioctl(udp, code, new Uint8Array(2)), "WSAEFAULT").code,
        10014,
      );
    }
  });

  test("FALSE is what Linux does: an ICMP port unreachable never fails the next receive", () => {
    using rx = Socket.open("inet", "dgram");
    rx.bind("127.0.0.1", 0);
    // A port nobody listens on: bound, then closed.
    const gone = Socket.open("inet", "dgram");
    gone.bind("127.0.0.1", 0);
    const port = gone.localAddress().port;
    gone.close();
    ioctl(rx, SIO_UDP_CONNRESET, new Uint32Array([0]));
    ioctl(rx, SIO_UDP_NETRESET, new Uint32Array([0]));
    rx.setOption("receiveTimeout", 200);
    for (let i = 0; i < 3; i++) rx.sendTo(new Uint8Array([i]), "127.0.0.1", port);
    // Windows with SIO_UDP_CONNRESET TRUE would fail this with WSAECONNRESET; here the receive
    // just times out.
    let caught: unknown;
    try {
      rx.recvFrom(new Uint8Array(16));
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof WinsockError, String(caught));
    assert.equal(caught.name, "WSAETIMEDOUT");
  });
});
