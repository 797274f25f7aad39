// Smoke test of the Windows test bed (scripts/test_windows.sh): raw FFI into ws2_32.dll from Deno
// (Deno.dlopen) and Bun (bun:ffi) under Wine, with no project code involved. It proves that a
// runtime loads ws2_32, passes 64-bit SOCKETs as bigint, and that WSAIoctl and WSAGetLastError
// behave. Temporary: the real native layer (ffi/, socket.ts) brings its own tests here.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

const AF_INET = 2;
const SOCK_STREAM = 1;
const IPPROTO_TCP = 6;
const INVALID_SOCKET = 0xffff_ffff_ffff_ffffn;
const SOCKET_ERROR = -1;
const FIONREAD = 0x4004667f; // _IOR('f', 127, u_long)
// _WSAIORW(IOC_VENDOR, 0xFFF): a vendor code no Winsock provider defines.
const UNKNOWN_IOCTL = 0xd8000fff;
const WSAENOTSOCK = 10038;
const WSAEOPNOTSUPP = 10045;

/** The few ws2_32 calls this test needs; every buffer is a Uint8Array, every SOCKET a bigint. */
interface Ws2 {
  runtime: string;
  WSAStartup(version: number, data: Uint8Array): number;
  WSACleanup(): number;
  WSAGetLastError(): number;
  socket(af: number, type: number, protocol: number): bigint;
  bind(s: bigint, name: Uint8Array, len: number): number;
  listen(s: bigint, backlog: number): number;
  connect(s: bigint, name: Uint8Array, len: number): number;
  accept(s: bigint): bigint;
  getsockname(s: bigint, name: Uint8Array, len: Uint8Array): number;
  send(s: bigint, buf: Uint8Array, len: number, flags: number): number;
  recv(s: bigint, buf: Uint8Array, len: number, flags: number): number;
  WSAIoctl(
    s: bigint,
    code: number,
    input: Uint8Array | null,
    inputLen: number,
    output: Uint8Array | null,
    outputLen: number,
    bytesReturned: Uint8Array,
  ): number;
  closesocket(s: bigint): number;
}

// Declared locally: this file must type-check under `deno test` without bun-types.
type BunFfi = {
  dlopen(
    name: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => unknown> };
};

