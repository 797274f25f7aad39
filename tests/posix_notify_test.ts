// The change notifications of the POSIX native layer (ffi/_posix_notify.ts) over a fake libc
// playing the kernel, as Linux and as macOS: the routing-socket messages parsed (netlink's
// nlmsghdr / ifaddrmsg / rtmsg; PF_ROUTE's rt_msghdr / ifa_msghdr and the sockaddrs after them,
// each rounded up to 4 bytes), every byte written here from the headers' offsets (Linux uapi;
// XNU bsd/net/route.h, if.h, if_dl.h, xnu-11417.101.15), never through the code under test; the
// socket, bind and route-query requests byte for byte; which messages make a watch look again,
// and when it fires; the refusals made before any native call. The Linux numbers are also
// compiled against this machine's headers (gcc). Real changes on Linux: sio_notify_linux_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import {
  FIONREAD,
  SIO_ADDRESS_LIST_CHANGE,
  SIO_IDEAL_SEND_BACKLOG_CHANGE,
  SIO_ROUTING_INTERFACE_CHANGE,
} from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import {
  netlinkRouteReply,
  parseNetlink,
  parsePfRoute,
  pfRouteReply,
  type RouteEvents,
} from "../ffi/_posix_notify.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { assertCompiles } from "./_helpers/gcc.ts";
import { le, sockaddrIn, sockaddrIn6 } from "./_helpers/bytes.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";
import {
  in4,
  in6,
  nativeIff,
  type ScriptedIfaddr,
  scriptIfaddrs,
} from "./_helpers/fake_ifaddrs.ts";

const WSAENOTSOCK = 10038;
const WSAEAFNOSUPPORT = 10047;
const ETH = [192, 0, 2, 2];
const DOC6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x77];

const events = (): RouteEvents => ({ added: new Set(), removed: new Set(), route: false });
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
};

// Linux (include/uapi/linux/netlink.h, rtnetlink.h, if_addr.h): struct nlmsghdr { __u32 len @0;
// __u16 type @4; __u16 flags @6; __u32 seq @8; __u32 pid @12 } (16 bytes); struct ifaddrmsg
// { __u8 ifa_family @0; prefixlen; flags; scope; __u32 index @4 } (8); struct rtmsg { __u8
// rtm_family @0; dst_len @1; src_len; tos; table; protocol; scope; type; __u32 flags @8 } (12).
// RTM_NEWADDR 20, RTM_DELADDR 21, RTM_NEWROUTE 24, RTM_DELROUTE 25, RTM_GETROUTE 26,
// NLMSG_ERROR 2, NLMSG_DONE 3; AF_INET 2, AF_INET6 10; RTA_DST 1, RTA_OIF 4, RTA_TABLE 15.

/** A netlink message of `type` with `body` after the header (length unpadded in nlmsg_len). */
function nlmsg(type: number, body: Uint8Array, seq = 0): Uint8Array {
  const len = 16 + body.length;
  const out = le((len + 3) & ~3, [0, 4, len], [4, 2, type], [8, 4, seq]);
  out.set(body, 16);
  return out;
}
/** An ifaddrmsg of native family `af`, then an IFA_ADDRESS attribute. */
const ifaddrmsg = (af: number, addr: number[]) =>
  cat(
    le(8, [0, 1, af], [1, 1, addr.length * 8]),
    le(4, [0, 2, 4 + addr.length], [2, 2, 1]),
    new Uint8Array(addr),
  );
/** An rtmsg of native family `af`, with route attributes `attrs` ([type, u32 value]). */
const rtmsg = (af: number, ...attrs: [number, number][]) =>
  cat(
    le(12, [0, 1, af], [1, 1, 24]),
    ...attrs.map(([t, v]) => le(8, [0, 2, 8], [2, 2, t], [4, 4, v])),
  );

