// Where each typed call runs (sio/platforms.ts) against what the calls really do:
// - the table covers every typed call exactly (TYPED_CALLS, the functions sio/ exports), and
//   its rows are well formed;
// - on this machine's native layer (Linux; macOS on a real Mac), every call runs once on a real
//   socket: an "unsupported" row throws UnsupportedError naming the call and the platform, with
//   the row's `instead`; a native or emulated row runs and answers;
// - on a fake macOS libc (any machine): the same for the macOS column, the emulated rows
//   reaching the translation (an answer, or the WinsockError it gives the fake's zeros);
// tests/platforms_generated_test.ts keeps the README's table and the JSDoc lines equal to it,
// tests/cli_test.ts `wsioctl list --typed`.
// Runs under Deno, Bun and Node (koffi).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedError, WinsockError } from "../errors.ts";
import { createPosixApi } from "../ffi/posix.ts";
import { _swapNativeApi, nativeApi } from "../ffi/select.ts";
import * as sio from "../sio/mod.ts";
import {
  type Platform,
  PLATFORMS,
  platformsOf,
  type PlatformSupport,
  TYPED_CALL_PLATFORMS,
  TYPED_CALLS,
} from "../sio/mod.ts";
import { platformSentence, supportText, typedCallRows } from "../sio/platforms.ts";
import { Socket } from "../socket.ts";
import { fakeLoader } from "./_helpers/fake_loader.ts";
import { tcpPair } from "./_helpers/pair.ts";
import {
  type Needs,
  type Outcome,
  outcome,
  PLATFORM_CASES,
  type PlatformCase,
} from "./_helpers/platform_cases.ts";

const CALLS = Object.keys(TYPED_CALL_PLATFORMS);

describe("TYPED_CALL_PLATFORMS: the table", () => {
  test("one row per typed call: TYPED_CALLS' calls, sio's exported functions, the cases", () => {
    const ofCodes = new Set(Object.values(TYPED_CALLS).flat());
    assert.deepEqual(new Set(CALLS), ofCodes);
    const helpers = new Set(["typedCallsOf", "platformsOf"]);
    const exported = Object.entries(sio)
      .filter(([name, value]) => typeof value === "function" && !helpers.has(name))
      .map(([name]) => name);
    assert.deepEqual(new Set(CALLS), new Set(exported));
    assert.deepEqual(new Set(CALLS), new Set(Object.keys(PLATFORM_CASES)));
    assert.equal(CALLS.length, 58);
  });

  test("rows are well formed: Windows native; how for native and emulated, never for unsupported", () => {
    for (const call of CALLS) {
      const row = TYPED_CALL_PLATFORMS[call];
      assert.deepEqual(Object.keys(row), [...PLATFORMS], call);
      assert.equal(row.windows.kind, "native", call);
      for (const p of ["linux", "macos"] as const) {
        const s = row[p];
        const where = `${call} on ${p}`;
        assert.ok(["native", "emulated", "unsupported"].includes(s.kind), where);
        if (s.kind === "unsupported") assert.equal(s.how, undefined, where);
        else assert.ok(s.how !== undefined && s.how.length > 0, where);
        if (s.kind !== "unsupported") assert.equal(s.instead, undefined, where);
        assert.ok(Object.isFrozen(s), where);
      }
      assert.ok(Object.isFrozen(row), call);
    }
    assert.ok(Object.isFrozen(TYPED_CALL_PLATFORMS));
  });

  test("platformsOf: the row, undefined for a name that is no typed call, TypeError otherwise", () => {
    assert.equal(platformsOf("setKeepAlive"), TYPED_CALL_PLATFORMS.setKeepAlive);
    assert.equal(platformsOf("ioctl"), undefined);
    assert.equal(platformsOf("toString"), undefined);
    assert.throws(() => platformsOf(1 as unknown as string), TypeError);
  });

  test("the texts: supportText and the Platforms sentence", () => {
    const tcp = TYPED_CALL_PLATFORMS.setTcpAckFrequency;
    assert.equal(supportText(tcp.macos), "unsupported");
    assert.equal(
      supportText(tcp.linux),
      "unsupported; instead: TCP_QUICKACK turns delayed ACKs off for a while",
    );
    assert.equal(supportText({ kind: "emulated", how: "x" }), "emulated: x");
    assert.equal(
      platformSentence(tcp),
      "Platforms: Windows; Linux (unsupported; instead: TCP_QUICKACK turns delayed ACKs off for " +
        "a while); macOS (unsupported).",
    );
    assert.equal(
      platformSentence(TYPED_CALL_PLATFORMS.setNonBlocking),
      "Platforms: Windows; Linux and macOS (native: ioctl(FIONBIO)).",
    );
    assert.equal(
      platformSentence(TYPED_CALL_PLATFORMS.bytesAvailable),
      "Platforms: Windows; Linux (native: ioctl(FIONREAD); a datagram socket answers its first " +
        "datagram's size); macOS (native: ioctl(FIONREAD)).",
    );
  });

  test("typedCallRows: each call with its codes, in the table's order", () => {
    const rows = typedCallRows();
    assert.deepEqual(rows.map((r) => r.call), CALLS);
    const bsp = rows.find((r) => r.call === "bspHandle")!;
    assert.deepEqual(bsp.codes, ["SIO_BSP_HANDLE", "SIO_BSP_HANDLE_SELECT", "SIO_BSP_HANDLE_POLL"]);
    for (const r of rows) {
      assert.ok(r.codes.length > 0, r.call);
      for (const code of r.codes) assert.ok(TYPED_CALLS[code].includes(r.call), r.call);
    }
  });
});

