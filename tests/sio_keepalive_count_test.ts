// setKeepAlive's `count` (TCP_KEEPCNT). First the Windows path on a fake ws2_32 (the real
// Windows native layer, ffi/windows.ts, over a recording loader): the getsockopt and setsockopt
// of IPPROTO_TCP 16 (ws2ipdef.h) and the SIO_KEEPALIVE_VALS that follows, byte for byte and in
// order, and what each refusal leaves. Then real sockets, read back with a getsockopt bound in
// tests/_helpers/keepalive.ts (no wsioctl table): on Linux here, and under Wine's ws2_32 when
// tests/windows/sio_keepalive_count_test.ts runs this file in the bed.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { _swapNativeApi, nativeApi } from "../ffi/select.ts";
import { createWindowsApi } from "../ffi/windows.ts";
import { setKeepAlive } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { le, u32le } from "./_helpers/bytes.ts";
import { fakeLoader } from "./_helpers/fake_loader.ts";
import { KEEPALIVE_NUMBERS, keepAliveState } from "./_helpers/keepalive.ts";
import { tcpPair } from "./_helpers/pair.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { assertWinsock } from "./_helpers/winsock.ts";

// mstcpip.h: SIO_KEEPALIVE_VALS = _WSAIOW(IOC_VENDOR,4); winsock2.h: SOL_SOCKET 0xffff, SO_TYPE
// 0x1008; ws2ipdef.h: IPPROTO_TCP 6, TCP_KEEPCNT 16.
const KEEPALIVE_VALS = 0x98000004;
const SO_TYPE = [0xffff, 0x1008];
const TCP_KEEPCNT = [6, 16];

/** What the fake ws2_32 answers. */
interface Script {
  /** getsockopt(IPPROTO_TCP, TCP_KEEPCNT): the count, or the WSA error it fails with. */
  count: number | { error: number };
  /** getsockopt(SOL_SOCKET, SO_TYPE): 1 stream (default), 2 datagram. */
  type?: number;
  /** The WSA error each setsockopt fails with, in turn (undefined: it succeeds). */
  setErrors?: (number | undefined)[];
  /** The WSA error WSAIoctl fails with (undefined: it succeeds). */
  ioctlError?: number;
}

/** One socket call as ws2_32 received it, buffers copied (the native layer reuses its own). */
type Seen =
  | ["getsockopt", number, number]
  | ["setsockopt", number, number, number[], number]
  | ["WSAIoctl", number, number[], number];

/**
 * Runs `fn` over the Windows native layer on a fake ws2_32 scripted by `script`: returns the
 * socket calls made on handle 9n, in order, and what `fn` threw.
 */
function onFakeWindows(script: Script, fn: () => void): { seen: Seen[]; error: unknown } {
  let last = 0;
  const seen: Seen[] = [];
  const setErrors = [...(script.setErrors ?? [])];
  const fail = (code: number) => {
    last = code;
    return -1;
  };
  const fake = fakeLoader("windows", "x86_64", {
    WSAGetLastError: () => last,
    getsockopt: (s, level, name, value, length) => {
      assert.equal(s, 9n);
      seen.push(["getsockopt", level as number, name as number]);
      assert.equal((length as Int32Array)[0], 4, "optlen in: a DWORD");
      const answer = level === SO_TYPE[0] && name === SO_TYPE[1]
        ? script.type ?? 1
        : level === TCP_KEEPCNT[0] && name === TCP_KEEPCNT[1]
        ? script.count
        : assert.fail(`getsockopt(${level}, ${name}) not scripted`);
      if (typeof answer !== "number") return fail(answer.error);
      (value as Uint8Array).set(u32le(answer));
      return 0;
    },
    setsockopt: (s, level, name, value, length) => {
      assert.equal(s, 9n);
      const bytes = [...(value as Uint8Array).subarray(0, length as number)];
      seen.push(["setsockopt", level as number, name as number, bytes, length as number]);
      const error = setErrors.shift();
      return error === undefined ? 0 : fail(error);
    },
    WSAIoctl: (s, code, input, inLength) => {
      assert.equal(s, 9n);
      const bytes = [...(input as Uint8Array).subarray(0, inLength as number)];
      seen.push(["WSAIoctl", code as number, bytes, inLength as number]);
      return script.ioctlError === undefined ? 0 : fail(script.ioctlError);
    },
  });
  const restore = _swapNativeApi(createWindowsApi(fake.loader));
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  } finally {
    restore();
  }
  return { seen, error };
}

