// POSIX-only behaviour of the native port on real descriptors (pipes, files, sockets, child
// processes), through the public API where one exists. Runs on Linux under Deno, Bun and Node
// (koffi); skipped on Windows. The /proc checks are Linux-only.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONREAD } from "../codes/mod.ts";
import { getPort } from "../ffi/port.ts";
import { ioctl, type Socket } from "../socket.ts";
import { tcpPair } from "./_helpers/pair.ts";

const port = getPort();
const posix = port.os !== "windows";

/** Waits (bounded) until FIONREAD on `s` reports at least `n`. */
function waitReadable(s: Socket, n: number): number {
  const out = new Uint32Array(1);
  const deadline = Date.now() + 2000;
  do {
    ioctl(s, FIONREAD, null, out);
    if (out[0] >= n) return out[0];
  } while (Date.now() < deadline);
  return out[0];
}

describe(`POSIX descriptors on ${port.runtime}/${port.os}`, { skip: !posix }, () => {
  test("a handle beyond a C int is never cut down to a descriptor", () => {
    assert.equal(port.maxHandle, 0x7fffffffn);
    const p = tcpPair();
    try {
      p.client.send(new Uint8Array(5));
      assert.equal(waitReadable(p.peer, 5), 5);
      const h = p.peer.handle;
      const out = new Uint32Array([0xdeadbeef]);
      for (const alias of [2n ** 32n + h, 2n ** 63n + h, 2n ** 64n - 2n ** 32n + h]) {
        // The public call refuses it (socket.ts checks maxHandle): never FIONREAD of the real
        // socket.
        assert.throws(() => ioctl(alias, FIONREAD, null, out), RangeError);
        assert.equal(out[0], 0xdeadbeef);
      }
      // The port itself (defence in depth): every method, WSAENOTSOCK.
      const alias = 2n ** 32n + h;
      const value = new Float64Array(1);
      const addr = new Uint8Array(28);
      const len = new Int32Array(1);
      const calls: [string, () => number | bigint][] = [
        ["wsaIoctl", () => port.wsaIoctl(alias, FIONREAD, null, 0, new Uint8Array(4), 4)],
        ["getOption", () => port.getOption(alias, "type", value)],
        ["setOption", () => port.setOption(alias, "noDelay", 1)],
        ["recv", () => port.recv(alias, new Uint8Array(1), 1, 2)],
        ["send", () => port.send(alias, new Uint8Array(1), 1, 0)],
        ["localName", () => port.localName(alias, addr, len)],
        ["peerName", () => port.peerName(alias, addr, len)],
        ["listen", () => port.listen(alias, 1)],
        ["accept", () => port.accept(alias, addr, len)],
        ["close", () => port.close(alias)],
      ];
      for (const [name, call] of calls) {
        assert.equal(Number(call()), -1, name);
        assert.equal(port.lastError(), 10038, name);
      }
      for (const bad of [-1n, 2n ** 31n, 2n ** 64n - 1n]) {
        assert.equal(port.close(bad), -1);
        assert.equal(port.lastError(), 10038);
      }
      // The real socket survived all of that, its 5 bytes unread.
      assert.equal(ioctl(p.peer, FIONREAD, null, out), 4);
      assert.equal(out[0], 5);
    } finally {
      p.close();
    }
  });
});
