/**
 * Packet timestamps on datagram sockets, typed, with one model on Windows and Linux:
 *
 * 1. {@link setTimestamping} (SIO_TIMESTAMPING) turns them on per direction.
 * 2. A datagram is sent with an id: `socket.send(data, { timestampId })` /
 *    `socket.sendTo(data, address, port, { timestampId })` (Windows: `WSASendMsg` with a
 *    `SO_TIMESTAMP_ID` control message; Linux 6.13 and later: `sendmsg` with `SCM_TS_OPT_ID`,
 *    taken only after step 1).
 * 3. Its TX timestamp is polled by that id: {@link txTimestamp}, or {@link txTimestampPoller}
 *    for a loop (SIO_GET_TX_TIMESTAMP on Windows; the socket's error queue on Linux).
 * 4. RX timestamps come with each datagram: `socket.recvFrom(into, { timestamp: true })`.
 *
 * Every stamp is in the ticks of `timestampNow()`, `timestampFrequency()` per second
 * (QueryPerformanceCounter on Windows, CLOCK_REALTIME nanoseconds on Linux and macOS).
 *
 * Where it runs: Windows 10 build 20348 / Windows Server 2022 and later; Linux (x86_64, arm64,
 * riscv64, loongarch64; ids need 6.13); macOS has RX stamps only (`SO_TIMESTAMP`: TX is
 * `UnsupportedError`); elsewhere every call throws `UnsupportedError` naming itself.
 *
 * Linux, in detail:
 * - `setTimestamping` sets `SO_TIMESTAMPING` to SOFTWARE | OPT_ID | OPT_TSONLY, with
 *   TX_SOFTWARE for `tx` and RX_SOFTWARE for `rx`; a stream socket is refused (WSAEINVAL), as
 *   Windows refuses one.
 * - A datagram sent without an id (a runtime's own send, `Deno.DatagramConn.send`,
 *   `Bun.udpSocket().send`, `node:dgram`) gets the next value of the socket's OPT_ID counter:
 *   0 for the first such send after `setTimestamping` (which restarts it), then 1, 2, …; sends
 *   with an id do not advance it. So the typed calls work on a runtime's own UDP socket too.
 * - A poll reads the error queue without blocking (`recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT)`) until
 *   it finds the id asked for. Stamps of other ids read on the way are kept, per socket, for
 *   later polls (and `txTimestamp`): at most `txBuffered` of them; further ones are dropped, as
 *   Windows drops them. Other error-queue messages are consumed and ignored.
 * - Poll soon after sending. Bun reads a UDP socket's error queue itself on its next event-loop
 *   turn (its `error` handler sees ENOMSG), which takes the stamps of a `Bun.udpSocket` or a
 *   `node:dgram` socket under Bun: poll right after a synchronous `send`, in a microtask, or in
 *   `node:dgram`'s send callback. Node's event loop wakes for as long as a stamp waits in the
 *   queue. Deno leaves the queue alone. A wsioctl `Socket` is read by no runtime.
 * - The first RX stamps can be missing: Linux turns RX stamping on for the whole system lazily
 *   (a deferred job), so the first datagrams to a newly stamping socket may come without one
 *   (`timestamp` undefined); later ones are stamped.
 *
 * @example Send-path latency of datagrams, the same code on Windows and Linux
 * ```ts
 * import { setTimestamping, Socket, timestampFrequency, timestampNow, txTimestampPoller } from
 *   "@x/wsioctl";
 * export function sendLatencyNs(s: Socket, data: Uint8Array, host: string, port: number) {
 *   setTimestamping(s, { rx: false, tx: true, txBuffered: 16 });
 *   const poller = txTimestampPoller(s);
 *   const before = timestampNow();
 *   s.sendTo(data, host, port, { timestampId: 1 });
 *   const sent = poller.poll(1); // undefined until the stack has the stamp
 *   return sent === undefined ? undefined : (sent - before) * 1_000_000_000n / timestampFrequency();
 * }
 * ```
 *
 * @module
 */

import { SIO_GET_TX_TIMESTAMP, SIO_TIMESTAMPING } from "../codes/mod.ts";
import {
  _ioctlOwned,
  _ioctlOwnedStatus,
  socketHandle,
  type TypedCall,
  typedFailure,
} from "../ioctl.ts";
import { TIMESTAMPING_FLAG_RX, TIMESTAMPING_FLAG_TX, TimestampingConfig } from "../structs/mod.ts";
import { checkBoolean, checkObject, checkUint16, checkUint32 } from "../_validate.ts";
import { in4, in4View, out8, out8View, ownBytes, type SocketRef } from "./_shared.ts";
import { WSAEWOULDBLOCK } from "../_wsa.ts";
import { checkWritten } from "./_written.ts";

