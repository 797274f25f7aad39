/**
 * Internal: the "portable set" of `WSAIoctl` on POSIX — the Winsock control codes whose
 * capability Linux or macOS has under another name, translated to it with Winsock's checks and
 * answers (numbers from `libc.ts`, `posixPortableOptions`):
 *
 * - SIO_MULTICAST_SCOPE: the multicast TTL, IP_MULTICAST_TTL on an IPv4 socket,
 *   IPV6_MULTICAST_HOPS on an IPv6 one (0..255; more is WSAEINVAL);
 * - SIO_MULTIPOINT_LOOPBACK: IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP, any nonzero BOOL being 1.
 *   Windows applies its setting to the receiving socket, POSIX to the sending one;
 * - SIO_GET_BROADCAST_ADDRESS: what Windows answers on an IPv4 datagram socket, the limited
 *   broadcast address 255.255.255.255 (port 0) as a 16-byte `sockaddr_in` — not the
 *   interface's subnet broadcast; a socket of another type WSAEINVAL, an IPv6 socket
 *   WSAENOPROTOOPT (Microsoft's IOCTL reference), an output under 16 bytes WSAEFAULT;
 * - SIO_BASE_HANDLE, SIO_BSP_HANDLE, SIO_BSP_HANDLE_SELECT, SIO_BSP_HANDLE_POLL: the descriptor
 *   itself (POSIX has no layered service providers), as an 8-byte SOCKET;
 * - SIO_QUERY_RSS_PROCESSOR_INFO (Linux): SO_INCOMING_CPU, the CPU that handled the socket's
 *   last received packet, as a SOCKET_PROCESSOR_AFFINITY: group 0 and the CPU as its number
 *   (a CPU above 255, which a BYTE cannot hold, as group CPU / 64 and number CPU % 64, so that
 *   group × 64 + number is the CPU in every case), and the CPU's NUMA node from sysfs (the
 *   `nodeM` entry of `/sys/devices/system/cpu/cpuN`, read with getdents64 through the runtime's
 *   FFI like every other call here, so no runtime file API and no read permission is involved;
 *   0 where sysfs names no node: a kernel without NUMA). Winsock's precondition is kept: a
 *   connected socket (WSAENOTCONN otherwise). A socket that has received nothing yet has no CPU
 *   (SO_INCOMING_CPU -1): WSAEWOULDBLOCK;
 * - SIO_CPU_AFFINITY (Linux): SO_INCOMING_CPU set to the processor, and SO_REUSEPORT on, since
 *   the Windows code also "enables port sharing": sockets bound to one address then form a
 *   SO_REUSEPORT group, and Linux (4.4 and later) hands a datagram to the member whose CPU is
 *   the one that received it. Winsock's preconditions are checked first, so that code which
 *   runs here runs on Windows: a UDP socket (SOCK_DGRAM with IPPROTO_UDP), not bound yet, without
 *   SO_REUSEADDR; WSAEINVAL otherwise.
 *
 * Each code checks that the handle is a socket first (WSAENOTSOCK), as Winsock does. The two CPU
 * codes on a system without SO_INCOMING_CPU (macOS), and every code on a system whose numbers
 * are not verified, are refused by the caller with `UnsupportedError` before any native call;
 * {@link unsupportedNote} says there what the platform offers instead, for these and the other
 * codes POSIX cannot run.
 *
 * @module
 */

import {
  SIO_CPU_AFFINITY,
  SIO_GET_BROADCAST_ADDRESS,
  SIO_MULTICAST_SCOPE,
  SIO_MULTIPOINT_LOOPBACK,
  SIO_QUERY_RSS_PROCESSOR_INFO,
} from "../codes/mod.ts";
export { unsupportedNote } from "../codes/_instead.ts";
import { readU32, writeU32 } from "./_le.ts";
import type { IfaddrsContext } from "./_posix_ifaddrs.ts";
import { readDirectory } from "./_posix_fds.ts";
import { SockaddrTranslator } from "./_posix_sockaddr.ts";
import type { Bound, Loader } from "./_types.ts";
import {
  LIBC_LINUX_FDS,
  type PosixPortableOptions,
  posixPortableOptions,
  SOCK_DGRAM,
} from "./libc.ts";
import { AF_INET, AF_INET6 } from "./native.ts";
import { WSAEFAULT, WSAEINVAL, WSAENOPROTOOPT, WSAEWOULDBLOCK } from "../_wsa.ts";

