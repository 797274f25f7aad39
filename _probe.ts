/**
 * Internal: `wsioctl probe`. Opens sockets on this machine and runs every IOCTL of the table,
 * printing one row per code: its value and the result (bytes returned, the value for the
 * integer outputs) or the exact error. The notification codes (`*_CHANGE`) are started with
 * `ioctlAsync` and cancelled through its AbortSignal. On Windows every code reaches Winsock;
 * elsewhere the codes the native layer translates run (the Unix-compatible codes of
 * `UNIX_IOCTLS`, keep-alive, the interface queries, and on Linux and macOS the portable set:
 * multicast scope and loopback, broadcast address, base handles, the address-list and
 * routing-interface change notifications on a routing socket, and on Linux the RSS processor
 * and CPU affinity) and the others print an "unsupported on <os>" row, with what the platform
 * offers instead where the error says it. SIO_CPU_AFFINITY runs on a UDP socket of its own,
 * unbound, as it must be.
 *
 * @module
 */

import { formatCode, type IoctlInfo, IOCTLS, SIO_CPU_AFFINITY, UNIX_IOCTLS } from "./codes/mod.ts";
import { hex, hexDigits } from "./codes/format.ts";
import { UnsupportedError, WinsockError, WSA_ERRORS } from "./errors.ts";
import { nativeApi } from "./ffi/select.ts";
import type { NativeApi } from "./ffi/native.ts";
import { ioctl } from "./ioctl.ts";
import { ioctlAsync } from "./ioctl_async.ts";
import { Socket } from "./socket.ts";
import { writeSocketAddress } from "./structs/address.ts";
import { writeGuid, WSAID_ACCEPTEX } from "./structs/guid.ts";

const WORD_TYPES =
  /^(u_long|BOOL|int|DWORD|ULONG|UINT32|RCVALL_VALUE|SOCKET_PRIORITY_HINT|interface index)/;

/** A plausible input for a code: its size from the type named in the table, zeros otherwise. */
function inputFor(info: IoctlInfo): Uint8Array | null {
  if (info.io !== "in" && info.io !== "inout") return null;
  const type = info.input ?? "";
  if (info.name === "FIONBIO") return new Uint8Array(new Uint32Array([1]).buffer); // nonblocking
  if (/^GUID/.test(type)) {
    const buf = new Uint8Array(new ArrayBuffer(16));
    writeGuid(new DataView(buf.buffer), 0, WSAID_ACCEPTEX);
    return buf;
  }
  if (/^sockaddr/.test(type)) {
    const buf = new Uint8Array(new ArrayBuffer(16));
    writeSocketAddress(new DataView(buf.buffer), 0, { address: "127.0.0.1", port: 0 });
    return buf;
  }
  if (/^USHORT/.test(type)) return new Uint8Array(new ArrayBuffer(2));
  if (WORD_TYPES.test(type)) return new Uint8Array(new ArrayBuffer(4));
  if (type === "tcp_keepalive") return new Uint8Array(new ArrayBuffer(12));
  return new Uint8Array(new ArrayBuffer(256));
}

function outputFor(info: IoctlInfo): Uint8Array | null {
  if (info.io !== "out" && info.io !== "inout") return null;
  return new Uint8Array(new ArrayBuffer(4096));
}

function describeOutput(info: IoctlInfo, out: Uint8Array | null, n: number): string {
  if (out === null || n === 0) return `ok (${n} bytes)`;
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (n === 4 && WORD_TYPES.test(info.output ?? "")) return `ok = ${dv.getUint32(0, true)}`;
  if (n === 8) return `ok = ${hex(dv.getBigUint64(0, true), 1)}`;
  const head = [...out.subarray(0, Math.min(n, 16))]
    .map((b) => hexDigits(b, 2)).join(" ");
  return `ok (${n} bytes: ${head}${n > 16 ? " …" : ""})`;
}

function describeError(e: unknown, os: string): string {
  if (e instanceof UnsupportedError) {
    return `unsupported on ${os}${e.instead === undefined ? "" : ` (${e.instead})`}`;
  }
  if (e instanceof WinsockError) {
    if (e.errno !== undefined) return `${e.name} (unmapped errno ${e.errno})`;
    const info = WSA_ERRORS[e.code];
    return `${e.name} (${e.code})${info === undefined ? "" : `: ${info.message}`}`;
  }
  return `${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? String(e)}`;
}

