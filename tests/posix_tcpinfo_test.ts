// SIO_TCP_INFO on the POSIX native layer over a recording fake libc (tests/_helpers/fake_loader.ts):
// the getsockopt it makes (Linux IPPROTO_TCP 6 / TCP_INFO 11 with 248 bytes; macOS IPPROTO_TCP 6 /
// TCP_CONNECTION_INFO 0x106 with 112), and the TCP_INFO_v0/v1/v2 bytes it writes from a scripted
// answer. Both sides are written here from the C headers' offsets with tests/_helpers/bytes.ts —
// Linux include/uapi/linux/tcp.h, XNU bsd/netinet/tcp.h (tcp_connection_info) and tcp_fsm.h,
// Windows mstcpip.h — never through ffi/_posix_tcpinfo.ts's layout tables or the struct views.
// Then the typed call, tcpInfo, over the macOS fake. Pure: runs anywhere, under Deno, Bun and Node.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SIO_TCP_INFO } from "../codes/mod.ts";
import { UnsupportedError, WinsockError } from "../errors.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { _swapNativeApi } from "../ffi/select.ts";
import { tcpInfo } from "../sio/mod.ts";
import { TcpInfoV0, TcpInfoV2 } from "../structs/mod.ts";
import { type Field, le, u32le } from "./_helpers/bytes.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";

// The platform structs are in the CPU's byte order; the scripted answers are little-endian.
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const skip = !HOST_LITTLE_ENDIAN && "the scripted answers are little-endian";

const TWO_32 = 0x1_0000_0000n;

/** What the fake getsockopt was handed, read when it was called. */
interface Seen {
  fd: number;
  level: number;
  name: number;
  bytes: number;
  length: number;
}

/**
 * A POSIX layer for `os` whose getsockopt answers `answer()` (copied into the caller's buffer,
 * its length reported as `reported ?? answer.length`), or fails with `errno`.
 */
function layer(os: string, arch = "x86_64") {
  const seen: Seen[] = [];
  const script = {
    answer: new Uint8Array(0) as Uint8Array,
    reported: undefined as number | undefined,
    fail: false,
  };
  const getsockopt: Answer = (...args: unknown[]) => {
    const [fd, level, name, buf, len] = args as [number, number, number, Uint8Array, Uint32Array];
    seen.push({ fd, level, name, bytes: buf.length, length: len[0] });
    if (script.fail) return -1;
    const n = script.reported ?? script.answer.length;
    buf.set(script.answer.subarray(0, Math.min(n, buf.length)));
    len[0] = n;
    return 0;
  };
  const fake = fakeLoader(os, arch, { getsockopt });
  return { fake, seen, script, native: createPosixApi(fake.loader) };
}

/** Calls SIO_TCP_INFO for `version` into `size` bytes; returns the count and the bytes. */
function query(
  native: ReturnType<typeof createPosixApi>,
  version: number,
  size: number,
  handle = 9n,
): { n: number; out: Uint8Array } {
  const out = new Uint8Array(size).fill(0xee);
  const n = native.wsaIoctl(handle, SIO_TCP_INFO, u32le(version), 4, out, size);
  return { n, out };
}

// ---- Linux: struct tcp_info (include/uapi/linux/tcp.h) ----

