/**
 * A recording stand-in for a runtime adapter (the internal `Loader`): every C function of every
 * table it opens records its arguments and answers from `answers` (0 by default). With it the
 * POSIX native layer runs on any machine as if it were another OS or CPU, and a test can prove which
 * native calls were made, in which order, or that none was.
 */

import type { Bound, Loader, NativeFunction, SymbolTable } from "../../ffi/_types.ts";

/** One recorded native call. */
export interface NativeCall {
  /** The C function's name. */
  name: string;
  /** Its arguments, as the native layer passed them. */
  args: unknown[];
}

/** What a C function answers: a fixed value, or one computed from the arguments. */
export type Answer = number | bigint | ((...args: unknown[]) => number | bigint);

/** The fake adapter and what it saw. */
export interface FakeLoader {
  /** Hand this to `createPosixApi`. */
  loader: Loader;
  /** Every call made so far, oldest first. */
  calls: NativeCall[];
  /** The errno the next `loader.errno()` reports. */
  errno: { value: number };
  /** The names of the calls made so far. */
  names(): string[];
}

/**
 * Builds a fake adapter for `os` on `arch`.
 *
 * @param os E.g. `"linux"`, `"darwin"`, `"freebsd"`.
 * @param arch E.g. `"x86_64"`, `"aarch64"`, `"ppc64"`.
 * @param answers Per C function, what it returns (default 0).
 */
export function fakeLoader(
  os: string,
  arch: string,
  answers: Record<string, Answer> = {},
): FakeLoader {
  const calls: NativeCall[] = [];
  const errno = { value: 0 };
  const loader: Loader = {
    runtime: "node",
    os,
    arch,
    open<T extends SymbolTable>(_names: readonly string[], table: T): Bound<T> {
      const out: Record<string, NativeFunction> = {};
      for (const name of Object.keys(table)) {
        out[name] = ((...args: unknown[]) => {
          calls.push({ name, args });
          const a = answers[name] ?? 0;
          return typeof a === "function" ? a(...args) : a;
        }) as NativeFunction;
      }
      // As in the real loaders: one recording function per entry of `table`, seen through the
      // table's derived type.
      return out as Bound<T>;
    },
    address: () => 0n,
    errno: () => errno.value,
  };
  return { loader, calls, errno, names: () => calls.map((c) => c.name) };
}