// The expected calls, written from the SDK: TCP_KEEPCNT's DWORD, tcp_keepalive's three ULONGs
// (onoff @0, keepalivetime @4, keepaliveinterval @8).
const readCount: Seen = ["getsockopt", 6, 16];
const readType: Seen = ["getsockopt", 0xffff, 0x1008];
const setCount = (n: number): Seen => ["setsockopt", 6, 16, [...u32le(n)], 4];
const keepAliveVals = (on: number, time: number, interval: number): Seen => [
  "WSAIoctl",
  KEEPALIVE_VALS,
  [...le(12, [0, 4, on], [4, 4, time], [8, 4, interval])],
  12,
];
const on = { enabled: true, timeMs: 30_000, intervalMs: 1_500 };

describe("setKeepAlive's count on Windows (a fake ws2_32)", () => {
  test("TCP_KEEPCNT read, then set (a DWORD), then SIO_KEEPALIVE_VALS", () => {
    const { seen, error } = onFakeWindows(
      { count: 10 },
      () => setKeepAlive(9n, { ...on, count: 3 }),
    );
    assert.equal(error, undefined);
    assert.deepEqual(seen, [readCount, setCount(3), keepAliveVals(1, 30_000, 1_500)]);
    const most = onFakeWindows({ count: 10 }, () => setKeepAlive(9n, { ...on, count: 255 }));
    assert.deepEqual(most.seen[1], setCount(255));
  });

  test("without count, or with enabled: false: SIO_KEEPALIVE_VALS alone", () => {
    const without = onFakeWindows({ count: 10 }, () => setKeepAlive(9n, on));
    assert.deepEqual(without.seen, [keepAliveVals(1, 30_000, 1_500)]);
    const off = { enabled: false, timeMs: 5_000, intervalMs: 1_000, count: 4 };
    const ignored = onFakeWindows({ count: 10 }, () => setKeepAlive(9n, off));
    assert.equal(ignored.error, undefined);
    assert.deepEqual(ignored.seen, [keepAliveVals(0, 5_000, 1_000)]);
  });

  test("SIO_KEEPALIVE_VALS refused: the count read first is put back, then its error", () => {
    const script = { count: 7, ioctlError: 10022 };
    const { seen, error } = onFakeWindows(script, () => setKeepAlive(9n, { ...on, count: 3 }));
    assert.deepEqual(seen, [readCount, setCount(3), keepAliveVals(1, 30_000, 1_500), setCount(7)]);
    assert.ok(error instanceof WinsockError, String(error));
    assert.equal(error.name, "WSAEINVAL");
    assert.equal(error.typedCall, "setKeepAlive");
    assert.equal(error.ioctl, "SIO_KEEPALIVE_VALS");
  });

  test("before Windows 10 1703 (the read refused on a stream socket): UnsupportedError naming count, nothing set", () => {
    for (const code of [10042, 10022]) { // WSAENOPROTOOPT, WSAEINVAL
      const script = { count: { error: code } };
      const { seen, error } = onFakeWindows(script, () => setKeepAlive(9n, { ...on, count: 3 }));
      assert.deepEqual(seen, [readCount, readType], `${code}: no setsockopt, no WSAIoctl`);
      assert.ok(error instanceof UnsupportedError, String(error));
      assert.equal(error.typedCall, "setKeepAlive");
      assert.equal(error.platform, "windows");
      assert.equal(error.ioctl, "count (TCP_KEEPCNT)");
      assert.match(error.message, /^setKeepAlive: count \(TCP_KEEPCNT\) is unsupported on windows/);
    }
  });

  test("a socket that is not TCP: the read's refusal, hinting at TCP, nothing set", () => {
    const script = { count: { error: 10042 }, type: 2 };
    const { seen, error } = onFakeWindows(script, () => setKeepAlive(9n, { ...on, count: 3 }));
    assert.deepEqual(seen, [readCount, readType]);
    assert.ok(error instanceof WinsockError, String(error));
    assert.equal(error.name, "WSAENOPROTOOPT");
    assert.equal(error.call, "getsockopt");
    assert.equal(error.typedCall, "setKeepAlive");
    assert.match(error.hint ?? "", /TCP_KEEPCNT applies to TCP \(stream\) sockets/);
  });

  test("any other refusal of the read (not a socket): its WinsockError, no SO_TYPE asked", () => {
    const script = { count: { error: 10038 } }; // WSAENOTSOCK
    const { seen, error } = onFakeWindows(script, () => setKeepAlive(9n, { ...on, count: 3 }));
    assert.deepEqual(seen, [readCount]);
    assert.ok(error instanceof WinsockError && error.name === "WSAENOTSOCK", String(error));
    assert.equal(error.hint, undefined);
  });

  test("the count refused by setsockopt: its WinsockError, nothing else sent", () => {
    const script = { count: 10, setErrors: [10022] };
    const { seen, error } = onFakeWindows(script, () => setKeepAlive(9n, { ...on, count: 200 }));
    assert.deepEqual(seen, [readCount, setCount(200)]);
    assert.ok(error instanceof WinsockError, String(error));
    assert.equal(error.name, "WSAEINVAL");
    assert.equal(error.call, "setsockopt");
    assert.equal(error.typedCall, "setKeepAlive");
    assert.match(error.message, /^setKeepAlive: setsockopt failed: WSAEINVAL/);
  });
});