async function loadWs2(): Promise<Ws2> {
  if ("Deno" in globalThis) {
    const lib = Deno.dlopen(
      "ws2_32.dll",
      {
        WSAStartup: { parameters: ["u16", "buffer"], result: "i32" }, // WORD, LPWSADATA
        WSACleanup: { parameters: [], result: "i32" },
        WSAGetLastError: { parameters: [], result: "i32" },
        socket: { parameters: ["i32", "i32", "i32"], result: "u64" }, // af, type, protocol
        bind: { parameters: ["u64", "buffer", "i32"], result: "i32" }, // SOCKET, sockaddr*, int
        listen: { parameters: ["u64", "i32"], result: "i32" },
        connect: { parameters: ["u64", "buffer", "i32"], result: "i32" },
        accept: { parameters: ["u64", "buffer", "buffer"], result: "u64" }, // addr*, int* addrlen
        getsockname: { parameters: ["u64", "buffer", "buffer"], result: "i32" },
        send: { parameters: ["u64", "buffer", "i32", "i32"], result: "i32" }, // buf, len, flags
        recv: { parameters: ["u64", "buffer", "i32", "i32"], result: "i32" },
        WSAIoctl: {
          parameters: [
            "u64", // SOCKET s
            "u32", // DWORD dwIoControlCode
            "buffer", // LPVOID lpvInBuffer
            "u32", // DWORD cbInBuffer
            "buffer", // LPVOID lpvOutBuffer
            "u32", // DWORD cbOutBuffer
            "buffer", // LPDWORD lpcbBytesReturned
            "pointer", // LPWSAOVERLAPPED lpOverlapped
            "pointer", // LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine
          ],
          result: "i32",
        },
        closesocket: { parameters: ["u64"], result: "i32" },
      } as const,
    );
    const f = lib.symbols;
    return {
      runtime: `deno ${Deno.version.deno}`,
      WSAStartup: (v, d) => f.WSAStartup(v, d),
      WSACleanup: () => f.WSACleanup(),
      WSAGetLastError: () => f.WSAGetLastError(),
      socket: (a, t, p) => BigInt(f.socket(a, t, p)),
      bind: (s, n, l) => f.bind(s, n, l),
      listen: (s, b) => f.listen(s, b),
      connect: (s, n, l) => f.connect(s, n, l),
      accept: (s) => BigInt(f.accept(s, null, null)),
      getsockname: (s, n, l) => f.getsockname(s, n, l),
      send: (s, b, l, fl) => f.send(s, b, l, fl),
      recv: (s, b, l, fl) => f.recv(s, b, l, fl),
      WSAIoctl: (s, c, i, il, o, ol, br) => f.WSAIoctl(s, c, i, il, o, ol, br, null, null),
      closesocket: (s) => f.closesocket(s),
    };
  }
  if ("Bun" in globalThis) {
    const specifier = "bun:ffi"; // not a literal: keeps Deno's module graph away from it
    const { dlopen } = (await import(specifier)) as BunFfi;
    const { symbols: f } = dlopen("ws2_32.dll", {
      WSAStartup: { args: ["u16", "ptr"], returns: "i32" },
      WSACleanup: { args: [], returns: "i32" },
      WSAGetLastError: { args: [], returns: "i32" },
      socket: { args: ["i32", "i32", "i32"], returns: "u64" },
      bind: { args: ["u64", "ptr", "i32"], returns: "i32" },
      listen: { args: ["u64", "i32"], returns: "i32" },
      connect: { args: ["u64", "ptr", "i32"], returns: "i32" },
      accept: { args: ["u64", "ptr", "ptr"], returns: "u64" },
      getsockname: { args: ["u64", "ptr", "ptr"], returns: "i32" },
      send: { args: ["u64", "ptr", "i32", "i32"], returns: "i32" },
      recv: { args: ["u64", "ptr", "i32", "i32"], returns: "i32" },
      WSAIoctl: {
        args: ["u64", "u32", "ptr", "u32", "ptr", "u32", "ptr", "ptr", "ptr"],
        returns: "i32",
      },
      closesocket: { args: ["u64"], returns: "i32" },
    });
    const version = (globalThis as unknown as { Bun: { version: string } }).Bun.version;
    const i32 = (x: unknown) => x as number;
    return {
      runtime: `bun ${version}`,
      WSAStartup: (v, d) => i32(f.WSAStartup(v, d)),
      WSACleanup: () => i32(f.WSACleanup()),
      WSAGetLastError: () => i32(f.WSAGetLastError()),
      socket: (a, t, p) => BigInt(f.socket(a, t, p) as bigint),
      bind: (s, n, l) => i32(f.bind(s, n, l)),
      listen: (s, b) => i32(f.listen(s, b)),
      connect: (s, n, l) => i32(f.connect(s, n, l)),
      accept: (s) => BigInt(f.accept(s, null, null) as bigint),
      getsockname: (s, n, l) => i32(f.getsockname(s, n, l)),
      send: (s, b, l, fl) => i32(f.send(s, b, l, fl)),
      recv: (s, b, l, fl) => i32(f.recv(s, b, l, fl)),
      WSAIoctl: (s, c, i, il, o, ol, br) => i32(f.WSAIoctl(s, c, i, il, o, ol, br, null, null)),
      closesocket: (s) => i32(f.closesocket(s)),
    };
  }
  throw new Error("neither Deno nor Bun: this test runs under deno.exe or bun.exe");
}

/** A sockaddr_in for 127.0.0.1:port (16 bytes, port and address in network order). */
function loopback(port: number): Uint8Array {
  const sa = new Uint8Array(new ArrayBuffer(16));
  const view = new DataView(sa.buffer, sa.byteOffset, sa.byteLength);
  view.setUint16(0, AF_INET, true); // sin_family
  view.setUint16(2, port, false); // sin_port
  sa.set([127, 0, 0, 1], 4); // sin_addr
  return sa;
}

function u32(buf: Uint8Array): number {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(0, true);
}

const isWindows = ("Deno" in globalThis && Deno.build.os === "windows") ||
  (typeof process !== "undefined" && process.platform === "win32");

