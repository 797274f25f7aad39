/** The shapes of the bad-input tables (tests/sio_input_test.ts) and what they share. */

import assert from "node:assert/strict";
import type * as sio from "../../sio/mod.ts";

/** A typed call with bad arguments: what it is, the call, the error class, the message. */
export type Case = [
  what: string,
  call: (s: sio.SocketRef) => unknown,
  error: typeof TypeError | typeof RangeError,
  message?: RegExp,
];

/** A typed call with good arguments, by the typed call's name. */
export type Good = [name: string, call: (s: sio.SocketRef) => unknown];

/** Any value, typed as whatever the call wants: for handing it what it does not want. */
export const bad = <T>(v: unknown): T => v as T;

/**
 * The error `fn` fails with: what it throws or, for the async calls, what the Promise it returns
 * rejects with. Fails the test when `fn` succeeds.
 */
export async function failureOf(fn: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    return e;
  }
  assert.ok(result instanceof Promise, "expected a throw or a rejected Promise");
  return await result.then(() => assert.fail("the Promise resolved"), (e: unknown) => e);
}

/** An options object with some fields replaced: `{ ...good, ...fields }`. */
export type Fields = Record<string, unknown>;
