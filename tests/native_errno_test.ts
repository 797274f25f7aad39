// errno → WSA translation on POSIX (issue 7, item 12). Three layers:
// - the pure table and the context rules of ffi/_errno.ts, for Linux, macOS and FreeBSD;
// - the POSIX native layer over a recording fake libc: which errno each call turns into which code, and
//   that fcntl/getpeername run only on the failure paths that need them, after errno was read;
// - real loopback sockets: tests/native_errno_real_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import {
  errnoName,
  UNMAPPED_ERRNO_BASE,
  WinsockError,
  WSA_ERRORS,
  wsaErrorName,
} from "../errors.ts";
import { type ErrnoCall, errnoTable, type SocketProbe, wsaFromErrno } from "../ffi/_errno.ts";
import type { Bound, Loader, NativeFunction, SymbolTable } from "../ffi/_types.ts";
import { createPosixApi } from "../ffi/posix.ts";

const WSAEWOULDBLOCK = 10035;
const WSAEINPROGRESS = 10036;
const WSAENOTCONN = 10057;
const WSAESHUTDOWN = 10058;
const WSAETIMEDOUT = 10060;
const WSAECONNRESET = 10054;
const WSAECONNREFUSED = 10061;

const NO_HEADERS = existsSync("/usr/include/asm-generic/errno.h")
  ? false
  : "no /usr/include/asm-generic headers here";

const LINUX = errnoTable("linux");
const DARWIN = errnoTable("darwin");
const FREEBSD = errnoTable("freebsd");

/** A probe that answers as told and counts the questions. */
function probe(blocking: boolean, notConnected: boolean): SocketProbe & { asked: number } {
  const p = {
    asked: 0,
    blocking() {
      p.asked++;
      return blocking;
    },
    notConnected() {
      p.asked++;
      return notConnected;
    },
  };
  return p;
}

