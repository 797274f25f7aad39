// Shared by the benchmarks (worker.ts, handle_of_bench.ts): a connected loopback TCP pair with 5
// bytes waiting on the accepted end. The Sockets stay referenced by the returned object until
// `close()`: a Socket nothing references any more is closed by its FinalizationRegistry backstop,
// after which the raw baseline would time a failing call (EBADF), not the real one.

import { bytesAvailable } from "../sio/mod.ts";
import type { Socket } from "../socket.ts";
import { tcpPair } from "../tests/_helpers/pair.ts";

/** The bytes waiting on `peer`. */
export const PENDING = 5;

/** The pair. */
export interface BenchPair {
  /** The listener. */
  readonly server: Socket;
  /** The connecting end (it sent the bytes). */
  readonly client: Socket;
  /** The accepted end, with {@link PENDING} bytes to read. */
  readonly peer: Socket;
  /** Closes all three. */
  close(): void;
}

/**
 * Opens the pair and waits (bounded) until the bytes are readable on `peer`.
 *
 * @returns The pair.
 * @throws {Error} when the bytes never arrive.
 */
export function benchPair(): BenchPair {
  const { server, client, peer, close } = tcpPair();
  client.send(new Uint8Array(PENDING));
  const end = Date.now() + 2000;
  while (bytesAvailable(peer) < PENDING) {
    if (Date.now() > end) {
      close();
      throw new Error("the bytes never arrived");
    }
  }
  return { server, client, peer, close };
}
