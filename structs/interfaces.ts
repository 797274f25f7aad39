/**
 * Interface and address lists: `sockaddr_gen` and `INTERFACE_INFO` (SIO_GET_INTERFACE_LIST),
 * `SOCKET_ADDRESS` and `INTERFACE_INFO_EX` (SIO_GET_INTERFACE_LIST_EX), `SOCKET_ADDRESS_LIST`
 * (SIO_ADDRESS_LIST_QUERY), with the `IFF_*` flags.
 *
 * `SOCKET_ADDRESS.lpSockaddr` is a native pointer into the same output buffer. The parsers
 * take the buffer's native address (a bigint from the runtime layer) and turn each pointer
 * into an offset inside the buffer; a pointer (or length) that leaves the buffer is a
 * `RangeError`, never a read out of bounds.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { bufferExtent, type BufferSource, dataViewAt } from "./_buffer.ts";
import { SOCKADDR_GEN_LAYOUT } from "./_sockaddr_layouts.ts";
import { readSocketAddress } from "./address.ts";
import type { StructLayout } from "./layout.ts";
import { defineView, type Members, type ViewFields } from "./members.ts";
import { SockaddrFamilyView, SockaddrIn } from "./sockaddr.ts";
import { AF_INET, AF_INET6, type SocketAddress } from "./socket_address.ts";
import { type StructArray, StructView } from "./view.ts";

/** `IFF_UP`: the interface is up. */
export const IFF_UP = 0x00000001;
/** `IFF_BROADCAST`: broadcast is supported. */
export const IFF_BROADCAST = 0x00000002;
/** `IFF_LOOPBACK`: a loopback interface. */
export const IFF_LOOPBACK = 0x00000004;
/** `IFF_POINTTOPOINT`: a point-to-point link. */
export const IFF_POINTTOPOINT = 0x00000008;
/** `IFF_MULTICAST`: multicast is supported. */
export const IFF_MULTICAST = 0x00000010;

/**
 * A view over `sockaddr_gen`: an IPv4 `sockaddr_in` or the old 24-byte IPv6 form (no scope).
 */
export class SockaddrGen extends SockaddrFamilyView {
  /** `sizeof(sockaddr_gen)`. */
  static readonly SIZE = 24;
  /** The layout. */
  static readonly LAYOUT: StructLayout = SOCKADDR_GEN_LAYOUT;

  /**
   * The `AddressIn` member as a `sockaddr_in` view over the same bytes.
   *
   * @returns The view.
   */
  get addressIn(): SockaddrIn {
    return new SockaddrIn(new DataView(this.view.buffer, this.view.byteOffset, SockaddrIn.SIZE));
  }

  /**
   * Decodes the address (IPv6 from the old form gets scope id 0).
   *
   * @returns The address.
   * @throws {RangeError} On a family other than `AF_INET` / `AF_INET6`.
   */
  toSocketAddress(): SocketAddress {
    const af = this.family;
    if (af === AF_INET) return readSocketAddress(this.view, 0, SockaddrIn.SIZE);
    if (af === AF_INET6) {
      // sockaddr_in6_old has no sin6_scope_id: decode through a zero-padded copy.
      const tmp = new Uint8Array(28);
      tmp.set(new Uint8Array(this.view.buffer, this.view.byteOffset, 24));
      return readSocketAddress(new DataView(tmp.buffer), 0);
    }
    throw new RangeError(`unknown address family ${af} (expected AF_INET 2 or AF_INET6 23)`);
  }

  /**
   * Snapshot.
   *
   * @returns `{ family, address? }`.
   */
  override toObject(): { family: number; address?: SocketAddress } {
    const family = this.family;
    return family === AF_INET || family === AF_INET6
      ? { family, address: this.toSocketAddress() }
      : { family };
  }
}

/** The members of `INTERFACE_INFO` (76 bytes, 4-aligned), the view {@linkcode InterfaceInfo}. */
export const INTERFACE_INFO_MEMBERS = {
  /** `iiFlags`: `IFF_*` bits. */
  flags: ["iiFlags", "u32"], // 0x00 u_long
  /** `iiAddress`. */
  address: ["iiAddress", SockaddrGen], // 0x04 sockaddr_gen
  /** `iiBroadcastAddress`. */
  broadcastAddress: ["iiBroadcastAddress", SockaddrGen], // 0x1C sockaddr_gen
  /** `iiNetmask`. */
  netmask: ["iiNetmask", SockaddrGen], // 0x34 sockaddr_gen
} as const satisfies Members;

