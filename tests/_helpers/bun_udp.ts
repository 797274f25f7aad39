/**
 * The part of Bun's UDP API (`Bun.udpSocket`) the tests use, declared on the library's own shape
 * of a Bun UDP socket, so that the files using it type-check under `deno check` without
 * bun-types.
 */

import type { BunUdpSocketLike } from "../../runtime.ts";

/** A socket `Bun.udpSocket` opened. */
export interface BunUdp extends BunUdpSocketLike {
  /** The bound port. */
  readonly port: number;
  /** Sends one datagram; `true` when it was sent. */
  send(data: Uint8Array, port: number, address: string): boolean;
  /** Closes the socket. */
  close(): void;
}

/** `Bun`, as far as its UDP sockets go. */
export interface BunUdpApi {
  /** Opens a UDP socket (connected when `connect` is given). */
  udpSocket(o: {
    hostname: string;
    port: number;
    connect?: { hostname: string; port: number };
    socket?: { data?(s: BunUdp, data: Uint8Array): void; error?(e: Error): void };
  }): Promise<BunUdp>;
}
