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

import { GUID_LAYOUT, guidField } from "./guid.ts";
import {
  BOOLEAN,
  checkInteger,
  defineAccessors,
  ENUM,
  scalarLayout,
  struct,
  type StructLayout,
  StructView,
  u16,
  u32,
  u8,
} from "./layout.ts";

// ---------------------------------------------------------------------------------------------
// Processor affinity and RSS
// ---------------------------------------------------------------------------------------------

/** `PROCESSOR_NUMBER` (4 bytes): a processor group and the number within it. */
export const PROCESSOR_NUMBER_LAYOUT: StructLayout = struct("PROCESSOR_NUMBER", {
  Group: u16, // 0x00 WORD
  Number: u8, // 0x02 BYTE
  Reserved: u8, // 0x03 BYTE
});

/** A view over `PROCESSOR_NUMBER`. */
export class ProcessorNumber extends StructView {
  /** `sizeof(PROCESSOR_NUMBER)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = PROCESSOR_NUMBER_LAYOUT;
  /** `Group`: processor group. */
  declare group: number;
  /** `Number`: processor number within the group. */
  declare number: number;
  /** `Reserved`. */
  declare reserved: number;
}
defineAccessors(ProcessorNumber, { group: "Group", number: "Number", reserved: "Reserved" });

/** `SOCKET_PROCESSOR_AFFINITY` (8 bytes, ws2def.h). */
export const SOCKET_PROCESSOR_AFFINITY_LAYOUT: StructLayout = struct(
  "SOCKET_PROCESSOR_AFFINITY",
  {
    Processor: PROCESSOR_NUMBER_LAYOUT, // 0x00 PROCESSOR_NUMBER
    NumaNodeId: u16, // 0x04 USHORT
    Reserved: u16, // 0x06 USHORT
  },
);

/** A view over `SOCKET_PROCESSOR_AFFINITY`. */
export class SocketProcessorAffinity extends StructView {
  /** `sizeof(SOCKET_PROCESSOR_AFFINITY)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = SOCKET_PROCESSOR_AFFINITY_LAYOUT;
  /** `Processor`: a sub-view over the same bytes. */
  declare readonly processor: ProcessorNumber;
  /** `NumaNodeId`. */
  declare numaNodeId: number;
  /** `Reserved`. */
  declare reserved: number;
}
defineAccessors(SocketProcessorAffinity, {
  processor: { field: "Processor", view: ProcessorNumber },
  numaNodeId: "NumaNodeId",
  reserved: "Reserved",
});

/** `RSS_SCALABILITY_INFO` (1 byte, mstcpip.h). */
export const RSS_SCALABILITY_INFO_LAYOUT: StructLayout = struct("RSS_SCALABILITY_INFO", {
  RssEnabled: BOOLEAN, // 0x00 BOOLEAN
});

/** A view over `RSS_SCALABILITY_INFO`. */
export class RssScalabilityInfo extends StructView {
  /** `sizeof(RSS_SCALABILITY_INFO)`. */
  static readonly SIZE = 1;
  /** The layout. */
  static readonly LAYOUT: StructLayout = RSS_SCALABILITY_INFO_LAYOUT;
  /** `RssEnabled`: receive-side scaling is on. */
  declare rssEnabled: boolean;
}
defineAccessors(RssScalabilityInfo, { rssEnabled: "RssEnabled" });

// ---------------------------------------------------------------------------------------------
// Compatibility mode
// ---------------------------------------------------------------------------------------------

/** `WSA_COMPATIBILITY_BEHAVIOR_ID` (mswsockdef.h). */
export const WSA_COMPATIBILITY_BEHAVIOR_ID = {
  WsaBehaviorAll: 0,
  WsaBehaviorReceiveBuffering: 1,
  WsaBehaviorAutoTuning: 2,
} as const;

/** `WSA_COMPATIBILITY_MODE` (8 bytes, mswsockdef.h). */
export const WSA_COMPATIBILITY_MODE_LAYOUT: StructLayout = struct("WSA_COMPATIBILITY_MODE", {
  BehaviorId: ENUM, // 0x00 WSA_COMPATIBILITY_BEHAVIOR_ID
  TargetOsVersion: u32, // 0x04 ULONG (e.g. NTDDI_VISTA = 0x06000000)
});

