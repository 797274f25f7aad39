import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "../cli.ts";
import { IOCTLS } from "../codes/mod.ts";
import { PLATFORMS, typedCallRows } from "../sio/platforms.ts";
import denoJson from "../deno.json" with { type: "json" };

// Under Node the tests run from a bundle (Node 20 runs no TypeScript), so the process tests start
// this same bundle with WSIOCTL_CLI_CHILD set to the arguments: it then runs the CLI's main()
// with the process's stdout and stderr, as the npm package's bin does, and registers no tests.
const CHILD = "WSIOCTL_CLI_CHILD";
const childArgs = process.env[CHILD];
if (childArgs !== undefined) process.exitCode = await main(JSON.parse(childArgs));
const suite: typeof describe = childArgs === undefined ? describe : (() => {}) as never;

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join("\n"), err: err.join("\n"), errLines: err };
}

/** The command line that runs the CLI in a child process of the current runtime. */
function cliCommand(args: string[]): { command: string; argv: string[]; env: typeof process.env } {
  const cli = fileURLToPath(new URL("../cli.ts", import.meta.url));
  if ("Deno" in globalThis) {
    return {
      command: process.execPath,
      argv: ["run", "--quiet", "--allow-all", cli, ...args],
      env: process.env,
    };
  }
  if ("Bun" in globalThis) {
    return { command: process.execPath, argv: [cli, ...args], env: process.env };
  }
  const env: typeof process.env = { ...process.env, [CHILD]: JSON.stringify(args) };
  delete env.NODE_TEST_CONTEXT; // the child is a plain run, not a node --test worker
  return { command: process.execPath, argv: [process.argv[1]], env };
}

