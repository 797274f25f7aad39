// The POSIX native layer's interface lists (SIO_GET_INTERFACE_LIST, SIO_GET_INTERFACE_LIST_EX,
// SIO_ADDRESS_LIST_QUERY) over a fake libc whose getifaddrs hands out a scripted list in
// Linux's, macOS's and FreeBSD's own layouts: the Windows-layout output byte for byte (the
// expected bytes written here from the SDK's offsets), flags translated, IPv6 scope ids, short
// BSD netmasks, outputs too small, and the list always released. Pure: runs anywhere, under
// Deno, Bun and Node.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPosixApi } from "../ffi/posix.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";
import {
  in4,
  in6,
  type Layout,
  link,
  nativeIff,
  type ScriptedIfaddr,
  scriptIfaddrs,
  shortMask,
  v6,
} from "./_helpers/fake_ifaddrs.ts";
import { type Field, le } from "./_helpers/bytes.ts";

const SIO_GET_INTERFACE_LIST = 0x4004747f;
const SIO_GET_INTERFACE_LIST_EX = 0x4004747e;
const SIO_ADDRESS_LIST_QUERY = 0x48000016;
const WSAEFAULT = 10014;
const WSAEINVAL = 10022;
const FILL = 0xa5;

/** One byte field per byte of `bytes`, from `offset`. */
const at = (offset: number, bytes: readonly number[]): Field[] =>
  bytes.map((b, i) => [offset + i, 1, b]);
/** A Windows sockaddr_in at `o`: AF_INET (2) @0, the address @4. */
const win4 = (o: number, ip: readonly number[]): Field[] => [[o, 2, 2], ...at(o + 4, ip)];
/** A Windows sockaddr_in6 at `o`: AF_INET6 (23) @0, the address @8, the scope id @24. */
const win6 = (o: number, ip: readonly number[], scope = 0): Field[] => [
  [o, 2, 23],
  ...at(o + 8, ip),
  [o + 24, 4, scope],
];
/** A SOCKET_ADDRESS at `o`: lpSockaddr @0 (8 bytes), iSockaddrLength @8. */
const socketAddress = (o: number, pointer: bigint, length: number): Field[] => [
  [o, 8, pointer],
  [o + 8, 4, length],
];

const LO4 = [127, 0, 0, 1];
const ETH4 = [192, 0, 2, 2];
const PPP4 = [10, 9, 8, 7];
const LO6 = v6(0, 0, 0, 0, 0, 0, 0, 1);
const LINK6 = v6(0xfe80, 0, 0, 0, 0, 0, 0, 1);
const MASK64 = v6(0xffff, 0xffff, 0xffff, 0xffff, 0, 0, 0, 0);
const MASK128 = v6(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff);

/**
 * The machine every layout scripts: loopback, a link-layer entry (skipped), an Ethernet
 * address with broadcast, a point-to-point link that is up but not running, ::1, a link-local
 * address on interface 4, and an entry without an address (skipped). The BSD layouts hand out
 * short netmasks (macOS leaves their family 0) and the link-local address with its scope in
 * bytes 2–3 (KAME), as their kernels do.
 */
function machine(layout: Layout): ScriptedIfaddr[] {
  const f = nativeIff(layout);
  const bsd = layout !== "linux";
  return [
    {
      flags: f.up | f.loopback | f.running,
      addr: in4(layout, LO4),
      netmask: bsd ? shortMask([255, 0, 0, 0], 5) : in4(layout, [255, 0, 0, 0]),
    },
    { flags: f.up | f.broadcast | f.running | f.multicast, addr: link(layout) },
    {
      flags: f.up | f.broadcast | f.running | f.multicast,
      addr: in4(layout, ETH4),
      netmask: bsd ? shortMask([255, 255, 255, 0], 7) : in4(layout, [255, 255, 255, 0]),
      broad: in4(layout, [192, 0, 2, 255]),
    },
    {
      flags: f.up | f.pointToPoint | f.multicast,
      addr: in4(layout, PPP4),
      netmask: in4(layout, [255, 255, 255, 255]),
      broad: in4(layout, [10, 9, 8, 1]), // ifa_dstaddr: the peer, not a broadcast address
    },
    { flags: f.up | f.loopback | f.running, addr: in6(layout, LO6), netmask: in6(layout, MASK128) },
    {
      flags: f.up | f.broadcast | f.running | f.multicast,
      addr: bsd ? in6(layout, v6(0xfe80, 4, 0, 0, 0, 0, 0, 1)) : in6(layout, LINK6, { scope: 4 }),
      netmask: in6(layout, MASK64),
    },
    { flags: f.up | f.running, addr: null },
  ];
}

