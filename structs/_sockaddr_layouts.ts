/**
 * Internal: the layouts of the socket address structs (ws2def.h, ws2ipdef.h, inaddr.h,
 * in6addr.h; 64-bit Windows). Their views (sockaddr.ts, address.ts, interfaces.ts) are written
 * by hand, because what they hold is not a plain field (network byte order, text addresses,
 * unions by family); `STRUCT_LAYOUTS` lists these layouts and the C proof checks them.
 *
 * @module
 */

import {
  anonymous,
  array,
  i16,
  i64,
  i8,
  struct,
  type StructLayout,
  u16,
  u32,
  u8,
  union,
} from "./layout.ts";

/** `struct sockaddr` (16 bytes): `ADDRESS_FAMILY sa_family; CHAR sa_data[14]`. */
export const SOCKADDR_LAYOUT: StructLayout = struct("sockaddr", {
  sa_family: u16,
  sa_data: array(i8, 14),
});

/** `struct in_addr` (4 bytes): a union `S_un` of bytes, words and `ULONG S_addr`. */
export const IN_ADDR_LAYOUT: StructLayout = struct("in_addr", {
  S_un: union("in_addr_S_un", { S_un_b: array(u8, 4), S_un_w: array(u16, 2), S_addr: u32 }),
});

/** `struct in6_addr` (16 bytes): a union `u` of `UCHAR Byte[16]` / `USHORT Word[8]`. */
export const IN6_ADDR_LAYOUT: StructLayout = struct("in6_addr", {
  u: union("in6_addr_u", { Byte: array(u8, 16), Word: array(u16, 8) }),
});

/** `SCOPE_ID` (4 bytes): `Zone:28` / `Level:4` bitfields over `ULONG Value`. */
export const SCOPE_ID_LAYOUT: StructLayout = struct("SCOPE_ID", {
  u: anonymous(union("SCOPE_ID_u", { Value: u32 })),
});

/** `struct sockaddr_in` (16 bytes). */
export const SOCKADDR_IN_LAYOUT: StructLayout = struct("sockaddr_in", {
  sin_family: u16, // 0x00 ADDRESS_FAMILY
  sin_port: u16, // 0x02 USHORT, network order
  sin_addr: IN_ADDR_LAYOUT, // 0x04 IN_ADDR
  sin_zero: array(i8, 8), // 0x08 CHAR[8]
});

/** `struct sockaddr_in6` (28 bytes). */
export const SOCKADDR_IN6_LAYOUT: StructLayout = struct("sockaddr_in6", {
  sin6_family: u16, // 0x00 ADDRESS_FAMILY
  sin6_port: u16, // 0x02 USHORT, network order
  sin6_flowinfo: u32, // 0x04 ULONG, network order
  sin6_addr: IN6_ADDR_LAYOUT, // 0x08 IN6_ADDR
  scope: anonymous(union("sockaddr_in6_scope", {
    sin6_scope_id: u32, // 0x18 ULONG
    sin6_scope_struct: SCOPE_ID_LAYOUT, // 0x18 SCOPE_ID
  })),
});

/** `struct sockaddr_in6_old` (24 bytes): the RFC 2133 form without a scope id. */
export const SOCKADDR_IN6_OLD_LAYOUT: StructLayout = struct("sockaddr_in6_old", {
  sin6_family: i16,
  sin6_port: u16,
  sin6_flowinfo: u32,
  sin6_addr: IN6_ADDR_LAYOUT,
});

/** `SOCKADDR_STORAGE` (128 bytes, 8-aligned). */
export const SOCKADDR_STORAGE_LAYOUT: StructLayout = struct("SOCKADDR_STORAGE", {
  ss_family: u16, // 0x00 ADDRESS_FAMILY
  __ss_pad1: array(i8, 6), // 0x02
  __ss_align: i64, // 0x08
  __ss_pad2: array(i8, 112), // 0x10
});

/** `SOCKADDR_INET` (28 bytes): union of `sockaddr_in`, `sockaddr_in6` and the family. */
export const SOCKADDR_INET_LAYOUT: StructLayout = union("SOCKADDR_INET", {
  Ipv4: SOCKADDR_IN_LAYOUT,
  Ipv6: SOCKADDR_IN6_LAYOUT,
  si_family: u16,
});

/** `sockaddr_gen` (24 bytes): union of `sockaddr`, `sockaddr_in` and `sockaddr_in6_old`. */
export const SOCKADDR_GEN_LAYOUT: StructLayout = union("sockaddr_gen", {
  Address: SOCKADDR_LAYOUT,
  AddressIn: SOCKADDR_IN_LAYOUT,
  AddressIn6: SOCKADDR_IN6_OLD_LAYOUT,
});
