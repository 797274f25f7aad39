/**
 * Internal: the OS handle of a runtime's socket object (a Deno, Bun or Node socket), as
 * `handleOf` and every call taking a socket (`socketHandle` in `ioctl.ts`) find it.
 *
 * 1. The object's shape (`_runtime_shapes.ts`) says what it is; an object of no known shape is
 *    not a runtime socket (the caller throws TypeError).
 * 2. Every read of the runtime object comes first (its getters and methods are caller code):
 *    its key — what stands for its OS socket inside the runtime (Node's `_handle`, Deno's
 *    resource id, the object itself where it never changes socket) —, the handle it exposes,
 *    its addresses when the handle is to be found, and last what the runtime says of its state.
 * 3. A runtime that says the socket is closed or not open yet → {@link SocketClosedError}, before
 *    any native call.
 * 4. The handle found before for this object and this key (kept in a WeakMap by object, with the
 *    key it was found under: a new key is a new socket) is answered again once proven, at a cost
 *    that does not grow with the number of sockets: where the native layer has an identity for a
 *    socket (Linux: `st_dev`/`st_ino`, `NativeApi.socketIdentity`), the one recorded when it was
 *    found must still be the handle's — the last step before the answer; elsewhere (Windows,
 *    macOS) the runtime's word that this key is open is the proof. An object whose runtime
 *    cannot say whether it is open (no Deno internals), where there is no identity either, is
 *    refused ({@link UnsupportedError}) rather than answered from a guess.
 * 5. Otherwise the handle is found: the one the runtime exposes (Bun's `fd`, Node's `_handle.fd`
 *    on POSIX), when its socket type and addresses are the runtime's; else by searching the
 *    process's handles (`NativeApi.socketCandidates`) for the one socket whose type, local
 *    address and (for connections) peer address are the runtime's, and which has no peer where
 *    the runtime reports none (listeners, unconnected datagram sockets). None → the socket is
 *    closed ({@link SocketClosedError}); more than one → {@link AmbiguousHandleError}, never a
 *    guess. Its identity is recorded last.
 *
 * @module
 */

import { SocketClosedError, UnsupportedError } from "./errors.ts";
import type { NativeApi } from "./ffi/native.ts";
import { nativeApi } from "./ffi/select.ts";
import { parseAddress } from "./structs/ip.ts";
import {
  type Endpoint,
  type RuntimeKind,
  type RuntimeState,
  type Shape,
  shapeOf,
} from "./_runtime_shapes.ts";

/**
 * Thrown by `handleOf` (and any call given a runtime socket) when more than one socket of this
 * process has the runtime socket's type and addresses, so the search cannot tell which is its
 * own: e.g. two UDP sockets bound to the same port with SO_REUSEADDR / SO_REUSEPORT, neither
 * connected. Pass the handle yourself then (a bigint), or a Socket from `Socket.borrow`.
 */
export class AmbiguousHandleError extends Error {
  /** Every handle that matched, ascending. */
  readonly handles: readonly bigint[];

  /**
   * Creates the error.
   *
   * @param call The function that searched.
   * @param what The runtime object's kind, as the runtime names it.
   * @param handles The handles that matched.
   */
  constructor(call: string, what: string, handles: readonly bigint[]) {
    super(
      `${call}: ${handles.length} sockets of this process (handles ${handles.join(", ")}) have ` +
        `the addresses of this ${what}: cannot tell which is its own`,
    );
    this.name = "AmbiguousHandleError";
    this.handles = handles;
  }
}

/** SOCK_STREAM, SOCK_DGRAM: the same numbers on Windows, Linux and macOS. */
const SOCKET_TYPE: Readonly<Record<RuntimeKind, number>> = {
  connection: 1,
  listener: 1,
  datagram: 2,
};

/** The handle of one runtime object, and what it was found under. */
interface Entry {
  readonly shape: Shape;
  /** The key the handle was found under (see `Shape.key`). */
  key: unknown;
  handle: bigint | undefined;
  /** Found gone by a failed identity check: closed for good, whoever has its number now. */
  dead: boolean;
  /** The socket's identity when found (`NativeApi.socketIdentity`); undefined where none. */
  dev: bigint | undefined;
  ino: bigint | undefined;
}

