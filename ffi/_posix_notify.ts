/**
 * Internal: the change notifications on POSIX — what an overlapped SIO_ADDRESS_LIST_CHANGE or
 * SIO_ROUTING_INTERFACE_CHANGE waits for, watched through the system's routing socket, each
 * watch a descriptor of the native layer's own:
 *
 * - Linux: a `NETLINK_ROUTE` socket bound to the multicast groups `RTMGRP_IPV4_IFADDR |
 *   RTMGRP_IPV6_IFADDR` (addresses), and for a route also `RTMGRP_IPV4_ROUTE |
 *   RTMGRP_IPV6_ROUTE`; messages are `struct nlmsghdr`, then `struct ifaddrmsg` / `struct
 *   rtmsg` (include/uapi/linux/netlink.h, rtnetlink.h, if_addr.h);
 * - macOS: a `PF_ROUTE` socket (every family), whose messages are `struct rt_msghdr` and
 *   `struct ifa_msghdr` followed by the sockaddrs their `rtm_addrs` / `ifam_addrs` bits name,
 *   each rounded up to 4 bytes (XNU bsd/net/route.h, bsd/net/if.h, ROUNDUP32 in
 *   bsd/net/rtsock.c; xnu-11417.101.15).
 *
 * A watch subscribes first and reads the state it compares against second, so that nothing that
 * changes after `watch` returns goes unseen. `seen` reads what arrived without blocking
 * (`MSG_DONTWAIT`) and decides:
 *
 * - an address watch fires on an address of the socket's family removed, or on one added that
 *   makes the family's addresses (loopback included) differ from those read when the watch
 *   began: the "new address" messages that only refresh an address (IPv6 lifetimes, the end of
 *   duplicate address detection) are no change;
 * - a route watch fires when the way to its destination is no longer the one it was: the
 *   interface the route leaves by (Linux: `RTM_GETROUTE`'s `RTA_OIF`, as `ip route get` asks;
 *   macOS: `RTM_GET`'s `rtm_index`, as `route get` asks) or the local address
 *   SIO_ROUTING_INTERFACE_QUERY's translation answers, both read again on each routing or
 *   address message. A wildcard destination (0.0.0.0, ::) fires on any such message, as
 *   Windows documents. Cloned and link-layer routes (macOS `RTF_WASCLONED`, `RTF_LLINFO`: one
 *   per neighbour, as traffic comes and goes) are not looked at.
 *
 * A socket whose queue overflowed (ENOBUFS: messages were lost) is read again as if a message of
 * each kind had come. The socket the notification was asked on is asked for its family when the
 * watch starts and never touched again. Elsewhere (other systems, CPUs whose `struct ifaddrs`
 * is not verified) there is no watch: the caller refuses the codes with `UnsupportedError`.
 *
 * @module
 */

import { hexOf, readU32 } from "./_le.ts";
import type { InterfaceQueries } from "./_posix_ifaddrs.ts";
import { SockaddrTranslator } from "./_posix_sockaddr.ts";
import type { Bound } from "./_types.ts";
import type { LIBC, PosixConstants } from "./libc.ts";
import type { ErrnoTable } from "./_errno.ts";
import { AF_INET, AF_INET6 } from "./native.ts";
import { WSAEINTR, WSAENOBUFS, WSAENOTSOCK, WSAEOPNOTSUPP } from "../_wsa.ts";

/** What a watch is for. */
export type WatchKind = "address" | "route";

/** What the change notifications need from the POSIX native layer that owns them. */
export interface NotifyContext {
  /** The operating system. */
  readonly os: string;
  /** The system's constants. */
  readonly k: PosixConstants;
  /** The system's errno numbers. */
  readonly errnos: ErrnoTable;
  /** The bound libc. */
  readonly libc: Bound<typeof LIBC>;
  /** `ioctl(fd, request, int*)` (FIOCLEX on macOS). */
  readonly ioctl: (fd: number, request: bigint, arg: ArrayBufferView) => number;
  /** The interface queries, whose answers a watch compares. */
  readonly queries: InterfaceQueries;
  /** errno as the last native call left it. */
  errno(): number;
  /** The WSA code the layer recorded last. */
  lastError(): number;
  /** Records the WSA code of an errno; returns -1. */
  recordErrno(errno: number): -1;
  /** Records a WSA code; returns -1. */
  recordWsa(wsa: number): -1;
  /** This process's id, which the kernel writes in the routing messages it answers (macOS). */
  pid(): number;
}

