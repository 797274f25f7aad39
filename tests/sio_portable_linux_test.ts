// The portable set on real Linux sockets, under Deno, Bun and Node: every typed call's effect
// read back with libc's getsockopt (bound by the test itself, option numbers from the headers)
// on the same descriptor, IPv4 and IPv6, on wsioctl Sockets, raw handles and node:dgram sockets
// (the node: module of each runtime): setMulticastScope, setMultipointLoopback, broadcastAddress,
// baseHandle / bspHandle, rssProcessorInfo and setCpuAffinity — the last two shown doing their
// job with the thread pinned to a CPU: a loopback datagram sent from CPU n is handled on CPU n,
// so rssProcessorInfo answers n and, in a port shared by setCpuAffinity, the socket tied to n
// receives it. Deno's and Bun's own UDP sockets: sio_portable_runtime_test.ts.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIO_CPU_AFFINITY, SIO_GET_BROADCAST_ADDRESS, SIO_MULTICAST_SCOPE } from "../codes/mod.ts";
import type { WinsockError } from "../errors.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl } from "../ioctl.ts";
import { handleOf } from "../runtime.ts";
import * as sio from "../sio/mod.ts";
import { Socket } from "../socket.ts";
import { le, sockaddrIn, u32le } from "./_helpers/bytes.ts";
import { type LinuxProbe, linuxProbe, OPT } from "./_helpers/linux_probe.ts";
import { tcpPair } from "./_helpers/pair.ts";
import { assertWinsock } from "./_helpers/winsock.ts";

const native = nativeApi();
const skip = native.os !== "linux" && "real Linux sockets: run on Linux";
const FAMILIES = [["inet", "127.0.0.1"], ["inet6", "::1"]] as const;

/** The NUMA node sysfs gives CPU `n` (its `nodeM` entry), read here with node:fs; 0 without. */
function sysfsNode(n: number): number {
  const entry = readdirSync(`/sys/devices/system/cpu/cpu${n}`).find((e) => /^node\d+$/.test(e));
  return entry === undefined ? 0 : Number(entry.slice(4));
}

/** Asserts `fn` fails with the WSA error `name` naming `typedCall`; returns the error. */
function refused(fn: () => unknown, name: string, typedCall: string): WinsockError {
  const e = assertWinsock(fn, name);
  assert.equal(e.typedCall, typedCall);
  return e;
}

