/**
 * Internal: SIO_TCP_INFO on POSIX. The connection's statistics come from the platform's own
 * per-socket query — Linux `getsockopt(IPPROTO_TCP, TCP_INFO)` (`struct tcp_info`, linux/tcp.h),
 * macOS `getsockopt(IPPROTO_TCP, TCP_CONNECTION_INFO)` (`struct tcp_connection_info`, XNU
 * netinet/tcp.h) — and are written in the layout of the `TCP_INFO_v0/v1/v2` the input DWORD asks
 * for, in Windows' units (µs, bytes, ms) and with Windows' `TCPSTATE` numbers. A field the
 * platform has no source for is written 0; `sio/tcp.ts`'s `tcpInfo` documents the table.
 *
 * The platform struct is read into a buffer allocated once and the Windows struct written as
 * 32-bit words straight into the output (through a word view made once per output buffer, or a
 * scratch struct copied out when the output does not start on a word): a polling loop allocates
 * nothing. Little-endian CPUs only (the Windows layout is little-endian). The getsockopt is also the socket check
 * (ENOTSOCK, EBADF). A socket that is not TCP answers ENOPROTOOPT or EOPNOTSUPP; Winsock's answer
 * for a command that does not apply to the socket is WSAEINVAL. Then a missing or short input is
 * WSAEFAULT, a version other than 0, 1, 2 WSAEINVAL, an output shorter than the version's struct
 * WSAEFAULT.
 *
 * @module
 */

import type { ErrnoTable } from "./_errno.ts";
import { readU32 } from "./_le.ts";
import type { Bound } from "./_types.ts";
import { DARWIN_TCP_CONNECTION_INFO, type LIBC, LINUX_TCP_INFO } from "./libc.ts";
import { WSAEFAULT, WSAEINVAL, WSAENOPROTOOPT, WSAEOPNOTSUPP } from "../_wsa.ts";

/** What SIO_TCP_INFO needs from the POSIX native layer (its `PosixIoctlContext` has it all). */
export interface TcpInfoContext {
  /** The operating system. */
  readonly os: string;
  /** The bound libc. */
  readonly libc: Pick<Bound<typeof LIBC>, "getsockopt">;
  /** The system's errno numbers. */
  readonly errnos: ErrnoTable;
  /** errno as the last native call left it. */
  errno(): number;
  /** The descriptor of a handle, or -1 when it is outside a C `int`. */
  fd(s: bigint): number;
  /** Records WSAENOTSOCK; returns -1. */
  notSocket(): -1;
  /** Records the WSA code of an errno; returns -1. */
  recordErrno(errno: number): -1;
  /** Records a WSA code; returns -1. */
  recordWsa(wsa: number): -1;
  /** The native address of a view's first byte. */
  address(view: ArrayBufferView): bigint;
  /**
   * getsockopt taking the addresses of the layer's own scratch buffers (`LIBC_AT`),
   * where the FFI allocates per buffer argument (node:ffi); undefined elsewhere.
   */
  readonly getsockoptAt?: (
    fd: number,
    level: number,
    name: number,
    value: bigint,
    length: bigint,
  ) => number;
}

/**
 * The engine's own accessors of a typed array's buffer and byte offset, captured when this module
 * loads: the words view of an output never reads a property of the output itself.
 */
const typedArrayGetter = <T>(key: "buffer" | "byteOffset"): (view: Uint8Array) => T =>
  Function.prototype.call.bind(
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), key)!.get!,
  ) as (view: Uint8Array) => T;
const bufferOf = typedArrayGetter<ArrayBufferLike>("buffer");
const byteOffsetOf = typedArrayGetter<number>("byteOffset");

/**
 * Linux `struct tcp_info` (include/uapi/linux/tcp.h): the byte offsets of the members read, by
 * C name, and the length asked for. Every member up to `tcpi_snd_wnd` is checked with gcc
 * against the header installed here (tests/posix_tcpinfo_layout_test.ts); the three after it
 * were appended later (`tcpi_rcv_wnd` and `tcpi_rehash` in Linux 6.2, `tcpi_total_rto`,
 * `tcpi_total_rto_recoveries` and `tcpi_total_rto_time` in 6.7) and are checked as that
 * appended tail. The kernel copies at most its own struct and reports how much it wrote: a
 * member past that count is absent (an older kernel) and read as 0.
 */