/**
 * A view over `INTERFACE_INFO`, one entry of the `SIO_GET_INTERFACE_LIST` output.
 *
 * @example
 * ```ts
 * import { IFF_UP, InterfaceInfo } from "@x/wsioctl/structs";
 * const out = new Uint8Array(InterfaceInfo.SIZE * 2); // filled by the IOCTL
 * const bytesReturned = 0;
 * for (const ii of InterfaceInfo.list(out, bytesReturned)) {
 *   if (ii.flags & IFF_UP) console.log(ii.address.toSocketAddress());
 * }
 * ```
 */
export class InterfaceInfo extends StructView {
  /** `sizeof(INTERFACE_INFO)`. */
  static readonly SIZE = 76;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "INTERFACE_INFO",
    INTERFACE_INFO_MEMBERS,
  );

  /**
   * Views the entries of an `INTERFACE_INFO[]` output buffer.
   *
   * @param buffer The IOCTL output buffer.
   * @param bytesReturned Bytes the IOCTL reported; default the whole buffer.
   * @returns `floor(bytesReturned / 76)` lazy entry views.
   * @throws {TypeError} If `buffer` is not a buffer or `bytesReturned` not an integer.
   * @throws {RangeError} If `bytesReturned` is negative or exceeds the buffer.
   */
  static list(buffer: BufferSource, bytesReturned?: number): StructArray<InterfaceInfo> {
    const len = checkLength(buffer, bytesReturned, "bytesReturned");
    return InterfaceInfo.arrayAt(buffer, 0, Math.floor(len / InterfaceInfo.SIZE));
  }
}
/** The fields of {@linkcode InterfaceInfo}, typed from {@linkcode INTERFACE_INFO_MEMBERS}. */
export interface InterfaceInfo extends ViewFields<typeof INTERFACE_INFO_MEMBERS> {}

function checkLength(buffer: BufferSource, length: number | undefined, name: string): number {
  const total = bufferExtent(buffer)[2];
  if (length === undefined) return total;
  if (typeof length !== "number" || !Number.isInteger(length)) {
    throw new TypeError(`${name} must be an integer, got ${String(length)}`);
  }
  if (length < 0 || length > total) {
    throw new RangeError(`${name} ${length} is outside the buffer (0..${total})`);
  }
  return length;
}

function checkBase(bufferAddress: bigint): void {
  if (typeof bufferAddress !== "bigint") {
    throw new TypeError(`bufferAddress must be a bigint, got ${typeof bufferAddress}`);
  }
  if (bufferAddress < 0n || bufferAddress >= 1n << 64n) {
    throw new RangeError(`bufferAddress must be a 64-bit address, got ${bufferAddress}`);
  }
}

/** The members of `SOCKET_ADDRESS` (16 bytes), the view {@linkcode SocketAddressStruct}. */
export const SOCKET_ADDRESS_MEMBERS = {
  /** `lpSockaddr`: native address of the sockaddr. */
  lpSockaddr: ["lpSockaddr", "pointer"], // 0x00 LPSOCKADDR
  /** `iSockaddrLength`: its length in bytes. */
  sockaddrLength: ["iSockaddrLength", "i32"], // 0x08 INT
} as const satisfies Members;

/** A view over `SOCKET_ADDRESS`: a pointer to a sockaddr plus its length. */
export class SocketAddressStruct extends StructView {
  /** `sizeof(SOCKET_ADDRESS)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "SOCKET_ADDRESS",
    SOCKET_ADDRESS_MEMBERS,
  );

  /**
   * Turns `lpSockaddr` into an offset inside `buffer`, which starts at native address
   * `bufferAddress`, and checks that `iSockaddrLength` bytes fit there.
   *
   * @param bufferAddress Native address of `buffer`'s first byte.
   * @param bufferLength Length of the buffer in bytes.
   * @returns The offset, or -1 for a null pointer.
   * @throws {TypeError} If `bufferAddress` is not a bigint.
   * @throws {RangeError} If the sockaddr is not wholly inside the buffer or the length is
   * negative.
   */
  offsetIn(bufferAddress: bigint, bufferLength: number): number {
    checkBase(bufferAddress);
    const ptr = this.lpSockaddr;
    if (ptr === 0n) return -1;
    const len = this.sockaddrLength;
    if (len < 0) throw new RangeError(`iSockaddrLength ${len} is negative`);
    const off = ptr - bufferAddress;
    if (off < 0n || off + BigInt(len) > BigInt(bufferLength)) {
      throw new RangeError(
        `lpSockaddr 0x${ptr.toString(16)} (+${len}) is outside the buffer at 0x${
          bufferAddress.toString(16)
        } (+${bufferLength})`,
      );
    }
    return Number(off);
  }

