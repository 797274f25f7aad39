/**
 * Internal: the runtime-neutral description of a native library that the runtime adapters
 * (`deno.ts`, `bun.ts`, `node.ts`) know how to open, and that the symbol tables (`windows.ts`,
 * `posix.ts`) are written in.
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

/** A function of an opened library. Results typed by the table's companion interface. */
export type NativeFunction = (...args: never[]) => unknown;

/** What a runtime adapter provides: opening libraries, pointers of buffers, errno. */
export interface Loader {
  /** The JavaScript runtime. */
  readonly runtime: "deno" | "bun" | "node";
  /** The operating system: `"windows"`, `"linux"`, `"darwin"`, `"freebsd"`, …. */
  readonly os: string;
  /** The CPU architecture: `"x86_64"` or `"aarch64"` (others as the runtime names them). */
  readonly arch: string;
  /**
   * Opens the first of `names` that loads and binds every symbol of `table`.
   *
   * @param names Library file names to try in order.
   * @param table The symbols to bind.
   * @returns The bound functions by name (a missing optional symbol is absent).
   * @throws {Error} when no name loads.
   */
  open(names: readonly string[], table: SymbolTable): Record<string, NativeFunction>;
  /**
   * The native address of a view's first byte.
   *
   * @param view Any ArrayBufferView.
   * @returns The address.
   */
  address(view: ArrayBufferView): bigint;
  /**
   * The calling thread's `errno` as left by the most recent native call (POSIX only).
   *
   * @returns errno.
   */
  errno(): number;
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
