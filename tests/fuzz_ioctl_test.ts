// Fuzzes the generic ioctl() with random (target, code, input, output) combinations: real
// portable codes that reach libc (or ws2_32 under Wine), every code of the table, random codes,
// and malformed arguments, with buffers that lie about themselves (instance byteLength /
// byteOffset / buffer properties, subclass getters) or whose ArrayBuffer is detached or shrunk
// after the view was made. Checks: the process never crashes, every failure is a WinsockError,
// UnsupportedError, TypeError or RangeError (SocketClosedError only for the closed socket), no
// call writes outside its output view (guard bytes around every buffer stay intact) nor into its
// input, and the portable codes answer exactly as expected.
//
// Seeded: WSIOCTL_FUZZ_SEED=<n> reproduces a run, WSIOCTL_FUZZ_ITERATIONS=<n> sizes it (default
// 100,000 on Linux/macOS; 20,000 on Windows, where tests/windows/native_fuzz_test.ts imports this).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  FIONREAD,
  IOCTLS,
  SIO_ADDRESS_LIST_CHANGE,
  SIO_ADDRESS_LIST_QUERY,
  SIO_ASSOCIATE_HANDLE,
  SIO_BASE_HANDLE,
  SIO_BSP_HANDLE,
  SIO_BSP_HANDLE_POLL,
  SIO_BSP_HANDLE_SELECT,
  SIO_CHK_QOS,
  SIO_CPU_AFFINITY,
  SIO_GET_BROADCAST_ADDRESS,
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
  SIO_GET_TX_TIMESTAMP,
  SIO_IDEAL_SEND_BACKLOG_CHANGE,
  SIO_KEEPALIVE_VALS,
  SIO_MULTICAST_SCOPE,
  SIO_MULTIPOINT_LOOPBACK,
  SIO_NSP_NOTIFY_CHANGE,
  SIO_QUERY_RSS_PROCESSOR_INFO,
  SIO_ROUTING_INTERFACE_CHANGE,
  SIO_ROUTING_INTERFACE_QUERY,
  SIO_SET_GROUP_QOS,
  SIO_SET_QOS,
  SIO_TCP_INFO,
  SIO_TIMESTAMPING,
  SIO_TRANSLATE_HANDLE,
  SIO_UDP_CONNRESET,
  SIO_UDP_NETRESET,
  SIOCATMARK,
  UNIX_IOCTLS,
} from "../codes/mod.ts";
import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl } from "../ioctl.ts";
import { Socket } from "../socket.ts";
import { mulberry32 } from "./_helpers/rng.ts";
import { tcpPair } from "./_helpers/pair.ts";

