/**
 * Runtime port reservations, typed: {@link acquirePortReservation}
 * (SIO_ACQUIRE_PORT_RESERVATION) reserves a block of TCP or UDP ports for this process,
 * {@link associatePortReservation} (SIO_ASSOCIATE_PORT_RESERVATION) makes a socket take its port
 * from a reservation when it binds, {@link releasePortReservation}
 * (SIO_RELEASE_PORT_RESERVATION) gives the block back. {@link reservePorts} is the disposable
 * form: `using r = reservePorts(s, { count })` releases the block exactly once. Windows Vista and
 * later; elsewhere they throw `UnsupportedError` naming the call.
 *
 * Ports are host-order numbers at this API. On the wire of the IOCTL, `INET_PORT_RANGE.StartPort`
 * is in network byte order (big-endian), as Microsoft's SIO_ACQUIRE_PORT_RESERVATION sample
 * stores `htons(port)` and reads the answer back with `htons`; `NumberOfPorts` is in host order.
 * The library converts both ways.
 *
 * @example
 * ```ts
 * import { associatePortReservation, reservePorts, Socket } from "@x/wsioctl";
 * // Windows: ten TCP ports for this process, one of them for a server socket.
 * export function serveFromReservation(): void {
 *   using owner = Socket.open("inet", "stream"); // the reservation lives as long as this socket
 *   using ports = reservePorts(owner, { count: 10 });
 *   using server = Socket.open("inet", "stream");
 *   associatePortReservation(server, ports.token); // before bind
 *   server.bind("0.0.0.0", 0); // a port from ports.startPort … ports.startPort + 9
 * }
 * ```
 *
 * @module
 */

