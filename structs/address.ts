/**
 * Socket addresses: text ⇄ bytes for IPv4 and IPv6, the `SocketAddress` value type, and views
 * over the Windows `sockaddr` family (`sockaddr`, `sockaddr_in`, `sockaddr_in6`,
 * `SOCKADDR_STORAGE`, `SOCKADDR_INET`).
 *
 * Byte order: ports and addresses are stored in network byte order (big-endian) as the SDK
 * requires; `sin6_flowinfo` is a `ULONG` that Windows also keeps in network byte order, so
 * {@linkcode SockaddrIn6.flowInfo} reads and writes it big-endian (the host value of the
 * traffic class and flow label). Families and scope ids are host order (little-endian).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import {
  anonymous,
  array,
  checkInteger,
  describeValue,
  i16,
  i64,
  i8,
  struct,
  type StructLayout,
  StructView,
  u16,
  u32,
  u8,
  union,
} from "./layout.ts";

/** `AF_INET` on Windows. */
export const AF_INET = 2;
/** `AF_INET6` on Windows (23, not Linux's 10). */
export const AF_INET6 = 23;
/** `AF_UNSPEC`. */
export const AF_UNSPEC = 0;

/** The address families wsioctl speaks: IPv4 (`"inet"`) and IPv6 (`"inet6"`). */
export type SocketFamily = "inet" | "inet6";

/**
 * A socket address as a plain value: what the typed calls return.
 *
 * `address` is the textual address without any `%scope` suffix; for `"inet6"` the scope id is
 * in `scopeId` (0 when none).
 */
export interface SocketAddress {
  /** `"inet"` (IPv4) or `"inet6"` (IPv6). */
  family: SocketFamily;
  /** Dotted IPv4 (`"192.0.2.1"`) or RFC 5952 IPv6 (`"fe80::1"`). */
  address: string;
  /** Port, 0..65535, host order. */
  port: number;
  /** IPv6 scope (interface index) id; present for `"inet6"`. */
  scopeId?: number;
}

/** An address to write: like {@linkcode SocketAddress}, with the family optional. */
export interface SocketAddressInit {
  /** Family; inferred from `address` when absent (a `:` means IPv6). */
  family?: SocketFamily;
  /** Textual address; IPv6 may carry a numeric `%scope`. */
  address: string;
  /** Port, 0..65535. */
  port: number;
  /** IPv6 scope id; must agree with a `%scope` in `address` if both are given. */
  scopeId?: number;
}

// ---------------------------------------------------------------------------------------------
// Text ⇄ bytes
// ---------------------------------------------------------------------------------------------

const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const SCOPE = /^(?:0|[1-9][0-9]{0,9})$/;

function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? text.slice(0, 64) + "…" : text);
}

function ipv4Into(text: string, name: string, out: Uint8Array, at: number): void {
  const parts = text.split(".");
  if (parts.length !== 4) {
    throw new TypeError(`${name} must be a dotted IPv4 address (a.b.c.d), got ${quote(text)}`);
  }
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!DECIMAL_OCTET.test(p)) {
      throw new TypeError(
        `${name} must be a dotted IPv4 address with decimal octets and no leading zeros, got ${
          quote(text)
        }`,
      );
    }
    const v = Number(p);
    if (v > 255) {
      throw new TypeError(`${name}: octet ${p} is out of range 0..255 in ${quote(text)}`);
    }
    out[at + i] = v;
  }
}

/**
 * Parses a dotted-decimal IPv4 address (`"192.0.2.1"`).
 *
 * Strict: exactly four decimal octets 0..255, no leading zeros (`"01.2.3.4"` is refused
 * because some parsers read it as octal), no whitespace.
 *
 * @param text The address text.
 * @param name The argument name used in error messages; default `"address"`.
 * @returns The 4 address bytes in network order.
 * @throws {TypeError} If `text` is not a string or not a valid IPv4 address.
 * @example
 * ```ts
 * import { parseIPv4 } from "./address.ts";
 * parseIPv4("127.0.0.1"); // Uint8Array [127, 0, 0, 1]
 * ```
 */
