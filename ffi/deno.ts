/**
 * The Deno adapter: opens native libraries with `Deno.dlopen`. Buffers are passed as `"buffer"`
 * parameters (the typed array itself, no per-call `UnsafePointer.of`), 64-bit values as `bigint`.
 *
 * Needs `--allow-ffi`. Imported lazily by `port.ts` when running under Deno.
 *
 * @module
 */

import {
  type Bound,
  libcNames,
  type Loader,
  type NativeFunction,
  type SymbolTable,
} from "./_types.ts";

let errnoView: Deno.UnsafePointerView | null | undefined;

function readErrno(): number {
  if (errnoView === undefined) {
    const { names, errnoSymbol } = libcNames(Deno.build.os);
    const lib = openFirst(names, {
      [errnoSymbol]: { parameters: [], result: "pointer" },
    } as Deno.ForeignLibraryInterface);
    // errno lives in thread-local storage and FFI calls run on this one thread: cache it.
    const pointer = (lib.symbols[errnoSymbol] as () => Deno.PointerValue)();
    errnoView = pointer === null ? null : new Deno.UnsafePointerView(pointer);
  }
  return errnoView === null ? 0 : errnoView.getInt32();
}

function openFirst(
  names: readonly string[],
  symbols: Deno.ForeignLibraryInterface,
): Deno.DynamicLibrary<Deno.ForeignLibraryInterface> {
  let first: unknown;
  for (const name of names) {
    try {
      return Deno.dlopen(name, symbols);
    } catch (e) {
      first ??= e;
    }
  }
  throw new Error(`wsioctl: cannot load ${names.join(" or ")} with Deno.dlopen`, {
    cause: first,
  });
}

/** The Deno implementation of the internal {@link Loader}. */
export const loader: Loader = {
  runtime: "deno",
  os: Deno.build.os,
  arch: Deno.build.arch,
  open<T extends SymbolTable>(names: readonly string[], table: T): Bound<T> {
    const symbols: Deno.ForeignLibraryInterface = {};
    for (const [name, s] of Object.entries(table)) {
      symbols[name] = {
        parameters: [...s.parameters] as Deno.NativeType[],
        result: s.result as Deno.NativeResultType,
        nonblocking: s.nonblocking ?? false,
        optional: s.optional ?? false,
      };
    }
    const lib = openFirst(names, symbols);
    const out: Record<string, NativeFunction> = {};
    for (const name of Object.keys(table)) {
      const fn = lib.symbols[name] as NativeFunction | null | undefined;
      if (typeof fn === "function") out[name] = fn;
    }
    // The one place where Deno's untyped symbols meet the table's derived type: `out` holds
    // exactly the table's functions (optional ones only when bound), built from the table itself.
    return out as Bound<T>;
  },
  address(view: ArrayBufferView): bigint {
    return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(view)));
  },
  errno: readErrno,
};
