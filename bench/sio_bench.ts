// The polling typed calls against the raw FFI call of the same native function, under Deno
// (issue 9: at most 1.10× the raw call). The native layer calls libc's ioctl(FIONREAD) on Linux
// and ws2_32's WSAIoctl(FIONREAD) on Windows; the baseline calls exactly that through a
// Deno.dlopen of its own. Bun: bench/sio_bench_bun.ts; bytes allocated per call: bench/alloc.ts.
//
// Run: tools/node_modules/.bin/deno bench --allow-ffi bench/sio_bench.ts (Linux x86-64/arm64, or
// deno.exe on Windows). Deno.bench prints the runtime, its version and the CPU.
//
// txTimestampPoller(s).poll(id) is timed on Linux by bench/tx_poll.ts (Deno, Bun, Node;
// against a raw recvmsg(MSG_ERRQUEUE)). tcpInfo(s, 0, into) is not timed here: against the raw
// WSAIoctl of SIO_TCP_INFO it cannot succeed on this machine (Linux throws UnsupportedError, Wine
// answers WSAEOPNOTSUPP), so only a real Windows can time it.
import { bytesAvailable } from "../sio/mod.ts";
import { benchPair, LINUX_FIONREAD, PENDING, WINSOCK_FIONREAD } from "./_sio_pair.ts";

const pair = benchPair();
const handle = pair.peer.handle;
let sink = 0;

let raw: () => void;
let rawName: string;
/** One raw call's answer: [result, count] (the baseline must time a call that succeeds). */
let rawOnce: () => [number, number];
if (Deno.build.os === "windows") {
  const ws2 = Deno.dlopen("ws2_32.dll", {
    WSAIoctl: {
      // SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,
      // DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED, completion routine
      parameters: ["u64", "u32", "buffer", "u32", "buffer", "u32", "buffer", "buffer", "buffer"],
      result: "i32",
    },
  });
  const out = new Uint8Array(new ArrayBuffer(4));
  const returned = new Uint32Array(1);
  raw = () => {
    sink ^= ws2.symbols.WSAIoctl(handle, WINSOCK_FIONREAD, null, 0, out, 4, returned, null, null);
  };
  rawOnce = () => [
    ws2.symbols.WSAIoctl(handle, WINSOCK_FIONREAD, null, 0, out, 4, returned, null, null),
    new DataView(out.buffer).getUint32(0, true),
  ];
  rawName = "raw Deno.dlopen WSAIoctl(s, FIONREAD) (FFI floor)";
} else {
  const libc = Deno.dlopen("libc.so.6", {
    ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" }, // int fd, unsigned long, int*
  });
  const fd = Number(handle);
  const out = new Int32Array(1);
  raw = () => {
    sink ^= libc.symbols.ioctl(fd, LINUX_FIONREAD, out);
  };
  rawOnce = () => [libc.symbols.ioctl(fd, LINUX_FIONREAD, out), out[0]];
  rawName = "raw Deno.dlopen ioctl(fd, FIONREAD) (FFI floor)";
}

const [result, count] = rawOnce();
if (result !== 0 || count !== PENDING) throw new Error(`the raw call failed: ${result}, ${count}`);

Deno.bench(rawName, { baseline: true }, raw);

Deno.bench("bytesAvailable(socket)", () => {
  sink ^= bytesAvailable(pair.peer);
});

Deno.bench("bytesAvailable(rawHandle)", () => {
  sink ^= bytesAvailable(handle);
});

globalThis.addEventListener("unload", () => {
  if (bytesAvailable(pair.peer) !== PENDING) throw new Error(`wrong count (${sink})`);
  pair.close();
});
