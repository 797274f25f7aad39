/**
 * The clock of packet timestamps: {@link timestampNow} reads it, {@link timestampFrequency} says
 * how many of its ticks make a second. Every timestamp wsioctl returns (`txTimestamp`,
 * `txTimestampPoller(s).poll(id)`, `socket.recvFrom(into, { timestamp: true }).timestamp`) is in
 * these ticks, so a stamp minus a reading of this clock is a duration on every OS:
 *
 * - Windows: QueryPerformanceCounter / QueryPerformanceFrequency, the clock Winsock's software
 *   timestamps come from;
 * - Linux and macOS: CLOCK_REALTIME in nanoseconds (the kernel's software stamps), and
 *   `1_000_000_000n`.
 *
 * @example
 * ```ts
 * import { timestampFrequency, timestampNow } from "@x/wsioctl";
 * const before = timestampNow();
 * const after = timestampNow();
 * const ns = (after - before) * 1_000_000_000n / timestampFrequency(); // >= 0n
 * ```
 *
 * @module
 */

import { nativeApi } from "./ffi/select.ts";

/**
 * The current value of the clock that software packet timestamps use, in its own ticks
 * (QueryPerformanceCounter on Windows; CLOCK_REALTIME in nanoseconds on Linux and macOS).
 * Compare it with stamps from `txTimestamp`, `txTimestampPoller` and
 * `socket.recvFrom(into, { timestamp: true })`; divide by {@link timestampFrequency} for
 * seconds.
 *
 * @returns The tick count.
 * @throws {UnsupportedError} on a system or CPU where wsioctl reads no timestamps (other than
 * Windows, and Linux and macOS on 64-bit little-endian CPUs).
 * @throws {Error} when no FFI is available (see `nativeApi`).
 * @example
 * ```ts
 * import { timestampNow } from "@x/wsioctl";
 * const t = timestampNow();
 * t > 0n; // true
 * ```
 */
export function timestampNow(): bigint {
  return nativeApi().timestampNow();
}

/**
 * The ticks per second of {@link timestampNow} and of every timestamp wsioctl returns:
 * QueryPerformanceFrequency on Windows (fixed at boot), `1_000_000_000n` on Linux and macOS.
 *
 * @returns Ticks per second.
 * @throws {Error} when no FFI is available (see `nativeApi`).
 * @example
 * ```ts
 * import { timestampFrequency, timestampNow } from "@x/wsioctl";
 * export function nanosecondsSince(start: bigint): bigint {
 *   return (timestampNow() - start) * 1_000_000_000n / timestampFrequency();
 * }
 * ```
 */
export function timestampFrequency(): bigint {
  return nativeApi().timestampFrequency();
}
