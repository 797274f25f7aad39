// Socket's keepAliveTime, keepAliveInterval (seconds) and keepAliveCount under Wine's ws2_32:
// IPPROTO_TCP (6) TCP_KEEPALIVE = TCP_KEEPIDLE (3), TCP_KEEPINTVL (17), TCP_KEEPCNT (16) of
// ws2ipdef.h, read back here by a getsockopt bound with those numbers written out.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nativeApi, nativeLoader } from "../../ffi/select.ts";
import { setKeepAlive } from "../../sio/mod.ts";
import { Socket } from "../../socket.ts";

const native = nativeApi();

/** getsockopt(s, level, name) of one C int through ws2_32.dll, with no wsioctl table. */
function getsockopt(s: Socket, level: number, name: number): number {
  const ws2 = nativeLoader().open(["ws2_32.dll"], {
    // SOCKET s, int level, int optname, char* optval, int* optlen
    getsockopt: { parameters: ["u64", "i32", "i32", "buffer", "buffer"], result: "i32" },
  });
  const value = new Int32Array(1);
  const length = new Int32Array([4]);
  assert.equal(ws2.getsockopt(s.handle, level, name, value, length), 0);
  return value[0];
}

describe(`keep-alive options on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test("set through Socket, read back by getsockopt(IPPROTO_TCP, 3 / 17 / 16)", () => {
    using s = Socket.open("inet", "stream");
    s.setOption("keepAliveTime", 75);
    s.setOption("keepAliveInterval", 11);
    s.setOption("keepAliveCount", 4);
    // Wine 10 keeps all three (Windows 10 1709 and later does too).
    assert.deepEqual([getsockopt(s, 6, 3), getsockopt(s, 6, 17), getsockopt(s, 6, 16)], [
      75,
      11,
      4,
    ]);
    assert.deepEqual(
      [
        s.getOption("keepAliveTime"),
        s.getOption("keepAliveInterval"),
        s.getOption("keepAliveCount"),
      ],
      [75, 11, 4],
    );
  });

  test("SIO_KEEPALIVE_VALS sets keepAliveTime and keepAliveInterval", () => {
    using s = Socket.open("inet", "stream");
    setKeepAlive(s, { enabled: true, timeMs: 5000, intervalMs: 2000 });
    // Milliseconds in, whole seconds back: Wine 10 answers the times SIO_KEEPALIVE_VALS set.
    assert.deepEqual([s.getOption("keepAliveTime"), s.getOption("keepAliveInterval")], [5, 2]);
    assert.equal(s.getOption("keepAlive"), true);
  });
});
