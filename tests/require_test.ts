// `require()` of the library, as a CommonJS consumer loads it: nothing in its load path may use
// top-level await (Deno and Bun refuse to require() such a module graph, as Node does with
// ERR_REQUIRE_ASYNC_MODULE). Under Deno and Bun the checkout's modules are required here; under
// Node (which runs a bundle of this file, not TypeScript) the npm leg requires the built package
// (scripts/build_npm.ts --verify: a .cjs consumer and TypeScript compiled to CommonJS).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import process from "node:process";

const onNode = process.versions.deno === undefined && process.versions.bun === undefined;

describe("require() of the library", {
  skip: onNode && "Node runs no TypeScript: the npm leg requires the built package",
}, () => {
  const require = createRequire(import.meta.url);

  test("the package's entry points load with require()", () => {
    const mod = require("../mod.ts") as typeof import("../mod.ts");
    assert.equal(typeof mod.Socket, "function");
    assert.equal(typeof mod.ioctl, "function");
    const sio = require("../sio/mod.ts") as typeof import("../sio/mod.ts");
    assert.equal(typeof sio.bytesAvailable, "function");
    const codes = require("../codes/mod.ts") as typeof import("../codes/mod.ts");
    assert.equal(codes.FIONREAD, 0x4004667f);
    const structs = require("../structs/mod.ts") as typeof import("../structs/mod.ts");
    assert.equal(structs.STRUCT_LAYOUTS.tcp_keepalive.size, 12);
  });

  test("a module loaded with require() makes native calls", () => {
    const { bytesAvailable, Socket } = require("../mod.ts") as typeof import("../mod.ts");
    const s = Socket.open("inet", "stream");
    try {
      assert.equal(s.getOption("type"), "stream");
      s.bind("127.0.0.1", 0);
      s.listen();
      assert.equal(bytesAvailable(s), 0);
    } finally {
      s.close();
    }
  });
});
