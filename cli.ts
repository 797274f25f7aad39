/**
 * `wsioctl`, the command line: list, decode and encode Winsock control codes, and probe what the
 * sockets of this machine accept.
 *
 * ```sh
 * wsioctl list [--json] [--header mstcpip.h] [--type vendor] [--seed] [--typed]
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

import process from "node:process";
import {
  type DecodedIoctl,
  decodeIoctl,
  encodeIoctl,
  formatCode,
  IOC_TYPES,
  type IoctlInfo,
  type IoctlIo,
  IOCTLS,
  lookupIoctl,
} from "./codes/mod.ts";
import { describeBuffers, hex } from "./codes/format.ts";
import { typedCallsOf } from "./sio/calls.ts";
import { PLATFORMS, typedCallRows } from "./sio/platforms.ts";
import {
  type Options,
  parseCode,
  parseNumber,
  parseOptions,
  parseType,
  unknown,
  UsageError,
} from "./_cli_args.ts";

/** The package version, as deno.json gives it (tests/cli_test.ts keeps the two equal). */
const VERSION = "0.1.0";

/** Where the CLI writes: one call per line, without the newline. */
export interface CliOutput {
  /** Standard output. */
  out: (line: string) => void;
  /** Standard error. */
  err: (line: string) => void;
}

const USAGE = `Usage: wsioctl <command> [options]

Commands:
  list [--json] [--header H] [--type T] [--seed] [--typed]
                                                   the code table, one row per code; --typed:
                                                   the typed calls and where each runs
  decode <hex | decimal | name>                    every name of a value and its bit fields
  encode --io in|out|inout|void --type T [--family N] --code N
                                                   build a code from its fields
  probe                                            run the codes that apply on this machine
  help [command]                                   this text, or one command's help

T is unix, ws2, protocol, vendor or 0-3. Numbers may be decimal or 0x-prefixed hex.
wsioctl --version prints the version, wsioctl <command> --help the command's help.`;

/** What decode's `io: none` and `io: invalid` mean; `wsioctl help decode` says the same. */
const IO_NOTES = {
  none: 'none of I, O and V is set: it declares neither buffers nor "no parameters"',
  invalid: "V (no parameters) is set together with I or O (buffers): a contradiction",
};

