/**
 * tcpInfo against the raw system call, for the tests on real Linux sockets: libc's `getsockopt`,
 * bound here straight through the running runtime's own FFI (Deno.dlopen, bun:ffi, koffi) — not
 * through wsioctl's loaders or native layer — a reader of its `struct tcp_info`, and the check
 * that a view tcpInfo just filled agrees with the raw answer taken right after it.
 */

import assert from "node:assert/strict";
import type { SocketRef } from "../../sio/_shared.ts";
import { tcpInfo } from "../../sio/mod.ts";
import { TcpInfoV0, TcpInfoV2, TCPSTATE } from "../../structs/mod.ts";

/** `int getsockopt(int fd, int level, int optname, void* optval, socklen_t* optlen)`. */
export type RawGetsockopt = (
  fd: number,
  level: number,
  name: number,
  value: Uint8Array,
  length: Uint32Array,
) => number;

const LIBC = "libc.so.6";

interface DenoFfi {
  dlopen(
    path: string,
    symbols: Record<string, { parameters: string[]; result: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => number> };
}
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: number[]; returns: number }>,
  ): { symbols: Record<string, (...args: unknown[]) => number> };
  FFIType: Record<string, number>;
}
interface Koffi {
  load(path: string): { func(name: string, result: string, args: string[]): RawGetsockopt };
}

/**
 * Binds getsockopt with the runtime's FFI.
 *
 * @returns The bound function.
 */
export async function rawGetsockopt(): Promise<RawGetsockopt> {
  const g = globalThis as { Deno?: DenoFfi; Bun?: unknown };
  if (g.Deno !== undefined) {
    const lib = g.Deno.dlopen(LIBC, {
      getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
    });
    return lib.symbols.getsockopt as RawGetsockopt;
  }
  if (g.Bun !== undefined) {
    // Non-literal specifiers keep `deno check` and the Node bundle from resolving them.
    const BUN_FFI = "bun:ffi";
    const { dlopen, FFIType: T } = (await import(BUN_FFI)) as BunFfi;
    const lib = dlopen(LIBC, {
      getsockopt: { args: [T.i32, T.i32, T.i32, T.ptr, T.ptr], returns: T.i32 },
    });
    return lib.symbols.getsockopt as RawGetsockopt;
  }
  const KOFFI = "koffi";
  const mod = (await import(KOFFI)) as { default?: Koffi } & Koffi;
  const koffi = mod.default ?? mod;
  return koffi.load(LIBC).func("getsockopt", "int", ["int", "int", "int", "void *", "void *"]);
}

/**
 * Linux `struct tcp_info` as the raw getsockopt(IPPROTO_TCP 6, TCP_INFO 11) answers it, the
 * members read at the offsets of include/uapi/linux/tcp.h (written here, apart from
 * ffi/_posix_tcpinfo.ts), little-endian (x86-64, arm64).
 */
export interface RawTcpInfo {
  /** The bytes the kernel wrote. */
  length: number;
  /** The bytes themselves. */
  bytes: Uint8Array;
  state: number; // __u8 tcpi_state @0
  options: number; // __u8 tcpi_options @5
  sndMss: number; // __u32 tcpi_snd_mss @16
  rtt: number; // __u32 tcpi_rtt @68 (µs)
  sndCwnd: number; // __u32 tcpi_snd_cwnd @80 (segments)
  bytesAcked: bigint; // __u64 tcpi_bytes_acked @120
  bytesReceived: bigint; // __u64 tcpi_bytes_received @128
  minRtt: number; // __u32 tcpi_min_rtt @148 (µs)
  busyTime: bigint; // __u64 tcpi_busy_time @168 (µs)
  rwndLimited: bigint; // __u64 tcpi_rwnd_limited @176 (µs)
  sndbufLimited: bigint; // __u64 tcpi_sndbuf_limited @184 (µs)
  bytesSent: bigint; // __u64 tcpi_bytes_sent @200
  bytesRetrans: bigint; // __u64 tcpi_bytes_retrans @208
  rcvOoopack: number; // __u32 tcpi_rcv_ooopack @224
  sndWnd: number; // __u32 tcpi_snd_wnd @228 (bytes)
  rcvWnd: number; // __u32 tcpi_rcv_wnd @232 (bytes, Linux 6.2; 0 before)
  totalRtoRecoveries: number; // __u16 tcpi_total_rto_recoveries @242 (Linux 6.7; 0 before)
}

/**
 * Reads a socket's `struct tcp_info` with the raw getsockopt.
 *
 * @param getsockopt From {@link rawGetsockopt}.
 * @param handle The socket's descriptor.
 * @returns The members.
 */
