/** Assertions shared by the native tests (Linux and Wine). */

import assert from "node:assert/strict";
import { WinsockError } from "../../errors.ts";

/** Runs `fn`, asserts it throws a WinsockError whose symbolic name is `name`, and returns it. */
export function assertWinsock(fn: () => unknown, name: string): WinsockError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof WinsockError, `expected WinsockError ${name}, got ${caught}`);
  assert.equal(caught.name, name);
  return caught;
}
