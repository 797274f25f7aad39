// sio/settings.ts and sio/handles.ts over the recording fake of the native layer: the code, input
// bytes and output length each call hands WSAIoctl, byte for byte, and the decoding of scripted
// answers. The codes are the SDK's values written out, the input bytes are written from the SDK's
// layouts (tests/_helpers/bytes.ts), and the GUIDs from mswsock.h's WSAID_* initializers
// ({Data1, Data2, Data3, {Data4}}), never through the project's views or GUID tables. Then, on the
// real native layer off Windows: every call of settings.ts, handles.ts and backlog.ts throws
// UnsupportedError naming it (sio_backlog_test.ts has backlog.ts over the fake).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { le, u32le } from "./_helpers/bytes.ts";
import { expected, failure, seen, shape } from "./_helpers/sio_record.ts";

/** A GUID's 16 bytes from its SDK initializer {Data1, Data2, Data3, {Data4[0..7]}}. */
function sdkGuid(data1: number, data2: number, data3: number, data4: string): Uint8Array {
  assert.match(data4, /^[0-9a-f]{16}$/);
  const bytes = [...data4.matchAll(/../g)].map(([b]) => parseInt(b, 16));
  return le(
    16,
    [0, 4, data1],
    [4, 2, data2],
    [6, 2, data3],
    ...bytes.map((b, i): [number, 1, number] => [8 + i, 1, b]),
  );
}

// mswsock.h (Windows SDK; the same values in mingw-w64's mswsock.h), Data4 written as its 8 bytes.
const WSAID: Record<string, Uint8Array> = {
  AcceptEx: sdkGuid(0xb5367df1, 0xcbac, 0x11cf, "95ca00805f48a192"),
  ConnectEx: sdkGuid(0x25a207b9, 0xddf3, 0x4660, "8ee976e58c74063e"),
  DisconnectEx: sdkGuid(0x7fda2e11, 0x8630, 0x436f, "a031f536a6eec157"),
  GetAcceptExSockaddrs: sdkGuid(0xb5367df2, 0xcbac, 0x11cf, "95ca00805f48a192"),
  TransmitFile: sdkGuid(0xb5367df0, 0xcbac, 0x11cf, "95ca00805f48a192"),
  TransmitPackets: sdkGuid(0xd9689da0, 0x1f90, 0x11d3, "997100c04f68c876"),
  WSARecvMsg: sdkGuid(0xf689d7c8, 0x6f1f, 0x436b, "8a53e54fe351c322"),
  WSASendMsg: sdkGuid(0xa441e712, 0x754f, 0x43ca, "84a70dee44cf606d"),
};
// WSAID_WSAPOLL: a real extension GUID that is not one of the eight names.
const WSAID_WSAPOLL = sdkGuid(0x18c76f85, 0xdc66, 0x4964, "972e23c27238312b");

