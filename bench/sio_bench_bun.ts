// bench/sio_bench.ts for Bun, which has no Deno.bench: bytesAvailable against the raw bun:ffi
// call of the same native function (libc ioctl(FIONREAD) on Linux, ws2_32 WSAIoctl(FIONREAD) on
// Windows). Each case is warmed up, then timed in interleaved rounds of N calls; the median
// round is printed in ns/call with its ratio to the raw call (issue 9: at most 1.10×).
//
// Run: tools/node_modules/.bin/bun bench/sio_bench_bun.ts [rounds] (Linux x86-64/arm64, or bun.exe
// on Windows).
//
// As in bench/sio_bench.ts, tcpInfo(s, 0, into) needs a real Windows machine to be timed;
// txTimestampPoller(s).poll(id) is timed on Linux by bench/tx_poll.ts.
import { bytesAvailable } from "../sio/mod.ts";
import { benchPair, LINUX_FIONREAD, PENDING, WINSOCK_FIONREAD } from "./_sio_pair.ts";

/** The part of bun:ffi used here. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: readonly number[]; returns: number }>,
  ): { symbols: Record<string, (...args: unknown[]) => number> };
  FFIType: Record<string, number>;
}
interface BunGlobal {
  version: string;
  argv: string[];
}
const bun = (globalThis as { Bun?: BunGlobal }).Bun;
if (bun === undefined) throw new Error("run this with Bun (Deno: bench/sio_bench.ts)");
// A non-literal specifier keeps `deno check` from resolving the Bun-only module.
const BUN_FFI = "bun:ffi";
const { dlopen, FFIType: T } = (await import(BUN_FFI)) as BunFfi;
const proc = (globalThis as { process?: { platform: string; arch: string } }).process;
const windows = proc?.platform === "win32";

const pair = benchPair();
const handle = pair.peer.handle;
let sink = 0;

let raw: () => void;
let rawOnce: () => [number, number];
let rawName: string;
if (windows) {
  const { WSAIoctl } = dlopen("ws2_32.dll", {
    // SOCKET, DWORD code, LPVOID in, DWORD, LPVOID out, DWORD, LPDWORD returned, overlapped, routine
    WSAIoctl: {
      args: [T.u64, T.u32, T.ptr, T.u32, T.ptr, T.u32, T.ptr, T.ptr, T.ptr],
      returns: T.i32,
    },
  }).symbols;
  const out = new Uint8Array(new ArrayBuffer(4));
  const returned = new Uint32Array(1);
  raw = () => {
    sink ^= WSAIoctl(handle, WINSOCK_FIONREAD, null, 0, out, 4, returned, null, null);
  };
  rawOnce = () => [
    WSAIoctl(handle, WINSOCK_FIONREAD, null, 0, out, 4, returned, null, null),
    new DataView(out.buffer).getUint32(0, true),
  ];
  rawName = "raw bun:ffi WSAIoctl(s, FIONREAD)";
} else {
  const { ioctl } = dlopen("libc.so.6", {
    ioctl: { args: [T.i32, T.u64, T.ptr], returns: T.i32 }, // int fd, unsigned long, int*
  }).symbols;
  const fd = Number(handle);
  const out = new Int32Array(1);
  raw = () => {
    sink ^= ioctl(fd, LINUX_FIONREAD, out);
  };
  rawOnce = () => [ioctl(fd, LINUX_FIONREAD, out), out[0]];
  rawName = "raw bun:ffi ioctl(fd, FIONREAD)";
}
const [result, count] = rawOnce();
if (result !== 0 || count !== PENDING) throw new Error(`the raw call failed: ${result}, ${count}`);

const cases: [string, () => void][] = [
  [rawName, raw],
  ["bytesAvailable(socket)", () => {
    sink ^= bytesAvailable(pair.peer);
  }],
  ["bytesAvailable(rawHandle)", () => {
    sink ^= bytesAvailable(handle);
  }],
];

const N = 100_000;
const ROUNDS = Number(bun.argv[2] ?? 30);
for (const [, f] of cases) for (let i = 0; i < N; i++) f();
const times: number[][] = cases.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  cases.forEach(([, f], c) => {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) f();
    times[c].push((performance.now() - t0) * 1e6 / N);
  });
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const base = median(times[0]);
console.log(
  `bun ${bun.version} on ${proc?.platform} ${proc?.arch}: ${ROUNDS} rounds of ${N} calls, ` +
    `median round`,
);
cases.forEach(([name, _], c) => {
  const ns = median(times[c]);
  const min = Math.min(...times[c]);
  console.log(
    `${name.padEnd(36)} ${ns.toFixed(1).padStart(7)} ns/call  (min ${min.toFixed(1)})  ` +
      `${(ns / base).toFixed(3)}×`,
  );
});
if (bytesAvailable(pair.peer) !== PENDING) throw new Error(`wrong count (${sink})`);
pair.close();
