/**
 * `STRUCT_LAYOUTS`: size, alignment and member offsets of every struct, by its SDK C name, for
 * 64-bit Windows (x64 and arm64).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import {
  IN6_ADDR_LAYOUT,
  IN_ADDR_LAYOUT,
  SCOPE_ID_LAYOUT,
  SOCKADDR_IN6_OLD_LAYOUT,
} from "./_sockaddr_layouts.ts";
import { SockaddrInet, SockaddrStorage } from "./address.ts";
import { Guid } from "./guid.ts";
import {
  InterfaceInfo,
  InterfaceInfoEx,
  SockaddrGen,
  SocketAddressList,
  SocketAddressStruct,
} from "./interfaces.ts";
import { buildRegistry, type StructLayoutEntry } from "./layout.ts";
import {
  InetPortRange,
  InetPortReservationInformation,
  InetPortReservationInstance,
  InetPortReservationToken,
} from "./ports.ts";
import { Flowspec, Qos, QosObjectHdr, WsaBuf } from "./qos.ts";
import {
  PriorityHint,
  ProcessorNumber,
  RcvallIf,
  RcvallValue,
  RealTimeNotificationSettingInput,
  RealTimeNotificationSettingInputEx,
  RealTimeNotificationSettingOutput,
  RssScalabilityInfo,
  SocketProcessorAffinity,
  TransportSettingId,
  WsaCompatibilityMode,
} from "./settings.ts";
import { Sockaddr, SockaddrIn, SockaddrIn6 } from "./sockaddr.ts";
import {
  TcpAckFrequencyParameters,
  TcpIcwParameters,
  TcpInfoV0,
  TcpInfoV1,
  TcpInfoV2,
  TcpInitialRtoParameters,
  TcpKeepalive,
  TimestampingConfig,
} from "./tcp.ts";

/**
 * Size, alignment and member offsets of every struct, keyed by the SDK's C struct name and
 * C member names, for 64-bit Windows. Nested structs are listed as one member; union members
 * each at their offset; arrays with the size of the whole array.
 *
 * @example
 * ```ts
 * import { STRUCT_LAYOUTS } from "@x/wsioctl/structs";
 * STRUCT_LAYOUTS.TCP_INFO_v0.fields.RttUs; // { offset: 20, size: 4 }
 * ```
 */
export const STRUCT_LAYOUTS: Readonly<Record<string, StructLayoutEntry>> = buildRegistry([
  Guid.LAYOUT,
  // socket addresses (ws2def.h, ws2ipdef.h, inaddr.h, in6addr.h)
  Sockaddr.LAYOUT,
  IN_ADDR_LAYOUT,
  IN6_ADDR_LAYOUT,
  SCOPE_ID_LAYOUT,
  SockaddrIn.LAYOUT,
  SockaddrIn6.LAYOUT,
  SOCKADDR_IN6_OLD_LAYOUT,
  SockaddrStorage.LAYOUT,
  SockaddrInet.LAYOUT,
  // interface and address lists
  SockaddrGen.LAYOUT,
  InterfaceInfo.LAYOUT,
  SocketAddressStruct.LAYOUT,
  InterfaceInfoEx.LAYOUT,
  SocketAddressList.LAYOUT,
  // TCP
  TcpKeepalive.LAYOUT,
  TcpInfoV0.LAYOUT,
  TcpInfoV1.LAYOUT,
  TcpInfoV2.LAYOUT,
  TimestampingConfig.LAYOUT,
  TcpInitialRtoParameters.LAYOUT,
  TcpIcwParameters.LAYOUT,
  TcpAckFrequencyParameters.LAYOUT,
  // socket settings
  ProcessorNumber.LAYOUT,
  SocketProcessorAffinity.LAYOUT,
  RssScalabilityInfo.LAYOUT,
  WsaCompatibilityMode.LAYOUT,
  PriorityHint.LAYOUT,
  RcvallValue.LAYOUT,
  RcvallIf.LAYOUT,
  TransportSettingId.LAYOUT,
  RealTimeNotificationSettingInput.LAYOUT,
  RealTimeNotificationSettingInputEx.LAYOUT,
  RealTimeNotificationSettingOutput.LAYOUT,
  // port reservations
  InetPortRange.LAYOUT,
  InetPortReservationToken.LAYOUT,
  InetPortReservationInstance.LAYOUT,
  InetPortReservationInformation.LAYOUT,
  // QoS
  Flowspec.LAYOUT,
  WsaBuf.LAYOUT,
  Qos.LAYOUT,
  QosObjectHdr.LAYOUT,
]);