// macOS (XNU bsd/net/route.h, if.h): struct rt_msghdr { u_short rtm_msglen @0; u_char version
// @2 (RTM_VERSION 5); u_char type @3; u_short index @4; int flags @8; int addrs @12; pid_t pid
// @16; int seq @20; int errno @24; int use @28; u_int32_t inits @32; struct rt_metrics @36 (14
// u_int32) } = 92 bytes; struct ifa_msghdr { u_short msglen @0; u_char version @2; u_char type
// @3; int addrs @4; int flags @8; u_short index @12; int metric @16 } = 20 bytes. RTM_ADD 1,
// RTM_DELETE 2, RTM_CHANGE 3, RTM_GET 4, RTM_NEWADDR 0xc, RTM_DELADDR 0xd, RTM_IFINFO 0xe;
// RTA_DST 1, RTA_NETMASK 4, RTA_IFP 0x10, RTA_IFA 0x20, RTA_BRD 0x80; RTF_UP 1, RTF_HOST 4,
// RTF_LLINFO 0x400, RTF_WASCLONED 0x20000; each sockaddr padded to a multiple of 4 (ROUNDUP32,
// bsd/net/rtsock.c: sa_len 0 takes 4). AF_INET 2, AF_INET6 30, AF_LINK 18.

/** A sockaddr as the BSDs lay it out: sa_len, family, then `rest`, padded to 4. */
function bsdSockaddr(saLen: number, family: number, rest: number[] = []): Uint8Array {
  const room = saLen > 0 ? 1 + ((saLen - 1) | 3) : 4;
  const out = new Uint8Array(room);
  out[0] = saLen;
  out[1] = family;
  out.set(rest.slice(0, Math.max(0, Math.min(saLen, room) - 2)), 2);
  return out;
}
/** An rt_msghdr of `type` (92 bytes) with `sockaddrs` after it. */
function rtMsg(
  type: number,
  f: { flags?: number; addrs?: number; index?: number; pid?: number; seq?: number; errno?: number },
  ...sockaddrs: Uint8Array[]
): Uint8Array {
  const body = cat(...sockaddrs);
  const head = le(
    92,
    [0, 2, 92 + body.length],
    [2, 1, 5],
    [3, 1, type],
    [4, 2, f.index ?? 0],
    [8, 4, f.flags ?? 0],
    [12, 4, f.addrs ?? 0],
    [16, 4, f.pid ?? 0],
    [20, 4, f.seq ?? 0],
    [24, 4, f.errno ?? 0],
  );
  return cat(head, body);
}
/** An ifa_msghdr of `type` (20 bytes) with `addrs` and its sockaddrs. */
function ifaMsg(type: number, addrs: number, ...sockaddrs: Uint8Array[]): Uint8Array {
  const body = cat(...sockaddrs);
  return cat(
    le(20, [0, 2, 20 + body.length], [2, 1, 5], [3, 1, type], [4, 4, addrs], [12, 2, 4]),
    body,
  );
}
const DL = bsdSockaddr(20, 18); // an empty sockaddr_dl (RTA_IFP)

