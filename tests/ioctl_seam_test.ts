// The call path (ioctl.ts) over the recording fake of the native layer (the test seam): what
// WSAIoctl is handed — code, input bytes, output length — on any OS, under Deno, Bun and Node.
// Expected bytes are written here from the SDK's layouts, never through the struct views.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  FIONREAD,
  SIO_ADDRESS_LIST_CHANGE,
  SIO_ADDRESS_LIST_QUERY,
  SIO_KEEPALIVE_VALS,
  SIO_TCP_INFO,
} from "../codes/mod.ts";
import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl, socketHandle } from "../ioctl.ts";
import { ioctlAsync } from "../ioctl_async.ts";
import { Socket } from "../socket.ts";
import { type StructView, TcpInfoV0, TcpKeepalive } from "../structs/mod.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";

/** tcp_keepalive (mstcpip.h): ULONG onoff @0, ULONG keepalivetime @4, ULONG keepaliveinterval @8. */
function keepaliveBytes(onoff: number, time: number, interval: number): Uint8Array {
  const b = new Uint8Array(12);
  const put = (at: number, v: number) => {
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
    b[at + 2] = (v >>> 16) & 0xff;
    b[at + 3] = (v >>> 24) & 0xff;
  };
  put(0, onoff);
  put(4, time);
  put(8, interval);
  return b;
}

describe("ioctl over the recording fake", () => {
  test("the seam swaps the layer for every caller and restores it", async () => {
    const real = nativeApi();
    const fake = recordingApi();
    await withFake(fake, () => {
      assert.equal(nativeApi(), fake.api);
    });
    assert.equal(nativeApi(), real);
  });

  test("a struct view is passed as its own bytes: code, 12 input bytes, no output", async () => {
    const fake = recordingApi();
    const ka = TcpKeepalive.alloc();
    ka.onOff = 1;
    ka.keepAliveTime = 30_000;
    ka.keepAliveInterval = 1_000;
    const n = await withFake(fake, () => ioctl(0x1234n, SIO_KEEPALIVE_VALS, ka));
    assert.equal(n, 0);
    assert.equal(fake.calls.length, 1);
    const [call] = fake.calls;
    assert.equal(call.handle, 0x1234n);
    assert.equal(call.code, 0x98000004);
    assert.equal(call.inLength, 12);
    assert.deepEqual(call.input, keepaliveBytes(1, 30_000, 1_000));
    assert.equal(call.hasOutput, false);
    assert.equal(call.outLength, 0);
    assert.equal(call.overlapped, false);
  });

  test("a struct view as the output receives what Windows wrote", async () => {
    const fake = recordingApi();
    fake.answer = (_call, output) => {
      // TCP_INFO_v0: TCPSTATE State @0 (4 bytes), ULONG Mss @4.
      output!.set([4, 0, 0, 0, 0xb4, 0x05, 0, 0]);
      return 88;
    };
    const info = TcpInfoV0.alloc();
    const n = await withFake(fake, () => ioctl(8n, SIO_TCP_INFO, new Uint32Array([0]), info));
    assert.equal(n, 88);
    assert.equal(fake.calls[0].outLength, 88);
    assert.deepEqual(fake.calls[0].input, new Uint8Array([0, 0, 0, 0]));
    assert.equal(info.view.getUint32(0, true), 4);
    assert.equal(info.view.getUint32(4, true), 1460);
  });

  test("a struct view over part of a buffer passes only its own bytes", async () => {
    const fake = recordingApi();
    const whole = new Uint8Array(64).fill(0xee);
    const ka = TcpKeepalive.at(whole, 20);
    ka.onOff = 0;
    ka.keepAliveTime = 7;
    ka.keepAliveInterval = 9;
    await withFake(fake, () => ioctl(8n, SIO_KEEPALIVE_VALS, ka));
    assert.deepEqual(fake.calls[0].input, keepaliveBytes(0, 7, 9));
  });

  test("a struct view whose `view` lies is refused before any native call", async () => {
    const fake = recordingApi();
    const liar: StructView = TcpKeepalive.alloc();
    Object.defineProperty(liar, "view", {
      get: () => ({ byteLength: 4096, byteOffset: 0, buffer: new ArrayBuffer(1) }),
    });
    await withFake(fake, () => {
      assert.throws(() => ioctl(8n, SIO_KEEPALIVE_VALS, liar), {
        name: "TypeError",
        message: /input\.view/,
      });
    });
    assert.equal(fake.calls.length, 0);
  });

  test("lengths come from the engine, not from what a view claims", async () => {
    const fake = recordingApi();
    const out = new Uint8Array(4);
    Object.defineProperty(out, "byteLength", { value: 1 << 20 });
    const input = new Uint8Array(2);
    Object.defineProperty(input, "byteLength", { value: 0 });
    await withFake(fake, () => ioctl(8n, FIONREAD, input, out));
    assert.equal(fake.calls[0].inLength, 2);
    assert.equal(fake.calls[0].outLength, 4);
  });

  test("one rule for codes: a negative int32 is its bit pattern", async () => {
    const fake = recordingApi();
    await withFake(fake, () => {
      ioctl(8n, -1744830460, keepaliveBytes(1, 1, 1)); // (int)0x98000004
      ioctl(8n, -1, null, null); // 0xFFFFFFFF
      assert.throws(() => ioctl(8n, -(2 ** 31) - 1), RangeError);
      assert.throws(() => ioctl(8n, 2 ** 32), RangeError);
      assert.throws(() => ioctl(8n, 0.5), TypeError);
    });
    assert.deepEqual(fake.calls.map((c) => c.code), [0x98000004, 0xffffffff]);
  });

  test("a WSA failure is a WinsockError naming the IOCTL", async () => {
    const fake = recordingApi();
    fake.answer = () => ({ error: 10045 });
    const e = await withFake(fake, () => {
      try {
        ioctl(8n, SIO_KEEPALIVE_VALS, keepaliveBytes(1, 1, 1));
      } catch (e) {
        return e;
      }
    });
    assert.ok(e instanceof WinsockError);
    assert.equal(e.code, 10045);
    assert.equal(e.name, "WSAEOPNOTSUPP");
    assert.equal(e.ioctl, "SIO_KEEPALIVE_VALS");
  });

  test("a failure carries the count Winsock reported in bytesReturned (0 when none)", async () => {
    const fake = recordingApi();
    const failure = (answer: { error: number; bytesReturned?: number }) => {
      fake.answer = () => answer;
      return withFake(fake, () => {
        try {
          ioctl(8n, SIO_ADDRESS_LIST_QUERY, null, new Uint8Array(8));
        } catch (e) {
          return e;
        }
      });
    };
    const tooSmall = await failure({ error: 10014, bytesReturned: 504 });
    assert.ok(tooSmall instanceof WinsockError);
    assert.equal(tooSmall.name, "WSAEFAULT");
    assert.equal(tooSmall.bytesReturned, 504);
    const none = await failure({ error: 10045 });
    assert.ok(none instanceof WinsockError);
    assert.equal(none.bytesReturned, 0);
    assert.equal(new WinsockError(10014).bytesReturned, 0);
  });

  test("a Socket opened under the fake reaches it; closed, it never does again", async () => {
    const fake = recordingApi();
    await withFake(fake, () => {
      const s = Socket.open("inet", "dgram");
      assert.equal(socketHandle(s), s.handle);
      ioctl(s, FIONREAD, null, new Uint32Array(1));
      s.close();
      assert.throws(() => ioctl(s, FIONREAD, null, new Uint32Array(1)), SocketClosedError);
    });
    assert.deepEqual(fake.log, ["socket", "wsaIoctl", "close"]);
  });
});

