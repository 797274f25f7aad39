/**
 * A recording fake of the native layer, for the test seam (`_swapNativeApi` in ffi/select.ts):
 * installed, it receives every call the layers above make, on any OS, and records what a
 * `WSAIoctl` would have been handed — the handle, the code, a copy of exactly `inLength` input
 * bytes, the output length. Typed-call tests assert those byte for byte, then script the answer
 * (bytes written to the output, a count, or a WSA error).
 *
 * ```ts
 * const fake = recordingApi();
 * fake.answer = (call, output) => { output!.set([5, 0, 0, 0]); return 4; };
 * await withFake(fake, () => ioctl(7n, FIONREAD, null, new Uint32Array(1)));
 * fake.calls[0]; // { handle: 7n, code: 0x4004667f, input: null, inLength: 0, outLength: 4, … }
 * ```
 */

import {
  ioctlLabel,
  SIO_ADDRESS_LIST_CHANGE as ADDRESS_LIST_CHANGE,
  SIO_ROUTING_INTERFACE_CHANGE as ROUTING_CHANGE,
} from "../../codes/mod.ts";
import { UnsupportedError } from "../../errors.ts";
import type { MessageBuffers, NativeApi } from "../../ffi/native.ts";
import { _swapNativeApi } from "../../ffi/select.ts";

/** One WSAIoctl as the native layer received it. */
export interface RecordedIoctl {
  handle: bigint;
  /** The code as handed to WSAIoctl (an unsigned 32-bit number). */
  code: number;
  /** A copy of the `inLength` input bytes, or null when no input buffer was passed. */
  input: Uint8Array | null;
  inLength: number;
  /** Whether an output buffer was passed. */
  hasOutput: boolean;
  outLength: number;
  /** Whether it came through the overlapped path (ioctlAsync). */
  overlapped: boolean;
}

/**
 * What an answer may do: return a byte count, or fail with a WSA code (and the bytes-returned
 * count the failure leaves, `lastBytesReturned()`, 0 unless given).
 */
export type IoctlAnswer = number | { error: number; bytesReturned?: number };

/**
 * An overlapped WSAIoctl the fake left pending: its answer was `{ error: 997 }`
 * (WSA_IO_PENDING). Until it settles, `overlappedStatus` reports it pending and `waitEvent` really
 * waits (a timer, an AbortSignal); it settles when the test calls {@link complete}, when it is
 * cancelled (`cancelIo`: WSA_OPERATION_ABORTED 995, as Windows) or when its handle is closed
 * (995 too). Settling wakes every waiter.
 *
 * A fake that is not "windows" runs the two change codes as the POSIX layer does, through
 * `watchChange` (recorded as an overlapped WSAIoctl, answered the same way: 997 leaves the watch
 * pending, another error fails it at once, a count makes it fire at once), `changeSeen` (1 once
 * completed with a count, -1 with the error of a completion with one, 0 while pending) and
 * `closeWatch`, which marks a watch not yet settled `cancelled`, settled with 995. Closing the
 * socket handle leaves its watches alone, as a POSIX close does.
 */
export interface PendingOverlapped {
  /** The WSAIoctl as recorded. */
  readonly call: RecordedIoctl;
  /** Its final status once settled (bytes, or a WSA error); `undefined` while pending. */
  readonly settled: IoctlAnswer | undefined;
  /** Whether `cancelIo` was called on it. */
  readonly cancelled: boolean;
  /** Settles it with `answer` (does nothing once settled). */
  complete(answer: IoctlAnswer): void;
}

/** One `sendMsg` or `recvMsg` as the fake received it. */
export interface RecordedMessage {
  kind: "send" | "recv";
  handle: bigint;
  /** send: a copy of the `length` bytes handed over; recv: null. */
  data: Uint8Array | null;
  length: number;
  flags: number;
  /** send: a copy of the destination sockaddr (null on a connected send); recv: null. */
  addr: Uint8Array | null;
  /** send: the timestamp id. */
  timestampId?: number;
  /** recv: the family passed. */
  af?: number;
  /** The socket's message buffers, as handed over. */
  buffers: MessageBuffers;
}

