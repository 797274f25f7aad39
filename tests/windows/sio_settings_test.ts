// The typed calls of sio/settings.ts, sio/handles.ts and sio/backlog.ts on real Winsock, under
// Windows Deno and Bun (Wine 10 in the bed): Wine's real answer where it implements the code, the
// exact WinsockError (class, code, the typed call in the message) where it does not. Then what
// native_async_test.ts does not already prove about ioctlAsync on the one code Wine really waits
// on (SIO_ADDRESS_LIST_CHANGE): two waits pending on one socket at once, settled by aborts and by
// closing.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SIO_ADDRESS_LIST_CHANGE } from "../../codes/mod.ts";
import { SocketClosedError, WinsockError } from "../../errors.ts";
import { nativeApi } from "../../ffi/select.ts";
import { ioctlAsync } from "../../ioctl_async.ts";
import { Socket } from "../../socket.ts";
import * as sio from "../../sio/mod.ts";
import { tcpPair } from "../_helpers/pair.ts";
import { rejectionWithin, tracked } from "../_helpers/settle.ts";
import { assertWinsock } from "../_helpers/winsock.ts";

const native = nativeApi();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const onlyWine = native.wine ? false : "Wine's answers; Windows itself implements these codes";

/** Asserts `fn` fails with WSAEOPNOTSUPP (10045) named after `typedCall` and `ioctl`. */
function assertNotSupported(fn: () => unknown, typedCall: string, ioctl: string): void {
  const e = assertWinsock(fn, "WSAEOPNOTSUPP");
  assert.equal(e.code, 10045);
  assert.equal(e.typedCall, typedCall);
  assert.equal(e.ioctl, ioctl);
  assert.ok(
    e.message.startsWith(`${typedCall}: WSAIoctl(${ioctl}) failed: WSAEOPNOTSUPP (10045)`),
    e.message,
  );
}

