/**
 * Internal: picks the native layer of this process. The layer is one of 3 runtime loaders ×
 * 2 platform implementations, behind one contract:
 *
 * - the contract: `native.ts` ({@link NativeApi}, the constants it speaks in);
 * - the platform implementations: `windows.ts` over the ws2_32.dll / ntdll / kernel32 tables of
 *   `ws2_32.ts`, and `posix.ts` over the libc tables of `libc.ts` (with `_posix_sockaddr.ts`,
 *   `_posix_ioctl.ts` and `_errno.ts` for the translation to Winsock's layout and semantics);
 * - the runtime loaders: `deno.ts` (`Deno.dlopen`), `bun.ts` (`bun:ffi`), `node.ts` (koffi), each
 *   opening a table described in `_types.ts`, whose functions are typed from the table itself.
 *
 * The loader is chosen once, by a dynamic import when this module is first evaluated; the
 * platform implementation is built on it lazily, on the first {@link nativeApi} call, which opens
 * the libraries (Windows: ws2_32.dll and one `WSAStartup`; elsewhere: libc). This is the only
 * module that imports the implementations.
 *
 * The test seam: {@link _swapNativeApi} replaces the native layer for every caller (the layers
 * above only reach it through {@link nativeApi}), so tests can record what a call hands to
 * `WSAIoctl` on any OS. It is not exported by the package.
 *
 * @module
 */

import type { Loader } from "./_types.ts";
import type { NativeApi } from "./native.ts";
import { createPosixApi } from "./posix.ts";
import { createWindowsApi } from "./windows.ts";

type AdapterModule = { loader: Loader };

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

async function importAdapter(): Promise<Loader | Error> {
  const runtime = detectRuntime();
  try {
    switch (runtime) {
      case "deno":
        return ((await import("./deno.ts")) as AdapterModule).loader;
      case "bun":
        return ((await import("./bun.ts")) as AdapterModule).loader;
      case "node":
        return ((await import("./node.ts")) as AdapterModule).loader;
      default:
        return new Error("wsioctl: no FFI here (it runs on Deno, Bun or Node.js)");
    }
  } catch (e) {
    return new Error(`wsioctl: cannot load the ${runtime} FFI adapter`, { cause: e });
  }
}

const adapter: Loader | Error = await importAdapter();
let api: NativeApi | undefined;
let swapped: NativeApi | undefined;

/**
 * The native layer of this process, created on the first call (which opens the libraries).
 *
 * @returns The native layer (a swapped-in fake while a test has one installed).
 * @throws {Error} when no FFI is available (an unsupported runtime, koffi missing on Node.js,
 * or a library that does not load), with the reason as `cause`.
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
  if (adapter instanceof Error) throw adapter;
  api = adapter.os === "windows" ? createWindowsApi(adapter) : createPosixApi(adapter);
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
