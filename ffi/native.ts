/**
 * The contract of the native layer: {@link NativeApi}, the one interface the layers above the FFI
 * see (obtained with `nativeApi()` from `select.ts`), and the few constants it speaks in.
 * Implemented twice, by `windows.ts` (over the ws2_32 tables of `ws2_32.ts`) and `posix.ts` (over
 * the libc tables of `libc.ts`), each over one of the three runtime loaders (`deno.ts`, `bun.ts`,
 * `node.ts`, which open the tables described in `_types.ts`); `select.ts` picks the pair. This
 * file imports no implementation and no loader (only `structs/address.ts`, for the families).
 *
 * Conventions shared by every method:
 * - socket handles are `bigint` (a Windows `SOCKET`, or a POSIX file descriptor);
 * - socket addresses in and out are in the **Windows** layout (`AF_INET` 2, `AF_INET6` 23, as
 *   written by `structs/address.ts`); the POSIX layer converts them;
 * - buffer lengths are explicit parameters, read by the caller through the engine's intrinsic
 *   accessors (`_validate.ts`): the native layer never asks a view for its length, and a pointer it is
 *   given covers at least that many bytes;
 * - a failed call returns `-1` (or `-1n`) and {@link NativeApi.lastError} then returns the
 *   Windows Sockets error code, captured as the very next statement after the failing call
 *   (errno is translated on POSIX, to the code Winsock gives in the same situation; an errno
 *   without a Winsock meaning stays recognisable as one: `UNMAPPED_ERRNO_BASE` + errno).
 *
 * @module
 */

/**
 * The socket options the native layer knows by name, with the same meaning on every platform.
 * `keepAliveIdle`, `keepAliveInterval` (IPPROTO_TCP TCP_KEEPIDLE — TCP_KEEPALIVE on macOS —
 * and TCP_KEEPINTVL, seconds; Windows 10 1709 and later) and `keepAliveCount` (TCP_KEEPCNT, the
 * probes sent before the connection is dropped; Windows 10 1703 and later): the first two are what
 * SIO_KEEPALIVE_VALS sets; `Socket` names `keepAliveIdle` `keepAliveTime`.
 */
export type SocketOptionName =
  | "reuseAddress"
  | "keepAlive"
  | "keepAliveIdle"
  | "keepAliveInterval"
  | "keepAliveCount"
  | "broadcast"
  | "oobInline"
  | "linger"
  | "sendBuffer"
  | "receiveBuffer"
  | "sendTimeout"
  | "receiveTimeout"
  | "error"
  | "type"
  | "noDelay"
  | "v6Only";

/**
 * The address families the contract speaks, as Windows numbers them (`AF_INET` 2, `AF_INET6` 23):
 * defined once, by the sockaddr views in `structs/`; the POSIX implementation translates them.
 */
export { AF_INET, AF_INET6 } from "../structs/address.ts";

/**
 * `MSG_OOB`, a flag of {@link NativeApi.send} and {@link NativeApi.recv}: out-of-band (urgent)
 * data. The contract's flag values are Windows' (winsock2.h); Linux and the BSDs use the same
 * numbers for these three, so the POSIX implementation passes them on as they are.
 */
export const MSG_OOB = 1;
/** `MSG_PEEK`, a flag of {@link NativeApi.recv}: read without removing the data from the queue. */
export const MSG_PEEK = 2;
/** `MSG_DONTROUTE`, a flag of {@link NativeApi.send}: bypass routing (direct interface). */
export const MSG_DONTROUTE = 4;

