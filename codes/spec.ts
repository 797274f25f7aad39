/**
 * The declarative table of Winsock control codes: one entry per SDK name, each written in the
 * macro form its header uses (`_WSAIOW(IOC_VENDOR,4)`, `_IOR('f',127,u_long)`, …), never as a hex
 * literal. `scripts/gen_codes.ts` evaluates the macros with {@link ./bits.ts} and writes
 * `codes/generated.ts`.
 *
 * Sources of facts: the Windows SDK headers (10.0.22621 and later) winsock2.h, ws2def.h,
 * ws2ipdef.h, mswsock.h, mswsockdef.h and mstcpip.h, plus afunix.h, qossp.h, ws2atm.h and ws2bth.h for the
 * few codes the seed or peers use that live elsewhere; the Winsock IOCTL reference for what each
 * buffer really carries.
 *
 * @module
 */

import {
  encodeIoctl,
  IOC_IN,
  type IoctlIo,
  type IocTypeMacro,
  unixIo,
  unixIoRW,
  wsaio,
} from "./bits.ts";

import type { BufferSize } from "./types.ts";

/** The C text of a macro and the value it yields. */
export interface MacroForm {
  /** The macro as the header writes it, e.g. `_WSAIOW(IOC_VENDOR,4)`. */
  text: string;
  /** Its value, computed from the bit layout. */
  value: number;
}

/** Parameter types of the Unix-style macros and their size on 64-bit Windows (LLP64). */
const UNIX_PARAM_SIZES = { u_long: 4, ULONG: 4 } as const;
type UnixParam = keyof typeof UNIX_PARAM_SIZES;

const TYPE_OF: Record<IocTypeMacro, 0 | 1 | 2 | 3> = {
  IOC_UNIX: 0,
  IOC_WS2: 1,
  IOC_PROTOCOL: 2,
  IOC_VENDOR: 3,
};

function wsa(io: IoctlIo, macro: string, type: IocTypeMacro, code: number, family = 0): MacroForm {
  const t = TYPE_OF[type];
  const value = io === "void" ? wsaio(t, code, family) : encodeIoctl({ io, type: t, family, code });
  const x = family === 0 ? type : `${type}|(${family}<<16)`;
  return { text: `${macro}(${x},${code})`, value };
}

/** `_WSAIO(x,y)`: no parameters. */
const WSAIO = (type: IocTypeMacro, code: number): MacroForm => wsa("void", "_WSAIO", type, code);
/** `_WSAIOR(x,y)`: output buffer. */
const WSAIOR = (type: IocTypeMacro, code: number, family = 0): MacroForm =>
  wsa("out", "_WSAIOR", type, code, family);
/** `_WSAIOW(x,y)`: input buffer. */
const WSAIOW = (type: IocTypeMacro, code: number, family = 0): MacroForm =>
  wsa("in", "_WSAIOW", type, code, family);
/** `_WSAIORW(x,y)`: input and output buffers. */
const WSAIORW = (type: IocTypeMacro, code: number, family = 0): MacroForm =>
  wsa("inout", "_WSAIORW", type, code, family);
/** `_IO(g,n)`. */
const IO = (group: string, n: number): MacroForm => ({
  text: `_IO('${group}',${n})`,
  value: unixIo(group, n),
});
/** `_IOR(g,n,t)`. */
const IOR = (group: string, n: number, t: UnixParam): MacroForm => ({
  text: `_IOR('${group}',${n},${t})`,
  value: unixIoRW("out", group, n, UNIX_PARAM_SIZES[t]),
});
/** `_IOW(g,n,t)`; `orIn` reproduces the SDK's `n | IOC_IN` spelling of two codes. */
const IOW = (group: string, n: number, t: UnixParam, orIn = false): MacroForm => ({
  text: `_IOW('${group}',${n}${orIn ? " | IOC_IN" : ""},${t})`,
  value: unixIoRW("in", group, n, UNIX_PARAM_SIZES[t], orIn ? IOC_IN : 0),
});

/** Where a name comes from: the header and first Windows version. */
export type Header =
  | "winsock2.h"
  | "ws2def.h"
  | "ws2ipdef.h"
  | "mswsock.h"
  | "mswsockdef.h"
  | "mstcpip.h"
  | "afunix.h"
  | "qossp.h"
  | "ws2atm.h"
  | "ws2bth.h";

/** One entry of the table. */
export interface IoctlSpec {
  /** The SDK name. */
  name: string;
  /** The macro that defines it, or the name it is defined as (`#define A B`). */
  macro: MacroForm | { aliasOf: string };
  /** The header that defines it. */
  header: Header;
  /** First Windows version that supports it (or the header guard that introduces it). */
  since: string;
  /** What the input buffer carries (a struct name or C type), when it carries anything. */
  input?: string;
  /** What the output buffer carries, when it carries anything. */
  output?: string;
  /** The input buffer's size, where it differs from {@link BUFFER_SIZES}' size of `input`. */
  inputSize?: BufferSize;
  /** The output buffer's size, where it differs from {@link BUFFER_SIZES}' size of `output`. */
  outputSize?: BufferSize;
  /**
   * The direction the buffers are really used in, when the I/O bits of the code say otherwise
   * (SIO_GET_TX_TIMESTAMP is encoded input-only but returns a timestamp).
   */
  realIo?: IoctlIo;
  /** Part of the 53 codes of the seed. */
  seed?: boolean;
  /** The seed's opcode setting, where it differs from the header macro (the header wins). */
  seedOpcode?: string;
  /** One line, in our own words. */
  summary: string;
}

