/**
 * Internal: the Windows symbol tables (ws2_32.dll, ntdll.dll, kernel32.dll) and the numbers the
 * Windows implementation (`windows.ts`) speaks: socket option levels and names, the wait results,
 * and the NTSTATUS → WSA translation of overlapped results. Data only: the calls built on them live
 * in `windows.ts`. Numbers: winsock2.h, ws2def.h, ws2ipdef.h, ntstatus.h (Windows SDK).
 *
 * @module
 */

import type { NativeSymbol, SymbolTable } from "./_types.ts";
import type { SocketOptionName } from "./native.ts";

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

/** `MAKEWORD(2, 2)`: the Winsock version asked of `WSAStartup`. */
export const WINSOCK_VERSION = 0x0202;
/** Bytes reserved for a `WSADATA` (408 on x64). */
export const WSADATA_BYTES = 512;
/** `INVALID_SOCKET`: `(SOCKET)~0`, what `socket` and `accept` return on failure. */
export const INVALID_SOCKET = 0xffffffffffffffffn;
/** `WSA_WAIT_EVENT_0`: `WSAWaitForMultipleEvents` saw the first event signaled. */
export const WSA_WAIT_EVENT_0 = 0;
/** `WSA_WAIT_TIMEOUT`: `WSAWaitForMultipleEvents` timed out. */
export const WSA_WAIT_TIMEOUT = 0x102;
/** `WSA_WAIT_FAILED`: `WSAWaitForMultipleEvents` failed. */
export const WSA_WAIT_FAILED = 0xffffffff;
/** `STATUS_PENDING`: an overlapped operation's `Internal` while it is under way. */
export const STATUS_PENDING = 0x103;

/** How a socket option's value is encoded: a C `int`, a `BOOL`, or a `LINGER` (two u_shorts). */
export type WindowsOptionKind = "int" | "bool" | "linger";

/** The socket options by name: [level, option name, encoding]. */
export const WINDOWS_OPTIONS: Readonly<
  Record<SocketOptionName, readonly [number, number, WindowsOptionKind]>
> = {
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
  keepAliveIdle: [6, 3, "int"], // IPPROTO_TCP, TCP_KEEPALIVE = TCP_KEEPIDLE (seconds; ws2ipdef.h)
  keepAliveInterval: [6, 17, "int"], // IPPROTO_TCP, TCP_KEEPINTVL (seconds)
  keepAliveCount: [6, 16, "int"], // IPPROTO_TCP, TCP_KEEPCNT (probes; ws2ipdef.h)
  v6Only: [41, 27, "bool"], // IPPROTO_IPV6, IPV6_V6ONLY
};

/**
 * NTSTATUS values an overlapped socket operation ends with, and the WSA code Winsock reports for
 * each (as WSAGetOverlappedResult does). Others: a WSA code passed through as is, else
 * RtlNtStatusToDosError's Win32 code.
 */