export const LINUX_TCP_INFO_LAYOUT = {
  /** The length passed to getsockopt: Linux 6.7's struct, through `tcpi_total_rto_time`. */
  size: 248,
  /** The members read: `[offset, size]`, native byte order. */
  fields: {
    tcpi_state: [0, 1], // __u8: TCP_ESTABLISHED = 1 … (netinet/tcp.h)
    tcpi_options: [5, 1], // __u8: TCPI_OPT_TIMESTAMPS 1, TCPI_OPT_ECN 8
    tcpi_snd_mss: [16, 4], // __u32, bytes
    tcpi_rtt: [68, 4], // __u32, µs (smoothed)
    tcpi_snd_cwnd: [80, 4], // __u32, segments
    tcpi_bytes_acked: [120, 8], // __u64 (Linux 4.1)
    tcpi_bytes_received: [128, 8], // __u64 (4.1)
    tcpi_min_rtt: [148, 4], // __u32, µs; ~0U before the first sample (4.6)
    tcpi_busy_time: [168, 8], // __u64, µs (4.10)
    tcpi_rwnd_limited: [176, 8], // __u64, µs (4.10)
    tcpi_sndbuf_limited: [184, 8], // __u64, µs (4.10)
    tcpi_bytes_sent: [200, 8], // __u64 (4.19)
    tcpi_bytes_retrans: [208, 8], // __u64 (4.19)
    tcpi_rcv_ooopack: [224, 4], // __u32 (5.4)
    tcpi_snd_wnd: [228, 4], // __u32, bytes (the last member of the 6.1 header)
    tcpi_rcv_wnd: [232, 4], // __u32, bytes (6.2)
    tcpi_total_rto_recoveries: [242, 2], // __u16 (6.7)
  },
} as const;

/**
 * XNU `struct tcp_connection_info` (bsd/netinet/tcp.h, macOS 10.11 and later): the byte offsets
 * of the members read, by C name, and its size. Four `u_int8_t` (state, the two window scales,
 * padding), ten `u_int32_t` from 4 (options 4, flags 8, rto 12, maxseg 16, ssthresh 20, cwnd 24,
 * snd_wnd 28, snd_sbbytes 32, rcv_wnd 36, rttcur 40, srtt 44, rttvar 48) and the TFO bit-field
 * word at 52, then seven `u_int64_t` `aligned(8)` from 56: txpackets 56, txbytes 64,
 * txretransmitbytes 72, rxpackets 80, rxbytes 88, rxoutoforderbytes 96, txretransmitpackets 104.
 */
export const DARWIN_TCP_CONNECTION_INFO_LAYOUT = {
  /** `sizeof(struct tcp_connection_info)`. */
  size: 112,
  /** The members read: `[offset, size]`, native byte order. */
  fields: {
    tcpi_state: [0, 1], // u_int8_t: TCPS_* (netinet/tcp_fsm.h)
    tcpi_options: [4, 4], // u_int32_t: TCPCI_OPT_TIMESTAMPS 1, TCPCI_OPT_ECN 8
    tcpi_maxseg: [16, 4], // u_int32_t, bytes
    tcpi_snd_cwnd: [24, 4], // u_int32_t, bytes
    tcpi_snd_wnd: [28, 4], // u_int32_t, bytes
    tcpi_rcv_wnd: [36, 4], // u_int32_t, bytes
    tcpi_srtt: [44, 4], // u_int32_t, ms
    tcpi_txbytes: [64, 8], // u_int64_t
    tcpi_txretransmitbytes: [72, 8], // u_int64_t
    tcpi_rxbytes: [88, 8], // u_int64_t
    tcpi_rxoutoforderbytes: [96, 8], // u_int64_t
  },
} as const;

/** Windows' `TCPSTATE` values (mstcpip.h). */
const CLOSED = 0,
  LISTEN = 1,
  SYN_SENT = 2,
  SYN_RCVD = 3,
  ESTABLISHED = 4,
  FIN_WAIT_1 = 5,
  FIN_WAIT_2 = 6,
  CLOSE_WAIT = 7,
  CLOSING = 8,
  LAST_ACK = 9,
  TIME_WAIT = 10,
  /** `TCPSTATE_MAX`: written for a platform state Windows has no number for. */
  STATE_MAX = 11;

