/**
 * Per-socket settings that take one small value and return nothing: the UDP reset reports
 * ({@link setUdpConnReset}, {@link setUdpNetReset}), the TCP loopback fast path
 * ({@link setLoopbackFastPath}), the send priority hint ({@link setPriorityHint}), the
 * compatibility mode ({@link setCompatibilityMode}) and the processor of a UDP socket
 * ({@link setCpuAffinity}). All are Windows IOCTLs. Off Windows `setUdpConnReset(s, false)` and
 * `setUdpNetReset(s, false)` run (they are already the behaviour there), and on Linux
 * `setCpuAffinity` (SO_INCOMING_CPU); everything else throws `UnsupportedError` naming the call
 * and, where there is one, what the platform offers instead.
 *
 * @example
 * ```ts
 * import { setUdpConnReset, Socket } from "@x/wsioctl";
 * // A UDP server that must not die when one client goes away.
 * export function openServer(port: number): Socket {
 *   const s = Socket.open("inet", "dgram");
 *   s.bind("0.0.0.0", port);
 *   setUdpConnReset(s, false);
 *   return s;
 * }
 * ```
 *
 * @module
 */

import {
  SIO_CPU_AFFINITY,
  SIO_LOOPBACK_FAST_PATH,
  SIO_SET_COMPATIBILITY_MODE,
  SIO_SET_PRIORITY_HINT,
  SIO_UDP_CONNRESET,
  SIO_UDP_NETRESET,
} from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import {
  PRIORITY_HINT,
  PriorityHint,
  WSA_COMPATIBILITY_BEHAVIOR_ID,
  WsaCompatibilityMode,
} from "../structs/mod.ts";
import { checkBoolean, checkEnum, checkObject, checkUint16, checkUint32 } from "../_validate.ts";
import { in4, in4View, ownBytes, type SocketRef } from "./_shared.ts";

const UDP_CONN_RESET: TypedCall = { name: "setUdpConnReset" };
const UDP_NET_RESET: TypedCall = { name: "setUdpNetReset" };
const LOOPBACK_FAST_PATH: TypedCall = {
  name: "setLoopbackFastPath",
  hints: {
    10022: "SIO_LOOPBACK_FAST_PATH must be set before connect (connecting end) or before " +
      "accept (listening socket)",
    10045: "SIO_LOOPBACK_FAST_PATH works on TCP sockets only, on Windows 8 to the Windows " +
      "versions that still keep it (it is deprecated)",
  },
};
const PRIORITY: TypedCall = {
  name: "setPriorityHint",
  hints: { 10045: "SIO_SET_PRIORITY_HINT needs Windows 10 1809 or later and a TCP socket" },
};
const COMPATIBILITY: TypedCall = { name: "setCompatibilityMode" };
const CPU_AFFINITY: TypedCall = {
  name: "setCpuAffinity",
  hints: {
    10022: "SIO_CPU_AFFINITY must come before bind, on a UDP socket without SO_REUSEADDR " +
      "or SO_REUSE_MULTICASTPORT",
  },
};

/** The hint names of {@link setPriorityHint} and their `PRIORITY_HINT` values. */
const PRIORITY_HINTS: Readonly<Record<string, number>> = Object.freeze({
  veryLow: PRIORITY_HINT.IoPriorityHintVeryLow,
  low: PRIORITY_HINT.IoPriorityHintLow,
  normal: PRIORITY_HINT.IoPriorityHintNormal,
});

/** The behavior names of {@link setCompatibilityMode} and their `WSA_COMPATIBILITY_BEHAVIOR_ID`. */
const BEHAVIORS: Readonly<Record<string, number>> = Object.freeze({
  all: WSA_COMPATIBILITY_BEHAVIOR_ID.WsaBehaviorAll,
  receiveBuffering: WSA_COMPATIBILITY_BEHAVIOR_ID.WsaBehaviorReceiveBuffering,
  autoTuning: WSA_COMPATIBILITY_BEHAVIOR_ID.WsaBehaviorAutoTuning,
});

// The struct inputs, allocated once (JavaScript runs one call at a time).
const priorityIn = PriorityHint.alloc();
const priorityBytes = ownBytes(priorityIn);
const compatibilityIn = WsaCompatibilityMode.alloc();
const compatibilityBytes = ownBytes(compatibilityIn);

