/**
 * Internal: socket addresses between the layout the native layer's contract speaks (Windows:
 * a little-endian `u16` family, `AF_INET` 2 / `AF_INET6` 23) and the platform's own `sockaddr`
 * (Linux: a host-order `u16` family, AF_INET6 10; the BSDs: a `sa_len` byte, then a one-byte
 * family, AF_INET6 28 or 30). Everything after the family (port, address, flow info, scope id) is
 * laid out the same on every system and is copied as is.
 *
 * @module
 */

import { AF_INET, AF_INET6 } from "./native.ts";

/** AF_INET in the native layout: 2 on Linux and the BSDs, as on Windows. */
const NATIVE_AF_INET = 2;

/**
 * One scratch native `sockaddr` and the translation into and out of it. A POSIX native layer
 * owns one and reuses it for every call (FFI calls run on one thread).
 */
export class SockaddrTranslator {
  /** The native sockaddr handed to libc (room for any family). */
  readonly nativeAddr: Uint8Array = new Uint8Array(128);
  /** The `socklen_t` handed to libc with {@link nativeAddr}. */
  readonly nativeLength: Uint32Array = new Uint32Array(1);
  readonly #af6: number;
  readonly #saLen: boolean;

  /**
   * @param af6 The platform's AF_INET6.
   * @param saLen `true` where sockaddr starts with a `sa_len` byte (the BSDs).
   */
  constructor(af6: number, saLen: boolean) {
    this.#af6 = af6;
    this.#saLen = saLen;
  }

  /**
   * Sets {@link nativeLength} to the whole of {@link nativeAddr}: the in-value of a call that
   * fills it (`accept`, `recvfrom`, `getsockname`, `getpeername`).
   */
  reset(): void {
    this.nativeLength[0] = this.nativeAddr.length;
  }

  /**
   * The platform's number for a family of the contract.
   *
   * @param family `AF_INET` (2) or `AF_INET6` (23).
   * @returns The native family, or -1 for any other value.
   */
  nativeFamily(family: number): number {
    return family === AF_INET ? NATIVE_AF_INET : family === AF_INET6 ? this.#af6 : -1;
  }

  /**
   * Copies a Windows-layout sockaddr into {@link nativeAddr}, in the native layout.
   *
   * @param addr A Windows-layout sockaddr, exactly as long as the address.
   * @returns Its length, or -1 for a family other than `AF_INET` / `AF_INET6`.
   */
  toNative(addr: Uint8Array): number {
    const family = addr[0] | (addr[1] << 8);
    const af = this.nativeFamily(family);
    if (af < 0) return -1;
    const native = this.nativeAddr;
    native.set(addr);
    if (this.#saLen) {
      native[0] = addr.length;
      native[1] = af;
    } else {
      native[0] = af & 0xff;
      native[1] = af >> 8;
    }
    return addr.length;
  }

  /**
   * Copies the native sockaddr of {@link nativeLength} bytes out of {@link nativeAddr}, in the
   * Windows layout (an unknown family keeps its native number).
   *
   * @param out Receives the Windows-layout sockaddr.
   * @returns The bytes written to `out`.
   */
  fromNative(out: Uint8Array): number {
    const native = this.nativeAddr;
    const af = this.#saLen ? native[1] : native[0] | (native[1] << 8);
    const family = af === NATIVE_AF_INET ? AF_INET : af === this.#af6 ? AF_INET6 : af;
    const n = Math.min(this.nativeLength[0], out.length, native.length);
    out.set(native.subarray(0, n));
    if (n >= 2) {
      out[0] = family & 0xff;
      out[1] = family >> 8;
    }
    return n;
  }
}
