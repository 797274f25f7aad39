// Bytes allocated per call by the polling typed calls (issue 9: 0), under Deno or Bun: the heap's
// growth over 10^6 calls, after a warm-up and a full collection, with nothing collected in
// between (a collection during the loop would hide garbage: the controls below show what the
// measure reads for nothing and for a call known to allocate).
//
// Run: tools/node_modules/.bin/deno run --allow-ffi --v8-flags=--expose-gc bench/alloc.ts
//      tools/node_modules/.bin/bun bench/alloc.ts
//      Node (koffi): tools/node_modules/.bin/bun build --target=node --external koffi
//        --external bun:ffi bench/alloc.ts --outfile .build/bench/alloc.mjs
//        && node --expose-gc .build/bench/alloc.mjs
// Deno and Node: V8's used heap (Deno.memoryUsage() / process.memoryUsage(), heapUsed). Bun:
// JavaScriptCore's heap capacity (bun:jsc heapStats().heapCapacity), which grows in 16 KiB
// blocks as objects are allocated.
//
// tcpInfo(s, 0, into) is measured on Linux (getsockopt(TCP_INFO) underneath); Wine refuses
// SIO_TCP_INFO (WSAEOPNOTSUPP). txTimestampPoller(s).poll(id) is measured on Linux by
// bench/tx_poll.ts (Deno, Bun, Node), against the raw recvmsg it makes.
import { bytesAvailable, tcpInfo } from "../sio/mod.ts";
import { TcpInfoV0 } from "../structs/mod.ts";
import { benchPair, PENDING } from "./_sio_pair.ts";

interface Heap {
  /** The runtime and its version. */
  readonly name: string;
  /** Collects everything collectable. */
  gc(): void;
  /** The heap's current size, in bytes. */
  used(): number;
}

async function heap(): Promise<Heap> {
  const g = globalThis as {
    Deno?: { version: { deno: string }; memoryUsage(): { heapUsed: number } };
    Bun?: { version: string; gc(force: boolean): void };
    gc?: () => void;
  };
  if (g.Deno !== undefined) {
    const deno = g.Deno;
    if (g.gc === undefined) throw new Error("run Deno with --v8-flags=--expose-gc");
    return { name: `deno ${deno.version.deno}`, gc: g.gc, used: () => deno.memoryUsage().heapUsed };
  }
  if (g.Bun !== undefined) {
    const bun = g.Bun;
    // A non-literal specifier keeps `deno check` from resolving the Bun-only module.
    const BUN_JSC = "bun:jsc";
    const jsc = (await import(BUN_JSC)) as { heapStats(): { heapCapacity: number } };
    return {
      name: `bun ${bun.version}`,
      gc: () => bun.gc(true),
      used: () => jsc.heapStats().heapCapacity,
    };
  }
  const node = (globalThis as {
    process?: {
      versions: { node?: string };
      memoryUsage(): { heapUsed: number };
    };
  }).process;
  if (node?.versions.node !== undefined) {
    if (g.gc === undefined) throw new Error("run Node with --expose-gc");
    return {
      name: `node ${node.versions.node}`,
      gc: g.gc,
      used: () => node.memoryUsage().heapUsed,
    };
  }
  throw new Error("run this with Deno, Bun or Node");
}

const h = await heap();
const pair = benchPair();
const handle = pair.peer.handle;
let sink = 0;

/** Heap growth over `n` calls of `f` (run twice before, for the JIT), in bytes. */
function growth(f: () => number, n: number): number {
  const loop = (count: number) => {
    for (let i = 0; i < count; i++) sink = (sink + f()) | 0;
  };
  loop(n / 10);
  loop(n / 10);
  h.gc();
  const before = h.used();
  loop(n);
  return h.used() - before;
}

// Controls: a call that allocates nothing, and one that keeps a 4-byte Uint8Array per call (a
// ring of 1024, so the objects outlive the loop and no optimisation can drop them).
const ring: Uint8Array[] = new Array(1024);
let next = 0;
const info = TcpInfoV0.alloc();
const linux = (globalThis as { Deno?: { build: { os: string } } }).Deno?.build.os === "linux" ||
  (globalThis as { process?: { platform: string } }).process?.platform === "linux";
const CASES: [string, () => number, number][] = [
  ["bytesAvailable(socket)", () => bytesAvailable(pair.peer), 1_000_000],
  ["bytesAvailable(rawHandle)", () => bytesAvailable(handle), 1_000_000],
  ...(linux
    ? [
      ["tcpInfo(socket, 0, into)", () => tcpInfo(pair.peer, 0, info).mss, 1_000_000],
      ["tcpInfo(rawHandle, 0, into)", () => tcpInfo(handle, 0, info).mss, 1_000_000],
    ] as [string, () => number, number][]
    : []),
  ["control: () => 0", () => 0, 1_000_000],
  [
    "control: a new Uint8Array(4) per call",
    () => (ring[next++ & 1023] = new Uint8Array(4)).length,
    10_000,
  ],
];
console.log(`${h.name}: heap growth per call, after a warm-up and a full collection`);
for (const [name, f, n] of CASES) {
  const bytes = growth(f, n);
  console.log(
    `${name.padEnd(42)} ${(bytes / n).toFixed(3).padStart(8)} bytes/call ` +
      `(${bytes} bytes over ${n} calls)`,
  );
}
if (bytesAvailable(pair.peer) !== PENDING) throw new Error(`wrong count (${sink})`);
pair.close();
