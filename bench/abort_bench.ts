// How long an aborted overlapped wait takes to settle, Windows only (under Wine, whose
// SIO_ADDRESS_LIST_CHANGE really waits): from `controller.abort()` to the Promise's rejection, each
// cycle starting a wait, letting it run 2 ms (the runtime's wait under way), then aborting. Rows:
// the native floor (CancelIoEx, then the OVERLAPPED's status polled in a busy loop, no event),
// ioctlAsync, addressListChange, and the next() of an addressListChanges loop. The C baseline is
// bench/c/abort_cancel.c.
//
// Run (the repo at Z:\src in the Windows bed): deno.exe run -A --no-config bench/abort_bench.ts,
// bun.exe bench/abort_bench.ts; optional argument: the number of cycles (default 200).
import { SIO_ADDRESS_LIST_CHANGE } from "../codes/mod.ts";
import { OVERLAPPED_SIZE } from "../ffi/native.ts";
import { nativeApi } from "../ffi/select.ts";
import { ioctlAsync } from "../ioctl_async.ts";
import { Socket } from "../socket.ts";
import { addressListChange, addressListChanges } from "../sio/notify.ts";
import { startAddressListChange } from "../tests/_helpers/overlapped.ts";

const native = nativeApi();
if (native.os !== "windows") throw new Error("abort_bench: Windows only (the Wine bed)");
const argv = (globalThis as { process?: { argv: string[] } }).process?.argv ?? [];
const cycles = Number(argv.find((a) => /^\d+$/.test(a)) ?? 200);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

using s = Socket.open("inet", "dgram");

/** Milliseconds from abort to settled, once per cycle. */
async function measure(start: (signal: AbortSignal) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const controller = new AbortController();
    // Settled either way: a wait rejects, an iterator's next() resolves `done`.
    const wait = start(controller.signal).then(() => {}, () => {});
    await sleep(2);
    const t0 = performance.now();
    controller.abort();
    await wait;
    out.push(performance.now() - t0);
  }
  return out;
}

/** The floor: CancelIoEx and the status polled in a busy loop, no event, no FFI wait. */
function floor(): number[] {
  const out: number[] = [];
  const event = native.createEvent();
  try {
    for (let i = 0; i < cycles; i++) {
      const overlapped = new Uint8Array(new ArrayBuffer(OVERLAPPED_SIZE));
      const r = startAddressListChange(native, s.handle, overlapped, event);
      if (r >= 0 || native.lastError() !== 997) throw new Error("abort_bench: not pending");
      const t0 = performance.now();
      native.cancelIo(s.handle, overlapped);
      while (native.overlappedStatus(overlapped) < 0 && native.lastError() === 997) {
        if (performance.now() - t0 > 5000) throw new Error("abort_bench: the cancel never landed");
      }
      out.push(performance.now() - t0);
      native.resetEvent(event);
    }
  } finally {
    native.closeEvent(event);
  }
  return out;
}

function row(name: string, ms: number[]): void {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const total = ms.reduce((a, b) => a + b, 0);
  console.log(
    `${name.padEnd(34)} median ${at(0.5).toFixed(2).padStart(7)} ms  p95 ${
      at(0.95).toFixed(2).padStart(7)
    } ms  max ${sorted.at(-1)!.toFixed(2).padStart(7)} ms  (${cycles} cycles: ${
      total.toFixed(0)
    } ms of settling)`,
  );
}

const runtime = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined"
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`;
console.log(
  `abort → settled, ${runtime} (${native.runtime}), windows${native.wine ? " (Wine)" : ""}`,
);
row("native floor (CancelIoEx, busy poll)", floor());
row(
  "ioctlAsync",
  await measure((signal) => ioctlAsync(s, SIO_ADDRESS_LIST_CHANGE, null, null, { signal })),
);
row("addressListChange", await measure((signal) => addressListChange(s, { signal })));
row(
  "addressListChanges next()",
  await measure((signal) => addressListChanges(s, { signal }).next()),
);
