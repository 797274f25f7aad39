/**
 * Port reservation structs from `mstcpip.h`: `INET_PORT_RANGE` (the input of
 * SIO_ACQUIRE_PORT_RESERVATION), `INET_PORT_RESERVATION_TOKEN` (SIO_RELEASE/ASSOCIATE_PORT_
 * RESERVATION), `INET_PORT_RESERVATION_INSTANCE` (the acquire output) and
 * `INET_PORT_RESERVATION_INFORMATION`.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { checkUint16 } from "../_validate.ts";
import type { StructLayout } from "./layout.ts";
import { defineView, type Members, type ViewFields } from "./members.ts";
import { StructView } from "./view.ts";

/** `INVALID_PORT_RESERVATION_TOKEN` (0). */
export const INVALID_PORT_RESERVATION_TOKEN = 0n;

/**
 * The members of `INET_PORT_RANGE` (4 bytes; `INET_PORT_RESERVATION` is the same struct), the
 * view {@linkcode InetPortRange}.
 */
export const INET_PORT_RANGE_MEMBERS = {
  /** `StartPort` as stored (network byte order). */
  startPortRaw: ["StartPort", "u16"], // 0x00 USHORT, network byte order
  /** `NumberOfPorts`. */
  numberOfPorts: ["NumberOfPorts", "u16"], // 0x02 USHORT, host order
} as const satisfies Members;

/**
 * A view over `INET_PORT_RANGE`. `StartPort` is a port in network byte order (the SDK
 * samples store `htons(port)`), so {@linkcode InetPortRange.startPort} converts; the raw
 * field is {@linkcode InetPortRange.startPortRaw}.
 */
export class InetPortRange extends StructView {
  /** `sizeof(INET_PORT_RANGE)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "INET_PORT_RANGE",
    INET_PORT_RANGE_MEMBERS,
  );

  /** `StartPort` as a host-order port number. */
  get startPort(): number {
    return this.view.getUint16(0x00, false);
  }
  set startPort(v: number) {
    this.view.setUint16(0x00, checkUint16(v, "startPort"), false);
  }

  /**
   * Snapshot.
   *
   * @returns `{ startPort, numberOfPorts }` (host order).
   */
  override toObject(): { startPort: number; numberOfPorts: number } {
    return { startPort: this.startPort, numberOfPorts: this.numberOfPorts };
  }
}
/** The fields of {@linkcode InetPortRange}, typed from {@linkcode INET_PORT_RANGE_MEMBERS}. */
export interface InetPortRange extends ViewFields<typeof INET_PORT_RANGE_MEMBERS> {}

/** The members of `INET_PORT_RESERVATION_TOKEN` (8 bytes). */
export const INET_PORT_RESERVATION_TOKEN_MEMBERS = {
  /** `Token`. */
  token: ["Token", "u64"], // 0x00 ULONG64
} as const satisfies Members;

/** A view over `INET_PORT_RESERVATION_TOKEN`. */
export class InetPortReservationToken extends StructView {
  /** `sizeof(INET_PORT_RESERVATION_TOKEN)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "INET_PORT_RESERVATION_TOKEN",
    INET_PORT_RESERVATION_TOKEN_MEMBERS,
  );
}
/** The fields of {@linkcode InetPortReservationToken}, typed from its members. */
export interface InetPortReservationToken
  extends ViewFields<typeof INET_PORT_RESERVATION_TOKEN_MEMBERS> {}

/**
 * The members of `INET_PORT_RESERVATION_INSTANCE` (16 bytes). The SDK names them only for C++
 * (`Reservation`, `Token`); in C they are anonymous, so `STRUCT_LAYOUTS` also lists their
 * flattened members (`StartPort`, `NumberOfPorts`; `Token` is both).
 */
export const INET_PORT_RESERVATION_INSTANCE_MEMBERS = {
  /** `Reservation`: the reserved range, a sub-view over the same bytes. */
  reservation: ["Reservation", InetPortRange, "cpp-named"], // 0x00 INET_PORT_RESERVATION
  /** `Token`: a sub-view over the same bytes. */
  token: ["Token", InetPortReservationToken, "cpp-named"], // 0x08 INET_PORT_RESERVATION_TOKEN
} as const satisfies Members;

/** A view over `INET_PORT_RESERVATION_INSTANCE`. */
export class InetPortReservationInstance extends StructView {
  /** `sizeof(INET_PORT_RESERVATION_INSTANCE)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "INET_PORT_RESERVATION_INSTANCE",
    INET_PORT_RESERVATION_INSTANCE_MEMBERS,
  );
}
/** The fields of {@linkcode InetPortReservationInstance}, typed from its members. */
export interface InetPortReservationInstance
  extends ViewFields<typeof INET_PORT_RESERVATION_INSTANCE_MEMBERS> {}

/** The members of `INET_PORT_RESERVATION_INFORMATION` (4 bytes). */
export const INET_PORT_RESERVATION_INFORMATION_MEMBERS = {
  /** `OwningPid`: the process that owns the reservation. */
  owningPid: ["OwningPid", "u32"], // 0x00 ULONG
} as const satisfies Members;

/** A view over `INET_PORT_RESERVATION_INFORMATION`. */
export class InetPortReservationInformation extends StructView {
  /** `sizeof(INET_PORT_RESERVATION_INFORMATION)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = defineView(
    this,
    "INET_PORT_RESERVATION_INFORMATION",
    INET_PORT_RESERVATION_INFORMATION_MEMBERS,
  );
}
/** The fields of {@linkcode InetPortReservationInformation}, typed from its members. */
export interface InetPortReservationInformation
  extends ViewFields<typeof INET_PORT_RESERVATION_INFORMATION_MEMBERS> {}
