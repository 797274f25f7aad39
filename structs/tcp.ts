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

import {
  BOOLEAN,
  defineAccessors,
  ENUM,
  struct,
  type StructLayout,
  StructView,
  u16,
  u32,
  u64,
  u8,
} from "./layout.ts";

// ---------------------------------------------------------------------------------------------
// tcp_keepalive
// ---------------------------------------------------------------------------------------------

/** `struct tcp_keepalive` (12 bytes). */
export const TCP_KEEPALIVE_LAYOUT: StructLayout = struct("tcp_keepalive", {
  onoff: u32, // 0x00 ULONG
  keepalivetime: u32, // 0x04 ULONG, ms
  keepaliveinterval: u32, // 0x08 ULONG, ms
});

/**
 * A view over `struct tcp_keepalive`, the input of `SIO_KEEPALIVE_VALS`.
 *
 * @example
 * ```ts
 * import { TcpKeepalive } from "./tcp.ts";
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
  static readonly LAYOUT: StructLayout = TCP_KEEPALIVE_LAYOUT;
  /** `onoff`: non-zero enables keep-alive. */
  declare onOff: number;
  /** `keepalivetime`: idle time before the first probe, in milliseconds. */
  declare keepAliveTime: number;
  /** `keepaliveinterval`: time between probes, in milliseconds. */
  declare keepAliveInterval: number;
}
defineAccessors(TcpKeepalive, {
  onOff: "onoff",
  keepAliveTime: "keepalivetime",
  keepAliveInterval: "keepaliveinterval",
});

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

const TCP_INFO_V0_MEMBERS = {
  State: ENUM, // 0x00 TCPSTATE
  Mss: u32, // 0x04 ULONG
  ConnectionTimeMs: u64, // 0x08 ULONG64
  TimestampsEnabled: BOOLEAN, // 0x10 BOOLEAN
  RttUs: u32, // 0x14 ULONG
  MinRttUs: u32, // 0x18 ULONG
  BytesInFlight: u32, // 0x1C ULONG
  Cwnd: u32, // 0x20 ULONG
  SndWnd: u32, // 0x24 ULONG
  RcvWnd: u32, // 0x28 ULONG
  RcvBuf: u32, // 0x2C ULONG
  BytesOut: u64, // 0x30 ULONG64
  BytesIn: u64, // 0x38 ULONG64
  BytesReordered: u32, // 0x40 ULONG
  BytesRetrans: u32, // 0x44 ULONG
  FastRetrans: u32, // 0x48 ULONG
  DupAcksIn: u32, // 0x4C ULONG
  TimeoutEpisodes: u32, // 0x50 ULONG
  SynRetrans: u8, // 0x54 UCHAR
};

const TCP_INFO_V1_MEMBERS = {
  ...TCP_INFO_V0_MEMBERS,
  SndLimTransRwin: u32, // 0x58 ULONG
  SndLimTimeRwin: u32, // 0x5C ULONG
  SndLimBytesRwin: u64, // 0x60 ULONG64
  SndLimTransCwnd: u32, // 0x68 ULONG
  SndLimTimeCwnd: u32, // 0x6C ULONG
  SndLimBytesCwnd: u64, // 0x70 ULONG64
  SndLimTransSnd: u32, // 0x78 ULONG
  SndLimTimeSnd: u32, // 0x7C ULONG
  SndLimBytesSnd: u64, // 0x80 ULONG64
};

/** `TCP_INFO_v0` (88 bytes), Windows 10 1703+. */
export const TCP_INFO_V0_LAYOUT: StructLayout = struct("TCP_INFO_v0", TCP_INFO_V0_MEMBERS);
/** `TCP_INFO_v1` (136 bytes), Windows 10 1809+: v0 plus send-limit statistics. */
export const TCP_INFO_V1_LAYOUT: StructLayout = struct("TCP_INFO_v1", TCP_INFO_V1_MEMBERS);
/** `TCP_INFO_v2` (152 bytes), Windows 11+: v1 plus reordering, ECN and PTO counters. */
export const TCP_INFO_V2_LAYOUT: StructLayout = struct("TCP_INFO_v2", {
  ...TCP_INFO_V1_MEMBERS,
  OutOfOrderPktsIn: u32, // 0x88 ULONG
  EcnNegotiated: BOOLEAN, // 0x8C BOOLEAN
  EceAcksIn: u32, // 0x90 ULONG
  PtoEpisodes: u32, // 0x94 ULONG
});

