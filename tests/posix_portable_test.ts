// The portable set of the POSIX native layer (ffi/_posix_portable.ts) over a recording fake libc,
// as Linux, macOS and other POSIX systems: the exact bytes of each setsockopt (level, option,
// value, length) with the option numbers written here from the system headers, the checks made
// before it and their WSA answers, the answers written (SOCKET, sockaddr_in,
// SOCKET_PROCESSOR_AFFINITY) byte by byte from the SDK's offsets, the NUMA node read from a
// sysfs listing, and what an UnsupportedError says a platform offers instead. The Linux numbers
// are also compiled against this machine's headers (gcc). Real sockets: sio_portable_linux_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import {
  SIO_BASE_HANDLE,
  SIO_BSP_HANDLE,
  SIO_BSP_HANDLE_POLL,
  SIO_BSP_HANDLE_SELECT,
  SIO_CPU_AFFINITY,
  SIO_GET_BROADCAST_ADDRESS,
  SIO_LOOPBACK_FAST_PATH,
  SIO_MULTICAST_SCOPE,
  SIO_MULTIPOINT_LOOPBACK,
  SIO_QUERY_RSS_PROCESSOR_INFO,
  SIO_SET_COMPATIBILITY_MODE,
} from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import { unsupportedNote } from "../ffi/_posix_portable.ts";
import type { NativeApi } from "../ffi/native.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { _swapNativeApi } from "../ffi/select.ts";
import { posixPortableOptions } from "../ffi/libc.ts";
import * as sio from "../sio/mod.ts";
import { assertCompiles } from "./_helpers/gcc.ts";
import { le, sockaddrIn, u32le } from "./_helpers/bytes.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";

/** One setsockopt as the fake saw it: fd, level, option, the value's bytes, the length. */
type Set = [number, number, number, number[], number];

interface FakeSystem {
  /** The native AF of the socket getsockname reports (2, or AF_INET6: 10 Linux, 30 macOS). */
  af?: number;
  /** The port getsockname reports (0: not bound). */
  port?: number;
  /** getsockopt answers by "level/name" (anything else: 0). */
  options?: Record<string, number>;
  /** getsockopt fails with this errno (the socket check of a non-socket). */
  getsockoptErrno?: number;
  /** getpeername succeeds (a connected socket); otherwise ENOTCONN. */
  peer?: boolean;
  /** The directories opendir opens, with their entries. */
  dirs?: Record<string, string[]>;
}

/** The errnos the fakes report, per system: ENOTSOCK, ENOTCONN. */
const ERRNO: Record<string, { notSock: number; notConn: number }> = {
  linux: { notSock: 88, notConn: 107 },
  darwin: { notSock: 38, notConn: 57 },
  freebsd: { notSock: 38, notConn: 57 },
  openbsd: { notSock: 38, notConn: 57 },
};

