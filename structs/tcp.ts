/**
 * TCP structs from `mstcpip.h`: `tcp_keepalive` (SIO_KEEPALIVE_VALS), `TCP_INFO_v0/v1/v2`
 * (SIO_TCP_INFO), `TIMESTAMPING_CONFIG` (SIO_TIMESTAMPING), `TCP_INITIAL_RTO_PARAMETERS`
 * (SIO_TCP_INITIAL_RTO), `TCP_ICW_PARAMETERS` (SIO_TCP_SET_ICW) and
 * `TCP_ACK_FREQUENCY_PARAMETERS` (SIO_TCP_SET_ACK_FREQUENCY).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import type { StructLayout } from "./layout.ts";
import { defineView, type Members, type ViewFields } from "./members.ts";
import { StructView } from "./view.ts";

// ---------------------------------------------------------------------------------------------
// tcp_keepalive
// ---------------------------------------------------------------------------------------------

/** The members of `struct tcp_keepalive` (12 bytes), the view {@linkcode TcpKeepalive}. */
export const TCP_KEEPALIVE_MEMBERS = {
  /** `onoff`: non-zero enables keep-alive. */
  onOff: ["onoff", "u32"], // 0x00 ULONG
  /** `keepalivetime`: idle time before the first probe, in milliseconds. */
  keepAliveTime: ["keepalivetime", "u32"], // 0x04 ULONG
  /** `keepaliveinterval`: time between probes, in milliseconds. */
  keepAliveInterval: ["keepaliveinterval", "u32"], // 0x08 ULONG
} as const satisfies Members;

/**
 * A view over `struct tcp_keepalive`, the input of `SIO_KEEPALIVE_VALS`.
 *
 * @example
 * ```ts
 * import { TcpKeepalive } from "@x/wsioctl/structs";
 * const ka = TcpKeepalive.alloc();
 * ka.onOff = 1;
 * ka.keepAliveTime = 30_000;
 * ka.keepAliveInterval = 1_000;
 * ```
 */
export class TcpKeepalive extends StructView {
  /** `sizeof(struct tcp_keepalive)`. */
  static readonly SIZE = 12;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "tcp_keepalive", TCP_KEEPALIVE_MEMBERS);
}
/** The fields of {@linkcode TcpKeepalive}, typed from {@linkcode TCP_KEEPALIVE_MEMBERS}. */
export interface TcpKeepalive extends ViewFields<typeof TCP_KEEPALIVE_MEMBERS> {}

// ---------------------------------------------------------------------------------------------
// TCP_INFO
// ---------------------------------------------------------------------------------------------

/** `TCPSTATE`: the connection state reported in `TCP_INFO_v*.State`. */
export const TCPSTATE = {
  CLOSED: 0,
  LISTEN: 1,
  SYN_SENT: 2,
  SYN_RCVD: 3,
  ESTABLISHED: 4,
  FIN_WAIT_1: 5,
  FIN_WAIT_2: 6,
  CLOSE_WAIT: 7,
  CLOSING: 8,
  LAST_ACK: 9,
  TIME_WAIT: 10,
  MAX: 11,
} as const;

/** One of the {@linkcode TCPSTATE} values. */
export type TcpState = (typeof TCPSTATE)[keyof typeof TCPSTATE];

