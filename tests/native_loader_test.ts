// Which FFI the native layer runs on: one per runtime, chosen once. Under Node, node:ffi where the
// running Node has it enabled and koffi otherwise; the Node legs (scripts/test_node.sh) say which
// they expect in WSIOCTL_EXPECT_FFI, so a leg meant for node:ffi cannot pass on koffi unnoticed.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { nativeLoader } from "../ffi/select.ts";
import { NO_NODE_FFI } from "../ffi/node.ts";

const runtime = process.versions.deno !== undefined
  ? "deno"
  : process.versions.bun !== undefined
  ? "bun"
  : "node";

describe("the runtime loader", () => {
  test("is the runtime's own FFI, and says whether its waits run on a worker thread", () => {
    const loader = nativeLoader();
    assert.equal(loader.runtime, runtime);
    const expected: Record<string, [string, boolean]> = {
      "Deno.dlopen": ["deno", true],
      "bun:ffi": ["bun", false],
      "node:ffi": ["node", false],
      "koffi": ["node", true],
    };
    assert.ok(Object.hasOwn(expected, loader.ffi), loader.ffi);
    assert.deepEqual([loader.runtime, loader.workerThreads], expected[loader.ffi]);
  });

  test("is chosen once", () => {
    assert.equal(nativeLoader(), nativeLoader());
  });

  test("under Node: node:ffi where this Node has it enabled, koffi otherwise", {
    skip: runtime !== "node" && "Node only",
  }, () => {
    const enabled = (process as { getBuiltinModule?(id: string): unknown })
      .getBuiltinModule?.("node:ffi") !== undefined;
    assert.equal(nativeLoader().ffi, enabled ? "node:ffi" : "koffi");
  });

  test("is the one the Node leg expects", {
    skip: process.env.WSIOCTL_EXPECT_FFI === undefined && "WSIOCTL_EXPECT_FFI is not set",
  }, () => {
    assert.equal(nativeLoader().ffi, process.env.WSIOCTL_EXPECT_FFI);
  });

  test("without an FFI, Node's error names both ways out", () => {
    assert.match(NO_NODE_FFI, /node:ffi \(Node\.js 26\.1 or later, run with --experimental-ffi/);
    assert.match(NO_NODE_FFI, /`npm install koffi`/);
  });
});