describe("setKeepAlive's count on POSIX (a fake libc)", () => {
  test("a system whose TCP_KEEPCNT is not known (OpenBSD): UnsupportedError naming count", () => {
    // getsockopt answers SO_TYPE SOCK_STREAM (1): the only native call made.
    const fake = fakeLoader("openbsd", "x86_64", {
      getsockopt: (_fd, _level, _name, value) => ((value as Uint8Array).set(u32le(1)), 0),
    });
    const restore = _swapNativeApi(createPosixApi(fake.loader));
    try {
      assert.throws(() => setKeepAlive(9n, { ...on, count: 3 }), (e: unknown) => {
        assert.ok(e instanceof UnsupportedError, String(e));
        assert.equal(e.typedCall, "setKeepAlive");
        assert.equal(e.platform, "openbsd");
        assert.match(e.message, /^setKeepAlive: count \(TCP_KEEPCNT\) is unsupported on openbsd/);
        return true;
      });
    } finally {
      restore();
    }
    // SOL_SOCKET 0xffff, SO_TYPE 0x1008 (OpenBSD sys/socket.h, as the other BSDs).
    const calls = fake.calls.map((c) => [c.name, c.args[1], c.args[2]]);
    assert.deepEqual(calls, [["getsockopt", 0xffff, 0x1008]]);
  });
});

describe("setKeepAlive's count, checked first", () => {
  test("a count getter that closes the Socket: SocketClosedError, no native call after", async () => {
    const fake = recordingApi();
    await withFake(fake, () => {
      const s = Socket.open("inet", "stream");
      const options = {
        ...on,
        get count() {
          s.close();
          return 3;
        },
      };
      assert.throws(() => setKeepAlive(s, options), SocketClosedError);
    });
    assert.deepEqual(fake.log, ["socket", "close"]);
  });
});

const native = nativeApi();