/**
 * Linux's states by number (netinet/tcp.h: TCP_ESTABLISHED = 1 … TCP_CLOSING = 11; the kernel's
 * TCP_NEW_SYN_RECV = 12 and TCP_BOUND_INACTIVE = 13) as `TCPSTATE`; 0 is no Linux state.
 */
const LINUX_STATES: readonly number[] = [
  STATE_MAX,
  ESTABLISHED, // 1 TCP_ESTABLISHED
  SYN_SENT, // 2 TCP_SYN_SENT
  SYN_RCVD, // 3 TCP_SYN_RECV
  FIN_WAIT_1, // 4 TCP_FIN_WAIT1
  FIN_WAIT_2, // 5 TCP_FIN_WAIT2
  TIME_WAIT, // 6 TCP_TIME_WAIT
  CLOSED, // 7 TCP_CLOSE
  CLOSE_WAIT, // 8 TCP_CLOSE_WAIT
  LAST_ACK, // 9 TCP_LAST_ACK
  LISTEN, // 10 TCP_LISTEN
  CLOSING, // 11 TCP_CLOSING
  SYN_RCVD, // 12 TCP_NEW_SYN_RECV
  CLOSED, // 13 TCP_BOUND_INACTIVE
];

/** XNU's `TCPS_*` (netinet/tcp_fsm.h) as `TCPSTATE`: the same states, in another order. */
const DARWIN_STATES: readonly number[] = [
  CLOSED, // 0 TCPS_CLOSED
  LISTEN, // 1 TCPS_LISTEN
  SYN_SENT, // 2 TCPS_SYN_SENT
  SYN_RCVD, // 3 TCPS_SYN_RECEIVED
  ESTABLISHED, // 4 TCPS_ESTABLISHED
  CLOSE_WAIT, // 5 TCPS_CLOSE_WAIT
  FIN_WAIT_1, // 6 TCPS_FIN_WAIT_1
  CLOSING, // 7 TCPS_CLOSING
  LAST_ACK, // 8 TCPS_LAST_ACK
  FIN_WAIT_2, // 9 TCPS_FIN_WAIT_2
  TIME_WAIT, // 10 TCPS_TIME_WAIT
];

// TCP_INFO_v0/v1/v2 (mstcpip.h, 64-bit Windows) as little-endian 32-bit words: every member is
// at a multiple of 4 (a BOOLEAN or UCHAR fills the low byte of its word, padding the rest), and
// each ULONG64 is two words, low first.
const W_STATE = 0x00 / 4; // TCPSTATE State
const W_MSS = 0x04 / 4; // ULONG Mss
const W_TIMESTAMPS = 0x10 / 4; // BOOLEAN TimestampsEnabled
const W_RTT = 0x14 / 4; // ULONG RttUs
const W_MIN_RTT = 0x18 / 4; // ULONG MinRttUs
const W_IN_FLIGHT = 0x1c / 4; // ULONG BytesInFlight
const W_CWND = 0x20 / 4; // ULONG Cwnd
const W_SND_WND = 0x24 / 4; // ULONG SndWnd
const W_RCV_WND = 0x28 / 4; // ULONG RcvWnd
const W_BYTES_OUT = 0x30 / 4; // ULONG64 BytesOut
const W_BYTES_IN = 0x38 / 4; // ULONG64 BytesIn
const W_REORDERED = 0x40 / 4; // ULONG BytesReordered
const W_RETRANS = 0x44 / 4; // ULONG BytesRetrans
const W_TIMEOUTS = 0x50 / 4; // ULONG TimeoutEpisodes
const W_LIM_TIME_RWIN = 0x5c / 4; // ULONG SndLimTimeRwin (v1)
const W_LIM_TIME_CWND = 0x6c / 4; // ULONG SndLimTimeCwnd (v1)
const W_LIM_TIME_SND = 0x7c / 4; // ULONG SndLimTimeSnd (v1)
const W_OUT_OF_ORDER = 0x88 / 4; // ULONG OutOfOrderPktsIn (v2)
const W_ECN = 0x8c / 4; // BOOLEAN EcnNegotiated (v2)
/** sizeof(TCP_INFO_v0), (_v1), (_v2). */
const W_SIZES = [88, 136, 152] as const;

const MAX_U32 = 0xffffffff;
const TWO_32 = 0x1_0000_0000;
/**
 * The byte order of this machine. The platform structs are in it and are read as native words;
 * the Windows struct is written as native words too, which is its layout on a little-endian CPU
 * only: elsewhere the query is not offered.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The word index of a member at a byte offset (a multiple of its size: checked at load). */