describe("routing messages parsed: Linux netlink", () => {
  test("address messages by family, route messages, 4-byte alignment, a truncated tail", () => {
    const e = events();
    const read = cat(
      nlmsg(20, ifaddrmsg(2, ETH)), // RTM_NEWADDR AF_INET
      nlmsg(21, ifaddrmsg(10, DOC6)), // RTM_DELADDR AF_INET6
      nlmsg(3, le(4)), // NLMSG_DONE: nothing
    );
    parseNetlink(read, read.length, e);
    assert.deepEqual([...e.added], [2]); // Windows' AF_INET
    assert.deepEqual([...e.removed], [23]); // Windows' AF_INET6
    assert.equal(e.route, false);
    // A message whose length is not a multiple of 4 (a 21-byte body) is padded to the next.
    const odd = nlmsg(20, cat(ifaddrmsg(2, ETH), new Uint8Array(5)));
    assert.equal(odd.length % 4, 0);
    const r = events();
    const two = cat(odd, nlmsg(24, rtmsg(2, [4, 3])));
    parseNetlink(two, two.length, r);
    assert.deepEqual([...r.added], [2]);
    assert.equal(r.route, true, "RTM_NEWROUTE after the padded message");
    // A read cut inside a message: what is whole counts, the rest is left.
    const cut = events();
    const whole = cat(nlmsg(21, ifaddrmsg(2, ETH)), nlmsg(25, rtmsg(10)));
    parseNetlink(whole, whole.length - 4, cut);
    assert.deepEqual([...cut.removed], [2]);
    assert.equal(cut.route, false, "RTM_DELROUTE was cut");
    // nlmsg_len shorter than a header: the read stops there.
    const bad = events();
    const broken = cat(le(16, [0, 4, 8], [4, 2, 24]), nlmsg(24, rtmsg(2)));
    parseNetlink(broken, broken.length, bad);
    assert.equal(bad.route, false);
  });

  test("the reply to RTM_GETROUTE: RTA_OIF of the message with the sequence number; NLMSG_ERROR's errno", () => {
    const reply = nlmsg(24, rtmsg(2, [15, 254], [1, 0x016433c6], [4, 7]), 5);
    const other = nlmsg(24, rtmsg(2, [4, 9]), 4);
    const read = cat(other, reply);
    assert.equal(netlinkRouteReply(read, read.length, 5), "i7");
    assert.equal(netlinkRouteReply(read, read.length, 6), undefined);
    assert.equal(netlinkRouteReply(nlmsg(24, rtmsg(2), 1), 28, 1), "i0", "no RTA_OIF");
    // struct nlmsgerr { int error (-errno) @16; struct nlmsghdr msg @20 }: ENETUNREACH 101.
    const error = nlmsg(2, cat(le(4, [0, 4, -101]), new Uint8Array(16)), 3);
    assert.equal(netlinkRouteReply(error, error.length, 3), "e101");
  });
});

describe("routing messages parsed: macOS PF_ROUTE", () => {
  test("ifa_msghdr: the family of the RTA_IFA sockaddr, found past the others (ROUNDUP32)", () => {
    const e = events();
    const read = cat(
      // RTA_NETMASK (sa_len 5: padded to 8), RTA_IFP (sockaddr_dl, 20), RTA_IFA (sockaddr_in6).
      ifaMsg(0xc, 0x4 | 0x10 | 0x20, bsdSockaddr(5, 0, [0, 0, 255]), DL, bsdSockaddr(28, 30)),
      // RTA_NETMASK with sa_len 0 (takes 4), RTA_IFA AF_INET, RTA_BRD.
      ifaMsg(0xd, 0x4 | 0x20 | 0x80, bsdSockaddr(0, 0), bsdSockaddr(16, 2), bsdSockaddr(16, 2)),
    );
    parsePfRoute(read, read.length, e);
    assert.deepEqual([...e.added], [23]);
    assert.deepEqual([...e.removed], [2]);
    assert.equal(e.route, false);
    // The family read at the wrong place would be the netmask's 0 or the link's 18: nothing.
    const linkOnly = events();
    const m = ifaMsg(0xc, 0x10, DL);
    parsePfRoute(m, m.length, linkOnly);
    assert.equal(linkOnly.added.size, 0);
  });

  test("route messages: added, deleted, changed, redirected, an interface; neighbours and clones left out", () => {
    const dst = bsdSockaddr(16, 2, [0, 0, 198, 51, 100, 0]);
    for (const type of [1, 2, 3, 6]) {
      const e = events();
      const m = rtMsg(type, { addrs: 1 }, dst);
      parsePfRoute(m, m.length, e);
      assert.equal(e.route, true, `type ${type}`);
    }
    for (const flags of [0x400, 0x20000, 0x1 | 0x400]) {
      const e = events();
      const m = rtMsg(1, { flags, addrs: 1 }, dst);
      parsePfRoute(m, m.length, e);
      assert.equal(e.route, false, `flags 0x${flags.toString(16)}`);
    }
    const ifinfo = events();
    const i = le(112, [0, 2, 112], [2, 1, 5], [3, 1, 0xe]); // if_msghdr (its if_data unread)
    parsePfRoute(i, i.length, ifinfo);
    assert.equal(ifinfo.route, true);
    // RTM_GET (every query's reply), RTM_NEWMADDR, another version, a short message: nothing.
    const none = events();
    const old = rtMsg(1, { addrs: 1 }, dst);
    old[2] = 4;
    const read = cat(rtMsg(4, { addrs: 1 }, dst), le(8, [0, 2, 8], [2, 1, 5], [3, 1, 0xf]), old);
    parsePfRoute(read, read.length, none);
    assert.deepEqual(none, events());
    const short = events();
    const s = rtMsg(1, {}).subarray(0, 40);
    s[0] = 40;
    parsePfRoute(s, 40, short);
    assert.equal(short.route, false, "an RTM_ADD shorter than rt_msghdr");
  });

  test("the reply to RTM_GET: this process's, this sequence number; rtm_index, or rtm_errno", () => {
    const read = cat(
      rtMsg(4, { pid: 77, seq: 3, index: 9 }),
      rtMsg(4, { pid: 4242, seq: 2, index: 8 }),
      rtMsg(4, { pid: 4242, seq: 3, index: 4 }),
    );
    assert.equal(pfRouteReply(read, read.length, 4242, 3), "i4");
    assert.equal(pfRouteReply(read, read.length, 4242, 5), undefined);
    const failed = rtMsg(4, { pid: 4242, seq: 6, errno: 3 }); // ESRCH: no route
    assert.equal(pfRouteReply(failed, failed.length, 4242, 6), "e3");
  });
});

