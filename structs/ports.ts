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

import {
  checkInteger,
  cppNamed,
  defineAccessors,
  struct,
  type StructLayout,
  StructView,
  u16,
  u32,
  u64,
} from "./layout.ts";

/** `INVALID_PORT_RESERVATION_TOKEN` (0). */
export const INVALID_PORT_RESERVATION_TOKEN = 0n;

/** `INET_PORT_RANGE` (4 bytes); `INET_PORT_RESERVATION` is the same struct. */
export const INET_PORT_RANGE_LAYOUT: StructLayout = struct("INET_PORT_RANGE", {
  StartPort: u16, // 0x00 USHORT, network byte order
  NumberOfPorts: u16, // 0x02 USHORT, host order
});

/**
 * A view over `INET_PORT_RANGE`. `StartPort` is a port in network byte order (the SDK
 * samples store `htons(port)`), so {@linkcode InetPortRange.startPort} converts; the raw
 * field is {@linkcode InetPortRange.startPortRaw}.
 */
export class InetPortRange extends StructView {
  /** `sizeof(INET_PORT_RANGE)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = INET_PORT_RANGE_LAYOUT;
  /** `StartPort` as stored (network byte order). */
  declare startPortRaw: number;
  /** `NumberOfPorts`. */
  declare numberOfPorts: number;

  /** `StartPort` as a host-order port number. */
  get startPort(): number {
    return this.view.getUint16(0x00, false);
  }
  set startPort(v: number) {
    this.view.setUint16(0x00, checkInteger(v, "startPort", 0, 0xffff), false);
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
defineAccessors(InetPortRange, { startPortRaw: "StartPort", numberOfPorts: "NumberOfPorts" });

/** `INET_PORT_RESERVATION_TOKEN` (8 bytes). */
export const INET_PORT_RESERVATION_TOKEN_LAYOUT: StructLayout = struct(
  "INET_PORT_RESERVATION_TOKEN",
  {
    Token: u64, // 0x00 ULONG64
  },
);

/** A view over `INET_PORT_RESERVATION_TOKEN`. */
export class InetPortReservationToken extends StructView {
  /** `sizeof(INET_PORT_RESERVATION_TOKEN)`. */
  static readonly SIZE = 8;
  /** The layout. */
  static readonly LAYOUT: StructLayout = INET_PORT_RESERVATION_TOKEN_LAYOUT;
  /** `Token`. */
  declare token: bigint;
}
defineAccessors(InetPortReservationToken, { token: "Token" });

/**
 * `INET_PORT_RESERVATION_INSTANCE` (16 bytes). The SDK names its members only for C++
 * (`Reservation`, `Token`); in C they are anonymous, so `STRUCT_LAYOUTS` also lists their
 * flattened members (`StartPort`, `NumberOfPorts`; `Token` is both).
 */
export const INET_PORT_RESERVATION_INSTANCE_LAYOUT: StructLayout = struct(
  "INET_PORT_RESERVATION_INSTANCE",
  {
    Reservation: cppNamed(INET_PORT_RANGE_LAYOUT), // 0x00 INET_PORT_RESERVATION
    Token: cppNamed(INET_PORT_RESERVATION_TOKEN_LAYOUT), // 0x08 INET_PORT_RESERVATION_TOKEN
  },
);

/** A view over `INET_PORT_RESERVATION_INSTANCE`. */
export class InetPortReservationInstance extends StructView {
  /** `sizeof(INET_PORT_RESERVATION_INSTANCE)`. */
  static readonly SIZE = 16;
  /** The layout. */
  static readonly LAYOUT: StructLayout = INET_PORT_RESERVATION_INSTANCE_LAYOUT;
  /** `Reservation`: the reserved range, a sub-view over the same bytes. */
  declare readonly reservation: InetPortRange;
  /** `Token`: a sub-view over the same bytes. */
  declare readonly token: InetPortReservationToken;
}
defineAccessors(InetPortReservationInstance, {
  reservation: { field: "Reservation", view: InetPortRange },
  token: { field: "Token", view: InetPortReservationToken },
});

/** `INET_PORT_RESERVATION_INFORMATION` (4 bytes). */
export const INET_PORT_RESERVATION_INFORMATION_LAYOUT: StructLayout = struct(
  "INET_PORT_RESERVATION_INFORMATION",
  {
    OwningPid: u32, // 0x00 ULONG
  },
);

/** A view over `INET_PORT_RESERVATION_INFORMATION`. */
export class InetPortReservationInformation extends StructView {
  /** `sizeof(INET_PORT_RESERVATION_INFORMATION)`. */
  static readonly SIZE = 4;
  /** The layout. */
  static readonly LAYOUT: StructLayout = INET_PORT_RESERVATION_INFORMATION_LAYOUT;
  /** `OwningPid`: the process that owns the reservation. */
  declare owningPid: number;
}
defineAccessors(InetPortReservationInformation, { owningPid: "OwningPid" });

/** Every layout defined in this file, for `STRUCT_LAYOUTS`. */
export const PORT_LAYOUTS: readonly StructLayout[] = [
  INET_PORT_RANGE_LAYOUT,
  INET_PORT_RESERVATION_TOKEN_LAYOUT,
  INET_PORT_RESERVATION_INSTANCE_LAYOUT,
  INET_PORT_RESERVATION_INFORMATION_LAYOUT,
];