/** A POSIX layer over a fake libc whose socket 5n is of `family` and whose list is `list`. */
function setup(layout: Layout, list: ScriptedIfaddr[], family: "inet" | "inet6" = "inet") {
  const answers: Record<string, Answer> = {};
  const fake = fakeLoader(layout, "x86_64", answers);
  const scripted = scriptIfaddrs(fake.memory, list);
  answers.getifaddrs = scripted.getifaddrs;
  const af = family === "inet" ? 2 : { linux: 10, darwin: 30, freebsd: 28 }[layout];
  answers.getsockname = (_fd, addr) => {
    (addr as Uint8Array).set(layout === "linux" ? [af, 0] : [16, af]);
    return 0;
  };
  return { fake, native: createPosixApi(fake.loader), scripted };
}

/** Runs `code` on socket 5n into an `n`-byte output inside a FILL-ed buffer with a guard. */
function query(api: ReturnType<typeof setup>, code: number, n: number | null) {
  const whole = new Uint8Array(new ArrayBuffer((n ?? 0) + 16)).fill(FILL);
  const out = n === null ? null : whole.subarray(0, n);
  const r = api.native.wsaIoctl(5n, code, null, 0, out, n ?? 0);
  const base = out === null ? 0n : api.fake.loader.address(out);
  return { r, whole, out, base };
}

/** Asserts every byte of `whole` from `from` on is still FILL. */
function untouchedFrom(whole: Uint8Array, from: number): void {
  assert.deepEqual([...whole.subarray(from)], new Array(whole.length - from).fill(FILL));
}

// INTERFACE_INFO: iiFlags @0, iiAddress @0x04, iiBroadcastAddress @0x1C, iiNetmask @0x34.
const INTERFACE_LIST = le(
  3 * 76,
  [0, 4, 0x05], // IFF_UP | IFF_LOOPBACK
  ...win4(0x04, LO4),
  [0x1c, 2, 2], // no broadcast address: AF_INET 0.0.0.0
  ...win4(0x34, [255, 0, 0, 0]),
  [76, 4, 0x13], // IFF_UP | IFF_BROADCAST | IFF_MULTICAST
  ...win4(76 + 0x04, ETH4),
  ...win4(76 + 0x1c, [192, 0, 2, 255]),
  ...win4(76 + 0x34, [255, 255, 255, 0]),
  [152, 4, 0x18], // IFF_POINTTOPOINT | IFF_MULTICAST (up, not running: no IFF_UP)
  ...win4(152 + 0x04, PPP4),
  [152 + 0x1c, 2, 2],
  ...win4(152 + 0x34, [255, 255, 255, 255]),
);

/** INTERFACE_INFO_EX[5], then each entry's sockaddrs in order, pointers from `base`. */
function interfaceListEx(base: bigint): Uint8Array {
  const p = (offset: number) => base + BigInt(offset);
  return le(
    504,
    [0, 4, 0x05],
    ...socketAddress(8, p(280), 16),
    ...socketAddress(40, p(296), 16),
    [56, 4, 0x13],
    ...socketAddress(56 + 8, p(312), 16),
    ...socketAddress(56 + 24, p(328), 16),
    ...socketAddress(56 + 40, p(344), 16),
    [112, 4, 0x18],
    ...socketAddress(112 + 8, p(360), 16),
    ...socketAddress(112 + 40, p(376), 16),
    [168, 4, 0x05],
    ...socketAddress(168 + 8, p(392), 28),
    ...socketAddress(168 + 40, p(420), 28),
    [224, 4, 0x13],
    ...socketAddress(224 + 8, p(448), 28),
    ...socketAddress(224 + 40, p(476), 28),
    ...win4(280, LO4),
    ...win4(296, [255, 0, 0, 0]),
    ...win4(312, ETH4),
    ...win4(328, [192, 0, 2, 255]),
    ...win4(344, [255, 255, 255, 0]),
    ...win4(360, PPP4),
    ...win4(376, [255, 255, 255, 255]),
    ...win6(392, LO6),
    ...win6(420, MASK128),
    ...win6(448, LINK6, 4),
    ...win6(476, MASK64),
  );
}

