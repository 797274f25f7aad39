/**
 * Internal: the spec entries of mswsock.h and mswsockdef.h, in the order `wsioctl list` shows them.
 *
 * @module
 */

import { WSAIOR, WSAIORW, WSAIOW } from "../_macros.ts";
import type { IoctlSpec } from "../spec_types.ts";

/** The entries of mswsock.h and mswsockdef.h. */
export const MSWSOCK: readonly IoctlSpec[] = [
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
];