/** The members of `TCP_INFO_v0` (88 bytes, Windows 10 1703+), the view {@linkcode TcpInfoV0}. */
export const TCP_INFO_V0_MEMBERS = {
  /** `State`: a {@linkcode TCPSTATE} value. */
  state: ["State", "ENUM"], // 0x00 TCPSTATE
  /** `Mss`: current maximum segment size, bytes. */
  mss: ["Mss", "u32"], // 0x04 ULONG
  /** `ConnectionTimeMs`: connection lifetime, ms. */
  connectionTimeMs: ["ConnectionTimeMs", "u64"], // 0x08 ULONG64
  /** `TimestampsEnabled`: TCP timestamps negotiated. */
  timestampsEnabled: ["TimestampsEnabled", "BOOLEAN"], // 0x10 BOOLEAN
  /** `RttUs`: smoothed round-trip time estimate, µs. */
  rttUs: ["RttUs", "u32"], // 0x14 ULONG
  /** `MinRttUs`: minimum sampled round-trip time, µs. */
  minRttUs: ["MinRttUs", "u32"], // 0x18 ULONG
  /** `BytesInFlight`: sent but unacknowledged bytes. */
  bytesInFlight: ["BytesInFlight", "u32"], // 0x1C ULONG
  /** `Cwnd`: congestion window, bytes. */
  cwnd: ["Cwnd", "u32"], // 0x20 ULONG
  /** `SndWnd`: peer's advertised receive window (SND.WND), bytes. */
  sndWnd: ["SndWnd", "u32"], // 0x24 ULONG
  /** `RcvWnd`: our advertised receive window (RCV.WND), bytes. */
  rcvWnd: ["RcvWnd", "u32"], // 0x28 ULONG
  /** `RcvBuf`: current receive buffer size, bytes (auto-tuned). */
  rcvBuf: ["RcvBuf", "u32"], // 0x2C ULONG
  /** `BytesOut`: total bytes sent. */
  bytesOut: ["BytesOut", "u64"], // 0x30 ULONG64
  /** `BytesIn`: total bytes received. */
  bytesIn: ["BytesIn", "u64"], // 0x38 ULONG64
  /** `BytesReordered`: bytes seen reordered. */
  bytesReordered: ["BytesReordered", "u32"], // 0x40 ULONG
  /** `BytesRetrans`: bytes retransmitted. */
  bytesRetrans: ["BytesRetrans", "u32"], // 0x44 ULONG
  /** `FastRetrans`: fast retransmissions. */
  fastRetrans: ["FastRetrans", "u32"], // 0x48 ULONG
  /** `DupAcksIn`: duplicate ACKs received. */
  dupAcksIn: ["DupAcksIn", "u32"], // 0x4C ULONG
  /** `TimeoutEpisodes`: retransmission timeout episodes. */
  timeoutEpisodes: ["TimeoutEpisodes", "u32"], // 0x50 ULONG
  /** `SynRetrans`: SYN retransmissions. */
  synRetrans: ["SynRetrans", "u8"], // 0x54 UCHAR
} as const satisfies Members;

/**
 * A view over `TCP_INFO_v0`, the output of `SIO_TCP_INFO` with version 0.
 *
 * @example
 * ```ts
 * import { TCPSTATE, TcpInfoV0 } from "@x/wsioctl/structs";
 * const info = TcpInfoV0.alloc(); // pass info.view as the IOCTL output
 * if (info.state === TCPSTATE.ESTABLISHED) console.log(info.rttUs);
 * ```
 */
export class TcpInfoV0 extends StructView {
  /** `sizeof(TCP_INFO_v0)`. */
  static readonly SIZE: number = 88;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "TCP_INFO_v0", TCP_INFO_V0_MEMBERS);
}
/** The fields of {@linkcode TcpInfoV0}, typed from {@linkcode TCP_INFO_V0_MEMBERS}. */
export interface TcpInfoV0 extends ViewFields<typeof TCP_INFO_V0_MEMBERS> {}

/**
 * The members `TCP_INFO_v1` (136 bytes, Windows 10 1809+) adds after those of `TCP_INFO_v0`:
 * the time, transitions and bytes spent limited by the receive window (`Rwin`), the congestion
 * window (`Cwnd`) and the sender (`Snd`).
 */
export const TCP_INFO_V1_MEMBERS = {
  /** `SndLimTransRwin`: transitions into receive-window-limited. */
  sndLimTransRwin: ["SndLimTransRwin", "u32"], // 0x58 ULONG
  /** `SndLimTimeRwin`: ms receive-window-limited. */
  sndLimTimeRwin: ["SndLimTimeRwin", "u32"], // 0x5C ULONG
  /** `SndLimBytesRwin`: bytes sent while receive-window-limited. */
  sndLimBytesRwin: ["SndLimBytesRwin", "u64"], // 0x60 ULONG64
  /** `SndLimTransCwnd`: transitions into congestion-window-limited. */
  sndLimTransCwnd: ["SndLimTransCwnd", "u32"], // 0x68 ULONG
  /** `SndLimTimeCwnd`: ms congestion-window-limited. */
  sndLimTimeCwnd: ["SndLimTimeCwnd", "u32"], // 0x6C ULONG
  /** `SndLimBytesCwnd`: bytes sent while congestion-window-limited. */
  sndLimBytesCwnd: ["SndLimBytesCwnd", "u64"], // 0x70 ULONG64
  /** `SndLimTransSnd`: transitions into sender-limited. */
  sndLimTransSnd: ["SndLimTransSnd", "u32"], // 0x78 ULONG
  /** `SndLimTimeSnd`: ms sender-limited. */
  sndLimTimeSnd: ["SndLimTimeSnd", "u32"], // 0x7C ULONG
  /** `SndLimBytesSnd`: bytes sent while sender-limited. */
  sndLimBytesSnd: ["SndLimBytesSnd", "u64"], // 0x80 ULONG64
} as const satisfies Members;

