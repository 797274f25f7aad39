/**
 * Socket-setting structs: `PROCESSOR_NUMBER` and `SOCKET_PROCESSOR_AFFINITY`
 * (SIO_CPU_AFFINITY, SIO_QUERY_RSS_PROCESSOR_INFO), `RSS_SCALABILITY_INFO`
 * (SIO_QUERY_RSS_SCALABILITY_INFO), `WSA_COMPATIBILITY_MODE` (SIO_SET_COMPATIBILITY_MODE),
 * `PRIORITY_HINT` (SIO_SET_PRIORITY_HINT), `RCVALL_VALUE` and `RCVALL_IF` (SIO_RCVALL*),
 * `TRANSPORT_SETTING_ID` and the `REAL_TIME_NOTIFICATION_SETTING_*` structs
 * (SIO_APPLY/QUERY_TRANSPORT_SETTING).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { checkInteger } from "../_validate.ts";
import { ENUM, scalarLayout, type StructLayout } from "./layout.ts";
import { defineView, type Members, type ViewFields } from "./members.ts";
import { StructView } from "./view.ts";

// ---------------------------------------------------------------------------------------------
// Processor affinity and RSS
// ---------------------------------------------------------------------------------------------

/** The members of `PROCESSOR_NUMBER` (4 bytes): a processor group and the number within it. */
export const PROCESSOR_NUMBER_MEMBERS = {
  /** `Group`: processor group. */
  group: ["Group", "u16"], // 0x00 WORD
  /** `Number`: processor number within the group. */
  number: ["Number", "u8"], // 0x02 BYTE
  /** `Reserved`. */
  reserved: ["Reserved", "u8"], // 0x03 BYTE
} as const satisfies Members;

