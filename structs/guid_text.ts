/**
 * GUID text ⇄ bytes: the registry form `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}` and the 16 bytes
 * of a `GUID` struct in memory (`ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]`, the
 * first three little-endian, so the bytes are not in text order).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

const GUID_TEXT =
  /^\{?([0-9A-Fa-f]{8})-([0-9A-Fa-f]{4})-([0-9A-Fa-f]{4})-([0-9A-Fa-f]{4})-([0-9A-Fa-f]{12})\}?$/;

/**
 * Writes a GUID given as text into `view` at `offset` (16 bytes, SDK memory order).
 *
 * @param view The destination.
 * @param offset Byte offset inside `view`.
 * @param text `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, braces optional, any case.
 * @param name The argument name used in error messages; default `"guid"`.
 * @throws {TypeError} If `text` is not a GUID.
 * @throws {RangeError} If fewer than 16 bytes follow `offset`.
 */
export function writeGuid(view: DataView, offset: number, text: string, name = "guid"): void {
  const m = typeof text === "string" ? GUID_TEXT.exec(text) : null;
  if (m === null || (text.startsWith("{") !== text.endsWith("}"))) {
    throw new TypeError(
      `${name} must be a GUID like {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, got ${
        typeof text === "string" ? JSON.stringify(text) : typeof text
      }`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + 16 > view.byteLength) {
    throw new RangeError(`a GUID needs 16 bytes at offset ${offset}, view has ${view.byteLength}`);
  }
  view.setUint32(offset, parseInt(m[1], 16), true);
  view.setUint16(offset + 4, parseInt(m[2], 16), true);
  view.setUint16(offset + 6, parseInt(m[3], 16), true);
  const rest = m[4] + m[5];
  for (let i = 0; i < 8; i++) {
    view.setUint8(offset + 8 + i, parseInt(rest.slice(2 * i, 2 * i + 2), 16));
  }
}

/**
 * Reads the GUID at `offset` in `view` as `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`
 * (uppercase, braced: the form Windows itself prints).
 *
 * @param view The source.
 * @param offset Byte offset inside `view`.
 * @returns The GUID text.
 * @throws {RangeError} If fewer than 16 bytes follow `offset`.
 */
export function readGuid(view: DataView, offset: number): string {
  if (!Number.isInteger(offset) || offset < 0 || offset + 16 > view.byteLength) {
    throw new RangeError(`a GUID needs 16 bytes at offset ${offset}, view has ${view.byteLength}`);
  }
  const h = (v: number, n: number) => v.toString(16).toUpperCase().padStart(n, "0");
  let d4 = "";
  for (let i = 0; i < 8; i++) {
    if (i === 2) d4 += "-";
    d4 += h(view.getUint8(offset + 8 + i), 2);
  }
  return `{${h(view.getUint32(offset, true), 8)}-${h(view.getUint16(offset + 4, true), 4)}-${
    h(view.getUint16(offset + 6, true), 4)
  }-${d4}}`;
}

/**
 * Parses GUID text into its 16 bytes in SDK memory order.
 *
 * @param text `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, braces optional, any case.
 * @param name The argument name used in error messages; default `"guid"`.
 * @returns 16 bytes (Data1..Data3 little-endian, then Data4).
 * @throws {TypeError} If `text` is not a GUID.
 * @example
 * ```ts
 * import { parseGuid } from "@x/wsioctl/structs";
 * parseGuid("{25A207B9-DDF3-4660-8EE9-76E58C74063E}")[0]; // 0xb9
 * ```
 */
export function parseGuid(text: string, name = "guid"): Uint8Array {
  const out = new Uint8Array(16);
  writeGuid(new DataView(out.buffer), 0, text, name);
  return out;
}

/**
 * Formats 16 bytes in SDK memory order as `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`.
 *
 * @param bytes The bytes holding the GUID.
 * @param offset Where the GUID starts in `bytes`; default 0.
 * @returns The GUID text, uppercase and braced.
 * @throws {TypeError} If `bytes` is not a `Uint8Array`.
 * @throws {RangeError} If fewer than 16 bytes follow `offset`.
 * @example
 * ```ts
 * import { formatGuid, parseGuid } from "@x/wsioctl/structs";
 * formatGuid(parseGuid("b5367df1-cbac-11cf-95ca-00805f48a192"));
 * // "{B5367DF1-CBAC-11CF-95CA-00805F48A192}"
 * ```
 */
export function formatGuid(bytes: Uint8Array, offset = 0): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("bytes must be a Uint8Array");
  return readGuid(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset);
}