/**
 * One code of the portable set (SIO_MULTICAST_SCOPE, SIO_MULTIPOINT_LOOPBACK,
 * SIO_GET_BROADCAST_ADDRESS, SIO_BASE_HANDLE, SIO_BSP_HANDLE(_SELECT, _POLL),
 * SIO_QUERY_RSS_PROCESSOR_INFO, SIO_CPU_AFFINITY) on handle `s` (descriptor `f`, -1 outside a
 * C `int`), with {@link NativeApi.wsaIoctl}'s
 * buffers.
 *
 * @returns The bytes written (0 for a setting), -1 with the error recorded, or `undefined` when
 * this system cannot run the code (the caller throws `UnsupportedError`, no native call made).
 */
export type PortableIoctl = (
  s: bigint,
  f: number,
  code: number,
  input: Uint8Array | null,
  inLength: number,
  output: Uint8Array | null,
  outLength: number,
) => number | undefined;

/** What the portable set needs from the POSIX native layer that owns it. */
export interface PortableContext extends IfaddrsContext {
  /** The operating system. */
  readonly os: string;
  /** Records WSAENOTSOCK; returns -1. */
  notSocket(): -1;
  /** The entry names of a directory, or undefined when it cannot be read (sysfs, Linux). */
  readonly listDirectory?: (path: string) => string[] | undefined;
}

/** A socket option's level and name: the first two members of the tuples of `libc.ts`. */
type OptionPair = readonly [level: number, name: number, ...unknown[]];
/** The SO_INCOMING_CPU options, where the system has them. */
type CpuOptions = NonNullable<PosixPortableOptions["cpu"]>;

const IPPROTO_UDP = 17;
const SOCKADDR_IN = 16; // sizeof(sockaddr_in)
const PROCESSOR_AFFINITY = 8; // sizeof(SOCKET_PROCESSOR_AFFINITY)
/** The most processors a Windows processor group holds. */
const GROUP_SIZE = 64;
/** `/sys/devices/system/cpu/cpuN`, whose `nodeM` entry names the CPU's NUMA node. */
const CPU_DIRECTORY = "/sys/devices/system/cpu/cpu";
const NODE_ENTRY = /^node(\d{1,5})$/;

/**
 * Builds the portable set of one POSIX native layer.
 *
 * @param c The layer's libc, constants and error recorders.
 * @param isSocket The layer's socket check (records the error when it answers false).
 * @returns The translation.
 */
