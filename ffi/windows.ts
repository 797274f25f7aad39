/**
 * The ws2_32.dll symbol table and the Windows {@link NativeApi}. `WSAStartup` runs once, when
 * the native layer is created (the first `nativeApi()` call). `WSAGetLastError` is read as the very next
 * statement after a failed call.
 *
 * @module
 */

import {
  SIO_BASE_HANDLE,
  SIO_BSP_HANDLE,
  SIO_BSP_HANDLE_POLL,
  SIO_BSP_HANDLE_SELECT,
  SIO_GET_EXTENSION_FUNCTION_POINTER,
} from "../codes/mod.ts";
import { WinsockError } from "../errors.ts";
import type { Loader, SymbolTable } from "./_types.ts";
import type { NativeApi, SocketOptionName } from "./native.ts";

/** ws2_32.dll: the socket calls, WSAIoctl, events and overlapped results. */
export const WS2_32 = {
  WSAStartup: { parameters: ["u16", "buffer"], result: "i32" }, // WORD wVersionRequested, LPWSADATA lpWSAData
  WSAGetLastError: { parameters: [], result: "i32" }, // void
  socket: { parameters: ["i32", "i32", "i32"], result: "u64" }, // int af, int type, int protocol → SOCKET
  closesocket: { parameters: ["u64"], result: "i32" }, // SOCKET s
  bind: { parameters: ["u64", "buffer", "i32"], result: "i32" }, // SOCKET s, const sockaddr* name, int namelen
  connect: { parameters: ["u64", "buffer", "i32"], result: "i32" }, // SOCKET s, const sockaddr* name, int namelen
  listen: { parameters: ["u64", "i32"], result: "i32" }, // SOCKET s, int backlog
  accept: { parameters: ["u64", "buffer", "buffer"], result: "u64" }, // SOCKET s, sockaddr* addr, int* addrlen
  send: { parameters: ["u64", "buffer", "i32", "i32"], result: "i32" }, // SOCKET s, const char* buf, int len, int flags
  recv: { parameters: ["u64", "buffer", "i32", "i32"], result: "i32" }, // SOCKET s, char* buf, int len, int flags
  sendto: {
    // SOCKET s, const char* buf, int len, int flags, const sockaddr* to, int tolen
    parameters: ["u64", "buffer", "i32", "i32", "buffer", "i32"],
    result: "i32",
  },
  recvfrom: {
    // SOCKET s, char* buf, int len, int flags, sockaddr* from, int* fromlen
    parameters: ["u64", "buffer", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  getsockname: { parameters: ["u64", "buffer", "buffer"], result: "i32" }, // SOCKET s, sockaddr* name, int* namelen
  getpeername: { parameters: ["u64", "buffer", "buffer"], result: "i32" }, // SOCKET s, sockaddr* name, int* namelen
  setsockopt: {
    // SOCKET s, int level, int optname, const char* optval, int optlen
    parameters: ["u64", "i32", "i32", "buffer", "i32"],
    result: "i32",
  },
  getsockopt: {
    // SOCKET s, int level, int optname, char* optval, int* optlen
    parameters: ["u64", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  WSAIoctl: {
    // SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,
    // DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
    // LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine
    parameters: ["u64", "u32", "buffer", "u32", "buffer", "u32", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  WSAGetOverlappedResult: {
    // SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait, LPDWORD lpdwFlags
    parameters: ["u64", "buffer", "buffer", "i32", "buffer"],
    result: "i32",
  },
  WSACreateEvent: { parameters: [], result: "u64" }, // void → WSAEVENT
  WSACloseEvent: { parameters: ["u64"], result: "i32" }, // WSAEVENT hEvent
  WSAEventSelect: { parameters: ["u64", "u64", "i32"], result: "i32" }, // SOCKET s, WSAEVENT hEventObject, long lNetworkEvents
  WSASetEvent: { parameters: ["u64"], result: "i32" }, // WSAEVENT hEvent
  WSAResetEvent: { parameters: ["u64"], result: "i32" }, // WSAEVENT hEvent
} as const satisfies SymbolTable;

/** The wait, bound apart so that Deno can run it on a worker thread (`nonblocking`). */
export const WS2_32_WAIT = {
  WSAWaitForMultipleEvents: {
    // DWORD cEvents, const WSAEVENT* lphEvents, BOOL fWaitAll, DWORD dwTimeout, BOOL fAlertable
    parameters: ["u32", "buffer", "i32", "u32", "i32"],
    result: "u32",
    nonblocking: true,
  },
} as const satisfies SymbolTable;

/** ntdll.dll: the NTSTATUS → Win32 error translation. */
export const NTDLL = {
  RtlNtStatusToDosError: { parameters: ["u32"], result: "u32" }, // NTSTATUS Status → ULONG
} as const satisfies SymbolTable;

/** ntdll.dll: present only under Wine, which is how the native layer tells Wine from Windows. */
export const NTDLL_WINE = {
  wine_get_version: { parameters: [], result: "usize", optional: true }, // void → const char*
} as const satisfies SymbolTable;

/** kernel32.dll: cancelling one overlapped operation. */
export const KERNEL32 = {
  CancelIoEx: { parameters: ["u64", "buffer"], result: "i32" }, // HANDLE hFile, LPOVERLAPPED lpOverlapped
} as const satisfies SymbolTable;

interface Ws2 {
  WSAStartup(version: number, data: Uint8Array): number;
  WSAGetLastError(): number;
  socket(af: number, type: number, protocol: number): bigint;
  closesocket(s: bigint): number;
  bind(s: bigint, addr: Uint8Array, len: number): number;
  connect(s: bigint, addr: Uint8Array, len: number): number;
  listen(s: bigint, backlog: number): number;
  accept(s: bigint, addr: Uint8Array, len: Int32Array): bigint;
  send(s: bigint, buf: Uint8Array, len: number, flags: number): number;
  recv(s: bigint, buf: Uint8Array, len: number, flags: number): number;
  sendto(
    s: bigint,
    buf: Uint8Array,
    len: number,
    flags: number,
    to: Uint8Array,
    tolen: number,
  ): number;
  recvfrom(
    s: bigint,
    buf: Uint8Array,
    len: number,
    flags: number,
    from: Uint8Array,
    fromlen: Int32Array,
  ): number;
  getsockname(s: bigint, addr: Uint8Array, len: Int32Array): number;
  getpeername(s: bigint, addr: Uint8Array, len: Int32Array): number;
  setsockopt(s: bigint, level: number, name: number, val: Uint8Array, len: number): number;
  getsockopt(s: bigint, level: number, name: number, val: Uint8Array, len: Int32Array): number;
  WSAIoctl(
    s: bigint,
    code: number,
    input: Uint8Array | null,
    inputLength: number,
    output: Uint8Array | null,
    outputLength: number,
    bytesReturned: Uint32Array,
    overlapped: Uint8Array | null,
    completion: null,
  ): number;
  WSAGetOverlappedResult(
    s: bigint,
    overlapped: Uint8Array,
    transferred: Uint32Array,
    wait: number,
    flags: Uint32Array,
  ): number;
  WSACreateEvent(): bigint;
  WSACloseEvent(event: bigint): number;
  WSAEventSelect(s: bigint, event: bigint, mask: number): number;
  WSASetEvent(event: bigint): number;
  WSAResetEvent(event: bigint): number;
}

const STATUS_PENDING = 0x103;
/**
 * NTSTATUS values an overlapped socket operation ends with, and the WSA code Winsock reports for
 * each (as WSAGetOverlappedResult does). Others: a WSA code passed through as is, else
 * RtlNtStatusToDosError's Win32 code.
 */
const NTSTATUS_WSA = new Map<number, number>([
  [0x00000102, 10060], // STATUS_TIMEOUT → WSAETIMEDOUT
  [0x80000005, 10040], // STATUS_BUFFER_OVERFLOW → WSAEMSGSIZE
  [0xc0000002, 10045], // STATUS_NOT_IMPLEMENTED → WSAEOPNOTSUPP
  [0xc0000005, 10014], // STATUS_ACCESS_VIOLATION → WSAEFAULT
  [0xc0000008, 10038], // STATUS_INVALID_HANDLE → WSAENOTSOCK
  [0xc000000d, 10022], // STATUS_INVALID_PARAMETER → WSAEINVAL
  [0xc0000017, 10055], // STATUS_NO_MEMORY → WSAENOBUFS
  [0xc0000022, 10013], // STATUS_ACCESS_DENIED → WSAEACCES
  [0xc0000023, 10014], // STATUS_BUFFER_TOO_SMALL → WSAEFAULT
  [0xc0000024, 10038], // STATUS_OBJECT_TYPE_MISMATCH → WSAENOTSOCK
  [0xc00000b0, 10058], // STATUS_PIPE_DISCONNECTED → WSAESHUTDOWN
  [0xc00000b5, 10060], // STATUS_IO_TIMEOUT → WSAETIMEDOUT
  [0xc00000bb, 10045], // STATUS_NOT_SUPPORTED → WSAEOPNOTSUPP
  [0xc0000120, 995], // STATUS_CANCELLED → WSA_OPERATION_ABORTED
  [0xc000013b, 10053], // STATUS_LOCAL_DISCONNECT → WSAECONNABORTED
  [0xc000013c, 10054], // STATUS_REMOTE_DISCONNECT → WSAECONNRESET
  [0xc000020c, 10057], // STATUS_CONNECTION_DISCONNECTED → WSAENOTCONN
  [0xc000020d, 10054], // STATUS_CONNECTION_RESET → WSAECONNRESET
  [0xc0000236, 10061], // STATUS_CONNECTION_REFUSED → WSAECONNREFUSED
  [0xc000023c, 10051], // STATUS_NETWORK_UNREACHABLE → WSAENETUNREACH
  [0xc0000241, 10053], // STATUS_CONNECTION_ABORTED → WSAECONNABORTED
]);

type Wait = (
  count: number,
  events: BigUint64Array,
  waitAll: number,
  timeoutMs: number,
  alertable: number,
) => Promise<number> | number;

const OPTIONS: Record<SocketOptionName, readonly [number, number, "int" | "bool" | "linger"]> = {
  reuseAddress: [0xffff, 0x4, "bool"], // SOL_SOCKET, SO_REUSEADDR
  keepAlive: [0xffff, 0x8, "bool"], // SO_KEEPALIVE
  broadcast: [0xffff, 0x20, "bool"], // SO_BROADCAST
  linger: [0xffff, 0x80, "linger"], // SO_LINGER
  oobInline: [0xffff, 0x100, "bool"], // SO_OOBINLINE
  sendBuffer: [0xffff, 0x1001, "int"], // SO_SNDBUF
  receiveBuffer: [0xffff, 0x1002, "int"], // SO_RCVBUF
  sendTimeout: [0xffff, 0x1005, "int"], // SO_SNDTIMEO (DWORD milliseconds)
  receiveTimeout: [0xffff, 0x1006, "int"], // SO_RCVTIMEO (DWORD milliseconds)
  error: [0xffff, 0x1007, "int"], // SO_ERROR
  type: [0xffff, 0x1008, "int"], // SO_TYPE
  noDelay: [6, 1, "bool"], // IPPROTO_TCP, TCP_NODELAY
  v6Only: [41, 27, "bool"], // IPPROTO_IPV6, IPV6_V6ONLY
};

/**
 * Codes that Wine's ws2_32 runs without checking their buffers (it reads a GUID from, or writes a
 * pointer-sized value to, whatever it is given; a NULL or short buffer crashes the process or is
 * written past). Windows itself answers WSAEFAULT for these sizes; the native layer answers it before the
 * call, everywhere: [minimum input bytes, minimum output bytes].
 */
const MIN_SIZES = new Map<number, readonly [number, number]>([
  [SIO_GET_EXTENSION_FUNCTION_POINTER, [16, 8]], // GUID in, function pointer out
  [SIO_BASE_HANDLE, [0, 8]], // SOCKET out
  [SIO_BSP_HANDLE, [0, 8]],
  [SIO_BSP_HANDLE_SELECT, [0, 8]],
  [SIO_BSP_HANDLE_POLL, [0, 8]],
]);
const WSAEFAULT = 10014;

function tooSmall(
  code: number,
  input: Uint8Array | null,
  inLength: number,
  output: Uint8Array | null,
  outLength: number,
): boolean {
  const min = MIN_SIZES.get(code);
  if (min === undefined) return false;
  return (min[0] > 0 && (input === null || inLength < min[0])) ||
    (min[1] > 0 && (output === null || outLength < min[1]));
}

/** Windows send/recv lengths are a C `int`: longer views are clamped (a partial transfer). */
const INT_MAX = 0x7fffffff;
const clampInt = (n: number): number => (n > INT_MAX ? INT_MAX : n);

const INVALID_SOCKET = 0xffffffffffffffffn;
const OVERLAPPED_BYTES = 32;
const WSA_WAIT_EVENT_0 = 0;
const WSA_WAIT_TIMEOUT = 0x102;
const WSAEINVAL = 10022;
const WSA_INVALID_HANDLE = 6;

/**
 * Builds the Windows native layer on an adapter: opens ws2_32.dll and runs `WSAStartup(2.2)`.
 *
 * @param loader The runtime adapter.
 * @returns The native layer.
 * @throws {Error} when WSAStartup fails.
 */
export function createWindowsApi(loader: Loader): NativeApi {
  const ws = loader.open(["ws2_32.dll"], WS2_32) as unknown as Ws2;
  const wait = loader.open(["ws2_32.dll"], WS2_32_WAIT).WSAWaitForMultipleEvents as unknown as Wait;
  const kernel32 = loader.open(["kernel32.dll"], KERNEL32) as unknown as {
    CancelIoEx(h: bigint, overlapped: Uint8Array): number;
  };
  const ntdll = loader.open(["ntdll.dll"], NTDLL) as unknown as {
    RtlNtStatusToDosError(status: number): number;
  };
  let wine = false;
  try {
    wine = typeof loader.open(["ntdll.dll"], NTDLL_WINE).wine_get_version === "function";
  } catch {
    // no ntdll to ask: not Wine
  }
  const wsaData = new Uint8Array(512); // WSADATA is 408 bytes on x64
  const started = ws.WSAStartup(0x0202, wsaData);
  if (started !== 0) throw new Error(`wsioctl: WSAStartup failed with ${started}`);

  let last = 0;
  const recordError = (): -1 => {
    last = ws.WSAGetLastError();
    return -1;
  };
  const bytesReturned = new Uint32Array(1);
  const flags = new Uint32Array(1);
  const optBuf = new Uint8Array(8);
  const optView = new DataView(optBuf.buffer);
  const optLength = new Int32Array(1);

  /** WSAIoctl with the buffer-size guard; returns bytes returned, or -1 with `last` set. */
  const callIoctl = (
    s: bigint,
    code: number,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
    overlapped: Uint8Array | null,
  ): number => {
    if (tooSmall(code, input, inLength, output, outLength)) {
      last = WSAEFAULT;
      return -1;
    }
    bytesReturned[0] = 0;
    const r = ws.WSAIoctl(
      s,
      code,
      input,
      input === null ? 0 : inLength,
      output,
      output === null ? 0 : outLength,
      bytesReturned,
      overlapped,
      null,
    );
    return r === 0 ? bytesReturned[0] : recordError();
  };

  const port: NativeApi = {
    runtime: loader.runtime,
    os: "windows",
    wine,
    maxHandle: INVALID_SOCKET - 1n,
    lastError: () => last,
    socket(af, type, protocol) {
      const s = ws.socket(af, type, protocol);
      if (s === INVALID_SOCKET) {
        last = ws.WSAGetLastError();
        return -1n;
      }
      return s;
    },
    close(s) {
      return ws.closesocket(s) === 0 ? 0 : recordError();
    },
    bind(s, addr) {
      return ws.bind(s, addr, addr.byteLength) === 0 ? 0 : recordError();
    },
    connect(s, addr) {
      return ws.connect(s, addr, addr.byteLength) === 0 ? 0 : recordError();
    },
    listen(s, backlog) {
      return ws.listen(s, backlog) === 0 ? 0 : recordError();
    },
    accept(s, addr, length) {
      length[0] = addr.byteLength;
      const h = ws.accept(s, addr, length);
      if (h === INVALID_SOCKET) {
        last = ws.WSAGetLastError();
        return -1n;
      }
      return h;
    },
    send(s, data, length, flagBits) {
      const r = ws.send(s, data, clampInt(length), flagBits);
      return r >= 0 ? r : recordError();
    },
    recv(s, into, length, flagBits) {
      const r = ws.recv(s, into, clampInt(length), flagBits);
      return r >= 0 ? r : recordError();
    },
    sendTo(s, data, length, flagBits, addr) {
      const r = ws.sendto(s, data, clampInt(length), flagBits, addr, addr.byteLength);
      return r >= 0 ? r : recordError();
    },
    recvFrom(s, into, intoLength, flagBits, addr, length) {
      length[0] = addr.byteLength;
      const r = ws.recvfrom(s, into, clampInt(intoLength), flagBits, addr, length);
      return r >= 0 ? r : recordError();
    },
    localName(s, addr, length) {
      length[0] = addr.byteLength;
      return ws.getsockname(s, addr, length) === 0 ? 0 : recordError();
    },
    peerName(s, addr, length) {
      length[0] = addr.byteLength;
      return ws.getpeername(s, addr, length) === 0 ? 0 : recordError();
    },
    setOption(s, name, value) {
      const [level, opt, kind] = OPTIONS[name];
      if (name === "error") {
        last = WSAEINVAL;
        return -1;
      }
      if (kind === "linger") {
        optView.setUint16(0, value < 0 ? 0 : 1, true); // u_short l_onoff
        optView.setUint16(2, value < 0 ? 0 : value, true); // u_short l_linger
      } else {
        optView.setInt32(0, kind === "bool" ? (value ? 1 : 0) : value, true);
      }
      return ws.setsockopt(s, level, opt, optBuf, 4) === 0 ? 0 : recordError();
    },
    getOption(s, name, out) {
      const [level, opt, kind] = OPTIONS[name];
      optView.setBigUint64(0, 0n);
      optLength[0] = 4;
      if (ws.getsockopt(s, level, opt, optBuf, optLength) !== 0) return recordError();
      if (kind === "linger") {
        out[0] = optView.getUint16(0, true) === 0 ? -1 : optView.getUint16(2, true);
      } else if (kind === "bool") {
        // Some BOOL options answer in one byte.
        out[0] = (optLength[0] === 1 ? optBuf[0] : optView.getInt32(0, true)) !== 0 ? 1 : 0;
      } else {
        out[0] = optView.getInt32(0, true);
      }
      return 0;
    },
    wsaIoctl(s, code, input, inLength, output, outLength) {
      return callIoctl(s, code, input, inLength, output, outLength, null);
    },
    bufferAddress: (view) => loader.address(view),
    wsaIoctlOverlapped(s, code, input, inLength, output, outLength, overlapped, event) {
      overlapped.fill(0);
      const ov = new DataView(overlapped.buffer, overlapped.byteOffset, overlapped.byteLength);
      // 0x00 ULONG_PTR Internal = STATUS_PENDING, as kernel32 does before overlapped I/O: Wine
      // leaves it untouched while the operation is pending, and WSAGetOverlappedResult reads it.
      ov.setBigUint64(0, 0x103n, true);
      ov.setBigUint64(24, event, true); // 0x18 HANDLE hEvent
      // Completed at once: lpcbBytesReturned is the count (Wine leaves InternalHigh at 0).
      return callIoctl(s, code, input, inLength, output, outLength, overlapped);
    },
    overlappedResult(s, overlapped) {
      bytesReturned[0] = 0;
      const ok = ws.WSAGetOverlappedResult(s, overlapped, bytesReturned, 0, flags);
      return ok !== 0 ? bytesReturned[0] : recordError();
    },
    overlappedStatus(overlapped) {
      const ov = new DataView(overlapped.buffer, overlapped.byteOffset, OVERLAPPED_BYTES);
      // 0x00 ULONG_PTR Internal: the NTSTATUS (its low 32 bits); 0x08 InternalHigh: the bytes.
      // Windows writes the count before it publishes the final status.
      const status = ov.getUint32(0, true);
      if (status === 0) return Number(ov.getBigUint64(8, true));
      if (status === STATUS_PENDING) {
        last = 997; // WSA_IO_PENDING
      } else {
        last = NTSTATUS_WSA.get(status) ??
          (status >= 10000 && status <= 11999 ? status : ntdll.RtlNtStatusToDosError(status));
      }
      return -1;
    },
    cancelIo(s, overlapped) {
      return kernel32.CancelIoEx(s, overlapped) !== 0 ? 0 : recordError();
    },
    createEvent() {
      const e = ws.WSACreateEvent();
      if (e === 0n) {
        last = ws.WSAGetLastError();
        return -1n;
      }
      return e;
    },
    closeEvent(event) {
      return ws.WSACloseEvent(event) !== 0 ? 0 : recordError();
    },
    setEvent(event) {
      return ws.WSASetEvent(event) !== 0 ? 0 : recordError();
    },
    resetEvent(event) {
      return ws.WSAResetEvent(event) !== 0 ? 0 : recordError();
    },
    eventSelect(s, event, mask) {
      return ws.WSAEventSelect(s, event, mask) === 0 ? 0 : recordError();
    },
    async waitEvent(event, timeoutMs, signal) {
      const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
      // Bun has no worker-thread calls: poll with a zero timeout and yield between polls.
      const poll = loader.runtime === "bun";
      for (;;) {
        signal?.throwIfAborted();
        const left = deadline - Date.now();
        const slice = poll ? 0 : Math.max(0, Math.min(left, 100));
        const list = new BigUint64Array(1); // per wait: a worker thread may still read it
        list[0] = event;
        const r = await wait(1, list, 0, slice, 0);
        if (r === WSA_WAIT_EVENT_0) return true;
        if (r !== WSA_WAIT_TIMEOUT) {
          // WSA_WAIT_FAILED: the error lives on the worker thread; an invalid event is the cause
          // this port can produce.
          last = r === 0xffffffff ? WSA_INVALID_HANDLE : WSAEINVAL;
          throw new WinsockError(last, { call: "WSAWaitForMultipleEvents" });
        }
        if (Date.now() >= deadline) return false;
        if (poll) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
  return port;
}
