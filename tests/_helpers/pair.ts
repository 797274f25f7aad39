/** Loopback pairs for the native tests (Linux and Wine): TCP connected, UDP bound. */

import assert from "node:assert/strict";
import { SIOCATMARK } from "../../codes/mod.ts";
import { ioctl } from "../../ioctl.ts";
import { Socket } from "../../socket.ts";

/** The listening socket, the connecting end and the accepted end. */
export interface TcpPair {
  /** The listener (still open). */
  server: Socket;
  /** The end that connected. */
  client: Socket;
  /** The end `accept` returned. */
  peer: Socket;
  /** Closes all three. */
  close(): void;
  /** Closes all three (`using`). */
  [Symbol.dispose](): void;
}

/** Opens a listener on the loopback address of `family`, connects to it and accepts. */
export function tcpPair(family: "inet" | "inet6" = "inet"): TcpPair {
  const host = family === "inet" ? "127.0.0.1" : "::1";
  const opened: Socket[] = [];
  try {
    const server = Socket.open(family, "stream");
    opened.push(server);
    server.bind(host, 0);
    server.listen();
    const client = Socket.open(family, "stream");
    opened.push(client);
    client.connect(host, server.localAddress().port);
    const peer = server.accept();
    opened.push(peer);
    const close = () => {
      for (const s of opened) s.close();
    };
    return { server, client, peer, close, [Symbol.dispose]: close };
  } catch (error) {
    for (const s of opened) s.close();
    throw error;
  }
}

/**
 * SIOCATMARK on `s` through the generic ioctl: a function answering the BOOL (1: no urgent byte
 * waits), asserting 4 bytes written.
 */
export function oobMark(s: Socket): () => number {
  const mark = new Uint32Array(1);
  return () => {
    assert.equal(ioctl(s, SIOCATMARK, null, mark), 4);
    return mark[0];
  };
}

/** Sends `"abc"` then one urgent byte, `urgent` (MSG_OOB), from the client of `p`. */
export function sendUrgent(p: TcpPair, urgent = 0x21): void {
  p.client.send(new TextEncoder().encode("abc"));
  p.client.send(new Uint8Array([urgent]), { oob: true });
}

/** A UDP sender and receiver bound on loopback, and where the receiver listens. */
export interface UdpPair {
  /** The sending socket (bound). */
  a: Socket;
  /** The receiving socket (bound, with a receive timeout). */
  b: Socket;
  /** The loopback address of the family. */
  host: string;
  /** `b`'s port. */
  port: number;
  /** Closes both (`using`). */
  [Symbol.dispose](): void;
}

/**
 * Opens two UDP sockets on the loopback address of `family`; the receiver times out after
 * `receiveTimeoutMs` (a lost datagram fails a test, never hangs it).
 */
export function udpPair(family: "inet" | "inet6" = "inet", receiveTimeoutMs = 2000): UdpPair {
  const host = family === "inet" ? "127.0.0.1" : "::1";
  const a = Socket.open(family, "dgram");
  const b = Socket.open(family, "dgram");
  try {
    a.bind(host, 0);
    b.bind(host, 0);
    b.setOption("receiveTimeout", receiveTimeoutMs);
    return {
      a,
      b,
      host,
      port: b.localAddress().port,
      [Symbol.dispose]() {
        a.close();
        b.close();
      },
    };
  } catch (error) {
    a.close();
    b.close();
    throw error;
  }
}
