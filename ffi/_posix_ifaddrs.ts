/**
 * Internal: the interface queries of `WSAIoctl` on POSIX, answered from the platform's own
 * tables and written in the layout Windows writes, so that whoever parses a Windows answer
 * parses these unchanged:
 *
 * - SIO_GET_INTERFACE_LIST: `INTERFACE_INFO[]` (76 bytes each) for the IPv4 addresses, loopback
 *   included, on an IPv4 socket only (WSAEINVAL on another, as Windows); the whole list or
 *   WSAEFAULT, as the reference describes (nothing partial);
 * - SIO_GET_INTERFACE_LIST_EX (which Windows does not implement): `INTERFACE_INFO_EX[]` (56 bytes
 *   each) for the IPv4 and IPv6 addresses, their sockaddrs after the array;
 * - SIO_ADDRESS_LIST_QUERY: a `SOCKET_ADDRESS_LIST` of the socket's family, loopback left out
 *   (as Windows), its sockaddrs after the entries; an output of 1 to 7 bytes (less than the
 *   list's head) is WSAEINVAL, as Windows answers;
 * - SIO_ROUTING_INTERFACE_QUERY: the local sockaddr a UDP socket connected to the destination
 *   gets (connecting a UDP socket sends nothing: it only picks the route and the source); the
 *   input refused as Windows refuses it (fewer bytes than a sockaddr_in, or the unspecified
 *   address: WSAEINVAL).
 *
 * The lists come from `getifaddrs`, read through the loader's bounded `read` one struct at a
 * time (`struct ifaddrs` as `libc.ts` lays it out) and always released with `freeifaddrs`.
 * `SOCKET_ADDRESS.lpSockaddr` pointers are the output buffer's native address plus the offset of
 * a sockaddr inside it. An output too small for the answer fails with WSAEFAULT, reporting the
 * size it needs where Windows does (`NativeApi.lastBytesReturned`).
 *
 * The flags are translated to Windows' bits: IFF_UP for an interface that is up and running
 * (Windows reports a disconnected adapter's address without IFF_UP), IFF_BROADCAST,
 * IFF_LOOPBACK, IFF_POINTTOPOINT, IFF_MULTICAST. The broadcast address is the one the platform
 * gives the interface (Windows itself writes 255.255.255.255 there).
 *
 * @module
 */

import {
  SIO_ADDRESS_LIST_QUERY,
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
  SIO_ROUTING_INTERFACE_QUERY,
} from "../codes/mod.ts";
import {
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_POINTTOPOINT,
  IFF_UP,
} from "../structs/interfaces.ts";
import { hexOf, readU32, writeU32 } from "./_le.ts";
import { SockaddrTranslator } from "./_posix_sockaddr.ts";
import type { Bound } from "./_types.ts";
import { IFADDRS, IFADDRS_ARCHES, type LIBC, type PosixConstants, SOCK_DGRAM } from "./libc.ts";
import { AF_INET, AF_INET6 } from "./native.ts";
import { WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL, WSAENOBUFS, WSAEOPNOTSUPP } from "../_wsa.ts";

const SOCKADDR_IN = 16; // sizeof(sockaddr_in)
const SOCKADDR_IN6 = 28; // sizeof(sockaddr_in6), with sin6_scope_id
const INTERFACE_INFO = 76; // sizeof(INTERFACE_INFO)
const II_ADDRESS = 0x04; // sockaddr_gen iiAddress
const II_BROADCAST = 0x1c; // sockaddr_gen iiBroadcastAddress
const II_NETMASK = 0x34; // sockaddr_gen iiNetmask
const INTERFACE_INFO_EX = 56; // sizeof(INTERFACE_INFO_EX): iiFlags, then 3 × SOCKET_ADDRESS at 8
const SOCKET_ADDRESS = 16; // { LPSOCKADDR lpSockaddr @0; INT iSockaddrLength @8 }
const ADDRESS_LIST_HEAD = 8; // SOCKET_ADDRESS_LIST: INT iAddressCount, Address[] from 8

/** How many `struct ifaddrs` one query reads at most (a damaged list cannot loop forever). */
const MAX_IFADDRS = 65536;

/** The interface query codes. */
export type InterfaceQueryCode =
  | typeof SIO_GET_INTERFACE_LIST
  | typeof SIO_GET_INTERFACE_LIST_EX
  | typeof SIO_ADDRESS_LIST_QUERY
  | typeof SIO_ROUTING_INTERFACE_QUERY;

