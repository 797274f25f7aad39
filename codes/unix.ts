/**
 * The Unix-compatible control codes.
 *
 * @module
 */

import { FIONBIO, FIONREAD, SIOCATMARK } from "./generated.ts";

/**
 * The codes of the Winsock reference's "Unix IOCTL codes" section: FIONREAD, FIONBIO and
 * SIOCATMARK, in table order. They have a meaning on every platform this library runs on (libc's
 * `ioctl` on Linux and macOS, `WSAIoctl` on Windows); every other code is Winsock's own, which
 * the native layer runs elsewhere only where the platform has the same capability under another
 * name (keep-alive, the interface queries, multicast scope, …: the README's table of typed calls
 * and its platform notes say which, call by call).
 *
 * Not the same as the table's T = 0 (IOC_UNIX) entries: the SDK also encodes BSD leftovers that
 * Winsock refuses (FIOASYNC, SIOCSHIWAT, …) and TCP/IP codes such as SIO_GET_INTERFACE_LIST in
 * Unix style.
 *
 * @example
 * ```ts
 * import { FIONREAD, UNIX_IOCTLS } from "@x/wsioctl/codes";
 * UNIX_IOCTLS.includes(FIONREAD); // true
 * ```
 */
export const UNIX_IOCTLS: readonly number[] = Object.freeze([FIONREAD, FIONBIO, SIOCATMARK]);
