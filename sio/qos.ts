/**
 * The Winsock 2 quality-of-service codes (GQoS), typed: the flow specifications of a socket
 * ({@link qos} / {@link setQos}: SIO_GET_QOS / SIO_SET_QOS), of its socket group
 * ({@link groupQos} / {@link setGroupQos}: SIO_GET_GROUP_QOS / SIO_SET_GROUP_QOS), and the QoS
 * service provider's checks ({@link checkQos}: SIO_CHK_QOS). GQoS works through a QoS-capable
 * service provider (the RSVP provider of Windows 2000 / XP / Server 2003); it is deprecated
 * since Windows Vista (qWAVE replaced it), and providers without QoS refuse the codes
 * (WSAENOPROTOOPT or WSAEOPNOTSUPP). Off Windows every call throws `UnsupportedError` naming it.
 *
 * @example
 * ```ts
 * import { qos, setQos, Socket } from "@x/wsioctl";
 * export function reserve(s: Socket): number {
 *   setQos(s, { sending: { tokenRate: 65536, serviceType: 1 } });
 *   return qos(s).sending.tokenRate;
 * }
 * ```
 *
 * @module
 */

import {
  SIO_CHK_QOS,
  SIO_GET_GROUP_QOS,
  SIO_GET_QOS,
  SIO_SET_GROUP_QOS,
  SIO_SET_QOS,
} from "../codes/mod.ts";
import { _ioctlOwned, bufferAddress, socketHandle, type TypedCall } from "../ioctl.ts";
import { type Flowspec, FLOWSPEC_MEMBERS, Qos, QOS_NOT_SPECIFIED } from "../structs/mod.ts";
import {
  byteLengthOf,
  bytesOf,
  checkEnum,
  checkInteger,
  checkObject,
  checkUint32,
  checkView,
} from "../_validate.ts";
import { queryGrowing } from "./_blob.ts";
import { in4, in4View, out4, out4View, ownBytes, type SocketRef } from "./_shared.ts";
import { checkWritten } from "./_written.ts";

/** The FLOWSPEC fields, each a ULONG, in `FLOWSPEC`'s order (0x00 … 0x1C). */
export interface FlowspecInfo {
  /** `TokenRate`: bytes per second the flow may send on average. */
  tokenRate: number;
  /** `TokenBucketSize`: the largest burst, in bytes. */
  tokenBucketSize: number;
  /** `PeakBandwidth`: bytes per second at most. */
  peakBandwidth: number;
  /** `Latency`: the most delay acceptable, in microseconds. */
  latency: number;
  /** `DelayVariation`: the most delay variation acceptable, in microseconds. */
  delayVariation: number;
  /** `ServiceType`: a SERVICETYPE value (e.g. 1 best effort, 2 controlled load, 3 guaranteed). */
  serviceType: number;
  /** `MaxSduSize`: the largest packet, in bytes. */
  maxSduSize: number;
  /** `MinimumPolicedSize`: the smallest packet the policer counts, in bytes. */
  minimumPolicedSize: number;
}

/** A FLOWSPEC to send: any field left out is `QOS_NOT_SPECIFIED` (0xFFFFFFFF). */
export type FlowspecParameters = Partial<FlowspecInfo>;

/** The argument of {@link setQos} and {@link setGroupQos}: a QOS as a plain object. */
export interface QosParameters {
  /** `SendingFlowspec`; left out: every field QOS_NOT_SPECIFIED. */
  sending?: FlowspecParameters;
  /** `ReceivingFlowspec`; left out: every field QOS_NOT_SPECIFIED. */
  receiving?: FlowspecParameters;
  /**
   * The `ProviderSpecific` bytes: QoS objects, each a QOS_OBJECT_HDR (ULONG ObjectType,
   * ULONG ObjectLength counting the header) and its data. Any ArrayBufferView; copied.
   */
  providerSpecific?: ArrayBufferView;
}

/** One provider-specific QoS object of a QOS that {@link qos} read. */
export interface QosObject {
  /** `ObjectType` (e.g. 2002 QOS_OBJECT_SD_MODE, 1000 RSVP_OBJECT_STATUS_INFO). */
  type: number;
  /** The object's bytes after its 8-byte header (a copy). */
  data: Uint8Array;
}

