/**
 * The Node.js loader, one of the three runtime loaders (with `deno.ts` and `bun.ts`) under the two
 * platform implementations (`windows.ts`, `posix.ts`): opens the symbol tables of `ws2_32.ts` /
 * `libc.ts` with Node's own `node:ffi` where the running Node has it enabled (Node.js 26.1 and
 * later; `--experimental-ffi` where it is off by default, `--no-experimental-ffi` turns it off),
 * and with koffi, an optional peer dependency of the npm package, otherwise. The choice is made
 * once, by {@link nodeLoader}, on the first native call; without either FFI that call throws an
 * Error naming both ways out.
 *
 * Both are reached synchronously: `node:ffi` through `process.getBuiltinModule`, koffi through a
 * `require` made by `module.createRequire` for this module's URL (so it resolves from where the
 * package is installed). Evaluating this module needs nothing of Node and awaits nothing, so
 * `select.ts` imports it statically on every runtime and `require("wsioctl")` works wherever
 * Node's `require(esm)` does.
 *
 * koffi also binds a C function by its address (`Loader.callable`, for the pointers Winsock hands
 * out); `node:ffi` cannot (as of Node.js 26.12 it binds functions by symbol name only), so its
 * loader has no `callable`.
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
  type NativeType,
  normalizeArch,
  onCallingThread,
  type SymbolTable,
} from "./_types.ts";

/** What this adapter reads of Node's `process`. */
interface NodeProcess {
  platform?: string;
  arch?: string;
  getBuiltinModule?(id: string): unknown;
}

/** The part of koffi this adapter uses. */
interface Koffi {
  load(path: string): {
    func(name: string, result: string, parameters: string[]): KoffiFunction;
  };
  address(value: unknown): bigint;
  decode(pointer: bigint, type: unknown, length?: number): unknown;
  proto(result: string, parameters: string[]): unknown;
  errno(): number;
  readonly version?: string;
}

interface KoffiFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}

/** The part of `node:ffi` this adapter uses. */
interface NodeFfi {
  DynamicLibrary: new (path: string) => {
    getFunction(
      name: string,
      signature: { arguments: string[]; return: string },
    ): (...args: unknown[]) => unknown;
  };
  getInt32(pointer: bigint, offset?: number): number;
  getRawPointer(source: ArrayBufferView): bigint;
  toArrayBuffer(pointer: bigint, length: number, copy?: boolean): ArrayBuffer;
}

/**
 * The message of the error the first native call throws when Node has no FFI to offer: it names
 * both ways out.
 */
export const NO_NODE_FFI =
  "wsioctl on Node.js needs an FFI: node:ffi (Node.js 26.1 or later, run with --experimental-ffi " +
  "where it is not on by default) or koffi (`npm install koffi`)";

/**
 * The Node.js implementation of the internal {@link Loader}: `node:ffi` when the running Node has
 * it enabled, koffi otherwise.
 *
 * @returns The loader (it opens nothing until asked).
 * @throws {Error} {@link NO_NODE_FFI} (koffi's resolution failure as the cause) when neither
 * `node:ffi` nor koffi is there; when `process.getBuiltinModule` is missing (Node.js before
 * 20.16), an Error saying so.
 */
export function nodeLoader(): Loader {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc?.getBuiltinModule !== "function") {
    throw new Error("wsioctl needs Node.js 20.16 or later (process.getBuiltinModule)");
  }
  const platform = proc.platform ?? "";
  const os = platform === "win32" ? "windows" : platform;
  const arch = normalizeArch(proc.arch ?? "");
  // undefined when this Node has no node:ffi, or has it turned off.
  const nodeFfi = proc.getBuiltinModule("node:ffi") as NodeFfi | undefined;
  if (nodeFfi !== undefined) return nodeFfiLoader(nodeFfi, os, arch);
  let koffi: Koffi;
  try {
    const { createRequire } = proc.getBuiltinModule("node:module") as {
      createRequire(from: string): (id: string) => unknown;
    };
    const mod = createRequire(import.meta.url)("koffi") as { default?: Koffi } & Koffi;
    koffi = mod.default ?? mod;
  } catch (e) {
    throw new Error(NO_NODE_FFI, { cause: e });
  }
  return koffiLoader(koffi, os, arch);
}

/**
 * Tries `names` in order with `load`; the first that loads wins.
 *
 * @throws {Error} naming every name and the FFI, with the first failure as the cause; when Node's
 * permission model refused the FFI, the message says how to allow it.
 */
function openFirst<L>(names: readonly string[], ffi: string, load: (name: string) => L): L {
  let first: unknown;
  for (const name of names) {
    try {
      return load(name);
    } catch (e) {
      first ??= e;
    }
  }
  if ((first as { code?: unknown } | undefined)?.code === "ERR_ACCESS_DENIED") {
    throw new Error(
      `wsioctl: the FFI permission is missing: run Node with --allow-ffi (it refused to load ${
        names.join(" or ")
      })`,
      { cause: first },
    );
  }
  throw new Error(`wsioctl: cannot load ${names.join(" or ")} with ${ffi}`, { cause: first });
}

/** The table's types as node:ffi spells them (64-bit values are bigints both ways). */
const NODE_FFI_TYPES: Readonly<Record<NativeType, string>> = {
  void: "void",
  i32: "i32",
  u32: "u32",
  u16: "u16",
  i64: "i64",
  u64: "u64",
  isize: "i64",
  usize: "u64",
  buffer: "buffer",
};