/** The watches of one POSIX native layer (see `NativeApi.watchChange`). */
export interface ChangeWatch {
  /**
   * Starts a watch for what `code` waits for, on socket descriptor `f`.
   *
   * @returns The watch's descriptor, or -1 with the error recorded.
   */
  watch(f: number, kind: WatchKind, input: Uint8Array | null, inLength: number): number;
  /**
   * Reads what the watch received, without blocking.
   *
   * @returns 1 once its change happened, 0 while not, -1 with the error recorded.
   */
  seen(w: number): number;
  /**
   * Closes a watch.
   *
   * @returns 0, or -1 (WSAENOTSOCK) for a descriptor that is not a live watch.
   */
  close(w: number): number;
}

/** What one read of a routing socket found, for one family of addresses (Windows' numbers). */
export interface RouteEvents {
  /** The Windows families of the addresses added. */
  readonly added: Set<number>;
  /** The Windows families of the addresses removed. */
  readonly removed: Set<number>;
  /** A route (or an interface) changed. */
  route: boolean;
}

/** The routing socket of one system: opening, parsing, and asking for a route. */
export interface RouteSystem {
  /** socket() arguments: family, type, protocol. */
  readonly socket: readonly [number, number, number];
  /** The multicast groups to bind to (Linux), per kind; undefined: no bind (macOS). */
  readonly groups: Readonly<Record<WatchKind, number>> | undefined;
  /**
   * Adds what the `n` bytes of `buf` (one read) announce to `into`.
   *
   * @param buf The bytes read.
   * @param n How many.
   * @param into What was found so far.
   */
  parse(buf: Uint8Array, n: number, into: RouteEvents): void;
}

// Linux (include/uapi/linux/netlink.h, rtnetlink.h, socket.h; checked against this machine's
// headers by tests/posix_notify_test.ts).
/** AF_NETLINK. */
export const AF_NETLINK = 16;
/** NETLINK_ROUTE. */
export const NETLINK_ROUTE = 0;
/** SOCK_RAW (Linux outside MIPS, and the BSDs). */
export const SOCK_RAW = 3;
/** `RTMGRP_*`: the multicast groups of NETLINK_ROUTE, as bits of `nl_groups`. */
export const RTMGRP = {
  IPV4_IFADDR: 0x10,
  IPV4_ROUTE: 0x40,
  IPV6_IFADDR: 0x100,
  IPV6_ROUTE: 0x400,
} as const;
/** Netlink message types (`nlmsg_type`). */
export const NL = {
  ERROR: 2, // NLMSG_ERROR
  NEWADDR: 20, // RTM_NEWADDR
  DELADDR: 21, // RTM_DELADDR
  NEWROUTE: 24, // RTM_NEWROUTE
  DELROUTE: 25, // RTM_DELROUTE
  GETROUTE: 26, // RTM_GETROUTE
} as const;
/** sizeof(struct sockaddr_nl). */
export const SOCKADDR_NL = 12;
/** sizeof(struct nlmsghdr). */
export const NLMSGHDR = 16;
/** sizeof(struct rtmsg). */
export const RTMSG = 12;
/** NLM_F_REQUEST. */
const NLM_F_REQUEST = 1;
/** Route attribute types: RTA_DST, RTA_OIF. */
export const RTA = { DST: 1, OIF: 4 } as const;
const LINUX_AF_INET6 = 10;

