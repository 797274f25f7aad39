// The order of a call that takes a caller's buffer, view or object (issue 17, items 4 and 5):
// every caller-visible read first, then the handle, then the lengths through the engine's own
// accessors, then the native call with no caller code in between. Each test puts hostile code at
// one position — a struct view's `view` getter that closes the Socket, a runtime-socket-shaped
// object whose getters shrink, detach or overwrite what the call is about to pass, a Proxy, a
// signal's own `throwIfAborted`, `valueOf` — and checks, over the recording fake of the native
// layer, that either a clear error came before any native call, or the native call got a live
// handle, the buffers' true lengths at that moment, and the bytes the caller asked for.
// Expected bytes are written here from the SDK's layouts, never through the struct views.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  FIONBIO,
  FIONREAD,
  SIO_ADDRESS_LIST_CHANGE,
  SIO_KEEPALIVE_VALS,
  SIO_TCP_INFO,
} from "../codes/mod.ts";
import { SocketClosedError } from "../errors.ts";
import type { NativeApi } from "../ffi/native.ts";
import { _swapNativeApi, nativeApi } from "../ffi/select.ts";
import { ioctl, type SocketLike } from "../ioctl.ts";
import { ioctlAsync } from "../ioctl_async.ts";
import { Socket } from "../socket.ts";
import { TcpInfoV0, TcpKeepalive } from "../structs/mod.ts";
import {
  applyTransportSetting,
  associateHandle,
  extensionFunction,
  findRoute,
  routingInterface,
  routingInterfaceChange,
  routingInterfaceChanges,
  setGroupQos,
  setQos,
  setWfpRedirectRecords,
  tcpInfo,
} from "../sio/mod.ts";
import { byteLengthOf } from "../_validate.ts";
import { le, sockaddrIn } from "./_helpers/bytes.ts";
import { recordingApi } from "./_helpers/recording_api.ts";

/** What one WSAIoctl was handed, and what was true of its arguments at that moment. */
interface Seen {
  handle: bigint;
  /** The handle is open (the fake still knows it). */
  live: boolean;
  inLength: number;
  /** The input buffer's real byte length when the call ran (engine accessors). */
  inReal: number;
  outLength: number;
  outReal: number;
  /** A copy of the `inLength` input bytes (as many as there really were). */
  input: Uint8Array | null;
}

const PEER_PORT = 4242;
const LOCAL_PORT = 5151;

/**
 * The recording fake, with every WSAIoctl checked as it arrives, and answers for the questions
 * `handleOf` asks about a runtime socket (local and peer address: 127.0.0.1, fixed ports).
 */
function hostileFake() {
  const rec = recordingApi();
  const seen: Seen[] = [];
  const type = new Float64Array(1);
  const live = (h: bigint) => rec.api.getOption(h, "type", type) === 0;
  const real = (b: Uint8Array | null) => (b === null ? 0 : byteLengthOf(b));
  const note = (
    handle: bigint,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
  ) => {
    const inReal = real(input);
    seen.push({
      handle,
      live: live(handle),
      inLength,
      inReal,
      outLength,
      outReal: real(output),
      input: input === null ? null : inReal === 0 ? new Uint8Array(0) : input.slice(0, inLength),
    });
  };
  const name = (port: number) => (_h: bigint, addr: Uint8Array, length: Int32Array) => {
    addr.set(sockaddrIn([127, 0, 0, 1], port));
    length[0] = 16;
    return 0;
  };
  const api: NativeApi = {
    ...rec.api,
    localName: name(LOCAL_PORT),
    peerName: name(PEER_PORT),
    wsaIoctl(s, code, input, inLength, output, outLength) {
      note(s, input, inLength, output, outLength);
      return rec.api.wsaIoctl(s, code, input, inLength, output, outLength);
    },
    wsaIoctlOverlapped(s, code, input, inLength, output, outLength, overlapped, event) {
      note(s, input, inLength, output, outLength);
      return rec.api.wsaIoctlOverlapped(
        s,
        code,
        input,
        inLength,
        output,
        outLength,
        overlapped,
        event,
      );
    },
  };
  return { rec, seen, api };
}

