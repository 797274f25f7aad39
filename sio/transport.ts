/**
 * Transport settings named by GUID, typed: {@link applyTransportSetting}
 * (SIO_APPLY_TRANSPORT_SETTING) and {@link queryTransportSetting} (SIO_QUERY_TRANSPORT_SETTING).
 * The one setting Windows documents is the real-time notification capability of a TCP socket
 * (REAL_TIME_NOTIFICATION_CAPABILITY, for `ControlChannelTrigger` background notifications),
 * known here by the name `"realTimeNotification"`; any other setting is passed by its GUID as
 * raw bytes. Windows 8 / Server 2012 and later; off Windows every call throws
 * `UnsupportedError` naming it.
 *
 * @example
 * ```ts
 * import { queryTransportSetting, Socket } from "@x/wsioctl";
 * export function triggerStatus(s: Socket): string | number {
 *   return queryTransportSetting(s, "realTimeNotification").channelStatus;
 * }
 * ```
 *
 * @module
 */

import { SIO_APPLY_TRANSPORT_SETTING, SIO_QUERY_TRANSPORT_SETTING } from "../codes/mod.ts";
import { _ioctlOwned, socketHandle, type TypedCall } from "../ioctl.ts";
import {
  parseGuid,
  REAL_TIME_NOTIFICATION_CAPABILITY,
  RealTimeNotificationSettingInput,
  RealTimeNotificationSettingOutput,
  TransportSettingId,
} from "../structs/mod.ts";
import {
  byteLengthOf,
  bytesOf,
  checkInteger,
  checkObject,
  checkView,
  describe,
} from "../_validate.ts";
import { BLOB_LIMIT, queryGrowing } from "./_blob.ts";
import { ownBytes, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

/** The settings known by name, and their GUIDs. */
const SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  realTimeNotification: REAL_TIME_NOTIFICATION_CAPABILITY,
});

/** The names {@link applyTransportSetting} and {@link queryTransportSetting} know. */
export type TransportSettingName = "realTimeNotification";

/** The value `"realTimeNotification"` applies: a REAL_TIME_NOTIFICATION_SETTING_INPUT. */
export interface RealTimeNotificationInput {
  /** `BrokerEventGuid`: the broker event's GUID, `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`. */
  brokerEventGuid: string;
}

/** A `CONTROL_CHANNEL_TRIGGER_STATUS` by name: `CONTROL_CHANNEL_TRIGGER_STATUS_*` in camelCase. */
export type ChannelStatusName =
  | "invalid"
  | "softwareSlotAllocated"
  | "hardwareSlotAllocated"
  | "policyError"
  | "systemError"
  | "transportDisconnected"
  | "serviceUnavailable";

/** `CONTROL_CHANNEL_TRIGGER_STATUS` values by name (mstcpip.h), in value order 0..6. */
const CHANNEL_STATUS: readonly ChannelStatusName[] = [
  "invalid",
  "softwareSlotAllocated",
  "hardwareSlotAllocated",
  "policyError",
  "systemError",
  "transportDisconnected",
  "serviceUnavailable",
];

/** What `"realTimeNotification"` queries: a REAL_TIME_NOTIFICATION_SETTING_OUTPUT. */
export interface RealTimeNotificationStatus {
  /**
   * `ChannelStatus` by name (`"invalid"` 0, `"softwareSlotAllocated"` 1,
   * `"hardwareSlotAllocated"` 2, `"policyError"` 3, `"systemError"` 4,
   * `"transportDisconnected"` 5, `"serviceUnavailable"` 6), or the number itself for a value
   * outside the enum.
   */
  channelStatus: ChannelStatusName | number;
}

/** Options of {@link queryTransportSetting} for a setting given by GUID. */
export interface QueryTransportSettingOptions {
  /**
   * The size of the first output buffer, 1..1048576 (default 64). When Windows answers that it
   * is too small the buffer grows (four times, up to 1 MiB) and the query is made again.
   */
  outputLength?: number;
}

const HINTS = {
  10022: "the transport does not take this setting on this socket (real-time notification: " +
    "TCP sockets only)",
  10045: "transport settings need Windows 8 or later and a transport that knows the setting",
};
const APPLY: TypedCall = { name: "applyTransportSetting", hints: HINTS };
const QUERY: TypedCall = { name: "queryTransportSetting", hints: HINTS };

// The inputs and output of the known setting, allocated once.
const realTimeIn = RealTimeNotificationSettingInput.alloc();
realTimeIn.transportSettingId = REAL_TIME_NOTIFICATION_CAPABILITY;
const realTimeInBytes = ownBytes(realTimeIn);
const settingIdIn = TransportSettingId.alloc();
const settingIdBytes = ownBytes(settingIdIn);
const realTimeOut = RealTimeNotificationSettingOutput.alloc();
const realTimeOutBytes = ownBytes(realTimeOut);