/** A QOS as {@link qos} and {@link groupQos} return it. */
export interface QosInfo {
  /** `SendingFlowspec`. */
  sending: FlowspecInfo;
  /** `ReceivingFlowspec`. */
  receiving: FlowspecInfo;
  /** The `ProviderSpecific` bytes (a copy; empty when there are none). */
  providerSpecific: Uint8Array;
  /** The QoS objects in `providerSpecific`, up to QOS_OBJECT_END_OF_LIST (not included). */
  objects: QosObject[];
}

/** The queries of {@link checkQos} (qossp.h), by the names this library gives them. */
const QOS_QUERIES: Readonly<Record<string, number>> = Object.freeze({
  allowedToSendData: 50001, // ALLOWED_TO_SEND_DATA
  ableToRecvRsvp: 50002, // ABLE_TO_RECV_RSVP
  lineRate: 50003, // LINE_RATE
  localTrafficControl: 50004, // LOCAL_TRAFFIC_CONTROL
  localQosability: 50005, // LOCAL_QOSABILITY
  endToEndQosability: 50006, // END_TO_END_QOSABILITY
});

/** The names {@link checkQos} takes. */
export type QosQueryName =
  | "allowedToSendData"
  | "ableToRecvRsvp"
  | "lineRate"
  | "localTrafficControl"
  | "localQosability"
  | "endToEndQosability";

const NO_QOS = "the socket's provider has no GQoS support; GQoS is deprecated since Windows Vista";
const GET_QOS: TypedCall = {
  name: "qos",
  hints: {
    10042: NO_QOS,
    10045: NO_QOS,
    10057: "a sending socket must be connected before SIO_GET_QOS (a receiver: once bound)",
  },
};
const GET_GROUP_QOS: TypedCall = { name: "groupQos", hints: { 10042: NO_QOS, 10045: NO_QOS } };
const SET_HINTS = {
  10042: NO_QOS,
  10045: NO_QOS,
  11016: "ServiceType cannot be left QOS_NOT_SPECIFIED: give sending/receiving.serviceType",
};
const SET_QOS: TypedCall = { name: "setQos", hints: SET_HINTS };
const SET_GROUP_QOS: TypedCall = { name: "setGroupQos", hints: SET_HINTS };
const CHECK_QOS: TypedCall = { name: "checkQos", hints: { 10042: NO_QOS, 10045: NO_QOS } };

/** The FLOWSPEC fields in the SDK's order, as the view names them (those of FlowspecInfo). */
const FIELDS = Object.keys(FLOWSPEC_MEMBERS) as (keyof FlowspecInfo)[];

const QOS_OBJECT_END_OF_LIST = 2001; // qos.h: QOS_GENERAL_ID_BASE (2000) + 1
const HDR = 8; // sizeof(QOS_OBJECT_HDR)
const FIRST_OUT = 1024; // qos()'s first output buffer: the QOS and room for its objects
const PROVIDER_MAX = 0xffffffff - Qos.SIZE; // setQos's input length is a DWORD

// The QOS input without provider-specific bytes, allocated once.
const qosIn = Qos.alloc();
const qosInBytes = ownBytes(qosIn);

/** Reads one FLOWSPEC argument: its eight ULONGs, QOS_NOT_SPECIFIED where left out. */
function flowspecArg(value: unknown, name: string): number[] {
  if (value === undefined) return FIELDS.map(() => QOS_NOT_SPECIFIED);
  const o = checkObject(value, name);
  return FIELDS.map((k) => {
    const v = o[k];
    return v === undefined ? QOS_NOT_SPECIFIED : checkUint32(v, `${name}.${k}`);
  });
}

function writeFlowspec(view: Flowspec, values: number[]): void {
  FIELDS.forEach((k, i) => view[k] = values[i]);
}

function readFlowspec(view: Flowspec): FlowspecInfo {
  return Object.fromEntries(FIELDS.map((k) => [k, view[k]])) as unknown as FlowspecInfo;
}

