// Which FFI the native layer runs on: one per runtime, chosen once. Under Node, node:ffi where the
// running Node has it enabled and koffi otherwise; the Node legs (scripts/test_node.sh) say which
// they expect in WSIOCTL_EXPECT_FFI, so a leg meant for node:ffi cannot pass on koffi unnoticed.
// Loader.callable (a C function bound by its address, as Winsock hands out WSARecvMsg) runs a
// real function found by the system's own lookup, against the same function bound by name;
// node:ffi, which binds by name only, has none.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { libcNames, type Loader, type SymbolTable } from "../ffi/_types.ts";
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

const encode = (name: string) => new TextEncoder().encode(`${name}\0`);

const KERNEL32_LOOKUP = {
  GetModuleHandleA: { parameters: ["buffer"], result: "usize" }, // LPCSTR lpModuleName
  GetProcAddress: { parameters: ["usize", "buffer"], result: "usize" }, // HMODULE, LPCSTR
  GetCurrentProcessId: { parameters: [], result: "u32" },
} as const satisfies SymbolTable;

const LIBC_LOOKUP = {
  dlsym: { parameters: ["usize", "buffer"], result: "usize" }, // void* handle, const char* symbol
  getpid: { parameters: [], result: "i32" },
} as const satisfies SymbolTable;

/**
 * The addresses of two C functions, by the system's own lookup, and the process id bound by name:
 * the C library's `llabs` (`_abs64` in msvcrt.dll) and the process-id call (`getpid`,
 * `GetCurrentProcessId`).
 */
function functions(loader: Loader): { abs: bigint; pid: bigint; pidByName(): number } {
  if (loader.os === "windows") {
    const crt = "msvcrt.dll";
    loader.open([crt], { _abs64: { parameters: ["i64"], result: "i64" } }); // loads it
    const k = loader.open(["kernel32.dll"], KERNEL32_LOOKUP);
    const at = (module: string, name: string) =>
      BigInt(k.GetProcAddress(BigInt(k.GetModuleHandleA(encode(module))), encode(name)));
    return {
      abs: at(crt, "_abs64"),
      pid: at("kernel32.dll", "GetCurrentProcessId"),
      pidByName: () => k.GetCurrentProcessId(),
    };
  }
  const libc = loader.open(libcNames(loader.os).names, LIBC_LOOKUP);
  // RTLD_DEFAULT: ((void *) 0) on glibc and musl, ((void *) -2) on macOS.
  const everywhere = loader.os === "darwin" ? 0xfffffffffffffffen : 0n;
  const at = (name: string) => BigInt(libc.dlsym(everywhere, encode(name)));
  return { abs: at("llabs"), pid: at("getpid"), pidByName: () => libc.getpid() };
}

describe("Loader.callable: a C function bound by its address", () => {
  const loader = nativeLoader();
  const byAddress = loader.ffi !== "node:ffi";

  test("node:ffi binds functions by name only: the loader has no callable", {
    skip: byAddress && `${loader.ffi} has one`,
  }, () => {
    assert.equal(loader.callable, undefined);
  });

  test("runs the function at the address with the entry's types (64-bit values as bigint)", {
    skip: !byAddress && "node:ffi has no callable",
  }, () => {
    const bind = loader.callable;
    assert.equal(typeof bind, "function");
    const f = functions(loader);
    assert.ok(f.abs > 0n && f.pid > 0n, `${f.abs} ${f.pid}`);
    const abs = bind!(f.abs, { parameters: ["i64"], result: "i64" });
    assert.equal(abs(-5n), 5n);
    assert.equal(abs(-(2n ** 62n) - 3n), 2n ** 62n + 3n); // beyond 2^53: exact
    const pid = bind!(f.pid, { parameters: [], result: "u32" });
    assert.equal(pid(), f.pidByName());
  });

  test("refuses 0 and what is no 64-bit address before binding", {
    skip: !byAddress && "node:ffi has no callable",
  }, () => {
    for (const bad of [0n, -1n, 1n << 64n, 5 as unknown as bigint]) {
      assert.throws(
        () => loader.callable!(bad, { parameters: [], result: "i32" }),
        RangeError,
        String(bad),
      );
    }
  });
});
