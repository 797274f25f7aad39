/**
 * Routes and per-socket transport switches: which local address reaches a destination
 * ({@link routingInterface}, SIO_ROUTING_INTERFACE_QUERY), the broadcast address
 * ({@link broadcastAddress}), route discovery ({@link findRoute}), the send queue
 * ({@link flush}), circular queueing ({@link enableCircularQueueing}) and the multicast scope
 * and loopback ({@link setMulticastScope}, {@link setMultipointLoopback}). Off Windows the
 * routing query, the broadcast address and the multicast scope and loopback run too (Linux and
 * macOS); route discovery, flush and circular queueing throw `UnsupportedError` naming the call.
 *
 * @example
 * ```ts
 * import { routingInterface, Socket } from "@x/wsioctl";
 * export function sourceAddressFor(host: string): string {
 *   using s = Socket.open("inet", "dgram");
 *   return routingInterface(s, host).address;
 * }
 * ```
 *
 * @module
 */

import {
  SIO_ENABLE_CIRCULAR_QUEUEING,
  SIO_FIND_ROUTE,
  SIO_FLUSH,
  SIO_GET_BROADCAST_ADDRESS,
  SIO_MULTICAST_SCOPE,
  SIO_MULTIPOINT_LOOPBACK,
  SIO_ROUTING_INTERFACE_QUERY,
} from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import { Socket } from "../socket.ts";
import {
  parseAddress,
  readSocketAddress,
  SockaddrStorage,
  type SocketAddress,
  type SocketFamily,
} from "../structs/mod.ts";
import { shapeOf } from "../_runtime_shapes.ts";
import { checkBoolean, checkInteger, describe } from "../_validate.ts";
import { writeAddress } from "../_socket_args.ts";
import { in4, in4View, ownBytes, type SocketRef } from "./_shared.ts";
import { parsedAnswer } from "./interfaces.ts";

const ROUTING_INTERFACE: TypedCall = {
  name: "routingInterface",
  hints: {
    10022: "the destination must be one address: the unspecified 0.0.0.0 and :: route nowhere",
    10047: "the destination is not of the socket's address family, or the provider does not " +
      "route that family",
    10050: "the network is down",
    10051: "no local interface reaches this address",
  },
};
const BROADCAST_ADDRESS: TypedCall = {
  name: "broadcastAddress",
  hints: {
    10022: "SIO_GET_BROADCAST_ADDRESS needs a datagram socket",
    10042: "SIO_GET_BROADCAST_ADDRESS exists for IPv4 sockets only",
  },
};
const FIND_ROUTE: TypedCall = { name: "findRoute" };
const FLUSH: TypedCall = {
  name: "flush",
  hints: { 10042: "the socket's provider cannot discard its send queue" },
};
const CIRCULAR_QUEUEING: TypedCall = {
  name: "enableCircularQueueing",
  hints: {
    10042: "circular queueing needs an unreliable, message-oriented (datagram) socket whose " +
      "provider offers it",
  },
};
const MULTICAST_SCOPE: TypedCall = { name: "setMulticastScope" };
const MULTIPOINT_LOOPBACK: TypedCall = { name: "setMultipointLoopback" };

// The sockaddr answer, allocated once: a SOCKADDR_STORAGE has room for any family.
const answer = SockaddrStorage.alloc();
const answerBytes = ownBytes(answer);

/**
 * The address family of `s` where it is known without a native call: a Socket's own, or the
 * family of the local address a runtime socket reports (an IPv6 socket reports IPv6 text, IPv4
 * peers included as `::ffff:a.b.c.d`, in Deno, Bun and Node alike). Undefined for a raw handle,
 * an unbound runtime socket, or one that reports a host name.
 */
function knownFamily(s: SocketRef): SocketFamily | undefined {
  if (s instanceof Socket) return s.family;
  if (typeof s !== "object" || s === null) return undefined;
  const text = shapeOf(s)?.local(s as unknown as Record<PropertyKey, unknown>)?.address;
  if (typeof text !== "string") return undefined;
  const pct = text.indexOf("%");
  try {
    return parseAddress(pct < 0 ? text : text.slice(0, pct)).family;
  } catch {
    return undefined;
  }
}

