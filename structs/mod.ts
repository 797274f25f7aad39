/**
 * Every C struct the Winsock IOCTLs pass or return, as zero-copy views over caller-owned
 * buffers, with layouts exactly those of the Windows SDK on 64-bit Windows (x64 and arm64).
 *
 * `STRUCT_LAYOUTS` lists every struct by its SDK C name with its size, alignment and the
 * offset and size of each member. Each view's members are declared once, in its `*_MEMBERS`
 * literal: its layout, its accessors and its TypeScript types all come from there.
 *
 * Pure code: no FFI, no runtime-specific API; importable anywhere.
 *
 * @example
 * ```ts
 * import { STRUCT_LAYOUTS, TcpKeepalive } from "@x/wsioctl/structs";
 * const ka = TcpKeepalive.alloc();
 * ka.onOff = 1;
 * ka.keepAliveTime = 10_000;
 * ka.keepAliveInterval = 1_000;
 * console.log(STRUCT_LAYOUTS.tcp_keepalive.size, ka.bytes()); // 12 Uint8Array(12) [...]
 * ```
 *
 * @module
 */

export * from "./address.ts";
export * from "./guid.ts";
export * from "./interfaces.ts";
export * from "./ip.ts";
// The layout DSL's builders (u32, struct, union, …) and defineView stay internal to structs/;
// the types of layouts and members literals are public.
export type {
  ArrayType,
  FieldInfo,
  FieldType,
  ScalarName,
  ScalarType,
  StructLayout,
  StructLayoutEntry,
} from "./layout.ts";
export type {
  Member,
  Members,
  MemberToken,
  ScalarToken,
  TokenValue,
  ViewFields,
} from "./members.ts";
export * from "./ports.ts";
export * from "./qos.ts";
export * from "./settings.ts";
export * from "./sockaddr.ts";
export * from "./socket_address.ts";
export * from "./struct_layouts.ts";
export * from "./tcp.ts";
export * from "./view.ts";
