/**
 * Address families and the `SocketAddress` value: what the typed calls take and return for a
 * socket address, as plain data (the bytes are in address.ts).
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

/** `AF_INET` on Windows. */
export const AF_INET = 2;
/** `AF_INET6` on Windows (23, not Linux's 10). */
export const AF_INET6 = 23;
/** `AF_UNSPEC`. */
export const AF_UNSPEC = 0;

/** The address families wsioctl speaks: IPv4 (`"inet"`) and IPv6 (`"inet6"`). */
export type SocketFamily = "inet" | "inet6";

/**
 * A socket address as a plain value: what the typed calls return.
 *
 * `address` is the textual address without any `%scope` suffix; for `"inet6"` the scope id is
 * in `scopeId` (0 when none).
 */
export interface SocketAddress {
  /** `"inet"` (IPv4) or `"inet6"` (IPv6). */
  family: SocketFamily;
  /** Dotted IPv4 (`"192.0.2.1"`) or RFC 5952 IPv6 (`"fe80::1"`). */
  address: string;
  /** Port, 0..65535, host order. */
  port: number;
  /** IPv6 scope (interface index) id; present for `"inet6"`. */
  scopeId?: number;
}

/** An address to write: like {@linkcode SocketAddress}, with the family optional. */
export interface SocketAddressInit {
  /** Family; inferred from `address` when absent (a `:` means IPv6). */
  family?: SocketFamily;
  /** Textual address; IPv6 may carry a numeric `%scope`. */
  address: string;
  /** Port, 0..65535. */
  port: number;
  /** IPv6 scope id; must agree with a `%scope` in `address` if both are given. */
  scopeId?: number;
}
