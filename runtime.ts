/**
 * {@link handleOf}: the OS handle of a socket your runtime gave you — a Deno, Bun or Node socket
 * object — so that every typed call and `ioctl` work on it (they also take such an object
 * directly). wsioctl never closes it: the runtime owns it. Pair it with `Socket.borrow` for the
 * Socket methods (options, addresses) on the same handle.
 *
 * The lifetime rule: the handle is the runtime socket's only while the runtime object is open.
 * Once the runtime closes it, the number may be given to another socket or file; calls given the
 * runtime object then throw `SocketClosedError`, while a number kept from before is just a
 * number. Each call checks, at a cost that does not grow with the number of sockets: first what
 * the runtime says (Deno asked about the object's one resource, Node's and Bun's own state),
 * before any native call; then, on Linux, that the handle is still the socket found (its
 * `st_dev`/`st_ino`, recorded when it was found). Windows and macOS have no such identity: there
 * the runtime's word is the proof, and an object whose runtime cannot say is refused.
 *
 * @example
 * ```ts
 * import { handleOf, setKeepAlive } from "@x/wsioctl";
 * export async function connectWithKeepAlive(hostname: string, port: number) {
 *   const conn = await Deno.connect({ hostname, port });
 *   setKeepAlive(conn, { enabled: true, timeMs: 30_000, intervalMs: 5_000 });
 *   console.log(handleOf(conn)); // e.g. 23n (a Linux descriptor) or 1234n (a Windows SOCKET)
 *   return conn;
 * }
 * ```
 *
 * @module
 */

import { AmbiguousHandleError, runtimeHandle } from "./_runtime.ts";
import { describe } from "./_validate.ts";

export { AmbiguousHandleError };

/** A runtime's address object: Deno's `{ transport, hostname, port }`. */
export interface RuntimeAddressLike {
  /** `"tcp"`, `"udp"` (others, such as `"unix"`, have no handle to find here). */
  readonly transport: string;
}

/** `Deno.Conn`, `Deno.TcpConn`, `Deno.TlsConn` (from `Deno.connect`, `Deno.Listener.accept`). */
export interface DenoConnLike {
  /** The local address. */
  readonly localAddr: RuntimeAddressLike;
  /** The peer's address. */
  readonly remoteAddr: RuntimeAddressLike;
}

/** `Deno.Listener` (from `Deno.listen`). */
export interface DenoListenerLike {
  /** The listening address. */
  readonly addr: RuntimeAddressLike;
  /** Accepts a connection. */
  accept(): unknown;
}

/** `Deno.DatagramConn` (from `Deno.listenDatagram`, `--unstable-net`). */
export interface DenoDatagramLike {
  /** The bound address. */
  readonly addr: RuntimeAddressLike;
  /** Receives a datagram. */
  receive(...args: never[]): unknown;
}

/** A Bun TCP socket (from `Bun.connect`, or a `Bun.listen` handler's `open(socket)`). */
export interface BunSocketLike {
  /** Bun's ready state (positive while open). */
  readonly readyState: number;
  /** The local port. */
  readonly localPort: number;
  /** The peer's port. */
  readonly remotePort: number;
}

/** A Bun `TCPSocketListener` (from `Bun.listen`). */
export interface BunListenerLike {
  /** The listening port. */
  readonly port: number;
  /** The listening host. */
  readonly hostname: string;
  /** Stops listening. */
  stop(...args: never[]): void;
}

/** A Bun UDP socket (from `Bun.udpSocket`). */
export interface BunUdpSocketLike {
  /** `true` once closed. */
  readonly closed: boolean;
  /** The bound address. */
  readonly address: { readonly address: string; readonly port: number };
}

/** A Node `net.Socket` (or `tls.TLSSocket`). */
export interface NodeSocketLike {
  /** `true` once destroyed. */
  readonly destroyed: boolean;
  /** Sets SO_KEEPALIVE. */
  setKeepAlive(...args: never[]): unknown;
}

/** A Node `net.Server` (or `http.Server`, …). */
export interface NodeServerLike {
  /** `true` while listening. */
  readonly listening: boolean;
  /** The bound address. */
  address(): unknown;
}

/** A Node `dgram.Socket`. */
export interface NodeDgramSocketLike {
  /** The bound address (throws when not bound). */
  address(): unknown;
  /** The connected peer (throws when not connected). */
  remoteAddress(): unknown;
}