/** A fake kernel for one layer: descriptors, queued reads, the route query's answer. */
function kernel(os: "linux" | "darwin", arch = "x86_64") {
  const eagain = os === "linux" ? 11 : 35;
  const answers: Record<string, Answer> = {};
  const fake = fakeLoader(os, arch, answers);
  const iff = nativeIff(os);
  const state = {
    /** The family of descriptor 9, the user's socket: 2 (AF_INET), else IPv6. */
    family: 2,
    /** The machine's addresses, read by each getifaddrs. */
    ifaddrs: [{ flags: iff.up | iff.running, addr: in4(os, ETH) }] as ScriptedIfaddr[],
    /** What the next reads of each descriptor return. */
    queue: new Map<number, Uint8Array[]>(),
    /** The interface index the route query answers. */
    oif: 2,
    /** The local address the route translation's UDP socket gets. */
    local: ETH,
    /** errno of the next recv on a watch, once. */
    recvErrno: 0,
    /** Every socket(): [fd, domain, type, protocol]. */
    sockets: [] as number[][],
    /** Every send: [fd, bytes]. */
    sent: [] as [number, number[]][],
    /** Every bind: [fd, bytes]. */
    bound: [] as [number, number[]][],
    closed: [] as number[],
  };
  let nextFd = 100;
  let region = 0x5500_0000_0000n;
  const push = (fd: number, bytes: Uint8Array) =>
    state.queue.set(fd, [...(state.queue.get(fd) ?? []), bytes]);
  Object.assign(
    answers,
    {
      socket: (domain, type, protocol) => {
        const fd = nextFd++;
        state.sockets.push([fd, domain as number, type as number, protocol as number]);
        return fd;
      },
      bind: (fd, sa, len) => {
        state.bound.push([fd as number, [...(sa as Uint8Array).subarray(0, len as number)]]);
        return 0;
      },
      close: (fd) => (state.closed.push(fd as number), 0),
      getpid: () => 4242,
      getsockname: (fd, sa) => {
        const out = sa as Uint8Array;
        // Descriptor 9: the user's socket, of `family`; any other: the route translation's.
        const v6 = state.family !== 2;
        out.set(fd !== 9 ? in4(os, state.local) : v6 ? in6(os, []) : in4(os, [0, 0, 0, 0]));
        return 0;
      },
      getifaddrs: (ifap) => {
        region += 0x100_0000n;
        return (scriptIfaddrs(fake.memory, state.ifaddrs, region).getifaddrs as (
          p: unknown,
        ) => number)(ifap);
      },
      send: (fd, bytes, length) => {
        const b = [...(bytes as Uint8Array).subarray(0, Number(length))];
        state.sent.push([fd as number, b]);
        const v = new DataView(new Uint8Array(b).buffer);
        if (os === "linux") {
          push(fd as number, nlmsg(24, rtmsg(2, [4, state.oif]), v.getUint32(8, true)));
        } else {
          // Another process's reply first: every routing socket gets every reply.
          push(fd as number, rtMsg(4, { pid: 77, seq: v.getInt32(20, true), index: 99 }));
          push(fd as number, rtMsg(4, { pid: 4242, seq: v.getInt32(20, true), index: state.oif }));
        }
        return BigInt(length as bigint);
      },
      recv: (fd, into) => {
        const q = state.queue.get(fd as number) ?? [];
        if (state.recvErrno !== 0 && !q.length) {
          fake.errno.value = state.recvErrno;
          state.recvErrno = 0;
          return -1n;
        }
        const next = q.shift();
        if (next === undefined) {
          fake.errno.value = eagain;
          return -1n;
        }
        (into as Uint8Array).set(next);
        return BigInt(next.length);
      },
    } satisfies Record<string, Answer>,
  );
  const native = createPosixApi(fake.loader);
  /** A watch of the user's socket (descriptor 9) for an address change. */
  const addresses = () => native.watchChange(9n, SIO_ADDRESS_LIST_CHANGE, null, 0);
  /** A watch of the user's socket for a change of the route to `to` (a Windows sockaddr). */
  const route = (to: Uint8Array) =>
    native.watchChange(9n, SIO_ROUTING_INTERFACE_CHANGE, to, to.length);
  return { fake, state, native, push, addresses, route };
}