/** Checks the QOS argument, then sends it: the QOS, then the provider bytes in one buffer. */
function sendQos(s: SocketRef, qos: QosParameters, code: number, call: TypedCall): void {
  const q = checkObject(qos, "qos");
  const sending = flowspecArg(q.sending, "qos.sending");
  const receiving = flowspecArg(q.receiving, "qos.receiving");
  // ioctl's order: the QOS read and checked, then the handle (a runtime socket's getters may
  // resize or detach the provider bytes' buffer), then their bytes and length, then the call.
  const given = q.providerSpecific;
  const providerView = given === undefined || given === null
    ? null
    : checkView(given, "qos.providerSpecific");
  const h = socketHandle(s, call.name);
  const provider = providerView === null ? null : bytesOf(providerView, "qos.providerSpecific");
  const n = provider === null ? 0 : byteLengthOf(provider);
  if (n > PROVIDER_MAX) {
    throw new RangeError(`qos.providerSpecific has ${n} bytes; at most ${PROVIDER_MAX} fit`);
  }
  // The library's copy of the provider bytes follows the QOS in the same buffer, and
  // ProviderSpecific.buf points at it: the layout SIO_GET_QOS answers in.
  const buffer = n === 0 ? null : new ArrayBuffer(Qos.SIZE + n);
  const view = buffer === null ? qosIn : Qos.at(buffer);
  const input = buffer === null ? qosInBytes : new Uint8Array(buffer);
  writeFlowspec(view.sendingFlowspec, sending);
  writeFlowspec(view.receivingFlowspec, receiving);
  view.providerSpecific.len = n;
  view.providerSpecific.buf = 0n;
  if (buffer !== null && provider !== null) {
    const copy = new Uint8Array(buffer, Qos.SIZE, n);
    copy.set(provider); // the engine reads the source's real extent: exactly n bytes
    view.providerSpecific.buf = bufferAddress(copy);
  }
  _ioctlOwned(h, code, input, Qos.SIZE + n, null, 0, call);
}

/** The size a refused SIO_GET_QOS asks for (WSAENOBUFS): the output's first ULONG. */
const sizeAsked = (out: Uint8Array) => new DataView(out.buffer).getUint32(0, true);

/** Reads a QOS from the output of SIO_GET_QOS / SIO_GET_GROUP_QOS, checking every length. */
function receiveQos(s: SocketRef, code: number, call: TypedCall): QosInfo {
  const h = socketHandle(s, call.name);
  const { out, returned } = queryGrowing(h, code, null, 0, call, FIRST_OUT, sizeAsked);
  const bad = (why: string) =>
    new Error(`${call.name}: the QOS Windows returned is malformed: ${why}; nothing is read`);
  if (returned < Qos.SIZE) throw bad(`${returned} bytes, fewer than a QOS's ${Qos.SIZE}`);
  const view = Qos.at(out);
  const len = view.providerSpecific.len;
  let provider = new Uint8Array(0);
  if (len > 0) {
    const at = view.providerSpecific.buf - bufferAddress(out);
    if (at < BigInt(Qos.SIZE) || at + BigInt(len) > BigInt(returned)) {
      throw bad(
        `ProviderSpecific claims ${len} bytes at offset ${at} of the buffer, outside the ` +
          `${returned - Qos.SIZE} bytes returned after the QOS`,
      );
    }
    provider = out.slice(Number(at), Number(at) + len);
  }
  return {
    sending: readFlowspec(view.sendingFlowspec),
    receiving: readFlowspec(view.receivingFlowspec),
    providerSpecific: provider,
    objects: qosObjects(provider, bad),
  };
}

/** Walks the QoS objects of provider-specific bytes, each inside them. */
function qosObjects(bytes: Uint8Array, bad: (why: string) => Error): QosObject[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const objects: QosObject[] = [];
  for (let at = 0; at < bytes.length;) {
    const left = bytes.length - at;
    if (left < HDR) throw bad(`${left} bytes at offset ${at} cannot hold a QOS_OBJECT_HDR`);
    const type = view.getUint32(at, true);
    if (type === QOS_OBJECT_END_OF_LIST) break;
    const length = view.getUint32(at + 4, true);
    if (length < HDR || length > left) {
      throw bad(
        `QoS object ${objects.length} (type ${type}) at offset ${at} claims ${length} bytes; ` +
          `it needs ${HDR}..${left}`,
      );
    }
    objects.push({ type, data: bytes.slice(at + HDR, at + length) });
    at += length;
  }
  return objects;
}