for (const layout of ["linux", "darwin", "freebsd"] as const) {
  describe(`interface lists from getifaddrs (${layout} layout)`, () => {
    test("SIO_GET_INTERFACE_LIST: the IPv4 addresses as INTERFACE_INFO[], byte for byte", () => {
      const api = setup(layout, machine(layout));
      const { r, whole } = query(api, SIO_GET_INTERFACE_LIST, 3 * 76 + 5);
      assert.equal(r, 3 * 76);
      assert.deepEqual(whole.subarray(0, r), INTERFACE_LIST);
      untouchedFrom(whole, r);
      assert.deepEqual(api.fake.names(), ["getsockname", "getifaddrs", "freeifaddrs"]);
      assert.deepEqual(api.fake.calls[2].args, [api.scripted.head]);
    });

    test("SIO_GET_INTERFACE_LIST_EX: IPv4 and IPv6, sockaddrs after the array", () => {
      const api = setup(layout, machine(layout), "inet6");
      const { r, whole, base } = query(api, SIO_GET_INTERFACE_LIST_EX, 600);
      assert.equal(r, 504);
      assert.ok(base > 0n);
      assert.deepEqual(whole.subarray(0, r), interfaceListEx(base));
      untouchedFrom(whole, r);
    });

    test("SIO_ADDRESS_LIST_QUERY: the socket family's addresses, loopback left out", () => {
      const v4 = query(setup(layout, machine(layout)), SIO_ADDRESS_LIST_QUERY, 100);
      assert.equal(v4.r, 72);
      const p4 = (o: number) => v4.base + BigInt(o);
      const expected4 = le(
        72,
        [0, 4, 2], // iAddressCount
        ...socketAddress(8, p4(40), 16),
        ...socketAddress(24, p4(56), 16),
        ...win4(40, ETH4),
        ...win4(56, PPP4),
      );
      assert.deepEqual(v4.whole.subarray(0, 72), expected4);
      untouchedFrom(v4.whole, 72);
      const v6out = query(setup(layout, machine(layout), "inet6"), SIO_ADDRESS_LIST_QUERY, 52);
      assert.equal(v6out.r, 52);
      const expected6 = le(
        52,
        [0, 4, 1],
        ...socketAddress(8, v6out.base + 24n, 28),
        ...win6(24, LINK6, 4),
      );
      assert.deepEqual(v6out.whole.subarray(0, 52), expected6);
    });
  });
}