const SOCKADDR_SIZE = "variable: 16 bytes (sockaddr_in) or 28 (sockaddr_in6), by the family";

/**
 * The size on 64-bit Windows (LLP64: `long` and `int` 4 bytes, pointers and handles 8) of every
 * `input` / `output` text of the table, in bytes or in words where it varies. Sizes of SDK
 * structs are checked against `structs/`'s layouts and the mingw-w64 headers
 * (tests/codes_c_test.ts).
 */
export const BUFFER_SIZES: Readonly<Record<string, BufferSize>> = {
  u_long: 4,
  ULONG: 4,
  "ULONG process id": 4,
  BOOL: 4,
  int: 4,
  DWORD: 4,
  "DWORD version": 4,
  "DWORD query": 4,
  "DWORD result": 4,
  "DWORD device": 4,
  "interface index": 4,
  "UINT32 timestamp id": 4,
  "UINT64 timestamp": 8,
  "UINT64 endpoint handle": 8,
  "USHORT processor index": 2,
  SOCKET: 8,
  HANDLE: 8,
  "function pointer": 8,
  GUID: 16,
  sockaddr: SOCKADDR_SIZE,
  WSACOMPLETION: 32,
  "companion API handle": "variable: as large as the companion API's handle",
  QOS: "variable: at least 80 bytes, then provider-specific data",
  SOCKET_ADDRESS_LIST: "variable: 8 bytes, 16 per SOCKET_ADDRESS, then the sockaddrs",
  "GUID[]": "variable: 16 bytes per GUID",
  "function pointer[]": "variable: 8 bytes per function",
  SOCKET_PROCESSOR_AFFINITY: 8,
  WSA_COMPATIBILITY_MODE: 8,
  "INTERFACE_INFO[]": "variable: 76 bytes per interface",
  "INTERFACE_INFO_EX[]": "variable: 56 bytes per interface, then the sockaddrs",
  ip_msfilter: "variable: 16 bytes + 4 per source (IP_MSFILTER_SIZE)",
  GROUP_FILTER: "variable: 144 bytes + 128 per source (GROUP_FILTER_SIZE)",
  RCVALL_VALUE: 4,
  RCVALL_IF: 8,
  tcp_keepalive: 12,
  "multicast group and interface index": "size not documented",
  TCP_INITIAL_RTO_PARAMETERS: 4,
  TCP_ICW_PARAMETERS: 4,
  TCP_ACK_FREQUENCY_PARAMETERS: 1,
  SOCKET_PRIORITY_HINT: 4,
  "TCP_INFO_v0 / TCP_INFO_v1 / TCP_INFO_v2": "variable: 88, 136 or 152 bytes for versions 0, 1, 2",
  TIMESTAMPING_CONFIG: 8,
  "TRANSPORT_SETTING_ID + setting":
    "variable: the setting's struct, which starts with the 16-byte TRANSPORT_SETTING_ID " +
    "(REAL_TIME_NOTIFICATION_SETTING_INPUT: 32 bytes)",
  TRANSPORT_SETTING_ID: 16,
  REAL_TIME_NOTIFICATION_SETTING_OUTPUT: 4,
  INET_PORT_RANGE: 4,
  INET_PORT_RESERVATION_TOKEN: 8,
  INET_PORT_RESERVATION_INSTANCE: 16,
  SOCKET_SECURITY_SETTINGS: "variable: 8 bytes, or the IPsec form: 84 bytes, then its strings",
  SOCKET_SECURITY_QUERY_TEMPLATE: "variable: at least 144 bytes (longer IPsec forms exist)",
  SOCKET_SECURITY_QUERY_INFO: "variable: at least 24 bytes (longer IPsec forms exist)",
  SOCKET_PEER_TARGET_NAME: "variable: 140 bytes, then the name's UTF-16 characters",
  SOCKET_USAGE_TYPE: 4,
  RSS_SCALABILITY_INFO: 1,
  "redirect records (opaque)": "variable: as long as the records",
  "redirect context (opaque)": "variable: as long as the context",
  "path string": "variable: as long as the path",
  ATM_ADDRESS: 28,
  ATM_CONNECTION_ID: 12,
  ATM_PVC_PARAMS: 92,
  RFCOMM_COMMAND: 11,
};

/**
 * Every control code of the table, in header order.
 */