describe(`sio settings on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test("setUdpConnReset: accepted on UDP; off, a datagram to a closed port does not break recv", async () => {
    using s = Socket.open("inet", "dgram");
    sio.setUdpConnReset(s, true);
    sio.setUdpConnReset(s, false);
    s.bind("127.0.0.1", 0);
    sio.setNonBlocking(s, true);
    const closed = Socket.open("inet", "dgram");
    closed.bind("127.0.0.1", 0);
    const port = closed.localAddress().port;
    closed.close();
    s.sendTo(new Uint8Array([1]), "127.0.0.1", port); // "port unreachable" comes back
    await sleep(100);
    // Nothing queued: the receive would block, it does not fail with WSAECONNRESET.
    assertWinsock(() => s.recvFrom(new Uint8Array(16)), "WSAEWOULDBLOCK");
    // And the socket still receives.
    s.sendTo(new Uint8Array([7, 8]), "127.0.0.1", s.localAddress().port);
    for (const end = Date.now() + 2000; sio.bytesAvailable(s) === 0 && Date.now() < end;) {
      await sleep(10);
    }
    assert.equal(s.recvFrom(new Uint8Array(16)).bytes, 2);
  });

  test(
    "Wine rejects SIO_UDP_NETRESET, _SET_COMPATIBILITY_MODE, _LOOPBACK_FAST_PATH, _CPU_AFFINITY, _SET_PRIORITY_HINT",
    {
      skip: onlyWine,
    },
    () => {
      using udp = Socket.open("inet", "dgram");
      using tcp = Socket.open("inet", "stream");
      using pair = tcpPair();
      assertNotSupported(
        () => sio.setUdpNetReset(udp, false),
        "setUdpNetReset",
        "SIO_UDP_NETRESET",
      );
      assertNotSupported(
        () =>
          sio.setCompatibilityMode(tcp, { behavior: "autoTuning", targetOsVersion: 0x06000000 }),
        "setCompatibilityMode",
        "SIO_SET_COMPATIBILITY_MODE",
      );
      // Where the reference says it belongs: a TCP socket before connect.
      assertNotSupported(
        () => sio.setLoopbackFastPath(tcp, true),
        "setLoopbackFastPath",
        "SIO_LOOPBACK_FAST_PATH",
      );
      // A UDP socket before bind.
      assertNotSupported(() => sio.setCpuAffinity(udp, 0), "setCpuAffinity", "SIO_CPU_AFFINITY");
      assertNotSupported(
        () => sio.setPriorityHint(pair.client, "veryLow"),
        "setPriorityHint",
        "SIO_SET_PRIORITY_HINT",
      );
    },
  );
});

describe(`sio handles on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  const NAMES = [
    "AcceptEx",
    "ConnectEx",
    "DisconnectEx",
    "GetAcceptExSockaddrs",
    "TransmitFile",
    "TransmitPackets",
    "WSARecvMsg",
    "WSASendMsg",
  ] as const;

  test("extensionFunction: a non-zero pointer for each name (Wine 10 stubs TransmitPackets)", () => {
    using s = Socket.open("inet", "stream");
    for (const name of NAMES) {
      if (native.wine && name === "TransmitPackets") {
        // Wine 10: "fixme:winsock:WSAIoctl SIO_GET_EXTENSION_FUNCTION_POINTER {d9689da0-…}: stub".
        const e = assertWinsock(() => sio.extensionFunction(s, name), "WSAEINVAL");
        assert.equal(e.code, 10022);
        assert.equal(e.typedCall, "extensionFunction");
        continue;
      }
      const p = sio.extensionFunction(s, name);
      assert.equal(typeof p, "bigint", name);
      assert.ok(p > 0n, `${name}: ${p}`);
    }
  });

  test("extensionFunction: GUID text finds the same function; an unknown GUID is WSAEINVAL", () => {
    using s = Socket.open("inet", "stream");
    assert.equal(
      sio.extensionFunction(s, "{25a207b9-ddf3-4660-8ee9-76e58c74063e}"),
      sio.extensionFunction(s, "ConnectEx"),
    );
    assert.equal(
      sio.extensionFunction(s, "F689D7C8-6F1F-436B-8A53-E54FE351C322"),
      sio.extensionFunction(s, "WSARecvMsg"),
    );
    const e = assertWinsock(
      () => sio.extensionFunction(s, "{00000000-0000-0000-0000-000000000001}"),
      "WSAEINVAL",
    );
    assert.equal(e.code, 10022);
    assert.equal(e.typedCall, "extensionFunction");
    assert.equal(e.ioctl, "SIO_GET_EXTENSION_FUNCTION_POINTER");
    assert.match(e.message, /^extensionFunction: WSAIoctl\(SIO_GET_EXTENSION_FUNCTION_POINTER\)/);
  });

  test("baseHandle: the socket's own handle (no layered providers), by Socket or raw handle", () => {
    using udp = Socket.open("inet", "dgram");
    using pair = tcpPair();
    assert.equal(sio.baseHandle(udp), udp.handle);
    assert.equal(sio.baseHandle(udp.handle), udp.handle);
    assert.equal(sio.baseHandle(pair.client), pair.client.handle);
    assert.equal(sio.baseHandle(pair.peer), pair.peer.handle);
  });

  test("bspHandle: Wine rejects SIO_BSP_HANDLE, _SELECT and _POLL", { skip: onlyWine }, () => {
    using s = Socket.open("inet", "stream");
    assertNotSupported(() => sio.bspHandle(s), "bspHandle", "SIO_BSP_HANDLE");
    assertNotSupported(() => sio.bspHandle(s, "send"), "bspHandle", "SIO_BSP_HANDLE");
    assertNotSupported(() => sio.bspHandle(s, "select"), "bspHandle", "SIO_BSP_HANDLE_SELECT");
    assertNotSupported(() => sio.bspHandle(s, "poll"), "bspHandle", "SIO_BSP_HANDLE_POLL");
  });
});