type Fake = ReturnType<typeof hostileFake>;

/** Runs `fn` with a fresh hostile fake installed. */
async function withHostile(fn: (fake: Fake) => unknown): Promise<void> {
  const fake = hostileFake();
  const restore = _swapNativeApi(fake.api);
  try {
    await fn(fake);
  } finally {
    restore();
  }
}

/** Every WSAIoctl that ran got a live handle and no length beyond its buffers' real bytes. */
function assertSafe(seen: readonly Seen[]): void {
  for (const c of seen) {
    assert.ok(c.live, `WSAIoctl reached handle ${c.handle}n after it was closed`);
    assert.ok(c.inLength <= c.inReal, `input: ${c.inLength} bytes passed, ${c.inReal} real`);
    assert.ok(c.outLength <= c.outReal, `output: ${c.outLength} bytes passed, ${c.outReal} real`);
  }
}

/** Runs `fn` (sync or async); returns what it threw, or undefined. */
async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

/** `fn` throws `type` (matching `message`) and no WSAIoctl ran. */
async function refusedBeforeNative(
  fake: Fake,
  fn: () => unknown,
  type: new (...a: never[]) => Error,
  message?: RegExp,
): Promise<void> {
  const e = await outcome(fn);
  assertSafe(fake.seen); // a message naming the unsafe call, if one ran
  assert.ok(e instanceof type, `expected ${type.name}, got ${e}`);
  if (message !== undefined) assert.match((e as Error).message, message);
  assert.equal(fake.seen.length, 0);
}

/**
 * A Bun-socket-shaped object (`readyState`, `fd`, ports) over a Socket of the fake: a runtime
 * socket as `handleOf` reads it. `onRead` runs on every read of its `fd`, which resolving it
 * does at least once per call.
 */
function runtimeLike(backing: Socket, onRead: () => void) {
  const fd = Number(backing.handle);
  return {
    readyState: 1,
    localAddress: "127.0.0.1",
    localPort: LOCAL_PORT,
    remoteAddress: "127.0.0.1",
    remotePort: PEER_PORT,
    get fd() {
      onRead();
      return fd;
    },
  } as unknown as SocketLike;
}

/** A resizable buffer of `n` bytes (room to 8 KiB), filled with 0xab. */
function resizable(n: number): ArrayBuffer {
  const b = new ArrayBuffer(n, { maxByteLength: 8192 });
  new Uint8Array(b).fill(0xab);
  return b;
}

/** Bytes from hex text. */
const hex = (text: string) => Uint8Array.from(text.match(/../g)!, (b) => parseInt(b, 16));

/** Detaches an ArrayBuffer (structuredClone's transfer: every runtime, Node 20 included). */
function detach(b: ArrayBuffer): void {
  structuredClone(b, { transfer: [b] });
}

/** A copy of `view` whose `view` getter runs `onRead` first (an own accessor property). */
function hostileView<T extends object>(view: T, onRead: () => void): T {
  const inner = (view as { view: DataView }).view;
  Object.defineProperty(view, "view", {
    get() {
      onRead();
      return inner;
    },
  });
  return view;
}

/**
 * Runs `call` with a runtime socket (over a Socket of a fresh fake) whose getter resizes
 * `buffer` (a resizable buffer of `from` bytes) to `to` bytes; returns the WSAIoctls seen,
 * each checked safe (then rethrows what `call` threw).
 */
async function shrunk(
  from: number,
  to: number,
  call: (rt: SocketLike, buffer: ArrayBuffer) => unknown,
): Promise<Seen[]> {
  let seen: Seen[] = [];
  await withHostile(async (fake) => {
    const buffer = resizable(from);
    const rt = runtimeLike(Socket.open("inet", "stream"), () => buffer.resize(to));
    const e = await outcome(() => call(rt, buffer));
    assertSafe(fake.seen); // first: the unsafe call, if one ran, is the failure to report
    if (e !== undefined) throw e;
    seen = fake.seen;
  });
  return seen;
}