/**
 * What a scripted `recvMsg` does: fill `into` and `addr` (a Windows-layout sockaddr), set
 * `length[0]` and `stamp` ([1n, value] or [0n, …]), return the byte count or `{ error }`.
 */
export type ReceiveAnswer = (
  into: Uint8Array,
  addr: Uint8Array,
  length: Int32Array,
  stamp: BigUint64Array,
) => IoctlAnswer;

/** The fake, with its record and its script. */
export interface RecordingApi {
  /** Every sendMsg / recvMsg, in order. */
  readonly messages: RecordedMessage[];
  /** The answer to the next recvMsg. Default: not scripted (throws). */
  receive: ReceiveAnswer;
  /** The answer to the next sendMsg: bytes sent or `{ error }`. Default: every byte. */
  sent: (message: RecordedMessage) => IoctlAnswer;
  /** What `timestampNow` returns next (it then adds 1). */
  clock: bigint;
  readonly api: NativeApi;
  /** Every WSAIoctl, in order. */
  readonly calls: RecordedIoctl[];
  /** Every native method called, by name, in order (WSAIoctl included). */
  readonly log: string[];
  /**
   * The answer to the next WSAIoctl: may write into `output` (the real buffer, `outLength`
   * bytes). Default: 0 bytes returned, nothing written.
   */
  answer: (call: RecordedIoctl, output: Uint8Array | null) => IoctlAnswer;
  /** The overlapped WSAIoctls left pending (see {@link PendingOverlapped}), in order. */
  readonly overlapped: PendingOverlapped[];
  /**
   * The native address `bufferAddress` reports for a view. Default: 0x10000n for every view;
   * {@link distinctAddresses} gives each ArrayBuffer its own and adds the view's byteOffset.
   */
  address: (view: ArrayBufferView) => bigint;
  /** How each `waitEvent` ended, in order: "signalled", "timeout" or "aborted". */
  readonly waits: ("signalled" | "timeout" | "aborted")[];
  /** How many `waitEvent` calls are under way (each holds a timer). */
  waiting(): number;
  /**
   * When true, a wait under way does not see its AbortSignal: it ends when signalled or at its
   * timeout, as a wait on another thread does (Deno's nonblocking FFI call, koffi's async call);
   * the signal is checked when the wait starts. Default false: an abort ends it at once.
   */
  threadWaits: boolean;
}

/**
 * An address function for {@link RecordingApi.address}: each ArrayBuffer gets its own base
 * (0x7f0000000000n, then 1 MiB apart, in the order first seen), plus the view's byteOffset.
 */
export function distinctAddresses(): (view: ArrayBufferView) => bigint {
  const bases = new WeakMap<ArrayBufferLike, bigint>();
  let next = 0x7f0000000000n;
  return (view) => {
    let base = bases.get(view.buffer);
    if (base === undefined) {
      base = next;
      next += 0x100000n;
      bases.set(view.buffer, base);
    }
    return base + BigInt(view.byteOffset);
  };
}

/**
 * Makes a recording fake.
 *
 * @param os The OS it claims to be (default "windows": every code runs, overlapped works).
 */