/** A view over `WSA_COMPATIBILITY_MODE`. */
export class WsaCompatibilityMode extends StructView {
  /** `sizeof(WSA_COMPATIBILITY_MODE)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = WSA_COMPATIBILITY_MODE_LAYOUT;
  /** `BehaviorId`: a {@linkcode WSA_COMPATIBILITY_BEHAVIOR_ID} value. */
  declare behaviorId: number;
  /** `TargetOsVersion`: an NTDDI version value. */
  declare targetOsVersion: number;
}
defineAccessors(WsaCompatibilityMode, {
  behaviorId: "BehaviorId",
  targetOsVersion: "TargetOsVersion",
});

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

/** `PRIORITY_HINT` (a 4-byte enum). */
export const PRIORITY_HINT_LAYOUT: StructLayout = scalarLayout("PRIORITY_HINT", ENUM);

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
    this.view.setInt32(0, checkEnum(v, "value"), true);
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
  /** The layout. */
  static readonly LAYOUT: StructLayout = PRIORITY_HINT_LAYOUT;
}

/** `RCVALL_VALUE` values (mstcpip.h). */
export const RCVALL_VALUE = {
  RCVALL_OFF: 0,
  RCVALL_ON: 1,
  RCVALL_SOCKETLEVELONLY: 2,
  RCVALL_IPLEVEL: 3,
} as const;

/** `RCVALL_VALUE` (a 4-byte enum), the input of `SIO_RCVALL*`. */
export const RCVALL_VALUE_LAYOUT: StructLayout = scalarLayout("RCVALL_VALUE", ENUM);

/** A view over an `RCVALL_VALUE` (see {@linkcode RCVALL_VALUE}). */
export class RcvallValue extends EnumView {
  /** The layout. */
  static readonly LAYOUT: StructLayout = RCVALL_VALUE_LAYOUT;
}

function checkEnum(v: unknown, name: string): number {
  return checkInteger(v, name, -0x80000000, 0x7fffffff);
}

/** `RCVALL_IF` (8 bytes), the input of `SIO_RCVALL_IF`. */
export const RCVALL_IF_LAYOUT: StructLayout = struct("RCVALL_IF", {
  Mode: ENUM, // 0x00 RCVALL_VALUE
  Interface: u32, // 0x04 ULONG, interface index
});

/** A view over `RCVALL_IF`. */
export class RcvallIf extends StructView {
  /** `sizeof(RCVALL_IF)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = RCVALL_IF_LAYOUT;
  /** `Mode`: an {@linkcode RCVALL_VALUE}. */
  declare mode: number;
  /** `Interface`: the interface index. */
  declare interfaceIndex: number;
}
defineAccessors(RcvallIf, { mode: "Mode", interfaceIndex: "Interface" });

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

/** `TRANSPORT_SETTING_ID` (16 bytes): a GUID naming the setting. */
export const TRANSPORT_SETTING_ID_LAYOUT: StructLayout = struct("TRANSPORT_SETTING_ID", {
  Guid: GUID_LAYOUT, // 0x00 GUID
});

/** A view over `TRANSPORT_SETTING_ID`. */
export class TransportSettingId extends StructView {
  /** `sizeof(TRANSPORT_SETTING_ID)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = TRANSPORT_SETTING_ID_LAYOUT;
  /** `Guid` as braced text; setting parses (TypeError naming `guid`). */
  declare guid: string;
}
defineAccessors(TransportSettingId, { guid: guidField("Guid") });

/** `REAL_TIME_NOTIFICATION_SETTING_INPUT` (32 bytes). */
export const REAL_TIME_NOTIFICATION_SETTING_INPUT_LAYOUT: StructLayout = struct(
  "REAL_TIME_NOTIFICATION_SETTING_INPUT",
  {
    TransportSettingId: TRANSPORT_SETTING_ID_LAYOUT, // 0x00 TRANSPORT_SETTING_ID
    BrokerEventGuid: GUID_LAYOUT, // 0x10 GUID
  },
);

