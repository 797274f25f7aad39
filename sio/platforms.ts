/**
 * Where each typed call runs: one row per typed call of `sio/`, saying for Windows, Linux and
 * macOS whether the call is `"native"` (the platform's own call of the same meaning),
 * `"emulated"` (built from other calls of the platform, with Windows' answers and refusals) or
 * `"unsupported"` (`UnsupportedError` before any native call, whose `instead` says what the
 * platform offers for the same need, where it offers something). Pure data: no FFI, importable
 * anywhere.
 *
 * This table is the one source of the platform facts the project states: the README's table of
 * typed calls, the `Platforms:` line of each typed call's JSDoc (both written by
 * `scripts/gen_platforms.ts`) and `wsioctl list --typed` are made from it, and
 * `tests/platforms_test.ts` holds every row against what the calls do on Linux and on a fake
 * macOS libc.
 *
 * The Linux and macOS rows hold on the CPUs whose request numbers and struct layouts the native
 * layer has verified (x86_64 and aarch64 on both; the README's platform notes list the others);
 * elsewhere the calls that need them throw `UnsupportedError` naming the CPU.
 *
 * @example
 * ```ts
 * import { platformsOf } from "@x/wsioctl/sio";
 * platformsOf("setKeepAlive")?.linux.kind; // "emulated"
 * platformsOf("setLoopbackFastPath")?.macos.kind; // "unsupported"
 * ```
 *
 * @module
 */

import {
  SIO_ACQUIRE_PORT_RESERVATION,
  SIO_ASSOCIATE_PORT_RESERVATION,
  SIO_CHK_QOS,
  SIO_GET_EXTENSION_FUNCTION_POINTER,
  SIO_GET_GROUP_QOS,
  SIO_GET_QOS,
  SIO_GET_TX_TIMESTAMP,
  SIO_IDEAL_SEND_BACKLOG_CHANGE,
  SIO_IDEAL_SEND_BACKLOG_QUERY,
  SIO_LOOPBACK_FAST_PATH,
  SIO_QUERY_RSS_SCALABILITY_INFO,
  SIO_RCVALL,
  SIO_RCVALL_IGMPMCAST,
  SIO_RCVALL_MCAST,
  SIO_RELEASE_PORT_RESERVATION,
  SIO_SET_GROUP_QOS,
  SIO_SET_PRIORITY_HINT,
  SIO_SET_QOS,
  SIO_TCP_SET_ACK_FREQUENCY,
  SIO_TCP_SET_ICW,
} from "../codes/mod.ts";
import { unsupportedNote } from "../codes/_instead.ts";
import { TYPED_CALLS } from "./calls.ts";

/** How a platform runs a typed call. */
export type SupportKind = "native" | "emulated" | "unsupported";

/** How one platform runs one typed call. */
export interface PlatformSupport {
  /**
   * `"native"`: the platform's own call of the same meaning; `"emulated"`: built from the
   * platform's other calls, with Windows' answers; `"unsupported"`: `UnsupportedError` before
   * any native call.
   */
  readonly kind: SupportKind;
  /** For a native or emulated call off Windows: which platform calls do the work, and how. */
  readonly how?: string;
  /** For an unsupported call: what the platform offers instead (the error's `instead`). */
  readonly instead?: string;
}

/** The platforms of the table, in its column order. */
export const PLATFORMS: readonly ["windows", "linux", "macos"] = Object.freeze(
  ["windows", "linux", "macos"] as const,
);

/** One of {@link PLATFORMS}. (`UnsupportedError.platform` calls macOS `"darwin"`.) */
export type Platform = (typeof PLATFORMS)[number];

/** Where one typed call runs: a {@link PlatformSupport} per platform. */
export type CallPlatforms = { readonly [P in Platform]: PlatformSupport };

/** The platforms' names as people write them. */
export const PLATFORM_NAMES: Readonly<Record<Platform, string>> = Object.freeze({
  windows: "Windows",
  linux: "Linux",
  macos: "macOS",
});

const NATIVE: PlatformSupport = Object.freeze({ kind: "native" });

function native(how: string): PlatformSupport {
  return Object.freeze({ kind: "native", how });
}

function emulated(how: string): PlatformSupport {
  return Object.freeze({ kind: "emulated", how });
}