/** The socket a code is probed on: UDP for the datagram and multicast codes, TCP otherwise. */
function wantsUdp(info: IoctlInfo): boolean {
  return /UDP|MCAST|MULTICAST|MULTIPOINT|BROADCAST/.test(info.name);
}

/** How long a notification code may wait for a change before the probe cancels it. */
const ARMED_MS = 50;

/**
 * Starts a notification code (overlapped on Windows; a routing-socket watch on Linux and
 * macOS), then cancels it (it would wait for a change).
 */
async function probeChange(s: Socket, info: IoctlInfo, os: string): Promise<string> {
  const controller = new AbortController();
  const armed = new Error("armed");
  const timer = setTimeout(() => controller.abort(armed), ARMED_MS);
  try {
    const n = await ioctlAsync(s, info.value, inputFor(info), outputFor(info), {
      signal: controller.signal,
    });
    return `ok (completed: ${n} bytes)`;
  } catch (e) {
    if (e === armed) {
      const how = os === "windows" ? "WSA_IO_PENDING" : "a routing socket watched";
      return `pending (${how}: armed, then cancelled)`;
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the probe.
 *
 * @param out Receives each output line.
 * @returns The exit status: 0 when the probe ran and the codes of `UNIX_IOCTLS` worked, 1
 *   otherwise.
 * @example
 * ```ts
 * import { runProbe } from "./_probe.ts";
 * const status = await runProbe(console.log);
 * ```
 */
export async function runProbe(out: (line: string) => void): Promise<number> {
  let native: NativeApi;
  try {
    native = nativeApi();
  } catch (e) {
    out(`wsioctl probe: no native sockets here: ${(e as Error).message}`);
    const cause = (e as Error).cause;
    if (cause !== undefined) out(`  cause: ${(cause as Error)?.message ?? String(cause)}`);
    return 1;
  }
  const os = native.os;
  out(`wsioctl probe: ${native.runtime} on ${os}; ${IOCTLS.length} codes`);
  const opened: Socket[] = [];
  let failures = 0;
  let ran = 0;
  try {
    const server = Socket.open("inet", "stream");
    opened.push(server);
    server.bind("127.0.0.1", 0);
    server.listen();
    const client = Socket.open("inet", "stream");
    opened.push(client);
    client.connect("127.0.0.1", server.localAddress().port);
    const tcp = server.accept();
    opened.push(tcp);
    const udp = Socket.open("inet", "dgram");
    opened.push(udp);
    udp.bind("127.0.0.1", 0);
    out(
      `sockets: tcp ${tcp.localAddress().address}:${tcp.localAddress().port} ↔ ${client.localAddress().port}, udp :${udp.localAddress().port}`,
    );
    // The Unix-compatible codes first, then the table in order.
    const order = [
      ...IOCTLS.filter((i) => UNIX_IOCTLS.includes(i.value)),
      ...IOCTLS.filter((i) => !UNIX_IOCTLS.includes(i.value)),
    ];
    for (const info of order) {
      let s = wantsUdp(info) ? udp : tcp;
      if (info.value === SIO_CPU_AFFINITY) {
        // Before bind only: a socket of its own.
        s = Socket.open("inet", "dgram");
        opened.push(s);
      }
      let result: string;
      if (/_CHANGE$/.test(info.name)) {
        try {
          result = await probeChange(s, info, os);
        } catch (e) {
          result = describeError(e, os);
        }
      } else {
        const input = inputFor(info);
        const output = outputFor(info);
        try {
          const n = ioctl(s, info.value, input, output);
          result = describeOutput(info, output, n);
        } catch (e) {
          result = describeError(e, os);
          if (UNIX_IOCTLS.includes(info.value)) failures++;
        }
      }
      if (!result.startsWith("unsupported")) ran++;
      out(`${info.name.padEnd(46)} ${formatCode(info.value)}  ${result}`);
    }
  } catch (e) {
    out(`wsioctl probe: socket setup failed: ${describeError(e, os)}`);
    failures++;
  } finally {
    for (const s of opened) s.close();
  }
  out(
    `${ran} codes ran on this machine, ${IOCTLS.length - ran} unsupported on ${os}; ` +
      `${failures} portable failure(s)`,
  );
  return failures === 0 ? 0 : 1;
}
