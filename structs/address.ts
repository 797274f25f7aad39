/**
 * Socket addresses in the Windows layout: `readSocketAddress` / `writeSocketAddress` between a
 * {@linkcode SocketAddress} value and the bytes of a `sockaddr_in` / `sockaddr_in6`, and the
 * views that hold either family (`SOCKADDR_STORAGE`, `SOCKADDR_INET`). The families' numbers
 * (`AF_INET` 2, `AF_INET6` 23, `AF_UNSPEC`) are exported here too.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { describe } from "../_validate.ts";
import { SOCKADDR_INET_LAYOUT, SOCKADDR_STORAGE_LAYOUT } from "./_sockaddr_layouts.ts";
import type { StructLayout } from "./layout.ts";
import { SockaddrFamilyView, SockaddrIn, SockaddrIn6 } from "./sockaddr.ts";
import {
  AF_INET,
  AF_INET6,
  type SocketAddress,
  type SocketAddressInit,
  type SocketFamily,
} from "./socket_address.ts";

export { AF_INET, AF_INET6, AF_UNSPEC } from "./socket_address.ts";

function familyName(af: number): SocketFamily | undefined {
  return af === AF_INET ? "inet" : af === AF_INET6 ? "inet6" : undefined;
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
 * import { writeSocketAddress } from "@x/wsioctl/structs";
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
    throw new TypeError(`address must be a string, got ${describe(addr.address)}`);
  }
  let family = addr.family;
  if (family === undefined) family = addr.address.includes(":") ? "inet6" : "inet";
  if (family !== "inet" && family !== "inet6") {
    throw new TypeError(`family must be "inet" or "inet6", got ${describe(family)}`);
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
 * import { readSocketAddress, writeSocketAddress } from "@x/wsioctl/structs";
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
