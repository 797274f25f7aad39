// The POSIX native layer's interface queries on real Linux, under Deno, Bun and Node: the
// Windows-layout outputs, parsed with structs/'s parsers, list this machine's own addresses as
// the kernel reports them by other routes (`ip -o addr` or /proc/net/fib_trie for IPv4,
// /proc/net/if_inet6 for IPv6, /sys/class/net for the flags), loopback flagged; the route query
// agrees with `ip route get`; and the runtime's loader reads native memory exactly.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import {
  SIO_ADDRESS_LIST_QUERY,
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
  SIO_ROUTING_INTERFACE_QUERY,
} from "../codes/mod.ts";
import { WinsockError } from "../errors.ts";
import { nativeApi, nativeLoader } from "../ffi/select.ts";
import { bufferAddress, ioctl } from "../ioctl.ts";
import { Socket } from "../socket.ts";
import { readSocketAddress, writeSocketAddress } from "../structs/address.ts";
import {
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_POINTTOPOINT,
  IFF_UP,
  InterfaceInfo,
  parseInterfaceListEx,
  parseSocketAddressList,
} from "../structs/interfaces.ts";
import type { SocketAddress } from "../structs/socket_address.ts";

const native = nativeApi();
const linux = native.os === "linux" ? false : "Linux: /proc and /sys describe the interfaces";

/** One address as the kernel reports it outside getifaddrs. */
interface Known {
  name?: string;
  address: string;
  prefix?: number;
  broadcast?: string;
  scopeId?: number;
}

/** RFC 5952 text of an IPv6 address (the URL parser's canonical form). */
const canon6 = (text: string): string => new URL(`http://[${text}]/`).hostname.slice(1, -1);

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

/** The IPv4 addresses: `ip -o -4 addr` (names, prefixes, broadcast), else the FIB's locals. */
function knownIpv4(): Known[] {
  const ip = run("ip", ["-o", "-4", "addr", "show"]);
  if (ip !== undefined) {
    return [...ip.matchAll(/^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)(?:\s+brd\s+([\d.]+))?/gm)]
      .map((m) => ({
        name: m[1].replace(/@.*/, ""),
        address: m[2],
        prefix: Number(m[3]),
        broadcast: m[4],
      }));
  }
  const trie = readFileSync("/proc/net/fib_trie", "utf8");
  const local = [...trie.matchAll(/\|-- ([\d.]+)\n\s+\/32 host LOCAL/g)].map((m) => m[1]);
  return [...new Set(local)].map((address) => ({ address }));
}

/** The IPv6 addresses of /proc/net/if_inet6 (scope id: the index, for link-local ones). */
function knownIpv6(): Known[] {
  if (!existsSync("/proc/net/if_inet6")) return [];
  return readFileSync("/proc/net/if_inet6", "utf8").trim().split("\n").filter(Boolean).map(
    (line) => {
      const [hex, index, prefix, scope, , name] = line.trim().split(/\s+/);
      const address = canon6(hex.match(/.{4}/g)!.join(":"));
      const linkLocal = parseInt(scope, 16) === 0x20;
      return {
        name,
        address,
        prefix: parseInt(prefix, 16),
        scopeId: linkLocal ? parseInt(index, 16) : 0,
      };
    },
  );
}

/** Windows' flags of an interface, from /sys: up = IFF_UP and operationally up (RUNNING). */
function sysFlags(name: string): number | undefined {
  const dir = `/sys/class/net/${name}`;
  if (!existsSync(dir)) return undefined;
  const flags = parseInt(readFileSync(`${dir}/flags`, "utf8"), 16);
  const oper = readFileSync(`${dir}/operstate`, "utf8").trim();
  const running = oper === "up" || oper === "unknown";
  return ((flags & 0x1) !== 0 && running ? IFF_UP : 0) | (flags & 0x2 ? IFF_BROADCAST : 0) |
    (flags & 0x8 ? IFF_LOOPBACK : 0) | (flags & 0x10 ? IFF_POINTTOPOINT : 0) |
    (flags & 0x1000 ? IFF_MULTICAST : 0);
}

/** A netmask of `prefix` bits, as text. */
function mask(family: "inet" | "inet6", prefix: number): string {
  const n = family === "inet" ? 4 : 16;
  const bytes = Array.from({ length: n }, (_, i) => {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    return (0xff00 >> bits) & 0xff;
  });
  if (family === "inet") return bytes.join(".");
  return canon6(
    bytes.map((b, i) => (i % 2 ? "" : ":") + b.toString(16).padStart(2, "0"))
      .join("").slice(1),
  );
}

const text = (a: SocketAddress) => a.family === "inet6" ? canon6(a.address) : a.address;
const key = (a: SocketAddress | Known) =>
  `${"family" in a ? text(a) : a.address}%${a.scopeId ?? 0}`;
