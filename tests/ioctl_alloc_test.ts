// The generic ioctl() on a caller's own view allocates nothing per call: a FIONREAD polling loop
// with a Uint32Array (or a DataView) may call it freely, as it may call bytesAvailable. Read as
// the heap's growth over 10^4 calls after a warm-up and a full collection, nothing collected in
// between (the amount a young generation holds without a collection). Before, each call made an
// array of the view's extent (80 bytes under V8), and under Bun every engine getter read through
// a bound `call` (about 300 bytes each, 2.5 kB per ioctl) — `npm run bench` showed both. What
// the FFI itself allocates per native call (node:ffi does) is measured and not counted. The POSIX
// layer's other polled paths are held to the same: tcpInfo into a view, the socket check of a
// handle the layer did not open, the TX stamp poll on an empty queue.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONREAD } from "../codes/mod.ts";
import { ioctl } from "../ioctl.ts";
import { nativeApi, nativeLoader } from "../ffi/select.ts";
import { libcNames } from "../ffi/_types.ts";
import { LIBC, LIBC_AT } from "../ffi/libc.ts";
import { bytesAvailable, setTimestamping, tcpInfo, txTimestampPoller } from "../sio/mod.ts";
import { TcpInfoV0 } from "../structs/mod.ts";
import { tcpPair, udpPair } from "./_helpers/pair.ts";
import { collectNow, gcUnavailable, heapReader } from "./_helpers/gc.ts";

const CALLS = 10_000;
/** Far below one allocation per call (the smallest JS object is 16 bytes), above block noise. */
const LIMIT = 8;

/**
 * What the FFI itself allocates per call, which wsioctl's share is measured beyond. On Windows:
 * the native layer's own WSAIoctl(FIONREAD) (nothing through Deno's, Bun's and koffi's FFI). On
 * Linux and macOS: a libc call of `arity` arguments (`LIBC_AT`'s ioctl: 3, getsockopt: 5), all
 * numbers (fd -1: EBADF before the kernel looks at a pointer) — nothing, but node:ffi (Node 26)
 * gathers more than three arguments into an array (88 bytes for five). node:ffi also converts
 * each buffer argument to a new bigint (24 bytes): the native layer passes its own scratch
 * buffers' addresses instead, and before it did, FIONREAD allocated 24 bytes per call, SIO_TCP_INFO
 * and the socket check of a handle the layer did not open 48 more than this.
 */
async function ffiShare(h: bigint, arity: 3 | 5): Promise<number> {
  const loader = nativeLoader();
  if (loader.os === "windows") {
    const native = nativeApi();
    const out = new Uint8Array(4);
    return Math.max(0, await leastPerCall(() => native.wsaIoctl(h, FIONREAD, null, 0, out, 4)));
  }
  const { ioctl, getsockopt } = loader.open(libcNames(loader.os).names, LIBC_AT);
  const call = arity === 3 ? () => ioctl(-1, 0n, 0n) : () => getsockopt(-1, 0, 0, 0n, 0n);
  return Math.max(0, await leastPerCall(call));
}

/** Bytes the heap grew per call of `f`. */
async function perCall(f: () => number): Promise<number> {
  const used = await heapReader();
  let sink = 0;
  for (let i = 0; i < CALLS; i++) sink ^= f();
  for (let i = 0; i < CALLS; i++) sink ^= f();
  collectNow();
  collectNow();
  const before = used();
  for (let i = 0; i < CALLS; i++) sink ^= f();
  const grown = used() - before;
  assert.notEqual(sink, 0.5);
  return grown / CALLS;
}

/**
 * The least of three readings of {@link perCall}: an allocation made on every call shows in each,
 * while the engine's own work while it optimizes a path (seen under Node 26: up to 24 bytes per
 * call in one reading of ten) shows in one.
 */
async function leastPerCall(f: () => number): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 3; i++) least = Math.min(least, await perCall(f));
  return least;
}

describe("FIONREAD polling allocates nothing per call", { skip: gcUnavailable() }, () => {
  test("the measure sees a 1-element array per call", async () => {
    const ring: number[][] = new Array(1024);
    let next = 0;
    const bytes = await perCall(() => (ring[next++ & 1023] = [next]).length);
    assert.ok(bytes >= 16, `an array per call read as ${bytes} bytes`);
  });

  for (
    const [name, out] of [
      ["Uint32Array", new Uint32Array(1)],
      ["Uint8Array", new Uint8Array(4)],
      ["DataView", new DataView(new ArrayBuffer(4))],
    ] as const
  ) {
    test(`ioctl(socket, FIONREAD, null, ${name})`, async () => {
      using pair = tcpPair();
      pair.client.send(new Uint8Array(3));
      while (bytesAvailable(pair.peer) < 3) { /* the bytes are on their way */ }
      assert.equal(ioctl(pair.peer, FIONREAD, null, out), 4);
      const floor = await ffiShare(pair.peer.handle, 3);
      const bytes = await leastPerCall(() => ioctl(pair.peer, FIONREAD, null, out));
      assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the FFI's share: ${floor})`);
      assert.equal(new DataView(out.buffer).getUint32(0, true), 3);
    });
  }

  test("bytesAvailable(socket)", async () => {
    using pair = tcpPair();
    const floor = await ffiShare(pair.peer.handle, 3);
    const bytes = await leastPerCall(() => bytesAvailable(pair.peer));
    assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the FFI's share: ${floor})`);
  });
});

const windows = nativeLoader().os === "windows";

describe("the POSIX layer's other polled paths allocate nothing beyond the FFI's call", {
  skip: gcUnavailable() ?? (windows ? "the POSIX layer's paths" : undefined),
}, () => {
  test("tcpInfo(socket, 0, into)", async () => {
    using pair = tcpPair();
    const into = TcpInfoV0.alloc();
    assert.equal(tcpInfo(pair.peer, 0, into), into);
    const floor = await ffiShare(pair.peer.handle, 5);
    const bytes = await leastPerCall(() => tcpInfo(pair.peer, 0, into) === into ? 1 : 0);
    assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the FFI's share: ${floor})`);
    assert.equal(into.state, 4); // TCPSTATE.ESTABLISHED: the calls really ran
  });

  test("bytesAvailable(h) on a socket the layer did not open (the socket check)", async () => {
    const loader = nativeLoader();
    const libc = loader.open(libcNames(loader.os).names, LIBC);
    const fd = libc.socket(2, 1, 0); // AF_INET, SOCK_STREAM: not among the layer's own
    assert.ok(fd >= 0);
    try {
      const h = BigInt(fd);
      assert.equal(bytesAvailable(h), 0);
      // The FFI's share: the check's getsockopt and the FIONREAD ioctl.
      const floor = (await ffiShare(h, 5)) + (await ffiShare(h, 3));
      const bytes = await leastPerCall(() => bytesAvailable(h) + 1);
      assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the FFI's share: ${floor})`);
    } finally {
      libc.close(fd);
    }
  });

  test("txTimestampPoller(socket).poll(id) on an empty error queue (Linux)", {
    skip: nativeLoader().os === "linux" ? undefined : "TX stamps from the error queue: Linux",
  }, async () => {
    using pair = udpPair();
    setTimestamping(pair.a, { rx: false, tx: true });
    const poller = txTimestampPoller(pair.a);
    assert.equal(poller.poll(7), undefined); // nothing sent: no stamp
    const floor = await ffiShare(pair.a.handle, 3); // recvmsg: 3 arguments
    const bytes = await leastPerCall(() => poller.poll(7) === undefined ? 1 : 0);
    assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the FFI's share: ${floor})`);
  });
});
