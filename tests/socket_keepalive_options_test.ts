// Socket's keep-alive options: keepAliveTime and keepAliveInterval (seconds) and keepAliveCount
// (probes), at IPPROTO_TCP: TCP_KEEPIDLE (TCP_KEEPALIVE on macOS), TCP_KEEPINTVL, TCP_KEEPCNT. On
// real sockets each is read back with a getsockopt bound here, through the runtime's FFI, with the
// system header's numbers written out: Linux's netinet/tcp.h, and Windows' ws2ipdef.h when
// tests/windows/socket_keepalive_options_test.ts runs this file in the Wine bed; on a fake libc,
// each POSIX system's numbers.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../errors.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { nativeApi } from "../ffi/select.ts";
import { setKeepAlive } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { fakeLoader } from "./_helpers/fake_loader.ts";
import { getsockoptInt, KEEPALIVE_NUMBERS } from "./_helpers/keepalive.ts";

const native = nativeApi();
const linux = native.os === "linux";
const windows = native.os === "windows";

/** IPPROTO_TCP's TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT: netinet/tcp.h, ws2ipdef.h. */
const NUMBERS = KEEPALIVE_NUMBERS === undefined
  ? []
  : [KEEPALIVE_NUMBERS.idle, KEEPALIVE_NUMBERS.interval, KEEPALIVE_NUMBERS.count];

/** getsockopt(s, IPPROTO_TCP, …) of one C int, through the runtime's FFI, no wsioctl table. */
function getsockopt(s: Socket, option: readonly [number, number]): number {
  return getsockoptInt(s.handle, option);
}

describe(`keepAliveTime, keepAliveInterval, keepAliveCount on ${native.runtime}/${native.os}`, {
  skip: !linux && !windows && "the numbers written here are Linux's and Windows'",
}, () => {
  test("set through Socket, read back by getsockopt and by getOption", () => {
    for (const family of ["inet", "inet6"] as const) {
      using s = Socket.open(family, "stream");
      s.setOption("keepAliveTime", 75);
      s.setOption("keepAliveInterval", 11);
      s.setOption("keepAliveCount", 4);
      // Wine 10 keeps all three, as Windows 10 1709 and later does.
      assert.deepEqual(NUMBERS.map((n) => getsockopt(s, n)), [75, 11, 4], family);
      assert.equal(s.getOption("keepAliveTime"), 75);
      assert.equal(s.getOption("keepAliveInterval"), 11);
      assert.equal(s.getOption("keepAliveCount"), 4);
    }
  });

  test("keepAliveTime and keepAliveInterval are the times setKeepAlive sets", () => {
    using s = Socket.open("inet", "stream");
    setKeepAlive(s, { enabled: true, timeMs: 5000, intervalMs: 2000 });
    assert.deepEqual([s.getOption("keepAliveTime"), s.getOption("keepAliveInterval")], [5, 2]);
    assert.equal(s.getOption("keepAlive"), true);
  });

  test("values Linux refuses are WinsockErrors, and leave the option as it was", {
    skip: !linux && !native.wine && "Linux's ranges (Wine passes them on to Linux)",
  }, () => {
    using s = Socket.open("inet", "stream");
    s.setOption("keepAliveCount", 3);
    // Linux: TCP_KEEPCNT 1..127, TCP_KEEPIDLE 1..32767 (EINVAL → WSAEINVAL); Wine 10 answers the
    // same, its ws2_32 handing the values to the Linux kernel.
    const invalid = (e: unknown) => e instanceof WinsockError && e.name === "WSAEINVAL";
    assert.throws(() => s.setOption("keepAliveCount", 0), invalid);
    assert.throws(() => s.setOption("keepAliveCount", 128), invalid);
    assert.throws(() => s.setOption("keepAliveTime", 32768), invalid);
    assert.equal(getsockopt(s, NUMBERS[2]), 3);
  });

  test("a datagram socket has no TCP options: a WinsockError", {
    skip: !linux && !native.wine && "Linux's and Wine's answers",
  }, () => {
    using u = Socket.open("inet", "dgram");
    // Linux answers EOPNOTSUPP to the read and ENOPROTOOPT to the write; Wine 10 WSAEOPNOTSUPP
    // and WSAEINVAL.
    const refused = (name: string) => (e: unknown) => e instanceof WinsockError && e.name === name;
    assert.throws(() => u.getOption("keepAliveCount"), refused("WSAEOPNOTSUPP"));
    assert.throws(
      () => u.setOption("keepAliveCount", 3),
      refused(native.wine ? "WSAEINVAL" : "WSAENOPROTOOPT"),
    );
  });
});

describe("the keep-alive options' arguments", () => {
  test("a negative, fractional or non-number value is refused before any native call", () => {
    using s = Socket.open("inet", "stream");
    const before = s.getOption("keepAliveCount");
    assert.throws(() => s.setOption("keepAliveCount", -1), RangeError);
    assert.throws(() => s.setOption("keepAliveTime", 1.5), TypeError);
    assert.throws(() => s.setOption("keepAliveInterval", "5" as never), TypeError);
    assert.throws(() => s.setOption("keepAliveCount", true as never), TypeError);
    assert.equal(s.getOption("keepAliveCount"), before);
  });
});

describe("the keep-alive options on a fake libc: each system's numbers", () => {
  // IPPROTO_TCP's TCP_KEEPIDLE (macOS: TCP_KEEPALIVE), TCP_KEEPINTVL, TCP_KEEPCNT per system
  // (Linux netinet/tcp.h, XNU netinet/tcp.h, FreeBSD netinet/tcp.h).
  const SYSTEMS = [
    { os: "linux", numbers: [4, 5, 6] },
    { os: "darwin", numbers: [0x10, 0x101, 0x102] },
    { os: "freebsd", numbers: [256, 512, 1024] },
  ];
  for (const { os, numbers } of SYSTEMS) {
    test(`${os}: setsockopt and getsockopt at IPPROTO_TCP ${numbers.join(", ")}`, () => {
      const fake = fakeLoader(os, "x86_64", { getsockopt: 0, setsockopt: 0 });
      const native = createPosixApi(fake.loader);
      const out = new Float64Array(1);
      for (const name of ["keepAliveIdle", "keepAliveInterval", "keepAliveCount"] as const) {
        assert.equal(native.setOption(9n, name, 7), 0);
        assert.equal(native.getOption(9n, name, out), 0);
      }
      const tcp = fake.calls.filter((c) => c.args[1] === 6).map((c) => [c.name, c.args[2]]);
      assert.deepEqual(tcp, numbers.flatMap((n) => [["setsockopt", n], ["getsockopt", n]]));
    });
  }

  test("a BSD whose numbers are not verified: WSAENOPROTOOPT, no native call", () => {
    const fake = fakeLoader("openbsd", "x86_64");
    const native = createPosixApi(fake.loader);
    const out = new Float64Array(1);
    assert.equal(native.getOption(9n, "keepAliveCount", out), -1);
    assert.equal(native.lastError(), 10042);
    assert.equal(native.setOption(9n, "keepAliveCount", 3), -1);
    assert.equal(native.lastError(), 10042);
    assert.deepEqual(fake.names(), []);
  });
});
