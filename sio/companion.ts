/**
 * Companion-interface handles, typed: {@link associateHandle} (SIO_ASSOCIATE_HANDLE) ties a
 * socket to a handle of a companion API, {@link translateHandle} (SIO_TRANSLATE_HANDLE) asks for
 * the socket's handle in that API. The companion APIs the SDK names are TH_NETDEV (1) and
 * TH_TAPI (2) (winsock2.h); a provider may define others, passed by number. These codes date
 * from Winsock 2's protocol annexes and are kept for compatibility: Microsoft recommends COM for
 * new code, and providers without them answer WSAENOPROTOOPT. Windows only: elsewhere they throw
 * `UnsupportedError` naming the call.
 *
 * The buffers are companion-API dependent and the SDK declares no struct for them: the reference
 * says only "the integer value of the manifest constant, followed by a handle of that interface,
 * followed by any other required information". The library sends, little-endian:
 *
 * | api | bytes 0–3 | then | then |
 * |---|---|---|---|
 * | `"tapi"` / 2 (TH_TAPI) | the int 2 | @4: the 32-bit handle (TAPI's `HCALL`/`HLINE` are DWORDs, also on x64) | @8: `extra` |
 * | `"netdev"` / 1, any other number | the int | @4: 4 zero bytes, @8: the 64-bit handle | @16: `extra` |
 *
 * Why the padding: a pointer-sized `HANDLE` after an `int` sits at offset 8 on 64-bit Windows in
 * any C struct a provider would declare for it (`struct { int api; HANDLE h; }`: MSVC x64 aligns
 * 8-byte members on 8); on 32-bit Windows both readings put it at 4. A provider that wants
 * another layout can be driven through `ioctl()` with bytes you build yourself.
 *
 * @example
 * ```ts
 * import { Socket, translateHandle } from "@x/wsioctl";
 * // Windows, with a provider that implements the TAPI companion interface.
 * export function tapiHandleOf(s: Socket): bigint {
 *   return translateHandle(s, "tapi");
 * }
 * ```
 *
 * @module
 */

import { SIO_ASSOCIATE_HANDLE, SIO_TRANSLATE_HANDLE } from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import {
  byteLengthOf,
  bytesOf,
  checkEnum,
  checkObject,
  checkUint32,
  checkUint64,
  checkView,
  describe,
} from "../_validate.ts";
import { in4, in4View, out8, out8View, type SocketRef } from "./_shared.ts";

const NO_COMPANION = "the socket's service provider does not support this companion interface";
const ASSOCIATE: TypedCall = {
  name: "associateHandle",
  hints: { 10042: `SIO_ASSOCIATE_HANDLE: ${NO_COMPANION}` },
};
const TRANSLATE: TypedCall = {
  name: "translateHandle",
  hints: { 10042: `SIO_TRANSLATE_HANDLE: ${NO_COMPANION}` },
};

/** The companion APIs winsock2.h names: TH_NETDEV, TH_TAPI. */
const APIS: Readonly<Record<string, number>> = Object.freeze({ netdev: 1, tapi: 2 });
/** TH_TAPI: its handles are 32-bit. */
const TH_TAPI = 2;

/** Where the handle goes and where `extra` starts, per kind of handle (see the module doc). */
const TAPI_HANDLE = 4;
const TAPI_EXTRA = 8;
const WIDE_HANDLE = 8;
const WIDE_EXTRA = 16;

// The input without `extra`, allocated once (JavaScript runs one call at a time).
const associateIn = new Uint8Array(new ArrayBuffer(WIDE_EXTRA));
const associateView = new DataView(associateIn.buffer);

/** A companion API: `"netdev"` (TH_NETDEV 1), `"tapi"` (TH_TAPI 2), or its constant. */
export type CompanionApi = "netdev" | "tapi" | number;

/** What {@link associateHandle} ties the socket to. */
export interface AssociateHandleOptions {
  /** The companion API. */
  api: CompanionApi;
  /** The companion API's handle: 0..2^32-1 for TAPI, 0..2^64-1 otherwise. */
  handle: bigint;
  /** Whatever else the companion API wants after the handle (copied; default none). */
  extra?: Uint8Array;
}

/** The constant of `api` (a name or a number), checked. */
function apiValue(api: unknown, name: string): number {
  if (typeof api === "string") return checkEnum(api, name, APIS);
  if (typeof api !== "number") {
    throw new TypeError(`${name} must be "netdev", "tapi" or an integer, got ${describe(api)}`);
  }
  return checkUint32(api, name);
}

