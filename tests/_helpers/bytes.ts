/**
 * Little-endian byte builders for byte-exact tests: the expected bytes of an IOCTL's input are
 * written here from the SDK's offsets and widths, never through the project's struct views.
 */

/** `n` zero bytes with `fields` written at their offsets: `[offset, width, value]`. */
export function le(n: number, ...fields: [number, 1 | 2 | 4 | 8, number | bigint][]): Uint8Array {
  const b = new Uint8Array(n);
  for (const [at, width, value] of fields) {
    let v = BigInt.asUintN(width * 8, BigInt(value));
    for (let i = 0; i < width; i++) {
      b[at + i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  return b;
}

/** A little-endian `u32` of `v` (4 bytes). */
export const u32le = (v: number): Uint8Array => le(4, [0, 4, v]);
