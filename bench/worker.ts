// One runtime's part of the benchmark table (bench/run.ts starts it under Deno, Bun and Node):
// every operation of bench/_table.ts's OPERATIONS but the first call (bench/first_call.ts),
// wsioctl's public call against the raw FFI call of the same native function (bench/_raw.ts),
// timed by bench/_measure.ts. Prints one line, `BENCH_JSON {…}`.
//
//   worker.ts time <raw ffi> <warmup rounds> <rounds> <roundMs> <warmMs>
//   worker.ts alloc <raw ffi> <calls>
//   worker.ts probe              the runtime, and the FFI wsioctl runs on here
//
// A call that cannot run here is tried once and reported as the table prints it ("unsupported
// on linux" for UnsupportedError), so a call that starts to run on this platform is measured
// without a change here. Answers are checked before timing: the raw call and wsioctl's must
// succeed and agree, else the worker fails.
import net from "node:net";
import {
  bytesAvailable,
  decodeIoctl,
  FIONREAD,
  handleOf,
  ioctl,
  lookupIoctl,
  setTimestamping,
  SIO_KEEPALIVE_VALS,
  Socket,
  tcpInfo,
  TcpInfoV0,
  txTimestampPoller,
  UnsupportedError,
} from "../mod.ts";
import * as select from "../ffi/select.ts";
import { type Case, growth, type Heap, interleaved, sinkValue } from "./_measure.ts";
import {
  LINUX_ERRQUEUE_NOWAIT,
  LINUX_FIONREAD,
  LINUX_TCP_INFO,
  openRawLibc,
  type RawFfi,
  type RawLibc,
} from "./_raw.ts";
import { benchPair, PENDING } from "./_sio_pair.ts";
import type { OpResult, Outcome, Skipped } from "./_table.ts";

interface Runtime {
  /** e.g. "Deno 2.9.6". */
  readonly name: string;
  readonly os: string;
  readonly args: readonly string[];
  heap(): Promise<Heap>;
  exit(code: number): never;
}

function runtime(): Runtime {
  const g = globalThis as {
    Deno?: {
      version: { deno: string };
      build: { os: string };
      args: string[];
      memoryUsage(): { heapUsed: number };
      exit(code: number): never;
    };
    Bun?: { version: string; gc(force: boolean): void };
    gc?: () => void;
    process?: {
      versions: { node: string };
      platform: string;
      argv: string[];
      memoryUsage(): { heapUsed: number };
      exit(code: number): never;
    };
  };
  const needGc = (): () => void => {
    if (g.gc === undefined) throw new Error("start the runtime with its expose-gc flag");
    return g.gc;
  };
  if (g.Deno !== undefined) {
    const deno = g.Deno;
    return {
      name: `Deno ${deno.version.deno}`,
      os: deno.build.os,
      args: deno.args,
      heap: () => Promise.resolve({ gc: needGc(), used: () => deno.memoryUsage().heapUsed }),
      exit: (c) => deno.exit(c),
    };
  }
  const proc = g.process!;
  const os = proc.platform === "win32" ? "windows" : proc.platform;
  if (g.Bun !== undefined) {
    const bun = g.Bun;
    return {
      name: `Bun ${bun.version}`,
      os,
      args: proc.argv.slice(2),
      // JavaScriptCore's heap capacity: it grows in blocks as objects are allocated.
      heap: async () => {
        const BUN_JSC = "bun:jsc"; // non-literal: `deno check` does not resolve it
        const jsc = (await import(BUN_JSC)) as { heapStats(): { heapCapacity: number } };
        return { gc: () => bun.gc(true), used: () => jsc.heapStats().heapCapacity };
      },
      exit: (c) => proc.exit(c),
    };
  }
  return {
    name: `Node ${proc.versions.node}`,
    os,
    args: proc.argv.slice(2),
    heap: () => Promise.resolve({ gc: needGc(), used: () => proc.memoryUsage().heapUsed }),
    exit: (c) => proc.exit(c),
  };
}

/** The FFI wsioctl's native layer runs on here. */
function wsioctlFfi(name: string): string {
  // `nativeLoader` (ffi/select.ts) says it where the library has it; before it, one FFI per
  // runtime: Deno.dlopen, bun:ffi, koffi.
  const s = select as unknown as { nativeLoader?: () => { ffi: string } };
  if (typeof s.nativeLoader === "function") return s.nativeLoader().ffi;
  return name.startsWith("Deno") ? "Deno.dlopen" : name.startsWith("Bun") ? "bun:ffi" : "koffi";
}

/** An operation ready to measure: its calls, or why it cannot run. */
interface Ready {
  raw?: Case | Skipped;
  wsioctl: Case | Skipped;
}