/**
 * The socket's QOS (SIO_GET_QOS): its sending and receiving flow specifications and the
 * provider-specific QoS objects. The library sizes the output itself: when Windows answers
 * WSAENOBUFS it reads the size needed from the output's first ULONG and asks again (at most
 * 1 MiB, a bounded number of times). Everything Windows returns is checked before it is read:
 * the byte count, the ProviderSpecific pointer and length (inside the bytes returned, after the
 * QOS) and each object's length. Windows 2000 and later, through a QoS-capable provider (GQoS,
 * deprecated since Windows Vista); off Windows it throws {@link UnsupportedError}.
 *
 * Precondition (from the reference): a sending socket must be connected first; a receiving one
 * may ask as soon as it is bound.
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: IP_TOS / IPV6_TCLASS mark a socket's
 * traffic class).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns The QOS as plain values (see {@link QosInfo}).
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT / WSAEOPNOTSUPP without GQoS).
 * @throws {Error} when the answer is malformed (a length or pointer outside the bytes returned).
 * @example
 * ```ts
 * import { qos, Socket } from "@x/wsioctl";
 * export function sendingRate(connected: Socket): number {
 *   return qos(connected).sending.tokenRate; // 0xFFFFFFFF: not specified
 * }
 * ```
 */
export function qos(s: SocketRef): QosInfo {
  return receiveQos(s, SIO_GET_QOS, GET_QOS);
}

/**
 * The QOS of the socket's group (SIO_GET_GROUP_QOS), read and checked as {@link qos} reads the
 * socket's. Reserved for future use, says the reference: socket groups were never implemented.
 * Windows 2000 and later; off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: IP_TOS / IPV6_TCLASS mark a socket's
 * traffic class).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @returns The group's QOS as plain values (see {@link QosInfo}).
 * @throws {TypeError} when `s` is none of a Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a raw handle is out of the platform's range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses.
 * @throws {Error} when the answer is malformed.
 * @example
 * ```ts
 * import { groupQos, Socket } from "@x/wsioctl";
 * export const groupRate = (s: Socket): number => groupQos(s).sending.tokenRate;
 * ```
 */
export function groupQos(s: SocketRef): QosInfo {
  return receiveQos(s, SIO_GET_GROUP_QOS, GET_GROUP_QOS);
}

/**
 * Sets the socket's flow specifications (SIO_SET_QOS). Every FLOWSPEC field left out is sent as
 * QOS_NOT_SPECIFIED (0xFFFFFFFF), and `{}` passes the library's checks: Windows decides which
 * defaults it accepts (the SDK says ServiceType cannot be left unspecified; GQoS answers
 * WSA_QOS_ESERVICETYPE). What is sent: the 80-byte QOS followed by a copy of
 * `providerSpecific` in the same library-owned buffer (the input length is 80 + its length),
 * with ProviderSpecific.len its length and ProviderSpecific.buf the copy's address (NULL when
 * there are no provider bytes). Windows 2000 and later, through a QoS-capable provider (GQoS,
 * deprecated since Windows Vista); off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: IP_TOS / IPV6_TCLASS mark a socket's
 * traffic class).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param qos `{ sending?, receiving?, providerSpecific? }` (see {@link QosParameters}); what
 * {@link qos} returns is accepted as is.
 * @throws {TypeError} when `qos`, `qos.sending` or `qos.receiving` is not an object, a field is not
 * an integer, `qos.providerSpecific` is not an ArrayBufferView (or is detached), or `s` none of a
 * Socket, a bigint and a runtime socket.
 * @throws {RangeError} when a field is outside 0..2^32-1, or a raw handle is out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT / WSAEOPNOTSUPP without GQoS).
 * @example
 * ```ts
 * import { setQos, Socket } from "@x/wsioctl";
 * export function controlledLoad(s: Socket, bytesPerSecond: number): void {
 *   setQos(s, { sending: { tokenRate: bytesPerSecond, serviceType: 2 } });
 * }
 * ```
 */
