// Bad input to every typed call: wrong types, out-of-range numbers, bad enum members and GUIDs,
// closed sockets. Each gets its documented error class (and, where it names one, the parameter)
// and no native call is made: the recording fake sees nothing.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError } from "../errors.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";

type Case = [
  what: string,
  call: (s: sio.SocketRef) => unknown,
  error: typeof TypeError | typeof RangeError,
  message?: RegExp,
];
const bad = <T>(v: unknown) => v as T;

/** Every typed call with bad arguments on a good socket (9n). */
const CASES: Case[] = [
  // ---- basic.ts
  ["setNonBlocking(1)", (s) => sio.setNonBlocking(s, bad(1)), TypeError, /enabled/],
  ["setNonBlocking(undefined)", (s) => sio.setNonBlocking(s, bad(undefined)), TypeError, /enabled/],
  // ---- settings.ts
  ["setUdpConnReset(1)", (s) => sio.setUdpConnReset(s, bad(1)), TypeError, /enabled/],
  ["setUdpConnReset('false')", (s) => sio.setUdpConnReset(s, bad("false")), TypeError, /enabled/],
  ["setUdpConnReset()", (s) => sio.setUdpConnReset(s, bad(undefined)), TypeError, /enabled/],
  ["setUdpNetReset(0)", (s) => sio.setUdpNetReset(s, bad(0)), TypeError, /enabled/],
  ["setLoopbackFastPath(null)", (s) => sio.setLoopbackFastPath(s, bad(null)), TypeError, /enabled/],
  [
    "setPriorityHint('high')",
    (s) => sio.setPriorityHint(s, bad("high")),
    RangeError,
    /hint.*"veryLow"/,
  ],
  ["setPriorityHint('VeryLow')", (s) => sio.setPriorityHint(s, bad("VeryLow")), RangeError, /hint/],
  [
    "setPriorityHint('toString')",
    (s) => sio.setPriorityHint(s, bad("toString")),
    RangeError,
    /hint/,
  ],
  ["setPriorityHint(0)", (s) => sio.setPriorityHint(s, bad(0)), TypeError, /hint/],
  ["setPriorityHint()", (s) => sio.setPriorityHint(s, bad(undefined)), TypeError, /hint/],
  ["setCompatibilityMode()", (s) => sio.setCompatibilityMode(s, bad(undefined)), TypeError, /mode/],
  ["setCompatibilityMode(null)", (s) => sio.setCompatibilityMode(s, bad(null)), TypeError, /mode/],
  [
    "setCompatibilityMode('all')",
    (s) => sio.setCompatibilityMode(s, bad("all")),
    TypeError,
    /mode/,
  ],
  [
    "setCompatibilityMode({ behavior: 'none' })",
    (s) => sio.setCompatibilityMode(s, { behavior: bad("none"), targetOsVersion: 0 }),
    RangeError,
    /mode\.behavior.*"autoTuning"/,
  ],
  [
    "setCompatibilityMode({ behavior: '__proto__' })",
    (s) => sio.setCompatibilityMode(s, { behavior: bad("__proto__"), targetOsVersion: 0 }),
    RangeError,
    /mode\.behavior/,
  ],
  [
    "setCompatibilityMode({ behavior: 1 })",
    (s) => sio.setCompatibilityMode(s, { behavior: bad(1), targetOsVersion: 0 }),
    TypeError,
    /mode\.behavior/,
  ],
  [
    "setCompatibilityMode({ behavior: 'all' })",
    (s) => sio.setCompatibilityMode(s, bad({ behavior: "all" })),
    TypeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: -1 })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: -1 }),
    RangeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: 2 ** 32 })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: 2 ** 32 }),
    RangeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: 1.5 })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: 1.5 }),
    TypeError,
    /mode\.targetOsVersion/,
  ],
  [
    "setCompatibilityMode({ targetOsVersion: '6' })",
    (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: bad("6") }),
    TypeError,
    /mode\.targetOsVersion/,
  ],
  ["setCpuAffinity(-1)", (s) => sio.setCpuAffinity(s, -1), RangeError, /processor/],
  ["setCpuAffinity(65536)", (s) => sio.setCpuAffinity(s, 65536), RangeError, /processor/],
  ["setCpuAffinity(1.5)", (s) => sio.setCpuAffinity(s, 1.5), TypeError, /processor/],
  ["setCpuAffinity(NaN)", (s) => sio.setCpuAffinity(s, NaN), TypeError, /processor/],
  ["setCpuAffinity('0')", (s) => sio.setCpuAffinity(s, bad("0")), TypeError, /processor/],
  ["setCpuAffinity(0n)", (s) => sio.setCpuAffinity(s, bad(0n)), TypeError, /processor/],
  // ---- handles.ts
  ["extensionFunction()", (s) => sio.extensionFunction(s, bad(undefined)), TypeError, /nameOrGuid/],
  ["extensionFunction(42)", (s) => sio.extensionFunction(s, bad(42)), TypeError, /nameOrGuid/],
  [
    "extensionFunction('acceptex')",
    (s) => sio.extensionFunction(s, "acceptex"),
    RangeError,
    /nameOrGuid.*"AcceptEx".*GUID/,
  ],
  ["extensionFunction('')", (s) => sio.extensionFunction(s, ""), RangeError, /nameOrGuid/],
  [
    "extensionFunction('toString')",
    (s) => sio.extensionFunction(s, "toString"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID one digit short)",
    (s) => sio.extensionFunction(s, "{B5367DF1-CBAC-11CF-95CA-00805F48A19}"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID without its closing brace)",
    (s) => sio.extensionFunction(s, "{B5367DF1-CBAC-11CF-95CA-00805F48A192"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID without dashes)",
    (s) => sio.extensionFunction(s, "B5367DF1CBAC11CF95CA00805F48A192"),
    RangeError,
    /nameOrGuid/,
  ],
  [
    "extensionFunction(GUID with a non-hex digit)",
    (s) => sio.extensionFunction(s, "{G5367DF1-CBAC-11CF-95CA-00805F48A192}"),
    RangeError,
    /nameOrGuid/,
  ],
  ["bspHandle('recv')", (s) => sio.bspHandle(s, bad("recv")), RangeError, /kind.*"poll"/],
  ["bspHandle(1)", (s) => sio.bspHandle(s, bad(1)), TypeError, /kind/],
  ["bspHandle(null)", (s) => sio.bspHandle(s, bad(null)), TypeError, /kind/],
  // ---- backlog.ts (async: the Promise rejects)
  [
    "idealSendBacklogChange(null)",
    (s) => sio.idealSendBacklogChange(s, bad(null)),
    TypeError,
    /opts/,
  ],
  [
    "idealSendBacklogChange('x')",
    (s) => sio.idealSendBacklogChange(s, bad("x")),
    TypeError,
    /opts/,
  ],
  [
    "idealSendBacklogChange({ signal: {} })",
    (s) => sio.idealSendBacklogChange(s, { signal: bad({}) }),
    TypeError,
    /opts\.signal/,
  ],
  [
    "idealSendBacklogChange({ signal: null })",
    (s) => sio.idealSendBacklogChange(s, { signal: bad(null) }),
    TypeError,
    /opts\.signal/,
  ],
];