// macOS (XNU xnu-11417.101.15: bsd/sys/socket.h, bsd/net/route.h, bsd/net/if.h,
// bsd/net/if_dl.h).
/** PF_ROUTE (= AF_ROUTE). */
export const PF_ROUTE = 17;
/** AF_LINK (a `struct sockaddr_dl`). */
const AF_LINK = 18;
/** RTM_VERSION. */
export const RTM_VERSION = 5;
/** Routing message types (`rtm_type`). */
export const RTM = {
  ADD: 0x1,
  DELETE: 0x2,
  CHANGE: 0x3,
  GET: 0x4,
  REDIRECT: 0x6,
  NEWADDR: 0xc,
  DELADDR: 0xd,
  IFINFO: 0xe,
} as const;
/** `rtm_addrs` bits: which sockaddrs follow a header, in this order. */
export const RTA_BITS = { DST: 0x1, IFP: 0x10, IFA: 0x20 } as const;
/** The route flags of the routes not looked at: RTF_LLINFO, RTF_WASCLONED. */
export const RTF_SKIPPED = 0x400 | 0x20000;
/** RTF_UP | RTF_HOST: the flags of an RTM_GET for one destination, as `route get` sends it. */
const RTF_UP_HOST = 0x1 | 0x4;
/** sizeof(struct rt_msghdr) on 64-bit macOS (14 `int`-sized fields of rt_metrics included). */
export const RT_MSGHDR = 92;
/** sizeof(struct ifa_msghdr). */
export const IFA_MSGHDR = 20;
/** sizeof(struct sockaddr_dl) (sdl_data[12]). */
const SOCKADDR_DL = 20;
/** AF_INET6 on macOS. */
const DARWIN_AF_INET6 = 30;

/** ROUNDUP32 (bsd/net/rtsock.c): a sockaddr's room in a routing message; 4 for sa_len 0. */
export function roundup32(len: number): number {
  return len > 0 ? 1 + ((len - 1) | 3) : 4;
}

/** The family byte of a native sockaddr as Windows numbers it; 0 outside IP. */
function windowsFamily(native: number, af6: number): number {
  return native === 2 ? AF_INET : native === af6 ? AF_INET6 : 0;
}

/** Linux: nlmsghdr after nlmsghdr, each 4-byte aligned. */
export function parseNetlink(buf: Uint8Array, n: number, into: RouteEvents): void {
  const view = new DataView(buf.buffer, buf.byteOffset, n);
  for (let at = 0; at + NLMSGHDR <= n;) {
    const len = view.getUint32(at, true); // __u32 nlmsg_len
    const type = view.getUint16(at + 4, true); // __u16 nlmsg_type
    if (len < NLMSGHDR || at + len > n) break;
    // struct ifaddrmsg / struct rtmsg: __u8 ifa_family / rtm_family first
    const family = len > NLMSGHDR ? windowsFamily(buf[at + NLMSGHDR], LINUX_AF_INET6) : 0;
    if (type === NL.NEWADDR && family !== 0) into.added.add(family);
    else if (type === NL.DELADDR && family !== 0) into.removed.add(family);
    else if (type === NL.NEWROUTE || type === NL.DELROUTE) into.route = true;
    at += (len + 3) & ~3; // NLMSG_ALIGN
  }
}

/**
 * The family of the sockaddr a routing message (macOS) carries for `bit` (Windows' number, 0
 * when absent or outside IP): the sockaddrs follow the header in the order of their bits.
 */
function sockaddrFamily(
  buf: Uint8Array,
  from: number,
  end: number,
  addrs: number,
  bit: number,
): number {
  let p = from;
  for (let b = 1; b <= bit && b !== 0; b <<= 1) {
    if ((addrs & b) === 0) continue;
    if (p + 2 > end) return 0;
    if (b === bit) return windowsFamily(buf[p + 1], DARWIN_AF_INET6); // u_char sa_len, sa_family
    p += roundup32(buf[p]);
  }
  return 0;
}

