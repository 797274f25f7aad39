// handleOf and the typed calls on Bun's own sockets (Bun.listen, Bun.connect, the listener's
// accepted socket, Bun.udpSocket): Bun's `fd` is used once its socket is checked to have Bun's
// addresses; calls on it act on Bun's socket; a borrowed Socket never closes it; closed objects
// give SocketClosedError before any native call. Runs under Bun only (skipped elsewhere).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
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

// The few Bun APIs used, declared here: this file type-checks under `deno check` without bun-types.
interface BunSocket {
  readonly fd: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly readyState: -2 | -1 | 0 | 1 | 2;
  write(data: Uint8Array): number;
  end(): void;
  pause(): void;
  resume(): void;
}
interface BunListener {
  readonly fd: number;
  readonly port: number;
  readonly hostname: string;
  stop(closeActiveConnections?: boolean): void;
  reload(options: unknown): void;
}
interface BunUdp {
  readonly fd: number;
  readonly port: number;
  readonly closed: boolean;
  readonly address: { address: string; port: number };
  send(data: Uint8Array, port: number, address: string): boolean;
  close(): void;
}
type Handler = {
  open?(s: BunSocket): void;
  data(s: BunSocket, data: Uint8Array): void;
};
interface BunApi {
  listen(o: { hostname: string; port: number; socket: Handler }): BunListener;
  connect(o: { hostname: string; port: number; socket: Handler }): Promise<BunSocket>;
  udpSocket(o: {
    hostname: string;
    port: number;
    socket?: { data(s: BunUdp, data: Uint8Array, port: number, address: string): void };
  }): Promise<BunUdp>;
}
declare const Bun: BunApi;

const skip = typeof Bun === "undefined" && "Bun's own sockets: run under Bun";
const LOCAL = "127.0.0.1";
const ends = (address: string, port: number) => ({ address, port });
/** A Bun socket's local and remote address, as Bun reports them. */
const sides = (s: BunSocket) =>
  [ends(s.localAddress, s.localPort), ends(s.remoteAddress, s.remotePort)] as const;

describe("Bun sockets", { skip }, () => {
  let listener: BunListener;
  let client: BunSocket;
  let accepted: BunSocket;
  let udp: BunUdp;
  const toClient: number[] = [];
  const toAccepted: number[] = [];
  const toUdp: number[] = [];

  before(async () => {
    let opened: BunSocket | undefined;
    listener = Bun.listen({
      hostname: LOCAL,
      port: 0,
      socket: {
        open: (s) => (opened = s),
        data: (_s, d) => toAccepted.push(...d),
      },
    });
    client = await Bun.connect({
      hostname: LOCAL,
      port: listener.port,
      socket: { data: (_s, d) => toClient.push(...d) },
    });
    await waitUntil(() => opened !== undefined, "the accepted socket");
    accepted = opened!;
    udp = await Bun.udpSocket({
      hostname: LOCAL,
      port: 0,
      socket: { data: (_s, d) => toUdp.push(...d) },
    });
  });
  after(() => {
    client.end();
    accepted.end();
    listener.stop(true);
    udp.close();
  });

  test("handleOf is Bun's fd, checked to be the socket with Bun's addresses", () => {
    const l = handleOf(listener);
    assert.equal(l, BigInt(listener.fd));
    assertSocketOf(l, "stream", ends(LOCAL, listener.port), null);
    for (const s of [client, accepted]) {
      const h = handleOf(s);
      assert.equal(h, BigInt(s.fd));
      assertSocketOf(h, "stream", ...sides(s));
    }
    const u = handleOf(udp);
    assert.equal(u, BigInt(udp.fd));
    assertSocketOf(u, "dgram", ends(udp.address.address, udp.address.port), null);
  });

  test("bytesAvailable on the accepted socket counts what the peer sent", async () => {
    accepted.pause(); // Bun leaves the bytes in the socket until resume()
    const sent = pattern(1234);
    client.write(sent);
    await waitUntil(() => bytesAvailable(accepted) === sent.length, "1234 bytes queued");
    assert.equal(bytesAvailable(accepted), 1234);
    assert.deepEqual(toAccepted, [], "Bun has read nothing yet");
    accepted.resume();
    await waitUntil(() => toAccepted.length === sent.length, "Bun to read them");
    assert.deepEqual(toAccepted.splice(0), [...sent]);
    assert.equal(bytesAvailable(accepted), 0);
  });

  test("setKeepAlive and setUdpConnReset take Bun's sockets", async () => {
    setKeepAlive(client, { enabled: true, timeMs: 9_000, intervalMs: 2_000 });
    assert.deepEqual(keepAliveOf(handleOf(client)), [true, 9, 2]);
    setUdpConnReset(udp, false);
    using peer = Socket.open("inet", "dgram");
    peer.sendTo(new Uint8Array([7, 8, 9]), LOCAL, udp.address.port);
    await waitUntil(() => toUdp.length === 3, "the datagram");
    assert.deepEqual(toUdp.splice(0), [7, 8, 9]);
  });

  test("a borrowed Socket never closes Bun's socket: close(), using, garbage collection", async (t) => {
    if (skipWithoutGc(t)) return;
    const h = handleOf(accepted);
    await borrowAndDrop(h);
    client.write(pattern(10));
    await waitUntil(() => toAccepted.length === 10, "10 bytes to the accepted socket");
    assert.deepEqual(toAccepted.splice(0), [...pattern(10)]);
    accepted.write(pattern(20));
    await waitUntil(() => toClient.length === 20, "20 bytes back");
    assert.deepEqual(toClient.splice(0), [...pattern(20)]);
    assert.equal(accepted.fd, Number(h));
  });

  test("closed Bun sockets: SocketClosedError before any native call", async () => {
    let opened: BunSocket | undefined;
    const l = Bun.listen({
      hostname: LOCAL,
      port: 0,
      socket: { open: (s) => (opened = s), data() {} },
    });
    const c = await Bun.connect({ hostname: LOCAL, port: l.port, socket: { data() {} } });
    await waitUntil(() => opened !== undefined, "the accepted socket");
    const u = await Bun.udpSocket({ hostname: LOCAL, port: 0 });
    for (const o of [l, c, opened!, u]) handleOf(o);
    c.end();
    opened!.end();
    l.stop(true);
    u.close();
    await waitUntil(() => c.fd < 0 && opened!.fd < 0, "Bun to close both ends");
    const fake = recordingApi("linux");
    await withFake(fake, () => {
      for (const o of [l, c, opened!, u]) assert.throws(() => handleOf(o), SocketClosedError);
      assert.throws(() => setUdpConnReset(u, false), { name: "SocketClosedError" });
    });
    assert.deepEqual(fake.log, [], "no native call");
  });
});
