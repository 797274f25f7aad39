// The TCP and timestamp typed calls (sio/tcp.ts, sio/timestamps.ts) on real sockets under Wine's
// ws2_32 (deno.exe and bun.exe). Every call runs. Wine 10 implements SIO_KEEPALIVE_VALS (read
// back through SO_KEEPALIVE) and refuses the others with WSAEOPNOTSUPP, which each typed call
// must surface as a WinsockError naming itself.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nativeApi } from "../../ffi/select.ts";
import { Socket } from "../../socket.ts";
import {
  setKeepAlive,
  setTcpAckFrequency,
  setTcpInitialCongestionWindow,
  setTcpInitialRto,
  setTimestamping,
  tcpInfo,
  txTimestamp,
  txTimestampPoller,
} from "../../sio/mod.ts";
import { TcpInfoV1 } from "../../structs/mod.ts";
import { tcpPair } from "../_helpers/pair.ts";
import { assertWinsock } from "../_helpers/winsock.ts";

const native = nativeApi();

/** Asserts `fn` fails with WSAEOPNOTSUPP (10045) from SIO_…, named after the typed call `name`. */
function refused(name: string, ioctl: string, fn: () => unknown): void {
  const e = assertWinsock(fn, "WSAEOPNOTSUPP");
  assert.equal(e.code, 10045);
  assert.equal(e.typedCall, name);
  assert.equal(e.ioctl, ioctl);
  assert.match(e.message, new RegExp(`^${name}: WSAIoctl\\(${ioctl}\\) failed: WSAEOPNOTSUPP`));
}

describe(`sio tcp on ${native.runtime}/${native.os}${native.wine ? " (Wine)" : ""}`, () => {
  test("setKeepAlive turns SO_KEEPALIVE on and off (SIO_KEEPALIVE_VALS)", () => {
    using p = tcpPair();
    for (const s of [p.client, p.peer]) {
      assert.equal(s.getOption("keepAlive"), false);
      setKeepAlive(s, { enabled: true, timeMs: 5000, intervalMs: 1000 });
      assert.equal(s.getOption("keepAlive"), true);
      setKeepAlive(s, { enabled: false, timeMs: 5000, intervalMs: 1000 });
      assert.equal(s.getOption("keepAlive"), false);
    }
    // Before connecting, and through a raw handle.
    using fresh = Socket.open("inet6", "stream");
    setKeepAlive(fresh.handle, { enabled: true, timeMs: 1, intervalMs: 0xffffffff });
    assert.equal(fresh.getOption("keepAlive"), true);
  });

  test("tcpInfo: SIO_TCP_INFO refused, every version, with and without `into`", () => {
    using p = tcpPair();
    refused("tcpInfo", "SIO_TCP_INFO", () => tcpInfo(p.client));
    refused("tcpInfo", "SIO_TCP_INFO", () => tcpInfo(p.peer, 1, TcpInfoV1.alloc()));
    refused("tcpInfo", "SIO_TCP_INFO", () => tcpInfo(p.client, 2));
  });

  test("setTimestamping, txTimestamp, txTimestampPoller: refused on a UDP socket", () => {
    using s = Socket.open("inet", "dgram");
    s.bind("127.0.0.1", 0);
    refused(
      "setTimestamping",
      "SIO_TIMESTAMPING",
      () => setTimestamping(s, { rx: true, tx: true, txBuffered: 8 }),
    );
    refused("txTimestamp", "SIO_GET_TX_TIMESTAMP", () => txTimestamp(s, 0));
    const poller = txTimestampPoller(s);
    refused("txTimestampPoller", "SIO_GET_TX_TIMESTAMP", () => poller.poll(0));
    refused("txTimestampPoller", "SIO_GET_TX_TIMESTAMP", () => poller.poll(1));
  });

  test("setTcpInitialRto, setTcpInitialCongestionWindow, setTcpAckFrequency: refused", () => {
    using s = Socket.open("inet", "stream");
    refused(
      "setTcpInitialRto",
      "SIO_TCP_INITIAL_RTO",
      () => setTcpInitialRto(s, { rttMs: 300, maxSynRetransmissions: 2 }),
    );
    refused(
      "setTcpInitialCongestionWindow",
      "SIO_TCP_SET_ICW",
      () => setTcpInitialCongestionWindow(s, "veryHigh"),
    );
    refused("setTcpAckFrequency", "SIO_TCP_SET_ACK_FREQUENCY", () => setTcpAckFrequency(s, 2));
    // The socket still works afterwards.
    setKeepAlive(s, { enabled: true, timeMs: 1000, intervalMs: 1000 });
    assert.equal(s.getOption("keepAlive"), true);
  });
});