import {
  SIO_ACQUIRE_PORT_RESERVATION,
  SIO_ASSOCIATE_PORT_RESERVATION,
  SIO_RELEASE_PORT_RESERVATION,
} from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import { SocketClosedError } from "../errors.ts";
import {
  InetPortRange,
  InetPortReservationInstance,
  InetPortReservationToken,
} from "../structs/mod.ts";
import { checkInteger, checkObject, checkUint16, checkUint64 } from "../_validate.ts";
import { ownBytes, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

const TCP_OR_UDP = "works on TCP and UDP sockets only, on Windows Vista and later";

const ACQUIRE: TypedCall = {
  name: "acquirePortReservation",
  hints: { 10045: `SIO_ACQUIRE_PORT_RESERVATION ${TCP_OR_UDP}` },
};
const RELEASE: TypedCall = {
  name: "releasePortReservation",
  hints: {
    10022: "SIO_RELEASE_PORT_RESERVATION takes the token of a runtime reservation this " +
      "process acquired and has not released yet",
    10045: `SIO_RELEASE_PORT_RESERVATION ${TCP_OR_UDP}`,
  },
};
const ASSOCIATE: TypedCall = {
  name: "associatePortReservation",
  hints: {
    10013: "SIO_ASSOCIATE_PORT_RESERVATION with a persistent reservation's token needs " +
      "Administrator privileges (an elevated process)",
    10022: "SIO_ASSOCIATE_PORT_RESERVATION must come before bind, with the token of a live " +
      "reservation",
    10045: `SIO_ASSOCIATE_PORT_RESERVATION ${TCP_OR_UDP}`,
  },
};
const RESERVE_PORTS: TypedCall = { name: "reservePorts", hints: ACQUIRE.hints };

// The buffers, allocated once (JavaScript runs one call at a time).
const rangeIn = InetPortRange.alloc();
const rangeBytes = ownBytes(rangeIn);
const tokenIn = InetPortReservationToken.alloc();
const tokenBytes = ownBytes(tokenIn);
const instanceOut = InetPortReservationInstance.alloc();
const instanceBytes = ownBytes(instanceOut);

/** What {@link acquirePortReservation} asks for. */
export interface PortRange {
  /** The first port (host order), or 0 to let Windows choose where the block starts. */
  startPort: number;
  /** How many consecutive ports (1..65535; the block must end at port 65535 or before). */
  count: number;
}

/** A runtime port reservation: the block Windows reserved and the token naming it. */
export interface PortReservation {
  /** The first reserved port (host order). */
  readonly startPort: number;
  /** How many consecutive ports are reserved. */
  readonly count: number;
  /**
   * The reservation's token (`INET_PORT_RESERVATION_TOKEN`, a ULONG64), for
   * {@link associatePortReservation} and {@link releasePortReservation}.
   */
  readonly token: bigint;
}

/** A reservation from {@link reservePorts}: released by `release()` or at the end of `using`. */
export interface ReservedPorts extends PortReservation, Disposable {
  /** Whether it was released (or ended with its socket). */
  readonly released: boolean;
  /**
   * Releases the reservation (SIO_RELEASE_PORT_RESERVATION) on the socket that acquired it.
   * Only the first call (or disposal) does anything; a closed socket (a Socket, or a runtime's
   * socket its runtime closed) took the reservation with it, so nothing is called then.
   */
  release(): void;
}

/** The `{ startPort, count }` of `range`, checked; `what` names the argument. */
function checkRange(range: unknown, what: string, startOptional: boolean): [number, number] {
  const r = checkObject(range, what);
  const first = startOptional && r.startPort === undefined ? 0 : r.startPort;
  const startPort = checkUint16(first, `${what}.startPort`);
  const count = checkInteger(r.count, `${what}.count`, 1, 0xffff);
  if (startPort !== 0 && startPort + count > 0x10000) {
    throw new RangeError(
      `${what}.startPort + ${what}.count must be at most 65536 (the block ends at port ` +
        `65535 or before), got ${startPort} + ${count}`,
    );
  }
  return [startPort, count];
}

/** SIO_ACQUIRE_PORT_RESERVATION with checked arguments; the answer, read from `instanceOut`. */
function acquire(s: SocketRef, startPort: number, count: number, call: TypedCall) {
  const h = socketHandle(s, call.name);
  rangeIn.startPort = startPort; // stored big-endian: network byte order
  rangeIn.numberOfPorts = count;
  instanceBytes.fill(0);
  const n = _ioctlOwned(
    h,
    SIO_ACQUIRE_PORT_RESERVATION,
    rangeBytes,
    InetPortRange.SIZE,
    instanceBytes,
    InetPortReservationInstance.SIZE,
    call,
  );
  checkWritten(
    n,
    InetPortReservationInstance.SIZE,
    "INET_PORT_RESERVATION_INSTANCE",
    SIO_ACQUIRE_PORT_RESERVATION,
    call,
  );
  const reservation = instanceOut.reservation;
  return {
    startPort: reservation.startPort, // read big-endian: back to host order
    count: reservation.numberOfPorts,
    token: instanceOut.token.token,
  };
}

/**
 * Reserves a block of consecutive TCP or UDP ports for this process
 * (SIO_ACQUIRE_PORT_RESERVATION): no other process binds them while the reservation lasts,
 * and sockets of this process take ports from it after {@link associatePortReservation}. The
 * protocol is the socket's (a TCP socket reserves TCP ports). The reservation lasts as long as
 * the socket it was acquired on, or until {@link releasePortReservation}; {@link reservePorts}
 * releases it for you. Windows Vista and later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux (unsupported; instead: ports are reserved system-wide (sysctl
 * net.ipv4.ip_local_reserved_ports)); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP or UDP socket.
 * @param range `{ startPort, count }`: the first port (host order; 0 lets Windows choose) and
 * how many.
 * @returns The reserved block (`startPort` in host order) and its token.
 * @throws {TypeError} when `range` is not an object, a field is not an integer, or `s` none of a
 * Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `startPort` is outside 0..65535, `count` outside 1..65535, the block
 * would pass port 65535, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAEOPNOTSUPP on a socket neither TCP nor UDP).
 * @throws {Error} when Winsock reports fewer bytes than an `INET_PORT_RESERVATION_INSTANCE`.
 * @example
 * ```ts
 * import { acquirePortReservation, releasePortReservation, Socket } from "@x/wsioctl";
 * export function reserveFrom5000(owner: Socket): bigint {
 *   const r = acquirePortReservation(owner, { startPort: 5000, count: 20 });
 *   // r.startPort === 5000, r.count === 20
 *   return r.token; // later: releasePortReservation(owner, r.token)
 * }
 * ```
 */
export function acquirePortReservation(s: SocketRef, range: PortRange): PortReservation {
  const [startPort, count] = checkRange(range, "range", false);
  return acquire(s, startPort, count, ACQUIRE);
}

/** Hands `code` the 8-byte token (`INET_PORT_RESERVATION_TOKEN`). */
function withToken(s: SocketRef, token: unknown, code: number, call: TypedCall): void {
  const t = checkUint64(token, "token");
  const h = socketHandle(s, call.name);
  tokenIn.token = t;
  _ioctlOwned(h, code, tokenBytes, InetPortReservationToken.SIZE, null, 0, call);
}

/**
 * Releases a runtime port reservation (SIO_RELEASE_PORT_RESERVATION): the ports go back to
 * the system. The reservation must have been acquired by this process
 * ({@link acquirePortReservation}). Windows Vista and later; off Windows it throws
 * {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux (unsupported; instead: ports are reserved system-wide (sysctl
 * net.ipv4.ip_local_reserved_ports)); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP or UDP socket.
 * @param token The reservation's token.
 * @throws {TypeError} when `token` is not a bigint, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `token` is outside 0..2^64-1, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEINVAL for a token it does not know).
 * @example
 * ```ts
 * import { acquirePortReservation, releasePortReservation, Socket } from "@x/wsioctl";
 * export function reserveAndGiveBack(owner: Socket): void {
 *   const { token } = acquirePortReservation(owner, { startPort: 0, count: 4 });
 *   releasePortReservation(owner, token);
 * }
 * ```
 */
export function releasePortReservation(s: SocketRef, token: bigint): void {
  withToken(s, token, SIO_RELEASE_PORT_RESERVATION, RELEASE);
}

/**
 * Makes a socket take its port from a reservation when it binds
 * (SIO_ASSOCIATE_PORT_RESERVATION): call it **before `bind`**, then bind to port 0; `bind`
 * fails when the reservation has no free port left. Works with runtime reservations
 * ({@link acquirePortReservation}, same process) and persistent ones
 * (`CreatePersistentTcpPortReservation`, which needs Administrator). Windows Vista and later;
 * off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux (unsupported; instead: ports are reserved system-wide (sysctl
 * net.ipv4.ip_local_reserved_ports)); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: an unbound TCP or UDP
 * socket.
 * @param token The reservation's token.
 * @throws {TypeError} when `token` is not a bigint, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `token` is outside 0..2^64-1, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAEINVAL hints at "before bind").
 * @example
 * ```ts
 * import { associatePortReservation, Socket } from "@x/wsioctl";
 * export function bindFromReservation(token: bigint): Socket {
 *   const s = Socket.open("inet", "stream");
 *   associatePortReservation(s, token); // before bind
 *   s.bind("0.0.0.0", 0);
 *   return s;
 * }
 * ```
 */
export function associatePortReservation(s: SocketRef, token: bigint): void {
  withToken(s, token, SIO_ASSOCIATE_PORT_RESERVATION, ASSOCIATE);
}

/** A reservation that releases itself once, on the socket that acquired it. */
class Reservation implements ReservedPorts {
  readonly startPort: number;
  readonly count: number;
  readonly token: bigint;
  readonly #socket: SocketRef;
  #released = false;

  constructor(socket: SocketRef, r: PortReservation) {
    this.#socket = socket;
    this.startPort = r.startPort;
    this.count = r.count;
    this.token = r.token;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    if (this.#released) return;
    // Marked first: a refused release is reported once, never retried by a later dispose.
    this.#released = true;
    let h: bigint;
    try {
      h = socketHandle(this.#socket, RELEASE.name);
    } catch (e) {
      // A closed socket (a Socket, a runtime's) took its reservation with it: nothing is left to
      // release, and its number may be another socket's now.
      if (e instanceof SocketClosedError) return;
      throw e;
    }
    releasePortReservation(h, this.token);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * {@link acquirePortReservation} as a resource: the reservation it returns releases itself
 * (SIO_RELEASE_PORT_RESERVATION) exactly once — at the end of a `using` block, or at the first
 * `release()`; later calls do nothing. When the acquiring socket is closed first (a Socket, or
 * a runtime's socket), its reservation already ended with it and nothing is called: disposal
 * never throws for it. Windows Vista and later; off Windows
 * it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux (unsupported; instead: ports are reserved system-wide (sysctl
 * net.ipv4.ip_local_reserved_ports)); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP or UDP socket that
 * outlives the reservation.
 * @param range `{ startPort?, count }`: the first port (host order; omitted or 0 lets Windows
 * choose) and how many.
 * @returns The reserved block, its token, `release()` and `[Symbol.dispose]`.
 * @throws {TypeError} when `range` is not an object, a field is not an integer, or `s` none of a
 * Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `startPort` is outside 0..65535, `count` outside 1..65535, the block
 * would pass port 65535, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAEOPNOTSUPP on a socket neither TCP nor UDP).
 * @throws {Error} when Winsock reports fewer bytes than an `INET_PORT_RESERVATION_INSTANCE`.
 * @example
 * ```ts
 * import { reservePorts, Socket } from "@x/wsioctl";
 * export function withEightPorts(owner: Socket, use: (first: number) => void): void {
 *   using ports = reservePorts(owner, { count: 8 });
 *   use(ports.startPort);
 * } // released here
 * ```
 */
export function reservePorts(
  s: SocketRef,
  range: { startPort?: number; count: number },
): ReservedPorts {
  const [startPort, count] = checkRange(range, "range", true);
  return new Reservation(s, acquire(s, startPort, count, RESERVE_PORTS));
}