export function parseIPv4(text: string, name = "address"): Uint8Array {
  if (typeof text !== "string") {
    throw new TypeError(`${name} must be a string, got ${typeof text}`);
  }
  const out = new Uint8Array(4);
  ipv4Into(text, name, out, 0);
  return out;
}

function checkBytes(bytes: Uint8Array, offset: number, n: number, name: string): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (typeof offset !== "number" || !Number.isInteger(offset)) {
    throw new TypeError(`offset must be an integer, got ${String(offset)}`);
  }
  if (offset < 0 || offset + n > bytes.length) {
    throw new RangeError(
      `offset ${offset} leaves fewer than ${n} bytes in ${name} (length ${bytes.length})`,
    );
  }
}

/**
 * Formats 4 bytes (network order) as dotted-decimal IPv4.
 *
 * @param bytes The bytes holding the address.
 * @param offset Where the address starts in `bytes`; default 0.
 * @returns Text like `"192.0.2.1"`.
 * @throws {TypeError} If `bytes` is not a `Uint8Array` or `offset` not an integer.
 * @throws {RangeError} If fewer than 4 bytes follow `offset`.
 * @example
 * ```ts
 * import { formatIPv4 } from "./address.ts";
 * formatIPv4(new Uint8Array([10, 0, 0, 1])); // "10.0.0.1"
 * ```
 */
export function formatIPv4(bytes: Uint8Array, offset = 0): string {
  checkBytes(bytes, offset, 4, "bytes");
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

function ipv6Groups(part: string): string[] {
  return part === "" ? [] : part.split(":");
}

/**
 * Parses an IPv6 address: full or `::`-compressed hex groups (1–4 hex digits each), an
 * optional trailing dotted IPv4 (`"::ffff:192.0.2.1"`), and an optional numeric zone
 * (`"fe80::1%4"`). Interface names as zones (`%eth0`) are refused: Windows scope ids are
 * numbers.
 *
 * @param text The address text.
 * @param name The argument name used in error messages; default `"address"`.
 * @returns The 16 address bytes (network order) and the scope id (0 when absent).
 * @throws {TypeError} If `text` is not a string or not a valid IPv6 address.
 * @example
 * ```ts
 * import { parseIPv6 } from "./address.ts";
 * const { bytes, scopeId } = parseIPv6("fe80::1%4");
 * console.log(bytes[0].toString(16), scopeId); // "fe" 4
 * ```
 */
export function parseIPv6(text: string, name = "address"): { bytes: Uint8Array; scopeId: number } {
  if (typeof text !== "string") {
    throw new TypeError(`${name} must be a string, got ${typeof text}`);
  }
  const bad = (why: string): TypeError =>
    new TypeError(`${name} must be an IPv6 address (${why}), got ${quote(text)}`);
  let addr = text;
  let scopeId = 0;
  const pct = text.indexOf("%");
  if (pct !== -1) {
    const zone = text.slice(pct + 1);
    if (!SCOPE.test(zone) || Number(zone) > 0xffffffff) {
      throw bad("the zone after % must be a decimal scope id 0..4294967295");
    }
    scopeId = Number(zone);
    addr = text.slice(0, pct);
  }
  if (addr === "") throw bad("empty");
  const dc = addr.indexOf("::");
  if (dc !== -1 && addr.indexOf("::", dc + 1) !== -1) throw bad("at most one '::'");
  const head = dc === -1 ? ipv6Groups(addr) : ipv6Groups(addr.slice(0, dc));
  const tail = dc === -1 ? [] : ipv6Groups(addr.slice(dc + 2));
  const bytes = new Uint8Array(16);
  // A trailing dotted IPv4 takes the place of the last two groups.
  const last = dc === -1 ? head : tail;
  let v4: string | undefined;
  if (last.length > 0 && last[last.length - 1].includes(".")) v4 = last.pop();
  const groupsAvail = v4 === undefined ? 8 : 6;
  const count = head.length + tail.length;
  if (dc === -1 ? count !== groupsAvail : count > groupsAvail - 1) {
    throw bad(dc === -1 ? `needs ${groupsAvail} groups` : "too many groups");
  }
  const put = (groups: string[], startGroup: number) => {
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (!HEX_GROUP.test(g)) throw bad(`group ${quote(g)} is not 1-4 hex digits`);
      const v = parseInt(g, 16);
      bytes[(startGroup + i) * 2] = v >> 8;
      bytes[(startGroup + i) * 2 + 1] = v & 0xff;
    }
  };
  put(head, 0);
  put(tail, groupsAvail - tail.length);
  if (v4 !== undefined) ipv4Into(v4, name, bytes, 12);
  return { bytes, scopeId };
}

