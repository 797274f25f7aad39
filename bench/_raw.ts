// The raw FFI baselines: libc's functions bound through the runtime's own FFI, without wsioctl,
// with the parameter types wsioctl's own table gives them (ffi/libc.ts), so the baseline pays
// the same conversions. Linux only (the library name, FIONREAD's number, TCP_INFO and
// MSG_ERRQUEUE are Linux's). The functions are handed out as the FFI binds them: a call of one
// is the runtime's FFI call and nothing else.

/** The FFIs a baseline can be bound with. */
export type RawFfi = "Deno.dlopen" | "bun:ffi" | "koffi" | "node:ffi";

/** libc's functions the baselines call, with wsioctl's types for them (ffi/libc.ts). */
const LIBC = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" }, // int domain, int type, int protocol
  close: { parameters: ["i32"], result: "i32" }, // int fd
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" }, // int fd, unsigned long, void* arg
  getsockopt: {
    // int fd, int level, int optname, void* optval, socklen_t* optlen
    parameters: ["i32", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  // int fd, struct msghdr* msg, int flags; ssize_t read as its low half, as wsioctl does
  recvmsg: { parameters: ["i32", "buffer", "i32"], result: "i32" },
} as const;

type Name = keyof typeof LIBC;
type Param = (typeof LIBC)[Name]["parameters"][number];

/** The bound functions, and what the baselines need besides. */
export interface RawLibc {
  /** The FFI, with its version where it has its own (koffi). */
  readonly ffi: string;
  socket(domain: number, type: number, protocol: number): number;
  close(fd: number): number;
  ioctl(fd: number, request: bigint, arg: ArrayBufferView): number;
  getsockopt(
    fd: number,
    level: number,
    name: number,
    value: ArrayBufferView,
    length: ArrayBufferView,
  ): number;
  recvmsg(fd: number, msg: ArrayBufferView, flags: number): number;
  /** A buffer's native address (for pointers inside a struct the baseline passes). */
  address(view: ArrayBufferView): bigint;
}

/** Linux's FIONREAD (asm-generic/ioctls.h; x86-64, arm64, riscv64, loongarch64). */
export const LINUX_FIONREAD = 0x541bn;
/** IPPROTO_TCP, TCP_INFO (linux/tcp.h), and the bytes wsioctl asks for. */
export const LINUX_TCP_INFO = [6, 11, 248] as const;
/** MSG_ERRQUEUE | MSG_DONTWAIT. */
export const LINUX_ERRQUEUE_NOWAIT = 0x2000 | 0x40;
const LIBC_SO = "libc.so.6";

/** The shape of one bound table, whatever the FFI. */
type Bound = Record<Name, (...args: never[]) => number>;

/** What the baselines use of koffi. */
interface Koffi {
  load(path: string): { func(name: string, result: string, params: string[]): unknown };
  address(view: unknown): bigint | number;
  readonly version?: string;
}

/** What the baselines use of node:ffi. */
interface NodeFfi {
  DynamicLibrary: new (path: string) => {
    getFunction(name: string, signature: { arguments: string[]; return: string }): unknown;
  };
  getRawPointer(view: ArrayBufferView): bigint;
}

/** What the baselines use of bun:ffi. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: readonly number[]; returns: number }>,
  ): { symbols: Record<string, unknown> };
  ptr(view: ArrayBufferView): number;
  FFIType: Record<string, number>;
}

function each<T>(map: (name: Name) => T): Record<Name, T> {
  const out = {} as Record<Name, T>;
  for (const name of Object.keys(LIBC) as Name[]) out[name] = map(name);
  return out;
}

/**
 * Opens libc with `ffi` and binds the baselines' functions (the time this takes is part of the
 * first-call baseline, as is importing the FFI's module).
 *
 * @param ffi The FFI.
 * @returns The functions.
 * @throws {Error} when this runtime lacks that FFI.
 */
export async function openRawLibc(ffi: RawFfi): Promise<RawLibc> {
  let bound: Bound;
  let address: (view: ArrayBufferView) => bigint;
  let name: string = ffi;
  switch (ffi) {
    case "Deno.dlopen": {
      const lib = Deno.dlopen(LIBC_SO, LIBC);
      bound = lib.symbols as unknown as Bound;
      address = (v) => BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(v as Uint8Array)));
      break;
    }
    case "bun:ffi": {
      // A non-literal specifier keeps `deno check` from resolving the Bun-only module.
      const BUN_FFI = "bun:ffi";
      const bun = (await import(BUN_FFI)) as BunFfi;
      const T = bun.FFIType;
      const type = (t: Param | "i32") => t === "buffer" ? T.ptr : T[t];
      const lib = bun.dlopen(
        LIBC_SO,
        each((n) => ({ args: LIBC[n].parameters.map(type), returns: type(LIBC[n].result) })),
      );
      bound = lib.symbols as Bound;
      address = (v) => BigInt(bun.ptr(v));
      break;
    }
    case "koffi": {
      // A non-literal specifier keeps bundlers from inlining the native package.
      const KOFFI = "koffi";
      const mod = (await import(KOFFI)) as { default?: Koffi } & Koffi;
      const koffi = mod.default ?? mod;
      const C: Record<Param, string> = { i32: "int32_t", u64: "uint64_t", buffer: "void *" };
      const lib = koffi.load(LIBC_SO);
      bound = each((n) =>
        lib.func(n, C[LIBC[n].result], LIBC[n].parameters.map((p) => C[p]))
      ) as Bound;
      address = (v) => BigInt(koffi.address(v));
      name = `koffi ${koffi.version ?? "(unknown version)"}`;
      break;
    }
    case "node:ffi": {
      const proc = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } })
        .process;
      const node = proc?.getBuiltinModule?.("node:ffi") as NodeFfi | undefined;
      if (node === undefined) throw new Error("node:ffi is not enabled in this Node");
      const lib = new node.DynamicLibrary(LIBC_SO);
      bound = each((n) =>
        lib.getFunction(n, {
          arguments: [...LIBC[n].parameters],
          return: LIBC[n].result,
        })
      ) as Bound;
      address = (v) => node.getRawPointer(v);
      break;
    }
  }
  return { ...(bound as unknown as Omit<RawLibc, "ffi" | "address">), ffi: name, address };
}
