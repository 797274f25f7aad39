// tcpInfo(s, 0, into) — SIO_TCP_INFO translated to getsockopt(IPPROTO_TCP, TCP_INFO) on Linux and
// written as TCP_INFO_v0 — against the raw FFI call of the same getsockopt (248 bytes asked for,
// as the native layer asks), under Deno (issue 16: at most 1.10× the raw call). Deno, Bun and
// Node in interleaved rounds: bench/tcp_info_rounds.ts; bytes allocated per call: bench/alloc.ts.
//
// Run: tools/node_modules/.bin/deno bench --allow-ffi bench/tcp_info_bench.ts (Linux; elsewhere it
// registers nothing). Deno.bench prints the runtime, its version and the CPU. On a small VM shared
// with other work Deno.bench's averages swing widely: bench/tcp_info_rounds.ts, which interleaves
// the cases, gives the figures the README quotes.
import { tcpInfo } from "../sio/mod.ts";
import { TcpInfoV0 } from "../structs/mod.ts";
import { rawGetsockopt } from "../tests/_helpers/raw_tcp_info.ts";
import { benchPair } from "./_sio_pair.ts";

if (Deno.build.os === "linux") {
  const pair = benchPair();
  const { peer } = pair;
  const fd = Number(peer.handle);
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

  Deno.bench("raw Deno.dlopen getsockopt(fd, IPPROTO_TCP, TCP_INFO) (FFI floor)", {
    baseline: true,
  }, () => {
    rawLength[0] = 248;
    sink ^= getsockopt(fd, 6, 11, raw, rawLength);
  });

  Deno.bench("tcpInfo(socket, 0, into)", () => {
    sink ^= tcpInfo(peer, 0, into).mss;
  });

  Deno.bench("tcpInfo(rawHandle, 0, into)", () => {
    sink ^= tcpInfo(peer.handle, 0, into).mss;
  });

  globalThis.addEventListener("unload", () => {
    if (sink === 0x7fffffff) console.log(sink);
    pair.close();
  });
}