export function rawTcpInfo(getsockopt: RawGetsockopt, handle: bigint): RawTcpInfo {
  const bytes = new Uint8Array(new ArrayBuffer(280));
  const length = new Uint32Array([bytes.length]);
  const r = getsockopt(Number(handle), 6, 11, bytes, length);
  if (r !== 0) throw new Error(`getsockopt(TCP_INFO) on ${handle} failed`);
  const v = new DataView(bytes.buffer);
  const n = length[0];
  return {
    length: n,
    bytes: bytes.slice(0, n),
    state: bytes[0],
    options: bytes[5],
    sndMss: v.getUint32(16, true),
    rtt: v.getUint32(68, true),
    sndCwnd: v.getUint32(80, true),
    bytesAcked: v.getBigUint64(120, true),
    bytesReceived: v.getBigUint64(128, true),
    minRtt: v.getUint32(148, true),
    busyTime: v.getBigUint64(168, true),
    rwndLimited: v.getBigUint64(176, true),
    sndbufLimited: v.getBigUint64(184, true),
    bytesSent: v.getBigUint64(200, true),
    bytesRetrans: v.getBigUint64(208, true),
    rcvOoopack: v.getUint32(224, true),
    sndWnd: v.getUint32(228, true),
    rcvWnd: n >= 236 ? v.getUint32(232, true) : 0,
    totalRtoRecoveries: n >= 244 ? v.getUint16(242, true) : 0,
  };
}

/**
 * Waits (bounded) until the members {@link rawTcpInfo} reads stay the same for 30 ms on every
 * handle: the ACKs and window updates of what was exchanged have landed, so two reads in a row
 * see the same connection. (The "ms since" members, which tick, are not compared.)
 *
 * @param getsockopt From {@link rawGetsockopt}.
 * @param handles The sockets.
 */
export async function settled(getsockopt: RawGetsockopt, handles: bigint[]): Promise<void> {
  const snapshot = () =>
    handles.map((h) => {
      const { bytes: _, ...members } = rawTcpInfo(getsockopt, h);
      return members;
    });
  const end = Date.now() + 5000;
  let before = snapshot();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    const now = snapshot();
    try {
      assert.deepEqual(now, before);
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    before = now;
  }
}

/**
 * tcpInfo on `s` (versions 2 and 0), then the raw getsockopt on `handle` right after: the two
 * agree field by field, the connection is established in both numberings, and the byte counters
 * cover what the test sent and received.
 *
 * @param getsockopt From {@link rawGetsockopt}.
 * @param s What tcpInfo is called on (a Socket, a handle, a runtime socket).
 * @param handle Its descriptor, for the raw call.
 * @param sent Bytes this end sent, at least.
 * @param received Bytes this end received, at least.
 * @returns The view, for more checks.
 */
export function assertAgrees(
  getsockopt: RawGetsockopt,
  s: SocketRef,
  handle: bigint,
  sent: number,
  received: number,
): TcpInfoV2 {
  const info = tcpInfo(s, 2, TcpInfoV2.alloc());
  const v0 = tcpInfo(s, 0, TcpInfoV0.alloc());
  const raw = rawTcpInfo(getsockopt, handle);
  assert.equal(raw.state, 1, "TCP_ESTABLISHED");
  assert.equal(info.state, TCPSTATE.ESTABLISHED);
  assert.equal(info.mss, raw.sndMss);
  assert.ok(info.mss > 0);
  assert.equal(info.timestampsEnabled, (raw.options & 1) !== 0); // TCPI_OPT_TIMESTAMPS
  assert.equal(info.rttUs, raw.rtt);
  assert.ok(info.rttUs > 0, "an RTT was measured");
  assert.equal(info.minRttUs, raw.minRtt);
  assert.ok(info.minRttUs > 0, "a minimum RTT was sampled");
  assert.equal(info.cwnd, raw.sndCwnd * raw.sndMss); // segments × MSS
  assert.equal(info.sndWnd, raw.sndWnd);
  assert.equal(info.rcvWnd, raw.rcvWnd);
  assert.equal(info.bytesOut, raw.bytesSent);
  assert.equal(info.bytesIn, raw.bytesReceived);
  assert.ok(info.bytesOut >= BigInt(sent), `${info.bytesOut} bytes out, ${sent} sent`);
  assert.ok(info.bytesIn >= BigInt(received), `${info.bytesIn} bytes in, ${received} received`);
  assert.equal(info.bytesRetrans, Number(raw.bytesRetrans & 0xffffffffn));
  // Settled: everything sent is acknowledged (bytes_acked may count the SYN, and a FIN).
  assert.ok(raw.bytesSent - raw.bytesRetrans <= raw.bytesAcked);
  assert.equal(info.bytesInFlight, 0);
  assert.equal(info.timeoutEpisodes, raw.totalRtoRecoveries);
  // TCP_INFO_v1's send-limit times, µs → ms.
  assert.equal(info.sndLimTimeRwin, Number(raw.rwndLimited / 1000n));
  assert.equal(info.sndLimTimeSnd, Number(raw.sndbufLimited / 1000n));
  const network = raw.busyTime - raw.rwndLimited - raw.sndbufLimited;
  assert.equal(info.sndLimTimeCwnd, network > 0n ? Number(network / 1000n) : 0);
  // TCP_INFO_v2.
  assert.equal(info.outOfOrderPktsIn, raw.rcvOoopack);
  assert.equal(info.ecnNegotiated, (raw.options & 8) !== 0); // TCPI_OPT_ECN
  // No source on Linux: 0.
  for (const field of ["connectionTimeMs", "bytesReordered", "rcvBuf", "eceAcksIn"] as const) {
    assert.equal(Number(info[field]), 0, field);
  }
  // Version 0 reads the same connection.
  assert.deepEqual(
    [v0.state, v0.mss, v0.rttUs, v0.bytesOut, v0.bytesIn],
    [info.state, info.mss, info.rttUs, info.bytesOut, info.bytesIn],
  );
  return info;
}