/** One BOOL (or int) 0/1 as the whole input: the shape of the four on/off codes. */
function setFlag(s: SocketRef, enabled: boolean, code: number, call: TypedCall): void {
  const on = checkBoolean(enabled, "enabled");
  const h = socketHandle(s, call.name);
  in4View.setUint32(0, on ? 1 : 0, true);
  _ioctlOwned(h, code, in4, 4, null, 0, call);
}

/**
 * Turns the reporting of ICMP "port unreachable" on a UDP socket on or off
 * (SIO_UDP_CONNRESET). **Call `setUdpConnReset(s, false)` on every UDP socket that serves
 * more than one peer on Windows**: it is the fix for UDP servers that die on WSAECONNRESET.
 *
 * What goes wrong without it: when the socket sends a datagram to a port where nothing
 * listens (a client that went away, a NAT mapping that expired), the other host answers with
 * ICMP "port unreachable". Windows remembers that answer on the socket, and a later
 * `recvfrom` on it fails with WSAECONNRESET (10054) instead of returning the next datagram —
 * even on an unconnected socket whose other peers are all fine. A receive loop that treats an
 * error as fatal stops serving everyone because of one peer. With reporting off, the ICMP
 * message is dropped and receiving goes on.
 *
 * When to call it: once per socket, right after `Socket.open` (or after `bind`), before the
 * first send or receive; the setting lasts for the socket's life. Reporting is on by default
 * on Windows. Windows 2000 and later.
 *
 * Off Windows: `setUdpConnReset(s, false)` succeeds and changes nothing, because Linux and
 * macOS never report ICMP errors on an unconnected UDP socket ("off" is already how they
 * behave); `setUdpConnReset(s, true)` throws {@link UnsupportedError}, whose `instead` says how
 * they report ICMP errors (a connected UDP socket; IP_RECVERR on Linux).
 *
 * Platforms: Windows; Linux and macOS (emulated: false only, which changes nothing: an unconnected
 * UDP socket reports no ICMP errors there; true throws UnsupportedError).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a UDP socket.
 * @param enabled `false` to ignore "port unreachable" (what servers want), `true` to report it
 * as WSAECONNRESET (the Windows default).
 * @throws {TypeError} when `enabled` is not a boolean, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows, for `enabled` `true`.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAENOTSOCK).
 * @example
 * ```ts
 * import { setUdpConnReset, Socket } from "@x/wsioctl";
 * // A UDP server: one client that vanished must not end the receive loop.
 * export function openUdpServer(port: number): Socket {
 *   const s = Socket.open("inet", "dgram");
 *   setUdpConnReset(s, false);
 *   s.bind("0.0.0.0", port);
 *   return s;
 * }
 * ```
 */
export function setUdpConnReset(s: SocketRef, enabled: boolean): void {
  setFlag(s, enabled, SIO_UDP_CONNRESET, UDP_CONN_RESET);
}

/**
 * Turns the reporting of ICMP "TTL expired in transit" on a UDP socket on or off
 * (SIO_UDP_NETRESET): when on, a later `recvfrom` fails with WSAENETRESET (10052) after such a
 * message arrives. The companion of {@link setUdpConnReset}; a UDP server that must keep
 * receiving calls both with `false`. Windows XP and later; set it once per socket, before it
 * receives.
 *
 * Off Windows: `setUdpNetReset(s, false)` succeeds and changes nothing (Linux and macOS never
 * report ICMP errors on an unconnected UDP socket); `setUdpNetReset(s, true)` throws
 * {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (emulated: false only, which changes nothing: an unconnected
 * UDP socket reports no ICMP errors there; true throws UnsupportedError).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a UDP socket.
 * @param enabled `false` to ignore "TTL expired", `true` to report it as WSAENETRESET.
 * @throws {TypeError} when `enabled` is not a boolean, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows, for `enabled` `true`.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEOPNOTSUPP where the provider lacks it).
 * @example
 * ```ts
 * import { setUdpConnReset, setUdpNetReset, Socket } from "@x/wsioctl";
 * export function quietUdp(s: Socket): void {
 *   setUdpConnReset(s, false);
 *   setUdpNetReset(s, false);
 * }
 * ```
 */
export function setUdpNetReset(s: SocketRef, enabled: boolean): void {
  setFlag(s, enabled, SIO_UDP_NETRESET, UDP_NET_RESET);
}

