/**
 * Internal: how `handleOf` reads the socket objects of Deno, Bun and Node — recognised by their
 * shape (no runtime's classes or types are imported), each read through a {@link Shape}: what
 * kind of socket it is, what stands for its OS socket inside the runtime (its {@link Shape.key}),
 * what the runtime says of its state, the handle it exposes (if any, to be verified), and its
 * local and remote address as the runtime reports them.
 *
 * What each runtime tells:
 * - Deno (`Deno.Conn`/`TcpConn`/`TlsConn`, `Deno.Listener`, `Deno.DatagramConn`): addresses
 *   (`localAddr`, `remoteAddr`, `addr`), no handle. Where Deno's internals are present
 *   (`Deno[Deno.internal].core`), a connection or listener has its resource id, which Deno never
 *   gives to another resource: the key. Whether the resource is still open is asked of that one
 *   resource (a zero-byte `core.writeSync`, which a socket's resource refuses as NotSupported
 *   without doing anything, and which fails with BadResource once the resource is closed): the
 *   cost does not grow with the number of resources. A `DatagramConn` keeps its resource id
 *   private; it is asked through its own `dropMembership` method with an empty address, which
 *   looks the resource up and then refuses the address before any system call (the answer is read
 *   at once from the settled Promise, `core.getPromiseDetails`). Without those internals Deno
 *   cannot say.
 * - Bun (`Bun.connect`/`Bun.listen` sockets, `Bun.udpSocket`): `fd`, the OS handle (Linux fd,
 *   Windows SOCKET), -1 once closed; addresses. An object never changes socket: it is the key.
 * - Node (`net.Socket`, `net.Server`, `dgram.Socket`; also Deno's and Bun's `node:net`/`node:dgram`):
 *   `destroyed` / `pending` / `listening` / a `dgram` socket's internal state; the key is the
 *   internal handle (`_handle`, the dgram state's `handle`), which Node replaces when a server
 *   listens again or a socket connects again; its `fd` (POSIX; -1 on Windows; none in Deno's
 *   `node:net`); addresses.
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

/**
 * What a runtime says of its socket object: `"open"`, `"closed"`, `"notOpenYet"` (a socket not
 * connected, a server not listening, a datagram socket not bound: it may be opened later), or
 * undefined when it cannot say.
 */
export type RuntimeState = "open" | "closed" | "notOpenYet" | undefined;

/** How one kind of runtime object is read. */
export interface Shape {
  /** The kind of socket. */
  readonly kind: RuntimeKind;
  /** The runtime's name for it, for messages (`"Deno.Listener"`, `"net.Socket"`, …). */
  readonly name: string;
  /** What a socket of this kind lacks while it is not open yet, for messages (`"not bound"`). */
  readonly notOpen: string;
  /**
   * What stands for the OS socket inside the runtime: the same value (`===`) for as long as the
   * object has the same OS socket, another one once it has another (Node's `_handle`, which a
   * `net.Server` that listens again replaces; Deno's resource id; the object itself where it
   * never changes socket).
   */
  key(o: Record<PropertyKey, unknown>): unknown;
  /** What the runtime says of the socket's state. */
  state(o: Record<PropertyKey, unknown>): RuntimeState;
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

/** Deno's internals, where present: the symbols of rid and fd, and what asks a resource. */
interface DenoCore {
  readonly internalRidSymbol?: symbol;
  readonly internalFdSymbol?: symbol;
  writeSync?(rid: number, data: Uint8Array): number;
  getPromiseDetails?(promise: Promise<unknown>): readonly [number, unknown];
  readonly BadResource?: abstract new (...args: never[]) => Error;
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
      if (isObject(core) && isFn(core.BadResource)) denoCoreValue = core as DenoCore;
    } catch {
      // no internals to read
    }
  }
  return denoCoreValue;
}

const EMPTY = new Uint8Array(0);
const promiseThen = Promise.prototype.then;
const ignore = () => {};

/** A Deno connection's or listener's resource id: Deno's own (non-writable) property. */
function denoRid(o: Obj): number | undefined {
  const key = denoCore()?.internalRidSymbol;
  if (key === undefined) return undefined;
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d !== undefined && d.writable === false && typeof d.value === "number"
    ? d.value
    : undefined;
}

/** Deno's answer to a probe of one resource: BadResource once it is closed. */
function denoAnswer(core: DenoCore, e: unknown, open: (e: Error) => boolean): RuntimeState {
  if (!(e instanceof Error)) return undefined;
  if (e instanceof core.BadResource!) return "closed";
  return open(e) ? "open" : undefined;
}

/**
 * Deno: whether the resource of a connection or listener is still open, asked of that resource
 * alone — a zero-byte `writeSync`, refused (NotSupported) by a socket's resource without doing
 * anything, BadResource once it is gone.
 */
function denoState(o: Obj): RuntimeState {
  const core = denoCore();
  const rid = denoRid(o);
  if (core === undefined || rid === undefined || !isFn(core.writeSync)) return undefined;
  try {
    core.writeSync!(rid, EMPTY);
    return "open"; // a resource that writes: there, whatever it is
  } catch (e) {
    return denoAnswer(core, e, (x) => x.name === "NotSupported");
  }
}

/** The symbol named `description` on `o`'s prototype chain, by prototype. */
const protoSymbols = new WeakMap<object, symbol | null>();
function protoSymbol(o: Obj, description: string): symbol | undefined {
  const proto = Object.getPrototypeOf(o) as object | null;
  if (proto === null) return undefined;
  let s = protoSymbols.get(proto);
  if (s === undefined) {
    s = null;
    for (let p: object | null = proto; p !== null && s === null; p = Object.getPrototypeOf(p)) {
      s = Object.getOwnPropertySymbols(p).find((k) => k.description === description) ?? null;
    }
    protoSymbols.set(proto, s);
  }
  return s ?? undefined;
}

