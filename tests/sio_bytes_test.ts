// The typed calls (sio/) over the recording fake of the native layer: what each hands WSAIoctl
// (code, input bytes, output length), byte for byte, under Deno, Bun and Node on any OS. The
// expected bytes are written from the SDK's layouts (tests/_helpers/bytes.ts), never through the
// project's struct views, and the codes are the SDK's values written out.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WinsockError } from "../errors.ts";
import { atOobMark, bytesAvailable, setNonBlocking } from "../sio/mod.ts";
import { type RecordedIoctl, recordingApi, withFake } from "./_helpers/recording_api.ts";
import { u32le } from "./_helpers/bytes.ts";

/** Runs `fn` against a fake that answers with `answer`, and returns the one WSAIoctl it saw. */
async function one<T>(
  fn: () => T,
  answer: (output: Uint8Array | null) => number = () => 0,
): Promise<{ call: RecordedIoctl; result: T }> {
  const fake = recordingApi();
  fake.answer = (_call, output) => answer(output);
  const result = await withFake(fake, fn);
  assert.equal(fake.calls.length, 1, "one WSAIoctl");
  return { call: fake.calls[0], result };
}

/** Checks a recorded WSAIoctl: code, input bytes (or none), output length. */
function expectCall(
  call: RecordedIoctl,
  code: number,
  input: Uint8Array | null,
  outLength: number,
) {
  assert.equal(call.code, code, `code 0x${code.toString(16)}`);
  assert.deepEqual(call.input, input);
  assert.equal(call.inLength, input === null ? 0 : input.length);
  assert.equal(call.outLength, outLength);
  assert.equal(call.hasOutput, outLength > 0);
}

describe("sio basic: FIONBIO, FIONREAD, SIOCATMARK", () => {
  test("setNonBlocking: FIONBIO 0x8004667E, u_long 1 / 0, no output", async () => {
    expectCall((await one(() => setNonBlocking(9n, true))).call, 0x8004667e, u32le(1), 0);
    expectCall((await one(() => setNonBlocking(9n, false))).call, 0x8004667e, u32le(0), 0);
  });

  test("bytesAvailable: FIONREAD 0x4004667F, no input, u_long out", async () => {
    const { call, result } = await one(() => bytesAvailable(9n), (out) => {
      out!.set(u32le(0x12345));
      return 4;
    });
    expectCall(call, 0x4004667f, null, 4);
    assert.equal(result, 0x12345);
  });

  test("atOobMark: SIOCATMARK 0x40047307, BOOL out, true when non-zero", async () => {
    const yes = await one(() => atOobMark(9n), (out) => (out!.set(u32le(1)), 4));
    expectCall(yes.call, 0x40047307, null, 4);
    assert.equal(yes.result, true);
    const no = await one(() => atOobMark(9n), (out) => (out!.set(u32le(0)), 4));
    assert.equal(no.result, false);
  });

  test("a refusal names the typed call and hints at the likely cause", async () => {
    const fake = recordingApi();
    fake.answer = () => ({ error: 10022 });
    const e = await withFake(fake, () => {
      try {
        setNonBlocking(9n, false);
      } catch (e) {
        return e;
      }
    });
    assert.ok(e instanceof WinsockError);
    assert.equal(e.code, 10022);
    assert.equal(e.typedCall, "setNonBlocking");
    assert.equal(e.ioctl, "FIONBIO");
    assert.match(e.message, /^setNonBlocking: WSAIoctl\(FIONBIO\) failed: WSAEINVAL/);
    assert.match(e.hint ?? "", /WSAEventSelect/);
  });
});
