/**
 * Internal: what Linux and macOS offer instead of a control code they cannot run — one sentence
 * per code, said by the `UnsupportedError` that refuses it (`ffi/_posix_portable.ts`) and shown as
 * the `instead` of the typed call's row in `sio/platforms.ts`. One table for both, so the error and
 * the documented platform data cannot say different things. Pure data.
 *
 * @module
 */

import {
  SIO_ACQUIRE_PORT_RESERVATION,
  SIO_ADDRESS_LIST_CHANGE,
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
  SIO_ROUTING_INTERFACE_CHANGE,
  SIO_SET_GROUP_QOS,
  SIO_SET_PRIORITY_HINT,
  SIO_SET_QOS,
  SIO_TCP_SET_ACK_FREQUENCY,
  SIO_TCP_SET_ICW,
  SIO_UDP_CONNRESET,
  SIO_UDP_NETRESET,
} from "./mod.ts";

/**
 * What a POSIX system offers instead of a control code it cannot run, for the message of the
 * `UnsupportedError` refusing it; `undefined` where it offers nothing of the kind.
 *
 * @param os The operating system (`"linux"`, `"darwin"`, …).
 * @param code The control code.
 * @returns One short sentence, or `undefined`.
 */
export function unsupportedNote(os: string, code: number): string | undefined {
  const notes = os === "linux" ? LINUX_NOTES : os === "darwin" ? DARWIN_NOTES : undefined;
  return notes?.get(code);
}

const QOS_NOTE = "IP_TOS / IPV6_TCLASS mark a socket's traffic class";
const PORTS_NOTE = "ports are reserved system-wide (sysctl net.ipv4.ip_local_reserved_ports)";
const RCVALL_LINUX = "an AF_PACKET socket receives every packet, with CAP_NET_RAW";
const EXTENSION_NOTE = "AcceptEx, ConnectEx, WSASendMsg and the like are Winsock extensions; " +
  "accept, connect, sendmsg and recvmsg are plain libc calls here";

const ADDRESS_WAIT_NOTE = "it waits for a change: ioctlAsync (addressListChange) watches the " +
  "routing socket without blocking";
const ROUTE_WAIT_NOTE = "it waits for a change: ioctlAsync (routingInterfaceChange) watches the " +
  "routing socket without blocking";

const LINUX_NOTES: ReadonlyMap<number, string> = new Map([
  [SIO_ADDRESS_LIST_CHANGE, ADDRESS_WAIT_NOTE],
  [SIO_ROUTING_INTERFACE_CHANGE, ROUTE_WAIT_NOTE],
  [SIO_LOOPBACK_FAST_PATH, "loopback needs no fast path on linux"],
  [
    SIO_UDP_CONNRESET,
    "a connected UDP socket reports port unreachable (ECONNREFUSED); IP_RECVERR queues ICMP " +
    "errors on any UDP socket",
  ],
  [SIO_UDP_NETRESET, "IP_RECVERR queues ICMP errors, time exceeded among them, on a UDP socket"],
  [SIO_TCP_SET_ICW, "the initial congestion window is a route attribute (ip route … initcwnd)"],
  [SIO_TCP_SET_ACK_FREQUENCY, "TCP_QUICKACK turns delayed ACKs off for a while"],
  [SIO_SET_PRIORITY_HINT, 'TCP_CONGESTION "lp" (TCP Low Priority, where its module is loaded)'],
  [SIO_IDEAL_SEND_BACKLOG_QUERY, "TCP_NOTSENT_LOWAT bounds the unsent bytes a socket keeps"],
  [SIO_IDEAL_SEND_BACKLOG_CHANGE, "TCP_NOTSENT_LOWAT bounds the unsent bytes a socket keeps"],
  [SIO_GET_EXTENSION_FUNCTION_POINTER, EXTENSION_NOTE],
  [SIO_RCVALL, RCVALL_LINUX],
  [SIO_RCVALL_MCAST, RCVALL_LINUX],
  [SIO_RCVALL_IGMPMCAST, RCVALL_LINUX],
  [SIO_ACQUIRE_PORT_RESERVATION, PORTS_NOTE],
  [SIO_RELEASE_PORT_RESERVATION, PORTS_NOTE],
  [SIO_ASSOCIATE_PORT_RESERVATION, PORTS_NOTE],
  [SIO_QUERY_RSS_SCALABILITY_INFO, "RSS is set per network card (ethtool -x)"],
  [SIO_GET_QOS, QOS_NOTE],
  [SIO_GET_GROUP_QOS, QOS_NOTE],
  [SIO_SET_QOS, QOS_NOTE],
  [SIO_SET_GROUP_QOS, QOS_NOTE],
  [SIO_CHK_QOS, QOS_NOTE],
]);

const RCVALL_DARWIN = "a BPF device (/dev/bpf*) receives every packet";
const TX_STAMPS_DARWIN = "macOS stamps received datagrams only (SO_TIMESTAMP, recvFrom's " +
  "timestamp); timestampNow() read right after the send is the nearest to a TX stamp";

const DARWIN_NOTES: ReadonlyMap<number, string> = new Map([
  [SIO_ADDRESS_LIST_CHANGE, ADDRESS_WAIT_NOTE],
  [SIO_ROUTING_INTERFACE_CHANGE, ROUTE_WAIT_NOTE],
  [SIO_LOOPBACK_FAST_PATH, "loopback needs no fast path on darwin"],
  [SIO_UDP_CONNRESET, "a connected UDP socket reports port unreachable (ECONNREFUSED)"],
  [SIO_IDEAL_SEND_BACKLOG_QUERY, "TCP_NOTSENT_LOWAT bounds the unsent bytes a socket keeps"],
  [SIO_IDEAL_SEND_BACKLOG_CHANGE, "TCP_NOTSENT_LOWAT bounds the unsent bytes a socket keeps"],
  [SIO_GET_EXTENSION_FUNCTION_POINTER, EXTENSION_NOTE],
  [SIO_GET_TX_TIMESTAMP, TX_STAMPS_DARWIN],
  [SIO_RCVALL, RCVALL_DARWIN],
  [SIO_RCVALL_MCAST, RCVALL_DARWIN],
  [SIO_RCVALL_IGMPMCAST, RCVALL_DARWIN],
  [SIO_GET_QOS, QOS_NOTE],
  [SIO_GET_GROUP_QOS, QOS_NOTE],
  [SIO_SET_QOS, QOS_NOTE],
  [SIO_SET_GROUP_QOS, QOS_NOTE],
  [SIO_CHK_QOS, QOS_NOTE],
]);
