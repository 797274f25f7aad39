/**
 * The machine's interfaces and addresses, as plain values: {@link interfaceList}
 * (SIO_GET_INTERFACE_LIST), {@link interfaceListEx} (SIO_GET_INTERFACE_LIST_EX) and
 * {@link addressList} (SIO_ADDRESS_LIST_QUERY). The output buffers are the library's own, grown
 * until the list fits, up to a cap per call (a size reported past it is refused, not allocated);
 * every count, length and pointer Windows writes is checked against the bytes it said it wrote
 * before anything is read.
 *
 * On Windows these are Winsock's answers. On Linux and macOS the native layer answers them from
 * the platform's own interface list (`getifaddrs`), in the same Windows layout, on the 64-bit
 * little-endian CPUs whose `struct ifaddrs` layout is verified; elsewhere they throw
 * `UnsupportedError` naming the call.
 *
 * @example
 * ```ts
 * import { addressList, interfaceList, Socket } from "@x/wsioctl";
 * export function localAddresses(s: Socket): string[] {
 *   const up = interfaceList(s).filter((i) => i.flags.up && !i.flags.loopback);
 *   return [...up.map((i) => i.address), ...addressList(s).map((a) => a.address)];
 * }
 * ```
 *
 * @module
 */

import {
  ioctlLabel,
  SIO_ADDRESS_LIST_QUERY,
  SIO_GET_INTERFACE_LIST,
  SIO_GET_INTERFACE_LIST_EX,
} from "../codes/mod.ts";
import { WinsockError } from "../errors.ts";
import {
  _ioctlOwnedStatus,
  _lastBytesReturned,
  bufferAddress,
  socketHandle,
  type TypedCall,
  typedFailure,
} from "../ioctl.ts";
import {
  AF_UNSPEC,
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_POINTTOPOINT,
  IFF_UP,
  InterfaceInfo,
  InterfaceInfoEx,
  parseInterfaceListEx,
  parseSocketAddressList,
  type SockaddrGen,
  type SocketAddress,
} from "../structs/mod.ts";
import type { SocketRef } from "./_shared.ts";
import { WSAEFAULT, WSAENOBUFS } from "../_wsa.ts";

/** The `IFF_*` flags of an interface, decoded. */
export interface InterfaceFlags {
  /** `IFF_UP`: the interface is up. */
  up: boolean;
  /** `IFF_BROADCAST`: it supports broadcast. */
  broadcast: boolean;
  /** `IFF_LOOPBACK`: it is a loopback interface. */
  loopback: boolean;
  /** `IFF_POINTTOPOINT`: it is a point-to-point link. */
  pointToPoint: boolean;
  /** `IFF_MULTICAST`: it supports multicast. */
  multicast: boolean;
}

/** One address of an interface, as {@link interfaceList} and {@link interfaceListEx} answer. */
export interface InterfaceEntry {
  /** The address, as text (dotted IPv4 or RFC 5952 IPv6). */
  address: string;
  /** The broadcast address, as text; `""` when Windows leaves it unset. */
  broadcast: string;
  /** The netmask, as text; `""` when Windows leaves it unset. */
  netmask: string;
  /** The interface's flags. */
  flags: InterfaceFlags;
}

/** How much bigger each retry's buffer is. */
const GROWTH = 4;
/** How many times a list call runs before it gives up (the last buffer: first × 4^5). */
const LIST_ATTEMPTS = 6;

/**
 * How one list code is fetched: its first buffer, the room a further entry would need, and the
 * largest buffer it ever gets.
 */
interface ListCode {
  readonly code: number;
  /** The first buffer's size: room for a typical machine. */
  readonly first: number;
  /** Fewer free bytes than this after a success means the list may have been cut: grow. */
  readonly room: number;
  /**
   * The cap: the last of the {@link LIST_ATTEMPTS} buffers, first × 4^5, which the typed calls'
   * JSDoc gives. A size the native layer reports needing beyond it is refused, never allocated.
   */
  readonly cap: number;
}

/** A list code, its cap the last buffer of the ×{@link GROWTH} sequence. */
function listCode(code: number, first: number, room: number): ListCode {
  return { code, first, room, cap: first * GROWTH ** (LIST_ATTEMPTS - 1) };
}

/**
 * 32 × INTERFACE_INFO (76 bytes): Windows writes what fits, or fails with WSAEFAULT. Cap:
 * 2,490,368 bytes (32,768 entries).
 */