describe("watches over a fake Linux", () => {
  test("an address watch: NETLINK_ROUTE bound to both IFADDR groups; fires on a removal, or an addition that changes the family's addresses", () => {
    const { fake, state, native, push, addresses } = kernel("linux");
    const w = addresses();
    assert.ok(w >= 0n, `watchChange: ${native.lastError()}`);
    const fd = Number(w);
    // socket(AF_NETLINK 16, SOCK_RAW 3 | SOCK_CLOEXEC 0x80000, NETLINK_ROUTE 0)
    assert.deepEqual(state.sockets, [[fd, 16, 3 | 0x80000, 0]]);
    // struct sockaddr_nl { nl_family 16 @0; nl_pad @2; nl_pid 0 @4; nl_groups @8 }:
    // RTMGRP_IPV4_IFADDR 0x10 | RTMGRP_IPV6_IFADDR 0x100.
    assert.deepEqual(state.bound, [[fd, [...le(12, [0, 2, 16], [8, 4, 0x110])]]]);
    assert.deepEqual(fake.names().slice(0, 5), [
      "getsockname",
      "socket",
      "bind",
      "getifaddrs",
      "freeifaddrs",
    ]);
    assert.equal(native.changeSeen(w), 0, "nothing read");
    // An IPv6 address added, one removed: another family, not even looked at.
    fake.calls.length = 0;
    push(fd, cat(nlmsg(20, ifaddrmsg(10, DOC6)), nlmsg(21, ifaddrmsg(10, DOC6))));
    assert.equal(native.changeSeen(w), 0);
    assert.deepEqual(fake.names(), ["recv", "recv"], "no getifaddrs for another family");
    // RTM_NEWADDR for an address already there (a refresh): looked at, unchanged.
    push(fd, nlmsg(20, ifaddrmsg(2, ETH)));
    assert.equal(native.changeSeen(w), 0);
    // One really added: fired, and fired it stays (no more reads).
    state.ifaddrs = [...state.ifaddrs, { flags: 0x41, addr: in4("linux", [127, 0, 0, 77]) }];
    push(fd, nlmsg(20, ifaddrmsg(2, [127, 0, 0, 77])));
    assert.equal(native.changeSeen(w), 1);
    fake.calls.length = 0;
    assert.equal(native.changeSeen(w), 1);
    assert.deepEqual(fake.names(), []);
    assert.equal(native.closeWatch(w), 0);
    assert.deepEqual(state.closed, [fd]);
    // A removal fires without looking; a closed watch is unknown, without a native call.
    const w2 = addresses();
    push(Number(w2), nlmsg(21, ifaddrmsg(2, ETH)));
    fake.calls.length = 0;
    assert.equal(native.changeSeen(w2), 1);
    assert.deepEqual(fake.names(), ["recv", "recv"]);
    native.closeWatch(w2);
    fake.calls.length = 0;
    assert.equal(native.changeSeen(w2), -1);
    assert.equal(native.lastError(), WSAENOTSOCK);
    assert.equal(native.closeWatch(w2), -1);
    assert.deepEqual(fake.names(), []);
  });

  test("a lost message (ENOBUFS) looks again; another recv error fails the look", () => {
    const { state, native, addresses } = kernel("linux");
    const w = addresses();
    state.recvErrno = 105; // ENOBUFS
    assert.equal(native.changeSeen(w), 0, "looked: nothing changed");
    state.ifaddrs = [];
    state.recvErrno = 105;
    assert.equal(native.changeSeen(w), 1, "looked: the address is gone");
    const w2 = addresses();
    state.recvErrno = 9; // EBADF
    assert.equal(native.changeSeen(w2), -1);
    assert.equal(native.lastError(), WSAENOTSOCK);
  });

  test("a route watch: the ROUTE groups too; RTM_GETROUTE byte for byte; fires when the interface changes, not on a route elsewhere", () => {
    const { state, native, push, route } = kernel("linux");
    const w = route(sockaddrIn([198, 51, 100, 1], 80));
    assert.ok(w >= 0n);
    const fd = Number(w);
    // RTMGRP_IPV4_IFADDR 0x10 | RTMGRP_IPV4_ROUTE 0x40 | RTMGRP_IPV6_IFADDR 0x100 |
    // RTMGRP_IPV6_ROUTE 0x400.
    assert.deepEqual(state.bound[0], [fd, [...le(12, [0, 2, 16], [8, 4, 0x550])]]);
    // The translation's UDP socket (AF_INET, SOCK_DGRAM), then a netlink socket of its own.
    assert.deepEqual(state.sockets.map((s) => s.slice(1)), [[16, 3 | 0x80000, 0], [
      2,
      2 | 0x80000,
      0,
    ], [16, 3 | 0x80000, 0]]);
    // nlmsghdr { len 36; RTM_GETROUTE 26; NLM_F_REQUEST 1; seq 1; pid 0 }, rtmsg { AF_INET 2;
    // dst_len 32 }, rtattr { len 8; RTA_DST 1 } 198.51.100.1.
    const query = state.sockets[2][0];
    assert.deepEqual(state.sent, [[query, [
      ...le(28, [0, 4, 36], [4, 2, 26], [6, 2, 1], [8, 4, 1], [16, 1, 2], [17, 1, 32]),
      ...le(4, [0, 2, 8], [2, 2, 1]),
      198,
      51,
      100,
      1,
    ]]]);
    assert.ok(state.closed.includes(query), "the query's socket closed");
    // A route elsewhere: looked again (a new query), same interface and address: no change.
    push(fd, nlmsg(24, rtmsg(2)));
    assert.equal(native.changeSeen(w), 0);
    assert.equal(state.sent.length, 2);
    // The interface changed (eth0 → lo), the local address did not (Linux keeps its source).
    state.oif = 1;
    push(fd, nlmsg(24, rtmsg(2)));
    assert.equal(native.changeSeen(w), 1);
  });

  test("route watches: the local address changing; IPv6 with its scope; IPv4-mapped asks IPv4; the wildcard asks nothing", () => {
    const k = kernel("linux");
    const w = k.route(sockaddrIn([198, 51, 100, 1]));
    k.state.local = [10, 0, 0, 9];
    k.push(Number(w), nlmsg(25, rtmsg(2)));
    assert.equal(k.native.changeSeen(w), 1, "the address SIO_ROUTING_INTERFACE_QUERY answers");

    const six = kernel("linux");
    six.state.family = 10;
    const fe80 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    assert.ok(
      six.route(sockaddrIn6(fe80, 3)) >= 0n,
    );
    // rtmsg { AF_INET6 10; dst_len 128 }, RTA_DST (20 bytes) fe80::1, RTA_OIF (8 bytes) 3.
    assert.deepEqual(six.state.sent[0][1], [
      ...le(28, [0, 4, 56], [4, 2, 26], [6, 2, 1], [8, 4, 1], [16, 1, 10], [17, 1, 128]),
      ...le(4, [0, 2, 20], [2, 2, 1]),
      ...fe80,
      ...le(8, [0, 2, 8], [2, 2, 4], [4, 4, 3]),
    ]);
    const mapped = kernel("linux");
    mapped.state.family = 10;
    const v4m = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 1];
    mapped.route(sockaddrIn6(v4m, 0));
    assert.deepEqual(mapped.state.sent[0][1].slice(16, 18), [2, 32], "asked as AF_INET");
    assert.deepEqual(mapped.state.sent[0][1].slice(32), [198, 51, 100, 1]);

    const any = kernel("linux");
    const wa = any.route(sockaddrIn([0, 0, 0, 0]));
    assert.deepEqual(any.state.sockets.length, 1, "no query for the wildcard");
    any.push(Number(wa), nlmsg(24, rtmsg(10)));
    assert.equal(any.native.changeSeen(wa), 1, "any routing message");
  });

  test("refusals: a destination of the other family before any socket; what no watch can do, before any native call", () => {
    const { fake, state, native, route } = kernel("linux");
    assert.equal(route(sockaddrIn6(DOC6, 0)), -1n);
    assert.equal(native.lastError(), WSAEAFNOSUPPORT);
    assert.deepEqual(state.sockets, []);
    fake.calls.length = 0;
    for (const code of [FIONREAD, SIO_IDEAL_SEND_BACKLOG_CHANGE]) {
      assert.throws(() => native.watchChange(9n, code, null, 0), UnsupportedError);
    }
    const ppc = kernel("linux", "ppc64");
    assert.throws(
      () => ppc.addresses(),
      (e: unknown) => {
        assert.ok(e instanceof UnsupportedError);
        assert.equal(e.platform, "linux on ppc64");
        return true;
      },
    );
    const bsd = fakeLoader("freebsd", "x86_64");
    assert.throws(
      () =>
        createPosixApi(bsd.loader).watchChange(
          9n,
          SIO_ROUTING_INTERFACE_CHANGE,
          sockaddrIn([192, 0, 2, 1]),
          16,
        ),
      (e: unknown) => e instanceof UnsupportedError && e.platform === "freebsd",
    );
    assert.deepEqual([...fake.names(), ...ppc.fake.names(), ...bsd.names()], []);
  });
});