function unsupported(instead?: string): PlatformSupport {
  return Object.freeze(
    instead === undefined ? { kind: "unsupported" } : {
      kind: "unsupported",
      instead,
    },
  );
}

/** A row: Windows runs every typed call natively; Linux and macOS as given. */
function row(linux: PlatformSupport, macos: PlatformSupport): CallPlatforms {
  return Object.freeze({ windows: NATIVE, linux, macos });
}

/** The same support on Linux and macOS. */
function posix(both: PlatformSupport): CallPlatforms {
  return row(both, both);
}

/** Unsupported on `os`, with what it offers instead of `code` (the error's own `instead`). */
function refusedOn(os: "linux" | "darwin", code: number): PlatformSupport {
  return unsupported(unsupportedNote(os, code));
}

/** Unsupported on Linux and macOS: what each offers instead of `code`, as its error says. */
function refused(code: number): CallPlatforms {
  return row(refusedOn("linux", code), refusedOn("darwin", code));
}

const NONE = unsupported();
const OOB_MARK =
  "SIOCATMARK, then a peek for an urgent byte (recv with MSG_OOB) or poll(POLLPRI): " +
  "true when no urgent byte waits (the Windows meaning)";
const UDP_RESET = "false only, which changes nothing: an unconnected UDP socket reports no " +
  "ICMP errors there; true throws UnsupportedError";
const IFADDRS = "getifaddrs, written in the Windows layout";
const OWN_DESCRIPTOR = "the descriptor itself (no provider layering), once checked to be a socket";
const ADDRESS_WATCH_LINUX = "a NETLINK_ROUTE socket on the address groups, polled without " +
  "blocking: a removal of the family's address, or an addition that changes its address list";
const ADDRESS_WATCH_MACOS = "a PF_ROUTE socket, polled without blocking: a removal of the " +
  "family's address, or an addition that changes its address list";
const ROUTE_WATCH_LINUX = "a NETLINK_ROUTE socket on the address and route groups, polled " +
  "without blocking: the destination's local address or outgoing interface changed";
const ROUTE_WATCH_MACOS = "a PF_ROUTE socket, polled without blocking: the destination's local " +
  "address or outgoing interface changed";
const TX_STAMPS_LINUX = "recvmsg(MSG_ERRQUEUE, MSG_DONTWAIT) until the id's SCM_TIMESTAMPING " +
  "software stamp (undefined when the queue holds none); other ids' stamps kept per socket, at " +
  "most txBuffered, handed out only while SO_COOKIE still matches; CLOCK_REALTIME ns";

/**
 * Where each typed call runs, by typed call name, in the order of `TYPED_CALLS` (by control
 * code). Windows is the reference: every call is native there.
 */