/**
 * Runs `call` with a runtime socket whose getter detaches `buffer` (`size` bytes), and checks
 * that it throws TypeError matching `message` before any WSAIoctl.
 */
async function detached(
  size: number,
  call: (rt: SocketLike, buffer: ArrayBuffer) => unknown,
  message: RegExp,
): Promise<void> {
  await withHostile(async (fake) => {
    const buffer = new ArrayBuffer(size);
    const backing = Socket.open("inet", "stream");
    const rt = runtimeLike(backing, () => buffer.byteLength > 0 && detach(buffer));
    await refusedBeforeNative(fake, () => call(rt, buffer), TypeError, message);
  });
}

/**
 * Runs `call` on a Socket of a fresh fake and a struct view whose `view` getter closes that
 * Socket: the call must throw SocketClosedError before any WSAIoctl.
 */
async function closedByView<T extends object>(
  view: T,
  call: (s: Socket, view: T) => unknown,
): Promise<void> {
  await withHostile(async (fake) => {
    const s = Socket.open("inet", "stream");
    await refusedBeforeNative(
      fake,
      () => call(s, hostileView(view, () => s.close())),
      SocketClosedError,
    );
  });
}

describe("ioctl: the caller's code runs before the handle is taken", () => {
  test("an input view whose `view` getter closes the Socket: SocketClosedError, no call", () =>
    closedByView(TcpKeepalive.alloc(), (s, ka) => ioctl(s, SIO_KEEPALIVE_VALS, ka)));

  test("an output view whose `view` getter closes the Socket: SocketClosedError", () =>
    closedByView(TcpInfoV0.alloc(), (s, info) => ioctl(s, SIO_TCP_INFO, new Uint32Array(1), info)));

  test("a Proxy of a struct view whose `view` trap closes the Socket: SocketClosedError", async () => {
    await withHostile(async (fake) => {
      const s = Socket.open("inet", "stream");
      const proxy = new Proxy(TcpKeepalive.alloc(), {
        get(target, key) {
          if (key === "view") s.close();
          return Reflect.get(target, key);
        },
      });
      await refusedBeforeNative(fake, () => ioctl(s, SIO_KEEPALIVE_VALS, proxy), SocketClosedError);
    });
  });

  test("held already: a runtime socket's getter shrinks the output: the new length", async () => {
    // A Uint8Array without a length tracks the buffer's.
    const seen = await shrunk(64, 4, (rt, b) => ioctl(rt, FIONREAD, null, new Uint8Array(b)));
    assert.equal(seen.length, 1);
    assert.equal(seen[0].outLength, 4);
  });

  test("held already: a runtime socket's getter shrinks the input under a DataView", async () => {
    // A DataView from byte 4, tracking the buffer's length.
    const seen = await shrunk(32, 8, (rt, b) => ioctl(rt, FIONBIO, new DataView(b, 4)));
    assert.equal(seen[0].inLength, 4);
    assert.deepEqual(seen[0].input, new Uint8Array([0xab, 0xab, 0xab, 0xab]));
  });

  test("held already: a runtime socket's getter shrinks a struct view's buffer", async () => {
    // A fixed-length view: out of bounds once shrunk, so nothing is passed.
    const seen = await shrunk(
      TcpInfoV0.SIZE,
      40,
      (rt, b) => ioctl(rt, SIO_TCP_INFO, new Uint32Array(1), TcpInfoV0.at(b)),
    );
    assert.equal(seen[0].outLength, 0);
  });

  test("held already: a runtime socket's getter detaches the output: TypeError, no call", () =>
    detached(
      16,
      (rt, b) => ioctl(rt, FIONREAD, null, new Uint32Array(b)),
      /^output is a view of a detached ArrayBuffer/,
    ));

  test("a Proxy that claims to be a Socket is no Socket: TypeError, no call", async () => {
    await withHostile(async (fake) => {
      const victim = Socket.open("inet", "stream");
      const stale = victim.handle;
      victim.close();
      const live = Socket.open("inet", "stream");
      // instanceof Socket holds (the target's prototype); its `closed` and `handle` are forged.
      const forged = new Proxy(live, {
        get: (_t, key) => (key === "closed" ? false : key === "handle" ? stale : undefined),
      });
      await refusedBeforeNative(
        fake,
        () => ioctl(forged, FIONREAD, null, new Uint32Array(1)),
        TypeError,
        /^socket must be a Socket, got a look-alike/,
      );
    });
  });

  test("held already: a code with valueOf is refused before it runs", async () => {
    await withHostile(async (fake) => {
      const s = Socket.open("inet", "stream");
      let ran = false;
      const code = { valueOf: () => (ran = true, s.close(), FIONREAD) };
      await refusedBeforeNative(
        fake,
        () => ioctl(s, code as unknown as number, null, new Uint32Array(1)),
        TypeError,
      );
      assert.equal(ran, false);
      assert.equal(s.closed, false);
    });
  });
});

