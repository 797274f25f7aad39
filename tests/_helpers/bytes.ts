/**
 * Little-endian byte builders for byte-exact tests: the expected bytes of an IOCTL's input are
 * written here from the SDK's offsets and widths, never through the project's struct views.
 */

/** One field for {@link le}: its offset, width in bytes, and value. */
export type Field = [number, 1 | 2 | 4 | 8, number | bigint];

/** `n` zero bytes with `fields` written at their offsets: `[offset, width, value]`. */
export function le(n: number, ...fields: Field[]): Uint8Array {
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

/**
 * A `sockaddr_in` (16 bytes) as the SDK lays it out: `sin_family` 2 at 0 (host order),
 * `sin_port` at 2 (network order), the four address bytes at 4, eight zero bytes.
 */
export function sockaddrIn(address: number[], port = 0): Uint8Array {
  const b = le(16, [0, 2, 2]);
  b.set([port >> 8, port & 0xff, ...address], 2);
  return b;
}

/**
 * A `sockaddr_in6` (28 bytes): `sin6_family` 23 at 0, `sin6_port` at 2 (network order),
 * `sin6_flowinfo` 0 at 4, the sixteen address bytes at 8, `sin6_scope_id` at 24 (host order).
 */
export function sockaddrIn6(address: number[], scopeId: number, port = 0): Uint8Array {
  const b = le(28, [0, 2, 23], [24, 4, scopeId]);
  b.set([port >> 8, port & 0xff], 2);
  b.set(address, 8);
  return b;
}

/**
 * A GUID's 16 bytes as `DEFINE_GUID` lays them out: Data1 (u32), Data2 and Data3 (u16)
 * little-endian, then the eight bytes of Data4 as written.
 */
export function guidBytes(
  data1: number,
  data2: number,
  data3: number,
  data4: number[],
): Uint8Array {
  const b = le(16, [0, 4, data1], [4, 2, data2], [6, 2, data3]);
  b.set(data4, 8);
  return b;
}