describe("interface lists: outputs too small, other sockets", () => {
  test("SIO_ADDRESS_LIST_QUERY too small: WSAEFAULT, the size needed, nothing written", () => {
    for (const n of [null, 0, 8, 71]) {
      const api = setup("linux", machine("linux"));
      const { r, whole } = query(api, SIO_ADDRESS_LIST_QUERY, n);
      assert.equal(r, -1, `${n}`);
      assert.equal(api.native.lastError(), WSAEFAULT);
      assert.equal(api.native.lastBytesReturned(), 72);
      untouchedFrom(whole, 0);
      // Read and released all the same.
      assert.deepEqual(api.fake.names(), ["getsockname", "getifaddrs", "freeifaddrs"]);
    }
    // An empty list needs the 8-byte head only.
    const empty = query(setup("linux", []), SIO_ADDRESS_LIST_QUERY, 8);
    assert.equal(empty.r, 8);
    assert.deepEqual(empty.whole.subarray(0, 8), le(8));
  });

  test("SIO_ADDRESS_LIST_QUERY smaller than the list's 8-byte head: WSAEINVAL, nothing read", () => {
    // FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address[0]) is 8 on 64-bit Windows: 1..7 bytes is
    // WSAEINVAL with no size reported, as Windows answers; 8 is the WSAEFAULT above.
    for (const n of [1, 4, 7]) {
      const api = setup("linux", machine("linux"));
      const { r, whole } = query(api, SIO_ADDRESS_LIST_QUERY, n);
      assert.equal(r, -1, `${n}`);
      assert.equal(api.native.lastError(), WSAEINVAL, `${n}`);
      assert.equal(api.native.lastBytesReturned(), 0);
      untouchedFrom(whole, 0);
      assert.deepEqual(api.fake.names(), ["getsockname"]);
    }
  });

  test("SIO_GET_INTERFACE_LIST_EX too small: WSAEFAULT with the size needed", () => {
    const api = setup("darwin", machine("darwin"));
    const { r, whole } = query(api, SIO_GET_INTERFACE_LIST_EX, 503);
    assert.equal(r, -1);
    assert.equal(api.native.lastError(), WSAEFAULT);
    assert.equal(api.native.lastBytesReturned(), 504);
    untouchedFrom(whole, 0);
  });

  test("SIO_GET_INTERFACE_LIST: the whole list or WSAEFAULT (bytes returned 0)", () => {
    for (const n of [null, 0, 75]) {
      // Too small for one entry: refused before the list is read.
      const api = setup("linux", machine("linux"));
      const { r, whole } = query(api, SIO_GET_INTERFACE_LIST, n);
      assert.equal(r, -1);
      assert.equal(api.native.lastError(), WSAEFAULT);
      assert.equal(api.native.lastBytesReturned(), 0);
      untouchedFrom(whole, 0);
      assert.deepEqual(api.fake.names(), ["getsockname"]);
    }
    const api = setup("linux", machine("linux"));
    const { r, whole } = query(api, SIO_GET_INTERFACE_LIST, 3 * 76 - 1);
    assert.equal(r, -1);
    assert.equal(api.native.lastError(), WSAEFAULT);
    assert.equal(api.native.lastBytesReturned(), 0);
    untouchedFrom(whole, 0);
    assert.deepEqual(api.fake.names(), ["getsockname", "getifaddrs", "freeifaddrs"]);
    // Exactly the size fits.
    assert.equal(query(setup("linux", machine("linux")), SIO_GET_INTERFACE_LIST, 228).r, 228);
  });

  test("SIO_GET_INTERFACE_LIST on an IPv6 socket: WSAEINVAL, as Windows; the list unread", () => {
    const api = setup("linux", machine("linux"), "inet6");
    assert.equal(query(api, SIO_GET_INTERFACE_LIST, 760).r, -1);
    assert.equal(api.native.lastError(), WSAEINVAL);
    assert.deepEqual(api.fake.names(), ["getsockname"]);
  });
});

describe("interface flags: the platform's IFF_* bits as Windows' (1 up, 2, 4, 8, 16)", () => {
  // [native bits, Windows bits]: IFF_UP only with IFF_RUNNING; Linux's 0x4 is IFF_DEBUG and
  // 0x8000 IFF_DYNAMIC; the BSDs' 0x1000 is IFF_LINK0.
  const CASES: Record<Layout, [number, number][]> = {
    linux: [
      [0x1, 0],
      [0x41, 1],
      [0x40, 0],
      [0x2, 2],
      [0x8, 4],
      [0x10, 8],
      [0x1000, 16],
      [
        0x4,
        0,
      ],
      [0x8000, 0],
      [0x105b, 31],
    ],
    darwin: [[0x1, 0], [0x41, 1], [0x2, 2], [0x8, 4], [0x10, 8], [0x8000, 16], [0x1000, 0]],
    freebsd: [[0x41, 1], [0x8000, 16], [0x1000, 0], [0x805b, 31]],
  };
  for (const layout of ["linux", "darwin", "freebsd"] as const) {
    test(layout, () => {
      const list = CASES[layout].map(([flags], i) => ({
        flags,
        addr: in4(layout, [10, 0, 0, i + 1]),
        netmask: in4(layout, [255, 0, 0, 0]),
      }));
      const api = setup(layout, list);
      const { r, whole } = query(api, SIO_GET_INTERFACE_LIST, 76 * list.length);
      assert.equal(r, 76 * list.length);
      const dv = new DataView(whole.buffer);
      CASES[layout].forEach(([native, windows], i) => {
        assert.equal(dv.getUint32(76 * i, true), windows, `native 0x${native.toString(16)}`);
      });
    });
  }
});