function formatIPv6Groups(g: ArrayLike<number>, scopeId: number): string {
  let suffix = "";
  if (scopeId !== 0) suffix = `%${scopeId >>> 0}`;
  // IPv4-mapped ::ffff:a.b.c.d (RFC 5952 §5).
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}${suffix}`;
  }
  // Longest run of >= 2 zero groups, first one on ties (RFC 5952 §4.2).
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === bestAt) {
      out += "::";
      i += bestLen - 1;
      continue;
    }
    if (out !== "" && !out.endsWith(":")) out += ":";
    out += g[i].toString(16);
  }
  return out + suffix;
}

function checkScope(scopeId: unknown, name: string): number {
  return checkInteger(scopeId, name, 0, 0xffffffff);
}

/**
 * Formats 16 bytes (network order) as IPv6 text by RFC 5952: lowercase hex, no leading zeros,
 * the longest run of two or more zero groups (the first on ties) as `::`, IPv4-mapped
 * addresses as `::ffff:a.b.c.d`, and `%scope` appended when `scopeId` is not 0.
 *
 * @param bytes The bytes holding the address.
 * @param offset Where the address starts in `bytes`; default 0.
 * @param scopeId Scope id to append as `%n`; default 0 (none).
 * @returns The canonical text.
 * @throws {TypeError} If `bytes` is not a `Uint8Array`, or `offset`/`scopeId` not integers.
 * @throws {RangeError} If fewer than 16 bytes follow `offset` or `scopeId` exceeds 32 bits.
 * @example
 * ```ts
 * import { formatIPv6, parseIPv6 } from "./address.ts";
 * formatIPv6(parseIPv6("2001:0db8:0:0:0:0:0:0001").bytes); // "2001:db8::1"
 * ```
 */
export function formatIPv6(bytes: Uint8Array, offset = 0, scopeId = 0): string {
  checkBytes(bytes, offset, 16, "bytes");
  checkScope(scopeId, "scopeId");
  const g = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) g[i] = (bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1];
  return formatIPv6Groups(g, scopeId);
}

/**
 * Checks a port number.
 *
 * @param port The value to check.
 * @param name The argument name used in error messages; default `"port"`.
 * @returns `port`, typed as a number.
 * @throws {TypeError} If `port` is not an integer number.
 * @throws {RangeError} If `port` is outside 0..65535.
 * @example
 * ```ts
 * import { validatePort } from "./address.ts";
 * validatePort(8080); // 8080
 * ```
 */
export function validatePort(port: unknown, name = "port"): number {
  return checkInteger(port, name, 0, 0xffff);
}

/**
 * Parses IPv4 or IPv6 text, telling the family by the presence of a `:`.
 *
 * @param text Address text (IPv6 may carry a numeric `%scope`).
 * @param name The argument name used in error messages; default `"address"`.
 * @returns The family, the address bytes (4 or 16) and the scope id (0 for IPv4).
 * @throws {TypeError} If `text` is not a valid address.
 * @example
 * ```ts
 * import { parseAddress } from "./address.ts";
 * parseAddress("::1").family; // "inet6"
 * ```
 */
export function parseAddress(
  text: string,
  name = "address",
): { family: SocketFamily; bytes: Uint8Array; scopeId: number } {
  if (typeof text !== "string") {
    throw new TypeError(`${name} must be a string, got ${typeof text}`);
  }
  if (text.includes(":")) return { family: "inet6", ...parseIPv6(text, name) };
  return { family: "inet", bytes: parseIPv4(text, name), scopeId: 0 };
}

// ---------------------------------------------------------------------------------------------
// Layouts (ws2def.h / ws2ipdef.h / inaddr.h / in6addr.h, 64-bit Windows)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

function readIPv4(v: DataView, off: number): string {
  return `${v.getUint8(off)}.${v.getUint8(off + 1)}.${v.getUint8(off + 2)}.${v.getUint8(off + 3)}`;
}

function readIPv6(v: DataView, off: number, scopeId: number): string {
  const g = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) g[i] = v.getUint16(off + 2 * i, false);
  return formatIPv6Groups(g, scopeId);
}

function writeBytes(v: DataView, off: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) v.setUint8(off + i, bytes[i]);
}

function familyName(af: number): SocketFamily | undefined {
  return af === AF_INET ? "inet" : af === AF_INET6 ? "inet6" : undefined;
}

/**
 * What every socket address view shares: the family at 0x00, in host order (`sa_family`,
 * `sin_family`, `sin6_family`, `ss_family`, `si_family`).
 */
export abstract class SockaddrFamilyView extends StructView {
  /**
   * The address family (host order): `AF_INET` 2, `AF_INET6` 23, … Setting checks a `u16`
   * (TypeError / RangeError naming `family`).
   */
  get family(): number {
    return this.view.getUint16(0x00, true);
  }
  set family(v: number) {
    this.view.setUint16(0x00, checkInteger(v, "family", 0, 0xffff), true);
  }
}

/** A view over `struct sockaddr` (16 bytes): the generic header of every address. */
export class Sockaddr extends SockaddrFamilyView {
  /** `sizeof(struct sockaddr)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = SOCKADDR_LAYOUT;

  /**
   * Snapshot.
   *
   * @returns `{ family, data }` with `data` a copy of the 14 `sa_data` bytes.
   */
  override toObject(): { family: number; data: number[] } {
    return {
      family: this.family,
      data: Array.from(new Uint8Array(this.view.buffer, this.view.byteOffset + 2, 14)),
    };
  }
}

