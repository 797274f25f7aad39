// The POSIX native layer's SIO_ROUTING_INTERFACE_QUERY (a connected UDP socket asked for its
// local address) over a fake libc: the native calls in order with their exact sockaddrs, the
// Windows-layout answer, refusals before any probe; and the failure paths the interface queries
// share (not a socket, getifaddrs failing, a damaged or endless list, an unverified CPU) plus the
// bounds of the loaders' native reads. Pure: runs anywhere, under Deno, Bun and Node.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedError } from "../errors.ts";
import { checkNativeRead, MAX_NATIVE_READ } from "../ffi/_types.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";
import { in4, in6, type Layout, v6 } from "./_helpers/fake_ifaddrs.ts";
import { type Field, le } from "./_helpers/bytes.ts";

const SIO_GET_INTERFACE_LIST = 0x4004747f;
const SIO_GET_INTERFACE_LIST_EX = 0x4004747e;
const SIO_ADDRESS_LIST_QUERY = 0x48000016;
const SIO_ROUTING_INTERFACE_QUERY = 0xc8000014;
const CODES = [
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
  SIO_ADDRESS_LIST_QUERY,
  SIO_ROUTING_INTERFACE_QUERY,
];
const WSAEFAULT = 10014;
const WSAEINVAL = 10022;
const WSAENOTSOCK = 10038;
const WSAEOPNOTSUPP = 10045;
const WSAEAFNOSUPPORT = 10047;
const WSAENETUNREACH = 10051;
const WSAENOBUFS = 10055;
const PROBE = 9; // the fd the fake socket() hands out

const at = (offset: number, bytes: readonly number[]): Field[] =>
  bytes.map((b, i) => [offset + i, 1, b]);
/** A Windows sockaddr_in: AF_INET 2 @0, port @2 (network order), address @4. */
const win4 = (ip: readonly number[], port = 0) =>
  le(16, [0, 2, 2], [2, 1, port >> 8], [3, 1, port & 0xff], ...at(4, ip));
/** A Windows sockaddr_in6: AF_INET6 23 @0, port @2, flow info @4, address @8, scope id @24. */
const win6 = (ip: readonly number[], { port = 0, flow = 0, scope = 0 } = {}) =>
  le(
    28,
    [0, 2, 23],
    [2, 1, port >> 8],
    [3, 1, port & 0xff],
    ...at(4, [flow >>> 24, (flow >> 16) & 0xff, (flow >> 8) & 0xff, flow & 0xff]),
    ...at(8, ip),
    [24, 4, scope],
  );

/** What the fake libc saw: each connect's sockaddr, copied when the call was made. */
interface Probe {
  connected: Uint8Array[];
}

/**
 * A POSIX layer whose socket 5n is of `family`; the probe socket (fd 9) gets `local` from
 * getsockname; `connect` answers `connectErrno` (0: success).
 */
function setup(
  layout: Layout,
  family: "inet" | "inet6",
  local: Uint8Array,
  connectErrno = 0,
) {
  const probe: Probe = { connected: [] };
  const af6 = { linux: 10, darwin: 30, freebsd: 28 }[layout];
  const af = family === "inet" ? 2 : af6;
  const answers: Record<string, Answer> = {
    socket: PROBE,
    getsockname: (fd, addr, len) => {
      const out = addr as Uint8Array;
      if (fd === PROBE) {
        out.set(local);
        (len as Uint32Array)[0] = local.length;
      } else {
        out.set(layout === "linux" ? [af, 0] : [16, af]);
      }
      return 0;
    },
    connect: (_fd, addr, n) => {
      probe.connected.push((addr as Uint8Array).slice(0, n as number));
      if (connectErrno === 0) return 0;
      fake.errno.value = connectErrno;
      return -1;
    },
  };
  const fake = fakeLoader(layout, "x86_64", answers);
  return { fake, probe, native: createPosixApi(fake.loader) };
}

/** SIO_ROUTING_INTERFACE_QUERY on socket 5n; the output is FILL-ed, `n` bytes long. */
function route(api: ReturnType<typeof setup>, input: Uint8Array | null, n: number | null) {
  const out = n === null ? null : new Uint8Array(n).fill(0xa5);
  const r = api.native.wsaIoctl(
    5n,
    SIO_ROUTING_INTERFACE_QUERY,
    input,
    input?.length ?? 0,
    out,
    n ?? 0,
  );
  return { r, out };
}

