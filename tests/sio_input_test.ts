// Bad input to every typed call: wrong types, out-of-range numbers, bad enum members and GUIDs,
// closed sockets. Each gets its documented error class (and, where it names one, the parameter)
// and no native call is made: the recording fake sees nothing. The cases live per family in
// tests/_helpers/sio_input_*.ts.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SocketClosedError } from "../errors.ts";
import { Socket } from "../socket.ts";
import * as sio from "../sio/mod.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import { bad, type Case, failureOf, type Good } from "./_helpers/bad_input.ts";
import * as admin from "./_helpers/sio_input_admin.ts";
import * as core from "./_helpers/sio_input_core.ts";
import * as network from "./_helpers/sio_input_network.ts";
import * as qos from "./_helpers/sio_input_qos.ts";

const CASES: Case[] = [...core.CASES, ...network.CASES, ...admin.CASES, ...qos.CASES];
const GOOD: Good[] = [...core.GOOD, ...network.GOOD, ...admin.GOOD, ...qos.GOOD];
/** Exported functions of sio/ that are not typed calls (they take no socket). */
const NOT_TYPED_CALLS = new Set(["typedCallsOf", "platformsOf"]);
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
    const calls = Object.entries(sio).filter(([k, v]) =>
      typeof v === "function" && !NOT_TYPED_CALLS.has(k)
    ).map(([k]) => k);
    assert.ok(calls.length >= 40, `only ${calls.length} typed calls found`);
    assert.deepEqual(calls.filter((c) => !named.has(c)), []);
  });
});