/** What the handle must look like, for a search. */
interface Wanted {
  readonly local: Target;
  /** null: no peer; undefined: not compared. */
  readonly remote: Target | null | undefined;
}

/** An address to compare: 16 bytes (IPv4 as IPv4-mapped IPv6), or undefined (port only). */
interface Target {
  readonly bytes: Uint8Array | undefined;
  readonly port: number;
}

const entries = new WeakMap<object, Entry>();
const identity = new BigUint64Array(2);

/**
 * The OS handle of a runtime socket object.
 *
 * @param o The object.
 * @param call The calling function's name, for errors.
 * @returns The handle, or undefined when `o` is not a runtime socket of a known shape.
 * @throws {SocketClosedError} when the runtime says it is closed or not open yet, or its socket
 * is gone.
 * @throws {AmbiguousHandleError} when several sockets match.
 * @throws {UnsupportedError} when the runtime cannot say whether it is open and the platform has
 * no identity to check the handle by.
 * @throws {TypeError} when it is a runtime socket but not a TCP/UDP one.
 */
export function runtimeHandle(o: object, call: string): bigint | undefined {
  let e = entries.get(o);
  if (e === undefined) {
    const shape = shapeOf(o);
    if (shape === undefined) return undefined;
    e = { shape, key: undefined, handle: undefined, dead: false, dev: undefined, ino: undefined };
    entries.set(o, e);
  }
  // Every read of the runtime object first; the runtime's word on its state last.
  const { shape } = e;
  const v = o as Record<PropertyKey, unknown>;
  const key = shape.key(v);
  if (key !== e.key) {
    e.key = key; // another OS socket (or the first look): nothing kept holds for it
    e.handle = e.dev = e.ino = undefined;
    e.dead = false;
  }
  const hint = shape.hint(v);
  const kept = e.handle !== undefined && (hint === undefined || hint === e.handle);
  const local = kept ? undefined : shape.local(v);
  const remote = kept ? undefined : shape.remote(v);
  const state: RuntimeState = shape.state(v);
  if (state === "closed" || e.dead) throw new SocketClosedError(call);
  if (state === "notOpenYet") {
    throw new SocketClosedError(call, `this ${shape.name} is not open yet (${shape.notOpen})`);
  }
  const native = nativeApi();
  if (kept) {
    if (e.dev === undefined) {
      if (state === "open") return e.handle!;
      throw unprovable(call, shape, native);
    }
    // The last step: the socket behind the number is still the one found.
    if (native.socketIdentity(e.handle!, identity) === 1) {
      if (identity[0] === e.dev && identity[1] === e.ino) return e.handle!;
    }
    e.handle = e.dev = e.ino = undefined;
    e.dead = true; // closed without the runtime telling: its number may be another socket's now
    throw new SocketClosedError(call);
  }
  const want = wantFor(shape, local, remote);
  const h = find(native, shape, want, hint, call);
  // The last step: the identity of the socket found (a vanished one was closed meanwhile).
  const r = native.socketIdentity(h, identity);
  if (r === -1) throw new SocketClosedError(call);
  if (r === 0 && state !== "open") throw unprovable(call, shape, native);
  e.handle = h;
  if (r === 1) [e.dev, e.ino] = identity;
  return h;
}

/** The refusal where neither the runtime nor the platform can prove a handle still the object's. */
function unprovable(call: string, shape: Shape, native: NativeApi): UnsupportedError {
  return new UnsupportedError(
    `the handle of a ${shape.name} whose runtime cannot say whether it is open (no socket ` +
      `identity to check it by)`,
    native.os,
    undefined,
    call,
  );
}

