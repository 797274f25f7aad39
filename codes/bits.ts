/**
 * The bit layout of a Winsock control code, and the SDK's macros that build one.
 *
 * A control code is a 32-bit value read from bit 31 down:
 *
 * ```text
 *  31 30 29 28-27 26 ........ 16 15 ............ 0
 *   I  O  V   T   vendor/family         code
 * ```
 *
 * `I` marks a valid input buffer (IOC_IN), `O` a valid output buffer (IOC_OUT), `V` a code with no
 * parameters (IOC_VOID). `T` is the kind: 0 Unix, 1 generic Winsock 2, 2 address-family specific,
 * 3 vendor. The 11-bit vendor/family field holds the vendor number (T=3), the address family (T=2),
 * or for Unix-style codes the parameter size (`sizeof(t) & 0x7f`).
 *
 * Pure code: no FFI, importable anywhere.
 *
 * @module
 */

import { checkCode, describe } from "../_validate.ts";

/** IOC_VOID: the code takes no parameters (bit 29). */
export const IOC_VOID = 0x20000000;
/** IOC_OUT: the output buffer is valid (bit 30). */
export const IOC_OUT = 0x40000000;
/** IOC_IN: the input buffer is valid (bit 31). */
export const IOC_IN = 0x80000000;
/** IOC_INOUT: both buffers are valid. */
export const IOC_INOUT = 0xc0000000;
/** Mask of the Unix parameter-size field before it is shifted into bits 16–22. */
export const IOCPARM_MASK = 0x7f;

/** The four kinds of control code, by the value of the two T bits. */
export const IOC_TYPES = ["unix", "ws2", "protocol", "vendor"] as const;
/** The name of a control-code kind: `"unix"` (T=0), `"ws2"` (1), `"protocol"` (2), `"vendor"` (3). */
export type IoctlTypeName = (typeof IOC_TYPES)[number];
/** The value of the two T bits. */
export type IoctlType = 0 | 1 | 2 | 3;
/** Which buffers a code declares valid. */
export type IoctlIo = "in" | "out" | "inout" | "void";

/** The SDK's names of the T values, as they appear in the header macros. */
export const IOC_TYPE_MACROS = ["IOC_UNIX", "IOC_WS2", "IOC_PROTOCOL", "IOC_VENDOR"] as const;
/** A T value spelled as the SDK spells it. */
export type IocTypeMacro = (typeof IOC_TYPE_MACROS)[number];

/** The fields of a control code, as `encodeIoctl` takes them. */
export interface IoctlFields {
  /** Which buffers are valid: sets I, O, both, or V. */
  io: IoctlIo;
  /** The kind: by name (`"vendor"`), by the SDK's macro name (`"IOC_VENDOR"`) or by T value. */
  type: IoctlTypeName | IocTypeMacro | IoctlType;
  /** The 11-bit vendor / address-family / Unix parameter-size field (0–2047). Default 0. */
  family?: number;
  /** The 16-bit code (0–65535). */
  code: number;
}

/** A control code taken apart bit by bit, as `decodeIoctl` returns it. */
export interface DecodedIoctl {
  /** The code as an unsigned 32-bit number. */
  value: number;
  /** Bit 31 (IOC_IN). */
  input: boolean;
  /** Bit 30 (IOC_OUT). */
  output: boolean;
  /** Bit 29 (IOC_VOID). */
  void: boolean;
  /**
   * The direction the I/O/V bits declare. A code with none of them, or with V together with I or
   * O, is reported as `"void"` only when V alone is set; see `input`/`output`/`void` for the raw bits.
   */
  io: IoctlIo | "none" | "invalid";
  /** The T value (bits 27–28). */
  type: IoctlType;
  /** The kind's name. */
  typeName: IoctlTypeName;
  /** Bits 16–26. */
  family: number;
  /** Bits 0–15. */
  code: number;
  /** For Unix-style codes (T=0): the group character (`'f'`, `'s'`, `'t'`) in bits 8–15, if printable. */
  group?: string;
  /** For Unix-style codes (T=0): the command number in bits 0–7. */
  number?: number;
}

function checkInteger(value: unknown, name: string, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < 0 || value > max) {
    throw new RangeError(`${name} must be between 0 and ${max}, got ${value}`);
  }
  return value;
}

function typeValue(type: IoctlTypeName | IocTypeMacro | IoctlType): IoctlType {
  if (typeof type === "number") {
    return checkInteger(type, "type", 3) as IoctlType;
  }
  const macro = IOC_TYPE_MACROS.indexOf(type as IocTypeMacro);
  if (macro >= 0) return macro as IoctlType;
  const index = IOC_TYPES.indexOf(type as IoctlTypeName);
  if (index < 0) {
    throw new TypeError(
      `type must be one of ${IOC_TYPES.join(", ")}, an IOC_* name or 0-3, got ${describe(type)}`,
    );
  }
  return index as IoctlType;
}

