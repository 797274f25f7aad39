/**
 * Internal: how the CLI (`cli.ts`) reads its arguments — options, numbers, types and codes — and
 * the one wording of its usage errors.
 *
 * @module
 */

import { checkCode } from "./_validate.ts";
import { IOC_TYPES, type IoctlType, lookupIoctl } from "./codes/mod.ts";

/** A command's parsed options: `--name value` strings, boolean flags, `help`. */
export type Options = Record<string, string | boolean | undefined>;

/** A usage error: the CLI prints its message on one line and exits with status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The one wording of an unknown command, option or argument, with where to look instead. */
export function unknown(kind: "command" | "option" | "argument", name: string, command?: string) {
  const where = command === undefined ? "" : ` for ${command}`;
  const see = command === undefined ? "wsioctl help" : `wsioctl help ${command}`;
  return new UsageError(`unknown ${kind} ${JSON.stringify(name)}${where} (try: ${see})`);
}

/** A negative decimal: a value (decode -1744830460), never an option. */
const NEGATIVE = /^-\d+$/;

/**
 * Splits a command's arguments into options and positionals: `--name value`, `--name=value`,
 * boolean `--name`, `--help` / `-h` everywhere, `--` ends the options.
 */
export function parseOptions(
  command: string,
  args: string[],
  types: Readonly<Record<string, "string" | "boolean">>,
): { values: Options; positionals: string[] } {
  const values: Options = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-" || NEGATIVE.test(arg)) {
      positionals.push(arg);
      continue;
    }
    if (arg === "--help" || arg === "-h") {
      values.help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const name = flag.slice(2);
    if (!flag.startsWith("--") || !Object.hasOwn(types, name)) {
      throw unknown("option", flag, command);
    }
    if (types[name] === "boolean") {
      if (eq >= 0) throw new UsageError(`option ${flag} of ${command} takes no value`);
      values[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq < 0 && value.startsWith("-") && !NEGATIVE.test(value))) {
      throw new UsageError(`option ${flag} of ${command} needs a value`);
    }
    values[name] = value;
  }
  return { values, positionals };
}

export function parseType(text: string): IoctlType {
  const index = (IOC_TYPES as readonly string[]).indexOf(text.toLowerCase());
  if (index >= 0) return index as IoctlType;
  if (/^[0-3]$/.test(text)) return Number(text) as IoctlType;
  throw new UsageError(
    `--type must be unix, ws2, protocol, vendor or 0-3, got ${JSON.stringify(text)}`,
  );
}

/** A decimal (maybe negative) or 0x-prefixed hex number. */
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|-?\d+)$/;

export function parseNumber(text: string, name: string, max: number): number {
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
export function parseCode(text: string): number {
  if (NUMBER.test(text)) {
    try {
      return checkCode(Number(text), "code"); // the library's one rule for codes
    } catch {
      throw new UsageError(`code ${text} is out of the 32-bit range`);
    }
  }
  const found = lookupIoctl(text);
  if (found.length === 0) {
    throw new UsageError(`${JSON.stringify(text)} is neither a number nor a known code name`);
  }
  return found[0].value;
}
