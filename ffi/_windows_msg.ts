/**
 * Internal: `WSASendMsg` and `WSARecvMsg` for the Windows native layer (`windows.ts`), the calls
 * that carry Winsock's timestamps: a send tagged with a `SO_TIMESTAMP_ID` control message (its TX
 * timestamp is then polled by that id with SIO_GET_TX_TIMESTAMP), and a receive that hands back
 * the `SO_TIMESTAMP` control message (the RX timestamp, a QueryPerformanceCounter value).
 *
 * Their pointers come from SIO_GET_EXTENSION_FUNCTION_POINTER with WSAID_WSASENDMSG (fetched
 * once) and WSAID_WSARECVMSG (fetched once per address family), bound with the loader's
 * `callable`. A loader without `callable` (`node:ffi`, which binds functions by name only) sends
 * through ws2_32.dll's exported `WSASendMsg` instead, and refuses a timestamped receive with
 * `UnsupportedError` before any native call: `WSARecvMsg` is reached only through its pointer. The `WSAMSG`, its `WSABUF` and the control buffer belong to
 * the socket ({@link NativeApi.messageBuffers}: allocated once, their addresses taken once);
 * only the data's address is taken per call.
 *
 * The control buffer Windows hands back is read as the `WSA_CMSG_*` macros walk it, with every
 * length checked first: a length past the buffer's end or a header cut short is an Error naming
 * `WSARecvMsg`, never a read past the buffer.
 *
 * @module
 */

import { SIO_GET_EXTENSION_FUNCTION_POINTER } from "../codes/mod.ts";
import { UnsupportedError } from "../errors.ts";
import { writeGuid, WSAID_WSARECVMSG, WSAID_WSASENDMSG } from "../structs/guid.ts";
import type { BoundFunction, Loader } from "./_types.ts";
import type { MessageBuffers, NativeApi } from "./native.ts";
import {
  SO_TIMESTAMP,
  SO_TIMESTAMP_ID,
  SOL_SOCKET,
  WS2_32_SENDMSG,
  WSA_CMSG,
  WSAMSG,
  WSARECVMSG,
  WSASENDMSG,
} from "./ws2_32.ts";

/** Bytes of a socket's receive control buffer: room for SO_TIMESTAMP and a few others. */
export const RECV_CONTROL_BYTES = 256;
/** `WSA_CMSG_LEN(sizeof(UINT32))`: the `cmsg_len` of the SO_TIMESTAMP_ID message. */
const ID_CMSG_LEN = WSA_CMSG.header + 4;
/** `WSA_CMSG_SPACE(sizeof(UINT32))`: the control length a send with an id hands Windows. */
const ID_CMSG_SPACE = WSA_CMSG.header + 8;

/** What the message calls need from the Windows native layer that owns them. */
export interface WindowsMessageContext {
  /** The runtime adapter (addresses, `callable`). */
  readonly loader: Loader;
  /** `WSAIoctl` without overlapped I/O: bytes returned, or -1 with the error recorded. */
  ioctl(
    s: bigint,
    code: number,
    input: Uint8Array,
    inLength: number,
    output: Uint8Array,
    outLength: number,
  ): number;
  /** Records `WSAGetLastError()` as the layer's last error (the very next statement); -1. */
  recordError(): -1;
}

/** A socket's WSAMSG, WSABUF and control buffer, with their addresses taken once. */
class WindowsMessageBuffers implements MessageBuffers {
  readonly stamp: BigUint64Array = new BigUint64Array(2);
  readonly msg: Uint8Array = new Uint8Array(new ArrayBuffer(WSAMSG.size));
  readonly msgView: DataView = new DataView(this.msg.buffer);
  readonly wsabuf: Uint8Array = new Uint8Array(new ArrayBuffer(WSAMSG.wsabufSize));
  readonly wsabufView: DataView = new DataView(this.wsabuf.buffer);
  readonly control: Uint8Array = new Uint8Array(new ArrayBuffer(RECV_CONTROL_BYTES));
  readonly controlView: DataView = new DataView(this.control.buffer);
  /** `*lpNumberOfBytesSent` / `*lpdwNumberOfBytesRecvd`. */
  readonly count: Uint32Array = new Uint32Array(1);
  readonly wsabufAddress: bigint;
  readonly controlAddress: bigint;