/**
 * Internal, shared with the change notifications: checks `address`/`port` and returns the
 * sockaddr (16 bytes for IPv4, 28 for IPv6) in a buffer of its own: the handle is resolved
 * after this, and a runtime socket's getters may meanwhile run another call that reuses the
 * library's scratch address. The family comes from the text and must be the socket's own when
 * known without a native call (a Socket, or a runtime socket's reported local address; not a raw
 * handle).
 *
 * @param s The socket.
 * @param address The address text.
 * @param port The port.
 * @param portName The port parameter's name in errors.
 * @returns The sockaddr's bytes.
 * @throws {TypeError} on text that is not an address, or of the other family.
 * @throws {RangeError} on a port outside 0..65535.
 */
export function destination(
  s: SocketRef,
  address: unknown,
  port: unknown,
  portName = "port",
): Uint8Array {
  checkInteger(port, portName, 0, 0xffff);
  const family = typeof address === "string" && address.includes(":") ? "inet6" : "inet";
  const bytes = writeAddress(family, address, port);
  const own = knownFamily(s);
  if (own !== undefined && own !== family) {
    throw new TypeError(
      `address ${describe(address)} is ${family === "inet" ? "IPv4" : "IPv6"}; the socket is ` +
        `"${own}"${own === "inet6" ? " (write an IPv4 destination as ::ffff:a.b.c.d)" : ""}`,
    );
  }
  return bytes.slice();
}

/**
 * Internal, shared with the change notifications: SIO_ROUTING_INTERFACE_QUERY for a sockaddr
 * already written, errors named after `call`.
 *
 * @param h The handle.
 * @param input The sockaddr (16 or 28 bytes).
 * @param call The typed call the errors name.
 * @returns The local address.
 */
export function queryRoutingInterface(
  h: bigint,
  input: Uint8Array,
  call: TypedCall,
): SocketAddress {
  return sockaddrAnswer(h, SIO_ROUTING_INTERFACE_QUERY, input, call);
}

/** Runs `code` with the sockaddr answer as its output, and reads it back. */
function sockaddrAnswer(
  h: bigint,
  code: number,
  input: Uint8Array | null,
  call: TypedCall,
): SocketAddress {
  answerBytes.fill(0);
  const size = SockaddrStorage.SIZE;
  const r = _ioctlOwned(h, code, input, input === null ? 0 : input.length, answerBytes, size, call);
  return parsedAnswer(call, code, () => readSocketAddress(answer.view, 0, r));
}

/**
 * The local address Windows would send from to reach `address` (SIO_ROUTING_INTERFACE_QUERY:
 * a `sockaddr_in` / `sockaddr_in6` in, the local interface's sockaddr out), usable in a
 * later `bind`. A multicast destination gives the preferred interface for multicast. Windows
 * 2000 and later. On Linux and macOS the answer is the local address of a UDP socket connected
 * to the destination (nothing is sent), the route the platform's own tables give.
 *
 * For `127.0.0.1` Windows answers `127.0.0.1`; Wine answers the host's primary address
 * instead, and answers IPv4 only (WSAEAFNOSUPPORT on an IPv6 socket). The unspecified address
 * (`0.0.0.0`, `::`) is refused with WSAEINVAL (Wine routes `0.0.0.0` to its primary address).
 * Routes change: follow them with `routingInterfaceChange` / `routingInterfaceChanges`.
 *
 * Platforms: Windows; Linux and macOS (emulated: the local address of a UDP socket connected to the
 * destination (nothing is sent)).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket. An IPv6 socket takes
 * IPv6 destinations (an IPv4 one as `::ffff:a.b.c.d`).
 * @param address The destination, as text: IPv4, or IPv6 with an optional `%scope`.
 * @param port The destination port (0..65535), default 0.
 * @returns The local address (its port as Windows wrote it, normally 0).
 * @throws {TypeError} when `address` is not an address, or of another family than the
 * socket's — a Socket's, or the one a runtime socket's local address shows; a raw handle takes
 * either, and the native layer answers WSAEAFNOSUPPORT for the other — before any native call;
 * when `port` is not an integer; when `s` is neither a Socket, a bigint nor a runtime socket.
 * @throws {RangeError} when `port` is outside 0..65535 or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a CPU whose `struct ifaddrs` layout is not verified.
 * @throws {WinsockError} when Winsock refuses (WSAENETUNREACH when no interface reaches the
 * address, WSAENETDOWN, WSAEINVAL for the unspecified address).
 * @throws {Error} when the answer is not an IPv4 or IPv6 sockaddr.
 * @example
 * ```ts
 * import { routingInterface, Socket } from "@x/wsioctl";
 * export function bindTowards(s: Socket, host: string, port: number): void {
 *   s.bind(routingInterface(s, host, port).address, 0);
 * }
 * ```
 */
