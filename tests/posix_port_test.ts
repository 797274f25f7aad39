// The POSIX port on a recording fake libc (tests/_helpers/fake_loader.ts): which native calls it
// makes, with which arguments, on Linux, macOS and FreeBSD and on CPUs this machine is not. Pure:
// runs anywhere, under Deno, Bun and Node.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONBIO, FIONREAD, SIOCATMARK } from "../codes/mod.ts";
import { createPosixPort } from "../ffi/posix.ts";
import { fakeLoader } from "./_helpers/fake_loader.ts";

describe("POSIX port: handles", () => {
  test("a handle outside 0..2^31-1 fails with WSAENOTSOCK before any native call", () => {
    const fake = fakeLoader("linux", "x86_64");
    const port = createPosixPort(fake.loader);
    assert.equal(port.maxHandle, 0x7fffffffn);
    const addr = new Uint8Array(28);
    const sin = new Uint8Array([2, 0, 0, 80, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const len = new Int32Array(1);
    const buf = new Uint8Array(4);
    const value = new Float64Array(1);
    for (const bad of [2n ** 32n + 3n, 2n ** 31n, -1n, 2n ** 64n - 1n]) {
      const calls: [string, () => number | bigint][] = [
        ["close", () => port.close(bad)],
        ["bind", () => port.bind(bad, sin)],
        ["connect", () => port.connect(bad, sin)],
        ["listen", () => port.listen(bad, 1)],
        ["accept", () => port.accept(bad, addr, len)],
        ["send", () => port.send(bad, buf, 4, 0)],
        ["recv", () => port.recv(bad, buf, 4, 0)],
        ["sendTo", () => port.sendTo(bad, buf, 4, 0, sin)],
        ["recvFrom", () => port.recvFrom(bad, buf, 4, 0, addr, len)],
        ["localName", () => port.localName(bad, addr, len)],
        ["peerName", () => port.peerName(bad, addr, len)],
        ["setOption", () => port.setOption(bad, "keepAlive", 1)],
        ["getOption", () => port.getOption(bad, "type", value)],
        ["FIONREAD", () => port.wsaIoctl(bad, FIONREAD, null, 0, buf, 4)],
        ["FIONBIO", () => port.wsaIoctl(bad, FIONBIO, buf, 4, null, 0)],
        ["SIOCATMARK", () => port.wsaIoctl(bad, SIOCATMARK, null, 0, buf, 4)],
      ];
      for (const [name, call] of calls) {
        assert.equal(Number(call()), -1, `${name}(${bad}n)`);
        assert.equal(port.lastError(), 10038, `${name}(${bad}n)`);
      }
    }
    assert.deepEqual(fake.names(), []);
  });
});
