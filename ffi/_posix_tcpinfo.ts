/**
 * Internal: SIO_TCP_INFO on POSIX. The connection's statistics come from the platform's own
 * per-socket query — Linux `getsockopt(IPPROTO_TCP, TCP_INFO)` (`struct tcp_info`, linux/tcp.h),
 * macOS `getsockopt(IPPROTO_TCP, TCP_CONNECTION_INFO)` (`struct tcp_connection_info`, XNU
 * netinet/tcp.h) — and are written in the layout of the `TCP_INFO_v0/v1/v2` the input DWORD asks
 * for, in Windows' units (µs, bytes, ms) and with Windows' `TCPSTATE` numbers. A field the
 * platform has no source for is written 0; `sio/tcp.ts`'s `tcpInfo` documents the table.
 *
 * The platform struct is read into a buffer allocated once, the Windows struct built in another
 * and copied out: a polling loop allocates nothing. The getsockopt is also the socket check
 * (ENOTSOCK, EBADF). A socket that is not TCP answers ENOPROTOOPT or EOPNOTSUPP; Winsock's answer
 * for a command that does not apply to the socket is WSAEINVAL. Then a missing or short input is
 * WSAEFAULT, a version other than 0, 1, 2 WSAEINVAL, an output shorter than the version's struct
 * WSAEFAULT.
 *
 * @module
 */

import type { PosixIoctlContext } from "./_posix_ioctl.ts";
import { readU32 } from "./_le.ts";
import { DARWIN_TCP_CONNECTION_INFO, LINUX_TCP_INFO } from "./libc.ts";
import { WSAEFAULT, WSAEINVAL, WSAENOPROTOOPT, WSAEOPNOTSUPP } from "../_wsa.ts";

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

// TCP_INFO_v0/v1/v2 (mstcpip.h, 64-bit Windows), little-endian.
const W_STATE = 0x00; // TCPSTATE State
const W_MSS = 0x04; // ULONG Mss
const W_TIMESTAMPS = 0x10; // BOOLEAN TimestampsEnabled
const W_RTT = 0x14; // ULONG RttUs
const W_MIN_RTT = 0x18; // ULONG MinRttUs
const W_IN_FLIGHT = 0x1c; // ULONG BytesInFlight
const W_CWND = 0x20; // ULONG Cwnd
const W_SND_WND = 0x24; // ULONG SndWnd
const W_RCV_WND = 0x28; // ULONG RcvWnd
const W_BYTES_OUT = 0x30; // ULONG64 BytesOut
const W_BYTES_IN = 0x38; // ULONG64 BytesIn
const W_REORDERED = 0x40; // ULONG BytesReordered
const W_RETRANS = 0x44; // ULONG BytesRetrans
const W_TIMEOUTS = 0x50; // ULONG TimeoutEpisodes
const W_LIM_TIME_RWIN = 0x5c; // ULONG SndLimTimeRwin (v1)
const W_LIM_TIME_CWND = 0x6c; // ULONG SndLimTimeCwnd (v1)
const W_LIM_TIME_SND = 0x7c; // ULONG SndLimTimeSnd (v1)
const W_OUT_OF_ORDER = 0x88; // ULONG OutOfOrderPktsIn (v2)
const W_ECN = 0x8c; // BOOLEAN EcnNegotiated (v2)
/** sizeof(TCP_INFO_v0), (_v1), (_v2). */
const W_SIZES = [88, 136, 152] as const;

const MAX_U32 = 0xffffffff;
const TWO_32 = 0x1_0000_0000;
/** The byte order of this machine: the platform structs are in it. */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
 * @returns The query, or `undefined` on a system other than Linux and macOS.
 */
