/**
 * Views over the Windows `sockaddr`, `sockaddr_in` and `sockaddr_in6` structs, written by hand
 * over their layouts (_sockaddr_layouts.ts) because what they hold is not a plain field: ports,
 * addresses and `sin6_flowinfo` are in network byte order (big-endian), addresses read and
 * write as text; families and scope ids are host order (little-endian).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { checkUint16, checkUint32, describe } from "../_validate.ts";
import { validatePort } from "./_checks.ts";
import { SOCKADDR_IN6_LAYOUT, SOCKADDR_IN_LAYOUT, SOCKADDR_LAYOUT } from "./_sockaddr_layouts.ts";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "./ip.ts";
import type { StructLayout } from "./layout.ts";
import { AF_INET, AF_INET6, type SocketAddress } from "./socket_address.ts";
import { StructView } from "./view.ts";

/** The bytes at `off` in a view, as a `Uint8Array` over the same memory (for ip.ts). */
function bytesAt(v: DataView, off: number, n: number): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset + off, n);
}

function writeBytes(v: DataView, off: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) v.setUint8(off + i, bytes[i]);
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
    this.view.setUint16(0x00, checkUint16(v, "family"), true);
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
 * import { SockaddrIn } from "@x/wsioctl/structs";
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
    return formatIPv4(bytesAt(this.view, 0x04, 4));
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
    this.view.setUint32(0x04, checkUint32(v, "addressValue"), false);
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
 * import { SockaddrIn6 } from "@x/wsioctl/structs";
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
    this.view.setUint32(0x04, checkUint32(v, "flowInfo"), false);
  }

  /** `sin6_addr` as RFC 5952 text, without the scope. */
  get address(): string {
    return formatIPv6(bytesAt(this.view, 0x08, 16));
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
    this.view.setUint32(0x18, checkUint32(v, "scopeId"), true);
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
    const flow = addr.flowInfo === undefined ? 0 : checkUint32(addr.flowInfo, "flowInfo");
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
    scope = checkUint32(addr.scopeId, "scopeId");
    if (addr.address.includes("%") && scope !== scopeId) {
      throw new TypeError(
        `scopeId ${scope} disagrees with the %${scopeId} in address ${describe(addr.address)}`,
      );
    }
  }
  return { bytes, scope, port };
}
