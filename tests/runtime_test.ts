// handleOf's search, on any runtime: objects shaped as a runtime's sockets (a Deno address pair, a
// Bun `fd`) over sockets that wsioctl opened, so every rule is checked under Deno, Bun and Node
// alike — the match on type and addresses, the check of an exposed handle, the answer kept per
// object and proven on each call (on Linux the socket's identity, compared after every read of the
// object; without one, the runtime's word, and a refusal where it cannot say), "closed" and
// ambiguity.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AmbiguousHandleError,
  bytesAvailable,
  FIONREAD,
  handleOf,
  ioctl,
  setKeepAlive,
  Socket,
  SocketClosedError,
  socketHandle,
} from "../mod.ts";
import { _swapNativeApi, nativeApi } from "../ffi/select.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";

const LOCAL = "127.0.0.1";

/** A Deno-shaped address. */
const addr = (transport: string, s: { address: string; port: number }) => ({
  transport,
  hostname: s.address,
  port: s.port,
});
/** A Deno-shaped connection over a wsioctl Socket's addresses. */
const connLike = (s: Socket) => ({
  localAddr: addr("tcp", s.localAddress()),
  remoteAddr: addr("tcp", s.remoteAddress()),
});
/** A Deno-shaped datagram socket (it cannot tell whether it is closed). */
const datagramLike = (port: number) => ({
  addr: { transport: "udp", hostname: LOCAL, port },
  receive() {},
  send() {},
});

/** Runs `fn` with the real native layer wrapped so that searches are counted. */
function countingSearches<T>(fn: (searches: () => number) => T): T {
  const real = nativeApi();
  let n = 0;
  const restore = _swapNativeApi({
    ...real,
    socketCandidates: () => (n++, real.socketCandidates()),
  });
  try {
    return fn(() => n);
  } finally {
    restore();
  }
}