/**
 * A view over `TCP_INFO_v0`, the output of `SIO_TCP_INFO` with version 0.
 *
 * @example
 * ```ts
 * import { TCPSTATE, TcpInfoV0 } from "./tcp.ts";
 * const info = TcpInfoV0.alloc(); // pass info.view as the IOCTL output
 * if (info.state === TCPSTATE.ESTABLISHED) console.log(info.rttUs);
 * ```
 */
export class TcpInfoV0 extends StructView {
  /** `sizeof(TCP_INFO_v0)`. */
  static readonly SIZE: number = 88;
  /** The layout. */
  static readonly LAYOUT: StructLayout = TCP_INFO_V0_LAYOUT;
  /** `State`: a {@linkcode TCPSTATE} value. */
  declare state: number;
  /** `Mss`: current maximum segment size, bytes. */
  declare mss: number;
  /** `ConnectionTimeMs`: connection lifetime, ms. */
  declare connectionTimeMs: bigint;
  /** `TimestampsEnabled`: TCP timestamps negotiated. */
  declare timestampsEnabled: boolean;
  /** `RttUs`: smoothed round-trip time estimate, µs. */
  declare rttUs: number;
  /** `MinRttUs`: minimum sampled round-trip time, µs. */
  declare minRttUs: number;
  /** `BytesInFlight`: sent but unacknowledged bytes. */
  declare bytesInFlight: number;
  /** `Cwnd`: congestion window, bytes. */
  declare cwnd: number;
  /** `SndWnd`: peer's advertised receive window (SND.WND), bytes. */
  declare sndWnd: number;
  /** `RcvWnd`: our advertised receive window (RCV.WND), bytes. */
  declare rcvWnd: number;
  /** `RcvBuf`: current receive buffer size, bytes (auto-tuned). */
  declare rcvBuf: number;
  /** `BytesOut`: total bytes sent. */
  declare bytesOut: bigint;
  /** `BytesIn`: total bytes received. */
  declare bytesIn: bigint;
  /** `BytesReordered`: bytes seen reordered. */
  declare bytesReordered: number;
  /** `BytesRetrans`: bytes retransmitted. */
  declare bytesRetrans: number;
  /** `FastRetrans`: fast retransmissions. */
  declare fastRetrans: number;
  /** `DupAcksIn`: duplicate ACKs received. */
  declare dupAcksIn: number;
  /** `TimeoutEpisodes`: retransmission timeout episodes. */
  declare timeoutEpisodes: number;
  /** `SynRetrans`: SYN retransmissions. */
  declare synRetrans: number;
}
defineAccessors(TcpInfoV0, {
  state: "State",
  mss: "Mss",
  connectionTimeMs: "ConnectionTimeMs",
  timestampsEnabled: "TimestampsEnabled",
  rttUs: "RttUs",
  minRttUs: "MinRttUs",
  bytesInFlight: "BytesInFlight",
  cwnd: "Cwnd",
  sndWnd: "SndWnd",
  rcvWnd: "RcvWnd",
  rcvBuf: "RcvBuf",
  bytesOut: "BytesOut",
  bytesIn: "BytesIn",
  bytesReordered: "BytesReordered",
  bytesRetrans: "BytesRetrans",
  fastRetrans: "FastRetrans",
  dupAcksIn: "DupAcksIn",
  timeoutEpisodes: "TimeoutEpisodes",
  synRetrans: "SynRetrans",
});

/**
 * A view over `TCP_INFO_v1`: every `TCP_INFO_v0` field at the same offset, plus the time,
 * transitions and bytes spent limited by the receive window (`Rwin`), the congestion window
 * (`Cwnd`) and the sender (`Snd`).
 */
