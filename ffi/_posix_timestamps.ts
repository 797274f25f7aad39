/**
 * Internal: Winsock's timestamp model on Linux and macOS, for the POSIX native layer
 * (`posix.ts`, and `_posix_ioctl.ts` for the two control codes). Linux has the same model as
 * Windows: `SO_TIMESTAMPING` with `SOF_TIMESTAMPING_OPT_ID`, an id per send in an
 * `SCM_TS_OPT_ID` control message (6.13 and later), TX stamps read from the error queue
 * (`SCM_TIMESTAMPING` with the id in `sock_extended_err.ee_data`), RX stamps from `recvmsg`.
 * macOS has RX stamps only (`SO_TIMESTAMP`).
 *
 * - SIO_TIMESTAMPING → `SO_TIMESTAMPING` = SOFTWARE | OPT_ID | OPT_TSONLY, plus TX_SOFTWARE for
 *   TX and RX_SOFTWARE for RX (macOS: `SO_TIMESTAMP` for RX; TX is `UnsupportedError`). Datagram
 *   sockets only, as on Windows (WSAEINVAL otherwise). OPT_ID is turned off first when it was
 *   on, so the socket's id counter starts again at 0.
 * - SIO_GET_TX_TIMESTAMP → `recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT)` until the stamp of the id
 *   asked for comes out or the queue is empty (WSAEWOULDBLOCK, as Windows answers). Stamps of
 *   other ids read on the way are kept for later polls, per socket, at most
 *   `TxTimestampsBuffered` of them (a ring allocated when SIO_TIMESTAMPING runs); further ones
 *   are dropped, as Windows drops them. The ring belongs to the socket's descriptor and its
 *   `SO_COOKIE` (the kernel's identity of the socket, never reused): a stamp kept for a socket
 *   is handed out only after its cookie is checked again, so a recycled descriptor number never
 *   gets another socket's stamps. The path allocates nothing: the message header, its control
 *   buffer and the ring are allocated once, their addresses taken once.
 * - `sendMsg` (a send with a timestamp id) → `sendmsg` with `SCM_TS_OPT_ID`, on Linux 6.13 and
 *   later (`uname`, read once); elsewhere `UnsupportedError` before anything is sent.
 * - `recvMsg` → `recvmsg` and the software stamp of `SCM_TIMESTAMPING` (macOS: `SCM_TIMESTAMP`).
 * - The clock: `CLOCK_REALTIME` in nanoseconds, the clock the kernel stamps with.
 *
 * Structures are read at the offsets of `libc.ts`, on the 64-bit little-endian CPUs of
 * `IFADDRS_ARCHES`; anywhere else every timestamp call is `UnsupportedError`.
 *
 * @module
 */

import { ioctlLabel, SIO_GET_TX_TIMESTAMP } from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import { WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL, WSAEWOULDBLOCK } from "../_wsa.ts";
import type { ErrnoCall } from "./_errno.ts";
import { readU32, writeU32 } from "./_le.ts";
import { unsupportedNote } from "./_posix_portable.ts";
import type { SockaddrTranslator } from "./_posix_sockaddr.ts";
import type { Bound, Loader } from "./_types.ts";
import {
  DARWIN_MSGHDR,
  DARWIN_TIMESTAMPING,
  IFADDRS_ARCHES,
  type LIBC,
  LIBC_TIMESTAMPS,
  LINUX_MSGHDR,
  LINUX_TIMESTAMPING,
  type MsghdrLayout,
  type PosixConstants,
} from "./libc.ts";
import type { MessageBuffers, NativeApi } from "./native.ts";

