/**
 * Builds the npm package of wsioctl into `.build/npm/` and packs it as `.build/npm/wsioctl-<version>.tgz`.
 *
 * 1. `deno pack` (built into Deno, offline) turns the JSR package into JavaScript with `.d.ts`
 *    files and a package.json.
 * 2. The package.json gets the npm name `wsioctl`, the `wsioctl` bin (a two-line wrapper around
 *    `cli.js`'s `main`, since Node has no `import.meta.main`), koffi as an optional peer
 *    dependency, and the Node engine range.
 * 3. `npm pack` makes the tarball.
 * 4. With `--verify`: installs the tarball and koffi into a scratch project and runs, under Node,
 *    the bin (`wsioctl decode 0x98000004`) and a FIONREAD on a real loopback socket pair.
 *
 * Usage: `deno run -A scripts/build_npm.ts [--verify]`
 *
 * @module
 */

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

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
    engines: { node: ">=20" },
    peerDependencies: { koffi: ">=2.9" },
    peerDependenciesMeta: { koffi: { optional: true } },
    keywords: ["winsock", "ioctl", "WSAIoctl", "sockets", "ffi", "windows"],
  };
  writeFileSync(join(pkgDir, "package.json"), JSON.stringify(npmPkg, null, 2) + "\n");
  cpSync(join(ROOT, "README.md"), join(pkgDir, "README.md"));
  cpSync(join(ROOT, "LICENSE"), join(pkgDir, "LICENSE"));
  const name = run("npm", ["pack", "--silent", "--pack-destination", OUT], pkgDir).trim();
  return join(OUT, name.split("\n").at(-1)!);
}

/** Installs the tarball with koffi into a scratch project and runs it under Node. */
export function verifyNpm(tarball: string): void {
  const scratch = join(OUT, "verify");
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, "package.json"), '{ "private": true, "type": "module" }\n');
  const koffi = JSON.parse(
    readFileSync(join(ROOT, "node_modules", "koffi", "package.json"), "utf8"),
  );
  run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    tarball,
    `koffi@${koffi.version}`,
  ], scratch);
  const decoded = run("node", ["node_modules/.bin/wsioctl", "decode", "0x98000004"], scratch);
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
  process.stdout.write(run("node", ["check.mjs"], scratch));
}

if (import.meta.main) {
  const tarball = buildNpm();
  console.log(`built ${tarball}`);
  if (process.argv.includes("--verify")) verifyNpm(tarball);
}
