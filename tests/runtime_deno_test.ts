// handleOf and the typed calls on Deno's own sockets (Deno.listen, Deno.connect, accept,
// Deno.listenDatagram with --unstable-net): the handle found is the socket whose addresses are
// Deno's; calls on it act on Deno's socket; a borrowed Socket never closes it; closed objects (a
// DatagramConn too: Deno is asked about its resource) give SocketClosedError before any native
// call, never the socket that took their number or shares their port; ambiguous addresses give
// AmbiguousHandleError. Runs under Deno only (skipped elsewhere).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AmbiguousHandleError,
  bytesAvailable,
  FIONREAD,
  handleOf,
  ioctl,
  setKeepAlive,
  setUdpConnReset,
  Socket,
  SocketClosedError,
} from "../mod.ts";
import { skipWithoutGc } from "./_helpers/gc.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import {
  assertSocketOf,
  borrowAndDrop,
  keepAliveOf,
  pattern,
  waitUntil,
} from "./_helpers/runtime_sockets.ts";

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno === "object" &&
  typeof (globalThis as { Bun?: unknown }).Bun === "undefined";
const skip = !isDeno && "Deno's own sockets: run under Deno";

const LOCAL = "127.0.0.1";
const net = (a: Deno.Addr) => a as Deno.NetAddr;
const ends = (a: Deno.Addr) => ({ address: net(a).hostname, port: net(a).port });

/** Reads exactly `n` bytes from a Deno connection. */
async function readAll(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  for (let got = 0; got < n;) {
    const r = await conn.read(out.subarray(got));
    assert.ok(r !== null, "the connection ended early");
    got += r;
  }
  return out;
}

