// FIONREAD polling, the hot path of wsioctl: the generic ioctl() with a preallocated buffer,
// against the native layer underneath it and a raw Deno.dlopen call of libc's ioctl (the FFI floor).
// The native layer checks that a descriptor is a socket before the ioctl (getsockopt SO_TYPE), except
// for the sockets it opened itself: the last case measures that checked path.
// The C baseline is bench/c/fionread.c.
// Run: tools/node_modules/.bin/deno bench --allow-ffi bench/fionread_bench.ts
// Deno.bench prints the runtime, its version and the CPU. Linux only (it calls libc directly).
import { FIONREAD } from "../codes/mod.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctl } from "../ioctl.ts";
import { benchPair, LINUX_FIONREAD } from "./_sio_pair.ts";

// 5 bytes waiting on `peer`; the pair stays referenced until the unload handler closes it.
const pair = benchPair();
const { peer } = pair;

const u32 = new Uint32Array(1);
const u8 = new Uint8Array(4);
const native = nativeApi();
const libc = Deno.dlopen("libc.so.6", {
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  dup: { parameters: ["i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
});
const fd = Number(peer.handle);
// The same socket under a descriptor wsioctl did not open (as a runtime's own socket would be).
const foreign = BigInt(libc.symbols.dup(fd));
while (u32[0] < 5) ioctl(peer, FIONREAD, null, u32);

Deno.bench("raw Deno.dlopen ioctl(fd, FIONREAD, buf) (FFI floor)", { baseline: true }, () => {
  libc.symbols.ioctl(fd, LINUX_FIONREAD, u8);
});

Deno.bench("native.wsaIoctl(handle, FIONREAD, null, Uint8Array)", () => {
  native.wsaIoctl(peer.handle, FIONREAD, null, 0, u8, 4);
});

Deno.bench("ioctl(socket, FIONREAD, null, Uint8Array)", () => {
  ioctl(peer, FIONREAD, null, u8);
});

Deno.bench("ioctl(socket, FIONREAD, null, Uint32Array)", () => {
  ioctl(peer, FIONREAD, null, u32);
});

Deno.bench("ioctl(rawHandle, FIONREAD, null, Uint32Array)", () => {
  ioctl(peer.handle, FIONREAD, null, u32);
});

Deno.bench("ioctl(dup'ed raw handle, FIONREAD, null, Uint32Array) (socket check)", () => {
  ioctl(foreign, FIONREAD, null, u32);
});

globalThis.addEventListener("unload", () => {
  pair.close();
  libc.symbols.close(Number(foreign));
  libc.close();
});