export function posixPortable(
  c: PortableContext,
  isSocket: (s: bigint, f: number) => boolean,
): PortableIoctl {
  const { k, libc } = c;
  const options = posixPortableOptions(c.os, c.arch);
  const addrs = new SockaddrTranslator(k.af6, k.saLen);
  const { nativeAddr, nativeLength } = addrs;
  // Scratch space (one thread: reused).
  const optBuf = new Uint8Array(4);
  const optView = new DataView(optBuf.buffer);
  const optLength = new Uint32Array(1);

  /** getsockopt of one C `int`, or undefined with errno left for the caller. */
  function getInt(f: number, [level, name]: OptionPair): number | undefined {
    optLength[0] = 4;
    return libc.getsockopt(f, level, name, optBuf, optLength) === 0
      ? optView.getInt32(0, true)
      : undefined;
  }

  /** setsockopt of one C `int`: true when it took. */
  function setInt(f: number, [level, name]: OptionPair, value: number): boolean {
    optView.setInt32(0, value, true);
    return libc.setsockopt(f, level, name, optBuf, 4) === 0;
  }

  /**
   * getsockname: the socket's family (Windows' number; 0 outside IP), and in `nativeAddr` its
   * address; -1 with the error recorded.
   */
  function localFamily(f: number): number {
    addrs.reset();
    if (libc.getsockname(f, nativeAddr, nativeLength) !== 0) return c.recordErrno(c.errno());
    const af = k.saLen ? nativeAddr[1] : nativeAddr[0] | (nativeAddr[1] << 8);
    return af === 2 ? AF_INET : af === k.af6 ? AF_INET6 : 0;
  }

  // SIO_MULTICAST_SCOPE (an int TTL) and SIO_MULTIPOINT_LOOPBACK (a BOOL): the option of the
  // socket's own family.
  function multicast(
    s: bigint,
    f: number,
    scope: boolean,
    input: Uint8Array | null,
    inLength: number,
    options: PosixPortableOptions,
  ): number {
    if (!isSocket(s, f)) return -1;
    if (input === null || inLength < 4) return c.recordWsa(WSAEFAULT);
    const af = localFamily(f);
    if (af < 0) return -1;
    if (af === 0) return c.recordWsa(WSAEINVAL); // no IP multicast on this socket
    const v4 = af === AF_INET;
    const value = readU32(input, 0);
    // An int: a negative scope reads as a value above 255 (Linux would take -1 as "default").
    if (scope && value > 255) return c.recordWsa(WSAEINVAL);
    const option = scope
      ? v4 ? options.multicastTtl : options.multicastHops6
      : v4
      ? options.multicastLoop
      : options.multicastLoop6;
    if (!setInt(f, option, scope ? value : value !== 0 ? 1 : 0)) return c.recordErrno(c.errno());
    return 0;
  }

  // SIO_GET_BROADCAST_ADDRESS. SO_TYPE is also the socket check (ENOTSOCK otherwise).
  function broadcastAddress(f: number, output: Uint8Array | null, outLength: number): number {
    const type = getInt(f, k.options.type);
    if (type === undefined) return c.recordErrno(c.errno());
    if (type !== SOCK_DGRAM) return c.recordWsa(WSAEINVAL);
    const af = localFamily(f);
    if (af < 0) return -1;
    if (af === AF_INET6) return c.recordWsa(WSAENOPROTOOPT);
    if (af !== AF_INET) return c.recordWsa(WSAEINVAL);
    if (output === null || outLength < SOCKADDR_IN) return c.recordWsa(WSAEFAULT);
    // sockaddr_in { u16 sin_family (AF_INET 2); u16 sin_port (0); u32 sin_addr; zero[8] }
    output.fill(0, 0, SOCKADDR_IN);
    output[0] = AF_INET;
    writeU32(output, 4, 0xffffffff); // INADDR_BROADCAST
    return SOCKADDR_IN;
  }

  // SIO_BASE_HANDLE and the SIO_BSP_HANDLE codes: the descriptor, as a little-endian SOCKET.
  function ownHandle(s: bigint, f: number, output: Uint8Array | null, outLength: number): number {
    if (!isSocket(s, f)) return -1;
    if (output === null || outLength < 8) return c.recordWsa(WSAEFAULT);
    writeU32(output, 0, f);
    writeU32(output, 4, 0);
    return 8;
  }

  // SIO_QUERY_RSS_PROCESSOR_INFO.
  function processorInfo(
    s: bigint,
    f: number,
    output: Uint8Array | null,
    outLength: number,
    cpu: CpuOptions,
  ): number {
    if (!isSocket(s, f)) return -1;
    if (output === null || outLength < PROCESSOR_AFFINITY) return c.recordWsa(WSAEFAULT);
    addrs.reset();
    if (libc.getpeername(f, nativeAddr, nativeLength) !== 0) return c.recordErrno(c.errno());
    const n = getInt(f, cpu.incomingCpu);
    if (n === undefined) return c.recordErrno(c.errno());
    if (n < 0) return c.recordWsa(WSAEWOULDBLOCK); // nothing received yet: no CPU
    const node = numaNode(n);
    const fits = n <= 0xff;
    // SOCKET_PROCESSOR_AFFINITY { PROCESSOR_NUMBER { WORD Group; BYTE Number; BYTE Reserved; }
    // Processor; USHORT NumaNodeId; USHORT Reserved; }
    output.fill(0, 0, PROCESSOR_AFFINITY);
    const group = fits ? 0 : Math.floor(n / GROUP_SIZE);
    output[0] = group & 0xff; // 0x00 WORD Group
    output[1] = group >> 8;
    output[2] = fits ? n : n % GROUP_SIZE; // 0x02 BYTE Number
    output[4] = node & 0xff; // 0x04 USHORT NumaNodeId
    output[5] = (node >> 8) & 0xff;
    return PROCESSOR_AFFINITY;
  }

  /** The NUMA node of CPU `n` (sysfs); 0 where sysfs names none. */
  function numaNode(n: number): number {
    for (const name of c.listDirectory?.(CPU_DIRECTORY + n) ?? []) {
      const m = NODE_ENTRY.exec(name);
      if (m !== null) return Number(m[1]);
    }
    return 0;
  }

  // SIO_CPU_AFFINITY: Winsock's preconditions, then SO_INCOMING_CPU and SO_REUSEPORT.
  function cpuAffinity(
    f: number,
    input: Uint8Array | null,
    inLength: number,
    cpu: CpuOptions,
  ): number {
    const type = getInt(f, k.options.type); // also the socket check
    if (type === undefined) return c.recordErrno(c.errno());
    if (input === null || inLength < 2) return c.recordWsa(WSAEFAULT);
    if (type !== SOCK_DGRAM || getInt(f, cpu.protocol) !== IPPROTO_UDP) {
      return c.recordWsa(WSAEINVAL); // UDP only
    }
    const af = localFamily(f);
    if (af < 0) return -1;
    // sin_port / sin6_port, at offset 2 in every layout: a bound (or connected) UDP socket has
    // a port, an unbound one 0.
    if (nativeAddr[2] !== 0 || nativeAddr[3] !== 0) return c.recordWsa(WSAEINVAL); // before bind
    if (getInt(f, k.options.reuseAddress) !== 0) {
      return c.recordWsa(WSAEINVAL); // not with SO_REUSEADDR
    }
    const processor = input[0] | (input[1] << 8); // USHORT
    if (!setInt(f, cpu.incomingCpu, processor) || !setInt(f, cpu.reusePort, 1)) {
      return c.recordErrno(c.errno());
    }
    return 0;
  }

  // What this system can run is decided first: a code it cannot run is refused whatever the
  // handle, and before any native call.
  return (s, f, code, input, inLength, output, outLength) => {
    const multi = code === SIO_MULTICAST_SCOPE || code === SIO_MULTIPOINT_LOOPBACK;
    const cpuCode = code === SIO_QUERY_RSS_PROCESSOR_INFO || code === SIO_CPU_AFFINITY;
    const cpu = options?.cpu;
    if ((multi && options === undefined) || (cpuCode && cpu === undefined)) return undefined;
    if (f < 0) return c.notSocket();
    switch (code) {
      case SIO_MULTICAST_SCOPE:
      case SIO_MULTIPOINT_LOOPBACK:
        return multicast(s, f, code === SIO_MULTICAST_SCOPE, input, inLength, options!);
      case SIO_GET_BROADCAST_ADDRESS:
        return broadcastAddress(f, output, outLength);
      case SIO_QUERY_RSS_PROCESSOR_INFO:
        return processorInfo(s, f, output, outLength, cpu!);
      case SIO_CPU_AFFINITY:
        return cpuAffinity(f, input, inLength, cpu!);
      default: // SIO_BASE_HANDLE and the three SIO_BSP_HANDLE codes
        return ownHandle(s, f, output, outLength);
    }
  };
}

