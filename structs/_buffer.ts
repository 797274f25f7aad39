/**
 * Internal: where a struct view may be placed inside a caller's buffer, read from the buffer's
 * real extent (the engine's accessors, see `../_validate.ts`), never from what a view's own
 * properties claim.
 *
 * @module
 */

import { viewExtent } from "../_validate.ts";

/** A buffer a struct view can be placed in. */
export type BufferSource = ArrayBufferLike | ArrayBufferView;

/**
 * The real buffer, start and length of any buffer a view can be placed in.
 *
 * @param buffer An `ArrayBuffer`, `SharedArrayBuffer` or any `ArrayBufferView`.
 * @returns `[arrayBuffer, byteOffset, byteLength]`.
 * @throws {TypeError} If `buffer` is none of those.
 */
export function bufferExtent(buffer: BufferSource): [ArrayBufferLike, number, number] {
  if (ArrayBuffer.isView(buffer)) return viewExtent(buffer);
  if (
    buffer instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer)
  ) {
    return [buffer, 0, buffer.byteLength];
  }
  throw new TypeError("buffer must be an ArrayBuffer, SharedArrayBuffer or ArrayBufferView");
}

/**
 * Makes a `DataView` of `size` bytes at `byteOffset` inside `buffer`, checking the bounds.
 *
 * For an `ArrayBufferView`, `byteOffset` is relative to the view's own start.
 *
 * @param buffer An `ArrayBuffer`, `SharedArrayBuffer` or any `ArrayBufferView`.
 * @param byteOffset Offset in bytes, a non-negative integer.
 * @param size Number of bytes the view must cover.
 * @param name The struct name used in error messages.
 * @returns A `DataView` exactly `size` bytes long.
 * @throws {TypeError} If `buffer` is not a buffer or `byteOffset` is not an integer.
 * @throws {RangeError} If the struct would not fit.
 */
export function dataViewAt(
  buffer: BufferSource,
  byteOffset: number,
  size: number,
  name: string,
): DataView {
  const [ab, base, limit] = bufferExtent(buffer);
  if (typeof byteOffset !== "number" || !Number.isInteger(byteOffset)) {
    throw new TypeError(`byteOffset must be an integer, got ${String(byteOffset)}`);
  }
  if (byteOffset < 0 || byteOffset + size > limit) {
    throw new RangeError(
      `${name} needs ${size} bytes at byteOffset ${byteOffset}, buffer has ${limit}`,
    );
  }
  return new DataView(ab, base + byteOffset, size);
}