/** macOS: rt_msghdr / ifa_msghdr / if_msghdr after one another, each `msglen` long. */
export function parsePfRoute(buf: Uint8Array, n: number, into: RouteEvents): void {
  const view = new DataView(buf.buffer, buf.byteOffset, n);
  for (let at = 0; at + 4 <= n;) {
    const len = view.getUint16(at, true); // u_short rtm_msglen
    if (len < 4 || at + len > n) break;
    const end = at + len;
    const type = buf[at + 3]; // u_char rtm_type (after u_char rtm_version)
    if (buf[at + 2] === RTM_VERSION) {
      if ((type === RTM.NEWADDR || type === RTM.DELADDR) && len >= IFA_MSGHDR) {
        // struct ifa_msghdr: int ifam_addrs at 4; the address is the RTA_IFA sockaddr.
        const addrs = view.getInt32(at + 4, true);
        const family = sockaddrFamily(buf, at + IFA_MSGHDR, end, addrs, RTA_BITS.IFA);
        if (family !== 0) (type === RTM.NEWADDR ? into.added : into.removed).add(family);
      } else if (type === RTM.IFINFO) {
        into.route = true; // an interface up or down: the routes through it follow
      } else if (
        (type === RTM.ADD || type === RTM.DELETE || type === RTM.CHANGE ||
          type === RTM.REDIRECT) && len >= RT_MSGHDR
      ) {
        // struct rt_msghdr: int rtm_flags at 8.
        if ((view.getInt32(at + 8, true) & RTF_SKIPPED) === 0) into.route = true;
      }
    }
    at = end;
  }
}

const LINUX: RouteSystem = {
  socket: [AF_NETLINK, SOCK_RAW, NETLINK_ROUTE],
  groups: {
    address: RTMGRP.IPV4_IFADDR | RTMGRP.IPV6_IFADDR,
    // Addresses too: adding or removing one changes the source a route takes.
    route: RTMGRP.IPV4_IFADDR | RTMGRP.IPV6_IFADDR | RTMGRP.IPV4_ROUTE | RTMGRP.IPV6_ROUTE,
  },
  parse: parseNetlink,
};

const DARWIN: RouteSystem = {
  socket: [PF_ROUTE, SOCK_RAW, 0],
  groups: undefined,
  parse: parsePfRoute,
};

/** One live watch. */
interface Watch {
  readonly kind: WatchKind;
  /** The socket's family (Windows' number). */
  readonly family: number;
  /** The destination (Windows layout), or null for the wildcard. */
  readonly destination: Uint8Array | null;
  /** What the change is measured against: the address set, or the route's key. */
  readonly armed: string;
  fired: boolean;
}

/** Bytes read from a routing socket at a time (netlink's NLMSG_GOODSIZE is at most 8 KiB). */
const READ_BYTES = 16384;
/** The most reads one `seen` makes: a flood is read on at the next look. */
const MAX_READS = 64;

/**
 * Builds the change notifications of one POSIX native layer.
 *
 * @param c The layer's libc, queries and error recorders.
 * @returns The watches, or `undefined` where the system has no verified routing socket.
 */
