/**
 * Internal: the spec entries of winsock2.h: the BSD-compatible codes, in the order `wsioctl list` shows them.
 *
 * @module
 */

import { IOR, IOW, WSAIOW } from "../_macros.ts";
import type { IoctlSpec } from "../spec_types.ts";

/** The entries of winsock2.h. */
export const WINSOCK2: readonly IoctlSpec[] = [
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
];