/** A view over `PROCESSOR_NUMBER`. */
export class ProcessorNumber extends StructView {
  /** `sizeof(PROCESSOR_NUMBER)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "PROCESSOR_NUMBER",
    PROCESSOR_NUMBER_MEMBERS,
  );
}
/** The fields of {@linkcode ProcessorNumber}, typed from {@linkcode PROCESSOR_NUMBER_MEMBERS}. */
export interface ProcessorNumber extends ViewFields<typeof PROCESSOR_NUMBER_MEMBERS> {}

/** The members of `SOCKET_PROCESSOR_AFFINITY` (8 bytes, ws2def.h). */
export const SOCKET_PROCESSOR_AFFINITY_MEMBERS = {
  /** `Processor`: a sub-view over the same bytes. */
  processor: ["Processor", ProcessorNumber], // 0x00 PROCESSOR_NUMBER
  /** `NumaNodeId`. */
  numaNodeId: ["NumaNodeId", "u16"], // 0x04 USHORT
  /** `Reserved`. */
  reserved: ["Reserved", "u16"], // 0x06 USHORT
} as const satisfies Members;

/** A view over `SOCKET_PROCESSOR_AFFINITY`. */
export class SocketProcessorAffinity extends StructView {
  /** `sizeof(SOCKET_PROCESSOR_AFFINITY)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "SOCKET_PROCESSOR_AFFINITY",
    SOCKET_PROCESSOR_AFFINITY_MEMBERS,
  );
}
/** The fields of {@linkcode SocketProcessorAffinity}, typed from its members. */
export interface SocketProcessorAffinity
  extends ViewFields<typeof SOCKET_PROCESSOR_AFFINITY_MEMBERS> {}

/** The members of `RSS_SCALABILITY_INFO` (1 byte, mstcpip.h). */
export const RSS_SCALABILITY_INFO_MEMBERS = {
  /** `RssEnabled`: receive-side scaling is on. */
  rssEnabled: ["RssEnabled", "BOOLEAN"], // 0x00 BOOLEAN
} as const satisfies Members;

/** A view over `RSS_SCALABILITY_INFO`. */
export class RssScalabilityInfo extends StructView {
  /** `sizeof(RSS_SCALABILITY_INFO)`. */
  static readonly SIZE = 1;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "RSS_SCALABILITY_INFO",
    RSS_SCALABILITY_INFO_MEMBERS,
  );
}
/** The fields of {@linkcode RssScalabilityInfo}, typed from its members. */
export interface RssScalabilityInfo extends ViewFields<typeof RSS_SCALABILITY_INFO_MEMBERS> {}

// ---------------------------------------------------------------------------------------------
// Compatibility mode
// ---------------------------------------------------------------------------------------------

/** `WSA_COMPATIBILITY_BEHAVIOR_ID` (mswsockdef.h). */
export const WSA_COMPATIBILITY_BEHAVIOR_ID = {
  WsaBehaviorAll: 0,
  WsaBehaviorReceiveBuffering: 1,
  WsaBehaviorAutoTuning: 2,
} as const;

/** The members of `WSA_COMPATIBILITY_MODE` (8 bytes, mswsockdef.h). */
export const WSA_COMPATIBILITY_MODE_MEMBERS = {
  /** `BehaviorId`: a {@linkcode WSA_COMPATIBILITY_BEHAVIOR_ID} value. */
  behaviorId: ["BehaviorId", "ENUM"], // 0x00 WSA_COMPATIBILITY_BEHAVIOR_ID
  /** `TargetOsVersion`: an NTDDI version value (e.g. NTDDI_VISTA = 0x06000000). */
  targetOsVersion: ["TargetOsVersion", "u32"], // 0x04 ULONG
} as const satisfies Members;

/** A view over `WSA_COMPATIBILITY_MODE`. */
export class WsaCompatibilityMode extends StructView {
  /** `sizeof(WSA_COMPATIBILITY_MODE)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "WSA_COMPATIBILITY_MODE",
    WSA_COMPATIBILITY_MODE_MEMBERS,
  );
}
/** The fields of {@linkcode WsaCompatibilityMode}, typed from its members. */
export interface WsaCompatibilityMode extends ViewFields<typeof WSA_COMPATIBILITY_MODE_MEMBERS> {}

// ---------------------------------------------------------------------------------------------
// Enum-valued arguments: PRIORITY_HINT, RCVALL_VALUE
// ---------------------------------------------------------------------------------------------

/** `PRIORITY_HINT` values (winbase.h), the input of `SIO_SET_PRIORITY_HINT`. */
export const PRIORITY_HINT = {
  IoPriorityHintVeryLow: 0,
  IoPriorityHintLow: 1,
  IoPriorityHintNormal: 2,
  MaximumIoPriorityHintType: 3,
} as const;

/**
 * A view over a 4-byte enum passed as a whole IOCTL argument (`PRIORITY_HINT`, `RCVALL_VALUE`).
 */
export abstract class EnumView extends StructView {
  /** `sizeof` of a C enum. */
  static readonly SIZE = 4;
  /** The enum value. */
  get value(): number {
    return this.view.getInt32(0, true);
  }
  set value(v: number) {
    this.view.setInt32(0, checkInteger(v, "value", -0x80000000, 0x7fffffff), true);
  }
  /**
   * Snapshot.
   *
   * @returns `{ value }`.
   */
  override toObject(): { value: number } {
    return { value: this.value };
  }
}

/** A view over a `PRIORITY_HINT` value (see {@linkcode PRIORITY_HINT}). */
export class PriorityHint extends EnumView {
  /** The layout: `PRIORITY_HINT`, a 4-byte enum. */
  static readonly LAYOUT: StructLayout = scalarLayout("PRIORITY_HINT", ENUM);
}

/** `RCVALL_VALUE` values (mstcpip.h). */
export const RCVALL_VALUE = {
  RCVALL_OFF: 0,
  RCVALL_ON: 1,
  RCVALL_SOCKETLEVELONLY: 2,
  RCVALL_IPLEVEL: 3,
} as const;

/** A view over an `RCVALL_VALUE` (see {@linkcode RCVALL_VALUE}). */
export class RcvallValue extends EnumView {
  /** The layout: `RCVALL_VALUE`, a 4-byte enum, the input of `SIO_RCVALL*`. */
  static readonly LAYOUT: StructLayout = scalarLayout("RCVALL_VALUE", ENUM);
}

/** The members of `RCVALL_IF` (8 bytes), the input of `SIO_RCVALL_IF`. */
export const RCVALL_IF_MEMBERS = {
  /** `Mode`: an {@linkcode RCVALL_VALUE}. */
  mode: ["Mode", "ENUM"], // 0x00 RCVALL_VALUE
  /** `Interface`: the interface index. */
  interfaceIndex: ["Interface", "u32"], // 0x04 ULONG
} as const satisfies Members;

/** A view over `RCVALL_IF`. */
export class RcvallIf extends StructView {
  /** `sizeof(RCVALL_IF)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(this, "RCVALL_IF", RCVALL_IF_MEMBERS);
}
/** The fields of {@linkcode RcvallIf}, typed from {@linkcode RCVALL_IF_MEMBERS}. */
export interface RcvallIf extends ViewFields<typeof RCVALL_IF_MEMBERS> {}

// ---------------------------------------------------------------------------------------------
// Transport settings
// ---------------------------------------------------------------------------------------------

/** `REAL_TIME_NOTIFICATION_CAPABILITY` transport setting GUID. */
export const REAL_TIME_NOTIFICATION_CAPABILITY = "{6B59819A-5CAE-492D-A901-2A3C2C50164F}";
/** `REAL_TIME_NOTIFICATION_CAPABILITY_EX` transport setting GUID. */
export const REAL_TIME_NOTIFICATION_CAPABILITY_EX = "{6843DA03-154A-4616-A508-44371295F96B}";

/** `CONTROL_CHANNEL_TRIGGER_STATUS` values. */
export const CONTROL_CHANNEL_TRIGGER_STATUS = {
  INVALID: 0,
  SOFTWARE_SLOT_ALLOCATED: 1,
  HARDWARE_SLOT_ALLOCATED: 2,
  POLICY_ERROR: 3,
  SYSTEM_ERROR: 4,
  TRANSPORT_DISCONNECTED: 5,
  SERVICE_UNAVAILABLE: 6,
} as const;

/** The members of `TRANSPORT_SETTING_ID` (16 bytes): a GUID naming the setting. */
export const TRANSPORT_SETTING_ID_MEMBERS = {
  /** `Guid` as braced text; setting parses (TypeError naming `guid`). */
  guid: ["Guid", "GUID"], // 0x00 GUID
} as const satisfies Members;

/** A view over `TRANSPORT_SETTING_ID`. */
export class TransportSettingId extends StructView {
  /** `sizeof(TRANSPORT_SETTING_ID)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "TRANSPORT_SETTING_ID",
    TRANSPORT_SETTING_ID_MEMBERS,
  );
}
/** The fields of {@linkcode TransportSettingId}, typed from its members. */
export interface TransportSettingId extends ViewFields<typeof TRANSPORT_SETTING_ID_MEMBERS> {}

/**
 * The members of `REAL_TIME_NOTIFICATION_SETTING_INPUT` (32 bytes). `TransportSettingId` is a
 * `TRANSPORT_SETTING_ID`, a struct of one GUID: laid out (and read) as that GUID.
 */
export const REAL_TIME_NOTIFICATION_SETTING_INPUT_MEMBERS = {
  /** `TransportSettingId.Guid` as text. */
  transportSettingId: ["TransportSettingId", "GUID"], // 0x00 TRANSPORT_SETTING_ID
  /** `BrokerEventGuid` as text. */
  brokerEventGuid: ["BrokerEventGuid", "GUID"], // 0x10 GUID
} as const satisfies Members;

/** A view over `REAL_TIME_NOTIFICATION_SETTING_INPUT`. */
export class RealTimeNotificationSettingInput extends StructView {
  /** `sizeof(REAL_TIME_NOTIFICATION_SETTING_INPUT)`. */
  static readonly SIZE: number = 32;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "REAL_TIME_NOTIFICATION_SETTING_INPUT",
    REAL_TIME_NOTIFICATION_SETTING_INPUT_MEMBERS,
  );
}
/** The fields of {@linkcode RealTimeNotificationSettingInput}, typed from its members. */
export interface RealTimeNotificationSettingInput
  extends ViewFields<typeof REAL_TIME_NOTIFICATION_SETTING_INPUT_MEMBERS> {}

/**
 * The member `REAL_TIME_NOTIFICATION_SETTING_INPUT_EX` (36 bytes) adds after those of
 * `REAL_TIME_NOTIFICATION_SETTING_INPUT`.
 */
export const REAL_TIME_NOTIFICATION_SETTING_INPUT_EX_MEMBERS = {
  /** `Unmark`: remove the real-time mark instead of setting it. */
  unmark: ["Unmark", "BOOLEAN"], // 0x20 BOOLEAN
} as const satisfies Members;

/** A view over `REAL_TIME_NOTIFICATION_SETTING_INPUT_EX`: the input plus `Unmark`. */
export class RealTimeNotificationSettingInputEx extends RealTimeNotificationSettingInput {
  /** `sizeof(REAL_TIME_NOTIFICATION_SETTING_INPUT_EX)`. */
  static override readonly SIZE: number = 36;
  /** The layout. */
  static override readonly LAYOUT: StructLayout = defineView(
    this,
    "REAL_TIME_NOTIFICATION_SETTING_INPUT_EX",
    REAL_TIME_NOTIFICATION_SETTING_INPUT_EX_MEMBERS,
  );
}
/** The field {@linkcode RealTimeNotificationSettingInputEx} adds, typed from its members. */
export interface RealTimeNotificationSettingInputEx
  extends ViewFields<typeof REAL_TIME_NOTIFICATION_SETTING_INPUT_EX_MEMBERS> {}

/** The members of `REAL_TIME_NOTIFICATION_SETTING_OUTPUT` (4 bytes). */
export const REAL_TIME_NOTIFICATION_SETTING_OUTPUT_MEMBERS = {
  /** `ChannelStatus`: a {@linkcode CONTROL_CHANNEL_TRIGGER_STATUS} value. */
  channelStatus: ["ChannelStatus", "ENUM"], // 0x00 CONTROL_CHANNEL_TRIGGER_STATUS
} as const satisfies Members;

/** A view over `REAL_TIME_NOTIFICATION_SETTING_OUTPUT`. */
export class RealTimeNotificationSettingOutput extends StructView {
  /** `sizeof(REAL_TIME_NOTIFICATION_SETTING_OUTPUT)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "REAL_TIME_NOTIFICATION_SETTING_OUTPUT",
    REAL_TIME_NOTIFICATION_SETTING_OUTPUT_MEMBERS,
  );
}
/** The fields of {@linkcode RealTimeNotificationSettingOutput}, typed from its members. */
export interface RealTimeNotificationSettingOutput
  extends ViewFields<typeof REAL_TIME_NOTIFICATION_SETTING_OUTPUT_MEMBERS> {}