/**
 * What `sockaddr_in` and `sockaddr_in6` share beyond the family: the port at 0x02 (network byte
 * order).
 */
export abstract class SockaddrWithPort extends SockaddrFamilyView {
  /** `sin_port` / `sin6_port`, converted from network byte order. Setting validates 0..65535. */
  get port(): number {
    return this.view.getUint16(0x02, false);
  }
  set port(v: number) {
    this.view.setUint16(0x02, validatePort(v), false);
  }
}

/**
 * A view over `struct sockaddr_in` (16 bytes): family at 0, port at 2 (big-endian), address
 * at 4, 8 zero bytes at 8.
 *
 * @example
 * ```ts
 * import { SockaddrIn } from "./address.ts";
 * const sa = SockaddrIn.from({ address: "127.0.0.1", port: 80 });
 * console.log(sa.toSocketAddress()); // { family: "inet", address: "127.0.0.1", port: 80 }
 * ```
 */
export class SockaddrIn extends SockaddrWithPort {
  /** `sizeof(struct sockaddr_in)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = SOCKADDR_IN_LAYOUT;

  /**
   * Allocates a `sockaddr_in` holding `addr` (family set to `AF_INET`).
   *
   * @param addr Address text and port.
   * @returns The new view.
   * @throws {TypeError} On invalid address text or a non-integer port.
   * @throws {RangeError} On a port outside 0..65535.
   */
  static from(addr: { address: string; port: number }): SockaddrIn {
    const sa = SockaddrIn.alloc();
    sa.set(addr);
    return sa;
  }

