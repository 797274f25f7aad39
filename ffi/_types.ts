/**
 * Internal: the runtime-neutral description of a native library. The symbol tables
 * (`ws2_32.ts`, `libc.ts`) are written in it; the runtime loaders (`deno.ts`, `bun.ts`,
 * `node.ts`) know how to open it; and the TypeScript type of every bound function follows from its
 * table entry ({@link Bound}), so no function signature is written twice.
 *
 * @module
 */

/**
 * A C parameter or result type, spelled as Deno spells it. `"buffer"` takes any
 * `ArrayBufferView` (or `null`) and passes its data pointer; 64-bit integers are `bigint`.
 */
export type NativeType =
  | "void"
  | "i32"
  | "u32"
  | "u16"
  | "i64"
  | "u64"
  | "isize"
  | "usize"
  | "buffer";

/** One C function: its parameter types and result type. */
export interface NativeSymbol {
  /** The parameter types, in order. */
  readonly parameters: readonly NativeType[];
  /** The result type. */
  readonly result: NativeType;
  /** Run the call on a worker thread and return a Promise (Deno `nonblocking`). */
  readonly nonblocking?: boolean;
  /** Resolve to `undefined` instead of failing when the library lacks the symbol. */
  readonly optional?: boolean;
}

/** The functions of one library, by C name. */
export type SymbolTable = Readonly<Record<string, NativeSymbol>>;

/**
 * The JavaScript value of one {@link NativeType}, as every loader passes and returns it:
 * 32- and 16-bit integers are numbers, 64-bit ones (and pointer-sized ones) bigints, a `"buffer"`
 * any view (or `null` for a NULL pointer), `"void"` nothing.
 */
export type NativeValue<T extends NativeType> = T extends "i32" | "u32" | "u16" ? number
  : T extends "i64" | "u64" | "isize" | "usize" ? bigint
  : T extends "buffer" ? ArrayBufferView | null
  : T extends "void" ? void
  : never;

/** The JavaScript parameter list of a C parameter list. */
export type NativeParameters<P extends readonly NativeType[]> = {
  -readonly [I in keyof P]: NativeValue<P[I]>;
};

/**
 * The bound function of one table entry: its parameters and result mapped by
 * {@link NativeValue}; a `nonblocking` one returns a Promise of its result.
 */
export type BoundFunction<S extends NativeSymbol> = (
  ...args: NativeParameters<S["parameters"]>
) => S["nonblocking"] extends true ? Promise<NativeValue<S["result"]>>
  : NativeValue<S["result"]>;

/**
 * What opening a table yields: one function per entry, typed by {@link BoundFunction}; an
 * `optional` entry may be absent (`undefined`) when the library lacks the symbol.
 */
export type Bound<T extends SymbolTable> =
  & { readonly [K in keyof T as T[K]["optional"] extends true ? never : K]: BoundFunction<T[K]> }
  & { readonly [K in keyof T as T[K]["optional"] extends true ? K : never]?: BoundFunction<T[K]> };

/**
 * A function as a loader builds it, before it is seen through its table's {@link Bound} type.
 * Only the loaders (and test fakes standing in for one) handle functions of this type.
 */
export type NativeFunction = (...args: never[]) => unknown;

/**
 * What a runtime adapter provides: opening libraries, pointers of buffers, bounded reads of native
 * memory, errno.
 */