export function posixChangeWatch(c: NotifyContext): ChangeWatch | undefined {
  const system = c.os === "linux" ? LINUX : c.os === "darwin" ? DARWIN : undefined;
  if (system === undefined) return undefined;
  const { k, libc, queries } = c;
  const addrs = new SockaddrTranslator(k.af6, k.saLen);
  const { nativeAddr, nativeLength } = addrs;
  const watches = new Map<number, Watch>();
  // Scratch space (one thread: reused).
  const buf = new Uint8Array(new ArrayBuffer(READ_BYTES));
  const answer = new Uint8Array(new ArrayBuffer(28));
  const intArg = new Int32Array([1]);
  const request = new Uint8Array(new ArrayBuffer(256));
  const requestView = new DataView(request.buffer);
  let sequence = 0;

  /** socket(), close-on-exec; for a watch, subscribed. -1 with the error recorded. */
  function open(kind: WatchKind | undefined): number {
    const [domain, type, protocol] = system!.socket;
    const h = libc.socket(domain, type | k.socketFlags, protocol);
    if (h < 0) return c.recordErrno(c.errno());
    if (k.fioclex !== 0n && c.ioctl(h, k.fioclex, intArg) === -1) return fail(h);
    if (kind !== undefined && system!.groups !== undefined) {
      // struct sockaddr_nl { sa_family_t nl_family; u16 nl_pad; u32 nl_pid; u32 nl_groups; }
      const sa = new Uint8Array(SOCKADDR_NL);
      const v = new DataView(sa.buffer);
      v.setUint16(0, AF_NETLINK, true);
      v.setUint32(8, system!.groups[kind], true);
      if (libc.bind(h, sa, SOCKADDR_NL) !== 0) return fail(h);
    }
    return h;
  }

  /** Closes `h` after a failure, errno recorded first. */
  function fail(h: number): -1 {
    const e = c.errno();
    libc.close(h);
    return c.recordErrno(e);
  }

  /** The socket's family (Windows' number); -1 recorded when it is no socket or not IP. */
  function socketFamily(f: number): number {
    addrs.reset();
    if (libc.getsockname(f, nativeAddr, nativeLength) !== 0) return c.recordErrno(c.errno());
    const af = windowsFamily(k.saLen ? nativeAddr[1] : nativeAddr[0] | (nativeAddr[1] << 8), k.af6);
    return af === 0 ? c.recordWsa(WSAEOPNOTSUPP) : af;
  }

  /**
   * The way to `destination` as one text: the local address SIO_ROUTING_INTERFACE_QUERY's
   * translation answers (or its error) and the interface the route leaves by (or why there is
   * none).
   */
  function routeKey(family: number, destination: Uint8Array): string {
    const n = queries.routingInterface(family, destination, destination.length, answer, 28);
    const local = n < 0 ? `e${c.lastError()}` : hexOf(answer.subarray(0, n));
    const via = c.os === "linux" ? linuxInterface(destination) : darwinInterface(destination);
    return `${local} ${via}`;
  }

  /**
   * Linux: RTM_GETROUTE for the destination on a netlink socket of its own (the kernel answers
   * within the send: the reply is queued when send returns); `i<RTA_OIF>`, or `e<errno>`.
   */
  function linuxInterface(destination: Uint8Array): string {
    const target = lookupTarget(destination);
    const v4 = target[0] === AF_INET;
    const bytes = v4 ? 4 : 16;
    const scope = v4 ? 0 : readU32(target, 24);
    const length = NLMSGHDR + RTMSG + 4 + bytes + (scope !== 0 ? 8 : 0);
    request.fill(0, 0, length);
    requestView.setUint32(0, length, true); // nlmsg_len
    requestView.setUint16(4, NL.GETROUTE, true); // nlmsg_type
    requestView.setUint16(6, NLM_F_REQUEST, true); // nlmsg_flags
    requestView.setUint32(8, ++sequence, true); // nlmsg_seq
    request[NLMSGHDR] = v4 ? 2 : LINUX_AF_INET6; // rtm_family
    request[NLMSGHDR + 1] = bytes * 8; // rtm_dst_len
    let at = NLMSGHDR + RTMSG;
    requestView.setUint16(at, 4 + bytes, true); // rta_len
    requestView.setUint16(at + 2, RTA.DST, true); // rta_type
    request.set(target.subarray(v4 ? 4 : 8, v4 ? 8 : 24), at + 4);
    at += 4 + bytes;
    if (scope !== 0) {
      requestView.setUint16(at, 8, true);
      requestView.setUint16(at + 2, RTA.OIF, true);
      requestView.setUint32(at + 4, scope, true);
    }
    const h = open(undefined);
    if (h < 0) return `e${c.lastError()}`;
    try {
      if (Number(libc.send(h, request, BigInt(length), 0)) < 0) return `e${c.errno()}`;
      for (let reads = 0; reads < 4; reads++) {
        const n = Number(libc.recv(h, buf, BigInt(buf.length), k.dontWait));
        if (n < 0) return `e${c.errno()}`;
        const found = netlinkRouteReply(buf, n, sequence);
        if (found !== undefined) return found;
      }
      return "e?";
    } finally {
      libc.close(h);
    }
  }

  /**
   * macOS: RTM_GET for the destination, asking for its interface (RTA_IFP), on a PF_ROUTE
   * socket of its own; the reply (every routing socket gets it, the asker's included) is the
   * one of this process with this sequence number. `i<rtm_index>`, or `e<errno>`.
   */
  function darwinInterface(destination: Uint8Array): string {
    const size = addrs.toNative(lookupTarget(destination));
    const dst = roundup32(size);
    const length = RT_MSGHDR + dst + SOCKADDR_DL;
    request.fill(0, 0, length);
    requestView.setUint16(0, length, true); // rtm_msglen
    request[2] = RTM_VERSION; // rtm_version
    request[3] = RTM.GET; // rtm_type
    requestView.setInt32(8, RTF_UP_HOST, true); // rtm_flags
    requestView.setInt32(12, RTA_BITS.DST | RTA_BITS.IFP, true); // rtm_addrs
    const seq = ++sequence;
    requestView.setInt32(20, seq, true); // rtm_seq
    request.set(nativeAddr.subarray(0, size), RT_MSGHDR);
    request[RT_MSGHDR + dst] = SOCKADDR_DL; // sdl_len
    request[RT_MSGHDR + dst + 1] = AF_LINK; // sdl_family
    const h = open(undefined);
    if (h < 0) return `e${c.lastError()}`;
    try {
      if (Number(libc.send(h, request, BigInt(length), 0)) < 0) return `e${c.errno()}`;
      const pid = c.pid();
      for (let reads = 0; reads < MAX_READS; reads++) {
        const n = Number(libc.recv(h, buf, BigInt(buf.length), k.dontWait));
        if (n < 0) return `e${c.errno()}`;
        const found = pfRouteReply(buf, n, pid, seq);
        if (found !== undefined) return found;
      }
      return "e?";
    } finally {
      libc.close(h);
    }
  }

  /** The state a watch compares against; undefined with the error recorded. */
  function stateOf(watch: Omit<Watch, "armed" | "fired">): string | undefined {
    if (watch.kind === "address") {
      const set = queries.addressSet(watch.family);
      return set === -1 ? undefined : set;
    }
    return watch.destination === null ? "" : routeKey(watch.family, watch.destination);
  }

  return {
    watch(f, kind, input, inLength) {
      const family = socketFamily(f); // also the socket check
      if (family < 0) return -1;
      let destination: Uint8Array | null = null;
      if (kind === "route") {
        const size = queries.destinationSize(family, input, inLength);
        if (size < 0) return -1;
        if (size > 0) destination = input!.slice(0, size);
      }
      const h = open(kind); // subscribed before the state is read
      if (h < 0) return -1;
      const armed = stateOf({ kind, family, destination });
      if (armed === undefined) {
        const e = c.lastError();
        libc.close(h);
        return c.recordWsa(e);
      }
      watches.set(h, { kind, family, destination, armed, fired: false });
      return h;
    },
    seen(w) {
      const watch = watches.get(w);
      if (watch === undefined) return c.recordWsa(WSAENOTSOCK);
      if (watch.fired) return 1;
      const events: RouteEvents = { added: new Set(), removed: new Set(), route: false };
      for (let reads = 0; reads < MAX_READS; reads++) {
        const n = Number(libc.recv(w, buf, BigInt(buf.length), k.dontWait));
        if (n > 0) {
          system.parse(buf, n, events);
          continue;
        }
        if (n === 0) break;
        const e = c.errno();
        if (e === c.errnos.EAGAIN) break;
        const wsa = c.errnos.wsa[e];
        if (wsa === WSAEINTR) continue;
        if (wsa !== WSAENOBUFS) return c.recordErrno(e);
        // The queue overflowed: messages were lost. Look as if one of each kind had come.
        events.added.add(watch.family);
        events.route = true;
      }
      if (watch.kind === "address") {
        if (events.removed.has(watch.family)) watch.fired = true;
        else if (events.added.has(watch.family)) watch.fired = changed(watch);
      } else if (events.route || events.added.size > 0 || events.removed.size > 0) {
        watch.fired = watch.destination === null || changed(watch);
      }
      return watch.fired ? 1 : 0;
    },
    close(w) {
      if (!watches.delete(w)) return c.recordWsa(WSAENOTSOCK);
      libc.close(w);
      return 0;
    },
  };

  /** Whether the state differs from the armed one (a state that cannot be read: changed). */
  function changed(watch: Watch): boolean {
    const now = stateOf(watch);
    return now === undefined || now !== watch.armed;
  }
}

