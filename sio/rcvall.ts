/**
 * Packet capture on raw sockets, typed: {@link setReceiveAll} (SIO_RCVALL: every IPv4 or IPv6
 * packet through one interface), {@link setReceiveAllMulticast} (SIO_RCVALL_MCAST: every
 * multicast datagram) and {@link setReceiveAllIgmp} (SIO_RCVALL_IGMPMCAST: IGMP only). Each takes
 * an `RCVALL_VALUE` (4 bytes) and returns nothing. Windows only: elsewhere they throw
 * `UnsupportedError` naming the call.
 *
 * What Windows needs before any of them succeeds (from the reference):
 * - the process runs as **Administrator** (otherwise WSAEACCES, 10013);
 * - the socket is a **raw** socket of the right protocol — SIO_RCVALL: AF_INET with IPPROTO_IP
 *   (0) or AF_INET6 with IPPROTO_IPV6 (41); SIO_RCVALL_MCAST: AF_INET with IPPROTO_UDP (17);
 *   SIO_RCVALL_IGMPMCAST: AF_INET with IPPROTO_IGMP (2);
 * - the socket is **bound to an explicit local address** first, never INADDR_ANY or
 *   in6addr_any (SIO_RCVALL_MCAST: port 0).
 * When Windows refuses with WSAEACCES or WSAEINVAL, the error's message names the precondition
 * that is likely missing.
 *
 * @example
 * ```ts
 * import { setReceiveAll, Socket } from "@x/wsioctl";
 * // Windows, as Administrator: every IPv4 packet through the interface of `localAddress`.
 * export function openCapture(localAddress: string): Socket {
 *   const s = Socket.open("inet", "raw", 0); // IPPROTO_IP
 *   s.bind(localAddress, 0); // an explicit interface, not 0.0.0.0
 *   setReceiveAll(s, "on");
 *   return s;
 * }
 * ```
 *
 * @module
 */

import { SIO_RCVALL, SIO_RCVALL_IGMPMCAST, SIO_RCVALL_MCAST } from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import { RCVALL_VALUE, RcvallValue } from "../structs/mod.ts";
import { checkEnum } from "../_validate.ts";
import { ownBytes, type SocketRef } from "./_shared.ts";

const ADMINISTRATOR = "run the process as Administrator (elevated)";
const BOUND = "bound to an explicit local address (not INADDR_ANY / in6addr_any) before the call";

/** The hints of one of the three codes: `socket` says which raw socket it needs. */
function hints(ioctl: string, socket: string): Readonly<Record<number, string>> {
  return Object.freeze({
    10013: `${ioctl} needs Administrator privileges: ${ADMINISTRATOR}`,
    10022: `${ioctl} needs ${socket}, ${BOUND}`,
    10042: `${ioctl} needs ${socket}`,
  });
}

const RECEIVE_ALL: TypedCall = {
  name: "setReceiveAll",
  hints: hints(
    "SIO_RCVALL",
    "a raw socket (AF_INET with IPPROTO_IP, or AF_INET6 with IPPROTO_IPV6)",
  ),
};
const RECEIVE_ALL_MULTICAST: TypedCall = {
  name: "setReceiveAllMulticast",
  hints: hints("SIO_RCVALL_MCAST", "a raw AF_INET socket with IPPROTO_UDP"),
};
const RECEIVE_ALL_IGMP: TypedCall = {
  name: "setReceiveAllIgmp",
  hints: hints("SIO_RCVALL_IGMPMCAST", "a raw AF_INET socket with IPPROTO_IGMP"),
};

/** The modes of {@link setReceiveAll} and their `RCVALL_VALUE`. */
const MODES: Readonly<Record<string, number>> = Object.freeze({
  off: RCVALL_VALUE.RCVALL_OFF,
  on: RCVALL_VALUE.RCVALL_ON,
  socketLevelOnly: RCVALL_VALUE.RCVALL_SOCKETLEVELONLY,
  ipLevel: RCVALL_VALUE.RCVALL_IPLEVEL,
});

/** The modes of the multicast and IGMP codes. */
const ON_OFF: Readonly<Record<string, number>> = Object.freeze({
  off: RCVALL_VALUE.RCVALL_OFF,
  on: RCVALL_VALUE.RCVALL_ON,
});

// The input, allocated once (JavaScript runs one call at a time).
const valueIn = RcvallValue.alloc();
const valueBytes = ownBytes(valueIn);

/** Validates `mode` against `table`, then hands `code` its RCVALL_VALUE. */
function setMode(
  s: SocketRef,
  mode: unknown,
  table: Readonly<Record<string, number>>,
  code: number,
  call: TypedCall,
): void {
  const value = checkEnum(mode, "mode", table);
  const h = socketHandle(s, call.name);
  valueIn.value = value;
  _ioctlOwned(h, code, valueBytes, RcvallValue.SIZE, null, 0, call);
}