function word(field: readonly [number, number], size = 4): number {
  if (field[0] % size !== 0) throw new Error(`wsioctl: member at ${field[0]} is not aligned`);
  return field[0] / size;
}

// Linux's members as indexes into the struct's 32-bit words (a __u64: its low word, then +1).
const L = LINUX_TCP_INFO_LAYOUT.fields;
/** A __u8: its byte offset (read from its word: `>> 2`, `& 3`). */
const L_STATE = L.tcpi_state[0];
const L_OPTIONS = L.tcpi_options[0];
const L_SND_MSS = word(L.tcpi_snd_mss);
const L_RTT = word(L.tcpi_rtt);
const L_SND_CWND = word(L.tcpi_snd_cwnd);
const L_BYTES_ACKED = word(L.tcpi_bytes_acked, 8) * 2;
const L_BYTES_RECEIVED = word(L.tcpi_bytes_received, 8) * 2;
const L_MIN_RTT = word(L.tcpi_min_rtt);
const L_BUSY = word(L.tcpi_busy_time, 8) * 2;
const L_RWND_LIMITED = word(L.tcpi_rwnd_limited, 8) * 2;
const L_SNDBUF_LIMITED = word(L.tcpi_sndbuf_limited, 8) * 2;
const L_BYTES_SENT = word(L.tcpi_bytes_sent, 8) * 2;
const L_BYTES_RETRANS = word(L.tcpi_bytes_retrans, 8) * 2;
const L_RCV_OOOPACK = word(L.tcpi_rcv_ooopack);
const L_SND_WND = word(L.tcpi_snd_wnd);
const L_RCV_WND = word(L.tcpi_rcv_wnd);
/** A __u16: its index among the struct's 16-bit halves (read from its word: `>> 1`, `& 1`). */
const L_RTO_RECOVERIES = word(L.tcpi_total_rto_recoveries, 2);

// macOS's members, likewise.
const D = DARWIN_TCP_CONNECTION_INFO_LAYOUT.fields;
const D_STATE = D.tcpi_state[0];
const D_OPTIONS = word(D.tcpi_options);
const D_MAXSEG = word(D.tcpi_maxseg);
const D_SND_CWND = word(D.tcpi_snd_cwnd);
const D_SND_WND = word(D.tcpi_snd_wnd);
const D_RCV_WND = word(D.tcpi_rcv_wnd);
const D_SRTT = word(D.tcpi_srtt);
const D_TXBYTES = word(D.tcpi_txbytes, 8) * 2;
const D_TXRETRANSMITBYTES = word(D.tcpi_txretransmitbytes, 8) * 2;
const D_RXBYTES = word(D.tcpi_rxbytes, 8) * 2;
const D_RXOUTOFORDERBYTES = word(D.tcpi_rxoutoforderbytes, 8) * 2;

/**
 * SIO_TCP_INFO on one handle, with {@link NativeApi.wsaIoctl}'s buffers.
 *
 * @returns The bytes written (the version's struct), or -1 with the error recorded.
 */
export type TcpInfoQuery = (
  s: bigint,
  input: Uint8Array | null,
  inLength: number,
  output: Uint8Array | null,
  outLength: number,
) => number;

/**
 * Builds SIO_TCP_INFO for one POSIX native layer.
 *
 * @param c The layer's libc, descriptors and error recorders.
 * @returns The query, or `undefined` on a system other than Linux and macOS, or on a big-endian
 * CPU.
 */
