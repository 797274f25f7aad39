/**
 * Change notifications, as Promises and as async streams: {@link addressListChange}
 * (SIO_ADDRESS_LIST_CHANGE) and {@link routingInterfaceChange} (SIO_ROUTING_INTERFACE_CHANGE)
 * resolve once the local address list, or the route to a destination, changed;
 * {@link addressListChanges} and {@link routingInterfaceChanges} follow every change in a
 * `for await` loop and yield the new list / interface each time. The waits never block the
 * event loop: overlapped I/O on Windows; on Linux and macOS a routing socket of the library's
 * own (NETLINK_ROUTE, PF_ROUTE) per wait, looked at without blocking, a timer apart (at most
 * 50 ms), closed when the wait settles. Aborts, closing the socket and the iterators' rules are
 * the same everywhere. On other systems they fail with `UnsupportedError` naming the call.
 *
 * @example
 * ```ts
 * import { addressListChanges, Socket } from "@x/wsioctl";
 * export async function watchAddresses(signal: AbortSignal): Promise<void> {
 *   using s = Socket.open("inet6", "dgram");
 *   for await (const list of addressListChanges(s, { signal, initial: true })) {
 *     console.log(list.map((a) => a.address));
 *   }
 * }
 * ```
 *
 * @module
 */

import { SIO_ADDRESS_LIST_CHANGE, SIO_ROUTING_INTERFACE_CHANGE } from "../codes/mod.ts";
import { socketHandle, type TypedCall } from "../ioctl.ts";
import type { SocketAddress } from "../structs/mod.ts";
import { checkBoolean, checkObject, checkSignal } from "../_validate.ts";
import { armNotification, awaitNotification } from "./_async.ts";
import type { SocketRef } from "./_shared.ts";
import { readAddressList } from "./interfaces.ts";
import { ChangeStream } from "./_stream.ts";
import { destination, queryRoutingInterface } from "./routes.ts";

const ADDRESS_LIST_CHANGE: TypedCall = { name: "addressListChange" };
const ROUTING_INTERFACE_CHANGE: TypedCall = {
  name: "routingInterfaceChange",
  hints: { 10045: "this Winsock does not watch routes (Wine fails it at once)" },
};
const ADDRESS_LIST_CHANGES: TypedCall = { name: "addressListChanges" };
const ROUTING_INTERFACE_CHANGES: TypedCall = {
  name: "routingInterfaceChanges",
  hints: ROUTING_INTERFACE_CHANGE.hints,
};

