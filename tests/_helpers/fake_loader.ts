/**
 * A recording stand-in for a runtime adapter (the internal `Loader`): every C function of every
 * table it opens (and every function pointer it binds, named `fn@0x…`) records its arguments and
 * answers from `answers` (0 by default). With it a native layer runs on any machine as if it were
 * another OS or CPU, and a test can prove which native calls were made, in which order, or that
 * none was.
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
   * region (first use first), so views of one buffer keep their distance. The buffer is kept
   * (see {@link FakeMemory.deref}).
   */
  address(view: ArrayBufferView): bigint {
    let base = this.#bases.get(view.buffer);
    if (base === undefined) {
      base = this.#nextBase;
      this.#nextBase += 0x100000000n;
      this.#bases.set(view.buffer, base);
      this.#buffers.push({ base, buffer: view.buffer });
    }
    return base + BigInt(view.byteOffset);
  }

  readonly #buffers: { base: bigint; buffer: ArrayBufferLike }[] = [];

  /**
   * The live bytes at a made-up address that {@link FakeMemory.address} handed out: `length`
   * bytes of the buffer behind it (a view, not a copy: writing through it is what native code
   * writing there does). Throws when no buffer covers them.
   */
  deref(address: bigint, length: number): Uint8Array {
    for (const { base, buffer } of this.#buffers) {
      const at = address - base;
      if (at >= 0n && at + BigInt(length) <= BigInt(buffer.byteLength)) {
        return new Uint8Array(buffer, Number(at), length);
      }
    }
    throw new RangeError(`fake deref of ${length} bytes at 0x${address.toString(16)}`);
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
  /** Every pointer `loader.callable` bound, in order. */
  bound: bigint[];
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
  const bound: bigint[] = [];
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
    // A function pointer binds to a recording function named `fn@0x…` (answers keyed the same).
    callable: ((pointer: bigint, _symbol: unknown) => {
      const name = `fn@0x${pointer.toString(16)}`;
      bound.push(pointer);
      return (...args: unknown[]) => {
        calls.push({ name, args });
        const a = answers[name] ?? 0;
        return typeof a === "function" ? a(...args) : a;
      };
    }) as Loader["callable"],
    errno: () => errno.value,
  };
  return { loader, calls, errno, names: () => calls.map((c) => c.name), memory, bound };
}