describe("Windows test bed: raw ws2_32 FFI", { skip: !isWindows }, () => {
  let ws: Ws2;
  let listener = INVALID_SOCKET;
  let client = INVALID_SOCKET;
  let server = INVALID_SOCKET;

  before(async () => {
    ws = await loadWs2();
    console.log(`runtime: ${ws.runtime}`);
    const wsaData = new Uint8Array(new ArrayBuffer(408)); // sizeof(WSADATA) on x64
    assert.equal(ws.WSAStartup(0x0202, wsaData), 0);
    const dv = new DataView(wsaData.buffer);
    assert.equal(dv.getUint16(0, true), 0x0202, "wVersion");
  });

  after(() => {
    for (const s of [server, client, listener]) {
      if (s !== INVALID_SOCKET) ws.closesocket(s);
    }
    ws?.WSACleanup();
  });

  test("socket/bind/listen/connect/accept over loopback with 64-bit SOCKETs", () => {
    listener = ws.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert.equal(typeof listener, "bigint");
    assert.notEqual(listener, INVALID_SOCKET, `socket: WSA error ${ws.WSAGetLastError()}`);
    assert.equal(ws.bind(listener, loopback(0), 16), 0, "bind");
    assert.equal(ws.listen(listener, 4), 0, "listen");
    const name = new Uint8Array(new ArrayBuffer(16));
    const nameLen = new Uint8Array(new Uint32Array([16]).buffer);
    assert.equal(ws.getsockname(listener, name, nameLen), 0, "getsockname");
    const port = new DataView(name.buffer).getUint16(2, false);
    assert.ok(port > 0, "an ephemeral port was assigned");

    client = ws.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert.notEqual(client, INVALID_SOCKET);
    assert.equal(ws.connect(client, loopback(port), 16), 0, "connect");
    server = ws.accept(listener);
    assert.notEqual(server, INVALID_SOCKET, `accept: WSA error ${ws.WSAGetLastError()}`);
  });

  test("WSAIoctl(FIONREAD) reports 0, then the 5 bytes sent by the peer", async () => {
    const out = new Uint8Array(new ArrayBuffer(4)); // u_long
    const returned = new Uint8Array(new ArrayBuffer(4)); // DWORD
    out.fill(0xff);
    assert.equal(ws.WSAIoctl(server, FIONREAD, null, 0, out, 4, returned), 0);
    assert.equal(u32(out), 0, "nothing to read yet");
    assert.equal(u32(returned), 4, "cbBytesReturned = sizeof(u_long)");

    const hello = new TextEncoder().encode("hello");
    assert.equal(ws.send(client, hello, hello.length, 0), 5);
    let available = 0;
    for (let i = 0; i < 200 && available < 5; i++) {
      assert.equal(ws.WSAIoctl(server, FIONREAD, null, 0, out, 4, returned), 0);
      available = u32(out);
      if (available < 5) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(available, 5);

    const into = new Uint8Array(new ArrayBuffer(16));
    assert.equal(ws.recv(server, into, into.length, 0), 5);
    assert.deepEqual(into.subarray(0, 5), hello);
    assert.equal(ws.WSAIoctl(server, FIONREAD, null, 0, out, 4, returned), 0);
    assert.equal(u32(out), 0, "drained");
  });

  test("WSAIoctl with an unknown code fails with SOCKET_ERROR and WSAEOPNOTSUPP", () => {
    const out = new Uint8Array(new ArrayBuffer(64));
    const returned = new Uint8Array(new ArrayBuffer(4));
    const result = ws.WSAIoctl(server, UNKNOWN_IOCTL, null, 0, out, out.length, returned);
    const error = ws.WSAGetLastError();
    assert.deepEqual({ result, error }, { result: SOCKET_ERROR, error: WSAEOPNOTSUPP });
  });

  test("FIONREAD on a closed socket fails with WSAENOTSOCK", () => {
    const s = ws.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert.notEqual(s, INVALID_SOCKET);
    assert.equal(ws.closesocket(s), 0);
    const out = new Uint8Array(new ArrayBuffer(4));
    const returned = new Uint8Array(new ArrayBuffer(4));
    const result = ws.WSAIoctl(s, FIONREAD, null, 0, out, 4, returned);
    const error = ws.WSAGetLastError();
    assert.deepEqual({ result, error }, { result: SOCKET_ERROR, error: WSAENOTSOCK });
  });
});