/** What the timestamp calls need from the POSIX native layer that owns them. */
export interface PosixTimestampsContext {
  /** The operating system. */
  readonly os: string;
  /** The runtime adapter (opens {@link LIBC_TIMESTAMPS}, addresses, errno). */
  readonly loader: Loader;
  /** The libc names to open. */
  readonly names: readonly string[];
  /** The system's constants. */
  readonly k: PosixConstants;
  /** The system's EAGAIN. */
  readonly errnoEAGAIN: number;
  /** The layer's libc (`getsockopt`, `setsockopt`). */
  readonly libc: Pick<Bound<typeof LIBC>, "getsockopt" | "setsockopt">;
  /** The layer's sockaddr scratch and translation. */
  readonly addrs: SockaddrTranslator;
  /** The descriptor of a handle, or -1 when it is outside a C `int`. */
  fd(s: bigint): number;
  /** Records an errno (plain translation); returns -1. */
  recordErrno(errno: number): -1;
  /** Records an errno of a data call (the translation that asks the socket); returns -1. */
  recordErrnoIn(call: ErrnoCall, h: number, errno: number): -1;
  /** Records a WSA code; returns -1. */
  recordWsa(wsa: number): -1;
  /** Records WSAENOTSOCK; returns -1. */
  notSocket(): -1;
  /**
   * recvmsg taking the address of the layer's own message header (`LIBC_AT`), where the FFI
   * allocates per buffer argument (node:ffi); undefined elsewhere.
   */
  readonly recvmsgAt?: (fd: number, msg: bigint, flags: number) => number;
}

/** What the POSIX native layer gets: the message calls, the clock, and the two codes. */
export type PosixTimestamps =
  & Pick<
    NativeApi,
    "messageBuffers" | "sendMsg" | "recvMsg" | "timestampNow" | "timestampFrequency"
  >
  & {
    /** SIO_TIMESTAMPING and SIO_GET_TX_TIMESTAMP, as {@link NativeApi.wsaIoctl} runs them. */
    ioctl: NativeApi["wsaIoctl"];
    /** SIO_GET_TX_TIMESTAMP alone (the polling path, one call level less). */
    poll(
      s: bigint,
      input: Uint8Array | null,
      inLength: number,
      output: Uint8Array | null,
      outLength: number,
    ): number;
    /** Forgets what is kept for a descriptor being closed. */
    forget(fd: number): void;
  };

const L = LINUX_TIMESTAMPING;
const D = DARWIN_TIMESTAMPING;
/** SOCK_DGRAM: 2 on Linux and the BSDs. */
const SOCK_DGRAM = 2;
/** Bytes of the control buffers: room for SCM_TIMESTAMPING (64) and an IPv6 RECVERR (64). */
const CONTROL_BYTES = 256;
/** One transfer moves at most 2^31-1 bytes (the `i32` results of `libc.ts`). */
const INT_MAX = 0x7fffffff;
/** `CMSG_LEN(sizeof(__u32))` and `CMSG_SPACE(sizeof(__u32))` on 64-bit Linux. */
const OPT_ID_CMSG_LEN = 20;
const OPT_ID_CMSG_SPACE = 24;
/** msg_controllen of {@link LINUX_MSGHDR} (its low half), as an index of u32 words. */
const CONTROLLEN_WORD = LINUX_MSGHDR.controllen / 4;
/** The fields of the error-queue message just read, in `got` (seconds, then nanoseconds). */
const GOT_ID = 0;
const GOT_SEC = 1;
const GOT_NSEC = 2;
/** The first Linux with SCM_TS_OPT_ID. */
const OPT_ID_SINCE = [6, 13] as const;

/** 2^32, as a Number. */
const U32 = 4294967296;
/** 1e9 = HI_1E9 * 2^16 + LO_1E9. */
const HI_1E9 = 15258;
const LO_1E9 = 51712;
/** Seconds below which {@link writeNanoseconds} computes exactly with Numbers (year 2514). */
const FAST_SECONDS = 17179869184; // 2^34

const scratch64 = new DataView(new ArrayBuffer(8));

/**
 * Writes `sec * 1e9 + nsec` as a little-endian u64: exact, and without a bigint for any time
 * between 1970 and 2514 (split into 16-bit partial products, each below 2^53).
 *
 * @param out The bytes.
 * @param at Where the u64 starts.
 * @param sec Whole seconds (an integer).
 * @param nsec Nanoseconds, 0..999999999.
 */