/** What the interface queries need from the POSIX native layer that owns them. */
export interface IfaddrsContext {
  /** The CPU, as Deno names it. */
  readonly arch: string;
  /** The system's constants. */
  readonly k: PosixConstants;
  /** The bound libc. */
  readonly libc: Bound<typeof LIBC>;
  /** `ioctl(fd, request, int*)`, with the argument where the ABI wants it. */
  readonly ioctl: (fd: number, request: bigint, arg: ArrayBufferView) => number;
  /** The loader's bounded read of native memory. */
  read(address: bigint, into: Uint8Array, length: number): void;
  /** The native address of a view's first byte. */
  address(view: ArrayBufferView): bigint;
  /** errno as the last native call left it. */
  errno(): number;
  /** Records the WSA code of an errno; returns -1. */
  recordErrno(errno: number): -1;
  /** Records a WSA code; returns -1. */
  recordWsa(wsa: number): -1;
  /** Records WSAEFAULT with the bytes the output needs; returns -1. */
  recordNeeded(bytes: number): -1;
}

/** One address of one interface, its sockaddrs in the Windows layout. */
interface IfAddress {
  readonly family: typeof AF_INET | typeof AF_INET6;
  /** Windows' IFF_* bits. */
  readonly flags: number;
  readonly address: Uint8Array;
  readonly netmask: Uint8Array | null;
  /** IPv4 with IFF_BROADCAST only. */
  readonly broadcast: Uint8Array | null;
}

/**
 * An interface query on descriptor `f`, with {@link NativeApi.wsaIoctl}'s buffers.
 *
 * @returns The bytes written, or -1 with the error recorded.
 */
export type InterfaceQuery = (
  f: number,
  code: InterfaceQueryCode,
  input: Uint8Array | null,
  inLength: number,
  output: Uint8Array | null,
  outLength: number,
) => number;

/**
 * The interface queries, and the pieces of them the change notifications (`_posix_notify.ts`)
 * run on their own, for a family known already: no socket is asked.
 */
export type InterfaceQueries = InterfaceQuery & {
  /**
   * Checks a destination sockaddr as SIO_ROUTING_INTERFACE_QUERY does.
   *
   * @returns The sockaddr's size (16 or 28), 0 for the unspecified address, or -1 with the
   * error recorded.
   */
  readonly destinationSize: (family: number, input: Uint8Array | null, inLength: number) => number;
  /** SIO_ROUTING_INTERFACE_QUERY for a socket of `family`: the bytes written, or -1 recorded. */
  readonly routingInterface: (
    family: number,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
  ) => number;
  /**
   * Every address of `family` (Windows' number), loopback included, as one text that changes
   * exactly when an address is added or removed; -1 with the error recorded.
   */
  readonly addressSet: (family: number) => string | -1;
};

/**
 * Builds the interface queries of one POSIX native layer.
 *
 * @param c The layer's libc, loader access and error recorders.
 * @returns The queries, or `undefined` on a CPU whose `struct ifaddrs` is not the one read here.
 */
