/**
 * The types of `Socket`'s parameters and results: socket types, send/recv flags, and the
 * socket options `Socket.getOption` and `Socket.setOption` know.
 *
 * @example
 * ```ts
 * import type { SocketOptionValues } from "@x/wsioctl";
 * const linger: SocketOptionValues["linger"] = false; // off
 * ```
 *
 * @module
 */

import type { SocketAddress } from "./structs/socket_address.ts";
export type { SocketAddress, SocketFamily } from "./structs/socket_address.ts";

/** The socket types: TCP-like `"stream"`, UDP-like `"dgram"`, and `"raw"`. */
export type SocketType = "stream" | "dgram" | "raw";

/** Flags of `Socket.send` and `Socket.sendTo`. */
export interface SendOptions {
  /** Send as out-of-band (urgent) data, `MSG_OOB`. */
  oob?: boolean;
  /** Bypass routing, `MSG_DONTROUTE`. */
  dontRoute?: boolean;
  /**
   * The datagram's timestamp id (a UINT32): its TX timestamp is then polled by this id with
   * `txTimestamp` or `txTimestampPoller(s).poll(id)`, once `setTimestamping` turned TX stamps
   * on. Windows: `WSASendMsg` with a `SO_TIMESTAMP_ID` control message; Linux 6.13 and later:
   * `sendmsg` with `SCM_TS_OPT_ID`, which Linux takes only once `setTimestamping` ran on the
   * socket (WSAEINVAL before, nothing sent); elsewhere `UnsupportedError`, before anything is
   * sent.
   */
  timestampId?: number;
}

/** Flags of `Socket.recv` and `Socket.recvFrom`. */
export interface RecvOptions {
  /** Receive out-of-band data, `MSG_OOB`. */
  oob?: boolean;
  /** Look without consuming, `MSG_PEEK`. */
  peek?: boolean;
}

/** Flags of `Socket.recvFrom`: those of `Socket.recv`, and the RX timestamp. */
export interface RecvFromOptions extends RecvOptions {
  /**
   * Also return the datagram's RX timestamp (`setTimestamping` with `rx: true` turns them on),
   * in the ticks of `timestampNow()`. Windows: `WSARecvMsg` and its `SO_TIMESTAMP` control
   * message; Linux: the software stamp of `SCM_TIMESTAMPING`; macOS: `SO_TIMESTAMP`.
   */
  timestamp?: boolean;
}

/** What `Socket.recvFrom(into, { timestamp: true })` returns. */
export interface TimestampedDatagram {
  /** The bytes received. */
  bytes: number;
  /** The sender. */
  from: SocketAddress;
  /**
   * The RX timestamp, in the ticks of `timestampNow()` (`timestampFrequency()` per second);
   * `undefined` when the stack attached none (stamps off, a stream socket, or a datagram that
   * arrived before Linux turned RX stamping on: see `setTimestamping`).
   */
  timestamp: bigint | undefined;
}

/** The value type of each socket option `Socket.getOption` knows. */
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
  /**
   * Seconds a connection stays idle before the first keep-alive probe: `TCP_KEEPIDLE`
   * (IPPROTO_TCP; `TCP_KEEPALIVE` on macOS; Windows 10 1709 and later). Takes effect while
   * `keepAlive` is on.
   */
  keepAliveTime: number;
  /**
   * Seconds between keep-alive probes while none is answered: `TCP_KEEPINTVL` (IPPROTO_TCP;
   * Windows 10 1709 and later).
   */
  keepAliveInterval: number;
  /**
   * Unanswered keep-alive probes before the connection is dropped: `TCP_KEEPCNT` (IPPROTO_TCP;
   * Windows 10 1703 and later).
   */
  keepAliveCount: number;
  /** `IPV6_V6ONLY` (IPPROTO_IPV6). */
  v6Only: boolean;
}

/** The names `Socket.getOption` accepts. */
export type SocketOptionName = keyof SocketOptionValues;
/** The names `Socket.setOption` accepts (all but the read-only `error` and `type`). */
export type WritableSocketOptionName = Exclude<SocketOptionName, "error" | "type">;