/** Bytes read from a directory per getdents64 call. */
const DIRENT_BYTES = 4096;

/**
 * A function listing the entries of a directory through libc (`opendir` and `getdents64`, the
 * table `_posix_fds.ts` lists `/proc/self/fd` with), so the native layer reads sysfs the same way
 * under Deno, Bun and Node. Linux only (getdents64 is Linux's); elsewhere, and where libc lacks
 * getdents64, it answers `undefined`.
 *
 * @param loader The runtime loader.
 * @param names Where libc lives.
 * @returns The lister: the entry names ("." and ".." left out), or `undefined` when the directory
 * cannot be read.
 */
export function directoryLister(
  loader: Loader,
  names: readonly string[],
): (path: string) => string[] | undefined {
  if (loader.os !== "linux") return () => undefined;
  let dir: Bound<typeof LIBC_LINUX_FDS> | null | undefined;
  const buf = new Uint8Array(new ArrayBuffer(DIRENT_BYTES));
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return (path) => {
    if (dir === undefined) {
      try {
        dir = loader.open(names, LIBC_LINUX_FDS);
      } catch {
        dir = null; // a libc without getdents64
      }
    }
    if (dir === null) return undefined;
    const entries: string[] = [];
    const read = readDirectory(dir, encoder.encode(`${path}\0`), buf, (at) => {
      const end = buf.indexOf(0, at);
      const name = decoder.decode(buf.subarray(at, end < 0 ? buf.length : end));
      if (name !== "." && name !== "..") entries.push(name);
    });
    return read ? entries : undefined;
  };
}
