// txTimestampPoller(s).poll(id) on Linux against the raw FFI call of the same native function,
// under Deno, Bun and Node (issue 16: at most 1.10× the raw call, 0 bytes per call). The native
// layer reads the error queue with libc's recvmsg(fd, &msghdr, MSG_ERRQUEUE | MSG_DONTWAIT);
// the baseline is that call through this runtime's own FFI (Deno.dlopen, bun:ffi, koffi), on a
// message header and control buffer allocated once, written here.
//
// - empty queue: poll(id) answers undefined (recvmsg: EAGAIN) against the raw recvmsg;
// - a stamp waiting: 2,000 datagrams are sent with ids 0..1999 (not timed), then poll(i) for
//   each i (one recvmsg that finds it, its control messages read, the stamp returned) against
//   the raw recvmsg of the same 2,000 messages (nothing read from them);
// - bytes allocated per call: the heap's growth over the calls, after a warm-up and a full
//   collection (an empty poll: 10^6 calls; a found stamp: 4,000, whose result is a new bigint).
//
// Each timed case is warmed up, then run in interleaved rounds; the median round is printed in
// ns/call with its ratio to the raw call.
//
// Run (Linux x86-64 or arm64):
//   tools/node_modules/.bin/deno run --allow-ffi --v8-flags=--expose-gc bench/tx_poll.ts
//   tools/node_modules/.bin/bun bench/tx_poll.ts
//   tools/node_modules/.bin/bun build --target=node --format=esm --external koffi \
//     --outfile .build/bench/tx_poll.mjs bench/tx_poll.ts &&
//     node --expose-gc .build/bench/tx_poll.mjs
// (`npm run bench`'s table has the empty-queue poll; this file adds the poll with a stamp
// waiting.) An optional argument sets the number of rounds (default 15).

import { setTimestamping, Socket, txTimestampPoller } from "../mod.ts";

type Recvmsg = (fd: number, msg: Uint8Array, flags: number) => number;

interface Runtime {
  name: string;
  recvmsg: Recvmsg;
  /** errno, read as cheaply as this runtime's FFI allows. */
  errno(): number;
  address(view: Uint8Array): bigint;
  gc(): void;
  heap(): number;
  rounds: number;
}

const MSG_ERRQUEUE_DONTWAIT = 0x2000 | 0x40;

async function runtime(): Promise<Runtime> {
  const g = globalThis as {
    Deno?: {
      version: { deno: string };
      args: string[];
      memoryUsage(): { heapUsed: number };
      dlopen: typeof Deno.dlopen;
      UnsafePointer: typeof Deno.UnsafePointer;
      UnsafePointerView: typeof Deno.UnsafePointerView;
    };
    Bun?: { version: string; argv: string[]; gc(force: boolean): void };
    gc?: () => void;
    process?: {
      version: string;
      argv: string[];
      memoryUsage(): { heapUsed: number };
      platform: string;
    };
  };
  if (g.Deno !== undefined) {
    const deno = g.Deno;
    if (g.gc === undefined) throw new Error("run Deno with --v8-flags=--expose-gc");
    const lib = deno.dlopen("libc.so.6", {
      // int fd, struct msghdr* msg, int flags (ssize_t read as its low half, as wsioctl does)
      recvmsg: { parameters: ["i32", "buffer", "i32"], result: "i32" },
      __errno_location: { parameters: [], result: "pointer" }, // void → int*
    });
    const errno = new Int32Array(
      deno.UnsafePointerView.getArrayBuffer(lib.symbols.__errno_location()!, 4),
    );
    return {
      name: `deno ${deno.version.deno}`,
      recvmsg: lib.symbols.recvmsg as Recvmsg,
      errno: () => errno[0],
      address: (v) => BigInt(deno.UnsafePointer.value(deno.UnsafePointer.of(v))),
      gc: g.gc,
      heap: () => deno.memoryUsage().heapUsed,
      rounds: Number(deno.args[0] ?? 15),
    };
  }
  if (g.Bun !== undefined) {
    const bun = g.Bun;
    // Non-literal specifiers keep `deno check` from resolving the Bun-only modules.
    const BUN_FFI = "bun:ffi";
    const BUN_JSC = "bun:jsc";
    const ffi = (await import(BUN_FFI)) as {
      dlopen(
        path: string,
        symbols: Record<string, { args: number[]; returns: number }>,
      ): { symbols: Record<string, Recvmsg> };
      ptr(view: Uint8Array): number;
      read: { i32(pointer: number): number };
      FFIType: Record<string, number>;
    };
    const jsc = (await import(BUN_JSC)) as { heapStats(): { heapCapacity: number } };
    const T = ffi.FFIType;
    const lib = ffi.dlopen("libc.so.6", {
      recvmsg: { args: [T.i32, T.ptr, T.i32], returns: T.i32 },
      __errno_location: { args: [], returns: T.ptr },
    });
    const errnoAt = (lib.symbols.__errno_location as unknown as () => number)();
    return {
      name: `bun ${bun.version}`,
      recvmsg: lib.symbols.recvmsg,
      errno: () => ffi.read.i32(errnoAt),
      address: (v) => BigInt(ffi.ptr(v)),
      gc: () => bun.gc(true),
      heap: () => jsc.heapStats().heapCapacity,
      rounds: Number(bun.argv[2] ?? 15),
    };
  }
  if (g.process !== undefined) {
    const proc = g.process;
    if (g.gc === undefined) throw new Error("run Node with --expose-gc");
    const KOFFI = "koffi";
    const koffi = ((await import(KOFFI)) as { default: KoffiLike }).default;
    const fn = koffi.load("libc.so.6").func("recvmsg", "int32_t", [
      "int32_t",
      "void *",
      "int32_t",
    ]);
    return {
      name: `node ${proc.version} (koffi)`,
      recvmsg: fn as Recvmsg,
      errno: () => koffi.errno(),
      address: (v) => BigInt(koffi.address(v)),
      gc: g.gc,
      heap: () => proc.memoryUsage().heapUsed,
      rounds: Number(proc.argv[2] ?? 15),
    };
  }
  throw new Error("run this with Deno, Bun or Node");
}