describe("watches over a fake macOS", () => {
  test("an address watch: PF_ROUTE of every family, close-on-exec, no bind; an ifa_msghdr added", () => {
    const { fake, state, native, push, addresses } = kernel("darwin");
    const w = addresses();
    const fd = Number(w);
    // socket(PF_ROUTE 17, SOCK_RAW 3, 0), then ioctl(FIOCLEX = _IO('f', 1) 0x20006601).
    assert.deepEqual(state.sockets, [[fd, 17, 3, 0]]);
    const ioctl = fake.calls.find((c) => c.name === "ioctl")!;
    assert.deepEqual(ioctl.args.slice(0, 2), [fd, 0x20006601n]);
    assert.deepEqual(state.bound, []);
    state.ifaddrs = [...state.ifaddrs, { flags: 0x41, addr: in4("darwin", [192, 0, 2, 9]) }];
    push(fd, ifaMsg(0xc, 0x20, bsdSockaddr(16, 2, [0, 0, 192, 0, 2, 9])));
    assert.equal(native.changeSeen(w), 1);
  });

  test("a route watch: RTM_GET byte for byte, this process's reply; a neighbour's route looks at nothing", () => {
    const { fake, state, native, push, route } = kernel("darwin");
    const w = route(sockaddrIn([198, 51, 100, 1], 443));
    assert.ok(w >= 0n);
    const [query, bytes] = state.sent[0];
    // rt_msghdr { msglen 128; version 5; RTM_GET 4; flags RTF_UP|RTF_HOST 5; addrs RTA_DST|RTA_IFP
    // 0x11; seq 1 }, sockaddr_in { sa_len 16; AF_INET 2; port 0; 198.51.100.1 }, sockaddr_dl
    // { sdl_len 20; AF_LINK 18 }.
    assert.deepEqual(bytes, [
      ...le(92, [0, 2, 128], [2, 1, 5], [3, 1, 4], [8, 4, 5], [12, 4, 0x11], [20, 4, 1]),
      16,
      2,
      0,
      0,
      198,
      51,
      100,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      20,
      18,
      ...new Array(18).fill(0),
    ]);
    assert.ok(fake.names().includes("getpid"));
    assert.ok(state.closed.includes(query));
    const fd = Number(w);
    push(fd, rtMsg(1, { flags: 0x400, addrs: 1 }, bsdSockaddr(16, 2)));
    assert.equal(native.changeSeen(w), 0);
    assert.equal(state.sent.length, 1, "an ARP entry asks nothing");
    push(fd, rtMsg(1, { addrs: 1 }, bsdSockaddr(16, 2)));
    assert.equal(native.changeSeen(w), 0);
    assert.equal(state.sent.length, 2, "a route looked again");
    state.oif = 5;
    push(fd, rtMsg(3, { addrs: 1 }, bsdSockaddr(16, 2)));
    assert.equal(native.changeSeen(w), 1);
  });
});