const LINUX_SENT = 2n * TWO_32 + 3600n; // bytes_acked + bytes_retrans + 3000 in flight
/** A Linux 6.7 `struct tcp_info` (248 bytes) with a distinct value in every member read. */
function linuxInfo(): Uint8Array {
  return le(
    248,
    [0, 1, 1], // __u8 tcpi_state: TCP_ESTABLISHED
    [2, 1, 5], // __u8 tcpi_retransmits (not read)
    [5, 1, 1 | 8], // __u8 tcpi_options: TCPI_OPT_TIMESTAMPS | TCPI_OPT_ECN
    [16, 4, 1448], // __u32 tcpi_snd_mss
    [68, 4, 2500], // __u32 tcpi_rtt (µs)
    [80, 4, 10], // __u32 tcpi_snd_cwnd (segments)
    [100, 4, 77], // __u32 tcpi_total_retrans (not read)
    [120, 8, TWO_32 + 100n], // __u64 tcpi_bytes_acked
    [128, 8, 2n * TWO_32 + 5n], // __u64 tcpi_bytes_received
    [148, 4, 900], // __u32 tcpi_min_rtt (µs)
    [168, 8, 7_000_500], // __u64 tcpi_busy_time (µs)
    [176, 8, 2_000_250], // __u64 tcpi_rwnd_limited (µs)
    [184, 8, 1_000_000], // __u64 tcpi_sndbuf_limited (µs)
    [200, 8, LINUX_SENT], // __u64 tcpi_bytes_sent
    [208, 8, TWO_32 + 500n], // __u64 tcpi_bytes_retrans
    [220, 4, 6], // __u32 tcpi_reord_seen (not read)
    [224, 4, 7], // __u32 tcpi_rcv_ooopack
    [228, 4, 65535], // __u32 tcpi_snd_wnd (bytes)
    [232, 4, 131072], // __u32 tcpi_rcv_wnd (bytes, Linux 6.2)
    [240, 2, 9], // __u16 tcpi_total_rto (not read)
    [242, 2, 3], // __u16 tcpi_total_rto_recoveries (Linux 6.7)
  );
}

/** TCP_INFO_v2 (mstcpip.h) as Windows would lay out {@link linuxInfo}'s connection. */
const LINUX_EXPECTED: Field[] = [
  [0x00, 4, 4], // TCPSTATE State: TCPSTATE_ESTABLISHED
  [0x04, 4, 1448], // ULONG Mss
  [0x10, 1, 1], // BOOLEAN TimestampsEnabled
  [0x14, 4, 2500], // ULONG RttUs
  [0x18, 4, 900], // ULONG MinRttUs
  [0x1c, 4, 3000], // ULONG BytesInFlight: sent − retransmitted − acked
  [0x20, 4, 14480], // ULONG Cwnd: 10 segments × 1448
  [0x24, 4, 65535], // ULONG SndWnd
  [0x28, 4, 131072], // ULONG RcvWnd
  [0x30, 8, LINUX_SENT], // ULONG64 BytesOut
  [0x38, 8, 2n * TWO_32 + 5n], // ULONG64 BytesIn
  [0x44, 4, 500], // ULONG BytesRetrans: the low 32 bits
  [0x50, 4, 3], // ULONG TimeoutEpisodes
  [0x5c, 4, 2000], // ULONG SndLimTimeRwin (ms)
  [0x6c, 4, 4000], // ULONG SndLimTimeCwnd (ms): busy − rwnd − sndbuf limited
  [0x7c, 4, 1000], // ULONG SndLimTimeSnd (ms)
  [0x88, 4, 7], // ULONG OutOfOrderPktsIn
  [0x8c, 1, 1], // BOOLEAN EcnNegotiated
];

const SIZES = [88, 136, 152] as const;
const expectedBytes = (fields: Field[], size: number) =>
  le(size, ...fields.filter(([at]) => at < size));

