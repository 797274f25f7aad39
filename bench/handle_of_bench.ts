// What handleOf costs with about 1,000 sockets open (1,000 bound UDP sockets besides the ones
// looked for), under Deno: the search by address (a Deno.Conn-shaped object seen for the first
// time, so nothing is kept yet), the listing of this process's handles alone, and the calls once
// the handle is kept — where the runtime says the socket is open (a Bun-shaped object with its fd;
// a real Deno.Conn, whose one resource Deno is asked about) and where it cannot (a
// Deno.DatagramConn-shaped object that is no real one) — each kept handle then checked to be the
// same socket (Linux: fstat's st_dev/st_ino). Baseline: bytesAvailable on the raw handle.
// bench/handle_of_scale_bench.ts shows that none of these grows with the number of Deno resources.
//
// Run: tools/node_modules/.bin/deno bench --allow-ffi --allow-net bench/handle_of_bench.ts
// (without --allow-net the real Deno.Conn rows are left out). Deno.bench prints the runtime, its
// version and the CPU. The Windows figures (the handle walk under Wine) come from
// tests/windows/runtime_sockets_test.ts, which prints them.
import { bytesAvailable, handleOf, Socket } from "../mod.ts";
import { nativeApi } from "../ffi/select.ts";
import { benchPair, PENDING } from "./_sio_pair.ts";

const LOCAL = "127.0.0.1";
const OPEN = 1000;

const others: Socket[] = [];
for (let i = 0; i < OPEN; i++) {
  const s = Socket.open("inet", "dgram");
  s.bind(LOCAL, 0);
  others.push(s);
}
const pair = benchPair();
const local = pair.peer.localAddress();
const remote = pair.peer.remoteAddress();
const addr = (a: { address: string; port: number }, transport: string) => ({
  transport,
  hostname: a.address,
  port: a.port,
});
const connLike = () => ({ localAddr: addr(local, "tcp"), remoteAddr: addr(remote, "tcp") });
const bunLike = {
  readyState: 1,
  fd: Number(pair.peer.handle),
  localAddress: local.address,
  localPort: local.port,
  remoteAddress: remote.address,
  remotePort: remote.port,
};
const udp = others[OPEN - 1];
const datagramLike = { addr: addr(udp.localAddress(), "udp"), receive() {}, send() {} };
let sink = 0n;

if (handleOf(connLike()) !== pair.peer.handle) throw new Error("the search found another socket");
const listed = nativeApi().socketCandidates().length;
if (listed < OPEN) throw new Error(`only ${listed} descriptors listed`);

Deno.bench(`handleOf: the search, ${listed} descriptors open`, () => {
  sink ^= handleOf(connLike());
});

Deno.bench(`socketCandidates(): listing ${listed} descriptors`, () => {
  sink ^= BigInt(nativeApi().socketCandidates().length);
});

Deno.bench("handleOf: kept, the runtime says open (Bun-shaped, fd)", () => {
  sink ^= handleOf(bunLike);
});

Deno.bench("handleOf: kept, the runtime cannot say (Deno.DatagramConn-shaped)", () => {
  sink ^= handleOf(datagramLike);
});

Deno.bench("bytesAvailable(rawHandle)", { baseline: true }, () => {
  sink ^= BigInt(bytesAvailable(pair.peer.handle));
});

Deno.bench("bytesAvailable(Bun-shaped socket)", () => {
  sink ^= BigInt(bytesAvailable(bunLike));
});

if (Deno.permissions.querySync({ name: "net" }).state === "granted") {
  const listener = Deno.listen({ hostname: LOCAL, port: 0 });
  const client = await Deno.connect({ hostname: LOCAL, port: listener.addr.port });
  const accepted = await listener.accept();
  await client.write(new Uint8Array(PENDING));
  while (bytesAvailable(accepted) < PENDING) await new Promise((r) => setTimeout(r, 1));

  Deno.bench("handleOf(Deno.Conn): kept (Deno asked about its resource)", () => {
    sink ^= handleOf(accepted);
  });

  Deno.bench("bytesAvailable(Deno.Conn)", () => {
    sink ^= BigInt(bytesAvailable(accepted));
  });

  globalThis.addEventListener("unload", () => {
    for (const c of [client, accepted, listener]) c.close();
  });
}

globalThis.addEventListener("unload", () => {
  if (sink === -1n) console.log(sink);
  pair.close();
  for (const s of others) s.close();
});
