/**
 * Internal: picks the native layer of this process. The layer is one of 3 runtime loaders ×
 * 2 platform implementations, behind one contract:
 *
 * - the contract: `native.ts` ({@link NativeApi}, the constants it speaks in);
 * - the platform implementations: `windows.ts` over the ws2_32.dll / ntdll / kernel32 tables of
 *   `ws2_32.ts`, and `posix.ts` over the libc tables of `libc.ts` (with `_posix_sockaddr.ts`,
 *   `_posix_ioctl.ts` and `_errno.ts` for the translation to Winsock's layout and semantics);
 * - the runtime loaders: `deno.ts` (`Deno.dlopen`), `bun.ts` (`bun:ffi`), `node.ts` (`node:ffi`
 *   where the running Node has it enabled, koffi otherwise), each opening a table described in
 *   `_types.ts`, whose functions are typed from the table itself.
 *
 * Everything happens on the first {@link nativeApi} call, synchronously, and once: the loader of
 * the running runtime is picked (each loader module is imported statically, and none touches its
 * runtime's API before it is asked to, so every runtime evaluates all three), then the platform
 * implementation is built on it, which opens the libraries (Windows: ws2_32.dll and one
 * `WSAStartup`; elsewhere: libc). The loader is kept, and so is the failure to find one. Nothing
 * in the load path uses top-level await: `require()` of the package works wherever the runtime's `require(esm)` does.
 * This is the only module that imports the implementations.
 *
 * The test seam: {@link _swapNativeApi} replaces the native layer for every caller (the layers
 * above only reach it through {@link nativeApi}), so tests can record what a call hands to
 * `WSAIoctl` on any OS. It is not exported by the package.
 *
 * @module
 */

import type { Loader } from "./_types.ts";
import { bunLoader } from "./bun.ts";
import { denoLoader } from "./deno.ts";
import type { NativeApi } from "./native.ts";
import { nodeLoader } from "./node.ts";
import { createPosixApi } from "./posix.ts";
import { createWindowsApi } from "./windows.ts";

function detectRuntime(): "deno" | "bun" | "node" | undefined {
  const g = globalThis as {
    Deno?: unknown;
    Bun?: unknown;
    process?: { versions?: { node?: string } };
  };
  if (g.Deno !== undefined) return "deno";
  if (g.Bun !== undefined) return "bun";
  if (g.process?.versions?.node !== undefined) return "node";
  return undefined;
}

function pickLoader(): Loader {
  const runtime = detectRuntime();
  if (runtime === undefined) {
    throw new Error("wsioctl: no FFI here (it runs on Deno, Bun or Node.js)");
  }
  try {
    return runtime === "deno" ? denoLoader() : runtime === "bun" ? bunLoader() : nodeLoader();
  } catch (e) {
    // The loaders' own messages say what is missing (Node: both of its FFIs).
    if (e instanceof Error && e.message.startsWith("wsioctl")) throw e;
    throw new Error(`wsioctl: cannot load the ${runtime} FFI adapter`, { cause: e });
  }
}

let loader: Loader | Error | undefined;
let api: NativeApi | undefined;
let swapped: NativeApi | undefined;

/**
 * The runtime loader of this process, picked on the first call and kept (a failure too).
 *
 * @returns The loader.
 * @throws {Error} when no FFI is available (an unsupported runtime; on Node.js neither node:ffi
 * nor koffi), with the reason as `cause`.
 * @example
 * ```ts
 * import { nativeLoader } from "./select.ts";
 * console.log(nativeLoader().ffi); // "Deno.dlopen", "bun:ffi", "node:ffi" or "koffi"
 * ```
 */
export function nativeLoader(): Loader {
  if (loader === undefined) {
    try {
      loader = pickLoader();
    } catch (e) {
      loader = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (loader instanceof Error) throw loader;
  return loader;
}

/**
 * The native layer of this process, created on the first call (which opens the libraries).
 *
 * @returns The native layer (a swapped-in fake while a test has one installed).
 * @throws {Error} when no FFI is available (an unsupported runtime; on Node.js neither node:ffi
 * nor koffi) or a library does not load, with the reason as `cause`.
 * @example
 * ```ts
 * import { nativeApi } from "./select.ts";
 * const native = nativeApi();
 * console.log(native.runtime, native.os);
 * ```
 */
export function nativeApi(): NativeApi {
  if (swapped !== undefined) return swapped;
  if (api !== undefined) return api;
  const l = nativeLoader();
  api = l.os === "windows" ? createWindowsApi(l) : createPosixApi(l);
  return api;
}

/**
 * Test seam: makes {@link nativeApi} return `fake` until the returned function is called (which
 * restores the previous layer). Sockets opened before the swap keep the layer they were opened
 * with; open new ones, or pass raw handles, while the fake is installed.
 *
 * @param fake The layer to install, typically a recording fake (`tests/_helpers/recording_api.ts`).
 * @returns A function that restores the previous layer.
 * @example
 * ```ts
 * import { _swapNativeApi, nativeApi } from "./select.ts";
 * const real = nativeApi();
 * const restore = _swapNativeApi({ ...real, os: "fake" });
 * try {
 *   console.log(nativeApi().os); // "fake"
 * } finally {
 *   restore();
 * }
 * ```
 */
export function _swapNativeApi(fake: NativeApi): () => void {
  const previous = swapped;
  swapped = fake;
  return () => {
    swapped = previous;
  };
}
