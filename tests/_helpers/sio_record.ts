/**
 * Running one typed call over the recording fake (recording_api.ts) and describing what it handed
 * WSAIoctl, for the byte-exact tests of sio/: `seen` runs it and returns the one call and the
 * result, `shape`/`expected` put the recorded call and the SDK's expectation in one comparable
 * form, `failure` runs it against a scripted WSA error, `claiming` against an answer that writes
 * some bytes but reports another count.
 */

import assert from "node:assert/strict";
import { type IoctlAnswer, type RecordedIoctl, recordingApi, withFake } from "./recording_api.ts";

/** What one typed call handed the fake, and what it returned. */
export interface Seen<T> {
  call: RecordedIoctl;
  result: T;
}

/**
 * Runs `fn` over a fresh fake whose WSAIoctl writes `reply` into the output (when given) and
 * answers `answer`; asserts exactly one WSAIoctl was made.
 */
export async function seen<T>(
  fn: () => T,
  reply: Uint8Array | null = null,
  answer: IoctlAnswer = reply?.length ?? 0,
): Promise<Seen<T>> {
  const fake = recordingApi();
  fake.answer = (_call, output) => {
    if (reply !== null) output!.set(reply);
    return answer;
  };
  const result = await withFake(fake, fn);
  assert.equal(fake.calls.length, 1, "exactly one WSAIoctl");
  return { call: fake.calls[0], result };
}

/** The (code, input, output length) of a recorded WSAIoctl, for one deepEqual. */
export function shape(call: RecordedIoctl) {
  return {
    code: `0x${call.code.toString(16).toUpperCase()}`,
    input: call.input === null ? null : [...call.input],
    inLength: call.inLength,
    hasOutput: call.hasOutput,
    outLength: call.outLength,
    overlapped: call.overlapped,
  };
}

/** The shape a synchronous typed call should have handed WSAIoctl. */
export function expected(code: number, input: Uint8Array | null, outLength: number) {
  return {
    code: `0x${code.toString(16).toUpperCase()}`,
    input: input === null ? null : [...input],
    inLength: input === null ? 0 : input.length,
    hasOutput: outLength > 0,
    outLength,
    overlapped: false,
  };
}

/** Runs `fn` over a fake answering `error`, and returns what it threw. */
export async function failure(fn: () => unknown, error: number): Promise<unknown> {
  const fake = recordingApi();
  fake.answer = () => ({ error });
  return await withFake(fake, async () => {
    try {
      await fn();
    } catch (e) {
      return e;
    }
    assert.fail("expected a failure");
  });
}

/**
 * Runs `fn` over a fake that writes `bytes` (as many as fit) but reports `count` bytes returned;
 * returns a function that gives `fn`'s result or throws its error, for `assert.throws`.
 */
export async function claiming<T>(fn: () => T, bytes: Uint8Array, count: number): Promise<() => T> {
  const fake = recordingApi();
  fake.answer = (_call, output) => (output!.set(bytes.subarray(0, output!.length)), count);
  return await withFake(fake, () => {
    try {
      const r = fn();
      return () => r;
    } catch (e) {
      return () => {
        throw e;
      };
    }
  });
}
