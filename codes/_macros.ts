/**
 * Internal: the SDK's code-building macros (`_WSAIO`, `_WSAIOR`, `_WSAIOW`, `_WSAIORW`, `_IO`,
 * `_IOR`, `_IOW`) as functions that return the C text together with the value, computed from the
 * bit layout in `bits.ts`. The spec tables (`spec/*.ts`) are written with them.
 *
 * @module
 */

import {
  encodeIoctl,
  IOC_IN,
  type IoctlIo,
  type IocTypeMacro,
  unixIo,
  unixIoRW,
  wsaio,
} from "./bits.ts";

/** The C text of a macro and the value it yields. */
export interface MacroForm {
  /** The macro as the header writes it, e.g. `_WSAIOW(IOC_VENDOR,4)`. */
  text: string;
  /** Its value, computed from the bit layout. */
  value: number;
}

/** Parameter types of the Unix-style macros and their size on 64-bit Windows (LLP64). */
const UNIX_PARAM_SIZES = { u_long: 4, ULONG: 4 } as const;
export type UnixParam = keyof typeof UNIX_PARAM_SIZES;

const TYPE_OF: Record<IocTypeMacro, 0 | 1 | 2 | 3> = {
  IOC_UNIX: 0,
  IOC_WS2: 1,
  IOC_PROTOCOL: 2,
  IOC_VENDOR: 3,
};

function wsa(io: IoctlIo, macro: string, type: IocTypeMacro, code: number, family = 0): MacroForm {
  const t = TYPE_OF[type];
  const value = io === "void" ? wsaio(t, code, family) : encodeIoctl({ io, type: t, family, code });
  const x = family === 0 ? type : `${type}|(${family}<<16)`;
  return { text: `${macro}(${x},${code})`, value };
}

/** `_WSAIO(x,y)`: no parameters. */
export const WSAIO = (type: IocTypeMacro, code: number): MacroForm =>
  wsa("void", "_WSAIO", type, code);
/** `_WSAIOR(x,y)`: output buffer. */
export const WSAIOR = (type: IocTypeMacro, code: number, family = 0): MacroForm =>
  wsa("out", "_WSAIOR", type, code, family);
/** `_WSAIOW(x,y)`: input buffer. */
export const WSAIOW = (type: IocTypeMacro, code: number, family = 0): MacroForm =>
  wsa("in", "_WSAIOW", type, code, family);
/** `_WSAIORW(x,y)`: input and output buffers. */
export const WSAIORW = (type: IocTypeMacro, code: number, family = 0): MacroForm =>
  wsa("inout", "_WSAIORW", type, code, family);
/** `_IO(g,n)`. */
export const IO = (group: string, n: number): MacroForm => ({
  text: `_IO('${group}',${n})`,
  value: unixIo(group, n),
});
/** `_IOR(g,n,t)`. */
export const IOR = (group: string, n: number, t: UnixParam): MacroForm => ({
  text: `_IOR('${group}',${n},${t})`,
  value: unixIoRW("out", group, n, UNIX_PARAM_SIZES[t]),
});
/** `_IOW(g,n,t)`; `orIn` reproduces the SDK's `n | IOC_IN` spelling of two codes. */
export const IOW = (group: string, n: number, t: UnixParam, orIn = false): MacroForm => ({
  text: `_IOW('${group}',${n}${orIn ? " | IOC_IN" : ""},${t})`,
  value: unixIoRW("in", group, n, UNIX_PARAM_SIZES[t], orIn ? IOC_IN : 0),
});

/** Where a name comes from: the header and first Windows version. */