/** The native socket layer of the current runtime and platform. */
export interface NativeApi {
  /** The JavaScript runtime: `"deno"`, `"bun"` or `"node"`. */
  readonly runtime: "deno" | "bun" | "node";
  /** The operating system: `"windows"`, `"linux"`, `"darwin"`, …. */
  readonly os: string;
  /** `true` when "windows" is Wine (its ntdll exports `wine_get_version`). */
  readonly wine: boolean;
  /**
   * The largest handle value the platform represents: 2^64-2 on Windows (a `SOCKET`; 2^64-1 is
   * `INVALID_SOCKET`), 2^31-1 on POSIX (an `int` file descriptor). Larger values are refused
   * before any native call, never truncated: socket.ts throws RangeError, and a native method given
   * one anyway fails with WSAENOTSOCK.
   */
  readonly maxHandle: bigint;
  /**
   * The WSA error code of the most recent failed call of this layer. On POSIX an errno without a
   * Winsock meaning is `UNMAPPED_ERRNO_BASE` (errors.ts) + errno, never a WSA code.
   *
   * @returns The error code, e.g. 10035 for `WSAEWOULDBLOCK`.
   */
  lastError(): number;
  /**
   * The byte count the most recent failure left in `WSAIoctl`'s `*lpcbBytesReturned`: read like
   * {@link NativeApi.lastError}, right after a {@link NativeApi.wsaIoctl} returned -1. It is how
   * an output too small for the answer reports the size it needs: SIO_ADDRESS_LIST_QUERY and
   * SIO_ROUTING_INTERFACE_QUERY failing with WSAEFAULT (10014) put that size there, as the
   * reference documents and the POSIX layer does (Wine 10 reports it for SIO_ADDRESS_LIST_QUERY
   * only); so does the POSIX layer's SIO_GET_INTERFACE_LIST_EX, which Windows does not implement.
   * Any other failure leaves 0 (SIO_GET_INTERFACE_LIST too, as Windows does: a caller grows its
   * buffer and asks again).
   *
   * @returns The bytes returned by the failed call; 0 when it reported none.
   */
  lastBytesReturned(): number;
  /**
   * `socket(af, type, protocol)`.
   *
   * @param af `AF_INET` (2) or `AF_INET6` (23).
   * @param type 1 stream, 2 datagram, 3 raw.
   * @param protocol The protocol number, 0 for the default.
   * @returns The new handle, or `-1n`.
   */
  socket(af: number, type: number, protocol: number): bigint;
  /**
   * Closes a handle (`closesocket` / `close`).
   *
   * @param s The handle.
   * @returns 0 or -1.
   */
  close(s: bigint): number;
  /**
   * `bind`.
   *
   * @param s The handle.
   * @param addr A Windows-layout sockaddr, exactly as long as the address.
   * @returns 0 or -1.
   */
  bind(s: bigint, addr: Uint8Array): number;
  /**
   * `connect` (blocking unless the socket is nonblocking).
   *
   * @param s The handle.
   * @param addr A Windows-layout sockaddr, exactly as long as the address.
   * @returns 0 or -1.
   */
  connect(s: bigint, addr: Uint8Array): number;
  /**
   * `listen`.
   *
   * @param s The handle.
   * @param backlog The backlog.
   * @returns 0 or -1.
   */
  listen(s: bigint, backlog: number): number;
  /**
   * `accept`.
   *
   * @param s The listening handle.
   * @param addr Receives the peer's Windows-layout sockaddr (at least 28 bytes).
   * @param length In: unused; out: `length[0]` = bytes of `addr` filled.
   * @returns The accepted handle, or `-1n`.
   */
  accept(s: bigint, addr: Uint8Array, length: Int32Array): bigint;
  /**
   * `send`.
   *
   * @param s The handle.
   * @param data The bytes to send.
   * @param length How many bytes of `data` to send (Windows clamps to 2^31-1, its `int`).
   * @param flags {@link MSG_OOB} (1), {@link MSG_DONTROUTE} (4).
   * @returns Bytes sent, or -1.
   */
  send(s: bigint, data: Uint8Array, length: number, flags: number): number;
  /**
   * `recv`.
   *
   * @param s The handle.
   * @param into Receives the bytes.
   * @param length How many bytes `into` holds (Windows clamps to 2^31-1, its `int`).
   * @param flags {@link MSG_OOB} (1), {@link MSG_PEEK} (2).
   * @returns Bytes received (0 at end of stream), or -1.
   */
  recv(s: bigint, into: Uint8Array, length: number, flags: number): number;
  /**
   * `sendto`.
   *
   * @param s The handle.
   * @param data The bytes to send.
   * @param length How many bytes of `data` to send (clamped as for {@link NativeApi.send}).
   * @param flags Flags as for {@link NativeApi.send}.
   * @param addr The destination, a Windows-layout sockaddr exactly as long as the address.
   * @returns Bytes sent, or -1.
   */
  sendTo(s: bigint, data: Uint8Array, length: number, flags: number, addr: Uint8Array): number;
  /**
   * `recvfrom`.
   *
   * @param s The handle.
   * @param into Receives the bytes.
   * @param intoLength How many bytes `into` holds (clamped as for {@link NativeApi.recv}).
   * @param flags Flags as for {@link NativeApi.recv}.
   * @param addr Receives the sender's Windows-layout sockaddr (at least 28 bytes).
   * @param length Out: `length[0]` = bytes of `addr` filled (0 when the call gave no address).
   * @returns Bytes received, or -1.
   */
  recvFrom(
    s: bigint,
    into: Uint8Array,
    intoLength: number,
    flags: number,
    addr: Uint8Array,
    length: Int32Array,
  ): number;
  /**
   * `getsockname`.
   *
   * @param s The handle.
   * @param addr Receives a Windows-layout sockaddr (at least 28 bytes).
   * @param length Out: `length[0]` = bytes filled.
   * @returns 0 or -1.
   */
  localName(s: bigint, addr: Uint8Array, length: Int32Array): number;
  /**
   * `getpeername`.
   *
   * @param s The handle.
   * @param addr Receives a Windows-layout sockaddr (at least 28 bytes).
   * @param length Out: `length[0]` = bytes filled.
   * @returns 0 or -1.
   */
  peerName(s: bigint, addr: Uint8Array, length: Int32Array): number;
  /**
   * Sets a socket option by name. Booleans are 0/1, timeouts in milliseconds, `linger` in
   * seconds with -1 for off.
   *
   * @param s The handle.
   * @param name The option.
   * @param value The value.
   * @returns 0 or -1.
   */
  setOption(s: bigint, name: SocketOptionName, value: number): number;
  /**
   * Reads a socket option by name, encoded as for {@link NativeApi.setOption} (`error` as a
   * WSA code).
   *
   * @param s The handle.
   * @param name The option.
   * @param out Receives the value in `out[0]`.
   * @returns 0 or -1.
   */
  getOption(s: bigint, name: SocketOptionName, out: Float64Array): number;
  /**
   * `WSAIoctl` without overlapped I/O. On POSIX a few codes are translated, with Winsock's
   * semantics (`_posix_ioctl.ts`): the Unix-compatible FIONBIO, FIONREAD and SIOCATMARK,
   * SIO_KEEPALIVE_VALS (socket options), SIO_UDP_CONNRESET / SIO_UDP_NETRESET set to FALSE
   * (already the POSIX behaviour), and the interface queries SIO_GET_INTERFACE_LIST,
   * SIO_GET_INTERFACE_LIST_EX, SIO_ADDRESS_LIST_QUERY and SIO_ROUTING_INTERFACE_QUERY
   * (`_posix_ifaddrs.ts`: `getifaddrs`, and a connected UDP socket for the route), whose outputs
   * are written in the Windows layout, `SOCKET_ADDRESS.lpSockaddr` pointers being
   * {@link NativeApi.bufferAddress} of `output` plus an offset inside it, and the portable set
   * (`_posix_portable.ts`: SIO_MULTICAST_SCOPE, SIO_MULTIPOINT_LOOPBACK,
   * SIO_GET_BROADCAST_ADDRESS, SIO_BASE_HANDLE and the SIO_BSP_HANDLE codes, and where the
   * system has SO_INCOMING_CPU SIO_QUERY_RSS_PROCESSOR_INFO and SIO_CPU_AFFINITY). A
   * descriptor that is not a socket fails with WSAENOTSOCK before anything is done to it. Any
   * other code, SIO_UDP_CONNRESET / SIO_UDP_NETRESET set to TRUE, the three Unix-compatible codes
   * on a CPU whose request numbers are not verified, and the interface queries on a CPU whose
   * `struct ifaddrs` layout is not verified throw `UnsupportedError` before any native call.
   * When the output is too small, {@link NativeApi.lastBytesReturned} says what the answer needs
   * (for the codes it names).
   *
   * @param s The handle.
   * @param code The control code.
   * @param input The input buffer, or null.
   * @param inLength Bytes of `input` (a DWORD: at most 2^32-1).
   * @param output The output buffer, or null.
   * @param outLength Bytes of `output` (a DWORD).
   * @returns The bytes returned in `output`, or -1 ({@link NativeApi.lastError} and
   * {@link NativeApi.lastBytesReturned} then tell why).
   * @throws {import("../errors.ts").UnsupportedError} for a code this platform cannot run.
   */
  wsaIoctl(
    s: bigint,
    code: number,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
  ): number;
  /**
   * The native address of a view's first byte (for pointers inside output buffers).
   *
   * @param view The view (its buffer should come from an explicit `new ArrayBuffer`).
   * @returns The address.
   */
  bufferAddress(view: ArrayBufferView): bigint;
  /**
   * Starts an overlapped `WSAIoctl` whose completion signals `event` (Windows only).
   *
   * @param s The handle.
   * @param code The control code.
   * @param input The input buffer, or null; must stay alive and in place until completion.
   * @param inLength Bytes of `input`.
   * @param output The output buffer, or null; must stay alive and in place until completion.
   * @param outLength Bytes of `output`.
   * @param overlapped A zeroed {@link OVERLAPPED_SIZE}-byte buffer that stays alive until completion.
   * @param event The event from {@link NativeApi.createEvent}.
   * @returns The bytes returned when it completed at once, -1 otherwise (`lastError()` 997
   * `WSA_IO_PENDING` when it is under way).
   * @throws {import("../errors.ts").UnsupportedError} off Windows.
   */
  wsaIoctlOverlapped(
    s: bigint,
    code: number,
    input: Uint8Array | null,
    inLength: number,
    output: Uint8Array | null,
    outLength: number,
    overlapped: Uint8Array,
    event: bigint,
  ): number;
  /**
   * `WSAGetOverlappedResult` without waiting (Windows only).
   *
   * @param s The handle.
   * @param overlapped The buffer given to {@link NativeApi.wsaIoctlOverlapped}.
   * @returns Bytes transferred, or -1 (`lastError()` 996 `WSA_IO_INCOMPLETE` while pending).
   * @throws {import("../errors.ts").UnsupportedError} off Windows.
   */
  overlappedResult(s: bigint, overlapped: Uint8Array): number;
  /**
   * The final status of an overlapped operation read from its OVERLAPPED alone, without the
   * socket handle (which may be closed by now): `Internal` (the NTSTATUS) mapped to a WSA code,
   * `InternalHigh` the byte count (Windows only).
   *
   * @param overlapped The buffer given to {@link NativeApi.wsaIoctlOverlapped}.
   * @returns Bytes transferred, or -1 (`lastError()` 997 `WSA_IO_PENDING` while pending, else the
   * operation's error).
   * @throws {import("../errors.ts").UnsupportedError} off Windows.
   */
  overlappedStatus(overlapped: Uint8Array): number;
  /**
   * `CancelIoEx` on one overlapped operation (Windows only).
   *
   * @param s The handle.
   * @param overlapped The operation's buffer.
   * @returns 0 or -1.
   * @throws {import("../errors.ts").UnsupportedError} off Windows.
   */
  cancelIo(s: bigint, overlapped: Uint8Array): number;
  /**
   * `WSACreateEvent` (Windows only): a manual-reset event.
   *
   * @returns The event handle, or -1n.
   * @throws {import("../errors.ts").UnsupportedError} off Windows.
   */
  createEvent(): bigint;
  /**
   * `WSACloseEvent` (Windows only).
   *
   * @param event The event.
   * @returns 0 or -1.
   */
  closeEvent(event: bigint): number;
  /**
   * `WSASetEvent` (Windows only).
   *
   * @param event The event.
   * @returns 0 or -1.
   */
  setEvent(event: bigint): number;
  /**
   * `WSAResetEvent` (Windows only).
   *
   * @param event The event.
   * @returns 0 or -1.
   */
  resetEvent(event: bigint): number;
  /**
   * `WSAEventSelect` (Windows only): signal `event` on the `FD_*` network events in `mask`.
   *
   * @param s The handle.
   * @param event The event.
   * @param mask `FD_READ` 1, `FD_WRITE` 2, `FD_OOB` 4, `FD_ACCEPT` 8, `FD_CONNECT` 16,
   * `FD_CLOSE` 32, …; 0 to cancel.
   * @returns 0 or -1.
   */
  eventSelect(s: bigint, event: bigint, mask: number): number;
  /**
   * Waits for `event` without blocking the event loop: a `nonblocking` FFI call on Deno, a
   * worker-thread call on Node, a zero-timeout poll on Bun (Windows only).
   *
   * @param event The event.
   * @param timeoutMs Give up after this many milliseconds (`Infinity` for never).
   * @param signal Aborts the wait (the Promise rejects with the signal's reason).
   * @returns `true` when signaled, `false` on timeout.
   */
  waitEvent(event: bigint, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /**
   * Starts watching for the change an overlapped SIO_ADDRESS_LIST_CHANGE or
   * SIO_ROUTING_INTERFACE_CHANGE on `s` waits for, where the platform has no overlapped I/O but
   * a routing socket (Linux: NETLINK_ROUTE; macOS: PF_ROUTE; `_posix_notify.ts`). The watcher
   * is a descriptor of the layer's own, subscribed before the current state is read (the
   * address list of the socket's family, or the route to the destination), so no change after
   * this call is missed. `s` is asked for its family here, and never touched again by the
   * watcher. Nothing waits: {@link NativeApi.changeSeen} looks without blocking.
   *
   * @param s The socket handle.
   * @param code SIO_ADDRESS_LIST_CHANGE or SIO_ROUTING_INTERFACE_CHANGE.
   * @param input The destination sockaddr (Windows layout) for the routing code, or null.
   * @param inLength Bytes of `input`.
   * @returns The watcher, or `-1n` (`lastError()` says why: WSAENOTSOCK, the routing query's
   * refusals of the destination, …).
   * @throws {import("../errors.ts").UnsupportedError} for any other code, on Windows (whose
   * overlapped path runs these codes) and on a system without a verified routing socket.
   */
  watchChange(s: bigint, code: number, input: Uint8Array | null, inLength: number): bigint;
  /**
   * Reads what a watcher has received so far, without blocking, and tells whether the change it
   * watches happened: an address of the socket's family added or removed; the interface (or the
   * local address) that reaches the destination no longer the one it was when the watch began.
   *
   * @param watcher A watcher from {@link NativeApi.watchChange}, not closed.
   * @returns 1 once the change happened (and from then on), 0 while it has not, -1 on failure
   * (an unknown watcher: WSAENOTSOCK, without any native call).
   */
  changeSeen(watcher: bigint): number;
  /**
   * Closes a watcher; it is unknown from then on.
   *
   * @param watcher A watcher from {@link NativeApi.watchChange}.
   * @returns 0, or -1 for an unknown watcher (WSAENOTSOCK, without any native call).
   */
  closeWatch(watcher: bigint): number;
  /**
   * The handles of this process that may be sockets, for `handleOf`'s search by address: each of
   * them may then be asked {@link NativeApi.getOption} `"type"`, {@link NativeApi.localName} and
   * {@link NativeApi.peerName}, which neither block nor change anything on it.
   *
   * - Linux: every open descriptor (`/proc/self/fd`); macOS and the BSDs: the open descriptors
   *   below the descriptor table's size, at most 65536 (`_posix_fds.ts`).
   * - Windows: the handle values (multiples of 4) whose object is a file opened for reading and
   *   writing, other than the standard handles, found with object-manager queries that send no
   *   I/O to any handle (`_windows_handles.ts` says why that matters).
   *
   * @returns The candidates, ascending.
   */
  socketCandidates(): bigint[];
  /**
   * What tells the socket behind a handle from any socket that gets the same number later, for
   * `handleOf`'s kept answers: recorded when a runtime socket's handle is found, compared on each
   * later use. Asks nothing of the socket and changes nothing.
   *
   * - Linux: `fstat`'s `st_dev` and `st_ino` (sockfs gives every socket an inode number of its
   *   own), from glibc 2.33 (the first to export `fstat`) on the CPUs whose `struct stat` starts
   *   with them as read here (x86_64, aarch64, riscv64, loongarch64).
   * - Windows, macOS and the BSDs: none, without a system call. Their `fstat` gives every socket
   *   `st_ino` 0 (the BSD kernels' `soo_stat` sets the mode, size and owner only); Windows has no
   *   such number for a SOCKET.
   *
   * @param s The handle.
   * @param out Receives the identity: `out[0]` and `out[1]` (`st_dev`, `st_ino`).
   * @returns 1 when written; 0 when this platform has no identity (nothing written, `s` not
   * looked at); -1 when `s` is not an open descriptor ({@link NativeApi.lastError} tells why).
   */
  socketIdentity(s: bigint, out: BigUint64Array): number;
  /**
   * The scratch {@link NativeApi.sendMsg} and {@link NativeApi.recvMsg} use for one socket: the
   * message header, its buffer descriptor and its control buffer, allocated here once (a Socket
   * asks for them on its first timestamped call and keeps them), their native addresses taken
   * once.
   *
   * @returns The buffers; `stamp` is where {@link NativeApi.recvMsg} reports a timestamp.
   */
  messageBuffers(): MessageBuffers;
  /**
   * Sends a datagram carrying a timestamp id, whose TX timestamp is then polled by that id
   * (SIO_GET_TX_TIMESTAMP). Windows: `WSASendMsg` (its pointer from
   * SIO_GET_EXTENSION_FUNCTION_POINTER, fetched once; ws2_32.dll's export under a loader without
   * `callable`, `node:ffi`) with a `SO_TIMESTAMP_ID` control message; Linux 6.13 and later:
   * `sendmsg` with `SCM_TS_OPT_ID`.
   *
   * @param s The handle.
   * @param data The bytes to send.
   * @param length How many bytes of `data` to send (clamped to 2^31-1).
   * @param flags Flags as for {@link NativeApi.send}.
   * @param addr The destination (a Windows-layout sockaddr exactly as long as the address), or
   * null on a connected socket.
   * @param timestampId The id, a UINT32.
   * @param buffers This socket's {@link NativeApi.messageBuffers}.
   * @returns Bytes sent, or -1.
   * @throws {import("../errors.ts").UnsupportedError} before anything is sent where the platform
   * cannot attach an id (Linux before 6.13, macOS, the other systems).
   */
  sendMsg(
    s: bigint,
    data: Uint8Array,
    length: number,
    flags: number,
    addr: Uint8Array | null,
    timestampId: number,
    buffers: MessageBuffers,
  ): number;
  /**
   * Receives a datagram, its sender and its RX timestamp. Windows: `WSARecvMsg` (its pointer
   * from SIO_GET_EXTENSION_FUNCTION_POINTER, fetched once per address family) and the
   * `SO_TIMESTAMP` control message; Linux: `recvmsg` and the software stamp of
   * `SCM_TIMESTAMPING`; macOS: `recvmsg` and `SCM_TIMESTAMP`. Every stamp is in the ticks of
   * {@link NativeApi.timestampNow}.
   *
   * @param s The handle.
   * @param into Receives the bytes.
   * @param intoLength How many bytes `into` holds (clamped to 2^31-1).
   * @param flags Flags as for {@link NativeApi.recv}.
   * @param addr Receives the sender's Windows-layout sockaddr (at least 28 bytes).
   * @param length Out: `length[0]` = bytes of `addr` filled (0 when the call gave no address).
   * @param af The socket's family (`AF_INET` or `AF_INET6`): which extension pointer Windows
   * uses.
   * @param buffers This socket's {@link NativeApi.messageBuffers}; `buffers.stamp` receives the
   * timestamp.
   * @returns Bytes received, or -1.
   * @throws {import("../errors.ts").UnsupportedError} where the platform has no RX stamps, and
   * on Windows under a loader without `callable` (`node:ffi`), before any native call.
   * @throws {Error} when the control buffer the system handed back is malformed (a length past
   * its end, a truncated header), naming the call; nothing is read past the buffer.
   */
  recvMsg(
    s: bigint,
    into: Uint8Array,
    intoLength: number,
    flags: number,
    addr: Uint8Array,
    length: Int32Array,
    af: number,
    buffers: MessageBuffers,
  ): number;
  /**
   * The clock of the software timestamps, in its own ticks: QueryPerformanceCounter on Windows,
   * CLOCK_REALTIME in nanoseconds on Linux and macOS.
   *
   * @returns The current tick count.
   */
  timestampNow(): bigint;
  /**
   * The ticks per second of {@link NativeApi.timestampNow}: QueryPerformanceFrequency on Windows,
   * `1_000_000_000n` on Linux and macOS.
   *
   * @returns Ticks per second.
   */
  timestampFrequency(): bigint;
}

/**
 * A socket's scratch for {@link NativeApi.sendMsg} and {@link NativeApi.recvMsg}, from
 * {@link NativeApi.messageBuffers}: what the layers above see of it is where the timestamp of
 * the last {@link NativeApi.recvMsg} lands. The native layer keeps its own fields beside it.
 */
export interface MessageBuffers {
  /**
   * `stamp[0]`: 1 when the last {@link NativeApi.recvMsg} brought a timestamp, else 0;
   * `stamp[1]`: the timestamp, in the ticks of {@link NativeApi.timestampNow}.
   */
  readonly stamp: BigUint64Array;
}

/** Bytes of an `OVERLAPPED` on 64-bit Windows. */
export const OVERLAPPED_SIZE = 32;