/** A command: its options (long ones only, `--name value` or `--name=value`), help and code. */
interface Command {
  options: Readonly<Record<string, "string" | "boolean">>;
  help: string;
  run: (values: Options, positionals: string[], io: CliOutput) => number | Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  list: {
    options: {
      json: "boolean",
      header: "string",
      type: "string",
      seed: "boolean",
      typed: "boolean",
    },
    help: `Usage: wsioctl list [--json] [--header H] [--type T] [--seed] [--typed]

One row per SDK name: value, direction (the one really used in parentheses where the direction
bits lie), type, vendor/family field, code field, header and summary.

  --json        the rows as JSON, with every field of the table
  --header H    only the names one SDK header defines (winsock2.h, mstcpip.h, …)
  --type T      only one type (the T bits): unix, ws2, protocol, vendor or 0-3
  --seed        only the 53 codes of the seed: Microsoft's "Winsock IOCTLs" reference page,
                the document this table was started from (the SDK headers add the rest)
  --typed       the typed calls instead, one row per call: its codes and what Windows, Linux
                and macOS do with it — native (the platform's own call), emulated (built from
                the platform's calls, with Windows' answers; how, on the lines below the row)
                or unsupported (UnsupportedError; what the platform offers instead, where it
                offers something). With --header, --type or --seed: the calls of those codes.`,
    run: list,
  },
  decode: {
    options: {},
    help: `Usage: wsioctl decode <hex | decimal | name>

Takes any 32-bit value apart bit by bit and prints every SDK name it has, with each name's macro,
header, buffers and summary. A negative decimal is read as an int32 (-1744830460 is 0x98000004).

io is the direction the I, O and V bits declare: in (I), out (O), inout (I and O) or void (V: no
parameters). No SDK macro builds the other two, so such a value is no Winsock code:
  io: none      ${IO_NOTES.none}
  io: invalid   ${IO_NOTES.invalid}`,
    run: decode,
  },
  encode: {
    options: { io: "string", type: "string", family: "string", code: "string" },
    help: `Usage: wsioctl encode --io in|out|inout|void --type T [--family N] --code N

Builds a code from its fields and prints it with its SDK names, if any.

  --io       the buffers it declares: in (I bit), out (O), inout (I and O) or void (V)
  --type T   unix, ws2, protocol, vendor or 0-3 (the T bits)
  --family N the 11-bit vendor / address family / Unix parameter size field, 0-2047 (default 0)
  --code N   the 16-bit code, 0-65535 (numbers: decimal or 0x-prefixed hex)`,
    run: encode,
  },
  probe: {
    options: {},
    help: `Usage: wsioctl probe

Runs every code of the table on loopback sockets, one row per code with what it returned or the
exact error. The *_CHANGE codes are started with ioctlAsync, then cancelled. On Windows every
code reaches Winsock; elsewhere the codes the platform can do run (FIONREAD, FIONBIO, SIOCATMARK,
keep-alive, the interface queries, and on Linux and macOS the portable set: multicast scope and
loopback, broadcast address, base handles, the address-list and routing-interface changes on a
routing socket, on Linux RSS processor and CPU affinity) and the others print "unsupported",
with what the platform offers instead where there is something.
Exits 1 when FIONREAD, FIONBIO or SIOCATMARK fails. Needs --allow-ffi under Deno.`,
    run: probe,
  },
  help: {
    options: {},
    help: `Usage: wsioctl help [command]

Prints the overview of the commands, or the help of one command.`,
    run: help,
  },
};

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
    const [name, ...rest] = args;
    if (name === undefined) {
      io.err(USAGE);
      return 2;
    }
    if (name === "--help" || name === "-h") return help({}, rest, io);
    if (name === "--version") {
      if (rest.length > 0) throw unknown("argument", rest[0]);
      io.out(`wsioctl ${VERSION}`);
      return 0;
    }
    if (!Object.hasOwn(COMMANDS, name)) {
      throw unknown(name.startsWith("-") ? "option" : "command", name);
    }
    const command = COMMANDS[name];
    const { values, positionals } = parseOptions(name, rest, command.options);
    if (values.help === true) {
      io.out(command.help);
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`wsioctl: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

let quietOnClosedPipe = false;

function defaultOutput(): CliOutput {
  // A reader that goes away early (`wsioctl list | head`) makes the next write fail with EPIPE,
  // reported as an "error" event on stdout: end quietly, successfully, as Unix tools do.
  if (!quietOnClosedPipe) {
    quietOnClosedPipe = true;
    process.stdout.on("error", (error: { code?: unknown; message?: unknown }) => {
      if (error?.code === "EPIPE" || /EPIPE/.test(String(error?.message))) process.exit(0);
      throw error;
    });
  }
  return {
    out: (line) => process.stdout.write(line + "\n"),
    err: (line) => process.stderr.write(line + "\n"),
  };
}

// ---- help -------------------------------------------------------------------------------------

function help(_values: Options, positionals: string[], io: CliOutput): number {
  if (positionals.length > 1) throw unknown("argument", positionals[1], "help");
  const [name] = positionals;
  if (name === undefined) io.out(USAGE);
  else if (Object.hasOwn(COMMANDS, name)) io.out(COMMANDS[name].help);
  else throw unknown("command", name);
  return 0;
}

// ---- list -------------------------------------------------------------------------------------

function list(values: Options, positionals: string[], io: CliOutput): number {
  if (positionals.length > 0) throw unknown("argument", positionals[0], "list");
  let rows: readonly IoctlInfo[] = IOCTLS;
  if (typeof values.header === "string") {
    const header = values.header.toLowerCase();
    const known = new Set(IOCTLS.map((i) => i.header));
    if (!known.has(header)) {
      throw new UsageError(
        `unknown header ${JSON.stringify(values.header)} (one of: ${[...known].join(", ")})`,
      );
    }
    rows = rows.filter((i) => i.header === header);
  }
  if (typeof values.type === "string") {
    const type = parseType(values.type);
    rows = rows.filter((i) => i.type === type);
  }
  if (values.seed) rows = rows.filter((i) => i.seed);
  if (values.typed) return listTyped(new Set(rows.map((i) => i.name)), values.json === true, io);
  if (values.json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const table = rows.map((i) => [
    i.name,
    formatCode(i.value),
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

/** `list --typed`: the typed calls of the codes named in `codes`, and where each runs. */
function listTyped(codes: Set<string>, json: boolean, io: CliOutput): number {
  const rows = typedCallRows().filter((r) => r.codes.some((c) => codes.has(c)));
  if (json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const head = ["CALL", "IOCTL", ...PLATFORMS.map((p) => p.toUpperCase())];
  const table = rows.map((r) => [r.call, r.codes.join(","), ...PLATFORMS.map((p) => r[p].kind)]);
  const lines = align([head, ...table]);
  io.out(lines[0]);
  rows.forEach((r, i) => {
    io.out(lines[i + 1]);
    for (const p of PLATFORMS) {
      const { how, instead } = r[p];
      if (how !== undefined) io.out(`  ${p}: ${how}`);
      if (instead !== undefined) io.out(`  ${p}: instead: ${instead}`);
    }
  });
  io.out(`${rows.length} typed calls`);
  return 0;
}

function align(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ")
  );
}

// ---- decode -----------------------------------------------------------------------------------

function decode(_values: Options, positionals: string[], io: CliOutput): number {
  if (positionals.length !== 1) {
    throw new UsageError("decode takes one code: a hex or decimal value, or a name");
  }
  const value = parseCode(positionals[0]);
  const names = lookupIoctl(value);
  const d = decodeIoctl(value);
  const title = names.length > 0 ? names.map((i) => i.name).join(" = ") : "(no SDK name)";
  io.out(`${formatCode(value)}  ${title}`);
  for (const line of drawBits(d)) io.out("  " + line);
  const typeText = `${d.type} (${d.typeName})`;
  const familyLabel = d.type === 0 ? "param size" : d.type === 2 ? "address family" : "vendor";
  let fields = `I=${flag(d.input)} O=${flag(d.output)} V=${flag(d.void)}  io: ${d.io}  ` +
    `T: ${typeText}  ${familyLabel}: ${d.family}  code: ${d.code} (${hex(d.code, 4)})`;
  if (d.group !== undefined) fields += `  group '${d.group}' number ${d.number}`;
  io.out("  " + fields);
  if (d.io === "none" || d.io === "invalid") {
    io.out(`  io: ${d.io} means ${IO_NOTES[d.io]}; no SDK macro builds such a code`);
  }
  for (const info of names) {
    io.out("");
    io.out(`  ${info.name}`);
    const { input, output } = describeBuffers(info);
    const really = info.realIo && `${info.realIo} (the direction bits say ${info.io})`;
    const seedSays = info.seedOpcode ? `; the seed says "${info.seedOpcode}"` : "";
    const rows: [string, string | undefined][] = [
      ["macro", info.aliasOf ? `#define ${info.name} ${info.aliasOf}` : info.macro],
      ["header", `${info.header}, since ${info.since}`],
      ["input", input],
      ["output", output],
      ["really", really],
      ["seed", info.seed ? `yes${seedSays}` : undefined],
      ["summary", info.summary],
      ["typed", typedCallsOf(info.name).map((c) => `${c}()`).join(", ") || undefined],
    ];
    for (const [k, v] of rows) if (v) io.out(`    ${(k + ":").padEnd(9)}${v}`);
  }
  return 0;
}