/** Runs the CLI in a child process of the current runtime, to see real exit codes. */
function spawnCli(...args: string[]) {
  const { command, argv, env } = cliCommand(args);
  const r = spawnSync(command, argv, { encoding: "utf8", env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

suite("wsioctl decode", () => {
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

  test("states each name's buffers with their sizes", async () => {
    const r = await run("decode", "SIO_UDP_CONNRESET");
    assert.match(r.out, /^ {4}input: +BOOL, 4 bytes$/m);
    assert.match(r.out, /^ {4}output: +none$/m);
    const tx = await run("decode", "SIO_GET_TX_TIMESTAMP");
    assert.match(tx.out, /^ {4}input: +UINT32 timestamp id, 4 bytes$/m);
    assert.match(tx.out, /^ {4}output: +UINT64 timestamp, 8 bytes$/m);
  });

  test("names the typed calls of a code, and none where it has none", async () => {
    const r = await run("decode", "SIO_UDP_CONNRESET");
    assert.match(r.out, /^ {4}typed: +setUdpConnReset\(\)$/m);
    const tx = await run("decode", "SIO_GET_TX_TIMESTAMP");
    assert.match(tx.out, /^ {4}typed: +txTimestamp\(\), txTimestampPoller\(\)$/m);
    const plain = await run("decode", "FIOASYNC");
    assert.doesNotMatch(plain.out, /typed:/);
  });

  test("io: none and io: invalid are explained, in the output and in its help", async () => {
    const none = await run("decode", "0");
    assert.equal(none.status, 0);
    assert.match(none.out, /io: none {2}/);
    assert.match(none.out, /^ {2}io: none means none of I, O and V is set: .*no SDK macro/m);
    const invalid = await run("decode", "0xE0000000");
    assert.match(invalid.out, /io: invalid {2}/);
    assert.match(
      invalid.out,
      /^ {2}io: invalid means V \(no parameters\) is set together with I or O/m,
    );
    // A code with a real direction gets no such note.
    assert.doesNotMatch((await run("decode", "FIONREAD")).out, /means/);
    const help = await run("help", "decode");
    assert.match(help.out, /^ {2}io: none {6}none of I, O and V is set/m);
    assert.match(help.out, /^ {2}io: invalid {3}V \(no parameters\)/m);
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

suite("wsioctl encode", () => {
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

suite("wsioctl list", () => {
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

  test("--seed: its help says what the seed is, and it selects that many codes", async () => {
    const help = (await run("help", "list")).out;
    const seed = IOCTLS.filter((i) => i.seed).length;
    assert.match(
      help,
      new RegExp(
        `--seed +only the ${seed} codes of the seed: Microsoft's "Winsock IOCTLs" reference page`,
      ),
    );
    assert.match(help, /the document this table was started from/);
    assert.equal((await run("list", "--seed")).out.split("\n").at(-1), `${seed} codes`);
  });

  test("bad options exit 2", async () => {
    for (const args of [["list", "--header", "nope.h"], ["list", "--type", "7"], ["list", "-x"]]) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.errLines.length, 1);
    }
  });
});

suite("wsioctl list --typed", () => {
  test("one row per typed call with each platform's kind, then how or instead below it", async () => {
    const r = await run("list", "--typed");
    assert.equal(r.status, 0);
    assert.equal(r.err, "");
    const lines = r.out.split("\n");
    assert.match(lines[0], /^CALL +IOCTL +WINDOWS +LINUX +MACOS$/);
    const rows = typedCallRows();
    assert.equal(lines.at(-1), `${rows.length} typed calls`);
    let at = 1;
    for (const row of rows) {
      assert.deepEqual(lines[at].split(/ {2,}/), [
        row.call,
        row.codes.join(","),
        ...PLATFORMS.map((p) => row[p].kind),
      ]);
      const below = PLATFORMS.flatMap((p) => {
        const { how, instead } = row[p];
        return [
          ...(how === undefined ? [] : [`  ${p}: ${how}`]),
          ...(instead === undefined ? [] : [`  ${p}: instead: ${instead}`]),
        ];
      });
      assert.deepEqual(lines.slice(at + 1, at + 1 + below.length), below, row.call);
      at += 1 + below.length;
    }
    assert.equal(at, lines.length - 1, "nothing else");
  });

  test("--json: the rows as data; --header, --type, --seed: the calls of those codes", async () => {
    const all = JSON.parse((await run("list", "--typed", "--json")).out);
    assert.deepEqual(all, JSON.parse(JSON.stringify(typedCallRows())));
    assert.equal(all[0].call, "setNonBlocking");
    assert.deepEqual(all[0].linux, { kind: "native", how: "ioctl(FIONBIO)" });
    const unix = JSON.parse((await run("list", "--typed", "--json", "--type", "unix")).out);
    const calls = unix.map((r: { call: string }) => r.call);
    // T = 0: the three Unix codes, and the TCP/IP codes the SDK encodes in Unix style.
    assert.ok(calls.includes("bytesAvailable") && calls.includes("interfaceList"), String(calls));
    assert.ok(!calls.includes("setKeepAlive"), String(calls));
    const header = (await run("list", "--typed", "--header", "mstcpip.h")).out.split("\n");
    assert.ok(header.some((l) => l.startsWith("setKeepAlive ")));
    assert.ok(!header.some((l) => l.startsWith("bytesAvailable ")));
    const seed = (await run("list", "--typed", "--seed")).out.split("\n");
    assert.ok(seed.some((l) => l.startsWith("setUdpConnReset ")));
  });

  test("the help of list and the overview name --typed", async () => {
    assert.match(
      (await run("help", "list")).out,
      /--typed +the typed calls instead, one row per call: its codes and what Windows, Linux\n/,
    );
    assert.match((await run("help")).out, /list \[--json\] .*\[--typed\]\n +the code table/);
    assert.match((await run("help")).out, /--typed:\n +the typed calls and where each runs/);
  });
});

suite("wsioctl --version and help", () => {
  test("--version prints deno.json's version", async () => {
    const r = await run("--version");
    assert.equal(r.status, 0);
    assert.equal(r.out, `wsioctl ${denoJson.version}`);
    assert.match(denoJson.version, /^\d+\.\d+\.\d+/);
    const extra = await run("--version", "now");
    assert.equal(extra.status, 2);
    assert.equal(extra.err, 'wsioctl: unknown argument "now" (try: wsioctl help)');
  });

  test("help, --help and -h print the overview; no arguments print it on stderr, exit 2", async () => {
    const overview = await run("help");
    assert.equal(overview.status, 0);
    assert.match(overview.out, /^Usage: wsioctl <command> \[options\]/);
    for (const name of ["list", "decode", "encode", "probe", "help"]) {
      assert.match(overview.out, new RegExp(`^  ${name} `, "m"), name);
    }
    assert.match(overview.out, /--version/);
    assert.equal((await run("--help")).out, overview.out);
    assert.equal((await run("-h")).out, overview.out);
    const none = await run();
    assert.equal(none.status, 2);
    assert.equal(none.err, overview.out);
  });

  test("help <command>, <command> --help and -h show that command's help", async () => {
    const helps = new Set<string>();
    for (const name of ["list", "decode", "encode", "probe", "help"]) {
      const r = await run("help", name);
      assert.equal(r.status, 0, name);
      assert.equal(r.err, "", name);
      assert.match(r.out, new RegExp(`^Usage: wsioctl ${name}\\b`), name);
      assert.equal((await run(name, "--help")).out, r.out, name);
      assert.equal((await run(name, "-h")).out, r.out, name);
      assert.equal((await run("--help", name)).out, r.out, name);
      helps.add(r.out);
    }
    assert.equal(helps.size, 5);
    // --help wins over everything else on the line, as with most tools.
    assert.equal((await run("encode", "--io", "sideways", "--help")).status, 0);
    assert.match((await run("help", "encode")).out, /--family N/);
    assert.match((await run("help", "probe")).out, /--allow-ffi/);
  });

  test("one wording for unknown commands, options and arguments", async () => {
    const cases: [string[], string][] = [
      [["frobnicate"], 'unknown command "frobnicate" (try: wsioctl help)'],
      [["help", "frobnicate"], 'unknown command "frobnicate" (try: wsioctl help)'],
      [["--frobnicate"], 'unknown option "--frobnicate" (try: wsioctl help)'],
      [["list", "--colour"], 'unknown option "--colour" for list (try: wsioctl help list)'],
      [["list", "-x"], 'unknown option "-x" for list (try: wsioctl help list)'],
      [
        ["decode", "--verbose", "1"],
        'unknown option "--verbose" for decode (try: wsioctl help decode)',
      ],
      [
        ["encode", "--io", "in", "--type", "vendor", "--code", "1", "--colour"],
        'unknown option "--colour" for encode (try: wsioctl help encode)',
      ],
      [["probe", "--fast"], 'unknown option "--fast" for probe (try: wsioctl help probe)'],
      [["help", "--all"], 'unknown option "--all" for help (try: wsioctl help help)'],
      [["list", "extra"], 'unknown argument "extra" for list (try: wsioctl help list)'],
      [["encode", "extra"], 'unknown argument "extra" for encode (try: wsioctl help encode)'],
      [["probe", "extra"], 'unknown argument "extra" for probe (try: wsioctl help probe)'],
      [["help", "list", "extra"], 'unknown argument "extra" for help (try: wsioctl help help)'],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.out, "", args.join(" "));
      assert.deepEqual(r.errLines, [`wsioctl: ${message}`], args.join(" "));
    }
  });

  test("option values: --name value, --name=value, missing or superfluous values", async () => {
    const spaced = await run("encode", "--io", "in", "--type", "vendor", "--code", "4");
    const joined = await run("encode", "--io=in", "--type=vendor", "--code=4");
    assert.equal(joined.out, spaced.out);
    assert.equal((await run("list", "--json", "--header=mswsock.h")).status, 0);
    const cases: [string[], string][] = [
      [["encode", "--io"], "option --io of encode needs a value"],
      [["list", "--header", "--json"], "option --header of list needs a value"],
      [["list", "--json=yes"], "option --json of list takes no value"],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.deepEqual(r.errLines, [`wsioctl: ${message}`], args.join(" "));
    }
    // After --, everything is an argument.
    assert.match((await run("decode", "--", "FIONREAD")).out, /^0x4004667F {2}FIONREAD$/m);
  });
});

suite("the wsioctl process", () => {
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
    const version = spawnCli("--version");
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, `wsioctl ${denoJson.version}\n`);
  });

  for (const args of [["decode", "FIONREAD"], ["list"], ["list", "--json"]]) {
    test(`a reader that closes early (wsioctl ${args.join(" ")} | head): exit 0, stderr empty`, async () => {
      const { command, argv, env } = cliCommand(args);
      const child = spawn(command, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
      // The reader goes away before the CLI has written anything: its first write fails (EPIPE).
      child.stdout.destroy();
      let stderr = "";
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (chunk: string) => (stderr += chunk));
      const [status, signal] = await once(child, "close");
      assert.equal(signal, null, stderr);
      assert.equal(status, 0, stderr);
      assert.equal(stderr, "");
    });
  }
});
