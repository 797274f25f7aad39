/**
 * Every C struct the Winsock IOCTLs pass or return, as zero-copy views over caller-owned
 * buffers, with layouts exactly those of the Windows SDK on 64-bit Windows (x64 and arm64).
 *
 * `STRUCT_LAYOUTS` lists every struct by its SDK C name with its size, alignment and the
 * offset and size of each member.
 *
 * Pure code: no FFI, no runtime-specific API; importable anywhere.
 *
 * @example
 * ```ts
 * import { STRUCT_LAYOUTS, TcpKeepalive } from "./mod.ts";
 * const ka = TcpKeepalive.alloc();
 * ka.onOff = 1;
 * ka.keepAliveTime = 10_000;
 * ka.keepAliveInterval = 1_000;
 * console.log(STRUCT_LAYOUTS.tcp_keepalive.size, ka.bytes()); // 12 Uint8Array(12) [...]
 * ```
 *
 * @module
 */

import {
  IN6_ADDR_LAYOUT,
  IN_ADDR_LAYOUT,
  SCOPE_ID_LAYOUT,
  SOCKADDR_IN6_LAYOUT,
  SOCKADDR_IN6_OLD_LAYOUT,
  SOCKADDR_IN_LAYOUT,
  SOCKADDR_INET_LAYOUT,
  SOCKADDR_LAYOUT,
  SOCKADDR_STORAGE_LAYOUT,
} from "./_sockaddr_layouts.ts";
import { GUID_LAYOUTS } from "./guid.ts";
import { INTERFACE_LAYOUTS } from "./interfaces.ts";
import { buildRegistry, type StructLayoutEntry } from "./layout.ts";
import { PORT_LAYOUTS } from "./ports.ts";
import { QOS_LAYOUTS } from "./qos.ts";
import { SETTINGS_LAYOUTS } from "./settings.ts";
import { TCP_LAYOUTS } from "./tcp.ts";

export * from "./address.ts";
export * from "./guid.ts";
export * from "./interfaces.ts";
export * from "./ip.ts";
// The layout DSL's builders (u32, struct, union, …) stay internal to structs/; the view machinery
// and the layout types are public.
export {
  accessorFields,
  accessorNames,
  type AccessorSpec,
  type ArrayType,
  type BufferSource,
  type CustomAccessor,
  dataViewAt,
  type FieldInfo,
  type FieldType,
  type NestedAccessor,
  type ScalarName,
  type ScalarType,
  StructArray,
  type StructClass,
  type StructLayout,
  type StructLayoutEntry,
  StructView,
} from "./layout.ts";
export * from "./ports.ts";
export * from "./qos.ts";
export * from "./settings.ts";
export * from "./sockaddr.ts";
export * from "./socket_address.ts";
export * from "./tcp.ts";

/**
 * Size, alignment and member offsets of every struct, keyed by the SDK's C struct name and
 * C member names, for 64-bit Windows. Nested structs are listed as one member; union members
 * each at their offset; arrays with the size of the whole array.
 */
export const STRUCT_LAYOUTS: Readonly<Record<string, StructLayoutEntry>> = buildRegistry([
  ...GUID_LAYOUTS,
  SOCKADDR_LAYOUT,
  IN_ADDR_LAYOUT,
  IN6_ADDR_LAYOUT,
  SCOPE_ID_LAYOUT,
  SOCKADDR_IN_LAYOUT,
  SOCKADDR_IN6_LAYOUT,
  SOCKADDR_IN6_OLD_LAYOUT,
  SOCKADDR_STORAGE_LAYOUT,
  SOCKADDR_INET_LAYOUT,
  ...INTERFACE_LAYOUTS,
  ...TCP_LAYOUTS,
  ...SETTINGS_LAYOUTS,
  ...PORT_LAYOUTS,
  ...QOS_LAYOUTS,
]);
