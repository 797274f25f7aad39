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
 * Runs a typed call `fn`, asserts it throws the WinsockError `name` (`code`) carrying the typed
 * call and the IOCTL, whose message starts `typedCall: WSAIoctl(ioctl) failed: name (code)`;
 * returns it.
 */
export function assertTypedRefusal(
  fn: () => unknown,
  refusal: { typedCall: string; ioctl: string; name: string; code: number },
): WinsockError {
  const e = assertWinsock(fn, refusal.name);
  assert.equal(e.code, refusal.code);
  assert.equal(e.typedCall, refusal.typedCall);
  assert.equal(e.ioctl, refusal.ioctl);
  const head = `${refusal.typedCall}: WSAIoctl(${refusal.ioctl}) failed: ${refusal.name} ` +
    `(${refusal.code})`;
  assert.ok(e.message.startsWith(head), `${e.message} (want ${head}…)`);
  return e;
}