/**
 * Asks for the TCP loopback fast path (SIO_LOOPBACK_FAST_PATH): lower latency between two
 * sockets of the same machine over 127.0.0.1 or ::1. Deprecated by Microsoft and not
 * recommended for new code. Windows 8 / Server 2012 and later.
 *
 * Preconditions (from the reference): TCP sockets only; both ends must set it; the connecting
 * socket before `connect`, the listening socket before `accept`. On a socket that connects to
 * another machine it has no effect. Off Windows it throws {@link UnsupportedError}, whose
 * `instead` says why nothing is lost: loopback needs no fast path on Linux and macOS.
 *
 * Platforms: Windows; Linux (unsupported; instead: loopback needs no fast path on linux); macOS
 * (unsupported; instead: loopback needs no fast path on darwin).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP socket, not yet
 * connected.
 * @param enabled `true` to use the fast path.
 * @throws {TypeError} when `enabled` is not a boolean, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (the message hints at the preconditions).
 * @example
 * ```ts
 * import { setLoopbackFastPath, Socket } from "@x/wsioctl";
 * export function fastLocalClient(port: number): Socket {
 *   const s = Socket.open("inet", "stream");
 *   setLoopbackFastPath(s, true); // before connect
 *   s.connect("127.0.0.1", port);
 *   return s;
 * }
 * ```
 */
export function setLoopbackFastPath(s: SocketRef, enabled: boolean): void {
  setFlag(s, enabled, SIO_LOOPBACK_FAST_PATH, LOOPBACK_FAST_PATH);
}

/**
 * Hints the priority of the socket's outgoing traffic (SIO_SET_PRIORITY_HINT, a
 * `PRIORITY_HINT`). With `"veryLow"` Windows' TCP sends as a scavenger (a LEDBAT variant, RFC
 * 6817) that yields to normal traffic: for background transfers. Incoming traffic is not
 * affected. Windows 10 1809 (build 17763) and later; off Windows it throws
 * {@link UnsupportedError} (on Linux its `instead` names the nearest thing: the TCP-LP
 * congestion control, chosen with TCP_CONGESTION).
 *
 * Platforms: Windows; Linux (unsupported; instead: TCP_CONGESTION "lp" (TCP Low Priority, where its
 * module is loaded)); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP socket.
 * @param hint `"veryLow"` (IoPriorityHintVeryLow 0), `"low"` (1) or `"normal"` (2).
 * @throws {TypeError} when `hint` is not a string, or `s` none of a Socket, a bigint and a runtime
 * socket.
 * @throws {RangeError} when `hint` is not one of the three names, or a raw handle is out of
 * range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEOPNOTSUPP before Windows 10 1809).
 * @example
 * ```ts
 * import { setPriorityHint, Socket } from "@x/wsioctl";
 * export function backgroundUpload(s: Socket): void {
 *   setPriorityHint(s, "veryLow");
 * }
 * ```
 */
export function setPriorityHint(s: SocketRef, hint: "veryLow" | "low" | "normal"): void {
  const value = checkEnum(hint, "hint", PRIORITY_HINTS);
  const h = socketHandle(s, PRIORITY.name);
  priorityIn.value = value;
  _ioctlOwned(h, SIO_SET_PRIORITY_HINT, priorityBytes, PriorityHint.SIZE, null, 0, PRIORITY);
}

/** The argument of {@link setCompatibilityMode}: a `WSA_COMPATIBILITY_MODE`. */
export interface CompatibilityMode {
  /**
   * Which behavior (`WSA_COMPATIBILITY_BEHAVIOR_ID`): `"all"` (WsaBehaviorAll 0),
   * `"receiveBuffering"` (1: may SO_RCVBUF shrink after the connection is up) or
   * `"autoTuning"` (2: receive window auto-tuning and window scaling).
   */
  behavior: "all" | "receiveBuffering" | "autoTuning";
  /**
   * The Windows version whose behavior is wanted, as an NTDDI value (a ULONG): e.g.
   * `0x06000000` for Windows Vista; a value below Vista's asks for the older behavior.
   */
  targetOsVersion: number;
}

