// The generic ioctl() on a caller's own view allocates nothing per call: a FIONREAD polling loop
// with a Uint32Array (or a DataView) may call it freely, as it may call bytesAvailable. Read as
// the heap's growth over 10^4 calls after a warm-up and a full collection, nothing collected in
// between (the amount a young generation holds without a collection). Before, each call made an
// array of the view's extent (80 bytes under V8), and under Bun every engine getter read through
// a bound `call` (about 300 bytes each, 2.5 kB per ioctl) — `npm run bench` showed both. What
// the FFI itself allocates per native call (node:ffi does) is measured and not counted.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONREAD } from "../codes/mod.ts";
import { ioctl } from "../ioctl.ts";
import { nativeApi, nativeLoader } from "../ffi/select.ts";
import { libcNames } from "../ffi/_types.ts";
import { LIBC, LIBC_GETSOCKOPT_AT } from "../ffi/libc.ts";
import { bytesAvailable, tcpInfo } from "../sio/mod.ts";
import { TcpInfoV0 } from "../structs/mod.ts";
import { tcpPair } from "./_helpers/pair.ts";
import { collectNow, gcUnavailable, heapReader } from "./_helpers/gc.ts";

const CALLS = 10_000;
/** Far below one allocation per call (the smallest JS object is 16 bytes), above block noise. */
const LIMIT = 8;

/**
 * What the native layer's own WSAIoctl(FIONREAD) allocates per call: nothing through Deno's,
 * Bun's and koffi's FFI, but node:ffi (Node 26) boxes a 64-bit argument on every call (24 bytes,
 * the same for a raw node:ffi call of libc's ioctl: `npm run bench` shows it). wsioctl's own
 * share is what a call allocates beyond it.
 */
async function nativeShare(h: bigint): Promise<number> {
  const native = nativeApi();
  const out = new Uint8Array(4);
  return Math.max(0, await perCall(() => native.wsaIoctl(h, FIONREAD, null, 0, out, 4)));
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
      const floor = await nativeShare(pair.peer.handle);
      const bytes = await leastPerCall(() => ioctl(pair.peer, FIONREAD, null, out));
      assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the native call: ${floor})`);
      assert.equal(new DataView(out.buffer).getUint32(0, true), 3);
    });
  }

  test("bytesAvailable(socket)", async () => {
    using pair = tcpPair();
    const floor = await nativeShare(pair.peer.handle);
    const bytes = await leastPerCall(() => bytesAvailable(pair.peer));
    assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the native call: ${floor})`);
  });
});

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

/**
 * What the FFI itself allocates per call of a function of getsockopt's arity (five arguments,
 * all numbers): nothing through Deno's, Bun's and koffi's FFI; node:ffi (Node 26) gathers more
 * than three arguments into an array (88 bytes). Each buffer argument costs node:ffi a new
 * bigint on top (24 bytes), which the native layer avoids by passing its own scratch buffers'
 * addresses: SIO_TCP_INFO and the socket check of a handle the layer did not open allocated 48
 * bytes per call more than this before.
 */
async function fiveArgumentShare(): Promise<number> {
  const loader = nativeLoader();
  const { getsockopt } = loader.open(libcNames(loader.os).names, LIBC_GETSOCKOPT_AT);
  // fd -1: EBADF before the kernel looks at either pointer.
  return Math.max(0, await leastPerCall(() => getsockopt(-1, 0, 0, 0n, 0n)));
}

const windows = nativeLoader().os === "windows";

describe("the POSIX getsockopt paths allocate nothing beyond the FFI's call", {
  skip: gcUnavailable() ?? (windows ? "the POSIX layer's paths" : undefined),
}, () => {
  test("tcpInfo(socket, 0, into)", async () => {
    using pair = tcpPair();
    const into = TcpInfoV0.alloc();
    assert.equal(tcpInfo(pair.peer, 0, into), into);
    const floor = await fiveArgumentShare();
    const bytes = await leastPerCall(() => tcpInfo(pair.peer, 0, into) === into ? 1 : 0);
    assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (a 5-argument call: ${floor})`);
    assert.equal(into.state, 4); // TCPSTATE.ESTABLISHED: the calls really ran
  });

  test("bytesAvailable(h) on a socket the layer did not open (the socket check)", async () => {
    const loader = nativeLoader();
    const libc = loader.open(libcNames(loader.os).names, LIBC);
    using pair = tcpPair();
    const fd = libc.socket(2, 1, 0); // AF_INET, SOCK_STREAM: not among the layer's own
    assert.ok(fd >= 0);
    try {
      const h = BigInt(fd);
      assert.equal(bytesAvailable(h), 0);
      // The FFI's share: the check's getsockopt and the FIONREAD ioctl (measured on a socket of
      // the layer's own, which skips the check).
      const floor = (await fiveArgumentShare()) + (await nativeShare(pair.peer.handle));
      const bytes = await leastPerCall(() => bytesAvailable(h) + 1);
      assert.ok(bytes - floor < LIMIT, `${bytes} bytes per call (the native calls: ${floor})`);
    } finally {
      libc.close(fd);
    }
  });
});
