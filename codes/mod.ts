/**
 * Every Winsock control code as a constant, with metadata, lookups, and the bitfield encoder and
 * decoder. Pure code: no FFI, importable anywhere.
 *
 * @example
 * ```ts
 * import { decodeIoctl, lookupIoctl, SIO_KEEPALIVE_VALS } from "@x/wsioctl/codes";
 *
 * console.log(SIO_KEEPALIVE_VALS.toString(16)); // "98000004"
 * console.log(lookupIoctl(SIO_KEEPALIVE_VALS)[0].input); // "tcp_keepalive"
 * console.log(decodeIoctl(SIO_KEEPALIVE_VALS).typeName); // "vendor"
 * ```
 *
 * @module
 */

export * from "./generated.ts";
export type { BufferSize, IoctlInfo } from "./types.ts";
export { formatCode, ioctlLabel, ioctlName, lookupIoctl } from "./lookup.ts";
export { UNIX_IOCTLS } from "./unix.ts";
export {
  type DecodedIoctl,
  decodeIoctl,
  encodeIoctl,
  IOC_IN,
  IOC_INOUT,
  IOC_OUT,
  IOC_TYPE_MACROS,
  IOC_TYPES,
  IOC_VOID,
  type IoctlFields,
  type IoctlIo,
  type IoctlType,
  type IoctlTypeName,
  type IocTypeMacro,
} from "./bits.ts";
