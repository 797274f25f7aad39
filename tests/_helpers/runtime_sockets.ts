/**
 * Checks shared by the tests of `handleOf` on the runtimes' own sockets (Deno, Bun, Node; Linux
 * and the Windows bed): what a handle's socket says about itself, asked through a borrowed Socket
 * (getsockname, getpeername, SO_TYPE), against what the runtime reports.
 */

import assert from "node:assert/strict";
import { nativeApi } from "../../ffi/select.ts";
import { Socket } from "../../socket.ts";
import type { SocketType } from "../../socket_types.ts";
import { collectGarbage } from "./gc.ts";

/** An address as the test expects it: the runtime's own report. */
export interface Expected {
  address: string;
  port: number;
}

/** IPv4-mapped IPv6 text as IPv4, so that a runtime's and the socket's spellings compare. */
function plain(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * Asserts that `handle` is a socket of `type` whose local address (and peer, when `remote` is
 * given; none when it is null) are the expected ones.
 */
export function assertSocketOf(
  handle: bigint,
  type: SocketType,
  local: Expected,
  remote: Expected | null,
): void {
  using s = Socket.borrow(handle);
  assert.equal(s.getOption("type"), type, `handle ${handle}: SO_TYPE`);
  const mine = s.localAddress();
  assert.deepEqual(
    { address: plain(mine.address), port: mine.port },
    { address: plain(local.address), port: local.port },
    `handle ${handle}: getsockname`,
  );
  if (remote === null) {
    assert.throws(() => s.remoteAddress(), { name: "WSAENOTCONN" }, `handle ${handle}: a peer`);
  } else {
    const peer = s.remoteAddress();
    assert.deepEqual(
      { address: plain(peer.address), port: peer.port },
      { address: plain(remote.address), port: remote.port },
      `handle ${handle}: getpeername`,
    );
  }
}

/** Waits until `ready()` is true (polling every 5 ms), failing after `ms`. */
export async function waitUntil(ready: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The bytes 0, 1, 2, … (mod 256), `n` of them. */
export function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i & 0xff);
}

const option = new Float64Array(1);

/** SO_KEEPALIVE (through a borrowed Socket), TCP_KEEPIDLE and TCP_KEEPINTVL (seconds) of `h`. */
export function keepAliveOf(h: bigint): [boolean, number, number] {
  using s = Socket.borrow(h);
  const native = nativeApi();
  assert.equal(native.getOption(h, "keepAliveIdle", option), 0);
  const idle = option[0];
  assert.equal(native.getOption(h, "keepAliveInterval", option), 0);
  return [s.getOption("keepAlive"), idle, option[0]];
}

/**
 * Borrows `h` three times — closed, disposed (`using`), dropped for the garbage collector — and
 * collects garbage: none of it may close the handle (the caller then checks its socket works).
 */
export async function borrowAndDrop(h: bigint): Promise<void> {
  const b = Socket.borrow(h);
  assert.equal(b.borrowed, true);
  b.close();
  assert.equal(b.closed, true);
  {
    using _b = Socket.borrow(h);
  }
  (() => {
    Socket.borrow(h); // dropped: the collector must not close the handle
  })();
  await collectGarbage();
}