describe("Deno sockets", { skip }, () => {
  let listener: Deno.Listener;
  let client: Deno.TcpConn;
  let accepted: Deno.Conn;
  let udp: Deno.DatagramConn;

  before(async () => {
    listener = Deno.listen({ hostname: LOCAL, port: 0 });
    client = await Deno.connect({ hostname: LOCAL, port: net(listener.addr).port });
    accepted = await listener.accept();
    udp = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  });
  after(() => {
    for (const c of [client, accepted, listener, udp]) {
      try {
        c.close();
      } catch {
        // closed by a test
      }
    }
  });

  test("handleOf finds the socket whose addresses are Deno's, for every kind", () => {
    const handles = new Set<bigint>();
    const l = handleOf(listener);
    assertSocketOf(l, "stream", ends(listener.addr), null);
    const c = handleOf(client);
    assertSocketOf(c, "stream", ends(client.localAddr), ends(client.remoteAddr));
    const a = handleOf(accepted);
    assertSocketOf(a, "stream", ends(accepted.localAddr), ends(accepted.remoteAddr));
    const u = handleOf(udp);
    assertSocketOf(u, "dgram", ends(udp.addr), null);
    for (const h of [l, c, a, u]) handles.add(h);
    assert.equal(handles.size, 4, "four sockets, four handles");
    // Kept per object: the same answer again.
    assert.equal(handleOf(client), c);
    assert.equal(handleOf(udp), u);
  });

  test("bytesAvailable and ioctl on the accepted connection count what the peer sent", async () => {
    const sent = pattern(1234);
    await client.write(sent);
    await waitUntil(() => bytesAvailable(accepted) === sent.length, "1234 bytes queued");
    assert.equal(bytesAvailable(accepted), 1234);
    const count = new Uint32Array(1);
    assert.equal(ioctl(accepted, FIONREAD, null, count), 4);
    assert.equal(count[0], 1234);
    // Deno still reads them all: nothing was consumed.
    assert.deepEqual(await readAll(accepted, sent.length), sent);
    assert.equal(bytesAvailable(accepted), 0);
  });

  test("setKeepAlive on a Deno.connect connection reaches its socket", () => {
    setKeepAlive(client, { enabled: true, timeMs: 7_000, intervalMs: 3_000 });
    assert.deepEqual(keepAliveOf(handleOf(client)), [true, 7, 3]);
  });

  test("setUdpConnReset(udp, false) runs on a Deno.DatagramConn, which keeps working", async () => {
    setUdpConnReset(udp, false);
    using peer = Socket.open("inet", "dgram");
    peer.bind(LOCAL, 0);
    peer.sendTo(new Uint8Array([1, 2, 3]), LOCAL, net(udp.addr).port);
    const [data, from] = await udp.receive();
    assert.deepEqual([...data], [1, 2, 3]);
    await udp.send(new Uint8Array([4, 5]), from);
    const into = new Uint8Array(8);
    assert.equal(peer.recvFrom(into).bytes, 2);
  });

  test("a borrowed Socket never closes Deno's socket: close(), using, garbage collection", async (t) => {
    if (skipWithoutGc(t)) return;
    const h = handleOf(accepted);
    await borrowAndDrop(h);
    // Both directions still work, and the handle is still the connection's.
    await client.write(pattern(10));
    assert.deepEqual(await readAll(accepted, 10), pattern(10));
    await accepted.write(pattern(20));
    assert.deepEqual(await readAll(client, 20), pattern(20));
    assert.equal(handleOf(accepted), h);
    assertSocketOf(h, "stream", ends(accepted.localAddr), ends(accepted.remoteAddr));
  });

  test("closed Deno objects: SocketClosedError, before any native call where Deno tells", async () => {
    const l = Deno.listen({ hostname: LOCAL, port: 0 });
    const c = await Deno.connect({ hostname: LOCAL, port: net(l.addr).port });
    const a = await l.accept();
    const h = handleOf(c); // found while open, kept
    assert.ok(h >= 0n);
    c.close();
    a.close();
    l.close();
    const fake = recordingApi("linux");
    await withFake(fake, () => {
      for (const o of [c, a, l]) assert.throws(() => handleOf(o), SocketClosedError);
      assert.throws(() => bytesAvailable(c), {
        name: "SocketClosedError",
        message: /bytesAvailable/,
      });
    });
    assert.deepEqual(fake.log, [], "no native call");
  });

  test("a closed Deno.DatagramConn: SocketClosedError before any native call", async () => {
    const u = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
    const v = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
    handleOf(u); // kept
    u.close();
    v.close(); // never seen while open
    const fake = recordingApi("linux");
    await withFake(fake, () => {
      for (const o of [u, v]) assert.throws(() => handleOf(o), SocketClosedError);
      assert.throws(() => setUdpConnReset(u, false), {
        name: "SocketClosedError",
        message: "setUdpConnReset: socket is closed",
      });
    });
    assert.deepEqual(fake.log, [], "no native call");
  });

  test("a closed Deno.DatagramConn whose port and number a new one took: never the new one", async () => {
    const u = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
    const port = net(u.addr).port;
    const h = handleOf(u);
    u.close();
    const v = Deno.listenDatagram({ hostname: LOCAL, port, transport: "udp" });
    try {
      assert.equal(handleOf(v), h, "the new socket has the old number too (lowest free)");
      using peer = Socket.open("inet", "dgram");
      peer.sendTo(pattern(9), LOCAL, port);
      await waitUntil(() => bytesAvailable(v) === 9, "a datagram for the new socket");
      assert.throws(() => bytesAvailable(u), SocketClosedError);
      assert.throws(() => handleOf(u), SocketClosedError);
    } finally {
      v.close();
    }
  });

  test("a DatagramConn closed before handleOf saw it, its port shared: SocketClosedError", () => {
    const options = { hostname: LOCAL, port: 0, transport: "udp", reuseAddress: true } as const;
    const first = Deno.listenDatagram(options);
    const port = net(first.addr).port;
    const second = Deno.listenDatagram({ ...options, port });
    try {
      first.close();
      assert.throws(() => handleOf(first), SocketClosedError);
      assertSocketOf(handleOf(second), "dgram", { address: LOCAL, port }, null);
    } finally {
      second.close();
    }
  });

  test("a DatagramConn closed while a receive() is pending: SocketClosedError at once", async () => {
    const u = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
    handleOf(u);
    const settled = assert.rejects(u.receive());
    u.close();
    assert.throws(() => bytesAvailable(u), SocketClosedError);
    await settled;
  });

  test("a unixpacket DatagramConn has no handle to find: TypeError, not 'closed'", () => {
    const path = Deno.makeTempFileSync();
    Deno.removeSync(path);
    const listen = Deno.listenDatagram as (o: { path: string; transport: string }) => object;
    const u = listen({ path, transport: "unixpacket" }) as Deno.DatagramConn;
    try {
      assert.throws(() => handleOf(u), { name: "TypeError", message: /has no IP address/ });
    } finally {
      u.close();
      Deno.removeSync(path);
    }
  });

  test("two UDP sockets on one port (reuseAddress): AmbiguousHandleError, no guess", () => {
    const first = Deno.listenDatagram({
      hostname: LOCAL,
      port: 0,
      transport: "udp",
      reuseAddress: true,
    });
    const port = net(first.addr).port;
    const second = Deno.listenDatagram({
      hostname: LOCAL,
      port,
      transport: "udp",
      reuseAddress: true,
    });
    try {
      for (const o of [first, second]) {
        assert.throws(() => handleOf(o), (e: unknown) => {
          assert.ok(e instanceof AmbiguousHandleError);
          assert.equal(e.handles.length, 2);
          assert.match(e.message, /2 sockets .* Deno\.DatagramConn: cannot tell which/);
          for (const h of e.handles) assertSocketOf(h, "dgram", { address: LOCAL, port }, null);
          return true;
        });
      }
    } finally {
      first.close();
      second.close();
    }
  });

  test("two listeners on one port (reusePort): AmbiguousHandleError", () => {
    const first = Deno.listen({ hostname: LOCAL, port: 0, reusePort: true });
    const second = Deno.listen({ hostname: LOCAL, port: net(first.addr).port, reusePort: true });
    try {
      assert.throws(() => handleOf(second), AmbiguousHandleError);
    } finally {
      first.close();
      second.close();
    }
  });
});