  constructor(loader: Loader) {
    this.wsabufAddress = loader.address(this.wsabuf);
    this.controlAddress = loader.address(this.control);
    this.msgView.setBigUint64(WSAMSG.buffers, this.wsabufAddress, true);
    this.msgView.setUint32(WSAMSG.bufferCount, 1, true);
    this.msgView.setBigUint64(WSAMSG.controlBuf, this.controlAddress, true);
  }
}

function own(buffers: MessageBuffers): WindowsMessageBuffers {
  if (!(buffers instanceof WindowsMessageBuffers)) {
    throw new TypeError("wsioctl: message buffers of another native layer");
  }
  return buffers;
}

/** Windows send/recv lengths are a C `int` (a ULONG in WSABUF, clamped the same way). */
const INT_MAX = 0x7fffffff;

/**
 * Reads the RX timestamp out of the control bytes `WSARecvMsg` returned, as `WSA_CMSG_FIRSTHDR`
 * and `WSA_CMSG_NXTHDR` walk them.
 *
 * @param control The control buffer.
 * @param view A DataView over exactly `control`.
 * @param used `Control.len` as Windows left it.
 * @param stamp Receives `[1, timestamp]` when a `SO_TIMESTAMP` message is there.
 * @throws {Error} naming WSARecvMsg when a length runs past the buffer or a header is cut short.
 */