describe("handleOf's search by address", () => {
  let server: Socket;
  let client: Socket;
  let peer: Socket;

  before(() => {
    server = Socket.open("inet", "stream");
    server.bind(LOCAL, 0);
    server.listen();
    client = Socket.open("inet", "stream");
    client.connect(LOCAL, server.localAddress().port);
    peer = server.accept();
  });
  after(() => {
    for (const s of [peer, client, server]) s.close();
  });

  test("objects that are no runtime socket: TypeError naming the parameter", () => {
    for (const v of [{}, null, undefined, 42, "x", 1n, [], { addr: {} }]) {
      assert.throws(() => handleOf(v as never), {
        name: "TypeError",
        message: /^runtimeSocket must be a Deno, Bun or Node socket object, got /,
      });
    }
    assert.throws(() => handleOf(server as never), TypeError); // a wsioctl Socket: use .handle
    assert.throws(() => bytesAvailable({} as never), {
      name: "TypeError",
      message: /^socket must be a Socket, a bigint handle or a Deno\/Bun\/Node socket, got /,
    });
  });

  test("a Unix socket has no handle to find: TypeError", () => {
    const unix = {
      localAddr: { transport: "unix", path: "/tmp/x" },
      remoteAddr: { transport: "unix" },
    };
    assert.throws(() => handleOf(unix), { name: "TypeError", message: /no IP address/ });
  });

  test("a connection is told apart from the listener and the other end by its addresses", () => {
    assert.equal(handleOf(connLike(client)), client.handle);
    assert.equal(handleOf(connLike(peer)), peer.handle);
    // The listener has the accepted socket's local address, but no peer.
    const listener = { addr: addr("tcp", server.localAddress()), accept() {} };
    assert.equal(handleOf(listener), server.handle);
  });

  test("typed calls and ioctl take the object and act on its socket", () => {
    const conn = connLike(peer);
    client.send(new Uint8Array(17));
    const count = new Uint32Array(1);
    for (let i = 0; i < 100 && count[0] < 17; i++) ioctl(conn, FIONREAD, null, count);
    assert.equal(count[0], 17);
    assert.equal(bytesAvailable(conn), 17);
    assert.equal(socketHandle(conn, "x"), peer.handle);
    peer.recv(new Uint8Array(17));
    setKeepAlive(connLike(client), { enabled: true, timeMs: 5_000, intervalMs: 1_000 });
    assert.equal(client.getOption("keepAlive"), true);
  });

  test("the answer is kept per object: one search, then none", () => {
    countingSearches((searches) => {
      const conn = connLike(client);
      handleOf(conn);
      assert.equal(searches(), 1);
      for (let i = 0; i < 5; i++) assert.equal(handleOf(conn), client.handle);
      bytesAvailable(conn);
      assert.equal(searches(), 1);
      handleOf(connLike(client)); // another object: searched again
      assert.equal(searches(), 2);
    });
  });

  test("an exposed handle is used only when its socket has the object's addresses", () => {
    using udp = Socket.open("inet", "dgram");
    udp.bind(LOCAL, 0);
    const local = client.localAddress();
    const remote = client.remoteAddress();
    const bunLike = (fd: number) => ({
      readyState: 1,
      fd,
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
    });
    countingSearches((searches) => {
      assert.equal(handleOf(bunLike(Number(client.handle))), client.handle);
      assert.equal(searches(), 0, "the exposed fd, checked: no search");
      // A wrong fd (another socket's, or none at all): found by the search instead.
      assert.equal(handleOf(bunLike(Number(udp.handle))), client.handle);
      assert.equal(handleOf(bunLike(Number(peer.handle))), client.handle);
      assert.equal(handleOf(bunLike(0x7ffffff0)), client.handle);
      assert.equal(searches(), 3);
    });
  });

  test("closed by the runtime's own report: SocketClosedError before any native call", async () => {
    const fake = recordingApi("linux");
    await withFake(fake, () => {
      const closed = { readyState: -1, fd: -1, localPort: 1, remotePort: 2 };
      assert.throws(() => handleOf(closed), { name: "SocketClosedError", message: /^handleOf:/ });
      assert.throws(() => bytesAvailable(closed), { message: /^bytesAvailable: socket is closed/ });
    });
    assert.deepEqual(fake.log, []);
  });

  test("no socket has the addresses: SocketClosedError", () => {
    using s = Socket.open("inet", "dgram");
    s.bind(LOCAL, 0);
    const port = s.localAddress().port;
    s.close();
    assert.throws(() => handleOf(datagramLike(port)), SocketClosedError);
  });

  test("two sockets with the same addresses: AmbiguousHandleError listing both", () => {
    using a = Socket.open("inet", "dgram");
    a.setOption("reuseAddress", true);
    a.bind(LOCAL, 0);
    using b = Socket.open("inet", "dgram");
    b.setOption("reuseAddress", true);
    b.bind(LOCAL, a.localAddress().port);
    const o = datagramLike(a.localAddress().port);
    assert.throws(() => handleOf(o), (e: unknown) => {
      assert.ok(e instanceof AmbiguousHandleError);
      assert.equal(e.name, "AmbiguousHandleError");
      assert.deepEqual(e.handles, [a.handle, b.handle].sort((x, y) => (x < y ? -1 : 1)));
      assert.match(e.message, /^handleOf: 2 sockets of this process \(handles \d+, \d+\)/);
      assert.match(e.message, /Deno\.DatagramConn: cannot tell which is its own$/);
      return true;
    });
    // One of them connected: the unconnected one is the object's (it reports no peer).
    b.connect(LOCAL, 9);
    assert.equal(handleOf(datagramLike(a.localAddress().port)), a.handle);
  });

  test("a runtime that cannot say: the kept handle is checked on each call", () => {
    const first = Socket.open("inet", "dgram");
    first.bind(LOCAL, 0);
    const port = first.localAddress().port;
    const o = datagramLike(port);
    const h = first.handle;
    assert.equal(handleOf(o), h);
    first.close();
    using _hold = Socket.open("inet", "stream"); // takes the number (lowest free), not the address
    using again = Socket.open("inet", "dgram");
    again.bind(LOCAL, port); // the address, on another number
    assert.notEqual(again.handle, h);
    assert.throws(() => handleOf(o), SocketClosedError);
    // Closed for good: never the new socket that has its address now.
    assert.throws(() => handleOf(o), SocketClosedError);
    assert.equal(handleOf(datagramLike(port)), again.handle); // a new object finds it
  });

  test("NativeApi.socketIdentity: each socket its own on Linux, the same on every ask", () => {
    const native = nativeApi();
    const out = new BigUint64Array(2);
    const a = Socket.open("inet", "dgram");
    using b = Socket.open("inet", "stream");
    const r = native.socketIdentity(a.handle, out);
    if (native.os !== "linux") {
      assert.equal(r, 0, "no identity here");
      a.close();
      return;
    }
    assert.equal(r, 1);
    const first = [...out];
    assert.equal(native.socketIdentity(a.handle, out), 1);
    assert.deepEqual([...out], first);
    assert.equal(native.socketIdentity(b.handle, out), 1);
    assert.equal(out[0], first[0], "one device for every socket (sockfs)");
    assert.notEqual(out[1], first[1], "an inode number of its own");
    const h = a.handle;
    a.close();
    assert.equal(native.socketIdentity(h, out), -1);
    assert.equal(native.socketIdentity(-1n, out), -1);
  });

  test("a new socket with both the number and the address of the kept one: SocketClosedError", () => {
    const first = Socket.open("inet", "dgram");
    first.bind(LOCAL, 0);
    const port = first.localAddress().port;
    const o = datagramLike(port);
    const h = handleOf(o);
    first.close();
    using again = Socket.open("inet", "dgram"); // the lowest free number: the one just freed
    again.bind(LOCAL, port);
    assert.equal(again.handle, h, "the same number");
    assert.throws(() => bytesAvailable(o), SocketClosedError);
    assert.throws(() => handleOf(o), SocketClosedError);
  });

  test("the identity is checked after the object's getters: one that swaps the socket", () => {
    const first = Socket.open("inet", "dgram");
    first.bind(LOCAL, 0);
    const port = first.localAddress().port;
    const h = first.handle;
    let again: Socket | undefined;
    let swap = false;
    // Bun-shaped: says it is open, and exposes its fd through a getter.
    const o = {
      closed: false,
      address: { address: LOCAL, port },
      send() {},
      get fd() {
        if (swap && again === undefined) {
          first.close();
          again = Socket.open("inet", "dgram"); // the number just freed
          again.bind(LOCAL, port);
        }
        return Number(h);
      },
    };
    try {
      assert.equal(handleOf(o), h);
      swap = true;
      assert.throws(() => handleOf(o), SocketClosedError);
      assert.equal(again?.handle, h, "the getter put another socket under the number");
    } finally {
      first.close();
      again?.close();
    }
  });

  test("no identity (Windows, macOS) and a runtime that cannot say: refused, not guessed", () => {
    using s = Socket.open("inet", "dgram");
    s.bind(LOCAL, 0);
    const port = s.localAddress().port;
    const real = nativeApi();
    const restore = _swapNativeApi({ ...real, socketIdentity: () => 0 });
    try {
      assert.throws(() => handleOf(datagramLike(port)), {
        name: "UnsupportedError",
        message:
          /^handleOf: the handle of a Deno\.DatagramConn whose runtime cannot say whether it is open/,
      });
      // A runtime that says it is open: its kept answer stands on its word.
      const bunLike = { closed: false, address: { address: LOCAL, port }, send() {} };
      assert.equal(handleOf(bunLike), s.handle);
      assert.equal(bytesAvailable(bunLike), 0);
    } finally {
      restore();
    }
  });
});