/** Uniform floats in [0, 1) from the seeded PRNG. */
function prngUnit(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

const native = nativeApi();
const isWindows = native.os === "windows";
const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
const SEED = Number(env("WSIOCTL_FUZZ_SEED") ?? 0x5eed1);
const ITERATIONS = Number(env("WSIOCTL_FUZZ_ITERATIONS") ?? (isWindows ? 20_000 : 100_000));

const PORTABLE = UNIX_IOCTLS;
// What the POSIX native layer translates besides them (UDP resets: FALSE only), the interface
// queries it answers from getifaddrs and a connected UDP socket, TCP_INFO, the portable set
// (ffi/_posix_portable.ts; the CPU codes on Linux only) and the timestamp codes (SO_TIMESTAMPING
// and the error queue on Linux; SO_TIMESTAMP for RX on macOS).
const TRANSLATED = [
  ...PORTABLE,
  SIO_TIMESTAMPING,
  SIO_GET_TX_TIMESTAMP,
  SIO_KEEPALIVE_VALS,
  SIO_UDP_CONNRESET,
  SIO_UDP_NETRESET,
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
  SIO_ADDRESS_LIST_QUERY,
  SIO_ROUTING_INTERFACE_QUERY,
  SIO_MULTICAST_SCOPE,
  SIO_MULTIPOINT_LOOPBACK,
  SIO_GET_BROADCAST_ADDRESS,
  SIO_BASE_HANDLE,
  SIO_BSP_HANDLE,
  SIO_BSP_HANDLE_SELECT,
  SIO_BSP_HANDLE_POLL,
  ...(native.os === "linux" ? [SIO_QUERY_RSS_PROCESSOR_INFO, SIO_CPU_AFFINITY] : []),
  SIO_TCP_INFO,
];
// Never sent to a real Winsock with random bytes: waits that block without overlapped I/O, and
// codes whose input carries pointers.
const NOT_ON_WINDOWS = new Set([
  SIO_ADDRESS_LIST_CHANGE,
  SIO_ROUTING_INTERFACE_CHANGE,
  SIO_IDEAL_SEND_BACKLOG_CHANGE,
  SIO_KEEPALIVE_VALS,
  SIO_NSP_NOTIFY_CHANGE,
  SIO_SET_QOS,
  SIO_SET_GROUP_QOS,
  SIO_CHK_QOS,
  SIO_ASSOCIATE_HANDLE,
  SIO_TRANSLATE_HANDLE,
]);
const KNOWN = [...new Set(IOCTLS.map((i) => i.value))].filter((v) =>
  !isWindows || !NOT_ON_WINDOWS.has(v)
);
const KNOWN_SET = new Set(IOCTLS.map((i) => i.value));

const GUARD = 16;
const FILL = 0xa5;

type Ctor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
const VIEWS: [Ctor, number][] = [
  [Uint8Array, 1],
  [Int8Array, 1],
  [Uint16Array, 2],
  [Int32Array, 4],
  [Uint32Array, 4],
  [Float64Array, 8],
  [BigUint64Array, 8],
  [DataView as unknown as Ctor, 1],
];

/** Subclasses of every view type whose getters lie: 1 MiB long, at offset 0, another buffer. */
const ELSEWHERE = new ArrayBuffer(64);
const LIARS = new Map<Ctor, Ctor>(VIEWS.map(([ctor]) => {
  const Base = ctor as unknown as new (...args: unknown[]) => object;
  class Liar extends Base {
    get byteLength(): number {
      return 1 << 20;
    }
    get byteOffset(): number {
      return 0;
    }
    get buffer(): ArrayBuffer {
      return ELSEWHERE;
    }
    get length(): number {
      return 1 << 20;
    }
  }
  return [ctor, Liar as unknown as Ctor];
}));

/** How a buffer misbehaves. */
type Lie = "none" | "property" | "subclass" | "detached" | "shrunk";

function pickLie(rand: () => number): Lie {
  const r = rand();
  if (r < 0.75) return "none";
  if (r < 0.85) return "property";
  if (r < 0.93) return "subclass";
  if (r < 0.97) return "detached";
  return "shrunk";
}

interface Buf {
  view: ArrayBufferView | null | undefined;
  lie: Lie;
  whole: Uint8Array | undefined;
  start: number;
  end: number;
  before: Uint8Array | undefined;
}

function makeBuffer(rand: () => number): Buf {
  const pick = rand();
  if (pick < 0.08) {
    return { view: null, lie: "none", whole: undefined, start: 0, end: 0, before: undefined };
  }
  if (pick < 0.12) {
    return { view: undefined, lie: "none", whole: undefined, start: 0, end: 0, before: undefined };
  }
  const lie = pickLie(rand);
  const [ctor, size] = VIEWS[Math.floor(rand() * VIEWS.length)];
  // Lengths cluster around the interesting 0..8 and reach 96 bytes.
  const bytes = rand() < 0.7 ? Math.floor(rand() * 9) : Math.floor(rand() * 97);
  const count = Math.floor(bytes / size);
  const lead = GUARD + size * Math.floor(rand() * 3);
  const total = lead + count * size + GUARD;
  const size8 = total + ((8 - (total % 8)) % 8);
  const ab = lie === "shrunk"
    ? new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(
      size8,
      { maxByteLength: size8 },
    )
    : new ArrayBuffer(size8);
  const whole = new Uint8Array(ab);
  whole.fill(FILL);
  for (let i = lead; i < lead + count * size; i++) whole[i] = Math.floor(rand() * 256);
  // A few all-zero and all-one contents among the random ones.
  if (rand() < 0.1) whole.fill(0, lead, lead + count * size);
  const make = lie === "subclass" ? LIARS.get(ctor)! : ctor;
  const view = new make(ab, lead, ctor === (DataView as unknown as Ctor) ? count * size : count);
  const end = lead + count * size;
  switch (lie) {
    case "property": {
      // Own properties that claim more bytes, another start, another buffer.
      const claim = rand() < 0.5 ? end - lead + GUARD / 2 : 1 << 20;
      Object.defineProperty(view, "byteLength", { value: claim });
      Object.defineProperty(view, "length", { value: claim });
      Object.defineProperty(view, "byteOffset", { value: rand() < 0.5 ? 0 : -lead });
      if (rand() < 0.5) Object.defineProperty(view, "buffer", { value: ELSEWHERE });
      break;
    }
    case "detached":
      structuredClone(ab, { transfer: [ab] });
      return { view, lie, whole: undefined, start: 0, end: 0, before: undefined };
    case "shrunk": {
      // The buffer shrinks below the view's end: the view is out of bounds, 0 bytes long.
      (ab as unknown as { resize(n: number): void }).resize(Math.max(0, end - 1));
      return { view, lie, whole, start: 0, end: 0, before: whole.slice() };
    }
  }
  return { view, lie, whole, start: lead, end, before: whole.slice() };
}

function checkGuards(buf: Buf, what: string, mayWrite: boolean): void {
  if (buf.whole === undefined || buf.before === undefined) return;
  for (let i = 0; i < buf.whole.length; i++) {
    const inside = i >= buf.start && i < buf.end;
    if (inside && mayWrite) continue;
    if (buf.whole[i] !== buf.before[i]) {
      assert.fail(`${what}: byte ${i} changed (view ${buf.start}..${buf.end}) at seed ${SEED}`);
    }
  }
}

function randomCode(rand: () => number): unknown {
  const r = rand();
  if (r < 0.45) return PORTABLE[Math.floor(rand() * PORTABLE.length)];
  if (r < 0.7) return KNOWN[Math.floor(rand() * KNOWN.length)];
  if (r < 0.93) {
    // A random uint32 outside the table (on Windows it must reach no real code).
    let c: number;
    do c = Math.floor(rand() * 2 ** 32); while (KNOWN_SET.has(c));
    return c;
  }
  const bad: unknown[] = [-1, 2 ** 32, 1.5, NaN, Infinity, "FIONREAD", 0x4004667fn, null, {}];
  return bad[Math.floor(rand() * bad.length)];
}

describe(`fuzz ioctl on ${native.runtime}/${native.os}`, () => {
  test(`${ITERATIONS} random calls, seed ${SEED}`, () => {
    const rand = prngUnit(SEED);
    const { server, client, peer } = tcpPair();
    const PENDING = 37;
    client.send(new Uint8Array(PENDING));
    const udp = Socket.open("inet", "dgram");
    const closed = Socket.open("inet6", "stream");
    closed.close();
    const bogus = isWindows ? 0xdead0n : 99999n;
    const targets: (Socket | bigint)[] = [peer, client, server, udp, closed, bogus, peer.handle];
    // Wait (bounded) for the pending bytes to be readable on the peer.
    const n = new Uint32Array(1);
    for (const end = Date.now() + 2000; Date.now() < end;) {
      ioctl(peer, FIONREAD, null, n);
      if (n[0] === PENDING) break;
    }
    assert.equal(n[0], PENDING);

    const counts: Record<string, number> = {};
    const started = Date.now();
    try {
      for (let i = 0; i < ITERATIONS; i++) {
        const target = targets[Math.floor(rand() * targets.length)];
        const code = randomCode(rand);
        const input = makeBuffer(rand);
        const output = makeBuffer(rand);
        const where = `iteration ${i}, seed ${SEED}, code ${String(code)}`;
        let outcome: string;
        let result: number | undefined;
        try {
          result = ioctl(
            target,
            code as number,
            input.view as ArrayBufferView,
            output.view as ArrayBufferView,
          );
          outcome = "ok";
        } catch (e) {
          if (e instanceof WinsockError) outcome = e.name;
          else if (e instanceof UnsupportedError) outcome = "UnsupportedError";
          else if (e instanceof TypeError) outcome = "TypeError";
          else if (e instanceof RangeError) outcome = "RangeError";
          else if (e instanceof SocketClosedError && target === closed) outcome = "closed";
          else throw new Error(`${where}: unexpected ${e}`, { cause: e });
        }
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        checkGuards(input, `${where}: input`, false);
        checkGuards(output, `${where}: output`, true);
        if (result !== undefined) {
          // Against the real length, not what the view claims.
          const outLen = output.end - output.start;
          assert.ok(result >= 0 && result <= outLen, `${where}: returned ${result} > ${outLen}`);
        }
        // A view of a detached buffer is refused before anything else is looked at (only a
        // bad code or a bad target is reported first).
        if (
          (input.lie === "detached" || output.lie === "detached") &&
          PORTABLE.includes(code as number) &&
          target !== closed && target !== bogus
        ) {
          assert.equal(outcome, "TypeError", where);
        }
        // The portable codes answer exactly, wherever they run.
        const outBytes = output.end - output.start;
        const live = target === peer || target === peer.handle;
        if (
          code === FIONREAD && live && typeof output.view === "object" && outBytes >= 4 &&
          input.lie !== "detached"
        ) {
          assert.equal(outcome, "ok", where);
          assert.equal(result, 4, where);
          const v = new DataView(output.whole!.buffer, output.start, 4).getUint32(0, true);
          assert.equal(v, PENDING, where);
        }
        if ((code === FIONREAD || code === SIOCATMARK) && outBytes < 4 && !isWindows) {
          if (target !== closed) assert.notEqual(outcome, "ok", where);
        }
        if (
          !isWindows && typeof code === "number" && Number.isInteger(code) && code >= 0 &&
          code < 2 ** 32 && !TRANSLATED.includes(code) && target !== closed &&
          (input.view === null || input.view === undefined || ArrayBuffer.isView(input.view)) &&
          input.lie !== "detached" && output.lie !== "detached"
        ) {
          assert.equal(outcome, "UnsupportedError", where);
        }
      }
    } finally {
      for (const s of [peer, client, server, udp]) s.close();
    }
    const ms = Date.now() - started;
    console.log(
      `fuzz ${native.runtime}/${native.os}: ${ITERATIONS} calls in ${ms} ms, seed ${SEED}: ${
        JSON.stringify(counts)
      }`,
    );
    assert.ok((counts.ok ?? 0) > 0);
  });
});