export function posixInterfaceQueries(c: IfaddrsContext): InterfaceQueries | undefined {
  if (!IFADDRS_ARCHES.has(c.arch)) return undefined;
  const { k, libc } = c;
  const addrs = new SockaddrTranslator(k.af6, k.saLen);
  const { nativeAddr, nativeLength } = addrs;
  // Scratch space (one thread: reused).
  const head = new BigUint64Array(1); // struct ifaddrs* written by getifaddrs
  const node = new Uint8Array(IFADDRS.size);
  const nodeView = new DataView(node.buffer);
  const destination = new Uint8Array(SOCKADDR_IN6);
  const local = new Uint8Array(SOCKADDR_IN6);
  const intArg = new Int32Array([1]);

  /** The socket's family (Windows' number), 0 for a family outside IP, -1 on error. */
  function socketFamily(f: number): number {
    addrs.reset();
    if (libc.getsockname(f, nativeAddr, nativeLength) !== 0) return c.recordErrno(c.errno());
    const af = k.saLen ? nativeAddr[1] : nativeAddr[0] | (nativeAddr[1] << 8);
    return af === 2 ? AF_INET : af === k.af6 ? AF_INET6 : 0;
  }

  /**
   * The sockaddr at `p` in the Windows layout. `family` undefined: an address, whose own family
   * decides (null for a family outside IP); given: a netmask or broadcast address of that
   * family, whatever its own family byte says (macOS leaves it 0 in netmasks), and only the
   * `sa_len` bytes the BSDs give it read (the rest zero: a shortened netmask).
   */
  function sockaddrAt(p: bigint, family?: number): Uint8Array | null {
    if (p === 0n) return null;
    c.read(p, nativeAddr, 2);
    const native = k.saLen ? nativeAddr[1] : nativeAddr[0] | (nativeAddr[1] << 8);
    const af = family ?? (native === 2 ? AF_INET : native === k.af6 ? AF_INET6 : 0);
    if (af === 0) return null;
    const size = af === AF_INET ? SOCKADDR_IN : SOCKADDR_IN6;
    const n = k.saLen ? Math.min(nativeAddr[0], size) : size;
    nativeAddr.fill(0, 0, size);
    if (n > 0) c.read(p, nativeAddr, n);
    nativeLength[0] = size;
    const out = new Uint8Array(size);
    addrs.fromNative(out);
    out[0] = af;
    out[1] = 0;
    if (k.saLen && af === AF_INET6 && family === undefined) recoverScope(out);
    return out;
  }

  function windowsFlags(native: number): number {
    const i = k.iff;
    const up = (native & i.up) !== 0 && (native & i.running) !== 0;
    return (up ? IFF_UP : 0) | ((native & i.broadcast) !== 0 ? IFF_BROADCAST : 0) |
      ((native & i.loopback) !== 0 ? IFF_LOOPBACK : 0) |
      ((native & i.pointToPoint) !== 0 ? IFF_POINTTOPOINT : 0) |
      ((native & i.multicast) !== 0 ? IFF_MULTICAST : 0);
  }

  /** Every IPv4 and IPv6 address of every interface, in getifaddrs' order; -1 on error. */
  function interfaces(): IfAddress[] | -1 {
    head[0] = 0n;
    if (libc.getifaddrs(head) !== 0) return c.recordErrno(c.errno());
    const first = head[0];
    try {
      const list: IfAddress[] = [];
      let p = first;
      for (let n = 0; p !== 0n; n++) {
        if (n === MAX_IFADDRS) return c.recordWsa(WSAENOBUFS);
        c.read(p, node, IFADDRS.size);
        const next = nodeView.getBigUint64(IFADDRS.next, true);
        const address = sockaddrAt(nodeView.getBigUint64(IFADDRS.addr, true));
        if (address !== null) {
          const family = address[0] === AF_INET ? AF_INET : AF_INET6;
          const native = nodeView.getUint32(IFADDRS.flags, true);
          const flags = windowsFlags(native);
          const broadcast = family === AF_INET && (flags & IFF_BROADCAST) !== 0
            ? sockaddrAt(nodeView.getBigUint64(IFADDRS.broadaddr, true), family)
            : null;
          const netmask = sockaddrAt(nodeView.getBigUint64(IFADDRS.netmask, true), family);
          list.push({ family, flags, address, netmask, broadcast });
        }
        p = next;
      }
      return list;
    } finally {
      if (first !== 0n) libc.freeifaddrs(first);
    }
  }

  // SIO_GET_INTERFACE_LIST: each sockaddr_gen holds a sockaddr_in (16 of its 24 bytes); an unset
  // broadcast address or netmask is AF_INET 0.0.0.0, as Windows writes it.
  function interfaceList(family: number, output: Uint8Array | null, outLength: number): number {
    if (family !== AF_INET) return c.recordWsa(WSAEINVAL);
    if (output === null || outLength < INTERFACE_INFO) return c.recordWsa(WSAEFAULT);
    const list = interfaces();
    if (list === -1) return -1;
    const v4 = list.filter((a) => a.family === AF_INET);
    const bytes = v4.length * INTERFACE_INFO;
    if (bytes > outLength) return c.recordWsa(WSAEFAULT);
    output.fill(0, 0, bytes);
    v4.forEach((a, i) => {
      const at = i * INTERFACE_INFO;
      writeU32(output, at, a.flags);
      output.set(a.address, at + II_ADDRESS);
      output[at + II_BROADCAST] = AF_INET;
      if (a.broadcast !== null) output.set(a.broadcast, at + II_BROADCAST);
      output[at + II_NETMASK] = AF_INET;
      if (a.netmask !== null) output.set(a.netmask, at + II_NETMASK);
    });
    return bytes;
  }

  // SIO_GET_INTERFACE_LIST_EX: the entries, then each entry's sockaddrs in order (address,
  // broadcast address, netmask; a missing one is a null pointer with length 0).
  function interfaceListEx(output: Uint8Array | null, outLength: number): number {
    const list = interfaces();
    if (list === -1) return -1;
    let bytes = list.length * INTERFACE_INFO_EX;
    for (const a of list) bytes += sizeOf(a.address) + sizeOf(a.broadcast) + sizeOf(a.netmask);
    if (output === null || bytes > outLength) return c.recordNeeded(bytes);
    output.fill(0, 0, bytes);
    const base = c.address(output);
    let at = list.length * INTERFACE_INFO_EX;
    list.forEach((a, i) => {
      const entry = i * INTERFACE_INFO_EX;
      writeU32(output, entry, a.flags);
      [a.address, a.broadcast, a.netmask].forEach((sa, j) => {
        if (sa === null) return;
        writeSocketAddress(output, entry + 8 + j * SOCKET_ADDRESS, base, at, sa.length);
        output.set(sa, at);
        at += sa.length;
      });
    });
    return bytes;
  }

  // SIO_ADDRESS_LIST_QUERY: the socket family's addresses but loopback ones, Address[] from 8,
  // the sockaddrs after it. An output too small for the list's head (iAddressCount and the
  // padding before Address[], 8 bytes) is WSAEINVAL, nothing reported and the list unread; from
  // the head up to less than the list (or none at all), WSAEFAULT with the size needed: both as
  // Windows answers.
  function addressList(family: number, output: Uint8Array | null, outLength: number): number {
    if (outLength > 0 && outLength < ADDRESS_LIST_HEAD) return c.recordWsa(WSAEINVAL);
    const list = interfaces();
    if (list === -1) return -1;
    const chosen = list.filter((a) =>
      a.family === family && (a.flags & IFF_LOOPBACK) === 0 && !isLoopback(a.address)
    );
    let bytes = ADDRESS_LIST_HEAD + chosen.length * SOCKET_ADDRESS;
    for (const a of chosen) bytes += a.address.length;
    if (output === null || bytes > outLength) return c.recordNeeded(bytes);
    output.fill(0, 0, bytes);
    const base = c.address(output);
    writeU32(output, 0, chosen.length);
    let at = ADDRESS_LIST_HEAD + chosen.length * SOCKET_ADDRESS;
    chosen.forEach((a, i) => {
      writeSocketAddress(
        output,
        ADDRESS_LIST_HEAD + i * SOCKET_ADDRESS,
        base,
        at,
        a.address.length,
      );
      output.set(a.address, at);
      at += a.address.length;
    });
    return bytes;
  }

  /**
   * The checks of a destination sockaddr, in Windows' order (its provider's, msafd): none, or
   * fewer bytes than a sockaddr_in, is WSAEINVAL; a family other than the socket's,
   * WSAEAFNOSUPPORT; an IPv6 sockaddr shorter than a sockaddr_in6, WSAEFAULT. Returns the
   * sockaddr's size, 0 for the unspecified address (0.0.0.0, ::), or -1 with the error recorded.
   */
  function destinationSize(family: number, input: Uint8Array | null, inLength: number): number {
    if (input === null || inLength < SOCKADDR_IN) return c.recordWsa(WSAEINVAL);
    const af = input[0] | (input[1] << 8);
    const size = af === AF_INET ? SOCKADDR_IN : af === AF_INET6 ? SOCKADDR_IN6 : 0;
    if (size === 0 || af !== family) return c.recordWsa(WSAEAFNOSUPPORT);
    if (inLength < size) return c.recordWsa(WSAEFAULT);
    return isUnspecified(input, af) ? 0 : size;
  }

  // SIO_ROUTING_INTERFACE_QUERY: a UDP socket of the destination's family, connected (no packet
  // leaves), asked for its local address, closed. The answer's port is 0 (the probe's own port
  // means nothing to the caller). A destination port of 0 is probed as port 9: the BSDs refuse
  // to connect to port 0, and the port does not choose the route.
  //
  // The input is checked first (destinationSize); the unspecified address (0.0.0.0, ::), which
  // Windows refuses as a wildcard and Linux would route to loopback, is WSAEINVAL. Then the
  // output.
  function routingInterface(
    family: number,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
  ): number {
    const size = destinationSize(family, input, inLength);
    if (size < 0) return -1;
    if (size === 0) return c.recordWsa(WSAEINVAL);
    const af = family;
    if (output === null || outLength < size) return c.recordNeeded(size);
    const dest = destination.subarray(0, size);
    dest.set(input!.subarray(0, size));
    if (dest[2] === 0 && dest[3] === 0) dest[3] = 9;
    const n = addrs.toNative(dest);
    const h = libc.socket(addrs.nativeFamily(af), SOCK_DGRAM | k.socketFlags, 0);
    if (h < 0) return c.recordErrno(c.errno());
    try {
      if (k.fioclex !== 0n && c.ioctl(h, k.fioclex, intArg) === -1) {
        return c.recordErrno(c.errno());
      }
      if (af === AF_INET) {
        // A broadcast destination needs SO_BROADCAST to be connected to (Linux: EACCES).
        const [level, name] = k.options.broadcast;
        libc.setsockopt(h, level, name, new Uint8Array(intArg.buffer), 4);
      }
      if (libc.connect(h, nativeAddr, n) !== 0) return c.recordErrno(c.errno());
      addrs.reset();
      if (libc.getsockname(h, nativeAddr, nativeLength) !== 0) return c.recordErrno(c.errno());
      local.fill(0);
      addrs.fromNative(local);
      output.set(local.subarray(0, size));
      output.fill(0, 2, af === AF_INET ? 4 : 8); // sin_port (and sin6_flowinfo)
      return size;
    } finally {
      libc.close(h);
    }
  }

  /** Every address of `family`, loopback included, as sorted text (a snapshot); -1 on error. */
  function addressSet(family: number): string | -1 {
    const list = interfaces();
    if (list === -1) return -1;
    return list.filter((a) => a.family === family).map((a) => hexOf(a.address)).sort().join(" ");
  }

  const query: InterfaceQuery = (f, code, input, inLength, output, outLength) => {
    // getsockname is also the socket check: ENOTSOCK / EBADF → WSAENOTSOCK.
    const family = socketFamily(f);
    if (family === -1) return -1;
    if (family === 0) return c.recordWsa(WSAEOPNOTSUPP);
    switch (code) {
      case SIO_GET_INTERFACE_LIST:
        return interfaceList(family, output, outLength);
      case SIO_GET_INTERFACE_LIST_EX:
        return interfaceListEx(output, outLength);
      case SIO_ADDRESS_LIST_QUERY:
        return addressList(family, output, outLength);
      case SIO_ROUTING_INTERFACE_QUERY:
        return routingInterface(family, input, inLength, output, outLength);
    }
  };
  return Object.assign(query, { destinationSize, routingInterface, addressSet });
}