describe("ioctlAsync: the same order, and nothing of the caller's between handle and call", () => {
  test("an input view whose `view` getter closes the Socket: rejects, no call", () =>
    closedByView(TcpKeepalive.alloc(), (s, ka) => ioctlAsync(s, SIO_KEEPALIVE_VALS, ka)));

  test("a signal's own throwIfAborted never runs between the handle and the call", async () => {
    await withHostile(async (fake) => {
      const s = Socket.open("inet", "stream");
      const signal = new AbortController().signal;
      let ran = false;
      Object.defineProperty(signal, "throwIfAborted", {
        value: () => (ran = true, s.close()),
      });
      await ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal });
      assertSafe(fake.seen);
      assert.equal(fake.seen.length, 1);
      assert.equal(ran, false);
    });
  });

  test("a runtime-shaped Proxy whose prototype trap closes the Socket under it: no call to it", async () => {
    await withHostile(async (fake) => {
      const backing = Socket.open("inet", "stream");
      let resolved = false;
      const rt = runtimeLike(backing, () => (resolved = true));
      const proxy = new Proxy(rt as object, {
        // Runs wherever the call asks `instanceof`: once the handle is known, it closes it.
        getPrototypeOf(target) {
          if (resolved) backing.close();
          return Reflect.getPrototypeOf(target);
        },
      }) as SocketLike;
      const e = await outcome(() => ioctlAsync(proxy, SIO_ADDRESS_LIST_CHANGE));
      assertSafe(fake.seen);
      if (e !== undefined) assert.ok(e instanceof SocketClosedError, `got ${e}`);
    });
  });

  test("held already: a runtime socket's getter shrinks the output", async () => {
    const seen = await shrunk(
      64,
      8,
      (rt, b) => ioctlAsync(rt, SIO_ADDRESS_LIST_CHANGE, null, new Uint8Array(b)),
    );
    assert.equal(seen[0].outLength, 8);
  });
});

