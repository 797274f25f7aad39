/** Watching Promises settle, for the tests of waits that must stay pending or end in time. */

import assert from "node:assert/strict";

/** Whether `p` has settled yet. */
export function tracked<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  p.then(() => done = true, () => done = true);
  return { promise: p, settled: () => done };
}

/** The rejection of `p`, asserting it comes within `ms`. */
export async function rejectionWithin(p: Promise<unknown>, ms: number): Promise<unknown> {
  const started = Date.now();
  let caught: unknown;
  await p.then(() => assert.fail("expected a rejection"), (e) => caught = e);
  const took = Date.now() - started;
  assert.ok(took < ms, `settled after ${took} ms (limit ${ms} ms)`);
  return caught;
}
