/**
 * {@link Socket}: a socket that wsioctl creates and owns through FFI, or one it borrows
 * (`Socket.borrow`: a runtime's socket, found with `handleOf`, which it never closes). The
 * control-code calls on it live in `ioctl.ts`.
 *
 * A closed socket throws {@link SocketClosedError} from every method before any native call:
 * the closed handle number may already belong to another socket.
 *
 * @example
 * ```ts
 * import { Socket } from "@x/wsioctl";
 *
 * using server = Socket.open("inet", "stream");
 * server.bind("127.0.0.1", 0);
 * server.listen();
 * using client = Socket.open("inet", "stream");
 * client.connect("127.0.0.1", server.localAddress().port);
 * using peer = server.accept();
 * client.send(new TextEncoder().encode("hello"));
 * const into = new Uint8Array(16);
 * peer.recv(into); // 5
 * ```
 *
 * @module
 */

import { SocketClosedError, WinsockError } from "./errors.ts";
import { AF_INET, AF_INET6, type MessageBuffers, type NativeApi } from "./ffi/native.ts";
import { nativeApi } from "./ffi/select.ts";
import type {
  RecvFromOptions,
  RecvOptions,
  SendOptions,
  SocketAddress,
  SocketFamily,
  SocketOptionName,
  SocketOptionValues,
  SocketType,
  TimestampedDatagram,
  WritableSocketOptionName,
} from "./socket_types.ts";
import {
  addr128,
  addr28,
  addressFamily,
  addrLength,
  checkOpen,
  checkOptionName,
  clearAddress,
  decodeOption,
  encodeOption,
  flagsOf,
  nativeOptionName,
  optionValue,
  readAddress,
  timestampIdOf,
  timestampWanted,
  TYPE_NAMES,
  writeAddress,
} from "./_socket_args.ts";
import { byteLengthOf, bytesOf, checkHandle, checkInteger, materialize } from "./_validate.ts";
import { borrow, claim, end, type Owner } from "./_owner.ts";

function throwLastError(native: NativeApi, call: string): never {
  throw new WinsockError(native.lastError(), { call });
}

