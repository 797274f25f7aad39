/**
 * The keep-alive settings of a real socket read back with a getsockopt bound here, through the
 * runtime's FFI, with the system header's numbers written out (no wsioctl table): Linux's
 * sys/socket.h and netinet/tcp.h, or Windows' winsock2.h and ws2ipdef.h when a file runs in the
 * Wine bed. Other systems: `KEEPALIVE_NUMBERS` is undefined (the callers skip).
 */

import assert from "node:assert/strict";
import { nativeApi, nativeLoader } from "../../ffi/select.ts";

/** [level, name] of SO_KEEPALIVE, TCP_KEEPIDLE (TCP_KEEPALIVE), TCP_KEEPINTVL, TCP_KEEPCNT. */
export interface KeepAliveNumbers {
  readonly keepAlive: readonly [number, number];
  readonly idle: readonly [number, number];
  readonly interval: readonly [number, number];
  readonly count: readonly [number, number];
}

const os = nativeApi().os;

/** This system's numbers: Linux (SOL_SOCKET 1, IPPROTO_TCP 6) or Windows (SOL_SOCKET 0xffff). */
export const KEEPALIVE_NUMBERS: KeepAliveNumbers | undefined = os === "linux"
  ? { keepAlive: [1, 9], idle: [6, 4], interval: [6, 5], count: [6, 6] }
  : os === "windows"
  ? { keepAlive: [0xffff, 8], idle: [6, 3], interval: [6, 17], count: [6, 16] }
  : undefined;

/**
 * getsockopt(handle, level, name) of one C int, asserted to succeed with 4 bytes (or 1 for a
 * BOOL option, `bool`: Windows may answer those in one byte).
 */
export function getsockoptInt(
  handle: bigint,
  [level, name]: readonly [number, number],
  bool = false,
): number {
  const value = new Int32Array(1);
  const length = new Int32Array([4]);
  if (os === "windows") {
    const ws2 = nativeLoader().open(["ws2_32.dll"], {
      // SOCKET s, int level, int optname, char* optval, int* optlen
      getsockopt: { parameters: ["u64", "i32", "i32", "buffer", "buffer"], result: "i32" },
    });
    assert.equal(ws2.getsockopt(handle, level, name, value, length), 0);
  } else {
    const libc = nativeLoader().open(["libc.so.6"], {
      // int sockfd, int level, int optname, void* optval, socklen_t* optlen
      getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
    });
    assert.equal(libc.getsockopt(Number(handle), level, name, value, length), 0);
  }
  assert.ok(length[0] === 4 || (bool && length[0] === 1), `optlen ${length[0]}`);
  return value[0];
}

/** The four keep-alive settings of a socket: `[SO_KEEPALIVE != 0, idle s, interval s, count]`. */
export function keepAliveState(handle: bigint): [boolean, number, number, number] {
  const n = KEEPALIVE_NUMBERS!;
  return [
    getsockoptInt(handle, n.keepAlive, true) !== 0,
    getsockoptInt(handle, n.idle),
    getsockoptInt(handle, n.interval),
    getsockoptInt(handle, n.count),
  ];
}