export function posixTcpInfo(c: TcpInfoContext): TcpInfoQuery | undefined {
  const linux = c.os === "linux";
  if ((!linux && c.os !== "darwin") || !LITTLE_ENDIAN) return undefined;
  const { libc } = c;
  const [level, name] = linux ? LINUX_TCP_INFO : DARWIN_TCP_CONNECTION_INFO;
  const size = linux ? LINUX_TCP_INFO_LAYOUT.size : DARWIN_TCP_CONNECTION_INFO_LAYOUT.size;
  // Scratch space (one thread: reused): the platform's struct (as bytes and words) and its
  // length; the Windows struct, for an output whose bytes do not start on a word.
  const raw = new Uint8Array(new ArrayBuffer(size));
  const r32 = new Uint32Array(raw.buffer);
  const rawLength = new Uint32Array(new ArrayBuffer(4));
  // Where the FFI allocates per buffer argument: the two buffers' addresses, taken once (their
  // ArrayBuffers are this closure's own: never detached, resized or collected while it lives).
  const at = c.getsockoptAt;
  const rawAt = at === undefined ? 0n : c.address(raw);
  const rawLengthAt = at === undefined ? 0n : c.address(rawLength);
  const scratch = new Uint32Array(new ArrayBuffer(W_SIZES[2]));
  const scratchBytes = W_SIZES.map((n) => new Uint8Array(scratch.buffer, 0, n));
  // The words of each output seen (its bytes start on a word), made once per output: a polling
  // loop allocates nothing. Weak: never keeps a caller's buffer alive. Writing through them is
  // bounds-checked by the engine like any typed-array store.
  const outputWords = new WeakMap<Uint8Array, Uint32Array>();

  /**
   * `output`'s first `count` words (it holds them: the layer above checked its length), or
   * undefined when its bytes do not start on a word.
   */
  function wordsOf(output: Uint8Array, count: number): Uint32Array | undefined {
    const known = outputWords.get(output);
    if (known !== undefined && known[count - 1] !== undefined) return known;
    const offset = byteOffsetOf(output);
    if (offset % 4 !== 0) return undefined;
    const words = new Uint32Array(bufferOf(output), offset, count);
    outputWords.set(output, words);
    return words;
  }

  /** A __u64 (two words from `at`) as a number: exact below 2^53, far above any count here. */
  const u64 = (at: number): number => r32[at] + r32[at + 1] * TWO_32;

  // Every word of the version's struct is written on every call: what has no source is 0.
  function fromLinux(w: Uint32Array, version: number): void {
    // Every load first, then every store (no store can then force a load to be repeated).
    const r = r32;
    const state = (r[L_STATE >> 2] >>> ((L_STATE & 3) * 8)) & 0xff;
    const options = (r[L_OPTIONS >> 2] >>> ((L_OPTIONS & 3) * 8)) & 0xff;
    const mss = r[L_SND_MSS];
    const rtt = r[L_RTT];
    const minRtt = r[L_MIN_RTT];
    const sent = r[L_BYTES_SENT];
    const sentHigh = r[L_BYTES_SENT + 1];
    const retransmitted = r[L_BYTES_RETRANS];
    const received = r[L_BYTES_RECEIVED];
    const receivedHigh = r[L_BYTES_RECEIVED + 1];
    const cwnd = r[L_SND_CWND] * mss; // segments → bytes
    const sndWnd = r[L_SND_WND];
    const rcvWnd = r[L_RCV_WND];
    const recoveries = (r[L_RTO_RECOVERIES >> 1] >>> ((L_RTO_RECOVERIES & 1) * 16)) & 0xffff;
    // Sent but unacknowledged: new data sent (retransmissions aside) less the bytes acked.
    // bytes_acked also counts the SYN of a connection this end opened, and a FIN once acked.
    // The difference is small (at most the bytes in flight, at least -2), so the low words,
    // subtracted as 32-bit integers, give it exactly.
    const inFlight = (sent - retransmitted - r[L_BYTES_ACKED]) | 0;
    w[W_STATE] = state < LINUX_STATES.length ? LINUX_STATES[state] : STATE_MAX;
    w[W_MSS] = mss;
    w[W_MSS + 1] = 0; // ConnectionTimeMs: no source
    w[W_MSS + 2] = 0;
    w[W_TIMESTAMPS] = options & 1; // TCPI_OPT_TIMESTAMPS
    w[W_RTT] = rtt;
    w[W_MIN_RTT] = minRtt === MAX_U32 ? 0 : minRtt; // ~0U: no sample yet
    w[W_IN_FLIGHT] = inFlight > 0 ? inFlight : 0;
    w[W_CWND] = cwnd < MAX_U32 ? cwnd : MAX_U32;
    w[W_SND_WND] = sndWnd;
    w[W_RCV_WND] = rcvWnd;
    w[W_RCV_WND + 1] = 0; // RcvBuf: no source
    w[W_BYTES_OUT] = sent;
    w[W_BYTES_OUT + 1] = sentHigh;
    w[W_BYTES_IN] = received;
    w[W_BYTES_IN + 1] = receivedHigh;
    w[W_REORDERED] = 0; // no source
    w[W_RETRANS] = retransmitted; // the low word: a ULONG's wrap
    w[W_RETRANS + 1] = 0; // FastRetrans: no source
    w[W_RETRANS + 2] = 0; // DupAcksIn: no source
    w[W_TIMEOUTS] = recoveries;
    w[W_TIMEOUTS + 1] = 0; // SynRetrans: no source
    if (version !== 0) fromLinuxV1(w, version, options);
  }

  // TCP_INFO_v1's and _v2's members.
  function fromLinuxV1(w: Uint32Array, version: number, options: number): void {
    // µs → ms (a ULONG's wrap past 49.7 days); the transitions and bytes have no source.
    const rwnd = u64(L_RWND_LIMITED);
    const sndbuf = u64(L_SNDBUF_LIMITED);
    const network = u64(L_BUSY) - rwnd - sndbuf;
    w.fill(0, W_TIMEOUTS + 2, W_SIZES[1] / 4);
    w[W_LIM_TIME_RWIN] = Math.floor(rwnd / 1000) % TWO_32;
    w[W_LIM_TIME_CWND] = network > 0 ? Math.floor(network / 1000) % TWO_32 : 0;
    w[W_LIM_TIME_SND] = Math.floor(sndbuf / 1000) % TWO_32;
    if (version === 1) return;
    w.fill(0, W_SIZES[1] / 4, W_SIZES[2] / 4); // EceAcksIn, PtoEpisodes: no source
    w[W_OUT_OF_ORDER] = r32[L_RCV_OOOPACK];
    w[W_ECN] = (options & 8) === 0 ? 0 : 1; // TCPI_OPT_ECN
  }

  function fromDarwin(w: Uint32Array, version: number): void {
    w.fill(0, 0, W_SIZES[version] / 4);
    const state = raw[D_STATE];
    w[W_STATE] = state < DARWIN_STATES.length ? DARWIN_STATES[state] : STATE_MAX;
    w[W_MSS] = r32[D_MAXSEG];
    const options = r32[D_OPTIONS];
    w[W_TIMESTAMPS] = options & 1; // TCPCI_OPT_TIMESTAMPS
    const rtt = r32[D_SRTT] * 1000; // ms → µs
    w[W_RTT] = rtt < MAX_U32 ? rtt : MAX_U32;
    w[W_CWND] = r32[D_SND_CWND];
    w[W_SND_WND] = r32[D_SND_WND];
    w[W_RCV_WND] = r32[D_RCV_WND];
    w[W_BYTES_OUT] = r32[D_TXBYTES];
    w[W_BYTES_OUT + 1] = r32[D_TXBYTES + 1];
    w[W_BYTES_IN] = r32[D_RXBYTES];
    w[W_BYTES_IN + 1] = r32[D_RXBYTES + 1];
    w[W_REORDERED] = r32[D_RXOUTOFORDERBYTES]; // the low words: a ULONG's wrap
    w[W_RETRANS] = r32[D_TXRETRANSMITBYTES];
    if (version === 2) w[W_ECN] = (options & 8) === 0 ? 0 : 1; // TCPCI_OPT_ECN
  }

  const fill = linux ? fromLinux : fromDarwin;
  return (s, input, inLength, output, outLength) => {
    const f = c.fd(s);
    if (f < 0) return c.notSocket();
    rawLength[0] = size;
    const r = at === undefined
      ? libc.getsockopt(f, level, name, raw, rawLength)
      : at(f, level, name, rawAt, rawLengthAt);
    if (r !== 0) {
      const e = c.errno();
      const wsa = c.errnos.wsa[e];
      return wsa === WSAENOPROTOOPT || wsa === WSAEOPNOTSUPP
        ? c.recordWsa(WSAEINVAL)
        : c.recordErrno(e);
    }
    if (input === null || inLength < 4) return c.recordWsa(WSAEFAULT);
    const version = readU32(input, 0);
    if (version > 2) return c.recordWsa(WSAEINVAL);
    const bytes = W_SIZES[version];
    if (output === null || outLength < bytes) return c.recordWsa(WSAEFAULT);
    // A member past what the kernel wrote is absent: 0, not what the last call left.
    const n = rawLength[0];
    if (n < size) raw.fill(0, n);
    const words = wordsOf(output, bytes / 4);
    if (words !== undefined) {
      fill(words, version);
    } else {
      fill(scratch, version);
      output.set(scratchBytes[version]);
    }
    return bytes;
  };
}
