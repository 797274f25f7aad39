// The Windows path of the timestamped send and receive, byte for byte, on any OS: the Windows
// native layer (ffi/windows.ts) runs over a recording stand-in for the runtime adapter
// (tests/_helpers/fake_loader.ts), so every ws2_32 call and every call through a function
// pointer is recorded with its arguments, and the memory behind the pointers it writes can be
// read back. Socket.sendTo(…, { timestampId }) and Socket.recvFrom(…, { timestamp: true }) run
// on it through the test seam.
//
// The expected bytes are written here from the SDK (ws2def.h, mswsock.h, mstcpip.h on x64):
// WSAMSG { LPSOCKADDR name @0; INT namelen @8; LPWSABUF lpBuffers @16; ULONG dwBufferCount @24;
// WSABUF Control { ULONG len @32; CHAR* buf @40 }; ULONG dwFlags @48 } (56 bytes);
// WSABUF { ULONG len @0; CHAR* buf @8 } (16); WSACMSGHDR { SIZE_T cmsg_len @0; INT cmsg_level @8;
// INT cmsg_type @12 }, WSA_CMSG_DATA at 16, WSA_CMSG_LEN(4) = 20, WSA_CMSG_SPACE(4) = 24,
// WSA_CMSG_SPACE(8) = 24 (tests/timestamps_c_test.ts proves these against the headers);
// SOL_SOCKET 0xFFFF, SO_TIMESTAMP 0x300A, SO_TIMESTAMP_ID 0x300B;
// SIO_GET_EXTENSION_FUNCTION_POINTER = _WSAIORW(IOC_WS2, 6) = 0xC8000006;
// WSAID_WSASENDMSG {A441E712-754F-43CA-84A7-0DEE44CF606D},
// WSAID_WSARECVMSG {F689D7C8-6F1F-436B-8A53-E54FE351C322}.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { _swapNativeApi } from "../ffi/select.ts";
import { createWindowsApi } from "../ffi/windows.ts";
import { Socket } from "../socket.ts";
import { UnsupportedError } from "../errors.ts";
import { timestampFrequency, timestampNow } from "../clock.ts";
import { guidBytes, le, sockaddrIn, sockaddrIn6 } from "./_helpers/bytes.ts";
import {
  type Answer,
  type FakeLoader,
  fakeLoader,
  type NativeCall,
} from "./_helpers/fake_loader.ts";

const GET_EXTENSION_FUNCTION_POINTER = 0xc8000006;
const SEND_MSG = 0x7ff8_1111_2000n;
const RECV_MSG = 0x7ff8_3333_4000n;
const RECV_MSG_6 = 0x7ff8_5555_6000n;

const WSAID_WSASENDMSG = guidBytes(0xa441e712, 0x754f, 0x43ca, [
  0x84,
  0xa7,
  0x0d,
  0xee,
  0x44,
  0xcf,
  0x60,
  0x6d,
]);
const WSAID_WSARECVMSG = guidBytes(0xf689d7c8, 0x6f1f, 0x436b, [
  0x8a,
  0x53,
  0xe5,
  0x4f,
  0xe3,
  0x51,
  0xc3,
  0x22,
]);

const u64 = (b: Uint8Array, at: number) =>
  new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

interface Bed {
  fake: FakeLoader;
  /** The WSAIoctl calls made (SIO_GET_EXTENSION_FUNCTION_POINTER), with their GUID. */
  ioctls: { code: number; guid: Uint8Array }[];
  run<T>(fn: () => T): T;
}

/**
 * A Windows native layer over the fake adapter: `socket` gives 0x120 (then 0x124, …); the
 * extension-function query answers SEND_MSG / RECV_MSG (RECV_MSG_6 on the second WSARecvMsg
 * query) with 8 bytes; the pointers answer from `answers`. `byName`: the adapter has no
 * `callable`, as node:ffi.
 */
function bed(answers: Record<string, Answer>, byName = false): Bed {
  let next = 0x120n;
  let recvQueries = 0;
  const ioctls: Bed["ioctls"] = [];
  const fake = fakeLoader("windows", "x86_64", {
    socket: () => (next += 4n) - 4n,
    WSAIoctl: (...args: unknown[]) => {
      const input = args[2] as Uint8Array;
      const output = args[4] as Uint8Array;
      const returned = args[6] as Uint32Array;
      ioctls.push({ code: args[1] as number, guid: input.slice(0, args[3] as number) });
      const isRecv = input.slice(0, 16).every((b, i) => b === WSAID_WSARECVMSG[i]);
      const p = isRecv ? (recvQueries++ === 0 ? RECV_MSG : RECV_MSG_6) : SEND_MSG;
      new DataView(output.buffer, output.byteOffset).setBigUint64(0, p, true);
      returned[0] = 8;
      return 0;
    },
    ...answers,
  });
  const api = createWindowsApi(
    byName
      ? { ...fake.loader, ffi: "node:ffi", workerThreads: false, callable: undefined }
      : fake.loader,
  );
  return {
    fake,
    ioctls,
    run<T>(fn: () => T): T {
      const restore = _swapNativeApi(api);
      try {
        return fn();
      } finally {
        restore();
      }
    },
  };
}

