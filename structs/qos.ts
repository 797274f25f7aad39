/**
 * QoS structs (`qos.h`, `winsock2.h`): `FLOWSPEC`, `WSABUF`, `QOS` (SIO_GET_QOS / SIO_SET_QOS
 * and the group variants) and `QOS_OBJECT_HDR`.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import type { StructLayout } from "./layout.ts";
import { defineView, type Members, type ViewFields } from "./members.ts";
import { StructView } from "./view.ts";

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

/** The members of `FLOWSPEC` (32 bytes), the view {@linkcode Flowspec}. */
export const FLOWSPEC_MEMBERS = {
  /** `TokenRate`, bytes per second. */
  tokenRate: ["TokenRate", "u32"], // 0x00 ULONG
  /** `TokenBucketSize`, bytes. */
  tokenBucketSize: ["TokenBucketSize", "u32"], // 0x04 ULONG
  /** `PeakBandwidth`, bytes per second. */
  peakBandwidth: ["PeakBandwidth", "u32"], // 0x08 ULONG
  /** `Latency`, µs. */
  latency: ["Latency", "u32"], // 0x0C ULONG
  /** `DelayVariation`, µs. */
  delayVariation: ["DelayVariation", "u32"], // 0x10 ULONG
  /** `ServiceType`: a {@linkcode SERVICETYPE} value. */
  serviceType: ["ServiceType", "u32"], // 0x14 SERVICETYPE (ULONG)
  /** `MaxSduSize`, bytes. */
  maxSduSize: ["MaxSduSize", "u32"], // 0x18 ULONG
  /** `MinimumPolicedSize`, bytes. */
  minimumPolicedSize: ["MinimumPolicedSize", "u32"], // 0x1C ULONG
} as const satisfies Members;

/** A view over `FLOWSPEC`. */
export class Flowspec extends StructView {
  /** `sizeof(FLOWSPEC)`. */
  static readonly SIZE = 32;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "FLOWSPEC", FLOWSPEC_MEMBERS);
}
/** The fields of {@linkcode Flowspec}, typed from {@linkcode FLOWSPEC_MEMBERS}. */
export interface Flowspec extends ViewFields<typeof FLOWSPEC_MEMBERS> {}

/** The members of `WSABUF` (16 bytes), the view {@linkcode WsaBuf}. */
export const WSABUF_MEMBERS = {
  /** `len`, bytes. */
  len: ["len", "u32"], // 0x00 ULONG
  /** `buf`: native address of the data. */
  buf: ["buf", "pointer"], // 0x08 CHAR*
} as const satisfies Members;

/** A view over `WSABUF`. */
export class WsaBuf extends StructView {
  /** `sizeof(WSABUF)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "WSABUF", WSABUF_MEMBERS);
}
/** The fields of {@linkcode WsaBuf}, typed from {@linkcode WSABUF_MEMBERS}. */
export interface WsaBuf extends ViewFields<typeof WSABUF_MEMBERS> {}

/** The members of `QOS` (80 bytes), the view {@linkcode Qos}. */
export const QOS_MEMBERS = {
  /** `SendingFlowspec`, a sub-view. */
  sendingFlowspec: ["SendingFlowspec", Flowspec], // 0x00 FLOWSPEC
  /** `ReceivingFlowspec`, a sub-view. */
  receivingFlowspec: ["ReceivingFlowspec", Flowspec], // 0x20 FLOWSPEC
  /** `ProviderSpecific`, a sub-view. */
  providerSpecific: ["ProviderSpecific", WsaBuf], // 0x40 WSABUF
} as const satisfies Members;

/** A view over `QOS`. */
export class Qos extends StructView {
  /** `sizeof(QOS)`. */
  static readonly SIZE = 80;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "QOS", QOS_MEMBERS);
}
/** The fields of {@linkcode Qos}, typed from {@linkcode QOS_MEMBERS}. */
export interface Qos extends ViewFields<typeof QOS_MEMBERS> {}

/** The members of `QOS_OBJECT_HDR` (8 bytes), the view {@linkcode QosObjectHdr}. */
export const QOS_OBJECT_HDR_MEMBERS = {
  /** `ObjectType`. */
  objectType: ["ObjectType", "u32"], // 0x00 ULONG
  /** `ObjectLength`, bytes including the header. */
  objectLength: ["ObjectLength", "u32"], // 0x04 ULONG
} as const satisfies Members;

/** A view over `QOS_OBJECT_HDR`: the header of every provider-specific QoS object. */
export class QosObjectHdr extends StructView {
  /** `sizeof(QOS_OBJECT_HDR)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "QOS_OBJECT_HDR", QOS_OBJECT_HDR_MEMBERS);
}
/** The fields of {@linkcode QosObjectHdr}, typed from {@linkcode QOS_OBJECT_HDR_MEMBERS}. */
export interface QosObjectHdr extends ViewFields<typeof QOS_OBJECT_HDR_MEMBERS> {}