export function writeNanoseconds(out: Uint8Array, at: number, sec: number, nsec: number): void {
  pair[0] = sec;
  pair[1] = nsec;
  writeStamp(out, at, pair, 0);
}

const pair = new Float64Array(2);

/**
 * {@link writeNanoseconds} of `from[i]` seconds and `from[i + 1]` nanoseconds. The poll path calls
 * this one: the seconds (above 2^31) travel in a typed array, never as a number argument, which
 * an engine may box (an allocation per stamp) when the call is not inlined.
 */
function writeStamp(out: Uint8Array, at: number, from: Float64Array, i: number): void {
  const sec = from[i];
  const nsec = from[i + 1];
  if (sec >= 0 && sec < FAST_SECONDS) {
    const lo32 = sec % U32;
    const hi32 = (sec - lo32) / U32; // 0..3
    const x = lo32 * LO_1E9 + nsec; // < 2^48
    const y = lo32 * HI_1E9; // < 2^46
    const low = (x % U32) + (y % 65536) * 65536; // < 2^33
    const lo = low % U32;
    const hi = (x - (x % U32)) / U32 + (y - (y % 65536)) / 65536 + (low - lo) / U32 +
      hi32 * 1e9;
    writeU32(out, at, lo);
    writeU32(out, at + 4, hi);
    return;
  }
  // Before 1970 or after 2514: bigint arithmetic, wrapped to 64 bits as a UINT64 would be.
  scratch64.setBigUint64(0, BigInt.asUintN(64, BigInt(sec) * 1_000_000_000n + BigInt(nsec)), true);
  for (let k = 0; k < 8; k++) out[at + k] = scratch64.getUint8(k);
}

/** Reads a little-endian `int64` that holds an integer below 2^53 in magnitude, as a Number. */
function readI64(view: DataView, at: number): number {
  return view.getInt32(at + 4, true) * U32 + view.getUint32(at, true);
}

/** The stamps of other ids a socket's polls read on the way, kept for later polls. */
class TxRing {
  /** SO_COOKIE of the socket they came from, as two u32 halves. */
  cookieLo: number;
  cookieHi: number;
  readonly ids: Uint32Array;
  /** [sec, nsec] per stamp. */
  readonly stamps: Float64Array;
  count = 0;

  constructor(capacity: number, cookieLo: number, cookieHi: number) {
    this.ids = new Uint32Array(capacity);
    this.stamps = new Float64Array(capacity * 2);
    this.cookieLo = cookieLo;
    this.cookieHi = cookieHi;
  }

  /** Keeps the stamp `from[i]` s, `from[i + 1]` ns of `id`; dropped when the ring is full. */
  keep(id: number, from: Float64Array, i: number): void {
    const n = this.count;
    if (n === this.ids.length) return;
    this.ids[n] = id;
    this.stamps[2 * n] = from[i];
    this.stamps[2 * n + 1] = from[i + 1];
    this.count = n + 1;
  }

  /** The index of the oldest stamp kept for `id`, or -1. */
  find(id: number): number {
    const ids = this.ids;
    for (let i = 0, n = this.count; i < n; i++) if (ids[i] === id) return i;
    return -1;
  }

  /** Removes the stamp at `i`, keeping the others in order. */
  remove(i: number): void {
    const n = this.count - 1;
    this.ids.copyWithin(i, i + 1, n + 1);
    this.stamps.copyWithin(2 * i, 2 * i + 2, 2 * n + 2);
    this.count = n;
  }
}

/** A socket's message header, buffer descriptor and control buffer, addresses taken once. */
class PosixMessageBuffers implements MessageBuffers {
  readonly stamp: BigUint64Array = new BigUint64Array(new ArrayBuffer(16));
  readonly stampBytes: Uint8Array = new Uint8Array(this.stamp.buffer);
  readonly msg: Uint8Array;
  readonly msgView: DataView;
  readonly iov: Uint8Array = new Uint8Array(new ArrayBuffer(16));
  readonly iovView: DataView = new DataView(this.iov.buffer);
  readonly control: Uint8Array = new Uint8Array(new ArrayBuffer(CONTROL_BYTES));
  readonly controlView: DataView = new DataView(this.control.buffer);