export interface Loader {
  /** The JavaScript runtime. */
  readonly runtime: "deno" | "bun" | "node";
  /** The FFI the loader binds with: `"Deno.dlopen"`, `"bun:ffi"`, `"node:ffi"` or `"koffi"`. */
  readonly ffi: string;
  /**
   * `true` when a `nonblocking` function runs on a worker thread (Deno, koffi); `false` when it
   * runs on the calling thread and its Promise is settled on return (bun:ffi, node:ffi), so a
   * caller waits in slices of zero time and yields between them.
   */
  readonly workerThreads: boolean;
  /** The operating system: `"windows"`, `"linux"`, `"darwin"`, `"freebsd"`, …. */
  readonly os: string;
  /** The CPU architecture: `"x86_64"` or `"aarch64"` (others as the runtime names them). */
  readonly arch: string;
  /**
   * Opens the first of `names` that loads and binds every symbol of `table`.
   *
   * @param names Library file names to try in order.
   * @param table The symbols to bind.
   * @returns The bound functions by name, typed by the table (a missing optional symbol is
   * absent).
   * @throws {Error} when no name loads; when the runtime denied the FFI permission, the message
   * says so first.
   */
  open<T extends SymbolTable>(names: readonly string[], table: T): Bound<T>;
  /**
   * The native address of a view's first byte.
   *
   * @param view Any ArrayBufferView.
   * @returns The address.
   */
  address(view: ArrayBufferView): bigint;
  /**
   * Copies `length` bytes of native memory at `address` into the start of `into`: for memory a
   * native call of this layer has just handed out and not yet released (the list `getifaddrs`
   * returns), never for an address that came from outside the native layer. The arguments are
   * checked by {@link checkNativeRead} first: nothing is read past `length`, and `length` never
   * exceeds `into` nor {@link MAX_NATIVE_READ}.
   *
   * @param address The native address of the first byte (not 0).
   * @param into Receives the bytes (a buffer of the native layer's own).
   * @param length How many bytes to copy.
   * @throws {RangeError} when `address` is 0 or not a 64-bit address, or `length` is not an
   * integer in 0..min(into.length, MAX_NATIVE_READ).
   */
  read(address: bigint, into: Uint8Array, length: number): void;
  /**
   * Binds a C function by its native address, typed like a table entry: for the functions
   * Winsock hands out only as pointers (SIO_GET_EXTENSION_FUNCTION_POINTER: `WSARecvMsg`,
   * `WSASendMsg`). Bound once per pointer by its user, never per call. Absent where the FFI binds
   * functions by name only (`node:ffi` as of Node.js 26.12: `DynamicLibrary.getFunction` takes a
   * symbol name, and nothing calls an address).
   *
   * @param pointer The function's address (not 0).
   * @param symbol Its parameter and result types (not `nonblocking`).
   * @returns The bound function.
   * @throws {RangeError} when `pointer` is 0 or not a 64-bit address.
   */
  callable?<S extends NativeSymbol>(pointer: bigint, symbol: S): BoundFunction<S>;
  /**
   * The calling thread's `errno` as left by the most recent native call (POSIX only).
   *
   * @returns errno.
   */
  errno(): number;
}

/**
 * A `nonblocking` function for an FFI without worker-thread calls: it runs on the calling thread
 * and returns its result as a settled Promise (see {@link Loader.workerThreads}).
 *
 * @param fn The bound function.
 * @returns The same call, returning a Promise.
 */
export function onCallingThread(fn: (...args: unknown[]) => unknown): NativeFunction {
  return ((...args: unknown[]) => Promise.resolve(fn(...args))) as NativeFunction;
}

/** The most bytes one {@link Loader.read} copies: native structs are read one at a time. */
export const MAX_NATIVE_READ = 4096;

/**
 * The checks every loader runs before {@link Loader.read} touches native memory.
 *
 * @param address The native address.
 * @param into The destination.
 * @param length The bytes to copy.
 * @throws {RangeError} when `address` is 0 or outside 64 bits, or `length` is not an integer in
 * 0..min(into.length, MAX_NATIVE_READ).
 */
export function checkNativeRead(address: bigint, into: Uint8Array, length: number): void {
  if (typeof address !== "bigint" || address <= 0n || address >= 1n << 64n) {
    throw new RangeError(`native read: ${String(address)} is not a native address`);
  }
  if (
    !Number.isInteger(length) || length < 0 || length > into.length || length > MAX_NATIVE_READ
  ) {
    throw new RangeError(
      `native read: ${length} bytes into ${into.length} (at most ${MAX_NATIVE_READ})`,
    );
  }
}

/**
 * The check every loader runs before {@link Loader.callable} binds an address.
 *
 * @param pointer The function's address.
 * @throws {RangeError} when `pointer` is 0 or outside 64 bits.
 */
export function checkFunctionPointer(pointer: bigint): void {
  if (typeof pointer !== "bigint" || pointer <= 0n || pointer >= 1n << 64n) {
    throw new RangeError(`native call: ${String(pointer)} is not a function address`);
  }
}

/** Where libc lives, and how errno is reached, per POSIX system. */
export function libcNames(os: string): { names: string[]; errnoSymbol: string } {
  switch (os) {
    case "darwin":
      return { names: ["libSystem.B.dylib", "/usr/lib/libSystem.B.dylib"], errnoSymbol: "__error" };
    case "linux":
      return { names: ["libc.so.6"], errnoSymbol: "__errno_location" };
    default:
      return { names: ["libc.so.7", "libc.so"], errnoSymbol: "__error" };
  }
}

/**
 * Normalizes Node's `process.arch` names to Deno's.
 *
 * @param arch `"x64"`, `"arm64"`, ….
 * @returns `"x86_64"`, `"aarch64"`, or `arch` unchanged.
 */
export function normalizeArch(arch: string): string {
  return arch === "x64" ? "x86_64" : arch === "arm64" ? "aarch64" : arch;
}
