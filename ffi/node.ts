/**
 * The Node.js loader, one of the three runtime loaders (with `deno.ts` and `bun.ts`) under the two
 * platform implementations (`windows.ts`, `posix.ts`): opens the symbol tables of `ws2_32.ts` /
 * `libc.ts` with koffi, an optional peer dependency of the npm package. When koffi is missing, the first native call throws an Error naming it (importing this
 * module never fails).
 *
 * Imported lazily by `select.ts` when running under Node.js.
 *
 * @module
 */

import {
  type Bound,
  type BoundFunction,
  checkFunctionPointer,
  checkNativeRead,
  type Loader,
  type NativeFunction,
  type NativeSymbol,
  normalizeArch,
  type SymbolTable,
} from "./_types.ts";

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

const TYPES: Record<string, string> = {
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
const WIDE = new Set(["i64", "u64", "isize", "usize"]);

// A non-literal specifier keeps bundlers and `deno check` from resolving the optional package.
const KOFFI = "koffi";
let koffi: Koffi | undefined;
let loadError: unknown;
try {
  const mod = (await import(KOFFI)) as { default?: Koffi } & Koffi;
  koffi = mod.default ?? mod;
} catch (e) {
  loadError = e;
}

function need(): Koffi {
  if (koffi === undefined) {
    throw new Error(
      "wsioctl on Node.js needs the optional peer dependency koffi: run `npm install koffi`",
      { cause: loadError },
    );
  }
  return koffi;
}

const proc = (globalThis as { process?: { platform?: string; arch?: string } }).process;
const platform = proc?.platform ?? "";
const os = platform === "win32" ? "windows" : platform;

/** The Node.js (koffi) implementation of the internal {@link Loader}. */
export const loader: Loader = {
  runtime: "node",
  os,
  arch: normalizeArch(proc?.arch ?? ""),
  open<T extends SymbolTable>(names: readonly string[], table: T): Bound<T> {
    const k = need();
    let lib: ReturnType<Koffi["load"]> | undefined;
    let first: unknown;
    for (const name of names) {
      try {
        lib = k.load(name);
        break;
      } catch (e) {
        first ??= e;
      }
    }
    if (lib === undefined) {
      throw new Error(`wsioctl: cannot load ${names.join(" or ")} with koffi`, { cause: first });
    }
    const out: Record<string, NativeFunction> = {};
    for (const [name, s] of Object.entries(table)) {
      let fn: KoffiFunction;
      try {
        fn = lib.func(name, TYPES[s.result], s.parameters.map((t) => TYPES[t]));
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
    return BigInt(need().address(view));
  },
  read(address: bigint, into: Uint8Array, length: number): void {
    checkNativeRead(address, into, length);
    if (length === 0) return;
    const k = need();
    let bytes: unknown;
    try {
      // `length` uint8_t values at `address`, copied into a new Uint8Array.
      bytes = k.decode(address, "uint8_t", length);
    } catch (e) {
      throw new Error(
        `wsioctl: koffi ${k.version ?? "(unknown version)"} cannot read native memory by ` +
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
    const k = need();
    const proto = k.proto(TYPES[symbol.result], symbol.parameters.map((t) => TYPES[t]));
    const fn = k.decode(pointer, proto) as (...args: unknown[]) => unknown;
    // As in `open`: the entry's types, 64-bit results as bigint.
    const bound = WIDE.has(symbol.result)
      ? (...args: unknown[]) => BigInt(fn(...args) as number | bigint)
      : fn;
    return bound as BoundFunction<S>;
  },
  errno(): number {
    // koffi saves errno right after each call.
    return need().errno();
  },
};