  /** `sin_addr` as dotted text; setting parses strictly (TypeError naming `address`). */
  get address(): string {
    return readIPv4(this.view, 0x04);
  }
  set address(text: string) {
    writeBytes(this.view, 0x04, parseIPv4(text, "address"));
  }

  /**
   * `sin_addr.S_addr` as the raw 32-bit value in network order (`127.0.0.1` → 0x7f000001).
   * Setting checks 0..0xffffffff (TypeError / RangeError naming `addressValue`).
   */
  get addressValue(): number {
    return this.view.getUint32(0x04, false);
  }
  set addressValue(v: number) {
    this.view.setUint32(0x04, checkInteger(v, "addressValue", 0, 0xffffffff), false);
  }

  /**
   * Writes the whole struct: family `AF_INET`, port, address, zeroed `sin_zero`.
   *
   * @param addr Address text and port.
   * @throws {TypeError} On invalid address text or a non-integer port.
   * @throws {RangeError} On a port outside 0..65535.
   */
  set(addr: { address: string; port: number }): void {
    if (addr === null || typeof addr !== "object") throw new TypeError("addr must be an object");
    const bytes = parseIPv4(addr.address, "address");
    const port = validatePort(addr.port);
    this.view.setUint16(0x00, AF_INET, true);
    this.view.setUint16(0x02, port, false);
    writeBytes(this.view, 0x04, bytes);
    for (let i = 8; i < 16; i++) this.view.setUint8(i, 0);
  }

  /**
   * The address as a plain value.
   *
   * @returns `{ family: "inet", address, port }`.
   */
  toSocketAddress(): SocketAddress {
    return { family: "inet", address: this.address, port: this.port };
  }

  /**
   * Snapshot.
   *
   * @returns `{ family, port, address }` with the numeric family.
   */
  override toObject(): { family: number; port: number; address: string } {
    return { family: this.family, port: this.port, address: this.address };
  }
}

/**
 * A view over `struct sockaddr_in6` (28 bytes): family at 0, port at 2 (big-endian),
 * flowinfo at 4 (big-endian), address at 8..24, scope id at 24 (host order).
 *
 * `address` is the address without `%scope`; the scope is `scopeId`. Setting `address` to a
 * text with `%n` also sets `scopeId` to n.
 *
 * @example
 * ```ts
 * import { SockaddrIn6 } from "./address.ts";
 * const sa = SockaddrIn6.from({ address: "fe80::1%4", port: 443 });
 * console.log(sa.address, sa.scopeId); // "fe80::1" 4
 * ```
 */
export class SockaddrIn6 extends SockaddrWithPort {
  /** `sizeof(struct sockaddr_in6)`. */
  static readonly SIZE = 28;
  /** The layout. */
  static readonly LAYOUT: StructLayout = SOCKADDR_IN6_LAYOUT;

  /**
   * Allocates a `sockaddr_in6` holding `addr` (family set to `AF_INET6`).
   *
   * @param addr Address text (optionally with `%scope`), port, optional scope id and flowinfo.
   * @returns The new view.
   * @throws {TypeError} On invalid text, non-integer numbers, or a scope id that disagrees
   * with the `%scope` in the text.
   * @throws {RangeError} On out-of-range numbers.
   */
  static from(
    addr: { address: string; port: number; scopeId?: number; flowInfo?: number },
  ): SockaddrIn6 {
    const sa = SockaddrIn6.alloc();
    sa.set(addr);
    return sa;
  }

  /** `sin6_flowinfo`, read as a network-order (big-endian) 32-bit value. */
  get flowInfo(): number {
    return this.view.getUint32(0x04, false);
  }
  set flowInfo(v: number) {
    this.view.setUint32(0x04, checkScope(v, "flowInfo"), false);
  }