/** A view over `TCP_INFO_v1`: every `TCP_INFO_v0` field at the same offset, then the send limits. */
export class TcpInfoV1 extends TcpInfoV0 {
  /** `sizeof(TCP_INFO_v1)`. */
  static override readonly SIZE: number = 136;
  /** The layout. */
  static override readonly LAYOUT: StructLayout = defineView(
    this,
    "TCP_INFO_v1",
    TCP_INFO_V1_MEMBERS,
  );
}
/** The fields {@linkcode TcpInfoV1} adds, typed from {@linkcode TCP_INFO_V1_MEMBERS}. */
export interface TcpInfoV1 extends ViewFields<typeof TCP_INFO_V1_MEMBERS> {}

/**
 * The members `TCP_INFO_v2` (152 bytes, Windows 11+) adds after those of `TCP_INFO_v1`:
 * reordering, ECN and probe-timeout counters.
 */
export const TCP_INFO_V2_MEMBERS = {
  /** `OutOfOrderPktsIn`: out-of-order data packets received. */
  outOfOrderPktsIn: ["OutOfOrderPktsIn", "u32"], // 0x88 ULONG
  /** `EcnNegotiated`: ECN negotiated on the connection. */
  ecnNegotiated: ["EcnNegotiated", "BOOLEAN"], // 0x8C BOOLEAN
  /** `EceAcksIn`: ACKs received with ECE set. */
  eceAcksIn: ["EceAcksIn", "u32"], // 0x90 ULONG
  /** `PtoEpisodes`: probe timeout episodes. */
  ptoEpisodes: ["PtoEpisodes", "u32"], // 0x94 ULONG
} as const satisfies Members;

/** A view over `TCP_INFO_v2`: every `TCP_INFO_v1` field, plus four Windows 11 counters. */
export class TcpInfoV2 extends TcpInfoV1 {
  /** `sizeof(TCP_INFO_v2)`. */
  static override readonly SIZE: number = 152;
  /** The layout. */
  static override readonly LAYOUT: StructLayout = defineView(
    this,
    "TCP_INFO_v2",
    TCP_INFO_V2_MEMBERS,
  );
}
/** The fields {@linkcode TcpInfoV2} adds, typed from {@linkcode TCP_INFO_V2_MEMBERS}. */
export interface TcpInfoV2 extends ViewFields<typeof TCP_INFO_V2_MEMBERS> {}

// ---------------------------------------------------------------------------------------------
// TIMESTAMPING_CONFIG
// ---------------------------------------------------------------------------------------------

/** `TIMESTAMPING_FLAG_RX`: timestamp received packets. */
export const TIMESTAMPING_FLAG_RX = 0x1;
/** `TIMESTAMPING_FLAG_TX`: timestamp sent packets. */
export const TIMESTAMPING_FLAG_TX = 0x2;

/** The members of `TIMESTAMPING_CONFIG` (8 bytes), the view {@linkcode TimestampingConfig}. */
export const TIMESTAMPING_CONFIG_MEMBERS = {
  /** `Flags`: `TIMESTAMPING_FLAG_RX` | `TIMESTAMPING_FLAG_TX`. */
  flags: ["Flags", "u32"], // 0x00 ULONG
  /** `TxTimestampsBuffered`: how many TX timestamps the stack keeps for retrieval. */
  txTimestampsBuffered: ["TxTimestampsBuffered", "u16"], // 0x04 USHORT
} as const satisfies Members;

