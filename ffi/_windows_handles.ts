/**
 * Internal: the handles of this process that may be sockets, for `handleOf`'s search by address on
 * Windows (`NativeApi.socketCandidates`). Windows has no call that lists a process's sockets, so
 * the search walks the handle values (multiples of 4) and asks ws2_32 about some of them
 * (`getsockopt(SO_TYPE)`, `getsockname`, `getpeername`). Which handles may be asked, and why:
 *
 * 1. The walk itself uses `NtQueryObject` with `ObjectTypeInformation` (the object's type name)
 *    and `ObjectBasicInformation` (the access the handle grants): object-manager queries that read
 *    the handle table and the object's header. They send no I/O request to any driver and take no
 *    file-object lock, so they neither wait nor change anything, whatever the handle is; a value
 *    that is no handle fails with STATUS_INVALID_HANDLE. (A process that turned on strict handle
 *    checks, `PROCESS_MITIGATION_STRICT_HANDLE_CHECK_POLICY`, raises an exception on such a value
 *    instead; Deno, Bun and Node do not turn it on.)
 * 2. ws2_32 finds a SOCKET in its own per-process table first: every socket created in this
 *    process through ws2_32 (the runtimes' sockets among them) is answered from there, by its
 *    provider, without touching any other handle. A handle missing from that table is not simply
 *    refused: ws2_32 asks each installed IFS provider whether the handle is one of its sockets
 *    (`WSPGetSockOpt(SO_PROTOCOL_INFOW)`, as ReactOS's ws2_32 shows), and the Microsoft provider
 *    asks the handle's driver with a device I/O control request. The I/O manager runs requests on
 *    a file opened for synchronous I/O one at a time: while another thread of the process is
 *    blocked reading such a file (a console or pipe stdin read on a worker thread), the request
 *    would wait for that read to end. So only handles that could be sockets reach ws2_32:
 *    - objects of type "File" (sockets are files of the AFD driver; threads, events, keys,
 *      sections, completion ports, … never reach ws2_32);
 *    - opened for reading AND writing (FILE_READ_DATA | FILE_WRITE_DATA: a socket always is; the
 *      ends of a pipe, read-only files and most console handles are not);
 *    - not one of the three standard handles (the usual synchronous handles with a reader blocked
 *      on them).
 *    What can still wait: a read-write, non-standard file opened for synchronous I/O on which
 *    another thread of this process is blocked in I/O (e.g. a duplex named pipe opened without
 *    FILE_FLAG_OVERLAPPED and read on a worker thread): the search then waits until that I/O ends.
 *    The runtimes open their own sockets, pipes and child-process pipes for overlapped I/O.
 *
 * The walk ends once it has seen as many live handles as `GetProcessHandleCount` reports (Wine
 * reports 0) and {@link SLACK} values past the last one (handles are given out lowest value first,
 * so they sit densely at the bottom; the slack covers handles opened meanwhile), and never goes
 * above {@link MAX_HANDLE_VALUE}.
 *
 * @module
 */

import type { Loader } from "./_types.ts";
import { KERNEL32_HANDLES, NTDLL_OBJECTS } from "./ws2_32.ts";

/** `ObjectBasicInformation`: attributes, granted access, counts. */
const OBJECT_BASIC_INFORMATION = 0;
/** `ObjectTypeInformation`: the type's name first (a UNICODE_STRING). */
const OBJECT_TYPE_INFORMATION = 2;
/** FILE_READ_DATA | FILE_WRITE_DATA. */
const READ_WRITE = 0x3;
/** `(HANDLE)-1`: the current process. */
const CURRENT_PROCESS = 0xffffffffffffffffn;
/** STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE as DWORDs. */
const STD_HANDLES = [0xfffffff6, 0xfffffff5, 0xfffffff4];
/** Handle values walked past the last live handle once the count is reached (512 handles). */
export const SLACK = 2048;
/** The highest handle value walked (the handle table holds at most 2^24 handles). */
export const MAX_HANDLE_VALUE = 1 << 26;

const FILE = "File";

/**
 * Builds the Windows candidate lister over a loader (ntdll, kernel32 opened on first use).
 *
 * @param loader The runtime loader.
 * @returns A function listing the candidates, ascending.
 */
export function socketCandidates(loader: Loader): () => bigint[] {
  let nt: ReturnType<typeof openNt> | undefined;
  // OBJECT_TYPE_INFORMATION is 0x68 bytes on x64, its name is written after it.
  const info = new Uint8Array(new ArrayBuffer(512));
  const view = new DataView(info.buffer);
  const returned = new Uint32Array(1);
  const count = new Uint32Array(1);
  let infoAt = 0n;
  const isFile = (): boolean => {
    // UNICODE_STRING { USHORT Length; USHORT MaximumLength; PWSTR Buffer (at 8) }
    const length = view.getUint16(0, true);
    if (length !== FILE.length * 2) return false;
    const at = Number(view.getBigUint64(8, true) - infoAt);
    if (at < 0 || at + length > info.length) return false;
    for (let i = 0; i < FILE.length; i++) {
      if (view.getUint16(at + i * 2, true) !== FILE.charCodeAt(i)) return false;
    }
    return true;
  };
  return () => {
    if (nt === undefined) {
      nt = openNt(loader);
      infoAt = loader.address(info);
    }
    const { query, k32 } = nt;
    const std = new Set(STD_HANDLES.map((n) => BigInt(k32.GetStdHandle(n))));
    count[0] = 0;
    // Unknown (or 0, as Wine answers): the walk ends SLACK values past the last live handle.
    const total = k32.GetProcessHandleCount(CURRENT_PROCESS, count) !== 0 ? count[0] : 0;
    const out: bigint[] = [];
    let live = 0;
    let lastLive = 0;
    for (let v = 4; v <= MAX_HANDLE_VALUE; v += 4) {
      if (live >= total && v > lastLive + SLACK) break;
      const h = BigInt(v);
      if (query(h, OBJECT_TYPE_INFORMATION, info, info.length, returned) !== 0) continue;
      live++;
      lastLive = v;
      if (!isFile() || std.has(h)) continue;
      if (query(h, OBJECT_BASIC_INFORMATION, info, 56, returned) !== 0) continue;
      // PUBLIC_OBJECT_BASIC_INFORMATION { ULONG Attributes; ACCESS_MASK GrantedAccess (at 4); … }
      if ((view.getUint32(4, true) & READ_WRITE) !== READ_WRITE) continue;
      out.push(h);
    }
    return out;
  };
}

function openNt(loader: Loader) {
  return {
    query: loader.open(["ntdll.dll"], NTDLL_OBJECTS).NtQueryObject,
    k32: loader.open(["kernel32.dll"], KERNEL32_HANDLES),
  };
}