  /** `sin6_addr` as RFC 5952 text, without the scope. */
  get address(): string {
    return readIPv6(this.view, 0x08, 0);
  }
  set address(text: string) {
    const { bytes, scopeId } = parseIPv6(text, "address");
    writeBytes(this.view, 0x08, bytes);
    if (text.includes("%")) this.view.setUint32(0x18, scopeId, true);
  }

  /** `sin6_scope_id` (host order): the interface index for link-local addresses. */
  get scopeId(): number {
    return this.view.getUint32(0x18, true);
  }
  set scopeId(v: number) {
    this.view.setUint32(0x18, checkScope(v, "scopeId"), true);
  }

  /**
   * Writes the whole struct: family `AF_INET6`, port, flowinfo (default 0), address and
   * scope id (from `scopeId`, else the `%scope` in the text, else 0).
   *
   * @param addr The address.
   * @throws {TypeError} On invalid text, non-integer numbers, or a scope id that disagrees
   * with the `%scope` in the text.
   * @throws {RangeError} On out-of-range numbers.
   */
  set(addr: { address: string; port: number; scopeId?: number; flowInfo?: number }): void {
    if (addr === null || typeof addr !== "object") throw new TypeError("addr must be an object");
    const { bytes, scope, port } = prepare6(addr);
    const flow = addr.flowInfo === undefined ? 0 : checkScope(addr.flowInfo, "flowInfo");
    this.view.setUint16(0x00, AF_INET6, true);
    this.view.setUint16(0x02, port, false);
    this.view.setUint32(0x04, flow, false);
    writeBytes(this.view, 0x08, bytes);
    this.view.setUint32(0x18, scope, true);
  }

  /**
   * The address as a plain value.
   *
   * @returns `{ family: "inet6", address, port, scopeId }`.
   */
  toSocketAddress(): SocketAddress {
    return { family: "inet6", address: this.address, port: this.port, scopeId: this.scopeId };
  }

  /**
   * Snapshot.
   *
   * @returns Every field, numeric family included.
   */
  override toObject(): {
    family: number;
    port: number;
    flowInfo: number;
    address: string;
    scopeId: number;
  } {
    return {
      family: this.family,
      port: this.port,
      flowInfo: this.flowInfo,
      address: this.address,
      scopeId: this.scopeId,
    };
  }
}

function prepare6(
  addr: { address: string; port: number; scopeId?: number },
): { bytes: Uint8Array; scope: number; port: number } {
  const { bytes, scopeId } = parseIPv6(addr.address, "address");
  const port = validatePort(addr.port);
  let scope = scopeId;
  if (addr.scopeId !== undefined) {
    scope = checkScope(addr.scopeId, "scopeId");
    if (addr.address.includes("%") && scope !== scopeId) {
      throw new TypeError(
        `scopeId ${scope} disagrees with the %${scopeId} in address ${quote(addr.address)}`,
      );
    }
  }
  return { bytes, scope, port };
}

/**
 * A view over `SOCKADDR_STORAGE` (128 bytes): room for any address; read it with
 * {@linkcode SockaddrStorage.toSocketAddress}.
 */
export class SockaddrStorage extends SockaddrFamilyView {
  /** `sizeof(SOCKADDR_STORAGE)`. */
  static readonly SIZE = 128;
  /** The layout. */
  static readonly LAYOUT: StructLayout = SOCKADDR_STORAGE_LAYOUT;

  /**
   * Decodes the address it holds.
   *
   * @returns The address.
   * @throws {RangeError} If the family is neither `AF_INET` nor `AF_INET6`.
   */
  toSocketAddress(): SocketAddress {
    return readSocketAddress(this.view, 0);
  }

  /**
   * Writes an address into the storage.
   *
   * @param addr The address; the family is inferred from the text when absent.
   * @returns Bytes written (16 or 28).
   * @throws {TypeError} On invalid input.
   * @throws {RangeError} On out-of-range numbers.
   */
  set(addr: SocketAddressInit): number {
    return writeSocketAddress(this.view, 0, addr);
  }

