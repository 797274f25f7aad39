// The reliability regressions (issue 7) under Windows Deno and Bun: every cross-platform case of
// tests/native_reliability_test.ts, plus what only Windows has — overlapped I/O (its memory, its
// real status, closing and aborting), the int lengths of send/recv, and the WSAIoctl size guard
// of codes whose buffers Wine does not check.
import "../native_reliability_test.ts";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  SIO_ADDRESS_LIST_CHANGE,
  SIO_ADDRESS_LIST_QUERY,
  SIO_BASE_HANDLE,
  SIO_GET_EXTENSION_FUNCTION_POINTER,
  SIO_IDEAL_SEND_BACKLOG_CHANGE,
  SIO_ROUTING_INTERFACE_CHANGE,
} from "../../codes/mod.ts";
import { SocketClosedError, WinsockError } from "../../errors.ts";
import { nativeApi } from "../../ffi/select.ts";
import { bufferAddress, ioctl } from "../../ioctl.ts";
import { ioctlAsync } from "../../ioctl_async.ts";
import { Socket } from "../../socket.ts";
import { parseSocketAddressList } from "../../structs/interfaces.ts";
import { writeGuid, WSAID_CONNECTEX } from "../../structs/guid.ts";
import { writeSocketAddress } from "../../structs/address.ts";
import { tcpPair } from "../_helpers/pair.ts";
import { assertWinsock } from "../_helpers/winsock.ts";

const native = nativeApi();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function connectExGuid(): Uint8Array {
  const guid = new Uint8Array(new ArrayBuffer(16));
  writeGuid(new DataView(guid.buffer), 0, WSAID_CONNECTEX);
  return guid;
}

async function rejectsWithin<T>(p: Promise<T>, ms: number): Promise<unknown> {
  const started = Date.now();
  let caught: unknown;
  await p.then(
    () => assert.fail("expected a rejection"),
    (e) => caught = e,
  );
  const took = Date.now() - started;
  assert.ok(took < ms, `settled after ${took} ms (limit ${ms} ms)`);
  return caught;
}

