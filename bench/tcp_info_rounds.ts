// tcpInfo(s, 0, into) against the raw FFI call of the same getsockopt(IPPROTO_TCP, TCP_INFO), under
// Deno, Bun and Node (issue 16: at most 1.10× the raw call). The raw call is bound here through the
// runtime's own FFI (Deno.dlopen, bun:ffi, koffi: tests/_helpers/raw_tcp_info.ts), asks for the
// same 248 bytes the native layer asks for, and converts nothing; tcpInfo also writes the answer
// as TCP_INFO_v0 into `into`. Each case is warmed up, then timed in interleaved rounds of N calls
// (so a slow moment of the machine hits every case alike); the median round and the fastest one
// are printed in ns/call with their ratios to the raw call. Bytes allocated per call:
// bench/alloc.ts. Linux only. (Deno.bench is not used: on a small VM shared with other work its
// averages swing by tens of percent, where interleaved rounds hold to a few.)
//
// Run: tools/node_modules/.bin/deno run --allow-ffi bench/tcp_info_rounds.ts [rounds]
//      tools/node_modules/.bin/bun bench/tcp_info_rounds.ts [rounds]
//      Node (koffi): tools/node_modules/.bin/bun build --target=node --external koffi
//        --external bun:ffi bench/tcp_info_rounds.ts --outfile .build/bench/tcp_info_rounds.mjs
//        && node .build/bench/tcp_info_rounds.mjs [rounds]
// (`npm run bench` runs all three.)
import { tcpInfo } from "../sio/mod.ts";
import { TcpInfoV0 } from "../structs/mod.ts";
import { rawGetsockopt } from "../tests/_helpers/raw_tcp_info.ts";
import { benchPair } from "./_sio_pair.ts";

interface Host {
  /** The runtime, its version, the OS and CPU. */
  name: string;
  /** The rounds asked for on the command line. */
  rounds: string | undefined;
}

function host(): Host {
  const g = globalThis as {
    Deno?: { version: { deno: string }; build: { os: string; arch: string }; args: string[] };
    Bun?: { version: string };
    process?: { versions: { node: string }; platform: string; arch: string; argv: string[] };
  };
  if (g.Deno !== undefined) {
    const { os, arch } = g.Deno.build;
    return { name: `deno ${g.Deno.version.deno} on ${os} ${arch}`, rounds: g.Deno.args[0] };
  }
  const p = g.process!;
  const runtime = g.Bun !== undefined ? `bun ${g.Bun.version}` : `node ${p.versions.node}`;
  return { name: `${runtime} on ${p.platform} ${p.arch}`, rounds: p.argv[2] };
}

const { name, rounds } = host();
if (!name.includes(" on linux ")) throw new Error(`tcp_info_rounds: Linux only (${name})`);
const pair = benchPair();
const { peer } = pair;
const handle = peer.handle;
const fd = Number(handle);
const getsockopt = await rawGetsockopt();
const raw = new Uint8Array(new ArrayBuffer(248));
const rawLength = new Uint32Array(new ArrayBuffer(4));
const into = TcpInfoV0.alloc();
let sink = 0;

rawLength[0] = 248;
if (getsockopt(fd, 6, 11, raw, rawLength) !== 0 || raw[0] !== 1) {
  throw new Error("the raw getsockopt(TCP_INFO) failed"); // 1: TCP_ESTABLISHED
}
if (tcpInfo(peer, 0, into).mss !== new DataView(raw.buffer).getUint32(16, true)) {
  throw new Error("tcpInfo and the raw call disagree on the MSS");
}

const cases: [string, () => void][] = [
  ["raw getsockopt(fd, IPPROTO_TCP, TCP_INFO)", () => {
    rawLength[0] = 248;
    sink ^= getsockopt(fd, 6, 11, raw, rawLength);
  }],
  ["tcpInfo(socket, 0, into)", () => {
    sink ^= tcpInfo(peer, 0, into).mss;
  }],
  ["tcpInfo(rawHandle, 0, into)", () => {
    sink ^= tcpInfo(handle, 0, into).mss;
  }],
];

const N = 2000;
const ROUNDS = Number(rounds ?? 300);
const time = (f: () => void): number => {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) f();
  return (performance.now() - t0) * 1e6 / N;
};
for (let i = 0; i < 50; i++) for (const [, f] of cases) time(f);
const times: number[][] = cases.map(() => []);
for (let r = 0; r < ROUNDS; r++) cases.forEach(([, f], c) => times[c].push(time(f)));
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const fastest = (a: number[]) => Math.min(...a);
const base = [median(times[0]), fastest(times[0])];
console.log(`${name}: ${ROUNDS} interleaved rounds of ${N} calls; median round, fastest round`);
cases.forEach(([label], c) => {
  const m = median(times[c]);
  const f = fastest(times[c]);
  console.log(
    `${label.padEnd(42)} ${m.toFixed(0).padStart(5)} ns  ${(m / base[0]).toFixed(3)}×   ` +
      `${f.toFixed(0).padStart(5)} ns  ${(f / base[1]).toFixed(3)}×`,
  );
});
if (sink === 0x7fffffff) console.log(sink);
pair.close();