/**
 * Receives every IPv4 or IPv6 packet passing through the socket's interface, or stops
 * (SIO_RCVALL, an `RCVALL_VALUE`). Windows 2000 and later; off Windows it throws
 * {@link UnsupportedError}.
 *
 * The modes (`RCVALL_VALUE`, mstcpip.h):
 * - `"off"` (RCVALL_OFF 0): stop receiving everything.
 * - `"on"` (RCVALL_ON 1): every IPv4 (or IPv6) packet of the interface, with the network card
 *   in promiscuous mode where it supports it (on a shared segment: other hosts' traffic too).
 *   ARP and other non-IP frames are not captured.
 * - `"socketLevelOnly"` (RCVALL_SOCKETLEVELONLY 2): documented as not implemented; setting it
 *   has no effect.
 * - `"ipLevel"` (RCVALL_IPLEVEL 3): every IP packet the card itself accepts (its own unicast
 *   and multicast addresses), without promiscuous mode.
 * Since Windows 7, packets sent out of the interface are captured too. Moving a capture to
 * another interface takes `"off"` on the first one, then `"on"` on the next.
 *
 * Preconditions (from the reference): Administrator; a raw socket — `Socket.open("inet",
 * "raw", 0)` (IPPROTO_IP) or `Socket.open("inet6", "raw", 41)` (IPPROTO_IPV6); bound to an
 * explicit local address first (not `0.0.0.0` or `::`). WSAEACCES (10013) and WSAEINVAL (10022)
 * from Windows carry a hint naming them.
 *
 * Platforms: Windows; Linux (unsupported; instead: an AF_PACKET socket receives every packet, with
 * CAP_NET_RAW); macOS (unsupported; instead: a BPF device (/dev/bpf*) receives every packet).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a bound raw socket.
 * @param mode `"off"`, `"on"`, `"socketLevelOnly"` or `"ipLevel"`.
 * @throws {TypeError} when `mode` is not a string, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `mode` is not one of the four names, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAEACCES without Administrator, WSAEINVAL on
 * a socket of the wrong kind or not bound to an interface).
 * @example
 * ```ts
 * import { setReceiveAll, Socket } from "@x/wsioctl";
 * export function captureIpLevel(localAddress: string): Socket {
 *   const s = Socket.open("inet", "raw", 0);
 *   s.bind(localAddress, 0);
 *   setReceiveAll(s, "ipLevel"); // no promiscuous mode
 *   return s;
 * }
 * ```
 */
export function setReceiveAll(
  s: SocketRef,
  mode: "off" | "on" | "socketLevelOnly" | "ipLevel",
): void {
  setMode(s, mode, MODES, SIO_RCVALL, RECEIVE_ALL);
}

/**
 * Receives every multicast IP datagram (224.0.0.0–239.255.255.255) passing through the socket's
 * interface, or stops (SIO_RCVALL_MCAST, an `RCVALL_VALUE`: RCVALL_OFF 0 or RCVALL_ON 1).
 * Windows 2000 and later; off Windows it throws {@link UnsupportedError}.
 *
 * Preconditions (from the reference): Administrator; a raw AF_INET socket with IPPROTO_UDP —
 * `Socket.open("inet", "raw", 17)`; bound to an explicit local address with port 0 first.
 * Receive with a buffer large enough for a whole datagram.
 *
 * Platforms: Windows; Linux (unsupported; instead: an AF_PACKET socket receives every packet, with
 * CAP_NET_RAW); macOS (unsupported; instead: a BPF device (/dev/bpf*) receives every packet).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a bound raw UDP socket.
 * @param mode `"off"` or `"on"`.
 * @throws {TypeError} when `mode` is not a string, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `mode` is neither name, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAEACCES without Administrator, WSAEINVAL on
 * a socket of the wrong kind or not bound to an interface).
 * @example
 * ```ts
 * import { setReceiveAllMulticast, Socket } from "@x/wsioctl";
 * export function captureMulticast(localAddress: string): Socket {
 *   const s = Socket.open("inet", "raw", 17); // IPPROTO_UDP
 *   s.bind(localAddress, 0);
 *   setReceiveAllMulticast(s, "on");
 *   return s;
 * }
 * ```
 */
export function setReceiveAllMulticast(s: SocketRef, mode: "off" | "on"): void {
  setMode(s, mode, ON_OFF, SIO_RCVALL_MCAST, RECEIVE_ALL_MULTICAST);
}

/**
 * Receives every IGMP datagram passing through the socket's interface, and no other multicast
 * traffic, or stops (SIO_RCVALL_IGMPMCAST, an `RCVALL_VALUE`: RCVALL_OFF 0 or RCVALL_ON 1).
 * Windows 2000 and later; off Windows it throws {@link UnsupportedError}.
 *
 * Preconditions (from the reference): Administrator; a raw AF_INET socket with IPPROTO_IGMP —
 * `Socket.open("inet", "raw", 2)`; bound to an explicit local address first.
 *
 * Platforms: Windows; Linux (unsupported; instead: an AF_PACKET socket receives every packet, with
 * CAP_NET_RAW); macOS (unsupported; instead: a BPF device (/dev/bpf*) receives every packet).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a bound raw IGMP socket.
 * @param mode `"off"` or `"on"`.
 * @throws {TypeError} when `mode` is not a string, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `mode` is neither name, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAEACCES without Administrator, WSAEINVAL on
 * a socket of the wrong kind or not bound to an interface).
 * @example
 * ```ts
 * import { setReceiveAllIgmp, Socket } from "@x/wsioctl";
 * export function captureIgmp(localAddress: string): Socket {
 *   const s = Socket.open("inet", "raw", 2); // IPPROTO_IGMP
 *   s.bind(localAddress, 0);
 *   setReceiveAllIgmp(s, "on");
 *   return s;
 * }
 * ```
 */
export function setReceiveAllIgmp(s: SocketRef, mode: "off" | "on"): void {
  setMode(s, mode, ON_OFF, SIO_RCVALL_IGMPMCAST, RECEIVE_ALL_IGMP);
}