export class TcpInfoV1 extends TcpInfoV0 {
  /** `sizeof(TCP_INFO_v1)`. */
  static override readonly SIZE: number = 136;
  /** The layout. */
  static override readonly LAYOUT: StructLayout = TCP_INFO_V1_LAYOUT;
  /** `SndLimTransRwin`: transitions into receive-window-limited. */
  declare sndLimTransRwin: number;
  /** `SndLimTimeRwin`: ms receive-window-limited. */
  declare sndLimTimeRwin: number;
  /** `SndLimBytesRwin`: bytes sent while receive-window-limited. */
  declare sndLimBytesRwin: bigint;
  /** `SndLimTransCwnd`: transitions into congestion-window-limited. */
  declare sndLimTransCwnd: number;
  /** `SndLimTimeCwnd`: ms congestion-window-limited. */
  declare sndLimTimeCwnd: number;
  /** `SndLimBytesCwnd`: bytes sent while congestion-window-limited. */
  declare sndLimBytesCwnd: bigint;
  /** `SndLimTransSnd`: transitions into sender-limited. */
  declare sndLimTransSnd: number;
  /** `SndLimTimeSnd`: ms sender-limited. */
  declare sndLimTimeSnd: number;
  /** `SndLimBytesSnd`: bytes sent while sender-limited. */
  declare sndLimBytesSnd: bigint;
}
defineAccessors(TcpInfoV1, {
  sndLimTransRwin: "SndLimTransRwin",
  sndLimTimeRwin: "SndLimTimeRwin",
  sndLimBytesRwin: "SndLimBytesRwin",
  sndLimTransCwnd: "SndLimTransCwnd",
  sndLimTimeCwnd: "SndLimTimeCwnd",
  sndLimBytesCwnd: "SndLimBytesCwnd",
  sndLimTransSnd: "SndLimTransSnd",
  sndLimTimeSnd: "SndLimTimeSnd",
  sndLimBytesSnd: "SndLimBytesSnd",
});

/** A view over `TCP_INFO_v2`: every `TCP_INFO_v1` field, plus four Windows 11 counters. */
export class TcpInfoV2 extends TcpInfoV1 {
  /** `sizeof(TCP_INFO_v2)`. */
  static override readonly SIZE: number = 152;
  /** The layout. */
  static override readonly LAYOUT: StructLayout = TCP_INFO_V2_LAYOUT;
  /** `OutOfOrderPktsIn`: out-of-order data packets received. */
  declare outOfOrderPktsIn: number;
  /** `EcnNegotiated`: ECN negotiated on the connection. */
  declare ecnNegotiated: boolean;
  /** `EceAcksIn`: ACKs received with ECE set. */
  declare eceAcksIn: number;
  /** `PtoEpisodes`: probe timeout episodes. */
  declare ptoEpisodes: number;
}
defineAccessors(TcpInfoV2, {
  outOfOrderPktsIn: "OutOfOrderPktsIn",
  ecnNegotiated: "EcnNegotiated",
  eceAcksIn: "EceAcksIn",
  ptoEpisodes: "PtoEpisodes",
});

// ---------------------------------------------------------------------------------------------
// TIMESTAMPING_CONFIG
// ---------------------------------------------------------------------------------------------

/** `TIMESTAMPING_FLAG_RX`: timestamp received packets. */
export const TIMESTAMPING_FLAG_RX = 0x1;
/** `TIMESTAMPING_FLAG_TX`: timestamp sent packets. */
export const TIMESTAMPING_FLAG_TX = 0x2;

/** `TIMESTAMPING_CONFIG` (8 bytes). */
export const TIMESTAMPING_CONFIG_LAYOUT: StructLayout = struct("TIMESTAMPING_CONFIG", {
  Flags: u32, // 0x00 ULONG
  TxTimestampsBuffered: u16, // 0x04 USHORT
});

