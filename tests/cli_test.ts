import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "../cli.ts";
import { IOCTLS } from "../codes/mod.ts";

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join("\n"), err: err.join("\n"), errLines: err };
}

/** Runs cli.ts in a child process of the current runtime, to see real exit codes. */
function spawnCli(...args: string[]) {
  const cli = fileURLToPath(new URL("../cli.ts", import.meta.url));
  const isDeno = "Deno" in globalThis;
  const argv = isDeno ? ["run", "--quiet", "--allow-all", cli, ...args] : [cli, ...args];
  const r = spawnSync(process.execPath, argv, { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("wsioctl decode", () => {
  test("0x98000004 prints SIO_KEEPALIVE_VALS with its fields", async () => {
    const r = await run("decode", "0x98000004");
    assert.equal(r.status, 0);
    assert.match(r.out, /^0x98000004 {2}SIO_KEEPALIVE_VALS$/m);
    assert.match(
      r.out,
      /I=1 O=0 V=0 {2}io: in {2}T: 3 \(vendor\) {2}vendor: 0 {2}code: 4 \(0x0004\)/,
    );
    assert.match(r.out, /^ {2}1 +0 +0 +11 +00000000000 +0000000000000100$/m);
    assert.match(r.out, /macro: +_WSAIOW\(IOC_VENDOR,4\)/);
    assert.match(r.out, /header: +mstcpip\.h/);
    assert.match(r.out, /input: +tcp_keepalive/);
    assert.equal(r.err, "");
  });

  test("a name, a decimal and a negative int32 decode to the same code", async () => {
    for (const arg of ["SIO_KEEPALIVE_VALS", "2550136836", "-1744830460", "sio_keepalive_vals"]) {
      const r = await run("decode", arg);
      assert.equal(r.status, 0, arg);
      assert.match(r.out, /^0x98000004 {2}SIO_KEEPALIVE_VALS$/m, arg);
    }
  });

  test("a shared value prints every name", async () => {
    const r = await run("decode", "SIO_PRIORITY_HINT");
    assert.match(r.out, /^0x98000018 {2}SIO_SET_PRIORITY_HINT = SIO_PRIORITY_HINT$/m);
    assert.match(r.out, /#define SIO_PRIORITY_HINT SIO_SET_PRIORITY_HINT/);
  });

  test("a Unix code shows its group and number", async () => {
    const r = await run("decode", "FIONREAD");
    assert.match(r.out, /param size: 4 .*group 'f' number 127/);
  });

  test("an unknown value is still decoded field by field", async () => {
    const r = await run("decode", "0x5A5A0001");
    assert.equal(r.status, 0);
    assert.match(r.out, /^0x5A5A0001 {2}\(no SDK name\)$/m);
    assert.match(r.out, /I=0 O=1 V=0 {2}io: out {2}T: 3 \(vendor\) {2}vendor: 602 {2}code: 1/);
  });

  test("bad input: one line on stderr, exit 2", async () => {
    for (
      const args of [
        ["decode", "zz"],
        ["decode", "0x1FFFFFFFF"],
        ["decode", "-2147483649"],
        ["decode"],
        ["decode", "1", "2"],
        ["decode", "--verbose", "1"],
      ]
    ) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.out, "", args.join(" "));
      assert.equal(r.errLines.length, 1, args.join(" "));
      assert.match(r.err, /^wsioctl: /, args.join(" "));
    }
  });
});

describe("wsioctl encode", () => {
  test("builds SIO_KEEPALIVE_VALS from its fields and names it", async () => {
    const r = await run("encode", "--io", "in", "--type", "vendor", "--code", "4");
    assert.equal(r.status, 0);
    assert.equal(r.out, "0x98000004  SIO_KEEPALIVE_VALS");
  });

  test("hex numbers, numeric types and a family", async () => {
    const r = await run(
      "encode",
      "--io",
      "out",
      "--type",
      "0",
      "--family",
      "4",
      "--code",
      "0x667f",
    );
    assert.equal(r.out, "0x4004667F  FIONREAD");
    const atm = await run(
      "encode",
      "--io",
      "out",
      "--type",
      "protocol",
      "--family",
      "22",
      "--code",
      "1",
    );
    assert.equal(atm.out, "0x50160001  SIO_GET_NUMBER_OF_ATM_DEVICES");
    const unknown = await run("encode", "--io", "void", "--type", "vendor", "--code", "999");
    assert.equal(unknown.out, "0x380003E7");
  });

  test("bad input: one line on stderr, exit 2", async () => {
    const cases = [
      ["encode", "--io", "in", "--type", "vendor"],
      ["encode", "--io", "up", "--type", "vendor", "--code", "1"],
      ["encode", "--io", "in", "--type", "kernel", "--code", "1"],
      ["encode", "--io", "in", "--type", "vendor", "--code", "65536"],
      ["encode", "--io", "in", "--type", "vendor", "--code", "ten"],
      ["encode", "--io", "in", "--type", "vendor", "--family", "2048", "--code", "1"],
      ["encode", "--io", "in", "--type", "vendor", "--code", "1", "--colour"],
    ];
    for (const args of cases) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.errLines.length, 1, args.join(" "));
      assert.match(r.err, /^wsioctl: /);
    }
  });
});

describe("wsioctl list", () => {
  test("one aligned row per code", async () => {
    const r = await run("list");
    assert.equal(r.status, 0);
    const lines = r.out.split("\n");
    assert.match(lines[0], /^NAME +VALUE +IO +TYPE +FAMILY +CODE +HEADER +SUMMARY$/);
    assert.equal(lines.length, IOCTLS.length + 2);
    assert.equal(lines.at(-1), `${IOCTLS.length} codes`);
    const valueColumn = lines[0].indexOf("VALUE");
    for (const line of lines.slice(1, -1)) assert.match(line.slice(valueColumn), /^0x[0-9A-F]{8} /);
  });

  test("--json, --header, --type and --seed filter and format", async () => {
    const json = JSON.parse((await run("list", "--json", "--header", "mswsock.h")).out);
    assert.ok(json.length > 5);
    assert.ok(json.every((i: { header: string }) => i.header === "mswsock.h"));
    const vendor = JSON.parse((await run("list", "--json", "--type", "vendor")).out);
    assert.ok(vendor.every((i: { type: number }) => i.type === 3));
    const seed = JSON.parse((await run("list", "--json", "--seed")).out);
    assert.equal(seed.length, 53);
  });

  test("bad options exit 2", async () => {
    for (const args of [["list", "--header", "nope.h"], ["list", "--type", "7"], ["list", "-x"]]) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.errLines.length, 1);
    }
  });
});

describe("the wsioctl process", () => {
  test("exit codes and streams of a real run", () => {
    const ok = spawnCli("decode", "0x98000004");
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /SIO_KEEPALIVE_VALS/);
    const bad = spawnCli("decode", "not-a-code");
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, "");
    assert.equal(bad.stderr.trim().split("\n").length, 1);
    const unknown = spawnCli("frobnicate");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command/);
  });
});