export const TYPED_CALL_PLATFORMS: Readonly<Record<string, CallPlatforms>> = Object.freeze({
  setNonBlocking: posix(native("ioctl(FIONBIO)")),
  bytesAvailable: row(
    native("ioctl(FIONREAD); a datagram socket answers its first datagram's size"),
    native("ioctl(FIONREAD)"),
  ),
  atOobMark: posix(emulated(OOB_MARK)),
  setKeepAlive: row(
    emulated(
      "SO_KEEPALIVE + TCP_KEEPIDLE/TCP_KEEPINTVL, ms rounded up to s (at most 32767 s); " +
        "count: TCP_KEEPCNT (at most 127)",
    ),
    emulated("SO_KEEPALIVE + TCP_KEEPALIVE/TCP_KEEPINTVL, ms rounded up to s; count: TCP_KEEPCNT"),
  ),
  setUdpConnReset: posix(emulated(UDP_RESET)),
  setUdpNetReset: posix(emulated(UDP_RESET)),
  setLoopbackFastPath: refused(SIO_LOOPBACK_FAST_PATH),
  tcpInfo: row(
    emulated(
      "getsockopt(TCP_INFO), written as TCP_INFO_v0/v1/v2: Windows' TCPSTATE numbers, cwnd in " +
        "bytes (segments × MSS); fields without a Linux source read 0",
    ),
    emulated(
      "getsockopt(TCP_CONNECTION_INFO), written as TCP_INFO_v0/v1/v2: Windows' TCPSTATE " +
        "numbers, RTT in µs; fields without a macOS source read 0",
    ),
  ),
  setTimestamping: row(
    emulated(
      "SO_TIMESTAMPING with SOFTWARE, OPT_ID, OPT_TSONLY and TX_SOFTWARE / RX_SOFTWARE; datagram " +
        "sockets only (WSAEINVAL otherwise, as Windows); restarts the socket's OPT_ID counter",
    ),
    emulated(
      "SO_TIMESTAMP for rx (recvFrom's timestamp), datagram sockets only; tx: true throws " +
        "UnsupportedError (no TX stamps)",
    ),
  ),
  txTimestamp: row(emulated(TX_STAMPS_LINUX), refusedOn("darwin", SIO_GET_TX_TIMESTAMP)),
  txTimestampPoller: row(emulated(TX_STAMPS_LINUX), refusedOn("darwin", SIO_GET_TX_TIMESTAMP)),
  setTcpInitialRto: posix(NONE),
  setTcpInitialCongestionWindow: refused(SIO_TCP_SET_ICW),
  setTcpAckFrequency: refused(SIO_TCP_SET_ACK_FREQUENCY),
  setPriorityHint: refused(SIO_SET_PRIORITY_HINT),
  setCompatibilityMode: posix(NONE),
  setCpuAffinity: row(
    emulated(
      "SO_INCOMING_CPU + SO_REUSEPORT, after Windows' checks (UDP, before bind, no SO_REUSEADDR)",
    ),
    NONE,
  ),
  idealSendBacklog: refused(SIO_IDEAL_SEND_BACKLOG_QUERY),
  idealSendBacklogChange: refused(SIO_IDEAL_SEND_BACKLOG_CHANGE),
  extensionFunction: refused(SIO_GET_EXTENSION_FUNCTION_POINTER),
  baseHandle: posix(emulated(OWN_DESCRIPTOR)),
  bspHandle: posix(emulated(OWN_DESCRIPTOR)),
  interfaceList: posix(emulated(IFADDRS)),
  interfaceListEx: posix(emulated(IFADDRS)),
  addressList: posix(emulated(`${IFADDRS}, loopback left out as on Windows`)),
  addressListChange: row(emulated(ADDRESS_WATCH_LINUX), emulated(ADDRESS_WATCH_MACOS)),
  addressListChanges: row(emulated(ADDRESS_WATCH_LINUX), emulated(ADDRESS_WATCH_MACOS)),
  routingInterface: posix(
    emulated("the local address of a UDP socket connected to the destination (nothing is sent)"),
  ),
  routingInterfaceChange: row(emulated(ROUTE_WATCH_LINUX), emulated(ROUTE_WATCH_MACOS)),
  routingInterfaceChanges: row(emulated(ROUTE_WATCH_LINUX), emulated(ROUTE_WATCH_MACOS)),
  broadcastAddress: posix(emulated("255.255.255.255, Windows' answer (IPv4 datagram sockets)")),
  findRoute: posix(NONE),
  flush: posix(NONE),
  enableCircularQueueing: posix(NONE),
  setMulticastScope: posix(emulated("IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS")),
  setMultipointLoopback: posix(
    emulated("IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP, which act on the sending socket"),
  ),
  setReceiveAll: refused(SIO_RCVALL),
  setReceiveAllMulticast: refused(SIO_RCVALL_MCAST),
  setReceiveAllIgmp: refused(SIO_RCVALL_IGMPMCAST),
  acquirePortReservation: refused(SIO_ACQUIRE_PORT_RESERVATION),
  reservePorts: refused(SIO_ACQUIRE_PORT_RESERVATION),
  releasePortReservation: refused(SIO_RELEASE_PORT_RESERVATION),
  associatePortReservation: refused(SIO_ASSOCIATE_PORT_RESERVATION),
  rssProcessorInfo: row(
    emulated("SO_INCOMING_CPU: group 0, that CPU, its NUMA node from sysfs"),
    NONE,
  ),
  rssScalabilityInfo: refused(SIO_QUERY_RSS_SCALABILITY_INFO),
  qos: refused(SIO_GET_QOS),
  groupQos: refused(SIO_GET_GROUP_QOS),
  setQos: refused(SIO_SET_QOS),
  setGroupQos: refused(SIO_SET_GROUP_QOS),
  checkQos: refused(SIO_CHK_QOS),
  associateHandle: posix(NONE),
  translateHandle: posix(NONE),
  applyTransportSetting: posix(NONE),
  queryTransportSetting: posix(NONE),
  wfpAleEndpointHandle: posix(NONE),
  wfpRedirectRecords: posix(NONE),
  wfpRedirectContext: posix(NONE),
  setWfpRedirectRecords: posix(NONE),
});