describe("the Linux netlink numbers against this machine's C headers", {
  skip: process.platform !== "linux" && "Linux headers: run on Linux",
}, () => {
  test("AF_NETLINK, RTMGRP_*, RTM_*, the structs' sizes and offsets", (t) => {
    const facts: [string, number][] = [
      ["AF_NETLINK", 16],
      ["NETLINK_ROUTE", 0],
      ["SOCK_RAW", 3],
      ["SOCK_CLOEXEC", 0x80000],
      ["RTMGRP_IPV4_IFADDR", 0x10],
      ["RTMGRP_IPV4_ROUTE", 0x40],
      ["RTMGRP_IPV6_IFADDR", 0x100],
      ["RTMGRP_IPV6_ROUTE", 0x400],
      ["RTM_NEWADDR", 20],
      ["RTM_DELADDR", 21],
      ["RTM_NEWROUTE", 24],
      ["RTM_DELROUTE", 25],
      ["RTM_GETROUTE", 26],
      ["NLMSG_ERROR", 2],
      ["NLM_F_REQUEST", 1],
      ["RTA_DST", 1],
      ["RTA_OIF", 4],
      ["AF_INET6", 10],
      ["sizeof(struct sockaddr_nl)", 12],
      ["offsetof(struct sockaddr_nl, nl_groups)", 8],
      ["sizeof(struct nlmsghdr)", 16],
      ["offsetof(struct nlmsghdr, nlmsg_type)", 4],
      ["offsetof(struct nlmsghdr, nlmsg_seq)", 8],
      ["sizeof(struct rtmsg)", 12],
      ["offsetof(struct rtmsg, rtm_dst_len)", 1],
      ["sizeof(struct ifaddrmsg)", 8],
      ["offsetof(struct ifaddrmsg, ifa_family)", 0],
      ["sizeof(struct rtattr)", 4],
      ["offsetof(struct nlmsgerr, error)", 0],
      ["NLMSG_ALIGN(21)", 24],
    ];
    assertCompiles(
      t,
      [
        "#include <stddef.h>",
        "#include <sys/socket.h>",
        "#include <linux/netlink.h>",
        "#include <linux/rtnetlink.h>",
        ...facts.map(([c, v], i) => `_Static_assert(${c} == ${v}, "fact ${i}: ${c}");`),
        "",
      ].join("\n"),
    );
  });
});