/** The handle the runtime exposes when its socket is the wanted one; else the one search match. */
function find(
  native: NativeApi,
  shape: Shape,
  want: Wanted,
  hint: bigint | undefined,
  call: string,
): bigint {
  const type = SOCKET_TYPE[shape.kind];
  if (hint !== undefined && hint <= native.maxHandle && matches(native, hint, type, want)) {
    return hint;
  }
  const found: bigint[] = [];
  for (const h of native.socketCandidates()) if (matches(native, h, type, want)) found.push(h);
  if (found.length === 0) throw new SocketClosedError(call);
  if (found.length > 1) throw new AmbiguousHandleError(call, shape.name, found);
  return found[0];
}

/** What the handle must look like, from the addresses the runtime object reported. */
function wantFor(
  shape: Shape,
  local: Endpoint | undefined,
  remote: Endpoint | null | undefined,
): Wanted {
  if (local === undefined) {
    throw new TypeError(
      `this ${shape.name} has no IP address: only TCP and UDP sockets have a handle to find`,
    );
  }
  const peer = remote === null ? null : remote === undefined ? undefined : target(remote);
  if (shape.kind === "connection" && peer == null) {
    throw new TypeError(`this ${shape.name} has no peer address: it is not connected`);
  }
  return { local: target(local), remote: peer };
}

function target(p: Endpoint): Target {
  if (typeof p.port !== "number" || !Number.isInteger(p.port) || p.port < 0 || p.port > 65535) {
    throw new TypeError(`a runtime socket reported port ${String(p.port)}`);
  }
  return { bytes: addressBytes(p.address), port: p.port };
}

/** 16 bytes for an IP address text (IPv4 mapped); undefined for a host name or no text. */
function addressBytes(text: unknown): Uint8Array | undefined {
  if (typeof text !== "string") return undefined;
  const pct = text.indexOf("%");
  try {
    const a = parseAddress(pct < 0 ? text : text.slice(0, pct));
    if (a.family === "inet6") return a.bytes;
    const out = new Uint8Array(16);
    out[10] = out[11] = 0xff;
    out.set(a.bytes, 12);
    return out;
  } catch {
    return undefined; // "localhost" and other names: the port alone is compared
  }
}

// Scratch for the names asked: room for a sockaddr_in6 (28 bytes) and more.
const nameBytes = new Uint8Array(new ArrayBuffer(128));
const nameView = new DataView(nameBytes.buffer);
const nameLength = new Int32Array(1);
const option = new Float64Array(1);

/** True when `h` is a socket of `type` whose addresses are the wanted ones. */
function matches(native: NativeApi, h: bigint, type: number, want: Wanted): boolean {
  // The local address first: it rules out almost every other socket in one call.
  if (native.localName(h, nameBytes, nameLength) !== 0 || !sameAddress(want.local)) return false;
  if (native.getOption(h, "type", option) !== 0 || option[0] !== type) return false;
  if (want.remote === undefined) return true;
  const connected = native.peerName(h, nameBytes, nameLength) === 0;
  return want.remote === null ? !connected : connected && sameAddress(want.remote);
}

/** Compares the Windows-layout sockaddr in the scratch with a wanted address. */
function sameAddress(w: Target): boolean {
  if (nameLength[0] < 8) return false;
  const family = nameView.getUint16(0, true);
  if (nameView.getUint16(2, false) !== w.port) return false;
  if (w.bytes === undefined) return family === 2 || family === 23;
  if (family === 2) {
    // sockaddr_in: the 4 bytes at 4 against the IPv4-mapped form.
    for (let i = 0; i < 10; i++) if (w.bytes[i] !== 0) return false;
    if (w.bytes[10] !== 0xff || w.bytes[11] !== 0xff) return false;
    for (let i = 0; i < 4; i++) if (nameBytes[4 + i] !== w.bytes[12 + i]) return false;
    return true;
  }
  if (family !== 23 || nameLength[0] < 24) return false;
  // sockaddr_in6: the 16 bytes at 8 (flow info and scope id are not compared).
  for (let i = 0; i < 16; i++) if (nameBytes[8 + i] !== w.bytes[i]) return false;
  return true;
}