describe("tcpInfo(s, v, into): into's length is read after the handle", () => {
  test("a runtime socket's getter shrinks into's buffer: RangeError, no call", async () => {
    // into over a DataView that tracks the buffer's length.
    const seen = await shrunk(128, 40, (rt, b) =>
      assert.throws(
        () => tcpInfo(rt, 0, new TcpInfoV0(new DataView(b))),
        {
          name: "RangeError",
          message: /^into\.view must have at least 88 bytes for version 0, got 40/,
        },
      ));
    assert.equal(seen.length, 0);
  });

  test("a runtime socket's getter shrinks a fixed view's buffer: RangeError, no call", async () => {
    const seen = await shrunk(
      TcpInfoV0.SIZE,
      16,
      (rt, b) =>
        assert.throws(() => tcpInfo(rt, 0, TcpInfoV0.at(b)), {
          name: "RangeError",
          message: /got 0$/,
        }),
    );
    assert.equal(seen.length, 0);
  });

  test("a runtime socket's getter detaches into's buffer: TypeError, no call", () =>
    detached(
      TcpInfoV0.SIZE,
      (rt, b) => tcpInfo(rt, 0, TcpInfoV0.at(b)),
      /^into\.view is a view of a detached ArrayBuffer/,
    ));

  test("the polling path: a view seen before, detached by the runtime socket's getter: TypeError", () =>
    withHostile(async (fake) => {
      const buffer = new ArrayBuffer(TcpInfoV0.SIZE);
      const into = TcpInfoV0.at(buffer);
      const backing = Socket.open("inet", "stream");
      let detaching = false;
      const rt = runtimeLike(backing, () => detaching && buffer.byteLength > 0 && detach(buffer));
      await outcome(() => tcpInfo(rt, 0, into)); // seen once: its bytes are kept
      const before = fake.seen.length;
      detaching = true;
      const e = await outcome(() => tcpInfo(rt, 0, into));
      assertSafe(fake.seen);
      assert.ok(e instanceof TypeError, `expected TypeError, got ${e}`);
      assert.match((e as Error).message, /^into\.view is a view of a detached ArrayBuffer/);
      assert.equal(fake.seen.length, before, "no WSAIoctl on the detached bytes");
    }));

  test("held already: into's `view` getter closing the Socket comes before the handle", () =>
    closedByView(TcpInfoV0.alloc(), (s, into) => tcpInfo(s, 0, into)));
});

describe("the typed calls that pass a caller's bytes: their length at the call", () => {
  test("setWfpRedirectRecords: a runtime socket's getter shrinks records", async () => {
    const seen = await shrunk(4096, 12, (rt, b) => setWfpRedirectRecords(rt, new Uint8Array(b)));
    assert.equal(seen[0].inLength, 12);
  });

  test("setWfpRedirectRecords: a runtime socket's getter detaches records: TypeError", () =>
    detached(
      64,
      (rt, b) => setWfpRedirectRecords(rt, new Uint8Array(b)),
      /^records is a view of a detached ArrayBuffer/,
    ));

  test("associateHandle: extra shrunk by a runtime socket's getter is sent as it is now", async () => {
    const seen = await shrunk(
      32,
      3,
      (rt, b) => associateHandle(rt, { api: "netdev", handle: 0x1122n, extra: new Uint8Array(b) }),
    );
    // int api (TH_NETDEV 1) @0, the 64-bit handle @8, then extra's 3 bytes @16.
    const expected = le(19, [0, 4, 1], [8, 8, 0x1122n]);
    expected.set([0xab, 0xab, 0xab], 16);
    assert.equal(seen[0].inLength, 19);
    assert.deepEqual(seen[0].input, expected);
  });

  test("setQos / setGroupQos: providerSpecific shrunk by a runtime socket's getter", async () => {
    for (const call of [setQos, setGroupQos]) {
      const seen = await shrunk(
        64,
        5,
        (rt, b) => call(rt, { providerSpecific: new Uint8Array(b) }),
      );
      // QOS: two FLOWSPECs (32 bytes each), then WSABUF ProviderSpecific { ULONG len @64,
      // CHAR* buf @72 }: 80 bytes, the provider's bytes copied after them.
      assert.equal(seen[0].inLength, 80 + 5);
      assert.deepEqual(seen[0].input!.subarray(64, 68), new Uint8Array([5, 0, 0, 0]));
      assert.deepEqual(seen[0].input!.subarray(80), new Uint8Array(5).fill(0xab));
    }
  });

  test("applyTransportSetting: a GUID setting's value shrunk by a runtime socket's getter", async () => {
    const guid = "{00000001-0002-0003-0405-060708090a0b}";
    const seen = await shrunk(40, 2, (rt, b) => applyTransportSetting(rt, guid, new Uint8Array(b)));
    // TRANSPORT_SETTING_ID: the GUID (Data1..3 little-endian, Data4 as is), then the value.
    assert.equal(seen[0].inLength, 18);
    assert.deepEqual(
      seen[0].input,
      hex("01000000" + "0200" + "0300" + "0405060708090a0b" + "abab"),
    );
  });
});