export function setQos(s: SocketRef, qos: QosParameters): void {
  sendQos(s, qos, SIO_SET_QOS, SET_QOS);
}

/**
 * Sets the flow specifications of the socket's group (SIO_SET_GROUP_QOS) with the buffer
 * {@link setQos} sends. Reserved for future use, says the reference. Windows 2000 and later; off
 * Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: IP_TOS / IPV6_TCLASS mark a socket's
 * traffic class).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param qos `{ sending?, receiving?, providerSpecific? }` (see {@link QosParameters}).
 * @throws {TypeError} as {@link setQos}.
 * @throws {RangeError} as {@link setQos}.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses.
 * @example
 * ```ts
 * import { setGroupQos, Socket } from "@x/wsioctl";
 * export const bestEffort = (s: Socket): void => setGroupQos(s, { sending: { serviceType: 1 } });
 * ```
 */
export function setGroupQos(s: SocketRef, qos: QosParameters): void {
  sendQos(s, qos, SIO_SET_GROUP_QOS, SET_GROUP_QOS);
}

/**
 * Asks the QoS service provider one question (SIO_CHK_QOS, a DWORD query in, a DWORD answer
 * out). The queries (qossp.h), by name or number:
 * - `"allowedToSendData"` (ALLOWED_TO_SEND_DATA 50001): 1 when the best-effort bandwidth
 *   allows the socket's token rate before a RESV arrives, else 0;
 * - `"ableToRecvRsvp"` (ABLE_TO_RECV_RSVP 50002): 1 or 0, likewise for receiving;
 * - `"lineRate"` (LINE_RATE 50003): the interface's capacity in kbit/s;
 * - `"localTrafficControl"` (LOCAL_TRAFFIC_CONTROL 50004): 1 when kernel traffic control is
 *   available, else 0;
 * - `"localQosability"` (LOCAL_QOSABILITY 50005): 1 when the host supports QoS, else 0;
 * - `"endToEndQosability"` (END_TO_END_QOSABILITY 50006): 1 when the path supports QoS, else 0.
 *
 * Any of them may answer 0xFFFFFFFF (INFO_NOT_AVAILABLE). Windows 2000 and later, through the
 * GQoS provider (deprecated since Windows Vista); off Windows it throws {@link UnsupportedError}.
 *
 * Platforms: Windows; Linux and macOS (unsupported; instead: IP_TOS / IPV6_TCLASS mark a socket's
 * traffic class).
 *
 * @param s A {@link Socket}, a raw `bigint` handle, or a runtime socket.
 * @param query One of the six names, or its number (50001..50006).
 * @returns The DWORD the provider answers.
 * @throws {TypeError} when `query` is neither a string nor an integer, or `s` none of a Socket, a
 * bigint and a runtime socket.
 * @throws {RangeError} when `query` is not one of the six names or numbers, or a raw handle is
 * out of range.
 * @throws {SocketClosedError} when the Socket or the runtime socket is closed.
 * @throws {UnsupportedError} off Windows.
 * @throws {WinsockError} when Winsock refuses (WSAENOPROTOOPT / WSAEOPNOTSUPP without GQoS).
 * @throws {Error} when Winsock reports fewer bytes written than a `DWORD` (4).
 * @example
 * ```ts
 * import { checkQos, Socket } from "@x/wsioctl";
 * export function lineRateKbps(s: Socket): number {
 *   return checkQos(s, "lineRate"); // same as checkQos(s, 50003)
 * }
 * ```
 */
export function checkQos(s: SocketRef, query: QosQueryName | number): number {
  const value = typeof query === "number"
    ? checkInteger(query, "query", 50001, 50006)
    : checkEnum(query, "query", QOS_QUERIES);
  const h = socketHandle(s, CHECK_QOS.name);
  in4View.setUint32(0, value, true);
  const n = _ioctlOwned(h, SIO_CHK_QOS, in4, 4, out4, 4, CHECK_QOS);
  checkWritten(n, 4, "DWORD", SIO_CHK_QOS, CHECK_QOS);
  return out4View.getUint32(0, true);
}