describe("ioctlAsync over the recording fake", () => {
  test("copies go to the overlapped call; the output comes back", async () => {
    const fake = recordingApi("windows");
    fake.answer = (_call, output) => {
      output!.set([1, 2, 3, 4]);
      return 4;
    };
    const out = new Uint8Array(8);
    const n = await withFake(fake, () => ioctlAsync(8n, FIONREAD, new Uint8Array([9]), out));
    assert.equal(n, 4);
    assert.deepEqual(out, new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]));
    const [call] = fake.calls;
    assert.equal(call.overlapped, true);
    assert.deepEqual(call.input, new Uint8Array([9]));
    assert.equal(call.outLength, 8);
  });

  test("an already aborted signal rejects before any native call", async () => {
    const fake = recordingApi("windows");
    const reason = new Error("stop");
    await withFake(fake, async () => {
      await assert.rejects(
        ioctlAsync(8n, FIONREAD, null, null, { signal: AbortSignal.abort(reason) }),
        (e) => e === reason,
      );
    });
    assert.equal(fake.calls.length, 0);
  });

  test("off Windows it is unsupported before any native call", async () => {
    const fake = recordingApi("linux");
    await withFake(fake, async () => {
      await assert.rejects(ioctlAsync(8n, FIONREAD, null, null), UnsupportedError);
    });
    assert.equal(fake.calls.length, 0);
  });

  test("off Windows the two change codes run as a routing-socket watch: 0 bytes, output untouched", async () => {
    const fake = recordingApi("linux");
    fake.answer = () => 0; // the change has happened
    const out = new Uint8Array([7, 7]);
    const n = await withFake(fake, () => ioctlAsync(8n, SIO_ADDRESS_LIST_CHANGE, null, out));
    assert.equal(n, 0);
    assert.deepEqual(out, new Uint8Array([7, 7]));
    assert.deepEqual(fake.log, ["watchChange", "changeSeen", "closeWatch"]);
    assert.equal(fake.calls[0].code, SIO_ADDRESS_LIST_CHANGE);
  });
});
