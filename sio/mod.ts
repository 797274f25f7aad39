/**
 * The typed calls: one function per Winsock IOCTL, validating its arguments before any native
 * call, building the SDK's input bytes, and returning plain values (or a view the caller polls).
 *
 * @example
 * ```ts
 * import { Socket } from "@x/wsioctl";
 * import { bytesAvailable } from "@x/wsioctl/sio";
 * using s = Socket.open("inet", "stream");
 * bytesAvailable(s); // 0
 * ```
 *
 * @module
 */

export type { SocketRef } from "./_shared.ts";
export { atOobMark, bytesAvailable, setNonBlocking } from "./basic.ts";
export { idealSendBacklog, idealSendBacklogChange } from "./backlog.ts";
export type { IdealSendBacklogChangeOptions } from "./backlog.ts";
export { baseHandle, bspHandle, extensionFunction } from "./handles.ts";
export {
  addressList,
  type InterfaceEntry,
  type InterfaceFlags,
  interfaceList,
  interfaceListEx,
} from "./interfaces.ts";
export {
  addressListChange,
  addressListChanges,
  type ChangeOptions,
  type ChangesOptions,
  type RoutingChangeOptions,
  type RoutingChangesOptions,
  routingInterfaceChange,
  routingInterfaceChanges,
} from "./notify.ts";
export {
  broadcastAddress,
  enableCircularQueueing,
  findRoute,
  flush,
  routingInterface,
  setMulticastScope,
  setMultipointLoopback,
} from "./routes.ts";
export {
  checkQos,
  type FlowspecInfo,
  type FlowspecParameters,
  groupQos,
  qos,
  type QosInfo,
  type QosObject,
  type QosParameters,
  type QosQueryName,
  setGroupQos,
  setQos,
} from "./qos.ts";
export {
  setCompatibilityMode,
  setCpuAffinity,
  setLoopbackFastPath,
  setPriorityHint,
  setUdpConnReset,
  setUdpNetReset,
} from "./settings.ts";
export type { CompatibilityMode } from "./settings.ts";
export {
  type KeepAliveOptions,
  setKeepAlive,
  setTcpAckFrequency,
  setTcpInitialCongestionWindow,
  setTcpInitialRto,
  type TcpIcwLevelName,
  type TcpIcwLevelValue,
  tcpInfo,
  type TcpInfoOf,
  type TcpInitialRtoOptions,
} from "./tcp.ts";
export {
  setTimestamping,
  type TimestampingOptions,
  txTimestamp,
  type TxTimestampPoller,
  txTimestampPoller,
} from "./timestamps.ts";
export { associateHandle, translateHandle } from "./companion.ts";
export type { AssociateHandleOptions, CompanionApi } from "./companion.ts";
export {
  acquirePortReservation,
  associatePortReservation,
  releasePortReservation,
  reservePorts,
} from "./ports.ts";
export type { PortRange, PortReservation, ReservedPorts } from "./ports.ts";
export { setReceiveAll, setReceiveAllIgmp, setReceiveAllMulticast } from "./rcvall.ts";
export { rssProcessorInfo, rssScalabilityInfo } from "./rss.ts";
export type { RssProcessor, RssScalability } from "./rss.ts";
export { TYPED_CALLS, typedCallsOf } from "./calls.ts";
export {
  type CallPlatforms,
  type Platform,
  PLATFORMS,
  platformsOf,
  type PlatformSupport,
  type SupportKind,
  TYPED_CALL_PLATFORMS,
} from "./platforms.ts";
export {
  applyTransportSetting,
  type ChannelStatusName,
  queryTransportSetting,
  type QueryTransportSettingOptions,
  type RealTimeNotificationInput,
  type RealTimeNotificationStatus,
  type TransportSettingName,
} from "./transport.ts";
export {
  setWfpRedirectRecords,
  wfpAleEndpointHandle,
  wfpRedirectContext,
  wfpRedirectRecords,
} from "./wfp.ts";