export const IOCTL_SPECS: readonly IoctlSpec[] = [
  // ---- winsock2.h: the BSD-compatible codes -------------------------------------------------
  {
    name: "FIONREAD",
    macro: IOR("f", 127, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    output: "u_long",
    seed: true,
    summary: "Number of bytes that one recv would return right now.",
  },
  {
    name: "FIONBIO",
    macro: IOW("f", 126, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    input: "u_long",
    seed: true,
    summary: "Turns non-blocking mode on (nonzero) or off (zero).",
  },
  {
    name: "FIOASYNC",
    macro: IOW("f", 125, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    input: "u_long",
    summary: "BSD asynchronous I/O switch; defined for compatibility, Winsock rejects it.",
  },
  {
    name: "SIOCSHIWAT",
    macro: IOW("s", 0, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    input: "u_long",
    summary: "BSD send high-water mark setter; defined for compatibility only.",
  },
  {
    name: "SIOCGHIWAT",
    macro: IOR("s", 1, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    output: "u_long",
    summary: "BSD send high-water mark getter; defined for compatibility only.",
  },
  {
    name: "SIOCSLOWAT",
    macro: IOW("s", 2, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    input: "u_long",
    summary: "BSD low-water mark setter; defined for compatibility only.",
  },
  {
    name: "SIOCGLOWAT",
    macro: IOR("s", 3, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    output: "u_long",
    summary: "BSD low-water mark getter; defined for compatibility only.",
  },
  {
    name: "SIOCATMARK",
    macro: IOR("s", 7, "u_long"),
    header: "winsock2.h",
    since: "Windows 2000",
    output: "BOOL",
    seed: true,
    summary:
      "TRUE when no out-of-band data waits to be read (the read pointer is not before the mark).",
  },
  {
    name: "SIO_NSP_NOTIFY_CHANGE",
    macro: WSAIOW("IOC_WS2", 25),
    header: "winsock2.h",
    since: "Windows Vista",
    input: "WSACOMPLETION",
    summary: "Name-space provider change notification, used with WSANSPIoctl.",
  },
  // ---- ws2def.h: generic Winsock 2 codes (T=1) ---------------------------------------------
  {
    name: "SIO_ASSOCIATE_HANDLE",
    macro: WSAIOW("IOC_WS2", 1),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "companion API handle",
    seed: true,
    inputSize: "variable: an int naming the companion API, its handle, then what that API needs",
    summary: "Ties the socket to a handle of a companion interface; no provider implements it.",
  },
  {
    name: "SIO_ENABLE_CIRCULAR_QUEUEING",
    macro: WSAIO("IOC_WS2", 2),
    header: "ws2def.h",
    since: "Windows 2000",
    seed: true,
    summary: "Asks the provider to drop the oldest queued message instead of the newest when full.",
  },
  {
    name: "SIO_FIND_ROUTE",
    macro: WSAIOR("IOC_WS2", 3),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "sockaddr",
    realIo: "in",
    seed: true,
    summary:
      "Asks whether a route to the given address exists; not implemented by Microsoft providers.",
  },
  {
    name: "SIO_FLUSH",
    macro: WSAIO("IOC_WS2", 4),
    header: "ws2def.h",
    since: "Windows 2000",
    seed: true,
    summary: "Discards whatever still waits in the send queue.",
  },
  {
    name: "SIO_GET_BROADCAST_ADDRESS",
    macro: WSAIOR("IOC_WS2", 5),
    header: "ws2def.h",
    since: "Windows 2000",
    output: "sockaddr",
    seed: true,
    outputSize: 16, // sockaddr_in: the code is IPv4 only
    summary: "Returns the broadcast address of the socket's family (IPv4: 255.255.255.255).",
  },
  {
    name: "SIO_GET_EXTENSION_FUNCTION_POINTER",
    macro: WSAIORW("IOC_WS2", 6),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "GUID",
    output: "function pointer",
    seed: true,
    summary: "Looks up a Microsoft extension function (AcceptEx, ConnectEx, …) by GUID.",
  },
  {
    name: "SIO_GET_QOS",
    macro: WSAIORW("IOC_WS2", 7),
    header: "ws2def.h",
    since: "Windows 2000",
    output: "QOS",
    seed: true,
    seedOpcode: "O, T==1",
    inputSize: "optional: protocol-specific data that qualifies the request (RSVP)",
    summary: "Reads the socket's current flow specifications.",
  },
  {
    name: "SIO_GET_GROUP_QOS",
    macro: WSAIORW("IOC_WS2", 8),
    header: "ws2def.h",
    since: "Windows 2000",
    output: "QOS",
    seed: true,
    inputSize: "optional: protocol-specific data that qualifies the request (RSVP)",
    summary: "Reserved: would read the flow specification of the socket's group.",
  },
  {
    name: "SIO_MULTIPOINT_LOOPBACK",
    macro: WSAIOW("IOC_WS2", 9),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "BOOL",
    seed: true,
    seedOpcode: "V, T==1",
    summary: "Chooses whether multicast data sent by this socket is looped back to it.",
  },
  {
    name: "SIO_MULTICAST_SCOPE",
    macro: WSAIOW("IOC_WS2", 10),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "int",
    seed: true,
    summary: "Sets the multicast scope (IP time-to-live) of outgoing multicast packets.",
  },
  {
    name: "SIO_SET_QOS",
    macro: WSAIOW("IOC_WS2", 11),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "QOS",
    seed: true,
    summary: "Sets new flow specifications for the socket.",
  },
  {
    name: "SIO_SET_GROUP_QOS",
    macro: WSAIOW("IOC_WS2", 12),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "QOS",
    seed: true,
    summary: "Reserved: would set the flow specification of the socket's group.",
  },
  {
    name: "SIO_TRANSLATE_HANDLE",
    macro: WSAIORW("IOC_WS2", 13),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "int",
    output: "companion API handle",
    seed: true,
    summary: "Gets the handle that stands for this socket in a companion interface.",
  },
  {
    name: "SIO_ROUTING_INTERFACE_QUERY",
    macro: WSAIORW("IOC_WS2", 20),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "sockaddr",
    output: "sockaddr",
    seed: true,
    summary: "Returns the local interface address that would be used to reach a remote address.",
  },
  {
    name: "SIO_ROUTING_INTERFACE_CHANGE",
    macro: WSAIOW("IOC_WS2", 21),
    header: "ws2def.h",
    since: "Windows 2000",
    input: "sockaddr",
    seed: true,
    summary: "Completes when the interface used to reach the given address changes.",
  },
  {
    name: "SIO_ADDRESS_LIST_QUERY",
    macro: WSAIOR("IOC_WS2", 22),
    header: "ws2def.h",
    since: "Windows 2000",
    output: "SOCKET_ADDRESS_LIST",
    seed: true,
    summary: "Lists the local addresses of the socket's family that it could bind to.",
  },
  {
    name: "SIO_ADDRESS_LIST_CHANGE",
    macro: WSAIO("IOC_WS2", 23),
    header: "ws2def.h",
    since: "Windows 2000",
    seed: true,
    summary: "Completes when the list of local addresses of the socket's family changes.",
  },
  {
    name: "SIO_QUERY_TARGET_PNP_HANDLE",
    macro: WSAIOR("IOC_WS2", 24),
    header: "ws2def.h",
    since: "Windows 2000",
    output: "SOCKET",
    summary: "Returns the handle of the next provider's socket for plug-and-play notifications.",
  },
  {
    name: "SIO_ADDRESS_LIST_SORT",
    macro: WSAIORW("IOC_WS2", 25),
    header: "ws2def.h",
    since: "Windows XP",
    input: "SOCKET_ADDRESS_LIST",
    output: "SOCKET_ADDRESS_LIST",
    summary: "Sorts candidate destination addresses by preference (RFC 3484 ordering).",
  },
  {
    name: "SIO_RESERVED_1",
    macro: WSAIOW("IOC_WS2", 26),
    header: "ws2def.h",
    since: "Windows Vista",
    summary: "Reserved by Microsoft.",
  },
  {
    name: "SIO_RESERVED_2",
    macro: WSAIOW("IOC_WS2", 33),
    header: "ws2def.h",
    since: "Windows Vista",
    summary: "Reserved by Microsoft.",
  },
  {
    name: "SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER",
    macro: WSAIORW("IOC_WS2", 36),
    header: "ws2def.h",
    since: "Windows 8",
    input: "GUID[]",
    output: "function pointer[]",
    summary: "Looks up several extension functions in one call (used for the RIO table).",
  },
  {
    name: "SIO_QUERY_RSS_PROCESSOR_INFO",
    macro: WSAIOR("IOC_WS2", 37),
    header: "ws2def.h",
    since: "Windows 8",
    output: "SOCKET_PROCESSOR_AFFINITY",
    seed: true,
    summary: "Returns the processor and NUMA node RSS steers this connection's traffic to.",
  },
  // ---- mswsock.h ------------------------------------------------------------------------------
  {
    name: "SIO_UDP_CONNRESET",
    macro: WSAIOW("IOC_VENDOR", 12),
    header: "mswsock.h",
    since: "Windows 2000",
    input: "BOOL",
    seed: true,
    summary:
      "Chooses whether ICMP port-unreachable makes the next UDP recv fail with WSAECONNRESET.",
  },
  {
    name: "SIO_SOCKET_CLOSE_NOTIFY",
    macro: WSAIOW("IOC_VENDOR", 13),
    header: "mswsock.h",
    since: "Windows XP SP2 (defined only for 0x0501 <= _WIN32_WINNT < 0x0600)",
    input: "HANDLE",
    summary: "Overlapped request that completes when the given socket is closed.",
  },
  {
    name: "SIO_UDP_NETRESET",
    macro: WSAIOW("IOC_VENDOR", 15),
    header: "mswsock.h",
    since: "Windows XP",
    input: "BOOL",
    summary: "Chooses whether ICMP TTL-expired makes the next UDP recv fail with WSAENETRESET.",
  },
  {
    name: "SIO_BSP_HANDLE",
    macro: WSAIOR("IOC_WS2", 27),
    header: "mswsock.h",
    since: "Windows Vista",
    output: "SOCKET",
    seed: true,
    summary: "Returns the handle of the base service provider under any layered providers.",
  },
  {
    name: "SIO_BSP_HANDLE_SELECT",
    macro: WSAIOR("IOC_WS2", 28),
    header: "mswsock.h",
    since: "Windows Vista",
    output: "SOCKET",
    seed: true,
    summary: "Returns the base provider handle to pass to select().",
  },
  {
    name: "SIO_BSP_HANDLE_POLL",
    macro: WSAIOR("IOC_WS2", 29),
    header: "mswsock.h",
    since: "Windows Vista",
    output: "SOCKET",
    seed: true,
    summary: "Returns the base provider handle to pass to WSAPoll().",
  },
  {
    name: "SIO_EXT_SELECT",
    macro: WSAIORW("IOC_WS2", 30),
    header: "mswsock.h",
    since: "Windows Vista",
    summary: "Internal hook layered providers use to take part in select().",
  },
  {
    name: "SIO_EXT_POLL",
    macro: WSAIORW("IOC_WS2", 31),
    header: "mswsock.h",
    since: "Windows Vista",
    summary: "Internal hook layered providers use to take part in WSAPoll().",
  },
  {
    name: "SIO_EXT_SENDMSG",
    macro: WSAIORW("IOC_WS2", 32),
    header: "mswsock.h",
    since: "Windows Vista",
    summary: "Internal hook layered providers use to take part in WSASendMsg().",
  },
  {
    name: "SIO_BASE_HANDLE",
    macro: WSAIOR("IOC_WS2", 34),
    header: "mswsock.h",
    since: "Windows Vista",
    output: "SOCKET",
    seed: true,
    summary: "Returns the base provider's handle, the one IOCP and AFD calls must use.",
  },
  // ---- mswsockdef.h ---------------------------------------------------------------------------
  {
    name: "SIO_SET_COMPATIBILITY_MODE",
    macro: WSAIOW("IOC_VENDOR", 300),
    header: "mswsockdef.h",
    since: "Windows Vista",
    input: "WSA_COMPATIBILITY_MODE",
    seed: true,
    summary: "Asks the stack to behave as an older Windows version did for one behaviour.",
  },
  // ---- ws2ipdef.h: TCP/IP codes in Unix style ------------------------------------------------
  {
    name: "SIO_GET_INTERFACE_LIST",
    macro: IOR("t", 127, "ULONG"),
    header: "ws2ipdef.h",
    since: "Windows 2000",
    output: "INTERFACE_INFO[]",
    seed: true,
    summary: "Lists the IPv4 interfaces with their address, netmask, broadcast address and flags.",
  },
  {
    name: "SIO_GET_INTERFACE_LIST_EX",
    macro: IOR("t", 126, "ULONG"),
    header: "ws2ipdef.h",
    since: "Windows XP",
    output: "INTERFACE_INFO_EX[]",
    seed: true,
    summary: "Like SIO_GET_INTERFACE_LIST with SOCKET_ADDRESS entries; not implemented on Windows.",
  },
  {
    name: "SIO_SET_MULTICAST_FILTER",
    macro: IOW("t", 125, "ULONG"),
    header: "ws2ipdef.h",
    since: "Windows XP",
    input: "ip_msfilter",
    summary: "Sets the IPv4 multicast source filter of a group (RFC 3678 ioctl form).",
  },
  {
    name: "SIO_GET_MULTICAST_FILTER",
    macro: IOW("t", 124, "ULONG", true),
    header: "ws2ipdef.h",
    since: "Windows XP",
    input: "ip_msfilter",
    output: "ip_msfilter",
    realIo: "inout",
    summary: "Reads the IPv4 multicast source filter of a group.",
  },
  {
    name: "SIOCSIPMSFILTER",
    macro: { aliasOf: "SIO_SET_MULTICAST_FILTER" },
    header: "ws2ipdef.h",
    since: "Windows XP",
    input: "ip_msfilter",
    summary: "RFC 3678 name of SIO_SET_MULTICAST_FILTER.",
  },
  {
    name: "SIOCGIPMSFILTER",
    macro: { aliasOf: "SIO_GET_MULTICAST_FILTER" },
    header: "ws2ipdef.h",
    since: "Windows XP",
    input: "ip_msfilter",
    output: "ip_msfilter",
    realIo: "inout",
    summary: "RFC 3678 name of SIO_GET_MULTICAST_FILTER.",
  },
  {
    name: "SIOCSMSFILTER",
    macro: IOW("t", 126, "ULONG"),
    header: "ws2ipdef.h",
    since: "Windows Vista",
    input: "GROUP_FILTER",
    summary: "Sets a multicast source filter for either address family (RFC 3678).",
  },
  {
    name: "SIOCGMSFILTER",
    macro: IOW("t", 127, "ULONG", true),
    header: "ws2ipdef.h",
    since: "Windows Vista",
    input: "GROUP_FILTER",
    output: "GROUP_FILTER",
    realIo: "inout",
    summary: "Reads a multicast source filter for either address family (RFC 3678).",
  },
  {
    name: "SIO_IDEAL_SEND_BACKLOG_QUERY",
    macro: IOR("t", 123, "ULONG"),
    header: "ws2ipdef.h",
    since: "Windows Vista SP1",
    output: "ULONG",
    seed: true,
    summary: "Returns how many bytes a TCP sender should keep outstanding to fill the path.",
  },
  {
    name: "SIO_IDEAL_SEND_BACKLOG_CHANGE",
    macro: IO("t", 122),
    header: "ws2ipdef.h",
    since: "Windows Vista SP1",
    seed: true,
    summary: "Completes when the ideal send backlog of the TCP connection changes.",
  },
  // ---- mstcpip.h: Microsoft TCP/IP vendor codes (T=3) ----------------------------------------
  {
    name: "SIO_RCVALL",
    macro: WSAIOW("IOC_VENDOR", 1),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "RCVALL_VALUE",
    seed: true,
    summary: "Puts a raw socket in promiscuous mode: it receives every IP packet on its interface.",
  },
  {
    name: "SIO_RCVALL_MCAST",
    macro: WSAIOW("IOC_VENDOR", 2),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "RCVALL_VALUE",
    seed: true,
    summary: "Makes a raw socket receive all multicast IP traffic of its interface.",
  },
  {
    name: "SIO_RCVALL_IGMPMCAST",
    macro: WSAIOW("IOC_VENDOR", 3),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "RCVALL_VALUE",
    seed: true,
    summary: "Makes a raw IGMP socket receive all IGMP multicast traffic of its interface.",
  },
  {
    name: "SIO_KEEPALIVE_VALS",
    macro: WSAIOW("IOC_VENDOR", 4),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "tcp_keepalive",
    seed: true,
    summary:
      "Turns TCP keep-alive on or off with its idle time and probe interval in milliseconds.",
  },
  {
    name: "SIO_ABSORB_RTRALERT",
    macro: WSAIOW("IOC_VENDOR", 5),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "BOOL",
    summary: "Makes a raw socket absorb packets that carry the IP router-alert option.",
  },
  {
    name: "SIO_UCAST_IF",
    macro: WSAIOW("IOC_VENDOR", 6),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "interface index",
    summary: "Chooses the outgoing interface for unicast packets.",
  },
  {
    name: "SIO_LIMIT_BROADCASTS",
    macro: WSAIOW("IOC_VENDOR", 7),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "BOOL",
    summary: "Limits broadcasts to the local subnet.",
  },
  {
    name: "SIO_INDEX_BIND",
    macro: WSAIOW("IOC_VENDOR", 8),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "interface index",
    summary: "Binds the socket to an interface by index.",
  },
  {
    name: "SIO_INDEX_MCASTIF",
    macro: WSAIOW("IOC_VENDOR", 9),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "interface index",
    summary: "Chooses the outgoing interface for multicast by index.",
  },
  {
    name: "SIO_INDEX_ADD_MCAST",
    macro: WSAIOW("IOC_VENDOR", 10),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "multicast group and interface index",
    summary: "Joins a multicast group on an interface given by index.",
  },
  {
    name: "SIO_INDEX_DEL_MCAST",
    macro: WSAIOW("IOC_VENDOR", 11),
    header: "mstcpip.h",
    since: "Windows 2000",
    input: "multicast group and interface index",
    summary: "Leaves a multicast group on an interface given by index.",
  },
  {
    name: "SIO_RCVALL_MCAST_IF",
    macro: WSAIOW("IOC_VENDOR", 13),
    header: "mstcpip.h",
    since: "Windows Vista",
    input: "RCVALL_IF",
    summary: "Like SIO_RCVALL_MCAST for one interface given by index.",
  },
  {
    name: "SIO_RCVALL_IF",
    macro: WSAIOW("IOC_VENDOR", 14),
    header: "mstcpip.h",
    since: "Windows Vista",
    input: "RCVALL_IF",
    summary: "Like SIO_RCVALL for one interface given by index.",
  },
  {
    name: "SIO_LOOPBACK_FAST_PATH",
    macro: WSAIOW("IOC_VENDOR", 16),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "BOOL",
    seed: true,
    summary:
      "Deprecated: short-circuits TCP loopback traffic for lower latency (set before connect).",
  },
  {
    name: "SIO_TCP_INITIAL_RTO",
    macro: WSAIOW("IOC_VENDOR", 17),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "TCP_INITIAL_RTO_PARAMETERS",
    seed: true,
    summary: "Sets the initial retransmission timeout and SYN retry count of a TCP socket.",
  },
  {
    name: "SIO_APPLY_TRANSPORT_SETTING",
    macro: WSAIOW("IOC_VENDOR", 19),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "TRANSPORT_SETTING_ID + setting",
    seed: true,
    summary: "Applies a transport setting named by GUID (e.g. real-time notification).",
  },
  {
    name: "SIO_QUERY_TRANSPORT_SETTING",
    macro: WSAIOW("IOC_VENDOR", 20),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "TRANSPORT_SETTING_ID",
    output: "REAL_TIME_NOTIFICATION_SETTING_OUTPUT",
    realIo: "inout",
    seed: true,
    summary: "Reads a transport setting named by GUID.",
  },
  {
    name: "SIO_CPU_AFFINITY",
    macro: WSAIOW("IOC_VENDOR", 21),
    header: "mstcpip.h",
    since: "Windows 10 2004 (NTDDI_WIN10_VB)",
    input: "USHORT processor index",
    seed: true,
    summary: "Associates a listening socket with one processor, for per-CPU port sharing.",
  },
  {
    name: "SIO_TCP_SET_ICW",
    macro: WSAIOW("IOC_VENDOR", 22),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "TCP_ICW_PARAMETERS",
    summary: "Chooses the TCP initial congestion window level.",
  },
  {
    name: "SIO_TCP_SET_ACK_FREQUENCY",
    macro: WSAIOW("IOC_VENDOR", 23),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "TCP_ACK_FREQUENCY_PARAMETERS",
    summary: "Sets how many segments TCP receives before it sends a delayed ACK.",
  },
  {
    name: "SIO_SET_PRIORITY_HINT",
    macro: WSAIOW("IOC_VENDOR", 24),
    header: "mstcpip.h",
    since: "Windows 10 1709 (NTDDI_WIN10_RS3)",
    input: "SOCKET_PRIORITY_HINT",
    seed: true,
    summary: "Marks a TCP connection as low or very low priority (background transfers).",
  },
  {
    name: "SIO_PRIORITY_HINT",
    macro: { aliasOf: "SIO_SET_PRIORITY_HINT" },
    header: "mstcpip.h",
    since: "Windows 10 (NTDDI_WIN10_FE)",
    input: "SOCKET_PRIORITY_HINT",
    summary: "Older name of SIO_SET_PRIORITY_HINT.",
  },
  {
    name: "SIO_TCP_INFO",
    macro: WSAIORW("IOC_VENDOR", 39),
    header: "mstcpip.h",
    since: "Windows 10 1703 (NTDDI_WIN10_RS2)",
    input: "DWORD version",
    output: "TCP_INFO_v0 / TCP_INFO_v1 / TCP_INFO_v2",
    seed: true,
    summary: "Returns TCP statistics (state, RTT, cwnd, bytes, retransmissions) for a connection.",
  },
  {
    name: "SIO_TIMESTAMPING",
    macro: WSAIOW("IOC_VENDOR", 235),
    header: "mstcpip.h",
    since: "Windows 10 (NTDDI_WIN10_FE)",
    input: "TIMESTAMPING_CONFIG",
    seed: true,
    summary: "Enables RX and/or TX packet timestamps on a datagram socket.",
  },
  {
    name: "SIO_GET_TX_TIMESTAMP",
    macro: WSAIOW("IOC_VENDOR", 234),
    header: "mstcpip.h",
    since: "Windows 10 (NTDDI_WIN10_FE)",
    input: "UINT32 timestamp id",
    output: "UINT64 timestamp",
    realIo: "inout",
    seed: true,
    summary: "Fetches the TX timestamp of a sent datagram by id; WSAEWOULDBLOCK until it exists.",
  },
  {
    name: "SIO_ACQUIRE_PORT_RESERVATION",
    macro: WSAIOW("IOC_VENDOR", 100),
    header: "mstcpip.h",
    since: "Windows 7",
    input: "INET_PORT_RANGE",
    output: "INET_PORT_RESERVATION_INSTANCE",
    realIo: "inout",
    seed: true,
    summary: "Reserves a block of TCP or UDP ports and returns the range with its token.",
  },
  {
    name: "SIO_RELEASE_PORT_RESERVATION",
    macro: WSAIOW("IOC_VENDOR", 101),
    header: "mstcpip.h",
    since: "Windows 7",
    input: "INET_PORT_RESERVATION_TOKEN",
    seed: true,
    summary: "Releases a port reservation by its token.",
  },
  {
    name: "SIO_ASSOCIATE_PORT_RESERVATION",
    macro: WSAIOW("IOC_VENDOR", 102),
    header: "mstcpip.h",
    since: "Windows 7",
    input: "INET_PORT_RESERVATION_TOKEN",
    seed: true,
    summary: "Makes the socket bind from a reservation's ports, named by its token.",
  },
  {
    name: "SIO_SET_SECURITY",
    macro: WSAIOW("IOC_VENDOR", 200),
    header: "mstcpip.h",
    since: "Windows Vista",
    input: "SOCKET_SECURITY_SETTINGS",
    summary: "Applies IPsec security settings to a socket (WSASetSocketSecurity).",
  },
  {
    name: "SIO_QUERY_SECURITY",
    macro: WSAIORW("IOC_VENDOR", 201),
    header: "mstcpip.h",
    since: "Windows Vista",
    input: "SOCKET_SECURITY_QUERY_TEMPLATE",
    output: "SOCKET_SECURITY_QUERY_INFO",
    summary: "Reads the security properties of a connection (WSAQuerySocketSecurity).",
  },
  {
    name: "SIO_SET_PEER_TARGET_NAME",
    macro: WSAIOW("IOC_VENDOR", 202),
    header: "mstcpip.h",
    since: "Windows Vista",
    input: "SOCKET_PEER_TARGET_NAME",
    summary: "Names the peer expected by IPsec authentication (WSASetSocketPeerTargetName).",
  },
  {
    name: "SIO_DELETE_PEER_TARGET_NAME",
    macro: WSAIOW("IOC_VENDOR", 203),
    header: "mstcpip.h",
    since: "Windows Vista",
    input: "SOCKET_PEER_TARGET_NAME",
    summary: "Removes a peer target name (WSADeleteSocketPeerTargetName).",
  },
  {
    name: "SIO_SOCKET_USAGE_NOTIFICATION",
    macro: WSAIOW("IOC_VENDOR", 204),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "SOCKET_USAGE_TYPE",
    summary: "Tells the stack a socket is system-critical (used by iSCSI).",
  },
  {
    name: "SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE",
    macro: WSAIOR("IOC_VENDOR", 205),
    header: "mstcpip.h",
    since: "Windows 7",
    output: "UINT64 endpoint handle",
    seed: true,
    summary: "Returns the WFP ALE endpoint handle of the socket.",
  },
  {
    name: "SIO_QUERY_RSS_SCALABILITY_INFO",
    macro: WSAIOR("IOC_VENDOR", 210),
    header: "mstcpip.h",
    since: "Windows Vista",
    output: "RSS_SCALABILITY_INFO",
    seed: true,
    summary: "Tells whether receive-side scaling is enabled for the transport.",
  },
  {
    name: "SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS",
    macro: WSAIOW("IOC_VENDOR", 220),
    header: "mstcpip.h",
    since: "Windows 8",
    output: "redirect records (opaque)",
    realIo: "out",
    seed: true,
    summary: "Reads the WFP redirect records of a proxied connection (opaque bytes).",
  },
  {
    name: "SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT",
    macro: WSAIOW("IOC_VENDOR", 221),
    header: "mstcpip.h",
    since: "Windows 8",
    output: "redirect context (opaque)",
    realIo: "out",
    seed: true,
    summary: "Reads the redirect context a WFP callout attached to a proxied connection.",
  },
  {
    name: "SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS",
    macro: WSAIOW("IOC_VENDOR", 222),
    header: "mstcpip.h",
    since: "Windows 8",
    input: "redirect records (opaque)",
    seed: true,
    summary: "Hands redirect records to the proxy's outgoing connection.",
  },
  // ---- afunix.h: AF_UNIX sockets ----------------------------------------------------------------
  {
    name: "SIO_AF_UNIX_GETPEERPID",
    macro: WSAIOR("IOC_VENDOR", 256),
    header: "afunix.h",
    since: "Windows 10 1803",
    output: "ULONG process id",
    summary: "Returns the process id of the peer of a connected AF_UNIX socket.",
  },
  {
    name: "SIO_AF_UNIX_SETBINDPARENTPATH",
    macro: WSAIOW("IOC_VENDOR", 257),
    header: "afunix.h",
    since: "Windows 11",
    input: "path string",
    summary: "Sets the directory an AF_UNIX socket's relative bind path is resolved against.",
  },
  {
    name: "SIO_AF_UNIX_SETCONNPARENTPATH",
    macro: WSAIOW("IOC_VENDOR", 258),
    header: "afunix.h",
    since: "Windows 11",
    input: "path string",
    summary: "Sets the directory an AF_UNIX socket's relative connect path is resolved against.",
  },
  // ---- codes outside the six core headers that the seed or peers use ---------------------------
  {
    name: "SIO_CHK_QOS",
    // qossp.h spells it mIOC_IN | mIOC_OUT | mIOC_VENDOR | mCOMPANY | ioctl_code, where
    // mIOC_VENDOR is 0x04000000: bit 26, i.e. vendor number 0x400 under IOC_VENDOR.
    macro: {
      text: "mIOC_IN | mIOC_OUT | mIOC_VENDOR | mCOMPANY | ioctl_code",
      value: WSAIORW("IOC_VENDOR", 1, 0x400).value,
    },
    header: "qossp.h",
    since: "Windows 2000",
    input: "DWORD query",
    output: "DWORD result",
    seed: true,
    summary: "Queries or sets RSVP/QoS service-provider state (QoS service provider).",
  },
  {
    name: "SIO_GET_NUMBER_OF_ATM_DEVICES",
    macro: WSAIOR("IOC_PROTOCOL", 1, 22),
    header: "ws2atm.h",
    since: "Windows 2000",
    output: "DWORD",
    summary: "Counts the ATM adapters (address family AF_ATM = 22).",
  },
  {
    name: "SIO_GET_ATM_ADDRESS",
    macro: WSAIORW("IOC_PROTOCOL", 2, 22),
    header: "ws2atm.h",
    since: "Windows 2000",
    input: "DWORD device",
    output: "ATM_ADDRESS",
    summary: "Returns the ATM address of an adapter.",
  },
  {
    name: "SIO_ASSOCIATE_PVC",
    macro: WSAIOW("IOC_PROTOCOL", 3, 22),
    header: "ws2atm.h",
    since: "Windows 2000",
    input: "ATM_PVC_PARAMS",
    summary: "Binds an ATM socket to a permanent virtual circuit.",
  },
  {
    name: "SIO_GET_ATM_CONNECTION_ID",
    macro: WSAIOR("IOC_PROTOCOL", 4, 22),
    header: "ws2atm.h",
    since: "Windows 2000",
    output: "ATM_CONNECTION_ID",
    summary: "Returns the identifier of an ATM connection.",
  },
  {
    name: "SIO_BTH_PING",
    macro: WSAIORW("IOC_VENDOR", 8),
    header: "ws2bth.h",
    since: "Windows XP SP2",
    summary: "Bluetooth L2CAP ping of a remote device.",
  },
  {
    name: "SIO_BTH_INFO",
    macro: WSAIORW("IOC_VENDOR", 9),
    header: "ws2bth.h",
    since: "Windows XP SP2",
    summary: "Bluetooth device information query.",
  },
  {
    name: "SIO_RFCOMM_SEND_COMMAND",
    macro: WSAIORW("IOC_VENDOR", 101),
    header: "ws2bth.h",
    since: "Windows XP SP2",
    input: "RFCOMM_COMMAND",
    summary: "Sends an RFCOMM control command on a Bluetooth socket.",
  },
  {
    name: "SIO_RFCOMM_WAIT_COMMAND",
    macro: WSAIORW("IOC_VENDOR", 102),
    header: "ws2bth.h",
    since: "Windows XP SP2",
    output: "RFCOMM_COMMAND",
    summary: "Waits for an RFCOMM control command from the peer.",
  },
  {
    name: "SIO_RFCOMM_SESSION_FLOW_OFF",
    macro: WSAIORW("IOC_VENDOR", 103),
    header: "ws2bth.h",
    since: "Windows XP SP2",
    summary: "Turns RFCOMM session flow off.",
  },
  {
    name: "SIO_RFCOMM_TEST",
    macro: WSAIORW("IOC_VENDOR", 104),
    header: "ws2bth.h",
    since: "Windows XP SP2",
    summary: "Sends an RFCOMM test command.",
  },
  {
    name: "SIO_RFCOMM_USECFC",
    macro: WSAIORW("IOC_VENDOR", 105),
    header: "ws2bth.h",
    since: "Windows XP SP2",
    summary: "Chooses RFCOMM credit-based flow control.",
  },
];

export { decodeIoctl, encodeIoctl } from "./bits.ts";