const callsOf = (fake: FakeLoader, name: string): NativeCall[] =>
  fake.calls.filter((c) => c.name === name);

describe("WSASendMsg: SO_TIMESTAMP_ID through the extension pointer", () => {
  test("sendTo(…, { timestampId }): the WSAMSG, WSABUF and cmsg bytes handed to WSASendMsg", () => {
    let seen: { msg: Uint8Array; wsabuf: Uint8Array; control: Uint8Array; flags: number } | null =
      null;
    const b = bed({
      [`fn@0x${SEND_MSG.toString(16)}`]: (...args: unknown[]) => {
        const msg = (args[1] as Uint8Array).slice();
        seen ??= {
          msg,
          wsabuf: b.fake.memory.deref(u64(msg, 16), 16).slice(),
          control: b.fake.memory.deref(u64(msg, 40), u32(msg, 32)).slice(),
          flags: args[2] as number,
        };
        assert.equal(args[0], 0x120n, "SOCKET s");
        assert.ok(args[3] instanceof Uint32Array, "LPDWORD lpNumberOfBytesSent");
        assert.equal(args[4], null, "lpOverlapped");
        assert.equal(args[5], null, "lpCompletionRoutine");
        (args[3] as Uint32Array)[0] = 3;
        return 0;
      },
    });
    const data = new Uint8Array(new ArrayBuffer(3));
    data.set([7, 8, 9]);
    const sent = b.run(() => {
      const s = Socket.open("inet", "dgram");
      const n = s.sendTo(data, "10.1.2.3", 4660, { timestampId: 0xfedcba98, dontRoute: true });
      s.sendTo(data, "10.1.2.3", 4660, { timestampId: 1 });
      return n;
    });
    assert.equal(sent, 3);
    // The pointer: fetched once, with WSAID_WSASENDMSG, and bound once.
    assert.deepEqual(b.ioctls, [{ code: GET_EXTENSION_FUNCTION_POINTER, guid: WSAID_WSASENDMSG }]);
    assert.deepEqual(b.fake.bound, [SEND_MSG]);
    assert.equal(callsOf(b.fake, `fn@0x${SEND_MSG.toString(16)}`).length, 2);
    assert.ok(seen !== null);
    const { msg, wsabuf, control, flags } = seen!;
    const namePtr = u64(msg, 0);
    assert.deepEqual(b.fake.memory.deref(namePtr, 16), sockaddrIn([10, 1, 2, 3], 4660), "name");
    const wsabufPtr = u64(msg, 16);
    const controlPtr = u64(msg, 40);
    assert.deepEqual(
      msg,
      le(
        56,
        [0, 8, namePtr], // LPSOCKADDR name
        [8, 4, 16], // INT namelen
        [16, 8, wsabufPtr], // LPWSABUF lpBuffers
        [24, 4, 1], // ULONG dwBufferCount
        [32, 4, 24], // Control.len = WSA_CMSG_SPACE(sizeof(UINT32))
        [40, 8, controlPtr], // Control.buf
        [48, 4, 0], // dwFlags (WSASendMsg takes its flags as a parameter)
      ),
    );
    assert.deepEqual(wsabuf, le(16, [0, 4, 3], [8, 8, b.fake.memory.address(data)]));
    assert.deepEqual(
      control,
      le(
        24,
        [0, 8, 20], // cmsg_len = WSA_CMSG_LEN(sizeof(UINT32))
        [8, 4, 0xffff], // cmsg_level = SOL_SOCKET
        [12, 4, 0x300b], // cmsg_type = SO_TIMESTAMP_ID
        [16, 4, 0xfedcba98], // *(UINT32*)WSA_CMSG_DATA
      ),
    );
    assert.equal(flags, 4, "dwFlags = MSG_DONTROUTE");
  });

  test("send(…, { timestampId }) on a connected socket: no name, the same control bytes", () => {
    let msg: Uint8Array | undefined;
    let control: Uint8Array | undefined;
    const b = bed({
      [`fn@0x${SEND_MSG.toString(16)}`]: (...args: unknown[]) => {
        msg = (args[1] as Uint8Array).slice();
        control = b.fake.memory.deref(u64(msg, 40), 24).slice();
        (args[3] as Uint32Array)[0] = 2;
        return 0;
      },
    });
    const n = b.run(() =>
      Socket.open("inet6", "dgram").send(new Uint8Array(2), { timestampId: 77 })
    );
    assert.equal(n, 2);
    assert.equal(u64(msg!, 0), 0n, "name NULL");
    assert.equal(u32(msg!, 8), 0, "namelen 0");
    assert.deepEqual(control, le(24, [0, 8, 20], [8, 4, 0xffff], [12, 4, 0x300b], [16, 4, 77]));
  });

  test("a refusal is a WinsockError from WSAGetLastError; bad ids send nothing", () => {
    const b = bed({ [`fn@0x${SEND_MSG.toString(16)}`]: -1, WSAGetLastError: 10040 });
    b.run(() => {
      const s = Socket.open("inet", "dgram");
      assert.throws(() => s.sendTo(new Uint8Array(1), "127.0.0.1", 9, { timestampId: 5 }), {
        name: "WSAEMSGSIZE",
        message: /WSASendMsg/,
      });
      const before = b.fake.calls.length;
      for (const id of [-1, 2 ** 32]) {
        assert.throws(() => s.sendTo(new Uint8Array(1), "127.0.0.1", 9, { timestampId: id }), {
          name: "RangeError",
          message: /options\.timestampId/,
        });
      }
      for (const id of [1.5, Number.NaN, "1", 1n]) {
        assert.throws(() => s.send(new Uint8Array(1), { timestampId: id as number }), {
          name: "TypeError",
          message: /options\.timestampId/,
        });
      }
      assert.equal(b.fake.calls.length, before, "no native call for bad input");
    });
  });
});

