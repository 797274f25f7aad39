/**
 * The TCP codes of `mstcpip.h`, typed: keep-alive timing ({@link setKeepAlive}), per-connection
 * statistics ({@link tcpInfo}) and connection setup ({@link setTcpInitialRto},
 * {@link setTcpInitialCongestionWindow}, {@link setTcpAckFrequency}). Packet timestamps are in
 * `timestamps.ts`.
 *
 * On Linux and macOS {@link setKeepAlive} runs (translated to the platform's socket options)
 * and {@link tcpInfo} (from the platform's own TCP statistics); the others throw
 * `UnsupportedError` naming the call, before any native call.
 *
 * @example
 * ```ts
 * import { setKeepAlive, Socket, tcpInfo, TcpInfoV0 } from "@x/wsioctl";
 * export function watch(s: Socket): () => number {
 *   setKeepAlive(s, { enabled: true, timeMs: 30_000, intervalMs: 1_000 });
 *   const info = TcpInfoV0.alloc();
 *   return () => tcpInfo(s, 0, info).rttUs; // refills the same view: no allocation per poll
 * }
 * ```
 *
 * @module
 */

import {
  SIO_KEEPALIVE_VALS,
  SIO_TCP_INFO,
  SIO_TCP_INITIAL_RTO,
  SIO_TCP_SET_ACK_FREQUENCY,
  SIO_TCP_SET_ICW,
} from "../codes/mod.ts";
import { UnsupportedError, WinsockError } from "../errors.ts";
import {
  _getOptionStatus,
  _ioctlOwned,
  _platform,
  _setOptionStatus,
  socketHandle,
  type TypedCall,
} from "../ioctl.ts";
import {
  TCP_ICW_LEVEL,
  TcpAckFrequencyParameters,
  TcpIcwParameters,
  TcpInfoV0,
  TcpInfoV1,
  TcpInfoV2,
  TcpInitialRtoParameters,
  TcpKeepalive,
} from "../structs/mod.ts";
import {
  byteLengthOf,
  bytesOf,
  checkBoolean,
  checkEnum,
  checkInteger,
  checkObject,
  checkUint16,
  checkUint32,
  checkUint8,
  describe,
} from "../_validate.ts";
import { WSAEINVAL, WSAENOPROTOOPT, WSAEOPNOTSUPP } from "../_wsa.ts";
import { ownBytes, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

const BEFORE_CONNECT = "SIO_TCP_INITIAL_RTO applies to a TCP socket before it connects";

const SET_KEEP_ALIVE: TypedCall = {
  name: "setKeepAlive",
  hints: { 10045: "SIO_KEEPALIVE_VALS applies to TCP (stream) sockets" },
};
const TCP_INFO: TypedCall = {
  name: "tcpInfo",
  hints: {
    10022: "SIO_TCP_INFO needs a TCP socket; version 0 needs Windows 10 1703, version 1 " +
      "Windows 10 1809, version 2 Windows 11",
  },
};
const SET_INITIAL_RTO: TypedCall = {
  name: "setTcpInitialRto",
  hints: { 10022: BEFORE_CONNECT, 10056: BEFORE_CONNECT },
};
const SET_ICW: TypedCall = { name: "setTcpInitialCongestionWindow" };
const SET_ACK_FREQUENCY: TypedCall = { name: "setTcpAckFrequency" };

// The inputs, allocated once (JavaScript runs one call at a time; each call is synchronous).
const keepAlive = TcpKeepalive.alloc();
const keepAliveBytes = ownBytes(keepAlive);
const initialRto = TcpInitialRtoParameters.alloc();
const initialRtoBytes = ownBytes(initialRto);
const icw = TcpIcwParameters.alloc();
const icwBytes = ownBytes(icw);
const ackFrequency = TcpAckFrequencyParameters.alloc();
const ackFrequencyBytes = ownBytes(ackFrequency);

/** What {@link setKeepAlive} sets. */
export interface KeepAliveOptions {
  /** `true` turns keep-alive on, `false` off. */
  enabled: boolean;
  /** Idle time before the first probe, in milliseconds (a ULONG: 0..2^32-1). */
  timeMs: number;
  /** Time between unanswered probes, in milliseconds (a ULONG: 0..2^32-1). */
  intervalMs: number;
  /**
   * How many unanswered probes drop the connection (TCP_KEEPCNT, 1..255); left out, the
   * system's own number applies. Checked but not used with `enabled: false`.
   */
  count?: number;
}

/**
 * The largest probe count passed on, the same on every platform: Windows documents 255 as
 * TCP_KEEPCNT's cap, macOS and FreeBSD take more, and Linux refuses more than 127 itself
 * (WSAEINVAL) before anything changed.
 */
const KEEP_ALIVE_COUNT_MAX = 255;
/** `SOCK_STREAM` as `SO_TYPE` answers it: the same on Windows, Linux and macOS. */
const SOCK_STREAM = 1;

/**
 * Turns TCP keep-alive on or off and sets its timing (SIO_KEEPALIVE_VALS, a `tcp_keepalive`):
 * after `timeMs` without traffic the stack sends a probe, then one every `intervalMs` until the
 * peer answers or the connection is dropped. Windows 2000 and later; since Vista the number of
 * probes is the system's (10) unless `count` sets it.
 *
 * `enabled: false` turns keep-alive off; the times are still checked and sent as given, and
 * Windows ignores them while `onoff` is 0.
 *
 * Off Windows the native layer translates the call: Linux sets SO_KEEPALIVE, TCP_KEEPIDLE and
 * TCP_KEEPINTVL, macOS SO_KEEPALIVE, TCP_KEEPALIVE and TCP_KEEPINTVL. Those take whole seconds:
 * the times are rounded up to the next second, and never to 0 (at least 1 s). Each system caps
 * them (Linux at 32,767 s, macOS and FreeBSD at 4,294,967 s): a time past the cap is refused with
 * WSAEINVAL, and a refused call leaves the socket's keep-alive settings as they were.
 *
 * `count` sets the number of probes too: the socket option IPPROTO_TCP TCP_KEEPCNT, which Windows
 * has since Windows 10 1703, and Linux, macOS and FreeBSD have. Its value is read first, then the
 * new one set, then SIO_KEEPALIVE_VALS sent, so that a refused call leaves the socket as it was:
 * - a system without TCP_KEEPCNT (an older Windows answers the read with WSAENOPROTOOPT or
 *   WSAEINVAL) throws `UnsupportedError` naming `count`, with nothing set;
 * - a count the system refuses (Linux, and Wine on it, take at most 127) throws WSAEINVAL, with
 *   nothing set;
 * - when SIO_KEEPALIVE_VALS is refused after the count was set, the count read first is put back,
 *   then the refusal thrown. The value read is written back as a number: a socket that followed
 *   the system-wide default keeps that value. SO_KEEPALIVE and the times are as the refusal left
 *   them: unchanged by the POSIX translation, SO_KEEPALIVE turned on by Wine 10.
 *
 * With `enabled: false`, `count` is checked and ignored: turning keep-alive off leaves the count
 * as it was, and the same options object can switch keep-alive on and off.
 *
 * Platforms: Windows; Linux (emulated: SO_KEEPALIVE + TCP_KEEPIDLE/TCP_KEEPINTVL, ms rounded up to
 * s (at most 32767 s); count: TCP_KEEPCNT (at most 127)); macOS (emulated: SO_KEEPALIVE +
 * TCP_KEEPALIVE/TCP_KEEPINTVL, ms rounded up to s; count: TCP_KEEPCNT).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (a TCP socket).
 * @param options `{ enabled, timeMs, intervalMs, count? }`.
 * @throws {TypeError} when `options` is not an object, `enabled` not a boolean, a time or `count`
 * not an integer, or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a time is outside 0..2^32-1, `count` outside 1..255, or a raw handle
 * out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a platform the native layer cannot translate it for, or, naming
 * `count`, on a system without TCP_KEEPCNT (Windows before 10 1703).
 * @throws {WinsockError} when Winsock (or the translation) refuses (off Windows: WSAEINVAL for a
 * time past the system's cap, or on a socket that is not TCP), or the system refuses `count`
 * (reading it on a socket that is not TCP, or a value past its cap).
 * @example
 * ```ts
 * import { setKeepAlive, Socket } from "@x/wsioctl";
 * export function probeIdlePeers(s: Socket): void {
 *   setKeepAlive(s, { enabled: true, timeMs: 30_000, intervalMs: 1_000 });
 * }
 * ```
 * @example Three unanswered probes, a second apart, drop a connection idle for ten seconds.
 * ```ts
 * import { setKeepAlive, Socket } from "@x/wsioctl";
 * using server = Socket.open("inet", "stream");
 * server.bind("127.0.0.1", 0);
 * server.listen();
 * using client = Socket.open("inet", "stream");
 * client.connect("127.0.0.1", server.localAddress().port);
 * setKeepAlive(client, { enabled: true, timeMs: 10_000, intervalMs: 1_000, count: 3 });
 * client.getOption("keepAliveCount"); // 3
 * ```
 */
export function setKeepAlive(s: SocketRef, options: KeepAliveOptions): void {
  const o = checkObject(options, "options");
  const enabled = checkBoolean(o.enabled, "options.enabled");
  const timeMs = checkUint32(o.timeMs, "options.timeMs");
  const intervalMs = checkUint32(o.intervalMs, "options.intervalMs");
  const countOption = o.count; // read once
  const count = countOption === undefined
    ? undefined
    : checkInteger(countOption, "options.count", 1, KEEP_ALIVE_COUNT_MAX);
  const h = socketHandle(s, SET_KEEP_ALIVE.name);
  keepAlive.onOff = enabled ? 1 : 0;
  keepAlive.keepAliveTime = timeMs;
  keepAlive.keepAliveInterval = intervalMs;
  if (count === undefined || !enabled) {
    _ioctlOwned(h, SIO_KEEPALIVE_VALS, keepAliveBytes, TcpKeepalive.SIZE, null, 0, SET_KEEP_ALIVE);
    return;
  }
  const before = swapKeepAliveCount(h, count);
  try {
    _ioctlOwned(h, SIO_KEEPALIVE_VALS, keepAliveBytes, TcpKeepalive.SIZE, null, 0, SET_KEEP_ALIVE);
  } catch (e) {
    // SIO_KEEPALIVE_VALS refused: the count goes back to what it was (a put-back the system
    // refuses in turn cannot be helped, and the refusal is what the caller needs to see).
    _setOptionStatus(h, "keepAliveCount", before);
    throw e;
  }
}

/**
 * Sets TCP_KEEPCNT to `count` and returns what it was; throws with nothing changed when the
 * system has no TCP_KEEPCNT (UnsupportedError) or refuses to read or set it (WinsockError).
 */
function swapKeepAliveCount(h: bigint, count: number): number {
  const before = _getOptionStatus(h, "keepAliveCount");
  if (before < 0) {
    const code = -before;
    let hint: string | undefined;
    if (code === WSAENOPROTOOPT || code === WSAEINVAL || code === WSAEOPNOTSUPP) {
      // Refused as an unknown option: on a TCP socket the system has no TCP_KEEPCNT (an older
      // Windows answers WSAENOPROTOOPT or WSAEINVAL, and so does the POSIX layer where it knows
      // none); on another socket it is the socket's type (Linux, Wine: WSAEOPNOTSUPP).
      if (_getOptionStatus(h, "type") === SOCK_STREAM) {
        throw new UnsupportedError(
          "count (TCP_KEEPCNT)",
          _platform(),
          undefined,
          SET_KEEP_ALIVE.name,
          "leave options.count out: the system's own number of probes applies",
        );
      }
      hint = "count: TCP_KEEPCNT applies to TCP (stream) sockets";
    }
    throw countRefused(code, "getsockopt", hint);
  }
  const set = _setOptionStatus(h, "keepAliveCount", count);
  if (set < 0) {
    throw countRefused(-set, "setsockopt", `count: TCP_KEEPCNT ${count} refused (Linux: 1..127)`);
  }
  return before;
}

/** The WinsockError of a refused read or write of TCP_KEEPCNT, named after setKeepAlive. */
function countRefused(code: number, call: string, hint: string | undefined): WinsockError {
  return new WinsockError(code, { call, typedCall: SET_KEEP_ALIVE.name, hint });
}

/** The `TCP_INFO` view of a version: `TcpInfoV0`, `TcpInfoV1` or `TcpInfoV2`. */
export type TcpInfoOf<V extends 0 | 1 | 2> = V extends 2 ? TcpInfoV2
  : V extends 1 ? TcpInfoV1
  : TcpInfoV0;

const TCP_INFO_VIEWS = [TcpInfoV0, TcpInfoV1, TcpInfoV2] as const;
/** SIO_TCP_INFO's input per version: a little-endian DWORD, written once (WSAIoctl reads it). */
const TCP_INFO_VERSIONS = [0, 1, 2].map((v) => {
  const dword = new Uint8Array(new ArrayBuffer(4));
  dword[0] = v;
  return dword;
});

/**
 * The bytes of each `into.view` seen, checked once per view: a polling loop neither allocates
 * nor runs the full checks again. Weak: never keeps a caller's buffer alive.
 */
const intoBytes = new WeakMap<object, Uint8Array>();

/**
 * The bytes of `view` (the value read from `into.view`) if they hold at least `size` bytes:
 * from {@link intoBytes} when the view was seen before and its bytes still reach `size` (a
 * typed array's element read: no caller code runs, and it is undefined past the end of a
 * shrunk or detached buffer), else through the full checks of `bytesOf`.
 */
function bytesOfInto(view: unknown, size: number, version: number): Uint8Array {
  const known = intoBytes.get(view as object);
  if (known !== undefined && known[size - 1] !== undefined) return known;
  // `view` was read once; bytesOf checks it is a real view and takes the engine's length.
  const bytes = bytesOf(view, "into.view");
  const length = byteLengthOf(bytes);
  if (length < size) {
    throw new RangeError(
      `into.view must have at least ${size} bytes for version ${version}, got ${length}`,
    );
  }
  intoBytes.set(view as object, bytes);
  return bytes;
}

/**
 * A TCP connection's statistics (SIO_TCP_INFO): state, MSS, RTT, congestion window, bytes in
 * and out, retransmissions — `TCP_INFO_v0` (88 bytes, Windows 10 1703 / Server 2016 and
 * later), `TCP_INFO_v1` (136 bytes, adds the send-limit counters; Windows 10 1809) or
 * `TCP_INFO_v2` (152 bytes, adds reordering and ECN counters; Windows 11, known from the SDK
 * header only). No privilege needed.
 *
 * With `into`, the call fills the caller's view and returns it: a polling loop allocates
 * nothing. `into` must be a view of the version's class (a `TcpInfoV1` for version 1; a
 * subclass such as `TcpInfoV2` also passes, and then only the requested version's fields are
 * written) with at least that version's size of real bytes.
 *
 * On Linux (`getsockopt(IPPROTO_TCP, TCP_INFO)`, `struct tcp_info`) and macOS
 * (`getsockopt(IPPROTO_TCP, TCP_CONNECTION_INFO)`, `struct tcp_connection_info`) the same views
 * are filled, every version, from the platform's own statistics of the connection: `state`
 * keeps Windows' `TCPSTATE` numbers (a state Windows has no number for reads `TCPSTATE.MAX`),
 * times are in µs (the `SndLimTime*` in ms) and sizes in bytes, as on Windows. A field with no
 * source on the platform is 0, and so is one the running kernel does not report (an older
 * Linux). A socket that is not TCP fails with WSAEINVAL; a descriptor that is not a socket
 * with WSAENOTSOCK. Elsewhere (FreeBSD, the other BSDs): `UnsupportedError`.
 *
 * | Windows field | Linux `tcp_info` | macOS `tcp_connection_info` |
 * | --- | --- | --- |
 * | `state` | `tcpi_state` (`TCP_ESTABLISHED` … as `TCPSTATE`) | `tcpi_state` (`TCPS_*` as `TCPSTATE`) |
 * | `mss` | `tcpi_snd_mss` | `tcpi_maxseg` |
 * | `connectionTimeMs` | none: 0 | none: 0 |
 * | `timestampsEnabled` | `tcpi_options & TCPI_OPT_TIMESTAMPS` | `tcpi_options & TCPCI_OPT_TIMESTAMPS` |
 * | `rttUs` | `tcpi_rtt` (µs) | `tcpi_srtt` × 1000 (ms → µs) |
 * | `minRttUs` | `tcpi_min_rtt` (0 before the first sample) | none: 0 |
 * | `bytesInFlight` | `tcpi_bytes_sent − tcpi_bytes_retrans − tcpi_bytes_acked`, at least 0 (Linux counts the SYN of a connection this end opened as acked: one byte short while data is in flight) | none: 0 |
 * | `cwnd` | `tcpi_snd_cwnd × tcpi_snd_mss` (segments → bytes) | `tcpi_snd_cwnd` (bytes) |
 * | `sndWnd` | `tcpi_snd_wnd` | `tcpi_snd_wnd` |
 * | `rcvWnd` | `tcpi_rcv_wnd` (Linux 6.2 and later) | `tcpi_rcv_wnd` |
 * | `rcvBuf` | none: 0 (the buffer's size is `getOption("receiveBuffer")`) | none: 0 |
 * | `bytesOut` | `tcpi_bytes_sent` (retransmissions included) | `tcpi_txbytes` |
 * | `bytesIn` | `tcpi_bytes_received` (a received FIN counts as one byte) | `tcpi_rxbytes` |
 * | `bytesReordered` | none: 0 | `tcpi_rxoutoforderbytes` (bytes received out of order) |
 * | `bytesRetrans` | `tcpi_bytes_retrans` (its low 32 bits, as a ULONG wraps) | `tcpi_txretransmitbytes` (low 32 bits) |
 * | `fastRetrans`, `dupAcksIn`, `synRetrans` | none: 0 | none: 0 |
 * | `timeoutEpisodes` | `tcpi_total_rto_recoveries` (Linux 6.7 and later) | none: 0 |
 * | `sndLimTimeRwin` (v1) | `tcpi_rwnd_limited` ÷ 1000 (µs → ms) | none: 0 |
 * | `sndLimTimeCwnd` (v1) | `(tcpi_busy_time − tcpi_rwnd_limited − tcpi_sndbuf_limited)` ÷ 1000: busy sending, limited by neither the peer's window nor the send buffer | none: 0 |
 * | `sndLimTimeSnd` (v1) | `tcpi_sndbuf_limited` ÷ 1000: limited by the send buffer | none: 0 |
 * | `sndLimTrans*`, `sndLimBytes*` (v1) | none: 0 | none: 0 |
 * | `outOfOrderPktsIn` (v2) | `tcpi_rcv_ooopack` | none: 0 |
 * | `ecnNegotiated` (v2) | `tcpi_options & TCPI_OPT_ECN` | `tcpi_options & TCPCI_OPT_ECN` |
 * | `eceAcksIn`, `ptoEpisodes` (v2) | none: 0 | none: 0 |
 *
 * Platforms: Windows; Linux (emulated: getsockopt(TCP_INFO), written as TCP_INFO_v0/v1/v2: Windows'
 * TCPSTATE numbers, cwnd in bytes (segments × MSS); fields without a Linux source read 0); macOS
 * (emulated: getsockopt(TCP_CONNECTION_INFO), written as TCP_INFO_v0/v1/v2: Windows' TCPSTATE
 * numbers, RTT in µs; fields without a macOS source read 0).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (a TCP socket).
 * @param version 0 (default), 1 or 2: the `TCP_INFO_v*` structure to ask for.
 * @param into A view to fill instead of a new one.
 * @returns `into`, or a new view of the version's class.
 * @throws {TypeError} when `version` is not an integer, `into` not a view of the version's class
 * (or its bytes detached), or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `version` is not 0, 1 or 2, `into`'s bytes are shorter than the
 * version's structure, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a platform other than Windows, Linux and macOS.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEOPNOTSUPP where SIO_TCP_INFO is missing,
 * as under Wine), or the platform does (WSAEINVAL: not a TCP socket).
 * @throws {Error} when Winsock reports fewer bytes written than the version's structure (`into`
 * then holds a partial answer).
 * @example
 * ```ts
 * import { Socket, TCPSTATE, tcpInfo, TcpInfoV1 } from "@x/wsioctl";
 * export function rttWhileEstablished(s: Socket): number[] {
 *   const info = TcpInfoV1.alloc();
 *   const samples: number[] = [];
 *   while (tcpInfo(s, 1, info).state === TCPSTATE.ESTABLISHED && samples.length < 10) {
 *     samples.push(info.rttUs);
 *   }
 *   return samples;
 * }
 * ```
 */
export function tcpInfo<V extends 0 | 1 | 2 = 0>(
  s: SocketRef,
  version: V = 0 as V,
  into?: TcpInfoOf<V>,
): TcpInfoOf<V> {
  // ioctl's order: `into` and its `view` getter first, then the handle (a runtime socket's
  // getters may shrink or detach into's buffer), then into's bytes and length, then the call.
  const v = checkInteger(version, "version", 0, 2);
  const View = TCP_INFO_VIEWS[v];
  let output: Uint8Array | null = null;
  let intoView: unknown;
  if (into !== undefined) {
    if (!(into instanceof View)) {
      throw new TypeError(`into must be a ${View.name} for version ${v}, got ${describe(into)}`);
    }
    intoView = (into as { readonly view: unknown }).view; // read once
    output = bytesOfInto(intoView, View.SIZE, v);
  }
  const h = socketHandle(s, TCP_INFO.name);
  // Checked again after socketHandle, which may run a runtime socket's getters: the bytes still
  // reach the struct's end when the native call gets them.
  if (output !== null && output[View.SIZE - 1] === undefined) {
    output = bytesOfInto(intoView, View.SIZE, v);
  }
  const view = into ?? (View.alloc() as TcpInfoOf<V>);
  if (output === null) output = ownBytes(view);
  const n = _ioctlOwned(h, SIO_TCP_INFO, TCP_INFO_VERSIONS[v], 4, output, View.SIZE, TCP_INFO);
  // The guard keeps the polling path free of the message's string (built only on failure).
  if (n < View.SIZE) checkWritten(n, View.SIZE, `TCP_INFO_v${v}`, SIO_TCP_INFO, TCP_INFO);
  return view;
}

/** What {@link setTcpInitialRto} sets (`TCP_INITIAL_RTO_PARAMETERS`). */
export interface TcpInitialRtoOptions {
  /**
   * The initial round-trip time in milliseconds (a USHORT): 0 for the system default,
   * 0xFFFF (`TCP_INITIAL_RTO_UNSPECIFIED_RTT`) to leave it unspecified.
   */
  rttMs: number;
  /**
   * How many times the SYN is retransmitted before connecting fails (a UCHAR): 0 for the
   * system default, 0xFE (`TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS`) for none, 0xFF
   * (`TCP_INITIAL_RTO_UNSPECIFIED_MAX_SYN_RETRANSMISSIONS`) to leave it unspecified.
   */
  maxSynRetransmissions: number;
}

/**
 * Sets how a TCP socket retransmits its SYN while connecting (SIO_TCP_INITIAL_RTO, a
 * `TCP_INITIAL_RTO_PARAMETERS`): the initial RTT the retransmission timeout is computed from,
 * and the number of SYN retransmissions. Set it before `connect`. Windows 8 / Server 2012 and
 * later. The sentinels (constants in `structs/`): `rttMs` 0 = default, 0xFFFF = unspecified;
 * `maxSynRetransmissions` 0 = default, 0xFE = no retransmission, 0xFF = unspecified.
 * Off Windows: `UnsupportedError`.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (an unconnected TCP
 * socket).
 * @param options `{ rttMs, maxSynRetransmissions }`.
 * @throws {TypeError} when `options` is not an object, a field not an integer, or `s` none of a
 * Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `rttMs` is outside 0..65535, `maxSynRetransmissions` outside 0..255,
 * or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (the message hints at "before connect").
 * @example
 * ```ts
 * import { setTcpInitialRto, Socket } from "@x/wsioctl";
 * export function failFast(s: Socket): void {
 *   setTcpInitialRto(s, { rttMs: 200, maxSynRetransmissions: 2 }); // then s.connect(…)
 * }
 * ```
 */
export function setTcpInitialRto(s: SocketRef, options: TcpInitialRtoOptions): void {
  const o = checkObject(options, "options");
  const rttMs = checkUint16(o.rttMs, "options.rttMs");
  const retransmissions = checkUint8(o.maxSynRetransmissions, "options.maxSynRetransmissions");
  const h = socketHandle(s, SET_INITIAL_RTO.name);
  initialRto.rtt = rttMs;
  initialRto.maxSynRetransmissions = retransmissions;
  _ioctlOwned(
    h,
    SIO_TCP_INITIAL_RTO,
    initialRtoBytes,
    TcpInitialRtoParameters.SIZE,
    null,
    0,
    SET_INITIAL_RTO,
  );
}

/** A `TCP_ICW_LEVEL` by name: `TCP_ICW_LEVEL_DEFAULT` … `TCP_ICW_LEVEL_MAX` in camelCase. */
export type TcpIcwLevelName =
  | "default"
  | "high"
  | "veryHigh"
  | "aggressive"
  | "experimental"
  | "compat"
  | "max";

/** A `TCP_ICW_LEVEL` value: 0–4, 254 (`COMPAT`) or 255 (`MAX`). */
export type TcpIcwLevelValue = 0 | 1 | 2 | 3 | 4 | 254 | 255;

/** The `TCP_ICW_LEVEL` members by name (`TCP_ICW_LEVEL_VERY_HIGH` is `"veryHigh"`). */
const ICW_LEVELS: Readonly<Record<TcpIcwLevelName, TcpIcwLevelValue>> = {
  default: TCP_ICW_LEVEL.DEFAULT,
  high: TCP_ICW_LEVEL.HIGH,
  veryHigh: TCP_ICW_LEVEL.VERY_HIGH,
  aggressive: TCP_ICW_LEVEL.AGGRESSIVE,
  experimental: TCP_ICW_LEVEL.EXPERIMENTAL,
  compat: TCP_ICW_LEVEL.COMPAT,
  max: TCP_ICW_LEVEL.MAX,
};
const ICW_VALUES: readonly number[] = Object.values(ICW_LEVELS);

/**
 * Chooses the initial congestion window of a TCP connection (SIO_TCP_SET_ICW, a
 * `TCP_ICW_PARAMETERS`): how much TCP sends before the first ACK. `level` is a `TCP_ICW_LEVEL`
 * by name — `"default"`, `"high"`, `"veryHigh"`, `"aggressive"`, `"experimental"`, `"compat"`,
 * `"max"` — or by value (0–4, 254, 255; `TCP_ICW_LEVEL` in `structs/`). Declared in
 * `mstcpip.h` since the Windows 8 SDK; Microsoft documents neither the levels' windows nor
 * the call's preconditions (set it before connecting to affect the first flight).
 * Off Windows: `UnsupportedError`.
 *
 * Platforms: Windows; Linux (unsupported; instead: the initial congestion window is a route
 * attribute (ip route … initcwnd)); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (a TCP socket).
 * @param level The level, by name or value.
 * @throws {TypeError} when `level` is neither a string nor a number, or `s` none of a Socket, a
 * bigint and a runtime socket.
 * @throws {RangeError} when `level` is not a `TCP_ICW_LEVEL` name or value, or a raw handle is
 * out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses.
 * @example
 * ```ts
 * import { setTcpInitialCongestionWindow, Socket } from "@x/wsioctl";
 * export function burstFirstFlight(s: Socket): void {
 *   setTcpInitialCongestionWindow(s, "veryHigh");
 * }
 * ```
 */
export function setTcpInitialCongestionWindow(
  s: SocketRef,
  level: TcpIcwLevelName | TcpIcwLevelValue,
): void {
  let value: number;
  if (typeof level === "number") {
    if (!ICW_VALUES.includes(level)) {
      throw new RangeError(`level must be one of ${ICW_VALUES.join(", ")}, got ${level}`);
    }
    value = level;
  } else if (typeof level === "string") {
    value = checkEnum(level, "level", ICW_LEVELS);
  } else {
    throw new TypeError(`level must be a TCP_ICW_LEVEL name or value, got ${describe(level)}`);
  }
  const h = socketHandle(s, SET_ICW.name);
  icw.level = value;
  _ioctlOwned(h, SIO_TCP_SET_ICW, icwBytes, TcpIcwParameters.SIZE, null, 0, SET_ICW);
}

/**
 * Sets after how many received segments TCP sends a delayed ACK (SIO_TCP_SET_ACK_FREQUENCY,
 * a `TCP_ACK_FREQUENCY_PARAMETERS`: one UCHAR). Declared in `mstcpip.h` since the Windows 8
 * SDK; Microsoft documents neither the accepted values nor the preconditions.
 * Off Windows: `UnsupportedError`.
 *
 * Platforms: Windows; Linux (unsupported; instead: TCP_QUICKACK turns delayed ACKs off for a
 * while); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket (a TCP socket).
 * @param n Segments per delayed ACK (`TcpDelayedAckFrequency`, 0..255).
 * @throws {TypeError} when `n` is not an integer, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `n` is outside 0..255, or a raw handle out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses.
 * @example
 * ```ts
 * import { setTcpAckFrequency, Socket } from "@x/wsioctl";
 * export function ackEverySegment(s: Socket): void {
 *   setTcpAckFrequency(s, 1);
 * }
 * ```
 */
export function setTcpAckFrequency(s: SocketRef, n: number): void {
  const frequency = checkUint8(n, "n");
  const h = socketHandle(s, SET_ACK_FREQUENCY.name);
  ackFrequency.tcpDelayedAckFrequency = frequency;
  _ioctlOwned(
    h,
    SIO_TCP_SET_ACK_FREQUENCY,
    ackFrequencyBytes,
    TcpAckFrequencyParameters.SIZE,
    null,
    0,
    SET_ACK_FREQUENCY,
  );
}