/**
 * A socket object of Deno, Bun or Node that {@link handleOf} (and every call taking a socket)
 * accepts, described by its shape: no runtime's own types appear here.
 */
export type RuntimeSocket =
  | DenoConnLike
  | DenoListenerLike
  | DenoDatagramLike
  | BunSocketLike
  | BunListenerLike
  | BunUdpSocketLike
  | NodeSocketLike
  | NodeServerLike
  | NodeDgramSocketLike;

/**
 * The OS handle (a Windows `SOCKET`, a POSIX file descriptor) of a socket your runtime gave you:
 * a `Deno.Conn` / `Deno.TcpConn` / `Deno.TlsConn`, `Deno.Listener`, `Deno.DatagramConn`; a Bun
 * socket from `Bun.connect` / `Bun.listen` / `Bun.udpSocket`; a Node `net.Socket`, `net.Server`
 * or `dgram.Socket` (Deno's and Bun's `node:net` / `node:dgram` ones too). TCP and UDP only.
 *
 * How it is found: the handle the runtime exposes, where it has a real one (Bun's `fd`; Node's
 * `_handle.fd` on Linux and macOS; Deno's accepted connections), once its socket type and
 * addresses are checked to be the runtime socket's; otherwise by searching this process's handles
 * for the one socket with the runtime socket's type, local address and peer address (a listener
 * or an unconnected UDP socket: no peer). The search costs about a millisecond on Linux (see
 * the README's benchmarks; Windows walks handle values, see "Platform notes"), and the answer is
 * kept for the runtime's own handle on the socket (Node's `_handle`, which a `net.Server` that
 * listens again or a `net.Socket` that connects again replaces; Deno's resource id, never reused):
 * later calls answer from it, and a new one is found again.
 *
 * Lifetime: the handle is the runtime socket's only while the runtime object is open; after the
 * runtime closes it, the number may be reused by another socket or file. wsioctl never closes it
 * (see `Socket.borrow` for a Socket on it that only detaches). Every call first asks the runtime:
 * a runtime object that is closed, or not open yet, gives `SocketClosedError` before any native
 * call (Deno is asked about the object's one resource, a `Deno.DatagramConn` included). On Linux
 * the kept handle must then still be the socket found (`st_dev`/`st_ino`), the last check before
 * the answer; Windows and macOS have no such identity, so there an object whose runtime cannot say
 * whether it is open (a Deno-shaped object without Deno's internals) is refused.
 *
 * @param runtimeSocket The runtime's socket object.
 * @returns The handle.
 * @throws {TypeError} when `runtimeSocket` is not a runtime socket object of a kind listed above,
 * or one without an IP address (a Unix socket).
 * @throws {SocketClosedError} when the runtime object is closed, or no open socket of this
 * process has its addresses (`"handleOf: socket is closed"`); when it is not open yet, the message
 * says so and what it lacks (`"handleOf: this net.Socket is not open yet (not connected)"`; a
 * `net.Server` not listening, a `dgram.Socket` not bound).
 * @throws {AmbiguousHandleError} when several sockets have its type and addresses (two UDP
 * sockets on one port with SO_REUSEADDR, neither connected): the search never guesses.
 * @throws {UnsupportedError} on Windows and macOS, for an object whose runtime cannot say whether
 * it is open (a Deno-shaped object without Deno's internals): no identity could prove its handle.
 * @example
 * ```ts
 * import { handleOf, setUdpConnReset } from "@x/wsioctl";
 * export function udpServer(port: number) {
 *   const udp = Deno.listenDatagram({ hostname: "0.0.0.0", port, transport: "udp" });
 *   // Windows: no WSAECONNRESET (10054) from receive() after an ICMP port unreachable.
 *   setUdpConnReset(udp, false);
 *   return { udp, handle: handleOf(udp) };
 * }
 * ```
 */
export function handleOf(runtimeSocket: RuntimeSocket): bigint {
  const o: unknown = runtimeSocket;
  if (typeof o === "object" && o !== null) {
    const h = runtimeHandle(o, "handleOf");
    if (h !== undefined) return h;
  }
  throw new TypeError(
    `runtimeSocket must be a Deno, Bun or Node socket object, got ${describe(o)}`,
  );
}