describe("SIO_TCP_INFO on a fake Linux libc", { skip }, () => {
  for (const version of [0, 1, 2] as const) {
    const size = SIZES[version];
    test(`version ${version}: getsockopt(fd, 6, 11, 248 bytes) → TCP_INFO_v${version}`, () => {
      const { fake, seen, script, native } = layer("linux");
      script.answer = linuxInfo();
      const { n, out } = query(native, version, size);
      assert.equal(n, size);
      assert.deepEqual(out, expectedBytes(LINUX_EXPECTED, size));
      assert.deepEqual(fake.names(), ["getsockopt"]); // also the socket check
      assert.deepEqual(seen, [{ fd: 9, level: 6, name: 11, bytes: 248, length: 248 }]);
    });
  }

  test("a larger output: only the version's struct is written", () => {
    const { script, native } = layer("linux");
    script.answer = linuxInfo();
    const { n, out } = query(native, 0, 152);
    assert.equal(n, 88);
    assert.deepEqual(out.subarray(0, 88), expectedBytes(LINUX_EXPECTED, 88));
    assert.deepEqual([...out.subarray(88)], new Array(64).fill(0xee));
  });

  test("an output not starting on a 4-byte boundary, and one output polled with each version", () => {
    const { script, native } = layer("linux");
    script.answer = linuxInfo();
    const backing = new Uint8Array(160).fill(0xee);
    const odd = backing.subarray(1, 153);
    assert.equal(native.wsaIoctl(9n, SIO_TCP_INFO, u32le(2), 4, odd, 152), 152);
    assert.deepEqual(odd, expectedBytes(LINUX_EXPECTED, 152));
    assert.equal(backing[0], 0xee);
    assert.deepEqual([...backing.subarray(153)], new Array(7).fill(0xee));
    // The same output, versions 2, 0, 1: each writes its own struct's bytes, nothing past them.
    const out = new Uint8Array(152).fill(0xee);
    assert.equal(native.wsaIoctl(9n, SIO_TCP_INFO, u32le(2), 4, out, 152), 152);
    out.fill(0xdd, 88);
    assert.equal(native.wsaIoctl(9n, SIO_TCP_INFO, u32le(0), 4, out, 152), 88);
    assert.deepEqual(out.subarray(0, 88), expectedBytes(LINUX_EXPECTED, 88));
    assert.deepEqual([...out.subarray(88)], new Array(64).fill(0xdd));
    assert.equal(native.wsaIoctl(9n, SIO_TCP_INFO, u32le(1), 4, out, 152), 136);
    assert.deepEqual(out.subarray(0, 136), expectedBytes(LINUX_EXPECTED, 136));
    assert.deepEqual([...out.subarray(136)], new Array(16).fill(0xdd));
  });

  test("an older kernel's shorter struct: the members past it are 0, not the last answer", () => {
    const { script, native } = layer("linux");
    script.answer = linuxInfo();
    assert.equal(query(native, 2, 152).n, 152); // fills the layer's buffer
    // Linux 6.1 stops after tcpi_snd_wnd (232 bytes): no rcv_wnd, no total_rto_recoveries.
    script.reported = 232;
    const { out } = query(native, 2, 152);
    const absent = new Set([0x28, 0x50]);
    assert.deepEqual(out, expectedBytes(LINUX_EXPECTED.filter(([at]) => !absent.has(at)), 152));
    // Linux 4.9 stops after tcpi_data_segs_out (160): no busy/rwnd/sndbuf times, no bytes_sent
    // or bytes_retrans (so nothing in flight is known), no rcv_ooopack, no snd_wnd.
    script.reported = 160;
    const old = query(native, 2, 152).out;
    assert.deepEqual(
      old,
      le(
        152,
        [0x00, 4, 4],
        [0x04, 4, 1448],
        [0x10, 1, 1],
        [0x14, 4, 2500],
        [0x18, 4, 900],
        [0x20, 4, 14480],
        [0x38, 8, 2n * TWO_32 + 5n],
        [0x8c, 1, 1],
      ),
    );
  });

  test("units and limits: no RTT sample, a cwnd past a ULONG, the SYN in bytes_acked", () => {
    const { script, native } = layer("linux");
    script.answer = le(
      248,
      [0, 1, 2], // TCP_SYN_SENT
      [16, 4, 65535], // tcpi_snd_mss
      [80, 4, 0x7fffffff], // tcpi_snd_cwnd
      [120, 8, 1001], // tcpi_bytes_acked: 1000 data bytes and the SYN
      [148, 4, 0xffffffff], // tcpi_min_rtt: ~0U, no sample yet
      [168, 8, 5000], // tcpi_busy_time below rwnd_limited + sndbuf_limited (sampled apart)
      [176, 8, 4000],
      [184, 8, 2000],
      [200, 8, 1000], // tcpi_bytes_sent
    );
    const { out } = query(native, 1, 136);
    assert.deepEqual(
      out,
      le(
        136,
        [0x00, 4, 2], // TCPSTATE_SYN_SENT
        [0x04, 4, 65535],
        [0x20, 4, 0xffffffff], // Cwnd saturates
        [0x30, 8, 1000], // BytesOut; MinRttUs 0, BytesInFlight 0 (never negative)
        [0x5c, 4, 4], // SndLimTimeRwin
        [0x7c, 4, 2], // SndLimTimeSnd; SndLimTimeCwnd 0 (never negative)
      ),
    );
  });

  test("every Linux state as its TCPSTATE; a number Windows has none for is TCPSTATE_MAX", () => {
    const { script, native } = layer("linux");
    // netinet/tcp.h TCP_ESTABLISHED 1 … TCP_CLOSING 11; the kernel's TCP_NEW_SYN_RECV 12 and
    // TCP_BOUND_INACTIVE 13. mstcpip.h TCPSTATE: CLOSED 0, LISTEN 1, SYN_SENT 2, SYN_RCVD 3,
    // ESTABLISHED 4, FIN_WAIT_1 5, FIN_WAIT_2 6, CLOSE_WAIT 7, CLOSING 8, LAST_ACK 9,
    // TIME_WAIT 10, MAX 11.
    const windows = [11, 4, 2, 3, 5, 6, 10, 0, 7, 9, 1, 8, 3, 0, 11, 11];
    const states = [...windows.keys(), 255];
    for (const state of states) {
      script.answer = le(248, [0, 1, state]);
      const { out } = query(native, 0, 88);
      const want = state < windows.length ? windows[state] : 11;
      assert.equal(new DataView(out.buffer).getUint32(0, true), want, `Linux state ${state}`);
    }
  });

  test("refusals: the getsockopt's errno as Winsock answers it", () => {
    const { fake, script, native } = layer("linux");
    script.fail = true;
    // [errno, WSA]: ENOTSOCK and EBADF → WSAENOTSOCK; ENOPROTOOPT (a UDP socket) and EOPNOTSUPP
    // → WSAEINVAL (the command does not apply to the socket); ENOMEM → WSAENOBUFS.
    for (const [errno, wsa] of [[88, 10038], [9, 10038], [92, 10022], [95, 10022], [12, 10055]]) {
      fake.errno.value = errno;
      assert.equal(query(native, 0, 88).n, -1);
      assert.equal(native.lastError(), wsa, `errno ${errno}`);
    }
  });

  test("bad buffers: WSAEFAULT or WSAEINVAL after the socket check, nothing written", () => {
    const { fake, script, native } = layer("linux");
    script.answer = linuxInfo();
    const out = new Uint8Array(152);
    const cases: [Uint8Array | null, number, Uint8Array | null, number, number][] = [
      [null, 0, out, 88, 10014], // no version
      [u32le(0), 3, out, 88, 10014], // a short version
      [u32le(3), 4, out, 152, 10022], // no such version
      [u32le(0), 4, out, 87, 10014], // an output short of TCP_INFO_v0
      [u32le(1), 4, out, 88, 10014], // … of TCP_INFO_v1
      [u32le(2), 4, out, 136, 10014], // … of TCP_INFO_v2
      [u32le(0), 4, null, 0, 10014], // no output
    ];
    for (const [input, inLength, output, outLength, wsa] of cases) {
      fake.calls.length = 0;
      assert.equal(native.wsaIoctl(9n, SIO_TCP_INFO, input, inLength, output, outLength), -1);
      assert.equal(native.lastError(), wsa, `${inLength} in, ${outLength} out`);
      assert.deepEqual(fake.names(), ["getsockopt"]);
    }
    assert.deepEqual([...out], new Array(152).fill(0));
    // A handle no descriptor can be: WSAENOTSOCK before any native call.
    fake.calls.length = 0;
    assert.equal(query(native, 0, 88, 2n ** 40n).n, -1);
    assert.equal(native.lastError(), 10038);
    assert.deepEqual(fake.names(), []);
  });
});

