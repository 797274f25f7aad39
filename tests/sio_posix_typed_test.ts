// The typed calls the POSIX native layer translates (setKeepAlive, setUdpConnReset,
// setUdpNetReset) on real Linux sockets, read back with getsockopt: the same code as on Windows,
// with the platform's own units underneath. tests/sio_posix_test.ts covers the translation itself.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedError } from "../errors.ts";
import type { SocketOptionName } from "../ffi/native.ts";
import { nativeApi } from "../ffi/select.ts";
import { setKeepAlive, setUdpConnReset, setUdpNetReset } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { assertWinsock } from "./_helpers/winsock.ts";
import { tcpPair } from "./_helpers/pair.ts";

const native = nativeApi();

/** One of the native layer's socket options of `s`, read with getsockopt. */
function option(s: Socket, name: SocketOptionName): number {
  const out = new Float64Array(1);
  assert.equal(native.getOption(s.handle, name, out), 0, `getsockopt ${name}`);
  return out[0];
}

describe(`typed calls translated on ${native.runtime}/${native.os}`, {
  skip: native.os !== "linux",
}, () => {
  test("setKeepAlive: seconds rounded up, SO_KEEPALIVE on and off", () => {
    using p = tcpPair();
    setKeepAlive(p.client, { enabled: true, timeMs: 5000, intervalMs: 1000 });
    assert.equal(p.client.getOption("keepAlive"), true);
    assert.equal(option(p.client, "keepAliveIdle"), 5);
    assert.equal(option(p.client, "keepAliveInterval"), 1);
    setKeepAlive(p.client.handle, { enabled: true, timeMs: 1, intervalMs: 1500 });
    assert.equal(option(p.client, "keepAliveIdle"), 1);
    assert.equal(option(p.client, "keepAliveInterval"), 2);
    setKeepAlive(p.client, { enabled: false, timeMs: 0, intervalMs: 0 });
    assert.equal(p.client.getOption("keepAlive"), false);
  });

  test("setKeepAlive past Linux's 32767 s: WSAEINVAL naming the typed call", () => {
    using p = tcpPair();
    const e = assertWinsock(
      () => setKeepAlive(p.client, { enabled: true, timeMs: 40_000_000, intervalMs: 1000 }),
      "WSAEINVAL",
    );
    assert.equal(e.code, 10022);
    assert.equal(e.typedCall, "setKeepAlive");
    assert.equal(p.client.getOption("keepAlive"), false, "nothing half-done");
  });

  test("setKeepAlive refused for its interval leaves the idle time as it was too", () => {
    using p = tcpPair();
    setKeepAlive(p.client, { enabled: true, timeMs: 7000, intervalMs: 3000 });
    for (const intervalMs of [32_768_000, 40_000_000, 0xffffffff]) {
      const e = assertWinsock(
        () => setKeepAlive(p.client, { enabled: true, timeMs: 9000, intervalMs }),
        "WSAEINVAL",
      );
      assert.equal(e.typedCall, "setKeepAlive");
      // Read back with getsockopt: TCP_KEEPIDLE, TCP_KEEPINTVL, SO_KEEPALIVE untouched.
      assert.equal(option(p.client, "keepAliveIdle"), 7, `${intervalMs} ms`);
      assert.equal(option(p.client, "keepAliveInterval"), 3);
      assert.equal(p.client.getOption("keepAlive"), true);
    }
  });

  test("setUdpConnReset / setUdpNetReset: false succeeds, true is UnsupportedError", () => {
    using udp = Socket.open("inet", "dgram");
    setUdpConnReset(udp, false);
    setUdpNetReset(udp, false);
    for (
      const [call, fn] of [["setUdpConnReset", setUdpConnReset], [
        "setUdpNetReset",
        setUdpNetReset,
      ]] as const
    ) {
      assert.throws(() => fn(udp, true), (e: unknown) => {
        assert.ok(e instanceof UnsupportedError);
        assert.equal(e.typedCall, call);
        assert.equal(e.platform, "linux");
        return true;
      });
    }
  });
});