/**
 * The answer to a Linux RTM_GETROUTE of sequence number `seq` among the messages of one read:
 * `i<RTA_OIF>` (`i0` without one), `e<errno>` for an NLMSG_ERROR, or undefined when absent.
 */
export function netlinkRouteReply(buf: Uint8Array, n: number, seq: number): string | undefined {
  const view = new DataView(buf.buffer, buf.byteOffset, n);
  for (let at = 0; at + NLMSGHDR <= n;) {
    const len = view.getUint32(at, true);
    if (len < NLMSGHDR || at + len > n) break;
    const type = view.getUint16(at + 4, true);
    if (view.getUint32(at + 8, true) === seq) {
      // struct nlmsgerr { int error; struct nlmsghdr msg; }: a negative errno.
      if (type === NL.ERROR && len >= NLMSGHDR + 4) {
        return `e${-view.getInt32(at + NLMSGHDR, true)}`;
      }
      if (type === NL.NEWROUTE) {
        // struct rtattr { u16 rta_len; u16 rta_type; } after struct rtmsg, each 4-byte aligned.
        for (let a = at + NLMSGHDR + RTMSG; a + 4 <= at + len;) {
          const alen = view.getUint16(a, true);
          if (alen < 4 || a + alen > at + len) break;
          if (view.getUint16(a + 2, true) === RTA.OIF && alen >= 8) {
            return `i${view.getUint32(a + 4, true)}`;
          }
          a += (alen + 3) & ~3;
        }
        return "i0";
      }
    }
    at += (len + 3) & ~3;
  }
  return undefined;
}