  /**
   * Snapshot.
   *
   * @returns `{ family, address? }`, the decoded address when the family is known.
   */
  override toObject(): { family: number; address?: SocketAddress } {
    const family = this.family;
    return familyName(family) ? { family, address: this.toSocketAddress() } : { family };
  }
}

/**
 * A view over the `SOCKADDR_INET` union (28 bytes): IPv4 or IPv6 by `si_family`.
 */
export class SockaddrInet extends SockaddrFamilyView {
  /** `sizeof(SOCKADDR_INET)`. */
  static readonly SIZE = 28;
  /** The layout. */
  static readonly LAYOUT: StructLayout = SOCKADDR_INET_LAYOUT;

  /**
   * The `Ipv4` member as a view over the same bytes.
   *
   * @returns A `sockaddr_in` view.
   */
  get ipv4(): SockaddrIn {
    return new SockaddrIn(new DataView(this.view.buffer, this.view.byteOffset, SockaddrIn.SIZE));
  }

  /**
   * The `Ipv6` member as a view over the same bytes.
   *
   * @returns A `sockaddr_in6` view.
   */
  get ipv6(): SockaddrIn6 {
    return new SockaddrIn6(
      new DataView(this.view.buffer, this.view.byteOffset, SockaddrIn6.SIZE),
    );
  }

  /**
   * Decodes the address it holds.
   *
   * @returns The address.
   * @throws {RangeError} If the family is neither `AF_INET` nor `AF_INET6`.
   */
  toSocketAddress(): SocketAddress {
    return readSocketAddress(this.view, 0);
  }

  /**
   * Writes an address (zeroing the unused tail of the union for IPv4).
   *
   * @param addr The address; the family is inferred from the text when absent.
   * @returns Bytes written (16 or 28).
   * @throws {TypeError} On invalid input.
   * @throws {RangeError} On out-of-range numbers.
   */
  set(addr: SocketAddressInit): number {
    const n = writeSocketAddress(this.view, 0, addr);
    for (let i = n; i < SockaddrInet.SIZE; i++) this.view.setUint8(i, 0);
    return n;
  }

  /**
   * Snapshot.
   *
   * @returns `{ family, address? }`, the decoded address when the family is known.
   */
  override toObject(): { family: number; address?: SocketAddress } {
    const family = this.family;
    return familyName(family) ? { family, address: this.toSocketAddress() } : { family };
  }
}

function checkViewOffset(view: DataView, offset: number): void {
  if (!(view instanceof DataView)) throw new TypeError("view must be a DataView");
  if (typeof offset !== "number" || !Number.isInteger(offset)) {
    throw new TypeError(`offset must be an integer, got ${String(offset)}`);
  }
  if (offset < 0 || offset > view.byteLength) {
    throw new RangeError(`offset ${offset} is outside the view (byteLength ${view.byteLength})`);
  }
}

/**
 * Writes a `sockaddr_in` or `sockaddr_in6` into `view` at `offset`.
 *
 * The family comes from `addr.family`, else from the text (a `:` means IPv6). IPv4 writes
 * 16 bytes (zeroed `sin_zero`); IPv6 writes 28 (flowinfo 0, scope id from `scopeId` or the
 * `%scope` in the text).
 *
 * @param view The destination.
 * @param offset Byte offset inside `view`.
 * @param addr The address.
 * @returns Bytes written: 16 or 28.
 * @throws {TypeError} On invalid text, a family that does not match the text, an unknown
 * family, non-integer numbers, or a non-DataView `view`.
 * @throws {RangeError} On a port/scope out of range, or too little room at `offset`.
 * @example
 * ```ts
 * import { writeSocketAddress } from "./address.ts";
 * const dv = new DataView(new ArrayBuffer(28));
 * writeSocketAddress(dv, 0, { address: "::1", port: 53 }); // 28
 * ```
 */
