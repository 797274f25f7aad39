/**
 * `wsioctl`, the command line: list, decode and encode Winsock control codes, and probe what the
 * sockets of this machine accept.
 *
 * ```sh
 * wsioctl list [--json] [--header mstcpip.h] [--type vendor] [--seed]
 * wsioctl decode 0x98000004            # or a decimal value, or a name
 * wsioctl encode --io in --type vendor --code 4
 * wsioctl probe                        # needs --allow-ffi under Deno
 * ```
 *
 * @example
 * ```ts
 * import { main } from "@x/wsioctl/cli";
 * const lines: string[] = [];
 * const status = await main(["decode", "FIONREAD"], { out: (l) => lines.push(l), err: console.error });
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import process from "node:process";
import {
  type DecodedIoctl,
  decodeIoctl,
  encodeIoctl,
  IOC_TYPES,
  type IoctlInfo,
  type IoctlIo,
  IOCTLS,
  type IoctlType,
  lookupIoctl,
} from "./codes/mod.ts";

/** Where the CLI writes: one call per line, without the newline. */
export interface CliOutput {
  /** Standard output. */
  out: (line: string) => void;
  /** Standard error. */
  err: (line: string) => void;
}

/** A usage error: the CLI prints its message on one line and exits with status 2. */
class UsageError extends Error {
  override name = "UsageError";
}

const USAGE = `Usage: wsioctl <command> [options]

Commands:
  list [--json] [--header H] [--type T] [--seed]   the code table, one row per code
  decode <hex | decimal | name>                    every name of a value and its bit fields
  encode --io in|out|inout|void --type T [--family N] --code N
                                                   build a code from its fields
  probe                                            run the codes that apply on this machine
  help                                             this text

T is unix, ws2, protocol, vendor or 0-3. Numbers may be decimal or 0x-prefixed hex.`;

/**
 * Runs the CLI with the given arguments.
 *
 * @param args The arguments after the program name.
 * @param io Where to write; defaults to the process's stdout and stderr.
 * @returns The exit status: 0 on success, 1 when a probe found failures, 2 on a usage error.
 * @example
 * ```ts
 * import { main } from "@x/wsioctl/cli";
 * await main(["encode", "--io", "in", "--type", "vendor", "--code", "4"]);
 * ```
 */
export async function main(args: string[], io: CliOutput = defaultOutput()): Promise<number> {
  try {
    const [command, ...rest] = args;
    switch (command) {
      case "list":
        return list(rest, io);
      case "decode":
        return decode(rest, io);
      case "encode":
        return encode(rest, io);
      case "probe":
        return await probe(rest, io);
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return 0;
      case undefined:
        io.err(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)} (try: wsioctl help)`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      // parseArgs explains at length after the first sentence; one line is enough here.
      const message = (error as Error).message.split(/\. |\n/)[0];
      io.err(`wsioctl: ${message}`);
      return 2;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

function defaultOutput(): CliOutput {
  // A closed pipe (`wsioctl list | head`) surfaces as an "error" event: end quietly.
  process.stdout.on("error", (error: { code?: unknown; message?: unknown }) => {
    if (error?.code === "EPIPE" || /EPIPE/.test(String(error?.message))) process.exit(0);
    throw error;
  });
  return {
    out: (line) => process.stdout.write(line + "\n"),
    err: (line) => process.stderr.write(line + "\n"),
  };
}

// ---- list -------------------------------------------------------------------------------------

function list(args: string[], io: CliOutput): number {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: "boolean", default: false },
      header: { type: "string" },
      type: { type: "string" },
      seed: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    throw new UsageError(`list takes no arguments, got ${positionals[0]}`);
  }
  let rows: readonly IoctlInfo[] = IOCTLS;
  if (values.header !== undefined) {
    const header = values.header.toLowerCase();
    const known = new Set(IOCTLS.map((i) => i.header));
    if (!known.has(header)) {
      throw new UsageError(
        `unknown header ${JSON.stringify(values.header)} (one of: ${[...known].join(", ")})`,
      );
    }
    rows = rows.filter((i) => i.header === header);
  }
  if (values.type !== undefined) {
    const type = parseType(values.type);
    rows = rows.filter((i) => i.type === type);
  }
  if (values.seed) rows = rows.filter((i) => i.seed);
  if (values.json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const table = rows.map((i) => [
    i.name,
    hex(i.value),
    i.realIo ? `${i.io}(${i.realIo})` : i.io,
    IOC_TYPES[i.type],
    String(i.family),
    hex(i.code, 4),
    i.header,
    i.summary,
  ]);
  const head = ["NAME", "VALUE", "IO", "TYPE", "FAMILY", "CODE", "HEADER", "SUMMARY"];
  for (const line of align([head, ...table])) io.out(line);
  io.out(`${rows.length} codes`);
  return 0;
}

function align(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ")
  );
}

// ---- decode -----------------------------------------------------------------------------------

function decode(args: string[], io: CliOutput): number {
  // A negative int32 (`-1744830460`, as C prints (int)0x98000004) is a value, not an option.
  const negatives = args.filter((a) => /^-\d+$/.test(a));
  const parsed = parseArgs({
    args: args.filter((a) => !/^-\d+$/.test(a)),
    options: {},
    strict: true,
    allowPositionals: true,
  });
  const positionals = [...parsed.positionals, ...negatives];
  if (positionals.length !== 1) {
    throw new UsageError("decode takes one code: a hex or decimal value, or a name");
  }
  const value = parseCode(positionals[0]);
  const names = lookupIoctl(value);
  const d = decodeIoctl(value);
  const title = names.length > 0 ? names.map((i) => i.name).join(" = ") : "(no SDK name)";
  io.out(`${hex(value)}  ${title}`);
  for (const line of drawBits(d)) io.out("  " + line);
  const typeText = `${d.type} (${d.typeName})`;
  const familyLabel = d.type === 0 ? "param size" : d.type === 2 ? "address family" : "vendor";
  let fields = `I=${flag(d.input)} O=${flag(d.output)} V=${flag(d.void)}  io: ${d.io}  ` +
    `T: ${typeText}  ${familyLabel}: ${d.family}  code: ${d.code} (${hex(d.code, 4)})`;
  if (d.group !== undefined) fields += `  group '${d.group}' number ${d.number}`;
  io.out("  " + fields);
  for (const info of names) {
    io.out("");
    io.out(`  ${info.name}`);
    const rows: [string, string | undefined][] = [
      ["macro", info.aliasOf ? `#define ${info.name} ${info.aliasOf}` : info.macro],
      ["header", `${info.header}, since ${info.since}`],
      ["input", info.input],
      ["output", info.output],
      [
        "really",
        info.realIo ? `${info.realIo} (the direction bits say ${info.io})` : undefined,
      ],
      [
        "seed",
        info.seed
          ? `yes${info.seedOpcode ? `; the seed says "${info.seedOpcode}"` : ""}`
          : undefined,
      ],
      ["summary", info.summary],
    ];
    for (const [k, v] of rows) if (v !== undefined) io.out(`    ${(k + ":").padEnd(9)}${v}`);
  }
  return 0;
}

