/**
 * The Windows implementation of {@link NativeApi}, over the ws2_32.dll, ntdll.dll and kernel32.dll
 * symbol tables of `ws2_32.ts` (opened through whichever runtime loader `select.ts` picked).
 * `WSAStartup` runs once, when the native layer is created (the first `nativeApi()` call).
 * `WSAGetLastError` is read as the very next statement after a failed call.
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
import { UnsupportedError, WinsockError } from "../errors.ts";
import type { Loader } from "./_types.ts";
import { socketCandidates } from "./_windows_handles.ts";
import { windowsMessages } from "./_windows_msg.ts";
import { type NativeApi, OVERLAPPED_SIZE } from "./native.ts";
import {
  INVALID_SOCKET,
  KERNEL32,
  KERNEL32_CLOCK,
  NTDLL,
  NTDLL_WINE,
  NTSTATUS_WSA,
  STATUS_PENDING,
  WINDOWS_OPTIONS,
  WINSOCK_VERSION,
  WS2_32,
  WS2_32_WAIT,
  WSA_WAIT_EVENT_0,
  WSA_WAIT_FAILED,
  WSA_WAIT_TIMEOUT,
  WSADATA_BYTES,
} from "./ws2_32.ts";
import { WSA_INVALID_HANDLE, WSA_IO_PENDING, WSAEFAULT, WSAEINVAL } from "../_wsa.ts";

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

/** Resolves after `ms`, or at once when `signal` aborts (the caller then sees the abort). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

/** The POSIX routing-socket watch: Windows runs the change codes overlapped instead. */
function noWatch(): never {
  throw new UnsupportedError(
    "routing-socket watch",
    "windows",
    undefined,
    undefined,
    "the change codes run overlapped (wsaIoctlOverlapped)",
  );
}

/**
 * Builds the Windows native layer on an adapter: opens ws2_32.dll and runs `WSAStartup(2.2)`.
 *
 * @param loader The runtime adapter.
 * @returns The native layer.
 * @throws {Error} when WSAStartup fails.
 */
export function createWindowsApi(loader: Loader): NativeApi {
  const ws = loader.open(["ws2_32.dll"], WS2_32);
  const wait = loader.open(["ws2_32.dll"], WS2_32_WAIT).WSAWaitForMultipleEvents;
  const kernel32 = loader.open(["kernel32.dll"], KERNEL32);
  const ntdll = loader.open(["ntdll.dll"], NTDLL);
  let wine = false;
  try {
    wine = typeof loader.open(["ntdll.dll"], NTDLL_WINE).wine_get_version === "function";
  } catch {
    // no ntdll to ask: not Wine
  }
  const wsaData = new Uint8Array(WSADATA_BYTES);
  const started = ws.WSAStartup(WINSOCK_VERSION, wsaData);
  if (started !== 0) throw new Error(`wsioctl: WSAStartup failed with ${started}`);

  let last = 0;
  // What the last failed WSAIoctl left in *lpcbBytesReturned (the size it needs, for some codes).
  let lastReturned = 0;
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
      lastReturned = 0;
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
    if (r === 0) return bytesReturned[0];
    recordError();
    lastReturned = bytesReturned[0];
    return -1;
  };

  const messages = windowsMessages({
    loader,
    ioctl: (s, code, input, inLength, output, outLength) =>
      callIoctl(s, code, input, inLength, output, outLength, null),
    recordError,
  });
  const clock = loader.open(["kernel32.dll"], KERNEL32_CLOCK);
  const ticks = new BigInt64Array(1);
  let frequency = 0n;

  const api: NativeApi = {
    runtime: loader.runtime,
    os: "windows",
    wine,
    maxHandle: INVALID_SOCKET - 1n,
    lastError: () => last,
    lastBytesReturned: () => lastReturned,
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
      const [level, opt, kind] = WINDOWS_OPTIONS[name];
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
      const [level, opt, kind] = WINDOWS_OPTIONS[name];
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
      ov.setBigUint64(0, BigInt(STATUS_PENDING), true);
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
      const ov = new DataView(overlapped.buffer, overlapped.byteOffset, OVERLAPPED_SIZE);
      // 0x00 ULONG_PTR Internal: the NTSTATUS (its low 32 bits); 0x08 InternalHigh: the bytes.
      // Windows writes the count before it publishes the final status.
      const status = ov.getUint32(0, true);
      if (status === 0) return Number(ov.getBigUint64(8, true));
      if (status === STATUS_PENDING) {
        last = WSA_IO_PENDING;
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
      // bun:ffi and node:ffi have no worker-thread calls: poll with a zero timeout and yield
      // between polls, 1 ms apart at first (a cancelled operation settles within a few), then 5 ms.
      const poll = !loader.workerThreads;
      let polls = 0;
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
          // this layer can produce.
          last = r === WSA_WAIT_FAILED ? WSA_INVALID_HANDLE : WSAEINVAL;
          throw new WinsockError(last, { call: "WSAWaitForMultipleEvents" });
        }
        if (Date.now() >= deadline) return false;
        if (poll) await pause(polls++ < 4 ? 1 : 5, signal);
      }
    },
    watchChange: noWatch,
    changeSeen: noWatch,
    closeWatch: noWatch,
    socketCandidates: socketCandidates(loader),
    // No number tells one SOCKET from the next one given the same handle value (native.ts).
    socketIdentity: () => 0,
    ...messages,
    timestampNow() {
      ticks[0] = 0n;
      clock.QueryPerformanceCounter(ticks); // cannot fail on Windows XP and later
      return ticks[0];
    },
    timestampFrequency() {
      if (frequency === 0n) {
        clock.QueryPerformanceFrequency(ticks); // fixed at boot
        frequency = ticks[0];
      }
      return frequency;
    },
  };
  return api;
}