/** A view over `REAL_TIME_NOTIFICATION_SETTING_INPUT`. */
export class RealTimeNotificationSettingInput extends StructView {
  /** `sizeof(REAL_TIME_NOTIFICATION_SETTING_INPUT)`. */
  static readonly SIZE: number = 32;
  /** The layout. */
  static readonly LAYOUT: StructLayout = REAL_TIME_NOTIFICATION_SETTING_INPUT_LAYOUT;
  /** `TransportSettingId.Guid` as text. */
  declare transportSettingId: string;
  /** `BrokerEventGuid` as text. */
  declare brokerEventGuid: string;
}
defineAccessors(RealTimeNotificationSettingInput, {
  transportSettingId: guidField("TransportSettingId"),
  brokerEventGuid: guidField("BrokerEventGuid"),
});

/** `REAL_TIME_NOTIFICATION_SETTING_INPUT_EX` (36 bytes). */
export const REAL_TIME_NOTIFICATION_SETTING_INPUT_EX_LAYOUT: StructLayout = struct(
  "REAL_TIME_NOTIFICATION_SETTING_INPUT_EX",
  {
    TransportSettingId: TRANSPORT_SETTING_ID_LAYOUT, // 0x00 TRANSPORT_SETTING_ID
    BrokerEventGuid: GUID_LAYOUT, // 0x10 GUID
    Unmark: BOOLEAN, // 0x20 BOOLEAN
  },
);

/** A view over `REAL_TIME_NOTIFICATION_SETTING_INPUT_EX`: the input plus `Unmark`. */
export class RealTimeNotificationSettingInputEx extends RealTimeNotificationSettingInput {
  /** `sizeof(REAL_TIME_NOTIFICATION_SETTING_INPUT_EX)`. */
  static override readonly SIZE: number = 36;
  /** The layout. */
  static override readonly LAYOUT: StructLayout = REAL_TIME_NOTIFICATION_SETTING_INPUT_EX_LAYOUT;
  /** `Unmark`: remove the real-time mark instead of setting it. */
  declare unmark: boolean;
}
defineAccessors(RealTimeNotificationSettingInputEx, { unmark: "Unmark" });

/** `REAL_TIME_NOTIFICATION_SETTING_OUTPUT` (4 bytes). */
export const REAL_TIME_NOTIFICATION_SETTING_OUTPUT_LAYOUT: StructLayout = struct(
  "REAL_TIME_NOTIFICATION_SETTING_OUTPUT",
  {
    ChannelStatus: ENUM, // 0x00 CONTROL_CHANNEL_TRIGGER_STATUS
  },
);

/** A view over `REAL_TIME_NOTIFICATION_SETTING_OUTPUT`. */
export class RealTimeNotificationSettingOutput extends StructView {
  /** `sizeof(REAL_TIME_NOTIFICATION_SETTING_OUTPUT)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = REAL_TIME_NOTIFICATION_SETTING_OUTPUT_LAYOUT;
  /** `ChannelStatus`: a {@linkcode CONTROL_CHANNEL_TRIGGER_STATUS} value. */
  declare channelStatus: number;
}
defineAccessors(RealTimeNotificationSettingOutput, { channelStatus: "ChannelStatus" });

/** Every layout defined in this file, for `STRUCT_LAYOUTS`. */
export const SETTINGS_LAYOUTS: readonly StructLayout[] = [
  PROCESSOR_NUMBER_LAYOUT,
  SOCKET_PROCESSOR_AFFINITY_LAYOUT,
  RSS_SCALABILITY_INFO_LAYOUT,
  WSA_COMPATIBILITY_MODE_LAYOUT,
  PRIORITY_HINT_LAYOUT,
  RCVALL_VALUE_LAYOUT,
  RCVALL_IF_LAYOUT,
  TRANSPORT_SETTING_ID_LAYOUT,
  REAL_TIME_NOTIFICATION_SETTING_INPUT_LAYOUT,
  REAL_TIME_NOTIFICATION_SETTING_INPUT_EX_LAYOUT,
  REAL_TIME_NOTIFICATION_SETTING_OUTPUT_LAYOUT,
];
