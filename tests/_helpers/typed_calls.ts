/**
 * Helpers for the typed-call tests over the recording fake (tests/_helpers/recording_api.ts):
 * run one call and get the one WSAIoctl it made, assert what that WSAIoctl received, get the
 * error of a refused call, keep the very buffer objects handed to the native layer (to prove a
 * polling path reuses its buffers), and the off-Windows expectation that a call throws
 * UnsupportedError naming itself, on the real native layer.
 */

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedError } from "../../errors.ts";
import type { NativeApi } from "../../ffi/native.ts";
import { nativeApi } from "../../ffi/select.ts";
import type { SocketRef } from "../../sio/mod.ts";
import { Socket } from "../../socket.ts";
import {
  distinctAddresses,
  type IoctlAnswer,
  type RecordedIoctl,
  type RecordingApi,
  recordingApi,
  withFake,
} from "./recording_api.ts";

/** The buffers the native layer was handed, per WSAIoctl (object identity, not copies). */
export interface Handed {
  input: Uint8Array | null;
  output: Uint8Array | null;
}

/** A recording fake that also keeps the very buffer objects each WSAIoctl received. */
export function fakeWithBuffers(): { fake: RecordingApi; handed: Handed[] } {
  const fake = recordingApi();
  const handed: Handed[] = [];
  const api = fake.api as { wsaIoctl: NativeApi["wsaIoctl"] };
  const recorded = api.wsaIoctl;
  api.wsaIoctl = (s, code, input, inLength, output, outLength) => {
    handed.push({ input, output });
    return recorded(s, code, input, inLength, output, outLength);
  };
  return { fake, handed };
}

/** Runs `fn` once against a fake answering with `answer`; returns its one WSAIoctl and result. */
export async function single<T>(
  fn: () => T,
  answer: (output: Uint8Array | null) => IoctlAnswer = () => 0,
): Promise<{ call: RecordedIoctl; result: T }> {
  const fake = recordingApi();
  fake.answer = (_call, output) => answer(output);
  const result = await withFake(fake, fn);
  assert.equal(fake.calls.length, 1, "exactly one WSAIoctl");
  return { call: fake.calls[0], result };
}

/** One scripted answer of {@link inTurn}: the output buffer and the address the fake gives it. */
export type TurnAnswer = (output: Uint8Array, address: bigint) => IoctlAnswer;

/**
 * Runs `fn` over a fake that answers its WSAIoctls in turn with `answers` (each may write into
 * the output, whose fake address it is given: {@link distinctAddresses} is installed). Returns
 * every WSAIoctl made and what `fn` returned or threw.
 */
export async function inTurn(
  fn: () => unknown,
  answers: TurnAnswer[],
): Promise<{ calls: RecordedIoctl[]; result: unknown; error: unknown }> {
  const fake = recordingApi();
  fake.address = distinctAddresses();
  let i = 0;
  fake.answer = (_call, output) => answers[i++](output!, fake.address(output!));
  let result: unknown, error: unknown;
  await withFake(fake, () => {
    try {
      result = fn();
    } catch (e) {
      error = e;
    }
  });
  return { calls: fake.calls, result, error };
}

/** Asserts what one WSAIoctl received: handle 9n, the code, the input bytes, the output length. */
export function handed(call: RecordedIoctl, code: number, input: Uint8Array, outLength = 0): void {
  assert.equal(call.handle, 9n);
  assert.equal(call.code, code, `code 0x${call.code.toString(16)}, want 0x${code.toString(16)}`);
  assert.deepEqual(call.input, input);
  assert.equal(call.inLength, input.length);
  assert.equal(call.outLength, outLength);
  assert.equal(call.hasOutput, outLength > 0);
  assert.equal(call.overlapped, false);
}

/** The error `fn` throws under a fake that refuses every WSAIoctl with `code`. */
export async function refusal(fn: () => unknown, code: number): Promise<unknown> {
  const fake = recordingApi();
  fake.answer = () => ({ error: code });
  return await withFake(fake, () => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    assert.fail("no error");
  });
}

/** A typed call to run on a real socket of the given type: `[typed call, socket type, run]`. */
export type OffWindowsCase = [
  name: string,
  type: "stream" | "dgram",
  call: (s: SocketRef) => unknown,
];

/**
 * Registers, off Windows only, one test per case: on the real native layer the call throws
 * UnsupportedError naming the typed call and the platform, and leaves the socket usable.
 */
export function unsupportedOffWindows(title: string, cases: OffWindowsCase[]): void {
  const native = nativeApi();
  describe(
    `${title} on ${native.runtime}/${native.os}: UnsupportedError naming the typed call`,
    { skip: native.os === "windows" },
    () => {
      for (const [name, type, call] of cases) {
        test(`${name} (${type} socket)`, () => {
          using s = Socket.open("inet", type);
          assert.throws(() => call(s), (e: unknown) => {
            assert.ok(e instanceof UnsupportedError, String(e));
            assert.equal(e.typedCall, name);
            assert.ok(e.platform.startsWith(native.os), e.platform);
            const message = new RegExp(`^${name}: SIO_\\w+ .*unsupported on ${native.os}`);
            assert.match(e.message, message);
            return true;
          });
          assert.equal(s.getOption("type"), type, "the socket is untouched");
        });
      }
    },
  );
}
