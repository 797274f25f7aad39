// The one benchmark table (`npm run bench`, bench/run.ts): what is measured, the shape of the
// results the runtimes' workers hand back, and the Markdown the driver prints and writes into
// README.md between its markers. Pure: no FFI, no files; tests/bench_table_test.ts checks the
// README's table against the shape this module defines, never against numbers.

/** Where a row's C and raw FFI baselines come from: the native function both call. */
export type Native = "fionread" | "tcp_info" | "errqueue" | "first" | undefined;

/** One operation: a row per runtime. */
export interface Operation {
  /** The key in the workers' results. */
  readonly id: string;
  /** The operation as the table names it. */
  readonly label: string;
  /** The native function the C program and the raw FFI call time; undefined: none. */
  readonly native: Native;
}

/** The operations, in the table's order. */
export const OPERATIONS: readonly Operation[] = [
  { id: "bytesAvailable.socket", label: "`bytesAvailable(socket)`", native: "fionread" },
  {
    id: "bytesAvailable.handle",
    label: "`bytesAvailable(handle)`, a handle wsioctl opened",
    native: "fionread",
  },
  {
    id: "bytesAvailable.runtime",
    label: "`bytesAvailable(h)`, `h = handleOf(net.Socket)` taken once",
    native: "fionread",
  },
  {
    id: "ioctl.fionread",
    label: "`ioctl(socket, FIONREAD, null, Uint32Array)`",
    native: "fionread",
  },
  { id: "tcpInfo", label: "`tcpInfo(socket, 0, into)`", native: "tcp_info" },
  {
    id: "txPoll",
    label: "`txTimestampPoller(socket).poll(id)`, no stamp queued",
    native: "errqueue",
  },
  { id: "decodeIoctl", label: "`decodeIoctl(SIO_KEEPALIVE_VALS)`", native: undefined },
  { id: "lookupIoctl", label: "`lookupIoctl(SIO_KEEPALIVE_VALS)`", native: undefined },
  {
    id: "firstCall",
    label: "first call: `import`, `Socket.open`, `bytesAvailable` (a fresh process)",
    native: "first",
  },
];

/** What each native baseline calls, for the note under the table. */
export const NATIVE_CALLS: Readonly<Record<Exclude<Native, undefined>, string>> = {
  fionread: "`ioctl(fd, FIONREAD, &n)` on a connected loopback TCP socket",
  tcp_info: "`getsockopt(fd, IPPROTO_TCP, TCP_INFO, buf, &len)`, 248 bytes",
  errqueue: "`recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT)` on an empty error queue " +
    "(a UDP socket)",
  first: "`socket()` then `ioctl(FIONREAD)` (raw FFI: the runtime's FFI opens libc and binds " +
    "both first; C: the process's first two calls)",
};

/** A timed case: nanoseconds per call over interleaved rounds. */
export interface Stat {
  /** The median round, ns per call. */
  readonly median: number;
  /** The fastest round, ns per call. */
  readonly min: number;
  /** How many rounds (fresh processes for the first call). */
  readonly rounds: number;
  /** Calls per round. */
  readonly calls: number;
}

/** A case that was not measured, and why. */
export interface Skipped {
  /** Why, as the table prints it (e.g. `"unsupported on linux"`). */
  readonly skipped: string;
}

/** A measurement, or the reason there is none. */
export type Outcome = Stat | Skipped;

/** Heap growth per call (see bench/_measure.ts). */
export interface Alloc {
  /** Bytes the heap grew per call, nothing collected between the two readings. */
  readonly bytesPerCall: number;
  /** Bytes per call still there after a full collection. */
  readonly retainedPerCall: number;
  /** Calls measured. */
  readonly calls: number;
}

/** One runtime's results for one operation. */
export interface OpResult {
  readonly c?: Outcome;
  readonly raw?: Outcome;
  readonly wsioctl?: Outcome;
  readonly alloc?: Alloc | Skipped;
}

/** One runtime's row group. */
export interface RuntimeResult {
  /** The runtime, its version and its FFI, e.g. `"Deno 2.9.6 (Deno.dlopen)"`. */
  readonly runtime: string;
  /** Set when the whole runtime was skipped: every operation then says why. */
  readonly skipped?: string;
  /** Results per operation id. */
  readonly ops: Readonly<Record<string, OpResult>>;
}

/** The machine and the run. */
export interface Host {
  /** e.g. `"Linux 6.18.44 x86_64"`. */
  readonly os: string;
  /** e.g. `"AMD EPYC (2 cores)"`. */
  readonly cpu: string;
  /** The day, `YYYY-MM-DD`. */
  readonly date: string;
  /** The 1-minute load average when the run started (other work on the machine). */
  readonly load: string;
  /** Interleaved rounds per operation, calls per allocation reading, fresh processes. */
  readonly plan: string;
  /** What the allocation measure reads for nothing and for a known allocation, per runtime. */
  readonly controls: readonly string[];
}

/** The table's columns. */
export const HEADER: readonly string[] = [
  "operation",
  "runtime",
  "OS",
  "CPU",
  "C",
  "raw FFI",
  "wsioctl",
  "wsioctl ÷ raw",
  "bytes/call",
];

const isStat = (o: Outcome | Alloc | undefined): o is Stat => o !== undefined && "median" in o;