/** A setting argument: a known name, or GUID text; returns the name (or null) and the GUID. */
function settingArg(setting: unknown): { name: string | null; guid: string } {
  if (typeof setting !== "string") {
    throw new TypeError(`setting must be a string, got ${describe(setting)}`);
  }
  if (Object.hasOwn(SETTINGS, setting)) return { name: setting, guid: SETTINGS[setting] };
  guidArg(setting, "setting", `${Object.keys(SETTINGS).map((k) => JSON.stringify(k))} or `);
  return { name: null, guid: setting };
}

/** Checks GUID text (RangeError naming `name` when malformed). */
function guidArg(text: unknown, name: string, alternatives = ""): string {
  if (typeof text !== "string") {
    throw new TypeError(`${name} must be a string, got ${describe(text)}`);
  }
  try {
    parseGuid(text, name);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new RangeError(
      `${name} must be ${alternatives}a GUID like {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, ` +
        `got ${describe(text)}`,
    );
  }
  return text;
}

/**
 * Applies the real-time notification setting to a TCP socket: the REAL_TIME_NOTIFICATION_SETTING_INPUT
 * (32 bytes: the setting's id, then the broker event GUID).
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP socket.
 * @param setting `"realTimeNotification"`.
 * @param value `{ brokerEventGuid }`.
 */
export function applyTransportSetting(
  s: SocketRef,
  setting: "realTimeNotification",
  value: RealTimeNotificationInput,
): void;
/**
 * Applies a transport setting given by GUID: the input is the 16-byte TRANSPORT_SETTING_ID
 * followed by `value`'s bytes, unchanged.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param setting The setting's GUID.
 * @param value The setting's bytes after its TRANSPORT_SETTING_ID, or null/undefined for none.
 */
export function applyTransportSetting(
  s: SocketRef,
  setting: string,
  value?: ArrayBufferView | null,
): void;
/**
 * Applies a transport setting to a socket (SIO_APPLY_TRANSPORT_SETTING). The input is the
 * setting's struct, which starts with its TRANSPORT_SETTING_ID (a GUID):
 * - `"realTimeNotification"` (REAL_TIME_NOTIFICATION_CAPABILITY
 *   {6B59819A-5CAE-492D-A901-2A3C2C50164F}) takes `{ brokerEventGuid }` and sends a
 *   REAL_TIME_NOTIFICATION_SETTING_INPUT (32 bytes): it marks a TCP socket for
 *   `ControlChannelTrigger` background notifications. TCP sockets only; Windows Store apps do
 *   not call it themselves.
 * - any other setting by its GUID takes the bytes that follow the TRANSPORT_SETTING_ID in its
 *   struct (an ArrayBufferView, sent unchanged after the 16-byte id; none when left out). E.g.
 *   REAL_TIME_NOTIFICATION_CAPABILITY_EX {6843DA03-154A-4616-A508-44371295F96B} takes 20
 *   bytes: the broker event GUID, then the BOOLEAN `Unmark` and 3 bytes of padding.
 *
 * Windows 8 / Server 2012 and later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param setting `"realTimeNotification"`, or a setting's GUID
 * (`{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, braces optional, any case).
 * @param value `{ brokerEventGuid }` for `"realTimeNotification"`; for a GUID, the bytes after
 * the id, or null/undefined.
 * @throws {TypeError} when `setting` is not a string, `value` not an object (a known name) or not
 * an ArrayBufferView (a GUID), `value.brokerEventGuid` not a string, or `s` none of a Socket, a
 * bigint and a runtime socket.
 * @throws {RangeError} when `setting` is neither a known name nor a GUID, `brokerEventGuid` is
 * not a GUID, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEINVAL on a socket that is not TCP).
 * @example
 * ```ts
 * import { applyTransportSetting, Socket } from "@x/wsioctl";
 * export function markRealTime(s: Socket, brokerEventGuid: string): void {
 *   applyTransportSetting(s, "realTimeNotification", { brokerEventGuid });
 * }
 * ```
 */