describe(`reliability, Windows only, on ${native.runtime}/${native.os}`, () => {
  test("8: a code Wine fails without signalling settles at once with its real error", async () => {
    using udp = Socket.open("inet", "dgram");
    const target = new Uint8Array(new ArrayBuffer(16));
    writeSocketAddress(new DataView(target.buffer), 0, { address: "127.0.0.1", port: 9 });
    const routing = await rejectsWithin(
      ioctlAsync(udp, SIO_ROUTING_INTERFACE_CHANGE, target, null),
      2000,
    );
    assert.ok(routing instanceof WinsockError, String(routing));
    assert.equal(routing.name, "WSAEOPNOTSUPP");
    assert.equal(routing.ioctl, "SIO_ROUTING_INTERFACE_CHANGE");
    using pair = tcpPair();
    const backlog = await rejectsWithin(
      ioctlAsync(pair.client, SIO_IDEAL_SEND_BACKLOG_CHANGE),
      2000,
    );
    assert.ok(backlog instanceof WinsockError, String(backlog));
    assert.equal(backlog.code, 10045);
  });

  test("8: closing the Socket that owns a raw handle settles its operation with the real status", async () => {
    const s = Socket.open("inet", "dgram");
    const pending = ioctlAsync(s.handle, SIO_ADDRESS_LIST_CHANGE);
    await sleep(50);
    s.close();
    const e = await rejectsWithin(pending, 3000);
    assert.ok(e instanceof WinsockError, String(e));
    assert.notEqual(e.name, "WSAENOTSOCK");
    assert.equal(e.name, "WSA_OPERATION_ABORTED");
  });

  test("8: closing the Socket passed settles with SocketClosedError, promptly", async () => {
    const s = Socket.open("inet", "dgram");
    const pending = ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE);
    await sleep(50);
    s.close();
    assert.ok((await rejectsWithin(pending, 3000)) instanceof SocketClosedError);
  });

  test("2: the caller may detach its output view while the operation is pending", async () => {
    using s = Socket.open("inet", "dgram");
    const out = new Uint8Array(new ArrayBuffer(256));
    const controller = new AbortController();
    const pending = ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, out, {
      signal: controller.signal,
    });
    await sleep(30);
    structuredClone(out.buffer, { transfer: [out.buffer] });
    assert.equal(out.byteLength, 0);
    controller.abort(new Error("stop"));
    const e = await rejectsWithin(pending, 3000);
    assert.match(String(e), /stop/);
    // Everything still works.
    assert.equal(s.getOption("type"), "dgram");
  });

  test("2: small typed arrays without an explicit ArrayBuffer get the result", async () => {
    using pair = tcpPair();
    const out = new Uint8Array(8); // JavaScriptCore keeps these inline until .buffer is read
    assert.equal(
      await ioctlAsync(pair.client, SIO_GET_EXTENSION_FUNCTION_POINTER, connectExGuid(), out),
      8,
    );
    const viaAsync = new DataView(out.buffer).getBigUint64(0, true);
    assert.notEqual(viaAsync, 0n);
    const sync = new BigUint64Array(1);
    ioctl(pair.client, SIO_GET_EXTENSION_FUNCTION_POINTER, connectExGuid(), sync);
    assert.equal(viaAsync, sync[0]);
    const base = new BigUint64Array(1);
    const baseSync = new BigUint64Array(1);
    ioctl(pair.client, SIO_BASE_HANDLE, null, baseSync);
    if (native.wine) {
      // Wine answers SIO_BASE_HANDLE only without an OVERLAPPED: the operation's own status.
      await assert.rejects(ioctlAsync(pair.client, SIO_BASE_HANDLE, null, base), {
        name: "WSAEOPNOTSUPP",
      });
    } else {
      assert.equal(await ioctlAsync(pair.client, SIO_BASE_HANDLE, null, base), 8);
      assert.equal(base[0], baseSync[0]);
    }
  });

  test("1: codes Wine runs unchecked get the real output length (the size guard)", () => {
    using pair = tcpPair();
    const whole = new Uint8Array(new ArrayBuffer(64)).fill(0xee);
    const four = new Uint8Array(whole.buffer, 8, 4);
    Object.defineProperty(four, "byteLength", { value: 8 });
    assertWinsock(
      () => ioctl(pair.client, SIO_GET_EXTENSION_FUNCTION_POINTER, connectExGuid(), four),
      "WSAEFAULT",
    );
    const shortGuid = new Uint8Array(new ArrayBuffer(8));
    Object.defineProperty(shortGuid, "byteLength", { value: 16 });
    assertWinsock(
      () =>
        ioctl(pair.client, SIO_GET_EXTENSION_FUNCTION_POINTER, shortGuid, new BigUint64Array(1)),
      "WSAEFAULT",
    );
    // SIO_ADDRESS_LIST_QUERY into 8 real bytes that claim 4096.
    using udp = Socket.open("inet", "dgram");
    const eight = new Uint8Array(whole.buffer, 32, 8);
    Object.defineProperty(eight, "byteLength", { value: 4096 });
    try {
      ioctl(udp, SIO_ADDRESS_LIST_QUERY, null, eight);
    } catch (e) {
      assert.ok(e instanceof WinsockError, String(e));
    }
    for (let i = 0; i < whole.length; i++) {
      if (i >= 32 && i < 40) continue;
      assert.equal(whole[i], 0xee, `byte ${i} written`);
    }
  });

  test("9: SIO_ADDRESS_LIST_QUERY decodes with the public bufferAddress", () => {
    using udp = Socket.open("inet", "dgram");
    const out = new Uint8Array(new ArrayBuffer(4096));
    const n = ioctl(udp, SIO_ADDRESS_LIST_QUERY, null, out);
    const list = parseSocketAddressList(out, bufferAddress(out), n);
    assert.ok(Array.isArray(list));
    for (const a of list) assert.ok(a === null || a.family === "inet" || a.family === "inet6");
  });

  test("3: views of 2 GiB or more do not wrap Windows' int lengths", () => {
    using s = Socket.open("inet", "dgram");
    s.bind("127.0.0.1", 0);
    const me = s.localAddress();
    s.sendTo(new Uint8Array([1, 2, 3]), me.address, me.port);
    const huge = new Uint8Array(2 ** 31 + 8);
    assert.equal(s.recv(huge), 3);
    assert.deepEqual([...huge.subarray(0, 3)], [1, 2, 3]);
    // Clamped to 2^31-1 bytes: far more than a datagram holds, so Winsock says so.
    assertWinsock(() => s.sendTo(huge, me.address, me.port), "WSAEMSGSIZE");
  });
});
