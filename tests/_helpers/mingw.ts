/**
 * Runs x86_64-w64-mingw32-gcc (or, for the Linux layouts, this machine's gcc) on generated C for
 * the layout and code proofs. In CI (CI set) a missing compiler is a failure; elsewhere the
 * calling test skips with the reason.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** The cross compiler's name. */
export const MINGW_GCC = "x86_64-w64-mingw32-gcc";

/** The defines that select the Windows 10 / current SDK view of the headers. */
export const MINGW_DEFINES = ["-D_WIN32_WINNT=0x0A00", "-DNTDDI_VERSION=0x0A00000F"];

/**
 * Why the C proof cannot run here, or undefined when it can. Throws in CI so that a missing
 * compiler fails the run instead of skipping it.
 */
export function mingwUnavailable(): string | undefined {
  return unavailable(MINGW_GCC, "gcc-mingw-w64-x86-64");
}

/** This machine's C compiler, for the proofs against its own (Linux) headers. */
export const HOST_GCC = "gcc";

/**
 * Why the proof against this machine's Linux headers cannot run here, or undefined when it
 * can. Throws in CI, as {@link mingwUnavailable}.
 */
export function gccUnavailable(): string | undefined {
  return unavailable(HOST_GCC, "gcc linux-libc-dev");
}

function unavailable(compiler: string, packages: string): string | undefined {
  const found = spawnSync(compiler, ["--version"], { encoding: "utf8" });
  if (found.status === 0) return undefined;
  const reason = `${compiler} not found (apt-get install ${packages})`;
  if (process.env.CI) throw new Error(`${reason}: the C proof never skips in CI`);
  return reason;
}

/** The result of one compile. */
export interface CompileResult {
  ok: boolean;
  stderr: string;
}

/**
 * Compiles `source` with -fsyntax-only and returns the outcome with the compiler's stderr: with
 * the Windows SDK's defines under mingw (the default), as it is under {@link HOST_GCC}.
 */
export function compileC(
  source: string,
  extraArgs: string[] = [],
  compiler = MINGW_GCC,
): CompileResult {
  const dir = mkdtempSync(join(tmpdir(), "wsioctl-c-"));
  try {
    const file = join(dir, "proof.c");
    writeFileSync(file, source);
    try {
      execFileSync(
        compiler,
        [
          "-fsyntax-only",
          "-Wall",
          ...(compiler === MINGW_GCC ? MINGW_DEFINES : []),
          ...extraArgs,
          file,
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
      return { ok: true, stderr: "" };
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? error);
      return { ok: false, stderr };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