/** Options of {@link addressListChange}. */
export interface ChangeOptions {
  /** Cancels the wait; the Promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of {@link routingInterfaceChange}. */
export interface RoutingChangeOptions extends ChangeOptions {
  /** The destination port (0..65535), default 0. */
  port?: number;
}

/** Options of {@link addressListChanges}. */
export interface ChangesOptions {
  /** Ends the iteration (cleanly: the loop just stops) and cancels the wait under way. */
  signal?: AbortSignal;
  /**
   * Yield the current value first, read after the first wait is armed, so that no change
   * between reading it and waiting is lost. Default `false`: only changes are yielded.
   */
  initial?: boolean;
}

/** Options of {@link routingInterfaceChanges}. */
export interface RoutingChangesOptions extends ChangesOptions {
  /** The destination port (0..65535), default 0. */
  port?: number;
}

/** Reads an options argument: undefined, or an object. */
function options(opts: unknown): Readonly<Record<string, unknown>> {
  return opts === undefined ? {} : checkObject(opts, "opts");
}

/**
 * Waits until the list of local addresses of the socket's family changes
 * (SIO_ADDRESS_LIST_CHANGE, overlapped, no buffers), without blocking the event loop; read
 * the new list with `addressList`. Windows 2000 and later; Linux and macOS. To follow every
 * change without missing one between two waits, use {@link addressListChanges}.
 *
 * On Linux (a NETLINK_ROUTE socket, the IPv4 and IPv6 address groups) and macOS (a PF_ROUTE
 * socket) it resolves when an address of the socket's family is removed, or one is added that
 * was not there when the wait began (loopback addresses count, as the kernel reports them; a
 * message that only refreshes an address, such as an IPv6 lifetime, does not). An address added
 * and removed again before the wait looks (it looks every 50 ms at most) is seen by its removal.
 *
 * Aborting `opts.signal` cancels the wait, waits until Windows has let go of it (Linux, macOS:
 * closes the routing socket at once), and rejects with the signal's reason. Closing the socket
 * settles a pending wait: with {@link SocketClosedError} when `s` is that Socket (a borrowed one
 * too, whose `close()` cancels this wait alone and leaves the handle's other I/O alone), with
 * {@link WinsockError} WSA_OPERATION_ABORTED (995) when `s` is a raw handle whose owning Socket
 * closes. Every failure is a rejection, bad arguments included; on a system without a routing
 * socket wsioctl knows it rejects with {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux (emulated: a NETLINK_ROUTE socket on the address groups, polled without
 * blocking: a removal of the family's address, or an addition that changes its address list); macOS
 * (emulated: a PF_ROUTE socket, polled without blocking: a removal of the family's address, or an
 * addition that changes its address list).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param opts `{ signal }` to cancel.
 * @returns A Promise that resolves (with nothing) when the list changed.
 * @throws {TypeError} when `opts` is not an object, `opts.signal` not an AbortSignal, or `s` none
 * of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket is (or gets) closed, or the runtime socket is closed.
 * @throws {UnsupportedError} on a system other than Windows, Linux and macOS.
 * @throws {WinsockError} when Winsock refuses, or the wait ends otherwise.
 * @example
 * ```ts
 * import { addressList, addressListChange, Socket } from "@x/wsioctl";
 * export async function nextAddresses(s: Socket, signal: AbortSignal): Promise<string[]> {
 *   await addressListChange(s, { signal });
 *   return addressList(s).map((a) => a.address);
 * }
 * ```
 */
export async function addressListChange(s: SocketRef, opts?: ChangeOptions): Promise<void> {
  const signal = checkSignal(options(opts).signal, "opts.signal");
  socketHandle(s, ADDRESS_LIST_CHANGE.name);
  await awaitNotification(s, SIO_ADDRESS_LIST_CHANGE, null, signal, ADDRESS_LIST_CHANGE);
}

/**
 * Waits until the local interface that reaches `address` changes
 * (SIO_ROUTING_INTERFACE_CHANGE, overlapped, the destination as a sockaddr in), without
 * blocking the event loop; read the new one with `routingInterface`. A wildcard address
 * (`0.0.0.0`, `::`) asks for any routing change, and a provider may answer any change even for
 * a specific one. Windows 2000 and later (Wine fails it at once, WSAEOPNOTSUPP); Linux and
 * macOS.
 *
 * On Linux and macOS every routing or address message of the routing socket makes the wait
 * look at the way to `address` again: the interface its route leaves by (what `ip route get` /
 * `route get` report) and the local address `routingInterface` answers; it resolves once either
 * differs from what it was when the wait began, not on a change of the machine's other routes.
 * The local address may stay the same: Linux keeps the source address of another interface
 * for a route through an interface without one of the right scope (a route through `lo`, say).
 * A wildcard resolves on any routing message.
 *
 * Aborting and closing settle it as {@link addressListChange} does; every failure is a
 * rejection, bad arguments included; on a system without a routing socket wsioctl knows it
 * rejects with {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux (emulated: a NETLINK_ROUTE socket on the address and route groups,
 * polled without blocking: the destination's local address or outgoing interface changed); macOS
 * (emulated: a PF_ROUTE socket, polled without blocking: the destination's local address or
 * outgoing interface changed).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param address The destination, as text, of the socket's family (an IPv4 destination on an
 * IPv6 socket as `::ffff:a.b.c.d`).
 * @param opts `{ port, signal }`: the destination port (default 0), and a signal to cancel.
 * @returns A Promise that resolves (with nothing) when the route changed.
 * @throws {TypeError} when `address` is not an address or of another family than the Socket's,
 * `opts` not an object, `opts.port` not an integer, `opts.signal` not an AbortSignal, or `s` none
 * of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `opts.port` is outside 0..65535, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket is (or gets) closed, or the runtime socket is closed.
 * @throws {UnsupportedError} on a system other than Windows, Linux and macOS.
 * @throws {WinsockError} when Winsock refuses (Wine: WSAEOPNOTSUPP; Linux, macOS: the refusals
 * of `routingInterface` for the destination), or the wait ends otherwise.
 * @example
 * ```ts
 * import { routingInterface, routingInterfaceChange, Socket } from "@x/wsioctl";
 * export async function nextSource(s: Socket, host: string): Promise<string> {
 *   await routingInterfaceChange(s, host);
 *   return routingInterface(s, host).address;
 * }
 * ```
 */
export async function routingInterfaceChange(
  s: SocketRef,
  address: string,
  opts?: RoutingChangeOptions,
): Promise<void> {
  const o = options(opts);
  const signal = checkSignal(o.signal, "opts.signal");
  const input = destination(s, address, o.port === undefined ? 0 : o.port, "opts.port");
  socketHandle(s, ROUTING_INTERFACE_CHANGE.name);
  await awaitNotification(s, SIO_ROUTING_INTERFACE_CHANGE, input, signal, ROUTING_INTERFACE_CHANGE);
}

/**
 * Follows the local address list of the socket's family: an async iterable that yields the new
 * list (as `addressList` reads it) after each change. Each round arms the next
 * SIO_ADDRESS_LIST_CHANGE before it reads the list, so a change between two rounds is never
 * lost (it shows in the list just read, and completes the wait already armed). With
 * `initial: true` the current list comes first. Windows 2000 and later; Linux and macOS, where
 * a change is what {@link addressListChange} resolves on, and the armed wait is a routing
 * socket.
 *
 * How it ends: aborting `opts.signal` ends the iteration cleanly (the pending `next()` resolves
 * `done`, a `for await` loop just stops); `break` (or `return()`) cancels the wait under way
 * and resolves once Windows has let go of its buffers. Closing the socket rejects the pending
 * `next()` with {@link SocketClosedError} (a Socket) or {@link WinsockError} 995 (a raw
 * handle), and so does any other failure, on an unsupported system {@link UnsupportedError}:
 * the iteration is over after it. Bad arguments and a closed Socket throw at once, from this
 * call. Between two `next()` calls the next wait is only armed (Windows holds it; Linux and
 * macOS hold a routing socket open; nothing runs in JavaScript, no timer): an iterator dropped
 * without `return()` has it cancelled (the routing socket closed) once the iterator is
 * garbage-collected.
 *
 * Platforms: Windows; Linux (emulated: a NETLINK_ROUTE socket on the address groups, polled without
 * blocking: a removal of the family's address, or an addition that changes its address list); macOS
 * (emulated: a PF_ROUTE socket, polled without blocking: a removal of the family's address, or an
 * addition that changes its address list).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param opts `{ signal, initial }`.
 * @returns An async iterable iterator of address lists.
 * @throws {TypeError} when `opts` is not an object, `opts.signal` not an AbortSignal,
 * `opts.initial` not a boolean, or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @example
 * ```ts
 * import { addressListChanges, Socket } from "@x/wsioctl";
 * export async function firstNewAddress(s: Socket, known: Set<string>): Promise<string> {
 *   for await (const list of addressListChanges(s)) {
 *     const added = list.find((a) => !known.has(a.address));
 *     if (added) return added.address; // the loop's return cancels the wait under way
 *   }
 *   throw new Error("not reached without a signal");
 * }
 * ```
 */
export function addressListChanges(
  s: SocketRef,
  opts?: ChangesOptions,
): AsyncIterableIterator<SocketAddress[]> {
  const o = options(opts);
  const signal = checkSignal(o.signal, "opts.signal");
  const initial = o.initial === undefined ? false : checkBoolean(o.initial, "opts.initial");
  const call = ADDRESS_LIST_CHANGES;
  socketHandle(s, call.name);
  return new ChangeStream(
    (stop) => armNotification(s, SIO_ADDRESS_LIST_CHANGE, null, stop, call),
    () => readAddressList(s, call),
    signal,
    initial,
  );
}

/**
 * Follows the local interface that reaches `address`: an async iterable that yields it (as
 * `routingInterface` reads it) after each routing change. Each round arms the next
 * SIO_ROUTING_INTERFACE_CHANGE before it reads the interface, so no change is lost between two
 * rounds; with `initial: true` the current interface comes first. It ends as
 * {@link addressListChanges} does. Windows 2000 and later (Wine fails the wait at once, so the
 * first wait rejects with {@link WinsockError} WSAEOPNOTSUPP there); Linux and macOS, where a
 * change is what {@link routingInterfaceChange} resolves on: the yielded address may be the
 * same as before when only the interface changed.
 *
 * Platforms: Windows; Linux (emulated: a NETLINK_ROUTE socket on the address and route groups,
 * polled without blocking: the destination's local address or outgoing interface changed); macOS
 * (emulated: a PF_ROUTE socket, polled without blocking: the destination's local address or
 * outgoing interface changed).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param address The destination, as text, of the socket's family.
 * @param opts `{ port, signal, initial }`.
 * @returns An async iterable iterator of local addresses.
 * @throws {TypeError} when `address` is not an address or of another family than the Socket's,
 * `opts` not an object, `opts.port` not an integer, `opts.signal` not an AbortSignal,
 * `opts.initial` not a boolean, or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `opts.port` is outside 0..65535, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @example
 * ```ts
 * import { routingInterfaceChanges, Socket } from "@x/wsioctl";
 * export async function followRoute(s: Socket, host: string, signal: AbortSignal) {
 *   for await (const local of routingInterfaceChanges(s, host, { signal, initial: true })) {
 *     console.log(`${host} is now reached from ${local.address}`);
 *   }
 * }
 * ```
 */
export function routingInterfaceChanges(
  s: SocketRef,
  address: string,
  opts?: RoutingChangesOptions,
): AsyncIterableIterator<SocketAddress> {
  const o = options(opts);
  const signal = checkSignal(o.signal, "opts.signal");
  const initial = o.initial === undefined ? false : checkBoolean(o.initial, "opts.initial");
  const input = destination(s, address, o.port === undefined ? 0 : o.port, "opts.port");
  const call = ROUTING_INTERFACE_CHANGES;
  socketHandle(s, call.name);
  return new ChangeStream(
    (stop) => armNotification(s, SIO_ROUTING_INTERFACE_CHANGE, input, stop, call),
    () => queryRoutingInterface(socketHandle(s, call.name), input, call),
    signal,
    initial,
  );
}
