// The benchmark table (`npm run bench`, bench/_table.ts): the README's copy has the shape the
// generator makes — every operation under every runtime that ran, the columns, each cell's form —
// and the formatting rules hold. Numbers are never asserted: speed is not a test.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  allocCell,
  EVERY_OPERATION,
  HEADER,
  type Host,
  markdownTable,
  OPERATIONS,
  parseTable,
  ratioCell,
  README_BEGIN,
  README_END,
  readmeBlock,
  report,
  rows,
  type RuntimeResult,
  spliceReadme,
  statCell,
} from "../bench/_table.ts";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

const TIME = /^\d+(\.\d+)? (ns|µs|ms) \(min \d+(\.\d+)?\)$/;
const RATIO = /^\d+\.\d\d× \(min \d+\.\d\d×\)$/;
const BYTES = /^-?\d+\.\d( \(\d+\.\d kept\))?$/;
const UNSUPPORTED = /^unsupported on [a-z]+$/;

const HOST: Host = {
  os: "Linux 6.1 x86_64",
  cpu: "Some CPU (2 cores)",
  date: "2026-01-02",
  load: "0.50",
  plan: "A plan.",
  controls: ["X: nothing 0.0"],
};
const stat = (median: number, min = median) => ({ median, min, rounds: 3, calls: 10 });

describe("the benchmark table's cells", () => {
  test("a duration keeps its unit, the fastest round in the median's unit", () => {
    assert.equal(statCell(stat(172.4, 165.2)), "172 ns (min 165)");
    assert.equal(statCell(stat(12.34, 11)), "12.3 ns (min 11.0)");
    assert.equal(statCell(stat(14_300_000, 1_980_000)), "14.3 ms (min 1.98)");
    assert.equal(statCell(stat(25_500, 9_000)), "25.5 µs (min 9.00)");
    assert.equal(statCell({ skipped: "unsupported on linux" }), "unsupported on linux");
    assert.equal(statCell(undefined), "—");
  });

  test("the ratio divides the medians and the fastest rounds; none without both", () => {
    assert.equal(ratioCell(stat(200, 150), stat(210, 180)), "1.05× (min 1.20×)");
    assert.equal(ratioCell(undefined, stat(1)), "—");
    assert.equal(ratioCell(stat(1), { skipped: "unsupported on linux" }), "—");
  });

  test("bytes per call: one decimal, and what a collection left when it left any", () => {
    assert.equal(allocCell({ bytesPerCall: 0.04, retainedPerCall: 0, calls: 1 }), "0.0");
    assert.equal(
      allocCell({ bytesPerCall: 56, retainedPerCall: 55.9, calls: 1 }),
      "56.0 (55.9 kept)",
    );
    assert.equal(allocCell({ skipped: "unsupported on linux" }), "—");
  });

  test("every operation gets a row per runtime; a skipped runtime one row, saying why", () => {
    const results: RuntimeResult[] = [
      { runtime: "Deno 1 (Deno.dlopen)", ops: { decodeIoctl: { wsioctl: stat(10) } } },
      { runtime: "Node 26 (node:ffi)", skipped: "skipped: no Node 26", ops: {} },
    ];
    const body = rows(HOST, results);
    assert.equal(body.length, OPERATIONS.length + 1);
    assert.deepEqual(body.map((r) => r[0]), [...OPERATIONS.map((o) => o.label), EVERY_OPERATION]);
    const decode = body.find((r) => r[0] === "`decodeIoctl(SIO_KEEPALIVE_VALS)`")!;
    assert.deepEqual(decode.slice(4), [
      "no native call",
      "no native call",
      "10.0 ns (min 10.0)",
      "—",
      "—",
    ]);
    assert.deepEqual(body.at(-1), [
      EVERY_OPERATION,
      "Node 26 (node:ffi)",
      HOST.os,
      HOST.cpu,
      "—",
      "—",
      "skipped: no Node 26",
      "—",
      "—",
    ]);
    for (const r of body) assert.equal(r.length, HEADER.length);
  });

  test("the Markdown table parses back to its cells", () => {
    const cells = [["a", "b"], ["c", "d"]];
    assert.deepEqual(parseTable(`x\n\n${markdownTable(["h1", "h2"], cells)}\n\ny`), [
      ["h1", "h2"],
      ...cells,
    ]);
  });

  test("the README's part is replaced between its markers, and only there", () => {
    const text = `intro\n${README_BEGIN}\n\nold\n\n${README_END}\noutro\n`;
    const once = spliceReadme(text, "new");
    assert.equal(once, `intro\n${README_BEGIN}\n\nnew\n\n${README_END}\noutro\n`);
    assert.equal(spliceReadme(once, "new"), once);
    assert.throws(() => spliceReadme("no markers", "x"), /lacks the markers/);
    assert.match(report(HOST, []), /^Measured 2026-01-02 on Linux 6\.1 x86_64, Some CPU/);
  });
});