export function writeSocketAddress(
  view: DataView,
  offset: number,
  addr: SocketAddress | SocketAddressInit,
): number {
  checkViewOffset(view, offset);
  if (addr === null || typeof addr !== "object") throw new TypeError("addr must be an object");
  if (typeof addr.address !== "string") {
    throw new TypeError(`address must be a string, got ${describeValue(addr.address)}`);
  }
  let family = addr.family;
  if (family === undefined) family = addr.address.includes(":") ? "inet6" : "inet";
  if (family !== "inet" && family !== "inet6") {
    throw new TypeError(`family must be "inet" or "inet6", got ${describeValue(family)}`);
  }
  const size = family === "inet" ? SockaddrIn.SIZE : SockaddrIn6.SIZE;
  if (offset + size > view.byteLength) {
    throw new RangeError(
      `a ${
        family === "inet" ? "sockaddr_in" : "sockaddr_in6"
      } needs ${size} bytes at offset ${offset}, view has ${view.byteLength}`,
    );
  }
  const sub = new DataView(view.buffer, view.byteOffset + offset, size);
  if (family === "inet") {
    if (addr.scopeId !== undefined && addr.scopeId !== 0) {
      throw new TypeError("scopeId is only valid for inet6 addresses");
    }
    new SockaddrIn(sub).set(addr);
  } else {
    new SockaddrIn6(sub).set(addr);
  }
  return size;
}

/**
 * Reads a `sockaddr_in` or `sockaddr_in6` from `view` at `offset`, by its family field.
 *
 * @param view The source.
 * @param offset Byte offset inside `view`.
 * @param length The valid length at `offset` (e.g. the `namelen` a call returned); default
 * the rest of the view.
 * @returns The address as a plain value.
 * @throws {TypeError} If `view` is not a DataView or `offset`/`length` not integers.
 * @throws {RangeError} On an unknown family, or a `length` (or view) too short for it.
 * @example
 * ```ts
 * import { readSocketAddress, writeSocketAddress } from "./address.ts";
 * const dv = new DataView(new ArrayBuffer(16));
 * writeSocketAddress(dv, 0, { address: "10.0.0.1", port: 1 });
 * readSocketAddress(dv, 0); // { family: "inet", address: "10.0.0.1", port: 1 }
 * ```
 */
export function readSocketAddress(view: DataView, offset: number, length?: number): SocketAddress {
  checkViewOffset(view, offset);
  const room = view.byteLength - offset;
  let len = room;
  if (length !== undefined) {
    if (typeof length !== "number" || !Number.isInteger(length)) {
      throw new TypeError(`length must be an integer, got ${String(length)}`);
    }
    if (length < 0 || length > room) {
      throw new RangeError(`length ${length} exceeds the ${room} bytes left at offset ${offset}`);
    }
    len = length;
  }
  if (len < 2) throw new RangeError(`length ${len} is too short for a sockaddr family`);
  const af = view.getUint16(offset, true);
  const family = familyName(af);
  if (family === undefined) {
    throw new RangeError(`unknown address family ${af} (expected AF_INET 2 or AF_INET6 23)`);
  }
  const size = family === "inet" ? SockaddrIn.SIZE : SockaddrIn6.SIZE;
  if (len < size) {
    throw new RangeError(`length ${len} is too short for ${family} (needs ${size} bytes)`);
  }
  const sub = new DataView(view.buffer, view.byteOffset + offset, size);
  return family === "inet"
    ? new SockaddrIn(sub).toSocketAddress()
    : new SockaddrIn6(sub).toSocketAddress();
}

/** Every layout defined in this file, for `STRUCT_LAYOUTS`. */
export const ADDRESS_LAYOUTS: readonly StructLayout[] = [
  SOCKADDR_LAYOUT,
  IN_ADDR_LAYOUT,
  IN6_ADDR_LAYOUT,
  SCOPE_ID_LAYOUT,
  SOCKADDR_IN_LAYOUT,
  SOCKADDR_IN6_LAYOUT,
  SOCKADDR_IN6_OLD_LAYOUT,
  SOCKADDR_STORAGE_LAYOUT,
  SOCKADDR_INET_LAYOUT,
];