function nodeFfiLoader(ffi: NodeFfi, os: string, arch: string): Loader {
  type Library = InstanceType<NodeFfi["DynamicLibrary"]>;
  const load = (names: readonly string[]): Library =>
    openFirst(names, "node:ffi", (name) => new ffi.DynamicLibrary(name));
  // errno's address: thread-local, and every call runs on this thread, so it is found once. It
  // is found when the first library opens, before any call can fail: finding it (dlopen, dlsym)
  // may itself change errno, which must not happen between a failed call and errno().
  let errnoPointer: bigint | undefined;
  const findErrno = (): bigint => {
    const { names, errnoSymbol } = libcNames(os);
    return load(names).getFunction(errnoSymbol, { arguments: [], return: "pointer" })() as bigint;
  };
  return {
    runtime: "node",
    ffi: "node:ffi",
    workerThreads: false,
    os,
    arch,
    open<T extends SymbolTable>(names: readonly string[], table: T): Bound<T> {
      const lib = load(names);
      if (errnoPointer === undefined && os !== "windows") errnoPointer = findErrno();
      const out: Record<string, NativeFunction> = {};
      for (const [name, s] of Object.entries(table)) {
        let fn: (...args: unknown[]) => unknown;
        try {
          fn = lib.getFunction(name, {
            arguments: s.parameters.map((t) => NODE_FFI_TYPES[t]),
            return: NODE_FFI_TYPES[s.result],
          });
        } catch (e) {
          if (s.optional) continue;
          throw e;
        }
        // No worker-thread calls in node:ffi: callers poll with a zero timeout instead.
        out[name] = s.nonblocking ? onCallingThread(fn) : fn as NativeFunction;
      }
      // The one place where node:ffi's untyped functions meet the table's derived type: `out`
      // holds exactly the table's functions (optional ones only when bound), built from the table.
      return out as Bound<T>;
    },
    address(view: ArrayBufferView): bigint {
      return ffi.getRawPointer(view);
    },
    read(address: bigint, into: Uint8Array, length: number): void {
      checkNativeRead(address, into, length);
      if (length === 0) return;
      // A view of the native bytes (no copy), copied out at once and dropped.
      into.set(new Uint8Array(ffi.toArrayBuffer(address, length, false)));
    },
    errno(): number {
      errnoPointer ??= findErrno();
      return ffi.getInt32(errnoPointer);
    },
  };
}

/** The table's types as koffi spells them. */
const KOFFI_TYPES: Readonly<Record<NativeType, string>> = {
  void: "void",
  i32: "int32_t",
  u32: "uint32_t",
  u16: "uint16_t",
  i64: "int64_t",
  u64: "uint64_t",
  isize: "intptr_t",
  usize: "uintptr_t",
  buffer: "void *",
};
const WIDE: ReadonlySet<NativeType> = new Set(["i64", "u64", "isize", "usize"]);

function koffiLoader(koffi: Koffi, os: string, arch: string): Loader {
  return {
    runtime: "node",
    ffi: "koffi",
    workerThreads: true,
    os,
    arch,
    open<T extends SymbolTable>(names: readonly string[], table: T): Bound<T> {
      const lib = openFirst(names, "koffi", (name) => koffi.load(name));
      const out: Record<string, NativeFunction> = {};
      for (const [name, s] of Object.entries(table)) {
        let fn: KoffiFunction;
        try {
          fn = lib.func(name, KOFFI_TYPES[s.result], s.parameters.map((t) => KOFFI_TYPES[t]));
        } catch (e) {
          if (s.optional) continue;
          throw e;
        }
        let bound: (...args: unknown[]) => unknown = fn;
        if (s.nonblocking) {
          bound = (...args: unknown[]) =>
            new Promise((resolve, reject) =>
              fn.async(...args, (err: unknown, res: unknown) => err ? reject(err) : resolve(res))
            );
        } else if (WIDE.has(s.result)) {
          // koffi returns small 64-bit values as numbers; the library's contract is bigint.
          bound = (...args: unknown[]) => BigInt(fn(...args) as number | bigint);
        }
        out[name] = bound as NativeFunction;
      }
      // The one place where koffi's untyped functions meet the table's derived type: `out` holds
      // exactly the table's functions (optional ones only when bound), built from the table itself.
      return out as Bound<T>;
    },
    address(view: ArrayBufferView): bigint {
      return BigInt(koffi.address(view));
    },
    read(address: bigint, into: Uint8Array, length: number): void {
      checkNativeRead(address, into, length);
      if (length === 0) return;
      let bytes: unknown;
      try {
        // `length` uint8_t values at `address`, copied into a new Uint8Array.
        bytes = koffi.decode(address, "uint8_t", length);
      } catch (e) {
        throw new Error(
          `wsioctl: koffi ${koffi.version ?? "(unknown version)"} cannot read native memory by ` +
            "address (koffi 3 takes pointers as BigInt)",
          { cause: e },
        );
      }
      if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
        throw new Error(`wsioctl: koffi decoded ${String(bytes)} for ${length} native bytes`);
      }
      into.set(bytes);
    },
    callable<S extends NativeSymbol>(pointer: bigint, symbol: S): BoundFunction<S> {
      checkFunctionPointer(pointer);
      const proto = koffi.proto(
        KOFFI_TYPES[symbol.result],
        symbol.parameters.map((t) => KOFFI_TYPES[t]),
      );
      const fn = koffi.decode(pointer, proto) as (...args: unknown[]) => unknown;
      // As in `open`: the entry's types, 64-bit results as bigint.
      const bound = WIDE.has(symbol.result)
        ? (...args: unknown[]) => BigInt(fn(...args) as number | bigint)
        : fn;
      return bound as BoundFunction<S>;
    },
    errno(): number {
      // koffi saves errno right after each call.
      return koffi.errno();
    },
  };
}
