// tcpInfo on real Linux TCP connections, against a raw getsockopt(TCP_INFO) taken right after it
// through the runtime's own FFI (tests/_helpers/raw_tcp_info.ts): on wsioctl Sockets and on a
// node:net connection (through handleOf), under Deno, Bun and Node (the node: modules of Deno and
// Bun run it too); the states a connection goes through; what a socket that is not TCP, a file
// and a closed Socket get. Deno.connect and Bun.connect: tests/sio_tcp_info_runtime_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, openSync } from "node:fs";
import net from "node:net";
import { SocketClosedError, WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { handleOf } from "../runtime.ts";
import { tcpInfo } from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { TcpInfoV1, TCPSTATE } from "../structs/mod.ts";
import { tcpPair } from "./_helpers/pair.ts";
import { assertAgrees, rawGetsockopt, rawTcpInfo, settled } from "./_helpers/raw_tcp_info.ts";
import { pattern, waitUntil } from "./_helpers/runtime_sockets.ts";
import { assertWinsock } from "./_helpers/winsock.ts";

const native = nativeApi();
const skip = native.os !== "linux" && "Linux's TCP_INFO";
const getsockopt = skip ? undefined! : await rawGetsockopt();
const LOCAL = "127.0.0.1";

/** Receives exactly `n` bytes on a blocking Socket. */
function recvAll(s: Socket, n: number): void {
  const buf = new Uint8Array(65536);
  for (let got = 0; got < n;) {
    const r = s.recv(buf.subarray(0, Math.min(buf.length, n - got)));
    assert.ok(r > 0, "the connection ended early");
    got += r;
  }
}

describe(`tcpInfo on real connections (${native.runtime}/${native.os})`, { skip }, () => {
  test("wsioctl Sockets, both ends, IPv4 and IPv6: tcpInfo agrees with the raw getsockopt", async () => {
    for (const family of ["inet", "inet6"] as const) {
      using p = tcpPair(family);
      const out = 100_000;
      const back = 7_000;
      assert.equal(p.client.send(pattern(out)), out);
      recvAll(p.peer, out);
      assert.equal(p.peer.send(pattern(back)), back);
      recvAll(p.client, back);
      await settled(getsockopt, [p.client.handle, p.peer.handle]);
      const client = assertAgrees(getsockopt, p.client, p.client.handle, out, back);
      const peer = assertAgrees(getsockopt, p.peer.handle, p.peer.handle, back, out);
      // Each end's send window is what the other advertised: the peer's own receive window.
      assert.equal(client.sndWnd, peer.rcvWnd, `${family}: client SndWnd = peer RcvWnd`);
      assert.equal(peer.sndWnd, client.rcvWnd, `${family}: peer SndWnd = client RcvWnd`);
    }
  });

  test("a node:net connection, through handleOf: both ends agree with the raw getsockopt", async () => {
    const server = net.createServer();
    server.listen(0, LOCAL);
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const incoming = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
    const client = net.connect(port, LOCAL);
    await new Promise((resolve) => client.once("connect", resolve));
    const accepted = await incoming;
    try {
      let got = 0;
      accepted.on("data", (d: Uint8Array) => got += d.length);
      const out = 50_000;
      client.write(pattern(out));
      await waitUntil(() => got === out, "the bytes at the accepted end");
      await settled(getsockopt, [handleOf(client), handleOf(accepted)]);
      assertAgrees(getsockopt, client, handleOf(client), out, 0);
      assertAgrees(getsockopt, accepted, handleOf(accepted), 0, out);
    } finally {
      client.destroy();
      accepted.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("the states: LISTEN, CLOSED, CLOSE_WAIT, as TCPSTATE numbers", async () => {
    const p = tcpPair();
    try {
      assert.equal(tcpInfo(p.server).state, TCPSTATE.LISTEN);
      assert.equal(rawTcpInfo(getsockopt, p.server.handle).state, 10); // TCP_LISTEN
      using fresh = Socket.open("inet", "stream");
      assert.equal(tcpInfo(fresh).state, TCPSTATE.CLOSED);
      assert.equal(rawTcpInfo(getsockopt, fresh.handle).state, 7); // TCP_CLOSE
      // The client closes: its FIN makes the peer CLOSE_WAIT (Linux 8, Windows 7).
      p.client.close();
      await waitUntil(
        () => rawTcpInfo(getsockopt, p.peer.handle).state === 8, // TCP_CLOSE_WAIT
        "CLOSE_WAIT",
      );
      const info = tcpInfo(p.peer, 1, TcpInfoV1.alloc());
      assert.equal(info.state, 7); // TCPSTATE_CLOSE_WAIT
    } finally {
      p.close();
    }
  });

  test("a UDP socket: WSAEINVAL with tcpInfo's hint; a file: WSAENOTSOCK; closed: SocketClosedError", () => {
    using udp = Socket.open("inet", "dgram");
    const e = assertWinsock(() => tcpInfo(udp), "WSAEINVAL");
    assert.equal(e.code, 10022);
    assert.equal(e.typedCall, "tcpInfo");
    assert.equal(e.ioctl, "SIO_TCP_INFO");
    assert.match(e.hint ?? "", /needs a TCP socket/);
    const fd = openSync("/dev/null", "r"); // a descriptor that is not a socket
    try {
      const f = assertWinsock(() => tcpInfo(BigInt(fd)), "WSAENOTSOCK");
      assert.ok(f instanceof WinsockError && f.code === 10038);
    } finally {
      closeSync(fd);
    }
    const closed = Socket.open("inet", "stream");
    closed.close();
    assert.throws(() => tcpInfo(closed), SocketClosedError);
  });
});