/**
 * Where a typed call runs.
 *
 * @param call The typed call's name, e.g. `"setKeepAlive"`.
 * @returns Its row, or `undefined` for a name that is no typed call.
 * @throws {TypeError} when `call` is not a string.
 * @example
 * ```ts
 * import { platformsOf } from "@x/wsioctl/sio";
 * platformsOf("setUdpConnReset")?.linux.how; // "false only, which changes nothing: …"
 * platformsOf("ioctl"); // undefined: not a typed call
 * ```
 */
export function platformsOf(call: string): CallPlatforms | undefined {
  if (typeof call !== "string") {
    throw new TypeError(`call must be a string, got ${typeof call}`);
  }
  return Object.hasOwn(TYPED_CALL_PLATFORMS, call) ? TYPED_CALL_PLATFORMS[call] : undefined;
}

/**
 * One platform's support as a short phrase: `native`, `native: how`, `emulated: how`,
 * `unsupported` or `unsupported; instead: what`.
 *
 * @param support The support.
 * @returns The phrase.
 * @example
 * ```ts
 * import { supportText, TYPED_CALL_PLATFORMS } from "./platforms.ts";
 * supportText(TYPED_CALL_PLATFORMS.flush.linux); // "unsupported"
 * ```
 */
export function supportText(support: PlatformSupport): string {
  if (support.how !== undefined) return `${support.kind}: ${support.how}`;
  if (support.instead !== undefined) return `${support.kind}; instead: ${support.instead}`;
  return support.kind;
}

/**
 * The `Platforms:` sentence of a typed call's JSDoc: each platform with its support, native
 * Windows as the bare name, Linux and macOS together where they do the same.
 *
 * @param row The call's row.
 * @returns E.g. `Platforms: Windows; Linux and macOS (unsupported).`
 * @example
 * ```ts
 * import { platformSentence, TYPED_CALL_PLATFORMS } from "./platforms.ts";
 * platformSentence(TYPED_CALL_PLATFORMS.flush);
 * // "Platforms: Windows; Linux and macOS (unsupported)."
 * ```
 */
export function platformSentence(row: CallPlatforms): string {
  const text = (names: string, s: PlatformSupport) =>
    s.kind === "native" && s.how === undefined ? names : `${names} (${supportText(s)})`;
  const { windows, linux, macos } = row;
  const posix = supportText(linux) === supportText(macos)
    ? [text(`${PLATFORM_NAMES.linux} and ${PLATFORM_NAMES.macos}`, linux)]
    : [text(PLATFORM_NAMES.linux, linux), text(PLATFORM_NAMES.macos, macos)];
  return `Platforms: ${[text(PLATFORM_NAMES.windows, windows), ...posix].join("; ")}.`;
}

/** A typed call with its control codes and its row, as the README and the CLI list them. */
export interface TypedCallRow extends CallPlatforms {
  /** The typed call's name. */
  readonly call: string;
  /** The SDK names of the control codes it runs. */
  readonly codes: readonly string[];
}

/**
 * Every typed call with its codes and its row, in the order of {@link TYPED_CALL_PLATFORMS}.
 *
 * @returns One row per typed call.
 * @example
 * ```ts
 * import { typedCallRows } from "./platforms.ts";
 * typedCallRows().find((r) => r.call === "bspHandle")?.codes.length; // 3
 * ```
 */
export function typedCallRows(): TypedCallRow[] {
  const codes = new Map<string, string[]>();
  for (const [code, calls] of Object.entries(TYPED_CALLS)) {
    for (const call of calls) {
      const list = codes.get(call);
      if (list === undefined) codes.set(call, [code]);
      else list.push(code);
    }
  }
  return Object.entries(TYPED_CALL_PLATFORMS).map(([call, row]) => ({
    call,
    codes: codes.get(call) ?? [],
    ...row,
  }));
}