/** Every typed call with good arguments, to be run on bad sockets. */
const GOOD: [string, (s: sio.SocketRef) => unknown][] = [
  ["setNonBlocking", (s) => sio.setNonBlocking(s, true)],
  ["bytesAvailable", (s) => sio.bytesAvailable(s)],
  ["atOobMark", (s) => sio.atOobMark(s)],
  // ---- settings.ts
  ["setUdpConnReset", (s) => sio.setUdpConnReset(s, false)],
  ["setUdpNetReset", (s) => sio.setUdpNetReset(s, false)],
  ["setLoopbackFastPath", (s) => sio.setLoopbackFastPath(s, true)],
  ["setPriorityHint", (s) => sio.setPriorityHint(s, "low")],
  [
    "setCompatibilityMode",
    (s) => sio.setCompatibilityMode(s, { behavior: "autoTuning", targetOsVersion: 0x06000000 }),
  ],
  ["setCpuAffinity", (s) => sio.setCpuAffinity(s, 0)],
  // ---- handles.ts
  ["extensionFunction", (s) => sio.extensionFunction(s, "ConnectEx")],
  ["baseHandle", (s) => sio.baseHandle(s)],
  ["bspHandle", (s) => sio.bspHandle(s, "poll")],
  // ---- backlog.ts
  ["idealSendBacklog", (s) => sio.idealSendBacklog(s)],
  [
    "idealSendBacklogChange",
    (s) => sio.idealSendBacklogChange(s, { signal: new AbortController().signal }),
  ],
];

/**
 * The error `fn` fails with: what it throws or, for the async calls, what the Promise it returns
 * rejects with. Fails the test when `fn` succeeds.
 */
async function failureOf(fn: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    return e;
  }
  assert.ok(result instanceof Promise, "expected a throw or a rejected Promise");
  return await result.then(() => assert.fail("the Promise resolved"), (e: unknown) => e);
}

describe("typed calls refuse bad input before any native call", () => {
  for (const [what, call, error, message] of CASES) {
    test(what, async () => {
      const fake = recordingApi();
      await withFake(fake, async () => {
        const e = await failureOf(() => call(9n));
        assert.ok(e instanceof error, `${what}: ${e}`);
        if (message) assert.match((e as Error).message, message);
      });
      assert.deepEqual(fake.log, [], `${what} reached the native layer`);
    });
  }

  for (const [name, call] of GOOD) {
    test(`${name} on a closed Socket, a non-socket and an out-of-range handle`, async () => {
      const fake = recordingApi();
      await withFake(fake, async () => {
        const s = Socket.open("inet", "dgram");
        s.close();
        fake.log.length = 0;
        const closed = await failureOf(() => call(s));
        assert.ok(closed instanceof SocketClosedError, String(closed));
        assert.match(closed.message, new RegExp(`^${name}: `), "names the typed call");
        assert.ok((await failureOf(() => call(bad(7)))) instanceof TypeError);
        assert.ok((await failureOf(() => call(bad("3")))) instanceof TypeError);
        assert.ok((await failureOf(() => call(-1n))) instanceof RangeError);
        assert.ok((await failureOf(() => call(2n ** 64n))) instanceof RangeError);
      });
      assert.deepEqual(fake.log, [], `${name} reached the native layer`);
    });
  }

  test("every typed call is in the tables", () => {
    const named = new Set(GOOD.map(([n]) => n));
    const calls = Object.entries(sio).filter(([, v]) => typeof v === "function").map(([k]) => k);
    assert.deepEqual(calls.filter((c) => !named.has(c)), []);
  });
});
