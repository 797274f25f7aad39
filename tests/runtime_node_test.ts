// handleOf and the typed calls on node:net / node:dgram sockets (net.Server, net.Socket on both
// ends, dgram.Socket): Node's `_handle.fd` where it is real (checked to be the socket with the
// runtime's addresses), else the search by address — the node: modules of Deno and Bun run this
// file too. Calls on them act on the runtime's socket; a borrowed Socket never closes it; closed or
// not-yet-open objects give SocketClosedError before any native call (one not open yet says so);
// a net.Server that listens again, or a net.Socket that connects again, has its new socket found.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import {
  AmbiguousHandleError,
  bytesAvailable,
  handleOf,
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

const LOCAL = "127.0.0.1";

const once = <T>(emitter: { once(event: string, f: (v: T) => void): unknown }, event: string) =>
  new Promise<T>((resolve) => emitter.once(event, resolve));

/** The fd Node exposes for a socket, when it has a real one (Node on POSIX). */
function exposedFd(o: object): number | undefined {
  const fd = (o as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : undefined;
}

function addressOf(o: net.Server | dgram.Socket): { address: string; port: number } {
  const a = o.address() as net.AddressInfo;
  return { address: a.address, port: a.port };
}

describe("node:net and node:dgram sockets", () => {
  let server: net.Server;
  let client: net.Socket;
  let accepted: net.Socket;
  let udp: dgram.Socket;
  const toClient: number[] = [];

  before(async () => {
    server = net.createServer();
    server.listen(0, LOCAL);
    await once(server, "listening");
    const incoming = once<net.Socket>(server, "connection");
    client = net.connect(addressOf(server).port, LOCAL);
    client.on("data", (d: Uint8Array) => toClient.push(...d));
    await once(client, "connect");
    accepted = await incoming;
    udp = dgram.createSocket("udp4");
    udp.bind(0, LOCAL);
    await once(udp, "listening");
  });
  after(async () => {
    client.destroy();
    accepted.destroy();
    udp.close();
    await new Promise((resolve) => server.close(resolve));
  });

  test("handleOf finds the socket with the runtime's addresses, for every kind", () => {
    const s = handleOf(server);
    assertSocketOf(s, "stream", addressOf(server), null);
    const c = handleOf(client);
    const ends = (x: net.Socket) => ({
      local: { address: x.localAddress!, port: x.localPort! },
      remote: { address: x.remoteAddress!, port: x.remotePort! },
    });
    assertSocketOf(c, "stream", ends(client).local, ends(client).remote);
    const a = handleOf(accepted);
    assertSocketOf(a, "stream", ends(accepted).local, ends(accepted).remote);
    const u = handleOf(udp);
    assertSocketOf(u, "dgram", addressOf(udp), null);
    assert.equal(new Set([s, c, a, u]).size, 4);
    // Where the runtime exposes its fd, that is the answer.
    for (const [o, h] of [[server, s], [client, c], [accepted, a]] as const) {
      const fd = exposedFd(o);
      if (fd !== undefined) assert.equal(h, BigInt(fd));
    }
  });

  test("bytesAvailable on the accepted socket counts what the peer sent", async () => {
    accepted.pause(); // the runtime stops reading: the bytes stay in the socket
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sent = pattern(1500);
    client.write(sent);
    await waitUntil(() => bytesAvailable(accepted) === sent.length, "1500 bytes queued");
    assert.equal(bytesAvailable(accepted), 1500);
    const got: number[] = [];
    accepted.on("data", (d: Uint8Array) => got.push(...d));
    accepted.resume();
    await waitUntil(() => got.length === sent.length, "the runtime to read them");
    assert.deepEqual(got, [...sent]);
    accepted.removeAllListeners("data");
  });

  test("setKeepAlive and setUdpConnReset take the runtime's sockets", async () => {
    setKeepAlive(client, { enabled: true, timeMs: 11_000, intervalMs: 4_000 });
    assert.deepEqual(keepAliveOf(handleOf(client)), [true, 11, 4]);
    setUdpConnReset(udp, false);
    using peer = Socket.open("inet", "dgram");
    const message = once<Uint8Array>(udp, "message");
    peer.sendTo(new Uint8Array([5, 6]), LOCAL, addressOf(udp).port);
    assert.deepEqual([...await message], [5, 6]);
  });

  test("a borrowed Socket never closes the runtime's socket: close(), using, GC", async (t) => {
    if (skipWithoutGc(t)) return;
    const h = handleOf(accepted);
    await borrowAndDrop(h);
    const got: number[] = [];
    accepted.on("data", (d: Uint8Array) => got.push(...d));
    client.write(pattern(10));
    await waitUntil(() => got.length === 10, "10 bytes to the accepted socket");
    accepted.write(pattern(20));
    await waitUntil(() => toClient.length === 20, "20 bytes back");
    assert.deepEqual(toClient.splice(0), [...pattern(20)]);
    assert.equal(accepted.destroyed, false);
    assertSocketOf(
      h,
      "stream",
      { address: accepted.localAddress!, port: accepted.localPort! },
      { address: accepted.remoteAddress!, port: accepted.remotePort! },
    );
  });

  test("closed and not-yet-open objects: SocketClosedError before any native call", async () => {
    const srv = net.createServer();
    srv.listen(0, LOCAL);
    await once(srv, "listening");
    const incoming = once<net.Socket>(srv, "connection");
    const c = net.connect(addressOf(srv).port, LOCAL);
    await once(c, "connect");
    const a = await incoming;
    const u = dgram.createSocket("udp4");
    u.bind(0, LOCAL);
    await once(u, "listening");
    for (const o of [srv, c, a, u]) handleOf(o);
    c.destroy();
    a.destroy();
    u.close();
    await new Promise((resolve) => srv.close(resolve));
    const unbound = dgram.createSocket("udp4");
    const idle = net.createServer();
    const fake = recordingApi("linux");
    await withFake(fake, () => {
      for (const o of [srv, c, a, u, unbound, idle]) {
        assert.throws(() => handleOf(o), SocketClosedError);
      }
      assert.throws(() => bytesAvailable(a), { name: "SocketClosedError" });
    });
    assert.deepEqual(fake.log, [], "no native call");
    unbound.close();
  });

  test("not open yet: SocketClosedError that says so, and what the socket lacks", async () => {
    const fresh = new net.Socket();
    const idle = net.createServer();
    const unbound = dgram.createSocket("udp4");
    const accepted: net.Socket[] = [];
    const onConnection = (a: net.Socket) => accepted.push(a);
    server.on("connection", onConnection);
    const connecting = net.connect(addressOf(server).port, LOCAL); // pending until 'connect'
    let connected = false;
    const notOpen = (name: string, lacks: string) => ({
      name: "SocketClosedError",
      message: `handleOf: this ${name} is not open yet (${lacks})`,
    });
    try {
      const fake = recordingApi("linux");
      await withFake(fake, () => {
        assert.throws(() => handleOf(fresh), notOpen("net.Socket", "not connected"));
        assert.throws(() => handleOf(connecting), notOpen("net.Socket", "not connected"));
        assert.throws(() => handleOf(idle), notOpen("net.Server", "not listening"));
        assert.throws(() => handleOf(unbound), notOpen("dgram.Socket", "not bound"));
        assert.throws(() => bytesAvailable(fresh), {
          name: "SocketClosedError",
          message: "bytesAvailable: this net.Socket is not open yet (not connected)",
        });
      });
      assert.deepEqual(fake.log, [], "no native call");
      await once(connecting, "connect");
      connected = true;
      assert.ok(handleOf(connecting) >= 0n, "open once connected");
      connecting.destroy();
      await once(connecting, "close");
      assert.throws(() => handleOf(connecting), {
        name: "SocketClosedError",
        message: "handleOf: socket is closed",
      });
    } finally {
      connecting.destroy();
      unbound.close();
      if (connected) await waitUntil(() => accepted.length === 1, "the accepted connection");
      server.off("connection", onConnection);
      for (const a of accepted) a.destroy();
    }
  });

  test("a net.Server that listens again: the new socket, never the old number", async () => {
    const srv = net.createServer();
    srv.listen(0, LOCAL);
    await once(srv, "listening");
    const first = handleOf(srv);
    await new Promise((resolve) => srv.close(resolve));
    // Another socket takes the lowest free number (mostly the one just freed), listening elsewhere.
    using other = Socket.open("inet", "stream");
    other.bind(LOCAL, 0);
    other.listen();
    srv.listen(0, LOCAL);
    await once(srv, "listening");
    try {
      const h = handleOf(srv);
      assertSocketOf(h, "stream", addressOf(srv), null);
      assert.notEqual(h, other.handle, `the first listen's number was ${first}`);
      setKeepAlive(srv, { enabled: true, timeMs: 13_000, intervalMs: 6_000 });
      assert.deepEqual(keepAliveOf(h), [true, 13, 6]);
      assert.equal(other.getOption("keepAlive"), false, "the other socket is untouched");
    } finally {
      await new Promise((resolve) => srv.close(resolve));
    }
  });

  test("a net.Socket that connects again after 'close': its new socket", async () => {
    const servers = [net.createServer(), net.createServer()];
    const accepted: net.Socket[] = [];
    for (const srv of servers) {
      srv.on("connection", (a: net.Socket) => accepted.push(a));
      srv.listen(0, LOCAL);
      await once(srv, "listening");
    }
    const c = net.connect(addressOf(servers[0]).port, LOCAL);
    try {
      await once(c, "connect");
      const first = handleOf(c);
      c.destroy();
      await once(c, "close");
      using other = Socket.open("inet", "dgram"); // takes the lowest free number
      other.bind(LOCAL, 0);
      c.connect(addressOf(servers[1]).port, LOCAL);
      await once(c, "connect");
      const h = handleOf(c);
      assert.notEqual(h, other.handle, `the first connection's number was ${first}`);
      assertSocketOf(
        h,
        "stream",
        { address: c.localAddress!, port: c.localPort! },
        { address: LOCAL, port: addressOf(servers[1]).port },
      );
    } finally {
      c.destroy();
      await waitUntil(() => accepted.length === 2, "both connections accepted");
      for (const a of accepted) a.destroy();
      for (const srv of servers) await new Promise((resolve) => srv.close(resolve));
    }
  });

  test("two UDP sockets on one port: the exposed fd tells them apart, else ambiguity", async () => {
    const first = dgram.createSocket({ type: "udp4", reuseAddr: true });
    first.bind(0, LOCAL);
    await once(first, "listening");
    const second = dgram.createSocket({ type: "udp4", reuseAddr: true });
    second.bind(addressOf(first).port, LOCAL);
    await once(second, "listening");
    try {
      for (const o of [first, second]) {
        const state = Object.getOwnPropertySymbols(o)
          .map((k) => (o as unknown as Record<symbol, { handle?: { fd?: unknown } }>)[k])
          .find((v) => typeof v === "object" && v !== null && "handle" in v);
        const fd = state?.handle?.fd;
        if (typeof fd === "number" && fd >= 0) {
          assert.equal(handleOf(o), BigInt(fd));
        } else {
          assert.throws(() => handleOf(o), AmbiguousHandleError);
        }
      }
    } finally {
      first.close();
      second.close();
    }
  });
});