/** Asserts that `o`, the outcome of `call` on `os`, is what `support` says. */
function assertOutcome(call: string, os: string, support: PlatformSupport, o: Outcome): void {
  const where = `${call} on ${os}`;
  if (support.kind === "unsupported") {
    const e = o.refused;
    assert.ok(e !== undefined, `${where}: the table says unsupported, but it ran (${shown(o)})`);
    assert.equal(e.typedCall, call, where);
    assert.equal(e.platform, os, where);
    assert.equal(e.instead, support.instead, `${where}: instead`);
    assert.ok(e.message.startsWith(`${call}: `), e.message);
    return;
  }
  assert.equal(o.refused, undefined, `${where}: the table says ${support.kind}, but ${o.refused}`);
}

/** What an outcome was, for messages. */
function shown(o: Outcome): string {
  if (o.refused !== undefined) return String(o.refused);
  if ("error" in o && o.error !== undefined) return `threw ${o.error}`;
  return "waited" in o ? "waited until aborted" : "answered";
}

/** A real socket as a case needs it, and how to close it. */
function open(needs: Needs): { s: Socket; close(): void } {
  if (needs === "tcp" || needs === "udp") {
    const s = Socket.open("inet", needs === "tcp" ? "stream" : "dgram");
    return { s, close: () => s.close() };
  }
  if (needs === "tcpPeer") {
    const pair = tcpPair();
    return { s: pair.peer, close: () => pair.close() };
  }
  // A connected UDP socket that has received a datagram from its peer.
  const a = Socket.open("inet", "dgram");
  const b = Socket.open("inet", "dgram");
  try {
    a.bind("127.0.0.1", 0);
    b.bind("127.0.0.1", 0);
    a.connect("127.0.0.1", b.localAddress().port);
    b.sendTo(new Uint8Array([1]), "127.0.0.1", a.localAddress().port);
    assert.equal(a.recv(new Uint8Array(4)), 1);
  } catch (e) {
    a.close();
    b.close();
    throw e;
  }
  return {
    s: a,
    close: () => {
      a.close();
      b.close();
    },
  };
}

const native = nativeApi();
/** This machine's column of the table, where its native layer is one the table describes. */
const column: Platform | undefined = native.os === "linux"
  ? "linux"
  : native.os === "darwin"
  ? "macos"
  : undefined;

describe(`every typed call on real sockets (${native.runtime}/${native.os}): as the table says`, {
  skip: column === undefined && `the table's ${native.os} column is Windows': tests/windows/`,
}, () => {
  for (const call of CALLS) {
    const c: PlatformCase = PLATFORM_CASES[call];
    const support = TYPED_CALL_PLATFORMS[call][column ?? "linux"];
    test(`${call}: ${supportText(support)}`, async () => {
      const { s, close } = open(c.needs);
      try {
        const o = await outcome(c, s);
        assertOutcome(call, native.os, support, o);
        if (support.kind !== "unsupported") {
          // Native and emulated calls run through on a socket that fits them.
          assert.ok(!("error" in o) || o.error === undefined, `${call}: ${shown(o)}`);
        }
      } finally {
        close();
      }
    });
  }
});

describe("every typed call on a fake macOS libc: the macOS column", () => {
  for (const arch of ["aarch64", "x86_64"]) {
    test(`darwin on ${arch}`, async () => {
      const fake = fakeLoader("darwin", arch);
      const restore = _swapNativeApi(createPosixApi(fake.loader));
      try {
        for (const call of CALLS) {
          const support = TYPED_CALL_PLATFORMS[call].macos;
          const before = fake.calls.length;
          const o = await outcome(PLATFORM_CASES[call], 9n);
          assertOutcome(call, "darwin", support, o);
          if (support.kind === "unsupported") {
            assert.equal(fake.calls.length, before, `${call}: no native call before refusing`);
          } else {
            // The translation ran: it answered, or refused the fake's zeros as Winsock would.
            const error = "error" in o ? o.error : undefined;
            assert.ok(error === undefined || error instanceof WinsockError, `${call}: ${error}`);
            assert.ok(fake.calls.length > before, `${call}: it reached libc`);
          }
        }
      } finally {
        restore();
      }
    });
  }
});

/** An UnsupportedError is what "unsupported" means: the outcome helper tells it apart. */
test("outcome: an UnsupportedError is a refusal, the abort of a wait or any other error an answer", async () => {
  const refused = new UnsupportedError("SIO_FLUSH", "linux", 0x28000004, "flush");
  const a = await outcome({ needs: "tcp", run: () => Promise.reject(refused) }, 9n);
  assert.equal(a.refused, refused);
  const other = new WinsockError(10022, { call: "WSAIoctl" });
  const b = await outcome({ needs: "tcp", run: () => Promise.reject(other) }, 9n);
  assert.equal(b.refused, undefined);
  assert.equal("error" in b && b.error, other);
  // A wait that only ends when aborted ran: the platform armed it.
  const waiting = (_s: unknown, signal: AbortSignal) =>
    new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
  const c = await outcome({ needs: "udp", run: waiting }, 9n);
  assert.deepEqual(c, { waited: true });
});