const DATAGRAM_ONLY = "SIO_TIMESTAMPING and SIO_GET_TX_TIMESTAMP work on datagram sockets " +
  "only, on Windows 10 build 20348 / Windows Server 2022 and later";
const HINTS = { 10022: DATAGRAM_ONLY, 10045: DATAGRAM_ONLY };
const SET_TIMESTAMPING: TypedCall = { name: "setTimestamping", hints: HINTS };
const TX_TIMESTAMP: TypedCall = { name: "txTimestamp", hints: HINTS };
const TX_TIMESTAMP_POLLER: TypedCall = { name: "txTimestampPoller", hints: HINTS };

// The input, allocated once (JavaScript runs one call at a time; each call is synchronous).
const timestamping = TimestampingConfig.alloc();
const timestampingBytes = ownBytes(timestamping);

/** What {@link setTimestamping} enables. */
export interface TimestampingOptions {
  /**
   * Timestamp received datagrams (`TIMESTAMPING_FLAG_RX`; Linux: RX_SOFTWARE; macOS:
   * `SO_TIMESTAMP`), read with `socket.recvFrom(into, { timestamp: true })`.
   */
  rx: boolean;
  /**
   * Timestamp sent datagrams (`TIMESTAMPING_FLAG_TX`; Linux: TX_SOFTWARE), read back with
   * {@link txTimestamp} / {@link txTimestampPoller}.
   */
  tx: boolean;
  /**
   * How many TX timestamps are kept for retrieval (a USHORT); further ones are dropped until
   * some are read. Default 0. Windows keeps none with 0: give at least 1 with `tx: true`. Linux
   * queues the stamps in the socket's error queue, and this many of the ones a poll reads while
   * looking for another id are kept for later polls.
   */
  txBuffered?: number;
}

/**
 * Turns packet timestamps on or off for each direction (SIO_TIMESTAMPING, a
 * `TIMESTAMPING_CONFIG`). Datagram sockets only. RX timestamps come with each datagram
 * (`socket.recvFrom(into, { timestamp: true })`); TX timestamps are fetched by id with
 * {@link txTimestamp} or {@link txTimestampPoller}, the id given per send
 * (`socket.send(data, { timestampId })`).
 *
 * - Windows 10 build 20348 / Windows Server 2022 and later: SIO_TIMESTAMPING.
 * - Linux: `SO_TIMESTAMPING` = SOFTWARE | OPT_ID | OPT_TSONLY, + TX_SOFTWARE for `tx`, +
 *   RX_SOFTWARE for `rx`. It restarts the socket's OPT_ID counter: a datagram sent without an
 *   id (a runtime's own send) gets 0, then 1, 2, …. Works on a runtime's UDP socket. The first
 *   datagrams after RX stamps are turned on may arrive without a stamp (Linux turns RX
 *   stamping on system-wide in a deferred job).
 * - macOS: `SO_TIMESTAMP` for `rx`; `tx: true` is `UnsupportedError` (no TX software stamps).
 *
 * Platforms: Windows; Linux (emulated: SO_TIMESTAMPING with SOFTWARE, OPT_ID, OPT_TSONLY and
 * TX_SOFTWARE / RX_SOFTWARE; datagram sockets only (WSAEINVAL otherwise, as Windows); restarts the
 * socket's OPT_ID counter); macOS (emulated: SO_TIMESTAMP for rx (recvFrom's timestamp), datagram
 * sockets only; tx: true throws UnsupportedError (no TX stamps)).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (a UDP socket).
 * @param options `{ rx, tx, txBuffered? }`: a direction left `false` is turned off.
 * @throws {TypeError} when `options` is not an object, `rx`/`tx` not booleans, `txBuffered` not an
 * integer, or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `txBuffered` is outside 0..65535, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a system without the stamps asked for (macOS: TX; the others).
 * @throws {WinsockError} when the system refuses (WSAEINVAL for a stream socket on Linux; the
 * message hints at the datagram-only rule).
 * @example
 * ```ts
 * import { setTimestamping, Socket } from "@x/wsioctl";
 * export function timestampBoth(s: Socket): void {
 *   setTimestamping(s, { rx: true, tx: true, txBuffered: 64 });
 * }
 * ```
 */