describe("a loader without callable (node:ffi binds by name only)", () => {
  test("sendTo(…, { timestampId }) goes through ws2_32's exported WSASendMsg: no pointer asked", () => {
    let control: Uint8Array | undefined;
    const b = bed({
      WSASendMsg: (...args: unknown[]) => {
        const msg = args[1] as Uint8Array;
        control = b.fake.memory.deref(u64(msg, 40), u32(msg, 32)).slice();
        assert.equal(args[0], 0x120n, "SOCKET s");
        (args[3] as Uint32Array)[0] = 3;
        return 0;
      },
    }, true);
    const n = b.run(() => {
      const s = Socket.open("inet", "dgram");
      s.sendTo(new Uint8Array(3), "10.1.2.3", 4660, { timestampId: 9 });
      return s.send(new Uint8Array(3), { timestampId: 10 });
    });
    assert.equal(n, 3);
    assert.deepEqual(b.ioctls, [], "no SIO_GET_EXTENSION_FUNCTION_POINTER");
    assert.deepEqual(b.fake.bound, []);
    assert.equal(callsOf(b.fake, "WSASendMsg").length, 2);
    assert.deepEqual(control, le(24, [0, 8, 20], [8, 4, 0xffff], [12, 4, 0x300b], [16, 4, 10]));
  });

  test("recvFrom(…, { timestamp: true }): UnsupportedError naming WSARecvMsg, before any call", () => {
    const b = bed({}, true);
    b.run(() => {
      const s = Socket.open("inet", "dgram");
      const before = b.fake.calls.length;
      assert.throws(() => s.recvFrom(new Uint8Array(8), { timestamp: true }), (e: unknown) => {
        assert.ok(e instanceof UnsupportedError, String(e));
        assert.equal(e.platform, "windows under node:ffi");
        assert.match(e.message, /^WSARecvMsg \(recvFrom with timestamp: true\) is unsupported/);
        assert.match(e.instead ?? "", /no exported name; koffi calls it through its pointer/);
        return true;
      });
      assert.equal(b.fake.calls.length, before, "no native call");
    });
    assert.deepEqual(b.ioctls, []);
  });
});

/** Writes what WSARecvMsg would into the buffers its WSAMSG points at. */
function answerRecv(
  b: () => Bed,
  write: (msg: DataView, control: Uint8Array, name: Uint8Array, data: Uint8Array) => number,
): Answer {
  return (...args: unknown[]) => {
    const msgBytes = args[1] as Uint8Array;
    const msg = new DataView(msgBytes.buffer, msgBytes.byteOffset, 56);
    const mem = b().fake.memory;
    const control = mem.deref(msg.getBigUint64(40, true), msg.getUint32(32, true));
    const name = mem.deref(msg.getBigUint64(0, true), msg.getInt32(8, true));
    const wsabuf = mem.deref(msg.getBigUint64(16, true), 16);
    const w = new DataView(wsabuf.buffer, wsabuf.byteOffset, 16);
    const data = mem.deref(w.getBigUint64(8, true), w.getUint32(0, true));
    (args[2] as Uint32Array)[0] = write(msg, control, name, data);
    return 0;
  };
}

