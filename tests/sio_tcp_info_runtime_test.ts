// tcpInfo on the runtimes' own TCP connections on Linux — Deno.connect / Deno.listen under Deno,
// Bun.connect / Bun.listen under Bun, each end passed as the runtime's object (handleOf finds
// its socket) — against a raw getsockopt(TCP_INFO) taken right after it through the runtime's
// own FFI (tests/_helpers/raw_tcp_info.ts). node:net (all three runtimes):
// tests/sio_tcp_info_linux_test.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nativeApi } from "../ffi/select.ts";
import { type BunListenerLike, type BunSocketLike, handleOf } from "../runtime.ts";
import { bytesAvailable, tcpInfo } from "../sio/mod.ts";
import { TCPSTATE } from "../structs/mod.ts";
import { assertAgrees, rawGetsockopt, settled } from "./_helpers/raw_tcp_info.ts";
import { pattern, waitUntil } from "./_helpers/runtime_sockets.ts";

// The Bun APIs used, as shapes (no bun-types needed under `deno check`).
type BunSocket = BunSocketLike & {
  readonly fd: number;
  write(data: Uint8Array): number;
  end(): void;
};
interface BunApi {
  listen(o: {
    hostname: string;
    port: number;
    socket: { open?(s: BunSocket): void; data(s: BunSocket, data: Uint8Array): void };
  }): BunListenerLike & { stop(closeActiveConnections?: boolean): void };
  connect(o: {
    hostname: string;
    port: number;
    socket: { data(s: BunSocket, data: Uint8Array): void };
  }): Promise<BunSocket>;
}

const g = globalThis as { Deno?: unknown; Bun?: BunApi };
const native = nativeApi();
const linux = native.os === "linux";
const LOCAL = "127.0.0.1";
const getsockopt = linux && (g.Deno !== undefined || g.Bun !== undefined)
  ? await rawGetsockopt()
  : undefined!;

describe("tcpInfo on Deno.connect and Deno.listen connections", {
  skip: !(linux && g.Deno !== undefined && g.Bun === undefined) && "Deno on Linux",
}, () => {
  test("both ends, as Deno objects, agree with the raw getsockopt", async () => {
    const listener = Deno.listen({ hostname: LOCAL, port: 0 });
    const client = await Deno.connect({ hostname: LOCAL, port: listener.addr.port });
    const accepted = await listener.accept();
    try {
      // TCP counts what it received whether or not Deno read it: the bytes stay queued.
      const out = 30_000;
      const data = pattern(out);
      for (let done = 0; done < out;) done += await client.write(data.subarray(done));
      await waitUntil(() => bytesAvailable(accepted) === out, "the bytes at the accepted end");
      await settled(getsockopt, [handleOf(client), handleOf(accepted)]);
      assertAgrees(getsockopt, client, handleOf(client), out, 0);
      assertAgrees(getsockopt, accepted, handleOf(accepted), 0, out);
      assert.equal(tcpInfo(listener).state, TCPSTATE.LISTEN);
    } finally {
      client.close();
      accepted.close();
      listener.close();
    }
  });
});

describe("tcpInfo on Bun.connect and Bun.listen connections", {
  skip: !(linux && g.Bun !== undefined) && "Bun on Linux",
}, () => {
  test("both ends, as Bun objects, agree with the raw getsockopt", async () => {
    const bun = g.Bun!;
    let opened: BunSocket | undefined;
    let got = 0;
    const listener = bun.listen({
      hostname: LOCAL,
      port: 0,
      socket: { open: (s) => (opened = s), data: (_s, d) => got += d.length },
    });
    const client = await bun.connect({
      hostname: LOCAL,
      port: listener.port,
      socket: { data() {} },
    });
    try {
      await waitUntil(() => opened !== undefined, "the accepted socket");
      const accepted = opened!;
      const out = 60_000;
      let written = 0;
      const data = pattern(out);
      await waitUntil(() => {
        written += client.write(data.subarray(written));
        return got === out;
      }, "the bytes at the accepted end");
      await settled(getsockopt, [handleOf(client), handleOf(accepted)]);
      assertAgrees(getsockopt, client, handleOf(client), out, 0);
      assertAgrees(getsockopt, accepted, handleOf(accepted), 0, out);
      assert.equal(handleOf(client), BigInt(client.fd));
    } finally {
      client.end();
      listener.stop(true);
    }
  });
});