/**
 * The answer to a macOS RTM_GET of process `pid` and sequence number `seq` among the messages
 * of one read: `i<rtm_index>`, `e<rtm_errno>` when it failed, or undefined when absent.
 */
export function pfRouteReply(
  buf: Uint8Array,
  n: number,
  pid: number,
  seq: number,
): string | undefined {
  const view = new DataView(buf.buffer, buf.byteOffset, n);
  for (let at = 0; at + RT_MSGHDR <= n;) {
    const len = view.getUint16(at, true);
    if (len < 4 || at + len > n) break;
    if (
      len >= RT_MSGHDR && buf[at + 2] === RTM_VERSION && buf[at + 3] === RTM.GET &&
      view.getInt32(at + 16, true) === pid && view.getInt32(at + 20, true) === seq
    ) {
      // u_short rtm_index at 4; int rtm_errno at 24.
      const errno = view.getInt32(at + 24, true);
      return errno !== 0 ? `e${errno}` : `i${view.getUint16(at + 4, true)}`;
    }
    at += len;
  }
  return undefined;
}

/**
 * The sockaddr (Windows layout) whose route is looked up for `destination`: its address alone,
 * the port and flow label zeroed, and an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the
 * IPv4 address it maps, which is what a socket sending there routes by.
 */
export function lookupTarget(destination: Uint8Array): Uint8Array {
  const v6 = destination[0] === AF_INET6 && destination.length >= 28;
  let mapped = v6 && destination[18] === 0xff && destination[19] === 0xff;
  for (let i = 8; mapped && i < 18; i++) mapped = destination[i] === 0;
  if (v6 && !mapped) {
    const out = destination.slice(0, 28);
    out.fill(0, 2, 8); // sin6_port, sin6_flowinfo
    return out;
  }
  const out = new Uint8Array(16);
  out[0] = AF_INET;
  out.set(destination.subarray(mapped ? 20 : 4, mapped ? 24 : 8), 4);
  return out;
}