/**
 * Asks the TCP stack to behave as a given Windows version does, for behaviors that changed
 * across versions (SIO_SET_COMPATIBILITY_MODE, a `WSA_COMPATIBILITY_MODE`). With a target
 * before Vista, `"receiveBuffering"` forbids shrinking SO_RCVBUF once connected, and
 * `"autoTuning"` turns receive window auto-tuning and window scaling off (at most 65,535 bytes
 * of window); with Vista or later both are allowed. Windows Vista and later; off Windows it
 * throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP socket.
 * @param mode `{ behavior, targetOsVersion }`.
 * @throws {TypeError} when `mode` is not an object, `mode.behavior` not a string,
 * `mode.targetOsVersion` not an integer, or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `mode.behavior` is not one of the three names, `targetOsVersion`
 * is outside 0..2^32-1, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses.
 * @example
 * ```ts
 * import { setCompatibilityMode, Socket } from "@x/wsioctl";
 * export function noAutoTuning(s: Socket): void {
 *   // Windows XP's behavior (NTDDI_WINXP): no window auto-tuning on this socket.
 *   setCompatibilityMode(s, { behavior: "autoTuning", targetOsVersion: 0x05010000 });
 * }
 * ```
 */
export function setCompatibilityMode(s: SocketRef, mode: CompatibilityMode): void {
  const m = checkObject(mode, "mode");
  const behavior = checkEnum(m.behavior, "mode.behavior", BEHAVIORS);
  const target = checkUint32(m.targetOsVersion, "mode.targetOsVersion");
  const h = socketHandle(s, COMPATIBILITY.name);
  compatibilityIn.behaviorId = behavior;
  compatibilityIn.targetOsVersion = target;
  _ioctlOwned(
    h,
    SIO_SET_COMPATIBILITY_MODE,
    compatibilityBytes,
    WsaCompatibilityMode.SIZE,
    null,
    0,
    COMPATIBILITY,
  );
}

/**
 * Ties a UDP socket to one processor (SIO_CPU_AFFINITY, a USHORT processor index): several
 * sockets, each on its own processor and then bound to the same address, share the port, and
 * each receives the datagrams its processor takes in (one flow always reaches the same socket).
 *
 * - Windows 10 2004 (SDK 10.0.19041) and later: the flows are spread by their RSS hash, which
 *   picks the processor.
 * - Linux (4.4 and later): `SO_INCOMING_CPU` set to `processor`, and `SO_REUSEPORT` on — the
 *   port sharing the Windows code turns on. The sockets bound to one address form a
 *   SO_REUSEPORT group, and the kernel hands a datagram to the member whose CPU is the one that
 *   handled it (the CPU the network card's RSS queue, or RPS, gives the flow); other sockets of
 *   the same user that set SO_REUSEPORT may join the group, as on any SO_REUSEPORT port. A
 *   processor the machine lacks is accepted and matches no datagram.
 * - macOS has no equivalent: {@link UnsupportedError}.
 *
 * Preconditions (from the reference), checked on Linux too so that code which works there works
 * on Windows: UDP sockets only; before `bind` (WSAEINVAL after it); not together with
 * SO_REUSEADDR or SO_REUSE_MULTICASTPORT.
 *
 * Platforms: Windows; Linux (emulated: SO_INCOMING_CPU + SO_REUSEPORT, after Windows' checks (UDP,
 * before bind, no SO_REUSEADDR)); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: an unbound UDP socket.
 * @param processor The processor index, 0-based (0..65535): on Linux the CPU number.
 * @throws {TypeError} when `processor` is not an integer, or `s` none of a Socket, a bigint and a
 * runtime socket.
 * @throws {RangeError} when `processor` is outside 0..65535, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on macOS and the other systems without SO_INCOMING_CPU.
 * @throws {WinsockError} when Winsock refuses (WSAEINVAL hints at the preconditions).
 * @example
 * ```ts
 * import { setCpuAffinity, Socket } from "@x/wsioctl";
 * export function openOnProcessor(processor: number, port: number): Socket {
 *   const s = Socket.open("inet", "dgram");
 *   setCpuAffinity(s, processor); // before bind
 *   s.bind("0.0.0.0", port);
 *   return s;
 * }
 * ```
 */
export function setCpuAffinity(s: SocketRef, processor: number): void {
  const index = checkUint16(processor, "processor");
  const h = socketHandle(s, CPU_AFFINITY.name);
  in4View.setUint16(0, index, true);
  _ioctlOwned(h, SIO_CPU_AFFINITY, in4, 2, null, 0, CPU_AFFINITY);
}
