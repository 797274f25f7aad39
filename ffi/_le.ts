/**
 * Internal, pure: the little-endian `u32` reads and writes of Winsock's layouts in byte arrays,
 * shared by the POSIX translations (`_posix_ioctl.ts`, `_posix_ifaddrs.ts`), whatever the CPU's
 * own byte order.
 *
 * @module
 */

/**
 * Reads a little-endian `u32`.
 *
 * @param bytes The bytes.
 * @param at The offset of its first byte.
 * @returns The value, 0..2^32-1.
 */
export function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | bytes[at + 3] << 24) >>> 0;
}

/**
 * Writes a little-endian `u32`.
 *
 * @param out The bytes.
 * @param at The offset of its first byte.
 * @param v The value (its low 32 bits are written).
 */
export function writeU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

/**
 * The bytes as lowercase hex text, two digits each.
 *
 * @param bytes The bytes.
 * @returns The text.
 */
export function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
