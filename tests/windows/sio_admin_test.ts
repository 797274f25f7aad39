// The typed calls of sio/rcvall.ts, sio/ports.ts, sio/rss.ts and sio/companion.ts on real Winsock,
// under Windows Deno and Bun (Wine 10 in the bed). Every call runs on a real socket of the kind the
// reference asks for; Wine 10 implements none of these codes ("fixme:winsock:WSAIoctl unimplemented
// ioctl" for each, seen with WINEDEBUG=+winsock) and answers WSAEOPNOTSUPP: asserted exactly, as a
// WinsockError carrying the typed call and the IOCTL, with the socket still usable afterwards.
//
// Raw sockets: the bed runs Wine as root, so raw IPPROTO_UDP, IPPROTO_IGMP and IPv6 IPPROTO_IPV6
// sockets open; a raw IPv4 IPPROTO_IP socket does not (Wine maps it to a Linux raw socket with
// protocol 0, which Linux refuses: WSAEPROTONOSUPPORT). SIO_RCVALL therefore runs on the raw IPv6
// socket (one the reference names) and on the raw UDP one. Without the privilege (WSAEACCES when
// opening), the calls fall back to an unprivileged datagram socket: Wine's answer to the code is the
// same on every socket.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../../errors.ts";
import { nativeApi } from "../../ffi/select.ts";
import { Socket } from "../../socket.ts";
import * as sio from "../../sio/mod.ts";
import { tcpPair } from "../_helpers/pair.ts";
import { assertTypedRefusal, assertWinsock } from "../_helpers/winsock.ts";

const native = nativeApi();
const onlyWine = native.wine ? false : "Wine's answers; Windows itself implements these codes";

/** Asserts Wine's WSAEOPNOTSUPP (10045) for the typed call `typedCall` running `ioctl`. */
function rejected(fn: () => unknown, typedCall: string, ioctl: string): WinsockError {
  return assertTypedRefusal(fn, { typedCall, ioctl, name: "WSAEOPNOTSUPP", code: 10045 });
}

/**
 * A raw socket of `family`/`protocol` bound to the loopback address, or, when opening it needs a
 * privilege this process lacks (WSAEACCES), a datagram socket bound there.
 */
function rawBound(family: "inet" | "inet6", protocol: number): Socket {
  const host = family === "inet" ? "127.0.0.1" : "::1";
  let s: Socket;
  try {
    s = Socket.open(family, "raw", protocol);
  } catch (e) {
    if (!(e instanceof WinsockError && e.name === "WSAEACCES")) throw e;
    console.log(`raw ${family}/${protocol} refused (WSAEACCES): falling back to a datagram socket`);
    s = Socket.open(family, "dgram");
  }
  s.bind(host, 0);
  return s;
}

const MODES = ["off", "on", "socketLevelOnly", "ipLevel"] as const;