describe("sio settings: SIO_UDP_CONNRESET, _NETRESET, _LOOPBACK_FAST_PATH, … over the fake", () => {
  // The on/off codes: a 4-byte BOOL (an int for SIO_LOOPBACK_FAST_PATH), 1 or 0, no output.
  const FLAGS = [
    ["setUdpConnReset", "SIO_UDP_CONNRESET", 0x9800000c, sio.setUdpConnReset],
    ["setUdpNetReset", "SIO_UDP_NETRESET", 0x9800000f, sio.setUdpNetReset],
    ["setLoopbackFastPath", "SIO_LOOPBACK_FAST_PATH", 0x98000010, sio.setLoopbackFastPath],
  ] as const;
  for (const [name, ioctl, code, call] of FLAGS) {
    test(`${name}: ${ioctl} 0x${code.toString(16).toUpperCase()}, BOOL 1 / 0, no output`, async () => {
      const on = await seen(() => call(9n, true));
      assert.deepEqual(shape(on.call), expected(code, u32le(1), 0));
      assert.equal(on.call.handle, 9n);
      assert.equal(on.result, undefined);
      const off = await seen(() => call(9n, false));
      assert.deepEqual(shape(off.call), expected(code, u32le(0), 0));
    });
  }

  test("setPriorityHint: SIO_SET_PRIORITY_HINT 0x98000018, PRIORITY_HINT 0 / 1 / 2", async () => {
    // winbase.h: IoPriorityHintVeryLow = 0, IoPriorityHintLow, IoPriorityHintNormal.
    for (const [hint, value] of [["veryLow", 0], ["low", 1], ["normal", 2]] as const) {
      assert.deepEqual(
        shape((await seen(() => sio.setPriorityHint(9n, hint))).call),
        expected(0x98000018, le(4, [0, 4, value]), 0),
        hint,
      );
    }
  });

  test("setCompatibilityMode: SIO_SET_COMPATIBILITY_MODE 0x9800012C, BehaviorId @0, TargetOsVersion @4", async () => {
    // WSA_COMPATIBILITY_MODE: WSA_COMPATIBILITY_BEHAVIOR_ID BehaviorId (WsaBehaviorAll 0,
    // WsaBehaviorReceiveBuffering 1, WsaBehaviorAutoTuning 2); ULONG TargetOsVersion. 8 bytes.
    const cases = [
      ["all", 0, 0x06000000],
      ["receiveBuffering", 1, 0x05010000],
      ["autoTuning", 2, 0xffffffff],
    ] as const;
    for (const [behavior, id, target] of cases) {
      const { call } = await seen(() =>
        sio.setCompatibilityMode(9n, { behavior, targetOsVersion: target })
      );
      assert.deepEqual(shape(call), expected(0x9800012c, le(8, [0, 4, id], [4, 4, target]), 0));
    }
  });

  test("setCpuAffinity: SIO_CPU_AFFINITY 0x98000015, a USHORT (2 bytes), no output", async () => {
    for (const n of [0, 3, 0x1234, 0xffff]) {
      assert.deepEqual(
        shape((await seen(() => sio.setCpuAffinity(9n, n))).call),
        expected(0x98000015, le(2, [0, 2, n]), 0),
      );
    }
  });

  test("refusals name the typed call and hint at the reference's preconditions", async () => {
    const cpu = await failure(() => sio.setCpuAffinity(9n, 1), 10022);
    assert.ok(cpu instanceof WinsockError, String(cpu));
    assert.equal(cpu.code, 10022);
    assert.equal(cpu.typedCall, "setCpuAffinity");
    assert.equal(cpu.ioctl, "SIO_CPU_AFFINITY");
    assert.match(cpu.message, /^setCpuAffinity: WSAIoctl\(SIO_CPU_AFFINITY\) failed: WSAEINVAL/);
    assert.match(cpu.hint ?? "", /before bind.*UDP.*SO_REUSEADDR/);
    const fast = await failure(() => sio.setLoopbackFastPath(9n, true), 10045);
    assert.ok(fast instanceof WinsockError);
    assert.equal(fast.typedCall, "setLoopbackFastPath");
    assert.match(fast.hint ?? "", /TCP/);
    const early = await failure(() => sio.setLoopbackFastPath(9n, true), 10022);
    assert.ok(early instanceof WinsockError);
    assert.match(early.hint ?? "", /before connect.*before accept/);
    const hint = await failure(() => sio.setPriorityHint(9n, "low"), 10045);
    assert.ok(hint instanceof WinsockError);
    assert.match(hint.hint ?? "", /1809/);
    // No precondition known for these: no hint, the call still named.
    const reset = await failure(() => sio.setUdpConnReset(9n, false), 10038);
    assert.ok(reset instanceof WinsockError);
    assert.equal(reset.name, "WSAENOTSOCK");
    assert.equal(reset.typedCall, "setUdpConnReset");
    assert.equal(reset.hint, undefined);
  });
});

