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
];

/** Every typed call with good arguments, to be run on bad sockets. */
const GOOD: [string, (s: sio.SocketRef) => unknown][] = [
  ["setNonBlocking", (s) => sio.setNonBlocking(s, true)],
  ["bytesAvailable", (s) => sio.bytesAvailable(s)],
  ["atOobMark", (s) => sio.atOobMark(s)],
];

describe("typed calls refuse bad input before any native call", () => {
  for (const [what, call, error, message] of CASES) {
    test(what, async () => {
      const fake = recordingApi();
      await withFake(fake, () => {
        assert.throws(() => call(9n), (e: unknown) => {
          assert.ok(e instanceof error, `${what}: ${e}`);
          if (message) assert.match((e as Error).message, message);
          return true;
        });
      });
      assert.deepEqual(fake.log, [], `${what} reached the native layer`);
    });
  }

  for (const [name, call] of GOOD) {
    test(`${name} on a closed Socket, a non-socket and an out-of-range handle`, async () => {
      const fake = recordingApi();
      await withFake(fake, () => {
        const s = Socket.open("inet", "dgram");
        s.close();
        fake.log.length = 0;
        assert.throws(() => call(s), SocketClosedError);
        assert.throws(() => call(bad(7)), TypeError);
        assert.throws(() => call(bad("3")), TypeError);
        assert.throws(() => call(-1n), RangeError);
        assert.throws(() => call(2n ** 64n), RangeError);
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
