/**
 * Internal: the OS handle of a runtime's socket object (a Deno, Bun or Node socket), as
 * `handleOf` and every call taking a socket (`socketHandle` in `ioctl.ts`) find it.
 *
 * 1. The object's shape (`_runtime_shapes.ts`) says what it is; an object of no known shape is
 *    not a runtime socket (the caller throws TypeError).
 * 2. A runtime that says the socket is closed (or not open yet) → {@link SocketClosedError},
 *    before any native call.
 * 3. The handle found before for this object (kept in a WeakMap) is answered again without a
 *    native call while the runtime says the socket is open: a runtime never changes the socket
 *    under an open object. A runtime that cannot say (a `Deno.DatagramConn`; Deno without its
 *    internals) has the handle checked again on every call — its type and addresses must still
 *    be those found — else the socket was closed: {@link SocketClosedError}.
 * 4. Otherwise the handle is found: the one the runtime exposes (Bun's `fd`, Node's `_handle.fd`
 *    on POSIX), when its socket type and addresses are the runtime's; else by searching the
 *    process's handles (`NativeApi.socketCandidates`) for the one socket whose type, local
 *    address and (for connections) peer address are the runtime's, and which has no peer where
 *    the runtime reports none (listeners, unconnected datagram sockets). None → the socket is
 *    closed ({@link SocketClosedError}); more than one → {@link AmbiguousHandleError}, never a
 *    guess.
 *
 * @module
 */

import { SocketClosedError } from "./errors.ts";
import type { NativeApi } from "./ffi/native.ts";
import { nativeApi } from "./ffi/select.ts";
import { parseAddress } from "./structs/ip.ts";
import { type Endpoint, type RuntimeKind, type Shape, shapeOf } from "./_runtime_shapes.ts";

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

/** An address to compare: 16 bytes (IPv4 as IPv4-mapped IPv6), or undefined (port only). */
interface Wanted {
  readonly bytes: Uint8Array | undefined;
  readonly port: number;
}

/** What the handle of one runtime object must look like, and the handle found. */
interface Entry {
  readonly shape: Shape;
  handle: bigint | undefined;
  /** Found closed by a failed check: closed for good, whatever socket has its addresses now. */
  dead: boolean;
  local: Wanted | undefined;
  /** null: no peer; undefined: not compared. */
  remote: Wanted | null | undefined;
}

const entries = new WeakMap<object, Entry>();

/**
 * The OS handle of a runtime socket object.
 *
 * @param o The object.
 * @param call The calling function's name, for errors.
 * @returns The handle, or undefined when `o` is not a runtime socket of a known shape.
 * @throws {SocketClosedError} when the runtime says it is closed, or its socket is gone.
 * @throws {AmbiguousHandleError} when several sockets match.
 * @throws {TypeError} when it is a runtime socket but not a TCP/UDP one.
 */
export function runtimeHandle(o: object, call: string): bigint | undefined {
  let e = entries.get(o);
  if (e === undefined) {
    const shape = shapeOf(o);
    if (shape === undefined) return undefined;
    e = { shape, handle: undefined, dead: false, local: undefined, remote: undefined };
    entries.set(o, e);
  }
  const v = o as Record<PropertyKey, unknown>;
  const closed = e.shape.closed(v);
  if (closed === true || e.dead) throw new SocketClosedError(call);
  const hint = e.shape.hint(v);
  const native = nativeApi();
  if (e.handle !== undefined && (hint === undefined || hint === e.handle)) {
    if (closed === false) return e.handle;
    if (matches(native, e.handle, e)) return e.handle;
    // Closed without telling: the number (or its addresses) may belong to another socket now.
    e.handle = undefined;
    e.dead = true;
    throw new SocketClosedError(call);
  }
  e.handle = undefined;
  wantFor(e, v);
  if (hint !== undefined && hint <= native.maxHandle && matches(native, hint, e)) {
    return (e.handle = hint);
  }
  const found: bigint[] = [];
  for (const h of native.socketCandidates()) if (matches(native, h, e)) found.push(h);
  if (found.length === 0) throw new SocketClosedError(call);
  if (found.length > 1) throw new AmbiguousHandleError(call, e.shape.name, found);
  return (e.handle = found[0]);
}

/** Reads what the handle must look like from the runtime object. */
function wantFor(e: Entry, v: Record<PropertyKey, unknown>): void {
  const local = e.shape.local(v);
  if (local === undefined) {
    throw new TypeError(
      `this ${e.shape.name} has no IP address: only TCP and UDP sockets have a handle to find`,
    );
  }
  e.local = wanted(local);
  const remote = e.shape.remote(v);
  e.remote = remote === null ? null : remote === undefined ? undefined : wanted(remote);
  if (e.shape.kind === "connection" && e.remote == null) {
    throw new TypeError(`this ${e.shape.name} has no peer address: it is not connected`);
  }
}

function wanted(p: Endpoint): Wanted {
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

/** True when `h` is a socket of the entry's type whose addresses are the wanted ones. */
function matches(native: NativeApi, h: bigint, e: Entry): boolean {
  // The local address first: it rules out almost every other socket in one call.
  if (native.localName(h, nameBytes, nameLength) !== 0 || !sameAddress(e.local!)) return false;
  if (native.getOption(h, "type", option) !== 0 || option[0] !== SOCKET_TYPE[e.shape.kind]) {
    return false;
  }
  if (e.remote === undefined) return true;
  const connected = native.peerName(h, nameBytes, nameLength) === 0;
  return e.remote === null ? !connected : connected && sameAddress(e.remote);
}

/** Compares the Windows-layout sockaddr in the scratch with a wanted address. */
function sameAddress(w: Wanted): boolean {
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