describe("README.md's benchmark table", () => {
  const block = readmeBlock(README);
  const [header, ...body] = parseTable(block);

  test("says when, where and how it was measured", () => {
    assert.match(block, /Measured \d{4}-\d{2}-\d{2} on \S+ [\d.]+ \S+, .+\(\d+ cores\)/);
    assert.match(block, /load average [\d.]+/);
    assert.doesNotMatch(block, /--quick/, "the README's table comes from a full run");
    assert.match(block, /The bytes column's controls: /);
  });

  test("has the generator's columns, and one OS and CPU", () => {
    assert.deepEqual(header, HEADER);
    for (const r of body) assert.equal(r.length, HEADER.length, r.join(" | "));
    assert.equal(new Set(body.map((r) => `${r[2]} / ${r[3]}`)).size, 1);
  });

  test("every operation under every runtime that ran; Deno, Bun, Node with koffi and node:ffi", () => {
    const runtimes = [...new Set(body.map((r) => r[1]))];
    for (
      const prefix of [/^Deno \S+ \(Deno\.dlopen\)$/, /^Bun \S+ \(bun:ffi\)$/, /^Node \S+ \(koffi /]
    ) {
      assert.ok(runtimes.some((r) => prefix.test(r)), `no runtime matches ${prefix}`);
    }
    assert.ok(runtimes.some((r) => /^Node \S+ \(node:ffi\)$/.test(r)), "no node:ffi row");
    for (const runtime of runtimes) {
      const ops = body.filter((r) => r[1] === runtime).map((r) => r[0]);
      if (ops.length === 1 && ops[0] === EVERY_OPERATION) {
        const row = body.find((r) => r[1] === runtime)!;
        assert.match(row[6], /^skipped: |^FAILED/, `${runtime} says why it was skipped`);
        continue;
      }
      assert.deepEqual(ops, OPERATIONS.map((o) => o.label), runtime);
    }
  });

  test("each cell has the generator's form", () => {
    for (const r of body) {
      const [label, runtime, , , c, raw, ws, ratio, bytes] = r;
      if (label === EVERY_OPERATION) continue;
      const op = OPERATIONS.find((o) => o.label === label)!;
      const where = `${label} under ${runtime}`;
      if (op.native === undefined) {
        assert.deepEqual([c, raw, ratio], ["no native call", "no native call", "—"], where);
      } else {
        assert.match(c, TIME, `${where}: C`);
        assert.match(raw, TIME, `${where}: raw`);
      }
      if (UNSUPPORTED.test(ws)) {
        assert.deepEqual([ratio, bytes], ["—", "—"], where);
        continue;
      }
      assert.match(ws, TIME, `${where}: wsioctl`);
      if (op.native !== undefined) assert.match(ratio, RATIO, `${where}: ratio`);
      if (op.id === "firstCall") assert.equal(bytes, "—", where);
      else assert.match(bytes, BYTES, `${where}: bytes`);
    }
  });
});