describe(`sio rcvall on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, {
  skip: onlyWine,
}, () => {
  test("a raw IPv4 IPPROTO_IP socket does not open under Wine: WSAEPROTONOSUPPORT", () => {
    const e = assertWinsock(() => Socket.open("inet", "raw", 0), "WSAEPROTONOSUPPORT");
    assert.equal(e.code, 10043);
  });

  test("setReceiveAll: every mode rejected on a raw IPv6 (IPPROTO_IPV6) socket bound to ::1", () => {
    using s = rawBound("inet6", 41);
    for (const mode of MODES) {
      rejected(() => sio.setReceiveAll(s, mode), "setReceiveAll", "SIO_RCVALL");
    }
    assert.equal(s.localAddress().address, "::1", "the socket is untouched");
  });

  test("setReceiveAll and setReceiveAllMulticast rejected on a raw IPPROTO_UDP socket on 127.0.0.1:0", () => {
    using s = rawBound("inet", 17);
    for (const mode of MODES) {
      rejected(() => sio.setReceiveAll(s, mode), "setReceiveAll", "SIO_RCVALL");
    }
    for (const mode of ["on", "off"] as const) {
      rejected(
        () => sio.setReceiveAllMulticast(s, mode),
        "setReceiveAllMulticast",
        "SIO_RCVALL_MCAST",
      );
    }
    assert.equal(s.localAddress().address, "127.0.0.1");
  });

  test("setReceiveAllIgmp rejected on a raw IPPROTO_IGMP socket bound to 127.0.0.1", () => {
    using s = rawBound("inet", 2);
    for (const mode of ["on", "off"] as const) {
      rejected(() => sio.setReceiveAllIgmp(s, mode), "setReceiveAllIgmp", "SIO_RCVALL_IGMPMCAST");
    }
    assert.equal(s.localAddress().address, "127.0.0.1");
  });

  test("the same answer before bind and on ordinary sockets: Wine checks no precondition", () => {
    using raw = Socket.open("inet", "raw", 17);
    using udp = Socket.open("inet", "dgram");
    using tcp = Socket.open("inet", "stream");
    for (const s of [raw, udp, tcp]) {
      rejected(() => sio.setReceiveAll(s, "on"), "setReceiveAll", "SIO_RCVALL");
      rejected(
        () => sio.setReceiveAllMulticast(s, "on"),
        "setReceiveAllMulticast",
        "SIO_RCVALL_MCAST",
      );
      rejected(() => sio.setReceiveAllIgmp(s, "on"), "setReceiveAllIgmp", "SIO_RCVALL_IGMPMCAST");
    }
  });
});

describe(`sio ports on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, {
  skip: onlyWine,
}, () => {
  for (const type of ["stream", "dgram"] as const) {
    test(`${type}: SIO_ACQUIRE, _RELEASE and _ASSOCIATE_PORT_RESERVATION rejected; bind still works`, () => {
      using s = Socket.open("inet", type);
      const acquire = "SIO_ACQUIRE_PORT_RESERVATION";
      for (const startPort of [0, 5000]) {
        const e = rejected(
          () => sio.acquirePortReservation(s, { startPort, count: 4 }),
          "acquirePortReservation",
          acquire,
        );
        // WSAEOPNOTSUPP is also Windows' answer on a socket neither TCP nor UDP: the hint says so.
        assert.match(e.message, /\(SIO_ACQUIRE_PORT_RESERVATION works on TCP and UDP sockets only/);
      }
      rejected(() => sio.reservePorts(s, { count: 2 }), "reservePorts", acquire);
      rejected(
        () => sio.releasePortReservation(s, 1n),
        "releasePortReservation",
        "SIO_RELEASE_PORT_RESERVATION",
      );
      // Where the reference puts it: before bind.
      rejected(
        () => sio.associatePortReservation(s, 1n),
        "associatePortReservation",
        "SIO_ASSOCIATE_PORT_RESERVATION",
      );
      s.bind("127.0.0.1", 0);
      assert.ok(s.localAddress().port > 0);
    });
  }
});

describe(`sio rss on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, {
  skip: onlyWine,
}, () => {
  test("rssProcessorInfo rejected on a connected TCP pair and a connected UDP socket", () => {
    using pair = tcpPair();
    using udp = Socket.open("inet", "dgram");
    udp.bind("127.0.0.1", 0);
    udp.connect("127.0.0.1", udp.localAddress().port);
    for (const s of [pair.client, pair.peer, udp]) {
      rejected(() => sio.rssProcessorInfo(s), "rssProcessorInfo", "SIO_QUERY_RSS_PROCESSOR_INFO");
    }
  });

  test("rssScalabilityInfo rejected on TCP and UDP sockets", () => {
    using tcp = Socket.open("inet", "stream");
    using udp = Socket.open("inet", "dgram");
    for (const s of [tcp, udp, tcp.handle]) {
      rejected(
        () => sio.rssScalabilityInfo(s),
        "rssScalabilityInfo",
        "SIO_QUERY_RSS_SCALABILITY_INFO",
      );
    }
  });
});

describe(`sio companion on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, {
  skip: onlyWine,
}, () => {
  test("associateHandle and translateHandle rejected for netdev, tapi and another constant", () => {
    using tcp = Socket.open("inet", "stream");
    using udp = Socket.open("inet", "dgram");
    for (const s of [tcp, udp]) {
      for (const api of ["netdev", "tapi", 7] as const) {
        rejected(
          () => sio.associateHandle(s, { api, handle: 1n, extra: new Uint8Array([1, 2, 3]) }),
          "associateHandle",
          "SIO_ASSOCIATE_HANDLE",
        );
        rejected(
          () => sio.associateHandle(s, { api, handle: 1n }),
          "associateHandle",
          "SIO_ASSOCIATE_HANDLE",
        );
        rejected(() => sio.translateHandle(s, api), "translateHandle", "SIO_TRANSLATE_HANDLE");
      }
    }
    assert.equal(tcp.getOption("type"), "stream", "the sockets are untouched");
    assert.equal(sio.bytesAvailable(udp), 0);
  });
});
