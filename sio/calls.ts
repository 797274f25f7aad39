/**
 * Which typed call runs which control code: a table from SDK name to the typed calls of `sio/`,
 * for finding the typed form of a code you know (the CLI's `decode` prints it). Where each typed
 * call runs is in `platforms.ts` (`TYPED_CALL_PLATFORMS`). Pure data: no FFI, importable
 * anywhere.
 *
 * @example
 * ```ts
 * import { typedCallsOf } from "@x/wsioctl/sio";
 * typedCallsOf("SIO_UDP_CONNRESET"); // ["setUdpConnReset"]
 * typedCallsOf("SIO_BSP_HANDLE_POLL"); // ["bspHandle"]
 * ```
 *
 * @module
 */

/** The typed calls of each control code that has one, by SDK name. */
export const TYPED_CALLS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  FIONBIO: ["setNonBlocking"],
  FIONREAD: ["bytesAvailable"],
  SIOCATMARK: ["atOobMark"],
  SIO_KEEPALIVE_VALS: ["setKeepAlive"],
  SIO_UDP_CONNRESET: ["setUdpConnReset"],
  SIO_UDP_NETRESET: ["setUdpNetReset"],
  SIO_LOOPBACK_FAST_PATH: ["setLoopbackFastPath"],
  SIO_TCP_INFO: ["tcpInfo"],
  SIO_TIMESTAMPING: ["setTimestamping"],
  SIO_GET_TX_TIMESTAMP: ["txTimestamp", "txTimestampPoller"],
  SIO_TCP_INITIAL_RTO: ["setTcpInitialRto"],
  SIO_TCP_SET_ICW: ["setTcpInitialCongestionWindow"],
  SIO_TCP_SET_ACK_FREQUENCY: ["setTcpAckFrequency"],
  SIO_SET_PRIORITY_HINT: ["setPriorityHint"],
  SIO_SET_COMPATIBILITY_MODE: ["setCompatibilityMode"],
  SIO_CPU_AFFINITY: ["setCpuAffinity"],
  SIO_IDEAL_SEND_BACKLOG_QUERY: ["idealSendBacklog"],
  SIO_IDEAL_SEND_BACKLOG_CHANGE: ["idealSendBacklogChange"],
  SIO_GET_EXTENSION_FUNCTION_POINTER: ["extensionFunction"],
  SIO_BASE_HANDLE: ["baseHandle"],
  SIO_BSP_HANDLE: ["bspHandle"],
  SIO_BSP_HANDLE_SELECT: ["bspHandle"],
  SIO_BSP_HANDLE_POLL: ["bspHandle"],
  SIO_GET_INTERFACE_LIST: ["interfaceList"],
  SIO_GET_INTERFACE_LIST_EX: ["interfaceListEx"],
  SIO_ADDRESS_LIST_QUERY: ["addressList"],
  SIO_ADDRESS_LIST_CHANGE: ["addressListChange", "addressListChanges"],
  SIO_ROUTING_INTERFACE_QUERY: ["routingInterface"],
  SIO_ROUTING_INTERFACE_CHANGE: ["routingInterfaceChange", "routingInterfaceChanges"],
  SIO_GET_BROADCAST_ADDRESS: ["broadcastAddress"],
  SIO_FIND_ROUTE: ["findRoute"],
  SIO_FLUSH: ["flush"],
  SIO_ENABLE_CIRCULAR_QUEUEING: ["enableCircularQueueing"],
  SIO_MULTICAST_SCOPE: ["setMulticastScope"],
  SIO_MULTIPOINT_LOOPBACK: ["setMultipointLoopback"],
  SIO_RCVALL: ["setReceiveAll"],
  SIO_RCVALL_MCAST: ["setReceiveAllMulticast"],
  SIO_RCVALL_IGMPMCAST: ["setReceiveAllIgmp"],
  SIO_ACQUIRE_PORT_RESERVATION: ["acquirePortReservation", "reservePorts"],
  SIO_RELEASE_PORT_RESERVATION: ["releasePortReservation"],
  SIO_ASSOCIATE_PORT_RESERVATION: ["associatePortReservation"],
  SIO_QUERY_RSS_PROCESSOR_INFO: ["rssProcessorInfo"],
  SIO_QUERY_RSS_SCALABILITY_INFO: ["rssScalabilityInfo"],
  SIO_GET_QOS: ["qos"],
  SIO_GET_GROUP_QOS: ["groupQos"],
  SIO_SET_QOS: ["setQos"],
  SIO_SET_GROUP_QOS: ["setGroupQos"],
  SIO_CHK_QOS: ["checkQos"],
  SIO_ASSOCIATE_HANDLE: ["associateHandle"],
  SIO_TRANSLATE_HANDLE: ["translateHandle"],
  SIO_APPLY_TRANSPORT_SETTING: ["applyTransportSetting"],
  SIO_QUERY_TRANSPORT_SETTING: ["queryTransportSetting"],
  SIO_QUERY_WFP_ALE_ENDPOINT_HANDLE: ["wfpAleEndpointHandle"],
  SIO_QUERY_WFP_CONNECTION_REDIRECT_RECORDS: ["wfpRedirectRecords"],
  SIO_QUERY_WFP_CONNECTION_REDIRECT_CONTEXT: ["wfpRedirectContext"],
  SIO_SET_WFP_CONNECTION_REDIRECT_RECORDS: ["setWfpRedirectRecords"],
});

/**
 * The typed calls that run a control code.
 *
 * @param name The code's SDK name, e.g. `"SIO_UDP_CONNRESET"`.
 * @returns The names of its typed calls; empty when it has none (use `ioctl()` then).
 * @throws {TypeError} when `name` is not a string.
 * @example
 * ```ts
 * import { typedCallsOf } from "@x/wsioctl/sio";
 * typedCallsOf("SIO_KEEPALIVE_VALS"); // ["setKeepAlive"]
 * typedCallsOf("FIOASYNC"); // []
 * ```
 */
export function typedCallsOf(name: string): readonly string[] {
  if (typeof name !== "string") {
    throw new TypeError(`name must be a string, got ${typeof name}`);
  }
  return Object.hasOwn(TYPED_CALLS, name) ? TYPED_CALLS[name] : [];
}