describe(`sio backlog on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test("idealSendBacklog: a connected TCP socket's backlog (Wine: 65536)", () => {
    using pair = tcpPair();
    for (const end of [pair.client, pair.peer]) {
      const n = sio.idealSendBacklog(end);
      if (native.wine) assert.equal(n, 65536);
      else assert.ok(n > 0, String(n));
    }
  });

  test("idealSendBacklog: WSAENOTCONN before connect, WSAEOPNOTSUPP on UDP, with hints", () => {
    using tcp = Socket.open("inet", "stream");
    using udp = Socket.open("inet", "dgram");
    const early = assertWinsock(() => sio.idealSendBacklog(tcp), "WSAENOTCONN");
    assert.equal(early.code, 10057);
    assert.equal(early.typedCall, "idealSendBacklog");
    assert.match(early.hint ?? "", /connected stream/);
    const dgram = assertWinsock(() => sio.idealSendBacklog(udp), "WSAEOPNOTSUPP");
    assert.equal(dgram.code, 10045);
    assert.match(dgram.hint ?? "", /stream/);
  });

  test("idealSendBacklogChange: Wine fails it at once, as WSAEOPNOTSUPP named after the call", {
    skip: onlyWine,
  }, async () => {
    using pair = tcpPair();
    const e = await rejectionWithin(sio.idealSendBacklogChange(pair.client), 2000);
    assert.ok(e instanceof WinsockError, String(e));
    assert.equal(e.name, "WSAEOPNOTSUPP");
    assert.equal(e.code, 10045);
    assert.equal(e.typedCall, "idealSendBacklogChange");
    assert.equal(e.ioctl, "SIO_IDEAL_SEND_BACKLOG_CHANGE");
    assert.match(
      e.message,
      /^idealSendBacklogChange: WSAIoctl\(SIO_IDEAL_SEND_BACKLOG_CHANGE\) failed: WSAEOPNOTSUPP/,
    );
    // With a signal that never aborts, the same.
    const again = await rejectionWithin(
      sio.idealSendBacklogChange(pair.client, { signal: new AbortController().signal }),
      2000,
    );
    assert.ok(again instanceof WinsockError && again.code === 10045, String(again));
  });
});

describe(`ioctlAsync: two waits on one socket (SIO_ADDRESS_LIST_CHANGE) on ${native.runtime}`, () => {
  test("both pending, each settled by its own abort", async () => {
    using s = Socket.open("inet", "dgram");
    const a = new AbortController();
    const b = new AbortController();
    const first = tracked(ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal: a.signal }));
    const second = tracked(
      ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal: b.signal }),
    );
    await sleep(100);
    assert.equal(first.settled(), false, "the first waits");
    assert.equal(second.settled(), false, "the second waits");
    a.abort(new Error("first"));
    assert.match(String(await rejectionWithin(first.promise, 3000)), /first/);
    await sleep(100);
    assert.equal(second.settled(), false, "the second still waits after the first was aborted");
    b.abort(new Error("second"));
    assert.match(String(await rejectionWithin(second.promise, 3000)), /second/);
    // The socket is untouched.
    assert.equal(s.getOption("type"), "dgram");
  });

  test("both pending, both settled by closing the socket", async () => {
    const s = Socket.open("inet", "dgram");
    const first = tracked(ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE));
    const second = tracked(ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE));
    await sleep(100);
    assert.equal(first.settled() || second.settled(), false, "both wait");
    s.close();
    assert.ok((await rejectionWithin(first.promise, 3000)) instanceof SocketClosedError);
    assert.ok((await rejectionWithin(second.promise, 3000)) instanceof SocketClosedError);
  });

  test("one wait by Socket, one by raw handle: closing settles each its own way", async () => {
    const s = Socket.open("inet", "dgram");
    const bySocket = tracked(ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE));
    const byHandle = tracked(ioctlAsync(s.handle, SIO_ADDRESS_LIST_CHANGE));
    await sleep(100);
    assert.equal(bySocket.settled() || byHandle.settled(), false, "both wait");
    s.close();
    assert.ok((await rejectionWithin(bySocket.promise, 3000)) instanceof SocketClosedError);
    const raw = await rejectionWithin(byHandle.promise, 3000);
    assert.ok(raw instanceof WinsockError, String(raw));
    assert.equal(raw.name, "WSA_OPERATION_ABORTED");
    assert.equal(raw.code, 995);
  });
});
