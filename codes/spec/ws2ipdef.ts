/**
 * Internal: the spec entries of ws2ipdef.h: TCP/IP codes in Unix style, in the order `wsioctl list` shows them.
 *
 * @module
 */

import { IO, IOR, IOW } from "../_macros.ts";
import type { IoctlSpec } from "../spec_types.ts";

/** The entries of ws2ipdef.h. */
export const WS2IPDEF: readonly IoctlSpec[] = [
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
];
