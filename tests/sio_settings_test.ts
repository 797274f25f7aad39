// sio/settings.ts, sio/handles.ts and sio/backlog.ts over the recording fake of the native layer:
// the code, input bytes and output length each call hands WSAIoctl, byte for byte, and the decoding
// of scripted answers; idealSendBacklogChange's overlapped path (pending, completed, failed through
// the OVERLAPPED, aborted, closed, two at once). The codes are the SDK's values written out, the
// input bytes are written from the SDK's layouts (tests/_helpers/bytes.ts), and the GUIDs from
// mswsock.h's WSAID_* initializers ({Data1, Data2, Data3, {Data4}}), never through the project's
// views or GUID tables. Then, on the real native layer off Windows: the UnsupportedError set.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError, UnsupportedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { le, u32le } from "./_helpers/bytes.ts";
import {
  type IoctlAnswer,
  type RecordedIoctl,
  type RecordingApi,
  recordingApi,
  withFake,
} from "./_helpers/recording_api.ts";

/** What one typed call handed the fake, and what it returned. */
interface Seen<T> {
  call: RecordedIoctl;
  result: T;
}

/**
 * Runs `fn` over a fresh fake whose WSAIoctl writes `reply` into the output (when given) and
 * answers `answer`; asserts exactly one WSAIoctl was made.
 */
async function seen<T>(
  fn: () => T,
  reply: Uint8Array | null = null,
  answer: IoctlAnswer = reply?.length ?? 0,
): Promise<Seen<T>> {
  const fake = recordingApi();
  fake.answer = (_call, output) => {
    if (reply !== null) output!.set(reply);
    return answer;
  };
  const result = await withFake(fake, fn);
  assert.equal(fake.calls.length, 1, "exactly one WSAIoctl");
  return { call: fake.calls[0], result };
}

/** The (code, input, output length) of a recorded WSAIoctl, for one deepEqual. */
function shape(call: RecordedIoctl) {
  return {
    code: `0x${call.code.toString(16).toUpperCase()}`,
    input: call.input === null ? null : [...call.input],
    inLength: call.inLength,
    hasOutput: call.hasOutput,
    outLength: call.outLength,
    overlapped: call.overlapped,
  };
}

/** The shape a synchronous typed call should have handed WSAIoctl. */
function expected(code: number, input: Uint8Array | null, outLength: number) {
  return {
    code: `0x${code.toString(16).toUpperCase()}`,
    input: input === null ? null : [...input],
    inLength: input === null ? 0 : input.length,
    hasOutput: outLength > 0,
    outLength,
    overlapped: false,
  };
}

/** Runs `fn` over a fake answering `error`, and returns what it threw. */
async function failure(fn: () => unknown, error: number): Promise<unknown> {
  const fake = recordingApi();
  fake.answer = () => ({ error });
  return await withFake(fake, async () => {
    try {
      await fn();
    } catch (e) {
      return e;
    }
    assert.fail("expected a failure");
  });
}

/** A GUID's 16 bytes from its SDK initializer {Data1, Data2, Data3, {Data4[0..7]}}. */
function sdkGuid(data1: number, data2: number, data3: number, data4: number[]): Uint8Array {
  assert.equal(data4.length, 8);
  return le(
    16,
    [0, 4, data1],
    [4, 2, data2],
    [6, 2, data3],
    ...data4.map((b, i): [number, 1, number] => [8 + i, 1, b]),
  );
}

// mswsock.h (Windows SDK; the same values in mingw-w64's mswsock.h).
const WSAID: Record<string, Uint8Array> = {
  AcceptEx: sdkGuid(0xb5367df1, 0xcbac, 0x11cf, [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92]),
  ConnectEx: sdkGuid(0x25a207b9, 0xddf3, 0x4660, [0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e]),
  DisconnectEx: sdkGuid(
    0x7fda2e11,
    0x8630,
    0x436f,
    [0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57],
  ),
  GetAcceptExSockaddrs: sdkGuid(
    0xb5367df2,
    0xcbac,
    0x11cf,
    [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92],
  ),
  TransmitFile: sdkGuid(
    0xb5367df0,
    0xcbac,
    0x11cf,
    [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92],
  ),
  TransmitPackets: sdkGuid(
    0xd9689da0,
    0x1f90,
    0x11d3,
    [0x99, 0x71, 0x00, 0xc0, 0x4f, 0x68, 0xc8, 0x76],
  ),
  WSARecvMsg: sdkGuid(0xf689d7c8, 0x6f1f, 0x436b, [0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22]),
  WSASendMsg: sdkGuid(0xa441e712, 0x754f, 0x43ca, [0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d]),
};
// WSAID_WSAPOLL: a real extension GUID that is not one of the eight names.
const WSAID_WSAPOLL = sdkGuid(
  0x18c76f85,
  0xdc66,
  0x4964,
  [0x97, 0x2e, 0x23, 0xc2, 0x72, 0x38, 0x31, 0x2b],
);