export function setTimestamping(s: SocketRef, options: TimestampingOptions): void {
  const o = checkObject(options, "options");
  const rx = checkBoolean(o.rx, "options.rx");
  const tx = checkBoolean(o.tx, "options.tx");
  const buffered = o.txBuffered;
  const txBuffered = buffered === undefined ? 0 : checkUint16(buffered, "options.txBuffered");
  const h = socketHandle(s, SET_TIMESTAMPING.name);
  timestamping.flags = (rx ? TIMESTAMPING_FLAG_RX : 0) | (tx ? TIMESTAMPING_FLAG_TX : 0);
  timestamping.txTimestampsBuffered = txBuffered;
  _ioctlOwned(
    h,
    SIO_TIMESTAMPING,
    timestampingBytes,
    TimestampingConfig.SIZE,
    null,
    0,
    SET_TIMESTAMPING,
  );
}

/** SIO_GET_TX_TIMESTAMP on prepared buffers: the timestamp, or undefined for WSAEWOULDBLOCK. */
function getTxTimestamp(
  h: bigint,
  input: Uint8Array,
  output: Uint8Array,
  outputView: DataView,
  call: TypedCall,
): bigint | undefined {
  const r = _ioctlOwnedStatus(h, SIO_GET_TX_TIMESTAMP, input, 4, output, 8, call);
  if (r >= 0) {
    // A short answer never returns what an earlier call left in the output.
    checkWritten(r, 8, "UINT64", SIO_GET_TX_TIMESTAMP, call);
    return outputView.getBigUint64(0, true); // UINT64 timestamp
  }
  if (r === -WSAEWOULDBLOCK) return undefined;
  throw typedFailure(-r, SIO_GET_TX_TIMESTAMP, call);
}

/**
 * The transmit timestamp of the datagram sent with timestamp id `id`, in the ticks of
 * `timestampNow()`, or `undefined` while it is not available (no error object is made).
 * Reading a timestamp removes it. Needs {@link setTimestamping} with `tx: true` first; datagram
 * sockets only. For a polling loop, {@link txTimestampPoller} keeps its own buffers.
 *
 * - Windows 10 build 20348 / Windows Server 2022 and later: SIO_GET_TX_TIMESTAMP (a UINT32 id
 *   in, a UINT64 timestamp out — the code's direction bits say input only; the buffers follow
 *   the SDK's description); `undefined` for WSAEWOULDBLOCK.
 * - Linux: the socket's error queue, read without blocking until the id's stamp comes out (the
 *   stamps of other ids read on the way are kept for later calls, at most `txBuffered`);
 *   `undefined` when the queue holds no stamp of `id`. The id is the one given to
 *   `send`/`sendTo`, or the OPT_ID counter value of a send without one (see
 *   {@link setTimestamping}).
 * - macOS and the others: `UnsupportedError`.
 *
 * Platforms: Windows; Linux (emulated: recvmsg(MSG_ERRQUEUE, MSG_DONTWAIT) until the id's
 * SCM_TIMESTAMPING software stamp (undefined when the queue holds none); other ids' stamps kept per
 * socket, at most txBuffered, handed out only while SO_COOKIE still matches; CLOCK_REALTIME ns);
 * macOS (unsupported; instead: macOS stamps received datagrams only (SO_TIMESTAMP, recvFrom's
 * timestamp); timestampNow() read right after the send is the nearest to a TX stamp).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (a UDP socket).
 * @param id The timestamp id given to the send (a UINT32).
 * @returns The timestamp, or `undefined` when none is available yet.
 * @throws {TypeError} when `id` is not an integer, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `id` is outside 0..2^32-1, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} where there are no TX stamps (macOS, the other systems).
 * @throws {WinsockError} for any refusal but WSAEWOULDBLOCK.
 * @throws {Error} when the system reports fewer than the 8 bytes of a timestamp written.
 * @example
 * ```ts
 * import { Socket, txTimestamp } from "@x/wsioctl";
 * export function sentAt(s: Socket, id: number): bigint | undefined {
 *   return txTimestamp(s, id);
 * }
 * ```
 */
