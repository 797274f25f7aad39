/**
 * Internal, pure: how {@link Socket} reads its arguments — socket types, send/recv flags, socket
 * option values, and addresses (written into a reused scratch buffer in the Windows sockaddr
 * layout the native layer speaks).
 *
 * @module
 */

import {
  MSG_DONTROUTE,
  MSG_OOB,
  MSG_PEEK,
  type SocketOptionName as NativeOptionName,
} from "./ffi/native.ts";
import { readSocketAddress, writeSocketAddress } from "./structs/address.ts";
import { parseIPv4 } from "./structs/ip.ts";
import type { SocketAddress, SocketFamily } from "./structs/socket_address.ts";
import type {
  RecvFromOptions,
  RecvOptions,
  SendOptions,
  SocketOptionName,
  SocketOptionValues,
  SocketType,
} from "./socket_types.ts";
import {
  checkBoolean,
  checkInteger,
  checkObject,
  checkUint16,
  checkUint32,
  describe,
} from "./_validate.ts";

/** `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW`: the same numbers on Windows, Linux and macOS. */
export const TYPES: Readonly<Record<SocketType, number>> = { stream: 1, dgram: 2, raw: 3 };
/** The socket type of a `SO_TYPE` answer. */
export const TYPE_NAMES: Readonly<Record<number, SocketType>> = {
  1: "stream",
  2: "dgram",
  3: "raw",
};
type OptionKind = "bool" | "int" | "linger" | "ms" | "ro";
const OPTION_KINDS: Readonly<Record<SocketOptionName, OptionKind>> = {
  reuseAddress: "bool",
  keepAlive: "bool",
  broadcast: "bool",
  oobInline: "bool",
  noDelay: "bool",
  v6Only: "bool",
  keepAliveTime: "int",
  keepAliveInterval: "int",
  keepAliveCount: "int",
  linger: "linger",
  sendBuffer: "int",
  receiveBuffer: "int",
  sendTimeout: "ms",
  receiveTimeout: "ms",
  error: "ro",
  type: "ro",
};

// Scratch space for addresses: one thread, reused by every call.
const addrBytes = new Uint8Array(new ArrayBuffer(128));
const addrView = new DataView(addrBytes.buffer);
/** The whole scratch address (128 bytes: room for any sockaddr). */
export const addr128: Uint8Array = addrBytes;
/** The first 16 bytes of the scratch address (a `sockaddr_in`). */
export const addr16: Uint8Array = addrBytes.subarray(0, 16);
/** The first 28 bytes of the scratch address (room for a `sockaddr_in6`). */
export const addr28: Uint8Array = addrBytes.subarray(0, 28);
/** The address length in/out parameter of getsockname, accept, recvfrom. */
export const addrLength: Int32Array = new Int32Array(1);
/** The value in/out parameter of getOption/setOption. */
export const optionValue: Float64Array = new Float64Array(1);

/**
 * Checks the arguments of `Socket.open`.
 *
 * @returns The `SOCK_*` number of `type`.
 */
export function checkOpen(family: unknown, type: unknown, protocol: unknown): number {
  if (family !== "inet" && family !== "inet6") {
    throw new TypeError(`family must be "inet" or "inet6", got ${describe(family)}`);
  }
  if (typeof type !== "string" || !Object.hasOwn(TYPES, type)) {
    throw new TypeError(`type must be "stream", "dgram" or "raw", got ${describe(type)}`);
  }
  checkInteger(protocol, "protocol", 0, 255);
  return TYPES[type as SocketType];
}

/**
 * Writes `address`:`port` into the scratch address.
 *
 * @param family The socket's family, when known (an IPv4 text on an IPv6 socket becomes the
 * IPv4-mapped address).
 * @returns The scratch bytes holding the sockaddr (16 or 28 bytes).
 */
export function writeAddress(
  family: SocketFamily | undefined,
  address: unknown,
  port: unknown,
): Uint8Array {
  if (typeof address !== "string") {
    throw new TypeError(`address must be a string, got ${describe(address)}`);
  }
  checkUint16(port, "port");
  const fam = family ?? (address.includes(":") ? "inet6" : "inet");
  let text = address;
  if (fam === "inet6" && !address.includes(":")) {
    // Parsed as IPv4 first, so that an error quotes what the caller wrote.
    parseIPv4(address, "address");
    text = `::ffff:${address}`;
  }
  const n = writeSocketAddress(addrView, 0, { family: fam, address: text, port: port as number });
  return n === 16 ? addr16 : addr28;
}