function flag(bit: boolean): string {
  return bit ? "1" : "0";
}

/** Draws the bits like the seed's diagram: I, O, V, T, vendor/family, code. */
function drawBits(d: DecodedIoctl): string[] {
  const bits = d.value.toString(2).padStart(32, "0");
  const ends = [1, 2, 3, 5, 16, 32];
  const rows = [
    ["31", "30", "29", "28-27", "26-16", "15-0"],
    ["I", "O", "V", "T", "vendor/family", "code"],
    ends.map((end, i) => bits.slice(ends[i - 1] ?? 0, end)),
  ];
  const widths = ends.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join(" ").trimEnd());
}

// ---- encode -----------------------------------------------------------------------------------

function encode(values: Options, positionals: string[], io: CliOutput): number {
  if (positionals.length > 0) throw unknown("argument", positionals[0], "encode");
  if (typeof values.io !== "string") throw new UsageError("encode needs --io in|out|inout|void");
  if (!["in", "out", "inout", "void"].includes(values.io)) {
    throw new UsageError(`--io must be in, out, inout or void, got ${JSON.stringify(values.io)}`);
  }
  if (typeof values.type !== "string") {
    throw new UsageError("encode needs --type unix|ws2|protocol|vendor");
  }
  if (typeof values.code !== "string") throw new UsageError("encode needs --code N");
  const type = parseType(values.type);
  const family = typeof values.family === "string"
    ? parseNumber(values.family, "--family", 0x7ff)
    : 0;
  const code = parseNumber(values.code, "--code", 0xffff);
  const value = encodeIoctl({ io: values.io as IoctlIo, type, family, code });
  const names = lookupIoctl(value).map((i) => i.name);
  io.out(`${formatCode(value)}${names.length > 0 ? "  " + names.join(" = ") : ""}`);
  return 0;
}

// ---- probe ------------------------------------------------------------------------------------

async function probe(_values: Options, positionals: string[], io: CliOutput): Promise<number> {
  if (positionals.length > 0) throw unknown("argument", positionals[0], "probe");
  const { runProbe } = await import("./_probe.ts");
  return await runProbe(io.out);
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
