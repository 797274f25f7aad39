/**
 * IP address text ⇄ bytes: dotted-decimal IPv4 and RFC 4291 / RFC 5952 IPv6 (with a numeric
 * `%scope`), strict on input and canonical on output. Bytes are in network order.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { checkUint32 } from "../_validate.ts";
import type { SocketFamily } from "./socket_address.ts";

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
 * import { parseIPv4 } from "@x/wsioctl/structs";
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
 * import { formatIPv4 } from "@x/wsioctl/structs";
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
 * import { parseIPv6 } from "@x/wsioctl/structs";
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
 * import { formatIPv6, parseIPv6 } from "@x/wsioctl/structs";
 * formatIPv6(parseIPv6("2001:0db8:0:0:0:0:0:0001").bytes); // "2001:db8::1"
 * ```
 */
export function formatIPv6(bytes: Uint8Array, offset = 0, scopeId = 0): string {
  checkBytes(bytes, offset, 16, "bytes");
  checkUint32(scopeId, "scopeId");
  const g = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) g[i] = (bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1];
  return formatIPv6Groups(g, scopeId);
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
 * import { parseAddress } from "@x/wsioctl/structs";
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