export function applyTransportSetting(s: SocketRef, setting: string, value?: unknown): void {
  const { name, guid } = settingArg(setting);
  if (name !== null) {
    const v = checkObject(value, "value");
    const broker = guidArg(v.brokerEventGuid, "value.brokerEventGuid");
    const h = socketHandle(s, APPLY.name);
    realTimeIn.brokerEventGuid = broker;
    const n = RealTimeNotificationSettingInput.SIZE;
    _ioctlOwned(h, SIO_APPLY_TRANSPORT_SETTING, realTimeInBytes, n, null, 0, APPLY);
    return;
  }
  // ioctl's order: checked, then the handle (a runtime socket's getters may resize or detach
  // the value's buffer), then its bytes and length, then the call.
  const view = value === undefined || value === null ? null : checkView(value, "value");
  const h = socketHandle(s, APPLY.name);
  const bytes = view === null ? null : bytesOf(view, "value");
  const n = bytes === null ? 0 : byteLengthOf(bytes);
  if (n > 0xffffffff - TransportSettingId.SIZE) {
    throw new RangeError(
      `value has ${n} bytes; at most ${0xffffffff - TransportSettingId.SIZE} fit`,
    );
  }
  const buffer = new ArrayBuffer(TransportSettingId.SIZE + n);
  TransportSettingId.at(buffer).guid = guid;
  if (bytes !== null) new Uint8Array(buffer, TransportSettingId.SIZE).set(bytes);
  const input = new Uint8Array(buffer);
  _ioctlOwned(h, SIO_APPLY_TRANSPORT_SETTING, input, input.length, null, 0, APPLY);
}

/**
 * Queries the real-time notification status of a TCP socket: REAL_TIME_NOTIFICATION_SETTING_OUTPUT.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket: a TCP socket.
 * @param setting `"realTimeNotification"`.
 * @returns `{ channelStatus }`.
 */
export function queryTransportSetting(
  s: SocketRef,
  setting: "realTimeNotification",
): RealTimeNotificationStatus;
/**
 * Queries a transport setting given by GUID: the bytes Windows returns, copied.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param setting The setting's GUID.
 * @param opts `{ outputLength }`: the first output buffer's size.
 * @returns Exactly the bytes returned.
 */
export function queryTransportSetting(
  s: SocketRef,
  setting: string,
  opts?: QueryTransportSettingOptions,
): Uint8Array;
/**
 * Queries a transport setting of a socket (SIO_QUERY_TRANSPORT_SETTING). The input is the
 * 16-byte TRANSPORT_SETTING_ID naming the setting (the code's direction bits say input only;
 * it answers in the output buffer):
 * - `"realTimeNotification"` (REAL_TIME_NOTIFICATION_CAPABILITY): a 4-byte
 *   REAL_TIME_NOTIFICATION_SETTING_OUTPUT, returned as `{ channelStatus }` — the
 *   `ControlChannelTrigger` status of a TCP socket by name (see
 *   {@link RealTimeNotificationStatus}). TCP sockets only.
 * - any other setting by its GUID: the output is a library buffer of `opts.outputLength` bytes
 *   (default 64), grown (four times, up to 1 MiB) while Windows answers that it is too small;
 *   the result is a copy of exactly the bytes Windows returned.
 *
 * Windows 8 / Server 2012 and later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param setting `"realTimeNotification"`, or a setting's GUID.
 * @param opts For a GUID: `{ outputLength? }`.
 * @returns `{ channelStatus }` for `"realTimeNotification"`; the bytes returned for a GUID.
 * @throws {TypeError} when `setting` is not a string, `opts` not an object, `opts.outputLength` not
 * an integer, or `s` none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when `setting` is neither a known name nor a GUID, `opts.outputLength`
 * is outside 1..1048576, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (e.g. WSAEINVAL on a socket that is not TCP).
 * @throws {Error} when Windows claims more bytes than the buffer holds.
 * @example
 * ```ts
 * import { queryTransportSetting, Socket } from "@x/wsioctl";
 * export function hasHardwareSlot(s: Socket): boolean {
 *   return queryTransportSetting(s, "realTimeNotification").channelStatus ===
 *     "hardwareSlotAllocated";
 * }
 * ```
 */
export function queryTransportSetting(
  s: SocketRef,
  setting: string,
  opts?: QueryTransportSettingOptions,
): RealTimeNotificationStatus | Uint8Array {
  const { name, guid } = settingArg(setting);
  const o = opts === undefined ? {} : checkObject(opts, "opts");
  const first = o.outputLength === undefined
    ? 64
    : checkInteger(o.outputLength, "opts.outputLength", 1, BLOB_LIMIT);
  const h = socketHandle(s, QUERY.name);
  settingIdIn.guid = guid;
  if (name !== null) {
    const n = RealTimeNotificationSettingOutput.SIZE;
    realTimeOutBytes.fill(0);
    const r = _ioctlOwned(
      h,
      SIO_QUERY_TRANSPORT_SETTING,
      settingIdBytes,
      16,
      realTimeOutBytes,
      n,
      QUERY,
    );
    checkWritten(r, n, "REAL_TIME_NOTIFICATION_SETTING_OUTPUT", SIO_QUERY_TRANSPORT_SETTING, QUERY);
    const status = realTimeOut.channelStatus;
    return { channelStatus: CHANNEL_STATUS[status] ?? status };
  }
  const { out, returned } = queryGrowing(
    h,
    SIO_QUERY_TRANSPORT_SETTING,
    settingIdBytes,
    TransportSettingId.SIZE,
    QUERY,
    first,
  );
  return out.slice(0, returned);
}
