/**
 * A recording stand-in for a runtime adapter (the internal `Loader`): every C function of every
 * table it opens records its arguments and answers from `answers` (0 by default). With it the
 * POSIX native layer runs on any machine as if it were another OS or CPU, and a test can prove which
 * native calls were made, in which order, or that none was.
 */

import {
  type Bound,
  checkNativeRead,
  type Loader,
  type NativeFunction,
  type SymbolTable,
} from "../../ffi/_types.ts";

/** One recorded native call. */
export interface NativeCall {
  /** The C function's name. */
  name: string;
  /** Its arguments, as the native layer passed them. */
  args: unknown[];
}

/** What a C function answers: a fixed value, or one computed from the arguments. */
export type Answer = number | bigint | ((...args: unknown[]) => number | bigint);

/**
 * The native memory a fake adapter serves: byte segments placed at made-up addresses, read by
 * `loader.read` (a read that leaves every segment throws, as a real one would crash), and the
 * made-up native addresses `loader.address` gives the views handed to it.
 */
export class FakeMemory {
  readonly #segments: { start: bigint; bytes: Uint8Array }[] = [];
  readonly #bases = new WeakMap<ArrayBufferLike, bigint>();
  #nextBase = 0x7e0000000000n;
  /** How many reads were served. */
  reads = 0;

  /**
   * Places `bytes` (kept, not copied) at `address`.
   *
   * @returns `address`.
   */
  map(address: bigint, bytes: Uint8Array): bigint {
    this.#segments.push({ start: address, bytes });
    return address;
  }

  /** The read behind `loader.read`: checked like the real loaders, then served from a segment. */
  read(address: bigint, into: Uint8Array, length: number): void {
    checkNativeRead(address, into, length);
    this.reads++;
    for (const { start, bytes } of this.#segments) {
      const end = start + BigInt(bytes.length);
      if (address >= start && address + BigInt(length) <= end) {
        const at = Number(address - start);
        into.set(bytes.subarray(at, at + length));
        return;
      }
    }
    throw new RangeError(`fake native read of ${length} bytes at 0x${address.toString(16)}`);
  }

  /**
   * The made-up native address of a view's first byte: each ArrayBuffer gets its own 4 GiB
   * region (first use first), so views of one buffer keep their distance.
   */
  address(view: ArrayBufferView): bigint {
    let base = this.#bases.get(view.buffer);
    if (base === undefined) {
      base = this.#nextBase;
      this.#nextBase += 0x100000000n;
      this.#bases.set(view.buffer, base);
    }
    return base + BigInt(view.byteOffset);
  }
}

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
  /** The native memory `loader.read` serves and `loader.address` numbers. */
  memory: FakeMemory;
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
  const memory = new FakeMemory();
  const loader: Loader = {
    runtime: "node",
    ffi: "koffi",
    workerThreads: true,
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
    address: (view) => memory.address(view),
    read: (address, into, length) => memory.read(address, into, length),
    errno: () => errno.value,
  };
  return { loader, calls, errno, names: () => calls.map((c) => c.name), memory };
}
