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