export function readControl(
  control: Uint8Array,
  view: DataView,
  used: number,
  stamp: BigUint64Array,
): void {
  const size = control.length;
  if (used > size) {
    throw new Error(
      `WSARecvMsg: Control.len is ${used} bytes, past the ${size}-byte control buffer`,
    );
  }
  let at = 0;
  while (at < used) {
    if (used - at < WSA_CMSG.header) {
      throw new Error(
        `WSARecvMsg: a control message header cut short (${used - at} of ${WSA_CMSG.header} ` +
          `bytes at offset ${at})`,
      );
    }
    // SIZE_T cmsg_len: its high half is 0 for any length inside the buffer.
    const high = view.getUint32(at + WSA_CMSG.len + 4, true);
    const len = view.getUint32(at + WSA_CMSG.len, true);
    if (high !== 0 || len < WSA_CMSG.header || len > used - at) {
      const n = high === 0 ? String(len) : `0x${high.toString(16)}${hex8(len)}`;
      throw new Error(
        `WSARecvMsg: a control message at offset ${at} claims ${n} bytes; ` +
          `${used - at} remain of the ${used} returned`,
      );
    }
    const level = view.getInt32(at + WSA_CMSG.level, true);
    const type = view.getInt32(at + WSA_CMSG.type, true);
    if (level === SOL_SOCKET && type === SO_TIMESTAMP) {
      if (len < WSA_CMSG.header + 8) {
        throw new Error(
          `WSARecvMsg: SO_TIMESTAMP at offset ${at} has ${len - WSA_CMSG.header} data bytes; ` +
            "a UINT64 has 8",
        );
      }
      stamp[1] = view.getBigUint64(at + WSA_CMSG.header, true); // UINT64 timestamp
      stamp[0] = 1n;
    }
    // WSA_CMSG_NXTHDR: the next header starts WSA_CMSGHDR_ALIGN(cmsg_len) further.
    at += (len + WSA_CMSG.align - 1) & ~(WSA_CMSG.align - 1);
  }
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

/**
 * Builds the message calls of one Windows native layer.
 *
 * @param c What they need from the layer.
 * @returns `messageBuffers`, `sendMsg` and `recvMsg` as {@link NativeApi} describes them.
 */
export function windowsMessages(
  c: WindowsMessageContext,
): Pick<NativeApi, "messageBuffers" | "sendMsg" | "recvMsg"> {
  const { loader } = c;
  const guidIn = new Uint8Array(new ArrayBuffer(16));
  const guidView = new DataView(guidIn.buffer);
  const pointerOut = new Uint8Array(new ArrayBuffer(8));
  const pointerView = new DataView(pointerOut.buffer);
  let sendMsg: BoundFunction<typeof WSASENDMSG> | undefined;
  const recvMsgs = new Map<number, BoundFunction<typeof WSARECVMSG>>();

  /** The pointer SIO_GET_EXTENSION_FUNCTION_POINTER gives for `guid`, or 0n (error recorded). */
  function extension(s: bigint, guid: string, call: string): bigint {
    writeGuid(guidView, 0, guid);
    pointerView.setBigUint64(0, 0n);
    const n = c.ioctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, guidIn, 16, pointerOut, 8);
    if (n < 0) return 0n;
    const p = pointerView.getBigUint64(0, true);
    if (n < 8 || p === 0n) {
      throw new Error(
        `${call}: SIO_GET_EXTENSION_FUNCTION_POINTER answered ${n} bytes, pointer 0x${
          p.toString(16)
        }`,
      );
    }
    return p;
  }

  return {
    messageBuffers: () => new WindowsMessageBuffers(loader),
    sendMsg(s, data, length, flags, addr, timestampId, buffers) {
      const b = own(buffers);
      if (sendMsg === undefined) {
        if (loader.callable === undefined) {
          sendMsg = loader.open(["ws2_32.dll"], WS2_32_SENDMSG).WSASendMsg;
        } else {
          const p = extension(s, WSAID_WSASENDMSG, "WSASendMsg");
          if (p === 0n) return -1;
          sendMsg = loader.callable(p, WSASENDMSG);
        }
      }
      const m = b.msgView;
      m.setBigUint64(WSAMSG.name, addr === null ? 0n : loader.address(addr), true);
      m.setInt32(WSAMSG.namelen, addr === null ? 0 : addr.byteLength, true);
      m.setUint32(WSAMSG.controlLen, ID_CMSG_SPACE, true);
      m.setUint32(WSAMSG.flags, 0, true);
      b.wsabufView.setUint32(0, length > INT_MAX ? INT_MAX : length, true); // ULONG len
      b.wsabufView.setBigUint64(8, loader.address(data), true); // CHAR* buf
      const k = b.controlView;
      k.setBigUint64(WSA_CMSG.len, BigInt(ID_CMSG_LEN), true);
      k.setInt32(WSA_CMSG.level, SOL_SOCKET, true);
      k.setInt32(WSA_CMSG.type, SO_TIMESTAMP_ID, true);
      k.setUint32(WSA_CMSG.header, timestampId, true); // UINT32 id
      k.setUint32(WSA_CMSG.header + 4, 0, true); // padding up to WSA_CMSG_SPACE
      b.count[0] = 0;
      const r = sendMsg(s, b.msg, flags, b.count, null, null);
      return r === 0 ? b.count[0] : c.recordError();
    },
    recvMsg(s, into, intoLength, flags, addr, length, af, buffers) {
      const b = own(buffers);
      let recvMsg = recvMsgs.get(af);
      if (recvMsg === undefined) {
        if (loader.callable === undefined) {
          throw new UnsupportedError(
            "WSARecvMsg (recvFrom with timestamp: true)",
            `windows under ${loader.ffi}`,
            undefined,
            undefined,
            `${loader.ffi} binds functions by name only, and WSARecvMsg has no exported name; ` +
              "koffi calls it through its pointer (Node with --no-experimental-ffi and koffi " +
              "installed), as do Deno and Bun",
          );
        }
        const p = extension(s, WSAID_WSARECVMSG, "WSARecvMsg");
        if (p === 0n) return -1;
        recvMsg = loader.callable(p, WSARECVMSG);
        recvMsgs.set(af, recvMsg);
      }
      const m = b.msgView;
      const room = addr.byteLength;
      m.setBigUint64(WSAMSG.name, loader.address(addr), true);
      m.setInt32(WSAMSG.namelen, room, true);
      m.setUint32(WSAMSG.controlLen, RECV_CONTROL_BYTES, true);
      m.setUint32(WSAMSG.flags, flags, true);
      b.wsabufView.setUint32(0, intoLength > INT_MAX ? INT_MAX : intoLength, true); // ULONG len
      b.wsabufView.setBigUint64(8, loader.address(into), true); // CHAR* buf
      b.stamp[0] = 0n;
      b.count[0] = 0;
      b.control.fill(0); // nothing of an earlier call can be read as this one's
      length[0] = 0;
      const r = recvMsg(s, b.msg, b.count, null, null);
      if (r !== 0) return c.recordError();
      const named = m.getInt32(WSAMSG.namelen, true);
      length[0] = named < 0 ? 0 : named > room ? room : named;
      readControl(b.control, b.controlView, m.getUint32(WSAMSG.controlLen, true), b.stamp);
      return b.count[0];
    },
  };
}
