// Who holds a handle, under Wine (whose SIO_ADDRESS_LIST_CHANGE really waits): closing a borrowed
// Socket settles the waits started through it with SocketClosedError, cancelling its own operations
// only (the owner's wait, a wait on the raw handle and the runtime's own I/O go on, the handle stays
// open); socket.release() settles the Socket's waits the same way without closing the handle; an
// aborted wait settles. deno.exe and bun.exe.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SIO_ADDRESS_LIST_CHANGE } from "../../codes/mod.ts";
import { SocketClosedError, WinsockError } from "../../errors.ts";
import { nativeApi } from "../../ffi/select.ts";
import { handleOf } from "../../runtime.ts";
import { ioctlAsync } from "../../ioctl_async.ts";
import { Socket } from "../../socket.ts";
import { addressListChange, addressListChanges } from "../../sio/notify.ts";
import { tracked } from "../_helpers/settle.ts";
import { waitUntil } from "../_helpers/runtime_sockets.ts";

const native = nativeApi();
const LOCAL = "127.0.0.1";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const option = new Float64Array(1);
/** Settling at all (not speed: bench/abort_bench.ts measures that). */
const SETTLES = 2000;

/** The rejection of `p`, failing (rather than hanging) when it has not settled in time. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled after ${SETTLES} ms`)), SETTLES);
  });
  try {
    return await Promise.race([p.then(() => assert.fail("expected a rejection"), (e) => e), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts a SocketClosedError named after `call`, settled at all. */
async function closedWith(p: Promise<unknown>, call: string): Promise<void> {
  const e = await rejection(p);
  assert.ok(e instanceof SocketClosedError, String(e));
  assert.match(e.message, new RegExp(`^${call}: socket is closed`));
}

/** A datagram from a fresh socket to `port`, and back: the socket on `port` still works. */
function echoes(s: Socket): void {
  using peer = Socket.open("inet", "dgram");
  peer.bind(LOCAL, 0);
  peer.sendTo(new Uint8Array([7, 8]), LOCAL, s.localAddress().port);
  const { bytes, from } = s.recvFrom(new Uint8Array(4));
  assert.equal(bytes, 2);
  s.sendTo(new Uint8Array([9]), from.address, from.port);
  assert.equal(peer.recvFrom(new Uint8Array(4)).bytes, 1);
}

interface BunUdp {
  readonly fd: number;
  readonly closed: boolean;
  readonly address: { address: string; port: number };
  send(data: Uint8Array, port: number, address: string): boolean;
  close(): void;
}
declare const Bun: {
  udpSocket(o: {
    hostname: string;
    port: number;
    socket: { data(s: unknown, data: Uint8Array): void };
  }): Promise<BunUdp>;
};
const isBun = typeof Bun !== "undefined";

describe(`a Socket letting go of its handle on ${native.runtime}/${native.os}`, () => {
  test("a borrowed Socket's close() settles its waits; the owner's, the raw one's go on", async () => {
    using owner = Socket.open("inet", "dgram");
    owner.bind(LOCAL, 0);
    const b = Socket.borrow(owner.handle);
    const mine = addressListChange(b);
    const loop = addressListChanges(b).next();
    const stop = new AbortController();
    const owners = tracked(addressListChange(owner, { signal: stop.signal }));
    const raw = tracked(ioctlAsync(owner.handle, SIO_ADDRESS_LIST_CHANGE, null, null, stop));
    await sleep(50);
    b.close();
    await closedWith(mine, "addressListChange");
    await closedWith(loop, "addressListChanges");
    await sleep(100);
    assert.equal(owners.settled(), false, "the owner's wait was cancelled too");
    assert.equal(raw.settled(), false, "the raw handle's wait was cancelled too");
    echoes(owner);
    stop.abort(new Error("done"));
    await assert.rejects(owners.promise, /done/);
    await assert.rejects(raw.promise, /done/);
  });

  test("a runtime's socket, borrowed: close() settles the wait; the runtime still receives", async () => {
    using peer = Socket.open("inet", "dgram");
    peer.bind(LOCAL, 0);
    let h: bigint;
    let port: number;
    let received: () => Promise<number[]>;
    let close: () => void;
    if (isBun) {
      const got: number[] = [];
      const udp = await Bun.udpSocket({
        hostname: LOCAL,
        port: 0,
        socket: { data: (_s, d) => got.push(...d) },
      });
      [h, port, close] = [handleOf(udp), udp.address.port, () => udp.close()];
      received = async () => (await waitUntil(() => got.length > 0, "Bun's datagram"), got);
    } else {
      const udp = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
      const receiving = udp.receive(); // Deno's own read, under way across the borrow and close
      [h, port, close] = [handleOf(udp), (udp.addr as Deno.NetAddr).port, () => udp.close()];
      received = async () => [...(await receiving)[0]];
    }
    try {
      const b = Socket.borrow(h);
      const wait = addressListChange(b);
      await sleep(50);
      b.close();
      await closedWith(wait, "addressListChange");
      assert.equal(native.getOption(h, "type", option), 0, "the runtime's handle was closed");
      peer.sendTo(new Uint8Array([1, 2, 3]), LOCAL, port);
      assert.deepEqual(await received(), [1, 2, 3]);
    } finally {
      close();
    }
  });

  test("release(): the Socket's wait settles, the handle stays open; a raw wait goes on", async () => {
    const s = Socket.open("inet", "dgram");
    s.bind(LOCAL, 0);
    const wait = addressListChange(s);
    const stop = new AbortController();
    const raw = tracked(ioctlAsync(s.handle, SIO_ADDRESS_LIST_CHANGE, null, null, stop));
    await sleep(50);
    const h = s.release();
    await closedWith(wait, "addressListChange");
    using again = Socket.fromHandle(h);
    await sleep(100);
    assert.equal(raw.settled(), false, "the raw handle's wait was cancelled");
    echoes(again);
    again.close();
    // Closing the handle ends the raw wait with its own status.
    const e = await rejection(raw.promise);
    assert.ok(e instanceof WinsockError && e.code === 995, String(e));
  });

  test("an aborted wait settles, over and over (timings: bench/abort_bench.ts)", async () => {
    using s = Socket.open("inet", "dgram");
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      const wait = addressListChange(s, { signal: controller.signal });
      await sleep(2);
      const reason = new Error(`abort ${i}`);
      controller.abort(reason);
      assert.equal(await rejection(wait), reason);
    }
  });
});