/**
 * Ties the socket to a handle of a companion interface (SIO_ASSOCIATE_HANDLE); the handle can be
 * read back with {@link translateHandle}. The bytes sent are described in this module's doc:
 * the API's int, the handle (32-bit at offset 4 for TAPI; 64-bit at offset 8 otherwise), then
 * `extra`. Windows 2000 and later (where a provider implements the interface); off Windows it
 * throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param options `{ api, handle, extra? }`.
 * @throws {TypeError} when `options` is not an object, `api` neither a name nor an integer,
 * `handle` not a bigint, `extra` not an ArrayBufferView (or a view of a detached buffer), or `s`
 * none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `api` is an unknown name or outside 0..2^32-1, `handle` is outside
 * the API's range, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT where the provider lacks the
 * interface).
 * @example
 * ```ts
 * import { associateHandle, Socket } from "@x/wsioctl";
 * export function tieToCall(s: Socket, hCall: bigint): void {
 *   associateHandle(s, { api: "tapi", handle: hCall });
 * }
 * ```
 */
export function associateHandle(s: SocketRef, options: AssociateHandleOptions): void {
  const o = checkObject(options, "options");
  const api = apiValue(o.api, "options.api");
  const tapi = api === TH_TAPI;
  const handle = checkUint64(o.handle, "options.handle");
  if (tapi && handle > 0xffffffffn) {
    throw new RangeError(`options.handle must be in 0..2^32-1 for TAPI, got ${handle}n`);
  }
  // ioctl's order: the options read and checked, then the handle (a runtime socket's getters
  // may resize or detach extra's buffer), then extra's bytes and length, then the call.
  const extraView = o.extra === undefined ? null : checkView(o.extra, "options.extra");
  const h = socketHandle(s, ASSOCIATE.name);
  const extra = extraView === null ? null : bytesOf(extraView, "options.extra");
  const extraLength = extra === null ? 0 : byteLengthOf(extra);
  const at = tapi ? TAPI_EXTRA : WIDE_EXTRA;
  if (extraLength > 0xffffffff - at) {
    throw new RangeError(`options.extra has ${extraLength} bytes; WSAIoctl takes at most 2^32-1`);
  }
  associateIn.fill(0);
  associateView.setUint32(0, api, true);
  if (tapi) associateView.setUint32(TAPI_HANDLE, Number(handle), true);
  else associateView.setBigUint64(WIDE_HANDLE, handle, true);
  let input = associateIn;
  if (extra !== null && extraLength > 0) {
    // The caller's bytes, copied after the handle into a buffer of the library's.
    input = new Uint8Array(new ArrayBuffer(at + extraLength));
    input.set(associateIn.subarray(0, at));
    input.set(extra, at);
  }
  _ioctlOwned(h, SIO_ASSOCIATE_HANDLE, input, at + extraLength, null, 0, ASSOCIATE);
}

/**
 * The socket's handle in a companion interface (SIO_TRANSLATE_HANDLE): the input is the API's
 * int (4 bytes); the output buffer has 8 bytes, and the answer is read by the count the
 * provider reports — 4 bytes as a 32-bit handle (TAPI's DWORD handles), 8 as a 64-bit one
 * (`HANDLE` on x64). Windows 2000 and later (where a provider implements the interface); off
 * Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param api `"netdev"` (TH_NETDEV 1), `"tapi"` (TH_TAPI 2), or another constant (0..2^32-1).
 * @returns The handle.
 * @throws {TypeError} when `api` is neither a name nor an integer, or `s` none of a Socket, a
 * bigint and a runtime socket.
 * @throws {RangeError} when `api` is an unknown name or outside 0..2^32-1, or a raw handle is
 * out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT where the provider lacks the
 * interface).
 * @throws {Error} when the provider reports a count other than 4 or 8 bytes.
 * @example
 * ```ts
 * import { Socket, translateHandle } from "@x/wsioctl";
 * export function netdevHandleOf(s: Socket): bigint {
 *   return translateHandle(s, "netdev");
 * }
 * ```
 */
export function translateHandle(s: SocketRef, api: CompanionApi): bigint {
  const value = apiValue(api, "api");
  const h = socketHandle(s, TRANSLATE.name);
  in4View.setUint32(0, value, true);
  out8.fill(0);
  const n = _ioctlOwned(h, SIO_TRANSLATE_HANDLE, in4, 4, out8, 8, TRANSLATE);
  if (n === 4) return BigInt(out8View.getUint32(0, true));
  if (n === 8) return out8View.getBigUint64(0, true);
  throw new Error(
    `translateHandle: SIO_TRANSLATE_HANDLE reported ${n} bytes written; a handle has 4 (TAPI) ` +
      "or 8",
  );
}
