// What scripts/gen_platforms.ts writes from sio/platforms.ts — the README's table of typed calls
// and the `Platforms:` paragraph of each typed call's JSDoc — is what the checkout holds; the
// generator itself (insert, replace, refuse); and the JSDoc around that paragraph agrees with the
// table and with the calls' real parameter: every `@param s` names the runtime sockets, and
// "off Windows it throws UnsupportedError" is said only of calls no POSIX platform runs.
// Reads the checkout's files (import.meta), so it runs under Deno and Bun.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  callDocs,
  generatedFiles,
  renderReadme,
  renderSource,
  renderTable,
  TABLE_BEGIN,
  TABLE_END,
} from "../scripts/gen_platforms.ts";
import { TYPED_CALL_PLATFORMS } from "../sio/mod.ts";
import { platformSentence } from "../sio/platforms.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("scripts/gen_platforms.ts: the checkout holds what it writes", () => {
  test("README.md and every sio/*.ts file are up to date", () => {
    const files = generatedFiles(ROOT);
    assert.ok(files.some((f) => f.path === "README.md"));
    assert.ok(files.some((f) => f.path === "sio/tcp.ts"));
    for (const { path, text } of files) {
      assert.ok(read(path) === text, `${path} is out of date: run scripts/gen_platforms.ts`);
    }
  });

  test("the README's table has one row per typed call, in the table's words", () => {
    const readme = read("README.md");
    const table = readme.slice(readme.indexOf(TABLE_BEGIN), readme.indexOf(TABLE_END));
    const rows = table.split("\n").filter((l) => l.startsWith("| `"));
    assert.equal(rows.length, Object.keys(TYPED_CALL_PLATFORMS).length);
    const keepAlive = rows.find((r) => r.startsWith("| `setKeepAlive`"))!;
    assert.deepEqual(keepAlive.split("|").map((c) => c.trim()).slice(1, -1), [
      "`setKeepAlive`",
      "SIO_KEEPALIVE_VALS",
      "native",
      "emulated: SO_KEEPALIVE + TCP_KEEPIDLE/TCP_KEEPINTVL, ms rounded up to s (at most 32767 s); " +
      "count: TCP_KEEPCNT (at most 127)",
      "emulated: SO_KEEPALIVE + TCP_KEEPALIVE/TCP_KEEPINTVL, ms rounded up to s; count: TCP_KEEPCNT",
    ]);
  });

  test("every declaration of a typed call carries its row's sentence", () => {
    let declarations = 0;
    for (const name of readdirSync(join(ROOT, "sio")).filter((f) => f.endsWith(".ts"))) {
      for (const doc of callDocs(read(`sio/${name}`))) {
        declarations++;
        const text = doc.lines.map((l) => l.replace(/^\s*\/?\*+ ?/, "")).join(" ");
        assert.ok(
          text.includes(platformSentence(TYPED_CALL_PLATFORMS[doc.call])),
          `${doc.call} in sio/${name}`,
        );
      }
    }
    // 58 calls; applyTransportSetting and queryTransportSetting have two overloads each.
    assert.equal(declarations, Object.keys(TYPED_CALL_PLATFORMS).length + 4);
  });
});

describe("scripts/gen_platforms.ts: how it writes", () => {
  const source = [
    "/**",
    " * Flushes.",
    " *",
    " * @param s The socket.",
    " */",
    "export function flush(s: bigint): void {}",
    "",
  ].join("\n");
  const sentence = platformSentence(TYPED_CALL_PLATFORMS.flush);

  test("inserts the paragraph before the first tag, after a blank line; again changes nothing", () => {
    const once = renderSource(source);
    assert.equal(
      once,
      source.replace(" * @param", ` * ${sentence}\n *\n * @param`),
    );
    assert.equal(renderSource(once), once);
  });

  test("replaces a stale paragraph, however long, and only it", () => {
    const stale = source.replace(
      " * @param",
      " * Platforms: Windows; Linux (emulated: something that\n * wraps); macOS (native).\n *\n * @param",
    );
    assert.equal(renderSource(stale), renderSource(source));
  });

  test("wraps at 100 columns and keeps the indentation of a nested declaration", () => {
    const nested = source.replace(/^/gm, "  ").replace(/flush/g, "setTcpInitialCongestionWindow");
    const out = renderSource(nested).split("\n");
    const paragraph = out.filter((l) => /^ {3}\* (Platforms|attribute)/.test(l));
    assert.equal(paragraph.length, 2, out.join("\n"));
    for (const l of out) assert.ok(l.length <= 100, l);
    assert.match(out.join("\n"), /^ {3}\* Platforms: Windows; Linux \(unsupported; instead:/m);
  });

  test("refuses a typed call without JSDoc, or whose JSDoc has no tags", () => {
    assert.throws(
      () => renderSource("export function flush(s: bigint): void {}\n"),
      /flush: no JSDoc/,
    );
    assert.throws(
      () => renderSource("/**\n * Flushes.\n */\nexport function flush(s: bigint): void {}\n"),
      /flush: its JSDoc has no @ tags/,
    );
  });

  test("the README: the table between the markers, which must be there", () => {
    const text = `# x\n\n${TABLE_BEGIN}\nold\n${TABLE_END}\n\nafter\n`;
    assert.equal(
      renderReadme(text),
      `# x\n\n${TABLE_BEGIN}\n\n${renderTable()}\n${TABLE_END}\n\nafter\n`,
    );
    assert.throws(() => renderReadme("# x\n"), /needs the lines/);
    assert.throws(() => renderReadme(`${TABLE_END}\n${TABLE_BEGIN}\n`), /in that order/);
  });
});

describe("the typed calls' JSDoc agrees with the table and the parameter", () => {
  const docs = readdirSync(join(ROOT, "sio"))
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => callDocs(read(`sio/${f}`)));
  /** What the JSDoc of a call that does not run off Windows says (and the stale "until"s). */
  const STALE = [
    /@throws \{UnsupportedError\} off Windows\./,
    /off Windows,? it (throws|rejects)/i,
    /until the native layer answers/,
    /the native layer is to answer/,
  ];
  const text = (lines: string[]) => lines.map((l) => l.replace(/^\s*\/?\*+ ?/, "")).join(" ");

  test("every @param s names the Socket, the raw handle and the runtime socket", () => {
    for (const { call, lines } of docs) {
      const all = text(lines);
      assert.match(
        all,
        /@param s A \{@link Socket\}, a raw `bigint` handle, or a runtime socket/,
        call,
      );
      assert.doesNotMatch(all, /neither a Socket nor a bigint|Socket\} or a raw/, call);
    }
  });

  test('"off Windows … UnsupportedError" only where neither Linux nor macOS runs the call', () => {
    for (const { call, lines } of docs) {
      const row = TYPED_CALL_PLATFORMS[call];
      const runsOffWindows = row.linux.kind !== "unsupported" || row.macos.kind !== "unsupported";
      const says = STALE.find((re) => re.test(text(lines)));
      if (runsOffWindows) {
        assert.equal(says, undefined, `${call} runs off Windows; its JSDoc: ${says}`);
      }
    }
  });
});