/** A view over `TIMESTAMPING_CONFIG`, the input of `SIO_TIMESTAMPING`. */
export class TimestampingConfig extends StructView {
  /** `sizeof(TIMESTAMPING_CONFIG)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "TIMESTAMPING_CONFIG",
    TIMESTAMPING_CONFIG_MEMBERS,
  );
}
/** The fields of {@linkcode TimestampingConfig}, typed from its members. */
export interface TimestampingConfig extends ViewFields<typeof TIMESTAMPING_CONFIG_MEMBERS> {}

// ---------------------------------------------------------------------------------------------
// TCP_INITIAL_RTO_PARAMETERS, TCP_ICW_PARAMETERS, TCP_ACK_FREQUENCY_PARAMETERS
// ---------------------------------------------------------------------------------------------

/** `TCP_INITIAL_RTO_UNSPECIFIED_RTT` (`(USHORT)-1`): keep the system's initial RTT. */
export const TCP_INITIAL_RTO_UNSPECIFIED_RTT = 0xffff;
/** `TCP_INITIAL_RTO_UNSPECIFIED_MAX_SYN_RETRANSMISSIONS` (`(UCHAR)-1`): keep the default. */
export const TCP_INITIAL_RTO_UNSPECIFIED_MAX_SYN_RETRANSMISSIONS = 0xff;
/** `TCP_INITIAL_RTO_DEFAULT_RTT` (0). */
export const TCP_INITIAL_RTO_DEFAULT_RTT = 0;
/** `TCP_INITIAL_RTO_DEFAULT_MAX_SYN_RETRANSMISSIONS` (0). */
export const TCP_INITIAL_RTO_DEFAULT_MAX_SYN_RETRANSMISSIONS = 0;
/** `TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS` (`(UCHAR)-2`): send the SYN once, never retry. */
export const TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS = 0xfe;

/** The members of `TCP_INITIAL_RTO_PARAMETERS` (4 bytes). */
export const TCP_INITIAL_RTO_PARAMETERS_MEMBERS = {
  /** `Rtt`: initial RTT in ms, or `TCP_INITIAL_RTO_UNSPECIFIED_RTT`. */
  rtt: ["Rtt", "u16"], // 0x00 USHORT
  /** `MaxSynRetransmissions`: a count, or one of the `TCP_INITIAL_RTO_*` constants. */
  maxSynRetransmissions: ["MaxSynRetransmissions", "u8"], // 0x02 UCHAR
} as const satisfies Members;

/** A view over `TCP_INITIAL_RTO_PARAMETERS`, the input of `SIO_TCP_INITIAL_RTO`. */
export class TcpInitialRtoParameters extends StructView {
  /** `sizeof(TCP_INITIAL_RTO_PARAMETERS)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "TCP_INITIAL_RTO_PARAMETERS",
    TCP_INITIAL_RTO_PARAMETERS_MEMBERS,
  );
}
/** The fields of {@linkcode TcpInitialRtoParameters}, typed from its members. */
export interface TcpInitialRtoParameters
  extends ViewFields<typeof TCP_INITIAL_RTO_PARAMETERS_MEMBERS> {}

/** `TCP_ICW_LEVEL`: initial congestion window levels for `SIO_TCP_SET_ICW`. */
export const TCP_ICW_LEVEL = {
  DEFAULT: 0,
  HIGH: 1,
  VERY_HIGH: 2,
  AGGRESSIVE: 3,
  EXPERIMENTAL: 4,
  COMPAT: 254,
  MAX: 255,
} as const;

/** The members of `TCP_ICW_PARAMETERS` (4 bytes). */
export const TCP_ICW_PARAMETERS_MEMBERS = {
  /** `Level`: a {@linkcode TCP_ICW_LEVEL} value. */
  level: ["Level", "ENUM"], // 0x00 TCP_ICW_LEVEL
} as const satisfies Members;

/** A view over `TCP_ICW_PARAMETERS`, the input of `SIO_TCP_SET_ICW`. */
export class TcpIcwParameters extends StructView {
  /** `sizeof(TCP_ICW_PARAMETERS)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "TCP_ICW_PARAMETERS",
    TCP_ICW_PARAMETERS_MEMBERS,
  );
}
/** The fields of {@linkcode TcpIcwParameters}, typed from its members. */
export interface TcpIcwParameters extends ViewFields<typeof TCP_ICW_PARAMETERS_MEMBERS> {}

/** The members of `TCP_ACK_FREQUENCY_PARAMETERS` (1 byte). */
export const TCP_ACK_FREQUENCY_PARAMETERS_MEMBERS = {
  /** `TcpDelayedAckFrequency`: segments per delayed ACK. */
  tcpDelayedAckFrequency: ["TcpDelayedAckFrequency", "u8"], // 0x00 UCHAR
} as const satisfies Members;

/** A view over `TCP_ACK_FREQUENCY_PARAMETERS`, the input of `SIO_TCP_SET_ACK_FREQUENCY`. */
export class TcpAckFrequencyParameters extends StructView {
  /** `sizeof(TCP_ACK_FREQUENCY_PARAMETERS)`. */
  static readonly SIZE = 1;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "TCP_ACK_FREQUENCY_PARAMETERS",
    TCP_ACK_FREQUENCY_PARAMETERS_MEMBERS,
  );
}
/** The fields of {@linkcode TcpAckFrequencyParameters}, typed from its members. */
export interface TcpAckFrequencyParameters
  extends ViewFields<typeof TCP_ACK_FREQUENCY_PARAMETERS_MEMBERS> {}