describe("SIO_ROUTING_INTERFACE_QUERY: a connected UDP socket's local address", () => {
  test("Linux, IPv4: socket, SO_BROADCAST, connect (port 0 probed as 9), getsockname, close", () => {
    const api = setup("linux", "inet", in4("linux", [192, 0, 2, 2], 54321));
    const { r, out } = route(api, win4([192, 0, 2, 77]), 28);
    assert.equal(r, 16);
    assert.deepEqual(out!.subarray(0, 16), win4([192, 0, 2, 2])); // port 0
    assert.deepEqual([...out!.subarray(16)], new Array(12).fill(0xa5));
    assert.deepEqual(api.fake.names(), [
      "getsockname",
      "socket",
      "setsockopt",
      "connect",
      "getsockname",
      "close",
    ]);
    const call = (i: number) => api.fake.calls[i].args;
    assert.deepEqual(call(1), [2, 2 | 0x80000, 0]); // AF_INET, SOCK_DGRAM | SOCK_CLOEXEC
    assert.deepEqual(call(2).slice(0, 3), [PROBE, 1, 6]); // SOL_SOCKET, SO_BROADCAST
    assert.deepEqual(call(2)[3], new Uint8Array([1, 0, 0, 0]));
    assert.deepEqual(api.probe.connected, [in4("linux", [192, 0, 2, 77], 9)]);
    assert.deepEqual(call(5), [PROBE]);
  });

  test("macOS, IPv6: FIOCLEX instead of SOCK_CLOEXEC; scope id kept, port and flow info 0", () => {
    const link = v6(0xfe80, 0, 0, 0, 0, 0, 0, 2);
    const local = in6("darwin", link, { scope: 4, port: 40000, flow: 7 });
    const api = setup("darwin", "inet6", local);
    const dest = v6(0xfe80, 0, 0, 0, 0, 0, 0, 0x77);
    const { r, out } = route(api, win6(dest, { port: 443, flow: 0x12345, scope: 4 }), 28);
    assert.equal(r, 28);
    assert.deepEqual(out, win6(link, { scope: 4 }));
    assert.deepEqual(api.fake.names(), [
      "getsockname",
      "socket",
      "ioctl",
      "connect",
      "getsockname",
      "close",
    ]);
    assert.deepEqual(api.fake.calls[1].args, [30, 2, 0]);
    assert.equal(api.fake.calls[2].args[1], 0x20006601n); // FIOCLEX
    // The destination as given (port 443 kept), in macOS's layout.
    assert.deepEqual(api.probe.connected, [
      in6("darwin", dest, { port: 443, flow: 0x12345, scope: 4 }),
    ]);
  });

  test("unreachable: the errno translated (WSAENETUNREACH), the probe closed", () => {
    const api = setup("linux", "inet", in4("linux", [0, 0, 0, 0]), 101); // ENETUNREACH
    const { r, out } = route(api, win4([203, 0, 113, 9], 80), 16);
    assert.equal(r, -1);
    assert.equal(api.native.lastError(), WSAENETUNREACH);
    assert.equal(api.native.lastBytesReturned(), 0);
    assert.deepEqual([...out!], new Array(16).fill(0xa5));
    assert.deepEqual(api.fake.names(), ["getsockname", "socket", "setsockopt", "connect", "close"]);
  });

  test("output too small: WSAEFAULT with the size needed (16 / 28), no probe", () => {
    for (
      const [family, input, needed] of [["inet", win4([1, 2, 3, 4]), 16], [
        "inet6",
        win6(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
        28,
      ]] as const
    ) {
      for (const n of [null, 0, needed - 1]) {
        const api = setup("linux", family, new Uint8Array(0));
        assert.equal(route(api, input, n).r, -1);
        assert.equal(api.native.lastError(), WSAEFAULT);
        assert.equal(api.native.lastBytesReturned(), needed);
        assert.deepEqual(api.fake.names(), ["getsockname"]);
      }
    }
  });

  test("bad input, in Windows' order: short WSAEINVAL, family WSAEAFNOSUPPORT, short v6 WSAEFAULT", () => {
    const cases: [Uint8Array | null, "inet" | "inet6", number][] = [
      // None, or fewer bytes than a sockaddr_in: WSAEINVAL (the family is not even read).
      [null, "inet", WSAEINVAL],
      [new Uint8Array([2]), "inet", WSAEINVAL],
      [win4([1, 2, 3, 4]).subarray(0, 15), "inet", WSAEINVAL],
      [win6(v6(0, 0, 0, 0, 0, 0, 0, 1)).subarray(0, 15), "inet6", WSAEINVAL],
      [le(15, [0, 2, 99]), "inet", WSAEINVAL],
      // A sockaddr_in6 cut short (16..27 bytes): WSAEFAULT.
      [win6(v6(0, 0, 0, 0, 0, 0, 0, 1)).subarray(0, 27), "inet6", WSAEFAULT],
      [win6(v6(0, 0, 0, 0, 0, 0, 0, 1)).subarray(0, 16), "inet6", WSAEFAULT],
      [win6(v6(0, 0, 0, 0, 0, 0, 0, 1)), "inet", WSAEAFNOSUPPORT],
      [win4([127, 0, 0, 1]), "inet6", WSAEAFNOSUPPORT],
      [le(16, [0, 2, 99]), "inet", WSAEAFNOSUPPORT],
    ];
    for (const [input, family, error] of cases) {
      const api = setup("linux", family, new Uint8Array(0));
      assert.equal(route(api, input, 28).r, -1, `${input}`);
      assert.equal(api.native.lastError(), error, `${input}`);
      assert.equal(api.native.lastBytesReturned(), 0);
      assert.deepEqual(api.fake.names(), ["getsockname"]);
    }
  });

  test("the unspecified address (0.0.0.0, ::) is WSAEINVAL, whatever the port: no probe", () => {
    const cases: [Uint8Array, "inet" | "inet6"][] = [
      [win4([0, 0, 0, 0]), "inet"],
      [win4([0, 0, 0, 0], 53), "inet"],
      [win6(v6(0, 0, 0, 0, 0, 0, 0, 0)), "inet6"],
      [win6(v6(0, 0, 0, 0, 0, 0, 0, 0), { port: 53, scope: 2 }), "inet6"],
    ];
    for (const [input, family] of cases) {
      // Before the output is looked at: a too-small output changes nothing.
      for (const n of [28, 0]) {
        const api = setup("linux", family, new Uint8Array(0));
        const { r, out } = route(api, input, n);
        assert.equal(r, -1);
        assert.equal(api.native.lastError(), WSAEINVAL);
        assert.equal(api.native.lastBytesReturned(), 0);
        if (out !== null) assert.deepEqual([...out], new Array(n).fill(0xa5));
        assert.deepEqual(api.fake.names(), ["getsockname"]);
      }
    }
    // Any other address is probed: 0.0.0.1 and ::1 reach connect().
    for (
      const [input, family] of [[win4([0, 0, 0, 1]), "inet"], [
        win6(v6(0, 0, 0, 0, 0, 0, 0, 1)),
        "inet6",
      ]] as const
    ) {
      const api = setup("linux", family, new Uint8Array(0));
      route(api, input, 28);
      assert.ok(api.fake.names().includes("connect"), family);
    }
  });
});

describe("interface queries: failures before and while reading the list", () => {
  test("not a socket (getsockname: ENOTSOCK): WSAENOTSOCK for all four, nothing else", () => {
    for (const code of CODES) {
      const fake = fakeLoader("linux", "x86_64", {
        getsockname: () => {
          fake.errno.value = 88; // ENOTSOCK
          return -1;
        },
      });
      const native = createPosixApi(fake.loader);
      assert.equal(native.wsaIoctl(5n, code, le(16, [0, 2, 2]), 16, new Uint8Array(64), 64), -1);
      assert.equal(native.lastError(), WSAENOTSOCK);
      assert.deepEqual(fake.names(), ["getsockname"]);
      // A handle outside a C int: refused before any native call.
      assert.equal(native.wsaIoctl(1n << 40n, code, null, 0, null, 0), -1);
      assert.equal(native.lastError(), WSAENOTSOCK);
      assert.equal(fake.calls.length, 1);
    }
  });

  test("a socket outside IP (AF_UNIX): WSAEOPNOTSUPP", () => {
    for (const code of CODES) {
      const fake = fakeLoader("linux", "x86_64", {
        getsockname: (_fd, addr) => {
          (addr as Uint8Array).set([1, 0]); // AF_UNIX
          return 0;
        },
      });
      const native = createPosixApi(fake.loader);
      assert.equal(native.wsaIoctl(5n, code, le(16, [0, 2, 2]), 16, new Uint8Array(64), 64), -1);
      assert.equal(native.lastError(), WSAEOPNOTSUPP);
    }
  });

  /** An inet socket 5n on Linux whose getifaddrs is `getifaddrs`. */
  const lister = (getifaddrs: Answer) => {
    const answers: Record<string, Answer> = {
      getsockname: (_fd, addr) => {
        (addr as Uint8Array).set([2, 0]); // AF_INET
        return 0;
      },
      getifaddrs,
    };
    const fake = fakeLoader("linux", "x86_64", answers);
    return { fake, answers, native: createPosixApi(fake.loader) };
  };

  test("getifaddrs fails (ENOMEM): WSAENOBUFS, nothing to release", () => {
    const { fake, native } = lister(() => {
      fake.errno.value = 12; // ENOMEM
      return -1;
    });
    assert.equal(native.wsaIoctl(5n, SIO_ADDRESS_LIST_QUERY, null, 0, new Uint8Array(64), 64), -1);
    assert.equal(native.lastError(), WSAENOBUFS);
    assert.deepEqual(fake.names(), ["getsockname", "getifaddrs"]);
  });

  test("a pointer outside the list: the read fails, the list is released all the same", () => {
    const { fake, answers, native } = lister(0);
    const node = new Uint8Array(56);
    new DataView(node.buffer).setBigUint64(24, 0xdead0000n, true); // ifa_addr: unmapped
    const head = fake.memory.map(0x4400_0000_0000n, node);
    answers.getifaddrs = (ifap) => {
      (ifap as BigUint64Array)[0] = head;
      return 0;
    };
    const out = new Uint8Array(76);
    assert.throws(
      () => native.wsaIoctl(5n, SIO_GET_INTERFACE_LIST, null, 0, out, 76),
      /fake native read/,
    );
    assert.deepEqual(fake.names(), ["getsockname", "getifaddrs", "freeifaddrs"]);
    assert.deepEqual(fake.calls[2].args, [head]);
  });

  test("a list that loops: 65536 entries read at most, WSAENOBUFS, released once", () => {
    const { fake, answers, native } = lister(0);
    const head = 0x4500_0000_0000n;
    fake.memory.map(head, le(56, [0, 8, head])); // ifa_next: itself; ifa_addr NULL
    answers.getifaddrs = (ifap) => {
      (ifap as BigUint64Array)[0] = head;
      return 0;
    };
    const out = new Uint8Array(100);
    assert.equal(native.wsaIoctl(5n, SIO_GET_INTERFACE_LIST_EX, null, 0, out, 100), -1);
    assert.equal(native.lastError(), WSAENOBUFS);
    assert.equal(fake.memory.reads, 65536);
    assert.deepEqual(fake.names(), ["getsockname", "getifaddrs", "freeifaddrs"]);
  });

  test("a CPU whose struct ifaddrs is not verified: UnsupportedError, no native call", () => {
    for (const [os, arch] of [["linux", "ppc64"], ["linux", "mips64"], ["darwin", "ia32"]]) {
      const fake = fakeLoader(os, arch);
      const native = createPosixApi(fake.loader);
      for (const code of CODES) {
        assert.throws(
          () => native.wsaIoctl(5n, code, null, 0, new Uint8Array(64), 64),
          (e: unknown) =>
            e instanceof UnsupportedError && e.code === code && e.platform === `${os} on ${arch}`,
        );
      }
      assert.deepEqual(fake.calls, []);
    }
  });
});

describe("Loader.read bounds (checkNativeRead, run by every loader first)", () => {
  test("refuses NULL, a value outside 64 bits, and lengths past the destination", () => {
    const into = new Uint8Array(16);
    const bad: [bigint, number][] = [
      [0n, 1],
      [-1n, 1],
      [1n << 64n, 1],
      [0x1000n, -1],
      [0x1000n, 1.5],
      [0x1000n, 17],
      [0x1000n, Number.NaN],
    ];
    for (const [address, length] of bad) {
      assert.throws(
        () => checkNativeRead(address, into, length),
        RangeError,
        `${address} ${length}`,
      );
    }
    const big = new Uint8Array(MAX_NATIVE_READ + 1);
    assert.throws(() => checkNativeRead(0x1000n, big, MAX_NATIVE_READ + 1), RangeError);
    checkNativeRead(0x1000n, big, MAX_NATIVE_READ);
    checkNativeRead((1n << 64n) - 1n, into, 0);
    // The fake loader checks the same way before serving a read.
    const fake = fakeLoader("linux", "x86_64");
    assert.throws(() => fake.loader.read(0n, into, 1), RangeError);
    assert.equal(fake.memory.reads, 0);
  });
});
