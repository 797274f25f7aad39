/**
 * Packet timestamps on datagram sockets, typed: {@link setTimestamping} (SIO_TIMESTAMPING) turns
 * them on per direction; {@link txTimestamp} and {@link txTimestampPoller}
 * (SIO_GET_TX_TIMESTAMP) fetch the timestamp of a sent datagram by its id. Windows 10 build
 * 20348 / Windows Server 2022 and later; elsewhere they throw `UnsupportedError` naming the call.
 *
 * @example
 * ```ts
 * import { setTimestamping, Socket, txTimestampPoller } from "@x/wsioctl";
 * export function sendTimes(s: Socket): (id: number) => bigint | undefined {
 *   setTimestamping(s, { rx: false, tx: true, txBuffered: 16 });
 *   const poller = txTimestampPoller(s);
 *   return (id) => poller.poll(id); // undefined until Windows has the timestamp
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
  /** Timestamp received datagrams (`TIMESTAMPING_FLAG_RX`). */
  rx: boolean;
  /** Timestamp sent datagrams (`TIMESTAMPING_FLAG_TX`), read back with {@link txTimestamp}. */
  tx: boolean;
  /**
   * How many TX timestamps the stack keeps for retrieval (a USHORT); further ones are dropped
   * until some are read. Default 0, which keeps none: give at least 1 with `tx: true`.
   */
  txBuffered?: number;
}

/**
 * Turns packet timestamps on or off for each direction (SIO_TIMESTAMPING, a
 * `TIMESTAMPING_CONFIG`). Datagram sockets only. Windows 10 build 20348 / Windows Server 2022 and
 * later. RX timestamps arrive as `SO_TIMESTAMP` control messages with each datagram; TX
 * timestamps are fetched by id with {@link txTimestamp} or {@link txTimestampPoller}, the id set
 * per send with the `SO_TIMESTAMP_ID` control message. Off Windows: `UnsupportedError`.
 *
 * @param s A {@link Socket} or a raw `bigint` handle (a UDP socket).
 * @param options `{ rx, tx, txBuffered? }`: a direction left `false` is turned off.
 * @throws {TypeError} when `options` is not an object, `rx`/`tx` not booleans, `txBuffered` not
 * an integer, or `s` neither a Socket nor a bigint.
 * @throws {RangeError} when `txBuffered` is outside 0..65535, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (the message hints at the datagram-only rule).
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
 * The transmit timestamp of the datagram sent with timestamp id `id` (SIO_GET_TX_TIMESTAMP:
 * a UINT32 id in, a UINT64 timestamp out — the code's direction bits say input only; the
 * buffers follow the SDK's description), or `undefined` while it is not available yet
 * (Windows answers WSAEWOULDBLOCK; no error object is made). Reading a timestamp removes it
 * from the socket's queue. Needs {@link setTimestamping} with `tx: true` first; datagram
 * sockets only; Windows 10 build 20348 / Windows Server 2022 and later. For a polling loop,
 * {@link txTimestampPoller} keeps its own buffers. Off Windows: `UnsupportedError`.
 *
 * @param s A {@link Socket} or a raw `bigint` handle (a UDP socket).
 * @param id The timestamp id given to the send (a UINT32).
 * @returns The timestamp, or `undefined` when none is available yet.
 * @throws {TypeError} when `id` is not an integer, or `s` neither a Socket nor a bigint.
 * @throws {RangeError} when `id` is outside 0..2^32-1, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} for any refusal but WSAEWOULDBLOCK.
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
   * @throws {UnsupportedError} off Windows.
   * @throws {WinsockError} for any refusal but WSAEWOULDBLOCK.
   */
  poll(id: number): bigint | undefined;
}

class Poller implements TxTimestampPoller {
  readonly #socket: SocketRef;
  readonly #input = new Uint8Array(new ArrayBuffer(4));
  readonly #inputView = new DataView(this.#input.buffer);
  readonly #output = new Uint8Array(new ArrayBuffer(8));
  readonly #outputView = new DataView(this.#output.buffer);

  constructor(socket: SocketRef) {
    this.#socket = socket;
  }

  poll(id: number): bigint | undefined {
    const n = checkUint32(id, "id");
    const h = socketHandle(this.#socket, TX_TIMESTAMP_POLLER.name);
    this.#inputView.setUint32(0, n, true); // UINT32 timestamp id
    return getTxTimestamp(h, this.#input, this.#output, this.#outputView, TX_TIMESTAMP_POLLER);
  }
}

/**
 * A poller for transmit timestamps (SIO_GET_TX_TIMESTAMP, as {@link txTimestamp}): its input
 * and output buffers are allocated once, here, and `poll(id)` allocates nothing but the bigint
 * it returns (`undefined` while Windows answers WSAEWOULDBLOCK costs nothing).
 *
 * The poller keeps `s` as given. A Socket is checked on every poll, so polling after `close()`
 * throws `SocketClosedError` instead of reaching a handle number Windows may have given to
 * another socket; a raw `bigint` handle is used as is, and its owner must stop polling before
 * closing it. Off Windows: each poll throws `UnsupportedError`.
 *
 * @param s A {@link Socket} or a raw `bigint` handle (a UDP socket with TX timestamps on).
 * @returns The poller.
 * @throws {TypeError} when `s` is neither a Socket nor a bigint.
 * @throws {RangeError} when a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket is already closed.
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
  socketHandle(s, TX_TIMESTAMP_POLLER.name); // refuse a bad or closed socket now
  return new Poller(s);
}