/** struct linux_dirent64 records for `names` (d_reclen 8-aligned, d_name NUL-terminated). */
function dirents(names: string[]): Uint8Array {
  const parts = names.map((name) => {
    const text = new TextEncoder().encode(name);
    const reclen = Math.ceil((19 + text.length + 1) / 8) * 8;
    const rec = le(reclen, [0, 8, 1], [8, 8, 0], [16, 2, reclen], [18, 1, 4]);
    rec.set(text, 19);
    return rec;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The native layer of `os` over a fake libc answering as `sys` says; records every setsockopt. */
function system(os: string, sys: FakeSystem = {}, arch = "x86_64") {
  const sets: Set[] = [];
  const bsd = os !== "linux";
  const errnos = ERRNO[os];
  // The answers are read at call time: filled in once the fake (and its errno) exists.
  const answers: Record<string, Answer> = {};
  const fake = fakeLoader(os, arch, answers);
  const opened: string[] = [];
  let pending: Uint8Array | undefined;
  Object.assign(
    answers,
    {
      setsockopt: (fd, level, name, value, length) => {
        const v = value as Uint8Array;
        sets.push([
          fd as number,
          level as number,
          name as number,
          [...v.subarray(0, length as number)],
          length as number,
        ]);
        return 0;
      },
      getsockopt: (_fd, level, name, value) => {
        if (sys.getsockoptErrno !== undefined) {
          fake.errno.value = sys.getsockoptErrno;
          return -1;
        }
        const key = `${level}/${name}`;
        const type = bsd ? "65535/4104" : "1/3"; // SOL_SOCKET, SO_TYPE
        const v = sys.options?.[key] ?? (key === type ? 2 : 0); // SOCK_DGRAM by default
        new DataView((value as Uint8Array).buffer).setInt32(0, v, true);
        return 0;
      },
      getsockname: (_fd, addr) => {
        const a = addr as Uint8Array;
        a.fill(0, 0, 28);
        const af = sys.af ?? 2;
        if (bsd) a.set([af === 2 ? 16 : 28, af]);
        else a.set([af & 0xff, af >> 8]);
        a.set([(sys.port ?? 0) >> 8, (sys.port ?? 0) & 0xff], 2);
        return 0;
      },
      getpeername: () => {
        if (sys.peer) return 0;
        fake.errno.value = errnos.notConn;
        return -1;
      },
      opendir: (path) => {
        const p = new TextDecoder().decode((path as Uint8Array).subarray(0, -1));
        opened.push(p);
        const entries = sys.dirs?.[p];
        if (entries === undefined) return 0n;
        pending = dirents(entries);
        return 0x1000n;
      },
      dirfd: 5,
      getdents64: (_fd, buf) => {
        if (pending === undefined) return 0n;
        (buf as Uint8Array).set(pending);
        const n = pending.length;
        pending = undefined;
        return BigInt(n);
      },
    } satisfies Record<string, Answer>,
  );
  const native = createPosixApi(fake.loader);
  fake.calls.length = 0;
  return { fake, native, sets, opened };
}

/** Asserts that `native.wsaIoctl(...args)` fails with the WSA code `wsa`. */
function fails(
  native: NativeApi,
  wsa: number,
  h: bigint,
  code: number,
  input: Uint8Array | null,
  inLength: number,
  output: Uint8Array | null,
  outLength: number,
  what = "",
): void {
  assert.equal(native.wsaIoctl(h, code, input, inLength, output, outLength), -1, what);
  assert.equal(native.lastError(), wsa, what);
}

/** What `assert.throws` expects of the UnsupportedError refusing `code` on `platform`. */
const refused = (code: number, platform: string, instead?: string) => (e: unknown): boolean => {
  assert.ok(e instanceof UnsupportedError, String(e));
  assert.equal(e.code, code);
  assert.equal(e.platform, platform);
  assert.equal(e.instead, instead);
  return true;
};

// The multicast options of each system, from its headers: [IP_MULTICAST_TTL, IP_MULTICAST_LOOP,
// IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP] (IPPROTO_IP 0, IPPROTO_IPV6 41), and its AF_INET6.
const MULTICAST = [
  // include/uapi/linux/in.h, in6.h
  { os: "linux", af6: 10, ttl: 33, loop: 34, hops6: 18, loop6: 19 },
  // XNU bsd/netinet/in.h, bsd/netinet6/in6.h
  { os: "darwin", af6: 30, ttl: 10, loop: 11, hops6: 10, loop6: 11 },
];

describe("SIO_MULTICAST_SCOPE / SIO_MULTIPOINT_LOOPBACK on a fake libc", () => {
  for (const { os, af6, ttl, loop, hops6, loop6 } of MULTICAST) {
    test(`${os}: IPv4 → IPPROTO_IP options, IPv6 → IPPROTO_IPV6 options, one int each`, () => {
      const v4 = system(os, { af: 2 });
      assert.equal(v4.native.wsaIoctl(9n, SIO_MULTICAST_SCOPE, u32le(7), 4, null, 0), 0);
      assert.equal(v4.native.wsaIoctl(9n, SIO_MULTIPOINT_LOOPBACK, u32le(0), 4, null, 0), 0);
      // A BOOL: any nonzero value is TRUE, passed on as 1.
      assert.equal(
        v4.native.wsaIoctl(9n, SIO_MULTIPOINT_LOOPBACK, u32le(0x100), 4, null, 0),
        0,
      );
      assert.deepEqual(v4.sets, [
        [9, 0, ttl, [7, 0, 0, 0], 4],
        [9, 0, loop, [0, 0, 0, 0], 4],
        [9, 0, loop, [1, 0, 0, 0], 4],
      ]);
      // Each call: the socket check (SO_TYPE), the family (getsockname), the option.
      assert.deepEqual(v4.fake.names(), [
        ...["getsockopt", "getsockname", "setsockopt"],
        ...["getsockopt", "getsockname", "setsockopt"],
        ...["getsockopt", "getsockname", "setsockopt"],
      ]);
      const v6 = system(os, { af: af6 });
      assert.equal(v6.native.wsaIoctl(9n, SIO_MULTICAST_SCOPE, u32le(255), 4, null, 0), 0);
      assert.equal(v6.native.wsaIoctl(9n, SIO_MULTICAST_SCOPE, u32le(0), 4, null, 0), 0);
      assert.equal(v6.native.wsaIoctl(9n, SIO_MULTIPOINT_LOOPBACK, u32le(1), 4, null, 0), 0);
      assert.deepEqual(v6.sets, [
        [9, 41, hops6, [255, 0, 0, 0], 4],
        [9, 41, hops6, [0, 0, 0, 0], 4],
        [9, 41, loop6, [1, 0, 0, 0], 4],
      ]);
    });

    test(`${os}: a scope above 255 (or a negative int) is WSAEINVAL, set nowhere`, () => {
      const { native, sets } = system(os);
      for (const v of [256, 0xffffffff, 0x80000000]) {
        fails(native, 10022, 9n, SIO_MULTICAST_SCOPE, u32le(v), 4, null, 0, String(v));
      }
      assert.deepEqual(sets, []);
    });
  }

  test("short input WSAEFAULT, a non-socket WSAENOTSOCK, a family outside IP WSAEINVAL", () => {
    for (const code of [SIO_MULTICAST_SCOPE, SIO_MULTIPOINT_LOOPBACK]) {
      const a = system("linux");
      fails(a.native, 10014, 9n, code, u32le(1), 3, null, 0);
      fails(a.native, 10014, 9n, code, null, 0, null, 0);
      const b = system("linux", { getsockoptErrno: 88 });
      fails(b.native, 10038, 9n, code, u32le(1), 4, null, 0);
      fails(b.native, 10038, 2n ** 31n, code, u32le(1), 4, null, 0);
      const c = system("linux", { af: 1 }); // AF_UNIX
      fails(c.native, 10022, 9n, code, u32le(1), 4, null, 0);
      for (const s of [a, b, c]) assert.deepEqual(s.sets, []);
    }
  });

  test("a system whose numbers are not verified: UnsupportedError before any native call", () => {
    for (const [os, arch] of [["freebsd", "x86_64"], ["openbsd", "x86_64"], ["linux", "mips64"]]) {
      const { fake, native } = system(os, {}, arch);
      for (const code of [SIO_MULTICAST_SCOPE, SIO_MULTIPOINT_LOOPBACK]) {
        assert.throws(() => native.wsaIoctl(9n, code, u32le(1), 4, null, 0), refused(code, os));
      }
      assert.deepEqual(fake.names(), [], `${os} on ${arch}`);
    }
  });
});

describe("SIO_GET_BROADCAST_ADDRESS on a fake libc", () => {
  // sockaddr_in { sin_family 2; sin_port 0; sin_addr 255.255.255.255; zero[8] }
  const LIMITED = sockaddrIn([255, 255, 255, 255]);

  for (const os of ["linux", "darwin", "freebsd", "openbsd"]) {
    test(`${os}: an IPv4 datagram socket gets 255.255.255.255 in 16 bytes`, () => {
      const { native, fake, sets } = system(os);
      const out = new Uint8Array(32).fill(0xee);
      assert.equal(native.wsaIoctl(9n, SIO_GET_BROADCAST_ADDRESS, null, 0, out, 32), 16);
      assert.deepEqual(out.subarray(0, 16), LIMITED);
      assert.deepEqual([...out.subarray(16)], new Array(16).fill(0xee), "nothing past 16 bytes");
      assert.deepEqual(fake.names(), ["getsockopt", "getsockname"]);
      assert.deepEqual(sets, []);
    });
  }

  test("IPv6 WSAENOPROTOOPT, a stream socket WSAEINVAL, an output under 16 bytes WSAEFAULT", () => {
    const out = new Uint8Array(16);
    const v6 = system("linux", { af: 10 });
    fails(v6.native, 10042, 9n, SIO_GET_BROADCAST_ADDRESS, null, 0, out, 16);
    const v6mac = system("darwin", { af: 30 });
    fails(v6mac.native, 10042, 9n, SIO_GET_BROADCAST_ADDRESS, null, 0, out, 16);
    const stream = system("linux", { options: { "1/3": 1 } }); // SO_TYPE SOCK_STREAM
    fails(stream.native, 10022, 9n, SIO_GET_BROADCAST_ADDRESS, null, 0, out, 16);
    assert.deepEqual(stream.fake.names(), ["getsockopt"], "the type decides first");
    const short = system("linux");
    fails(short.native, 10014, 9n, SIO_GET_BROADCAST_ADDRESS, null, 0, out, 15);
    fails(short.native, 10014, 9n, SIO_GET_BROADCAST_ADDRESS, null, 0, null, 0);
    const notSock = system("linux", { getsockoptErrno: 88 });
    fails(notSock.native, 10038, 9n, SIO_GET_BROADCAST_ADDRESS, null, 0, out, 16);
  });
});

describe("SIO_BASE_HANDLE and the SIO_BSP_HANDLE codes on a fake libc", () => {
  const CODES = [SIO_BASE_HANDLE, SIO_BSP_HANDLE, SIO_BSP_HANDLE_SELECT, SIO_BSP_HANDLE_POLL];

  test("the descriptor itself, as an 8-byte SOCKET, once it is known to be a socket", () => {
    for (const os of ["linux", "darwin", "openbsd"]) {
      for (const code of CODES) {
        const { native, fake } = system(os);
        const out = new Uint8Array(12).fill(0xee);
        assert.equal(native.wsaIoctl(0x7fffffffn, code, null, 0, out, 12), 8);
        assert.deepEqual(
          out,
          new Uint8Array([0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0xee, 0xee, 0xee, 0xee]),
        );
        assert.equal(native.wsaIoctl(9n, code, null, 0, out, 8), 8);
        assert.deepEqual(out.subarray(0, 8), le(8, [0, 8, 9]));
        assert.deepEqual(fake.names(), ["getsockopt", "getsockopt"]);
      }
    }
  });

  test("a non-socket WSAENOTSOCK, an output under 8 bytes WSAEFAULT", () => {
    for (const code of CODES) {
      const { native } = system("linux", { getsockoptErrno: 88 });
      const out = new Uint8Array(8);
      fails(native, 10038, 9n, code, null, 0, out, 8);
      assert.deepEqual(out, new Uint8Array(8));
      const short = system("linux");
      fails(short.native, 10014, 9n, code, null, 0, out, 7);
      fails(short.native, 10014, 9n, code, null, 0, null, 0);
    }
  });
});

// Linux's SOL_SOCKET options (asm-generic/socket.h): SO_TYPE 3, SO_REUSEADDR 2, SO_REUSEPORT 15,
// SO_PROTOCOL 38, SO_INCOMING_CPU 49.
const SO = { type: "1/3", reuseAddr: "1/2", protocol: "1/38", incomingCpu: "1/49" };

describe("SIO_QUERY_RSS_PROCESSOR_INFO on a fake Linux libc", () => {
  const cpuDir = (n: number) => `/sys/devices/system/cpu/cpu${n}`;

  test("SO_INCOMING_CPU and the nodeM entry of its sysfs directory, as SOCKET_PROCESSOR_AFFINITY", () => {
    const { native, fake, opened } = system("linux", {
      peer: true,
      options: { [SO.incomingCpu]: 5 },
      dirs: { [cpuDir(5)]: [".", "..", "cpufreq", "node12", "topology"] },
    });
    const out = new Uint8Array(8).fill(0xee);
    assert.equal(native.wsaIoctl(9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 8), 8);
    // { WORD Group @0; BYTE Number @2; BYTE Reserved @3 } USHORT NumaNodeId @4, Reserved @6
    assert.deepEqual(out, le(8, [0, 2, 0], [2, 1, 5], [4, 2, 12]));
    assert.deepEqual(opened, [cpuDir(5)]);
    assert.deepEqual(fake.names(), [
      "getsockopt", // the socket check
      "getpeername", // connected
      "getsockopt", // SO_INCOMING_CPU
      "opendir",
      "dirfd",
      "getdents64",
      "getdents64",
      "closedir",
    ]);
    assert.deepEqual(fake.calls[2].args.slice(0, 3), [9, 1, 49]);
  });

  test("a CPU above 255: group CPU / 64, number CPU % 64", () => {
    const { native } = system("linux", {
      peer: true,
      options: { [SO.incomingCpu]: 300 },
      dirs: { [cpuDir(300)]: ["node3"] },
    });
    const out = new Uint8Array(8);
    assert.equal(native.wsaIoctl(9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 8), 8);
    assert.deepEqual(out, le(8, [0, 2, 4], [2, 1, 44], [4, 2, 3])); // 4 × 64 + 44 = 300
    const edge = system("linux", { peer: true, options: { [SO.incomingCpu]: 255 } });
    assert.equal(edge.native.wsaIoctl(9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 8), 8);
    assert.deepEqual(out, le(8, [2, 1, 255]));
  });

  test("no node entry, or no sysfs: node 0", () => {
    for (const dirs of [{ [cpuDir(1)]: ["topology", "nodes", "node"] }, {}]) {
      const { native } = system("linux", { peer: true, options: { [SO.incomingCpu]: 1 }, dirs });
      const out = new Uint8Array(8).fill(0xee);
      assert.equal(native.wsaIoctl(9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 8), 8);
      assert.deepEqual(out, le(8, [2, 1, 1]));
    }
  });

  test("unconnected WSAENOTCONN, nothing received yet WSAEWOULDBLOCK, short output WSAEFAULT", () => {
    const out = new Uint8Array(8);
    const unconnected = system("linux", { options: { [SO.incomingCpu]: 1 } });
    fails(unconnected.native, 10057, 9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 8);
    const fresh = system("linux", { peer: true, options: { [SO.incomingCpu]: -1 } });
    fails(fresh.native, 10035, 9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 8);
    fails(fresh.native, 10014, 9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 7);
    const notSock = system("linux", { getsockoptErrno: 88 });
    fails(notSock.native, 10038, 9n, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, out, 8);
    assert.deepEqual(out, new Uint8Array(8), "nothing written on a failure");
  });
});

describe("SIO_CPU_AFFINITY on a fake Linux libc", () => {
  test("the preconditions, then SO_INCOMING_CPU and SO_REUSEPORT", () => {
    const { native, fake, sets } = system("linux", { options: { [SO.protocol]: 17 } });
    assert.equal(native.wsaIoctl(9n, SIO_CPU_AFFINITY, le(2, [0, 2, 0x0103]), 2, null, 0), 0);
    assert.deepEqual(sets, [
      [9, 1, 49, [3, 1, 0, 0], 4], // SO_INCOMING_CPU = 259
      [9, 1, 15, [1, 0, 0, 0], 4], // SO_REUSEPORT = 1
    ]);
    assert.deepEqual(fake.names(), [
      "getsockopt", // SO_TYPE: a socket, datagram
      "getsockopt", // SO_PROTOCOL: UDP
      "getsockname", // not bound
      "getsockopt", // SO_REUSEADDR off
      "setsockopt",
      "setsockopt",
    ]);
    const asked = fake.calls.filter((c) => c.name === "getsockopt").map((c) => c.args.slice(1, 3));
    assert.deepEqual(asked, [[1, 3], [1, 38], [1, 2]]);
  });

  test("each refusal is WSAEINVAL and sets nothing: not UDP, bound, SO_REUSEADDR", () => {
    const input = le(2, [0, 2, 1]);
    const cases: [string, FakeSystem][] = [
      ["TCP", { options: { [SO.type]: 1, [SO.protocol]: 6 } }],
      ["ICMP datagram", { options: { [SO.protocol]: 1 } }],
      ["raw", { options: { [SO.type]: 3, [SO.protocol]: 17 } }],
      ["bound", { options: { [SO.protocol]: 17 }, port: 4242 }],
      ["bound IPv6", { options: { [SO.protocol]: 17 }, port: 1, af: 10 }],
      ["SO_REUSEADDR", { options: { [SO.protocol]: 17, [SO.reuseAddr]: 1 } }],
    ];
    for (const [what, sys] of cases) {
      const { native, sets } = system("linux", sys);
      fails(native, 10022, 9n, SIO_CPU_AFFINITY, input, 2, null, 0, what);
      assert.deepEqual(sets, [], what);
    }
  });

  test("a non-socket WSAENOTSOCK, an input under 2 bytes WSAEFAULT", () => {
    const notSock = system("linux", { getsockoptErrno: 88 });
    fails(notSock.native, 10038, 9n, SIO_CPU_AFFINITY, le(2), 2, null, 0);
    const short = system("linux", { options: { [SO.protocol]: 17 } });
    fails(short.native, 10014, 9n, SIO_CPU_AFFINITY, le(2), 1, null, 0);
    fails(short.native, 10014, 9n, SIO_CPU_AFFINITY, null, 0, null, 0);
    assert.deepEqual(short.sets, []);
  });
});

describe("the CPU codes on macOS and other systems without SO_INCOMING_CPU", () => {
  test("UnsupportedError before any native call, whatever the handle", () => {
    for (const [os, arch] of [["darwin", "aarch64"], ["darwin", "x86_64"], ["freebsd", "x86_64"]]) {
      const { native, fake } = system(os, {}, arch);
      for (const h of [9n, 2n ** 40n]) {
        assert.throws(
          () => native.wsaIoctl(h, SIO_QUERY_RSS_PROCESSOR_INFO, null, 0, new Uint8Array(8), 8),
          refused(SIO_QUERY_RSS_PROCESSOR_INFO, os),
        );
        assert.throws(
          () => native.wsaIoctl(h, SIO_CPU_AFFINITY, le(2), 2, null, 0),
          refused(SIO_CPU_AFFINITY, os),
        );
      }
      assert.deepEqual(fake.names(), []);
    }
  });

  test("the typed calls name themselves (macOS)", () => {
    const { native } = system("darwin", {}, "aarch64");
    const restore = _swapNativeApi(native);
    try {
      for (
        const [name, call] of [
          ["rssProcessorInfo", () => sio.rssProcessorInfo(9n)],
          ["setCpuAffinity", () => sio.setCpuAffinity(9n, 0)],
        ] as const
      ) {
        assert.throws(call, (e: unknown) => {
          assert.ok(e instanceof UnsupportedError);
          assert.equal(e.typedCall, name);
          assert.equal(e.platform, "darwin");
          return true;
        });
      }
    } finally {
      restore();
    }
  });
});

describe("UnsupportedError says what the platform offers instead", () => {
  test("the note is the message's end and its own field, kept when a typed call renames it", () => {
    const e = new UnsupportedError("SIO_X", "linux", undefined, "x", "use y");
    assert.equal(e.message, "x: SIO_X is unsupported on linux: use y");
    assert.equal(e.instead, "use y");
    assert.equal(new UnsupportedError("SIO_X", "linux").instead, undefined);
    for (const os of ["linux", "darwin"]) {
      const { native, fake } = system(os, {}, "aarch64");
      const restore = _swapNativeApi(native);
      try {
        assert.throws(() => sio.setLoopbackFastPath(9n, true), (err: unknown) => {
          assert.ok(err instanceof UnsupportedError);
          assert.equal(err.typedCall, "setLoopbackFastPath");
          assert.equal(err.instead, `loopback needs no fast path on ${os}`);
          assert.equal(
            err.message,
            `setLoopbackFastPath: SIO_LOOPBACK_FAST_PATH (0x98000010) is unsupported on ${os}: ` +
              `loopback needs no fast path on ${os}`,
          );
          return true;
        });
        // Nothing offered: no note.
        assert.throws(
          () => sio.setCompatibilityMode(9n, { behavior: "all", targetOsVersion: 0 }),
          (err: unknown) => err instanceof UnsupportedError && err.instead === undefined,
        );
      } finally {
        restore();
      }
      assert.deepEqual(fake.names(), [], "refused before any native call");
    }
    // A system without notes gets none.
    assert.equal(unsupportedNote("openbsd", SIO_LOOPBACK_FAST_PATH), undefined);
    assert.equal(unsupportedNote("linux", SIO_SET_COMPATIBILITY_MODE), undefined);
    // The ioctl() path carries it too.
    const { native } = system("linux");
    assert.throws(
      () => native.wsaIoctl(9n, SIO_LOOPBACK_FAST_PATH, u32le(1), 4, null, 0),
      refused(SIO_LOOPBACK_FAST_PATH, "linux", "loopback needs no fast path on linux"),
    );
  });
});

describe("the Linux option numbers against this machine's C headers", {
  skip: process.platform !== "linux" && "Linux headers: run on Linux",
}, () => {
  test("IP_MULTICAST_*, IPV6_MULTICAST_*, SO_INCOMING_CPU, SO_REUSEPORT, SO_PROTOCOL", (t) => {
    const o = posixPortableOptions("linux", "x86_64")!;
    const c = o.cpu!;
    const pairs: [string, string, readonly [number, number]][] = [
      ["IPPROTO_IP", "IP_MULTICAST_TTL", o.multicastTtl],
      ["IPPROTO_IP", "IP_MULTICAST_LOOP", o.multicastLoop],
      ["IPPROTO_IPV6", "IPV6_MULTICAST_HOPS", o.multicastHops6],
      ["IPPROTO_IPV6", "IPV6_MULTICAST_LOOP", o.multicastLoop6],
      ["SOL_SOCKET", "SO_INCOMING_CPU", c.incomingCpu],
      ["SOL_SOCKET", "SO_REUSEPORT", c.reusePort],
      ["SOL_SOCKET", "SO_PROTOCOL", c.protocol],
    ];
    const lines = pairs.flatMap(([level, name, [l, n]]) => [
      `_Static_assert(${level} == ${l}, "${level}");`,
      `_Static_assert(${name} == ${n}, "${name}");`,
    ]);
    assertCompiles(
      t,
      ["#include <sys/socket.h>", "#include <netinet/in.h>", ...lines, ""].join("\n"),
    );
  });
});
