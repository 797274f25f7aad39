/**
 * The shape of one row of the generated code table.
 *
 * @module
 */

import type { IoctlIo, IoctlType, IoctlTypeName } from "./bits.ts";

/**
 * The size of a buffer on 64-bit Windows: a number of bytes when it is fixed, otherwise a short
 * sentence starting with "variable" (or "optional", "size not documented") that says what it
 * depends on, e.g. `"variable: 16 bytes (sockaddr_in) or 28 (sockaddr_in6), by the socket's
 * family"`.
 */
export type BufferSize = number | string;

/** Everything the table knows about one control-code name. */
export interface IoctlInfo {
  /** The SDK name, e.g. `"SIO_KEEPALIVE_VALS"`. */
  readonly name: string;
  /** The control code, an unsigned 32-bit number. */
  readonly value: number;
  /** The direction its I/O/V bits declare. */
  readonly io: IoctlIo;
  /** The T bits: 0 Unix, 1 Winsock 2, 2 address family, 3 vendor. */
  readonly type: IoctlType;
  /** The T bits by name. */
  readonly typeName: IoctlTypeName;
  /** Bits 16–26: vendor, address family, or the Unix parameter size. */
  readonly family: number;
  /** Bits 0–15. */
  readonly code: number;
  /** The SDK header that defines the name. */
  readonly header: string;
  /** The first Windows version that has it. */
  readonly since?: string;
  /** What the input buffer carries. */
  readonly input?: string;
  /** What the output buffer carries. */
  readonly output?: string;
  /** The input buffer's size on 64-bit Windows. */
  readonly inputSize?: BufferSize;
  /** The output buffer's size on 64-bit Windows. */
  readonly outputSize?: BufferSize;
  /** The direction really used when it differs from the encoded bits. */
  readonly realIo?: IoctlIo;
  /** One line describing the code. */
  readonly summary: string;
  /** The macro text from the header, e.g. `_WSAIOW(IOC_VENDOR,4)`, or the aliased name. */
  readonly macro: string;
  /** Set when the header defines this name as another name. */
  readonly aliasOf?: string;
  /** The other names that have the same value. */
  readonly aliases: readonly string[];
  /** One of the 53 codes of the seed. */
  readonly seed: boolean;
  /** The seed's opcode setting where it differs from the header macro. */
  readonly seedOpcode?: string;
}