/** A descriptor that is not a socket (a file), for `fn`; closed afterwards. */
function withFile(fn: (handle: bigint) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "wsioctl-portable-"));
  const fd = openSync(join(dir, "f"), "w");
  try {
    fn(BigInt(fd));
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A connected UDP pair on `host`: `a` connected to `b`, `b` bound. */
function udpPair(family: "inet" | "inet6", host: string) {
  const a = Socket.open(family, "dgram");
  const b = Socket.open(family, "dgram");
  b.bind(host, 0);
  a.bind(host, 0);
  a.connect(host, b.localAddress().port);
  return {
    a,
    b,
    [Symbol.dispose]() {
      a.close();
      b.close();
    },
  };
}

/** Waits (bounded) until `s` has a datagram, then reads it; returns its first byte. */
function receive(s: Socket): number {
  const into = new Uint8Array(16);
  for (const end = Date.now() + 2000; sio.bytesAvailable(s) === 0;) {
    if (Date.now() > end) assert.fail("no datagram within 2 s");
  }
  s.recv(into);
  return into[0];
}

describe(`portable set on real sockets, ${native.runtime}/${native.os}`, { skip }, () => {
  let probe: LinuxProbe;
  before(async () => {
    probe = await linuxProbe();
  });

  test("setMulticastScope: IP_MULTICAST_TTL on IPv4, IPV6_MULTICAST_HOPS on IPv6", () => {
    for (const [family] of FAMILIES) {
      using s = Socket.open(family, "dgram");
      const opt = family === "inet" ? OPT.ipMulticastTtl : OPT.ipv6MulticastHops;
      assert.equal(probe.option(s.handle, opt), 1, "the default scope, as Windows'");
      for (const scope of [0, 255, 32]) {
        sio.setMulticastScope(s, scope);
        assert.equal(probe.option(s.handle, opt), scope, `${family} ${scope}`);
      }
      sio.setMulticastScope(s.handle, 5); // a raw handle
      assert.equal(probe.option(s.handle, opt), 5);
      if (family === "inet6") {
        assert.equal(probe.option(s.handle, OPT.ipMulticastTtl), 1, "the IPv4 option untouched");
      }
    }
  });

  test("setMultipointLoopback: IP_MULTICAST_LOOP on IPv4, IPV6_MULTICAST_LOOP on IPv6", () => {
    for (const [family] of FAMILIES) {
      using s = Socket.open(family, "dgram");
      const opt = family === "inet" ? OPT.ipMulticastLoop : OPT.ipv6MulticastLoop;
      assert.equal(probe.option(s.handle, opt), 1, "on by default, as on Windows");
      sio.setMultipointLoopback(s, false);
      assert.equal(probe.option(s.handle, opt), 0);
      sio.setMultipointLoopback(s.handle, true);
      assert.equal(probe.option(s.handle, opt), 1);
      // A BOOL through ioctl(): any nonzero value is TRUE.
      sio.setMultipointLoopback(s, false);
      ioctl(s, 0x88000009, u32le(0x1000), null);
      assert.equal(probe.option(s.handle, opt), 1);
    }
  });

  test("the multicast codes refuse what Windows refuses, and change nothing then", () => {
    using s = Socket.open("inet", "dgram");
    sio.setMulticastScope(s, 9);
    assert.throws(() => sio.setMulticastScope(s, 256), RangeError);
    assert.throws(() => sio.setMulticastScope(s, -1), RangeError);
    for (const v of [256, 0xffffffff]) {
      const e = assertWinsock(() => ioctl(s, SIO_MULTICAST_SCOPE, u32le(v), null), "WSAEINVAL");
      assert.equal(e.code, 10022);
    }
    assertWinsock(() => ioctl(s, SIO_MULTICAST_SCOPE, new Uint8Array(3), null), "WSAEFAULT");
    assert.equal(probe.option(s.handle, OPT.ipMulticastTtl), 9);
    withFile((h) => {
      refused(() => sio.setMulticastScope(h, 1), "WSAENOTSOCK", "setMulticastScope");
      refused(() => sio.setMultipointLoopback(h, true), "WSAENOTSOCK", "setMultipointLoopback");
    });
  });

  test("broadcastAddress: 255.255.255.255 on IPv4 datagram sockets; IPv6 and TCP refused", () => {
    using udp = Socket.open("inet", "dgram");
    assert.deepEqual(sio.broadcastAddress(udp), {
      family: "inet",
      address: "255.255.255.255",
      port: 0,
    });
    udp.bind("127.0.0.1", 0);
    assert.deepEqual(sio.broadcastAddress(udp.handle).address, "255.255.255.255", "bound too");
    const out = new Uint8Array(24).fill(0xee);
    assert.equal(ioctl(udp, SIO_GET_BROADCAST_ADDRESS, null, out), 16);
    assert.deepEqual(out.subarray(0, 16), sockaddrIn([255, 255, 255, 255]));
    assert.deepEqual([...out.subarray(16)], new Array(8).fill(0xee));
    assertWinsock(
      () => ioctl(udp, SIO_GET_BROADCAST_ADDRESS, null, new Uint8Array(15)),
      "WSAEFAULT",
    );
    using udp6 = Socket.open("inet6", "dgram");
    const e6 = refused(() => sio.broadcastAddress(udp6), "WSAENOPROTOOPT", "broadcastAddress");
    assert.match(e6.hint ?? "", /IPv4/);
    using tcp = Socket.open("inet", "stream");
    const et = refused(() => sio.broadcastAddress(tcp), "WSAEINVAL", "broadcastAddress");
    assert.match(et.hint ?? "", /datagram/);
    withFile((h) => refused(() => sio.broadcastAddress(h), "WSAENOTSOCK", "broadcastAddress"));
  });

  test("baseHandle / bspHandle: the descriptor itself, of every kind of socket", () => {
    using pair = tcpPair("inet6");
    using u4 = Socket.open("inet", "dgram");
    using u6 = Socket.open("inet6", "dgram");
    for (const s of [u4, u6, pair.server, pair.client, pair.peer]) {
      const type = s.getOption("type") === "dgram" ? 2 : 1;
      for (const h of [sio.baseHandle(s), sio.baseHandle(s.handle)]) {
        assert.equal(h, s.handle);
        assert.equal(probe.option(h, OPT.soType), type, "the same socket, read back");
      }
      for (const kind of ["send", "select", "poll"] as const) {
        assert.equal(sio.bspHandle(s, kind), s.handle, kind);
      }
      assert.equal(sio.bspHandle(s), s.handle);
    }
    withFile((h) => {
      refused(() => sio.baseHandle(h), "WSAENOTSOCK", "baseHandle");
      refused(() => sio.bspHandle(h, "poll"), "WSAENOTSOCK", "bspHandle");
    });
  });

  test("rssProcessorInfo on TCP: SO_INCOMING_CPU and its sysfs NUMA node", () => {
    for (const [family] of FAMILIES) {
      using pair = tcpPair(family);
      pair.client.send(new Uint8Array([1, 2, 3]));
      assert.equal(receive(pair.peer), 1);
      for (const s of [pair.peer, pair.client]) {
        const cpu = probe.option(s.handle, OPT.soIncomingCpu);
        assert.ok(cpu >= 0);
        assert.deepEqual(sio.rssProcessorInfo(s), {
          group: 0,
          number: cpu,
          numaNodeId: sysfsNode(cpu),
        });
      }
    }
  });

  test("rssProcessorInfo on UDP: connected only, and only once something arrived", () => {
    for (const [family, host] of FAMILIES) {
      using p = udpPair(family, host);
      const e = refused(() => sio.rssProcessorInfo(p.a), "WSAEWOULDBLOCK", "rssProcessorInfo");
      assert.match(e.hint ?? "", /no packet/);
      refused(() => sio.rssProcessorInfo(p.b), "WSAENOTCONN", "rssProcessorInfo");
      p.b.sendTo(new Uint8Array([7]), host, p.a.localAddress().port);
      assert.equal(receive(p.a), 7);
      const cpu = probe.option(p.a.handle, OPT.soIncomingCpu);
      assert.deepEqual(sio.rssProcessorInfo(p.a.handle), {
        group: 0,
        number: cpu,
        numaNodeId: sysfsNode(cpu),
      });
    }
    withFile((h) => refused(() => sio.rssProcessorInfo(h), "WSAENOTSOCK", "rssProcessorInfo"));
  });

  test("rssProcessorInfo names the CPU the datagram was handled on (thread pinned)", (t) => {
    const cpus = probe.allowedCpus();
    if (cpus.length < 2) return t.skip(`one CPU allowed (${cpus}): nothing to tell apart`);
    for (const [family, host] of FAMILIES) {
      using p = udpPair(family, host);
      for (const cpu of [cpus[1], cpus[0], cpus[1]]) {
        // Loopback hands the datagram to the receive path on the sending CPU.
        probe.pinned(cpu, () => p.b.sendTo(new Uint8Array([cpu]), host, p.a.localAddress().port));
        assert.equal(receive(p.a), cpu);
        assert.equal(sio.rssProcessorInfo(p.a).number, cpu, `${family}, sent from CPU ${cpu}`);
      }
    }
  });

  test("setCpuAffinity: SO_INCOMING_CPU and SO_REUSEPORT on an unbound UDP socket", () => {
    for (const [family] of FAMILIES) {
      using s = Socket.open(family, "dgram");
      assert.equal(probe.option(s.handle, OPT.soIncomingCpu), -1);
      assert.equal(probe.option(s.handle, OPT.soReusePort), 0);
      sio.setCpuAffinity(s, 1);
      assert.equal(probe.option(s.handle, OPT.soIncomingCpu), 1);
      assert.equal(probe.option(s.handle, OPT.soReusePort), 1);
      sio.setCpuAffinity(s.handle, 65535); // USHORT's largest: a CPU this machine lacks
      assert.equal(probe.option(s.handle, OPT.soIncomingCpu), 65535);
      ioctl(s, SIO_CPU_AFFINITY, le(4, [0, 2, 3], [2, 2, 0xffff]), null); // 2 bytes are read
      assert.equal(probe.option(s.handle, OPT.soIncomingCpu), 3);
    }
  });

  test("setCpuAffinity keeps Windows' preconditions: bound, TCP, SO_REUSEADDR → WSAEINVAL", () => {
    using bound = Socket.open("inet", "dgram");
    bound.bind("127.0.0.1", 0);
    using tcp = Socket.open("inet6", "stream");
    using reuse = Socket.open("inet", "dgram");
    reuse.setOption("reuseAddress", true);
    using connected = Socket.open("inet6", "dgram");
    connected.connect("::1", 9); // connecting binds it
    for (const s of [bound, tcp, reuse, connected]) {
      const e = refused(() => sio.setCpuAffinity(s, 0), "WSAEINVAL", "setCpuAffinity");
      assert.match(e.hint ?? "", /before bind/);
      assert.equal(probe.option(s.handle, OPT.soIncomingCpu), -1, "nothing set");
      assert.equal(probe.option(s.handle, OPT.soReusePort), 0, "nothing set");
    }
    assertWinsock(() => ioctl(reuse, SIO_CPU_AFFINITY, new Uint8Array(1), null), "WSAEFAULT");
    withFile((h) => refused(() => sio.setCpuAffinity(h, 0), "WSAENOTSOCK", "setCpuAffinity"));
  });

  test("setCpuAffinity shares a port and steers each datagram to its CPU's socket", (t) => {
    const cpus = probe.allowedCpus();
    if (cpus.length < 2) return t.skip(`one CPU allowed (${cpus}): nothing to steer`);
    const [c0, c1] = cpus;
    for (const [family, host] of FAMILIES) {
      using s0 = Socket.open(family, "dgram");
      using s1 = Socket.open(family, "dgram");
      using tx = Socket.open(family, "dgram");
      sio.setCpuAffinity(s0, c0);
      sio.setCpuAffinity(s1, c1);
      s0.bind(host, 0);
      const port = s0.localAddress().port;
      s1.bind(host, port); // the port is shared
      assert.equal(s1.localAddress().port, port);
      for (const cpu of [c0, c1, c1, c0]) {
        probe.pinned(cpu, () => tx.sendTo(new Uint8Array([cpu]), host, port));
        const [to, other] = cpu === c0 ? [s0, s1] : [s1, s0];
        assert.equal(receive(to), cpu, `${family}: sent from CPU ${cpu}`);
        assert.equal(sio.bytesAvailable(other), 0, "the other socket got nothing");
      }
      // An unconnected socket keeps the CPU it was given.
      assert.equal(probe.option(s0.handle, OPT.soIncomingCpu), c0);
      assert.equal(probe.option(s1.handle, OPT.soIncomingCpu), c1);
    }
  });
});

describe(`portable set on node:dgram sockets, ${native.runtime}/${native.os}`, { skip }, () => {
  let probe: LinuxProbe;
  const sockets: dgram.Socket[] = [];
  /** A bound node:dgram socket of `type`. */
  async function bound(type: "udp4" | "udp6"): Promise<dgram.Socket> {
    const s = dgram.createSocket(type);
    sockets.push(s);
    await new Promise<void>((resolve) => s.bind(0, type === "udp4" ? "127.0.0.1" : "::1", resolve));
    return s;
  }
  before(async () => {
    probe = await linuxProbe();
  });
  after(() => {
    for (const s of sockets) s.close();
  });

  test("the multicast settings read back on the runtime's descriptor", async () => {
    for (const type of ["udp4", "udp6"] as const) {
      const s = await bound(type);
      const h = handleOf(s);
      const [ttl, loop] = type === "udp4"
        ? [OPT.ipMulticastTtl, OPT.ipMulticastLoop]
        : [OPT.ipv6MulticastHops, OPT.ipv6MulticastLoop];
      sio.setMulticastScope(s, 9);
      assert.equal(probe.option(h, ttl), 9, type);
      sio.setMultipointLoopback(s, false);
      assert.equal(probe.option(h, loop), 0, type);
      sio.setMultipointLoopback(s, true);
      assert.equal(probe.option(h, loop), 1, type);
    }
  });

  test("broadcastAddress, baseHandle, bspHandle; setCpuAffinity refused on a bound socket", async () => {
    const s4 = await bound("udp4");
    const s6 = await bound("udp6");
    assert.deepEqual(sio.broadcastAddress(s4), {
      family: "inet",
      address: "255.255.255.255",
      port: 0,
    });
    refused(() => sio.broadcastAddress(s6), "WSAENOPROTOOPT", "broadcastAddress");
    for (const s of [s4, s6]) {
      const h = handleOf(s);
      assert.equal(sio.baseHandle(s), h);
      assert.equal(sio.bspHandle(s, "select"), h);
      // node:dgram binds as it opens: too late for SIO_CPU_AFFINITY, as on Windows.
      refused(() => sio.setCpuAffinity(s, 0), "WSAEINVAL", "setCpuAffinity");
      assert.equal(probe.option(h, OPT.soIncomingCpu), -1);
    }
  });

  test("rssProcessorInfo on a connected node:dgram socket, after a datagram arrived", async (t) => {
    const s = await bound("udp4");
    const h = handleOf(s);
    using peer = Socket.open("inet", "dgram");
    peer.bind("127.0.0.1", 0);
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.connect(peer.localAddress().port, "127.0.0.1", resolve);
    });
    using view = Socket.borrow(h);
    try {
      view.remoteAddress();
    } catch (e) {
      // Deno's node:dgram keeps the peer in JavaScript: the OS socket stays unconnected, and
      // Windows' precondition refuses it.
      refused(() => sio.rssProcessorInfo(h), "WSAENOTCONN", "rssProcessorInfo");
      return t.skip(`this runtime's node:dgram connect() leaves the OS socket unconnected: ${e}`);
    }
    refused(() => sio.rssProcessorInfo(s), "WSAEWOULDBLOCK", "rssProcessorInfo");
    const arrived = new Promise<void>((resolve) => s.once("message", () => resolve()));
    peer.sendTo(new Uint8Array([1]), "127.0.0.1", s.address().port);
    await arrived;
    const cpu = probe.option(h, OPT.soIncomingCpu);
    assert.deepEqual(sio.rssProcessorInfo(s), {
      group: 0,
      number: cpu,
      numaNodeId: sysfsNode(cpu),
    });
  });
});
