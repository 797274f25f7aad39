/**
 * The types of the spec table (`spec.ts`): the header names, one entry's shape, and the size of
 * every buffer text.
 *
 * @module
 */

import type { IoctlIo } from "./bits.ts";
import type { MacroForm } from "./_macros.ts";
import type { BufferSize } from "./types.ts";

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
