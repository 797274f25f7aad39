/**
 * The Bun loader, one of the three runtime loaders (with `deno.ts` and `node.ts`) under the two
 * platform implementations (`windows.ts`, `posix.ts`): opens the symbol tables of `ws2_32.ts` /
 * `libc.ts` with `bun:ffi`'s `dlopen`. Typed arrays are passed directly for pointer parameters
 * (no per-call `ptr()`), 64-bit values as `bigint`.
 *
 * `bun:ffi` is reached through `process.getBuiltinModule` when {@link bunLoader} runs (only under
 * Bun): evaluating this module needs nothing of Bun, so `select.ts` imports it statically on every
 * runtime, with no top-level await. The few `bun:ffi` types used are declared here, so no Bun type
 * leaks into an exported signature.
 *
 * @module
 */

import {
  type Bound,
  type BoundFunction,
  checkFunctionPointer,
  checkNativeRead,
  libcNames,
  type Loader,
  type NativeFunction,
  type NativeSymbol,
  normalizeArch,
  onCallingThread,
  type SymbolTable,
} from "./_types.ts";

/** The part of `bun:ffi` this adapter uses. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: readonly number[]; returns: number }>,
  ): { symbols: Record<string, NativeFunction>; close(): void };
  ptr(view: ArrayBufferView, byteOffset?: number): number;
  read: { i32(pointer: number, byteOffset?: number): number };
  toArrayBuffer(pointer: number, byteOffset: number, byteLength: number): ArrayBuffer;
  CFunction(def: { ptr: number; args: readonly number[]; returns: number }): NativeFunction;
  FFIType: Record<string, number>;
}

/** What this adapter reads of Bun's `process`. */
interface BunProcess {
  platform?: string;
  arch?: string;
  getBuiltinModule?(id: string): unknown;
}

/**
 * The Bun implementation of the internal {@link Loader}.
 *
 * @returns The loader (it opens nothing until asked).
 * @throws {Error} when `bun:ffi` cannot be had (not Bun, or a Bun without
 * `process.getBuiltinModule`).
 */
export function bunLoader(): Loader {
  const proc = (globalThis as { process?: BunProcess }).process;
  const ffi = proc?.getBuiltinModule?.("bun:ffi") as BunFfi | undefined;
  if (ffi === undefined) {
    throw new Error(
      "wsioctl: bun:ffi is not available (process.getBuiltinModule, Bun 1.1 or later)",
    );
  }
  const T = ffi.FFIType;
  const TYPES: Record<string, number> = {
    void: T.void,
    i32: T.i32,
    u32: T.u32,
    u16: T.u16,
    i64: T.i64,
    u64: T.u64,
    isize: T.i64,
    usize: T.u64,
    buffer: T.ptr,
  };
  const platform = proc?.platform ?? "";
  const os = platform === "win32" ? "windows" : platform;

  const openFirst = (
    names: readonly string[],
    symbols: Record<string, { args: number[]; returns: number }>,
  ): Record<string, NativeFunction> => {
    let first: unknown;
    for (const name of names) {
      try {
        return ffi.dlopen(name, symbols).symbols;
      } catch (e) {
        first ??= e;
      }
    }
    throw new Error(`wsioctl: cannot load ${names.join(" or ")} with bun:ffi`, { cause: first });
  };

  let errnoPointer: number | undefined;

  return {
    runtime: "bun",
    ffi: "bun:ffi",
    workerThreads: false,
    os,
    arch: normalizeArch(proc?.arch ?? ""),
    open<T extends SymbolTable>(names: readonly string[], table: T): Bound<T> {
      const symbols: Record<string, { args: number[]; returns: number }> = {};
      for (const [name, s] of Object.entries(table)) {
        if (s.optional) continue;
        symbols[name] = { args: s.parameters.map((t) => TYPES[t]), returns: TYPES[s.result] };
      }
      // (bun:ffi refuses a dlopen with no symbols.)
      const out = Object.keys(symbols).length === 0 ? {} : { ...openFirst(names, symbols) };
      // Bun fails the whole dlopen on a missing symbol: bind optional ones one at a time.
      for (const [name, s] of Object.entries(table)) {
        if (!s.optional) continue;
        try {
          const one = openFirst(names, {
            [name]: { args: s.parameters.map((t) => TYPES[t]), returns: TYPES[s.result] },
          });
          out[name] = one[name];
        } catch {
          // absent: left out
        }
      }
      for (const [name, s] of Object.entries(table)) {
        const fn = out[name] as ((...args: unknown[]) => unknown) | undefined;
        // No worker-thread calls in bun:ffi: callers poll with a zero timeout instead.
        if (s.nonblocking && fn !== undefined) out[name] = onCallingThread(fn);
      }
      // The one place where bun:ffi's untyped symbols meet the table's derived type: `out` holds
      // exactly the table's functions (optional ones only when bound), built from the table itself.
      return out as Bound<T>;
    },
    address(view: ArrayBufferView): bigint {
      return BigInt(ffi.ptr(view));
    },
    read(address: bigint, into: Uint8Array, length: number): void {
      checkNativeRead(address, into, length);
      if (length === 0) return;
      // bun:ffi pointers are numbers: exact up to 2^53, far above any user-space address.
      if (address > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new RangeError(`native read: 0x${address.toString(16)} is beyond bun:ffi's pointers`);
      }
      // A view of the native bytes (no copy), copied out at once and dropped.
      into.set(new Uint8Array(ffi.toArrayBuffer(Number(address), 0, length)));
    },
    callable<S extends NativeSymbol>(pointer: bigint, symbol: S): BoundFunction<S> {
      checkFunctionPointer(pointer);
      if (pointer > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new RangeError(`native call: 0x${pointer.toString(16)} is beyond bun:ffi's pointers`);
      }
      // As in `open`: the call's types are the entry's, which the bound type is derived from.
      return ffi.CFunction({
        ptr: Number(pointer),
        args: symbol.parameters.map((t) => TYPES[t]),
        returns: TYPES[symbol.result],
      }) as BoundFunction<S>;
    },
    errno(): number {
      if (errnoPointer === undefined) {
        const { names, errnoSymbol } = libcNames(os);
        const lib = openFirst(names, { [errnoSymbol]: { args: [], returns: T.ptr } });
        errnoPointer = (lib[errnoSymbol] as () => number)();
      }
      return ffi.read.i32(errnoPointer);
    },
  };
}
