// The module graph of the library: no import cycle (type-only imports included), and the layering
// of shared/DESIGN.md — codes/ and structs/ are pure (no FFI, no sockets), ffi/ knows nothing of
// the layers above it, socket.ts never reaches the call path, the implementations are imported
// by the selector alone.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), ".."));
const LIBRARY_DIRS = ["", "codes", "codes/spec", "structs", "sio", "ffi"];

/** The library's source files, relative to the root ("socket.ts", "ffi/select.ts", …). */
function sources(): string[] {
  const files: string[] = [];
  for (const dir of LIBRARY_DIRS) {
    for (const name of readdirSync(join(ROOT, dir))) {
      if (name.endsWith(".ts")) files.push(dir === "" ? name : `${dir}/${name}`);
    }
  }
  return files.sort();
}

/** Every relative module a file imports or re-exports, statically (dynamic imports excluded). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8")
    // JSDoc examples import the package; they are not the module's imports.
    .replace(/\/\*\*[\s\S]*?\*\//g, "");
  const found: string[] = [];
  const re = /^(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)";/gm;
  for (const m of text.matchAll(re)) {
    found.push(relative(ROOT, join(ROOT, dirname(file), m[1])).replaceAll("\\", "/"));
  }
  return found;
}

const GRAPH = new Map(sources().map((f) => [f, importsOf(f)]));

describe("the module graph", () => {
  test("the graph is what the scan says: known files, imports found", () => {
    assert.ok(GRAPH.size > 40, `only ${GRAPH.size} files found`);
    assert.ok(GRAPH.get("ioctl.ts")!.includes("ffi/select.ts"));
    assert.ok(GRAPH.get("mod.ts")!.includes("socket.ts"));
    for (const [file, targets] of GRAPH) {
      for (const t of targets) assert.ok(GRAPH.has(t), `${file} imports ${t}, not a library file`);
    }
  });

  test("no import cycle", () => {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        const cycle = [...stack.slice(stack.indexOf(file)), file].join(" → ");
        assert.fail(`import cycle: ${cycle}`);
      }
      state.set(file, "open");
      stack.push(file);
      for (const t of GRAPH.get(file) ?? []) visit(t);
      stack.pop();
      state.set(file, "done");
    };
    for (const file of GRAPH.keys()) visit(file);
  });

  test("codes/ and structs/ are pure: they reach no FFI and no socket", () => {
    const reach = (file: string, seen = new Set<string>()): Set<string> => {
      for (const t of GRAPH.get(file) ?? []) {
        if (!seen.has(t)) {
          seen.add(t);
          reach(t, seen);
        }
      }
      return seen;
    };
    for (const file of GRAPH.keys()) {
      if (!file.startsWith("codes/") && !file.startsWith("structs/")) continue;
      for (const t of reach(file)) {
        assert.ok(
          !t.startsWith("ffi/") && !["socket.ts", "ioctl.ts", "_owner.ts"].includes(t),
          `${file} reaches ${t}`,
        );
      }
    }
  });

  test("ffi/ imports nothing above it; only select.ts imports the implementations and loaders", () => {
    for (const [file, targets] of GRAPH) {
      if (file.startsWith("ffi/")) {
        for (const t of targets) {
          assert.ok(
            t.startsWith("ffi/") || t.startsWith("codes/") || t.startsWith("structs/") ||
              t === "errors.ts" || t === "_wsa.ts",
            `${file} imports ${t}`,
          );
        }
      }
      const implementations = ["ffi/windows.ts", "ffi/posix.ts", "ffi/deno.ts", "ffi/bun.ts"];
      for (const impl of [...implementations, "ffi/node.ts"]) {
        if (targets.includes(impl)) assert.equal(file, "ffi/select.ts", `${file} imports ${impl}`);
      }
    }
  });

  test("sio/ never imports ffi/ and never asks which OS it runs on", () => {
    const typed = [...GRAPH.keys()].filter((f) => f.startsWith("sio/"));
    assert.ok(typed.length >= 4, `sio/ files: ${typed}`);
    for (const file of typed) {
      for (const t of GRAPH.get(file)!) assert.ok(!t.startsWith("ffi/"), `${file} imports ${t}`);
      const text = readFileSync(join(ROOT, file), "utf8");
      assert.doesNotMatch(text, /\bos\s*[!=]==|===?\s*"windows"/, `${file} checks the OS`);
    }
  });

  test("socket.ts holds Socket and never reaches the call path", () => {
    assert.ok(!GRAPH.get("socket.ts")!.includes("ioctl.ts"));
    const text = readFileSync(join(ROOT, "socket.ts"), "utf8");
    const exported = [...text.matchAll(/^export\s+(?:class|function|const|let)\s+(\w+)/gm)]
      .map((m) => m[1]);
    assert.deepEqual(exported, ["Socket"]);
  });
});