/**
 * KAME's embedded scope (the BSDs): a link-local address may come with its interface index in
 * bytes 2–3 of the address, which are 0 in every link-local address; it moves to
 * `sin6_scope_id` (when that is 0) and the bytes are cleared.
 */
function recoverScope(sa: Uint8Array): void {
  const linkLocal = sa[8] === 0xfe && (sa[9] & 0xc0) === 0x80;
  if (!linkLocal || (sa[10] === 0 && sa[11] === 0)) return;
  if (readU32(sa, 24) === 0) writeU32(sa, 24, (sa[10] << 8) | sa[11]);
  sa[10] = 0;
  sa[11] = 0;
}

/** 0.0.0.0, :: (a Windows-layout sockaddr of family `af`, long enough for it). */
function isUnspecified(sa: Uint8Array, af: number): boolean {
  const [from, to] = af === AF_INET ? [4, 8] : [8, 24];
  for (let i = from; i < to; i++) if (sa[i] !== 0) return false;
  return true;
}

/** 127.0.0.0/8, ::1 (Windows-layout sockaddrs). */
function isLoopback(sa: Uint8Array): boolean {
  if (sa[0] === AF_INET) return sa[4] === 127;
  for (let i = 8; i < 23; i++) if (sa[i] !== 0) return false;
  return sa[23] === 1;
}

function sizeOf(sa: Uint8Array | null): number {
  return sa === null ? 0 : sa.length;
}

/** A `SOCKET_ADDRESS` at `at` pointing at the sockaddr at offset `target` of the same buffer. */
function writeSocketAddress(
  out: Uint8Array,
  at: number,
  base: bigint,
  target: number,
  length: number,
): void {
  const pointer = base + BigInt(target);
  writeU32(out, at, Number(pointer & 0xffffffffn));
  writeU32(out, at + 4, Number(pointer >> 32n));
  writeU32(out, at + 8, length);
}