  /**
   * Reads the sockaddr it points to, inside `buffer`.
   *
   * @param buffer The output buffer that holds both this struct and the sockaddr.
   * @param bufferAddress Native address of `buffer`'s first byte.
   * @returns The address, or `null` for a null pointer.
   * @throws {TypeError} If `bufferAddress` is not a bigint.
   * @throws {RangeError} If the sockaddr is outside the buffer, too short for its family, or
   * of an unknown family.
   */
  resolve(buffer: BufferSource, bufferAddress: bigint): SocketAddress | null {
    const whole = dataViewAt(buffer, 0, bufferExtent(buffer)[2], "buffer");
    const off = this.offsetIn(bufferAddress, whole.byteLength);
    if (off === -1) return null;
    return readSocketAddress(whole, off, this.sockaddrLength);
  }
}
/** The fields of {@linkcode SocketAddressStruct}, typed from {@linkcode SOCKET_ADDRESS_MEMBERS}. */
export interface SocketAddressStruct extends ViewFields<typeof SOCKET_ADDRESS_MEMBERS> {}

/** The members of `INTERFACE_INFO_EX` (56 bytes), the view {@linkcode InterfaceInfoEx}. */
export const INTERFACE_INFO_EX_MEMBERS = {
  /** `iiFlags`: `IFF_*` bits. */
  flags: ["iiFlags", "u32"], // 0x00 u_long
  /** `iiAddress`. */
  address: ["iiAddress", SocketAddressStruct], // 0x08 SOCKET_ADDRESS
  /** `iiBroadcastAddress`. */
  broadcastAddress: ["iiBroadcastAddress", SocketAddressStruct], // 0x18 SOCKET_ADDRESS
  /** `iiNetmask`. */
  netmask: ["iiNetmask", SocketAddressStruct], // 0x28 SOCKET_ADDRESS
} as const satisfies Members;

/** A view over `INTERFACE_INFO_EX`, one entry of the `SIO_GET_INTERFACE_LIST_EX` output. */
export class InterfaceInfoEx extends StructView {
  /** `sizeof(INTERFACE_INFO_EX)`. */
  static readonly SIZE = 56;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "INTERFACE_INFO_EX",
    INTERFACE_INFO_EX_MEMBERS,
  );
}
/** The fields of {@linkcode InterfaceInfoEx}, typed from {@linkcode INTERFACE_INFO_EX_MEMBERS}. */
export interface InterfaceInfoEx extends ViewFields<typeof INTERFACE_INFO_EX_MEMBERS> {}

/** One decoded `INTERFACE_INFO_EX` entry. */
export interface InterfaceInfoExValue {
  /** `IFF_*` bits. */
  flags: number;
  /** The interface address (`null` for a null pointer). */
  address: SocketAddress | null;
  /** The broadcast address (`null` for a null pointer). */
  broadcastAddress: SocketAddress | null;
  /** The netmask (`null` for a null pointer). */
  netmask: SocketAddress | null;
}

/**
 * Decodes a `SIO_GET_INTERFACE_LIST_EX` output: `INTERFACE_INFO_EX[]` whose `lpSockaddr`
 * pointers point into the same buffer, at the sockaddrs stored after the array.
 *
 * The output does not carry a count: unless `count` is given, entries are read until the
 * next one would reach the lowest sockaddr referenced so far (or the end of the data).
 *
 * @param buffer The IOCTL output buffer.
 * @param bufferAddress Native address of the buffer's first byte.
 * @param bytesReturned Bytes the IOCTL reported; default the whole buffer.
 * @param count Number of entries, when known.
 * @returns One value per entry.
 * @throws {TypeError} On a non-buffer, a non-bigint address or a non-integer length/count.
 * @throws {RangeError} On a pointer outside the buffer, an invalid sockaddr, or `count`
 * entries that do not fit.
 */
export function parseInterfaceListEx(
  buffer: BufferSource,
  bufferAddress: bigint,
  bytesReturned?: number,
  count?: number,
): InterfaceInfoExValue[] {
  checkBase(bufferAddress);
  const len = checkLength(buffer, bytesReturned, "bytesReturned");
  const size = InterfaceInfoEx.SIZE;
  const valid = dataViewAt(buffer, 0, len, "buffer");
  let limit = len;
  if (count !== undefined) {
    if (typeof count !== "number" || !Number.isInteger(count)) {
      throw new TypeError(`count must be an integer, got ${String(count)}`);
    }
    if (count < 0 || count * size > len) {
      throw new RangeError(`count ${count} entries do not fit in ${len} bytes`);
    }
    limit = count * size;
  }
  const out: InterfaceInfoExValue[] = [];
  const read = (sa: SocketAddressStruct): SocketAddress | null => {
    const off = sa.offsetIn(bufferAddress, len);
    if (off === -1) return null;
    if (count === undefined && off < limit) limit = off;
    return readSocketAddress(valid, off, sa.sockaddrLength);
  };
  for (let i = 0; (i + 1) * size <= limit; i++) {
    const e = new InterfaceInfoEx(new DataView(valid.buffer, valid.byteOffset + i * size, size));
    const flags = e.flags;
    const address = read(e.address);
    const broadcastAddress = read(e.broadcastAddress);
    const netmask = read(e.netmask);
    out.push({ flags, address, broadcastAddress, netmask });
  }
  return out;
}