// ---- macOS: struct tcp_connection_info (XNU bsd/netinet/tcp.h) ----

/** A `struct tcp_connection_info` (112 bytes) with a distinct value in every member. */
function darwinInfo(state = 5): Uint8Array {
  return le(
    112,
    [0, 1, state], // u_int8_t tcpi_state (TCPS_CLOSE_WAIT unless told)
    [1, 1, 6], // u_int8_t tcpi_snd_wscale
    [2, 1, 7], // u_int8_t tcpi_rcv_wscale
    [4, 4, 1 | 8], // u_int32_t tcpi_options: TCPCI_OPT_TIMESTAMPS | TCPCI_OPT_ECN
    [8, 4, 2], // u_int32_t tcpi_flags
    [12, 4, 333], // u_int32_t tcpi_rto (ms)
    [16, 4, 1440], // u_int32_t tcpi_maxseg
    [20, 4, 99999], // u_int32_t tcpi_snd_ssthresh
    [24, 4, 28800], // u_int32_t tcpi_snd_cwnd (bytes)
    [28, 4, 131072], // u_int32_t tcpi_snd_wnd
    [32, 4, 4444], // u_int32_t tcpi_snd_sbbytes
    [36, 4, 262144], // u_int32_t tcpi_rcv_wnd
    [40, 4, 40], // u_int32_t tcpi_rttcur (ms)
    [44, 4, 12], // u_int32_t tcpi_srtt (ms)
    [48, 4, 3], // u_int32_t tcpi_rttvar
    [52, 4, 0x1fff], // the tcpi_tfo_* bit-field word
    [56, 8, 10], // u_int64_t tcpi_txpackets
    [64, 8, 3n * TWO_32 + 7n], // u_int64_t tcpi_txbytes
    [72, 8, TWO_32 + 16n], // u_int64_t tcpi_txretransmitbytes
    [80, 8, 11], // u_int64_t tcpi_rxpackets
    [88, 8, 4n * TWO_32 + 9n], // u_int64_t tcpi_rxbytes
    [96, 8, 2048], // u_int64_t tcpi_rxoutoforderbytes
    [104, 8, 2], // u_int64_t tcpi_txretransmitpackets
  );
}