const INTERFACE_LIST = listCode(
  SIO_GET_INTERFACE_LIST,
  32 * InterfaceInfo.SIZE,
  InterfaceInfo.SIZE,
);
/**
 * 32 × INTERFACE_INFO_EX (56 bytes) with its three sockaddr_in6 (28 bytes each). Cap: 4,587,520
 * bytes (32,768 entries with three IPv6 sockaddrs each).
 */
const INTERFACE_LIST_EX = listCode(
  SIO_GET_INTERFACE_LIST_EX,
  32 * (InterfaceInfoEx.SIZE + 3 * 28),
  InterfaceInfoEx.SIZE + 3 * 28,
);
/**
 * SIO_ADDRESS_LIST_QUERY writes the whole list or fails with WSAEFAULT: no partial answers. Cap:
 * 4 MiB (over 90,000 IPv6 addresses).
 */
const ADDRESS_LIST = listCode(SIO_ADDRESS_LIST_QUERY, 4096, 0);

const INTERFACE_LIST_CALL: TypedCall = {
  name: "interfaceList",
  hints: { 10022: "SIO_GET_INTERFACE_LIST needs an IPv4 (inet) socket" },
};
const INTERFACE_LIST_EX_CALL: TypedCall = {
  name: "interfaceListEx",
  hints: {
    10022: "SIO_GET_INTERFACE_LIST_EX is not implemented by Windows' own providers",
    10045: "SIO_GET_INTERFACE_LIST_EX is not implemented by Windows' own providers",
  },
};
const ADDRESS_LIST_CALL: TypedCall = { name: "addressList" };

/**
 * Runs a list code in a buffer of the library's own, grown on WSAEFAULT / WSAENOBUFS or a full
 * answer — to the size the refusal reports needing, else ×4 — at most {@link LIST_ATTEMPTS}
 * times and never past the code's cap.
 *
 * @returns The buffer handed to WSAIoctl and the bytes Windows wrote into it.
 * @throws {WinsockError} WSAEFAULT when the list did not fit in the last buffer.
 * @throws {Error} when a refusal reports needing more than the cap (nothing is allocated).
 */
function fetchList(
  h: bigint,
  list: ListCode,
  call: TypedCall,
): { out: Uint8Array; length: number } {
  let size = list.first;
  for (let attempt = 1;; attempt++) {
    const out = new Uint8Array(new ArrayBuffer(size));
    const r = _ioctlOwnedStatus(h, list.code, null, 0, out, size, call);
    if (r > size) {
      throw malformed(call, list.code, `${r} bytes returned from a ${size}-byte buffer`);
    }
    if (r >= 0 && size - r >= list.room) return { out, length: r };
    if (r < 0 && -r !== WSAEFAULT && -r !== WSAENOBUFS) throw typedFailure(-r, list.code, call);
    // The size the answer needs, where Windows (or the POSIX layer) reports it; else ×4.
    const needed = r < 0 ? _lastBytesReturned() : 0;
    if (needed > list.cap) {
      throw new Error(
        `${call.name}: WSAIoctl(${ioctlLabel(list.code)}) asked for a ${needed}-byte buffer, ` +
          `more than the ${list.cap} bytes the library allocates for this list`,
      );
    }
    if (attempt === LIST_ATTEMPTS || size >= list.cap) {
      throw new WinsockError(WSAEFAULT, {
        call: "WSAIoctl",
        ioctl: ioctlLabel(list.code),
        typedCall: call.name,
        hint: `the list did not fit in ${size} bytes after ${attempt} attempts`,
      });
    }
    size = needed > size ? needed : Math.min(size * GROWTH, list.cap);
  }
}

