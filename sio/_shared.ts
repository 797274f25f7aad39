/**
 * Internal: what the typed calls share — the socket type they take, and the scratch buffers
 * they hand `WSAIoctl` (explicit ArrayBuffers the library owns, allocated once: JavaScript runs
 * one call at a time, and every typed call reads its output before it returns, after checking
 * that Winsock reported the whole value written: see `_written.ts`).
 *
 * @module
 */

import type { RuntimeSocket } from "../runtime.ts";
import type { Socket } from "../socket.ts";

/**
 * What a typed call acts on: a {@link Socket}, a raw `bigint` handle (`SOCKET` / fd), or a socket
 * object of the runtime (Deno, Bun, Node; its handle found as `handleOf` finds it).
 */
export type SocketRef = Socket | bigint | RuntimeSocket;

/** 4 input bytes (a `u_long`, `BOOL`, `DWORD`, …) and a little-endian view of them. */
export const in4: Uint8Array = new Uint8Array(new ArrayBuffer(4));
/** Writes `in4`. */
export const in4View: DataView = new DataView(in4.buffer);
/** 4 output bytes and their view. */
export const out4: Uint8Array = new Uint8Array(new ArrayBuffer(4));
/** Reads `out4`. */
export const out4View: DataView = new DataView(out4.buffer);
/** 8 output bytes (a `UINT64`, a handle, a pointer) and their view. */
export const out8: Uint8Array = new Uint8Array(new ArrayBuffer(8));
/** Reads `out8`. */
export const out8View: DataView = new DataView(out8.buffer);

/**
 * The bytes of a struct view the library allocated itself (its whole ArrayBuffer).
 *
 * @param view A view from `X.alloc()`.
 * @returns Its bytes.
 */
export function ownBytes(view: { readonly view: DataView }): Uint8Array {
  return new Uint8Array(view.view.buffer, view.view.byteOffset, view.view.byteLength);
}