export const NTSTATUS_WSA: ReadonlyMap<number, number> = new Map<number, number>([
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

/**
 * ntdll.dll: object-manager queries about a handle (its object's type name, its granted access),
 * for the handle scan of `_windows_handles.ts`.
 */
export const NTDLL_OBJECTS = {
  NtQueryObject: {
    // HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass, PVOID ObjectInformation,
    // ULONG ObjectInformationLength, PULONG ReturnLength → NTSTATUS
    parameters: ["u64", "u32", "buffer", "u32", "buffer"],
    result: "u32",
  },
} as const satisfies SymbolTable;

/** kernel32.dll: how many handles the process has, and which are its standard handles. */
export const KERNEL32_HANDLES = {
  GetProcessHandleCount: { parameters: ["u64", "buffer"], result: "i32" }, // HANDLE hProcess, PDWORD pdwHandleCount
  GetStdHandle: { parameters: ["u32"], result: "u64" }, // DWORD nStdHandle → HANDLE
} as const satisfies SymbolTable;

/** kernel32.dll: the clock Winsock's software timestamps are read from. */
export const KERNEL32_CLOCK = {
  QueryPerformanceCounter: { parameters: ["buffer"], result: "i32" }, // LARGE_INTEGER* lpPerformanceCount
  QueryPerformanceFrequency: { parameters: ["buffer"], result: "i32" }, // LARGE_INTEGER* lpFrequency
} as const satisfies SymbolTable;

/**
 * `LPFN_WSASENDMSG` (mswsock.h), bound from the pointer SIO_GET_EXTENSION_FUNCTION_POINTER gives
 * for WSAID_WSASENDMSG.
 */
export const WSASENDMSG = {
  // SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED
  // lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine
  parameters: ["u64", "buffer", "u32", "buffer", "buffer", "buffer"],
  result: "i32",
} as const satisfies NativeSymbol;

/**
 * ws2_32.dll's own `WSASendMsg` (exported since Windows Vista; Wine exports it too), bound by name
 * where the loader cannot call a function pointer (`node:ffi`): the same call as the extension
 * pointer's. `WSARecvMsg` has no such export.
 */
export const WS2_32_SENDMSG = {
  WSASendMsg: WSASENDMSG,
} as const satisfies SymbolTable;

/**
 * `LPFN_WSARECVMSG` (mswsock.h), bound from the pointer SIO_GET_EXTENSION_FUNCTION_POINTER gives
 * for WSAID_WSARECVMSG.
 */
export const WSARECVMSG = {
  // SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd, LPWSAOVERLAPPED lpOverlapped,
  // LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine
  parameters: ["u64", "buffer", "buffer", "buffer", "buffer"],
  result: "i32",
} as const satisfies NativeSymbol;

/**
 * `WSAMSG` on 64-bit Windows (ws2def.h): byte offsets of its members and its size.
 * `WSABUF` is `{ ULONG len; CHAR* buf; }`: 16 bytes, `buf` at 8.
 */
export const WSAMSG = {
  /** LPSOCKADDR name. */
  name: 0,
  /** INT namelen. */
  namelen: 8,
  /** LPWSABUF lpBuffers. */
  buffers: 16,
  /** ULONG dwBufferCount. */
  bufferCount: 24,
  /** WSABUF Control: ULONG len. */
  controlLen: 32,
  /** WSABUF Control: CHAR* buf. */
  controlBuf: 40,
  /** ULONG dwFlags. */
  flags: 48,
  /** sizeof(WSAMSG). */
  size: 56,
  /** sizeof(WSABUF). */
  wsabufSize: 16,
} as const;

/**
 * The `WSA_CMSG_*` macros (ws2def.h) on 64-bit Windows: a `WSACMSGHDR` is `{ SIZE_T cmsg_len;
 * INT cmsg_level; INT cmsg_type; }` (16 bytes, 8-aligned); `WSA_CMSG_DATA` is 16 bytes in
 * (`WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR))`, MAX_NATURAL_ALIGNMENT 8);
 * `WSA_CMSG_LEN(n)` = 16 + n; `WSA_CMSG_SPACE(n)` = 16 + `WSA_CMSGHDR_ALIGN(n)`; the next header
 * starts `WSA_CMSGHDR_ALIGN(cmsg_len)` after one.
 */
export const WSA_CMSG = {
  /** sizeof(WSACMSGHDR), and WSA_CMSG_DATA's offset. */
  header: 16,
  /** TYPE_ALIGNMENT(WSACMSGHDR): where each header starts. */
  align: 8,
  /** SIZE_T cmsg_len. */
  len: 0,
  /** INT cmsg_level. */
  level: 8,
  /** INT cmsg_type. */
  type: 12,
} as const;

/** `SOL_SOCKET` (winsock2.h). */
export const SOL_SOCKET = 0xffff;
/** `SO_TIMESTAMP` (ws2def.h): the UINT64 RX timestamp control message. */
export const SO_TIMESTAMP = 0x300a;
/** `SO_TIMESTAMP_ID` (ws2def.h): the UINT32 timestamp id control message of a send. */
export const SO_TIMESTAMP_ID = 0x300b;
