// handleOf on Windows (the Wine bed), on the runtimes' own sockets: Deno.listen / Deno.connect /
// accept / Deno.listenDatagram (--unstable-net) under deno.exe, Bun.listen / Bun.connect /
// Bun.udpSocket under bun.exe, node:net / node:dgram under both. The SOCKET found is the one whose
// getsockname / getpeername / SO_TYPE are the runtime's; setUdpConnReset and setKeepAlive reach
// WSAIoctl on it (keep-alive read back through a borrowed Socket); the runtime's socket keeps
// working; a borrowed Socket never closes it. Windows has no socket identity: a closed object is
// told by its runtime (Deno asked about its resource), a socket opened again is found again, and
// an object whose runtime cannot say is refused.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import {
  bytesAvailable,
  handleOf,
  setKeepAlive,
  setUdpConnReset,
  Socket,
  SocketClosedError,
} from "../../mod.ts";
import {
  assertSocketOf,
  borrowAndDrop,
  keepAliveOf,
  pattern,
  waitUntil,
} from "../_helpers/runtime_sockets.ts";

// The Bun APIs used, declared here: this file type-checks under `deno check` without bun-types.
interface BunSocket {
  readonly fd: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly readyState: number;
  write(data: Uint8Array): number;
  end(): void;
  pause(): void;
  resume(): void;
}
type Handler = { open?(s: BunSocket): void; data(s: BunSocket, data: Uint8Array): void };
interface BunApi {
  listen(o: { hostname: string; port: number; socket: Handler }): {
    readonly fd: number;
    readonly port: number;
    readonly hostname: string;
    stop(closeActive?: boolean): void;
  };
  connect(o: { hostname: string; port: number; socket: Handler }): Promise<BunSocket>;
  udpSocket(o: {
    hostname: string;
    port: number;
    socket?: { data(s: unknown, data: Uint8Array): void };
  }): Promise<{
    readonly fd: number;
    readonly closed: boolean;
    readonly address: { address: string; port: number };
    send(data: Uint8Array, port: number, address: string): boolean;
    close(): void;
  }>;
}
declare const Bun: BunApi;

const LOCAL = "127.0.0.1";
const isBun = typeof Bun !== "undefined";
const denoNet = (a: Deno.Addr) => a as Deno.NetAddr;
const ends = (a: Deno.Addr) => ({ address: denoNet(a).hostname, port: denoNet(a).port });
describe("Deno's sockets on Windows", { skip: isBun && "deno.exe only" }, () => {
  test("handleOf finds each SOCKET; the calls reach it; Deno's sockets keep working", async () => {
    const listener = Deno.listen({ hostname: LOCAL, port: 0 });
    const client = await Deno.connect({ hostname: LOCAL, port: denoNet(listener.addr).port });
    const accepted = await listener.accept();
    const udp = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
    try {
      const started = performance.now();
      const handles = [handleOf(listener), handleOf(client), handleOf(accepted), handleOf(udp)];
      console.log(
        `handleOf × 4 (searches): ${(performance.now() - started).toFixed(1)} ms; SOCKETs ` +
          handles.map((h) => `0x${h.toString(16)}`).join(" "),
      );
      assertSocketOf(handles[0], "stream", ends(listener.addr), null);
      assertSocketOf(handles[1], "stream", ends(client.localAddr), ends(client.remoteAddr));
      assertSocketOf(handles[2], "stream", ends(accepted.localAddr), ends(accepted.remoteAddr));
      assertSocketOf(handles[3], "dgram", ends(udp.addr), null);
      assert.equal(new Set(handles).size, 4);

      setKeepAlive(client, { enabled: true, timeMs: 7_000, intervalMs: 3_000 });
      assert.deepEqual(keepAliveOf(handles[1]), [true, 7, 3]);
      setUdpConnReset(udp, false);

      await client.write(pattern(700));
      await waitUntil(() => bytesAvailable(accepted) === 700, "700 bytes queued");
      await borrowAndDrop(handles[2]);
      const into = new Uint8Array(700);
      let got = 0;
      while (got < 700) got += (await accepted.read(into.subarray(got)))!;
      assert.deepEqual(into, pattern(700));
      await accepted.write(pattern(5));
      assert.equal(await client.read(new Uint8Array(5)), 5);

      await borrowAndDrop(handles[3]);
      using peer = Socket.open("inet", "dgram");
      peer.bind(LOCAL, 0);
      peer.sendTo(new Uint8Array([1, 2, 3]), LOCAL, denoNet(udp.addr).port);
      const [data, from] = await udp.receive();
      assert.deepEqual([...data], [1, 2, 3]);
      await udp.send(new Uint8Array([4]), from);
      assert.equal(peer.recvFrom(new Uint8Array(4)).bytes, 1);
    } finally {
      client.close();
      accepted.close();
      listener.close();
      udp.close();
    }
    assert.throws(() => handleOf(client), SocketClosedError);
    assert.throws(() => setUdpConnReset(udp, false), SocketClosedError);
  });

  test("a closed DatagramConn: never the socket that took its port, or shares it", () => {
    const u = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
    const port = denoNet(u.addr).port;
    handleOf(u);
    u.close();
    const v = Deno.listenDatagram({ hostname: LOCAL, port, transport: "udp" });
    const options = { hostname: LOCAL, port: 0, transport: "udp", reuseAddress: true } as const;
    const first = Deno.listenDatagram(options);
    const second = Deno.listenDatagram({ ...options, port: denoNet(first.addr).port });
    first.close(); // before handleOf ever saw it
    try {
      assert.throws(() => bytesAvailable(u), SocketClosedError);
      assertSocketOf(handleOf(v), "dgram", { address: LOCAL, port }, null);
      assert.throws(() => handleOf(first), SocketClosedError);
      assertSocketOf(handleOf(second), "dgram", ends(second.addr), null);
    } finally {
      v.close();
      second.close();
    }
  });
});