describe("sio handles: SIO_GET_EXTENSION_FUNCTION_POINTER, SIO_BASE_HANDLE, SIO_BSP_HANDLE*", () => {
  const pointer = le(8, [0, 8, 0x00007ffd12345678n]);

  for (const [name, guid] of Object.entries(WSAID)) {
    test(`extensionFunction("${name}"): 0xC8000006, its GUID's 16 bytes, pointer 8 out`, async () => {
      const { call, result } = await seen(() => sio.extensionFunction(9n, name), pointer);
      assert.deepEqual(shape(call), expected(0xc8000006, guid, 8));
      assert.equal(result, 0x00007ffd12345678n);
    });
  }

  test("extensionFunction takes GUID text: braces optional, any case", async () => {
    for (
      const text of [
        "{25a207b9-ddf3-4660-8ee9-76e58c74063e}",
        "25A207B9-DDF3-4660-8EE9-76E58C74063E",
      ]
    ) {
      const { call } = await seen(() => sio.extensionFunction(9n, text), pointer);
      assert.deepEqual(shape(call), expected(0xc8000006, WSAID.ConnectEx, 8), text);
    }
  });

  test("a well-formed GUID outside the eight goes to Winsock, whose WSAEINVAL is named", async () => {
    const text = "{18C76F85-DC66-4964-972E-23C27238312B}"; // WSAID_WSAPOLL
    const { call } = await seen(() => sio.extensionFunction(9n, text), pointer);
    assert.deepEqual(shape(call), expected(0xc8000006, WSAID_WSAPOLL, 8));
    const e = await failure(
      () => sio.extensionFunction(9n, "{00000000-0000-0000-0000-000000000001}"),
      10022,
    );
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.typedCall, "extensionFunction");
    assert.equal(e.ioctl, "SIO_GET_EXTENSION_FUNCTION_POINTER");
    assert.match(e.hint ?? "", /GUID/);
  });

  test("baseHandle: SIO_BASE_HANDLE 0x48000022, no input, SOCKET 8 out, unsigned", async () => {
    const { call, result } = await seen(() => sio.baseHandle(9n), le(8, [0, 8, 0x1234n]));
    assert.deepEqual(shape(call), expected(0x48000022, null, 8));
    assert.equal(result, 0x1234n);
    const high = await seen(() => sio.baseHandle(9n), le(8, [0, 8, 0xfffffffffffffff0n]));
    assert.equal(high.result, 0xfffffffffffffff0n);
  });

  test("bspHandle: send 0x4800001B (default), select 0x4800001C, poll 0x4800001D; never overlapped", async () => {
    const codes = [[undefined, 0x4800001b], ["send", 0x4800001b], ["select", 0x4800001c], [
      "poll",
      0x4800001d,
    ]] as const;
    for (const [kind, code] of codes) {
      const { call, result } = await seen(() => sio.bspHandle(9n, kind), le(8, [0, 8, 0x2a0n]));
      assert.deepEqual(shape(call), expected(code, null, 8), String(kind));
      assert.equal(result, 0x2a0n);
    }
  });
});

const native = nativeApi();

describe(`sio settings/handles/backlog on the real ${native.os} native layer`, {
  skip: native.os === "windows" ? "Windows runs them in tests/windows/sio_settings_test.ts" : false,
}, () => {
  // Every call of these modules but setUdpConnReset/setUdpNetReset(s, false), setCpuAffinity,
  // baseHandle and bspHandle, which the native layer translates (sio_posix_test.ts and
  // sio_portable_linux_test.ts prove those).
  const UNSUPPORTED: [string, string, (s: Socket) => unknown][] = [
    ["setUdpConnReset", "SIO_UDP_CONNRESET", (s) => sio.setUdpConnReset(s, true)],
    ["setUdpNetReset", "SIO_UDP_NETRESET", (s) => sio.setUdpNetReset(s, true)],
    ["setLoopbackFastPath", "SIO_LOOPBACK_FAST_PATH", (s) => sio.setLoopbackFastPath(s, true)],
    ["setPriorityHint", "SIO_SET_PRIORITY_HINT", (s) => sio.setPriorityHint(s, "veryLow")],
    [
      "setCompatibilityMode",
      "SIO_SET_COMPATIBILITY_MODE",
      (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: 0x06000000 }),
    ],
    [
      "extensionFunction",
      "SIO_GET_EXTENSION_FUNCTION_POINTER",
      (s) => sio.extensionFunction(s, "AcceptEx"),
    ],
    ["idealSendBacklog", "SIO_IDEAL_SEND_BACKLOG_QUERY", (s) => sio.idealSendBacklog(s)],
    [
      "idealSendBacklogChange",
      "SIO_IDEAL_SEND_BACKLOG_CHANGE",
      (s) => sio.idealSendBacklogChange(s),
    ],
  ];

  for (const [name, ioctl, call] of UNSUPPORTED) {
    test(`${name} (${ioctl}) throws UnsupportedError naming the call and ${native.os}`, async () => {
      using s = Socket.open("inet", name.startsWith("set") ? "dgram" : "stream");
      let caught: unknown;
      try {
        await call(s);
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof UnsupportedError, `${name}: ${caught}`);
      assert.equal(caught.typedCall, name);
      assert.equal(caught.ioctl, ioctl);
      assert.equal(caught.platform, native.os);
      assert.match(caught.message, new RegExp(`^${name}: ${ioctl} .*unsupported on ${native.os}`));
      // The socket is untouched and still works.
      assert.equal(s.closed, false);
      assert.equal(sio.bytesAvailable(s), 0);
    });
  }
});
