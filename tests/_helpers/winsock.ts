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

/**
 * Runs `fn`, asserts it throws the WinsockError `name` of a typed call: `.typedCall` and `.ioctl`
 * set, and the message starting `typedCall: WSAIoctl(ioctl) failed: name (code)`. Returns it.
 */
export function assertTypedRefusal(
  fn: () => unknown,
  name: string,
  typedCall: string,
  ioctl: string,
): WinsockError {
  const e = assertWinsock(fn, name);
  assert.equal(e.typedCall, typedCall);
  assert.equal(e.ioctl, ioctl);
  const start = `${typedCall}: WSAIoctl(${ioctl}) failed: ${name} (${e.code})`;
  assert.ok(e.message.startsWith(start), e.message);
  return e;
}