const STAMP = 0x0123_4567_89ab_cdefn;

describe("WSARecvMsg: SO_TIMESTAMP through the extension pointer", () => {
  test("recvFrom(…, { timestamp: true }): the WSAMSG handed over and the parse of SO_TIMESTAMP", () => {
    let handed: Uint8Array | undefined;
    let controlRoom = 0;
    const b: Bed = bed({
      [`fn@0x${RECV_MSG.toString(16)}`]: answerRecv(() => b, (msg, control, name, data) => {
        handed = new Uint8Array(msg.buffer, msg.byteOffset, 56).slice();
        controlRoom = control.length;
        name.set(sockaddrIn([192, 168, 7, 9], 4242));
        msg.setInt32(8, 16, true); // namelen
        data.set([1, 2, 3, 4, 5]);
        // One SO_TIMESTAMP message: WSA_CMSG_LEN(8) = 24.
        control.set(le(24, [0, 8, 24], [8, 4, 0xffff], [12, 4, 0x300a], [16, 8, STAMP]));
        msg.setUint32(32, 24, true); // Control.len
        return 5;
      }),
    });
    const into = new Uint8Array(new ArrayBuffer(64));
    const r = b.run(() => {
      const s = Socket.open("inet", "dgram");
      return s.recvFrom(into, { timestamp: true, peek: true });
    });
    assert.deepEqual(r, {
      bytes: 5,
      from: { family: "inet", address: "192.168.7.9", port: 4242 },
      timestamp: STAMP,
    });
    assert.deepEqual([...into.subarray(0, 5)], [1, 2, 3, 4, 5]);
    assert.deepEqual(b.ioctls, [{ code: GET_EXTENSION_FUNCTION_POINTER, guid: WSAID_WSARECVMSG }]);
    assert.deepEqual(b.fake.bound, [RECV_MSG]);
    const msg = handed!;
    assert.equal(u32(msg, 8), 28, "namelen: room for a sockaddr_in6");
    assert.equal(u32(msg, 24), 1, "dwBufferCount");
    assert.equal(u32(msg, 32), controlRoom, "Control.len: the whole control buffer");
    assert.ok(controlRoom >= 24, "room for WSA_CMSG_SPACE(sizeof(UINT64))");
    assert.equal(u32(msg, 48), 2, "dwFlags in: MSG_PEEK");
    const wsabuf = b.fake.memory.deref(u64(msg, 16), 16);
    assert.deepEqual(wsabuf, le(16, [0, 4, 64], [8, 8, b.fake.memory.address(into)]));
  });

  test("no control message: timestamp undefined; the pointer is fetched once per family", () => {
    const recv = answerRecv(() => b, (msg, _c, name) => {
      name.set(sockaddrIn6([...new Array(15).fill(0), 1], 0, 80));
      msg.setInt32(8, 28, true);
      msg.setUint32(32, 0, true);
      return 0;
    });
    const b: Bed = bed({
      [`fn@0x${RECV_MSG.toString(16)}`]: recv,
      [`fn@0x${RECV_MSG_6.toString(16)}`]: recv,
    });
    b.run(() => {
      const four = Socket.open("inet", "dgram");
      const six = Socket.open("inet6", "dgram");
      assert.equal(four.recvFrom(new Uint8Array(8), { timestamp: true }).timestamp, undefined);
      assert.equal(four.recvFrom(new Uint8Array(8), { timestamp: true }).timestamp, undefined);
      const r = six.recvFrom(new Uint8Array(8), { timestamp: true });
      assert.deepEqual(r, {
        bytes: 0,
        from: { family: "inet6", address: "::1", port: 80, scopeId: 0 },
        timestamp: undefined,
      });
      six.recvFrom(new Uint8Array(8), { timestamp: true });
    });
    assert.deepEqual(b.ioctls.map((i) => i.guid), [WSAID_WSARECVMSG, WSAID_WSARECVMSG]);
    assert.deepEqual(b.fake.bound, [RECV_MSG, RECV_MSG_6]);
    assert.equal(callsOf(b.fake, `fn@0x${RECV_MSG.toString(16)}`).length, 2);
    assert.equal(callsOf(b.fake, `fn@0x${RECV_MSG_6.toString(16)}`).length, 2);
  });

  test("the control buffer is allocated once per Socket, never per call", () => {
    const controls: bigint[] = [];
    const b: Bed = bed({
      [`fn@0x${RECV_MSG.toString(16)}`]: answerRecv(() => b, (msg, _c, name) => {
        controls.push(msg.getBigUint64(40, true));
        name.set(sockaddrIn([127, 0, 0, 1], 9));
        msg.setInt32(8, 16, true);
        msg.setUint32(32, 0, true);
        return 0;
      }),
    });
    b.run(() => {
      const s = Socket.open("inet", "dgram");
      const t = Socket.open("inet", "dgram");
      for (let i = 0; i < 3; i++) s.recvFrom(new Uint8Array(4), { timestamp: true });
      t.recvFrom(new Uint8Array(4), { timestamp: true });
    });
    assert.equal(new Set(controls.slice(0, 3)).size, 1, "one control buffer for s");
    assert.notEqual(controls[3], controls[0], "t has its own");
  });

  // Hostile control bytes: each is an Error naming WSARecvMsg, never a read past the buffer (a
  // DataView would throw a RangeError there) and never a stamp.
  const HOSTILE: [string, (control: Uint8Array) => number, RegExp][] = [
    ["Control.len past the buffer's end", (c) => c.length + 1, /Control\.len is \d+ bytes, past/],
    ["a truncated header (10 of 16 bytes)", () => 10, /header cut short \(10 of 16/],
    [
      "a header cut short after a first message",
      (c) => (c.set(le(24, [0, 8, 24], [8, 4, 0xffff], [12, 4, 0x300a], [16, 8, 1n])), 24 + 8),
      /header cut short \(8 of 16 bytes at offset 24\)/,
    ],
    [
      "cmsg_len past the bytes returned",
      (c) => (c.set(le(16, [0, 8, 40], [8, 4, 0xffff], [12, 4, 0x300a])), 24),
      /claims 40 bytes; 24 remain/,
    ],
    [
      "cmsg_len smaller than its header",
      (c) => (c.set(le(16, [0, 8, 8], [8, 4, 0xffff], [12, 4, 0x300a])), 24),
      /claims 8 bytes/,
    ],
    [
      "cmsg_len with high bits set",
      (c) => (c.set(le(16, [0, 8, 0x1_0000_0018n], [8, 4, 0xffff], [12, 4, 0x300a])), 24),
      /claims 0x100000018 bytes/,
    ],
    [
      "SO_TIMESTAMP with 4 data bytes",
      (c) => (c.set(le(24, [0, 8, 20], [8, 4, 0xffff], [12, 4, 0x300a])), 24),
      /SO_TIMESTAMP at offset 0 has 4 data bytes/,
    ],
  ];
  for (const [what, write, message] of HOSTILE) {
    test(`a hostile control buffer: ${what}`, () => {
      const b: Bed = bed({
        [`fn@0x${RECV_MSG.toString(16)}`]: answerRecv(() => b, (msg, control) => {
          // The whole control buffer, whatever Control.len said on the way in.
          const all = b.fake.memory.deref(msg.getBigUint64(40, true), control.length);
          msg.setUint32(32, write(all), true);
          return 1;
        }),
      });
      b.run(() => {
        const s = Socket.open("inet", "dgram");
        assert.throws(() => s.recvFrom(new Uint8Array(4), { timestamp: true }), (e: unknown) => {
          assert.ok(e instanceof Error && !(e instanceof RangeError), String(e));
          assert.match(e.message, /^WSARecvMsg: /);
          assert.match(e.message, message);
          return true;
        });
      });
    });
  }
});

describe("the clock on Windows: QueryPerformanceCounter / QueryPerformanceFrequency", () => {
  test("timestampNow reads QueryPerformanceCounter; the frequency is asked once", () => {
    let qpc = 1000n;
    const b = bed({
      QueryPerformanceCounter: (out: unknown) => ((out as BigInt64Array)[0] = qpc++, 1),
      QueryPerformanceFrequency: (out: unknown) => ((out as BigInt64Array)[0] = 10_000_000n, 1),
    });
    b.run(() => {
      assert.equal(timestampNow(), 1000n);
      assert.equal(timestampNow(), 1001n);
      assert.equal(timestampFrequency(), 10_000_000n);
      assert.equal(timestampFrequency(), 10_000_000n);
    });
    assert.equal(callsOf(b.fake, "QueryPerformanceFrequency").length, 1);
    assert.equal(callsOf(b.fake, "QueryPerformanceCounter").length, 2);
  });
});
