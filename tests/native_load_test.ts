// Loading the native layer: what a user sees when it cannot be loaded. Deno only (the FFI
// permission is Deno's); skipped under Bun, and left out of the Node leg (it calls Deno.*).

import { describe, test } from "node:test";
import assert from "node:assert/strict";

const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;

/** Runs a script that opens a socket through mod.ts, in a Deno child with `flags`. */
async function openSocketWith(flags: string[]): Promise<{ code: number; stderr: string }> {
  const mod = new URL("../mod.ts", import.meta.url).href;
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/open_socket.ts`;
    await Deno.writeTextFile(
      script,
      `import { Socket } from ${JSON.stringify(mod)};\n` +
        `Socket.open("inet", "stream").close();\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", ...flags, script],
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

describe("loading the native layer", { skip: isDeno ? false : "Deno only" }, () => {
  test("without --allow-ffi the first error line says the permission is missing", async () => {
    const { code, stderr } = await openSocketWith(["--allow-read"]);
    assert.notEqual(code, 0, stderr);
    const first = stderr.split("\n").find((line) => /error/i.test(line));
    assert.ok(first !== undefined, stderr);
    assert.match(first, /--allow-ffi/);
    assert.match(first, /FFI permission is missing/);
    assert.doesNotMatch(first, /cannot load/);
    // Deno's own refusal is kept as the cause.
    assert.match(stderr, /Caused by: (NotCapable|PermissionDenied)/);
  });

  test("the same script runs with --allow-ffi", async () => {
    const { code, stderr } = await openSocketWith(["--allow-read", "--allow-ffi"]);
    assert.equal(code, 0, stderr);
  });
});