export function posixTcpInfo(c: PosixIoctlContext): TcpInfoQuery | undefined {
  const linux = c.os === "linux";
  if (!linux && c.os !== "darwin") return undefined;
  const { libc } = c;
  const [level, name] = linux ? LINUX_TCP_INFO : DARWIN_TCP_CONNECTION_INFO;
  const size = linux ? LINUX_TCP_INFO_LAYOUT.size : DARWIN_TCP_CONNECTION_INFO_LAYOUT.size;
  // Scratch space (one thread: reused): the platform's struct, its length, the Windows struct.
  const raw = new Uint8Array(new ArrayBuffer(size));
  const rv = new DataView(raw.buffer);
  const rawLength = new Uint32Array(1);
  const win = new Uint8Array(new ArrayBuffer(W_SIZES[2]));
  const wv = new DataView(win.buffer);
  // The bytes copied out per version: exactly its struct.
  const answers = W_SIZES.map((n) => win.subarray(0, n));

  const u32 = (at: number): number => rv.getUint32(at, LE);
  // A u64 as a number: exact below 2^53 (counters of bytes and µs stay far below).
  const u64 = (at: number): number =>
    LE
      ? rv.getUint32(at, true) + rv.getUint32(at + 4, true) * TWO_32
      : rv.getUint32(at + 4, false) + rv.getUint32(at, false) * TWO_32;
  // A u64 copied into a ULONG64 bit for bit.
  const copy64 = (to: number, at: number): void => {
    wv.setUint32(to, rv.getUint32(LE ? at : at + 4, LE), true);
    wv.setUint32(to + 4, rv.getUint32(LE ? at + 4 : at, LE), true);
  };

  // Every field the table fills is written on every call (0 when absent), so nothing of an
  // earlier answer stays; the fields without a source are never written and stay 0.
  function fromLinux(version: number): void {
    const L = LINUX_TCP_INFO_LAYOUT.fields;
    const state = raw[L.tcpi_state[0]];
    wv.setUint32(W_STATE, state < LINUX_STATES.length ? LINUX_STATES[state] : STATE_MAX, true);
    const mss = u32(L.tcpi_snd_mss[0]);
    wv.setUint32(W_MSS, mss, true);
    win[W_TIMESTAMPS] = raw[L.tcpi_options[0]] & 1; // TCPI_OPT_TIMESTAMPS
    wv.setUint32(W_RTT, u32(L.tcpi_rtt[0]), true);
    const minRtt = u32(L.tcpi_min_rtt[0]);
    wv.setUint32(W_MIN_RTT, minRtt === MAX_U32 ? 0 : minRtt, true);
    // Sent but unacknowledged: new data sent (retransmissions aside) less the bytes acked.
    // bytes_acked also counts the SYN of a connection this end opened, and a FIN once acked.
    const inFlight = u64(L.tcpi_bytes_sent[0]) - u64(L.tcpi_bytes_retrans[0]) -
      u64(L.tcpi_bytes_acked[0]);
    wv.setUint32(W_IN_FLIGHT, inFlight > 0 ? Math.min(inFlight, MAX_U32) : 0, true);
    wv.setUint32(W_CWND, Math.min(u32(L.tcpi_snd_cwnd[0]) * mss, MAX_U32), true);
    wv.setUint32(W_SND_WND, u32(L.tcpi_snd_wnd[0]), true);
    wv.setUint32(W_RCV_WND, u32(L.tcpi_rcv_wnd[0]), true);
    copy64(W_BYTES_OUT, L.tcpi_bytes_sent[0]);
    copy64(W_BYTES_IN, L.tcpi_bytes_received[0]);
    wv.setUint32(W_RETRANS, u64(L.tcpi_bytes_retrans[0]) % TWO_32, true); // a ULONG's wrap
    wv.setUint32(W_TIMEOUTS, rv.getUint16(L.tcpi_total_rto_recoveries[0], LE), true);
    if (version === 0) return;
    // µs → ms (a ULONG's wrap past 49.7 days).
    const busy = u64(L.tcpi_busy_time[0]);
    const rwnd = u64(L.tcpi_rwnd_limited[0]);
    const sndbuf = u64(L.tcpi_sndbuf_limited[0]);
    const network = busy - rwnd - sndbuf;
    wv.setUint32(W_LIM_TIME_RWIN, Math.floor(rwnd / 1000) % TWO_32, true);
    wv.setUint32(W_LIM_TIME_CWND, network > 0 ? Math.floor(network / 1000) % TWO_32 : 0, true);
    wv.setUint32(W_LIM_TIME_SND, Math.floor(sndbuf / 1000) % TWO_32, true);
    if (version === 1) return;
    wv.setUint32(W_OUT_OF_ORDER, u32(L.tcpi_rcv_ooopack[0]), true);
    win[W_ECN] = (raw[L.tcpi_options[0]] & 8) === 0 ? 0 : 1; // TCPI_OPT_ECN
  }

  function fromDarwin(version: number): void {
    const D = DARWIN_TCP_CONNECTION_INFO_LAYOUT.fields;
    const state = raw[D.tcpi_state[0]];
    wv.setUint32(W_STATE, state < DARWIN_STATES.length ? DARWIN_STATES[state] : STATE_MAX, true);
    wv.setUint32(W_MSS, u32(D.tcpi_maxseg[0]), true);
    const options = u32(D.tcpi_options[0]);
    win[W_TIMESTAMPS] = options & 1; // TCPCI_OPT_TIMESTAMPS
    wv.setUint32(W_RTT, Math.min(u32(D.tcpi_srtt[0]) * 1000, MAX_U32), true); // ms → µs
    wv.setUint32(W_CWND, u32(D.tcpi_snd_cwnd[0]), true);
    wv.setUint32(W_SND_WND, u32(D.tcpi_snd_wnd[0]), true);
    wv.setUint32(W_RCV_WND, u32(D.tcpi_rcv_wnd[0]), true);
    copy64(W_BYTES_OUT, D.tcpi_txbytes[0]);
    copy64(W_BYTES_IN, D.tcpi_rxbytes[0]);
    wv.setUint32(W_REORDERED, u64(D.tcpi_rxoutoforderbytes[0]) % TWO_32, true);
    wv.setUint32(W_RETRANS, u64(D.tcpi_txretransmitbytes[0]) % TWO_32, true);
    if (version === 2) win[W_ECN] = (options & 8) === 0 ? 0 : 1; // TCPCI_OPT_ECN
  }

  const fill = linux ? fromLinux : fromDarwin;
  return (s, input, inLength, output, outLength) => {
    const f = c.fd(s);
    if (f < 0) return c.notSocket();
    rawLength[0] = size;
    if (libc.getsockopt(f, level, name, raw, rawLength) !== 0) {
      const e = c.errno();
      const wsa = c.errnos.wsa[e];
      return wsa === WSAENOPROTOOPT || wsa === WSAEOPNOTSUPP
        ? c.recordWsa(WSAEINVAL)
        : c.recordErrno(e);
    }
    if (input === null || inLength < 4) return c.recordWsa(WSAEFAULT);
    const version = readU32(input, 0);
    if (version > 2) return c.recordWsa(WSAEINVAL);
    const answer = answers[version];
    if (output === null || outLength < answer.length) return c.recordWsa(WSAEFAULT);
    // A member past what the kernel wrote is absent: 0, not what the last call left.
    const n = rawLength[0];
    if (n < size) raw.fill(0, n);
    fill(version);
    output.set(answer);
    return answer.length;
  };
}
