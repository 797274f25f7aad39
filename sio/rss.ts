/**
 * Receive-side scaling (RSS), typed: {@link rssProcessorInfo} (SIO_QUERY_RSS_PROCESSOR_INFO:
 * which processor and NUMA node RSS steers a connection's traffic to) and
 * {@link rssScalabilityInfo} (SIO_QUERY_RSS_SCALABILITY_INFO: whether RSS is on at all).
 * On Linux `rssProcessorInfo` answers from SO_INCOMING_CPU; everything else off Windows throws
 * `UnsupportedError` naming the call.
 *
 * @example
 * ```ts
 * import { rssProcessorInfo, rssScalabilityInfo, Socket } from "@x/wsioctl";
 * // Windows: run the worker of a connection on the processor its packets arrive on.
 * export function placement(connected: Socket): string {
 *   if (!rssScalabilityInfo(connected).rssEnabled) return "RSS is off";
 *   const { group, number, numaNodeId } = rssProcessorInfo(connected);
 *   return `group ${group}, processor ${number}, NUMA node ${numaNodeId}`;
 * }
 * ```
 *
 * @module
 */

import { SIO_QUERY_RSS_PROCESSOR_INFO, SIO_QUERY_RSS_SCALABILITY_INFO } from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import { RssScalabilityInfo, SocketProcessorAffinity } from "../structs/mod.ts";
import { ownBytes, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

const CONNECTED = "SIO_QUERY_RSS_PROCESSOR_INFO needs a connected socket (a UDP socket must " +
  "be connected too), on Windows 8 / Server 2012 and later";
const PROCESSOR_INFO: TypedCall = {
  name: "rssProcessorInfo",
  hints: {
    10022: CONNECTED,
    10057: CONNECTED,
    10035: "no packet has reached the socket yet: Linux knows its CPU from the first one",
  },
};
const SCALABILITY_INFO: TypedCall = { name: "rssScalabilityInfo" };

// The outputs, allocated once (JavaScript runs one call at a time).
const affinityOut = SocketProcessorAffinity.alloc();
const affinityBytes = ownBytes(affinityOut);
const scalabilityOut = RssScalabilityInfo.alloc();
const scalabilityBytes = ownBytes(scalabilityOut);

/**
 * Runs one of the two output-only codes into `out` (a whole library buffer, zeroed first) and
 * checks Winsock reported all of it written.
 */
function query(s: SocketRef, code: number, out: Uint8Array, struct: string, call: TypedCall) {
  const h = socketHandle(s, call.name);
  out.fill(0);
  const n = _ioctlOwned(h, code, null, 0, out, out.length, call);
  checkWritten(n, out.length, struct, code, call);
}

/** Where RSS steers a socket's traffic: {@link rssProcessorInfo}'s answer. */
export interface RssProcessor {
  /** The processor group (`PROCESSOR_NUMBER.Group`). */
  group: number;
  /** The processor's number within its group (`PROCESSOR_NUMBER.Number`). */
  number: number;
  /** The NUMA node (`SOCKET_PROCESSOR_AFFINITY.NumaNodeId`). */
  numaNodeId: number;
}

/** Whether RSS is on: {@link rssScalabilityInfo}'s answer. */
export interface RssScalability {
  /** RSS is enabled on at least one interface (`RSS_SCALABILITY_INFO.RssEnabled`). */
  rssEnabled: boolean;
}

/**
 * The processor and NUMA node that receive-side scaling (RSS) steers this socket's incoming
 * traffic to (SIO_QUERY_RSS_PROCESSOR_INFO, a `SOCKET_PROCESSOR_AFFINITY`): handle the
 * connection on that processor to keep its data in one cache.
 *
 * - Windows 8 / Server 2012 and later: the processor RSS hashes the connection to.
 * - Linux: `SO_INCOMING_CPU`, the CPU that handled the socket's last received packet (the one
 *   the network card's RSS queue, or RPS, gives the flow): `group` 0 and `number` the CPU (a
 *   CPU above 255, which `number`'s byte cannot hold, comes as `group` CPU / 64 and `number`
 *   CPU % 64: `group * 64 + number` is the CPU either way), and `numaNodeId` the CPU's node as
 *   sysfs names it (`/sys/devices/system/cpu/cpuN/nodeM`; 0 on a kernel without NUMA). Before
 *   the socket has received anything there is no CPU: WSAEWOULDBLOCK.
 * - macOS has no equivalent: {@link UnsupportedError}.
 *
 * Precondition (from the reference, checked on Linux too): a connected socket — a UDP socket
 * must be connected too (WSAENOTCONN otherwise; the error's hint says so).
 *
 * Platforms: Windows; Linux (emulated: SO_INCOMING_CPU: group 0, that CPU, its NUMA node from
 * sysfs); macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a connected socket.
 * @returns `{ group, number, numaNodeId }`.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} on macOS and the other systems without SO_INCOMING_CPU.
 * @throws {WinsockError} when Winsock refuses (WSAENOTCONN on an unconnected socket; on Linux
 * WSAEWOULDBLOCK before the first packet).
 * @throws {Error} when Winsock reports fewer than the 8 bytes of a `SOCKET_PROCESSOR_AFFINITY`.
 * @example
 * ```ts
 * import { rssProcessorInfo, Socket } from "@x/wsioctl";
 * export function processorOf(connected: Socket): number {
 *   return rssProcessorInfo(connected).number;
 * }
 * ```
 */
export function rssProcessorInfo(s: SocketRef): RssProcessor {
  query(
    s,
    SIO_QUERY_RSS_PROCESSOR_INFO,
    affinityBytes,
    "SOCKET_PROCESSOR_AFFINITY",
    PROCESSOR_INFO,
  );
  const processor = affinityOut.processor;
  return { group: processor.group, number: processor.number, numaNodeId: affinityOut.numaNodeId };
}

/**
 * Whether receive-side scaling (RSS) is enabled on at least one interface of the machine
 * (SIO_QUERY_RSS_SCALABILITY_INFO, an `RSS_SCALABILITY_INFO`). Any socket may ask. Windows Vista
 * and later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux (unsupported; instead: RSS is set per network card (ethtool -x)); macOS
 * (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns `{ rssEnabled }`.
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEOPNOTSUPP from a provider without it).
 * @throws {Error} when Winsock reports no byte written.
 * @example
 * ```ts
 * import { rssScalabilityInfo, Socket } from "@x/wsioctl";
 * export function rssOn(): boolean {
 *   using s = Socket.open("inet", "stream");
 *   return rssScalabilityInfo(s).rssEnabled;
 * }
 * ```
 */
export function rssScalabilityInfo(s: SocketRef): RssScalability {
  query(
    s,
    SIO_QUERY_RSS_SCALABILITY_INFO,
    scalabilityBytes,
    "RSS_SCALABILITY_INFO",
    SCALABILITY_INFO,
  );
  return { rssEnabled: scalabilityOut.rssEnabled };
}
