/**
 * The library's one hex spelling: `0x`, then upper-case digits, as the SDK headers write codes.
 * {@link formatCode} spells a whole control code. The rest is internal, not exported from
 * codes/mod.ts: {@link hex} and {@link hexDigits} for the numbers that are not whole codes (a
 * 16-bit code field, a 64-bit handle, the bytes of a dump), and {@link describeBuffers}, the words
 * for a code's buffers.
 *
 * Pure, and free of the code table: errors.ts and the generator import it.
 *
 * @module
 */

import { checkCode } from "../_validate.ts";
import type { BufferSize, IoctlInfo } from "./types.ts";

/**
 * Upper-case hex digits, zero-padded to at least `width` digits, without the `0x`.
 *
 * @param value A non-negative integer.
 * @param width The least number of digits.
 * @returns E.g. `hexDigits(10, 2)` is `"0A"`.
 */
export function hexDigits(value: number | bigint, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, "0");
}

/**
 * `0x`, then upper-case hex digits, zero-padded to at least `width` digits.
 *
 * @param value A non-negative integer.
 * @param width The least number of digits.
 * @returns E.g. `hex(4, 4)` is `"0x0004"`.
 */
export function hex(value: number | bigint, width: number): string {
  return "0x" + hexDigits(value, width);
}

/**
 * A control code as hex, the one spelling this library uses everywhere (CLI, errors, messages):
 * `0x`, then eight upper-case digits, as the SDK headers write them.
 *
 * @param value The control code (a negative int32 is read as its bit pattern).
 * @returns E.g. `"0x4004667F"`.
 * @throws {TypeError} When `value` is not an integer.
 * @throws {RangeError} When `value` does not fit in 32 bits.
 * @example
 * ```ts
 * import { formatCode } from "@x/wsioctl/codes";
 * formatCode(0x4004667f); // "0x4004667F"
 * ```
 */
export function formatCode(value: number): string {
  return hex(checkCode(value, "value"), 8);
}

/** The facts about a code's buffers that the table holds (an {@link IoctlInfo} has them all). */
export type BufferFacts = Pick<
  IoctlInfo,
  "io" | "realIo" | "input" | "output" | "inputSize" | "outputSize"
>;

/**
 * Internal: a code's input and output buffers in words, the way the constants' JSDoc and
 * `wsioctl decode` state them: what the buffer holds and its size on 64-bit Windows
 * (`"tcp_keepalive, 12 bytes"`), `"none"`, or `"not documented"` where the direction the code
 * really uses declares a buffer that no documentation describes.
 *
 * @param info The code's table entry.
 * @returns The input and the output buffer's description.
 */
export function describeBuffers(info: BufferFacts): { input: string; output: string } {
  const io = info.realIo ?? info.io;
  return {
    input: describeBuffer(info.input, info.inputSize, io === "in" || io === "inout"),
    output: describeBuffer(info.output, info.outputSize, io === "out" || io === "inout"),
  };
}

function describeBuffer(
  type: string | undefined,
  size: BufferSize | undefined,
  declared: boolean,
): string {
  const bytes = typeof size === "number" ? `${size} byte${size === 1 ? "" : "s"}` : size;
  if (type !== undefined && bytes !== undefined) return `${type}, ${bytes}`;
  return type ?? bytes ?? (declared ? "not documented" : "none");
}