export function routingInterface(s: SocketRef, address: string, port = 0): SocketAddress {
  const input = destination(s, address, port);
  const h = socketHandle(s, ROUTING_INTERFACE.name);
  return queryRoutingInterface(h, input, ROUTING_INTERFACE);
}

/**
 * A broadcast address for `sendTo` on this socket (SIO_GET_BROADCAST_ADDRESS: a sockaddr out).
 * Windows' TCP/IP provider answers the limited broadcast address, 255.255.255.255 (port 0), not
 * an interface's subnet broadcast (`interfaceList` has those). IPv4 datagram sockets only: an
 * IPv6 socket is refused with WSAENOPROTOOPT, a socket of another type with WSAEINVAL. Windows
 * 2000 and later (Wine 10 refuses the code with WSAEOPNOTSUPP); Linux and macOS give Windows'
 * answer and refusals.
 *
 * Platforms: Windows; Linux and macOS (emulated: 255.255.255.255, Windows' answer (IPv4 datagram
 * sockets)).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: an IPv4 datagram socket.
 * @returns The broadcast address.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT on IPv6, WSAEINVAL on a stream
 * socket).
 * @throws {Error} when the answer is not an IPv4 or IPv6 sockaddr.
 * @example
 * ```ts
 * import { broadcastAddress, Socket } from "@x/wsioctl";
 * export function announce(s: Socket, data: Uint8Array, port: number): void {
 *   s.setOption("broadcast", true);
 *   s.sendTo(data, broadcastAddress(s).address, port);
 * }
 * ```
 */
export function broadcastAddress(s: SocketRef): SocketAddress {
  const h = socketHandle(s, BROADCAST_ADDRESS.name);
  return sockaddrAnswer(h, SIO_GET_BROADCAST_ADDRESS, null, BROADCAST_ADDRESS);
}

/**
 * Asks the provider to discover the route to `address` (SIO_FIND_ROUTE: a sockaddr in, nothing
 * out); a cached route is invalidated first. Windows 2000 and later, where a provider
 * implements it (it dates from IPX); off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param address The remote address, as text, of the socket's family.
 * @param port The remote port (0..65535), default 0.
 * @throws {TypeError} when `address` is not an address, or of another family than the Socket's;
 * when `port` is not an integer; when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `port` is outside 0..65535 or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (its TCP/IP provider does not implement it).
 * @example
 * ```ts
 * import { findRoute, Socket } from "@x/wsioctl";
 * export function refreshRoute(s: Socket, host: string): void {
 *   findRoute(s, host);
 * }
 * ```
 */
export function findRoute(s: SocketRef, address: string, port = 0): void {
  const input = destination(s, address, port);
  const h = socketHandle(s, FIND_ROUTE.name);
  _ioctlOwned(h, SIO_FIND_ROUTE, input, input.length, null, 0, FIND_ROUTE);
}

/**
 * Discards what is waiting in the socket's send queue (SIO_FLUSH, no buffers). Windows 2000 and
 * later, where the provider supports it (WSAENOPROTOOPT otherwise); off Windows it throws
 * {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT).
 * @example
 * ```ts
 * import { flush, Socket } from "@x/wsioctl";
 * export function dropQueued(s: Socket): void {
 *   flush(s);
 * }
 * ```
 */
export function flush(s: SocketRef): void {
  const h = socketHandle(s, FLUSH.name);
  _ioctlOwned(h, SIO_FLUSH, null, 0, null, 0, FLUSH);
}

