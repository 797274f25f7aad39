/**
 * Internal: the spec entries of afunix.h, and the codes outside the core headers that the seed or peers use (qossp.h, ws2atm.h, ws2bth.h), in the order `wsioctl list` shows them.
 *
 * @module
 */

import { WSAIOR, WSAIORW, WSAIOW } from "../_macros.ts";
import type { IoctlSpec } from "../spec_types.ts";

/** The entries of afunix.h, and the codes outside the core headers that the seed or peers use (qossp.h, ws2atm.h, ws2bth.h). */
export const OTHERS: readonly IoctlSpec[] = [
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