function flag(bit: boolean): string {
  return bit ? "1" : "0";
}

/** Draws the bits like the seed's diagram: I, O, V, T, vendor/family, code. */
function drawBits(d: DecodedIoctl): string[] {
  const bits = d.value.toString(2).padStart(32, "0");
  const cols = [
    { label: "I", bits: bits.slice(0, 1) },
    { label: "O", bits: bits.slice(1, 2) },
    { label: "V", bits: bits.slice(2, 3) },
    { label: "T", bits: bits.slice(3, 5) },
    { label: "vendor/family", bits: bits.slice(5, 16) },
    { label: "code", bits: bits.slice(16) },
  ];
  const numbers = ["31", "30", "29", "28-27", "26-16", "15-0"];
  const widths = cols.map((c, i) => Math.max(c.label.length, c.bits.length, numbers[i].length));
  return [
    numbers.map((n, i) => n.padEnd(widths[i])).join(" "),
    cols.map((c, i) => c.label.padEnd(widths[i])).join(" "),
    cols.map((c, i) => c.bits.padEnd(widths[i])).join(" "),
  ].map((l) => l.trimEnd());
}

// ---- encode -----------------------------------------------------------------------------------

function encode(args: string[], io: CliOutput): number {
  const { values, positionals } = parseArgs({
    args,
    options: {
      io: { type: "string" },
      type: { type: "string" },
      family: { type: "string" },
      code: { type: "string" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    throw new UsageError(`encode takes options only, got ${positionals[0]}`);
  }
  if (values.io === undefined) throw new UsageError("encode needs --io in|out|inout|void");
  if (!["in", "out", "inout", "void"].includes(values.io)) {
    throw new UsageError(`--io must be in, out, inout or void, got ${JSON.stringify(values.io)}`);
  }
  if (values.type === undefined) {
    throw new UsageError("encode needs --type unix|ws2|protocol|vendor");
  }
  if (values.code === undefined) throw new UsageError("encode needs --code N");
  const type = parseType(values.type);
  const family = values.family === undefined ? 0 : parseNumber(values.family, "--family", 0x7ff);
  const code = parseNumber(values.code, "--code", 0xffff);
  const value = encodeIoctl({ io: values.io as IoctlIo, type, family, code });
  const names = lookupIoctl(value).map((i) => i.name);
  io.out(`${hex(value)}${names.length > 0 ? "  " + names.join(" = ") : ""}`);
  return 0;
}

// ---- probe ------------------------------------------------------------------------------------

async function probe(args: string[], io: CliOutput): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  if (positionals.length > 0) {
    throw new UsageError(`probe takes no arguments, got ${positionals[0]}`);
  }
  const { runProbe } = await import("./_probe.ts");
  return await runProbe(io.out);
}

// ---- parsing helpers --------------------------------------------------------------------------

function parseType(text: string): IoctlType {
  const index = (IOC_TYPES as readonly string[]).indexOf(text.toLowerCase());
  if (index >= 0) return index as IoctlType;
  if (/^[0-3]$/.test(text)) return Number(text) as IoctlType;
  throw new UsageError(
    `--type must be unix, ws2, protocol, vendor or 0-3, got ${JSON.stringify(text)}`,
  );
}

const NUMBER = /^(?:0[xX][0-9a-fA-F]+|-?\d+)$/;

function parseNumber(text: string, name: string, max: number): number {
  if (!NUMBER.test(text)) {
    throw new UsageError(`${name} must be a number, got ${JSON.stringify(text)}`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new UsageError(`${name} must be between 0 and ${max}, got ${text}`);
  }
  return value;
}

/** A code given as hex, decimal (negative int32 too) or an SDK name. */
function parseCode(text: string): number {
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < -0x80000000 || value > 0xffffffff) {
      throw new UsageError(`code ${text} is out of the 32-bit range`);
    }
    return value >>> 0;
  }
  const found = lookupIoctl(text);
  if (found.length === 0) {
    throw new UsageError(`${JSON.stringify(text)} is neither a number nor a known code name`);
  }
  return found[0].value;
}

function hex(value: number, width = 8): string {
  return "0x" + value.toString(16).toUpperCase().padStart(width, "0");
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