  constructor(loader: Loader, m: MsghdrLayout) {
    this.msg = new Uint8Array(new ArrayBuffer(m.size));
    this.msgView = new DataView(this.msg.buffer);
    this.msgView.setBigUint64(m.iov, loader.address(this.iov), true);
    this.msgView.setUint32(m.iovlen, 1, true);
    this.msgView.setBigUint64(m.control, loader.address(this.control), true);
  }
}

function own(buffers: MessageBuffers): PosixMessageBuffers {
  if (!(buffers instanceof PosixMessageBuffers)) {
    throw new TypeError("wsioctl: message buffers of another native layer");
  }
  return buffers;
}

/**
 * The release of the running Linux kernel (`uname`), and whether it has SCM_TS_OPT_ID.
 *
 * @param release `utsname.release`, e.g. `"6.13.0-1-amd64"`.
 * @returns Whether the kernel is 6.13 or later.
 */
export function hasOptId(release: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (m === null) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > OPT_ID_SINCE[0] || (major === OPT_ID_SINCE[0] && minor >= OPT_ID_SINCE[1]);
}

/**
 * Builds the timestamp calls of one POSIX native layer.
 *
 * @param c What they need from the layer.
 * @returns The calls.
 */
export function posixTimestamps(c: PosixTimestampsContext): PosixTimestamps {
  const { os, loader, k, addrs } = c;
  const linux = os === "linux";
  const supported = (linux || os === "darwin") && IFADDRS_ARCHES.has(loader.arch);
  /** TX stamps: Linux only. */
  const poll = linux && supported;
  const layout: MsghdrLayout = linux ? LINUX_MSGHDR : DARWIN_MSGHDR;
  let lib: Bound<typeof LIBC_TIMESTAMPS> | undefined;
  const libT = (): Bound<typeof LIBC_TIMESTAMPS> => lib ??= loader.open(c.names, LIBC_TIMESTAMPS);
  const where = supported ? os : `${os} on ${loader.arch}`;

  // Scratch space (one thread: reused).
  const opt = new Uint8Array(new ArrayBuffer(16));
  const optView = new DataView(opt.buffer);
  const optLength = new Uint32Array(1);
  const timespec = new Uint8Array(new ArrayBuffer(16));
  const timespecView = new DataView(timespec.buffer);
  const now = new Uint8Array(new ArrayBuffer(8));
  const nowView = new DataView(now.buffer);

  // The error-queue read of the poll path: one message header and control buffer for the layer,
  // no payload (OPT_TSONLY queues none; anything else is truncated), addresses taken once.
  const errMsg = new Uint8Array(new ArrayBuffer(LINUX_MSGHDR.size));
  const errMsgView = new DataView(errMsg.buffer);
  const errControl = new Uint8Array(new ArrayBuffer(CONTROL_BYTES));
  const errControlView = new DataView(errControl.buffer);
  // The error-queue reads' recvmsg, bound on the first poll (with msg_control's address).
  let errRecvmsg: Bound<typeof LIBC_TIMESTAMPS>["recvmsg"] | undefined;
  // Where the FFI allocates per buffer argument (node:ffi): the header passed by its address
  // (taken with msg_control's), to the same recvmsg bound by address.
  const recvmsgAt = c.recvmsgAt;
  let errMsgAt = 0n;
  // The msghdr as u32 words, for the fields each read resets (little-endian CPUs only, as above).
  const errMsgWords = new Uint32Array(errMsg.buffer);
  const errFlags = L.msgErrQueue | k.dontWait;
  const eagain = c.errnoEAGAIN;
  // The layer's functions the poll calls, looked up once.
  const fdOf = c.fd;
  const errnoOf = loader.errno;
  const recordWsa = c.recordWsa;
  // What the last error-queue message held (read by readErrMessage): [id, sec, nsec], in a
  // typed array so that no number is boxed on the way (a u32 id or the seconds would be).
  const got = new Float64Array(3);

  const rings = new Map<number, TxRing>();
  // The layer's native sockaddr scratch lives as long as the layer: its address is taken once
  // (its buffer read first, so that no engine moves it afterwards).
  let nameAddr = 0n;
  const nameAddress = (): bigint => {
    if (nameAddr === 0n) {
      void addrs.nativeAddr.buffer;
      nameAddr = loader.address(addrs.nativeAddr);
    }
    return nameAddr;
  };
  let release: string | undefined;

  function unsupported(what: string, code?: number): never {
    throw new UnsupportedError(what, where, code);
  }

  /** TX stamps refused (macOS, the others), with what the system offers instead. */
  function noTxStamps(what: string, code?: number): never {
    const instead = supported ? unsupportedNote(os, SIO_GET_TX_TIMESTAMP) : undefined;
    throw new UnsupportedError(what, where, code, undefined, instead);
  }

  /** getsockopt of a C `int` into `opt`; -1 with the errno recorded on failure. */
  function getInt(f: number, level: number, name: number): number {
    optLength[0] = 4;
    optView.setInt32(0, 0, true);
    if (c.libc.getsockopt(f, level, name, opt, optLength) !== 0) {
      return c.recordErrno(loader.errno());
    }
    return 0;
  }

  function setInt(f: number, level: number, name: number, value: number): boolean {
    optView.setInt32(0, value, true);
    return c.libc.setsockopt(f, level, name, opt, 4) === 0;
  }

  /** SO_COOKIE into `opt` (8 bytes); false when the descriptor answers none. */
  function cookie(f: number): boolean {
    optLength[0] = 8;
    optView.setBigUint64(0, 0n);
    return c.libc.getsockopt(f, L.solSocket, L.soCookie, opt, optLength) === 0 &&
      optLength[0] === 8;
  }

  /** The datagram-only rule: 0 for a datagram socket, else -1 recorded. */
  function datagram(f: number, solSocket: number, soType: number): number {
    if (getInt(f, solSocket, soType) !== 0) return -1;
    return optView.getInt32(0, true) === SOCK_DGRAM ? 0 : c.recordWsa(WSAEINVAL);
  }

  // SIO_TIMESTAMPING: TIMESTAMPING_CONFIG { ULONG Flags @0 (RX 1, TX 2);
  // USHORT TxTimestampsBuffered @4 }.
  function setTimestamping(s: bigint, input: Uint8Array | null, inLength: number): number {
    if (input === null || inLength < 8) return c.recordWsa(WSAEFAULT);
    const flags = readU32(input, 0);
    const rx = (flags & 1) !== 0;
    const tx = (flags & 2) !== 0;
    const buffered = input[4] | (input[5] << 8);
    if (!linux && tx) noTxStamps("SIO_TIMESTAMPING with TX timestamps (TIMESTAMPING_FLAG_TX)");
    const f = c.fd(s);
    if (f < 0) return c.notSocket();
    if (!linux) {
      if (datagram(f, D.solSocket, D.soType) !== 0) return -1;
      return setInt(f, D.solSocket, D.soTimestamp, rx ? 1 : 0) ? 0 : c.recordErrno(loader.errno());
    }
    if (datagram(f, L.solSocket, L.soType) !== 0) return -1;
    const value = L.software | L.optId | L.optTsOnly | (tx ? L.txSoftware : 0) |
      (rx ? L.rxSoftware : 0);
    if (getInt(f, L.solSocket, L.soTimestamping) !== 0) return -1;
    const before = optView.getInt32(0, true);
    // The id counter restarts only when OPT_ID goes from off to on.
    if ((before & L.optId) !== 0 && !setInt(f, L.solSocket, L.soTimestamping, value & ~L.optId)) {
      return c.recordErrno(loader.errno());
    }
    if (!setInt(f, L.solSocket, L.soTimestamping, value)) {
      const e = loader.errno();
      setInt(f, L.solSocket, L.soTimestamping, before); // as it was
      return c.recordErrno(e);
    }
    if (buffered === 0 || !cookie(f)) {
      rings.delete(f); // nothing is kept for this socket
      return 0;
    }
    const lo = optView.getUint32(0, true);
    const hi = optView.getUint32(4, true);
    const ring = rings.get(f);
    if (ring !== undefined && ring.ids.length === buffered) {
      ring.count = 0;
      ring.cookieLo = lo;
      ring.cookieHi = hi;
    } else {
      rings.set(f, new TxRing(buffered, lo, hi));
    }
    return 0;
  }

  /**
   * Reads one error-queue message's stamp into `got`: true for a TX software
   * stamp (SCM_TIMESTAMPING with a sock_extended_err of origin TIMESTAMPING, SCM_TSTAMP_SND).
   */
  function readErrMessage(): boolean {
    const m = LINUX_MSGHDR;
    const used = Math.min(errMsgView.getUint32(m.controllen, true), CONTROL_BYTES);
    let stamped = false;
    let identified = false;
    for (let at = 0; used - at >= m.cmsgHeader;) {
      const len = errControlView.getUint32(at, true);
      if (errControlView.getUint32(at + 4, true) !== 0 || len < m.cmsgHeader || len > used - at) {
        return false;
      }
      const level = errControlView.getInt32(at + m.cmsgLevel, true);
      const type = errControlView.getInt32(at + m.cmsgType, true);
      const data = at + m.cmsgHeader;
      if (level === L.solSocket && type === L.soTimestamping && len >= m.cmsgHeader + 16) {
        // struct scm_timestamping { struct timespec ts[3]; }: ts[0] is the software stamp.
        got[GOT_SEC] = readI64(errControlView, data);
        got[GOT_NSEC] = errControlView.getUint32(data + 8, true);
        stamped = got[GOT_SEC] !== 0 || got[GOT_NSEC] !== 0;
      } else if (
        ((level === L.ipRecvErr[0] && type === L.ipRecvErr[1]) ||
          (level === L.ipv6RecvErr[0] && type === L.ipv6RecvErr[1])) &&
        len >= m.cmsgHeader + 16
      ) {
        // struct sock_extended_err { u32 ee_errno; u8 ee_origin, ee_type, ee_code, ee_pad;
        // u32 ee_info; u32 ee_data; }
        identified = errControl[data + 4] === L.originTimestamping &&
          errControlView.getUint32(data + 8, true) === L.tstampSnd;
        got[GOT_ID] = errControlView.getUint32(data + 12, true);
      }
      at += (len + m.cmsgAlign - 1) & ~(m.cmsgAlign - 1);
    }
    return stamped && identified;
  }

  // SIO_GET_TX_TIMESTAMP: UINT32 id in, UINT64 timestamp out.
  function txTimestamp(
    s: bigint,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
  ): number {
    if (!poll) noTxStamps(ioctlLabel(SIO_GET_TX_TIMESTAMP), SIO_GET_TX_TIMESTAMP);
    const f = fdOf(s);
    if (f < 0) return c.notSocket();
    if (input === null || inLength < 4 || output === null || outLength < 8) {
      return recordWsa(WSAEFAULT);
    }
    const id = readU32(input, 0);
    const ring = rings.size === 0 ? undefined : rings.get(f);
    if (ring !== undefined && ring.count > 0) return fromRing(f, id, output, ring);
    return fromQueue(f, id, output, ring);
  }

  /** A poll that may find its stamp among those kept for the socket (then the queue). */
  function fromRing(f: number, id: number, output: Uint8Array, ring: TxRing): number {
    const i = ring.find(id);
    if (i < 0) return fromQueue(f, id, output, ring);
    if (
      cookie(f) && optView.getUint32(0, true) === ring.cookieLo &&
      optView.getUint32(4, true) === ring.cookieHi
    ) {
      writeStamp(output, 0, ring.stamps, 2 * i);
      ring.remove(i);
      return 8;
    }
    // Another socket has the descriptor now: what was kept is not its.
    rings.delete(f);
    return fromQueue(f, id, output, undefined);
  }

  /** Reads the error queue until the stamp of `id` comes out (8) or it is empty (-1). */
  function fromQueue(f: number, id: number, output: Uint8Array, ring: TxRing | undefined): number {
    let recvmsg = errRecvmsg;
    if (recvmsg === undefined) {
      errMsgView.setBigUint64(LINUX_MSGHDR.control, loader.address(errControl), true);
      if (recvmsgAt !== undefined) errMsgAt = loader.address(errMsg);
      recvmsg = errRecvmsg = libT().recvmsg;
    }
    for (;;) {
      // msg_controllen, which a read shortens to what it wrote (the size_t's high half stays 0:
      // the kernel never writes more than the buffer); msg_flags is never read.
      errMsgWords[CONTROLLEN_WORD] = CONTROL_BYTES;
      const r = recvmsgAt === undefined
        ? recvmsg(f, errMsg, errFlags)
        : recvmsgAt(f, errMsgAt, errFlags);
      if (r < 0) {
        // EAGAIN: the queue is empty (WSAEWOULDBLOCK, whatever the socket's blocking mode).
        const e = errnoOf();
        return e === eagain ? recordWsa(WSAEWOULDBLOCK) : c.recordErrno(e);
      }
      if (!readErrMessage()) continue; // not a TX stamp: consumed, as Windows never queues one
      if (got[GOT_ID] === id) {
        writeStamp(output, 0, got, GOT_SEC);
        return 8;
      }
      ring?.keep(got[GOT_ID], got, GOT_SEC);
    }
  }

  function optIdSupported(): boolean {
    if (release === undefined) {
      const uts = new Uint8Array(new ArrayBuffer(2048)); // struct utsname: 390 bytes on Linux
      release = "";
      if (libT().uname(uts) === 0) {
        // char release[65], after sysname[65] and nodename[65].
        const field = uts.subarray(130, 195);
        const end = field.indexOf(0);
        release = new TextDecoder().decode(field.subarray(0, end < 0 ? field.length : end));
      }
    }
    return hasOptId(release);
  }

  /** The stamp of a received datagram's control bytes into `b.stamp`. */
  function readRxStamp(b: PosixMessageBuffers): void {
    const m = layout;
    const used = Math.min(b.msgView.getUint32(m.controllen, true), CONTROL_BYTES);
    const v = b.controlView;
    for (let at = 0; used - at >= m.cmsgHeader;) {
      const len = v.getUint32(at, true);
      if ((m.cmsgLenSize === 8 && v.getUint32(at + 4, true) !== 0) || len < m.cmsgHeader) return;
      if (len > used - at) return;
      const level = v.getInt32(at + m.cmsgLevel, true);
      const type = v.getInt32(at + m.cmsgType, true);
      const data = at + m.cmsgHeader;
      if (linux && level === L.solSocket && type === L.soTimestamping) {
        if (len < m.cmsgHeader + 16) return;
        const sec = readI64(v, data);
        const nsec = v.getUint32(data + 8, true);
        if (sec === 0 && nsec === 0) return; // no software stamp (a hardware one only)
        writeNanoseconds(b.stampBytes, 8, sec, nsec);
        b.stamp[0] = 1n;
        return;
      }
      if (!linux && level === D.solSocket && type === D.scmTimestamp) {
        // struct timeval { time_t tv_sec; suseconds_t (int) tv_usec; } (16 bytes on 64-bit)
        if (len < m.cmsgHeader + 12) return;
        const usec = v.getInt32(data + 8, true);
        writeNanoseconds(b.stampBytes, 8, readI64(v, data), usec * 1000);
        b.stamp[0] = 1n;
        return;
      }
      at += (len + m.cmsgAlign - 1) & ~(m.cmsgAlign - 1);
    }
  }

  return {
    ioctl(s, code, input, inLength, output, outLength) {
      if (code === SIO_GET_TX_TIMESTAMP) return txTimestamp(s, input, inLength, output, outLength);
      if (!supported) unsupported(ioctlLabel(code), code);
      return setTimestamping(s, input, inLength);
    },
    poll: txTimestamp,
    forget(f) {
      rings.delete(f);
    },
    messageBuffers() {
      if (!supported) unsupported("recvMsg / sendMsg with timestamps");
      return new PosixMessageBuffers(loader, layout);
    },
    sendMsg(s, data, length, flags, addr, timestampId, buffers) {
      if (!linux || !supported) unsupported("timestampId (SO_TIMESTAMP_ID)");
      if (!optIdSupported()) {
        throw new UnsupportedError(
          "timestampId (SCM_TS_OPT_ID: Linux 6.13 and later)",
          `linux ${release}`,
        );
      }
      const b = own(buffers);
      const f = c.fd(s);
      if (f < 0) return c.notSocket();
      const m = layout;
      let n = 0;
      if (addr !== null) {
        n = addrs.toNative(addr);
        if (n < 0) return c.recordWsa(WSAEAFNOSUPPORT);
      }
      const v = b.msgView;
      v.setBigUint64(m.name, n === 0 ? 0n : nameAddress(), true);
      v.setUint32(m.namelen, n, true);
      v.setUint32(m.controllen, OPT_ID_CMSG_SPACE, true);
      v.setUint32(m.controllen + 4, 0, true);
      v.setInt32(m.flags, 0, true);
      b.iovView.setBigUint64(0, loader.address(data), true); // void* iov_base
      b.iovView.setUint32(8, length > INT_MAX ? INT_MAX : length, true); // size_t iov_len
      const k8 = b.controlView;
      k8.setBigUint64(0, BigInt(OPT_ID_CMSG_LEN), true); // size_t cmsg_len
      k8.setInt32(m.cmsgLevel, L.solSocket, true);
      k8.setInt32(m.cmsgType, L.scmTsOptId, true);
      k8.setUint32(m.cmsgHeader, timestampId, true); // __u32 id
      k8.setUint32(m.cmsgHeader + 4, 0, true);
      const r = libT().sendmsg(f, b.msg, flags | k.sendFlags);
      return r >= 0 ? r : c.recordErrnoIn("send", f, loader.errno());
    },
    recvMsg(s, into, intoLength, flags, addr, length, _af, buffers) {
      if (!supported) unsupported("recvFrom with timestamps");
      const b = own(buffers);
      const f = c.fd(s);
      if (f < 0) return c.notSocket();
      const m = layout;
      const v = b.msgView;
      addrs.reset();
      v.setBigUint64(m.name, nameAddress(), true);
      v.setUint32(m.namelen, addrs.nativeLength[0], true);
      v.setUint32(m.controllen, CONTROL_BYTES, true);
      if (linux) v.setUint32(m.controllen + 4, 0, true);
      v.setInt32(m.flags, 0, true);
      b.iovView.setBigUint64(0, loader.address(into), true); // void* iov_base
      b.iovView.setUint32(8, intoLength > INT_MAX ? INT_MAX : intoLength, true); // iov_len
      b.stamp[0] = 0n;
      length[0] = 0;
      const r = libT().recvmsg(f, b.msg, flags);
      if (r < 0) return c.recordErrnoIn("recv", f, loader.errno());
      addrs.nativeLength[0] = Math.min(v.getUint32(m.namelen, true), addrs.nativeAddr.length);
      length[0] = addrs.fromNative(addr);
      readRxStamp(b);
      return r;
    },
    timestampNow() {
      if (!supported) unsupported("timestampNow (CLOCK_REALTIME)");
      const clockid = linux ? L.clockRealtime : D.clockRealtime;
      if (libT().clock_gettime(clockid, timespec) !== 0) {
        throw new Error(`clock_gettime(CLOCK_REALTIME) failed with errno ${loader.errno()}`);
      }
      // struct timespec { time_t tv_sec; long tv_nsec; } (16 bytes on 64-bit)
      writeNanoseconds(now, 0, readI64(timespecView, 0), timespecView.getUint32(8, true));
      return nowView.getBigUint64(0, true);
    },
    timestampFrequency: () => 1_000_000_000n,
  };
}