/** A view over `TIMESTAMPING_CONFIG`, the input of `SIO_TIMESTAMPING`. */
export class TimestampingConfig extends StructView {
  /** `sizeof(TIMESTAMPING_CONFIG)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = TIMESTAMPING_CONFIG_LAYOUT;
  /** `Flags`: `TIMESTAMPING_FLAG_RX` | `TIMESTAMPING_FLAG_TX`. */
  declare flags: number;
  /** `TxTimestampsBuffered`: how many TX timestamps the stack keeps for retrieval. */
  declare txTimestampsBuffered: number;
}
defineAccessors(TimestampingConfig, {
  flags: "Flags",
  txTimestampsBuffered: "TxTimestampsBuffered",
});

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

/** `TCP_INITIAL_RTO_PARAMETERS` (4 bytes). */
export const TCP_INITIAL_RTO_PARAMETERS_LAYOUT: StructLayout = struct(
  "TCP_INITIAL_RTO_PARAMETERS",
  {
    Rtt: u16, // 0x00 USHORT, ms
    MaxSynRetransmissions: u8, // 0x02 UCHAR
  },
);

/** A view over `TCP_INITIAL_RTO_PARAMETERS`, the input of `SIO_TCP_INITIAL_RTO`. */
export class TcpInitialRtoParameters extends StructView {
  /** `sizeof(TCP_INITIAL_RTO_PARAMETERS)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = TCP_INITIAL_RTO_PARAMETERS_LAYOUT;
  /** `Rtt`: initial RTT in ms, or `TCP_INITIAL_RTO_UNSPECIFIED_RTT`. */
  declare rtt: number;
  /** `MaxSynRetransmissions`: a count, or one of the `TCP_INITIAL_RTO_*` constants. */
  declare maxSynRetransmissions: number;
}
defineAccessors(TcpInitialRtoParameters, {
  rtt: "Rtt",
  maxSynRetransmissions: "MaxSynRetransmissions",
});

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

/** `TCP_ICW_PARAMETERS` (4 bytes). */
export const TCP_ICW_PARAMETERS_LAYOUT: StructLayout = struct("TCP_ICW_PARAMETERS", {
  Level: ENUM, // 0x00 TCP_ICW_LEVEL
});

/** A view over `TCP_ICW_PARAMETERS`, the input of `SIO_TCP_SET_ICW`. */
export class TcpIcwParameters extends StructView {
  /** `sizeof(TCP_ICW_PARAMETERS)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = TCP_ICW_PARAMETERS_LAYOUT;
  /** `Level`: a {@linkcode TCP_ICW_LEVEL} value. */
  declare level: number;
}
defineAccessors(TcpIcwParameters, { level: "Level" });

/** `TCP_ACK_FREQUENCY_PARAMETERS` (1 byte). */
export const TCP_ACK_FREQUENCY_PARAMETERS_LAYOUT: StructLayout = struct(
  "TCP_ACK_FREQUENCY_PARAMETERS",
  {
    TcpDelayedAckFrequency: u8, // 0x00 UCHAR
  },
);

/** A view over `TCP_ACK_FREQUENCY_PARAMETERS`, the input of `SIO_TCP_SET_ACK_FREQUENCY`. */
export class TcpAckFrequencyParameters extends StructView {
  /** `sizeof(TCP_ACK_FREQUENCY_PARAMETERS)`. */
  static readonly SIZE = 1;
  /** The layout. */
  static readonly LAYOUT: StructLayout = TCP_ACK_FREQUENCY_PARAMETERS_LAYOUT;
  /** `TcpDelayedAckFrequency`: segments per delayed ACK. */
  declare tcpDelayedAckFrequency: number;
}
defineAccessors(TcpAckFrequencyParameters, { tcpDelayedAckFrequency: "TcpDelayedAckFrequency" });

/** Every layout defined in this file, for `STRUCT_LAYOUTS`. */
export const TCP_LAYOUTS: readonly StructLayout[] = [
  TCP_KEEPALIVE_LAYOUT,
  TCP_INFO_V0_LAYOUT,
  TCP_INFO_V1_LAYOUT,
  TCP_INFO_V2_LAYOUT,
  TIMESTAMPING_CONFIG_LAYOUT,
  TCP_INITIAL_RTO_PARAMETERS_LAYOUT,
  TCP_ICW_PARAMETERS_LAYOUT,
  TCP_ACK_FREQUENCY_PARAMETERS_LAYOUT,
];
