/**
 * Internal: how `handleOf` reads the socket objects of Deno, Bun and Node — recognised by their
 * shape (no runtime's classes or types are imported), each read through a {@link Shape}: what
 * kind of socket it is, whether the runtime says it is closed, the handle it exposes (if any, to
 * be verified), and its local and remote address as the runtime reports them.
 *
 * What each runtime tells:
 * - Deno (`Deno.Conn`/`TcpConn`/`TlsConn`, `Deno.Listener`, `Deno.DatagramConn`): addresses
 *   (`localAddr`, `remoteAddr`, `addr`), no handle. Whether a connection or listener is closed is
 *   read from Deno's internals where they are present (its resource id is gone from the resource
 *   table once closed: `Deno[Deno.internal].core`); a `DatagramConn` cannot say.
 * - Bun (`Bun.connect`/`Bun.listen` sockets, `Bun.udpSocket`): `fd`, the OS handle (Linux fd,
 *   Windows SOCKET), -1 once closed; addresses.
 * - Node (`net.Socket`, `net.Server`, `dgram.Socket`; also Deno's and Bun's `node:net`/`node:dgram`):
 *   `destroyed` / `listening` / a `dgram` socket's internal state; `_handle.fd` (POSIX; -1 on
 *   Windows), the dgram socket's internal handle's `fd`; addresses.
 *
 * @module
 */

/** What a runtime socket is: a connected stream, a listening stream socket, a datagram socket. */
export type RuntimeKind = "connection" | "listener" | "datagram";

/** An address as a runtime reports it: text (any spelling, or a host name) and port. */
export interface Endpoint {
  /** The address text; a host name or undefined when the runtime gives no numeric address. */
  readonly address: unknown;
  /** The port. */
  readonly port: unknown;
}

/** How one kind of runtime object is read. */
export interface Shape {
  /** The kind of socket. */
  readonly kind: RuntimeKind;
  /** The runtime's name for it, for messages (`"Deno.Listener"`, `"net.Socket"`, …). */
  readonly name: string;
  /**
   * What the runtime says: true when closed (or not open yet), false when open, undefined when
   * it cannot say.
   */
  closed(o: Record<PropertyKey, unknown>): boolean | undefined;
  /** The handle the runtime exposes (to be verified), or undefined. */
  hint(o: Record<PropertyKey, unknown>): bigint | undefined;
  /** The local address, or undefined when it has none (unbound, or not an IP socket). */
  local(o: Record<PropertyKey, unknown>): Endpoint | undefined;
  /** The peer's address; null when not connected; undefined when unknown. */
  remote(o: Record<PropertyKey, unknown>): Endpoint | null | undefined;
}

type Obj = Record<PropertyKey, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null;
const isFn = (v: unknown): boolean => typeof v === "function";

/** An OS handle a runtime exposes as a number: a bigint when it is a real one (>= 0). */
function handleNumber(v: unknown): bigint | undefined {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
}

/** A Deno address object (`{ transport, hostname, port }`). */
function denoAddr(v: unknown): v is Obj {
  return isObject(v) && typeof v.transport === "string";
}

function denoEndpoint(v: unknown): Endpoint | undefined {
  return denoAddr(v) && (v.transport === "tcp" || v.transport === "udp")
    ? { address: v.hostname, port: v.port }
    : undefined;
}

/** Deno's internals, where present: the resource table and the symbols of rid and fd. */
interface DenoCore {
  readonly internalRidSymbol?: symbol;
  readonly internalFdSymbol?: symbol;
  resources?(): Record<string, unknown>;
}

let denoCoreRead = false;
let denoCoreValue: DenoCore | undefined;
function denoCore(): DenoCore | undefined {
  if (!denoCoreRead) {
    denoCoreRead = true;
    try {
      const deno = (globalThis as { Deno?: Obj }).Deno;
      const key = deno?.internal;
      const internal = typeof key === "symbol" ? deno?.[key] : undefined;
      const core = isObject(internal) ? internal.core : undefined;
      if (isObject(core) && isFn(core.resources)) denoCoreValue = core as DenoCore;
    } catch {
      // no internals to read
    }
  }
  return denoCoreValue;
}

/** Deno: closed when its resource id is no longer in the resource table; unknown without one. */
function denoClosed(o: Obj): boolean | undefined {
  const core = denoCore();
  const key = core?.internalRidSymbol;
  if (core === undefined || key === undefined) return undefined;
  try {
    const rid = o[key];
    if (typeof rid !== "number") return undefined;
    return !Object.hasOwn(core.resources!(), String(rid));
  } catch {
    return undefined;
  }
}

function denoHint(o: Obj): bigint | undefined {
  const key = denoCore()?.internalFdSymbol;
  return key === undefined ? undefined : handleNumber(o[key]);
}

/** A Deno shape: closed and hint from Deno's internals, addresses from its address objects. */
function denoShape(
  kind: RuntimeKind,
  name: string,
  local: (o: Obj) => Endpoint | undefined,
  remote: (o: Obj) => Endpoint | null | undefined,
): Shape {
  return { kind, name, closed: denoClosed, hint: denoHint, local, remote };
}

const DENO_CONN = denoShape(
  "connection",
  "Deno.Conn",
  (o) => denoEndpoint(o.localAddr),
  (o) => denoEndpoint(o.remoteAddr),
);
const DENO_LISTENER = denoShape(
  "listener",
  "Deno.Listener",
  (o) => denoEndpoint(o.addr),
  () => null,
);
const DENO_DATAGRAM = denoShape(
  "datagram",
  "Deno.DatagramConn",
  (o) => denoEndpoint(o.addr),
  () => null,
);

