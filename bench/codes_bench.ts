// Benchmarks of the pure code table: decoding and looking up control codes.
// Run: tools/node_modules/.bin/deno bench bench/codes_bench.ts
// Deno.bench prints the runtime, its version and the CPU with the results.
import { decodeIoctl, encodeIoctl, lookupIoctl, SIO_KEEPALIVE_VALS } from "../codes/mod.ts";

let sink = 0;

Deno.bench("baseline: shifts and masks by hand", () => {
  const v = SIO_KEEPALIVE_VALS;
  sink ^= (v >>> 27) & 3 ^ (v >>> 16) & 0x7ff ^ v & 0xffff;
});

Deno.bench("decodeIoctl(SIO_KEEPALIVE_VALS)", () => {
  sink ^= decodeIoctl(SIO_KEEPALIVE_VALS).code;
});

Deno.bench("encodeIoctl({ io: 'in', type: 'vendor', code: 4 })", () => {
  sink ^= encodeIoctl({ io: "in", type: "vendor", code: 4 });
});

Deno.bench("lookupIoctl(value)", () => {
  sink ^= lookupIoctl(SIO_KEEPALIVE_VALS).length;
});

Deno.bench("lookupIoctl(name)", () => {
  sink ^= lookupIoctl("SIO_KEEPALIVE_VALS").length;
});

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});