const sorted = (xs: string[]) => [...xs].sort();

/** Runs a list code into a library-sized buffer; the bytes and the bytes returned. */
function list(s: Socket, code: number, size = 65536): { out: Uint8Array; n: number } {
  const out = new Uint8Array(new ArrayBuffer(size));
  return { out, n: ioctl(s, code, null, out) };
}

describe("interface queries on real Linux", { skip: linux }, () => {
  const v4 = knownIpv4();
  const v6 = knownIpv6();

  test("SIO_GET_INTERFACE_LIST: this machine's IPv4 addresses, 127.0.0.1 flagged loopback", () => {
    using s = Socket.open("inet", "dgram");
    const { out, n } = list(s, SIO_GET_INTERFACE_LIST);
    assert.equal(n % 76, 0);
    const entries = [...InterfaceInfo.list(out, n)];
    const addresses = entries.map((e) => e.address.toSocketAddress().address);
    assert.deepEqual(sorted(addresses), sorted(v4.map((k) => k.address)));
    const lo = entries.find((e) => e.address.toSocketAddress().address === "127.0.0.1");
    assert.ok(lo !== undefined, addresses.join(" "));
    assert.equal(lo.flags & (IFF_UP | IFF_LOOPBACK), IFF_UP | IFF_LOOPBACK);
    for (const e of entries) {
      const k = v4.find((k) => k.address === e.address.toSocketAddress().address)!;
      assert.equal((e.flags & IFF_LOOPBACK) !== 0, k.address.startsWith("127."), k.address);
      if (k.name === undefined) continue; // the FIB gives addresses only
      assert.equal(e.flags, sysFlags(k.name), k.name);
      assert.equal(e.netmask.toSocketAddress().address, mask("inet", k.prefix!));
      const brd = (e.flags & IFF_BROADCAST) !== 0 ? k.broadcast ?? "0.0.0.0" : "0.0.0.0";
      assert.equal(e.broadcastAddress.toSocketAddress().address, brd, k.address);
    }
  });

  test("SIO_GET_INTERFACE_LIST_EX: IPv4 and IPv6, pointers inside the buffer", () => {
    using s = Socket.open("inet6", "dgram");
    const { out, n } = list(s, SIO_GET_INTERFACE_LIST_EX);
    const entries = parseInterfaceListEx(out, bufferAddress(out), n);
    assert.deepEqual(
      sorted(entries.map((e) => key(e.address!))),
      sorted([...v4, ...v6].map(key)),
    );
    for (const e of entries) {
      const k = [...v4, ...v6].find((k) => key(k) === key(e.address!))!;
      if (k.name !== undefined) assert.equal(e.flags, sysFlags(k.name), k.name);
      if (k.prefix !== undefined) {
        assert.equal(text(e.netmask!), mask(e.address!.family, k.prefix), k.address);
      }
      if (e.address!.family === "inet6") assert.equal(e.broadcastAddress, null);
    }
  });

  test("SIO_ADDRESS_LIST_QUERY: the socket family's addresses but loopback; the size needed", () => {
    for (const [family, known] of [["inet", v4], ["inet6", v6]] as const) {
      using s = Socket.open(family, "dgram");
      const { out, n } = list(s, SIO_ADDRESS_LIST_QUERY);
      const got = parseSocketAddressList(out, bufferAddress(out), n);
      const expected = known.filter((k) => k.address !== "::1" && !k.address.startsWith("127."));
      assert.deepEqual(sorted(got.map((a) => key(a!))), sorted(expected.map(key)), family);
      assert.ok(got.every((a) => a!.family === family && a!.port === 0));
      // Smaller than the list's 8-byte head: WSAEINVAL, no size said (as Windows answers).
      for (const size of [1, 7]) {
        assert.throws(() => ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(size)), (e) => {
          return e instanceof WinsockError && e.code === 10022;
        });
        assert.equal(native.lastBytesReturned(), 0, `${size} bytes`);
      }
      // From the head to one byte short: WSAEFAULT, and the size the answer needs, which the
      // error carries too (what a caller of ioctl() sizes its next buffer by).
      for (const size of new Set([8, n - 1])) {
        if (size < 8) continue; // an empty list is the head alone: it fits in 8
        assert.throws(() => ioctl(s, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(size)), (e) => {
          return e instanceof WinsockError && e.code === 10014 && e.bytesReturned === n;
        });
        assert.equal(native.lastBytesReturned(), n, `${size} bytes`);
      }
      assert.equal(list(s, SIO_ADDRESS_LIST_QUERY, n).n, n);
    }
  });

  /** SIO_ROUTING_INTERFACE_QUERY towards `address`. */
  function route(s: Socket, family: "inet" | "inet6", address: string): SocketAddress {
    const input = new Uint8Array(family === "inet" ? 16 : 28);
    writeSocketAddress(new DataView(input.buffer), 0, { address, port: 0 });
    const out = new Uint8Array(28);
    const n = ioctl(s, SIO_ROUTING_INTERFACE_QUERY, input, out);
    return readSocketAddress(new DataView(out.buffer), 0, n);
  }

  test("SIO_ROUTING_INTERFACE_QUERY: loopback to itself, local addresses to themselves", () => {
    using s = Socket.open("inet", "stream");
    assert.deepEqual(route(s, "inet", "127.0.0.1"), {
      family: "inet",
      address: "127.0.0.1",
      port: 0,
    });
    for (const k of v4) assert.equal(route(s, "inet", k.address).address, k.address);
    if (v6.some((k) => k.address === "::1")) {
      using s6 = Socket.open("inet6", "dgram");
      assert.equal(route(s6, "inet6", "::1").address, "::1");
    }
  });

  test("SIO_ROUTING_INTERFACE_QUERY refuses as Windows: 15 bytes, 0.0.0.0 and :: are WSAEINVAL", () => {
    /** The WSA code of the query towards `input` on `s`. */
    const refusal = (s: Socket, input: Uint8Array): number => {
      try {
        ioctl(s, SIO_ROUTING_INTERFACE_QUERY, input, new Uint8Array(28));
      } catch (e) {
        if (e instanceof WinsockError) return e.code;
        throw e;
      }
      return 0;
    };
    const sockaddr = (size: number, address: string) => {
      const input = new Uint8Array(size);
      writeSocketAddress(new DataView(input.buffer), 0, { address, port: 80 });
      return input;
    };
    using s = Socket.open("inet", "dgram");
    // Linux alone would route 0.0.0.0 (and ::) to loopback: Windows refuses it as a wildcard.
    assert.equal(refusal(s, sockaddr(16, "0.0.0.0")), 10022);
    // Fewer bytes than a sockaddr_in, the family inside being right: WSAEINVAL, not WSAEFAULT.
    assert.equal(refusal(s, sockaddr(16, "127.0.0.1").subarray(0, 15)), 10022);
    assert.equal(refusal(s, sockaddr(16, "127.0.0.1")), 0);
    using s6 = Socket.open("inet6", "dgram");
    assert.equal(refusal(s6, sockaddr(28, "::")), 10022);
    assert.equal(refusal(s6, sockaddr(28, "::1").subarray(0, 15)), 10022);
  });

  test("SIO_ROUTING_INTERFACE_QUERY: the source `ip route get` names, or its refusal", {
    skip: run("ip", ["-V"]) === undefined ? "no ip command" : false,
  }, () => {
    using s = Socket.open("inet", "dgram");
    const far = "198.51.100.7"; // TEST-NET-2: reached through the default route, if any
    const ip = run("ip", ["-o", "route", "get", far]);
    if (ip === undefined) {
      assert.throws(() => route(s, "inet", far), (e: unknown) => {
        return e instanceof WinsockError && (e.code === 10051 || e.code === 10065);
      });
    } else {
      assert.equal(route(s, "inet", far).address, ip.match(/\bsrc (\S+)/)![1]);
    }
  });

  test("a descriptor that is not a socket: WSAENOTSOCK for all four", () => {
    const fd = openSync("/dev/null", "r");
    try {
      for (const code of [SIO_GET_INTERFACE_LIST, SIO_GET_INTERFACE_LIST_EX]) {
        assert.throws(() => ioctl(BigInt(fd), code, null, new Uint8Array(1024)), (e: unknown) => {
          return e instanceof WinsockError && e.code === 10038;
        });
      }
      for (const code of [SIO_ADDRESS_LIST_QUERY, SIO_ROUTING_INTERFACE_QUERY]) {
        const input = new Uint8Array(16);
        input[0] = 2;
        assert.throws(() => ioctl(BigInt(fd), code, input, new Uint8Array(1024)), WinsockError);
        assert.equal(native.lastError(), 10038);
      }
    } finally {
      closeSync(fd);
    }
  });
});

describe(`Loader.read of ${native.runtime}`, { skip: native.os === "windows" }, () => {
  test("copies exactly the bytes at an address, no more", () => {
    const loader = nativeLoader();
    const source = new Uint8Array(new ArrayBuffer(64)).map((_, i) => (i * 37 + 11) & 0xff);
    const base = loader.address(source);
    const into = new Uint8Array(16).fill(0xee);
    loader.read(base + 5n, into, 10);
    assert.deepEqual([...into], [...source.subarray(5, 15), ...new Array(6).fill(0xee)]);
    loader.read(base, into, 0); // nothing
    assert.equal(into[0], source[5]);
    assert.throws(() => loader.read(0n, into, 1), RangeError);
    assert.throws(() => loader.read(base, into, 17), RangeError);
  });
});
