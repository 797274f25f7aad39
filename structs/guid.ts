/**
 * GUIDs: a view over the 16-byte `GUID` struct, the text form (re-exported from guid_text.ts)
 * and the extension-function GUIDs that `SIO_GET_EXTENSION_FUNCTION_POINTER` takes (values
 * from the SDK's `mswsock.h`).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { readGuid, writeGuid } from "./guid_text.ts";
import type { StructLayout } from "./layout.ts";
import { defineView, GUID_MEMBERS, type ViewFields } from "./members.ts";
import { StructView } from "./view.ts";

export { formatGuid, parseGuid, readGuid, writeGuid } from "./guid_text.ts";
export { GUID_MEMBERS };

/** A view over the `GUID` struct (16 bytes). */
export class Guid extends StructView {
  /** `sizeof(GUID)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "GUID", GUID_MEMBERS);

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
/** The fields of {@linkcode Guid}, typed from {@linkcode GUID_MEMBERS}. */
export interface Guid extends ViewFields<typeof GUID_MEMBERS> {}

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
 * import { EXTENSION_FUNCTION_GUIDS, parseGuid } from "@x/wsioctl/structs";
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
