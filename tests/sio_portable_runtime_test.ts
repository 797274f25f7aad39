// The portable set on Deno's and Bun's own UDP sockets (Deno.listenDatagram with --unstable-net,
// Bun.udpSocket) and TCP connections, on Linux: each typed call takes the runtime's socket, and
// its effect is read back with libc's getsockopt on the runtime's descriptor. Windows'
// preconditions hold there too: a runtime's UDP socket is bound as it opens, so setCpuAffinity
// is refused; an unconnected one has no RSS processor. node:dgram: sio_portable_linux_test.ts.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { handleOf, type RuntimeSocket } from "../runtime.ts";
import * as sio from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { nativeApi } from "../ffi/select.ts";
import type { BunUdp, BunUdpApi } from "./_helpers/bun_udp.ts";
import { type LinuxProbe, linuxProbe, OPT } from "./_helpers/linux_probe.ts";
import { waitUntil } from "./_helpers/runtime_sockets.ts";
import { assertWinsock } from "./_helpers/winsock.ts";

const native = nativeApi();
const linux = native.os === "linux";
const g = globalThis as { Deno?: unknown; Bun?: unknown };
const onDeno = g.Deno !== undefined && g.Bun === undefined;

/** Asserts `fn` fails with the WSA error `name` naming `typedCall`. */
function refused(fn: () => unknown, name: string, typedCall: string): void {
  assert.equal(assertWinsock(fn, name).typedCall, typedCall);
}

/**
 * The checks every runtime UDP socket passes: `v4` and `v6` bound, unconnected, on `linux`.
 */
function checkUdp(probe: LinuxProbe, v4: RuntimeSocket, v6: RuntimeSocket): void {
  for (
    const [s, ttl, loop] of [
      [v4, OPT.ipMulticastTtl, OPT.ipMulticastLoop],
      [v6, OPT.ipv6MulticastHops, OPT.ipv6MulticastLoop],
    ] as const
  ) {
    const h = handleOf(s);
    sio.setMulticastScope(s, 17);
    assert.equal(probe.option(h, ttl), 17);
    sio.setMultipointLoopback(s, false);
    assert.equal(probe.option(h, loop), 0);
    sio.setMultipointLoopback(s, true);
    assert.equal(probe.option(h, loop), 1);
    assert.equal(sio.baseHandle(s), h);
    assert.equal(sio.bspHandle(s, "poll"), h);
    refused(() => sio.setCpuAffinity(s, 0), "WSAEINVAL", "setCpuAffinity");
    assert.equal(probe.option(h, OPT.soIncomingCpu), -1, "nothing set");
    assert.equal(probe.option(h, OPT.soReusePort), 0, "nothing set");
  }
  assert.deepEqual(sio.broadcastAddress(v4), {
    family: "inet",
    address: "255.255.255.255",
    port: 0,
  });
  refused(() => sio.broadcastAddress(v6), "WSAENOPROTOOPT", "broadcastAddress");
}

describe("portable set on Deno's own sockets", {
  skip: !(onDeno && linux) && "Deno's own sockets on Linux: run under Deno on Linux",
}, () => {
  let probe: LinuxProbe;
  before(async () => {
    probe = await linuxProbe();
  });

  test("Deno.listenDatagram (IPv4, IPv6): settings read back, Windows' refusals", () => {
    const v4 = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    const v6 = Deno.listenDatagram({ hostname: "::1", port: 0, transport: "udp" });
    try {
      checkUdp(probe, v4, v6);
      // A DatagramConn cannot connect: no RSS processor, as Windows answers an unconnected one.
      refused(() => sio.rssProcessorInfo(v4), "WSAENOTCONN", "rssProcessorInfo");
    } finally {
      v4.close();
      v6.close();
    }
  });

  test("rssProcessorInfo on a Deno.connect connection: its SO_INCOMING_CPU", async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    const client = await Deno.connect({ hostname: "127.0.0.1", port });
    const accepted = await listener.accept();
    try {
      await client.write(new Uint8Array([1, 2, 3]));
      const got = new Uint8Array(3);
      assert.equal(await accepted.read(got), 3);
      for (const c of [client, accepted]) {
        const cpu = probe.option(handleOf(c), OPT.soIncomingCpu);
        assert.ok(cpu >= 0);
        const info = sio.rssProcessorInfo(c);
        assert.equal(info.group, 0);
        assert.equal(info.number, cpu);
      }
    } finally {
      client.close();
      accepted.close();
      listener.close();
    }
  });
});

describe("portable set on Bun's own sockets", {
  skip: !(g.Bun !== undefined && linux) && "Bun's own sockets on Linux: run under Bun on Linux",
}, () => {
  const bun = g.Bun as BunUdpApi;
  let probe: LinuxProbe;
  const opened: BunUdp[] = [];
  before(async () => {
    probe = await linuxProbe();
  });
  after(() => {
    for (const s of opened) s.close();
  });

  test("Bun.udpSocket (IPv4, IPv6): settings read back, Windows' refusals", async () => {
    const v4 = await bun.udpSocket({ hostname: "127.0.0.1", port: 0 });
    const v6 = await bun.udpSocket({ hostname: "::1", port: 0 });
    opened.push(v4, v6);
    checkUdp(probe, v4, v6);
    refused(() => sio.rssProcessorInfo(v4), "WSAENOTCONN", "rssProcessorInfo");
  });

  test("rssProcessorInfo on a connected Bun.udpSocket, once a datagram arrived", async () => {
    using peer = Socket.open("inet", "dgram");
    peer.bind("127.0.0.1", 0);
    const got: number[] = [];
    const s = await bun.udpSocket({
      hostname: "127.0.0.1",
      port: 0,
      connect: { hostname: "127.0.0.1", port: peer.localAddress().port },
      socket: { data: (_s, d) => got.push(...d) },
    });
    opened.push(s);
    refused(() => sio.rssProcessorInfo(s), "WSAEWOULDBLOCK", "rssProcessorInfo");
    peer.sendTo(new Uint8Array([5]), "127.0.0.1", s.port);
    await waitUntil(() => got.length === 1, "the datagram");
    const cpu = probe.option(handleOf(s), OPT.soIncomingCpu);
    assert.deepEqual(sio.rssProcessorInfo(s).number, cpu);
  });
});