describe("library scratch written after the handle: a getter's own calls cannot change it", () => {
  /** Every call was safe, and the last one went to `backing` with `input`. */
  function assertLast(fake: Fake, backing: Socket, input: Uint8Array): void {
    assertSafe(fake.seen);
    const last = fake.seen[fake.seen.length - 1];
    assert.equal(last.handle, backing.handle);
    assert.deepEqual(last.input, input);
  }

  /** ConnectEx's GUID {25a207b9-ddf3-4660-8ee9-76e58c74063e} as WSAIoctl takes it. */
  const CONNECT_EX = hex("b907a225" + "f3dd" + "6046" + "8ee976e58c74063e");

  test("extensionFunction: the GUID asked is the caller's, not the getter's", async () => {
    await withHostile((fake) => {
      fake.rec.answer = (_c, out) => (out!.fill(0x11), 8);
      const backing = Socket.open("inet", "stream");
      const other = Socket.open("inet", "stream");
      const rt = runtimeLike(backing, () => extensionFunction(other, "TransmitFile"));
      extensionFunction(rt, "ConnectEx");
      assertLast(fake, backing, CONNECT_EX);
    });
  });

  /** Answers SIO_ROUTING_INTERFACE_QUERY with 127.0.0.1. */
  const routeAnswer = (_c: unknown, out: Uint8Array | null) => (
    out?.set(sockaddrIn([127, 0, 0, 1])), out === null ? 0 : 16
  );

  test("routingInterface, findRoute, routingInterfaceChange: the sockaddr sent is the caller's", async () => {
    const calls = [
      routingInterface,
      findRoute,
      (s: SocketLike, address: string, port: number) =>
        routingInterfaceChange(s, address, { port }),
    ];
    for (const call of calls) {
      await withHostile(async (fake) => {
        fake.rec.answer = routeAnswer;
        const backing = Socket.open("inet", "stream");
        const other = Socket.open("inet", "dgram");
        const rt = runtimeLike(backing, () => routingInterface(other, "192.168.7.7", 9));
        await call(rt, "10.1.2.3", 80);
        assertLast(fake, backing, sockaddrIn([10, 1, 2, 3], 80));
      });
    }
  });

  test("held already: routingInterfaceChanges' options getter closing the Socket", async () => {
    await withHostile(async (fake) => {
      const s = Socket.open("inet", "dgram");
      const opts = {
        get port() {
          s.close();
          return 80;
        },
      };
      await refusedBeforeNative(
        fake,
        () => routingInterfaceChanges(s, "10.1.2.3", opts),
        SocketClosedError,
      );
    });
  });
});

describe("on the real native layer", () => {
  test("a `view` getter that closes the Socket and opens another on its number: that one is untouched", async () => {
    const s = Socket.open("inet", "stream");
    const first = s.handle;
    let other: Socket | undefined;
    // SIO_KEEPALIVE_VALS: keep-alive on, 5 s idle, 1 s between probes.
    const ka = hostileView(TcpKeepalive.at(le(12, [0, 4, 1], [4, 4, 5000], [8, 4, 1000])), () => {
      s.close();
      other = Socket.open("inet", "stream"); // POSIX hands out the lowest free number: s's
    });
    try {
      const e = await outcome(() => ioctl(s, SIO_KEEPALIVE_VALS, ka));
      assert.equal(other!.getOption("keepAlive"), false, "keep-alive was set on another socket");
      assert.ok(e instanceof SocketClosedError, `expected SocketClosedError, got ${e}`);
      if (nativeApi().os !== "windows") assert.equal(other!.handle, first); // the hazard was real
    } finally {
      other?.close();
    }
  });
});