/**
 * The members of `SOCKET_ADDRESS_LIST` (24 bytes as declared; really `8 + 16 * iAddressCount`),
 * the view {@linkcode SocketAddressList}.
 */
export const SOCKET_ADDRESS_LIST_MEMBERS = {
  /** `iAddressCount`. */
  addressCount: ["iAddressCount", "i32"], // 0x00 INT
  /** `Address[1]`: no property, see {@linkcode SocketAddressList.entries}. */
  address: ["Address", SocketAddressStruct, 1], // 0x08 SOCKET_ADDRESS[1]
} as const satisfies Members;

/**
 * A view over the head of a `SOCKET_ADDRESS_LIST`; its `Address[]` runs past the declared
 * size, so read the entries with {@linkcode SocketAddressList.entries} or
 * {@linkcode parseSocketAddressList}, which check them against the whole buffer.
 */
export class SocketAddressList extends StructView {
  /** `sizeof(SOCKET_ADDRESS_LIST)` as declared (one entry). */
  static readonly SIZE = 24;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "SOCKET_ADDRESS_LIST",
    SOCKET_ADDRESS_LIST_MEMBERS,
  );

  /**
   * Views the `Address[iAddressCount]` entries inside `buffer` (which must start with this
   * list).
   *
   * @param buffer The whole output buffer.
   * @param length Valid bytes in the buffer; default all.
   * @returns The entry views.
   * @throws {RangeError} If the count is negative or the entries overrun `length`.
   */
  static entries(buffer: BufferSource, length?: number): StructArray<SocketAddressStruct> {
    const len = checkLength(buffer, length, "length");
    if (len < 4) throw new RangeError(`length ${len} is too short for a SOCKET_ADDRESS_LIST`);
    const count = dataViewAt(buffer, 0, 4, "SOCKET_ADDRESS_LIST").getInt32(0, true);
    if (count < 0 || 8 + count * SocketAddressStruct.SIZE > len) {
      throw new RangeError(`iAddressCount ${count} does not fit in ${len} bytes`);
    }
    return SocketAddressStruct.arrayAt(buffer, 8, count);
  }
}
/** The fields of {@linkcode SocketAddressList}, typed from {@linkcode SOCKET_ADDRESS_LIST_MEMBERS}. */
export interface SocketAddressList extends ViewFields<typeof SOCKET_ADDRESS_LIST_MEMBERS> {}

/**
 * Decodes a `SIO_ADDRESS_LIST_QUERY` output: a `SOCKET_ADDRESS_LIST` whose `lpSockaddr`
 * pointers point into the same buffer.
 *
 * @param buffer The IOCTL output buffer.
 * @param bufferAddress Native address of the buffer's first byte.
 * @param length Bytes the IOCTL reported; default the whole buffer.
 * @returns The addresses in order (`null` for a null pointer).
 * @throws {TypeError} On a non-buffer, a non-bigint address or a non-integer length.
 * @throws {RangeError} On a bad count, a pointer outside the buffer or an invalid sockaddr.
 * @example
 * ```ts
 * import { parseSocketAddressList } from "@x/wsioctl/structs";
 * const buf = new Uint8Array(64); // an empty list: iAddressCount 0
 * parseSocketAddressList(buf, 0x10000n); // []
 * ```
 */
export function parseSocketAddressList(
  buffer: BufferSource,
  bufferAddress: bigint,
  length?: number,
): (SocketAddress | null)[] {
  checkBase(bufferAddress);
  const len = checkLength(buffer, length, "length");
  const entries = SocketAddressList.entries(buffer, len);
  const valid = dataViewAt(buffer, 0, len, "buffer");
  const out: (SocketAddress | null)[] = [];
  for (const e of entries) {
    const off = e.offsetIn(bufferAddress, len);
    out.push(off === -1 ? null : readSocketAddress(valid, off, e.sockaddrLength));
  }
  return out;
}