/**
 * Makes a full receive queue drop its oldest message for a new one, instead of the new one
 * (SIO_ENABLE_CIRCULAR_QUEUEING, no buffers). Only for unreliable, message-oriented sockets
 * (UDP), and only where the provider offers it (WSAENOPROTOOPT otherwise). Windows 2000 and
 * later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a datagram socket.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT).
 * @example
 * ```ts
 * import { enableCircularQueueing, Socket } from "@x/wsioctl";
 * export function keepNewest(s: Socket): void {
 *   enableCircularQueueing(s);
 * }
 * ```
 */
export function enableCircularQueueing(s: SocketRef): void {
  const h = socketHandle(s, CIRCULAR_QUEUEING.name);
  _ioctlOwned(h, SIO_ENABLE_CIRCULAR_QUEUEING, null, 0, null, 0, CIRCULAR_QUEUEING);
}

/**
 * How many routed network segments the socket's multicast data may cross (SIO_MULTICAST_SCOPE,
 * an `int`): 0 keeps it on this host, 1 (the default) on the local link, more crosses that many
 * routers — the IP time-to-live. Windows 2000 and later (Wine 10 refuses it with
 * WSAEOPNOTSUPP). On Linux and macOS it is the same setting under its socket-option name:
 * IP_MULTICAST_TTL on an IPv4 socket, IPV6_MULTICAST_HOPS on an IPv6 one (IPv4 multicast sent
 * through a dual-stack IPv6 socket keeps the IPv4 setting there).
 *
 * Platforms: Windows; Linux and macOS (emulated: IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a multicast (datagram)
 * socket.
 * @param scope The scope, 0..255 (an IP TTL).
 * @throws {TypeError} when `scope` is not an integer, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when `scope` is outside 0..255, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a system whose option numbers are not verified (not Windows,
 * Linux or macOS).
 * @throws {WinsockError} when Winsock refuses.
 * @example
 * ```ts
 * import { setMulticastScope, Socket } from "@x/wsioctl";
 * export function siteLocal(s: Socket): void {
 *   setMulticastScope(s, 32);
 * }
 * ```
 */
export function setMulticastScope(s: SocketRef, scope: number): void {
  const n = checkInteger(scope, "scope", 0, 0xff);
  const h = socketHandle(s, MULTICAST_SCOPE.name);
  in4View.setInt32(0, n, true);
  _ioctlOwned(h, SIO_MULTICAST_SCOPE, in4, 4, null, 0, MULTICAST_SCOPE);
}

/**
 * Whether multicast data sent from this computer (by any socket) reaches sockets here that
 * joined the group (SIO_MULTIPOINT_LOOPBACK, a `BOOL`); on by default. Windows 2000 and later
 * (Wine 10 refuses it with WSAEOPNOTSUPP). On Linux and macOS it is IP_MULTICAST_LOOP on an
 * IPv4 socket, IPV6_MULTICAST_LOOP on an IPv6 one. Mind which end it acts on: Windows applies
 * the setting to the socket that receives, Linux and macOS to the socket that sends. Code meant
 * for both sets it on the sender and on the receivers.
 *
 * Platforms: Windows; Linux and macOS (emulated: IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP, which act
 * on the sending socket).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a multicast (datagram)
 * socket.
 * @param enabled `true` to loop multicast back to local members, `false` not to.
 * @throws {TypeError} when `enabled` is not a boolean, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a system whose option numbers are not verified (not Windows,
 * Linux or macOS).
 * @throws {WinsockError} when Winsock refuses.
 * @example
 * ```ts
 * import { setMultipointLoopback, Socket } from "@x/wsioctl";
 * export function noEcho(s: Socket): void {
 *   setMultipointLoopback(s, false);
 * }
 * ```
 */
export function setMultipointLoopback(s: SocketRef, enabled: boolean): void {
  const on = checkBoolean(enabled, "enabled");
  const h = socketHandle(s, MULTIPOINT_LOOPBACK.name);
  in4View.setUint32(0, on ? 1 : 0, true);
  _ioctlOwned(h, SIO_MULTIPOINT_LOOPBACK, in4, 4, null, 0, MULTIPOINT_LOOPBACK);
}