describe("sio settings: SIO_UDP_CONNRESET, _NETRESET, _LOOPBACK_FAST_PATH, … over the fake", () => {
  test("setUdpConnReset: SIO_UDP_CONNRESET 0x9800000C, BOOL 0 / 1, no output", async () => {
    const off = await seen(() => sio.setUdpConnReset(9n, false));
    assert.deepEqual(shape(off.call), expected(0x9800000c, u32le(0), 0));
    assert.equal(off.call.handle, 9n);
    assert.equal(off.result, undefined);
    const on = await seen(() => sio.setUdpConnReset(9n, true));
    assert.deepEqual(shape(on.call), expected(0x9800000c, u32le(1), 0));
  });

  test("setUdpNetReset: SIO_UDP_NETRESET 0x9800000F, BOOL 0 / 1, no output", async () => {
    assert.deepEqual(
      shape((await seen(() => sio.setUdpNetReset(9n, false))).call),
      expected(0x9800000f, u32le(0), 0),
    );
    assert.deepEqual(
      shape((await seen(() => sio.setUdpNetReset(9n, true))).call),
      expected(0x9800000f, u32le(1), 0),
    );
  });

  test("setLoopbackFastPath: SIO_LOOPBACK_FAST_PATH 0x98000010, int 1 / 0, no output", async () => {
    assert.deepEqual(
      shape((await seen(() => sio.setLoopbackFastPath(9n, true))).call),
      expected(0x98000010, u32le(1), 0),
    );
    assert.deepEqual(
      shape((await seen(() => sio.setLoopbackFastPath(9n, false))).call),
      expected(0x98000010, u32le(0), 0),
    );
  });

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

/** Lets timers and pending promises run. */
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `p` has settled yet. */
function tracked<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  p.then(() => done = true, () => done = true);
  return { promise: p, settled: () => done };
}

/** A fake whose overlapped WSAIoctls stay pending (WSA_IO_PENDING) until the test settles them. */
function pendingFake(): RecordingApi {
  const fake = recordingApi();
  fake.answer = (call) => call.overlapped ? { error: 997 } : 0;
  return fake;
}

describe("sio backlog: SIO_IDEAL_SEND_BACKLOG_QUERY and _CHANGE", () => {
  const CHANGE = {
    code: "0x2000747A",
    input: null,
    inLength: 0,
    hasOutput: false,
    outLength: 0,
    overlapped: true,
  };

  test("idealSendBacklog: 0x4004747B, no input, ULONG 4 out, unsigned", async () => {
    const { call, result } = await seen(() => sio.idealSendBacklog(9n), u32le(65536));
    assert.deepEqual(shape(call), expected(0x4004747b, null, 4));
    assert.equal(result, 65536);
    assert.equal(
      (await seen(() => sio.idealSendBacklog(9n), u32le(0xffffffff))).result,
      0xffffffff,
    );
  });

  test("idealSendBacklog's refusals hint at a connected stream socket", async () => {
    const e = await failure(() => sio.idealSendBacklog(9n), 10057);
    assert.ok(e instanceof WinsockError);
    assert.equal(e.typedCall, "idealSendBacklog");
    assert.match(e.hint ?? "", /connected stream/);
  });

  test("idealSendBacklogChange: overlapped 0x2000747A, no buffers; completes at once", async () => {
    const { call, result } = await seen(() => sio.idealSendBacklogChange(9n));
    assert.deepEqual(shape(call), CHANGE);
    assert.equal(result, undefined);
  });

  test("idealSendBacklogChange resolves when the pending operation completes", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const wait = tracked(sio.idealSendBacklogChange(9n, {}));
      await tick(20);
      assert.equal(fake.overlapped.length, 1);
      assert.deepEqual(shape(fake.overlapped[0].call), CHANGE);
      assert.equal(wait.settled(), false, "still waiting");
      fake.overlapped[0].complete(0);
      assert.equal(await wait.promise, undefined);
    });
  });

  test("a failure reported only in the OVERLAPPED (Wine's) comes out named after the call", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const wait = sio.idealSendBacklogChange(9n);
      await tick();
      fake.overlapped[0].complete({ error: 10045 });
      await assert.rejects(wait, (e: unknown) => {
        assert.ok(e instanceof WinsockError, String(e));
        assert.equal(e.code, 10045);
        assert.equal(e.name, "WSAEOPNOTSUPP");
        assert.equal(e.typedCall, "idealSendBacklogChange");
        assert.equal(e.ioctl, "SIO_IDEAL_SEND_BACKLOG_CHANGE");
        assert.match(
          e.message,
          /^idealSendBacklogChange: WSAIoctl\(SIO_IDEAL_SEND_BACKLOG_CHANGE\) failed: WSAEOPNOTSUPP/,
        );
        return true;
      });
    });
  });

  test("a failure at once is named too, with the hint", async () => {
    const e = await failure(() => sio.idealSendBacklogChange(9n), 10057);
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.code, 10057);
    assert.equal(e.typedCall, "idealSendBacklogChange");
    assert.match(e.hint ?? "", /connected stream/);
  });

  test("aborting cancels the operation and rejects with the signal's reason", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const controller = new AbortController();
      const wait = sio.idealSendBacklogChange(9n, { signal: controller.signal });
      await tick();
      const reason = new Error("enough");
      controller.abort(reason);
      await assert.rejects(wait, (e) => e === reason);
      assert.equal(fake.overlapped[0].cancelled, true);
      assert.deepEqual(fake.overlapped[0].settled, { error: 995 });
      assert.ok(fake.log.includes("cancelIo"));
    });
  });

  test("a reason that is itself a WinsockError comes back untouched", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const controller = new AbortController();
      const wait = sio.idealSendBacklogChange(9n, { signal: controller.signal });
      await tick();
      const reason = new WinsockError(10060, { call: "mine" });
      controller.abort(reason);
      await assert.rejects(wait, (e) => e === reason);
    });
  });

  test("an already aborted signal rejects with its reason before any native call", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const reason = new Error("before");
      await assert.rejects(
        sio.idealSendBacklogChange(9n, { signal: AbortSignal.abort(reason) }),
        (e) => e === reason,
      );
    });
    assert.equal(fake.calls.length, 0);
  });

  test("closing the Socket settles a pending wait with SocketClosedError naming the call", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const s = Socket.open("inet", "stream");
      const wait = sio.idealSendBacklogChange(s);
      await tick();
      assert.equal(fake.overlapped.length, 1);
      s.close();
      await assert.rejects(wait, (e: unknown) => {
        assert.ok(e instanceof SocketClosedError, String(e));
        assert.match(e.message, /^idealSendBacklogChange: socket is closed/);
        return true;
      });
    });
  });

  test("closing the owner of a raw handle settles with WSA_OPERATION_ABORTED, named", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      const s = Socket.open("inet", "stream");
      const wait = sio.idealSendBacklogChange(s.handle);
      await tick();
      s.close();
      await assert.rejects(wait, (e: unknown) => {
        assert.ok(e instanceof WinsockError, String(e));
        assert.equal(e.code, 995);
        assert.equal(e.typedCall, "idealSendBacklogChange");
        return true;
      });
    });
  });

  test("two waits on one socket settle each on its own", async () => {
    const fake = pendingFake();
    await withFake(fake, async () => {
      using s = Socket.open("inet", "stream");
      const controller = new AbortController();
      const first = tracked(sio.idealSendBacklogChange(s));
      const second = tracked(sio.idealSendBacklogChange(s, { signal: controller.signal }));
      await tick(20);
      assert.equal(fake.overlapped.length, 2);
      assert.equal(first.settled() || second.settled(), false);
      fake.overlapped[0].complete(0);
      assert.equal(await first.promise, undefined);
      await tick(20);
      assert.equal(second.settled(), false, "the second still waits");
      controller.abort(new Error("second"));
      await assert.rejects(second.promise, /second/);
      assert.equal(fake.overlapped[0].cancelled, false);
      assert.equal(fake.overlapped[1].cancelled, true);
    });
  });

  test("off Windows it rejects with UnsupportedError naming the call, before any native call", async () => {
    const fake = recordingApi("linux");
    await withFake(fake, async () => {
      await assert.rejects(sio.idealSendBacklogChange(9n), (e: unknown) => {
        assert.ok(e instanceof UnsupportedError, String(e));
        assert.equal(e.typedCall, "idealSendBacklogChange");
        assert.equal(e.platform, "linux");
        assert.equal(e.ioctl, "SIO_IDEAL_SEND_BACKLOG_CHANGE");
        assert.match(e.message, /^idealSendBacklogChange: SIO_IDEAL_SEND_BACKLOG_CHANGE/);
        return true;
      });
    });
    assert.deepEqual(fake.log, []);
  });
});

const native = nativeApi();

describe(`sio settings/handles/backlog on the real ${native.os} native layer`, {
  skip: native.os === "windows" ? "Windows runs them in tests/windows/sio_settings_test.ts" : false,
}, () => {
  // Every call of these modules but setUdpConnReset/setUdpNetReset(s, false), which the native
  // layer translates (its own tests prove that).
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
    ["setCpuAffinity", "SIO_CPU_AFFINITY", (s) => sio.setCpuAffinity(s, 0)],
    [
      "extensionFunction",
      "SIO_GET_EXTENSION_FUNCTION_POINTER",
      (s) => sio.extensionFunction(s, "AcceptEx"),
    ],
    ["baseHandle", "SIO_BASE_HANDLE", (s) => sio.baseHandle(s)],
    ["bspHandle", "SIO_BSP_HANDLE", (s) => sio.bspHandle(s)],
    ["bspHandle", "SIO_BSP_HANDLE_SELECT", (s) => sio.bspHandle(s, "select")],
    ["bspHandle", "SIO_BSP_HANDLE_POLL", (s) => sio.bspHandle(s, "poll")],
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