/** The scratch address as a {@link SocketAddress} (after a call filled it and `addrLength`). */
export function readAddress(): SocketAddress {
  return readSocketAddress(addrView, 0, addrLength[0]);
}

/** Clears the scratch address's family, so an answer without an address is recognisable. */
export function clearAddress(): void {
  addrView.setUint16(0, 0, true);
  addrLength[0] = 0;
}

/** The scratch address's family (0 when nothing was written), if `addrLength` covers it. */
export function addressFamily(): number {
  return addrLength[0] < 2 ? 0 : addrView.getUint16(0, true);
}

/**
 * Reads the flags of a send/recv options object. Runs first in every method that takes one: the
 * caller's getters run here, before any length is read or any handle is used.
 */
export function flagsOf(options: SendOptions | RecvOptions | undefined, name: string): number {
  if (options === undefined) return 0;
  const o = checkObject(options, name) as SendOptions & RecvOptions;
  return (o.oob ? MSG_OOB : 0) | (o.peek ? MSG_PEEK : 0) | (o.dontRoute ? MSG_DONTROUTE : 0);
}

/**
 * Reads `options.timestampId` of a send: -1 when absent, else the validated UINT32. Runs with
 * {@link flagsOf}, before any length is read or any handle is used.
 */
export function timestampIdOf(options: SendOptions | undefined, name: string): number {
  if (options === undefined) return -1;
  const id = checkObject(options, name).timestampId;
  return id === undefined ? -1 : checkUint32(id, `${name}.timestampId`);
}

/**
 * Reads `options.timestamp` of a receive: whether the RX timestamp is asked for. Runs with
 * {@link flagsOf}, before any length is read or any handle is used.
 */
export function timestampWanted(options: RecvFromOptions | undefined, name: string): boolean {
  if (options === undefined) return false;
  const wanted = checkObject(options, name).timestamp;
  return wanted === undefined ? false : checkBoolean(wanted, `${name}.timestamp`);
}

function optionKind(name: unknown): OptionKind | undefined {
  return typeof name === "string" && Object.hasOwn(OPTION_KINDS, name)
    ? OPTION_KINDS[name as SocketOptionName]
    : undefined;
}

/**
 * Checks a `setOption` name and value, and returns the number the native layer takes.
 */
export function encodeOption(name: unknown, value: unknown): number {
  const kind = optionKind(name);
  if (kind === undefined || kind === "ro") {
    throw new TypeError(`name must be a writable socket option, got ${describe(name)}`);
  }
  if (kind === "bool") {
    if (typeof value !== "boolean") {
      throw new TypeError(`${name} takes a boolean, got ${describe(value)}`);
    }
    return value ? 1 : 0;
  }
  if (kind === "linger" && value === false) return -1;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} takes an integer, got ${describe(value)}`);
  }
  const max = kind === "linger" ? 0xffff : 0x7fffffff;
  if (value < 0 || value > max) {
    throw new RangeError(`${name} must be in 0..${max}, got ${value}`);
  }
  return value;
}

/**
 * The native layer's name of a checked option name: Socket's `keepAliveTime` is the layer's
 * `keepAliveIdle` (TCP_KEEPIDLE, which SIO_KEEPALIVE_VALS sets too); the others are the same.
 */
export function nativeOptionName(name: SocketOptionName): NativeOptionName {
  return name === "keepAliveTime" ? "keepAliveIdle" : name;
}

/** Checks a `getOption` name. */
export function checkOptionName(name: unknown): void {
  if (optionKind(name) === undefined) {
    throw new TypeError(`name must be a socket option, got ${describe(name)}`);
  }
}

/** The value of option `name` from the native layer's number. */
export function decodeOption<K extends SocketOptionName>(
  name: K,
  v: number,
): SocketOptionValues[K] {
  const kind = OPTION_KINDS[name];
  let out: unknown;
  if (kind === "bool") out = v !== 0;
  else if (kind === "linger") out = v < 0 ? false : v;
  else if (name === "type") out = TYPE_NAMES[v] ?? v;
  else out = v;
  return out as SocketOptionValues[K];
}
