// The first-call row of the benchmark table: how long a fresh process takes from before loading
// to its first answer (bench/run.ts starts one process per sample, under each runtime).
//
//   first_call.ts wsioctl [module]  import wsioctl (mod.ts, or `module`: the Node bundle of it),
//                                   Socket.open("inet", "stream"), bytesAvailable(socket)
//   first_call.ts raw <ffi>         the raw FFI baseline: open libc with the runtime's FFI, bind,
//                                   socket(), ioctl(FIONREAD) (bench/_raw.ts)
//
// The runtime's own start-up comes before either and is not counted. Prints one line,
// `BENCH_JSON {"ns": …}`.
import { LINUX_FIONREAD, openRawLibc, type RawFfi } from "./_raw.ts";

const g = globalThis as {
  Deno?: { args: string[] };
  process?: { argv: string[] };
};
const [side, arg] = g.Deno?.args ?? g.process!.argv.slice(2);

let ns: number;
if (side === "wsioctl") {
  // A computed specifier: neither `deno check`'s graph nor a bundler pulls wsioctl in ahead of
  // the clock.
  const spec = arg ?? new URL("../mod.ts", import.meta.url).href;
  const t0 = performance.now();
  const m = (await import(spec)) as typeof import("../mod.ts");
  const s = m.Socket.open("inet", "stream");
  const n = m.bytesAvailable(s);
  ns = (performance.now() - t0) * 1e6;
  s.close();
  if (n !== 0) throw new Error(`first_call: ${n} bytes on a new socket`);
} else if (side === "raw") {
  const t0 = performance.now();
  const libc = await openRawLibc(arg as RawFfi);
  const fd = libc.socket(2, 1, 0); // AF_INET, SOCK_STREAM
  const out = new Int32Array(1);
  const r = libc.ioctl(fd, LINUX_FIONREAD, out);
  ns = (performance.now() - t0) * 1e6;
  libc.close(fd);
  if (fd < 0 || r !== 0) throw new Error(`first_call: socket ${fd}, ioctl ${r}`);
} else {
  throw new Error(`first_call: unknown side ${side}`);
}
console.log(`BENCH_JSON ${JSON.stringify({ ns })}`);