interface KoffiLike {
  load(path: string): { func(name: string, result: string, params: string[]): unknown };
  errno(): number;
  address(value: unknown): bigint | number;
}

const rt = await runtime();

// The raw call's own message header: msg_control set once; msg_controllen reset per call (the
// kernel shortens it to what it wrote), as wsioctl's poll does.
const control = new Uint8Array(new ArrayBuffer(256));
const msg = new Uint8Array(new ArrayBuffer(56));
const msgView = new DataView(msg.buffer);
msgView.setBigUint64(32, rt.address(control), true); // void* msg_control
const raw = (fd: number): number => {
  msgView.setUint32(40, 256, true); // size_t msg_controllen (low half; the high half stays 0)
  return rt.recvmsg(fd, msg, MSG_ERRQUEUE_DONTWAIT);
};

const receiver = Socket.open("inet", "dgram");
receiver.bind("127.0.0.1", 0);
const port = receiver.localAddress().port;
const sender = Socket.open("inet", "dgram");
sender.bind("127.0.0.1", 0);
sender.setOption("receiveBuffer", 4 << 20); // the error queue is bounded by SO_RCVBUF
setTimestamping(sender, { rx: false, tx: true });
const fd = Number(sender.handle);
const poller = txTimestampPoller(sender);
const rawPoller = txTimestampPoller(sender.handle);
const payload = new Uint8Array(8);
let sink = 0;

/** Sends `n` datagrams with ids 0..n-1 and checks the first stamp arrived. */
function fill(n: number): void {
  for (let i = 0; i < n; i++) sender.sendTo(payload, "127.0.0.1", port, { timestampId: i });
}

// Sanity: the raw call answers EAGAIN on the empty queue, and reads a stamp when one waits.
if (raw(fd) !== -1) throw new Error("the error queue is not empty");
fill(1);
if (raw(fd) !== 0 || msgView.getUint32(40, true) === 0) {
  throw new Error("the raw read found no stamp");
}
fill(2);
if (poller.poll(1) === undefined || poller.poll(0) !== undefined) {
  throw new Error("the poller did not find id 1 (0 is dropped with txBuffered 0)");
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

function timeEmpty(): void {
  const N = 100_000;
  const cases: [string, () => void][] = [
    ["raw recvmsg(MSG_ERRQUEUE), empty queue", () => {
      sink ^= raw(fd);
    }],
    ["raw recvmsg + its errno (EAGAIN?), empty", () => {
      sink ^= raw(fd) < 0 ? rt.errno() : 0;
    }],
    ["poller.poll(id) on a Socket, empty queue", () => {
      sink ^= poller.poll(7) === undefined ? 1 : 0;
    }],
    ["poller.poll(id) on a raw handle, empty", () => {
      sink ^= rawPoller.poll(7) === undefined ? 1 : 0;
    }],
  ];
  for (const [, f] of cases) for (let i = 0; i < N; i++) f();
  const times: number[][] = cases.map(() => []);
  for (let r = 0; r < rt.rounds; r++) {
    cases.forEach(([, f], c) => {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) f();
      times[c].push((performance.now() - t0) * 1e6 / N);
    });
  }
  report(`${rt.rounds} rounds of ${N} calls`, cases.map(([n]) => n), times, 1);
}