describe("errno table (ffi/_errno.ts)", () => {
  test("Linux 35..71: only the numbers with a Winsock meaning map; the rest stay errnos", () => {
    // Linux numbers that share a meaning with a WSA code in this range.
    const mapped: Record<number, number> = {
      36: 10063, // ENAMETOOLONG
      38: 10045, // ENOSYS → WSAEOPNOTSUPP
      39: 10066, // ENOTEMPTY
      40: 10062, // ELOOP
      66: 10071, // EREMOTE
    };
    for (let e = 35; e <= 71; e++) {
      const expected = mapped[e] ?? UNMAPPED_ERRNO_BASE + e;
      assert.equal(wsaFromErrno(e, LINUX), expected, `errno ${e} (${errnoName(e, "linux")})`);
    }
    // The cases of the issue: today they read as WSAEWOULDBLOCK, WSAECONNREFUSED, WSAEREMOTE.
    for (const [e, name] of [[35, "EDEADLK"], [61, "ENODATA"], [71, "EPROTO"]] as const) {
      const code = wsaFromErrno(e, LINUX);
      assert.equal(code, UNMAPPED_ERRNO_BASE + e);
      assert.equal(wsaErrorName(code), undefined, `${name} must not carry a WSA name`);
      const err = new WinsockError(code, { call: "recv", platform: "linux" });
      assert.equal(err.name, name);
      assert.equal(err.errno, e);
      assert.equal(err.message, `recv failed: unmapped errno ${e} (${name})`);
    }
  });

  test("every Linux errno is a named WSA code or an unmapped errno; twins map to their twin", () => {
    for (let e = 1; e <= 133; e++) {
      const code = wsaFromErrno(e, LINUX);
      const name = errnoName(e, "linux");
      if (code === UNMAPPED_ERRNO_BASE + e) continue;
      assert.ok(wsaErrorName(code) !== undefined, `errno ${e} → ${code}, not a WSA code`);
      // An errno whose WSA twin exists (EINTR ↔ WSAEINTR, ECONNRESET ↔ WSAECONNRESET, …) maps to
      // it; EBADF is the one deliberate exception (no socket behind the handle: WSAENOTSOCK).
      const twin = name === undefined ? undefined : `WSA${name}`;
      const twinCode = Object.keys(WSA_ERRORS).map(Number).find((c) => WSA_ERRORS[c].name === twin);
      if (twinCode !== undefined && name !== "EBADF") {
        assert.equal(code, twinCode, `${name} (${e}) must map to ${twin}`);
      }
    }
    assert.equal(wsaFromErrno(9, LINUX), 10038, "EBADF → WSAENOTSOCK");
    assert.equal(wsaFromErrno(11, LINUX), WSAEWOULDBLOCK, "EAGAIN without context");
    assert.equal(wsaFromErrno(115, LINUX), WSAEINPROGRESS, "EINPROGRESS outside connect");
    assert.equal(wsaFromErrno(19, LINUX), 10049, "ENODEV (bad scope id) → WSAEADDRNOTAVAIL");
    assert.equal(wsaFromErrno(0, LINUX), 10107, "no errno → WSASYSCALLFAILURE");
    assert.equal(wsaFromErrno(134, LINUX), UNMAPPED_ERRNO_BASE + 134);
  });

  test("BSD family: 35..71 are Winsock's own numbers; the rest per system", () => {
    for (const t of [DARWIN, FREEBSD]) {
      for (let e = 35; e <= 71; e++) {
        assert.equal(wsaFromErrno(e, t), 10000 + e, `${t.os} errno ${e}`);
        // and the names agree with Winsock's (under their aliases EWOULDBLOCK 35 and, on macOS,
        // EOPNOTSUPP 45, which macOS spells ENOTSUP)
        const name = e === 35 ? "EWOULDBLOCK" : e === 45 ? "EOPNOTSUPP" : errnoName(e, t.os);
        assert.equal(`WSA${name}`, wsaErrorName(10000 + e), `${t.os} errno ${e}`);
      }
      assert.equal(errnoName(35, t.os), "EAGAIN");
      assert.equal(errnoName(45, t.os), t.os === "darwin" ? "ENOTSUP" : "EOPNOTSUPP");
      assert.equal(wsaFromErrno(11, t), UNMAPPED_ERRNO_BASE + 11, `${t.os} 11 is EDEADLK`);
      assert.equal(errnoName(11, t.os), "EDEADLK");
      assert.equal(wsaFromErrno(78, t), 10045, `${t.os} ENOSYS → WSAEOPNOTSUPP`);
    }
    // ECANCELED is 89 on macOS and 85 on FreeBSD, where 89 is EBADMSG.
    assert.equal(wsaFromErrno(89, DARWIN), 10103);
    assert.equal(wsaFromErrno(85, FREEBSD), 10103);
    assert.equal(wsaFromErrno(89, FREEBSD), UNMAPPED_ERRNO_BASE + 89);
    assert.equal(errnoName(89, "freebsd"), "EBADMSG");
    assert.equal(wsaFromErrno(102, DARWIN), 10045, "macOS EOPNOTSUPP");
    assert.equal(wsaFromErrno(100, DARWIN), UNMAPPED_ERRNO_BASE + 100, "macOS EPROTO");
    assert.equal(errnoTable("openbsd"), FREEBSD);
  });

  test("context: connect EINPROGRESS, data-call EAGAIN, send EPIPE", () => {
    const cases: [ErrnoCall, number, boolean, boolean, number][] = [
      // call, errno, blocking, notConnected, expected
      ["connect", 115, false, false, WSAEWOULDBLOCK], // nonblocking connect under way
      ["connect", 115, true, false, WSAETIMEDOUT], // SO_SNDTIMEO ran out (Linux)
      ["recv", 11, true, false, WSAETIMEDOUT], // SO_RCVTIMEO ran out
      ["recv", 11, false, false, WSAEWOULDBLOCK],
      ["send", 11, true, false, WSAETIMEDOUT], // SO_SNDTIMEO ran out
      ["send", 11, false, false, WSAEWOULDBLOCK],
      ["accept", 11, true, false, WSAETIMEDOUT],
      ["accept", 11, false, false, WSAEWOULDBLOCK],
      ["send", 32, true, true, WSAENOTCONN], // never connected
      ["send", 32, true, false, WSAESHUTDOWN], // connected, sending shut down
    ];
    for (const [call, errno, blocking, notConnected, expected] of cases) {
      const p = probe(blocking, notConnected);
      assert.equal(
        wsaFromErrno(errno, LINUX, call, p),
        expected,
        `${call} errno ${errno} blocking=${blocking} notConnected=${notConnected}`,
      );
      assert.equal(p.asked, 1);
      // the same on the BSD numbering
      const bsd = errno === 115 ? 36 : errno === 11 ? 35 : errno;
      assert.equal(wsaFromErrno(bsd, DARWIN, call, probe(blocking, notConnected)), expected);
    }
    // Other errnos never ask the socket.
    for (const [call, errno] of [["recv", 104], ["connect", 111], ["send", 110]] as const) {
      const p = probe(true, true);
      assert.equal(wsaFromErrno(errno, LINUX, call, p), LINUX.wsa[errno]);
      assert.equal(p.asked, 0, `${call} errno ${errno}`);
    }
    // EINPROGRESS keeps its meaning outside connect; EAGAIN from connect stays WSAEWOULDBLOCK.
    assert.equal(wsaFromErrno(115, LINUX, "recv", probe(true, true)), WSAEINPROGRESS);
    assert.equal(wsaFromErrno(11, LINUX, "connect", probe(true, true)), WSAEWOULDBLOCK);
    assert.equal(wsaFromErrno(32, LINUX, "recv", probe(true, true)), WSAESHUTDOWN);
  });

  test("the Linux names match the kernel headers (when installed)", { skip: NO_HEADERS }, () => {
    let text = "";
    for (const f of ["errno-base.h", "errno.h"]) {
      text += readFileSync(`/usr/include/asm-generic/${f}`, "utf8");
    }
    let checked = 0;
    for (const m of text.matchAll(/#define\s+(E[A-Z0-9]+)\s+(\d+)/g)) {
      const [, name, n] = m;
      // the headers' aliases (EWOULDBLOCK, EDEADLOCK) are defined by name, not number
      assert.equal(errnoName(Number(n), "linux"), name, `errno ${n}`);
      checked++;
    }
    assert.ok(checked >= 130, `only ${checked} errnos in the headers`);
  });
});

// ---------------------------------------------------------------------------------------------
// The POSIX native layer over a recording fake libc
// ---------------------------------------------------------------------------------------------

/** What the fake libc shares with its functions: errno, and every call made, by name. */
interface FakeState {
  errno: number;
  calls: string[];
  fcntlArgs: number[][];
}
type Impl = (state: FakeState, ...args: never[]) => unknown;

/**
 * A POSIX native layer whose libc functions are `impl` (the rest return 0), recording every call. Where
 * the layer accepts with accept4 (Linux, FreeBSD), accept4 answers as `impl.accept`.
 */
function fakeApi(os: string, impl: Record<string, Impl>) {
  const state: FakeState = { errno: 0, calls: [], fcntlArgs: [] };
  const loader: Loader = {
    runtime: "deno",
    ffi: "Deno.dlopen",
    workerThreads: true,
    os,
    arch: "x86_64",
    open<T extends SymbolTable>(_names: readonly string[], table: T): Bound<T> {
      const out: Record<string, NativeFunction> = {};
      for (const name of Object.keys(table)) {
        const key = name === "accept4" && !Object.hasOwn(impl, name) ? "accept" : name;
        out[name] = ((...args: never[]) => {
          state.calls.push(name);
          if (name === "fcntl") state.fcntlArgs.push(args as unknown as number[]);
          return Object.hasOwn(impl, key) ? impl[key](state, ...args) : 0;
        }) as NativeFunction;
      }
      return out as Bound<T>;
    },
    address: () => 0n,
    read: () => {
      throw new Error("fake libc: no native memory to read");
    },
    errno: () => state.errno,
  };
  return { native: createPosixApi(loader), state };
}

/** A libc function that fails with `errno`. */
const failsWith = (errno: number): Impl => (state) => {
  state.errno = errno;
  return -1;
};

/** fcntl answering F_GETFL with `flags`, and clobbering errno as a real call may. */
const fcntlGives = (flags: number): Impl => (state) => {
  state.errno = 9;
  return flags;
};

/** getpeername: success, or failure with `errno`. */
const peerGives = (errno: number | undefined): Impl => (state) => {
  if (errno === undefined) return 0;
  state.errno = errno;
  return -1;
};

type Api = ReturnType<typeof fakeApi>["native"];
const IPV4 = new Uint8Array([2, 0, 0, 80, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
const DATA_CALLS: [string, "recv" | "send", (p: Api) => number | bigint][] = [
  ["recv", "recv", (p) => p.recv(3n, new Uint8Array(4), 4, 0)],
  ["send", "send", (p) => p.send(3n, new Uint8Array(4), 4, 0)],
  [
    "recvfrom",
    "recv",
    (p) => p.recvFrom(3n, new Uint8Array(4), 4, 0, new Uint8Array(28), new Int32Array(1)),
  ],
  ["sendto", "send", (p) => p.sendTo(3n, new Uint8Array(4), 4, 0, IPV4)],
  ["accept", "recv", (p) => p.accept(3n, new Uint8Array(28), new Int32Array(1))],
];

describe("POSIX native layer: errno by call and socket state (fake libc)", () => {
  const OS = [
    { os: "linux", EAGAIN: 11, EINPROGRESS: 115, ENOTCONN: 107, O_NONBLOCK: 0o4000 },
    { os: "darwin", EAGAIN: 35, EINPROGRESS: 36, ENOTCONN: 57, O_NONBLOCK: 4 },
    { os: "freebsd", EAGAIN: 35, EINPROGRESS: 36, ENOTCONN: 57, O_NONBLOCK: 4 },
  ];

  test("success paths never call fcntl or getpeername", () => {
    const { native, state } = fakeApi("linux", {
      recv: () => 4,
      send: () => 4,
      recvfrom: () => 4,
      sendto: () => 4,
      connect: () => 0,
      accept: () => 7,
    });
    for (const [, , call] of DATA_CALLS) assert.ok(call(native) === 4 || call(native) === 7n);
    assert.equal(native.connect(3n, IPV4), 0);
    assert.deepEqual(state.calls.filter((c) => c === "getpeername"), []);
    // The one fcntl of a successful call: accept4 reads the listener's O_NONBLOCK right before
    // it, to pass the mode on (issue 7 item 11); it is not the errno probe.
    assert.ok(state.calls.includes("accept4"));
    state.calls.forEach((c, i) => {
      if (c === "fcntl") assert.equal(state.calls[i + 1], "accept4", "fcntl only before accept4");
    });
  });

  for (const k of OS) {
    test(`${k.os}: EAGAIN → WSAETIMEDOUT on a blocking socket, WSAEWOULDBLOCK on a nonblocking one`, () => {
      for (const [flags, expected] of [[2, WSAETIMEDOUT], [2 | k.O_NONBLOCK, WSAEWOULDBLOCK]]) {
        for (const [name, , call] of DATA_CALLS) {
          const { native, state } = fakeApi(k.os, {
            [name]: failsWith(k.EAGAIN),
            fcntl: fcntlGives(flags),
          });
          const r = call(native);
          assert.ok(r === -1 || r === -1n, name);
          assert.equal(native.lastError(), expected, `${name}, flags 0o${flags.toString(8)}`);
          // accept4 (Linux, FreeBSD) reads the listener's flags before it, the probe after.
          const reads = name === "accept" && k.os !== "darwin" ? 2 : 1;
          assert.deepEqual(
            state.fcntlArgs,
            new Array(reads).fill([3, 3]),
            `${name}: ${reads} fcntl(fd, F_GETFL)`,
          );
        }
      }
      // fcntl failing: the socket's mode is unknown, the errno's own answer stands
      const { native } = fakeApi(k.os, { recv: failsWith(k.EAGAIN), fcntl: failsWith(9) });
      native.recv(3n, new Uint8Array(1), 1, 0);
      assert.equal(native.lastError(), WSAEWOULDBLOCK);
    });

    test(`${k.os}: connect EINPROGRESS → WSAEWOULDBLOCK (nonblocking) / WSAETIMEDOUT (blocking)`, () => {
      for (const [flags, expected] of [[2 | k.O_NONBLOCK, WSAEWOULDBLOCK], [2, WSAETIMEDOUT]]) {
        const { native, state } = fakeApi(k.os, {
          connect: failsWith(k.EINPROGRESS),
          fcntl: fcntlGives(flags),
        });
        assert.equal(native.connect(3n, IPV4), -1);
        assert.equal(native.lastError(), expected);
        assert.deepEqual(state.fcntlArgs, [[3, 3]]);
      }
    });

    test(`${k.os}: send EPIPE → WSAENOTCONN without a peer, WSAESHUTDOWN with one`, () => {
      const cases: [number | undefined, number][] = [
        [k.ENOTCONN, WSAENOTCONN], // getpeername: not connected
        [undefined, WSAESHUTDOWN], // connected: the send side was shut down
        [9, WSAESHUTDOWN], // getpeername failed otherwise: the errno's own answer
      ];
      for (const [peer, expected] of cases) {
        for (const [name, kind, call] of DATA_CALLS) {
          if (kind !== "send") continue;
          const { native, state } = fakeApi(k.os, {
            [name]: failsWith(32),
            getpeername: peerGives(peer),
          });
          assert.equal(call(native), -1);
          assert.equal(native.lastError(), expected, `${name}, getpeername errno ${peer}`);
          assert.equal(state.calls.filter((c) => c === "getpeername").length, 1);
          assert.equal(state.calls.includes("fcntl"), false);
        }
      }
    });
  }

  test("errnos without a context rule never probe; unmapped ones stay errnos", () => {
    const { native, state } = fakeApi("linux", {
      recv: failsWith(104), // ECONNRESET
      connect: failsWith(111), // ECONNREFUSED
      bind: failsWith(35), // EDEADLK: not WSAEWOULDBLOCK
    });
    native.recv(3n, new Uint8Array(1), 1, 0);
    assert.equal(native.lastError(), WSAECONNRESET);
    native.connect(3n, IPV4);
    assert.equal(native.lastError(), WSAECONNREFUSED);
    native.bind(3n, IPV4);
    assert.equal(native.lastError(), UNMAPPED_ERRNO_BASE + 35);
    assert.deepEqual(state.calls.filter((c) => c === "fcntl" || c === "getpeername"), []);
  });

  test("SO_ERROR (getOption error) translates the same way", () => {
    for (
      const [os, pending, expected] of [
        ["linux", 111, WSAECONNREFUSED],
        ["linux", 61, UNMAPPED_ERRNO_BASE + 61], // ENODATA, not WSAECONNREFUSED
        ["linux", 71, UNMAPPED_ERRNO_BASE + 71], // EPROTO, not WSAEREMOTE
        ["darwin", 61, WSAECONNREFUSED],
        ["linux", 0, 0],
      ] as const
    ) {
      const { native } = fakeApi(os, {
        getsockopt: (_s, ..._args) => {
          const val = (_args as unknown[])[3] as Uint8Array;
          new DataView(val.buffer, val.byteOffset).setInt32(0, pending, true);
          return 0;
        },
      });
      const out = new Float64Array(1);
      assert.equal(native.getOption(3n, "error", out), 0);
      assert.equal(out[0], expected, `${os} SO_ERROR ${pending}`);
    }
  });
});
