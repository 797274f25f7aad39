/**
 * An independent look at Linux sockets for the portable-set tests: libc's `getsockopt` bound
 * here (not the native layer's), the option numbers written here from the C headers, and the
 * calling thread pinned to one CPU (`sched_setaffinity`), so that a test can say which CPU the
 * kernel handles a loopback datagram on.
 */

import assert from "node:assert/strict";
import type { SymbolTable } from "../../ffi/_types.ts";
import { nativeLoader } from "../../ffi/select.ts";

/** `[level, name]` of the options the tests read (include/uapi/linux/in.h, in6.h, asm-generic/socket.h). */
export const OPT = {
  ipMulticastTtl: [0, 33], // IPPROTO_IP, IP_MULTICAST_TTL
  ipMulticastLoop: [0, 34], // IPPROTO_IP, IP_MULTICAST_LOOP
  ipv6MulticastHops: [41, 18], // IPPROTO_IPV6, IPV6_MULTICAST_HOPS
  ipv6MulticastLoop: [41, 19], // IPPROTO_IPV6, IPV6_MULTICAST_LOOP
  soType: [1, 3], // SOL_SOCKET, SO_TYPE
  soReusePort: [1, 15], // SOL_SOCKET, SO_REUSEPORT
  soIncomingCpu: [1, 49], // SOL_SOCKET, SO_INCOMING_CPU
} as const;

const TABLE = {
  // int fd, int level, int optname, void* optval, socklen_t* optlen
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  // pid_t pid (0: the calling thread), size_t cpusetsize, cpu_set_t* mask
  sched_getaffinity: { parameters: ["i32", "usize", "buffer"], result: "i32" },
  sched_setaffinity: { parameters: ["i32", "usize", "buffer"], result: "i32" },
} as const satisfies SymbolTable;

/** Bytes of the CPU masks (cpu_set_t is 128 bytes: 1024 CPUs). */
const MASK = 128;

/** The probe. */
export interface LinuxProbe {
  /** getsockopt of one `int` on descriptor `handle`. */
  option(handle: bigint, option: readonly [number, number]): number;
  /** The CPUs this thread may run on. */
  allowedCpus(): number[];
  /** Runs `fn` with this thread pinned to `cpu`, then restores the mask it had. */
  pinned<T>(cpu: number, fn: () => T): T;
}

/** Opens libc for the probe (Linux only). */
export function linuxProbe(): LinuxProbe {
  const lib = nativeLoader().open(["libc.so.6"], TABLE);
  const value = new Int32Array(1);
  const length = new Uint32Array(1);
  const mask = (): Uint8Array => new Uint8Array(new ArrayBuffer(MASK));
  const current = (): Uint8Array => {
    const m = mask();
    assert.ok(lib.sched_getaffinity(0, BigInt(MASK), m) >= 0, "sched_getaffinity");
    return m;
  };
  return {
    option(handle, [level, name]) {
      length[0] = 4;
      const r = lib.getsockopt(Number(handle), level, name, value, length);
      assert.equal(r, 0, `getsockopt(${handle}, ${level}, ${name})`);
      assert.equal(length[0], 4);
      return value[0];
    },
    allowedCpus() {
      const m = current();
      const cpus: number[] = [];
      for (let i = 0; i < MASK * 8; i++) if ((m[i >> 3] >> (i & 7)) & 1) cpus.push(i);
      return cpus;
    },
    pinned(cpu, fn) {
      const before = current();
      const only = mask();
      only[cpu >> 3] = 1 << (cpu & 7);
      assert.equal(lib.sched_setaffinity(0, BigInt(MASK), only), 0, `pin to CPU ${cpu}`);
      try {
        return fn();
      } finally {
        assert.equal(lib.sched_setaffinity(0, BigInt(MASK), before), 0, "restore the CPU mask");
      }
    },
  };
}