export function txTimestamp(s: SocketRef, id: number): bigint | undefined {
  const n = checkUint32(id, "id");
  const h = socketHandle(s, TX_TIMESTAMP.name);
  in4View.setUint32(0, n, true); // UINT32 timestamp id
  return getTxTimestamp(h, in4, out8, out8View, TX_TIMESTAMP);
}

/** A {@link txTimestamp} that owns its buffers: see {@link txTimestampPoller}. */
export interface TxTimestampPoller {
  /**
   * The transmit timestamp for `id`, or `undefined` while it is not available yet.
   *
   * @param id The timestamp id given to the send (a UINT32).
   * @returns The timestamp, or `undefined`.
   * @throws {TypeError} when `id` is not an integer.
   * @throws {RangeError} when `id` is outside 0..2^32-1.
   * @throws {SocketClosedError} when the poller's Socket has been closed.
   * @throws {UnsupportedError} where there are no TX stamps (macOS, the other systems).
   * @throws {WinsockError} for any refusal but WSAEWOULDBLOCK.
   * @throws {Error} when the system reports fewer than the 8 bytes of a timestamp written.
   */
  poll(id: number): bigint | undefined;
}

class Poller implements TxTimestampPoller {
  readonly #socket: SocketRef;
  /** A raw handle, checked once (a bigint never changes); undefined for a socket object. */
  readonly #handle: bigint | undefined;
  readonly #input = new Uint8Array(new ArrayBuffer(4));
  readonly #inputView = new DataView(this.#input.buffer);
  readonly #output = new Uint8Array(new ArrayBuffer(8));
  readonly #outputView = new DataView(this.#output.buffer);

  constructor(socket: SocketRef, handle: bigint) {
    this.#socket = socket;
    this.#handle = typeof socket === "bigint" ? handle : undefined;
  }

  poll(id: number): bigint | undefined {
    const n = checkUint32(id, "id");
    // A Socket or a runtime socket is resolved on every poll (it may have closed since).
    const h = this.#handle ?? socketHandle(this.#socket, TX_TIMESTAMP_POLLER.name);
    this.#inputView.setUint32(0, n, true); // UINT32 timestamp id
    return getTxTimestamp(h, this.#input, this.#output, this.#outputView, TX_TIMESTAMP_POLLER);
  }
}

/**
 * A poller for transmit timestamps (as {@link txTimestamp}): its input and output buffers are
 * allocated once, here, and `poll(id)` allocates nothing but the bigint it returns
 * (`undefined`, while there is no stamp, costs nothing). On Linux the error-queue read behind it
 * uses a message header and control buffer allocated once per native layer, their addresses
 * taken once, and the stamps of other ids it reads are kept per socket (so a poller and
 * {@link txTimestamp} on the same socket find each other's); under Bun poll before the event
 * loop turns (see the module documentation).
 *
 * The poller keeps `s` as given. A Socket is checked on every poll, so polling after `close()`
 * throws `SocketClosedError` instead of reaching a handle number the system may have given to
 * another socket; a raw `bigint` handle is used as is, and its owner must stop polling before
 * closing it. A stamp kept on Linux is handed out only while the descriptor still names the
 * socket it came from (its `SO_COOKIE`). Where there are no TX stamps (macOS, the other
 * systems), each poll throws `UnsupportedError`.
 *
 * Platforms: Windows; Linux (emulated: recvmsg(MSG_ERRQUEUE, MSG_DONTWAIT) until the id's
 * SCM_TIMESTAMPING software stamp (undefined when the queue holds none); other ids' stamps kept per
 * socket, at most txBuffered, handed out only while SO_COOKIE still matches; CLOCK_REALTIME ns);
 * macOS (unsupported; instead: macOS stamps received datagrams only (SO_TIMESTAMP, recvFrom's
 * timestamp); timestampNow() read right after the send is the nearest to a TX stamp).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (a UDP socket with TX
 * timestamps on).
 * @returns The poller.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is already closed.
 * @example
 * ```ts
 * import { Socket, txTimestampPoller } from "@x/wsioctl";
 * export function waitSent(s: Socket, id: number): bigint {
 *   const poller = txTimestampPoller(s);
 *   for (;;) {
 *     const t = poller.poll(id);
 *     if (t !== undefined) return t;
 *   }
 * }
 * ```
 */
export function txTimestampPoller(s: SocketRef): TxTimestampPoller {
  const h = socketHandle(s, TX_TIMESTAMP_POLLER.name); // refuse a bad or closed socket now
  return new Poller(s, h);
}
