/**
 * The Deno loader, one of the three runtime loaders (with `bun.ts` and `node.ts`) under the two
 * platform implementations (`windows.ts`, `posix.ts`): opens the symbol tables of `ws2_32.ts` /
 * `libc.ts` with `Deno.dlopen`. Buffers are passed as `"buffer"`
 * parameters (the typed array itself, no per-call `UnsafePointer.of`), 64-bit values as `bigint`.
 *
 * Needs `--allow-ffi`: without it, opening a library throws an Error whose message says so first
 * (Deno's `NotCapable` / `PermissionDenied` as its `cause`). Evaluating this module touches no
 * `Deno` API, so `select.ts` imports it statically on every runtime and calls {@link denoLoader}
 * only under Deno.
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
  type SymbolTable,
} from "./_types.ts";

let errnoCell: Int32Array | null | undefined;

function readErrno(): number {
  if (errnoCell === undefined) {
    const { names, errnoSymbol } = libcNames(Deno.build.os);
    const lib = openFirst(names, {
      [errnoSymbol]: { parameters: [], result: "pointer" },
    } as Deno.ForeignLibraryInterface);
    // errno lives in thread-local storage and FFI calls run on this one thread: cache it, as a
    // typed array over the native int (reading it is then a plain load, not an FFI call).
    const pointer = (lib.symbols[errnoSymbol] as () => Deno.PointerValue)();
    errnoCell = pointer === null
      ? null
      : new Int32Array(Deno.UnsafePointerView.getArrayBuffer(pointer, 4));
  }
  return errnoCell === null ? 0 : errnoCell[0];
}

/**
 * `true` when `e` is Deno refusing a permission: `Deno.errors.NotCapable` since Deno 2,
 * `PermissionDenied` before (and in Deno 2 for an OS-level denial).
 */
function permissionDenied(e: unknown): boolean {
  // Optional: a Deno without NotCapable (1.x) must not make `instanceof` throw.
  const errors: { NotCapable?: ErrorClass; PermissionDenied?: ErrorClass } = Deno.errors;
  return (errors.NotCapable !== undefined && e instanceof errors.NotCapable) ||
    (errors.PermissionDenied !== undefined && e instanceof errors.PermissionDenied);
}

type ErrorClass = new (message?: string, options?: ErrorOptions) => Error;

function openFirst(
  names: readonly string[],
  symbols: Deno.ForeignLibraryInterface,
): Deno.DynamicLibrary<Deno.ForeignLibraryInterface> {
  let first: unknown;
  let denied: unknown;
  for (const name of names) {
    try {
      return Deno.dlopen(name, symbols);
    } catch (e) {
      first ??= e;
      if (denied === undefined && permissionDenied(e)) denied = e;
    }
  }
  if (denied !== undefined) {
    // The usual first run without the flag: say what is missing first, not "cannot load
    // libc.so.6", which reads like a missing library (Deno's own words stay in the cause).
    throw new Error(
      `wsioctl: the FFI permission is missing: run Deno with --allow-ffi (it refused to load ${
        names.join(" or ")
      })`,
      { cause: denied },
    );
  }
  throw new Error(`wsioctl: cannot load ${names.join(" or ")} with Deno.dlopen`, {
    cause: first,
  });
}

/**
 * The Deno implementation of the internal {@link Loader}.
 *
 * @returns The loader (it opens nothing until asked).
 */
export function denoLoader(): Loader {
  return {
    runtime: "deno",
    ffi: "Deno.dlopen",
    workerThreads: true,
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
    read(address: bigint, into: Uint8Array, length: number): void {
      checkNativeRead(address, into, length);
      if (length === 0) return;
      const pointer = Deno.UnsafePointer.create(address);
      if (pointer === null) throw new RangeError("native read: a NULL pointer");
      new Deno.UnsafePointerView(pointer).copyInto(into.subarray(0, length));
    },
    callable<S extends NativeSymbol>(pointer: bigint, symbol: S): BoundFunction<S> {
      checkFunctionPointer(pointer);
      const fn = new Deno.UnsafeFnPointer(Deno.UnsafePointer.create(pointer)!, {
        parameters: [...symbol.parameters] as Deno.NativeType[],
        result: symbol.result as Deno.NativeResultType,
      });
      // As in `open`: the call's types are the entry's, which the bound type is derived from.
      return ((...args: unknown[]) =>
        (fn.call as (...a: unknown[]) => unknown)(...args)) as BoundFunction<S>;
    },
    errno: readErrno,
  };
}