function ioBits(io: IoctlIo): number {
  switch (io) {
    case "in":
      return IOC_IN;
    case "out":
      return IOC_OUT;
    case "inout":
      return IOC_INOUT;
    case "void":
      return IOC_VOID;
    default:
      throw new TypeError(`io must be one of in, out, inout, void, got ${describe(io)}`);
  }
}

/**
 * Builds a control code from its fields.
 *
 * @param fields The direction, kind, vendor/family field and code.
 * @returns The control code as an unsigned 32-bit number.
 * @throws {TypeError} When a field has the wrong type or an unknown name.
 * @throws {RangeError} When `family` is outside 0–2047 or `code` outside 0–65535.
 * @example
 * ```ts
 * import { encodeIoctl } from "@x/wsioctl/codes";
 * encodeIoctl({ io: "in", type: "vendor", code: 4 }); // 0x98000004, SIO_KEEPALIVE_VALS
 * ```
 */
export function encodeIoctl(fields: IoctlFields): number {
  if (typeof fields !== "object" || fields === null) {
    throw new TypeError("fields must be an object");
  }
  const io = ioBits(fields.io);
  const type = typeValue(fields.type);
  const family = checkInteger(fields.family ?? 0, "family", 0x7ff);
  const code = checkInteger(fields.code, "code", 0xffff);
  return (io | (type << 27) | (family << 16) | code) >>> 0;
}

/**
 * Takes a control code apart into its bit fields. Works on any 32-bit value, known or not.
 *
 * @param value The control code: an integer from -2^31 to 2^32-1, the library's one rule for codes
 *   (a negative value, as C prints `(int)0x98000004`, is read as the int32 bit pattern).
 * @returns The decoded fields.
 * @throws {TypeError} When `value` is not an integer.
 * @throws {RangeError} When `value` is outside the 32-bit range.
 * @example
 * ```ts
 * import { decodeIoctl } from "@x/wsioctl/codes";
 * const d = decodeIoctl(0x4004667f); // FIONREAD
 * d.io; // "out"
 * d.group; // "f"
 * ```
 */
export function decodeIoctl(value: number): DecodedIoctl {
  const v = checkCode(value, "value");
  const input = (v & IOC_IN) !== 0;
  const output = (v & IOC_OUT) !== 0;
  const isVoid = (v & IOC_VOID) !== 0;
  const type = ((v >>> 27) & 3) as IoctlType;
  const family = (v >>> 16) & 0x7ff;
  const code = v & 0xffff;
  let io: DecodedIoctl["io"];
  if (isVoid) io = input || output ? "invalid" : "void";
  else if (input && output) io = "inout";
  else if (input) io = "in";
  else if (output) io = "out";
  else io = "none";
  const decoded: DecodedIoctl = {
    value: v,
    input,
    output,
    void: isVoid,
    io,
    type,
    typeName: IOC_TYPES[type],
    family,
    code,
  };
  if (type === 0) {
    const g = (code >>> 8) & 0xff;
    if (g >= 0x21 && g <= 0x7e) decoded.group = String.fromCharCode(g);
    decoded.number = code & 0xff;
  }
  return decoded;
}

/** The SDK's `_WSAIO(x,y)`: a code with no parameters. */
export function wsaio(
  type: IoctlTypeName | IocTypeMacro | IoctlType,
  code: number,
  family = 0,
): number {
  return encodeIoctl({ io: "void", type, family, code });
}

/** The SDK's `_IO(g,n)`: a Unix-style code with no parameters in group `g`. */
export function unixIo(group: string, number: number): number {
  return ((IOC_VOID | (groupByte(group) << 8) | checkInteger(number, "number", 0xff)) >>> 0);
}

/**
 * The SDK's `_IOR(g,n,t)` / `_IOW(g,n,t)`: a Unix-style code in group `g` whose parameter is
 * `size` bytes. `extra` is ORed into the command number, which the SDK does for two multicast
 * filter codes (`124 | IOC_IN`).
 */
export function unixIoRW(
  dir: "in" | "out",
  group: string,
  number: number,
  size: number,
  extra = 0,
): number {
  const io = dir === "in" ? IOC_IN : IOC_OUT;
  const n = checkInteger(number, "number", 0xff);
  return (io | ((checkInteger(size, "size", 0xffff) & IOCPARM_MASK) << 16) |
    (groupByte(group) << 8) | n | extra) >>> 0;
}

function groupByte(group: string): number {
  if (typeof group !== "string" || group.length !== 1 || group.charCodeAt(0) > 0x7e) {
    throw new TypeError(`group must be one ASCII character, got ${describe(group)}`);
  }
  return group.charCodeAt(0);
}