/** Node's `_handle.fd` (a real descriptor on POSIX, -1 on Windows). */
function nodeHint(o: Obj): bigint | undefined {
  const h = o._handle;
  return isObject(h) ? handleNumber(h.fd) : undefined;
}

const NODE_SOCKET: Shape = {
  kind: "connection",
  name: "net.Socket",
  // Not open yet (`pending`: connecting) counts as closed: it has no peer to match.
  closed: (o) => o.destroyed === true || o.pending === true || o._handle === null,
  hint: nodeHint,
  local: (o) =>
    o.localPort === undefined ? undefined : { address: o.localAddress, port: o.localPort },
  remote: (o) =>
    o.remotePort === undefined ? undefined : { address: o.remoteAddress, port: o.remotePort },
};

const NODE_SERVER: Shape = {
  kind: "listener",
  name: "net.Server",
  closed: (o) => o.listening !== true,
  hint: nodeHint,
  local(o) {
    const a = (o.address as () => unknown)();
    return isObject(a) ? { address: a.address, port: a.port } : undefined;
  },
  remote: () => null,
};

/** A dgram socket's internal state (its handle), under Node's, Bun's or Deno's symbol. */
function dgramState(o: Obj): Obj | undefined {
  for (const s of Object.getOwnPropertySymbols(o)) {
    if (s.description === "state symbol" || s.description === "kStateSymbol") {
      const state = o[s];
      return isObject(state) && "handle" in state ? state : undefined;
    }
  }
  return undefined;
}

/** `address()` / `remoteAddress()` of a dgram socket, or undefined when it throws. */
function dgramCall(o: Obj, method: string): Endpoint | undefined {
  try {
    const a = (o[method] as () => unknown).call(o);
    return isObject(a) ? { address: a.address, port: a.port } : undefined;
  } catch {
    return undefined;
  }
}

const NODE_DGRAM: Shape = {
  kind: "datagram",
  name: "dgram.Socket",
  closed(o) {
    const state = dgramState(o);
    if (state !== undefined && (state.handle === null || state.handle === undefined)) return true;
    // Not bound yet counts as not open (bindState BIND_STATE_BOUND is 2 in Node and Bun).
    if (typeof state?.bindState === "number") return state.bindState !== 2;
    return dgramCall(o, "address") === undefined; // throws once closed, and before bind
  },
  hint(o) {
    const h = dgramState(o)?.handle;
    return isObject(h) ? handleNumber(h.fd) : undefined;
  },
  local: (o) => dgramCall(o, "address"),
  remote: (o) => dgramCall(o, "remoteAddress") ?? null,
};

/** Bun's `fd`: the OS handle, -1 once closed. */
const bunClosedByFd = (o: Obj): boolean | undefined =>
  typeof o.fd === "number" ? o.fd < 0 : undefined;

const BUN_SOCKET: Shape = {
  kind: "connection",
  name: "Bun Socket",
  closed: (o) => bunClosedByFd(o) ?? (o.readyState === 0 || o.readyState === -1),
  hint: (o) => handleNumber(o.fd),
  local: (o) => ({ address: o.localAddress, port: o.localPort }),
  remote: (o) => ({ address: o.remoteAddress, port: o.remotePort }),
};

const BUN_LISTENER: Shape = {
  kind: "listener",
  name: "Bun TCPSocketListener",
  closed: bunClosedByFd,
  hint: (o) => handleNumber(o.fd),
  local: (o) => typeof o.port === "number" ? { address: o.hostname, port: o.port } : undefined,
  remote: () => null,
};

const BUN_UDP: Shape = {
  kind: "datagram",
  name: "Bun udpSocket",
  closed: (o) => o.closed === true || bunClosedByFd(o) === true,
  hint: (o) => handleNumber(o.fd),
  local: (o) =>
    isObject(o.address) ? { address: o.address.address, port: o.address.port } : undefined,
  remote: (o) =>
    isObject(o.remoteAddress)
      ? { address: o.remoteAddress.address, port: o.remoteAddress.port }
      : null,
};

/**
 * The shape of a runtime socket object, or undefined when `o` is none of those `handleOf` knows.
 * Reads a few properties (getters of the runtime's own objects; none has side effects).
 *
 * @param o The object.
 * @returns Its shape.
 */
export function shapeOf(o: object): Shape | undefined {
  const v = o as Obj;
  // Deno: address objects with a `transport`.
  if ("localAddr" in v && "remoteAddr" in v && denoAddr(v.localAddr)) return DENO_CONN;
  if ("addr" in v && denoAddr(v.addr)) {
    if (isFn(v.accept)) return DENO_LISTENER;
    if (isFn(v.receive) && isFn(v.send)) return DENO_DATAGRAM;
    return undefined;
  }
  // Node (and the node: modules of Deno and Bun).
  if (typeof v.destroyed === "boolean" && isFn(v.setKeepAlive) && isFn(v.setNoDelay)) {
    return NODE_SOCKET;
  }
  if (typeof v.listening === "boolean" && isFn(v.address) && isFn(v.getConnections)) {
    return NODE_SERVER;
  }
  if (isFn(v.address) && isFn(v.remoteAddress) && isFn(v.addMembership)) return NODE_DGRAM;
  // Bun.
  if (typeof v.readyState === "number" && "localPort" in v && "remotePort" in v) return BUN_SOCKET;
  if (typeof v.closed === "boolean" && isObject(v.address) && isFn(v.send)) return BUN_UDP;
  if (isFn(v.stop) && isFn(v.reload) && "port" in v && "hostname" in v) return BUN_LISTENER;
  return undefined;
}
