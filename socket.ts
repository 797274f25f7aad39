/**
 * {@link Socket}: a socket that wsioctl creates and owns through FFI (Deno and Bun do not expose
 * the OS handle of their own sockets), and {@link ioctl}, the generic `WSAIoctl`.
 *
 * A closed socket throws {@link SocketClosedError} from every method before any native call:
 * the closed handle number may already belong to another socket.
 *
 * @example
 * ```ts
 * import { ioctl, Socket } from "./socket.ts";
 * import { FIONREAD } from "./codes/mod.ts";
 *
 * using server = Socket.open("inet", "stream");
 * server.bind("127.0.0.1", 0);
 * server.listen();
 * using client = Socket.open("inet", "stream");
 * client.connect("127.0.0.1", server.localAddress().port);
 * using peer = server.accept();
 * client.send(new TextEncoder().encode("hello"));
 * const count = new Uint32Array(1);
 * ioctl(peer, FIONREAD, null, count); // 4 (bytes written to count)
 * count[0]; // 5
 * ```
 *
 * @module
 */

import { ioctlName } from "./codes/mod.ts";
import { SocketClosedError, UnsupportedError, WinsockError } from "./errors.ts";
import { AF_INET, AF_INET6, type NativeApi, OVERLAPPED_SIZE } from "./ffi/native.ts";
import { nativeApi } from "./ffi/select.ts";
import { readSocketAddress, writeSocketAddress } from "./structs/address.ts";
import { parseIPv4 } from "./structs/ip.ts";
import type { SocketAddress, SocketFamily } from "./structs/socket_address.ts";
import { validatePort } from "./structs/_checks.ts";
import {
  byteLengthOf,
  bytesOf,
  checkHandle,
  checkInteger,
  checkSignal,
  describe,
  materialize,
  optionalBytesOf,
  pinnedCopy,
} from "./_validate.ts";

export type { SocketAddress, SocketFamily };

/** The socket types: TCP-like `"stream"`, UDP-like `"dgram"`, and `"raw"`. */
export type SocketType = "stream" | "dgram" | "raw";

/** Flags of {@link Socket.send} and {@link Socket.sendTo}. */
export interface SendOptions {
  /** Send as out-of-band (urgent) data, `MSG_OOB`. */
  oob?: boolean;
  /** Bypass routing, `MSG_DONTROUTE`. */
  dontRoute?: boolean;
}

/** Flags of {@link Socket.recv} and {@link Socket.recvFrom}. */
export interface RecvOptions {
  /** Receive out-of-band data, `MSG_OOB`. */
  oob?: boolean;
  /** Look without consuming, `MSG_PEEK`. */
  peek?: boolean;
}

/** The value type of each socket option {@link Socket.getOption} knows. */
export interface SocketOptionValues {
  /** `SO_REUSEADDR`. */
  reuseAddress: boolean;
  /** `SO_KEEPALIVE`. */
  keepAlive: boolean;
  /** `SO_BROADCAST`. */
  broadcast: boolean;
  /** `SO_OOBINLINE`. */
  oobInline: boolean;
  /** `SO_LINGER`: seconds to linger on close, or `false` for off. */
  linger: number | false;
  /** `SO_SNDBUF` in bytes. */
  sendBuffer: number;
  /** `SO_RCVBUF` in bytes. */
  receiveBuffer: number;
  /** `SO_SNDTIMEO` in milliseconds (0 = none). */
  sendTimeout: number;
  /** `SO_RCVTIMEO` in milliseconds (0 = none). */
  receiveTimeout: number;
  /** `SO_ERROR` (read-only, clears it): the pending WSA error code, 0 for none. */
  error: number;
  /** `SO_TYPE` (read-only). */
  type: SocketType;
  /** `TCP_NODELAY` (IPPROTO_TCP). */
  noDelay: boolean;
  /** `IPV6_V6ONLY` (IPPROTO_IPV6). */
  v6Only: boolean;
}

/** The names {@link Socket.getOption} accepts. */
export type SocketOptionName = keyof SocketOptionValues;
/** The names {@link Socket.setOption} accepts (all but the read-only `error` and `type`). */
export type WritableSocketOptionName = Exclude<SocketOptionName, "error" | "type">;

const TYPES: Record<SocketType, number> = { stream: 1, dgram: 2, raw: 3 };
const TYPE_NAMES: Record<number, SocketType> = { 1: "stream", 2: "dgram", 3: "raw" };
const OPTION_KINDS: Record<SocketOptionName, "bool" | "int" | "linger" | "ms" | "ro"> = {
  reuseAddress: "bool",
  keepAlive: "bool",
  broadcast: "bool",
  oobInline: "bool",
  noDelay: "bool",
  v6Only: "bool",
  linger: "linger",
  sendBuffer: "int",
  receiveBuffer: "int",
  sendTimeout: "ms",
  receiveTimeout: "ms",
  error: "ro",
  type: "ro",
};
const MSG_OOB = 1;
const MSG_PEEK = 2;
const MSG_DONTROUTE = 4;

// Scratch space for addresses: one thread, reused by every call.
const addrBytes = new Uint8Array(new ArrayBuffer(128));
const addrView = new DataView(addrBytes.buffer);
const addr16 = addrBytes.subarray(0, 16);
const addr28 = addrBytes.subarray(0, 28);
const addrLength = new Int32Array(1);
const optionValue = new Float64Array(1);