/**
 * Deno: whether a `DatagramConn`'s resource is still open. Its resource id is private; its
 * `dropMembership` method (what `node:dgram` uses) leaves an IPv4 group of `""`: Deno looks the
 * resource up first (BadResource once closed), then refuses the address as invalid, before any
 * system call. The op settles at once; its Promise is read without waiting.
 */
function denoDatagramState(o: Obj): RuntimeState {
  const core = denoCore();
  const drop = protoSymbol(o, "dropMembership");
  if (core === undefined || drop === undefined || !isFn(core.getPromiseDetails)) return undefined;
  // A "unixpacket" one would fail the UDP lookup as if closed: not asked (it has no IP address).
  if (!isObject(o.addr) || o.addr.transport !== "udp") return undefined;
  let p: unknown;
  try {
    p = Reflect.apply(o[drop] as () => unknown, o, [false, "", ""]);
  } catch {
    return undefined;
  }
  if (!(p instanceof Promise)) return undefined;
  Reflect.apply(promiseThen, p, [undefined, ignore]); // handled: no unhandled rejection
  const [settled, value] = core.getPromiseDetails!(p);
  // 2: rejected. A TypeError is an argument this Deno does not take (the resource unasked).
  return settled === 2 ? denoAnswer(core, value, (x) => !(x instanceof TypeError)) : undefined;
}

function denoHint(o: Obj): bigint | undefined {
  const key = denoCore()?.internalFdSymbol;
  return key === undefined ? undefined : handleNumber(o[key]);
}

/** A Deno connection's or listener's key: its resource id, else (no internals) the object. */
const denoKey = (o: Obj): unknown => denoRid(o) ?? o;

/** A Deno shape: key, state and hint from Deno's internals, addresses from its address objects. */
function denoShape(
  kind: RuntimeKind,
  name: string,
  local: (o: Obj) => Endpoint | undefined,
  remote: (o: Obj) => Endpoint | null | undefined,
): Shape {
  return { kind, name, notOpen: "", key: denoKey, state: denoState, hint: denoHint, local, remote };
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
const DENO_DATAGRAM: Shape = {
  ...denoShape("datagram", "Deno.DatagramConn", (o) => denoEndpoint(o.addr), () => null),
  key: (o) => o, // its resource id never changes, and is private
  state: denoDatagramState,
};

/** Node's `_handle.fd` (a real descriptor on POSIX, -1 on Windows). */
function nodeHint(o: Obj): bigint | undefined {
  const h = o._handle;
  return isObject(h) ? handleNumber(h.fd) : undefined;
}

/** Node's internal handle: what a `net.Socket` or `net.Server` replaces when opened again. */
const nodeKey = (o: Obj): unknown => o._handle;

const NODE_SOCKET: Shape = {
  kind: "connection",
  name: "net.Socket",
  notOpen: "not connected",
  key: nodeKey,
  // Never connected, or connecting (`pending`): no peer to match yet.
  state: (o) =>
    o.destroyed === true
      ? "closed"
      : o.pending === true || o._handle === null || o._handle === undefined
      ? "notOpenYet"
      : "open",
  hint: nodeHint,
  local: (o) =>
    o.localPort === undefined ? undefined : { address: o.localAddress, port: o.localPort },
  remote: (o) =>
    o.remotePort === undefined ? undefined : { address: o.remoteAddress, port: o.remotePort },
};

const NODE_SERVER: Shape = {
  kind: "listener",
  name: "net.Server",
  notOpen: "not listening",
  key: nodeKey,
  // A server that stopped listening may listen again (on another socket): not open yet.
  state: (o) => (o.listening === true ? "open" : "notOpenYet"),
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
  notOpen: "not bound",
  key: (o) => dgramState(o)?.handle ?? o,
  state(o) {
    const state = dgramState(o);
    if (state !== undefined && (state.handle === null || state.handle === undefined)) {
      return "closed";
    }
    // bindState BIND_STATE_BOUND is 2 in Node and Bun (0 unbound, 1 binding).
    if (typeof state?.bindState === "number") return state.bindState === 2 ? "open" : "notOpenYet";
    // address() throws once closed, and before bind: which one, it does not say.
    return dgramCall(o, "address") === undefined ? "closed" : "open";
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
const openUnless = (closed: boolean | undefined): RuntimeState =>
  closed === undefined ? undefined : closed ? "closed" : "open";
/** A Bun object never changes socket: the object itself is the key. */
const itself = (o: Obj): unknown => o;

const BUN_SOCKET: Shape = {
  kind: "connection",
  name: "Bun Socket",
  notOpen: "",
  key: itself,
  state: (o) => openUnless(bunClosedByFd(o) ?? (o.readyState === 0 || o.readyState === -1)),
  hint: (o) => handleNumber(o.fd),
  local: (o) => ({ address: o.localAddress, port: o.localPort }),
  remote: (o) => ({ address: o.remoteAddress, port: o.remotePort }),
};

const BUN_LISTENER: Shape = {
  kind: "listener",
  name: "Bun TCPSocketListener",
  notOpen: "",
  key: itself,
  state: (o) => openUnless(bunClosedByFd(o)),
  hint: (o) => handleNumber(o.fd),
  local: (o) => typeof o.port === "number" ? { address: o.hostname, port: o.port } : undefined,
  remote: () => null,
};

const BUN_UDP: Shape = {
  kind: "datagram",
  name: "Bun udpSocket",
  notOpen: "",
  key: itself,
  state: (o) => openUnless(o.closed === true || bunClosedByFd(o) === true),
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