/** The unit a duration is printed in: ns below 10 µs, µs below 10 ms, ms above. */
function unitOf(ns: number): [string, number] {
  if (ns < 1e4) return ["ns", 1];
  if (ns < 1e7) return ["µs", 1e3];
  return ["ms", 1e6];
}

/**
 * A duration in `unit`'s scale (by default its own), 3 significant digits at least.
 *
 * @param ns Nanoseconds.
 * @param scale Nanoseconds per unit.
 * @returns The number, without its unit.
 */
export function amount(ns: number, scale = unitOf(ns)[1]): string {
  const v = ns / scale;
  return v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0);
}

/** A timed cell: median and fastest round (in the median's unit), or why there is none. */
export function statCell(o: Outcome | undefined): string {
  if (o === undefined) return "—";
  if (!isStat(o)) return o.skipped;
  const [unit, scale] = unitOf(o.median);
  return `${amount(o.median, scale)} ${unit} (min ${amount(o.min, scale)})`;
}

/** The ratio cell: wsioctl's median over the raw call's (and the same of the fastest rounds). */
export function ratioCell(raw: Outcome | undefined, ws: Outcome | undefined): string {
  if (!isStat(raw) || !isStat(ws)) return "—";
  return `${(ws.median / raw.median).toFixed(2)}× (min ${(ws.min / raw.min).toFixed(2)}×)`;
}

/** The allocation cell: bytes per call, one decimal (and what a collection left, if any). */
export function allocCell(a: Alloc | Skipped | undefined): string {
  if (a === undefined || "skipped" in a) return "—";
  const kept = a.retainedPerCall >= 0.5 ? ` (${a.retainedPerCall.toFixed(1)} kept)` : "";
  return `${a.bytesPerCall.toFixed(1)}${kept}`;
}

/** The rows, as cells, in the table's order; a runtime that was skipped is one row, last. */
export function rows(host: Host, results: readonly RuntimeResult[]): string[][] {
  const out: string[][] = [];
  for (const op of OPERATIONS) {
    for (const r of results) {
      if (r.skipped !== undefined) continue;
      const o: OpResult = r.ops[op.id] ?? {};
      const noNative = op.native === undefined ? "no native call" : undefined;
      out.push([
        op.label,
        r.runtime,
        host.os,
        host.cpu,
        noNative ?? statCell(o.c),
        noNative ?? statCell(o.raw),
        statCell(o.wsioctl),
        ratioCell(o.raw, o.wsioctl),
        allocCell(o.alloc),
      ]);
    }
  }
  for (const r of results) {
    if (r.skipped === undefined) continue;
    out.push([EVERY_OPERATION, r.runtime, host.os, host.cpu, "—", "—", r.skipped, "—", "—"]);
  }
  return out;
}

/** The operation cell of a skipped runtime's one row. */
export const EVERY_OPERATION = "every operation";

/** A Markdown table, columns padded (the README's copy is laid out by `deno fmt`). */
export function markdownTable(header: readonly string[], body: readonly string[][]): string {
  const width = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(width[i])).join(" | ")} |`;
  return [line(header), line(width.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** The README's markers around the generated part. */
export const README_BEGIN = "<!-- bench: generated by `npm run bench -- --readme` -->";
/** The end marker. */
export const README_END = "<!-- bench: end -->";

/** The whole generated part: the run's caption, the table, the notes. */
export function report(host: Host, results: readonly RuntimeResult[]): string {
  const natives = Object.values(NATIVE_CALLS).map((n) => `- ${n}`);
  return [
    `Measured ${host.date} on ${host.os}, ${host.cpu}, 1-minute load average ${host.load} at ` +
    `the start (other work shares the machine: read the medians, and the fastest rounds as ` +
    `the floor). ${host.plan}`,
    "",
    markdownTable(HEADER, rows(host, results)),
    "",
    "What the C program (`bench/c/baseline.c`) and the raw FFI call (bound in the benchmark " +
    "through the runtime's own FFI, without wsioctl) call:",
    "",
    ...natives,
    "",
    `The bytes column's controls: ${host.controls.join("; ")}.`,
  ].join("\n");
}

/**
 * README.md with `block` between its markers.
 *
 * @throws {Error} when the markers are missing or out of order.
 */
export function spliceReadme(readme: string, block: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) {
    throw new Error(`README.md lacks the markers ${README_BEGIN} … ${README_END}`);
  }
  return `${readme.slice(0, begin + README_BEGIN.length)}\n\n${block}\n\n${readme.slice(end)}`;
}

/** The generated part of README.md (between the markers). */
export function readmeBlock(readme: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error("README.md lacks the bench markers");
  return readme.slice(begin + README_BEGIN.length, end);
}

/** The cells of the first Markdown table in `text`, header first (separator row dropped). */
export function parseTable(text: string): string[][] {
  const lines = text.split("\n").map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith("|"));
  if (start < 0) return [];
  const table: string[][] = [];
  for (let i = start; i < lines.length && lines[i].startsWith("|"); i++) {
    const cells = lines[i].slice(1, -1).split("|").map((c) => c.trim());
    if (i === start + 1 && cells.every((c) => /^:?-+:?$/.test(c))) continue;
    table.push(cells);
  }
  return table;
}