const once = <T>(emitter: { once(event: string, f: (v: T) => void): unknown }, event: string) =>
  new Promise<T>((resolve) => emitter.once(event, resolve));
const portOf = (o: net.Server | dgram.Socket) => (o.address() as net.AddressInfo).port;

describe("node:net and node:dgram on Windows", () => {
  test("not open yet: SocketClosedError that says so", () => {
    const unbound = dgram.createSocket("udp4");
    try {
      assert.throws(() => handleOf(new net.Socket()), {
        name: "SocketClosedError",
        message: "handleOf: this net.Socket is not open yet (not connected)",
      });
      assert.throws(() => handleOf(net.createServer()), {
        name: "SocketClosedError",
        message: "handleOf: this net.Server is not open yet (not listening)",
      });
      assert.throws(() => handleOf(unbound), {
        name: "SocketClosedError",
        message: "handleOf: this dgram.Socket is not open yet (not bound)",
      });
    } finally {
      unbound.close();
    }
  });

  test("a net.Server that listens again, a net.Socket that connects again: their new SOCKETs", async () => {
    const srv = net.createServer();
    const accepted: net.Socket[] = [];
    srv.on("connection", (a: net.Socket) => accepted.push(a));
    srv.listen(0, LOCAL);
    await once(srv, "listening");
    const c = net.connect(portOf(srv), LOCAL);
    await once(c, "connect");
    const before = [handleOf(srv), handleOf(c)];
    c.destroy();
    await once(c, "close");
    await new Promise((resolve) => srv.close(resolve));
    for (const a of accepted.splice(0)) a.destroy();
    using other = Socket.open("inet", "stream"); // may take a number just freed
    other.bind(LOCAL, 0);
    other.listen();
    srv.listen(0, LOCAL);
    await once(srv, "listening");
    c.connect(portOf(srv), LOCAL);
    await once(c, "connect");
    try {
      const h = handleOf(srv);
      assertSocketOf(h, "stream", { address: LOCAL, port: portOf(srv) }, null);
      const ch = handleOf(c);
      assertSocketOf(
        ch,
        "stream",
        { address: c.localAddress!, port: c.localPort! },
        { address: LOCAL, port: portOf(srv) },
      );
      setKeepAlive(c, { enabled: true, timeMs: 8_000, intervalMs: 2_000 });
      assert.deepEqual(keepAliveOf(ch), [true, 8, 2]);
      assert.equal(other.getOption("keepAlive"), false, `the first SOCKETs were ${before}`);
    } finally {
      c.destroy();
      await waitUntil(() => accepted.length === 1, "the second connection accepted");
      for (const a of accepted) a.destroy();
      await new Promise((resolve) => srv.close(resolve));
    }
  });
});