function timeWaiting(): void {
  const B = 2000;
  const names = [
    "raw recvmsg(MSG_ERRQUEUE), a stamp waiting",
    "poller.poll(id), its stamp waiting",
  ];
  const times: number[][] = [[], []];
  const once = (record: boolean) => {
    fill(B);
    let t0 = performance.now();
    for (let i = 0; i < B; i++) sink ^= raw(fd);
    const rawNs = (performance.now() - t0) * 1e6 / B;
    if (raw(fd) !== -1) throw new Error("stamps were left");
    fill(B);
    t0 = performance.now();
    for (let i = 0; i < B; i++) if (poller.poll(i) === undefined) throw new Error(`no stamp ${i}`);
    const pollNs = (performance.now() - t0) * 1e6 / B;
    if (record) {
      times[0].push(rawNs);
      times[1].push(pollNs);
    }
  };
  for (let w = 0; w < 5; w++) once(false);
  for (let r = 0; r < rt.rounds * 2; r++) once(true);
  report(`${rt.rounds * 2} rounds of ${B} stamps`, names, times);
}

/**
 * Prints each case's median round, and its ratio to the raw call (and to raw + errno) as the
 * median of the per-round ratios: the cases of one round run back to back, so a ratio taken
 * inside a round is the least disturbed by the load of a shared machine.
 */
function report(what: string, names: string[], times: number[][], withErrno = -1): void {
  const ratio = (c: number, base: number) => median(times[c].map((t, r) => t / times[base][r]));
  console.log(`${rt.name} on linux: ${what}, median round, median per-round ratio`);
  names.forEach((name, c) => {
    const ratios = withErrno < 0
      ? `${ratio(c, 0).toFixed(3)}×`
      : `${ratio(c, 0).toFixed(3)}× raw, ${ratio(c, withErrno).toFixed(3)}× raw + errno`;
    console.log(
      `  ${name.padEnd(46)} ${median(times[c]).toFixed(1).padStart(7)} ns/call  (min ${
        Math.min(...times[c]).toFixed(1)
      })  ${ratios}`,
    );
  });
}

/**
 * Heap growth per call of `f` over `n` calls, after two warm-up passes of the same calls and a
 * collection. `before` runs ahead of each pass (it queues what the calls read).
 */
function perCall(f: () => number, n: number, before?: () => void): number {
  const loop = (count: number) => {
    for (let i = 0; i < count; i++) sink = (sink + f()) | 0;
  };
  for (let w = 0; w < 2; w++) {
    before?.();
    loop(before === undefined ? n / 10 : n);
  }
  before?.();
  rt.gc();
  const start = rt.heap();
  loop(n);
  return (rt.heap() - start) / n;
}

function allocations(): void {
  console.log(`${rt.name}: heap growth per call, after a warm-up and a full collection`);
  const M = 1_000_000;
  const ring: Uint8Array[] = new Array(1024);
  let next = 0;
  const rows: [string, number][] = [
    ["poller.poll(id), empty queue", perCall(() => (poller.poll(7) === undefined ? 1 : 0), M)],
    ["raw recvmsg, empty queue", perCall(() => raw(fd), M)],
    ["control: () => 0", perCall(() => 0, M)],
    [
      "control: a new Uint8Array(4) per call",
      perCall(() => (ring[next++ & 1023] = new Uint8Array(4)).length, 10_000),
    ],
  ];
  // A found stamp: 4,000 stamps queued (not measured), then polled.
  const S = 4000;
  let id = 0;
  // What the returned bigint alone costs: one getBigUint64 of a stamp-sized value per call.
  const big = new DataView(new ArrayBuffer(8));
  big.setBigUint64(0, 1_800_000_000_000_000_000n, true);
  const kept: bigint[] = new Array(S);
  rows.push([
    "control: a stamp-sized bigint per call",
    perCall(() => ((kept[id] = big.getBigUint64(0, true)), id++ & 1), S, () => {
      id = 0;
    }),
  ]);
  rows.push([
    "poller.poll(id), its stamp waiting",
    perCall(() => (poller.poll(id++) === undefined ? 0 : 1), S, () => {
      fill(S);
      id = 0;
    }),
  ]);
  for (const [name, bytes] of rows) {
    console.log(`  ${name.padEnd(46)} ${bytes.toFixed(3).padStart(8)} bytes/call`);
  }
}

timeEmpty();
timeWaiting();
allocations();
if (sink === 0.5) console.log(sink); // keeps every result alive
sender.close();
receiver.close();
