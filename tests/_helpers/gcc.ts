/**
 * Compiling C against this machine's headers, for the tests that check the numbers and layouts
 * written in the native layer (`_Static_assert`s): gcc with `-fsyntax-only -Wall`. Without gcc
 * the test is skipped, saying so; in CI (CI set) that is a failure instead.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/**
 * Asserts that `source` compiles; skips the calling test where gcc is missing.
 *
 * @param t The test context (its `skip`).
 * @param source The C source.
 */
export function assertCompiles(t: { skip(message?: string): void }, source: string): void {
  const found = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (found.status !== 0) {
    if (process.env.CI) assert.fail("gcc not found: the C proof never skips in CI");
    t.skip("gcc not found");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "wsioctl-c-"));
  try {
    const file = join(dir, "check.c");
    writeFileSync(file, source);
    const r = spawnSync("gcc", ["-fsyntax-only", "-Wall", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