describe(`setKeepAlive's count on real sockets (${native.runtime}/${native.os})`, {
  skip: (KEEPALIVE_NUMBERS === undefined || (native.os === "windows" && !native.wine)) &&
    "the numbers and answers written here are Linux's and Wine's",
}, () => {
  test("set with the times, read back by getsockopt; through a raw handle too", () => {
    using p = tcpPair();
    setKeepAlive(p.client, { enabled: true, timeMs: 5_000, intervalMs: 2_000, count: 4 });
    assert.deepEqual(keepAliveState(p.client.handle), [true, 5, 2, 4]);
    setKeepAlive(p.peer.handle, { enabled: true, timeMs: 1_000, intervalMs: 1_000, count: 1 });
    assert.deepEqual(keepAliveState(p.peer.handle), [true, 1, 1, 1]);
    // 127, Linux's MAX_TCP_KEEPCNT: the largest it takes (Wine hands the value to Linux).
    setKeepAlive(p.peer, { enabled: true, timeMs: 1_000, intervalMs: 1_000, count: 127 });
    assert.equal(keepAliveState(p.peer.handle)[3], 127);
    // An unconnected socket takes it too.
    using fresh = Socket.open("inet6", "stream");
    setKeepAlive(fresh, { enabled: true, timeMs: 3_000, intervalMs: 1_000, count: 2 });
    assert.deepEqual(keepAliveState(fresh.handle), [true, 3, 1, 2]);
  });

  test("enabled: false turns keep-alive off and leaves the count as it was", () => {
    using p = tcpPair();
    setKeepAlive(p.client, { enabled: true, timeMs: 5_000, intervalMs: 2_000, count: 4 });
    setKeepAlive(p.client, { enabled: false, timeMs: 8_000, intervalMs: 3_000, count: 9 });
    assert.deepEqual(keepAliveState(p.client.handle), [false, 5, 2, 4]);
  });

  test("a count the system refuses (past 127): WSAEINVAL, and all four settings as they were", () => {
    using p = tcpPair();
    const fresh = keepAliveState(p.client.handle);
    for (const count of [128, 255]) {
      const e = assertWinsock(
        () => setKeepAlive(p.client, { enabled: true, timeMs: 6_000, intervalMs: 1_000, count }),
        "WSAEINVAL",
      );
      assert.equal(e.call, "setsockopt");
      assert.equal(e.typedCall, "setKeepAlive");
      assert.deepEqual(keepAliveState(p.client.handle), fresh, `${count} on a fresh socket`);
    }
    setKeepAlive(p.client, { enabled: true, timeMs: 7_000, intervalMs: 3_000, count: 5 });
    assertWinsock(
      () => setKeepAlive(p.client, { enabled: true, timeMs: 9_000, intervalMs: 4_000, count: 200 }),
      "WSAEINVAL",
    );
    assert.deepEqual(keepAliveState(p.client.handle), [true, 7, 3, 5]);
  });

  test("SIO_KEEPALIVE_VALS refused after the count was set: the count put back", () => {
    using p = tcpPair();
    setKeepAlive(p.client, { enabled: true, timeMs: 5_000, intervalMs: 2_000, count: 4 });
    setKeepAlive(p.client, { enabled: false, timeMs: 0, intervalMs: 0 });
    // 40,000 s idle: past Linux's 32,767. The POSIX layer refuses it before setting anything;
    // Wine 10 turns SO_KEEPALIVE on, then fails setting the idle time and leaves it on.
    const e = assertWinsock(
      () =>
        setKeepAlive(p.client, { enabled: true, timeMs: 40_000_000, intervalMs: 1_000, count: 6 }),
      "WSAEINVAL",
    );
    assert.equal(e.ioctl, "SIO_KEEPALIVE_VALS");
    assert.deepEqual(keepAliveState(p.client.handle), [native.wine, 5, 2, 4]);
  });

  test("a datagram socket: WSAEOPNOTSUPP reading TCP_KEEPCNT, hinting at TCP", () => {
    using u = Socket.open("inet", "dgram");
    const e = assertWinsock(
      () => setKeepAlive(u, { enabled: true, timeMs: 1_000, intervalMs: 1_000, count: 3 }),
      "WSAEOPNOTSUPP",
    );
    assert.equal(e.call, "getsockopt");
    assert.equal(e.typedCall, "setKeepAlive");
    assert.match(e.message, /\(count: TCP_KEEPCNT applies to TCP \(stream\) sockets\)$/);
    assert.equal(u.getOption("keepAlive"), false);
  });
});