describe("Bun's sockets on Windows", { skip: !isBun && "bun.exe only" }, () => {
  test("handleOf is Bun's fd, the SOCKET with Bun's addresses; the calls reach it", async () => {
    let accepted: BunSocket | undefined;
    const toAccepted: number[] = [];
    const toUdp: number[] = [];
    const listener = Bun.listen({
      hostname: LOCAL,
      port: 0,
      socket: { open: (s) => (accepted = s), data: (_s, d) => toAccepted.push(...d) },
    });
    const client = await Bun.connect({
      hostname: LOCAL,
      port: listener.port,
      socket: { data() {} },
    });
    await waitUntil(() => accepted !== undefined, "the accepted socket");
    const udp = await Bun.udpSocket({
      hostname: LOCAL,
      port: 0,
      socket: { data: (_s, d) => toUdp.push(...d) },
    });
    const a = accepted!;
    try {
      const handles = [handleOf(listener), handleOf(client), handleOf(a), handleOf(udp)];
      console.log(`SOCKETs ${handles.map((h) => `0x${h.toString(16)}`).join(" ")}`);
      assert.deepEqual(handles, [listener.fd, client.fd, a.fd, udp.fd].map(BigInt));
      assertSocketOf(handles[0], "stream", { address: LOCAL, port: listener.port }, null);
      const sock = (s: BunSocket) =>
        [
          { address: s.localAddress, port: s.localPort },
          { address: s.remoteAddress, port: s.remotePort },
        ] as const;
      assertSocketOf(handles[1], "stream", ...sock(client));
      assertSocketOf(handles[2], "stream", ...sock(a));
      assertSocketOf(handles[3], "dgram", udp.address, null);

      setKeepAlive(client, { enabled: true, timeMs: 9_000, intervalMs: 2_000 });
      assert.deepEqual(keepAliveOf(handles[1]), [true, 9, 2]);
      setUdpConnReset(udp, false);

      a.pause();
      client.write(pattern(300));
      await waitUntil(() => bytesAvailable(a) === 300, "300 bytes queued");
      await borrowAndDrop(handles[2]);
      a.resume();
      await waitUntil(() => toAccepted.length === 300, "Bun to read them");
      assert.deepEqual(toAccepted, [...pattern(300)]);

      await borrowAndDrop(handles[3]);
      using peer = Socket.open("inet", "dgram");
      peer.sendTo(new Uint8Array([1, 2, 3]), LOCAL, udp.address.port);
      await waitUntil(() => toUdp.length === 3, "the datagram");
    } finally {
      client.end();
      a.end();
      listener.stop(true);
      udp.close();
    }
    assert.throws(() => handleOf(udp), SocketClosedError);
  });
});

describe("the search's cost with 1,000 more sockets open", () => {
  test("a search among ~1,000 socket handles finds the one", () => {
    const many = Array.from({ length: 1000 }, () => Socket.open("inet", "dgram"));
    try {
      using target = Socket.open("inet", "dgram");
      target.bind(LOCAL, 0);
      const port = target.localAddress().port;
      // Bun-shaped without an fd: the runtime says it is open, and the search finds its handle.
      const like = () => ({ closed: false, address: { address: LOCAL, port }, send() {} });
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        assert.equal(handleOf(like()), target.handle);
        times.push(performance.now() - started);
      }
      console.log(`handleOf search, ~1,000 sockets open: ${times.map((t) => t.toFixed(1))} ms`);
      // A runtime that cannot say whether it is open (Deno-shaped, no Deno resource behind it):
      // Windows has no identity to prove the handle by, so it is refused, never guessed.
      const unsure = { addr: { transport: "udp", hostname: LOCAL, port }, receive() {}, send() {} };
      assert.throws(() => handleOf(unsure), {
        name: "UnsupportedError",
        message: /^handleOf: the handle of a Deno\.DatagramConn whose runtime cannot say/,
      });
    } finally {
      for (const s of many) s.close();
    }
  });
});