/**
 * Ownership of one native handle. Exactly one Owner is live per handle wsioctl owns: the
 * {@link Socket} that holds it, until `close()`, until the Socket is collected (the finalizer), or
 * until another Socket takes the handle over ({@link Socket.fromHandle}). `handle` is undefined
 * once released: a released Owner never touches the handle again.
 */
interface Owner {
  handle: bigint | undefined;
  /** Overlapped operations under way on the handle, settled when the owner closes it. */
  pending: Set<PendingOperation>;
}

/** The live Owner of each handle wsioctl owns. */
const owners = new Map<bigint, Owner>();

const registry = new FinalizationRegistry<Owner>((owner) => {
  // Backstop only: a Socket dropped without close(). It closes the handle only while this Owner
  // still holds it: a handle closed explicitly or taken over by another Socket is never touched.
  // Never throws out of a finalizer.
  const h = owner.handle;
  if (h === undefined) return;
  release(owner);
  try {
    nativeApi().close(h);
  } catch {
    // ignore
  }
});

/** Makes a new Owner of `handle`; the previous one, if any, lets go of it. */
function claim(handle: bigint): Owner {
  const owner: Owner = { handle, pending: new Set() };
  const previous = owners.get(handle);
  if (previous !== undefined) {
    // Operations under way on the handle now end with the new owner.
    for (const op of previous.pending) owner.pending.add(op);
    previous.pending.clear();
    release(previous);
  }
  owners.set(handle, owner);
  return owner;
}

/** Marks an Owner released: it no longer holds its handle, and no finalizer will close it. */
function release(owner: Owner): void {
  const h = owner.handle;
  if (h === undefined) return;
  owner.handle = undefined;
  if (owners.get(h) === owner) owners.delete(h);
  registry.unregister(owner);
}

/** The Owner of a Socket (for ioctlAsync, in this module only). */
let ownerOf: (s: Socket) => Owner;

function throwLastError(native: NativeApi, call: string): never {
  throw new WinsockError(native.lastError(), { call });
}

function writeAddress(
  family: SocketFamily | undefined,
  address: unknown,
  port: unknown,
): Uint8Array {
  if (typeof address !== "string") {
    throw new TypeError(`address must be a string, got ${describe(address)}`);
  }
  validatePort(port, "port");
  const fam = family ?? (address.includes(":") ? "inet6" : "inet");
  let text = address;
  if (fam === "inet6" && !address.includes(":")) {
    // An IPv4 text on an IPv6 socket: the IPv4-mapped address. Parsed as IPv4 first, so that an
    // error quotes what the caller wrote.
    parseIPv4(address, "address");
    text = `::ffff:${address}`;
  }
  const n = writeSocketAddress(addrView, 0, { family: fam, address: text, port: port as number });
  return n === 16 ? addr16 : addr28;
}

/**
 * Reads the flags of a send/recv options object. Runs first in every method that takes one: the
 * caller's getters run here, before any length is read or any handle is used.
 */