/** TCP_INFO_v2 as Windows would lay out {@link darwinInfo}'s connection. */
const DARWIN_EXPECTED: Field[] = [
  [0x00, 4, 7], // TCPSTATE State: TCPSTATE_CLOSE_WAIT
  [0x04, 4, 1440], // ULONG Mss
  [0x10, 1, 1], // BOOLEAN TimestampsEnabled
  [0x14, 4, 12000], // ULONG RttUs: 12 ms
  [0x20, 4, 28800], // ULONG Cwnd
  [0x24, 4, 131072], // ULONG SndWnd
  [0x28, 4, 262144], // ULONG RcvWnd
  [0x30, 8, 3n * TWO_32 + 7n], // ULONG64 BytesOut
  [0x38, 8, 4n * TWO_32 + 9n], // ULONG64 BytesIn
  [0x40, 4, 2048], // ULONG BytesReordered
  [0x44, 4, 16], // ULONG BytesRetrans: the low 32 bits
  [0x8c, 1, 1], // BOOLEAN EcnNegotiated
];

describe("SIO_TCP_INFO on a fake macOS libc", { skip }, () => {
  for (const version of [0, 1, 2] as const) {
    const size = SIZES[version];
    test(`version ${version}: getsockopt(fd, 6, 0x106, 112 bytes) → TCP_INFO_v${version}`, () => {
      const { fake, seen, script, native } = layer("darwin", "aarch64");
      script.answer = darwinInfo();
      const { n, out } = query(native, version, size);
      assert.equal(n, size);
      assert.deepEqual(out, expectedBytes(DARWIN_EXPECTED, size));
      assert.deepEqual(fake.names(), ["getsockopt"]);
      assert.deepEqual(seen, [{ fd: 9, level: 6, name: 0x106, bytes: 112, length: 112 }]);
    });
  }

  test("every TCPS_* state as its TCPSTATE", () => {
    const { script, native } = layer("darwin");
    // tcp_fsm.h: CLOSED 0, LISTEN 1, SYN_SENT 2, SYN_RECEIVED 3, ESTABLISHED 4, CLOSE_WAIT 5,
    // FIN_WAIT_1 6, CLOSING 7, LAST_ACK 8, FIN_WAIT_2 9, TIME_WAIT 10.
    const windows = [0, 1, 2, 3, 4, 7, 5, 8, 9, 6, 10, 11, 11];
    for (const [state, want] of windows.entries()) {
      script.answer = darwinInfo(state);
      const { out } = query(native, 0, 88);
      assert.equal(new DataView(out.buffer).getUint32(0, true), want, `TCPS ${state}`);
    }
  });

  test("refusals: ENOTSOCK → WSAENOTSOCK, ENOPROTOOPT / EOPNOTSUPP → WSAEINVAL", () => {
    const { fake, script, native } = layer("darwin");
    script.fail = true;
    for (const [errno, wsa] of [[38, 10038], [42, 10022], [102, 10022], [22, 10022]]) {
      fake.errno.value = errno;
      assert.equal(query(native, 1, 136).n, -1);
      assert.equal(native.lastError(), wsa, `errno ${errno}`);
    }
  });

  test("tcpInfo (the typed call) fills its view from the macOS struct", () => {
    const { fake, script, native } = layer("darwin", "aarch64");
    script.answer = darwinInfo(4); // TCPS_ESTABLISHED
    const restore = _swapNativeApi(native);
    try {
      const into = TcpInfoV2.alloc();
      assert.equal(tcpInfo(9n, 2, into), into);
      assert.deepEqual(into.toObject(), {
        state: 4,
        mss: 1440,
        connectionTimeMs: 0n,
        timestampsEnabled: true,
        rttUs: 12000,
        minRttUs: 0,
        bytesInFlight: 0,
        cwnd: 28800,
        sndWnd: 131072,
        rcvWnd: 262144,
        rcvBuf: 0,
        bytesOut: 3n * TWO_32 + 7n,
        bytesIn: 4n * TWO_32 + 9n,
        bytesReordered: 2048,
        bytesRetrans: 16,
        fastRetrans: 0,
        dupAcksIn: 0,
        timeoutEpisodes: 0,
        synRetrans: 0,
        sndLimTransRwin: 0,
        sndLimTimeRwin: 0,
        sndLimBytesRwin: 0n,
        sndLimTransCwnd: 0,
        sndLimTimeCwnd: 0,
        sndLimBytesCwnd: 0n,
        sndLimTransSnd: 0,
        sndLimTimeSnd: 0,
        sndLimBytesSnd: 0n,
        outOfOrderPktsIn: 0,
        ecnNegotiated: true,
        eceAcksIn: 0,
        ptoEpisodes: 0,
      });
      const v0 = tcpInfo(9n);
      assert.ok(v0 instanceof TcpInfoV0);
      assert.equal(v0.rttUs, 12000);
      // A UDP socket (ENOPROTOOPT): WSAEINVAL, with tcpInfo's hint.
      script.fail = true;
      fake.errno.value = 42;
      assert.throws(() => tcpInfo(9n), (e: unknown) => {
        assert.ok(e instanceof WinsockError);
        assert.equal(e.code, 10022);
        assert.equal(e.typedCall, "tcpInfo");
        assert.equal(e.ioctl, "SIO_TCP_INFO");
        assert.match(e.hint ?? "", /needs a TCP socket/);
        return true;
      });
    } finally {
      restore();
    }
  });
});

describe("SIO_TCP_INFO elsewhere", () => {
  test("FreeBSD and the other BSDs: UnsupportedError, no native call", () => {
    for (const os of ["freebsd", "openbsd"]) {
      const { fake, native } = layer(os);
      assert.throws(() => query(native, 0, 88), (e: unknown) => {
        assert.ok(e instanceof UnsupportedError);
        assert.equal(e.ioctl, "SIO_TCP_INFO");
        assert.equal(e.platform, os);
        return true;
      });
      assert.deepEqual(fake.names(), []);
    }
  });
});
