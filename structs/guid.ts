/**
 * GUIDs: parse and format the registry form `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, a view
 * over the 16-byte `GUID` struct, and the extension-function GUIDs that
 * `SIO_GET_EXTENSION_FUNCTION_POINTER` takes (values from the SDK's `mswsock.h`).
 *
 * In memory a GUID is `ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]` with the
 * first three little-endian, so the bytes are not in text order.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import {
  array,
  defineAccessors,
  struct,
  type StructLayout,
  StructView,
  u16,
  u32,
  u8,
} from "./layout.ts";

/** `GUID` (16 bytes, 4-aligned). */
export const GUID_LAYOUT: StructLayout = struct("GUID", {
  Data1: u32, // 0x00 ULONG
  Data2: u16, // 0x04 USHORT
  Data3: u16, // 0x06 USHORT
  Data4: array(u8, 8), // 0x08 UCHAR[8]
});

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
 * import { parseGuid, WSAID_CONNECTEX } from "./guid.ts";
 * parseGuid(WSAID_CONNECTEX)[0]; // 0xb9
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
 * import { formatGuid, parseGuid } from "./guid.ts";
 * formatGuid(parseGuid("b5367df1-cbac-11cf-95ca-00805f48a192"));
 * // "{B5367DF1-CBAC-11CF-95CA-00805F48A192}"
 * ```
 */
export function formatGuid(bytes: Uint8Array, offset = 0): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("bytes must be a Uint8Array");
  return readGuid(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset);
}

/** A view over the `GUID` struct (16 bytes). */
export class Guid extends StructView {
  /** `sizeof(GUID)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = GUID_LAYOUT;

  /**
   * Allocates a `GUID` holding `text`.
   *
   * @param text GUID text, braces optional.
   * @returns The new view.
   * @throws {TypeError} If `text` is not a GUID.
   */
  static from(text: string): Guid {
    const g = Guid.alloc();
    g.value = text;
    return g;
  }

  /** `Data1` (ULONG). */
  declare data1: number;
  /** `Data2` (USHORT). */
  declare data2: number;
  /** `Data3` (USHORT). */
  declare data3: number;

  /** The whole GUID as braced uppercase text; setting parses (TypeError naming `value`). */
  get value(): string {
    return readGuid(this.view, 0);
  }
  set value(text: string) {
    writeGuid(this.view, 0, text, "value");
  }

  /**
   * `Data4`: the last 8 bytes, as a `Uint8Array` over the same memory.
   *
   * @returns A live 8-byte view.
   */
  data4(): Uint8Array {
    return new Uint8Array(this.view.buffer, this.view.byteOffset + 8, 8);
  }

  /**
   * Snapshot.
   *
   * @returns The GUID text.
   */
  override toObject(): { value: string } {
    return { value: this.value };
  }

  /**
   * The GUID text.
   *
   * @returns Braced uppercase text.
   */
  override toString(): string {
    return this.value;
  }
}
defineAccessors(Guid, { data1: "Data1", data2: "Data2", data3: "Data3" });

/** Accessor spec for a `GUID` member exposed as text (used by other views). */
export function guidField(field: string): {
  field: string;
  get: (view: DataView, offset: number) => string;
  set: (view: DataView, offset: number, value: unknown, name: string) => void;
} {
  return {
    field,
    get: readGuid,
    set: (view, offset, value, name) => writeGuid(view, offset, value as string, name),
  };
}

/** `WSAID_ACCEPTEX`. */
export const WSAID_ACCEPTEX = "{B5367DF1-CBAC-11CF-95CA-00805F48A192}";
/** `WSAID_CONNECTEX`. */
export const WSAID_CONNECTEX = "{25A207B9-DDF3-4660-8EE9-76E58C74063E}";
/** `WSAID_DISCONNECTEX`. */
export const WSAID_DISCONNECTEX = "{7FDA2E11-8630-436F-A031-F536A6EEC157}";
/** `WSAID_GETACCEPTEXSOCKADDRS`. */
export const WSAID_GETACCEPTEXSOCKADDRS = "{B5367DF2-CBAC-11CF-95CA-00805F48A192}";
/** `WSAID_TRANSMITFILE`. */
export const WSAID_TRANSMITFILE = "{B5367DF0-CBAC-11CF-95CA-00805F48A192}";
/** `WSAID_TRANSMITPACKETS`. */
export const WSAID_TRANSMITPACKETS = "{D9689DA0-1F90-11D3-9971-00C04F68C876}";
/** `WSAID_WSARECVMSG`. */
export const WSAID_WSARECVMSG = "{F689D7C8-6F1F-436B-8A53-E54FE351C322}";
/** `WSAID_WSASENDMSG`. */
export const WSAID_WSASENDMSG = "{A441E712-754F-43CA-84A7-0DEE44CF606D}";

/** Names of the Winsock extension functions reachable through their GUIDs. */
export type ExtensionFunctionName =
  | "AcceptEx"
  | "ConnectEx"
  | "DisconnectEx"
  | "GetAcceptExSockaddrs"
  | "TransmitFile"
  | "TransmitPackets"
  | "WSARecvMsg"
  | "WSASendMsg";

/**
 * The eight extension-function GUIDs of `SIO_GET_EXTENSION_FUNCTION_POINTER`, by function
 * name.
 *
 * @example
 * ```ts
 * import { EXTENSION_FUNCTION_GUIDS, parseGuid } from "./guid.ts";
 * const input = parseGuid(EXTENSION_FUNCTION_GUIDS.ConnectEx); // the IOCTL's 16-byte input
 * ```
 */
export const EXTENSION_FUNCTION_GUIDS: Readonly<Record<ExtensionFunctionName, string>> = Object
  .freeze({
    AcceptEx: WSAID_ACCEPTEX,
    ConnectEx: WSAID_CONNECTEX,
    DisconnectEx: WSAID_DISCONNECTEX,
    GetAcceptExSockaddrs: WSAID_GETACCEPTEXSOCKADDRS,
    TransmitFile: WSAID_TRANSMITFILE,
    TransmitPackets: WSAID_TRANSMITPACKETS,
    WSARecvMsg: WSAID_WSARECVMSG,
    WSASendMsg: WSAID_WSASENDMSG,
  });

/** Every layout defined in this file, for `STRUCT_LAYOUTS`. */
export const GUID_LAYOUTS: readonly StructLayout[] = [GUID_LAYOUT];
