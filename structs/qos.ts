/**
 * QoS structs (`qos.h`, `winsock2.h`): `FLOWSPEC`, `WSABUF`, `QOS` (SIO_GET_QOS / SIO_SET_QOS
 * and the group variants) and `QOS_OBJECT_HDR`.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { defineAccessors, pointer, struct, type StructLayout, StructView, u32 } from "./layout.ts";

/** `QOS_NOT_SPECIFIED` (0xFFFFFFFF): leave a FLOWSPEC field to the provider. */
export const QOS_NOT_SPECIFIED = 0xffffffff;
/** `POSITIVE_INFINITY_RATE` (0xFFFFFFFE). */
export const POSITIVE_INFINITY_RATE = 0xfffffffe;

/** `SERVICETYPE` values for `FLOWSPEC.ServiceType`. */
export const SERVICETYPE = {
  NOTRAFFIC: 0x00000000,
  BESTEFFORT: 0x00000001,
  CONTROLLEDLOAD: 0x00000002,
  GUARANTEED: 0x00000003,
  NETWORK_UNAVAILABLE: 0x00000004,
  GENERAL_INFORMATION: 0x00000005,
  NOCHANGE: 0x00000006,
  NONCONFORMING: 0x00000009,
  NETWORK_CONTROL: 0x0000000a,
  QUALITATIVE: 0x0000000d,
} as const;

/** `FLOWSPEC` (32 bytes). */
export const FLOWSPEC_LAYOUT: StructLayout = struct("FLOWSPEC", {
  TokenRate: u32, // 0x00 ULONG, bytes/s
  TokenBucketSize: u32, // 0x04 ULONG
  PeakBandwidth: u32, // 0x08 ULONG
  Latency: u32, // 0x0C ULONG, µs
  DelayVariation: u32, // 0x10 ULONG, µs
  ServiceType: u32, // 0x14 SERVICETYPE (ULONG)
  MaxSduSize: u32, // 0x18 ULONG
  MinimumPolicedSize: u32, // 0x1C ULONG
});

/** A view over `FLOWSPEC`. */
export class Flowspec extends StructView {
  /** `sizeof(FLOWSPEC)`. */
  static readonly SIZE = 32;
  /** The layout. */
  static readonly LAYOUT: StructLayout = FLOWSPEC_LAYOUT;
  /** `TokenRate`, bytes per second. */
  declare tokenRate: number;
  /** `TokenBucketSize`, bytes. */
  declare tokenBucketSize: number;
  /** `PeakBandwidth`, bytes per second. */
  declare peakBandwidth: number;
  /** `Latency`, µs. */
  declare latency: number;
  /** `DelayVariation`, µs. */
  declare delayVariation: number;
  /** `ServiceType`: a {@linkcode SERVICETYPE} value. */
  declare serviceType: number;
  /** `MaxSduSize`, bytes. */
  declare maxSduSize: number;
  /** `MinimumPolicedSize`, bytes. */
  declare minimumPolicedSize: number;
}
defineAccessors(Flowspec, {
  tokenRate: "TokenRate",
  tokenBucketSize: "TokenBucketSize",
  peakBandwidth: "PeakBandwidth",
  latency: "Latency",
  delayVariation: "DelayVariation",
  serviceType: "ServiceType",
  maxSduSize: "MaxSduSize",
  minimumPolicedSize: "MinimumPolicedSize",
});

/** `WSABUF` (16 bytes). */
export const WSABUF_LAYOUT: StructLayout = struct("WSABUF", {
  len: u32, // 0x00 ULONG
  buf: pointer, // 0x08 CHAR*
});

/** A view over `WSABUF`. */
export class WsaBuf extends StructView {
  /** `sizeof(WSABUF)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = WSABUF_LAYOUT;
  /** `len`, bytes. */
  declare len: number;
  /** `buf`: native address of the data. */
  declare buf: bigint;
}
defineAccessors(WsaBuf, { len: "len", buf: "buf" });

/** `QOS` (80 bytes). */
export const QOS_LAYOUT: StructLayout = struct("QOS", {
  SendingFlowspec: FLOWSPEC_LAYOUT, // 0x00 FLOWSPEC
  ReceivingFlowspec: FLOWSPEC_LAYOUT, // 0x20 FLOWSPEC
  ProviderSpecific: WSABUF_LAYOUT, // 0x40 WSABUF
});

/** A view over `QOS`. */
export class Qos extends StructView {
  /** `sizeof(QOS)`. */
  static readonly SIZE = 80;
  /** The layout. */
  static readonly LAYOUT: StructLayout = QOS_LAYOUT;
  /** `SendingFlowspec`, a sub-view. */
  declare readonly sendingFlowspec: Flowspec;
  /** `ReceivingFlowspec`, a sub-view. */
  declare readonly receivingFlowspec: Flowspec;
  /** `ProviderSpecific`, a sub-view. */
  declare readonly providerSpecific: WsaBuf;
}
defineAccessors(Qos, {
  sendingFlowspec: { field: "SendingFlowspec", view: Flowspec },
  receivingFlowspec: { field: "ReceivingFlowspec", view: Flowspec },
  providerSpecific: { field: "ProviderSpecific", view: WsaBuf },
});

/** `QOS_OBJECT_HDR` (8 bytes): the header of every provider-specific QoS object. */
export const QOS_OBJECT_HDR_LAYOUT: StructLayout = struct("QOS_OBJECT_HDR", {
  ObjectType: u32, // 0x00 ULONG
  ObjectLength: u32, // 0x04 ULONG, including this header
});

/** A view over `QOS_OBJECT_HDR`. */
export class QosObjectHdr extends StructView {
  /** `sizeof(QOS_OBJECT_HDR)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = QOS_OBJECT_HDR_LAYOUT;
  /** `ObjectType`. */
  declare objectType: number;
  /** `ObjectLength`, bytes including the header. */
  declare objectLength: number;
}
defineAccessors(QosObjectHdr, { objectType: "ObjectType", objectLength: "ObjectLength" });

/** Every layout defined in this file, for `STRUCT_LAYOUTS`. */
export const QOS_LAYOUTS: readonly StructLayout[] = [
  FLOWSPEC_LAYOUT,
  WSABUF_LAYOUT,
  QOS_LAYOUT,
  QOS_OBJECT_HDR_LAYOUT,
];