/** The error for an answer that breaks its own layout: a clear Error, nothing read outside it. */
function malformed(call: TypedCall, code: number, detail: string, cause?: unknown): Error {
  return new Error(
    `${call.name}: WSAIoctl(${ioctlLabel(code)}) answered malformed output: ${detail}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Internal, shared with sio/routes.ts: runs `read` over an output Windows wrote, turning a
 * bounds or family error of the structs' parsers into an Error naming the call and the IOCTL.
 *
 * @param call The typed call.
 * @param code The control code.
 * @param read Parses the output.
 * @returns What `read` returns.
 * @throws {Error} when `read` throws.
 */
export function parsedAnswer<T>(call: TypedCall, code: number, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw malformed(call, code, e instanceof Error ? e.message : String(e), e);
  }
}

function flagsOf(bits: number): InterfaceFlags {
  return {
    up: (bits & IFF_UP) !== 0,
    broadcast: (bits & IFF_BROADCAST) !== 0,
    loopback: (bits & IFF_LOOPBACK) !== 0,
    pointToPoint: (bits & IFF_POINTTOPOINT) !== 0,
    multicast: (bits & IFF_MULTICAST) !== 0,
  };
}

/** A `sockaddr_gen` as text: `""` for AF_UNSPEC (unset), an error for an unknown family. */
function genText(sa: SockaddrGen): string {
  return sa.family === AF_UNSPEC ? "" : sa.toSocketAddress().address;
}

/**
 * The IPv4 addresses of the machine's interfaces, with broadcast address, netmask and flags
 * (SIO_GET_INTERFACE_LIST: an array of `INTERFACE_INFO`, 76 bytes each). One entry per unicast
 * address, loopback included. Windows NT 4.0 SP4 / 98 and later; it needs an IPv4 (`"inet"`)
 * socket: on another family Windows refuses with WSAEINVAL. On Linux and macOS the answer comes
 * from `getifaddrs`, in the Windows layout (IFF_UP meaning up and running, the broadcast address
 * the interface's own where Windows writes 255.255.255.255).
 *
 * The buffer starts with room for 32 entries and grows ×4 while Windows answers WSAEFAULT
 * (too small) or fills it, six calls at most. Its cap is the sixth buffer, 2,490,368 bytes (room
 * for 32768 entries): a refusal that reports needing more is an Error, never an allocation.
 *
 * Platforms: Windows; Linux and macOS (emulated: getifaddrs, written in the Windows layout).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: an IPv4 socket of any
 * type.
 * @returns One entry per address.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a CPU whose `struct ifaddrs` layout is not verified.
 * @throws {WinsockError} when Winsock refuses (WSAEINVAL on an IPv6 socket), or WSAEFAULT when
 * the list outgrew the last buffer.
 * @throws {Error} when the answer breaks its own layout (an unknown address family, a length
 * that is not a whole number of entries), or a refusal asks for more than the cap.
 * @example
 * ```ts
 * import { interfaceList, Socket } from "@x/wsioctl";
 * export function loopbacks(s: Socket): string[] {
 *   return interfaceList(s).filter((i) => i.flags.loopback).map((i) => i.address);
 * }
 * ```
 */
export function interfaceList(s: SocketRef): InterfaceEntry[] {
  const call = INTERFACE_LIST_CALL;
  const h = socketHandle(s, call.name);
  const { out, length } = fetchList(h, INTERFACE_LIST, call);
  if (length % InterfaceInfo.SIZE !== 0) {
    throw malformed(call, SIO_GET_INTERFACE_LIST, `${length} bytes is not a whole number of 76`);
  }
  return parsedAnswer(
    call,
    SIO_GET_INTERFACE_LIST,
    () =>
      Array.from(InterfaceInfo.list(out, length), (ii) => ({
        address: genText(ii.address),
        broadcast: genText(ii.broadcastAddress),
        netmask: genText(ii.netmask),
        flags: flagsOf(ii.flags),
      })),
  );
}

/** An address as text, with its `%scope` when it has one. */
function text(a: SocketAddress): string {
  return a.scopeId ? `${a.address}%${a.scopeId}` : a.address;
}

/**
 * The addresses of the machine's interfaces, IPv6 included (SIO_GET_INTERFACE_LIST_EX: an
 * array of `INTERFACE_INFO_EX`, 56 bytes each, whose `SOCKET_ADDRESS` pointers point at
 * sockaddrs after the array). The reference calls this code "not currently supported on
 * Windows": Windows' own providers refuse it, so use {@link interfaceList} or
 * {@link addressList} there. Its answer, where a provider gives one, is parsed with every
 * pointer checked to lie inside the bytes written. The buffer starts with room for 32 entries
 * (each with three IPv6 sockaddrs) and grows as {@link interfaceList}'s does, to the size a
 * refusal reports needing or ×4, six calls at most; its cap is 4,587,520 bytes, and a refusal
 * that reports needing more is an Error, never an allocation.
 *
 * Platforms: Windows; Linux and macOS (emulated: getifaddrs, written in the Windows layout).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns One entry per address: IPv6 text carries its `%scope` when the scope id is not 0;
 * `broadcast` / `netmask` are `""` when their pointer is null.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a CPU whose `struct ifaddrs` layout is not verified.
 * @throws {WinsockError} when Winsock refuses (as Windows' providers do).
 * @throws {Error} when the answer breaks its own layout (a pointer outside it, an unknown
 * family, an entry without an address), or a refusal asks for more than the cap.
 * @example
 * ```ts
 * import { interfaceListEx, Socket, WinsockError } from "@x/wsioctl";
 * export function interfacesEx(s: Socket): string[] {
 *   try {
 *     return interfaceListEx(s).map((i) => i.address);
 *   } catch (e) {
 *     if (e instanceof WinsockError) return []; // Windows' providers refuse it
 *     throw e;
 *   }
 * }
 * ```
 */
export function interfaceListEx(s: SocketRef): InterfaceEntry[] {
  const call = INTERFACE_LIST_EX_CALL;
  const h = socketHandle(s, call.name);
  const { out, length } = fetchList(h, INTERFACE_LIST_EX, call);
  const base = bufferAddress(out);
  return parsedAnswer(
    call,
    SIO_GET_INTERFACE_LIST_EX,
    () =>
      parseInterfaceListEx(out, base, length).map((e, i) => {
        if (e.address === null) throw new RangeError(`entry ${i} has no address`);
        return {
          address: text(e.address),
          broadcast: e.broadcastAddress === null ? "" : text(e.broadcastAddress),
          netmask: e.netmask === null ? "" : text(e.netmask),
          flags: flagsOf(e.flags),
        };
      }),
  );
}

/**
 * Internal, shared with the change notifications: the address list, errors named after `call`.
 *
 * @param s The socket.
 * @param call The typed call the errors name.
 * @returns The addresses.
 */
export function readAddressList(s: SocketRef, call: TypedCall): SocketAddress[] {
  const h = socketHandle(s, call.name);
  const { out, length } = fetchList(h, ADDRESS_LIST, call);
  // The lpSockaddr pointers hold addresses inside `out`: resolved against its own address.
  const base = bufferAddress(out);
  return parsedAnswer(
    call,
    SIO_ADDRESS_LIST_QUERY,
    () =>
      parseSocketAddressList(out, base, length).map((a, i) => {
        if (a === null) throw new RangeError(`Address[${i}].lpSockaddr is null`);
        return a;
      }),
  );
}

/**
 * The local addresses of the socket's family that a socket can bind to (SIO_ADDRESS_LIST_QUERY:
 * a `SOCKET_ADDRESS_LIST` whose pointers point into the same buffer). Windows leaves loopback
 * addresses out. IPv6 addresses keep their scope id. Windows 2000 and later. Wine answers one
 * IPv4 address per adapter whatever the socket's family, and `0.0.0.0` for an adapter without
 * one.
 *
 * Each `lpSockaddr` is resolved as an offset from the native address of the buffer handed to
 * Windows, and must lie (with its length) inside the bytes Windows said it wrote. The buffer
 * starts at 4 KiB and grows while Windows answers WSAEFAULT — to the size it reports needing,
 * else ×4 — six calls at most. Its cap is 4 MiB (the sixth ×4 buffer): a refusal that reports
 * needing more is an Error, never an allocation.
 * Wait for the next change with `addressListChange`, or follow them with `addressListChanges`.
 *
 * Platforms: Windows; Linux and macOS (emulated: getifaddrs, written in the Windows layout,
 * loopback left out as on Windows).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: its family picks the
 * addresses.
 * @returns The addresses, ports 0.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on a CPU whose `struct ifaddrs` layout is not verified.
 * @throws {WinsockError} when Winsock refuses, or WSAEFAULT when the list outgrew the last
 * buffer.
 * @throws {Error} when the answer breaks its own layout (a count larger than the bytes
 * written, a pointer outside them, an unknown family), or a refusal asks for more than the cap.
 * @example
 * ```ts
 * import { addressList, Socket } from "@x/wsioctl";
 * export function bindable(): string[] {
 *   using s = Socket.open("inet6", "dgram");
 *   return addressList(s).map((a) => `${a.address}%${a.scopeId}`);
 * }
 * ```
 */
export function addressList(s: SocketRef): SocketAddress[] {
  return readAddressList(s, ADDRESS_LIST_CALL);
}
