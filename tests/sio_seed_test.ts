// Every one of the 53 codes of the seed (the Winsock IOCTL reference the project was built from)
// has a typed call, and each typed call reaches the code TYPED_CALLS says. The list of seed codes
// comes from the code table's `seed` marker, never from a list written here.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { IOCTLS } from "../codes/mod.ts";
import * as sio from "../sio/mod.ts";
import { recordingApi, withFake } from "./_helpers/recording_api.ts";
import type { Good } from "./_helpers/bad_input.ts";
import * as admin from "./_helpers/sio_input_admin.ts";
import * as core from "./_helpers/sio_input_core.ts";
import * as network from "./_helpers/sio_input_network.ts";
import * as qos from "./_helpers/sio_input_qos.ts";

const SEED = IOCTLS.filter((i) => i.seed);
const GOOD = new Map<string, Good[1]>(
  [...core.GOOD, ...network.GOOD, ...admin.GOOD, ...qos.GOOD].map(([name, call]) => [name, call]),
);
const functions = sio as unknown as Record<string, unknown>;

/** The codes a well-formed call of `name` hands WSAIoctl first, on the recording fake. */
async function firstCode(name: string): Promise<number | undefined> {
  const fake = recordingApi();
  const call = GOOD.get(name);
  assert.ok(call, `no well-formed call of ${name} in the bad-input tables`);
  await withFake(fake, async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    try {
      const r = call(9n) as unknown;
      if (r instanceof Promise) await Promise.race([r, new Promise((ok) => setTimeout(ok, 20))]);
      const it = r as AsyncIterator<unknown> | undefined;
      if (it !== undefined && typeof it === "object" && Symbol.asyncIterator in it) {
        await Promise.race([it.next(), new Promise((ok) => setTimeout(ok, 20))]);
        await it.return?.();
      }
    } catch {
      // The fake answers zeros: what the call makes of them does not matter here.
    }
  });
  return fake.calls[0]?.code;
}

describe("the seed's codes all have typed calls", () => {
  test("the table's seed marker names 53 codes", () => {
    assert.equal(SEED.length, 53);
  });

  for (const info of SEED) {
    test(`${info.name} → ${sio.typedCallsOf(info.name).join(", ") || "(none)"}`, async () => {
      const calls = sio.typedCallsOf(info.name);
      assert.ok(calls.length > 0, `${info.name} has no typed call`);
      for (const name of calls) {
        assert.equal(typeof functions[name], "function", `${name} is not exported by sio/`);
        const code = await firstCode(name);
        const mapped = Object.entries(sio.TYPED_CALLS)
          .filter(([, names]) => names.includes(name))
          .map(([ioctl]) => IOCTLS.find((i) => i.name === ioctl)!.value);
        assert.ok(
          code !== undefined && mapped.includes(code),
          `${name} handed WSAIoctl ${code?.toString(16)}, not ${info.name}'s`,
        );
        // A call of one code must hand exactly that code.
        if (mapped.length === 1) assert.equal(code, info.value, `${name} for ${info.name}`);
      }
    });
  }

  test("TYPED_CALLS names table codes and sio/ functions, and every typed call", () => {
    const named = new Set<string>();
    for (const [ioctl, names] of Object.entries(sio.TYPED_CALLS)) {
      assert.ok(IOCTLS.some((i) => i.name === ioctl), `${ioctl} is not in the table`);
      for (const n of names) {
        assert.equal(typeof functions[n], "function", n);
        named.add(n);
      }
    }
    const typed = [...GOOD.keys()];
    assert.ok(typed.length >= 50, `only ${typed.length} typed calls`);
    assert.deepEqual(
      typed.filter((n) => !named.has(n)),
      [],
      "typed calls missing from TYPED_CALLS",
    );
  });
});