function flagsOf(options: SendOptions | RecvOptions | undefined, name: string): number {
  if (options === undefined) return 0;
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${name} must be an object, got ${describe(options)}`);
  }
  const o = options as SendOptions & RecvOptions;
  return (o.oob ? MSG_OOB : 0) | (o.peek ? MSG_PEEK : 0) | (o.dontRoute ? MSG_DONTROUTE : 0);
}

/**
 * A socket owned by wsioctl: created by {@link Socket.open} (or {@link Socket.accept}), or
 * adopted by {@link Socket.fromHandle}. Calls block like their C counterparts unless the socket
 * was made nonblocking (FIONBIO). Close it with `close()` or `using`; a `FinalizationRegistry`
 * closes a forgotten one as a backstop.
 *
 * @example
 * ```ts
 * import { Socket } from "./socket.ts";
 * using s = Socket.open("inet", "dgram");
 * s.bind("127.0.0.1", 0);
 * s.sendTo(new Uint8Array([1, 2, 3]), "127.0.0.1", s.localAddress().port);
 * const { bytes, from } = s.recvFrom(new Uint8Array(16)); // 3, { family: "inet", … }
 * ```
 */
export class Socket {
  readonly #owner: Owner;
  #family: SocketFamily | undefined;
  #type: SocketType | undefined;
  readonly #native: NativeApi;

  static {
    ownerOf = (s) => s.#owner;
  }

  private constructor(
    native: NativeApi,
    handle: bigint,
    family: SocketFamily | undefined,
    type: SocketType | undefined,
  ) {
    this.#native = native;
    this.#owner = claim(handle);
    this.#family = family;
    this.#type = type;
    registry.register(this, this.#owner, this.#owner);
  }

  /**
   * Creates a socket (`socket()`). On Linux and macOS it is close-on-exec: child processes
   * never inherit it.
   *
   * @param family `"inet"` (IPv4) or `"inet6"` (IPv6).
   * @param type `"stream"`, `"dgram"` or `"raw"`.
   * @param protocol The protocol number; default 0 (the family's default for the type).
   * @returns The new socket.
   * @throws {TypeError} on an unknown family or type, or a non-integer protocol.
   * @throws {RangeError} on a protocol outside 0..255.
   * @throws {WinsockError} when the system refuses (e.g. WSAEACCES for raw sockets).
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using s = Socket.open("inet6", "stream");
   * ```
   */
  static open(family: SocketFamily, type: SocketType, protocol = 0): Socket {
    if (family !== "inet" && family !== "inet6") {
      throw new TypeError(`family must be "inet" or "inet6", got ${describe(family)}`);
    }
    if (!Object.hasOwn(TYPES, type)) {
      throw new TypeError(`type must be "stream", "dgram" or "raw", got ${describe(type)}`);
    }
    if (typeof protocol !== "number" || !Number.isInteger(protocol)) {
      throw new TypeError(`protocol must be an integer, got ${describe(protocol)}`);
    }
    if (protocol < 0 || protocol > 255) {
      throw new RangeError(`protocol must be in 0..255, got ${protocol}`);
    }
    const native = nativeApi();
    const h = native.socket(family === "inet" ? AF_INET : AF_INET6, TYPES[type], protocol);
    if (h < 0n) throwLastError(native, "socket");
    return new Socket(native, h, family, type);
  }

  /**
   * Adopts an existing native socket handle (a Windows `SOCKET` or a POSIX file descriptor).
   * The Socket takes ownership: `close()` closes the handle, and so does the garbage collector
   * if the Socket is dropped unclosed. A handle has exactly one owner: when another Socket owns
   * `handle`, that Socket gives it up (it acts as closed from then on, without closing the
   * handle, and the collector will never close it for it).
   *
   * @param handle The handle.
   * @returns The socket.
   * @throws {TypeError} when `handle` is not a bigint.
   * @throws {RangeError} when `handle` is negative or above what the platform represents
   * (2^64-2 on Windows, an `int` file descriptor elsewhere).
   * @throws {WinsockError} WSAENOTSOCK when the handle is not a socket.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * const a = Socket.open("inet", "stream");
   * const b = Socket.fromHandle(a.handle); // b now owns the handle; a is closed to its user
   * a.closed; // true (the handle stays open under b)
   * b.close();
   * ```
   */
  static fromHandle(handle: bigint): Socket {
    const native = nativeApi();
    checkHandle(handle, "handle", native.maxHandle);
    if (native.getOption(handle, "type", optionValue) !== 0) throwLastError(native, "getsockopt");
    const type = TYPE_NAMES[optionValue[0]];
    let family: SocketFamily | undefined;
    if (native.localName(handle, addrBytes, addrLength) === 0 && addrLength[0] >= 2) {
      const af = addrView.getUint16(0, true);
      family = af === AF_INET ? "inet" : af === AF_INET6 ? "inet6" : undefined;
    }
    return new Socket(native, handle, family, type);
  }

  #live(call: string): bigint {
    const h = this.#owner.handle;
    if (h === undefined) throw new SocketClosedError(call);
    return h;
  }

  /**
   * The native handle (`SOCKET` on Windows, the file descriptor elsewhere).
   *
   * @throws {SocketClosedError} once closed.
   */
  get handle(): bigint {
    return this.#live("handle");
  }

  /**
   * `true` once {@link Socket.close} ran (or another Socket took the handle over with
   * {@link Socket.fromHandle}).
   */
  get closed(): boolean {
    return this.#owner.handle === undefined;
  }

  /** The address family, when known (`undefined` for an adopted, unbound Windows socket). */
  get family(): SocketFamily | undefined {
    return this.#family;
  }

  /**
   * Binds to a local address (`bind()`).
   *
   * @param address The local address (`"0.0.0.0"`, `"::"`, `"127.0.0.1"`, …).
   * @param port The local port; 0 lets the system choose.
   * @throws {TypeError} on a malformed address or a non-integer port.
   * @throws {RangeError} on a port outside 0..65535.
   * @throws {WinsockError} e.g. WSAEADDRINUSE.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using s = Socket.open("inet", "stream");
   * s.bind("127.0.0.1", 0);
   * ```
   */
  bind(address: string, port: number): void {
    this.#live("bind");
    const a = writeAddress(this.#family, address, port);
    const h = this.#live("bind");
    if (this.#native.bind(h, a) !== 0) throwLastError(this.#native, "bind");
  }

  /**
   * Starts listening (`listen()`).
   *
   * @param backlog The connection backlog, 0..2^31-1; default 128 (the system may lower it).
   * @throws {TypeError} on a non-integer backlog.
   * @throws {RangeError} on a backlog outside 0..2^31-1.
   * @throws {WinsockError} e.g. WSAEINVAL when not bound on Windows.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using s = Socket.open("inet", "stream");
   * s.bind("127.0.0.1", 0);
   * s.listen();
   * ```
   */
  listen(backlog = 128): void {
    checkInteger(backlog, "backlog", 0, 0x7fffffff);
    const h = this.#live("listen");
    if (this.#native.listen(h, backlog) !== 0) throwLastError(this.#native, "listen");
  }

  /**
   * Accepts a connection (`accept()`); blocks unless the socket is nonblocking. As on Windows,
   * the new socket inherits the listener's nonblocking mode (Linux's `accept` alone would not);
   * on Linux and macOS it is close-on-exec, so child processes never inherit it.
   *
   * @returns The connected socket.
   * @throws {WinsockError} e.g. WSAEWOULDBLOCK on a nonblocking socket with none pending.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using server = Socket.open("inet", "stream");
   * server.bind("127.0.0.1", 0);
   * server.listen();
   * using client = Socket.open("inet", "stream");
   * client.connect("127.0.0.1", server.localAddress().port);
   * using peer = server.accept();
   * ```
   */
  accept(): Socket {
    const h = this.#live("accept");
    const c = this.#native.accept(h, addrBytes, addrLength);
    if (c < 0n) throwLastError(this.#native, "accept");
    return new Socket(this.#native, c, this.#family, this.#type);
  }

  /**
   * Connects (`connect()`); blocks unless the socket is nonblocking.
   *
   * @param address The remote address.
   * @param port The remote port.
   * @throws {TypeError} on a malformed address or a non-integer port.
   * @throws {RangeError} on a port outside 0..65535.
   * @throws {WinsockError} e.g. WSAECONNREFUSED.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using server = Socket.open("inet", "stream");
   * server.bind("127.0.0.1", 0);
   * server.listen();
   * using client = Socket.open("inet", "stream");
   * client.connect("127.0.0.1", server.localAddress().port);
   * ```
   */
  connect(address: string, port: number): void {
    this.#live("connect");
    const a = writeAddress(this.#family, address, port);
    const h = this.#live("connect");
    if (this.#native.connect(h, a) !== 0) throwLastError(this.#native, "connect");
  }

  /**
   * Sends bytes (`send()`).
   *
   * @param data The bytes (any ArrayBufferView; its whole byte range). On Windows at most 2^31-1
   * bytes go in one call (its `int` length): the count returned says how many were sent.
   * @param options `{ oob }` for urgent data, `{ dontRoute }`.
   * @returns The number of bytes sent.
   * @throws {TypeError} when `data` is not an ArrayBufferView, or a view of a detached buffer.
   * @throws {WinsockError} e.g. WSAENOTCONN, WSAEWOULDBLOCK.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * export function example(s: Socket) {
   *   s.send(new TextEncoder().encode("hi"));
   * }
   * ```
   */
  send(data: ArrayBufferView, options?: SendOptions): number {
    const flags = flagsOf(options, "options");
    const h = this.#live("send");
    const bytes = bytesOf(data, "data");
    const r = this.#native.send(h, bytes, byteLengthOf(bytes), flags);
    if (r < 0) throwLastError(this.#native, "send");
    return r;
  }

  /**
   * Receives bytes (`recv()`); blocks unless the socket is nonblocking.
   *
   * @param into Receives the bytes (any ArrayBufferView; its whole byte range; on Windows at most
   * 2^31-1 bytes per call, its `int` length).
   * @param options `{ oob }` for urgent data, `{ peek }`.
   * @returns The number of bytes received; 0 when the peer closed.
   * @throws {TypeError} when `into` is not an ArrayBufferView, or a view of a detached buffer.
   * @throws {WinsockError} e.g. WSAEWOULDBLOCK on a nonblocking socket with nothing to read.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * export function example(s: Socket) {
   *   const buf = new Uint8Array(1024);
   *   const n = s.recv(buf);
   * }
   * ```
   */
  recv(into: ArrayBufferView, options?: RecvOptions): number {
    const flags = flagsOf(options, "options");
    const h = this.#live("recv");
    const bytes = bytesOf(into, "into");
    const r = this.#native.recv(h, bytes, byteLengthOf(bytes), flags);
    if (r < 0) throwLastError(this.#native, "recv");
    return r;
  }

  /**
   * Sends a datagram to an address (`sendto()`).
   *
   * @param data The bytes.
   * @param address The destination address.
   * @param port The destination port.
   * @param options `{ oob }`, `{ dontRoute }`.
   * @returns The number of bytes sent.
   * @throws {TypeError} on a non-view `data`, a malformed address or a non-integer port.
   * @throws {RangeError} on a port outside 0..65535.
   * @throws {WinsockError} e.g. WSAEMSGSIZE.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using s = Socket.open("inet", "dgram");
   * s.sendTo(new Uint8Array([1]), "127.0.0.1", 9);
   * ```
   */
  sendTo(data: ArrayBufferView, address: string, port: number, options?: SendOptions): number {
    const flags = flagsOf(options, "options");
    this.#live("sendTo");
    const a = writeAddress(this.#family, address, port);
    const h = this.#live("sendTo");
    const bytes = bytesOf(data, "data");
    const r = this.#native.sendTo(h, bytes, byteLengthOf(bytes), flags, a);
    if (r < 0) throwLastError(this.#native, "sendto");
    return r;
  }

  /**
   * Receives a datagram and its sender (`recvfrom()`); blocks unless nonblocking. On a stream
   * socket it receives like {@link Socket.recv} and reports the connected peer's address
   * (asked before reading: an unconnected stream socket fails with WSAENOTCONN and consumes
   * nothing).
   *
   * @param into Receives the bytes.
   * @param options `{ oob }`, `{ peek }`.
   * @returns The byte count and the sender's address.
   * @throws {TypeError} when `into` is not an ArrayBufferView, or a view of a detached buffer.
   * @throws {WinsockError} e.g. WSAEMSGSIZE when the datagram did not fit (Windows), WSAENOTCONN
   * on an unconnected stream socket.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * export function example(s: Socket) {
   *   const { bytes, from } = s.recvFrom(new Uint8Array(1500));
   * }
   * ```
   */
  recvFrom(into: ArrayBufferView, options?: RecvOptions): { bytes: number; from: SocketAddress } {
    const flags = flagsOf(options, "options");
    const h = this.#live("recvFrom");
    const bytes = bytesOf(into, "into");
    if (this.#type === "stream") {
      // recvfrom on a connection gives no address (Linux: length 0; Windows leaves the buffer
      // as it was): the peer's, asked first.
      const from = this.remoteAddress();
      const r = this.#native.recv(h, bytes, byteLengthOf(bytes), flags);
      if (r < 0) throwLastError(this.#native, "recv");
      return { bytes: r, from };
    }
    addrView.setUint16(0, 0, true);
    addrLength[0] = 0;
    const r = this.#native.recvFrom(h, bytes, byteLengthOf(bytes), flags, addr28, addrLength);
    if (r < 0) throwLastError(this.#native, "recvfrom");
    if (addrLength[0] < 2 || addrView.getUint16(0, true) === 0) {
      // No sender address came back (a connected socket of another type): the peer's.
      return { bytes: r, from: this.remoteAddress() };
    }
    return { bytes: r, from: readSocketAddress(addrView, 0, addrLength[0]) };
  }

  /**
   * The local address (`getsockname()`).
   *
   * @returns The address.
   * @throws {WinsockError} e.g. WSAEINVAL for an unbound socket on Windows.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using s = Socket.open("inet", "stream");
   * s.bind("127.0.0.1", 0);
   * s.localAddress().port; // the chosen port
   * ```
   */
  localAddress(): SocketAddress {
    const h = this.#live("localAddress");
    if (this.#native.localName(h, addr28, addrLength) !== 0) {
      throwLastError(this.#native, "getsockname");
    }
    return readSocketAddress(addrView, 0, addrLength[0]);
  }

  /**
   * The peer's address (`getpeername()`).
   *
   * @returns The address.
   * @throws {WinsockError} WSAENOTCONN when not connected.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * export function example(s: Socket) {
   *   s.remoteAddress(); // { family: "inet", address: "127.0.0.1", port: … }
   * }
   * ```
   */
  remoteAddress(): SocketAddress {
    const h = this.#live("remoteAddress");
    if (this.#native.peerName(h, addr28, addrLength) !== 0) {
      throwLastError(this.#native, "getpeername");
    }
    return readSocketAddress(addrView, 0, addrLength[0]);
  }

  /**
   * Sets a common SOL_SOCKET / IPPROTO_TCP / IPPROTO_IPV6 option (`setsockopt()`), with the same
   * units on every platform (timeouts in milliseconds, linger in seconds).
   *
   * @param name The option.
   * @param value Its value.
   * @throws {TypeError} on an unknown or read-only option, or a value of the wrong type.
   * @throws {RangeError} on a negative or non-integer number.
   * @throws {WinsockError} when the system refuses.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using s = Socket.open("inet", "stream");
   * s.setOption("noDelay", true);
   * s.setOption("linger", false);
   * ```
   */
  setOption<K extends WritableSocketOptionName>(name: K, value: SocketOptionValues[K]): void {
    const h = this.#live("setOption");
    const kind = Object.hasOwn(OPTION_KINDS, name) ? OPTION_KINDS[name] : undefined;
    if (kind === undefined || kind === "ro") {
      throw new TypeError(`name must be a writable socket option, got ${describe(name)}`);
    }
    let v: number;
    if (kind === "bool") {
      if (typeof value !== "boolean") {
        throw new TypeError(`${name} takes a boolean, got ${describe(value)}`);
      }
      v = value ? 1 : 0;
    } else if (kind === "linger" && value === false) {
      v = -1;
    } else {
      if (typeof value !== "number" || !Number.isInteger(value)) {
        throw new TypeError(`${name} takes an integer, got ${describe(value)}`);
      }
      const max = kind === "linger" ? 0xffff : 0x7fffffff;
      if (value < 0 || value > max) {
        throw new RangeError(`${name} must be in 0..${max}, got ${value}`);
      }
      v = value;
    }
    if (this.#native.setOption(h, name, v) !== 0) throwLastError(this.#native, "setsockopt");
  }

  /**
   * Reads a common socket option (`getsockopt()`).
   *
   * @param name The option.
   * @returns Its value (see {@link SocketOptionValues}).
   * @throws {TypeError} on an unknown option.
   * @throws {WinsockError} when the system refuses (e.g. WSAENOPROTOOPT for `noDelay` on UDP).
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * using s = Socket.open("inet", "stream");
   * s.getOption("type"); // "stream"
   * ```
   */
  getOption<K extends SocketOptionName>(name: K): SocketOptionValues[K] {
    const h = this.#live("getOption");
    const kind = Object.hasOwn(OPTION_KINDS, name) ? OPTION_KINDS[name] : undefined;
    if (kind === undefined) {
      throw new TypeError(`name must be a socket option, got ${describe(name)}`);
    }
    if (this.#native.getOption(h, name, optionValue) !== 0) {
      throwLastError(this.#native, "getsockopt");
    }
    const v = optionValue[0];
    let out: unknown;
    if (kind === "bool") out = v !== 0;
    else if (kind === "linger") out = v < 0 ? false : v;
    else if (name === "type") out = TYPE_NAMES[v] ?? v;
    else out = v;
    return out as SocketOptionValues[K];
  }

  /**
   * Closes the socket. Idempotent: later calls do nothing. Every other method then throws
   * {@link SocketClosedError} without touching the native layer.
   *
   * @throws {WinsockError} when the system reports a failure closing (the socket counts as
   * closed all the same).
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * const s = Socket.open("inet", "stream");
   * s.close();
   * s.close(); // no-op
   * ```
   */
  close(): void {
    const owner = this.#owner;
    const h = owner.handle;
    if (h === undefined) return;
    release(owner);
    const r = this.#native.close(h);
    const error = r === 0 ? 0 : this.#native.lastError();
    // Overlapped operations still under way on the handle end now (ioctlAsync settles them).
    for (const op of owner.pending) op.ownerClosed();
    owner.pending.clear();
    if (error !== 0) throw new WinsockError(error, { call: "closesocket" });
  }

  /**
   * Closes the socket (`using`).
   *
   * @example
   * ```ts
   * import { Socket } from "./socket.ts";
   * { using s = Socket.open("inet", "stream"); } // closed here
   * ```
   */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * The native handle of a {@link Socket} or a raw `bigint` handle, for the typed calls.
 *
 * @param socket A Socket, or a raw handle.
 * @param call The calling function's name, for the error message.
 * @returns The handle.
 * @throws {TypeError} when `socket` is neither.
 * @throws {RangeError} when a raw handle is negative or above what the platform represents
 * (2^64-2 on Windows, an `int` file descriptor elsewhere).
 * @throws {SocketClosedError} when the Socket is closed.
 * @example
 * ```ts
 * import { Socket, socketHandle } from "./socket.ts";
 * using s = Socket.open("inet", "stream");
 * socketHandle(s) === s.handle; // true
 * ```
 */
export function socketHandle(socket: Socket | bigint, call = "ioctl"): bigint {
  if (socket instanceof Socket) {
    if (socket.closed) throw new SocketClosedError(call);
    return socket.handle;
  }
  if (typeof socket !== "bigint") {
    throw new TypeError(`socket must be a Socket or a bigint handle, got ${describe(socket)}`);
  }
  return checkHandle(socket, "socket", nativeApi().maxHandle);
}

/** Checks a control code: a uint32. */
function checkCode(code: unknown): asserts code is number {
  if (typeof code !== "number") {
    throw new TypeError(`code must be a number, got ${describe(code)}`);
  }
  if (!Number.isInteger(code) || code < 0 || code > 0xffffffff) {
    throw new RangeError(`code must be an integer in 0..0xffffffff, got ${code}`);
  }
}

/**
 * The name of a control code for messages: its SDK name, or its hex value.
 *
 * @param code The control code.
 * @returns E.g. `"FIONREAD"` or `"0x12345678"`.
 */
function codeLabel(code: number): string {
  return ioctlName(code) ?? `0x${code.toString(16).padStart(8, "0")}`;
}

const DWORD_MAX = 0xffffffff;

/** A buffer's real length, checked against WSAIoctl's DWORD lengths. */
function dwordLength(bytes: Uint8Array | null, name: string): number {
  if (bytes === null) return 0;
  const n = byteLengthOf(bytes);
  if (n > DWORD_MAX) {
    throw new RangeError(`${name} has ${n} bytes; WSAIoctl takes at most ${DWORD_MAX}`);
  }
  return n;
}

/**
 * Runs any Winsock control code on a socket: `WSAIoctl(s, code, input, input.byteLength,
 * output, output.byteLength, &bytesReturned, NULL, NULL)`. Buffers are passed zero-copy; their
 * lengths are the views' real byte lengths (read from the engine, never from a `byteLength`
 * property the view may carry), at most 2^32-1 each. On Linux and macOS only FIONBIO,
 * FIONREAD and SIOCATMARK run (translated, with Windows semantics); any other code throws
 * {@link UnsupportedError} before any native call.
 *
 * What the three portable codes answer on Linux and macOS:
 * - a handle that is not a socket (a pipe, a file) fails with WSAENOTSOCK before anything is
 *   done to it, as on Windows;
 * - FIONREAD on a datagram socket is the platform's own answer: Windows counts every byte
 *   queued, Linux only the first datagram's (Linux has no call that counts the others without
 *   receiving them); on a stream socket every platform answers the bytes queued;
 * - SIOCATMARK answers as Windows does: TRUE when no urgent (OOB) byte waits to be read, FALSE
 *   while one does, with or without `oobInline`;
 * - FIONREAD, FIONBIO and SIOCATMARK throw {@link UnsupportedError} on a Linux CPU whose
 *   request numbers are not verified (alpha, mips, powerpc, sparc, any 32-bit CPU).
 *
 * @param socket A {@link Socket} or a raw `bigint` handle.
 * @param code The control code, a uint32 (e.g. `FIONREAD` from `codes/mod.ts`).
 * @param input The input buffer (any ArrayBufferView), or null/undefined for none.
 * @param output The output buffer (any ArrayBufferView), or null/undefined for none.
 * @returns The number of bytes the call wrote to `output` (`lpcbBytesReturned`).
 * @throws {TypeError} when `code` is not a number, `input`/`output` not ArrayBufferViews (or
 * views of detached buffers), or `socket` neither a Socket nor a bigint.
 * @throws {RangeError} when `code` is not a uint32 integer, or a buffer is over 2^32-1 bytes.
 * @throws {SocketClosedError} when the Socket is closed.
 * @throws {UnsupportedError} for a code this platform cannot run.
 * @throws {WinsockError} carrying the WSA code and the IOCTL's name when the call fails.
 * @example
 * ```ts
 * import { ioctl, Socket } from "./socket.ts";
 * import { FIONBIO } from "./codes/mod.ts";
 * using s = Socket.open("inet", "stream");
 * ioctl(s, FIONBIO, new Uint32Array([1])); // nonblocking now; returns 0
 * ```
 */
export function ioctl(
  socket: Socket | bigint,
  code: number,
  input?: ArrayBufferView | null,
  output?: ArrayBufferView | null,
): number {
  checkCode(code);
  const h = socketHandle(socket, "ioctl");
  const inBytes = optionalBytesOf(input, "input");
  const outBytes = optionalBytesOf(output, "output");
  const inLength = dwordLength(inBytes, "input");
  const outLength = dwordLength(outBytes, "output");
  const native = nativeApi();
  const r = native.wsaIoctl(h, code, inBytes, inLength, outBytes, outLength);
  if (r < 0) {
    throw new WinsockError(native.lastError(), { call: "WSAIoctl", ioctl: codeLabel(code) });
  }
  return r;
}

/**
 * The native address of a view's first byte, for output buffers that hold pointers into
 * themselves (`SIO_ADDRESS_LIST_QUERY` fills a `SOCKET_ADDRESS_LIST` whose `lpSockaddr` point
 * into the same buffer: pass this address to `parseSocketAddressList`). The address stays valid
 * while the view's ArrayBuffer is alive and neither detached nor resized; views over an explicit
 * `new ArrayBuffer(n)` never move.
 *
 * @param view Any ArrayBufferView.
 * @returns The address of its first byte.
 * @throws {TypeError} when `view` is not an ArrayBufferView, or a view of a detached buffer.
 * @example
 * ```ts
 * import { bufferAddress } from "./socket.ts";
 * const out = new Uint8Array(new ArrayBuffer(1024));
 * bufferAddress(out) > 0n; // true
 * ```
 */
export function bufferAddress(view: ArrayBufferView): bigint {
  const bytes = bytesOf(view, "view");
  materialize(bytes);
  return nativeApi().bufferAddress(bytes);
}

/** Options of {@link ioctlAsync}. */
export interface IoctlAsyncOptions {
  /** Cancels the operation (`CancelIoEx`); the Promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** How long one wait for the event lasts before the operation's status is looked at again. */
const WAIT_SLICE_MS = 100;
/** How long a cancelled (or closed) operation may take to let go of its buffers. */
const SETTLE_MS = 5000;

/**
 * One overlapped WSAIoctl under way. Its OVERLAPPED and buffers are library-owned copies in
 * explicit ArrayBuffers (memory that neither moves nor can be detached by the caller), kept
 * referenced until Windows is provably done with them: the OVERLAPPED's status is final.
 */
class PendingOperation {
  readonly overlapped: Uint8Array = new Uint8Array(new ArrayBuffer(OVERLAPPED_SIZE));
  /** Set when the handle's owning Socket closed it while the operation was under way. */
  closed = false;

  constructor(
    readonly native: NativeApi,
    readonly event: bigint,
    readonly input: Uint8Array | null,
    readonly output: Uint8Array | null,
  ) {}

  /** Windows no longer uses the buffers: the status in the OVERLAPPED is final. */
  done(): boolean {
    return this.native.overlappedStatus(this.overlapped) >= 0 || this.native.lastError() !== 997;
  }

  /** The owning Socket closed the handle: wake the waiter. */
  ownerClosed(): void {
    this.closed = true;
    this.native.setEvent(this.event);
  }

  /** Frees the event; only once {@link done}. */
  dispose(): void {
    this.native.closeEvent(this.event);
  }
}

/**
 * Operations abandoned while Windows still held their buffers (a cancel that did not land in
 * {@link SETTLE_MS}): kept alive here, and freed by a later call once their status is final.
 */
const orphans = new Set<PendingOperation>();

function sweepOrphans(): void {
  for (const op of orphans) {
    if (op.done()) {
      orphans.delete(op);
      op.dispose();
    }
  }
}

/** Waits until the operation's status is final, or `ms` passed; true when final. */
async function settle(op: PendingOperation, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!op.done()) {
    const left = end - Date.now();
    if (left <= 0) return false;
    const signalled = await op.native.waitEvent(op.event, Math.min(left, WAIT_SLICE_MS));
    // Signalled by ownerClosed(), not by Windows: wait for Windows' own signal.
    if (signalled && !op.done()) op.native.resetEvent(op.event);
  }
  return true;
}

/**
 * Runs a control code as overlapped I/O and resolves when it completes, without blocking the
 * event loop: for the notification codes (`SIO_ADDRESS_LIST_CHANGE`,
 * `SIO_ROUTING_INTERFACE_CHANGE`, `SIO_IDEAL_SEND_BACKLOG_CHANGE`, …), which wait for a change.
 * Windows only.
 *
 * Windows works on copies of `input` and `output` in memory the library owns, so the caller's
 * views may be touched, moved or detached at any time; `output` receives the result when the
 * operation succeeds. The operation settles with its real status (also when Windows reports a
 * failure only through the OVERLAPPED, without signalling). Closing the Socket (the one passed,
 * or the Socket that owns a raw handle) settles it: with {@link SocketClosedError} when `socket`
 * is that Socket, with the operation's own final status (e.g. 995 `WSA_OPERATION_ABORTED`)
 * when a raw handle was passed.
 *
 * @param socket A {@link Socket} or a raw `bigint` handle.
 * @param code The control code, a uint32.
 * @param input The input buffer, or null/undefined.
 * @param output The output buffer, or null/undefined.
 * @param options `{ signal }` to cancel.
 * @returns The number of bytes written to `output`.
 * @throws {TypeError} / {RangeError} on bad arguments (as {@link ioctl}; `options` must be an
 * object and `options.signal` an AbortSignal).
 * @throws {SocketClosedError} when the Socket is (or gets) closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when the call fails (995 `WSA_OPERATION_ABORTED` once cancelled).
 * @example
 * ```ts
 * import { ioctlAsync, Socket } from "./socket.ts";
 * import { SIO_ADDRESS_LIST_CHANGE } from "./codes/mod.ts";
 * // Windows: resolves when the local address list changes, or rejects once `signal` aborts.
 * export async function waitForAddressChange(signal: AbortSignal): Promise<void> {
 *   using s = Socket.open("inet", "dgram");
 *   await ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal });
 * }
 * ```
 */
export async function ioctlAsync(
  socket: Socket | bigint,
  code: number,
  input?: ArrayBufferView | null,
  output?: ArrayBufferView | null,
  options: IoctlAsyncOptions = {},
): Promise<number> {
  checkCode(code);
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const signal = checkSignal(options.signal, "options.signal");
  const h = socketHandle(socket, "ioctlAsync");
  const inBytes = optionalBytesOf(input, "input");
  const outBytes = optionalBytesOf(output, "output");
  const inLength = dwordLength(inBytes, "input");
  const outLength = dwordLength(outBytes, "output");
  const native = nativeApi();
  if (native.os !== "windows") throw new UnsupportedError(codeLabel(code), native.os, code);
  signal?.throwIfAborted();
  sweepOrphans();
  const label = codeLabel(code);
  const failed = (e: number) => new WinsockError(e, { call: "WSAIoctl", ioctl: label });
  const event = native.createEvent();
  if (event < 0n) throw new WinsockError(native.lastError(), { call: "WSACreateEvent" });
  const op = new PendingOperation(
    native,
    event,
    inBytes === null ? null : pinnedCopy(inBytes),
    outBytes === null ? null : pinnedCopy(outBytes),
  );
  // The Socket whose close() settles this operation: the one passed, or the owner of the handle.
  const owner = socket instanceof Socket ? undefined : owners.get(h);
  const pendingOn = socket instanceof Socket ? ownerOf(socket).pending : owner?.pending;
  let keep = false; // true when the buffers must outlive this call (an orphan)
  try {
    const now = native.wsaIoctlOverlapped(
      h,
      code,
      op.input,
      inLength,
      op.output,
      outLength,
      op.overlapped,
      event,
    );
    if (now < 0) {
      const e = native.lastError();
      if (e !== 997) throw failed(e);
      pendingOn?.add(op);
      try {
        // Pending: wait for a final status (which Windows may set without signalling).
        while (!op.done() && !op.closed) {
          await native.waitEvent(event, WAIT_SLICE_MS, signal);
        }
      } catch (reason) {
        // Aborted: cancel, and keep the buffers until Windows lets go of them.
        if (!op.closed && !op.done()) native.cancelIo(h, op.overlapped);
        if (!(await settle(op, SETTLE_MS))) keep = true;
        throw reason;
      } finally {
        pendingOn?.delete(op);
        owners.get(h)?.pending.delete(op); // taken over meanwhile (Socket.fromHandle)
      }
      if (op.closed && !(await settle(op, SETTLE_MS))) {
        keep = true;
        throw new SocketClosedError("ioctlAsync");
      }
      if (op.closed && socket instanceof Socket) throw new SocketClosedError("ioctlAsync");
    }
    // The result from the OVERLAPPED itself: the handle may be closed by now.
    const n = now >= 0 ? now : native.overlappedStatus(op.overlapped);
    if (n < 0) throw failed(native.lastError());
    if (outBytes !== null && op.output !== null && n > 0) {
      // Into the caller's view as it is now (it may have shrunk or been detached meanwhile).
      const room = byteLengthOf(outBytes);
      outBytes.set(op.output.subarray(0, Math.min(n, room)));
    }
    return n;
  } finally {
    if (keep) orphans.add(op);
    else op.dispose();
  }
}