const isCase = (c: Case | Skipped | undefined): c is Case => typeof c === "function";

/**
 * Runs `check` (one call of wsioctl's, asserting its answer); answers the case, or the reason
 * it cannot run here.
 */
function tryCall(os: string, check: () => void, call: Case): Case | Skipped {
  try {
    check();
    return call;
  } catch (e) {
    if (e instanceof UnsupportedError) return { skipped: `unsupported on ${os}` };
    throw e;
  }
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench: ${what}`);
}

/** A connected node:net pair (the runtime's own sockets), and the client's handle. */
async function runtimeSocket(): Promise<{ handle: bigint; close(): void }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
  const client = net.connect(port, "127.0.0.1");
  client.pause(); // leave what arrives in the kernel, where FIONREAD counts it
  await new Promise<void>((resolve) => client.once("connect", () => resolve()));
  const peer = await accepted;
  peer.write(new Uint8Array(PENDING));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    handle: handleOf(client),
    close() {
      client.destroy();
      peer.destroy();
      server.close();
    },
  };
}

/** Every operation of the worker, set up; `close` releases the sockets. */
async function setUp(os: string, raw: RawLibc | Skipped) {
  const pair = benchPair();
  const { peer } = pair;
  const fd = Number(peer.handle);
  const handle = peer.handle;
  const rs = await runtimeSocket();
  const rsFd = Number(rs.handle);
  const out4 = new Int32Array(1);
  const u32 = new Uint32Array(1);

  // tcpInfo: the raw call asks for the 248 bytes wsioctl asks for.
  const tcpRaw = new Uint8Array(new ArrayBuffer(LINUX_TCP_INFO[2]));
  const tcpLength = new Uint32Array(1);
  const into = TcpInfoV0.alloc();

  // txTimestampPoller: a UDP socket with TX timestamps on, nothing sent; the raw call reads the
  // same (empty) error queue with a message header built once (msg_control set once,
  // msg_controllen reset per call as the kernel shortens it).
  const udp = Socket.open("inet", "dgram");
  udp.bind("127.0.0.1", 0);
  const udpFd = Number(udp.handle);
  const control = new Uint8Array(new ArrayBuffer(256));
  const msg = new Uint8Array(new ArrayBuffer(56)); // struct msghdr, 64-bit Linux
  const msgView = new DataView(msg.buffer);
  let poller: { poll(id: number): bigint | undefined } | undefined;

  const ops: Record<string, Ready> = {};
  const skip = (r: RawLibc | Skipped): r is Skipped => "skipped" in r;
  const fionreadRaw = (f: number): Case | Skipped => {
    if (skip(raw)) return raw;
    must(raw.ioctl(f, LINUX_FIONREAD, out4) === 0, "the raw ioctl(FIONREAD) failed");
    return () => raw.ioctl(f, LINUX_FIONREAD, out4);
  };

  // Each call is its own function literal: closures of one literal share the engine's feedback,
  // which would blend the cases.
  const counted = (call: Case): Ready => ({
    raw: fionreadRaw(fd),
    wsioctl: tryCall(os, () => must(call() === PENDING, "wrong count"), call),
  });
  ops["bytesAvailable.socket"] = counted(() => bytesAvailable(peer));
  ops["bytesAvailable.handle"] = counted(() => bytesAvailable(handle));
  const rsRaw = fionreadRaw(rsFd);
  ops["bytesAvailable.runtime"] = {
    raw: rsRaw,
    wsioctl: tryCall(
      os,
      () => must(isCase(rsRaw) ? bytesAvailable(rs.handle) === out4[0] : true, "counts differ"),
      () => bytesAvailable(rs.handle),
    ),
  };
  ops["ioctl.fionread"] = {
    raw: fionreadRaw(fd),
    wsioctl: tryCall(os, () => {
      must(ioctl(peer, FIONREAD, null, u32) === 4 && u32[0] === PENDING, "wrong ioctl answer");
    }, () => ioctl(peer, FIONREAD, null, u32)),
  };

  let tcpRawCase: Case | Skipped;
  if (skip(raw)) {
    tcpRawCase = raw;
  } else {
    const [level, name, size] = LINUX_TCP_INFO;
    const call = () => {
      tcpLength[0] = size;
      return raw.getsockopt(fd, level, name, tcpRaw, tcpLength);
    };
    must(call() === 0 && tcpRaw[0] === 1, "the raw getsockopt(TCP_INFO) failed"); // ESTABLISHED
    tcpRawCase = call;
  }
  ops.tcpInfo = {
    raw: tcpRawCase,
    wsioctl: tryCall(os, () => {
      must(tcpInfo(peer, 0, into) === into, "tcpInfo did not fill into");
      if (!skip(raw)) {
        const mss = new DataView(tcpRaw.buffer).getUint32(16, true); // tcpi_snd_mss
        must(into.mss === mss, `tcpInfo's MSS ${into.mss}, the raw call's ${mss}`);
      }
    }, () => tcpInfo(peer, 0, into) === into ? 1 : 0),
  };

  let pollRaw: Case | Skipped;
  if (skip(raw)) {
    pollRaw = raw;
  } else {
    msgView.setBigUint64(32, raw.address(control), true); // void* msg_control
    const call = () => {
      msgView.setUint32(40, 256, true); // size_t msg_controllen (the high half stays 0)
      return raw.recvmsg(udpFd, msg, LINUX_ERRQUEUE_NOWAIT);
    };
    must(call() === -1, "the error queue is not empty");
    pollRaw = call;
  }
  ops.txPoll = {
    raw: pollRaw,
    wsioctl: tryCall(os, () => {
      setTimestamping(udp, { rx: false, tx: true });
      poller = txTimestampPoller(udp);
      must(poller.poll(7) === undefined, "a stamp without a send");
    }, () => poller!.poll(7) === undefined ? 1 : 0),
  };

  ops.decodeIoctl = {
    wsioctl: tryCall(
      os,
      () => must(decodeIoctl(SIO_KEEPALIVE_VALS).code === 4, "decode"),
      () => decodeIoctl(SIO_KEEPALIVE_VALS).code,
    ),
  };
  ops.lookupIoctl = {
    wsioctl: tryCall(
      os,
      () => must(lookupIoctl(SIO_KEEPALIVE_VALS)[0]?.name === "SIO_KEEPALIVE_VALS", "lookup"),
      () => lookupIoctl(SIO_KEEPALIVE_VALS).length,
    ),
  };

  return {
    ops,
    close() {
      // The counts must still be right: the timed calls acted on the sockets set up here.
      must(bytesAvailable(peer) === PENDING, `wrong count at the end (${sinkValue()})`);
      udp.close();
      rs.close();
      pair.close();
    },
  };
}

async function main(): Promise<void> {
  const rt = runtime();
  const [mode, rawFfi, ...params] = rt.args;
  const ffi = wsioctlFfi(rt.name);
  const print = (runtime: string, results: Record<string, OpResult>) => {
    console.log(`BENCH_JSON ${JSON.stringify({ runtime, wsioctlFfi: ffi, results })}`);
    rt.exit(0);
  };
  if (mode === "probe") print(`${rt.name} (${ffi})`, {});
  let raw: RawLibc | Skipped;
  if (rt.os !== "linux") raw = { skipped: "raw baseline written for Linux only" };
  else raw = await openRawLibc(rawFfi as RawFfi);
  const { ops, close } = await setUp(rt.os, raw);
  const results: Record<string, OpResult> = {};
  const outcome = (c: Case | Skipped | undefined, t?: Outcome): Outcome | undefined =>
    c === undefined ? undefined : isCase(c) ? t : c;

  if (mode === "time") {
    const [warmup, rounds, roundMs, warmMs] = params.map(Number);
    for (const [id, op] of Object.entries(ops)) {
      const cases = [op.raw, op.wsioctl].filter(isCase);
      const t = interleaved(cases, { warmup, rounds, roundMs, warmMs });
      const rawT = isCase(op.raw) ? t.shift() : undefined;
      results[id] = {
        raw: outcome(op.raw, rawT),
        wsioctl: outcome(op.wsioctl, t.shift()),
      };
    }
  } else if (mode === "alloc") {
    const calls = Number(params[0]);
    const heap = await rt.heap();
    for (const [id, op] of Object.entries(ops)) {
      results[id] = { alloc: isCase(op.wsioctl) ? growth(op.wsioctl, calls, heap) : op.wsioctl };
    }
    // The controls: nothing, and a 1-element array kept in a ring (so no engine can drop it).
    const ring: number[][] = new Array(1024);
    let next = 0;
    results["control.nothing"] = { alloc: growth(() => 0, calls, heap) };
    results["control.array"] = {
      alloc: growth(() => (ring[next++ & 1023] = [next]).length, calls, heap),
    };
  } else {
    throw new Error(`bench/worker.ts: unknown mode ${mode}`);
  }
  close();
  // The FFI as the raw baseline names it, with its version where it has one (koffi).
  const rawName = "skipped" in raw || !raw.ffi.startsWith(ffi) ? ffi : raw.ffi;
  print(`${rt.name} (${rawName})`, results);
}

await main();
