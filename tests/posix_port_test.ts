// The POSIX port on a recording fake libc (tests/_helpers/fake_loader.ts): which native calls it
// makes, with which arguments, on Linux, macOS and FreeBSD and on CPUs this machine is not. Pure:
// runs anywhere, under Deno, Bun and Node.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FIONBIO, FIONREAD, SIOCATMARK } from "../codes/mod.ts";
import { createPosixPort } from "../ffi/posix.ts";
import { type Answer, fakeLoader } from "./_helpers/fake_loader.ts";

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

  test("FIONREAD and FIONBIO ask getsockopt(SO_TYPE) before the ioctl, except on its own sockets", () => {
    const answers: Record<string, Answer> = { socket: 7 };
    const fake = fakeLoader("linux", "x86_64", answers);
    const port = createPosixPort(fake.loader);
    const out = new Uint8Array(4);
    // A descriptor the port did not open: asked first; not a socket → no ioctl at all.
    answers.getsockopt = -1;
    fake.errno.value = 88; // ENOTSOCK
    assert.equal(port.wsaIoctl(9n, FIONREAD, null, 0, out, 4), -1);
    assert.equal(port.lastError(), 10038);
    assert.equal(port.wsaIoctl(9n, FIONBIO, new Uint8Array([1, 0, 0, 0]), 4, null, 0), -1);
    assert.equal(port.lastError(), 10038);
    fake.errno.value = 9; // EBADF
    assert.equal(port.wsaIoctl(9n, FIONREAD, null, 0, out, 4), -1);
    assert.equal(port.lastError(), 10038);
    assert.deepEqual(fake.names(), ["getsockopt", "getsockopt", "getsockopt"]);
    assert.deepEqual(fake.calls[0].args.slice(0, 3), [9, 1, 3]); // fd, SOL_SOCKET, SO_TYPE
    // A socket: asked, then the ioctl.
    answers.getsockopt = 0;
    fake.calls.length = 0;
    assert.equal(port.wsaIoctl(9n, FIONREAD, null, 0, out, 4), 4);
    assert.deepEqual(fake.names(), ["getsockopt", "ioctl"]);
    assert.deepEqual(fake.calls[1].args.slice(0, 2), [9, 0x541bn]);
    // Its own socket: the ioctl alone (the FIONREAD polling path), until it is closed.
    assert.equal(port.socket(2, 1, 0), 7n);
    fake.calls.length = 0;
    assert.equal(port.wsaIoctl(7n, FIONREAD, null, 0, out, 4), 4);
    assert.equal(port.wsaIoctl(7n, FIONBIO, new Uint8Array([1, 0, 0, 0]), 4, null, 0), 0);
    assert.deepEqual(fake.names(), ["ioctl", "ioctl"]);
    assert.equal(port.close(7n), 0);
    fake.calls.length = 0;
    assert.equal(port.wsaIoctl(7n, FIONREAD, null, 0, out, 4), 4);
    assert.deepEqual(fake.names(), ["getsockopt", "ioctl"]);
  });
});
