// What a typed call on Deno's own sockets costs as Deno's resource table grows: bytesAvailable on
// a Deno.Conn, a Deno.Listener and a Deno.DatagramConn with 10 connections open, then with 5,000
// (one group per size). handleOf asks Deno about the one resource (`_runtime_shapes.ts`) and checks the kept
// handle's identity (Linux): neither grows with the table. `core.resources()`, which the check
// used to list on every call, is timed beside them at both sizes. Baseline: bytesAvailable on the
// raw handle (the C baseline of the call itself is bench/c/fionread.c).
//
// Run: tools/node_modules/.bin/deno bench --allow-ffi --allow-net --unstable-net \
//   bench/handle_of_scale_bench.ts
// Needs about 10,100 descriptors (ulimit -n). Deno.bench prints the runtime, its version and the
// CPU; Linux x86_64 here.
import { bytesAvailable, handleOf } from "../mod.ts";

const LOCAL = "127.0.0.1";
const FEW = 10;
const MANY = 5000;

const listener = Deno.listen({ hostname: LOCAL, port: 0 });
const udp = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
/** Both ends of each connection. */
const ends: Deno.Conn[] = [];

/** Opens connections until `n` are open. */
async function connections(n: number): Promise<void> {
  while (ends.length < 2 * n) {
    const c = await Deno.connect({ hostname: LOCAL, port: listener.addr.port });
    ends.push(c, await listener.accept());
  }
}

await connections(FEW);
const conn = ends[1];
await ends[0].write(new Uint8Array(5));
while (bytesAvailable(conn) < 5) await new Promise((r) => setTimeout(r, 1));
const raw = handleOf(conn);
const core = (Deno as unknown as Record<symbol, { core: { resources(): object } }>)[
  (Deno as unknown as { internal: symbol }).internal
].core;
let sink = 0;

const subjects = [["Deno.Conn", conn], ["Deno.Listener", listener], [
  "Deno.DatagramConn",
  udp,
]] as const;

// One group per size, run in this order (Deno.bench runs a group's rows together): each row first
// makes sure that `n` connections are open (the first row of the second group opens the rest),
// then times one call between b.start() and b.end(), every row alike.
function row(n: number, name: string, call: () => number, baseline = false): void {
  const group = `${n} connections open`;
  Deno.bench(`${name}, ${group}`, { group, baseline }, async (b) => {
    await connections(n);
    b.start();
    sink ^= call();
    b.end();
  });
}
for (const n of [FEW, MANY]) {
  row(n, "bytesAvailable(rawHandle)", () => bytesAvailable(raw), true);
  for (const [what, o] of subjects) row(n, `bytesAvailable(${what})`, () => bytesAvailable(o));
  row(n, "core.resources()", () => Object.keys(core.resources()).length);
}

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink);
  for (const c of ends) c.close();
  listener.close();
  udp.close();
});
