/**
 * Scripted `getifaddrs` answers for the fake adapter (tests/_helpers/fake_loader.ts): a list of
 * `struct ifaddrs` and their sockaddrs, in a platform's own layout (Linux: a host-order `u16`
 * family; macOS and FreeBSD: `sa_len`, then a one-byte family), placed in the fake's native
 * memory. Bytes are written here from the C headers' offsets, never through the code under
 * test.
 */

import type { Answer, FakeMemory } from "./fake_loader.ts";

/** A platform's sockaddr layout. */
export type Layout = "linux" | "darwin" | "freebsd";

/** AF_INET6 per layout (Linux 10, macOS 30, FreeBSD 28). */
const AF6: Record<Layout, number> = { linux: 10, darwin: 30, freebsd: 28 };

/** The native `IFF_*` bits per layout (linux/if.h; net/if.h on the BSDs). */
export function nativeIff(layout: Layout) {
  return {
    up: 0x1,
    broadcast: 0x2,
    loopback: 0x8,
    pointToPoint: 0x10,
    running: 0x40,
    multicast: layout === "linux" ? 0x1000 : 0x8000,
  };
}

/** A sockaddr header: the family (and `sa_len` on the BSDs) in `n` zero bytes. */
function header(layout: Layout, n: number, family: number, saLen = n): Uint8Array {
  const b = new Uint8Array(n);
  if (layout === "linux") {
    b[0] = family & 0xff;
    b[1] = family >> 8;
  } else {
    b[0] = saLen;
    b[1] = family;
  }
  return b;
}

/** A native `sockaddr_in` (16 bytes): `ip` at 4, `port` (host order) at 2 big-endian. */
export function in4(layout: Layout, ip: readonly number[], port = 0): Uint8Array {
  const b = header(layout, 16, 2);
  b[2] = port >> 8;
  b[3] = port & 0xff;
  b.set(ip, 4);
  return b;
}

/** A native `sockaddr_in6` (28 bytes): flow info at 4, `ip` at 8, scope id at 24 (host order). */
export function in6(
  layout: Layout,
  ip: readonly number[],
  { scope = 0, port = 0, flow = 0 }: { scope?: number; port?: number; flow?: number } = {},
): Uint8Array {
  const b = header(layout, 28, AF6[layout]);
  b[2] = port >> 8;
  b[3] = port & 0xff;
  new DataView(b.buffer).setUint32(4, flow, false);
  b.set(ip, 8);
  new DataView(b.buffer).setUint32(24, scope, true);
  return b;
}

/**
 * A BSD netmask as the kernel hands it out: only the first `saLen` bytes of a `sockaddr_in`
 * (`family` often 0), e.g. 255.255.255.0 as `[7, 0, 0, 0, 255, 255, 255]`.
 */
export function shortMask(ip: readonly number[], saLen: number, family = 0): Uint8Array {
  const b = new Uint8Array(saLen);
  b[0] = saLen;
  b[1] = family;
  b.set(ip.slice(0, Math.max(0, saLen - 4)), 4);
  return b;
}

/** A link-layer sockaddr (Linux AF_PACKET 17, 20 bytes; BSD AF_LINK 18, 20 bytes). */
export function link(layout: Layout): Uint8Array {
  return header(layout, 20, layout === "linux" ? 17 : 18);
}

/** `::1`, `fe80::1`, …: 16 address bytes from eight 16-bit groups. */
export function v6(...groups: number[]): number[] {
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** One scripted `struct ifaddrs`. */
export interface ScriptedIfaddr {
  /** Native `ifa_flags`. */
  flags: number;
  /** `ifa_addr` (null: a NULL pointer). */
  addr: Uint8Array | null;
  /** `ifa_netmask`. */
  netmask?: Uint8Array | null;
  /** `ifa_broadaddr` / `ifa_dstaddr`. */
  broad?: Uint8Array | null;
}

/** Where a scripted list landed. */
export interface ScriptedList {
  /** The first `struct ifaddrs` (what getifaddrs hands out). */
  head: bigint;
  /** Each node's address, in order. */
  nodes: bigint[];
  /** The fake `getifaddrs`: writes `head` through its `struct ifaddrs**` and returns 0. */
  getifaddrs: Answer;
}

/**
 * Places a list in the fake memory from `at` on: each node (56 bytes: next @0, name @8,
 * flags @16, addr @24, netmask @32, broadaddr @40, data @48) followed by its sockaddrs.
 *
 * @param memory The fake's memory.
 * @param entries The nodes, in list order.
 * @param at Where the first node goes.
 * @returns Where they went, and the getifaddrs answer.
 */
export function scriptIfaddrs(
  memory: FakeMemory,
  entries: readonly ScriptedIfaddr[],
  at = 0x5500_0000_0000n,
): ScriptedList {
  const nodes = entries.map((_, i) => at + BigInt(i) * 0x1000n);
  entries.forEach((e, i) => {
    const node = new Uint8Array(56);
    const dv = new DataView(node.buffer);
    dv.setBigUint64(0, i + 1 < nodes.length ? nodes[i + 1] : 0n, true);
    dv.setUint32(16, e.flags, true);
    let next = nodes[i] + 0x100n;
    [e.addr, e.netmask ?? null, e.broad ?? null].forEach((sa, j) => {
      if (sa === null) return;
      dv.setBigUint64(24 + 8 * j, memory.map(next, sa), true);
      next += 0x100n;
    });
    memory.map(nodes[i], node);
  });
  const head = nodes[0] ?? 0n;
  const getifaddrs: Answer = (ifap) => {
    const out = ifap as ArrayBufferView;
    new DataView(out.buffer, out.byteOffset, 8).setBigUint64(0, head, true);
    return 0;
  };
  return { head, nodes, getifaddrs };
}