/**
 * A socket owned by wsioctl: created by {@link Socket.open} (or {@link Socket.accept}), or
 * adopted by {@link Socket.fromHandle}. Calls block like their C counterparts unless the socket
 * was made nonblocking (FIONBIO). Close it with `close()` or `using`; a `FinalizationRegistry`
 * closes a forgotten one as a backstop. `release()` hands the handle over instead.
 *
 * @example
 * ```ts
 * import { Socket } from "@x/wsioctl";
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
  /** The message buffers of the timestamped send and receive, allocated on first use. */
  #messages: MessageBuffers | undefined;

  private constructor(
    native: NativeApi,
    handle: bigint,
    family: SocketFamily | undefined,
    type: SocketType | undefined,
    how: "new" | "adopted" | "borrowed" = "new",
  ) {
    this.#owner = how === "borrowed"
      ? borrow(this, handle, native)
      : claim(this, handle, native, how === "new");
    this.#family = family;
    this.#type = type;
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
   * import { Socket } from "@x/wsioctl";
   * using s = Socket.open("inet6", "stream");
   * ```
   */
  static open(family: SocketFamily, type: SocketType, protocol = 0): Socket {
    const sockType = checkOpen(family, type, protocol);
    const native = nativeApi();
    const h = native.socket(family === "inet" ? AF_INET : AF_INET6, sockType, protocol);
    if (h < 0n) throwLastError(native, "socket");
    return new Socket(native, h, family, type);
  }

  /**
   * Adopts an existing native socket handle (a Windows `SOCKET` or a POSIX file descriptor).
   * The Socket takes ownership: `close()` closes the handle, and so does the garbage collector
   * if the Socket is dropped unclosed. A handle has exactly one owner: when another Socket owns
   * `handle`, that Socket gives it up (it acts as closed from then on, without closing the
   * handle, and the collector will never close it for it). Sockets that borrowed the handle
   * ({@link Socket.borrow}), before or after, stay on it and act closed once this Socket closes
   * or releases it.
   *
   * @param handle The handle.
   * @returns The socket.
   * @throws {TypeError} when `handle` is not a bigint.
   * @throws {RangeError} when `handle` is negative or above what the platform represents
   * (2^64-2 on Windows, an `int` file descriptor elsewhere).
   * @throws {WinsockError} WSAENOTSOCK when the handle is not a socket.
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * const a = Socket.open("inet", "stream");
   * const b = Socket.fromHandle(a.handle); // b now owns the handle; a is closed to its user
   * a.closed; // true (the handle stays open under b)
   * b.close();
   * ```
   */
  static fromHandle(handle: bigint): Socket {
    return Socket.#adopt(handle, false);
  }

  /**
   * A Socket on a handle that something else owns — typically your runtime's socket, from
   * `handleOf` — which wsioctl never closes: not on `close()`, not on dispose (`using`),
   * not from the garbage collector. Its `close()` only detaches it: it then acts closed, and the
   * handle stays open. Use it for the Socket methods (options, addresses, …) on a runtime's
   * socket, as long as the runtime keeps that socket open (the number may be reused after).
   *
   * When a wsioctl Socket owns the handle, now or later ({@link Socket.fromHandle}), it stays the
   * owner: the borrowed Socket acts closed as soon as wsioctl closes the handle or gives it up
   * ({@link Socket.release}), since the number may then be another socket's. Closing the
   * borrowed Socket settles the overlapped operations started through it (`ioctlAsync`, the
   * `*Change` waits) with {@link SocketClosedError}, each cancelled on its own OVERLAPPED: the
   * handle's other I/O, its real owner's, goes on.
   *
   * @param handle The handle (a Windows `SOCKET`, a POSIX descriptor).
   * @returns A Socket that never closes `handle`.
   * @throws {TypeError} when `handle` is not a bigint.
   * @throws {RangeError} when `handle` is negative or above what the platform represents.
   * @throws {WinsockError} WSAENOTSOCK when the handle is not a socket.
   * @example
   * ```ts
   * import { handleOf, Socket } from "@x/wsioctl";
   * export async function keepAliveIsOn(conn: Deno.Conn): Promise<boolean> {
   *   using s = Socket.borrow(handleOf(conn)); // detached at the end of the scope, never closed
   *   return s.getOption("keepAlive");
   * }
   * ```
   */
  static borrow(handle: bigint): Socket {
    return Socket.#adopt(handle, true);
  }

  static #adopt(handle: bigint, borrowed: boolean): Socket {
    const native = nativeApi();
    checkHandle(handle, "handle", native.maxHandle);
    if (native.getOption(handle, "type", optionValue) !== 0) throwLastError(native, "getsockopt");
    const type = TYPE_NAMES[optionValue[0]];
    let family: SocketFamily | undefined;
    if (native.localName(handle, addr128, addrLength) === 0) {
      const af = addressFamily();
      family = af === AF_INET ? "inet" : af === AF_INET6 ? "inet6" : undefined;
    }
    return new Socket(native, handle, family, type, borrowed ? "borrowed" : "adopted");
  }

  /** `true` for a Socket from {@link Socket.borrow}: wsioctl never closes its handle. */
  get borrowed(): boolean {
    return this.#owner.borrowed;
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
   * `true` once {@link Socket.close} or {@link Socket.release} ran (or another Socket took the
   * handle over with {@link Socket.fromHandle}; for a borrowed Socket, also once the Socket that
   * owns the handle closed or released it).
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
   * import { Socket } from "@x/wsioctl";
   * using s = Socket.open("inet", "stream");
   * s.bind("127.0.0.1", 0);
   * ```
   */
  bind(address: string, port: number): void {
    this.#live("bind");
    const a = writeAddress(this.#family, address, port);
    const h = this.#live("bind");
    if (this.#owner.native.bind(h, a) !== 0) throwLastError(this.#owner.native, "bind");
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
   * import { Socket } from "@x/wsioctl";
   * using s = Socket.open("inet", "stream");
   * s.bind("127.0.0.1", 0);
   * s.listen();
   * ```
   */
  listen(backlog = 128): void {
    checkInteger(backlog, "backlog", 0, 0x7fffffff);
    const h = this.#live("listen");
    if (this.#owner.native.listen(h, backlog) !== 0) throwLastError(this.#owner.native, "listen");
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
   * import { Socket } from "@x/wsioctl";
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
    const c = this.#owner.native.accept(h, addr128, addrLength);
    if (c < 0n) throwLastError(this.#owner.native, "accept");
    return new Socket(this.#owner.native, c, this.#family, this.#type);
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
   * import { Socket } from "@x/wsioctl";
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
    if (this.#owner.native.connect(h, a) !== 0) throwLastError(this.#owner.native, "connect");
  }

  /**
   * Sends bytes (`send()`).
   *
   * @param data The bytes (any ArrayBufferView; its whole byte range). On Windows at most 2^31-1
   * bytes go in one call (its `int` length): the count returned says how many were sent.
   * @param options `{ oob }` for urgent data, `{ dontRoute }`; `{ timestampId }` tags the
   * datagram with a UINT32 id whose TX timestamp `txTimestamp` / `txTimestampPoller` then return
   * (Windows: `WSASendMsg` + `SO_TIMESTAMP_ID`; Linux 6.13 and later: `sendmsg` +
   * `SCM_TS_OPT_ID`).
   * @returns The number of bytes sent.
   * @throws {TypeError} when `data` is not an ArrayBufferView, or a view of a detached buffer,
   * or `options.timestampId` is not an integer.
   * @throws {RangeError} when `options.timestampId` is outside 0..2^32-1 (nothing is sent).
   * @throws {UnsupportedError} for `timestampId` on Linux before 6.13, macOS and the other
   * systems, before anything is sent.
   * @throws {WinsockError} e.g. WSAENOTCONN, WSAEWOULDBLOCK; WSAEINVAL for a `timestampId` on
   * Linux before `setTimestamping` ran on the socket.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * export function example(s: Socket) {
   *   s.send(new TextEncoder().encode("hi"));
   *   s.send(new TextEncoder().encode("stamped"), { timestampId: 7 }); // a connected UDP socket
   * }
   * ```
   */
  send(data: ArrayBufferView, options?: SendOptions): number {
    const flags = flagsOf(options, "options");
    const id = timestampIdOf(options, "options");
    const h = this.#live("send");
    const bytes = bytesOf(data, "data");
    if (id >= 0) return this.#sendStamped(h, bytes, flags, null, id);
    const r = this.#owner.native.send(h, bytes, byteLengthOf(bytes), flags);
    if (r < 0) throwLastError(this.#owner.native, "send");
    return r;
  }

  /** A send with a timestamp id (WSASendMsg / sendmsg), on this Socket's message buffers. */
  #sendStamped(
    h: bigint,
    bytes: Uint8Array,
    flags: number,
    addr: Uint8Array | null,
    id: number,
  ): number {
    const native = this.#owner.native;
    const buffers = this.#messages ??= native.messageBuffers();
    materialize(bytes); // its address goes into the message: no engine may move it now
    const r = native.sendMsg(h, bytes, byteLengthOf(bytes), flags, addr, id, buffers);
    if (r < 0) throwLastError(native, "WSASendMsg");
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
   * import { Socket } from "@x/wsioctl";
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
    const r = this.#owner.native.recv(h, bytes, byteLengthOf(bytes), flags);
    if (r < 0) throwLastError(this.#owner.native, "recv");
    return r;
  }

  /**
   * Sends a datagram to an address (`sendto()`).
   *
   * @param data The bytes.
   * @param address The destination address.
   * @param port The destination port.
   * @param options `{ oob }`, `{ dontRoute }`; `{ timestampId }` as for {@link Socket.send}.
   * @returns The number of bytes sent.
   * @throws {TypeError} on a non-view `data`, a malformed address, a non-integer port or
   * `options.timestampId`.
   * @throws {RangeError} on a port outside 0..65535, a `timestampId` outside 0..2^32-1.
   * @throws {UnsupportedError} for `timestampId` where the platform cannot attach one (Linux
   * before 6.13, macOS, the others), before anything is sent.
   * @throws {WinsockError} e.g. WSAEMSGSIZE.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * using s = Socket.open("inet", "dgram");
   * s.sendTo(new Uint8Array([1]), "127.0.0.1", 9);
   * ```
   */
  sendTo(data: ArrayBufferView, address: string, port: number, options?: SendOptions): number {
    const flags = flagsOf(options, "options");
    const id = timestampIdOf(options, "options");
    this.#live("sendTo");
    const a = writeAddress(this.#family, address, port);
    const h = this.#live("sendTo");
    const bytes = bytesOf(data, "data");
    if (id >= 0) return this.#sendStamped(h, bytes, flags, a, id);
    const r = this.#owner.native.sendTo(h, bytes, byteLengthOf(bytes), flags, a);
    if (r < 0) throwLastError(this.#owner.native, "sendto");
    return r;
  }

  /**
   * Receives a datagram, its sender and its RX timestamp (`WSARecvMsg` on Windows, `recvmsg`
   * elsewhere): see the general form below.
   *
   * @param into Receives the bytes.
   * @param options `{ timestamp: true }`, with `{ oob }`, `{ peek }`.
   * @returns The byte count, the sender's address and the timestamp.
   */
  recvFrom(
    into: ArrayBufferView,
    options: RecvFromOptions & { timestamp: true },
  ): TimestampedDatagram;
  /**
   * Receives a datagram and its sender (`recvfrom()`): see the general form below.
   *
   * @param into Receives the bytes.
   * @param options `{ oob }`, `{ peek }`.
   * @returns The byte count and the sender's address.
   */
  recvFrom(
    into: ArrayBufferView,
    options?: RecvFromOptions,
  ): { bytes: number; from: SocketAddress };
  /**
   * Receives a datagram and its sender (`recvfrom()`); blocks unless nonblocking. On a stream
   * socket it receives like {@link Socket.recv} and reports the connected peer's address
   * (asked before reading: an unconnected stream socket fails with WSAENOTCONN and consumes
   * nothing).
   *
   * With `{ timestamp: true }` it also returns the datagram's RX timestamp, in the ticks of
   * `timestampNow()` (`timestampFrequency()` per second), or `undefined` when the stack attached
   * none; `setTimestamping(s, { rx: true, … })` turns RX stamps on. Windows: `WSARecvMsg` (its
   * pointer fetched once per address family) and the `SO_TIMESTAMP` control message; Linux:
   * `recvmsg` and the software stamp of `SCM_TIMESTAMPING`; macOS: `SO_TIMESTAMP`. The message
   * buffers are allocated once per Socket. A stream socket has no RX stamps on Windows, so its
   * `timestamp` is `undefined` everywhere.
   *
   * @param into Receives the bytes.
   * @param options `{ oob }`, `{ peek }`, `{ timestamp }`.
   * @returns The byte count and the sender's address (and `timestamp` when asked for).
   * @throws {TypeError} when `into` is not an ArrayBufferView, or a view of a detached buffer,
   * or `options.timestamp` is not a boolean.
   * @throws {UnsupportedError} for `timestamp` on a system without RX stamps, and on Windows under
   * Node's `node:ffi` (which cannot call `WSARecvMsg`'s pointer; koffi can), before it receives.
   * @throws {WinsockError} e.g. WSAEMSGSIZE when the datagram did not fit (Windows), WSAENOTCONN
   * on an unconnected stream socket.
   * @throws {Error} when the control bytes the system returned are malformed (naming the call).
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * export function example(s: Socket) {
   *   const { bytes, from } = s.recvFrom(new Uint8Array(1500));
   *   const { timestamp } = s.recvFrom(new Uint8Array(1500), { timestamp: true });
   * }
   * ```
   */
  recvFrom(
    into: ArrayBufferView,
    options?: RecvFromOptions,
  ): { bytes: number; from: SocketAddress } | TimestampedDatagram {
    const flags = flagsOf(options, "options");
    const stamped = timestampWanted(options, "options");
    const h = this.#live("recvFrom");
    const bytes = bytesOf(into, "into");
    if (this.#type === "stream") {
      // recvfrom on a connection gives no address (Linux: length 0; Windows leaves the buffer
      // as it was): the peer's, asked first.
      const from = this.remoteAddress();
      const r = this.#owner.native.recv(h, bytes, byteLengthOf(bytes), flags);
      if (r < 0) throwLastError(this.#owner.native, "recv");
      return stamped ? { bytes: r, from, timestamp: undefined } : { bytes: r, from };
    }
    clearAddress();
    if (stamped) return this.#recvStamped(h, bytes, flags);
    const r = this.#owner.native.recvFrom(h, bytes, byteLengthOf(bytes), flags, addr28, addrLength);
    if (r < 0) throwLastError(this.#owner.native, "recvfrom");
    if (addressFamily() === 0) {
      // No sender address came back (a connected socket of another type): the peer's.
      return { bytes: r, from: this.remoteAddress() };
    }
    return { bytes: r, from: readAddress() };
  }

  /** A receive with its RX timestamp (WSARecvMsg / recvmsg), on this Socket's buffers. */
  #recvStamped(h: bigint, bytes: Uint8Array, flags: number): TimestampedDatagram {
    const native = this.#owner.native;
    const buffers = this.#messages ??= native.messageBuffers();
    const af = this.#family === "inet6" ? AF_INET6 : AF_INET;
    materialize(bytes); // its address goes into the message: no engine may move it now
    const r = native.recvMsg(h, bytes, byteLengthOf(bytes), flags, addr28, addrLength, af, buffers);
    if (r < 0) throwLastError(native, "WSARecvMsg");
    const timestamp = buffers.stamp[0] === 0n ? undefined : buffers.stamp[1];
    const from = addressFamily() === 0 ? this.remoteAddress() : readAddress();
    return { bytes: r, from, timestamp };
  }

  /**
   * The local address (`getsockname()`).
   *
   * @returns The address.
   * @throws {WinsockError} e.g. WSAEINVAL for an unbound socket on Windows.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * using s = Socket.open("inet", "stream");
   * s.bind("127.0.0.1", 0);
   * s.localAddress().port; // the chosen port
   * ```
   */
  localAddress(): SocketAddress {
    const h = this.#live("localAddress");
    if (this.#owner.native.localName(h, addr28, addrLength) !== 0) {
      throwLastError(this.#owner.native, "getsockname");
    }
    return readAddress();
  }

  /**
   * The peer's address (`getpeername()`).
   *
   * @returns The address.
   * @throws {WinsockError} WSAENOTCONN when not connected.
   * @throws {SocketClosedError} once closed.
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * export function example(s: Socket) {
   *   s.remoteAddress(); // { family: "inet", address: "127.0.0.1", port: … }
   * }
   * ```
   */
  remoteAddress(): SocketAddress {
    const h = this.#live("remoteAddress");
    if (this.#owner.native.peerName(h, addr28, addrLength) !== 0) {
      throwLastError(this.#owner.native, "getpeername");
    }
    return readAddress();
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
   * import { Socket } from "@x/wsioctl";
   * using s = Socket.open("inet", "stream");
   * s.setOption("noDelay", true);
   * s.setOption("linger", false);
   * s.setOption("keepAliveTime", 30); // seconds idle before the first keep-alive probe
   * ```
   */
  setOption<K extends WritableSocketOptionName>(name: K, value: SocketOptionValues[K]): void {
    const h = this.#live("setOption");
    const v = encodeOption(name, value);
    if (this.#owner.native.setOption(h, nativeOptionName(name), v) !== 0) {
      throwLastError(this.#owner.native, "setsockopt");
    }
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
   * import { Socket } from "@x/wsioctl";
   * using s = Socket.open("inet", "stream");
   * s.getOption("type"); // "stream"
   * ```
   */
  getOption<K extends SocketOptionName>(name: K): SocketOptionValues[K] {
    const h = this.#live("getOption");
    checkOptionName(name);
    if (this.#owner.native.getOption(h, nativeOptionName(name), optionValue) !== 0) {
      throwLastError(this.#owner.native, "getsockopt");
    }
    return decodeOption(name, optionValue[0]);
  }

  /**
   * Closes the socket. Idempotent: later calls do nothing. Every other method then throws
   * {@link SocketClosedError} without touching the native layer; Sockets that borrowed the handle
   * act closed too, and overlapped operations under way on it settle. A borrowed Socket
   * ({@link Socket.borrow}) is only detached: its handle stays open, and the overlapped
   * operations started through it settle with {@link SocketClosedError}.
   *
   * @throws {WinsockError} when the system reports a failure closing (the socket counts as
   * closed all the same).
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * const s = Socket.open("inet", "stream");
   * s.close();
   * s.close(); // no-op
   * ```
   */
  close(): void {
    const owner = this.#owner;
    const h = end(owner, false);
    if (h === undefined || owner.borrowed) return; // a borrower only let go of the handle
    const r = owner.native.close(h);
    if (r !== 0) throw new WinsockError(owner.native.lastError(), { call: "closesocket" });
  }

  /**
   * Gives up ownership: returns the handle, which stays open and is the caller's from then on.
   * The Socket acts closed (as after {@link Socket.close}), and nothing in wsioctl closes the
   * handle later, not the garbage collector either. Sockets that borrowed it
   * ({@link Socket.borrow}) act closed too; overlapped operations started through any of them
   * (`ioctlAsync`, the `*Change` waits) settle with {@link SocketClosedError}, each cancelled on
   * its own OVERLAPPED (`CancelIoEx`): the handle's other I/O goes on. To hand the handle to
   * another Socket, {@link Socket.fromHandle} alone does it.
   *
   * @returns The handle (a Windows `SOCKET`, a POSIX descriptor), now the caller's to close.
   * @throws {SocketClosedError} once closed or released.
   * @throws {TypeError} on a borrowed Socket: it owns no handle to give (`close()` detaches it).
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * const s = Socket.open("inet", "dgram");
   * const h = s.release(); // s.closed === true; h stays open
   * using again = Socket.fromHandle(h); // owned (and closed) by a Socket again
   * again.bind("127.0.0.1", 0);
   * ```
   */
  release(): bigint {
    const owner = this.#owner;
    this.#live("release");
    if (owner.borrowed) {
      throw new TypeError(
        "release: a borrowed Socket owns no handle to give (its close() only detaches it)",
      );
    }
    return end(owner, true)!;
  }

  /**
   * Closes the socket (`using`).
   *
   * @example
   * ```ts
   * import { Socket } from "@x/wsioctl";
   * { using s = Socket.open("inet", "stream"); } // closed here
   * ```
   */
  [Symbol.dispose](): void {
    this.close();
  }
}