export function recordingApi(os = "windows"): RecordingApi {
  let last = 0;
  let lastReturned = 0;
  let nextHandle = 0x100n;
  const calls: RecordedIoctl[] = [];
  const log: string[] = [];
  const types = new Map<bigint, number>();
  // socketIdentity on a fake "linux" (or any OS but "windows"): [1n, a serial] per socket opened.
  const identities = new Map<bigint, bigint>();
  let nextIdentity = 1n;
  const fail = (e: number): -1 => {
    last = e;
    return -1;
  };
  const notScripted = (name: string) => () => {
    throw new Error(`recording fake: ${name} is not scripted`);
  };
  const run = (
    overlapped: boolean,
    ov: Uint8Array | null,
    s: bigint,
    code: number,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
    name = overlapped ? "wsaIoctlOverlapped" : "wsaIoctl",
  ): number => {
    log.push(name);
    const call: RecordedIoctl = {
      handle: s,
      code,
      input: input === null ? null : input.slice(0, inLength),
      inLength,
      hasOutput: output !== null,
      outLength,
      overlapped,
    };
    calls.push(call);
    const r = fake.answer(call, output === null ? null : output.subarray(0, outLength));
    if (ov !== null && typeof r !== "number" && r.error === 997) {
      const op = pendingOp(call, s);
      byOverlapped.set(ov, op);
      fake.overlapped.push(op);
    }
    if (typeof r === "number") return r;
    lastReturned = r.bytesReturned ?? 0;
    return fail(r.error);
  };
  // Overlapped operations left pending, by their OVERLAPPED buffer, and whoever waits on one.
  type Op = { -readonly [K in keyof PendingOverlapped]: PendingOverlapped[K] } & { handle: bigint };
  const byOverlapped = new Map<Uint8Array, Op>();
  // Watches (not "windows"), by watcher.
  const watches = new Map<bigint, Op>();
  let nextWatcher = 0x9000n;
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const w of [...wakers]) w();
  };
  const unsettled = () => [...byOverlapped.values()].some((op) => op.settled === undefined);
  const pendingOp = (call: RecordedIoctl, handle: bigint): Op => {
    const op: Op = {
      call,
      handle,
      settled: undefined,
      cancelled: false,
      complete(answer: IoctlAnswer) {
        if (op.settled !== undefined) return;
        op.settled = answer;
        wake();
      },
    };
    return op;
  };
  const api: NativeApi = {
    runtime: "deno",
    os,
    wine: false,
    maxHandle: os === "windows" ? 0xfffffffffffffffen : 0x7fffffffn,
    lastError: () => last,
    lastBytesReturned: () => lastReturned,
    socket(_af, type) {
      log.push("socket");
      const h = nextHandle;
      nextHandle += 4n;
      types.set(h, type);
      identities.set(h, nextIdentity++);
      return h;
    },
    close(s) {
      log.push("close");
      types.delete(s);
      identities.delete(s);
      for (const op of byOverlapped.values()) if (op.handle === s) op.complete({ error: 995 });
      return 0;
    },
    getOption(s, name, out) {
      log.push("getOption");
      if (name !== "type" || !types.has(s)) return fail(10038); // WSAENOTSOCK
      out[0] = types.get(s)!;
      return 0;
    },
    localName: () => fail(10022), // WSAEINVAL: unbound
    wsaIoctl: (s, code, input, inLength, output, outLength) =>
      run(false, null, s, code, input, inLength, output, outLength),
    wsaIoctlOverlapped: (s, code, input, inLength, output, outLength, overlapped) =>
      run(true, overlapped, s, code, input, inLength, output, outLength),
    bufferAddress: (view) => fake.address(view),
    createEvent: () => 0x40n,
    closeEvent: () => 0,
    setEvent: () => (wake(), 0),
    resetEvent: () => 0,
    overlappedStatus(overlapped) {
      const op = byOverlapped.get(overlapped);
      if (op === undefined) return 0;
      const r = op.settled ?? { error: 997 };
      return typeof r === "number" ? r : fail(r.error);
    },
    overlappedResult: () => 0,
    cancelIo(_s, overlapped) {
      const op = byOverlapped.get(overlapped);
      if (op === undefined) return 0;
      log.push("cancelIo");
      op.cancelled = true;
      op.complete({ error: 995 });
      return 0;
    },
    waitEvent(_event, timeoutMs, signal) {
      // Nothing pending: signalled at once (the fake's first behaviour).
      if (!unsettled()) return Promise.resolve(true);
      return new Promise<boolean>((resolve, reject) => {
        const done = (how: "signalled" | "timeout" | "aborted", then: () => void) => {
          clearTimeout(timer);
          wakers.delete(waker);
          signal?.removeEventListener("abort", aborted);
          fake.waits.push(how);
          then();
        };
        const waker = () => done("signalled", () => resolve(true));
        const aborted = () => done("aborted", () => reject(signal!.reason));
        const timer = setTimeout(
          () => done("timeout", () => resolve(false)),
          Math.min(timeoutMs, 1000),
        );
        if (signal?.aborted) return aborted();
        wakers.add(waker);
        if (!fake.threadWaits) signal?.addEventListener("abort", aborted);
      });
    },
    messageBuffers() {
      log.push("messageBuffers");
      return { stamp: new BigUint64Array(2) };
    },
    sendMsg(s, data, length, flags, addr, timestampId, buffers) {
      log.push("sendMsg");
      const m: RecordedMessage = {
        kind: "send",
        handle: s,
        data: data.slice(0, length),
        length,
        flags,
        addr: addr === null ? null : addr.slice(),
        timestampId,
        buffers,
      };
      fake.messages.push(m);
      const r = fake.sent(m);
      return typeof r === "number" ? r : fail(r.error);
    },
    recvMsg(s, into, intoLength, flags, addr, length, af, buffers) {
      log.push("recvMsg");
      fake.messages.push({
        kind: "recv",
        handle: s,
        data: null,
        length: intoLength,
        flags,
        addr: null,
        af,
        buffers,
      });
      buffers.stamp[0] = 0n;
      const r = fake.receive(into.subarray(0, intoLength), addr, length, buffers.stamp);
      return typeof r === "number" ? r : fail(r.error);
    },
    timestampNow: () => fake.clock++,
    timestampFrequency: () => 10_000_000n,
    bind: notScripted("bind"),
    connect: notScripted("connect"),
    listen: notScripted("listen"),
    accept: notScripted("accept"),
    send: notScripted("send"),
    recv: notScripted("recv"),
    sendTo: notScripted("sendTo"),
    recvFrom: notScripted("recvFrom"),
    peerName: notScripted("peerName"),
    setOption: notScripted("setOption"),
    eventSelect: notScripted("eventSelect"),
    watchChange(s, code, input, inLength) {
      // What the POSIX layer refuses, before any native call (Windows: the overlapped path).
      if (os === "windows" || (code !== ADDRESS_LIST_CHANGE && code !== ROUTING_CHANGE)) {
        throw new UnsupportedError(ioctlLabel(code), os, code);
      }
      const w = nextWatcher++;
      const r = run(true, null, s, code, input, inLength, null, 0, "watchChange");
      if (r < 0 && last !== 997) return -1n;
      const op = pendingOp(calls[calls.length - 1], s);
      if (r >= 0) op.settled = r;
      watches.set(w, op);
      fake.overlapped.push(op);
      return w;
    },
    changeSeen(w) {
      log.push("changeSeen");
      const op = watches.get(w);
      if (op === undefined) return fail(10038);
      const r = op.settled;
      return r === undefined ? 0 : typeof r === "number" ? 1 : fail(r.error);
    },
    closeWatch(w) {
      log.push("closeWatch");
      const op = watches.get(w);
      if (op === undefined) return fail(10038);
      watches.delete(w);
      if (op.settled === undefined) op.cancelled = true;
      op.complete({ error: 995 });
      return 0;
    },
    socketCandidates: notScripted("socketCandidates"),
    socketIdentity(s, out) {
      log.push("socketIdentity");
      if (os === "windows") return 0; // as ffi/windows.ts: no identity
      const id = identities.get(s);
      if (id === undefined) return fail(10038); // WSAENOTSOCK
      out[0] = 1n;
      out[1] = id;
      return 1;
    },
  };
  const fake: RecordingApi = {
    messages: [],
    receive: () => {
      throw new Error("recording fake: recvMsg is not scripted");
    },
    sent: (m) => m.length,
    clock: 1000n,
    api,
    calls,
    log,
    answer: () => 0,
    overlapped: [],
    address: () => 0x10000n,
    waits: [],
    waiting: () => wakers.size,
    threadWaits: false,
  };
  return fake;
}

/**
 * Runs `fn` with `fake` installed as the native layer, and restores the real one afterwards
 * (also when `fn` throws or rejects).
 */
export async function withFake<T>(fake: RecordingApi, fn: () => T | Promise<T>): Promise<T> {
  const restore = _swapNativeApi(fake.api);
  try {
    return await fn();
  } finally {
    restore();
  }
}
